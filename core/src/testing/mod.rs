//! Running a scenario's own tests: single-packet checks here, stateful sequences in
//! `sim::sequence_runner`. Both report `TestOutcome`s, so the CLI and `cargo test` print them
//! the same way.

pub mod check;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestKind {
    Check,
    Sequence,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestOutcome {
    pub name: String,
    pub kind: TestKind,
    pub passed: bool,
    /// One line per unmet expectation: "expected allow, got deny".
    pub failures: Vec<String>,
    /// The trace(s) behind the outcome, as text, for showing a failure.
    pub details: String,
}

pub use check::run_check;

/// Every check and sequence of a scenario, in file order.
pub fn run_scenario(scenario: &crate::Scenario) -> Vec<TestOutcome> {
    let mut out: Vec<TestOutcome> = scenario.checks.iter().map(|c| run_check(&scenario.world, c)).collect();
    out.extend(scenario.sequences.iter().map(|s| crate::sim::run_sequence(scenario, s)));
    out
}
