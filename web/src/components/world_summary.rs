//! The scenario at a glance: each security group with its rules in evaluation order, and the
//! instances with their addresses and groups.

use leptos::prelude::*;
use sgplay_core::model::{Instance, Rule, SecurityGroup, World};

#[component]
pub fn WorldSummary(world: World) -> impl IntoView {
    let World { security_groups, instances, .. } = world;
    view! {
        <h3 class="scenario__heading">"Security groups"</h3>
        {security_groups.into_iter().map(group_view).collect_view()}
        <h3 class="scenario__heading">"Instances"</h3>
        <table class="table">
            <thead><tr><th>"Instance"</th><th>"Addresses"</th><th>"Security groups, in sequence"</th></tr></thead>
            <tbody>{instances.into_iter().map(instance_row).collect_view()}</tbody>
        </table>
    }
}

fn group_view(group: SecurityGroup) -> impl IntoView {
    let mut rules = group.rules;
    // Show rules in the order one direction is evaluated: inbound first, then by precedence.
    rules.sort_by_key(|r| (r.direction, r.precedence()));
    view! {
        <details class="group" open>
            <summary class="group__summary">
                <span class="group__name">{group.name}</span>
                <code class="group__id">{group.id}</code>
                <span class="group__description">{group.description}</span>
            </summary>
            <table class="table">
                <thead><tr>
                    <th>"Rule"</th><th>"Direction"</th><th>"Priority"</th><th>"Action"</th>
                    <th>"Protocol & port"</th><th>"Remote"</th><th>"Description"</th>
                </tr></thead>
                <tbody>{rules.into_iter().map(rule_row).collect_view()}</tbody>
            </table>
        </details>
    }
}

fn rule_row(rule: Rule) -> impl IntoView {
    let protocol_and_port = rule.protocol_and_port();
    view! {
        <tr>
            <td><code>{rule.id}</code></td>
            <td>{rule.direction.label()}</td>
            <td class="table__number">{rule.priority}</td>
            <td><span class=format!("action action--{}", rule.action)>{rule.action.to_string()}</span></td>
            <td>{protocol_and_port}</td>
            <td>{rule.remote.to_string()}</td>
            <td class="table__muted">{rule.description}</td>
        </tr>
    }
}

fn instance_row(instance: Instance) -> impl IntoView {
    let addresses = instance
        .private_ips
        .iter()
        .map(ToString::to_string)
        .chain(instance.virtual_ips.iter().map(|a| format!("{a} (virtual)")))
        .chain(instance.eip.iter().map(|a| format!("{a} (EIP)")))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <tr>
            <td>{instance.display_name().to_string()}" "<code>{instance.id.clone()}</code></td>
            <td>{addresses}</td>
            <td>{instance.security_groups.join(" → ")}</td>
        </tr>
    }
}
