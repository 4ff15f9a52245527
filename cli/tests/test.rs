//! `sgplay test`: one line per test, failures with their trace, the `N passed, M failed` line
//! and exit codes 0, 1 and 2.

mod common;

use common::{sample, sgplay, small_with, write, SMALL};
use predicates::prelude::*;
use predicates::str::contains;

#[test]
fn the_sample_scenario_passes() {
    sgplay()
        .arg("test")
        .arg(sample())
        .assert()
        .code(0)
        .stdout(contains("ok ").and(contains(":: A01: SSH from the office reaches ECS-A01")))
        .stdout(predicate::str::is_match(r"(?m)^\d+ passed, 0 failed$").expect("regex"));
}

#[test]
fn a_failing_check_exits_1_with_its_unmet_expectation_and_trace() {
    let dir = tempfile::tempdir().expect("temp dir");
    let failing = small_with(r#""expect": "deny""#, r#""expect": "allow""#);
    write(dir.path(), "a/failing.json", &failing);
    write(dir.path(), "b/small.json", SMALL);
    write(dir.path(), "b/notes.txt", "not a scenario");
    sgplay()
        .arg("test")
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(contains("FAILED").and(contains(":: db cannot SSH into web")))
        .stdout(contains("expected allow, got deny"))
        .stdout(contains("trace:").and(contains("verdict: DENY")))
        .stdout(predicate::str::is_match(r"(?m)^3 passed, 1 failed$").expect("regex"));
}

#[test]
fn a_file_that_does_not_load_counts_as_a_failure_with_its_problems() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = write(dir.path(), "good.json", SMALL);
    let bad = write(dir.path(), "bad.json", &small_with(r#""priority": 1"#, r#""priority": 0"#));
    sgplay()
        .arg("test")
        .arg(&good)
        .arg(&bad)
        .assert()
        .code(1)
        .stdout(contains("not a valid scenario").and(contains("priority")))
        .stdout(predicate::str::is_match(r"(?m)^2 passed, 1 failed$").expect("regex"));
}

#[test]
fn no_arguments_exit_2() {
    sgplay().arg("test").assert().code(2).stderr(contains("no scenario files"));
}

#[test]
fn a_missing_path_exits_2() {
    sgplay().args(["test", "no/such/dir"]).assert().code(2).stderr(contains("`no/such/dir`"));
}

#[test]
fn a_directory_without_scenarios_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    sgplay().arg("test").arg(dir.path()).assert().code(2).stderr(contains("no `.json` file"));
}

#[test]
fn json_report_counts_and_lists_outcomes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = write(dir.path(), "good.json", SMALL);
    let out = sgplay().args(["test", "--json"]).arg(&good).output().expect("run sgplay");
    assert_eq!(out.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON document");
    assert_eq!(value["passed"], 2);
    assert_eq!(value["failed"], 0);
    assert_eq!(value["files"][0]["tests"][0]["name"], "web reaches MySQL on db");
}
