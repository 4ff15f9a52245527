//! `sgplay reach`: the matrix as text, JSON and CSV, and clear errors for bad services.

mod common;

use common::{sample, sgplay};

#[test]
fn the_sample_matrix_lists_allowed_pairs_in_json_and_csv() {
    let out = sgplay().args(["reach", "--json", "--services", "tcp:22,tcp:80,icmp"]).arg(sample()).output().expect("runs");
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["services"], serde_json::json!(["tcp:22", "tcp:80", "icmp"]));
    let pairs = report["pairs"].as_array().expect("pairs");
    assert!(pairs.iter().all(|p| !p["allowed"].as_array().unwrap().is_empty()));
    assert!(
        pairs.iter().any(|p| p["from"] == "ecs-a01" && p["to"] == "ecs-b01" && p["allowed"] == serde_json::json!(["tcp:22"])),
        "{pairs:?}"
    );
    let csv = sgplay().args(["reach", "--csv", "--services", "tcp:22,icmp"]).arg(sample()).output().expect("runs");
    let text = String::from_utf8_lossy(&csv.stdout);
    assert!(text.starts_with("from,to,tcp:22,icmp\n"), "{text}");
    assert!(text.contains("ecs-a01,ecs-b01,1,0"), "{text}");
}

#[test]
fn a_service_without_a_port_is_refused_with_the_fix() {
    let out = sgplay().args(["reach", "--services", "tcp"]).arg(sample()).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tcp and udp need a port, e.g. `tcp:443`"));
}
