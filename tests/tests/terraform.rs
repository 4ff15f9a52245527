//! Terraform in and out: HCL for the huaweicloud provider (`tests/fixtures/terraform/main.tf`,
//! written from the provider's documentation: references, `count`, `for_each`, `locals`,
//! variables), `terraform show -json` of a state and of a plan, and HCL export.

use sgplay_core::interop::{self, detect, import_any, import_as, Format, Imported};
use sgplay_core::scenario::{AddressGroupSpec, ScenarioSpec};
use sgplay_tests::imports::{group, lines, rule, text as s, warned};
use std::path::Path;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/terraform").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn imported(name: &str) -> Imported {
    let text = fixture(name);
    import_any(&[(name, &text)]).unwrap_or_else(|p| panic!("import failed:\n{}", lines(&p)))
}

#[test]
fn the_formats_are_detected_by_their_shape() {
    assert_eq!(detect(&fixture("main.tf")), Format::HuaweiTerraform);
    assert_eq!(detect("  \n// a comment\nresource \"x\" \"y\" {}"), Format::HuaweiTerraform);
    assert_eq!(detect("/* c */"), Format::HuaweiTerraform);
    assert_eq!(detect("variable \"x\" {}"), Format::HuaweiTerraform);
    assert_eq!(detect("locals {\n}"), Format::HuaweiTerraform);
    assert_eq!(detect(&fixture("state.json")), Format::TerraformJson);
    assert_eq!(detect(&fixture("plan.json")), Format::TerraformJson);
    assert_eq!(detect(r#"{"version": 1, "security_groups": []}"#), Format::Scenario);
    assert_eq!(detect(r#"{"resources": []}"#), Format::Scenario);
    assert_eq!(detect(r#"{"security_groups": [], "request_id": "x"}"#), Format::HuaweiApi);
    assert_eq!(Format::parse("huawei-terraform"), Some(Format::HuaweiTerraform));
    assert_eq!(Format::parse("terraform-json"), Some(Format::TerraformJson));
}

#[test]
fn hcl_resolves_references_count_for_each_locals_and_variables() {
    let im = imported("main.tf");
    assert_eq!(im.format, Format::HuaweiTerraform);
    let ids: Vec<&str> = im.scenario.security_groups.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, ["tier[db]", "tier[web]", "legacy"]);
    let web = group(&im, "tier[web]");
    assert_eq!((web.name.as_str(), web.description.as_str(), web.template.as_deref()), ("sg-web", "Web servers", None));
    let rule_ids: Vec<&str> = web.rules.iter().filter_map(|r| r.id.as_deref()).collect();
    assert_eq!(rule_ids, ["web_http[0]", "web_http[1]", "allow_ssh", "office_rdp", "deny_partners", "egress"]);
    // count.index into a local list; a template with count.index.
    assert_eq!(rule(web, "web_http[1]").multiport, s("443"));
    assert_eq!(rule(web, "web_http[1]").description.as_deref(), Some("HTTP(S) rule 1"));
    // port_range_min/max as the provider's documentation writes them; a variable's default.
    let ssh = rule(web, "allow_ssh");
    assert_eq!((ssh.multiport.clone(), ssh.remote_ip_prefix.as_deref()), (s("22"), Some("203.0.113.0/24")));
    // References to address groups; priority and action.
    let rdp = rule(web, "office_rdp");
    assert_eq!((rdp.remote_address_group_id.as_deref(), rdp.priority.clone()), (Some("office"), Some(10.into())));
    assert_eq!(rule(web, "deny_partners").action.as_deref(), Some("deny"));
    // for_each over toset(); remote group by reference; a function of a local.
    let db = group(&im, "tier[db]");
    let mysql = rule(db, "db_from_web[IPv4]");
    assert_eq!((mysql.remote_group_id.as_deref(), mysql.multiport.clone()), (Some("tier[web]"), s("3306")));
    // Without delete_default_rules the cloud adds its default rules.
    assert_eq!(group(&im, "legacy").template.as_deref(), Some("default"));
    warned(&im, "main.tf: huaweicloud_networking_secgroup.legacy.delete_default_rules", "default rules");
    // Address groups: a local built by concat(); ip_extra_set blocks (remarks not modelled).
    let office = &im.scenario.address_groups[0];
    assert_eq!(office.ip_set, serde_json::json!(["10.1.0.0/16", "10.2.0.0/16"]));
    let partners: &AddressGroupSpec = &im.scenario.address_groups[1];
    assert_eq!(partners.ip_set, serde_json::json!(["198.51.100.0/24", "192.0.2.10-192.0.2.20"]));
    warned(&im, "main.tf: huaweicloud_vpc_address_group.partners.ip_extra_set", "remarks");
    // What cannot be resolved or is not modelled is named, never dropped silently.
    warned(&im, "main.tf: huaweicloud_networking_secgroup_rule.elsewhere.security_group_id", "cannot be evaluated");
    warned(&im, "main.tf: data.huaweicloud_availability_zones.zones", "data source");
    warned(&im, "main.tf: huaweicloud_compute_instance.web", "not a resource sgplay models");
    // Paths of the scenario say where in the .tf they came from.
    assert_eq!(
        im.origins.input_path("security_groups[1].rules[2].multiport"),
        "main.tf: huaweicloud_networking_secgroup_rule.allow_ssh.multiport"
    );
    im.scenario.build().expect("the imported scenario validates");
}

#[test]
fn several_tf_files_are_one_module() {
    let vars = "variable \"cidr\" {\n  default = \"10.0.0.0/8\"\n}\n";
    let main = "resource \"huaweicloud_networking_secgroup\" \"a\" {\n  name = \"a\"\n  delete_default_rules = true\n}\n\
                resource \"huaweicloud_networking_secgroup_rule\" \"r\" {\n  security_group_id = huaweicloud_networking_secgroup.a.id\n  \
                direction = \"ingress\"\n  ethertype = \"IPv4\"\n  remote_ip_prefix = var.cidr\n}\n";
    let im = import_any(&[("variables.tf", vars), ("main.tf", main)]).unwrap_or_else(|p| panic!("{}", lines(&p)));
    assert!(im.warnings.is_empty(), "{}", lines(&im.warnings));
    assert_eq!(im.scenario.security_groups[0].rules[0].remote_ip_prefix.as_deref(), Some("10.0.0.0/8"));
    assert_eq!(im.scenario.name, "Imported from variables.tf and main.tf");
}

#[test]
fn hcl_errors_name_the_resource() {
    let bad = "resource \"huaweicloud_networking_secgroup\" \"a\" {\n  name = \"a\"\n  delete_default_rules = true\n}\n\
               resource \"huaweicloud_networking_secgroup_rule\" \"r\" {\n  security_group_id = huaweicloud_networking_secgroup.a.id\n  \
               direction = \"ingress\"\n  ethertype = \"IPv4\"\n  protocol = \"tcp\"\n  ports = \"0-22\"\n}\n";
    let problems = import_any(&[("bad.tf", bad)]).unwrap_err();
    assert!(problems.iter().any(|p| p.path == "bad.tf: huaweicloud_networking_secgroup_rule.r.multiport"), "{}", lines(&problems));
    let syntax = import_any(&[("broken.tf", "resource \"a\" \"b\" {\n  x = \n")]).unwrap_err();
    assert!(syntax[0].message.contains("is not valid HCL"), "{}", lines(&syntax));
    let mixed = import_any(&[("main.tf", "locals {}\n"), ("state.json", &fixture("state.json"))]).unwrap_err();
    assert!(mixed[0].message.contains("one format together"), "{}", lines(&mixed));
}

#[test]
fn a_state_is_imported_under_the_clouds_ids() {
    let im = imported("state.json");
    assert_eq!(im.format, Format::TerraformJson);
    let web = group(&im, "0c4a2336-b036-4fa2-bc3c-1a291ed4c431");
    assert_eq!(web.name, "sg-web");
    let ids: Vec<&str> = web.rules.iter().filter_map(|r| r.id.as_deref()).collect();
    assert_eq!(
        ids,
        ["6a3c3e1f-0b39-4d0c-a1cf-6fbb5b2c7a10", "9b0e8c41-21d3-4c5e-8f53-0e5d0b6c9a21", "c1d2e3f4-5a6b-4c7d-8e9f-0a1b2c3d4e5f"]
    );
    assert_eq!(web.rules[0].multiport, s("22"));
    assert_eq!(web.rules[1].multiport, s("80,443"));
    assert_eq!(web.rules[2].remote_address_group_id.as_deref(), Some("dd4d7f34-9b0a-4f76-9d3d-7b3a6f6e2c01"));
    assert_eq!(web.rules[2].remote_ip_prefix, None);
    let db = group(&im, "4f2a7a7e-6f5f-4b51-9d3c-7f6f4e0c2b11");
    assert_eq!(db.rules[0].remote_group_id.as_deref(), Some("0c4a2336-b036-4fa2-bc3c-1a291ed4c431"));
    assert_eq!(im.scenario.address_groups[0].ip_set, serde_json::json!(["10.1.0.0/16", "10.2.0.0/16"]));
    warned(&im, "state.json: values.root_module.resources[7]", "not a resource sgplay models");
    warned(&im, "state.json: values.root_module.resources[8]", "data source");
    assert_eq!(im.warnings.len(), 2, "{}", lines(&im.warnings));
    im.scenario.build().expect("validates");
}

#[test]
fn a_plan_resolves_what_is_known_after_apply_from_its_configuration() {
    let im = imported("plan.json");
    assert_eq!(im.format, Format::TerraformJson);
    let web = group(&im, "web");
    let ids: Vec<&str> = web.rules.iter().filter_map(|r| r.id.as_deref()).collect();
    assert_eq!(ids, ["allow_ssh", "from_legacy[0]"]);
    assert_eq!(web.rules[0].multiport, s("22"));
    assert_eq!(web.rules[1].remote_group_id.as_deref(), Some("legacy"));
    assert_eq!(group(&im, "legacy").template.as_deref(), Some("default"));
    // A remote that stays unknown would make the rule match everyone: it is left out.
    warned(&im, "plan.json: planned_values.root_module.resources[4].remote_group_id", "not known until apply");
    // A module's resources, under their module's address; references inside it made absolute.
    let db = group(&im, "module.db.this");
    assert_eq!(db.name, "sg-db");
    assert!(db.rules.is_empty(), "the rule's remote is a variable of the module, unknown until apply");
    warned(&im, "plan.json: planned_values.root_module.child_modules[0].resources[1].remote_group_id", "not known until apply");
    im.scenario.build().expect("validates");
}

fn sample() -> ScenarioSpec {
    let text = r#"{
      "version": 1, "name": "Two tiers",
      "security_groups": [
        {"id": "sg-web", "name": "web", "description": "Web \"front\" ${not a template}", "rules": [
          {"id": "web-in-1", "direction": "ingress", "protocol": "tcp", "multiport": "80,443", "remote_ip_prefix": "0.0.0.0/0"},
          {"id": "web-in-2", "direction": "ingress", "protocol": "tcp", "multiport": "22", "remote_address_group_id": "ag.office", "priority": 5},
          {"id": "web-out", "direction": "egress", "ethertype": "IPv6", "action": "deny", "description": "no v6\nout"}
        ]},
        {"id": "sg db", "name": "db", "rules": [
          {"id": "1", "direction": "ingress", "protocol": "tcp", "multiport": "3306", "remote_group_id": "sg-web"},
          {"id": "2", "direction": "ingress", "protocol": "icmp"}
        ]},
        {"id": "tpl", "name": "tpl", "template": "default"}
      ],
      "address_groups": [{"id": "ag.office", "name": "office", "ip_set": ["10.0.0.0/8", "192.168.1.1-192.168.1.9"], "description": "offices"}],
      "instances": [{"id": "vm", "ip": "10.0.0.5", "security_groups": ["sg-web"]}],
      "checks": [{"name": "c", "from": "internet", "to": "vm", "protocol": "tcp", "port": 80, "expect": "allow"}]
    }"#;
    ScenarioSpec::parse(text).expect("parses")
}

#[test]
fn export_writes_hcl_with_references_and_says_what_it_left_out() {
    let exported = interop::export(&sample(), Format::HuaweiTerraform).unwrap_or_else(|p| panic!("{}", lines(&p)));
    let hcl = &exported.text;
    println!("{hcl}");
    assert!(hcl.contains("resource \"huaweicloud_networking_secgroup\" \"sg-web\" {"), "{hcl}");
    assert!(hcl.contains("delete_default_rules = true"), "{hcl}");
    assert!(hcl.contains("security_group_id = huaweicloud_networking_secgroup.sg-web.id"), "{hcl}");
    assert!(hcl.contains("resource \"huaweicloud_networking_secgroup\" \"sg_db\" {"), "{hcl}");
    assert!(hcl.contains("remote_group_id   = huaweicloud_networking_secgroup.sg-web.id"), "{hcl}");
    assert!(hcl.contains("remote_address_group_id = huaweicloud_vpc_address_group.ag_office.id"), "{hcl}");
    assert!(hcl.contains("resource \"huaweicloud_networking_secgroup_rule\" \"_1\" {"), "{hcl}");
    assert!(hcl.contains("ports             = \"80,443\""), "{hcl}");
    assert!(hcl.contains("$${not a template}"), "{hcl}");
    assert!(!hcl.contains("port_range_min"), "{hcl}");
    let left: Vec<&str> = exported.left_out.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(left, ["instances", "checks"]);
    // The exported HCL is read by a real HCL parser.
    assert_eq!(detect(hcl), Format::HuaweiTerraform);
}

#[test]
fn export_then_import_gives_the_same_groups_rules_and_address_groups() {
    let spec = sample();
    let exported = interop::export(&spec, Format::HuaweiTerraform).unwrap_or_else(|p| panic!("{}", lines(&p)));
    let im = import_as(&[("exported.tf", &exported.text)], None).unwrap_or_else(|p| panic!("{}\n{}", lines(&p), exported.text));
    assert!(im.warnings.is_empty(), "{}", lines(&im.warnings));
    let before = spec.build().expect("builds").world;
    let after = im.scenario.build().expect("builds").world;
    // Ids become resource names (`sg db` → `sg_db`, `1` → `_1`); everything else is the same.
    let rename = |id: &str| match id {
        "sg db" => "sg_db".to_string(),
        "ag.office" => "ag_office".to_string(),
        "1" | "2" => format!("_{id}"),
        other => other.to_string(),
    };
    assert_eq!(after.security_groups.len(), before.security_groups.len());
    for (a, b) in after.security_groups.iter().zip(&before.security_groups) {
        assert_eq!(a.id, rename(&b.id));
        assert_eq!((&a.name, &a.description), (&b.name, &b.description));
        assert_eq!(a.rules.len(), b.rules.len(), "{}", a.id);
        for (ra, rb) in a.rules.iter().zip(&b.rules) {
            let mut rb = rb.clone();
            rb.id = rename(&rb.id);
            rb.remote = match rb.remote {
                sgplay_core::model::Remote::Group(g) => sgplay_core::model::Remote::Group(rename(&g)),
                sgplay_core::model::Remote::AddressGroup(g) => sgplay_core::model::Remote::AddressGroup(rename(&g)),
                other => other,
            };
            assert_eq!(ra, &rb);
        }
    }
    assert_eq!(after.address_groups[0].entries, before.address_groups[0].entries);
    assert_eq!(im.scenario.address_groups[0].description, "offices");
}

#[test]
fn terraform_json_is_not_written() {
    let problems = interop::export(&sample(), Format::TerraformJson).unwrap_err();
    assert!(problems[0].message.contains("writes HCL"), "{}", lines(&problems));
}

#[test]
fn what_cannot_be_resolved_is_a_warning_with_the_address() {
    let tf = r#"
module "network" {
  source = "./network"
}

resource "huaweicloud_networking_secgroup" "a" {
  name                 = "a"
  delete_default_rules = true
  colour               = "blue"
}

resource "huaweicloud_networking_secgroup_rule" "from_module" {
  security_group_id = huaweicloud_networking_secgroup.a.id
  direction         = "ingress"
  ethertype         = "IPv4"
  remote_group_id   = module.network.group_id
}

resource "huaweicloud_networking_secgroup_rule" "fn" {
  count             = 2
  security_group_id = huaweicloud_networking_secgroup.a.id
  direction         = "ingress"
  ethertype         = "IPv4"
  remote_ip_prefix  = cidrsubnet("10.0.0.0/8", 8, count.index)
}

resource "huaweicloud_networking_secgroup_rule" "many" {
  count             = var.how_many
  security_group_id = huaweicloud_networking_secgroup.a.id
  direction         = "ingress"
  ethertype         = "IPv4"
}

resource "huaweicloud_vpc_address_group" "dyn" {
  name = "dyn"
  dynamic "ip_extra_set" {
    for_each = ["10.0.0.1"]
    content {
      ip = ip_extra_set.value
    }
  }
}

resource "huaweicloud_networking_secgroup_rule" "pasted" {
  security_group_id = "0c4a2336-b036-4fa2-bc3c-1a291ed4c431"
  direction         = "egress"
  ethertype         = "IPv4"
}
"#;
    let im = import_any(&[("edge.tf", tf)]).unwrap_or_else(|p| panic!("{}", lines(&p)));
    warned(&im, "edge.tf: module.network", "not followed");
    warned(&im, "edge.tf: huaweicloud_networking_secgroup.a.colour", "not an argument sgplay models");
    warned(&im, "edge.tf: huaweicloud_networking_secgroup_rule.from_module.remote_group_id", "cannot be evaluated");
    warned(&im, "edge.tf: huaweicloud_networking_secgroup_rule.fn[0].remote_ip_prefix", "cannot be evaluated");
    warned(&im, "edge.tf: huaweicloud_networking_secgroup_rule.fn[1].remote_ip_prefix", "cannot be evaluated");
    warned(&im, "edge.tf: huaweicloud_networking_secgroup_rule.many", "cannot be evaluated");
    warned(&im, "edge.tf: huaweicloud_vpc_address_group.dyn.dynamic", "not expanded");
    warned(&im, "edge.tf: huaweicloud_networking_secgroup_rule.pasted.security_group_id", "not declared");
    // Only what was fully read is imported: group `a` with no rule, the pasted group with one.
    assert!(group(&im, "a").rules.is_empty());
    assert_eq!(group(&im, "0c4a2336-b036-4fa2-bc3c-1a291ed4c431").rules.len(), 1);
    assert!(im.scenario.address_groups.is_empty());
}
