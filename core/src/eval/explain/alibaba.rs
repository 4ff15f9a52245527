//! The Alibaba profile's sentences: one aggregated list instead of groups in sequence, Accept
//! and Drop, `PortRange`, authorization objects, and the implicit rules named as such.

use super::{ordinal, Step, StepKind};
use crate::eval::trace::{Field, GroupOutcome, GroupTrace, HopDecision, HopTrace, RuleTrace};
use crate::model::Action;
use crate::profile::{alibaba::policy, GroupKind};

/// Is this hop traced as Alibaba's aggregated list?
pub fn is_aggregated(hop: &HopTrace) -> bool {
    hop.groups.first().is_some_and(GroupTrace::is_aggregated)
}

pub fn hop_steps(h: usize, hop: &HopTrace, out: &mut Vec<Step>) {
    let at = |kind, sentence| Step { hop: Some(h), ..Step::new(kind, sentence) };
    let what = match hop.direction {
        crate::model::Direction::Egress => format!("destination {}", hop.remote_address),
        crate::model::Direction::Ingress => format!("source {}", hop.remote_address),
    };
    let Some(list) = hop.groups.first() else { return };
    let n = list.aggregated.len();
    let groups = if n == 1 { "1 security group".to_string() } else { format!("{n} security groups") };
    out.push(at(StepKind::Hop, format!("{} {} rules ({what}, {groups}, Alibaba Cloud)", hop.instance_name, hop.direction)));
    let kinds: Vec<String> = list.aggregated.iter().map(|g| format!("{} ({})", g.name, kind_words(g.kind))).collect();
    out.push(at(
        StepKind::Group,
        format!(
            "the rules of {} sorted together: priority 1 first, Drop before Accept at equal priority, no group sequence",
            kinds.join(", ")
        ),
    ));
    if list.rules.is_empty() {
        out.push(at(StepKind::GroupResult, format!("no rules in this direction: {}", empty_words(hop.direction))));
    }
    super::rule_steps(list, &at, ["Drop", "Accept"], out);
    if list.outcome == GroupOutcome::NoMatch && !list.rules.is_empty() {
        out.push(at(StepKind::GroupResult, "no rule of the aggregated list matched".to_string()));
    }
    let mut decision = at(StepKind::Decision, decision_sentence(hop));
    decision.passed = Some(hop.verdict().is_allow());
    if let HopDecision::Rule { group_id, rule_id, .. } = &hop.decision {
        decision.group_id = Some(group_id.clone());
        decision.rule_id = Some(rule_id.clone());
    }
    out.push(decision);
}

fn kind_words(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::Basic => "basic",
        GroupKind::BasicIsolated => "basic, InnerAccessPolicy Drop",
        GroupKind::Enterprise => "enterprise",
    }
}

fn empty_words(direction: crate::model::Direction) -> &'static str {
    match direction {
        crate::model::Direction::Ingress => "a security group with no rules denies all inbound access",
        crate::model::Direction::Egress => "enterprise security groups deny all outbound access by default",
    }
}

/// "rule allow-ssh of web (1st in the aggregated order, row 2 as written), priority 1, Accept,
/// TCP PortRange 22/22, authorization object 0.0.0.0/0: matches — …".
pub fn rule_sentence(rule: &RuleTrace) -> String {
    let group = rule.group.as_ref().map_or(String::new(), |g| format!(" of {}", g.name));
    let head = if rule.implicit {
        let what = if rule.rule_id.contains("inner") { "a basic group lets its members in" } else { "a basic group lets everything out" };
        format!(
            "implicit rule {}{group} ({} in the aggregated order: {what}, lowest priority of all), {}, {}",
            rule.rule_id,
            ordinal(rule.order),
            policy(rule.action),
            rule.protocol_and_port
        )
    } else {
        format!(
            "rule {}{group} ({} in the aggregated order, row {} as written), priority {}, {}, {}, authorization object {}",
            rule.rule_id,
            ordinal(rule.order),
            rule.index + 1,
            rule.priority,
            policy(rule.action),
            rule.protocol_and_port,
            rule.remote
        )
    };
    if rule.matched {
        let reasons: Vec<&str> =
            rule.checks.iter().filter(|c| matches!(c.field, Field::Port | Field::Remote)).map(|c| c.detail.as_str()).collect();
        format!("{head}: matches — {}", reasons.join(" and "))
    } else {
        let reasons: Vec<&str> = rule.failed_checks().map(|c| c.detail.as_str()).collect();
        format!("{head}: no match — {}", reasons.join("; "))
    }
}

fn decision_sentence(hop: &HopTrace) -> String {
    let side = format!("{} {}", hop.instance_name, hop.direction);
    match &hop.decision {
        HopDecision::Rule { group_id, rule_id, action, priority, .. } => {
            let group = hop
                .groups
                .first()
                .and_then(|l| l.aggregated.iter().find(|g| &g.id == group_id))
                .map_or(group_id.as_str(), |g| g.name.as_str());
            let verb = if *action == Action::Allow { "accepted" } else { "dropped" };
            if crate::profile::alibaba::is_implicit_priority(*priority) {
                format!("{side}: {verb} by implicit rule {rule_id} of {group}")
            } else {
                format!("{side}: {verb} by rule {rule_id} (priority {priority}) of {group}")
            }
        }
        HopDecision::DefaultDeny => {
            format!("{side}: no rule matched: dropped by default (no implicit rule of these groups lets this traffic through)")
        }
        _ => super::decision_sentence(hop),
    }
}
