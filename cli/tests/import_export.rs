//! `sgplay import` and `sgplay export`, and Huawei API output read directly by the other
//! commands.

mod common;

use common::{sgplay, write, SMALL};
use predicates::prelude::*;
use predicates::str::contains;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/huawei-api").join(name)
}

fn estate() -> Vec<PathBuf> {
    [
        "list-security-groups.json",
        "show-security-group.json",
        "list-security-group-rules-page-1.json",
        "list-security-group-rules-page-2.json",
        "create-security-group-rule.json",
        "list-address-groups.json",
        "list-servers-details.json",
    ]
    .into_iter()
    .map(fixture)
    .collect()
}

#[test]
fn import_prints_a_valid_scenario_and_the_warnings() {
    let out = sgplay().arg("import").args(estate()).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: ") && stderr.contains("address_groups[0].ip_extra_set"), "{stderr}");
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = write(dir.path(), "estate.json", &String::from_utf8_lossy(&out.stdout));
    sgplay().arg("validate").arg(&scenario).assert().code(0).stdout(contains(": valid"));
    let spec: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON scenario");
    assert_eq!(spec["security_groups"].as_array().map(Vec::len), Some(2));
    assert_eq!(spec["instances"][0]["eip"], "203.0.113.10");
}

#[test]
fn import_writes_the_file_with_o() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("estate.json");
    sgplay()
        .arg("import")
        .args(estate())
        .arg("-o")
        .arg(&target)
        .assert()
        .code(0)
        .stdout("")
        .stderr(contains("wrote").and(contains("9 rules")));
    assert!(std::fs::read_to_string(&target).expect("written").contains("\"security_groups\""));
}

#[test]
fn import_reports_errors_at_the_api_field_and_exits_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(fixture("list-security-group-rules-page-1.json")).expect("fixture").replace("\"3306\"", "\"0-22\"");
    let rules = write(dir.path(), "rules.json", &text);
    sgplay()
        .arg("import")
        .arg(&rules)
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("rules.json: security_group_rules[0].multiport").and(contains("`0-22`")).and(contains("cannot import")));
}

#[test]
fn import_of_a_missing_file_exits_2() {
    sgplay().args(["import", "no/such/file.json"]).assert().code(2).stderr(contains("cannot read `no/such/file.json`"));
}

#[test]
fn a_forced_format_reads_the_file_as_that_format() {
    // A scenario file read as API output: its keys are unknown there, and it has no groups.
    let dir = tempfile::tempdir().expect("temp dir");
    let small = write(dir.path(), "small.json", SMALL);
    sgplay()
        .args(["import", "--format", "huawei-api"])
        .arg(&small)
        .assert()
        .code(0)
        .stderr(contains("`instances`").or(contains("instances")));
    sgplay().args(["import", "--format", "scenario"]).arg(&small).assert().code(0).stdout(contains("\"sg-web\""));
}

#[test]
fn export_writes_the_api_listings_and_what_it_left_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let small = write(dir.path(), "small.json", SMALL);
    let out = sgplay().arg("export").arg(&small).args(["--format", "huawei-api"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for shape in ["\"security_groups\"", "\"security_group_rules\"", "\"address_groups\"", "\"servers\"", "\"OS-EXT-IPS:type\": \"fixed\""]
    {
        assert!(text.contains(shape), "{shape} missing:\n{text}");
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("checks and sequences"), "the checks are not exported, and it says so");
    // Only some listings.
    let rules =
        sgplay().arg("export").arg(&small).args(["--format", "huawei-api", "--only", "security-group-rules"]).output().expect("runs");
    let rules = String::from_utf8_lossy(&rules.stdout);
    assert!(rules.contains("\"security_group_rules\"") && !rules.contains("\"servers\""), "{rules}");
}

#[test]
fn the_commands_take_api_output_directly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let small = write(dir.path(), "small.json", SMALL);
    let api = dir.path().join("small-api.json");
    sgplay().arg("export").arg(&small).args(["--format", "huawei-api", "-o"]).arg(&api).assert().code(0);
    // The same world: nothing changes between the scenario and its export.
    sgplay().arg("diff").arg(&small).arg(&api).assert().code(0).stdout(contains("no verdict changes"));
    sgplay()
        .args(["eval", "--world"])
        .arg(&api)
        .args(["--from", "web", "--to", "db", "--protocol", "tcp", "--port", "3306"])
        .assert()
        .code(0)
        .stdout(contains("ALLOW"));
    sgplay().arg("validate").arg(&api).assert().code(0);
    sgplay().arg("lint").arg(&api).assert().code(0);
    sgplay().arg("reach").arg(&api).assert().code(0);
    sgplay().arg("test").arg(&api).assert().code(0);
    // One API file alone: its import warnings are part of what validate lists.
    sgplay().arg("validate").arg(fixture("list-servers-details.json")).assert().code(0).stdout(contains("not in the input"));
    // The scenario's own advice is said at the input's places, not the scenario's.
    sgplay()
        .arg("validate")
        .arg(fixture("list-security-group-rules-page-1.json"))
        .assert()
        .code(0)
        .stdout(contains("list-security-group-rules-page-1.json: security_group_rules[1] (rule `a3b0c7de-96a1-4b6e-8d1e-2f5c9d7e0102`"));
}
