//! `sgplay eval`: verdicts, the trace, `--json`, and exit code 2 on input it cannot use.

mod common;

use common::{sample, sgplay, small_with, write};
use predicates::prelude::*;
use predicates::str::contains;

#[test]
fn ssh_from_the_office_is_allowed_by_a01() {
    sgplay()
        .args(["eval", "--world"])
        .arg(sample())
        .args(["--from", "172.16.0.8", "--to", "ecs-a01", "--protocol", "tcp", "--port", "22"])
        .assert()
        .success()
        .stdout(contains("ALLOW").and(contains("A01")).and(contains("verdict: ALLOW")))
        .stdout(contains("\x1b[").not());
}

#[test]
fn http_from_sg_a_to_sg_b_is_denied_with_the_trace() {
    sgplay()
        .args(["eval", "--world"])
        .arg(sample())
        .args(["--from", "ecs-a01", "--to", "ecs-b01", "--protocol", "tcp", "--port", "80"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("DENY"))
        .stdout(contains("tcp 80 is not in 22"))
        .stdout(contains("denied by default"))
        .stdout(contains("verdict: DENY at ECS-B01 inbound"));
}

#[test]
fn an_address_outside_the_world_is_the_internet() {
    sgplay()
        .args(["eval", "--world"])
        .arg(sample())
        .args(["--from", "ecs-a01", "--to", "203.0.113.10", "--protocol", "tcp", "--port", "443"])
        .assert()
        .success()
        .stdout(contains("the Internet").and(contains("A-out")));
}

#[test]
fn json_is_one_object_with_the_verdict_trace_and_steps() {
    let out = sgplay()
        .args(["eval", "--world"])
        .arg(sample())
        .args(["--from", "ecs-b02", "--to", "ecs-b01", "--protocol", "icmp", "--json"])
        .output()
        .expect("run sgplay");
    assert!(out.status.success());
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON document");
    assert_eq!(value["verdict"], "allow");
    for key in ["packet", "from", "to", "hops", "notes", "steps"] {
        assert!(value.get(key).is_some(), "`{key}` is in the JSON");
    }
    let steps = value["steps"].as_array().expect("steps is an array");
    assert_eq!(steps.last().map(|s| s["kind"].clone()), Some("verdict".into()));
    assert!(steps.iter().all(|s| s["sentence"].is_string()));
    assert_eq!(value["hops"].as_array().map(Vec::len), Some(2));
}

#[test]
fn json_of_a_deny_says_deny() {
    let out = sgplay()
        .args(["eval", "--world"])
        .arg(sample())
        .args(["--from", "ecs-b01", "--to", "ecs-a01", "--protocol", "tcp", "--port", "22", "--json"])
        .output()
        .expect("run sgplay");
    assert_eq!(out.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON document");
    assert_eq!(value["verdict"], "deny");
}

#[test]
fn an_unknown_instance_exits_2_and_lists_the_instances() {
    sgplay()
        .args(["eval", "--world"])
        .arg(sample())
        .args(["--from", "ecs-zz", "--to", "ecs-b01", "--protocol", "tcp", "--port", "22"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("`ecs-zz`").and(contains("`ecs-a01`")));
}

#[test]
fn every_problem_with_the_packet_is_reported() {
    sgplay()
        .args(["eval", "--world"])
        .arg(sample())
        .args(["--from", "ecs-a01", "--to", "ecs-b01", "--protocol", "icmp", "--port", "22", "--family", "IPv5"])
        .assert()
        .code(2)
        .stderr(contains("--port `22`").and(contains("--family `IPv5`")));
}

#[test]
fn tcp_without_a_port_exits_2() {
    sgplay()
        .args(["eval", "--world"])
        .arg(sample())
        .args(["--from", "ecs-a01", "--to", "ecs-b01", "--protocol", "tcp"])
        .assert()
        .code(2)
        .stderr(contains("--port").and(contains("needs a destination port")));
}

#[test]
fn icmp_options_on_a_tcp_packet_exit_2() {
    sgplay()
        .args(["eval", "--world"])
        .arg(sample())
        .args(["--from", "ecs-a01", "--to", "ecs-b01", "--protocol", "tcp", "--port", "22", "--icmp-type", "3"])
        .assert()
        .code(2)
        .stderr(contains("--icmp-type `3`"));
}

#[test]
fn a_missing_world_file_exits_2() {
    sgplay()
        .args(["eval", "--world", "no/such/world.json", "--from", "a", "--to", "b", "--protocol", "tcp", "--port", "1"])
        .assert()
        .code(2)
        .stderr(contains("cannot read `no/such/world.json`: no such file"));
}

#[test]
fn a_file_that_is_not_json_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let world = write(dir.path(), "world.json", "{\"security_groups\": [");
    sgplay()
        .args(["eval", "--world"])
        .arg(&world)
        .args(["--from", "a", "--to", "b", "--protocol", "tcp", "--port", "1"])
        .assert()
        .code(2)
        .stderr(contains("is not a valid scenario").and(contains("line 1")));
}

#[test]
fn a_reversed_port_range_in_a_rule_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let world = write(dir.path(), "world.json", &small_with(r#""multiport": "3306""#, r#""multiport": "3306-3300""#));
    sgplay()
        .args(["eval", "--world"])
        .arg(&world)
        .args(["--from", "web", "--to", "db", "--protocol", "tcp", "--port", "3306"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("multiport").and(contains("`3306-3300`")).and(contains("reversed")));
}

#[test]
fn an_out_of_range_port_argument_exits_2() {
    sgplay()
        .args(["eval", "--world"])
        .arg(sample())
        .args(["--from", "ecs-a01", "--to", "ecs-b01", "--protocol", "tcp", "--port", "70000"])
        .assert()
        .code(2);
}

#[test]
fn color_always_paints_allow_green() {
    sgplay()
        .args(["--color", "always", "eval", "--world"])
        .arg(sample())
        .args(["--from", "172.16.0.8", "--to", "ecs-a01", "--protocol", "tcp", "--port", "22"])
        .assert()
        .success()
        .stdout(contains("\x1b[1;32mALLOW\x1b[0m"));
}
