//! The scenario at a glance: each security group with its inbound and outbound rules in the
//! order they are evaluated, and the instances with their addresses and groups.

use leptos::prelude::*;
use sgplay_core::model::{Direction, Instance, Remote, Rule, SecurityGroup, World};

#[component]
pub fn WorldSummary(world: StoredValue<World>) -> impl IntoView {
    world.with_value(|world| {
        let groups = world.security_groups.iter().map(|g| group_view(world, g)).collect_view();
        let instances = world.instances.iter().map(|i| instance_row(world, i)).collect_view();
        view! {
            <h3 class="scenario__heading">"Security groups"</h3>
            {groups}
            <h3 class="scenario__heading">"Instances"</h3>
            <div class="table-scroll">
                <table class="table">
                    <thead><tr><th>"Instance"</th><th>"Addresses"</th><th>"Security groups, in sequence"</th></tr></thead>
                    <tbody>{instances}</tbody>
                </table>
            </div>
        }
    })
}

fn group_view(world: &World, group: &SecurityGroup) -> impl IntoView {
    let section = |direction: Direction| {
        let mut rules: Vec<&Rule> = group.rules.iter().filter(|r| r.direction == direction).collect();
        // Evaluation order: priority, deny before allow, then written order (a stable sort).
        rules.sort_by_key(|r| r.precedence());
        let title = match direction {
            Direction::Ingress => "Inbound",
            Direction::Egress => "Outbound",
        };
        let rows = if rules.is_empty() {
            view! { <tr><td class="table__muted" colspan="6">"no rules: nothing is allowed"</td></tr> }.into_any()
        } else {
            rules.into_iter().map(|r| rule_row(world, r)).collect_view().into_any()
        };
        view! {
            <tbody>
                <tr class="table__section"><th colspan="6">{title}</th></tr>
                {rows}
            </tbody>
        }
    };
    view! {
        <details class="group" open>
            <summary class="group__summary">
                <span class="group__name">{group.name.clone()}</span>
                <code class="group__id">{group.id.clone()}</code>
                <span class="group__description">{group.description.clone()}</span>
            </summary>
            <div class="table-scroll">
                <table class="table">
                    <thead><tr>
                        <th>"Rule"</th><th class="table__number">"Priority"</th><th>"Action"</th>
                        <th>"Protocol & port"</th><th>"Remote"</th><th>"Description"</th>
                    </tr></thead>
                    {section(Direction::Ingress)}
                    {section(Direction::Egress)}
                </table>
            </div>
        </details>
    }
}

fn rule_row(world: &World, rule: &Rule) -> impl IntoView {
    view! {
        <tr>
            <td class="table__id"><code>{rule.id.clone()}</code></td>
            <td class="table__number">{rule.priority}</td>
            <td><span class=format!("action action--{}", rule.action)>{rule.action.to_string()}</span></td>
            <td class="table__nowrap">{rule.protocol_and_port()}</td>
            <td class="table__nowrap">{remote_label(world, &rule.remote)}</td>
            <td class="table__muted">{rule.description.clone()}</td>
        </tr>
    }
}

/// The remote as the console shows it: groups by name rather than id.
fn remote_label(world: &World, remote: &Remote) -> String {
    match remote {
        Remote::Any | Remote::Prefix(_) => remote.to_string(),
        Remote::Group(id) => format!("group {}", world.group(id).map_or(id.as_str(), |g| g.name.as_str())),
        Remote::AddressGroup(id) => {
            format!("address group {}", world.address_group(id).map_or(id.as_str(), |g| g.name.as_str()))
        }
    }
}

fn instance_row(world: &World, instance: &Instance) -> impl IntoView {
    let addresses = instance
        .private_ips
        .iter()
        .map(ToString::to_string)
        .chain(instance.virtual_ips.iter().map(|a| format!("{a} (virtual)")))
        .chain(instance.eip.iter().map(|a| format!("{a} (EIP)")))
        .collect::<Vec<_>>()
        .join(", ");
    let groups = instance
        .security_groups
        .iter()
        .map(|id| world.group(id).map_or(id.as_str(), |g| g.name.as_str()))
        .collect::<Vec<_>>()
        .join(" → ");
    view! {
        <tr>
            <td>{instance.display_name().to_string()}" "<code>{instance.id.clone()}</code></td>
            <td>{addresses}</td>
            <td>{groups}</td>
        </tr>
    }
}
