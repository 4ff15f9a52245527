//! Runs a scenario's stateful test sequence (`scenario::SequenceSpec`) on a fresh simulator: send
//! packets, reply on labelled flows, advance the clock, change the world, and check verdicts,
//! cleared entries and connection states. Every malformed step is a failure naming the step and
//! the field; the run goes on with the next step. `details` holds each step's trace and events,
//! the final connection tables and the event log.

use super::{Change, ChangeReport, Simulator};
use crate::conntrack::key::is_icmp_error_type;
use crate::conntrack::{Connection, CutWait, Profile};
use crate::eval::explain::render_text;
use crate::eval::{Evaluation, HopDecision};
use crate::model::protocol::{protocol_name, TCP};
use crate::packet::{Packet, TcpFlags};
use crate::scenario::{ConnectionExpectation, ProbeSpec, SequenceSpec, StepSpec};
use crate::testing::check::unmet_expectations;
use crate::testing::{TestKind, TestOutcome};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Runs `sequence` against `scenario`'s world.
pub fn run_sequence(scenario: &crate::Scenario, sequence: &SequenceSpec) -> TestOutcome {
    let mut outcome =
        TestOutcome { name: sequence.name.clone(), kind: TestKind::Sequence, passed: false, failures: Vec::new(), details: String::new() };
    let profile = match sequence.conntrack_profile.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => scenario.world.profile.timeouts(),
        Some(text) => match Profile::parse(text) {
            Ok(p) => p,
            Err(message) => {
                outcome.failures.push(format!("conntrack_profile: {message}"));
                return outcome;
            }
        },
    };
    let cut_wait = match sequence.cut_wait.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => CutWait::default(),
        Some(text) => match CutWait::parse(text) {
            Ok(c) => c,
            Err(message) => {
                outcome.failures.push(format!("cut_wait: {message}"));
                return outcome;
            }
        },
    };
    let mut runner = Runner {
        sim: Simulator::new(scenario.world.clone(), profile).with_cut_wait(cut_wait),
        flows: BTreeMap::new(),
        failures: Vec::new(),
        details: String::new(),
    };
    let _ = writeln!(
        runner.details,
        "sequence `{}`: {profile} connection tracking timeouts; a cut connection's wait: {}",
        sequence.name,
        cut_wait.describe()
    );
    if sequence.steps.is_empty() {
        runner.failures.push("the sequence has no steps".into());
    }
    for (i, step) in sequence.steps.iter().enumerate() {
        runner.step(i + 1, step);
    }
    runner.finish();
    outcome.passed = runner.failures.is_empty();
    outcome.failures = runner.failures;
    outcome.details = runner.details;
    outcome
}

struct Runner {
    sim: Simulator,
    /// The last packet sent on each labelled flow.
    flows: BTreeMap<String, Packet>,
    failures: Vec<String>,
    details: String,
}

const ACTIONS: &str = "`send`, `reply`, `advance`, `change`, `expect_connection`";

impl Runner {
    fn fail(&mut self, n: usize, action: &str, message: String) {
        self.failures.push(format!("step {n} ({action}): {message}"));
        let _ = writeln!(self.details, "    ✘ {message}");
    }

    fn step(&mut self, n: usize, step: &StepSpec) {
        let actions = step.actions();
        let _ = write!(self.details, "\nstep {n} at t={}", self.sim.now());
        let [action] = actions.as_slice() else {
            let found = if actions.is_empty() {
                "none".to_string()
            } else {
                actions.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(" and ")
            };
            let _ = writeln!(self.details);
            self.failures.push(format!("step {n}: a step needs exactly one of {ACTIONS}; found {found}"));
            return;
        };
        let action = *action;
        let _ = writeln!(self.details, ": {action}");
        if let Some(note) = &step.note {
            let _ = writeln!(self.details, "  note: {note}");
        }
        if !self.fields_fit(n, action, step) {
            return;
        }
        match action {
            "send" => {
                if let Some(probe) = &step.send {
                    self.send(n, probe, step);
                }
            }
            "reply" => {
                if let Some(label) = &step.reply {
                    self.reply(n, label, step);
                }
            }
            "advance" => {
                if let Some(secs) = step.advance {
                    let events = self.sim.advance(secs);
                    let _ = writeln!(self.details, "  the clock moves {secs} s to t={}", self.sim.now());
                    for e in events {
                        let _ = writeln!(self.details, "  event: {e}");
                    }
                }
            }
            "change" => {
                if let Some(spec) = &step.change {
                    let path = format!("steps[{}].change", n - 1);
                    match Change::from_spec(spec, self.sim.world(), &path).and_then(|c| self.sim.apply(&c)) {
                        Ok(report) => {
                            self.show_change(&report);
                            if let Some(expected) = &step.expect_cleared {
                                self.check_cleared(n, expected, &report);
                            }
                        }
                        Err(problems) => {
                            for p in problems {
                                self.fail(n, "change", p.to_string());
                            }
                        }
                    }
                }
            }
            _ => {
                if let Some(exp) = &step.expect_connection {
                    self.expect_connection(n, exp);
                }
            }
        }
    }

    /// Fields that do not belong to the step's action, and values that cannot be right, are
    /// failures.
    fn fields_fit(&mut self, n: usize, action: &str, step: &StepSpec) -> bool {
        let allowed: &[&str] = match action {
            "send" => &["label", "embeds", "expect", "expect_rule", "expect_tracked"],
            "reply" => &["flags", "expect", "expect_rule", "expect_tracked"],
            "change" => &["expect_cleared"],
            _ => &[],
        };
        let given = [
            ("label", step.label.is_some()),
            ("embeds", step.embeds.is_some()),
            ("flags", step.flags.is_some()),
            ("expect", step.expect.is_some()),
            ("expect_rule", step.expect_rule.is_some()),
            ("expect_tracked", step.expect_tracked.is_some()),
            ("expect_cleared", step.expect_cleared.is_some()),
        ];
        let mut ok = true;
        for (field, set) in given {
            if set && !allowed.contains(&field) {
                let hint = match field {
                    "label" if action == "reply" => "; a reply names its flow in `reply` itself",
                    "flags" if action == "send" => "; a sent packet's flags go in `send.flags`",
                    _ => "",
                };
                self.fail(n, action, format!("`{field}` does not apply to `{action}` steps{hint}"));
                ok = false;
            }
        }
        if let Some(expect) = step.expect.as_deref() {
            if !matches!(expect, "allow" | "deny") {
                self.fail(n, action, format!("`expect` must be `allow` or `deny`, not `{expect}`"));
                ok = false;
            }
        }
        if let Some(label) = step.label.as_deref() {
            if label.trim().is_empty() || label.contains('@') {
                self.fail(n, action, format!("`label` `{label}` must be a non-empty name without `@`"));
                ok = false;
            }
        }
        ok
    }

    fn send(&mut self, n: usize, probe: &ProbeSpec, step: &StepSpec) {
        match probe.resolve(self.sim.world()) {
            Ok(mut packet) => {
                if let Some(label) = &step.embeds {
                    let Some(last) = self.flows.get(label) else {
                        self.fail(n, "send", format!("`embeds` names `{label}`, but no packet was sent with that label"));
                        return;
                    };
                    if !(packet.is_icmp() && is_icmp_error_type(packet.protocol, packet.icmp_type)) {
                        self.fail(n, "send", format!("`embeds` applies to ICMP error messages, and this packet is {packet}"));
                        return;
                    }
                    // The error reports on the flow's last packet: it carries that header.
                    packet.embedded = Some(Box::new(last.clone()));
                }
                self.deliver(n, "send", packet, step.label.clone(), step)
            }
            Err(problems) => {
                for p in problems {
                    self.fail(n, "send", format!("bad packet: {p}"));
                }
            }
        }
    }

    fn reply(&mut self, n: usize, label: &str, step: &StepSpec) {
        let Some(last) = self.flows.get(label) else {
            let known = if self.flows.is_empty() {
                "none yet".to_string()
            } else {
                self.flows.keys().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ")
            };
            self.fail(n, "reply", format!("`reply` names `{label}`, but no packet was sent with that label; labels: {known}"));
            return;
        };
        let mut packet = last.reply();
        if let Some(text) = step.flags.as_deref() {
            if packet.protocol != TCP {
                self.fail(n, "reply", format!("`flags` applies to tcp flows, and `{label}` is {}", protocol_name(packet.protocol)));
                return;
            }
            let parsed = if text.trim().eq_ignore_ascii_case("none") { Ok(TcpFlags::empty()) } else { TcpFlags::parse(text) };
            match parsed {
                Ok(flags) => packet.tcp_flags = flags,
                Err(message) => {
                    self.fail(n, "reply", format!("`flags`: {message}"));
                    return;
                }
            }
        }
        self.deliver(n, "reply", packet, Some(label.to_string()), step);
    }

    fn deliver(&mut self, n: usize, action: &str, packet: Packet, label: Option<String>, step: &StepSpec) {
        if let Some(l) = &label {
            let _ = writeln!(self.details, "  flow `{l}`");
        }
        let delivery = self.sim.send(&packet);
        for line in render_text(&delivery.evaluation).lines() {
            let _ = writeln!(self.details, "  {line}");
        }
        for e in &delivery.events {
            let _ = writeln!(self.details, "  event: {e}");
        }
        if let Some(l) = label {
            self.flows.insert(l, packet);
        }
        let eval = &delivery.evaluation;
        let got = eval.verdict.to_string();
        let expect = step.expect.as_deref().unwrap_or(&got);
        for failure in unmet_expectations(eval, expect, step.expect_rule.as_deref(), None) {
            self.fail(n, action, failure);
        }
        if let Some(wanted) = step.expect_tracked {
            let tracked = |h: &&crate::eval::HopTrace| matches!(h.decision, HopDecision::Tracked { .. } | HopDecision::Related { .. });
            let all = !eval.hops.is_empty() && eval.hops.iter().all(|h| tracked(&h));
            let any = eval.hops.iter().any(|h| tracked(&h));
            if wanted && !all {
                self.fail(
                    n,
                    action,
                    format!("expected the packet to pass on a tracked connection on every side, but {}", hop_summary(eval)),
                );
            } else if !wanted && any {
                self.fail(n, action, format!("expected the rules to decide every side, but {}", hop_summary(eval)));
            }
        }
    }

    fn show_change(&mut self, report: &ChangeReport) {
        let _ = writeln!(self.details, "  change: {}", report.change);
        for row in &report.rows {
            let _ = writeln!(self.details, "  clearing table: {}", row.text);
        }
        for note in &report.notes {
            let _ = writeln!(self.details, "  note: {note}");
        }
        for e in &report.events {
            let _ = writeln!(self.details, "  event: {e}");
        }
    }

    /// The labels whose flow `conn` carries.
    fn labels_of(&self, conn: &Connection) -> Vec<String> {
        self.flows.iter().filter(|(_, p)| conn.direction_of(p).is_some()).map(|(l, _)| l.clone()).collect()
    }

    fn instance_id(&self, text: &str) -> Option<String> {
        let world = self.sim.world();
        world.instance(text).or_else(|| world.instances.iter().find(|i| i.name == text)).map(|i| i.id.clone())
    }

    fn check_cleared(&mut self, n: usize, expected: &[String], report: &ChangeReport) {
        let mut wanted: BTreeSet<(String, String)> = BTreeSet::new();
        for item in expected {
            let Some((label, instance)) = item.split_once('@') else {
                self.fail(n, "change", format!("`expect_cleared` entry `{item}` must be written `label@instance`"));
                continue;
            };
            if !self.flows.contains_key(label) {
                self.fail(n, "change", format!("`expect_cleared` entry `{item}`: no packet was sent with label `{label}`"));
                continue;
            }
            match self.instance_id(instance) {
                Some(id) => {
                    wanted.insert((label.to_string(), id));
                }
                None => self.fail(n, "change", format!("`expect_cleared` entry `{item}`: no instance `{instance}`")),
            }
        }
        // Each cleared entry, as the labels it carries (or its id when unlabelled).
        let mut got: Vec<(Vec<String>, String, u64)> = Vec::new();
        for c in &report.cleared {
            let labels = self.sim.connection(c.connection_id).map(|conn| self.labels_of(conn)).unwrap_or_default();
            got.push((labels, c.instance_id.clone(), c.connection_id));
        }
        let shown: Vec<String> = got
            .iter()
            .map(|(labels, inst, id)| match labels.first() {
                Some(l) => format!("`{l}@{inst}`"),
                None => format!("connection #{id} on `{inst}`"),
            })
            .collect();
        let shown = if shown.is_empty() { "nothing".to_string() } else { shown.join(", ") };
        for (label, instance) in &wanted {
            if !got.iter().any(|(labels, inst, _)| inst == instance && labels.contains(label)) {
                self.fail(n, "change", format!("expected `{label}@{instance}` to be cleared, but it was not (cleared: {shown})"));
            }
        }
        for (labels, inst, id) in &got {
            if !labels.iter().any(|l| wanted.contains(&(l.clone(), inst.clone()))) {
                let what = labels.first().map_or(format!("connection #{id} on `{inst}`"), |l| format!("`{l}@{inst}`"));
                self.fail(n, "change", format!("{what} was cleared, but `expect_cleared` does not list it"));
            }
        }
    }

    fn expect_connection(&mut self, n: usize, exp: &ConnectionExpectation) {
        const ACTION: &str = "expect_connection";
        let wanted = match exp.wanted_state() {
            Ok(wanted) => wanted,
            Err(message) => {
                self.fail(n, ACTION, format!("`state` `{}` {message}", exp.state));
                return;
            }
        };
        let Some(packet) = self.flows.get(&exp.label).cloned() else {
            self.fail(n, ACTION, format!("`label` `{}`: no packet was sent with that label", exp.label));
            return;
        };
        let Some(instance) = self.instance_id(&exp.instance) else {
            self.fail(n, ACTION, format!("`instance` `{}`: no instance has this id or name", exp.instance));
            return;
        };
        let now = self.sim.now();
        let conn = self.sim.lookup(&instance, &packet).cloned();
        let actual = match &conn {
            None => "NONE".to_string(),
            Some(c) if c.is_cut() => format!("CUT (in state {})", c.state),
            Some(c) if c.is_cleared() => format!("{} (CLEARED)", c.state),
            Some(c) => c.state.to_string(),
        };
        let left = conn.as_ref().map(|c| c.seconds_left(now));
        let _ = writeln!(
            self.details,
            "  `{}` on {instance}: {actual}{}",
            exp.label,
            left.map_or(String::new(), |s| format!(", expires in {s} s"))
        );
        let matches = match (wanted.as_str(), &conn) {
            ("NONE", None) => true,
            ("CUT", Some(c)) => c.is_cut(),
            ("CLEARED", Some(c)) => c.is_cleared(),
            (w, Some(c)) => !c.is_cut() && c.state.name() == w,
            _ => false,
        };
        if !matches {
            self.fail(n, ACTION, format!("expected `{}` on `{instance}` to be {wanted}, but it is {actual}", exp.label));
        }
        if let Some(secs) = exp.expires_in {
            match left {
                None => self.fail(n, ACTION, format!("`expires_in` {secs}: `{}` has no entry on `{instance}`", exp.label)),
                Some(l) if l != secs => {
                    self.fail(n, ACTION, format!("expected `{}` on `{instance}` to expire in {secs} s, but it expires in {l} s", exp.label))
                }
                Some(_) => {}
            }
        }
    }

    fn finish(&mut self) {
        let list = self.sim.conntrack_list();
        let _ = writeln!(self.details, "\nconnection tables at t={}:", self.sim.now());
        if list.is_empty() {
            let _ = writeln!(self.details, "  (empty)");
        }
        for v in list {
            let _ = writeln!(self.details, "  {}", v.line);
        }
        let _ = writeln!(self.details, "\nevent log:");
        if self.sim.events().is_empty() {
            let _ = writeln!(self.details, "  (empty)");
        }
        for e in self.sim.events() {
            let _ = writeln!(self.details, "  {e}");
        }
    }
}

/// "ECS-A01 outbound: tracked (#1); ECS-B01 inbound: rule B01"
fn hop_summary(eval: &Evaluation) -> String {
    if eval.hops.is_empty() {
        return "no security group was on the path".into();
    }
    let parts: Vec<String> = eval
        .hops
        .iter()
        .map(|h| {
            let how = match &h.decision {
                HopDecision::Rule { rule_id, action, .. } => format!("{action} by rule {rule_id}"),
                HopDecision::DefaultDeny => "denied by default".into(),
                HopDecision::Bypass { .. } => "not filtered".into(),
                HopDecision::Tracked { connection_id, .. } => format!("tracked (#{connection_id})"),
                HopDecision::Related { connection_id, .. } => format!("related to #{connection_id}"),
                HopDecision::Cut { connection_id, .. } => format!("cut (#{connection_id})"),
                HopDecision::Invalid { .. } => "invalid".into(),
            };
            format!("{} {}: {how}", h.instance_name, h.direction)
        })
        .collect();
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;

    #[test]
    fn a_path_without_security_groups_is_never_tracked() {
        let scenario = Scenario::from_json(r#"{"security_groups": [], "instances": []}"#).unwrap();
        let step: StepSpec = serde_json::from_value(serde_json::json!({
            "send": {"from": "203.0.113.1", "to": "198.51.100.1", "protocol": "udp", "port": 53}, "expect_tracked": true
        }))
        .unwrap();
        let o = run_sequence(&scenario, &SequenceSpec { name: "s".into(), steps: vec![step], ..Default::default() });
        assert_eq!(
            o.failures,
            ["step 1 (send): expected the packet to pass on a tracked connection on every side, but no security group was on the path"]
        );
    }
}
