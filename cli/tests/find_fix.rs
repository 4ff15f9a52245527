//! `sgplay find` and `sgplay fix` on the Sg-A/Sg-B example.

mod common;

use common::{sample, sgplay};

#[test]
fn find_proves_none_exists_and_finds_a_denied_packet() {
    let none = sgplay()
        .args(["find", "--from", "internet", "--to", "ecs-b01", "--protocol", "tcp", "--port", "22"])
        .arg(sample())
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&none.stdout).starts_with("none exists"));
    let found =
        sgplay().args(["find", "--json", "--from", "ecs-a01", "--to", "ecs-b01", "--verdict", "deny"]).arg(sample()).output().unwrap();
    assert!(found.status.success());
    let answer: serde_json::Value = serde_json::from_slice(&found.stdout).unwrap();
    assert_eq!(answer["answer"], "found");
    assert_eq!(answer["packet"]["dst"], "192.168.1.10");
}

#[test]
fn fix_adds_one_allow_rule_and_names_what_else_it_opens() {
    let out = sgplay()
        .args(["fix", "--json", "--from", "ecs-a01", "--to", "ecs-b01", "--protocol", "tcp", "--port", "80"])
        .arg(sample())
        .output()
        .unwrap();
    assert!(out.status.success());
    let fix: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(fix["outcome"], "fixed");
    let rule = &fix["steps"][0]["edit"]["add_rule"]["rule"];
    assert_eq!(rule["remote_ip_prefix"], "192.168.0.10/32");
    assert_eq!(rule["multiport"], "80");
    let changes = fix["changes"].as_array().unwrap();
    assert!(changes.iter().any(|c| c["dst"]["instance"] == "ecs-b01"), "{changes:?}");
    assert!(changes.iter().any(|c| c["dst"]["instance"] == "ecs-b02"), "the other member of sg-b gets the flow too: {changes:?}");
    assert!(
        changes.iter().all(|c| c["before"] == "deny" && c["after"] == "allow" && c["ports"] == serde_json::json!(["80"])),
        "{changes:?}"
    );
}
