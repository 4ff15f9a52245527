//! The seed's clearing table, row by row (both what is cleared and what is not), the timeouts of
//! both profiles, cut connections, and the seed's ICMP example, through the public simulator API.

use serde_json::json;
use sgplay_core::conntrack::{Opened, Profile, Status};
use sgplay_core::eval::HopDecision;
use sgplay_core::scenario::ChangeSpec;
use sgplay_core::sim::{ChangeReport, ClearingRow, Delivery, Simulator};
use sgplay_core::{Packet, ProbeSpec, Scenario, Verdict};

/// Sg-A admits SSH and ping from anywhere and its own members; Sg-B admits SSH from Sg-A;
/// Sg-C denies Sg-A and admits HTTP from anywhere; Sg-D admits HTTPS from an IP address group;
/// Sg-X admits everything. Every group lets everything out.
const WORLD: &str = r#"{
  "address_groups": [
    {"id": "ipg-office", "name": "office", "ip_set": ["172.16.0.0/24"]},
    {"id": "ipg-unused", "name": "unused", "ip_set": ["198.51.100.0/24"]}
  ],
  "security_groups": [
    {"id": "sg-a", "name": "Sg-A", "rules": [
      {"id": "A-ssh", "direction": "ingress", "protocol": "tcp", "multiport": "22", "priority": 10},
      {"id": "A-ping", "direction": "ingress", "protocol": "icmp", "priority": 10},
      {"id": "A-self", "direction": "ingress", "remote_group_id": "sg-a", "priority": 10},
      {"id": "A-out", "direction": "egress"}
    ]},
    {"id": "sg-b", "name": "Sg-B", "rules": [
      {"id": "B-from-A", "direction": "ingress", "protocol": "tcp", "multiport": "22", "remote_group_id": "sg-a"},
      {"id": "B-out", "direction": "egress"}
    ]},
    {"id": "sg-c", "name": "Sg-C", "rules": [
      {"id": "C-deny-A", "direction": "ingress", "action": "deny", "remote_group_id": "sg-a", "priority": 1},
      {"id": "C-web", "direction": "ingress", "protocol": "tcp", "multiport": "80", "priority": 2},
      {"id": "C-out", "direction": "egress"}
    ]},
    {"id": "sg-d", "name": "Sg-D", "rules": [
      {"id": "D-office", "direction": "ingress", "protocol": "tcp", "multiport": "443", "remote_address_group_id": "ipg-office"},
      {"id": "D-out", "direction": "egress"}
    ]},
    {"id": "sg-x", "name": "Sg-X", "rules": [
      {"id": "X-all", "direction": "ingress"},
      {"id": "X-out", "direction": "egress"}
    ]}
  ],
  "instances": [
    {"id": "a1", "ip": "10.0.0.11", "security_groups": ["sg-a"]},
    {"id": "a2", "ip": "10.0.0.12", "security_groups": ["sg-a", "sg-x"]},
    {"id": "b1", "ip": "10.0.1.11", "security_groups": ["sg-b"]},
    {"id": "c1", "ip": "10.0.2.11", "security_groups": ["sg-c"]},
    {"id": "d1", "ip": "10.0.3.11", "security_groups": ["sg-d"]},
    {"id": "x1", "ip": "10.0.4.11", "security_groups": ["sg-x"]}
  ]
}"#;

const CLIENT: &str = "203.0.113.5";
const OFFICE: &str = "172.16.0.5";

struct Sim {
    sim: Simulator,
    next_port: u16,
}

impl Sim {
    fn new(profile: Profile) -> Sim {
        Sim { sim: Simulator::new(Scenario::from_json(WORLD).expect("valid world").world, profile), next_port: 40000 }
    }

    fn packet(&mut self, from: &str, to: &str, protocol: &str, port: Option<u16>) -> Packet {
        self.next_port += 1;
        let probe = ProbeSpec {
            from: from.into(),
            to: to.into(),
            protocol: protocol.into(),
            port,
            src_port: Some(self.next_port),
            ..Default::default()
        };
        probe.resolve(self.sim.world()).expect("valid packet")
    }

    #[track_caller]
    fn send(&mut self, p: &Packet, expected: Verdict) -> Delivery {
        let d = self.sim.send(p);
        assert_eq!(d.evaluation.verdict, expected, "{p}\n{}", sgplay_core::eval::explain::render_text(&d.evaluation));
        d
    }

    /// SYN, SYN-ACK, ACK: an ESTABLISHED TCP connection. Returns the client's ACK.
    #[track_caller]
    fn connect(&mut self, from: &str, to: &str, port: u16) -> Packet {
        let syn = self.packet(from, to, "tcp", Some(port));
        self.send(&syn, Verdict::Allow);
        let synack = syn.reply();
        self.send(&synack, Verdict::Allow);
        let ack = synack.reply();
        self.send(&ack, Verdict::Allow);
        ack
    }

    #[track_caller]
    fn change(&mut self, change: serde_json::Value) -> ChangeReport {
        let spec: ChangeSpec = serde_json::from_value(change).expect("change spec");
        self.sim.apply_spec(&spec).expect("valid change")
    }

    /// The entry of `p`'s connection on `instance`.
    #[track_caller]
    fn status(&self, instance: &str, p: &Packet) -> Status {
        self.sim.lookup(instance, p).unwrap_or_else(|| panic!("no entry for {p} on {instance}")).status
    }

    fn id(&self, instance: &str, p: &Packet) -> u64 {
        self.sim.lookup(instance, p).map_or(0, |c| c.id)
    }
}

/// The (instance, connection id) pairs a change cleared.
fn cleared(report: &ChangeReport) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = report.cleared.iter().map(|c| (c.instance_id.clone(), c.connection_id)).collect();
    v.sort();
    v
}

fn pairs(items: &[(&str, u64)]) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = items.iter().map(|(i, id)| (i.to_string(), *id)).collect();
    v.sort();
    v
}

// Row 1: instances added to group A.

#[test]
fn adding_an_instance_clears_its_inbound_entries_only() {
    let mut s = Sim::new(Profile::Huawei);
    let into_x1 = s.connect(CLIENT, "x1", 22);
    let out_of_x1 = s.connect("x1", CLIENT, 443);
    let into_a1 = s.connect(CLIENT, "a1", 22);
    let report = s.change(json!({"add_member": {"group": "sg-a", "instance": "x1"}}));
    assert_eq!(cleared(&report), pairs(&[("x1", s.id("x1", &into_x1))]));
    assert_eq!(report.rows[0].row, ClearingRow::InstancesAdded { group_id: "sg-a".into() });
    assert!(
        report.rows[0].text.contains("inbound connection tracking entries of the added instances are cleared"),
        "{}",
        report.rows[0].text
    );
    assert!(matches!(s.status("x1", &into_x1), Status::Cleared { .. }));
    assert_eq!(s.status("x1", &out_of_x1), Status::Active, "outbound-opened entries survive");
    assert_eq!(s.status("a1", &into_a1), Status::Active, "the group's other members are not cleared");
}

#[test]
fn adding_to_a_group_another_group_denies_clears_that_groups_entries() {
    let mut s = Sim::new(Profile::Huawei);
    let web = s.connect(CLIENT, "c1", 80);
    let report = s.change(json!({"add_member": {"group": "sg-a", "instance": "x1"}}));
    let row = report.rows.iter().find(|r| matches!(r.row, ClearingRow::AddedGroupDeniedByOther { .. })).expect("the deny row");
    assert_eq!(row.instances, vec!["c1"]);
    assert!(row.text.contains("inbound rule C-deny-A of Sg-C denies traffic from Sg-A"), "{}", row.text);
    assert_eq!(cleared(&report), pairs(&[("c1", s.id("c1", &web))]));
}

#[test]
fn adding_to_a_group_nobody_denies_clears_no_other_group() {
    let mut s = Sim::new(Profile::Huawei);
    let web = s.connect(CLIENT, "c1", 80);
    let ssh = s.connect("a1", "b1", 22);
    let report = s.change(json!({"add_member": {"group": "sg-d", "instance": "x1"}}));
    assert_eq!(report.rows.len(), 1);
    assert!(report.cleared.is_empty());
    assert_eq!(s.status("c1", &web), Status::Active);
    assert_eq!(s.status("b1", &ssh), Status::Active);
}

// Row 2: instances removed from group A.

#[test]
fn removing_an_instance_clears_all_members_and_the_removed_one() {
    let mut s = Sim::new(Profile::Huawei);
    let into_a1 = s.connect(CLIENT, "a1", 22);
    let into_a2 = s.connect(CLIENT, "a2", 22);
    let out_of_a1 = s.connect("a1", CLIENT, 443);
    let report = s.change(json!({"remove_member": {"group": "sg-a", "instance": "a2"}}));
    assert_eq!(report.rows[0].row, ClearingRow::InstancesRemoved { group_id: "sg-a".into() });
    assert!(report.rows[0].text.contains("removed instance too (interpretation"), "{}", report.rows[0].text);
    assert_eq!(cleared(&report), pairs(&[("a1", s.id("a1", &into_a1)), ("a2", s.id("a2", &into_a2))]));
    assert_eq!(s.status("a1", &out_of_a1), Status::Active, "outbound-opened entries survive");
}

#[test]
fn removing_from_a_group_another_group_allows_clears_that_groups_entries() {
    let mut s = Sim::new(Profile::Huawei);
    let ssh = s.connect("a1", "b1", 22);
    let web = s.connect(CLIENT, "c1", 80);
    let report = s.change(json!({"remove_member": {"group": "sg-a", "instance": "a2"}}));
    let row = report.rows.iter().find(|r| matches!(r.row, ClearingRow::RemovedGroupAllowedByOther { .. })).expect("the allow row");
    assert!(row.text.contains("inbound rule B-from-A of Sg-B allows traffic from Sg-A"), "{}", row.text);
    assert!(matches!(s.status("b1", &ssh), Status::Cleared { .. }));
    assert_eq!(s.status("a1", &ssh), Status::Active, "a1's side of the same connection was opened outbound");
    assert_eq!(s.status("c1", &web), Status::Active, "Sg-C denies Sg-A: not the allow row");
}

// Row 3: a deny rule added.

#[test]
fn an_inbound_deny_rule_added_clears_all_members() {
    let mut s = Sim::new(Profile::Huawei);
    let into_a1 = s.connect(CLIENT, "a1", 22);
    let into_a2 = s.connect(CLIENT, "a2", 22);
    let out_of_a1 = s.connect("a1", CLIENT, 443);
    let into_x1 = s.connect(CLIENT, "x1", 22);
    let report = s.change(json!({"add_rule": {"group": "sg-a", "rule": {"id": "A-deny", "direction": "ingress", "action": "deny", "remote_ip_prefix": "192.0.2.0/24"}}}));
    assert_eq!(report.rows[0].text, "a deny rule was added to Sg-A: inbound connection tracking entries of all its instances are cleared");
    assert_eq!(cleared(&report), pairs(&[("a1", s.id("a1", &into_a1)), ("a2", s.id("a2", &into_a2))]));
    assert_eq!(s.status("a1", &out_of_a1), Status::Active);
    assert_eq!(s.status("x1", &into_x1), Status::Active, "other groups are untouched");
    assert!(report.notes.iter().any(|n| n.contains("opened outbound: not cleared")), "{:?}", report.notes);
}

#[test]
fn an_outbound_deny_rule_added_clears_inbound_entries_too() {
    let mut s = Sim::new(Profile::Huawei);
    let into_a1 = s.connect(CLIENT, "a1", 22);
    let out_of_a1 = s.connect("a1", CLIENT, 443);
    let report = s.change(
        json!({"add_rule": {"group": "sg-a", "rule": {"direction": "egress", "action": "deny", "remote_ip_prefix": "192.0.2.0/24"}}}),
    );
    assert_eq!(report.rows[0].row, ClearingRow::DenyRuleAdded { group_id: "sg-a".into() });
    assert_eq!(cleared(&report), pairs(&[("a1", s.id("a1", &into_a1))]));
    assert_eq!(s.status("a1", &out_of_a1), Status::Active);
}

#[test]
fn an_allow_rule_added_clears_nothing() {
    let mut s = Sim::new(Profile::Huawei);
    let into_a1 = s.connect(CLIENT, "a1", 22);
    let report = s.change(json!({"add_rule": {"group": "sg-a", "rule": {"direction": "ingress", "protocol": "tcp", "multiport": "8080"}}}));
    assert!(report.rows.is_empty() && report.cleared.is_empty());
    assert!(report.notes[0].contains("an allow rule was added to Sg-A: nothing is cleared"), "{:?}", report.notes);
    assert_eq!(s.status("a1", &into_a1), Status::Active);
}

// Row 4: an inbound allow rule deleted.

#[test]
fn an_inbound_allow_rule_deleted_clears_all_members() {
    let mut s = Sim::new(Profile::Huawei);
    let into_a1 = s.connect(CLIENT, "a1", 22);
    let report = s.change(json!({"delete_rule": {"group": "sg-a", "rule_id": "A-ping"}}));
    assert_eq!(report.rows[0].row, ClearingRow::InboundAllowRuleDeleted { group_id: "sg-a".into() });
    assert_eq!(cleared(&report), pairs(&[("a1", s.id("a1", &into_a1))]));
}

#[test]
fn deleting_an_outbound_allow_rule_clears_nothing() {
    let mut s = Sim::new(Profile::Huawei);
    let into_a1 = s.connect(CLIENT, "a1", 22);
    let out_of_a1 = s.connect("a1", CLIENT, 443);
    let report = s.change(json!({"delete_rule": {"group": "sg-a", "rule_id": "A-out"}}));
    assert!(report.cleared.is_empty());
    assert!(report.notes[0].contains("outbound allow rule A-out was deleted from Sg-A: nothing is cleared"), "{:?}", report.notes);
    assert_eq!(s.status("a1", &into_a1), Status::Active);
    // The outbound connection keeps the rule it was admitted by; a new one is denied.
    let more = out_of_a1.clone();
    assert!(matches!(s.send(&more, Verdict::Allow).evaluation.hops[0].decision, HopDecision::Tracked { .. }));
    let fresh = s.packet("a1", CLIENT, "tcp", Some(443));
    s.send(&fresh, Verdict::Deny);
}

#[test]
fn deleting_an_inbound_deny_rule_clears_nothing() {
    let mut s = Sim::new(Profile::Huawei);
    let web = s.connect(CLIENT, "c1", 80);
    let report = s.change(json!({"delete_rule": {"group": "sg-c", "rule_id": "C-deny-A"}}));
    assert!(report.cleared.is_empty());
    assert!(report.notes[0].contains("inbound deny rule C-deny-A"), "{:?}", report.notes);
    assert_eq!(s.status("c1", &web), Status::Active);
}

// Row 5: an inbound rule modified.

#[test]
fn modifying_each_listed_field_of_an_inbound_rule_clears_all_members() {
    let edits = [
        (json!({"priority": 20}), "priority"),
        (json!({"action": "deny"}), "action"),
        (json!({"protocol": "udp"}), "protocol"),
        (json!({"multiport": "2222"}), "port"),
        (json!({"remote_ip_prefix": "10.0.0.0/8"}), "source"),
    ];
    for (edit, field) in edits {
        let mut s = Sim::new(Profile::Huawei);
        let into_a1 = s.connect(CLIENT, "a1", 22);
        let out_of_a1 = s.connect("a1", CLIENT, 443);
        let report = s.change(json!({"modify_rule": {"group": "sg-a", "rule_id": "A-ssh", "rule": edit}}));
        let ClearingRow::InboundRuleModified { fields, .. } = &report.rows[0].row else { panic!("{field}: {:?}", report.rows) };
        assert_eq!(fields, &vec![field.to_string()]);
        assert_eq!(cleared(&report), pairs(&[("a1", s.id("a1", &into_a1))]), "{field}");
        assert_eq!(s.status("a1", &out_of_a1), Status::Active, "{field}");
    }
}

#[test]
fn modifying_only_the_description_or_an_outbound_rule_clears_nothing() {
    let mut s = Sim::new(Profile::Huawei);
    let into_a1 = s.connect(CLIENT, "a1", 22);
    let report = s.change(json!({"modify_rule": {"group": "sg-a", "rule_id": "A-ssh", "rule": {"description": "ssh"}}}));
    assert!(report.cleared.is_empty());
    assert!(report.notes[0].contains("only the description"), "{:?}", report.notes);
    let report = s.change(json!({"modify_rule": {"group": "sg-a", "rule_id": "A-out", "rule": {"action": "deny"}}}));
    assert!(report.cleared.is_empty());
    assert!(report.notes[0].contains("outbound rule A-out of Sg-A was modified: nothing is cleared"), "{:?}", report.notes);
    assert_eq!(s.status("a1", &into_a1), Status::Active);
}

// Row 6: IP address group entries.

#[test]
fn an_address_group_entry_added_or_removed_clears_the_groups_using_it() {
    for change in [
        json!({"add_address_entry": {"address_group": "ipg-office", "entry": "172.17.0.0/24"}}),
        json!({"remove_address_entry": {"address_group": "ipg-office", "entry": "172.16.0.0/24"}}),
    ] {
        let mut s = Sim::new(Profile::Huawei);
        let https = s.connect(OFFICE, "d1", 443);
        let out_of_d1 = s.connect("d1", CLIENT, 443);
        let into_a1 = s.connect(CLIENT, "a1", 22);
        let report = s.change(change);
        let ClearingRow::AddressGroupEntryChanged { group_id, rule_ids, .. } = &report.rows[0].row else { panic!("{:?}", report.rows) };
        assert_eq!((group_id.as_str(), rule_ids.clone()), ("sg-d", vec!["D-office".to_string()]));
        assert_eq!(cleared(&report), pairs(&[("d1", s.id("d1", &https))]));
        assert_eq!(s.status("d1", &out_of_d1), Status::Active);
        assert_eq!(s.status("a1", &into_a1), Status::Active);
    }
}

#[test]
fn an_address_group_no_inbound_rule_uses_clears_nothing() {
    let mut s = Sim::new(Profile::Huawei);
    let https = s.connect(OFFICE, "d1", 443);
    let report = s.change(json!({"add_address_entry": {"address_group": "ipg-unused", "entry": "198.51.101.7"}}));
    assert!(report.cleared.is_empty());
    assert!(report.notes[0].contains("no inbound rule uses IP address group unused"), "{:?}", report.notes);
    assert_eq!(s.status("d1", &https), Status::Active);
}

// After clearing: the next packet is checked against the current rules.

#[test]
fn a_cleared_connection_the_rules_still_allow_goes_on() {
    let mut s = Sim::new(Profile::Huawei);
    let ack = s.connect(CLIENT, "a1", 22);
    s.change(
        json!({"add_rule": {"group": "sg-a", "rule": {"direction": "ingress", "action": "deny", "remote_ip_prefix": "192.0.2.0/24"}}}),
    );
    let d = s.send(&ack, Verdict::Allow);
    assert!(
        matches!(&d.evaluation.hops[0].decision, HopDecision::Rule { rule_id, .. } if rule_id == "A-ssh"),
        "the live packet shows its rule trace"
    );
    assert!(d.evaluation.notes.iter().any(|n| n.contains("goes on in state ESTABLISHED")), "{:?}", d.evaluation.notes);
    assert_eq!(s.status("a1", &ack), Status::Active);
    // A reply after another clearing is re-checked with the opening packet and passes tracked.
    s.change(
        json!({"add_rule": {"group": "sg-a", "rule": {"direction": "ingress", "action": "deny", "remote_ip_prefix": "192.0.3.0/24"}}}),
    );
    let d = s.send(&ack.reply(), Verdict::Allow);
    assert!(matches!(d.evaluation.hops[0].decision, HopDecision::Tracked { .. }));
}

#[test]
fn a_cut_connection_stays_blocked_until_its_timeout_even_if_rules_allow_again() {
    let mut s = Sim::new(Profile::Huawei);
    let ack = s.connect(CLIENT, "a1", 22);
    s.sim.advance(100);
    s.change(json!({"delete_rule": {"group": "sg-a", "rule_id": "A-ssh"}}));
    let d = s.send(&ack, Verdict::Deny);
    assert_eq!(d.evaluation.hops[0].decision, HopDecision::DefaultDeny, "the first packet shows why: no rule admits it now");
    assert!(d.evaluation.notes.iter().any(|n| n.contains("blocked until t=700")), "{:?}", d.evaluation.notes);
    assert_eq!(s.status("a1", &ack), Status::Cut { at: 100, until: 700 });
    // The rule comes back: nothing is cleared, and the connection stays cut.
    s.change(
        json!({"add_rule": {"group": "sg-a", "rule": {"id": "A-ssh2", "direction": "ingress", "protocol": "tcp", "multiport": "22"}}}),
    );
    let id = s.id("a1", &ack);
    let d = s.send(&ack, Verdict::Deny);
    assert_eq!(d.evaluation.hops[0].decision, HopDecision::Cut { connection_id: id, blocked_until: 700 });
    let d = s.send(&ack.reply(), Verdict::Deny);
    assert_eq!(d.evaluation.hops[0].decision, HopDecision::Cut { connection_id: id, blocked_until: 700 }, "replies are blocked too");
    let mut syn = ack.clone();
    syn.tcp_flags = sgplay_core::packet::TcpFlags::SYN;
    s.send(&syn, Verdict::Deny);
    s.sim.advance(599);
    s.send(&ack, Verdict::Deny);
    assert_eq!(s.sim.now(), 699);
    let expired = s.sim.advance(1);
    assert_eq!(expired.len(), 1);
    assert!(s.sim.lookup("a1", &ack).is_none());
    // Fresh: evaluated by the current rules as a new connection.
    let d = s.send(&syn, Verdict::Allow);
    assert!(matches!(&d.evaluation.hops[0].decision, HopDecision::Rule { rule_id, .. } if rule_id == "A-ssh2"));
    assert_ne!(s.id("a1", &syn), id);
}

#[test]
fn a_cleared_reply_that_the_rules_deny_is_cut_at_the_egress_side() {
    let mut s = Sim::new(Profile::Huawei);
    let ack = s.connect(CLIENT, "a1", 22);
    s.change(json!({"delete_rule": {"group": "sg-a", "rule_id": "A-ssh"}}));
    let id = s.id("a1", &ack);
    let d = s.send(&ack.reply(), Verdict::Deny);
    assert_eq!(d.evaluation.hops[0].decision, HopDecision::Cut { connection_id: id, blocked_until: 600 });
    assert!(d.evaluation.notes.iter().any(|n| n.contains("denied: no rule matched")), "{:?}", d.evaluation.notes);
}

#[test]
fn the_seeds_icmp_example() {
    // "after an ICMP persistent connection is disconnected, a new connection will be established
    // and a new rule will be applied when the timeout period (30s) expires"
    let mut s = Sim::new(Profile::Huawei);
    let ping = s.packet(CLIENT, "a1", "icmp", None);
    s.send(&ping, Verdict::Allow);
    s.send(&ping.reply(), Verdict::Allow);
    s.sim.advance(5);
    let report = s.change(json!({"add_rule": {"group": "sg-a", "rule": {"id": "A-noping", "direction": "ingress", "protocol": "icmp", "action": "deny", "priority": 1}}}));
    assert_eq!(report.cleared.len(), 1);
    s.sim.advance(1);
    s.send(&ping, Verdict::Deny);
    assert_eq!(s.status("a1", &ping), Status::Cut { at: 6, until: 36 });
    // Pings are allowed again, but the cut connection waits out its 30 s.
    s.change(json!({"delete_rule": {"group": "sg-a", "rule_id": "A-noping"}}));
    s.sim.advance(29);
    s.send(&ping, Verdict::Deny);
    s.sim.advance(1);
    let d = s.send(&ping, Verdict::Allow);
    assert!(matches!(&d.evaluation.hops[0].decision, HopDecision::Rule { rule_id, .. } if rule_id == "A-ping"));
    assert_eq!(s.sim.lookup("a1", &ping).map(|c| (c.opened, c.status, c.opened_at)), Some((Opened::Inbound, Status::Active, 36)));
}

// Timeouts of both profiles: just before expiry the entry is there, at expiry it is gone.

/// Drives a connection client → x1 with `packets` ((reply?, flags)) and checks the timeout.
#[track_caller]
fn expires_after(profile: Profile, protocol: &str, port: Option<u16>, packets: &[(bool, &str)], state: &str, secs: u64) {
    let mut s = Sim::new(profile);
    let first = s.packet(CLIENT, "x1", protocol, port);
    let mut last = first.clone();
    for (i, (reply, flags)) in packets.iter().enumerate() {
        let mut p = if *reply { first.reply() } else { first.clone() };
        if protocol == "tcp" {
            p.tcp_flags = sgplay_core::packet::TcpFlags::parse(flags).unwrap();
        }
        if i > 0 || *reply {
            s.sim.advance(1);
        }
        s.send(&p, Verdict::Allow);
        last = p;
    }
    let what = format!("{profile} {protocol} {state}");
    let conn = s.sim.lookup("x1", &last).unwrap_or_else(|| panic!("{what}: no entry"));
    assert_eq!(conn.state.name(), state, "{what}");
    assert_eq!(conn.seconds_left(s.sim.now()), secs, "{what}");
    s.sim.advance(secs - 1);
    assert!(s.sim.lookup("x1", &last).is_some(), "{what}: gone 1 s early");
    s.sim.advance(1);
    assert!(s.sim.lookup("x1", &last).is_none(), "{what}: still there at expiry");
}

const SYN: (bool, &str) = (false, "syn");
const SYN_ACK: (bool, &str) = (true, "syn,ack");
const ACK: (bool, &str) = (false, "ack");
const FIN: (bool, &str) = (false, "fin,ack");
const REPLY_ACK: (bool, &str) = (true, "ack");
const REPLY_FIN: (bool, &str) = (true, "fin,ack");
const REPLY_RST: (bool, &str) = (true, "rst,ack");

/// (packets, state, huawei seconds, linux seconds)
type TcpCase = (&'static [(bool, &'static str)], &'static str, u64, u64);
const TCP_CASES: [TcpCase; 8] = [
    (&[SYN], "SYN_SENT", 30, 120),
    (&[SYN, SYN_ACK], "SYN_RECV", 30, 60),
    (&[SYN, SYN_ACK, ACK], "ESTABLISHED", 600, 432_000),
    (&[SYN, SYN_ACK, ACK, FIN], "FIN_WAIT", 30, 120),
    (&[SYN, SYN_ACK, ACK, FIN, REPLY_ACK], "CLOSE_WAIT", 30, 60),
    (&[SYN, SYN_ACK, ACK, FIN, REPLY_ACK, REPLY_FIN], "LAST_ACK", 30, 30),
    (&[SYN, SYN_ACK, ACK, FIN, REPLY_ACK, REPLY_FIN, ACK], "TIME_WAIT", 30, 120),
    // After a reply; a RST before any reply deletes the entry at once (the test below).
    (&[SYN, SYN_ACK, REPLY_RST], "CLOSE", 10, 10),
];

/// A SYN on a CLOSE entry reopens only after a FIN began the close or when the last packet was
/// a RST in the SYN's own direction; otherwise netfilter IGNOREs it and the entry stays.
#[test]
fn a_syn_on_a_closed_entry_reopens_only_as_netfilter_does() {
    let flags = |text: &str| sgplay_core::packet::TcpFlags::parse(text).unwrap();
    for (history, reopens) in [
        // The server's RST, then its ACK: the last packet is not a RST of the SYN's side.
        (&[(true, "syn,ack"), (true, "rst,ack"), (true, "ack")][..], false),
        // The client's own RST last: the client may start again.
        (&[(true, "syn,ack"), (false, "rst")][..], true),
        // A FIN began the close before the RST.
        (&[(true, "syn,ack"), (false, "ack"), (false, "fin,ack"), (true, "rst")][..], true),
    ] {
        let mut s = Sim::new(Profile::Huawei);
        let syn = s.packet(CLIENT, "x1", "tcp", Some(22));
        s.send(&syn, Verdict::Allow);
        for (reply, f) in history {
            let mut p = if *reply { syn.reply() } else { syn.clone() };
            p.tcp_flags = flags(f);
            s.send(&p, Verdict::Allow);
        }
        assert_eq!(s.sim.lookup("x1", &syn).map(|c| c.state.name()), Some("CLOSE"), "{history:?}");
        let before = s.sim.lookup("x1", &syn).map(|c| c.id);
        s.send(&syn, Verdict::Allow);
        let after = s.sim.lookup("x1", &syn).map(|c| (c.id, c.state.name()));
        if reopens {
            assert!(after.is_some_and(|(id, state)| Some(id) != before && state == "SYN_SENT"), "{history:?}: {after:?}");
        } else {
            assert_eq!(after, before.map(|id| (id, "CLOSE")), "{history:?}: the SYN must be ignored");
        }
    }
}

#[test]
fn a_rst_before_any_reply_deletes_the_entry() {
    for profile in [Profile::Huawei, Profile::Linux] {
        let mut s = Sim::new(profile);
        let syn = s.packet(CLIENT, "x1", "tcp", Some(22));
        s.send(&syn, Verdict::Allow);
        let mut rst = syn.reply();
        rst.tcp_flags = sgplay_core::packet::TcpFlags::parse("rst,ack").unwrap();
        s.send(&rst, Verdict::Allow);
        assert!(s.sim.lookup("x1", &syn).is_none(), "{profile}: the entry outlived a RST that was the first reply");
    }
}

#[test]
fn huawei_tcp_timeouts() {
    for (packets, state, huawei, _) in TCP_CASES {
        expires_after(Profile::Huawei, "tcp", Some(22), packets, state, huawei);
    }
}

#[test]
fn linux_tcp_timeouts() {
    for (packets, state, _, linux) in TCP_CASES {
        expires_after(Profile::Linux, "tcp", Some(22), packets, state, linux);
    }
}

const ONE_WAY: &[(bool, &str)] = &[(false, "")];
const BOTH_WAYS: &[(bool, &str)] = &[(false, ""), (true, "")];

#[test]
fn huawei_timeouts_of_other_protocols() {
    expires_after(Profile::Huawei, "udp", Some(53), ONE_WAY, "UNREPLIED", 30);
    expires_after(Profile::Huawei, "udp", Some(53), BOTH_WAYS, "REPLIED", 180);
    expires_after(Profile::Huawei, "icmp", None, ONE_WAY, "UNREPLIED", 30);
    expires_after(Profile::Huawei, "icmp", None, BOTH_WAYS, "REPLIED", 30);
    expires_after(Profile::Huawei, "gre", None, ONE_WAY, "UNREPLIED", 30);
    expires_after(Profile::Huawei, "gre", None, BOTH_WAYS, "REPLIED", 180);
    expires_after(Profile::Huawei, "132", None, ONE_WAY, "UNREPLIED", 30);
    expires_after(Profile::Huawei, "132", None, BOTH_WAYS, "REPLIED", 180);
}

/// A reply, then packets 1 s apart until the flow is 3 s old.
const STREAM: &[(bool, &str)] = &[(false, ""), (true, ""), (false, ""), (false, "")];

/// Linux gives the longer timeout only from the packet after the first reply, and UDP's only
/// once the flow is over 2 s old.
#[test]
fn linux_timeouts_of_other_protocols() {
    expires_after(Profile::Linux, "udp", Some(53), ONE_WAY, "UNREPLIED", 30);
    expires_after(Profile::Linux, "udp", Some(53), BOTH_WAYS, "REPLIED", 30);
    expires_after(Profile::Linux, "udp", Some(53), &STREAM[..3], "REPLIED", 30);
    expires_after(Profile::Linux, "udp", Some(53), STREAM, "REPLIED", 120);
    expires_after(Profile::Linux, "gre", None, &STREAM[..3], "REPLIED", 180);
    expires_after(Profile::Linux, "icmp", None, ONE_WAY, "UNREPLIED", 30);
    expires_after(Profile::Linux, "icmp", None, BOTH_WAYS, "REPLIED", 30);
    expires_after(Profile::Linux, "gre", None, ONE_WAY, "UNREPLIED", 30);
    expires_after(Profile::Linux, "gre", None, BOTH_WAYS, "REPLIED", 30);
    expires_after(Profile::Linux, "132", None, ONE_WAY, "UNREPLIED", 600);
    expires_after(Profile::Linux, "132", None, BOTH_WAYS, "REPLIED", 600);
}

#[test]
fn every_packet_restarts_the_timeout() {
    let mut s = Sim::new(Profile::Huawei);
    let p = s.packet(CLIENT, "x1", "udp", Some(53));
    s.send(&p, Verdict::Allow);
    for _ in 0..5 {
        s.sim.advance(20);
        s.send(&p, Verdict::Allow);
    }
    assert_eq!(s.sim.lookup("x1", &p).map(|c| c.seconds_left(s.sim.now())), Some(30));
}
