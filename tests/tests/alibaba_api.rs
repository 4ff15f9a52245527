//! Alibaba Cloud `DescribeSecurityGroupAttribute` JSON (`tests/fixtures/alibaba-api/`, written
//! from the ECS API reference, with its loose cases): imported as an Alibaba scenario with every
//! unmodelled field a warning at its path, and every Alibaba corpus file exported and imported
//! back to the same security groups.

use sgplay_core::interop::{export, import_any, Format};
use sgplay_core::profile::CloudProfile;
use sgplay_core::{evaluate, ProbeSpec, Verdict};
use sgplay_tests::imports::groups_any_as_none;
use sgplay_tests::{load, scenario_files};
use std::path::Path;

fn fixture() -> (String, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/alibaba-api/describe-security-group-attribute.json");
    ("describe-security-group-attribute.json".into(), std::fs::read_to_string(path).expect("the fixture"))
}

#[test]
fn a_response_imports_with_its_loose_values_and_every_warning_at_its_path() {
    let (name, text) = fixture();
    let imported = import_any(&[(&name, &text)]).expect("imports");
    assert_eq!(imported.format, Format::AlibabaApi);
    let scenario = imported.scenario.build().expect("valid");
    assert_eq!(scenario.world.profile, CloudProfile::Alibaba);
    let web = scenario.world.group("sg-bp1gxw6bznjjvhu3****").expect("the group");
    let ids: Vec<&str> = web.rules.iter().filter(|r| r.priority <= 100).map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["sgr-ssh-office", "sgr-web", "sgr-redis-partner", "sgr-ping6", "sgr-forbid-out"]);
    let paths: Vec<&str> = imported.warnings.iter().map(|w| w.path.as_str()).collect();
    for expected in [
        "describe-security-group-attribute.json: Permissions.Permission[1].SourcePortRange",
        "describe-security-group-attribute.json: Permissions.Permission[2].SourceGroupOwnerAccount",
        "describe-security-group-attribute.json: Permissions.Permission[4].NicType",
        "describe-security-group-attribute.json: Permissions.Permission[4].Color",
    ] {
        assert!(paths.contains(&expected), "no warning at `{expected}`: {paths:#?}");
    }
    // The other account's group is an opaque group of its own, with a warning.
    assert!(scenario.world.group("sg-bp174yoe2ib1sqj5****").is_some_and(|g| g.rules.iter().all(|r| r.priority > 100)));
    assert!(imported.warnings.iter().any(|w| w.message.contains("opaque group")));
}

#[test]
fn a_bad_policy_is_an_error_at_the_api_field() {
    let (name, text) = fixture();
    let text = text.replacen(r#""Policy": "accept""#, r#""Policy": "Permit""#, 1);
    let problems = import_any(&[(&name, &text)]).expect_err("refused");
    assert_eq!(problems[0].path, "describe-security-group-attribute.json: Permissions.Permission[1].Policy");
    assert!(problems[0].message.contains("`Accept` or `Drop`"), "{}", problems[0]);
    let text = fixture().1.replacen(r#""PortRange": "80/443""#, r#""PortRange": "443/80""#, 1);
    let problems = import_any(&[(&name, &text)]).expect_err("refused");
    assert!(
        problems.iter().any(|p| p.path.starts_with("describe-security-group-attribute.json: Permissions.Permission[1]")),
        "{problems:#?}"
    );
}

/// Export then import gives back every group, its type and policy and every rule (the corpus
/// writes no IPv6 group references and no address groups, which the format cannot carry).
#[test]
fn every_alibaba_corpus_file_round_trips_through_the_api_shape() {
    let mut compared = 0;
    for path in scenario_files().into_iter().filter(|p| p.parent().and_then(|d| d.file_name()).is_some_and(|d| d == "alibaba")) {
        let file = load(&path).expect("loads");
        let exported = export(&file.spec, Format::AlibabaApi).expect("exports");
        assert!(exported.left_out.iter().any(|p| p.path == "instances"), "instances are said to be left out");
        let back = import_any(&[("exported.json", &exported.text)]).unwrap_or_else(|p| panic!("{}: {p:#?}", path.display()));
        assert_eq!(back.format, Format::AlibabaApi);
        let (a, b) = (groups_any_as_none(&file.spec), groups_any_as_none(&back.scenario));
        assert_eq!(a, b, "{}: the groups changed through alibaba-api", path.display());
        compared += 1;
    }
    assert!(compared >= 8, "only {compared} files");
}

/// The imported rules mean what they meant: the whitelist's Forbid at priority 2 still beats
/// the basic group's implicit outbound rule after the round trip.
#[test]
fn imported_rules_decide_as_the_cloud_would() {
    let (name, text) = fixture();
    let mut spec = import_any(&[(&name, &text)]).expect("imports").scenario;
    spec.instances =
        serde_json::from_str(r#"[{"id": "ecs-1", "ip": "172.16.1.10", "security_groups": ["sg-bp1gxw6bznjjvhu3****"]}]"#).unwrap();
    let scenario = spec.build().expect("valid");
    let probe = |to: &str, port: u16| ProbeSpec {
        from: "ecs-1".into(),
        to: to.into(),
        protocol: "tcp".into(),
        port: Some(port),
        ..Default::default()
    };
    let out = evaluate(&scenario.world, &probe("8.8.8.8", 443).resolve(&scenario.world).unwrap());
    assert_eq!(out.verdict, Verdict::Deny);
    assert_eq!(out.deciding_rules()[0].2, "sgr-forbid-out");
    let web = ProbeSpec { from: "198.51.100.7".into(), to: "ecs-1".into(), protocol: "tcp".into(), port: Some(443), ..Default::default() };
    assert_eq!(evaluate(&scenario.world, &web.resolve(&scenario.world).unwrap()).verdict, Verdict::Allow);
}
