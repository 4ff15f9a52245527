//! `sgplay diff`: exit codes (0 nothing changed, 1 something did or a file has errors, 2 a file
//! cannot be read), the JSON fields and the text line.

mod common;

use common::{sgplay, small_with, write, SMALL};

#[test]
fn the_same_world_twice_changes_nothing_and_exits_0() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = write(dir.path(), "a.json", SMALL);
    let b = write(dir.path(), "b.json", SMALL);
    let out = sgplay().arg("diff").arg(&a).arg(&b).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no verdict changes"));
    let json = sgplay().args(["diff", "--json"]).arg(&a).arg(&b).output().expect("runs");
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(report["changes"], serde_json::json!([]));
}

#[test]
fn a_wider_ssh_prefix_opens_ssh_from_the_new_addresses() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = write(dir.path(), "a.json", SMALL);
    let b = write(dir.path(), "b.json", &small_with("\"172.16.0.0/24\"", "\"172.16.0.0/16\""));
    let out = sgplay().args(["diff", "--json"]).arg(&a).arg(&b).output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "a change exits 1");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let changes = report["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let c = &changes[0];
    for field in ["src", "dst", "protocol", "ports", "before", "after", "example", "rules_before", "rules_after"] {
        assert!(c.get(field).is_some(), "{field} missing in {c}");
    }
    assert_eq!(c["src"], serde_json::json!(["172.16.1.0-172.16.255.255"]));
    assert_eq!(c["dst"], serde_json::json!({"instance": "web", "addresses": ["10.0.0.5"]}));
    assert_eq!((c["protocol"].as_str(), c["ports"].clone()), (Some("tcp"), serde_json::json!(["22"])));
    assert_eq!((c["before"].as_str(), c["after"].as_str()), (Some("deny"), Some("allow")));
    assert_eq!(c["rules_before"], serde_json::json!(["default deny (inbound)"]));
    assert_eq!(c["rules_after"], serde_json::json!(["sg-web/ssh"]));
    assert_eq!((c["example"]["src"].as_str(), c["example"]["dst_port"].as_u64()), (Some("172.16.1.0"), Some(22)));

    let text = sgplay().arg("diff").arg(&a).arg(&b).output().expect("runs");
    assert_eq!(text.status.code(), Some(1));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("opened: tcp 22 from 172.16.1.0-172.16.255.255 to web (10.0.0.5) (was denied by default deny (inbound), now allowed by sg-web/ssh"),
        "{text}"
    );
}

#[test]
fn moving_web_to_the_default_group_closes_mysql_and_ssh() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = write(dir.path(), "a.json", SMALL);
    let b = write(
        dir.path(),
        "b.json",
        &small_with(r#""ip": "10.0.0.5", "security_groups": ["sg-web"]"#, r#""ip": "10.0.0.5", "security_groups": []"#),
    );
    let out = sgplay().args(["diff", "--json"]).arg(&a).arg(&b).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let changes = report["changes"].as_array().expect("changes");
    let mysql = changes
        .iter()
        .find(|c| c["dst"]["instance"] == "db" && c["ports"] == serde_json::json!(["3306"]) && c["src"] == serde_json::json!(["10.0.0.5"]))
        .unwrap_or_else(|| panic!("{changes:#?}"));
    assert_eq!(mysql["before"], "allow");
    assert_eq!(mysql["after"], "deny");
    assert_eq!(mysql["rules_before"], serde_json::json!(["sg-web/out", "sg-db/mysql"]));
    // An instance written with no group gets the console's `default` group (SEMANTICS §6).
    assert_eq!(mysql["rules_after"], serde_json::json!(["default/default-out-ipv4-any", "default deny (inbound)"]));
    let ssh = changes
        .iter()
        .find(|c| c["dst"]["instance"] == "web" && c["ports"] == serde_json::json!(["22"]))
        .unwrap_or_else(|| panic!("{changes:#?}"));
    assert_eq!(ssh["src"], serde_json::json!(["172.16.0.0/24"]));
    assert_eq!((ssh["before"].as_str(), ssh["after"].as_str()), (Some("allow"), Some("deny")));
}

#[test]
fn an_unreadable_file_exits_2_and_a_file_with_errors_exits_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = write(dir.path(), "a.json", SMALL);
    let out = sgplay().arg("diff").arg(&a).arg(dir.path().join("missing.json")).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file"));
    let broken = write(dir.path(), "broken.json", &small_with("\"priority\": 1", "\"priority\": 500"));
    let out = sgplay().arg("diff").arg(&a).arg(&broken).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("has errors") && stderr.contains("priority"), "{stderr}");
}
