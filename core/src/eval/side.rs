//! One instance, one direction: its groups in sequence order, each group's rules by priority
//! then deny before allow, the first match decides, nothing matched means deny.

#[cfg(doc)]
use super::order::instance_order;
use super::order::{group_order, OrderKey};
use super::rule_match::{check_rule, rule_matches};
use super::trace::{GroupOutcome, GroupTrace, HopDecision, HopTrace, RuleTrace, TieBreak};
use crate::model::RemoteAddress;
use crate::model::{Action, Direction, Instance, SecurityGroup, World};
use crate::packet::Packet;

/// The deciding rule, located by group sequence (0-based) and rule index in that group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SideDecision {
    Rule { group: usize, rule: usize, action: Action },
    DefaultDeny,
}

impl SideDecision {
    pub fn allows(self) -> bool {
        matches!(self, SideDecision::Rule { action: Action::Allow, .. })
    }
}

/// The matcher of reference: of the rules that match, the first in evaluation order decides
/// (the smallest [`OrderKey`]; [`instance_order`] is the same order, sorted).
pub fn decide_side(world: &World, instance: &Instance, direction: Direction, packet: &Packet, addr: RemoteAddress) -> SideDecision {
    // The sequence is the key's first field: the first group with a match holds the smallest key.
    for (seq, group_id) in instance.security_groups.iter().enumerate() {
        let Some(group) = world.group(group_id) else { continue };
        let best = group
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.direction == direction && rule_matches(world, r, packet, addr))
            .min_by_key(|(index, r)| OrderKey::of(seq, *index, r));
        if let Some((rule, r)) = best {
            return SideDecision::Rule { group: seq, rule, action: r.action };
        }
    }
    SideDecision::DefaultDeny
}

/// The tracer: the same decision with every group and rule it looked at.
pub fn trace_side(world: &World, instance: &Instance, direction: Direction, packet: &Packet, addr: RemoteAddress) -> HopTrace {
    let of = instance.security_groups.len();
    let mut groups = Vec::with_capacity(of);
    let mut decision = HopDecision::DefaultDeny;
    for (g, group_id) in instance.security_groups.iter().enumerate() {
        let sequence = g + 1;
        let Some(group) = world.group(group_id) else { continue };
        if !matches!(decision, HopDecision::DefaultDeny) {
            groups.push(GroupTrace {
                group_id: group.id.clone(),
                group_name: group.name.clone(),
                sequence,
                of,
                outcome: GroupOutcome::NotConsulted,
                rules: Vec::new(),
                tie_break: None,
            });
            continue;
        }
        let trace = trace_group(world, group, sequence, of, direction, packet, addr);
        if let GroupOutcome::Decided { rule_id, action } = &trace.outcome {
            let priority = group.rules.iter().find(|r| &r.id == rule_id).map_or(0, |r| r.priority);
            decision = HopDecision::Rule { group_id: group.id.clone(), sequence, rule_id: rule_id.clone(), priority, action: *action };
        }
        groups.push(trace);
    }
    HopTrace {
        instance_id: instance.id.clone(),
        instance_name: instance.display_name().to_string(),
        direction,
        remote_address: addr,
        decision,
        groups,
    }
}

fn trace_group(
    world: &World,
    group: &SecurityGroup,
    sequence: usize,
    of: usize,
    direction: Direction,
    packet: &Packet,
    addr: RemoteAddress,
) -> GroupTrace {
    let order = group_order(group, direction);
    let mut rules = Vec::new();
    let mut outcome = GroupOutcome::NoMatch;
    let mut tie_break = None;
    for (pos, &i) in order.iter().enumerate() {
        let rule = &group.rules[i];
        let checks = check_rule(world, rule, packet, addr);
        let matched = checks.iter().all(|c| c.passed);
        rules.push(RuleTrace {
            rule_id: rule.id.clone(),
            order: pos + 1,
            index: i,
            priority: rule.priority,
            action: rule.action,
            protocol_and_port: rule.protocol_and_port(),
            remote: remote_label(world, rule),
            checks,
            matched,
        });
        if matched {
            outcome = GroupOutcome::Decided { rule_id: rule.id.clone(), action: rule.action };
            if rule.action == Action::Deny {
                // Would an allow rule of the same priority have matched too? Say it lost.
                let beaten: Vec<String> = order[pos + 1..]
                    .iter()
                    .map(|&j| &group.rules[j])
                    .filter(|r| r.priority == rule.priority && r.action == Action::Allow && rule_matches(world, r, packet, addr))
                    .map(|r| r.id.clone())
                    .collect();
                if !beaten.is_empty() {
                    tie_break = Some(TieBreak { priority: rule.priority, deny_rule: rule.id.clone(), beaten_allow_rules: beaten });
                }
            }
            break;
        }
    }
    GroupTrace { group_id: group.id.clone(), group_name: group.name.clone(), sequence, of, outcome, rules, tie_break }
}

/// The console's Source/Destination column, with group names resolved.
pub fn remote_label(world: &World, rule: &crate::model::Rule) -> String {
    use crate::model::Remote;
    match &rule.remote {
        Remote::Any => match rule.ethertype {
            crate::model::Ethertype::IPv4 => "0.0.0.0/0".into(),
            crate::model::Ethertype::IPv6 => "::/0".into(),
        },
        Remote::Prefix(net) => net.to_string(),
        Remote::Group(id) => format!("security group {}", world.group(id).map_or(id.as_str(), |g| g.name.as_str())),
        Remote::AddressGroup(id) => format!("IP address group {}", world.address_group(id).map_or(id.as_str(), |g| g.name.as_str())),
    }
}
