//! High-risk ports reachable from the whole Internet, judged on the effective policy: the
//! compiled matcher decides a packet from a representative Internet address (the middle of the
//! widest address class outside the VPCs, which only rules open to the whole Internet or a huge
//! block cover) to each instance, for each high-risk TCP port. An open rule behind a deny, or a
//! port opened only by an instance's second group, is judged as the cloud would judge it. One
//! finding per deciding rule, naming the ports and the instances it exposes.

use super::lint::{Lint, LintKind};
use super::reach::internet_address;
use crate::diagnostic::{Problem, Severity};
use crate::matcher::{Matcher, SideResult};
use crate::model::protocol::TCP;
use crate::model::{Ethertype, World};
use crate::packet::Packet;
use std::collections::BTreeMap;

/// Ports the seeds call high-risk when open to the whole Internet.
pub const HIGH_RISK_PORTS: [(u16, &str); 13] = [
    (22, "SSH"),
    (23, "Telnet"),
    (135, "RPC"),
    (445, "SMB"),
    (1433, "MS SQL"),
    (1521, "Oracle"),
    (3306, "MySQL"),
    (3389, "RDP"),
    (5432, "PostgreSQL"),
    (6379, "Redis"),
    (8848, "Nacos"),
    (9200, "Elasticsearch"),
    (27017, "MongoDB"),
];

/// What one deciding rule exposes: from which Internet address, which ports, on which instances.
type Exposure = (std::net::IpAddr, Vec<u16>, Vec<usize>);

pub fn exposed(world: &World, matcher: &Matcher) -> Vec<Lint> {
    let mut by_rule: BTreeMap<(u32, u32, Ethertype), Exposure> = BTreeMap::new();
    for family in [Ethertype::IPv4, Ethertype::IPv6] {
        let from = internet_address(world, matcher, family);
        for (i, inst) in world.instances.iter().enumerate() {
            let Some(to) = inst.private_ip(family) else { continue };
            for &(port, _) in &HIGH_RISK_PORTS {
                let packet = Packet::opening(from, to, TCP, port);
                let decision = matcher.decide_rule(&packet);
                if let (true, SideResult::Rule { rule, .. }) = (decision.verdict.is_allow(), decision.inbound) {
                    let entry = by_rule.entry((rule.group, rule.rule, family)).or_insert((from, Vec::new(), Vec::new()));
                    if !entry.1.contains(&port) {
                        entry.1.push(port);
                    }
                    if !entry.2.contains(&i) {
                        entry.2.push(i);
                    }
                }
            }
        }
    }
    by_rule
        .into_iter()
        .map(|((g, r, family), (from, mut ports, instances))| {
            let (g, r) = (g as usize, r as usize);
            let group = &world.security_groups[g];
            let rule = &group.rules[r];
            ports.sort_unstable();
            let names: Vec<String> =
                ports.iter().filter_map(|p| HIGH_RISK_PORTS.iter().find(|(q, _)| q == p)).map(|(p, n)| format!("{p} ({n})")).collect();
            let shown: Vec<&str> = instances.iter().take(5).map(|&i| world.instances[i].id.as_str()).collect();
            let more = instances.len().saturating_sub(5);
            let more = if more > 0 { format!(" and {more} more") } else { String::new() };
            let message = format!(
                "opens TCP {} to {} (e.g. from {from}) on {} instance(s): {}{more}; allow only trusted addresses",
                names.join(", "),
                family.any_prefix(),
                instances.len(),
                shown.join(", ")
            );
            let problem = Problem {
                severity: Severity::Advice,
                path: format!("security_groups[{g}].rules[{r}]"),
                object: format!("rule `{}` of security group `{}`", rule.id, group.id),
                field: String::new(),
                value: String::new(),
                message,
            };
            Lint::new(LintKind::HighRiskPort, problem).rule(&group.id, &rule.id)
        })
        .collect()
}
