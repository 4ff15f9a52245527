//! `sgplay export --format alibaba-api|alibaba-terraform --report`: a Huawei scenario's
//! verdicts against its Alibaba translation's, on stderr, while the export goes to stdout.

mod common;

use common::{sgplay, write};
use predicates::str::contains;

/// One instance in two groups: Huawei's first group accepts SSH, the second drops it first
/// by priority on Alibaba.
const TWO_GROUPS: &str = r#"{"version": 1, "name": "two groups",
  "security_groups": [
    {"id": "sg-web", "name": "web", "rules": [
      {"id": "ssh", "direction": "ingress", "protocol": "tcp", "multiport": "22", "priority": 50, "remote_ip_prefix": "0.0.0.0/0"},
      {"id": "out", "direction": "egress"}]},
    {"id": "sg-block", "name": "block", "rules": [
      {"id": "block-ssh", "direction": "ingress", "protocol": "tcp", "multiport": "22", "action": "deny", "priority": 10, "remote_ip_prefix": "203.0.113.0/24"}]}],
  "instances": [{"id": "web", "ip": "10.0.0.5", "security_groups": ["sg-web", "sg-block"]}]}"#;

#[test]
fn report_names_the_verdict_the_aggregated_order_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "two.json", TWO_GROUPS);
    let out = sgplay().arg("export").arg(&file).args(["--format", "alibaba-terraform", "--report"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("its Alibaba translation") && stderr.contains("closed: tcp 22"), "{stderr}");
    assert!(stderr.contains("block-ssh"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("resource \"alicloud_security_group\""));
}

#[test]
fn report_is_for_alibaba_formats_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "two.json", TWO_GROUPS);
    sgplay().arg("export").arg(&file).args(["--format", "huawei-api", "--report"]).assert().code(2).stderr(contains("--report"));
}
