//! The rules table as data: which rows a group shows for a direction, in evaluation order or
//! in written order, each with its evaluation position from the engine, where it comes from in
//! the document, and which row the packet tester's current step points at. Pure.

use crate::state::Sent;
use sgplay_core::eval::{group_order, side::remote_label, StepKind};
use sgplay_core::model::{Action, Direction, Rule, SecurityGroup};
use sgplay_core::profile::CloudProfile;
use sgplay_core::{Scenario, World};

/// Where a rule of the validated group comes from in the document: the engine records it
/// while building the world (`Scenario::source_map`).
pub use sgplay_core::scenario::source_map::RuleOrigin as Origin;

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Index in the validated group's rules.
    pub index: usize,
    pub rule: Rule,
    /// 1-based position in evaluation order for this direction.
    pub order: usize,
    pub origin: Origin,
    /// The console's Source/Destination cell.
    pub remote: String,
}

/// The document origin of every rule of validated group `group_id`, in the group's order.
pub fn origins(scenario: &Scenario, group_id: &str) -> Vec<Origin> {
    let index = scenario.world.security_groups.iter().position(|g| g.id == group_id);
    index.and_then(|i| scenario.source_map.groups.get(i)).map(|g| g.rules.clone()).unwrap_or_default()
}

/// The rows of `group` for `direction`, in evaluation order (`by_evaluation`) or written order.
pub fn rows(world: &World, group: &SecurityGroup, origins: &[Origin], direction: Direction, by_evaluation: bool) -> Vec<Row> {
    let order = group_order(group, direction);
    let mut out: Vec<Row> = order
        .iter()
        .enumerate()
        .filter_map(|(pos, &index)| {
            let rule = group.rules.get(index)?;
            Some(Row {
                index,
                rule: rule.clone(),
                order: pos + 1,
                origin: origins.get(index).copied().unwrap_or(Origin::Engine),
                remote: remote_label(world, rule),
            })
        })
        .collect();
    if !by_evaluation {
        out.sort_by_key(|r| r.index);
    }
    out
}

/// "1st", "2nd", "3rd", "11th", "22nd": the engine's, so the table and the trace agree.
pub use sgplay_core::eval::explain::ordinal;

/// The tooltip of the evaluation-position cell, in the profile's words.
pub fn order_tooltip(order: usize, profile: CloudProfile) -> String {
    format!("evaluated {}{}", ordinal(order), order_rule(profile))
}

/// How the rules are ordered: ": priority, then deny before allow"; under Alibaba the position
/// is within the group, whose rules are sorted with those of the instance's other groups.
pub fn order_rule(profile: CloudProfile) -> String {
    let (deny, allow) = (profile.action_word(Action::Deny).to_lowercase(), profile.action_word(Action::Allow).to_lowercase());
    match profile {
        CloudProfile::Huawei => format!(": priority, then {deny} before {allow}"),
        CloudProfile::Alibaba => {
            format!(" in this group: priority, then {deny} before {allow} (sorted together with the rules of the instance's other groups)")
        }
    }
}

/// What the tester's current step points at in the groups panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentStep {
    pub group_id: String,
    pub direction: Direction,
    /// The rule the step is about, if any (rule steps, tie-breaks, decisions).
    pub rule_id: Option<String>,
    /// Did that rule match the packet.
    pub matched: bool,
}

/// The step the tester shows last (`cursor` steps are shown), if it is about a group.
pub fn current_step(sent: &Sent, cursor: usize) -> Option<CurrentStep> {
    let step = sent.steps.get(cursor.checked_sub(1)?)?;
    let group_id = step.group_id.clone()?;
    let hop = sent.delivery.evaluation.hops.get(step.hop?)?;
    let matched = match step.kind {
        StepKind::Rule => step.passed.unwrap_or(false),
        // A decision or tie-break names the rule that matched and decided.
        StepKind::Decision | StepKind::TieBreak => true,
        _ => false,
    };
    Some(CurrentStep { group_id, direction: hop.direction, rule_id: step.rule_id.clone(), matched })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gallery;
    use sgplay_core::conntrack::timeouts::Profile;
    use sgplay_core::scenario::ProbeSpec;
    use sgplay_core::sim::Simulator;
    use sgplay_core::ScenarioSpec;

    fn doc() -> ScenarioSpec {
        ScenarioSpec::parse(
            r#"{"security_groups":[{"id":"sg","template":"default","rules":[
                {"id":"allow-web","direction":"ingress","priority":5,"protocol":"tcp","multiport":"80","remote_ip_prefix":"10.0.0.0/24, 10.0.1.0/24"},
                {"id":"deny-all","direction":"ingress","priority":5,"action":"deny"},
                {"id":"first","direction":"ingress","priority":2,"action":"allow","remote_ip_prefix":"10.9.0.0/16"}
            ]}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn origins_follow_templates_and_comma_expansion() {
        let scenario = doc().build().unwrap();
        let o = origins(&scenario, "sg");
        assert_eq!(o.len(), 4 + 2 + 1 + 1);
        assert_eq!(o[0], Origin::Template { position: 0 });
        assert_eq!(o[4], Origin::Spec { index: 0, part: 0, parts: 2 });
        assert_eq!(o[5], Origin::Spec { index: 0, part: 1, parts: 2 });
        assert_eq!(o[7], Origin::Spec { index: 2, part: 0, parts: 1 });
        assert!(origins(&scenario, "default").is_empty(), "no such group");
    }

    #[test]
    fn rows_in_evaluation_and_written_order() {
        let scenario = doc().build().unwrap();
        let world = &scenario.world;
        let group = world.group("sg").unwrap();
        let o = origins(&scenario, "sg");
        let by_eval = rows(world, group, &o, Direction::Ingress, true);
        let ids: Vec<&str> = by_eval.iter().map(|r| r.rule.id.as_str()).collect();
        assert_eq!(ids, ["sg-in-ipv4-self", "sg-in-ipv6-self", "first", "deny-all", "allow-web", "allow-web-2"]);
        assert_eq!(by_eval.iter().map(|r| r.order).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6]);
        let written = rows(world, group, &o, Direction::Ingress, false);
        let ids: Vec<&str> = written.iter().map(|r| r.rule.id.as_str()).collect();
        assert_eq!(ids, ["sg-in-ipv4-self", "sg-in-ipv6-self", "allow-web", "allow-web-2", "deny-all", "first"]);
        assert_eq!(written[4].order, 4, "deny-all is evaluated 4th whatever the display order");
        assert_eq!(rows(world, group, &o, Direction::Egress, true).len(), 2);
    }

    #[test]
    fn ordinals() {
        let words: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101].into_iter().map(ordinal).collect();
        assert_eq!(words, ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"]);
        assert_eq!(order_tooltip(3, CloudProfile::Huawei), "evaluated 3rd: priority, then deny before allow");
        assert!(order_tooltip(1, CloudProfile::Alibaba).starts_with("evaluated 1st in this group: priority, then drop before accept"));
    }

    #[test]
    fn the_current_step_names_group_direction_and_rule() {
        let spec = gallery::load(gallery::DEFAULT_SLUG).unwrap();
        let world = spec.build().unwrap().world;
        let mut sim = Simulator::new(world, Profile::Huawei);
        let probe =
            ProbeSpec { from: "ecs-a01".into(), to: "ecs-b01".into(), protocol: "tcp".into(), port: Some(80), ..Default::default() };
        let packet = probe.resolve(sim.world()).unwrap();
        let delivery = sim.send(&packet);
        let steps = sgplay_core::eval::steps(&delivery.evaluation);
        let sent = Sent { delivery, steps, is_reply: false, after_edit: 0, serial: 1 };
        let rule_step = sent.steps.iter().position(|s| s.rule_id.as_deref() == Some("B01")).unwrap();
        let current = current_step(&sent, rule_step + 1).unwrap();
        assert_eq!(
            current,
            CurrentStep { group_id: "sg-b".into(), direction: Direction::Ingress, rule_id: Some("B01".into()), matched: false }
        );
        assert_eq!(current_step(&sent, 1), None, "the packet step is about no group");
        assert_eq!(current_step(&sent, 0), None);
        assert_eq!(current_step(&sent, 999), None);
    }
}
