//! `--profile huawei|alibaba`: every command that loads a scenario follows it over the file's
//! `profile` key, and a bad value is a usage error naming the choices.

mod common;

use common::{sgplay, write};
use predicates::prelude::*;
use predicates::str::contains;
use std::path::{Path, PathBuf};

fn aggregated() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios/alibaba/alibaba-aggregated-order.json")
}

fn ssh(profile: Option<&str>) -> assert_cmd::assert::Assert {
    let mut cmd = sgplay();
    cmd.args(["eval", "--world"]).arg(aggregated()).args(["--from", "203.0.113.5", "--to", "web", "--protocol", "tcp", "--port", "22"]);
    if let Some(p) = profile {
        cmd.args(["--profile", p]);
    }
    cmd.assert().success()
}

#[test]
fn the_file_says_alibaba_and_the_second_groups_drop_wins() {
    ssh(None)
        .stdout(predicate::str::starts_with("DENY"))
        .stdout(contains("dropped by rule block-office-ssh (priority 10) of blocklist"))
        .stdout(contains("Alibaba Cloud"));
}

#[test]
fn profile_huawei_overrides_the_file_and_the_first_group_decides() {
    ssh(Some("huawei")).stdout(predicate::str::starts_with("ALLOW")).stdout(contains("group 1 of 2: web"));
}

#[test]
fn profile_alibaba_turns_a_huawei_file_into_an_alibaba_world() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(aggregated()).expect("read").replace(r#""profile": "alibaba","#, "");
    let file = write(dir.path(), "huawei.json", &text);
    let run = |profile: &[&str]| {
        let mut cmd = sgplay();
        cmd.arg("test").arg(&file).args(profile);
        cmd.assert()
    };
    // Under Huawei the first check's Drop no longer decides; under --profile alibaba every check passes.
    run(&[]).code(1).stdout(contains("SSH from 203.0.113.5"));
    run(&["--profile", "alibaba"]).success().stdout(contains("6 passed, 0 failed"));
}

#[test]
fn a_bad_profile_is_a_usage_error() {
    sgplay()
        .args(["validate"])
        .arg(aggregated())
        .args(["--profile", "aws"])
        .assert()
        .code(2)
        .stderr(contains("`aws` is not a cloud profile; use `huawei` (the default) or `alibaba`"));
}
