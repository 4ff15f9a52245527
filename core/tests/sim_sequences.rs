//! Stateful sequences as scenario files write them, run by `sim::run_sequence` through
//! `testing::run_scenario`: passing sequences, failing expectations, and malformed steps, each a
//! failure naming the step and the field.

use serde_json::{json, Value};
use sgplay_core::testing::{run_scenario, TestKind, TestOutcome};
use sgplay_core::Scenario;

fn world(sequences: Value) -> Value {
    json!({
      "security_groups": [
        {"id": "sg-a", "name": "Sg-A", "rules": [
          {"id": "A-out", "direction": "egress"}
        ]},
        {"id": "sg-b", "name": "Sg-B", "rules": [
          {"id": "B-ssh", "direction": "ingress", "protocol": "tcp", "multiport": "22", "remote_group_id": "sg-a"},
          {"id": "B-ping", "direction": "ingress", "protocol": "icmp"},
          {"id": "B-out", "direction": "egress"}
        ]}
      ],
      "instances": [
        {"id": "ecs-a", "name": "ECS-A", "ip": "10.0.0.1", "security_groups": ["sg-a"]},
        {"id": "ecs-b", "name": "ECS-B", "ip": "10.0.0.2", "security_groups": ["sg-b"]}
      ],
      "sequences": sequences
    })
}

/// Runs one sequence of `steps` (with optional extra sequence fields).
fn run(steps: Value, extra: Value) -> TestOutcome {
    let mut seq = json!({"name": "seq", "steps": steps});
    if let (Some(s), Some(e)) = (seq.as_object_mut(), extra.as_object()) {
        s.extend(e.clone());
    }
    // The sequence is attached after validation: validation rejects malformed steps up front,
    // and these tests check that the runner itself copes with them too.
    let mut scenario = Scenario::from_json(&world(json!([])).to_string()).expect("valid scenario");
    scenario.sequences = vec![serde_json::from_value(seq).expect("sequence shape")];
    let mut outcomes = run_scenario(&scenario);
    assert_eq!(outcomes.len(), 1);
    let o = outcomes.remove(0);
    assert_eq!(o.kind, TestKind::Sequence);
    o
}

#[track_caller]
fn passes(steps: Value) -> TestOutcome {
    let o = run(steps, json!({}));
    assert!(o.passed, "{:#?}\n{}", o.failures, o.details);
    o
}

#[track_caller]
fn fails_with(steps: Value, expected: &[&str]) -> TestOutcome {
    let o = run(steps, json!({}));
    assert!(!o.passed, "{}", o.details);
    assert_eq!(o.failures, expected, "{}", o.details);
    o
}

fn ssh() -> Value {
    json!({"send": {"from": "ecs-a", "to": "ecs-b", "protocol": "tcp", "port": 22}, "label": "ssh", "expect": "allow", "expect_rule": "B-ssh", "expect_tracked": false})
}

#[test]
fn a_whole_story_passes() {
    let o = passes(json!([
        ssh(),
        {"reply": "ssh", "expect": "allow", "expect_tracked": true},
        {"reply": "ssh", "expect": "allow", "expect_tracked": true, "note": "the client's ACK"},
        {"expect_connection": {"label": "ssh", "instance": "ecs-b", "state": "ESTABLISHED", "expires_in": 600}},
        {"expect_connection": {"label": "ssh", "instance": "ECS-A", "state": "established"}},
        {"advance": 100},
        {"change": {"delete_rule": {"group": "sg-b", "rule_id": "B-ssh"}}, "expect_cleared": ["ssh@ecs-b"]},
        {"expect_connection": {"label": "ssh", "instance": "ecs-b", "state": "CLEARED"}},
        {"reply": "ssh", "expect": "deny"},
        {"expect_connection": {"label": "ssh", "instance": "ecs-b", "state": "CUT", "expires_in": 600}},
        {"expect_connection": {"label": "ssh", "instance": "ecs-a", "state": "ESTABLISHED", "expires_in": 500}},
        {"advance": 600},
        {"expect_connection": {"label": "ssh", "instance": "ecs-b", "state": "NONE"}},
        {"send": {"from": "ecs-a", "to": "ecs-b", "protocol": "tcp", "port": 22, "src_port": 50000}, "label": "again", "expect": "deny"}
    ]));
    assert!(o.details.contains("step 1 at t=0: send"), "{}", o.details);
    assert!(o.details.contains("⇒ ECS-B inbound: allowed by rule B-ssh"), "{}", o.details);
    assert!(o.details.contains("clearing table: inbound allow rule B-ssh was deleted from Sg-B"), "{}", o.details);
    assert!(o.details.contains("denied — connection #2 was cut by a rule change and stays blocked until t=700s"), "{}", o.details);
    assert!(o.details.contains("note: the client's ACK"), "{}", o.details);
    assert!(o.details.contains("\nconnection tables at t=700:\n"), "{}", o.details);
    assert!(o.details.contains("\nevent log:\n  t=0 opened: connection #1"), "{}", o.details);
}

#[test]
fn replies_can_carry_flags_and_icmp_flows_work() {
    passes(json!([
        ssh(),
        {"reply": "ssh", "flags": "rst,ack", "expect": "allow", "expect_tracked": true},
        // A RST as the first reply: netfilter deletes the entry at once.
        {"expect_connection": {"label": "ssh", "instance": "ecs-b", "state": "NONE"}},
        {"send": {"from": "203.0.113.9", "to": "ecs-b", "protocol": "icmp"}, "label": "ping", "expect": "allow"},
        {"reply": "ping", "expect": "allow", "expect_tracked": true},
        {"expect_connection": {"label": "ping", "instance": "ecs-b", "state": "REPLIED", "expires_in": 30}}
    ]));
}

#[test]
fn the_linux_profile_is_selectable() {
    let o = run(
        json!([ssh(), {"expect_connection": {"label": "ssh", "instance": "ecs-b", "state": "SYN_SENT", "expires_in": 120}}]),
        json!({"conntrack_profile": "linux"}),
    );
    assert!(o.passed, "{:?}", o.failures);
    let o = run(json!([ssh()]), json!({"conntrack_profile": "bsd"}));
    assert_eq!(o.failures, ["conntrack_profile: `bsd` is not a connection tracking profile; use `huawei`, `linux` or `alibaba`"]);
}

#[test]
fn unmet_expectations_name_the_step() {
    fails_with(
        json!([
            {"send": {"from": "203.0.113.9", "to": "ecs-b", "protocol": "tcp", "port": 22}, "label": "x", "expect": "allow", "expect_rule": "B-ssh"},
            ssh(),
            {"send": {"from": "ecs-a", "to": "ecs-b", "protocol": "tcp", "port": 22}, "label": "dup", "expect_tracked": false},
            {"reply": "ssh", "expect_tracked": false},
            {"expect_connection": {"label": "ssh", "instance": "ecs-b", "state": "ESTABLISHED", "expires_in": 5}}
        ]),
        &[
            "step 1 (send): expected allow, got deny",
            "step 1 (send): expected rule B-ssh to decide, but no rule decided",
            "step 3 (send): expected the rules to decide every side, but ECS-A outbound: tracked (#1); ECS-B inbound: tracked (#2)",
            "step 4 (reply): expected the rules to decide every side, but ECS-B outbound: tracked (#2); ECS-A inbound: tracked (#1)",
            "step 5 (expect_connection): expected `ssh` on `ecs-b` to be ESTABLISHED, but it is SYN_RECV",
            "step 5 (expect_connection): expected `ssh` on `ecs-b` to expire in 5 s, but it expires in 30 s",
        ],
    );
}

#[test]
fn expect_cleared_lists_exactly_the_cleared_entries() {
    fails_with(
        json!([
            ssh(),
            {"send": {"from": "203.0.113.9", "to": "ecs-b", "protocol": "icmp"}},
            {"change": {"add_rule": {"group": "sg-b", "rule": {"direction": "ingress", "action": "deny", "remote_ip_prefix": "192.0.2.0/24"}}}, "expect_cleared": ["ssh@ecs-a"]}
        ]),
        &[
            "step 3 (change): expected `ssh@ecs-a` to be cleared, but it was not (cleared: `ssh@ecs-b`, connection #3 on `ecs-b`)",
            "step 3 (change): `ssh@ecs-b` was cleared, but `expect_cleared` does not list it",
            "step 3 (change): connection #3 on `ecs-b` was cleared, but `expect_cleared` does not list it",
        ],
    );
    passes(json!([
        ssh(),
        {"change": {"add_rule": {"group": "sg-b", "rule": {"direction": "ingress", "protocol": "udp", "multiport": "53"}}}, "expect_cleared": []}
    ]));
}

#[test]
fn malformed_steps_fail_clearly_and_the_run_goes_on() {
    let o = fails_with(
        json!([
            {},
            {"advance": 1, "reply": "x"},
            {"advance": 1, "label": "x"},
            {"send": {"from": "ecs-a", "to": "ecs-b", "protocol": "tcp", "port": 22}, "flags": "ack"},
            {"send": {"from": "ecs-a", "to": "ecs-b", "protocol": "tcp", "port": 22}, "expect": "maybe"},
            {"send": {"from": "ecs-z", "to": "ecs-b", "protocol": "tcp", "port": 22}},
            {"reply": "nothing"},
            ssh(),
            {"reply": "ssh", "label": "other"},
            {"reply": "ssh", "flags": "urgent"},
            {"change": {"add_rule": {"group": "sg-z", "rule": {"direction": "ingress"}}}},
            {"change": {"delete_rule": {"group": "sg-b", "rule_id": "B-out"}}, "expect_cleared": ["ssh"]},
            {"expect_connection": {"label": "ssh", "instance": "ecs-b", "state": "OPEN"}},
            {"expect_connection": {"label": "nope", "instance": "ecs-b", "state": "NONE"}},
            {"expect_connection": {"label": "ssh", "instance": "ecs-q", "state": "NONE"}},
            {"expect_connection": {"label": "ssh", "instance": "ecs-b", "state": "SYN_SENT"}}
        ]),
        &[
            "step 1: a step needs exactly one of `send`, `reply`, `advance`, `change`, `expect_connection`; found none",
            "step 2: a step needs exactly one of `send`, `reply`, `advance`, `change`, `expect_connection`; found `reply` and `advance`",
            "step 3 (advance): `label` does not apply to `advance` steps",
            "step 4 (send): `flags` does not apply to `send` steps; a sent packet's flags go in `send.flags`",
            "step 5 (send): `expect` must be `allow` or `deny`, not `maybe`",
            "step 6 (send): bad packet: error: from (packet): `ecs-z`: is neither an IP address nor an instance id; instances: `ecs-a`, `ecs-b`",
            "step 7 (reply): `reply` names `nothing`, but no packet was sent with that label; labels: none yet",
            "step 9 (reply): `label` does not apply to `reply` steps; a reply names its flow in `reply` itself",
            "step 10 (reply): `flags`: `urgent` is not a TCP flag; use syn, ack, fin, rst or psh, e.g. `syn,ack`",
            "step 11 (change): error: steps[10].change.add_rule.group (change): `sg-z`: no security group has this id; known groups: `sg-a`, `sg-b`",
            "step 12 (change): `expect_cleared` entry `ssh` must be written `label@instance`",
            "step 13 (expect_connection): `state` `OPEN` is not a state; use SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT, CLOSE_WAIT, LAST_ACK, TIME_WAIT, CLOSE, SYN_SENT2, UNREPLIED, REPLIED, CLEARED, CUT or NONE",
            "step 14 (expect_connection): `label` `nope`: no packet was sent with that label",
            "step 15 (expect_connection): `instance` `ecs-q`: no instance has this id or name",
        ],
    );
    assert!(o.details.contains("step 16 at t=0: expect_connection"), "the run went on after the failures:\n{}", o.details);
}

#[test]
fn a_sequence_without_steps_fails() {
    let o = run(json!([]), json!({}));
    assert_eq!(o.failures, ["the sequence has no steps"]);
}
