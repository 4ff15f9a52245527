//! `sgplay import` and `sgplay export` with Terraform: HCL for the huaweicloud and alicloud providers and
//! `terraform show -json`.

mod common;

use common::{sgplay, write, SMALL};
use predicates::str::contains;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/terraform").join(name)
}

#[test]
fn import_reads_hcl_detected_and_forced() {
    let out = sgplay().arg("import").arg(fixture("main.tf")).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("\"tier[web]\"") && stdout.contains("\"remote_group_id\": \"tier[web]\""), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("huaweicloud_networking_secgroup_rule.elsewhere.security_group_id"), "{stderr}");
    assert!(stderr.contains("data.huaweicloud_availability_zones.zones"), "{stderr}");
    sgplay().args(["import", "--format", "huawei-terraform"]).arg(fixture("main.tf")).assert().code(0);
    // Forced as the wrong format, the file is an error, not a guess.
    sgplay().args(["import", "--format", "terraform-json"]).arg(fixture("main.tf")).assert().code(1).stderr(contains("is not valid JSON"));
}

#[test]
fn import_reads_a_state_and_a_plan() {
    sgplay().arg("import").arg(fixture("state.json")).assert().code(0).stdout(contains("0c4a2336-b036-4fa2-bc3c-1a291ed4c431"));
    sgplay()
        .args(["import", "--format", "terraform-json"])
        .arg(fixture("plan.json"))
        .assert()
        .code(0)
        .stdout(contains("\"from_legacy[0]\""))
        .stderr(contains("not known until apply"));
}

#[test]
fn export_writes_hcl_that_import_and_the_other_commands_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let small = write(dir.path(), "small.json", SMALL);
    let tf = dir.path().join("small.tf");
    let out = sgplay().arg("export").arg(&small).args(["--format", "huawei-terraform", "-o"]).arg(&tf).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("instances") && stderr.contains("checks and sequences"), "{stderr}");
    let text = std::fs::read_to_string(&tf).expect("written");
    assert!(text.contains("resource \"huaweicloud_networking_secgroup\"") && text.contains("delete_default_rules = true"), "{text}");
    assert!(text.contains("huaweicloud_networking_secgroup_rule"), "{text}");
    sgplay().arg("import").arg(&tf).assert().code(0).stdout(contains("\"security_groups\""));
    sgplay().arg("validate").arg(&tf).assert().code(0);
    sgplay().arg("lint").arg(&tf).assert().code(0);
    // --only is for the API listings.
    sgplay()
        .arg("export")
        .arg(&small)
        .args(["--format", "huawei-terraform", "--only", "servers"])
        .assert()
        .code(2)
        .stderr(contains("--only"));
}

fn alibaba_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/alibaba-terraform/main.tf")
}

#[test]
fn import_reads_alicloud_hcl_as_an_alibaba_scenario() {
    let out = sgplay().arg("import").arg(alibaba_fixture()).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("\"profile\": \"alibaba\"") && stdout.contains("\"remote_group_id\": \"tier[web]\""), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("alicloud_security_group_rule.classic_public.nic_type"), "{stderr}");
    sgplay().args(["import", "--format", "alibaba-terraform"]).arg(alibaba_fixture()).assert().code(0);
}

#[test]
fn export_writes_alicloud_hcl_that_import_reads_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let aggregated = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios/alibaba/alibaba-aggregated-order.json");
    let tf = dir.path().join("alicloud.tf");
    let out = sgplay().arg("export").arg(&aggregated).args(["--format", "alibaba-terraform", "-o"]).arg(&tf).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&tf).expect("written");
    assert!(text.contains("resource \"alicloud_security_group_rule\"") && text.contains("port_range"), "{text}");
    sgplay().arg("import").arg(&tf).assert().code(0).stdout(contains("\"profile\": \"alibaba\""));
}
