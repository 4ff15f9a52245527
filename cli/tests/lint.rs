//! `sgplay lint`: exact shadowed and redundant rules with their covering rules, `--json`, and
//! `--fail-on`.

mod common;

use common::sgplay;
use std::path::PathBuf;

fn matching_order() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios/huawei/matching-order.json")
}

#[test]
fn a_rule_behind_a_deny_of_the_same_priority_is_shadowed_with_its_cover_and_an_example() {
    let out = sgplay().args(["lint", "--json"]).arg(matching_order()).output().expect("runs");
    assert!(out.status.success(), "advice alone does not fail by default");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let findings = report["findings"].as_array().expect("findings");
    let t_allow = findings.iter().find(|f| f["rule"] == "T-allow" && f["kind"] == "shadowed").expect("T-allow is shadowed");
    assert_eq!(t_allow["covered_by"][0]["rule"], "T-deny");
    assert_eq!(t_allow["example"]["decided_by"]["rule"], "T-deny");
    assert!(findings.iter().any(|f| f["kind"] == "redundant"), "{findings:?}");
}

#[test]
fn fail_on_advice_exits_1_and_text_names_the_covering_rule() {
    let out = sgplay().args(["lint", "--fail-on", "advice"]).arg(matching_order()).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("`T-allow`") && text.contains("never takes effect: rule `T-deny` comes first"), "{text}");
}
