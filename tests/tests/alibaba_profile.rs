//! The Alibaba profile end to end: what validation refuses (each problem at its path and field),
//! where Huawei and Alibaba disagree on the same world, the source map naming the implicit rules,
//! the trace's words, and Alibaba's limits as lints.

use sgplay_core::eval::explain::render_text;
use sgplay_core::profile::CloudProfile;
use sgplay_core::scenario::source_map::RuleOrigin;
use sgplay_core::scenario::{Problem, Severity};
use sgplay_core::{evaluate, ProbeSpec, ScenarioSpec, Verdict};
use sgplay_tests::{load, scenarios_dir};

const MIXED: &str = r#"{
  "version": 1,
  "name": "Alibaba problems",
  "profile": "alibaba",
  "security_groups": [
    {"id": "sg-basic", "rules": [
      {"id": "implicit-inner-ipv4", "direction": "ingress", "protocol": "tcp", "multiport": "22"}
    ]},
    {"id": "sg-ent", "type": "enterprise", "inner_access_policy": "Accept", "rules": [
      {"id": "from-group", "direction": "ingress", "remote_group_id": "sg-basic"}
    ]},
    {"id": "sg-odd", "type": "premium", "inner_access_policy": "sometimes", "rules": []}
  ],
  "instances": [
    {"id": "ecs-1", "ip": "10.0.0.1", "security_groups": ["sg-basic", "sg-ent"]}
  ]
}"#;

#[track_caller]
fn expect_error<'p>(problems: &'p [Problem], path: &str, field: &str, says: &str) -> &'p Problem {
    let listing = || problems.iter().map(|p| format!("  {} [{}] {}", p.path, p.field, p.message)).collect::<Vec<_>>().join("\n");
    let Some(p) = problems.iter().find(|p| p.path == path && p.field == field) else {
        panic!("no problem at `{path}` field `{field}`; problems:\n{}", listing())
    };
    assert_eq!(p.severity, Severity::Error, "{p}");
    assert!(p.message.contains(says), "the problem at `{path}` should say `{says}`: {p}");
    assert!(!p.message.ends_with('.'), "messages end without a period: {p}");
    p
}

fn problems(text: &str) -> Vec<Problem> {
    ScenarioSpec::parse(text).expect("well-formed JSON").build().expect_err("must not validate")
}

#[test]
fn an_eni_mixing_basic_and_enterprise_groups_is_an_error_naming_both() {
    let problems = problems(MIXED);
    let p = expect_error(&problems, "instances[0].security_groups", "security_groups", "mixes basic security groups");
    assert!(p.message.contains("`sg-basic`") && p.message.contains("`sg-ent`"), "{p}");
    assert_eq!(p.object, "instance `ecs-1`");
}

#[test]
fn enterprise_groups_cannot_reference_groups_and_always_isolate() {
    let problems = problems(MIXED);
    expect_error(&problems, "security_groups[1].rules[0].remote_group_id", "remote_group_id", "cannot reference security groups");
    expect_error(&problems, "security_groups[1].inner_access_policy", "inner_access_policy", "always isolates its members");
}

#[test]
fn bad_group_types_policies_and_reserved_ids_name_their_field() {
    let problems = problems(MIXED);
    expect_error(&problems, "security_groups[2].type", "type", "`basic`");
    expect_error(&problems, "security_groups[2].inner_access_policy", "inner_access_policy", "`Accept`");
    expect_error(&problems, "security_groups[0].rules[0]", "id", "implicit rules");
}

#[test]
fn alibaba_keys_under_the_huawei_profile_are_errors_not_ignored() {
    let text = MIXED.replace(r#""profile": "alibaba","#, "");
    let problems = problems(&text);
    expect_error(&problems, "security_groups[1].type", "type", "Alibaba Cloud security groups only");
    expect_error(&problems, "security_groups[1].inner_access_policy", "inner_access_policy", "`profile` to `alibaba`");
    let bad = MIXED.replace(r#""profile": "alibaba""#, r#""profile": "aws""#);
    expect_error(&self::problems(&bad), "profile", "profile", "`huawei` (the default) or `alibaba`");
}

fn aggregated_order() -> ScenarioSpec {
    load(&scenarios_dir().join("alibaba/alibaba-aggregated-order.json")).expect("the corpus file loads").spec
}

fn ssh_from_blocked_office(spec: &ScenarioSpec) -> (Verdict, String) {
    let scenario = spec.build().expect("valid under both profiles");
    let probe = ProbeSpec { from: "203.0.113.5".into(), to: "web".into(), protocol: "tcp".into(), port: Some(22), ..Default::default() };
    let packet = probe.resolve(&scenario.world).expect("the probe resolves");
    let eval = evaluate(&scenario.world, &packet);
    let rule = eval.deciding_rules().first().map(|(_, _, r)| r.to_string()).unwrap_or_default();
    (eval.verdict, rule)
}

/// The brief's disagreement: the same two groups, Huawei consults the first group (whose Accept
/// at priority 50 decides), Alibaba sorts both (the second group's Drop at priority 10 wins).
#[test]
fn huawei_and_alibaba_disagree_on_the_same_two_groups() {
    let alibaba = aggregated_order();
    assert_eq!(ssh_from_blocked_office(&alibaba), (Verdict::Deny, "block-office-ssh".to_string()));
    let huawei = ScenarioSpec { profile: None, ..alibaba };
    assert_eq!(ssh_from_blocked_office(&huawei), (Verdict::Allow, "web-ssh-any".to_string()));
}

#[test]
fn implicit_rules_come_from_the_engine_in_the_source_map() {
    let scenario = aggregated_order().build().expect("valid");
    assert_eq!(scenario.world.profile, CloudProfile::Alibaba);
    let web = scenario.world.security_groups.iter().position(|g| g.id == "sg-web").expect("sg-web");
    let rules = &scenario.world.security_groups[web].rules;
    let implicit: Vec<&str> = rules.iter().filter(|r| r.priority > 100).map(|r| r.id.as_str()).collect();
    assert_eq!(implicit, ["implicit-inner-ipv4", "implicit-inner-ipv6", "implicit-outbound-ipv4", "implicit-outbound-ipv6"]);
    for (r, rule) in rules.iter().enumerate() {
        let origin = scenario.source_map.rule(web, r);
        assert_eq!(origin == RuleOrigin::Engine, rule.priority > 100, "{}: {origin:?}", rule.id);
    }
}

#[test]
fn the_trace_speaks_alibaba() {
    let scenario = aggregated_order().build().expect("valid");
    let probe = ProbeSpec { from: "198.51.100.7".into(), to: "web".into(), protocol: "tcp".into(), port: Some(80), ..Default::default() };
    let text = render_text(&evaluate(&scenario.world, &probe.resolve(&scenario.world).expect("resolves")));
    for words in [
        "sorted together: priority 1 first, Drop before Accept at equal priority, no group sequence",
        "in the aggregated order",
        "PortRange 80/80",
        "authorization object 198.51.100.0/24",
        "Drop rule block-http-tie beats Accept rule web-http at priority 1",
        "dropped by rule block-http-tie (priority 1) of blocklist",
        "verdict: DROP at ",
    ] {
        assert!(text.contains(words), "the trace should say `{words}`:\n{text}");
    }
    assert!(!text.contains("group 1 of 2"), "no group-sequence step under Alibaba:\n{text}");
    assert!(!text.contains("DENY"), "Alibaba's verdict is DROP:\n{text}");
}

#[test]
fn alibaba_limits_are_lints_and_huawei_constraints_do_not_apply() {
    let groups: Vec<String> = (0..11).map(|n| format!(r#"{{"id": "sg-{n}", "rules": []}}"#)).collect();
    let ids: Vec<String> = (0..11).map(|n| format!(r#""sg-{n}""#)).collect();
    let text = format!(
        r#"{{"version": 1, "name": "eleven groups", "profile": "alibaba", "security_groups": [{}, {{"id": "sg-spare", "rules": []}}],
            "instances": [{{"id": "ecs-1", "ip": "10.0.0.1", "security_groups": [{}]}}]}}"#,
        groups.join(","),
        ids.join(",")
    );
    let scenario = ScenarioSpec::parse(&text).expect("JSON").build().expect("limits are not errors");
    let lints = sgplay_core::analysis::lint::lint(&scenario.world);
    let over: Vec<&str> = lints.iter().map(|l| l.problem.message.as_str()).filter(|m| m.contains("at most 10")).collect();
    assert_eq!(over.len(), 1, "{lints:#?}");
    assert!(!lints.iter().any(|l| l.problem.message.contains("no more than 5")), "Huawei's advice does not apply: {lints:#?}");
    // A basic group's implicit rule names the group itself; that does not make a spare group used.
    let unused: Vec<Option<&str>> =
        lints.iter().filter(|l| l.kind == sgplay_core::analysis::lint::LintKind::UnusedGroup).map(|l| l.group.as_deref()).collect();
    assert_eq!(unused, [Some("sg-spare")]);
}
