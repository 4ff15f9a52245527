//! A scenario as Terraform HCL for the huaweicloud provider: one resource per group (with
//! `delete_default_rules = true`, so the group holds exactly the rules written), per rule and
//! per address group, rules pointing at their group, remote group and address group by
//! reference. Written from the validated world: template groups are expanded, defaults are
//! explicit (`ethertype`, `action`, `priority`).
//!
//! Resource names are the scenario's ids made HCL identifiers (a letter or `_` first, then
//! letters, digits, `_` and `-`; anything else becomes `_`), unique within their type.
//! Ports are written as `ports` (a scenario holds `multiport`, never `port_range_min`/`max`).

use super::hcl_writing::{block, name_for, quoted};
use super::resources::{ADDRESS_GROUP, RULE, SECGROUP};
use crate::diagnostic::Problem;
use crate::model::Ethertype;
use crate::scenario::{RuleSpec, ScenarioSpec};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

pub(crate) fn export(spec: &ScenarioSpec) -> Result<(String, Vec<Problem>), Vec<Problem>> {
    let scenario = spec.build()?;
    let world = &scenario.world;
    let mut out = String::new();
    let _ = writeln!(out, "# {} (written by sgplay)\n", spec.name.replace(['\n', '\r'], " "));

    let mut taken = HashSet::new();
    let group_names: HashMap<&str, String> = world.security_groups.iter().map(|g| (g.id.as_str(), name_for(&g.id, &mut taken))).collect();
    let mut taken = HashSet::new();
    let ag_names: HashMap<&str, String> = world.address_groups.iter().map(|a| (a.id.as_str(), name_for(&a.id, &mut taken))).collect();
    let descriptions: HashMap<&str, &str> = spec.address_groups.iter().map(|a| (a.id.as_str(), a.description.as_str())).collect();

    for ag in &world.address_groups {
        let mut args = vec![("name", quoted(if ag.name.is_empty() { &ag.id } else { &ag.name }))];
        if let Some(d) = descriptions.get(ag.id.as_str()).filter(|d| !d.is_empty()) {
            args.push(("description", quoted(d)));
        }
        args.push(("ip_version", if ag.ethertype == Ethertype::IPv6 { "6" } else { "4" }.to_string()));
        let entries: Vec<String> = ag.entries.iter().map(|e| quoted(&e.to_string())).collect();
        args.push(("addresses", format!("[{}]", entries.join(", "))));
        block(&mut out, ADDRESS_GROUP, &ag_names[ag.id.as_str()], &args);
    }
    let reference = |kind: &str, name: &str| format!("{kind}.{name}.id");
    let mut taken = HashSet::new();
    for g in &world.security_groups {
        let gname = &group_names[g.id.as_str()];
        let mut args = vec![("name", quoted(if g.name.is_empty() { &g.id } else { &g.name }))];
        if !g.description.is_empty() {
            args.push(("description", quoted(&g.description)));
        }
        args.push(("delete_default_rules", "true".to_string()));
        block(&mut out, SECGROUP, gname, &args);
        for rule in &g.rules {
            let r = RuleSpec::from_rule(rule, &g.id);
            let text = |v: &serde_json::Value| quoted(&crate::scenario::rule_spec::scalar_text(v).unwrap_or_default());
            let mut args = vec![("security_group_id", reference(SECGROUP, gname))];
            args.extend(r.direction.as_deref().map(|d| ("direction", quoted(d))));
            args.extend(r.ethertype.as_deref().map(|e| ("ethertype", quoted(e))));
            args.extend(r.protocol.as_ref().map(|p| ("protocol", text(p))));
            args.extend(r.multiport.as_ref().map(|p| ("ports", text(p))));
            args.extend(r.action.as_deref().map(|a| ("action", quoted(a))));
            args.extend(r.priority.as_ref().map(|p| ("priority", p.to_string())));
            args.extend(r.remote_ip_prefix.as_deref().map(|p| ("remote_ip_prefix", quoted(p))));
            if let Some(remote) = r.remote_group_id.as_deref() {
                let value = match group_names.get(remote) {
                    Some(name) => reference(SECGROUP, name),
                    None => quoted(remote),
                };
                args.push(("remote_group_id", value));
            }
            if let Some(remote) = r.remote_address_group_id.as_deref() {
                let value = match ag_names.get(remote) {
                    Some(name) => reference(ADDRESS_GROUP, name),
                    None => quoted(remote),
                };
                args.push(("remote_address_group_id", value));
            }
            args.extend(r.description.as_deref().map(|d| ("description", quoted(d))));
            block(&mut out, RULE, &name_for(&rule.id, &mut taken), &args);
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    Ok((out, left_out(spec)))
}

/// What HCL for these three resources cannot carry.
fn left_out(spec: &ScenarioSpec) -> Vec<Problem> {
    crate::interop::left_out::beyond_groups(
        spec,
        "the provider's `huaweicloud_compute_instance` holds them, with much sgplay does not model",
    )
}
