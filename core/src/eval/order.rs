//! The one definition of matching order.
//!
//! Huawei evaluates an instance's security groups in sequence order (1 first); inside a group
//! rules by priority (smallest first), deny before allow at equal priority; the first matching
//! rule decides. Written order breaks the remaining ties, so the order is total and "the first
//! matching rule" is always one rule.
//!
//! [`OrderKey`] is that order as a value; [`instance_order`] and [`group_order`] are the only
//! functions in the crate that sort rules. The tracer, the reference matcher, the compiled
//! [`crate::matcher::Matcher`], the advice and the analysis all consume them, so they cannot
//! disagree about which rule comes first. A second profile (Alibaba's aggregated sorting) only
//! supplies another key: [`CloudProfile::stage`] is the key's leading field, the group's
//! sequence under Huawei and 0 under Alibaba, where the rules of all groups compete on priority,
//! then Drop before Accept, and the group's sequence and the written order only break ties.
//! Inside one group both profiles order alike, so [`group_order`] needs no profile.

use crate::model::{Action, Direction, Instance, Rule, SecurityGroup, World};
use crate::profile::CloudProfile;

/// A rule's position in an instance's evaluation order for one direction.
/// Field order is comparison order: stage, priority, action (deny first), group sequence,
/// written index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OrderKey {
    /// The profile's group step ([`CloudProfile::stage`]): the sequence under Huawei, 0 under
    /// Alibaba.
    pub stage: usize,
    pub priority: u8,
    // INVARIANT: `Action::Deny < Action::Allow`, the tie-break at equal priority.
    pub action: Action,
    /// 0-based position of the rule's group on the instance (sequence number − 1).
    pub sequence: usize,
    /// 0-based position of the rule in its group as written.
    pub index: usize,
}

impl OrderKey {
    pub fn of(profile: CloudProfile, sequence: usize, index: usize, rule: &Rule) -> OrderKey {
        OrderKey { stage: profile.stage(sequence), priority: rule.priority, action: rule.action, sequence, index }
    }
}

/// One rule of an instance's side, with where it sits.
#[derive(Clone, Copy, Debug)]
pub struct Ranked<'w> {
    pub key: OrderKey,
    pub group: &'w SecurityGroup,
    pub rule: &'w Rule,
}

impl Ranked<'_> {
    /// 0-based position of the group on the instance.
    pub fn sequence(&self) -> usize {
        self.key.sequence
    }

    /// 0-based position of the rule in its group as written.
    pub fn index(&self) -> usize {
        self.key.index
    }
}

/// Every rule of `direction` of the instance's groups, in evaluation order. Groups the world
/// does not hold are skipped (validation refuses them).
pub fn instance_order<'w>(world: &'w World, instance: &Instance, direction: Direction) -> Vec<Ranked<'w>> {
    let mut out = Vec::new();
    for (sequence, group_id) in instance.security_groups.iter().enumerate() {
        if let Some(group) = world.group(group_id) {
            push_group(&mut out, world.profile, sequence, group, direction);
        }
    }
    out.sort_by_key(|r| r.key);
    out
}

/// The rules of `direction` of one group in evaluation order, as indices into `group.rules`.
pub fn group_order(group: &SecurityGroup, direction: Direction) -> Vec<usize> {
    let mut out = Vec::new();
    push_group(&mut out, CloudProfile::Huawei, 0, group, direction);
    out.sort_by_key(|r| r.key);
    out.into_iter().map(|r| r.index()).collect()
}

fn push_group<'w>(out: &mut Vec<Ranked<'w>>, profile: CloudProfile, sequence: usize, group: &'w SecurityGroup, direction: Direction) {
    for (index, rule) in group.rules.iter().enumerate() {
        if rule.direction == direction {
            out.push(Ranked { key: OrderKey::of(profile, sequence, index, rule), group, rule });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Ethertype, PortSet, ProtocolMatch, Remote};

    fn rule(id: &str, priority: u8, action: Action) -> Rule {
        Rule {
            id: id.into(),
            direction: Direction::Ingress,
            ethertype: Ethertype::IPv4,
            protocol: ProtocolMatch::Any,
            ports: PortSet::all(),
            action,
            priority,
            remote: Remote::Any,
            description: String::new(),
        }
    }

    #[test]
    fn priority_then_deny_then_written_order() {
        let group = SecurityGroup {
            id: "g".into(),
            rules: vec![
                rule("allow2", 2, Action::Allow),
                rule("allow1", 1, Action::Allow),
                rule("deny1", 1, Action::Deny),
                rule("allow1b", 1, Action::Allow),
            ],
            ..Default::default()
        };
        let ids: Vec<&str> = group_order(&group, Direction::Ingress).iter().map(|&i| group.rules[i].id.as_str()).collect();
        assert_eq!(ids, ["deny1", "allow1", "allow1b", "allow2"]);
        assert!(group_order(&group, Direction::Egress).is_empty());
    }

    #[test]
    fn groups_in_sequence_come_before_priority() {
        let first = SecurityGroup { id: "first".into(), rules: vec![rule("late", 100, Action::Allow)], ..Default::default() };
        let second = SecurityGroup { id: "second".into(), rules: vec![rule("early", 1, Action::Deny)], ..Default::default() };
        let world = World { security_groups: vec![second, first], ..Default::default() };
        let inst = Instance { id: "i".into(), security_groups: vec!["first".into(), "second".into(), "gone".into()], ..Default::default() };
        let ids: Vec<&str> = instance_order(&world, &inst, Direction::Ingress).iter().map(|r| r.rule.id.as_str()).collect();
        assert_eq!(ids, ["late", "early"]);
    }

    #[test]
    fn alibaba_sorts_all_groups_together_drop_first_then_sequence() {
        let first = SecurityGroup {
            id: "first".into(),
            rules: vec![rule("late", 100, Action::Allow), rule("tie-accept", 5, Action::Allow)],
            ..Default::default()
        };
        let second = SecurityGroup {
            id: "second".into(),
            rules: vec![rule("early", 1, Action::Deny), rule("tie-accept-2", 5, Action::Allow), rule("tie-drop", 5, Action::Deny)],
            ..Default::default()
        };
        let world = World { security_groups: vec![second, first], profile: CloudProfile::Alibaba, ..Default::default() };
        let inst = Instance { id: "i".into(), security_groups: vec!["first".into(), "second".into()], ..Default::default() };
        let ids: Vec<&str> = instance_order(&world, &inst, Direction::Ingress).iter().map(|r| r.rule.id.as_str()).collect();
        assert_eq!(ids, ["early", "tie-drop", "tie-accept", "tie-accept-2", "late"]);
    }
}
