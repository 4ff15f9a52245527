//! A trace as a sequence of steps, one sentence each: what the step-through tester shows one at
//! a time and what the CLI prints. Pure function of the `Evaluation`.

mod alibaba;

use super::trace::{Evaluation, GroupOutcome, GroupTrace, HopDecision, HopTrace, Reachability, RuleTrace};
use crate::model::{Action, Place};
use crate::profile::CloudProfile;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// What is being evaluated.
    Packet,
    /// An interpretation or fact about the path.
    Note,
    /// Whether the packet could arrive at all (shown when it could not).
    Path,
    /// Entering one side: an instance's outbound or inbound rules.
    Hop,
    /// Entering one security group of that side.
    Group,
    /// One rule tested.
    Rule,
    /// A deny rule beat allow rules of the same priority.
    TieBreak,
    /// A group where nothing matched, or one not consulted.
    GroupResult,
    /// What decided the side.
    Decision,
    /// The final answer.
    Verdict,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub kind: StepKind,
    pub sentence: String,
    /// Index into `Evaluation::hops`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hop: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    /// For rule steps: did the rule match. For decisions and the verdict: was it allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed: Option<bool>,
}

impl Step {
    fn new(kind: StepKind, sentence: String) -> Step {
        Step { kind, sentence, hop: None, group_id: None, rule_id: None, passed: None }
    }
}

/// Every step of the evaluation, in the order the engine took them.
pub fn steps(eval: &Evaluation) -> Vec<Step> {
    let mut out =
        vec![Step::new(StepKind::Packet, format!("{}: from {} to {}", eval.packet, describe_place(&eval.from), describe_place(&eval.to)))];
    if !eval.path.is_reachable() {
        let mut path = Step::new(StepKind::Path, format!("path: {}", describe_path(&eval.path)));
        path.passed = Some(false);
        out.push(path);
    }
    out.extend(eval.notes.iter().map(|n| Step::new(StepKind::Note, n.clone())));
    for (h, hop) in eval.hops.iter().enumerate() {
        hop_steps(h, hop, &mut out);
    }
    let mut verdict = Step::new(StepKind::Verdict, verdict_sentence(eval));
    verdict.passed = Some(eval.verdict.is_allow());
    out.push(verdict);
    out
}

/// The path outcome in one sentence.
pub fn describe_path(path: &Reachability) -> String {
    match path {
        Reachability::Reachable => "reachable".into(),
        Reachability::NoPeering { from_vpc, to_vpc } => format!(
            "not reachable: {from_vpc} and {to_vpc} are different VPCs with no peering between them; the security group verdict is shown anyway"
        ),
        Reachability::PrivateFromOutside { to } => format!(
            "not reachable: a packet from outside the VPCs cannot be addressed to a private address{}; reach it at an EIP. The security group verdict is shown anyway",
            to.as_ref().map_or(String::new(), |t| format!(" of {t}"))
        ),
        Reachability::NoPublicAddress { from } => format!(
            "not reachable: {from} has no EIP and its subnet no NAT gateway SNAT, so it has no address on the Internet; the security group verdict is shown anyway"
        ),
    }
}

fn describe_place(place: &Place) -> String {
    match place {
        Place::Instance { name, address, via, .. } => format!("{name} ({} {address})", via.label()),
        Place::Unassigned { address, vpc_id } => format!("{address} (unassigned, in {vpc_id})"),
        Place::Internet { address } if crate::model::is_private_range(*address) => {
            format!("{address}, an address outside the modelled VPCs")
        }
        Place::Internet { address } => format!("the Internet ({address}, outside the modelled VPCs)"),
    }
}

fn hop_steps(h: usize, hop: &HopTrace, out: &mut Vec<Step>) {
    if alibaba::is_aggregated(hop) {
        return alibaba::hop_steps(h, hop, out);
    }
    let with_hop = |mut s: Step| {
        s.hop = Some(h);
        s
    };
    let what = match hop.direction {
        crate::model::Direction::Egress => format!("destination {}", hop.remote_address),
        crate::model::Direction::Ingress => format!("source {}", hop.remote_address),
    };
    let groups = match hop.groups.len() {
        0 => String::new(),
        1 => ", 1 security group".to_string(),
        n => format!(", {n} security groups in sequence"),
    };
    out.push(with_hop(Step::new(StepKind::Hop, format!("{} {} rules ({what}{groups})", hop.instance_name, hop.direction))));
    for group in &hop.groups {
        group_steps(group, out, h);
    }
    let mut decision = with_hop(Step::new(StepKind::Decision, decision_sentence(hop)));
    decision.passed = Some(hop.verdict().is_allow());
    if let HopDecision::Rule { group_id, rule_id, .. } = &hop.decision {
        decision.group_id = Some(group_id.clone());
        decision.rule_id = Some(rule_id.clone());
    }
    out.push(decision);
}

fn group_steps(group: &GroupTrace, out: &mut Vec<Step>, h: usize) {
    let at = |kind, sentence| Step { hop: Some(h), group_id: Some(group.group_id.clone()), ..Step::new(kind, sentence) };
    if group.outcome == GroupOutcome::NotConsulted {
        out.push(at(
            StepKind::GroupResult,
            format!("group {} of {}: {} not consulted, an earlier group decided", group.sequence, group.of, group.group_name),
        ));
        return;
    }
    out.push(at(StepKind::Group, format!("group {} of {}: {}", group.sequence, group.of, group.group_name)));
    if group.rules.is_empty() {
        out.push(at(StepKind::GroupResult, format!("{} has no rules in this direction", group.group_name)));
    }
    rule_steps(group, &at, ["deny", "allow"], out);
    if group.outcome == GroupOutcome::NoMatch && !group.rules.is_empty() {
        let next = if group.sequence < group.of { "on to the next group" } else { "no groups left" };
        out.push(at(StepKind::GroupResult, format!("no rule of {} matched: {next}", group.group_name)));
    }
}

/// One step per rule of a list, then its tie-break in the profile's words (`[deny, allow]`).
fn rule_steps(list: &GroupTrace, at: &dyn Fn(StepKind, String) -> Step, words: [&str; 2], out: &mut Vec<Step>) {
    for rule in &list.rules {
        let mut s = at(StepKind::Rule, rule_sentence(rule));
        if let Some(group) = &rule.group {
            s.group_id = Some(group.id.clone());
        }
        s.rule_id = Some(rule.rule_id.clone());
        s.passed = Some(rule.matched);
        out.push(s);
    }
    if let Some(tie) = &list.tie_break {
        let [deny, allow] = words;
        let beaten = tie.beaten_allow_rules.join(", ");
        let plural = if tie.beaten_allow_rules.len() > 1 { "s" } else { "" };
        let sentence =
            format!("{deny} rule {} beats {allow} rule{plural} {beaten} at priority {}: {deny} wins a tie", tie.deny_rule, tie.priority);
        let mut s = at(StepKind::TieBreak, sentence);
        s.rule_id = Some(tie.deny_rule.clone());
        out.push(s);
    }
}

/// "rule A02 (2nd in evaluation order, row 4 as written), priority 1, deny: tcp 22 is in 22,25,27
/// and 10.0.0.7 is in 10.0.0.0/8". Both positions, because a console user reads "rule 1" as the
/// first row of the table, which is not the first rule evaluated.
pub fn rule_sentence(rule: &RuleTrace) -> String {
    if rule.group.is_some() {
        return alibaba::rule_sentence(rule);
    }
    let head = format!(
        "rule {} ({} in evaluation order, row {} as written), priority {}, {}",
        rule.rule_id,
        ordinal(rule.order),
        rule.index + 1,
        rule.priority,
        rule.action
    );
    if rule.matched {
        let reasons: Vec<&str> = rule
            .checks
            .iter()
            .filter(|c| matches!(c.field, super::trace::Field::Port | super::trace::Field::Remote))
            .map(|c| c.detail.as_str())
            .collect();
        format!("{head}: matches — {}", reasons.join(" and "))
    } else {
        let reasons: Vec<&str> = rule.failed_checks().map(|c| c.detail.as_str()).collect();
        format!("{head}: no match — {}", reasons.join("; "))
    }
}

/// 1st, 2nd, 3rd, 4th, …, 11th, 12th, 13th, 21st.
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn decision_sentence(hop: &HopTrace) -> String {
    let side = format!("{} {}", hop.instance_name, hop.direction);
    match &hop.decision {
        HopDecision::Rule { group_id, rule_id, action, sequence, priority } => {
            let group = hop.groups.iter().find(|g| &g.group_id == group_id).map_or(group_id.as_str(), |g| g.group_name.as_str());
            let verb = if *action == Action::Allow { "allowed" } else { "denied" };
            format!("{side}: {verb} by rule {rule_id} (priority {priority}) of {group}, group {sequence}")
        }
        HopDecision::DefaultDeny => format!("{side}: no rule matched: denied by default (security groups are whitelists)"),
        HopDecision::Bypass { reason } => format!("{side}: not filtered — {reason}"),
        HopDecision::Tracked { reason, .. } | HopDecision::Related { reason, .. } => format!("{side}: allowed — {reason}"),
        HopDecision::Cut { connection_id, blocked_until } => {
            format!("{side}: denied — connection #{connection_id} was cut by a rule change and stays blocked until t={blocked_until}s")
        }
        HopDecision::Invalid { reason, .. } => format!("{side}: denied — {reason}"),
    }
}

fn verdict_sentence(eval: &Evaluation) -> String {
    // The profile's words (ALLOW/DENY, ACCEPT/DROP): a trace is Alibaba's when a hop was
    // judged by the aggregated list.
    let profile = if eval.hops.iter().any(alibaba::is_aggregated) { CloudProfile::Alibaba } else { CloudProfile::Huawei };
    match eval.denied_at() {
        Some(hop) => format!("verdict: {} at {} {}", profile.verdict_word(false), hop.instance_name, hop.direction),
        None if eval.hops.is_empty() => format!("verdict: {} (no security group on the path)", profile.verdict_word(true)),
        None => format!("verdict: {}", profile.verdict_word(true)),
    }
}

/// The steps as indented text, for terminals.
pub fn render_text(eval: &Evaluation) -> String {
    let mut text = String::new();
    for step in steps(eval) {
        let (indent, mark) = match step.kind {
            StepKind::Packet | StepKind::Verdict => ("", ""),
            StepKind::Note => ("  ", "note: "),
            StepKind::Path => ("  ", "⚠ "),
            StepKind::Hop => ("  ", "▸ "),
            StepKind::Decision => ("    ", "⇒ "),
            StepKind::Group | StepKind::GroupResult => ("    ", ""),
            StepKind::Rule => ("      ", if step.passed == Some(true) { "✔ " } else { "✘ " }),
            StepKind::TieBreak => ("      ", "⚖ "),
        };
        text.push_str(indent);
        text.push_str(mark);
        text.push_str(&step.sentence);
        text.push('\n');
    }
    text
}
