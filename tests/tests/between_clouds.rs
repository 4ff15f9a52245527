//! Between clouds: a Huawei scenario against its Alibaba translation, by the exact what-if
//! diff. Where the group sequence decides (a Drop in the second group under an Accept in the
//! first), Alibaba's aggregated order changes the verdict and the report says so; where
//! neither the order nor Alibaba's default rules matter, it finds nothing.

use sgplay_core::interop::between_clouds::huawei_to_alibaba;
use sgplay_core::model::Action;
use sgplay_core::ScenarioSpec;
use std::path::Path;

/// The corpus's aggregated-order scenario, as a Huawei scenario.
fn two_groups_under_huawei() -> ScenarioSpec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/alibaba/alibaba-aggregated-order.json");
    let mut spec = ScenarioSpec::parse(&std::fs::read_to_string(path).expect("the corpus file")).expect("parses");
    spec.profile = None;
    spec.checks.clear();
    spec
}

#[test]
fn where_the_group_sequence_decides_the_translation_changes_the_verdict() {
    let between = huawei_to_alibaba(&two_groups_under_huawei()).unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(between.alibaba.profile.as_deref(), Some("alibaba"));
    assert_eq!(between.alibaba.instances.len(), 2, "the instances stay, to be compared");
    // SSH from the office to web: Huawei's first group (sg-web) accepts; on Alibaba the second
    // group's Drop at priority 10 comes first.
    let ssh = between.diff.changes.iter().find(|c| {
        c.dst.instance.as_deref() == Some("web")
            && c.protocol == "tcp"
            && c.ports.iter().any(|p| p == "22")
            && c.before == Action::Allow
            && c.after == Action::Deny
    });
    let ssh = ssh.unwrap_or_else(|| panic!("no closed SSH to web: {:#?}", between.diff.changes));
    assert!(ssh.rules_after.iter().any(|r| r.contains("block-office-ssh")), "{:?}", ssh.rules_after);
    assert!(ssh.src.iter().any(|s| s.contains("203.0.113.")), "{:?}", ssh.src);
    // Alibaba's default outbound rule opens what Huawei's groups (no egress rules) closed.
    assert!(between.diff.changes.iter().any(|c| c.opened()), "{:#?}", between.diff.changes);
}

#[test]
fn where_neither_order_nor_defaults_matter_there_is_no_difference() {
    let spec = ScenarioSpec::parse(
        r#"{"version": 1, "name": "one group, everything explicit",
            "security_groups": [{"id": "sg-web", "name": "web", "rules": [
                {"id": "ssh", "direction": "ingress", "protocol": "tcp", "multiport": "22,443", "remote_ip_prefix": "0.0.0.0/0"},
                {"id": "out-4", "direction": "egress", "ethertype": "IPv4"},
                {"id": "out-6", "direction": "egress", "ethertype": "IPv6"}]}],
            "instances": [{"id": "web", "ip": "10.0.0.5", "security_groups": ["sg-web"]}]}"#,
    )
    .expect("parses");
    let between = huawei_to_alibaba(&spec).unwrap_or_else(|p| panic!("{p:#?}"));
    assert!(between.diff.changes.is_empty(), "{:#?}", between.diff.changes);
    assert!(between.diff.skipped.is_empty(), "{:#?}", between.diff.skipped);
    // `22,443` became two Alibaba rules, and still decides the same.
    assert_eq!(between.alibaba.security_groups[0].rules.len(), 4);
}

#[test]
fn an_alibaba_scenario_is_not_translated_again() {
    let mut spec = two_groups_under_huawei();
    spec.profile = Some("alibaba".into());
    let problems = huawei_to_alibaba(&spec).expect_err("refused");
    assert_eq!(problems[0].path, "profile");
}
