//! What the tester says above the steps, picked from the engine's own output: the verdict
//! badge, the sentence that decided, the sides a connection entry let through, and the
//! scenario check the form currently holds. Nothing is decided here.

use sgplay_core::eval::{Evaluation, HopDecision, Step, StepKind, Verdict};
use sgplay_core::model::Action;
use sgplay_core::profile::CloudProfile;
use sgplay_core::scenario::{CheckSpec, ProbeSpec};

/// "ALLOW" or "DENY"; under Alibaba "ACCEPT" or "DROP".
pub fn verdict_label(verdict: Verdict, profile: CloudProfile) -> &'static str {
    profile.verdict_word(verdict.is_allow())
}

/// The step that sums the outcome up: the side that stopped a denied packet, or the last side
/// that let an allowed one through; the verdict sentence when no side decided.
pub fn headline(steps: &[Step], verdict: Verdict) -> Option<&Step> {
    let mut decisions = steps.iter().filter(|s| s.kind == StepKind::Decision);
    let decisive = match verdict {
        Verdict::Deny => decisions.find(|s| s.passed == Some(false)),
        Verdict::Allow => decisions.next_back(),
    };
    decisive.or(steps.last())
}

/// A side the connection tracker decided: "ECS-B01 inbound" and the engine's reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrackedSide {
    /// Index into `Evaluation::hops`.
    pub hop: usize,
    pub side: String,
    pub connection_id: u64,
    pub reason: String,
    pub passed: bool,
}

/// Every side where an existing connection entry decided (passed, cut or invalid), in order.
pub fn tracked_sides(evaluation: &Evaluation) -> Vec<TrackedSide> {
    evaluation
        .hops
        .iter()
        .enumerate()
        .filter_map(|(h, hop)| {
            let side = format!("{} {}", hop.instance_name, hop.direction);
            match &hop.decision {
                HopDecision::Tracked { connection_id, reason } => {
                    Some(TrackedSide { hop: h, side, connection_id: *connection_id, reason: reason.clone(), passed: true })
                }
                HopDecision::Cut { connection_id, blocked_until } => Some(TrackedSide {
                    hop: h,
                    side,
                    connection_id: *connection_id,
                    reason: format!("connection #{connection_id} was cut by a rule change and stays blocked until t={blocked_until} s"),
                    passed: false,
                }),
                HopDecision::Invalid { connection_id, reason } if *connection_id != 0 => {
                    Some(TrackedSide { hop: h, side, connection_id: *connection_id, reason: reason.clone(), passed: false })
                }
                _ => None,
            }
        })
        .collect()
}

/// What a screen reader hears after a send or a step (the tester's polite live region): the
/// verdict and its lead sentence when every step is shown, as right after sending; else the
/// position and the current step's sentence.
pub fn announcement(
    steps: &[Step],
    verdict: Verdict,
    is_reply: bool,
    tracked: &[TrackedSide],
    cursor: usize,
    profile: CloudProfile,
) -> String {
    let total = steps.len();
    let kind = if is_reply { "Reply" } else { "Packet" };
    match super::stepper::current(cursor, total) {
        Some(at) if at + 1 < total => format!("Step {} of {total}: {}", at + 1, steps[at].sentence),
        _ => {
            let lead = lead(steps, verdict, tracked);
            let lead = if lead.is_empty() { String::new() } else { format!(" {lead}") };
            format!("{kind}: {}.{lead}", verdict_label(verdict, profile))
        }
    }
}

/// The sentence beside the verdict: the headline step's, unless a connection entry decided that
/// side; then the entries' own sentences (listed below it) say why, and this only leads to them.
pub fn lead(steps: &[Step], verdict: Verdict, tracked: &[TrackedSide]) -> String {
    let Some(step) = headline(steps, verdict) else { return String::new() };
    match step.hop.and_then(|h| tracked.iter().find(|t| t.hop == h)) {
        Some(t) if t.passed => "passed on existing connection entries, without consulting the rules:".into(),
        Some(_) => "stopped by the connection tracker:".into(),
        None => step.sentence.clone(),
    }
}

/// The scenario check whose packet the form holds, if any: its name and expectation are shown
/// beside the verdict.
pub fn matching_check<'c>(checks: &'c [CheckSpec], probe: &ProbeSpec) -> Option<(usize, &'c CheckSpec)> {
    checks.iter().enumerate().find(|(_, c)| same_packet(&c.packet, probe))
}

/// Two probes describe the same packet; the source port the tester picks does not count.
fn same_packet(a: &ProbeSpec, b: &ProbeSpec) -> bool {
    let norm = |p: &ProbeSpec| ProbeSpec { src_port: None, from: p.from.trim().to_string(), to: p.to.trim().to_string(), ..p.clone() };
    norm(a) == norm(b)
}

/// "expect allow by A01", "expect deny at ecs-b01/inbound"; under Alibaba "expect drop …".
pub fn expectation(check: &CheckSpec, profile: CloudProfile) -> String {
    let expect = check.expect.trim().to_lowercase();
    let word = match expect.as_str() {
        "allow" => profile.action_word(Action::Allow).to_lowercase(),
        "deny" => profile.action_word(Action::Deny).to_lowercase(),
        _ => expect,
    };
    let mut text = format!("expect {word}");
    if let Some(rule) = &check.expect_rule {
        text.push_str(&format!(" by {rule}"));
    }
    if let Some(at) = &check.expect_denied_at {
        text.push_str(&format!(" at {at}"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use sgplay_core::conntrack::Profile;
    use sgplay_core::eval::steps;
    use sgplay_core::scenario::ScenarioSpec;
    use sgplay_core::sim::Simulator;

    fn scenario() -> ScenarioSpec {
        crate::gallery::load("huawei/overview-sg-a-sg-b").unwrap()
    }

    fn probe(from: &str, to: &str, port: u16) -> ProbeSpec {
        ProbeSpec { from: from.into(), to: to.into(), protocol: "tcp".into(), port: Some(port), ..Default::default() }
    }

    #[track_caller]
    fn send(sim: &mut Simulator, p: &ProbeSpec) -> Evaluation {
        let packet = p.resolve(sim.world()).unwrap();
        sim.send(&packet).evaluation
    }

    fn sim() -> Simulator {
        Simulator::new(scenario().build().unwrap().world, Profile::Huawei)
    }

    #[test]
    fn an_allowed_packet_is_summed_up_by_the_last_side_that_allowed_it() {
        let e = send(&mut sim(), &probe("ecs-a01", "ecs-b01", 22));
        assert_eq!(verdict_label(e.verdict, CloudProfile::Huawei), "ALLOW");
        assert_eq!(verdict_label(e.verdict, CloudProfile::Alibaba), "ACCEPT");
        let all = steps(&e);
        let head = headline(&all, e.verdict).unwrap();
        assert!(head.sentence.starts_with("ECS-B01 inbound: allowed by rule B01"), "{}", head.sentence);
    }

    #[test]
    fn a_denied_packet_is_summed_up_by_the_side_that_stopped_it() {
        let e = send(&mut sim(), &probe("ecs-a01", "ecs-b01", 3306));
        assert_eq!(verdict_label(e.verdict, CloudProfile::Huawei), "DENY");
        let all = steps(&e);
        assert!(headline(&all, e.verdict).unwrap().sentence.starts_with("ECS-B01 inbound: no rule matched"));
    }

    #[test]
    fn a_reply_passes_on_the_connection_entries() {
        let mut s = sim();
        let syn = probe("ecs-a01", "ecs-b01", 22).resolve(s.world()).unwrap();
        assert!(tracked_sides(&s.send(&syn).evaluation).is_empty(), "a new connection is decided by the rules");
        let reply = s.send(&syn.reply()).evaluation;
        let sides = tracked_sides(&reply);
        assert_eq!(sides.len(), 2, "{sides:?}");
        assert!(sides.iter().all(|t| t.passed && t.reason.contains("reply on connection #")), "{sides:?}");
        assert_eq!(sides[0].side, "ECS-B01 outbound");
        let all = steps(&reply);
        assert_eq!(lead(&all, reply.verdict, &sides), "passed on existing connection entries, without consulting the rules:");
        let first = s.send(&ProbeSpec { src_port: Some(50000), ..probe("ecs-a01", "ecs-b01", 22) }.resolve(s.world()).unwrap()).evaluation;
        assert!(lead(&steps(&first), first.verdict, &[]).starts_with("ECS-B01 inbound: allowed by rule B01"));
    }

    #[test]
    fn the_live_region_says_the_verdict_at_the_end_and_the_step_while_walking() {
        let e = send(&mut sim(), &probe("ecs-a01", "ecs-b01", 3306));
        let all = steps(&e);
        let end = announcement(&all, e.verdict, false, &[], all.len(), CloudProfile::Huawei);
        assert!(end.starts_with("Packet: DENY. ECS-B01 inbound: no rule matched"), "{end}");
        assert_eq!(
            announcement(&all, e.verdict, false, &[], 1, CloudProfile::Huawei),
            format!("Step 1 of {}: {}", all.len(), all[0].sentence)
        );
        assert!(announcement(&all, e.verdict, true, &[], all.len(), CloudProfile::Huawei).starts_with("Reply: DENY."));
    }

    #[test]
    fn the_form_knows_which_check_it_holds() {
        let spec = scenario();
        let (i, check) = matching_check(&spec.checks, &spec.checks[3].packet).unwrap();
        assert_eq!(i, 3);
        assert_eq!(expectation(check, CloudProfile::Huawei), "expect allow by B01");
        assert_eq!(expectation(check, CloudProfile::Alibaba), "expect accept by B01");
        let with_port = ProbeSpec { src_port: Some(50000), ..spec.checks[4].packet.clone() };
        assert_eq!(matching_check(&spec.checks, &with_port).map(|(i, _)| i), Some(4));
        assert_eq!(expectation(&spec.checks[4], CloudProfile::Huawei), "expect deny at ecs-b01/inbound");
        assert!(matching_check(&spec.checks, &probe("ecs-a01", "ecs-b01", 9)).is_none());
    }
}
