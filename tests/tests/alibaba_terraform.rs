//! Terraform for the alicloud provider in and out (`tests/fixtures/alibaba-terraform/main.tf`,
//! written from the provider's documentation): detected by the resources it names, imported
//! as an Alibaba-profile scenario with everything it cannot model a warning at its address,
//! errors at the argument, and every Alibaba corpus file exported and imported back to the
//! same security groups.

use sgplay_core::interop::{self, detect, import_any, Format, Imported};
use sgplay_core::profile::{CloudProfile, GroupKind};
use sgplay_core::scenario::ScenarioSpec;
use sgplay_tests::imports::{group, groups_any_as_none, lines, rule, text as s, warned};
use sgplay_tests::{load, scenario_files};
use std::path::Path;

fn fixture() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/alibaba-terraform/main.tf");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn imported() -> Imported {
    import_any(&[("main.tf", &fixture())]).unwrap_or_else(|p| panic!("import failed:\n{}", lines(&p)))
}

#[test]
fn alicloud_hcl_is_told_from_huaweicloud_hcl_by_the_resources_it_names() {
    assert_eq!(detect(&fixture()), Format::AlibabaTerraform);
    assert_eq!(detect("resource \"alicloud_security_group\" \"a\" {}"), Format::AlibabaTerraform);
    assert_eq!(detect("resource \"huaweicloud_networking_secgroup\" \"a\" {}"), Format::HuaweiTerraform);
    assert_eq!(Format::parse("alibaba-terraform"), Some(Format::AlibabaTerraform));
    // A `variables.tf` names no provider: it is read with the module's other files.
    let vars = "variable \"office\" {\n  default = \"10.0.0.0/8\"\n}\n";
    let main = "resource \"alicloud_security_group\" \"a\" {\n  name = \"a\"\n}\n\
                resource \"alicloud_security_group_rule\" \"r\" {\n  type = \"ingress\"\n  ip_protocol = \"tcp\"\n  \
                port_range = \"22/22\"\n  security_group_id = alicloud_security_group.a.id\n  cidr_ip = var.office\n}\n";
    let im = import_any(&[("variables.tf", vars), ("main.tf", main)]).unwrap_or_else(|p| panic!("{}", lines(&p)));
    assert_eq!(im.format, Format::AlibabaTerraform);
    assert!(im.warnings.is_empty(), "{}", lines(&im.warnings));
    assert_eq!(im.scenario.security_groups[0].rules[0].remote_ip_prefix.as_deref(), Some("10.0.0.0/8"));
}

#[test]
fn the_fixture_imports_as_an_alibaba_scenario_with_references_count_and_for_each() {
    let im = imported();
    assert_eq!(im.format, Format::AlibabaTerraform);
    assert_eq!(im.scenario.profile.as_deref(), Some("alibaba"));
    let ids: Vec<&str> = im.scenario.security_groups.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, ["tier[db]", "tier[web]", "isolated", "enterprise", "sg-bp174yoe2ib1sqj5****"]);
    let web = group(&im, "tier[web]");
    assert_eq!((web.name.as_str(), web.description.as_str()), ("sg-web", "Web servers"));
    assert_eq!((web.group_type.as_deref(), web.inner_access_policy.as_deref()), (Some("basic"), None));
    let rule_ids: Vec<&str> = web.rules.iter().filter_map(|r| r.id.as_deref()).collect();
    assert_eq!(rule_ids, ["web_http[0]", "web_http[1]", "allow_ssh", "deny_telnet", "ping6", "classic_public"]);
    // count.index into a local list of port ranges; "any address" is no remote.
    let https = rule(web, "web_http[1]");
    assert_eq!((https.multiport.clone(), https.remote_ip_prefix.as_deref()), (s("443"), None));
    assert_eq!(https.description.as_deref(), Some("web 1"));
    assert_eq!(rule(web, "allow_ssh").remote_ip_prefix.as_deref(), Some("203.0.113.0/24"));
    let telnet = rule(web, "deny_telnet");
    assert_eq!((telnet.action.as_deref(), telnet.priority.clone()), (Some("deny"), Some(2.into())));
    let ping6 = rule(web, "ping6");
    assert_eq!((ping6.ethertype.as_deref(), ping6.protocol.clone(), ping6.multiport.clone()), (Some("IPv6"), s("icmpv6"), None));
    // A group authorization by reference; another account's group, opaque.
    let db = group(&im, "tier[db]");
    assert_eq!(rule(db, "db_from_web").remote_group_id.as_deref(), Some("tier[web]"));
    assert_eq!(rule(db, "redis_partner").remote_group_id.as_deref(), Some("sg-bp174yoe2ib1sqj5****"));
    // `inner_access = false` is the Drop policy; an enterprise group always isolates.
    assert_eq!(group(&im, "isolated").inner_access_policy.as_deref(), Some("Drop"));
    let enterprise = group(&im, "enterprise");
    assert_eq!((enterprise.name.as_str(), enterprise.group_type.as_deref()), ("enterprise", Some("enterprise")));
    assert_eq!(rule(group(&im, "isolated"), "forbid_out").direction.as_deref(), Some("egress"));
    // What has no equivalent is named, never dropped silently.
    for (at, says) in [
        ("alicloud_security_group_rule.classic_public.nic_type", "classic network"),
        ("alicloud_security_group_rule.from_prefix_list.prefix_list_id", "not imported"),
        ("alicloud_security_group_rule.redis_partner.source_group_owner_account", "another account"),
        ("alicloud_security_group_rule.redis_partner.source_security_group_id", "not declared"),
        ("alicloud_instance.web", "not a resource sgplay models"),
        ("alicloud_vpc.main", "not a resource sgplay models"),
        ("data.alicloud_zones.default", "data source"),
    ] {
        warned(&im, &format!("main.tf: {at}"), says);
    }
    let scenario = im.scenario.build().unwrap_or_else(|p| panic!("{}", lines(&p)));
    assert_eq!(scenario.world.profile, CloudProfile::Alibaba);
    let kind = |id: &str| scenario.world.group(id).map(|g| g.kind);
    assert_eq!(kind("isolated"), Some(GroupKind::BasicIsolated));
    assert_eq!(kind("enterprise"), Some(GroupKind::Enterprise));
    // The opaque group holds only the engine's implicit rules.
    assert!(scenario.world.group("sg-bp174yoe2ib1sqj5****").is_some_and(|g| g.rules.iter().all(|r| r.priority > 100)));
}

#[test]
fn bad_arguments_are_errors_at_the_argument() {
    let bad = fixture().replacen("policy            = \"drop\"", "policy            = \"forbid\"", 1);
    let problems = import_any(&[("main.tf", &bad)]).unwrap_err();
    assert!(problems.iter().any(|p| p.path == "main.tf: alicloud_security_group_rule.deny_telnet.policy"), "{}", lines(&problems));
    assert!(problems.iter().any(|p| p.message.contains("`accept` or `drop`")), "{}", lines(&problems));
    // Validation's errors name the argument the field came from.
    let bad = fixture().replacen("\"22/22\"", "\"0/22\"", 1);
    let problems = import_any(&[("main.tf", &bad)]).unwrap_err();
    assert!(problems.iter().any(|p| p.path == "main.tf: alicloud_security_group_rule.allow_ssh.port_range"), "{}", lines(&problems));
    let bad = fixture().replacen("security_group_type = \"enterprise\"", "security_group_type = \"premium\"", 1);
    let problems = import_any(&[("main.tf", &bad)]).unwrap_err();
    assert!(problems.iter().any(|p| p.path == "main.tf: alicloud_security_group.enterprise.security_group_type"), "{}", lines(&problems));
    let bad = fixture().replacen("ip_protocol       = \"all\"", "ip_protocol       = \"esp\"", 1);
    let problems = import_any(&[("main.tf", &bad)]).unwrap_err();
    assert!(problems.iter().any(|p| p.path == "main.tf: alicloud_security_group_rule.forbid_out.ip_protocol"), "{}", lines(&problems));
}

/// Export then import gives back every group, its type and policy and every rule of the
/// Alibaba corpus (which writes single port ranges and ids that are HCL identifiers).
#[test]
fn every_alibaba_corpus_file_round_trips_through_alicloud_hcl() {
    let mut compared = 0;
    for path in scenario_files().into_iter().filter(|p| p.parent().and_then(|d| d.file_name()).is_some_and(|d| d == "alibaba")) {
        let file = load(&path).expect("loads");
        let exported = interop::export(&file.spec, Format::AlibabaTerraform).expect("exports");
        assert!(exported.left_out.iter().any(|p| p.path == "instances"), "instances are said to be left out");
        let back = import_any(&[("exported.tf", &exported.text)]).unwrap_or_else(|p| panic!("{}: {}", path.display(), lines(&p)));
        assert_eq!(back.format, Format::AlibabaTerraform);
        assert!(back.warnings.is_empty(), "{}: {}", path.display(), lines(&back.warnings));
        let (a, b) = (groups_any_as_none(&file.spec), groups_any_as_none(&back.scenario));
        let ids = |g: &[sgplay_core::model::SecurityGroup]| g.iter().map(|g| g.id.clone()).collect::<Vec<_>>();
        if ids(&a) == ids(&b) {
            assert_eq!(a, b, "{}: the groups changed through alibaba-terraform\n{}", path.display(), exported.text);
            compared += 1;
        }
    }
    assert!(compared >= 6, "only {compared} files kept their ids");
}

#[test]
fn a_state_of_alicloud_resources_is_an_alibaba_scenario() {
    let state = r#"{"format_version": "1.0", "terraform_version": "1.9.0", "values": {"root_module": {"resources": [
        {"address": "alicloud_security_group.web", "mode": "managed", "type": "alicloud_security_group", "name": "web",
         "values": {"id": "sg-bp1web", "name": "web", "description": "", "vpc_id": "vpc-bp1main", "security_group_type": "normal",
                    "inner_access_policy": "Accept", "resource_group_id": "", "tags": null}},
        {"address": "alicloud_security_group_rule.ssh", "mode": "managed", "type": "alicloud_security_group_rule", "name": "ssh",
         "values": {"id": "sg-bp1web:ingress:tcp:22/22:intranet:203.0.113.0/24:accept:1", "type": "ingress", "ip_protocol": "tcp",
                    "port_range": "22/22", "nic_type": "intranet", "policy": "accept", "priority": 1, "security_group_id": "sg-bp1web",
                    "cidr_ip": "203.0.113.0/24", "ipv6_cidr_ip": "", "source_security_group_id": "", "source_group_owner_account": "",
                    "prefix_list_id": "", "description": ""}}
    ]}}}"#;
    let im = import_any(&[("state.json", state)]).unwrap_or_else(|p| panic!("{}", lines(&p)));
    assert_eq!(im.format, Format::TerraformJson);
    assert_eq!(im.scenario.profile.as_deref(), Some("alibaba"));
    assert!(im.warnings.is_empty(), "{}", lines(&im.warnings));
    let web = group(&im, "sg-bp1web");
    assert_eq!(web.rules[0].multiport, s("22"));
    assert_eq!(web.rules[0].remote_ip_prefix.as_deref(), Some("203.0.113.0/24"));
}

#[test]
fn export_writes_one_rule_per_port_range_with_references() {
    let spec: ScenarioSpec = ScenarioSpec::parse(
        r#"{"version": 1, "name": "two", "profile": "alibaba", "security_groups": [
            {"id": "web", "name": "web", "rules": [
                {"id": "mail", "direction": "ingress", "protocol": "tcp", "multiport": "25,587-588", "remote_ip_prefix": "10.0.0.0/8"},
                {"id": "from-db", "direction": "ingress", "protocol": "tcp", "multiport": "22", "remote_group_id": "db"}]},
            {"id": "db", "name": "db", "type": "enterprise", "rules": [
                {"id": "esp", "direction": "ingress", "protocol": "50", "remote_ip_prefix": "10.0.0.0/8"}]}]}"#,
    )
    .expect("parses");
    let exported = interop::export(&spec, Format::AlibabaTerraform).unwrap_or_else(|p| panic!("{}", lines(&p)));
    for expected in [
        "resource \"alicloud_security_group_rule\" \"mail-1\"",
        "\"25/25\"",
        "resource \"alicloud_security_group_rule\" \"mail-2\"",
        "\"587/588\"",
        "= alicloud_security_group.db.id",
        "security_group_type = \"enterprise\"",
    ] {
        assert!(exported.text.contains(expected), "no `{expected}` in\n{}", exported.text);
    }
    assert!(exported.left_out.iter().any(|p| p.message.contains("`ip_protocol` cannot name")), "{}", lines(&exported.left_out));
    let back = import_any(&[("exported.tf", &exported.text)]).unwrap_or_else(|p| panic!("{}", lines(&p)));
    assert_eq!(back.scenario.security_groups[0].rules.len(), 3);
}
