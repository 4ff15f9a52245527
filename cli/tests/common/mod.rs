//! Helpers shared by the CLI tests: the binary, the sample scenario, small scenario files.

#![allow(dead_code)] // each test binary uses its own subset

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The `sgplay` binary, colors off whatever the terminal.
pub fn sgplay() -> Command {
    let mut cmd = Command::cargo_bin("sgplay").expect("the sgplay binary is built for tests");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// The Huawei overview example: Sg-A and Sg-B.
pub fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios/huawei/overview-sg-a-sg-b.json")
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create the temp directory");
    }
    std::fs::write(&path, text).expect("write the temp scenario");
    path
}

/// A small valid world: `web` (SSH from the office, everything out) and `db` (MySQL from `web`).
pub const SMALL: &str = r#"{
  "name": "small",
  "security_groups": [
    {"id": "sg-web", "rules": [
      {"id": "ssh", "direction": "ingress", "ethertype": "IPv4", "protocol": "tcp", "multiport": "22", "action": "allow", "priority": 1, "remote_ip_prefix": "172.16.0.0/24"},
      {"id": "out", "direction": "egress", "ethertype": "IPv4", "action": "allow", "priority": 1}
    ]},
    {"id": "sg-db", "rules": [
      {"id": "mysql", "direction": "ingress", "ethertype": "IPv4", "protocol": "tcp", "multiport": "3306", "action": "allow", "priority": 1, "remote_group_id": "sg-web"},
      {"id": "out", "direction": "egress", "ethertype": "IPv4", "action": "allow", "priority": 1}
    ]}
  ],
  "instances": [
    {"id": "web", "ip": "10.0.0.5", "security_groups": ["sg-web"]},
    {"id": "db", "ip": "10.0.0.6", "security_groups": ["sg-db"]}
  ],
  "checks": [
    {"name": "web reaches MySQL on db", "from": "web", "to": "db", "protocol": "tcp", "port": 3306, "expect": "allow", "expect_rule": "mysql"},
    {"name": "db cannot SSH into web", "from": "db", "to": "web", "protocol": "tcp", "port": 22, "expect": "deny"}
  ]
}"#;

/// `SMALL` with `from` replaced by `to` once.
pub fn small_with(from: &str, to: &str) -> String {
    assert!(SMALL.contains(from), "the fixture contains {from}");
    SMALL.replacen(from, to, 1)
}
