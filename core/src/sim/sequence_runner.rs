//! Runs a scenario's stateful test sequence (`scenario::Sequence`, read and checked when the
//! scenario was built) on a fresh simulator: send packets, reply on labelled flows, advance the
//! clock, change the world, and check verdicts, cleared entries and connection states. The steps
//! come typed, so the only failures are unmet expectations and a change the world as the
//! earlier steps left it refuses. `details` holds each step's trace and events, the final
//! connection tables and the event log.

use super::{Change, ChangeReport, Simulator};
use crate::conntrack::Connection;
use crate::eval::explain::render_text;
use crate::eval::{Evaluation, HopDecision};
use crate::packet::{Packet, TcpFlags};
use crate::scenario::{Action, ClearedEntry, PacketExpectation, Sequence, Step, WantedState};
use crate::testing::check::unmet_expectations;
use crate::testing::{TestKind, TestOutcome};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Runs `sequence` against `scenario`'s world.
pub fn run_sequence(scenario: &crate::Scenario, sequence: &Sequence) -> TestOutcome {
    let mut runner = Runner {
        sim: Simulator::new(scenario.world.clone(), sequence.timeouts).with_cut_wait(sequence.cut_wait),
        flows: BTreeMap::new(),
        failures: Vec::new(),
        details: String::new(),
    };
    let _ = writeln!(
        runner.details,
        "sequence `{}`: {} connection tracking timeouts; a cut connection's wait: {}",
        sequence.name,
        sequence.timeouts,
        sequence.cut_wait.describe()
    );
    for (i, step) in sequence.steps.iter().enumerate() {
        runner.step(i + 1, step);
    }
    runner.finish();
    TestOutcome {
        name: sequence.name.clone(),
        kind: TestKind::Sequence,
        passed: runner.failures.is_empty(),
        failures: runner.failures,
        details: runner.details,
    }
}

struct Runner {
    sim: Simulator,
    /// The last packet sent on each labelled flow.
    flows: BTreeMap<String, Packet>,
    failures: Vec<String>,
    details: String,
}

impl Runner {
    fn fail(&mut self, n: usize, action: &str, message: String) {
        self.failures.push(format!("step {n} ({action}): {message}"));
        let _ = writeln!(self.details, "    ✘ {message}");
    }

    fn step(&mut self, n: usize, step: &Step) {
        let _ = writeln!(self.details, "\nstep {n} at t={}: {}", self.sim.now(), step.action.name());
        if let Some(note) = &step.note {
            let _ = writeln!(self.details, "  note: {note}");
        }
        match &step.action {
            Action::Send { packet, label, embeds, expect } => self.send(n, packet, label, embeds.as_deref(), expect),
            Action::Reply { label, flags, expect } => self.reply(n, label, *flags, expect),
            Action::Advance { seconds } => {
                let events = self.sim.advance(*seconds);
                let _ = writeln!(self.details, "  the clock moves {seconds} s to t={}", self.sim.now());
                for e in events {
                    let _ = writeln!(self.details, "  event: {e}");
                }
            }
            Action::Change { change, expect_cleared } => self.change(n, change, expect_cleared.as_deref()),
            Action::ExpectConnection { label, instance, state, expires_in } => {
                self.expect_connection(n, label, instance, *state, *expires_in)
            }
        }
    }

    fn send(&mut self, n: usize, packet: &Packet, label: &Option<String>, embeds: Option<&str>, expect: &PacketExpectation) {
        let mut packet = packet.clone();
        // An ICMP error reports on the embedded flow's last packet: it carries that header.
        if let Some(last) = embeds.and_then(|l| self.flows.get(l)) {
            packet.embedded = Some(Box::new(last.clone()));
        }
        self.deliver(n, "send", packet, label.clone(), expect)
    }

    fn reply(&mut self, n: usize, label: &str, flags: Option<TcpFlags>, expect: &PacketExpectation) {
        // `Sequence::parse` saw an earlier send with this label, so the flow is there.
        let Some(last) = self.flows.get(label) else { return };
        let mut packet = last.reply();
        if let Some(flags) = flags {
            packet.tcp_flags = flags;
        }
        self.deliver(n, "reply", packet, Some(label.to_string()), expect);
    }

    fn deliver(&mut self, n: usize, action: &str, packet: Packet, label: Option<String>, expect: &PacketExpectation) {
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
        for failure in unmet_expectations(eval, expect.verdict, expect.rule.as_ref(), None) {
            self.fail(n, action, failure);
        }
        if let Some(wanted) = expect.tracked {
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

    /// Applies the change, read against this very world when the scenario was built.
    fn change(&mut self, n: usize, change: &Change, expect_cleared: Option<&[ClearedEntry]>) {
        match self.sim.apply(change) {
            Ok(report) => {
                self.show_change(&report);
                if let Some(expected) = expect_cleared {
                    self.check_cleared(n, expected, &report);
                }
            }
            // `Sequence::parse` applied it to the same world; kept for a world changed elsewhere.
            Err(problems) => {
                for p in problems {
                    self.fail(n, "change", p.to_string());
                }
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

    fn check_cleared(&mut self, n: usize, expected: &[ClearedEntry], report: &ChangeReport) {
        let wanted: std::collections::BTreeSet<(String, String)> = expected.iter().map(|e| (e.label.clone(), e.instance.clone())).collect();
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

    fn expect_connection(&mut self, n: usize, label: &str, instance: &str, wanted: WantedState, expires_in: Option<u64>) {
        const ACTION: &str = "expect_connection";
        // `Sequence::parse` saw an earlier send with this label.
        let Some(packet) = self.flows.get(label).cloned() else { return };
        let now = self.sim.now();
        let conn = self.sim.lookup(instance, &packet).cloned();
        let actual = match &conn {
            None => "NONE".to_string(),
            Some(c) if c.is_cut() => format!("CUT (in state {})", c.state),
            Some(c) if c.is_cleared() => format!("{} (CLEARED)", c.state),
            Some(c) => c.state.to_string(),
        };
        let left = conn.as_ref().map(|c| c.seconds_left(now));
        let _ =
            writeln!(self.details, "  `{label}` on {instance}: {actual}{}", left.map_or(String::new(), |s| format!(", expires in {s} s")));
        let matches = match (wanted, &conn) {
            (WantedState::NoEntry, None) => true,
            (WantedState::Cut, Some(c)) => c.is_cut(),
            (WantedState::Cleared, Some(c)) => c.is_cleared(),
            // An entry whose state is named NONE (TCP's NONE) answers `NONE` too, as it always has.
            (WantedState::NoEntry, Some(c)) => !c.is_cut() && c.state.name() == "NONE",
            (WantedState::State(s), Some(c)) => !c.is_cut() && c.state == s,
            _ => false,
        };
        if !matches {
            self.fail(n, ACTION, format!("expected `{label}` on `{instance}` to be {wanted}, but it is {actual}"));
        }
        if let Some(secs) = expires_in {
            match left {
                None => self.fail(n, ACTION, format!("`expires_in` {secs}: `{label}` has no entry on `{instance}`")),
                Some(l) if l != secs => {
                    self.fail(n, ACTION, format!("expected `{label}` on `{instance}` to expire in {secs} s, but it expires in {l} s"))
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
        let scenario = Scenario::from_json(
            r#"{"security_groups": [], "instances": [], "sequences": [{"name": "s", "steps": [
                {"send": {"from": "203.0.113.1", "to": "198.51.100.1", "protocol": "udp", "port": 53}, "expect_tracked": true}
            ]}]}"#,
        )
        .unwrap();
        let o = run_sequence(&scenario, &scenario.sequences[0]);
        assert_eq!(
            o.failures,
            ["step 1 (send): expected the packet to pass on a tracked connection on every side, but no security group was on the path"]
        );
    }
}
