//! `sgplay generate`: a synthetic world that validates, the same bytes for the same seed, and
//! clap errors for arguments it cannot use.

mod common;

use common::sgplay;
use predicates::prelude::*;
use predicates::str::contains;

const SMALL: [&str; 8] = ["--instances", "12", "--groups", "5", "--rules", "8", "--address-groups", "3"];

#[test]
fn a_generated_world_validates_and_its_checks_pass() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("world.json");
    sgplay()
        .arg("generate")
        .args(SMALL)
        .args(["--seed", "7", "-o"])
        .arg(&file)
        .assert()
        .success()
        .stdout("")
        .stderr(contains("12 instances").and(contains("5 security groups")));
    sgplay().arg("validate").arg(&file).assert().code(0).stdout(contains(": valid"));
    sgplay().arg("test").arg(&file).assert().code(0).stdout(contains("0 failed"));
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b) = (dir.path().join("a.json"), dir.path().join("b.json"));
    for file in [&a, &b] {
        sgplay().arg("generate").args(SMALL).args(["--seed", "42", "-o"]).arg(file).assert().success();
    }
    let first = std::fs::read(&a).expect("read a");
    assert_eq!(first, std::fs::read(&b).expect("read b"));
    let stdout = sgplay().arg("generate").args(SMALL).args(["--seed", "42"]).output().expect("run sgplay");
    assert!(stdout.status.success());
    assert_eq!(stdout.stdout, first, "stdout and -o write the same document");
    let other = sgplay().arg("generate").args(SMALL).args(["--seed", "43"]).output().expect("run sgplay");
    assert_ne!(other.stdout, first, "another seed, another world");
}

#[test]
fn stdout_is_one_scenario_with_the_counts_asked_for() {
    let out = sgplay().arg("generate").args(SMALL).output().expect("run sgplay");
    assert!(out.status.success());
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON document");
    assert_eq!(value["instances"].as_array().map(Vec::len), Some(12));
    assert_eq!(value["security_groups"].as_array().map(Vec::len), Some(5));
    assert_eq!(value["address_groups"].as_array().map(Vec::len), Some(3));
    assert!(value["description"].as_str().is_some_and(|d| d.contains("--seed 1")));
}

#[test]
fn arguments_it_cannot_use_are_clap_errors() {
    sgplay().args(["generate", "--instances", "0"]).assert().code(2).stderr(contains("--instances").and(contains("1..=100000")));
    sgplay().args(["generate", "--rules", "1001"]).assert().code(2).stderr(contains("--rules").and(contains("0..=1000")));
    sgplay().args(["generate", "--seed", "minus-one"]).assert().code(2).stderr(contains("--seed"));
    sgplay()
        .args(["generate", "--groups", "3", "--groups-per-instance", "5"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("more than --groups 3").and(contains("Usage: sgplay generate")));
    sgplay().args(["generate", "--instances", "6000", "--groups", "1"]).assert().code(2).stderr(contains("cannot fit in 1 group of fewer than 6000"));
}

#[test]
fn a_file_it_cannot_write_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    sgplay()
        .arg("generate")
        .args(SMALL)
        .arg("-o")
        .arg(dir.path().join("no/such/dir/world.json"))
        .assert()
        .code(2)
        .stderr(contains("cannot write").and(contains("no such file")));
}
