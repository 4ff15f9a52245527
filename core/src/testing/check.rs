//! A single-packet check: evaluate, compare with the expectations, keep the trace.

use super::{TestKind, TestOutcome};
use crate::eval::{evaluate, explain::render_text, Evaluation};
use crate::model::World;
use crate::scenario::CheckSpec;

pub fn run_check(world: &World, check: &CheckSpec) -> TestOutcome {
    let mut outcome =
        TestOutcome { name: check.name.clone(), kind: TestKind::Check, passed: false, failures: Vec::new(), details: String::new() };
    let packet = match check.packet.resolve(world) {
        Ok(p) => p,
        Err(problems) => {
            outcome.failures = problems.iter().map(|p| format!("bad packet: {p}")).collect();
            return outcome;
        }
    };
    let eval = evaluate(world, &packet);
    outcome.failures = unmet_expectations(&eval, &check.expect, check.expect_rule.as_deref(), check.expect_denied_at.as_deref());
    if let Some(want) = check.expect_path.as_deref() {
        let got = path_kind(&eval.path);
        if got != want {
            outcome.failures.push(format!("expected path `{want}`, got `{got}`: {}", crate::eval::explain::describe_path(&eval.path)));
        }
    }
    outcome.passed = outcome.failures.is_empty();
    outcome.details = render_text(&eval);
    outcome
}

/// The path outcome's kind as a check writes it: `reachable`, `no_peering`,
/// `private_from_outside` or `no_public_address`.
pub fn path_kind(path: &crate::eval::Reachability) -> &'static str {
    use crate::eval::Reachability::*;
    match path {
        Reachable => "reachable",
        NoPeering { .. } => "no_peering",
        PrivateFromOutside { .. } => "private_from_outside",
        NoPublicAddress { .. } => "no_public_address",
    }
}

/// What the evaluation got wrong, one line each; empty when it met every expectation.
pub fn unmet_expectations(eval: &Evaluation, expect: &str, expect_rule: Option<&str>, expect_denied_at: Option<&str>) -> Vec<String> {
    let mut failures = Vec::new();
    let got = eval.verdict.to_string();
    if got != expect {
        failures.push(format!("expected {expect}, got {got}"));
    }
    if let Some(rule) = expect_rule {
        let deciding: Vec<String> = eval.deciding_rules().iter().map(|(_, _, r)| r.to_string()).collect();
        if !deciding.iter().any(|r| r == rule) {
            let was = if deciding.is_empty() { "no rule decided".to_string() } else { format!("deciding rules: {}", deciding.join(", ")) };
            failures.push(format!("expected rule {rule} to decide, but {was}"));
        }
    }
    if let Some(at) = expect_denied_at {
        let (instance, direction) = at.split_once('/').map_or((at, None), |(i, d)| (i, Some(d)));
        match eval.denied_at() {
            Some(hop) if hop.instance_id == instance && direction.is_none_or(|d| d == hop.direction.label()) => {}
            Some(hop) => failures
                .push(format!("expected the packet to be stopped at {at}, but it was stopped at {}/{}", hop.instance_id, hop.direction)),
            None => failures.push(format!("expected the packet to be stopped at {at}, but it got through")),
        }
    }
    failures
}
