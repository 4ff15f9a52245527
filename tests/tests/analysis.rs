//! The seed's constraints (table 4 of *Constraints on Using Security Groups*) and the advice of
//! SEMANTICS §7–8, on corpus files and on worlds built at the limits.

use sgplay_core::analysis::{advice, constraints};
use sgplay_core::model::{Action, Direction, Ethertype, Instance, PortRange, PortSet, ProtocolMatch, Remote, Rule, SecurityGroup, World};
use sgplay_core::scenario::{Problem, Severity};
use sgplay_tests::{load, scenarios_dir};

fn corpus_file(name: &str) -> sgplay_tests::CorpusFile {
    load(&scenarios_dir().join(name)).unwrap_or_else(|e| panic!("{e}"))
}

fn rule(id: &str, direction: Direction, ethertype: Ethertype, ports: &[(u16, u16)], remote: Remote) -> Rule {
    Rule {
        id: id.into(),
        direction,
        ethertype,
        protocol: ProtocolMatch::Number(6),
        ports: PortSet::from_ranges(ports.iter().map(|&(first, last)| PortRange { first, last }).collect()),
        action: Action::Allow,
        priority: 1,
        remote,
        description: String::new(),
    }
}

fn world_with(rules: Vec<Rule>) -> World {
    World {
        security_groups: vec![SecurityGroup { id: "sg-a".into(), name: "Sg-A".into(), description: String::new(), rules, ..Default::default() }],
        instances: vec![Instance { id: "i".into(), private_ips: vec!["10.0.0.1".parse().unwrap()], security_groups: vec!["sg-a".into()], ..Default::default() }],
        ..Default::default()
    }
}

fn quota_warnings(world: &World) -> Vec<Problem> {
    constraints::check(world).into_iter().filter(|p| p.severity == Severity::Warning && p.message.contains("120")).collect()
}

#[test]
fn table_4_takes_one_quota_unit_per_rule() {
    let file = corpus_file("huawei/constraints-table4-quota.json");
    let sg_a = file.scenario.world.group("sg-a").expect("Sg-A");
    let takes: Vec<(&str, bool)> = sg_a.rules.iter().filter(|r| r.direction == Direction::Ingress).map(|r| (r.id.as_str(), constraints::takes_quota(r))).collect();
    // A01: a security group source. A02: inconsecutive ports and a security group source, still
    // one unit. A03: an IP address group source. A04: inconsecutive ports 22-24,25.
    assert_eq!(takes, [("A01", true), ("A02", true), ("A03", true), ("A04", true)]);
    assert!(quota_warnings(&file.scenario.world).is_empty());
}

#[test]
fn consecutive_ports_and_address_sources_take_no_quota() {
    let r = rule("plain", Direction::Ingress, Ethertype::IPv4, &[(22, 30)], Remote::Prefix("192.168.0.0/16".parse().unwrap()));
    assert!(!constraints::takes_quota(&r));
    let r = rule("any", Direction::Ingress, Ethertype::IPv4, &[], Remote::Any);
    assert!(!constraints::takes_quota(&r));
}

fn counted(n: usize, direction: Direction, ethertype: Ethertype, tag: &str) -> impl Iterator<Item = Rule> + '_ {
    (0..n).map(move |i| rule(&format!("{tag}{i}"), direction, ethertype, &[(22, 22), (25, 25)], Remote::Group("sg-a".into())))
}

#[test]
fn the_quota_is_120_per_direction_and_per_ethertype() {
    let at_limit: Vec<Rule> = counted(120, Direction::Ingress, Ethertype::IPv4, "in4-")
        .chain(counted(120, Direction::Ingress, Ethertype::IPv6, "in6-"))
        .chain(counted(120, Direction::Egress, Ethertype::IPv4, "out4-"))
        .chain(counted(120, Direction::Egress, Ethertype::IPv6, "out6-"))
        .collect();
    assert!(quota_warnings(&world_with(at_limit.clone())).is_empty(), "120 of each kind is allowed");
    let mut over = at_limit;
    over.extend(counted(1, Direction::Egress, Ethertype::IPv6, "extra-"));
    let warnings = quota_warnings(&world_with(over));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].message.contains("121 outbound IPv6"), "{}", warnings[0].message);
    assert_eq!(warnings[0].path, "security_groups[0].rules");
}

#[test]
fn a_rule_with_several_quota_reasons_counts_once() {
    // 121 rules, each with a group source and inconsecutive ports: 121 units, not 242.
    let warnings = quota_warnings(&world_with(counted(121, Direction::Ingress, Ethertype::IPv4, "r").collect()));
    assert!(warnings[0].message.contains("121 inbound IPv4"), "{}", warnings[0].message);
}

#[test]
fn rules_that_take_no_quota_are_not_limited() {
    let rules = (0..300).map(|i| rule(&format!("r{i}"), Direction::Ingress, Ethertype::IPv4, &[(1000 + i, 1000 + i)], Remote::Any)).collect();
    assert!(quota_warnings(&world_with(rules)).is_empty());
}

#[test]
fn more_than_five_groups_on_an_instance_is_advised_against() {
    let groups: Vec<SecurityGroup> = (0..6).map(|g| SecurityGroup { id: format!("sg-{g}"), ..Default::default() }).collect();
    let inst = |n: usize| Instance {
        id: format!("i{n}"),
        private_ips: vec![format!("10.0.0.{}", n + 1).parse().unwrap()],
        security_groups: groups.iter().take(n).map(|g| g.id.clone()).collect(),
        ..Default::default()
    };
    let world = World { security_groups: groups.clone(), instances: vec![inst(5), inst(6)], ..Default::default() };
    let notices: Vec<Problem> = constraints::check(&world).into_iter().filter(|p| p.message.contains("no more than 5")).collect();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].path, "instances[1].security_groups");
    assert_eq!(notices[0].severity, Severity::Advice);
}

#[test]
fn more_than_6000_instances_in_a_group_is_a_warning() {
    let members = |n: u32| -> Vec<Instance> {
        (0..n)
            .map(|k| Instance {
                id: format!("i{k}"),
                private_ips: vec![std::net::IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + k))],
                security_groups: vec!["sg-a".into()],
                ..Default::default()
            })
            .collect()
    };
    let group = SecurityGroup { id: "sg-a".into(), ..Default::default() };
    let at = World { security_groups: vec![group.clone()], instances: members(6000), ..Default::default() };
    assert!(!constraints::check(&at).iter().any(|p| p.message.contains("6000")));
    let over = World { security_groups: vec![group], instances: members(6001), ..Default::default() };
    let warning = constraints::check(&over).into_iter().find(|p| p.message.contains("6001 instances")).expect("a warning");
    assert_eq!(warning.severity, Severity::Warning);
}

// ---------------------------------------------------------------------------------------------
// Advice (SEMANTICS §8) on corpus files.

fn advice_for<'a>(notices: &'a [Problem], rule_id: &str) -> Vec<&'a Problem> {
    notices.iter().filter(|p| p.severity == Severity::Advice && p.object.starts_with(&format!("rule `{rule_id}` "))).collect()
}

#[test]
fn high_risk_ports_open_to_everyone_are_advised_against() {
    let file = corpus_file("huawei/examples-remote-login.json");
    let ssh = advice_for(&file.scenario.notices, "T2-ssh");
    assert!(ssh.iter().any(|p| p.message.contains("22 (SSH)") && p.message.contains("0.0.0.0/0")), "{ssh:?}");
    let rdp = advice_for(&file.scenario.notices, "T3-rdp");
    assert!(rdp.iter().any(|p| p.message.contains("3389 (RDP)")), "{rdp:?}");
    // Table 4's trusted sources are what the seed recommends: no advice.
    assert!(advice_for(&file.scenario.notices, "T4-ssh").is_empty());
    assert!(advice_for(&file.scenario.notices, "T4-rdp").is_empty());
}

#[test]
fn the_full_access_template_is_flagged_and_the_web_template_for_ssh_and_rdp() {
    let full = corpus_file("huawei/defaults-template-sys-fullaccess.json");
    let any = advice_for(&full.scenario.notices, "full-in-ipv4-any");
    assert!(any.iter().any(|p| p.message.contains("22 (SSH)") && p.message.contains("3306 (MySQL)")), "{any:?}");
    let web = corpus_file("huawei/defaults-template-sys-webserver.json");
    assert!(!advice_for(&web.scenario.notices, "web-in-ssh").is_empty());
    assert!(!advice_for(&web.scenario.notices, "web-in-rdp").is_empty());
    assert!(advice_for(&web.scenario.notices, "web-in-http").is_empty(), "port 80 is not high-risk");
}

#[test]
fn instances_that_cannot_send_anything_are_pointed_out() {
    let file = corpus_file("huawei/examples-default-outbound.json");
    let notices: Vec<&Problem> = file.scenario.notices.iter().filter(|p| p.message.contains("cannot send")).collect();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].object, "instance `ecs-2`");
}

#[test]
fn a_rule_behind_a_covering_rule_of_the_other_action_never_takes_effect() {
    let file = corpus_file("huawei/matching-order.json");
    let late = advice_for(&file.scenario.notices, "P-allow-late");
    assert!(late.iter().any(|p| p.message.contains("never takes effect") && p.message.contains("`P-deny`")), "{late:?}");
    // T-allow is more specific than T-deny: deny first at equal priority makes it useless too.
    let tie = advice_for(&file.scenario.notices, "T-allow");
    assert!(tie.iter().any(|p| p.message.contains("never takes effect") && p.message.contains("`T-deny`")), "{tie:?}");
}

#[test]
fn a_rule_behind_a_covering_rule_of_the_same_action_is_redundant() {
    let file = corpus_file("huawei/configuring-rules-sources-and-ports.json");
    assert!(file.scenario.notices.iter().all(|p| !p.message.contains("redundant")), "no rule of that file covers another");
    let world = world_with(vec![
        rule("wide", Direction::Ingress, Ethertype::IPv4, &[(20, 30)], Remote::Prefix("10.0.0.0/8".parse().unwrap())),
        rule("narrow", Direction::Ingress, Ethertype::IPv4, &[(22, 22)], Remote::Prefix("10.1.0.0/16".parse().unwrap())),
    ]);
    let notices = advice::check(&world);
    let narrow = advice_for(&notices, "narrow");
    assert!(narrow.iter().any(|p| p.message.contains("redundant") && p.message.contains("`wide`")), "{narrow:?}");
}

/// SEMANTICS §8: "a rule whose removal changes no verdict (redundant)". A rule covered by a rule
/// of the same action and priority written *after* it is redundant too: removing it changes no
/// verdict, the later rule decides the same packets the same way.
#[test]
fn a_rule_covered_by_a_later_rule_of_the_same_priority_and_action_is_redundant() {
    let world = world_with(vec![
        rule("narrow", Direction::Ingress, Ethertype::IPv4, &[(22, 22)], Remote::Prefix("10.1.0.0/16".parse().unwrap())),
        rule("wide", Direction::Ingress, Ethertype::IPv4, &[(20, 30)], Remote::Prefix("10.0.0.0/8".parse().unwrap())),
    ]);
    let notices = advice::check(&world);
    assert!(
        advice_for(&notices, "narrow").iter().any(|p| p.message.contains("redundant")),
        "`narrow` decides nothing `wide` would not decide the same way; notices: {notices:?}"
    );
}

/// Coverage by several rules together: no one rule covers `all`, the two halves do. Pairwise
/// advice missed this; the exact analysis proves it over every packet.
#[test]
fn a_rule_covered_only_by_two_rules_together_never_takes_effect() {
    let mut low = rule("low-half-deny", Direction::Ingress, Ethertype::IPv4, &[(20, 30)], Remote::Prefix("10.0.0.0/9".parse().unwrap()));
    low.action = Action::Deny;
    let high = rule("high-half-allow", Direction::Ingress, Ethertype::IPv4, &[(20, 30)], Remote::Prefix("10.128.0.0/9".parse().unwrap()));
    let mut all = rule("all-deny", Direction::Ingress, Ethertype::IPv4, &[(22, 25)], Remote::Prefix("10.0.0.0/8".parse().unwrap()));
    all.action = Action::Deny;
    all.priority = 2;
    let world = world_with(vec![low, high, all]);
    let notices = advice::check(&world);
    let found = advice_for(&notices, "all-deny");
    assert!(
        found.iter().any(|p| p.message.contains("never takes effect") && p.message.contains("`low-half-deny`") && p.message.contains("`high-half-allow`")),
        "{found:?}"
    );
    assert!(advice_for(&notices, "high-half-allow").is_empty(), "{notices:?}");
    // The low half's deny is itself redundant: where it decides, `all-deny` or the default deny
    // would deny too.
    assert!(advice_for(&notices, "low-half-deny").iter().any(|p| p.message.contains("redundant")), "{notices:?}");
}

/// Two allows of 22 and 23 together make a later allow of 22-23 redundant.
#[test]
fn a_rule_covered_by_two_rules_of_its_action_is_redundant() {
    let a = rule("ssh", Direction::Ingress, Ethertype::IPv4, &[(22, 22)], Remote::Any);
    let b = rule("telnet", Direction::Ingress, Ethertype::IPv4, &[(23, 23)], Remote::Any);
    let mut both = rule("both", Direction::Ingress, Ethertype::IPv4, &[(22, 23)], Remote::Any);
    both.priority = 5;
    let notices = advice::check(&world_with(vec![a, b, both]));
    let found = advice_for(&notices, "both");
    assert!(found.iter().any(|p| p.message.contains("redundant") && p.message.contains("`ssh`") && p.message.contains("`telnet`")), "{found:?}");
}

/// Exposure is judged on the effective policy: an open allow behind a deny exposes nothing, an
/// open allow in an instance's second group exposes the port.
#[test]
fn high_risk_exposure_follows_the_effective_policy() {
    let file = corpus_file("huawei/matching-order.json");
    let late = advice_for(&file.scenario.notices, "P-allow-late");
    assert!(late.iter().all(|p| !p.message.contains("opens TCP")), "P-deny decides first: {late:?}");
    let second = advice_for(&file.scenario.notices, "S-allow-ssh");
    assert!(second.iter().any(|p| p.message.contains("22 (SSH)") && p.message.contains("instance(s)")), "{second:?}");
}

/// Advice on a template's rule points at the group's `template` field, not at a model index
/// the file does not have; advice on a written rule after the template points at that rule.
#[test]
fn advice_points_at_the_rule_as_written() {
    let full = corpus_file("huawei/defaults-template-sys-fullaccess.json");
    let any = advice_for(&full.scenario.notices, "full-in-ipv4-any");
    assert!(!any.is_empty() && any.iter().all(|p| p.path.ends_with("].template")), "{any:?}");
    let text = r#"{"version": 1, "name": "t", "security_groups": [{"id": "web", "template": "Sys-WebServer", "rules": [
        {"id": "db", "direction": "ingress", "protocol": "tcp", "multiport": "3306", "remote_ip_prefix": "0.0.0.0/0"}]}],
      "instances": [{"id": "a", "ip": "10.0.0.1", "security_groups": ["web"]}]}"#;
    let scenario = sgplay_core::Scenario::from_json(text).expect("valid");
    let db = advice_for(&scenario.notices, "db");
    assert!(db.iter().any(|p| p.path == "security_groups[0].rules[0]"), "{db:?}");
}
