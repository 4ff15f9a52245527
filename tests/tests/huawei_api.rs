//! Importing Huawei Cloud API output (`tests/fixtures/huawei-api/`, written from the VPC v3 and
//! ECS API references: field names, types, the loose number/string cases, paging) and exporting
//! it back.

use sgplay_core::interop::{self, huawei_api::Listing, import_any, Format, Imported};
use sgplay_core::{decide, ProbeSpec, Problem, ScenarioSpec, Severity, Verdict};
use std::path::Path;

const WEB: &str = "0c4a2336-b036-4fa2-bc3c-1a291ed4c431";
const DB: &str = "4f2a7a7e-6f5f-4b51-9d3c-7f6f4e0c2b11";
const OFFICE: &str = "1e0e7a0a-5c2b-4a8f-8c58-3d2b7e9a6f01";

/// The whole estate: groups, one group's rules nested, the other's in two pages, a create
/// body, the address groups and the servers.
const ESTATE: [&str; 7] = [
    "list-security-groups.json",
    "show-security-group.json",
    "list-security-group-rules-page-1.json",
    "list-security-group-rules-page-2.json",
    "create-security-group-rule.json",
    "list-address-groups.json",
    "list-servers-details.json",
];

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/huawei-api").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn import(names: &[&str]) -> Result<Imported, Vec<Problem>> {
    let texts: Vec<(String, String)> = names.iter().map(|n| (n.to_string(), fixture(n))).collect();
    let inputs: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    import_any(&inputs)
}

fn imported(names: &[&str]) -> Imported {
    import(names).unwrap_or_else(|problems| panic!("import failed:\n{}", lines(&problems)))
}

fn lines(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("  {p}\n")).collect()
}

fn verdict(spec: &ScenarioSpec, from: &str, to: &str, protocol: &str, port: Option<u16>) -> Verdict {
    let world = spec.build().unwrap_or_else(|p| panic!("the imported scenario does not build:\n{}", lines(&p))).world;
    let probe = ProbeSpec { from: from.into(), to: to.into(), protocol: protocol.into(), port, ..Default::default() };
    decide(&world, &probe.resolve(&world).expect("the packet resolves"))
}

#[test]
fn the_estate_imports_into_one_scenario() {
    let imp = imported(&ESTATE);
    assert_eq!(imp.format, Format::HuaweiApi);
    let spec = &imp.scenario;
    let groups: Vec<(&str, &str, usize)> = spec.security_groups.iter().map(|g| (g.id.as_str(), g.name.as_str(), g.rules.len())).collect();
    // sg-web's rules come nested in ShowSecurityGroup; sg-db's from two pages and a create body.
    assert_eq!(groups, [(WEB, "sg-web", 4), (DB, "sg-db", 5)]);
    let db = &spec.security_groups[1];
    let ids: Vec<Option<&str>> = db.rules.iter().map(|r| r.id.as_deref()).collect();
    assert_eq!(
        ids,
        [
            Some("a3b0c7de-96a1-4b6e-8d1e-2f5c9d7e0101"),
            Some("a3b0c7de-96a1-4b6e-8d1e-2f5c9d7e0102"),
            Some("a3b0c7de-96a1-4b6e-8d1e-2f5c9d7e0103"),
            Some("a3b0c7de-96a1-4b6e-8d1e-2f5c9d7e0104"),
            None
        ],
        "rules keep the order of the pages"
    );
    // The create body's `"priority": "10"` and `"multiport": 9104` are a number and a string.
    let created = &db.rules[4];
    assert_eq!(created.priority, Some(serde_json::json!(10)));
    assert_eq!(created.multiport, Some(serde_json::json!("9104")));
    // Address group: ip_set, with the ip_extra_set entries once each.
    assert_eq!(spec.address_groups[0].id, OFFICE);
    assert_eq!(spec.address_groups[0].ip_set, serde_json::json!(["192.168.52.0/24", "10.8.0.1-10.8.0.9"]));
    // Servers: the fixed address, the floating one as the EIP, the IPv6 one, the ordered groups.
    let web = &spec.instances[0];
    assert_eq!((web.name.as_str(), web.ip.as_deref(), web.eip.as_deref()), ("ecs-web-01", Some("192.168.0.10"), Some("203.0.113.10")));
    assert_eq!(web.security_groups, [WEB]);
    let db = &spec.instances[1];
    assert_eq!((db.ip.as_deref(), db.ipv6.as_deref()), (Some("192.168.0.20"), Some("2407:c080:802:be7::20")));
    // The one warning: a remark on an address group entry is not modelled.
    let warnings: Vec<(&str, &str)> = imp.warnings.iter().map(|w| (w.path.as_str(), w.field.as_str())).collect();
    assert_eq!(warnings, [("list-address-groups.json: address_groups[0].ip_extra_set", "remarks")], "{}", lines(&imp.warnings));
}

#[test]
fn the_imported_estate_decides_as_its_rules_say() {
    let spec = imported(&ESTATE).scenario;
    assert_eq!(verdict(&spec, "ecs-web-01", "ecs-db-01", "tcp", Some(3306)), Verdict::Allow, "remote_group_id resolves to sg-web");
    assert_eq!(verdict(&spec, "198.51.100.7", "ecs-web-01", "tcp", Some(443)), Verdict::Allow);
    assert_eq!(verdict(&spec, "192.168.52.9", "ecs-web-01", "tcp", Some(22)), Verdict::Allow, "remote_address_group_id resolves");
    assert_eq!(verdict(&spec, "198.51.100.7", "ecs-web-01", "tcp", Some(22)), Verdict::Deny);
    assert_eq!(verdict(&spec, "10.8.3.4", "ecs-db-01", "tcp", Some(9104)), Verdict::Allow, "the create body's rule is in force");
}

#[test]
fn pages_as_files_or_one_after_another_in_one_text_are_the_same() {
    let files = imported(&["list-security-group-rules-page-1.json", "list-security-group-rules-page-2.json"]);
    let both = format!("{}\n{}", fixture("list-security-group-rules-page-1.json"), fixture("list-security-group-rules-page-2.json"));
    let one = import_any(&[("pasted", &both)]).unwrap();
    assert_eq!(one.scenario.security_groups, files.scenario.security_groups);
    // The same one warning (sg-web is named by a rule but not given), at the same place.
    assert_eq!(one.warnings.len(), 1, "{}", lines(&one.warnings));
    assert_eq!(one.warnings[0].path, "pasted (document 1): security_group_rules[0].remote_group_id");
    assert_eq!(files.warnings[0].path, "list-security-group-rules-page-1.json: security_group_rules[0].remote_group_id");
}

#[test]
fn a_missing_last_page_is_reported() {
    let imp = imported(&["list-security-group-rules-page-1.json"]);
    let w = imp.warnings.iter().find(|w| w.field == "next_marker").expect("a warning about the missing page");
    assert_eq!(w.path, "list-security-group-rules-page-1.json: page_info.next_marker");
    assert!(w.message.contains("last page"), "{w}");
}

#[test]
fn a_page_shorter_than_its_count_is_reported() {
    let text = fixture("list-security-group-rules-page-2.json").replace("\"current_count\": 2", "\"current_count\": 3");
    let imp = import_any(&[("page.json", &text)]).unwrap();
    let w = imp.warnings.iter().find(|w| w.field == "current_count").expect("a warning about the count");
    assert!(w.message.contains("holds 2 records"), "{w}");
}

#[test]
fn a_disabled_rule_is_left_out_with_a_warning_and_unknown_fields_are_named() {
    let imp = imported(&["list-security-groups.json", "rules-disabled-and-unknown.json"]);
    let db = imp.scenario.security_groups.iter().find(|g| g.id == DB).unwrap();
    let ids: Vec<&str> = db.rules.iter().filter_map(|r| r.id.as_deref()).collect();
    assert_eq!(ids, ["c9d8e7f6-0a1b-4c2d-8e3f-4a5b6c7d8e02", "c9d8e7f6-0a1b-4c2d-8e3f-4a5b6c7d8e03"], "the disabled rule is not in force");
    let disabled = imp.warnings.iter().find(|w| w.field == "enabled").expect("a warning for the disabled rule");
    assert_eq!(disabled.path, "rules-disabled-and-unknown.json: security_group_rules[0].enabled");
    assert!(disabled.message.contains("not in force"), "{disabled}");
    // `log_enabled` is not a field we know: one warning, at its first place, counting the others.
    let unknown: Vec<&Problem> = imp.warnings.iter().filter(|w| w.field == "log_enabled").collect();
    assert_eq!(unknown.len(), 1, "{}", lines(&imp.warnings));
    assert_eq!(unknown[0].path, "rules-disabled-and-unknown.json: security_group_rules[1].log_enabled");
    assert!(unknown[0].object.contains("1 more"), "{}", unknown[0]);
    assert!(imp.warnings.iter().all(|w| w.severity == Severity::Warning));
    // Documented fields (`created_at` in both timestamp forms, `project_id`, `tags`, …) are not warnings.
    assert_eq!(imp.warnings.len(), 2, "{}", lines(&imp.warnings));
}

#[test]
fn the_documented_fields_of_every_fixture_raise_no_warning() {
    let imp = imported(&["list-security-groups.json", "list-ports.json"]);
    let fields: Vec<&str> = imp.warnings.iter().map(|w| w.field.as_str()).collect();
    assert_eq!(fields, ["device_owner"], "{}", lines(&imp.warnings));
}

#[test]
fn ports_are_instances_with_their_virtual_ips() {
    let imp = imported(&["list-security-groups.json", "list-ports.json"]);
    let [port] = imp.scenario.instances.as_slice() else { panic!("one instance: the DHCP port is the cloud's") };
    assert_eq!(port.id, "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c81");
    assert_eq!(port.name, "b0a2d7f4-1c3e-4f5a-8b6c-7d8e9f0a1b21", "a port without a name is named by its device");
    assert_eq!((port.ip.as_deref(), port.virtual_ips.as_slice()), (Some("192.168.0.10"), ["192.168.0.100".to_string()].as_slice()));
    assert_eq!(port.security_groups, [WEB]);
    let dhcp = &imp.warnings[0];
    assert!(dhcp.value.contains("network:dhcp") && dhcp.message.contains("1 port(s)"), "{dhcp}");
}

#[test]
fn a_group_only_referenced_is_imported_empty_with_a_warning() {
    let imp = imported(&["list-servers-details.json"]);
    let groups: Vec<(&str, &str, usize)> =
        imp.scenario.security_groups.iter().map(|g| (g.id.as_str(), g.name.as_str(), g.rules.len())).collect();
    assert_eq!(groups, [(WEB, "sg-web", 0), (DB, "sg-db", 0)]);
    let w: Vec<&str> = imp.warnings.iter().filter(|w| w.message.contains("not in the input")).map(|w| w.path.as_str()).collect();
    assert_eq!(w, ["list-servers-details.json: servers[0].security_groups[0]", "list-servers-details.json: servers[1].security_groups[0]"]);
    // Rules naming a group that is not given: the group comes too, so the remote still resolves.
    let imp = imported(&["list-security-group-rules-page-1.json", "list-security-group-rules-page-2.json"]);
    assert!(imp.scenario.security_groups.iter().any(|g| g.id == WEB && g.rules.is_empty()));
    assert!(imp.warnings.iter().any(|w| w.path.ends_with("security_group_rules[0].remote_group_id")), "{}", lines(&imp.warnings));
}

#[test]
fn server_groups_given_by_name_alone_resolve_to_the_group_of_that_name() {
    let servers =
        fixture("list-servers-details.json").replace(&format!(r#", "id": "{WEB}""#), "").replace(&format!(r#", "id": "{DB}""#), "");
    assert!(!servers.contains(&format!(r#""id": "{WEB}""#)), "the fixture lists groups as {{name, id}}");
    let groups = fixture("list-security-groups.json");
    let imp = import_any(&[("groups.json", &groups), ("servers.json", &servers)]).unwrap();
    assert_eq!(imp.scenario.instances[0].security_groups, [WEB]);
    assert_eq!(imp.scenario.instances[1].security_groups, [DB]);
    assert!(imp.warnings.is_empty(), "{}", lines(&imp.warnings));
    // Two groups of that name and no id: the server cannot say which.
    let twice = groups.replace(r#""name": "sg-db""#, r#""name": "sg-web""#);
    let problems = import_any(&[("groups.json", &twice), ("servers.json", &servers)]).unwrap_err();
    assert_eq!(problems[0].path, "servers.json: servers[0].security_groups[0].name", "{}", lines(&problems));
    assert!(problems[0].message.contains("names 2 groups"), "{}", problems[0]);
}

#[test]
fn errors_name_the_api_field_and_what_would_be_right() {
    let page = fixture("list-security-group-rules-page-1.json").replace("\"3306,33060\"", "\"3306-22\"");
    let problems = import_any(&[("rules.json", &page)]).unwrap_err();
    let p = problems.iter().find(|p| p.field == "multiport").unwrap_or_else(|| panic!("{}", lines(&problems)));
    assert_eq!(p.path, "rules.json: security_group_rules[1].multiport");
    assert_eq!(p.value, "3306-22");
    // A value of the wrong JSON kind: the reader names the path and line.
    let page = fixture("list-security-group-rules-page-1.json").replacen("\"priority\": 1", "\"priority\": true", 1);
    let problems = import_any(&[("rules.json", &page)]).unwrap_err();
    assert_eq!(problems[0].path, "rules.json: security_group_rules[0].priority", "{}", lines(&problems));
    assert!(problems[0].message.contains("a string or a number"), "{}", problems[0]);
    // A bad address of a server points at the address in the listing.
    let servers = fixture("list-servers-details.json").replace("\"192.168.0.20\"", "\"192.168.0.300\"");
    let problems = import_any(&[("servers.json", &servers)]).unwrap_err();
    assert_eq!(problems[0].path, "servers.json: servers[1].addresses.7f1b3c5d-9e0a-4b2c-8d4e-6f8a0b2c4d61[0].addr", "{}", lines(&problems));
    // A rule naming an address group the input does not hold: which listing is missing.
    let problems = import_any(&[("show.json", &fixture("show-security-group.json"))]).unwrap_err();
    assert_eq!(problems[0].path, "show.json: security_group.security_group_rules[1].remote_address_group_id");
    assert!(problems[0].message.contains("add the ListAddressGroup output"), "{}", problems[0]);
    // A listed rule must say its group.
    let body = fixture("create-security-group-rule.json").replace("\"security_group_id\": \"4f2a7a7e-6f5f-4b51-9d3c-7f6f4e0c2b11\",", "");
    let problems = import_any(&[("body.json", &body)]).unwrap_err();
    assert_eq!(problems[0].path, "body.json: security_group_rule.security_group_id");
}

#[test]
fn two_versions_of_one_rule_are_an_error_and_one_repeated_is_one_rule() {
    let repeated = imported(&["show-security-group.json", "show-security-group.json", "list-address-groups.json"]);
    assert_eq!(repeated.scenario.security_groups[0].rules.len(), 4);
    let changed = fixture("show-security-group.json").replacen("\"443\"", "\"8443\"", 1);
    let groups = fixture("list-address-groups.json");
    let problems = import_any(&[("a.json", &fixture("show-security-group.json")), ("b.json", &changed), ("ag.json", &groups)]).unwrap_err();
    assert_eq!(problems[0].path, "b.json: security_group.security_group_rules[0].id");
    assert!(problems[0].message.contains("a.json: security_group.security_group_rules[0]"), "{}", problems[0]);
}

#[test]
fn a_scenario_file_is_detected_and_read_as_before() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/huawei/overview-sg-a-sg-b.json");
    let text = std::fs::read_to_string(path).unwrap();
    let imp = import_any(&[("overview.json", &text)]).unwrap();
    assert_eq!(imp.format, Format::Scenario);
    assert_eq!(imp.scenario, ScenarioSpec::parse(&text).unwrap());
    let problems = import_any(&[("overview.json", &text), ("groups.json", &fixture("list-security-groups.json"))]).unwrap_err();
    assert_eq!(problems[0].path, "overview.json");
}

/// The API fields the model holds, of every object, after import → export → import.
#[test]
fn import_export_import_keeps_every_modelled_field() {
    let first = imported(&ESTATE).scenario;
    let exported = interop::export(&first, Format::HuaweiApi).unwrap();
    let again = import_any(&[("exported.json", &exported.text)]).unwrap();
    assert!(again.warnings.is_empty(), "{}", lines(&again.warnings));
    // Export writes the validated world: the create body's rule gets its generated id.
    let mut expected = first.clone();
    expected.security_groups[1].rules[4].id = Some(format!("{DB}-in-5"));
    assert_eq!(again.scenario.security_groups, expected.security_groups);
    assert_eq!(again.scenario.address_groups, expected.address_groups);
    assert_eq!(again.scenario.instances, expected.instances);
    for field in
        ["\"remote_group_id\": \"0c4a2336", "\"remote_address_group_id\": \"1e0e7a0a", "\"multiport\": \"3306,33060\"", "\"priority\": 100"]
    {
        assert!(exported.text.contains(field), "{field} missing from the export");
    }
    for field in
        ["\"OS-EXT-IPS:type\": \"floating\"", "\"version\": \"6\"", "\"ip_version\": 4", "\"description\": \"MySQL from the web tier\""]
    {
        assert!(exported.text.contains(field), "{field} missing from the export");
    }
}

#[test]
fn the_rules_listing_alone_round_trips() {
    let first = imported(&["list-security-groups.json", "show-security-group.json", "list-address-groups.json"]).scenario;
    let rules = interop::export_huawei(&first, &[Listing::SecurityGroupRules, Listing::AddressGroups]).unwrap().text;
    assert!(rules.contains("\"security_group_rules\"") && rules.contains("\"current_count\": 4"), "{rules}");
    let again = import_any(&[("rules.json", &rules)]).unwrap();
    assert_eq!(again.scenario.security_groups[0].rules, first.security_groups[0].rules);
}

#[test]
fn export_says_what_the_api_shapes_cannot_carry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/huawei/overview-sg-a-sg-b.json");
    let spec = ScenarioSpec::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    let exported = interop::export(&spec, Format::HuaweiApi).unwrap();
    assert!(exported.left_out.iter().any(|p| p.path == "checks"), "{}", lines(&exported.left_out));
    // What it did carry reads back, and decides as the scenario does.
    let again = import_any(&[("overview-api.json", &exported.text)]).unwrap().scenario;
    let (before, after) = (spec.build().unwrap().world, again.build().unwrap().world);
    assert_eq!(before.security_groups, after.security_groups);
}

#[test]
fn a_large_listing_imports_every_rule() {
    // 20,000 rules over 200 groups in one text: hash maps, not scans (the time is printed).
    let rules: Vec<String> = (0..20_000)
        .map(|i| {
            format!(
                r#"{{"id": "r{i}", "security_group_id": "sg-{}", "direction": "ingress", "ethertype": "IPv4", "protocol": "tcp", "multiport": "{}", "action": "allow", "priority": 1, "remote_ip_prefix": "10.{}.{}.0/24", "created_at": "2020-07-09T05:56:27Z"}}"#,
                i % 200,
                1 + i % 65535,
                i / 256 % 256,
                i % 256
            )
        })
        .collect();
    let text = format!(r#"{{"security_group_rules": [{}]}}"#, rules.join(","));
    let start = std::time::Instant::now();
    let imp = import_any(&[("big.json", &text)]).unwrap();
    assert_eq!(imp.scenario.security_groups.len(), 200);
    assert_eq!(imp.scenario.security_groups.iter().map(|g| g.rules.len()).sum::<usize>(), 20_000);
    println!("20,000 rules imported in {:?}", start.elapsed());
}
