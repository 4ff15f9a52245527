//! A single-packet check: evaluate, compare with the expectations, keep the trace. The check
//! comes typed (`scenario::Check`): the build has read its fields and resolved its packet.

use super::{TestKind, TestOutcome};
use crate::eval::{evaluate, explain::render_text, Evaluation, Verdict};
use crate::model::World;
use crate::scenario::{Check, PathKind, RuleRef, StopPoint};

pub fn run_check(world: &World, check: &Check) -> TestOutcome {
    let mut outcome =
        TestOutcome { name: check.name.clone(), kind: TestKind::Check, passed: false, failures: Vec::new(), details: String::new() };
    // A stale check: its packet names an instance the world does not hold.
    let packet = match &check.packet {
        Ok(p) => p,
        Err(problems) => {
            outcome.failures = problems.iter().map(|p| format!("bad packet: {p}")).collect();
            return outcome;
        }
    };
    let eval = evaluate(world, packet);
    outcome.failures = unmet_expectations(&eval, Some(check.expect), check.expect_rule.as_ref(), check.expect_denied_at.as_ref());
    if let Some(want) = check.expect_path {
        let got = PathKind::of(&eval.path);
        if got != want {
            outcome.failures.push(format!("expected path `{want}`, got `{got}`: {}", crate::eval::explain::describe_path(&eval.path)));
        }
    }
    outcome.passed = outcome.failures.is_empty();
    outcome.details = render_text(&eval);
    outcome
}

/// What the evaluation got wrong, one line each; empty when it met every expectation (`None`:
/// not expected).
pub fn unmet_expectations(
    eval: &Evaluation,
    expect: Option<Verdict>,
    expect_rule: Option<&RuleRef>,
    expect_denied_at: Option<&StopPoint>,
) -> Vec<String> {
    let mut failures = Vec::new();
    if let Some(expect) = expect.filter(|e| *e != eval.verdict) {
        failures.push(format!("expected {expect}, got {}", eval.verdict));
    }
    if let Some(RuleRef(rule)) = expect_rule {
        let deciding: Vec<String> = eval.deciding_rules().iter().map(|(_, _, r)| r.to_string()).collect();
        if !deciding.iter().any(|r| r == rule) {
            let was = if deciding.is_empty() { "no rule decided".to_string() } else { format!("deciding rules: {}", deciding.join(", ")) };
            failures.push(format!("expected rule {rule} to decide, but {was}"));
        }
    }
    if let Some(at) = expect_denied_at {
        match eval.denied_at() {
            Some(hop) if hop.instance_id == at.instance && at.side.is_none_or(|side| side == hop.direction) => {}
            Some(hop) => failures
                .push(format!("expected the packet to be stopped at {at}, but it was stopped at {}/{}", hop.instance_id, hop.direction)),
            None => failures.push(format!("expected the packet to be stopped at {at}, but it got through")),
        }
    }
    failures
}
