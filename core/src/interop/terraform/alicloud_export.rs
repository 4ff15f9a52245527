//! A scenario as Terraform HCL for the alicloud provider: an `alicloud_security_group` per
//! group (its `security_group_type` and `inner_access_policy`), an
//! `alicloud_security_group_rule` per Alibaba rule, pointing at its group (and at the group it
//! authorizes) by reference.
//!
//! The rules are Alibaba's (`alibaba_rules`, shared with the API's format): one per port
//! range (`22-24,25` becomes `…-1` with `22/24` and `…-2` with `25/25`), "any address" as
//! `0.0.0.0/0` or `::/0`, the written rules only (the implicit ones are the cloud's). What the
//! provider cannot write is said in `left_out`: IP address groups and the rules naming them,
//! a group named for IPv6, protocols other than tcp, udp, icmp, icmpv6 and gre, instances,
//! VPCs, checks; and, for a Huawei scenario, that Alibaba's order may change its verdicts.

use super::alicloud::{GROUP, RULE};
use super::hcl_writing::{block, name_for, quoted};
use crate::diagnostic::Problem;
use crate::interop::alibaba_rules::{self, Authorization};
use crate::interop::left_out::note;
use crate::model::{Direction, Ethertype, ProtocolMatch};
use crate::profile::{alibaba, GroupKind};
use crate::scenario::ScenarioSpec;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

/// The provider's `ip_protocol`, for the protocols it has.
fn ip_protocol(protocol: ProtocolMatch) -> Option<String> {
    match protocol {
        ProtocolMatch::Any => Some("all".to_string()),
        p => Some(p.to_string()).filter(|name| matches!(name.as_str(), "tcp" | "udp" | "icmp" | "icmpv6" | "gre")),
    }
}

pub(crate) fn export(spec: &ScenarioSpec) -> Result<(String, Vec<Problem>), Vec<Problem>> {
    let scenario = spec.build()?;
    let world = &scenario.world;
    let mut left_out =
        alibaba_rules::left_out(spec, world, "the provider's `alicloud_instance` holds them, with much sgplay does not model");
    let mut out = String::new();
    let _ = writeln!(out, "# {} (written by sgplay)\n", spec.name.replace(['\n', '\r'], " "));
    let mut taken = HashSet::new();
    let group_names: HashMap<&str, String> = world.security_groups.iter().map(|g| (g.id.as_str(), name_for(&g.id, &mut taken))).collect();
    let reference = |id: &str| match group_names.get(id) {
        Some(name) => format!("{GROUP}.{name}.id"),
        None => quoted(id),
    };
    let mut taken = HashSet::new();
    for (g, group) in world.security_groups.iter().enumerate() {
        let mut args = vec![("name", quoted(if group.name.is_empty() { &group.id } else { &group.name }))];
        if !group.description.is_empty() {
            args.push(("description", quoted(&group.description)));
        }
        args.push(("security_group_type", quoted(if group.kind == GroupKind::Enterprise { "enterprise" } else { "normal" })));
        args.push(("inner_access_policy", quoted(if group.kind == GroupKind::Basic { "Accept" } else { "Drop" })));
        block(&mut out, GROUP, &group_names[group.id.as_str()], &args);
        for permission in alibaba_rules::permissions(g, group, &mut left_out) {
            let rule = permission.rule;
            let Some(protocol) = ip_protocol(rule.protocol) else {
                let object = format!("rule `{}` of security group `{}`", rule.id, group.id);
                let message = format!(
                    "is for protocol `{}`, which `ip_protocol` cannot name (tcp, udp, icmp, icmpv6, gre, all); not exported",
                    rule.protocol
                );
                left_out.push(note(&format!("security_groups[{g}]"), &object, &message));
                continue;
            };
            let mut args = vec![
                ("type", quoted(if rule.direction == Direction::Ingress { "ingress" } else { "egress" })),
                ("ip_protocol", quoted(&protocol)),
                ("port_range", quoted(&permission.port_range)),
                ("policy", quoted(&alibaba::policy(rule.action).to_ascii_lowercase())),
                ("priority", rule.priority.to_string()),
                ("security_group_id", reference(&group.id)),
            ];
            args.push(match &permission.object {
                Authorization::Group(id) => ("source_security_group_id", reference(id)),
                Authorization::Cidr(cidr) if rule.ethertype == Ethertype::IPv6 => ("ipv6_cidr_ip", quoted(cidr)),
                Authorization::Cidr(cidr) => ("cidr_ip", quoted(cidr)),
            });
            args.push(("nic_type", quoted("intranet")));
            if !rule.description.is_empty() {
                args.push(("description", quoted(&rule.description)));
            }
            block(&mut out, RULE, &name_for(&permission.id, &mut taken), &args);
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    Ok((out, left_out))
}
