//! Stateful sequences as scenario files write them, run by `sim::run_sequence` through
//! `testing::run_scenario`: passing sequences and failing expectations, each failure naming the
//! step; malformed steps are refused when the scenario is built, each at its path.

use serde_json::{json, Value};
use sgplay_core::testing::{run_scenario, TestKind, TestOutcome};
use sgplay_core::{Problem, Scenario};

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

/// The scenario with one sequence of `steps` (with optional extra sequence fields).
fn build(steps: Value, extra: Value) -> Result<Scenario, Vec<Problem>> {
    let mut seq = json!({"name": "seq", "steps": steps});
    if let (Some(s), Some(e)) = (seq.as_object_mut(), extra.as_object()) {
        s.extend(e.clone());
    }
    Scenario::from_json(&world(json!([seq])).to_string())
}

/// Runs one sequence of `steps` (with optional extra sequence fields).
fn run(steps: Value, extra: Value) -> TestOutcome {
    let scenario = build(steps, extra).unwrap_or_else(|problems| panic!("invalid scenario: {problems:#?}"));
    let mut outcomes = run_scenario(&scenario);
    assert_eq!(outcomes.len(), 1);
    let o = outcomes.remove(0);
    assert_eq!(o.kind, TestKind::Sequence);
    o
}

/// The errors building the scenario with a sequence of `steps` reports, as `path: message`.
fn refused(steps: Value, extra: Value) -> Vec<String> {
    let problems = build(steps, extra).expect_err("the sequence is malformed");
    problems.iter().filter(|p| p.is_error()).map(|p| format!("{}: {}", p.path, p.message)).collect()
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
        {"expect_connection": {"label": "ssh", "instance": "ecs-a", "state": "established"}},
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
    assert_eq!(
        refused(json!([ssh()]), json!({"conntrack_profile": "bsd"})),
        ["sequences[0].conntrack_profile: `bsd` is not a connection tracking profile; use `huawei`, `linux` or `alibaba`"]
    );
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
fn malformed_steps_are_refused_at_their_paths_all_at_once() {
    let found = refused(
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
        json!({}),
    );
    let steps = "sequences[0].steps";
    assert_eq!(
        found,
        [
            format!("{steps}[0]: a step does exactly one of send, reply, advance, change, expect_connection; this one has none"),
            format!("{steps}[1]: a step does exactly one of send, reply, advance, change, expect_connection; this one has reply and advance"),
            format!("{steps}[1].reply: no earlier send step has this label"),
            format!("{steps}[2].label: belongs on a send step"),
            format!("{steps}[3].flags: belongs on a reply step; a send carries its flags in the packet"),
            format!("{steps}[4].expect: must be `allow` or `deny`"),
            format!("{steps}[5].send.from: is neither an IP address nor an instance id; instances: `ecs-a`, `ecs-b`"),
            format!("{steps}[6].reply: no earlier send step has this label"),
            format!("{steps}[8].label: belongs on a send step; a reply names its flow in `reply` itself"),
            format!("{steps}[9].flags: `urgent` is not a TCP flag; use syn, ack, fin, rst or psh, e.g. `syn,ack`"),
            format!("{steps}[10].change: no security group has this id"),
            format!("{steps}[11].expect_cleared: must be `label@instance` with a label of an earlier send and an instance id"),
            format!("{steps}[12].expect_connection.state: is not a state; use SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT, CLOSE_WAIT, LAST_ACK, TIME_WAIT, CLOSE, SYN_SENT2, UNREPLIED, REPLIED, CLEARED, CUT or NONE"),
            format!("{steps}[13].expect_connection.label: no earlier send step has this label"),
            format!("{steps}[14].expect_connection.instance: no instance has this id"),
        ]
    );
}

#[test]
fn a_sequence_without_steps_is_refused() {
    assert_eq!(
        refused(json!([]), json!({})),
        ["sequences[0].steps: is empty; a sequence needs at least one step (a `send`, to begin with)"]
    );
}
