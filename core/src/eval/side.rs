//! One instance, one direction: its groups in sequence order, each group's rules by priority
//! then deny before allow, the first match decides, nothing matched means deny. Under the
//! Alibaba profile the rules of all groups are one list in [`instance_order`]'s order.

use super::order::{group_order, instance_order, OrderKey};
use super::rule_match::{check_rule, rule_matches};
use super::trace::{GroupOutcome, GroupRef, GroupTrace, HopDecision, HopTrace, RuleTrace, TieBreak};
use crate::model::RemoteAddress;
use crate::model::{Action, Direction, Instance, SecurityGroup, World};
use crate::packet::Packet;
use crate::profile::{alibaba, CloudProfile};

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
    let profile = world.profile;
    let mut best: Option<(OrderKey, usize, usize, Action)> = None;
    for (seq, group_id) in instance.security_groups.iter().enumerate() {
        // Under a group-sequence profile the sequence leads the key: a later group cannot win.
        if best.is_some() && profile.sequences_groups() {
            break;
        }
        let Some(group) = world.group(group_id) else { continue };
        for (index, r) in group.rules.iter().enumerate() {
            if r.direction != direction || !rule_matches(world, r, packet, addr) {
                continue;
            }
            let key = OrderKey::of(profile, seq, index, r);
            if best.is_none_or(|(b, ..)| key < b) {
                best = Some((key, seq, index, r.action));
            }
        }
    }
    match best {
        Some((_, group, rule, action)) => SideDecision::Rule { group, rule, action },
        None => SideDecision::DefaultDeny,
    }
}

/// The tracer: the same decision with every group and rule it looked at.
pub fn trace_side(world: &World, instance: &Instance, direction: Direction, packet: &Packet, addr: RemoteAddress) -> HopTrace {
    if !world.profile.sequences_groups() {
        return trace_aggregated(world, instance, direction, packet, addr);
    }
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
                aggregated: Vec::new(),
            });
            continue;
        }
        let order: Vec<(&SecurityGroup, usize)> = group_order(group, direction).into_iter().map(|i| (group, i)).collect();
        let (rules, outcome, tie_break) = trace_rules(world, &order, None, packet, addr);
        if let GroupOutcome::Decided { rule_id, action } = &outcome {
            let priority = group.rules.iter().find(|r| &r.id == rule_id).map_or(0, |r| r.priority);
            decision = HopDecision::Rule { group_id: group.id.clone(), sequence, rule_id: rule_id.clone(), priority, action: *action };
        }
        groups.push(GroupTrace {
            group_id: group.id.clone(),
            group_name: group.name.clone(),
            sequence,
            of,
            outcome,
            rules,
            tie_break,
            aggregated: Vec::new(),
        });
    }
    hop(instance, direction, addr, decision, groups)
}

fn hop(instance: &Instance, direction: Direction, addr: RemoteAddress, decision: HopDecision, groups: Vec<GroupTrace>) -> HopTrace {
    HopTrace {
        instance_id: instance.id.clone(),
        instance_name: instance.display_name().to_string(),
        direction,
        remote_address: addr,
        decision,
        groups,
    }
}

/// Alibaba: one list, the rules of all the instance's groups sorted together by [`instance_order`].
fn trace_aggregated(world: &World, instance: &Instance, direction: Direction, packet: &Packet, addr: RemoteAddress) -> HopTrace {
    let refs: Vec<GroupRef> =
        instance.security_groups.iter().enumerate().filter_map(|(g, id)| world.group(id).map(|group| group_ref(group, g))).collect();
    let ranked = instance_order(world, instance, direction);
    let order: Vec<(&SecurityGroup, usize)> = ranked.iter().map(|r| (r.group, r.index())).collect();
    let sequences: Vec<usize> = ranked.iter().map(|r| r.sequence()).collect();
    let (rules, outcome, tie_break) = trace_rules(world, &order, Some(&sequences), packet, addr);
    let mut decision = HopDecision::DefaultDeny;
    if let (GroupOutcome::Decided { action, .. }, Some(at)) = (&outcome, rules.iter().position(|r| r.matched)) {
        let r = &ranked[at];
        decision = HopDecision::Rule {
            group_id: r.group.id.clone(),
            sequence: r.sequence() + 1,
            rule_id: r.rule.id.clone(),
            priority: r.rule.priority,
            action: *action,
        };
    }
    let group = GroupTrace {
        group_id: String::new(),
        group_name: refs.iter().map(|g| g.name.as_str()).collect::<Vec<_>>().join(", "),
        sequence: 1,
        of: 1,
        outcome,
        rules,
        tie_break,
        aggregated: refs,
    };
    hop(instance, direction, addr, decision, vec![group])
}

fn group_ref(group: &SecurityGroup, sequence: usize) -> GroupRef {
    GroupRef { id: group.id.clone(), name: group.name.clone(), sequence: sequence + 1, kind: group.kind }
}

/// Rules in evaluation order, each traced, up to the first that matches. `sequences` (an
/// aggregated list): each rule's group position, so the trace names its group.
fn trace_rules(
    world: &World,
    order: &[(&SecurityGroup, usize)],
    sequences: Option<&[usize]>,
    packet: &Packet,
    addr: RemoteAddress,
) -> (Vec<RuleTrace>, GroupOutcome, Option<TieBreak>) {
    let mut rules = Vec::new();
    let mut outcome = GroupOutcome::NoMatch;
    let mut tie_break = None;
    for (pos, &(group, i)) in order.iter().enumerate() {
        let Some(rule) = group.rules.get(i) else { continue };
        let checks = check_rule(world, rule, packet, addr);
        let matched = checks.iter().all(|c| c.passed);
        rules.push(RuleTrace {
            rule_id: rule.id.clone(),
            order: pos + 1,
            index: i,
            priority: rule.priority,
            action: rule.action,
            protocol_and_port: match world.profile {
                CloudProfile::Huawei => rule.protocol_and_port(),
                CloudProfile::Alibaba => alibaba::protocol_and_port(rule),
            },
            remote: remote_label(world, rule),
            checks,
            matched,
            group: sequences.and_then(|s| s.get(pos)).map(|&seq| group_ref(group, seq)),
            implicit: alibaba::is_implicit(rule),
        });
        if matched {
            outcome = GroupOutcome::Decided { rule_id: rule.id.clone(), action: rule.action };
            if rule.action == Action::Deny {
                // Would an allow rule of the same priority have matched too? Say it lost.
                let beaten: Vec<String> = order[pos + 1..]
                    .iter()
                    .filter_map(|&(g, j)| g.rules.get(j))
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
    (rules, outcome, tie_break)
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
