//! Validation regressions: a broken scenario reports every problem at once, each at the path and
//! field an editor needs to put the message next to the offending cell; huge pastes validate
//! without panicking, in reasonable time.

use sgplay_core::scenario::{Problem, Severity};
use sgplay_core::{decide, ProbeSpec, Scenario, ScenarioSpec, Verdict};
use std::time::{Duration, Instant};

const BROKEN: &str = r#"{
  "version": 1,
  "name": "everything wrong at once",
  "vpcs": [
    {"id": "vpc-1", "cidr": "192.168.0.0/16", "subnets": [
      {"id": "subnet-1", "cidr": "192.168.0.0/24"},
      {"id": "subnet-2", "cidr": "10.0.0.0/24"}
    ]}
  ],
  "address_groups": [
    {"id": "ipg-1", "ip_version": 4, "ip_set": ["10.0.0.9-10.0.0.1", "10.0.0.0/24"]}
  ],
  "security_groups": [
    {"id": "sg-a", "rules": [
      {"id": "reversed", "direction": "ingress", "protocol": "tcp", "multiport": "30-22"},
      {"id": "host-bits", "direction": "ingress", "remote_ip_prefix": "10.0.0.1/8"},
      {"id": "icmp-v6", "direction": "ingress", "ethertype": "IPv6", "protocol": "icmp"},
      {"id": "unknown-group", "direction": "ingress", "remote_group_id": "sg-nowhere"},
      {"id": "priority-zero", "direction": "ingress", "priority": 0},
      {"id": "angle", "direction": "ingress", "description": "<script>"},
      {"id": "twin", "direction": "egress"},
      {"id": "twin", "direction": "egress", "protocol": "udp"}
    ]},
    {"id": "sg-a", "rules": []}
  ],
  "instances": [
    {"id": "ecs-1", "subnet_id": "subnet-1", "ip": "192.168.1.10", "security_groups": ["sg-a"]},
    {"id": "ecs-1", "subnet_id": "subnet-1", "ip": "192.168.0.11", "security_groups": ["sg-a"]}
  ]
}"#;

#[track_caller]
fn expect_problem<'p>(problems: &'p [Problem], path: &str, field: &str, says: &str) -> &'p Problem {
    let found = problems.iter().find(|p| p.path == path && p.field == field);
    let listing = || problems.iter().map(|p| format!("  {} [{}] {}", p.path, p.field, p.message)).collect::<Vec<_>>().join("\n");
    let Some(p) = found else { panic!("no problem at `{path}` field `{field}`; problems:\n{}", listing()) };
    assert_eq!(p.severity, Severity::Error, "{p}");
    assert!(p.message.contains(says), "the problem at `{path}` should say `{says}`: {p}");
    assert!(!p.message.ends_with('.'), "messages end without a period: {p}");
    p
}

fn broken_problems() -> Vec<Problem> {
    let spec = ScenarioSpec::parse(BROKEN).expect("the broken scenario is well-formed JSON");
    spec.build().expect_err("the broken scenario must not validate")
}

#[test]
fn every_problem_is_reported_at_once_with_its_path_and_field() {
    let problems = broken_problems();
    let rules = "security_groups[0].rules";
    expect_problem(&problems, &format!("{rules}[0].multiport"), "multiport", "22-30");
    let host = expect_problem(&problems, &format!("{rules}[1].remote_ip_prefix"), "remote_ip_prefix", "`10.0.0.0/8`");
    assert_eq!(host.value, "10.0.0.1/8");
    expect_problem(&problems, &format!("{rules}[2].protocol"), "protocol", "icmpv6");
    expect_problem(&problems, &format!("{rules}[3].remote_group_id"), "remote_group_id", "`sg-a`");
    let prio = expect_problem(&problems, &format!("{rules}[4].priority"), "priority", "1 to 100");
    assert_eq!(prio.value, "0");
    expect_problem(&problems, &format!("{rules}[5].description"), "description", "`<`");
    expect_problem(&problems, &format!("{rules}[7]"), "id", "unique");
    expect_problem(&problems, "security_groups[1].id", "id", "twice");
    expect_problem(&problems, "instances[1].id", "id", "twice");
    let outside = expect_problem(&problems, "instances[0].ip", "ip", "subnet-1");
    assert_eq!(outside.value, "192.168.1.10");
    expect_problem(&problems, "vpcs[0].subnets[1].cidr", "cidr", "192.168.0.0/16");
    expect_problem(&problems, "address_groups[0].ip_set[0]", "ip_set[0]", "10.0.0.1-10.0.0.9");
}

#[test]
fn problems_name_the_object_and_the_value_in_words() {
    let problems = broken_problems();
    let p = problems.iter().find(|p| p.path == "security_groups[0].rules[0].multiport").expect("reported");
    assert_eq!(p.object, "rule `reversed` of security group `sg-a`");
    assert_eq!(p.value, "30-22");
    let shown = p.to_string();
    assert!(shown.starts_with("error: security_groups[0].rules[0].multiport"), "{shown}");
    assert!(problems.iter().all(|p| p.severity == Severity::Error), "a failed build lists errors first, and here only errors");
}

#[test]
fn a_valid_rule_next_to_broken_ones_reports_nothing() {
    let problems = broken_problems();
    assert!(!problems.iter().any(|p| p.path.starts_with("security_groups[0].rules[6]")), "the first `twin` is valid on its own");
    assert!(!problems.iter().any(|p| p.path.starts_with("security_groups[1].rules")), "the second group has no rules");
}

#[test]
fn a_typo_in_a_check_is_an_error_not_a_silently_skipped_expectation() {
    let text = r#"{"version": 1, "name": "t", "security_groups": [{"id": "sg", "rules": []}],
      "instances": [{"id": "a", "ip": "10.0.0.1", "security_groups": ["sg"]}],
      "checks": [{"name": "typo", "from": "1.2.3.4", "to": "a", "protocol": "tcp", "port": 22, "expect": "deny", "expect_rul": "x"}]}"#;
    let p = ScenarioSpec::parse(text).expect_err("unknown field");
    assert!(p.message.contains("expect_rul"), "{p}");
    assert_eq!(p.path, "checks[0]");
}

#[test]
fn a_wrong_expectation_word_is_reported_at_its_check() {
    let text = r#"{"version": 1, "name": "t", "security_groups": [{"id": "sg", "rules": []}],
      "instances": [{"id": "a", "ip": "10.0.0.1", "security_groups": ["sg"]}],
      "checks": [{"name": "wrong word", "from": "1.2.3.4", "to": "a", "protocol": "tcp", "port": 22, "expect": "allowed"}]}"#;
    let problems = ScenarioSpec::parse(text).expect("parses").build().expect_err("`allowed` is not a verdict");
    expect_problem(&problems, "checks[0].expect", "expect", "`allow` or `deny`");
}

#[test]
fn a_file_from_a_newer_sgplay_is_refused_with_the_reason() {
    let p = ScenarioSpec::parse(r#"{"version": 99, "name": "future"}"#).expect_err("newer format");
    assert_eq!(p.field, "version");
    assert!(p.message.contains("newer"), "{p}");
}

// ---------------------------------------------------------------------------------------------
// Huge pastes.

/// The build budget for the huge pastes; generous because CI builds tests unoptimised.
const BUDGET: Duration = Duration::from_secs(20);

fn huge_group(rules: impl Iterator<Item = String>) -> String {
    let rules: Vec<String> = rules.collect();
    format!(
        r#"{{"version": 1, "name": "huge", "security_groups": [{{"id": "sg-big", "rules": [{}]}}],
          "instances": [{{"id": "a", "ip": "10.0.0.1", "security_groups": ["sg-big"]}}]}}"#,
        rules.join(",\n")
    )
}

#[test]
fn five_thousand_rules_validate_in_reasonable_time() {
    let text = huge_group((0..5000).map(|i| {
        format!(
            r#"{{"id": "r{i}", "direction": "ingress", "protocol": "tcp", "multiport": "{},{}", "action": "{}", "priority": {}, "remote_group_id": "sg-big"}}"#,
            i + 1,
            i + 10_000,
            if i % 7 == 0 { "deny" } else { "allow" },
            i % 100 + 1
        )
    }));
    let start = Instant::now();
    let scenario = Scenario::from_json(&text).unwrap_or_else(|p| panic!("valid: {:?}", p.first()));
    let took = start.elapsed();
    println!("5,000 rules validated in {took:?}");
    assert_eq!(scenario.world.security_groups[0].rules.len(), 5000);
    assert!(took < BUDGET, "validating 5,000 rules took {took:?}");
    // The quota constraint: 5,000 rules with a group remote and inconsecutive ports is far past 120.
    assert!(
        scenario.notices.iter().any(|n| n.severity == Severity::Warning && n.message.contains("5000") && n.message.contains("120")),
        "expected the rule quota warning; notices: {:?}",
        scenario.notices.iter().map(|n| &n.message).take(3).collect::<Vec<_>>()
    );
    let probe = ProbeSpec { from: "10.0.0.9".into(), to: "a".into(), protocol: "tcp".into(), port: Some(2500), ..Default::default() };
    let packet = probe.resolve(&scenario.world).expect("resolves");
    assert_eq!(decide(&scenario.world, &packet), Verdict::Deny, "10.0.0.9 is no member of sg-big");
}

#[test]
fn five_thousand_pasted_sources_become_five_thousand_rules() {
    let sources: Vec<String> = (0..5000).map(|i| format!("10.{}.{}.0/24", i / 256, i % 256)).collect();
    let text = huge_group(std::iter::once(format!(
        r#"{{"id": "paste", "direction": "ingress", "protocol": "tcp", "multiport": "22", "remote_ip_prefix": "{}"}}"#,
        sources.join(",")
    )));
    let start = Instant::now();
    let scenario = Scenario::from_json(&text).unwrap_or_else(|p| panic!("valid: {:?}", p.first()));
    let took = start.elapsed();
    println!("a paste of 5,000 sources validated in {took:?}");
    let rules = &scenario.world.security_groups[0].rules;
    assert_eq!(rules.len(), 5000);
    assert_eq!(rules[4999].id, "paste-5000");
    assert!(took < BUDGET, "validating a paste of 5,000 sources took {took:?}");
    let probe = ProbeSpec { from: "10.19.135.7".into(), to: "a".into(), protocol: "tcp".into(), port: Some(22), ..Default::default() };
    let eval = sgplay_core::evaluate(&scenario.world, &probe.resolve(&scenario.world).expect("resolves"));
    assert_eq!(eval.verdict, Verdict::Allow);
    assert_eq!(eval.deciding_rules()[0].2, format!("paste-{}", 19 * 256 + 135 + 1));
}

#[test]
fn five_thousand_broken_rules_report_five_thousand_problems() {
    let text = huge_group(
        (0..5000).map(|i| format!(r#"{{"id": "r{i}", "direction": "ingress", "protocol": "icmp", "multiport": "{}-1"}}"#, i + 2)),
    );
    let start = Instant::now();
    let problems = Scenario::from_json(&text).expect_err("every rule is broken");
    let took = start.elapsed();
    println!("5,000 broken rules reported in {took:?}");
    assert!(took < BUDGET, "reporting 5,000 broken rules took {took:?}");
    let multiport = problems.iter().filter(|p| p.field == "multiport").count();
    assert_eq!(multiport, 5000, "one multiport problem per rule");
    assert!(problems.iter().any(|p| p.path == "security_groups[0].rules[4999].multiport"));
}

// ---------------------------------------------------------------------------------------------
// Sequences are read when the scenario is built: validation reports every shape problem at once,
// and the runner only ever gets typed steps (`scenario::Sequence`), so it never meets a malformed
// one.

const BROKEN_SEQUENCES: &str = r#"{"version": 1, "name": "t",
      "security_groups": [{"id": "sg", "rules": [{"id": "in", "direction": "ingress", "protocol": "tcp", "multiport": "22"}]}],
      "instances": [{"id": "a", "ip": "10.0.0.1", "security_groups": ["sg"]}],
      "sequences": [
        {"name": "reply to nothing", "steps": [{"reply": "ghost", "expect": "allow"}]},
        {"name": "invalid rule", "steps": [{"change": {"add_rule": {"group": "sg", "rule": {"direction": "sideways"}}}}]},
        {"name": "unknown group", "steps": [{"change": {"delete_rule": {"group": "sg-nowhere", "rule_id": "in"}}}]},
        {"name": "two actions", "steps": [{"advance": 5, "reply": "ghost"}]},
        {"name": "bad packet", "steps": [{"send": {"from": "nowhere", "to": "a", "protocol": "tcp", "port": 22}, "label": "c"}]},
        {"name": "unknown profile", "conntrack_profile": "bsd", "steps": [{"advance": 1}]}
      ]}"#;

#[test]
fn broken_sequences_are_validation_errors_all_at_once() {
    let problems = Scenario::from_json(BROKEN_SEQUENCES).expect_err("sequence shapes are validated");
    for (path, needle) in [
        ("sequences[0].steps[0].reply", "ghost"),
        ("sequences[1].steps[0].change.add_rule.rule.direction", "sideways"),
        ("sequences[2].steps[0].change", "sg-nowhere"),
        ("sequences[3].steps[0]", "exactly one"),
        ("sequences[4].steps[0].send.from", "nowhere"),
        ("sequences[5].conntrack_profile", "bsd"),
    ] {
        assert!(
            problems.iter().any(|p| p.path == path && (p.value.contains(needle) || p.message.contains(needle))),
            "no problem at {path} mentioning {needle}: {problems:#?}"
        );
    }
}

#[test]
fn a_broken_sequence_is_refused_by_the_parse_the_runner_needs() {
    // `Sequence::parse`, which the build reads sequences with, refuses each of these on its own too.
    let spec = ScenarioSpec::parse(BROKEN_SEQUENCES).expect("parses");
    let mut world_only = spec.clone();
    world_only.sequences.clear();
    let scenario = world_only.build().expect("the world is valid");
    for (i, seq) in spec.sequences.iter().enumerate() {
        let mut problems = sgplay_core::diagnostic::Problems::default();
        let parsed = sgplay_core::scenario::Sequence::parse(&scenario.world, seq, i, &mut problems);
        let found = problems.into_vec();
        assert!(parsed.is_none() && found.iter().any(|p| p.path.starts_with(&format!("sequences[{i}]"))), "{}: {found:?}", seq.name);
    }
}

/// `ScenarioSpec::build` reads checks and sequences into typed values, and validation reports every
/// problem at once: a sequence's shape (its profile, a step with two actions, an `expect` that is
/// not a verdict) is found then, not when the sequence runs.
#[test]

fn sequence_shape_problems_are_validation_errors() {
    let text = r#"{"version": 1, "name": "t",
      "security_groups": [{"id": "sg", "rules": []}],
      "instances": [{"id": "a", "ip": "10.0.0.1", "security_groups": ["sg"]}],
      "sequences": [
        {"name": "s", "conntrack_profile": "bsd", "steps": [{"advance": 5, "reply": "ghost", "expect": "maybe"}]}
      ]}"#;
    let problems = ScenarioSpec::parse(text).expect("parses").build().expect_err("three shape problems");
    expect_problem(&problems, "sequences[0].conntrack_profile", "conntrack_profile", "huawei");
    assert!(problems.iter().any(|p| p.path.starts_with("sequences[0].steps[0]")), "{problems:?}");
}

/// A malformed check is a validation error; a check naming an instance or rule the world does
/// not hold is a warning (an edit that deletes the rule a check expects stays possible) and
/// fails when `test` runs it: `validate` and `test` agree either way.
#[test]
fn checks_are_validated_completely_against_the_world() {
    let text = r#"{"version": 1, "name": "checks",
      "security_groups": [{"id": "sg", "rules": [{"id": "ssh", "direction": "ingress", "protocol": "tcp", "multiport": "22"}]}],
      "instances": [{"id": "a", "ip": "10.0.0.1", "security_groups": ["sg"]}],
      "checks": [
        {"name": "to nowhere", "from": "10.0.0.9", "to": "db", "protocol": "tcp", "port": 22, "expect": "allow"},
        {"name": "unknown rule", "from": "10.0.0.9", "to": "a", "protocol": "tcp", "port": 22, "expect": "allow", "expect_rule": "sshh"},
        {"name": "sideways", "from": "10.0.0.9", "to": "a", "protocol": "tcp", "port": 23, "expect": "deny", "expect_denied_at": "a/sideways"},
        {"name": "nobody", "from": "10.0.0.9", "to": "a", "protocol": "tcp", "port": 23, "expect": "deny", "expect_denied_at": "b"}
      ]}"#;
    let problems = Scenario::from_json(text).expect_err("the checks are broken");
    expect_problem(&problems, "checks[2].expect_denied_at", "expect_denied_at", "`inbound` or `outbound`");
    for (path, field, says) in [
        ("checks[0].to", "to", "neither an IP address nor an instance"),
        ("checks[1].expect_rule", "expect_rule", "no rule"),
        ("checks[3].expect_denied_at", "expect_denied_at", "names no instance"),
    ] {
        let p =
            problems.iter().find(|p| p.path == path && p.field == field).unwrap_or_else(|| panic!("no problem at {path}: {problems:?}"));
        assert_eq!(p.severity, Severity::Warning, "{p}");
        assert!(p.message.contains(says) && p.message.ends_with("this check fails until it does"), "{p}");
    }
    // Without the malformed one the scenario is usable, and `test` fails the stale checks.
    let usable = text.replace("a/sideways", "a/inbound");
    let scenario = Scenario::from_json(&usable).expect("only warnings");
    let outcomes: Vec<_> = scenario.checks.iter().map(|c| sgplay_core::testing::check::run_check(&scenario.world, c)).collect();
    assert!(!outcomes[0].passed && !outcomes[1].passed && !outcomes[3].passed, "{outcomes:?}");
}
