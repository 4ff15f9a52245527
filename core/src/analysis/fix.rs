//! The minimal fix for a denied packet: the smallest rule change that lets exactly that flow in.
//!
//! For each side that denies (the source's outbound, then the destination's inbound: a fix of
//! one side can reveal a deny on the other, and both get fixed), one allow rule matching only
//! the packet's flow: its direction and ethertype, its protocol, its destination port, and the
//! address the side compares (`/32` or `/128`). Where it goes follows the evaluation order:
//! - no rule matched: any allow decides, so the instance's first group at priority 1;
//! - a deny rule decided at priority `p > 1`: the deny's own group at priority `p - 1` (at `p`
//!   the deny would still win the tie);
//! - a deny at priority 1 in group `k > 1`: the first group (earlier groups are consulted first;
//!   not under Alibaba, where all groups' rules are sorted together and the deny is deleted);
//! - a deny at priority 1 in the first group comes before everything: no added rule can beat
//!   it, so the fix deletes that deny, and the collateral says what that opens.
//!
//! The edits are the scenario's own change steps (`ChangeSpec`), so the playground applies them
//! as an ordinary edit and a sequence can replay them. What else a fix lets in is the exact
//! what-if diff of the world before and after it ([`super::diff`]): an added rule opens its flow
//! on every instance of its group; a deleted deny can open much more, and the diff says what.

use super::diff::{diff, Change, WorldDiff};
use super::shadow::Skipped;
use crate::eval::{evaluate, HopDecision, RemoteAddress, Verdict};
use crate::model::protocol::{protocol_name, TCP, UDP};
use crate::model::{Direction, Ethertype, World};
use crate::packet::Packet;
use crate::scenario::{ChangeSpec, RuleSpec};
use crate::sim::change::Change as Edit;
use serde::Serialize;

/// One step of the fix, with why it sits where it sits.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FixStep {
    pub edit: ChangeSpec,
    pub instance: String,
    pub direction: Direction,
    pub why: String,
}

impl FixStep {
    /// The edit in words: "add to `sg-b` an inbound allow rule `fix-1`: tcp 3306 from
    /// 192.168.0.10/32, priority 1", "delete rule `A01` of `sg-a`".
    pub fn describe(&self) -> String {
        let text = |v: &Option<serde_json::Value>| match v {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        match &self.edit {
            ChangeSpec::AddRule { group, rule } => {
                let side = if self.direction == Direction::Ingress { "inbound" } else { "outbound" };
                let (protocol, ports) = (text(&rule.protocol), text(&rule.multiport));
                let what = if ports.is_empty() { protocol } else { format!("{protocol} {ports}") };
                let remote = rule.remote_ip_prefix.clone().unwrap_or_default();
                let towards = if self.direction == Direction::Ingress { "from" } else { "to" };
                format!(
                    "add to `{group}` an {side} {} rule `{}`: {what} {towards} {remote}, priority {}",
                    rule.action.as_deref().unwrap_or("allow"),
                    rule.id.as_deref().unwrap_or("?"),
                    text(&rule.priority)
                )
            }
            ChangeSpec::DeleteRule { group, rule_id } => format!("delete rule `{rule_id}` of `{group}`"),
            other => serde_json::to_string(other).unwrap_or_default(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum FixOutcome {
    /// The packet is allowed already.
    AlreadyAllowed,
    /// `changes`: every region of packets whose verdict the fix changes, the asked packet's
    /// among them ([`super::diff`], exact); `skipped` says what the diff could not compare.
    Fixed { steps: Vec<FixStep>, changes: Vec<Change>, skipped: Vec<Skipped> },
    /// No rule change can let it in (e.g. the path has no security group that denies it but
    /// something else does).
    Impossible { reason: String },
}

pub fn fix(world: &World, packet: &Packet) -> FixOutcome {
    let mut fixed = world.clone();
    let mut steps = Vec::new();
    // At most two steps per side: deleting a first deny can leave nothing that allows, and then
    // an allow is added too.
    for _ in 0..4 {
        let eval = evaluate(&fixed, packet);
        if eval.verdict == Verdict::Allow {
            break;
        }
        let Some(hop) = eval.denied_at() else { break };
        let Some(instance) = fixed.instance(&hop.instance_id).cloned() else { break };
        let step = match &hop.decision {
            HopDecision::DefaultDeny => {
                let Some(first) = instance.security_groups.first() else { break };
                let why = format!(
                    "no rule of {}'s {} rules matched: any allow decides, so `{first}` (its first group) at priority 1",
                    instance.id, hop.direction
                );
                add_allow(&fixed, first, 1, hop.direction, hop.remote_address, packet, &instance.id, why)
            }
            HopDecision::Rule { group_id, rule_id, priority, .. } if *priority > 1 => {
                let why = format!(
                    "deny rule `{rule_id}` of `{group_id}` decided at priority {priority}: an allow at priority {} of the same group comes first (at {priority} the deny would win the tie)",
                    priority - 1
                );
                add_allow(&fixed, group_id, priority - 1, hop.direction, hop.remote_address, packet, &instance.id, why)
            }
            // Only a group-sequence profile lets an earlier group beat a deny at priority 1.
            HopDecision::Rule { group_id, sequence, rule_id, .. } if *sequence > 1 && fixed.profile.sequences_groups() => {
                let Some(first) = instance.security_groups.first() else { break };
                let why = format!(
                    "deny rule `{rule_id}` is at priority 1 in `{group_id}`, group {sequence} of {}: an allow in `{first}`, group 1, is consulted first",
                    instance.id
                );
                add_allow(&fixed, first, 1, hop.direction, hop.remote_address, packet, &instance.id, why)
            }
            HopDecision::Rule { group_id, rule_id, .. } => FixStep {
                edit: ChangeSpec::DeleteRule { group: group_id.clone(), rule_id: rule_id.clone() },
                instance: instance.id.clone(),
                direction: hop.direction,
                why: if fixed.profile.sequences_groups() {
                    format!(
                        "deny rule `{rule_id}` is at priority 1 in `{group_id}`, the first group of {}: it comes before every rule an edit could add, so only removing (or narrowing) it lets the packet in",
                        instance.id
                    )
                } else {
                    format!(
                        "Drop rule `{rule_id}` of `{group_id}` is at priority 1: Alibaba sorts all of {}'s groups together and a Drop wins every tie, so only removing (or narrowing) it lets the packet in",
                        instance.id
                    )
                },
            },
            other => {
                return FixOutcome::Impossible {
                    reason: format!("{} {} denies it for a reason no rule change touches ({other:?})", instance.id, hop.direction),
                }
            }
        };
        match Edit::from_spec(&step.edit, &fixed, "fix") {
            Ok(change) => change.apply_to(&mut fixed),
            Err(problems) => {
                let reasons: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
                return FixOutcome::Impossible { reason: format!("the fix would not be a valid edit: {}", reasons.join("; ")) };
            }
        }
        steps.push(step);
    }
    if steps.is_empty() {
        return FixOutcome::AlreadyAllowed;
    }
    if evaluate(&fixed, packet).verdict != Verdict::Allow {
        let tried: Vec<String> = steps.iter().map(|s| s.why.clone()).collect();
        return FixOutcome::Impossible {
            reason: format!("after fixing both sides the packet is still denied (tried: {})", tried.join("; ")),
        };
    }
    let WorldDiff { changes, skipped, .. } = diff(world, &fixed);
    FixOutcome::Fixed { steps, changes, skipped }
}

#[allow(clippy::too_many_arguments)]
fn add_allow(
    world: &World,
    group: &str,
    priority: u8,
    direction: Direction,
    remote: RemoteAddress,
    packet: &Packet,
    instance: &str,
    mut why: String,
) -> FixStep {
    let family = remote.family();
    // Exactly the flow's remote; an unknown public source is matched only by every address.
    let prefix = match (remote, family) {
        (RemoteAddress::Known(addr), Ethertype::IPv4) => format!("{addr}/32"),
        (RemoteAddress::Known(addr), Ethertype::IPv6) => format!("{addr}/128"),
        (RemoteAddress::UnknownPublic { .. }, Ethertype::IPv4) => "0.0.0.0/0".to_string(),
        (RemoteAddress::UnknownPublic { .. }, Ethertype::IPv6) => "::/0".to_string(),
    };
    if !remote.is_known() {
        why.push_str(&format!(
            "; the source's public address is unknown (no EIP, no NAT gateway), so only a rule open to every address, {prefix}, matches it: to admit that source alone, give it an EIP or its subnet a NAT gateway and allow that address instead"
        ));
    }
    let taken = |id: &str| world.group(group).is_some_and(|g| g.rules.iter().any(|r| r.id == id));
    let id = (1..).map(|n| format!("fix-{n}")).find(|id| !taken(id)).unwrap_or_else(|| "fix".into());
    let ported = matches!(packet.protocol, TCP | UDP);
    let rule = RuleSpec {
        id: Some(id),
        direction: Some(if direction == Direction::Ingress { "ingress" } else { "egress" }.into()),
        ethertype: Some(family.to_string()),
        protocol: Some(serde_json::Value::String(protocol_name(packet.protocol))),
        multiport: ported.then(|| serde_json::Value::String(packet.dst_port.to_string())),
        action: Some("allow".into()),
        priority: Some(serde_json::Value::from(priority)),
        remote_ip_prefix: Some(prefix),
        description: Some("added by sgplay fix".into()),
        ..RuleSpec::default()
    };
    FixStep { edit: ChangeSpec::AddRule { group: group.to_string(), rule }, instance: instance.to_string(), direction, why }
}
