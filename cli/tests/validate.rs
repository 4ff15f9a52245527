//! `sgplay validate`: every problem at once, errors before advice, exit 0/1/2.

mod common;

use common::{sample, sgplay, write};
use predicates::prelude::*;
use predicates::str::contains;

/// Four rules, each wrong in its own way, and an instance naming a group that does not exist.
const BROKEN: &str = r#"{
  "security_groups": [
    {"id": "sg-a", "rules": [
      {"id": "r1", "direction": "ingress", "ethertype": "IPv4", "protocol": "tcp", "multiport": "30-22", "action": "allow", "priority": 1},
      {"id": "r2", "direction": "ingress", "ethertype": "IPv4", "protocol": "icmp", "multiport": "22", "action": "allow", "priority": 1},
      {"id": "r3", "direction": "ingress", "ethertype": "IPv4", "protocol": "tcp", "multiport": "22", "action": "allow", "priority": 101},
      {"id": "r4", "direction": "ingress", "ethertype": "IPv4", "protocol": "tcp", "multiport": "22", "action": "allow", "remote_ip_prefix": "10.0.0.1/8"}
    ]}
  ],
  "instances": [{"id": "i1", "ip": "10.0.0.5", "security_groups": ["sg-a", "sg-zz"]}]
}"#;

#[test]
fn every_problem_of_a_broken_file_is_listed_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "broken.json", BROKEN);
    sgplay()
        .arg("validate")
        .arg(&file)
        .assert()
        .code(1)
        .stdout(contains("invalid, 5 errors"))
        .stdout(contains("rules[0].multiport").and(contains("`30-22`")))
        .stdout(contains("rules[1].multiport").and(contains("tcp and udp only")))
        .stdout(contains("rules[2].priority").and(contains("`101`")))
        .stdout(contains("rules[3].remote_ip_prefix").and(contains("`10.0.0.0/8`")))
        .stdout(contains("instances[0].security_groups[1]").and(contains("`sg-zz`")));
}

#[test]
fn advice_alone_keeps_the_file_valid() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(
        dir.path(),
        "open.json",
        r#"{"security_groups": [{"id": "sg", "rules": [
            {"id": "ssh", "direction": "ingress", "ethertype": "IPv4", "protocol": "tcp", "multiport": "22", "action": "allow", "priority": 1, "remote_ip_prefix": "0.0.0.0/0"},
            {"id": "out", "direction": "egress", "ethertype": "IPv4", "action": "allow", "priority": 1}]}],
          "instances": [{"id": "i1", "ip": "10.0.0.5", "security_groups": ["sg"]}]}"#,
    );
    sgplay().arg("validate").arg(&file).assert().code(0).stdout(contains("valid").and(contains("advice:")).and(contains("22")));
}

#[test]
fn the_sample_is_valid() {
    sgplay().arg("validate").arg(sample()).assert().code(0).stdout(contains(": valid"));
}

#[test]
fn json_lists_the_problems_with_their_fields() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "broken.json", BROKEN);
    let out = sgplay().args(["validate", "--json"]).arg(&file).output().expect("run sgplay");
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON document");
    assert_eq!(value["valid"], false);
    assert_eq!(value["errors"], 5);
    let problems = value["problems"].as_array().expect("problems is an array");
    assert_eq!(problems[0]["field"], "multiport");
    assert_eq!(problems[0]["value"], "30-22");
    assert!(problems.iter().all(|p| p["severity"] == "error"));
}

#[test]
fn an_unreadable_file_exits_2() {
    sgplay().args(["validate", "no/such/file.json"]).assert().code(2).stderr(contains("cannot read `no/such/file.json`"));
}
