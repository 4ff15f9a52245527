//! The Sg-A/Sg-B example end to end through the public API, with the trace a newcomer reads.

use sgplay_core::eval::explain::render_text;
use sgplay_core::{evaluate, testing, ProbeSpec, Scenario, Verdict};

const SCENARIO: &str = include_str!("../../tests/scenarios/huawei/overview-sg-a-sg-b.json");

#[test]
fn every_check_of_the_example_passes() {
    let scenario = Scenario::from_json(SCENARIO).expect("valid scenario");
    for outcome in testing::run_scenario(&scenario) {
        assert!(outcome.passed, "{}: {:?}\n{}", outcome.name, outcome.failures, outcome.details);
    }
}

#[test]
fn the_trace_names_the_deciding_rule_and_why_others_missed() {
    let scenario = Scenario::from_json(SCENARIO).unwrap();
    let probe = ProbeSpec { from: "ecs-a01".into(), to: "ecs-b01".into(), protocol: "tcp".into(), port: Some(80), ..Default::default() };
    let eval = evaluate(&scenario.world, &probe.resolve(&scenario.world).unwrap());
    let text = render_text(&eval);
    println!("{text}");
    assert_eq!(eval.verdict, Verdict::Deny);
    assert!(text.contains("tcp 80 is not in 22"), "{text}");
    assert!(text.contains("192.168.0.10 is a private IP of ECS-A01, which is not a member of Sg-B"), "{text}");
    assert!(text.contains("denied by default"), "{text}");
}
