//! The fuzz targets' bodies: each takes the fuzzer's bytes, turns them into an input of one part
//! of the engine, runs it and asserts what must hold (no panic, and the invariants named below).
//! `fuzz/fuzz_targets/*.rs` (cargo-fuzz, nightly) call these; `tests/tests/fuzz_regressions.rs`
//! runs every file of `tests/fuzz-regressions/<target>/` through the same function on stable, so
//! a crash found once stays fixed.
//!
//! Nothing here allocates in proportion to more than the input: the byte readers stop at the
//! end of the input and every count they read is bounded.

use crate::random_world::{self, EndBp, InstanceBp, PacketBp, RemoteBp, RuleBp, VpcsBp, WorldBp, PACKET_PORTS, PORT_POOL};
use crate::reference::reference;
use sgplay_core::conntrack::Connection;
use sgplay_core::diagnostic::Problems;
use sgplay_core::eval::{decide, evaluate};
use sgplay_core::interop::{self, Format};
use sgplay_core::matcher::{Budget, Matcher, MatcherConfig, SideResult};
use sgplay_core::model::{parse_ports, AddressEntry, Direction, Ethertype, World};
use sgplay_core::packet::Packet;
use sgplay_core::scenario::address_group_spec::{build_address_group, parse_entry};
use sgplay_core::scenario::{from_json, parse_prefix, AddressGroupSpec, ChangeSpec, ConnectionExpectation, RulePatch, RuleSpec};
use sgplay_core::scenario::{ProbeSpec, SequenceSpec, StepSpec};
use sgplay_core::{Scenario, ScenarioSpec};
use std::sync::OnceLock;

/// A target body: any bytes in, a panic on a failure.
pub type Target = fn(&[u8]);

/// The targets, by name: the folder names under `tests/fuzz-regressions/` and `fuzz/fuzz_targets/`.
pub const TARGETS: [(&str, Target); 7] = [
    ("ports", ports),
    ("address_entry", address_entry),
    ("address_group", address_group),
    ("rule", rule),
    ("scenario", scenario),
    ("sequence", sequence),
    ("matcher", matcher),
];

/// Reads small numbers from the fuzzer's bytes; past the end every read is 0, so any input is a
/// complete one.
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data }
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    pub fn bool(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        self.byte() as usize % n
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.byte(), self.byte()])
    }

    pub fn u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        for x in &mut b {
            *x = self.byte();
        }
        u64::from_le_bytes(b)
    }

    pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    /// The rest of the input as text (invalid UTF-8 replaced).
    pub fn rest_text(&mut self) -> String {
        let text = String::from_utf8_lossy(self.data).into_owned();
        self.data = &[];
        text
    }
}

fn ethertype_of(addr: std::net::IpAddr) -> Ethertype {
    Ethertype::of(addr)
}

// ---------------------------------------------------------------------------------------------
// 1. Port expressions.

/// `parse_ports` on any text: no panic; a list it accepts is well formed and reads back the same
/// from its own display.
pub fn ports(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(set) = parse_ports(&text) {
        for r in set.elements() {
            assert!(1 <= r.first && r.first <= r.last, "{text:?}: element {r:?}");
        }
        if !set.is_all() {
            let shown = set.to_string();
            assert_eq!(parse_ports(&shown), Ok(set.clone()), "{text:?} shown as {shown:?} reads back otherwise");
        }
        for p in [0u16, 1, 22, 80, 443, 1024, 65535] {
            let _ = set.find(p);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Addresses and CIDR entries.

/// `parse_prefix` and the address-group entry parser on any text, for each family: no panic; an
/// accepted prefix is of the family asked for and has no host bits; an accepted entry is of the
/// group's family, a range is in order, and both read back the same from their display.
pub fn address_entry(data: &[u8]) {
    let mut bytes = Bytes::new(data);
    let selector = bytes.byte();
    let text = bytes.rest_text();
    let ethertype = [None, Some(Ethertype::IPv4), Some(Ethertype::IPv6)][selector as usize % 3];
    if let Ok(net) = parse_prefix(&text, ethertype) {
        assert_eq!(net.trunc(), net, "{text:?}: host bits accepted");
        if let Some(e) = ethertype {
            assert_eq!(ethertype_of(net.addr()), e, "{text:?}: other family accepted");
        }
        assert_eq!(parse_prefix(&net.to_string(), ethertype), Ok(net), "{text:?} reads back otherwise");
    }
    for family in [Ethertype::IPv4, Ethertype::IPv6] {
        if let Ok(entry) = parse_entry(&text, family) {
            match &entry {
                AddressEntry::Net(n) => assert_eq!(ethertype_of(n.addr()), family, "{text:?}"),
                AddressEntry::Range(a, b) => {
                    assert_eq!(ethertype_of(*a), family, "{text:?}");
                    assert_eq!(ethertype_of(*b), family, "{text:?}");
                    assert!(a <= b, "{text:?}: reversed range accepted");
                    assert!(entry.contains(*a) && entry.contains(*b), "{text:?}: a range holds its ends");
                }
            }
            let shown = entry.to_string();
            assert_eq!(parse_entry(&shown, family), Ok(entry.clone()), "{text:?} shown as {shown:?} reads back otherwise");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Address-group documents.

/// An `AddressGroupSpec` document: read, built, and built again inside a scenario whose rule uses
/// it. No panic; a group built has one entry per entry written, all of its family.
pub fn address_group(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(spec) = from_json::<AddressGroupSpec>(text) else { return };
    let mut problems = Problems::default();
    let built = build_address_group(&spec, "address_groups[0]", &mut problems);
    if let Some(group) = &built {
        assert_eq!(group.entries.len(), spec.entry_count(), "{text:?}: entries lost or added");
        for e in &group.entries {
            let addr = match e {
                AddressEntry::Net(n) => n.addr(),
                AddressEntry::Range(a, _) => *a,
            };
            assert_eq!(ethertype_of(addr), group.ethertype, "{text:?}: an entry of the other family");
        }
    }
    // In a scenario: a rule of the group's family uses it; the world is evaluated once.
    let mut scenario = small_scenario().clone();
    let six = built.as_ref().is_some_and(|g| g.ethertype == Ethertype::IPv6);
    scenario.address_groups.push(spec.clone());
    let rule = RuleSpec {
        id: Some("r-ag".into()),
        direction: Some("ingress".into()),
        ethertype: Some(if six { "IPv6" } else { "IPv4" }.into()),
        remote_address_group_id: Some(spec.id.clone()),
        ..RuleSpec::default()
    };
    scenario.security_groups[0].rules.push(rule);
    if let Ok(built) = scenario.build() {
        exercise(&built);
    }
}

/// Evaluates a few packets on a built world, compiled and traced, and asserts they agree.
fn exercise(scenario: &Scenario) {
    let matcher = Matcher::build(&scenario.world);
    for packet in probe_packets(&scenario.world) {
        assert_eq!(matcher.decide(&packet), evaluate(&scenario.world, &packet).verdict, "the matcher and the tracer disagree on {packet}");
    }
}

/// Packets from each instance address and a few outside ones to each instance address.
fn probe_packets(world: &World) -> Vec<Packet> {
    let mut addrs: Vec<std::net::IpAddr> =
        world.instances.iter().flat_map(|i| i.private_ips.iter().copied().chain(i.eip)).take(6).collect();
    addrs.extend(["203.0.113.9".parse::<std::net::IpAddr>().unwrap(), "2001:db8::9".parse().unwrap()]);
    let mut out = Vec::new();
    for &src in &addrs {
        for &dst in &addrs {
            if src.is_ipv4() == dst.is_ipv4() && src != dst {
                for (protocol, port) in [(6, 22), (6, 443), (17, 53), (1, 0)] {
                    out.push(Packet::opening(src, dst, protocol, port));
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// 4. Rule documents.

const SMALL_SCENARIO: &str = r#"{
  "name": "fuzz world",
  "vpcs": [{"id": "vpc-1", "cidr": "10.0.0.0/16", "subnets": [{"id": "subnet-1", "cidr": "10.0.0.0/24", "ipv6_cidr": "fd00::/64"}]}],
  "address_groups": [
    {"id": "ipg-4", "ip_version": 4, "ip_set": ["203.0.113.0/28", "198.51.100.7", "192.0.2.1-192.0.2.9"]},
    {"id": "ipg-6", "ip_version": 6, "ip_set": ["2001:db8::/48"]}
  ],
  "security_groups": [
    {"id": "sg-a", "rules": [
      {"id": "a-ssh", "direction": "ingress", "protocol": "tcp", "multiport": "22", "remote_ip_prefix": "0.0.0.0/0"},
      {"id": "a-ag", "direction": "ingress", "protocol": "tcp", "multiport": "443,8000-8080", "remote_address_group_id": "ipg-4"},
      {"id": "a-deny", "direction": "ingress", "protocol": "icmp", "action": "deny", "priority": 5, "remote_ip_prefix": "198.51.100.0/24"},
      {"id": "a-icmp", "direction": "ingress", "protocol": "icmp", "remote_ip_prefix": "0.0.0.0/0"},
      {"id": "a-out", "direction": "egress", "remote_ip_prefix": "0.0.0.0/0"},
      {"id": "a-out6", "direction": "egress", "ethertype": "IPv6", "remote_ip_prefix": "::/0"}
    ]},
    {"id": "sg-b", "rules": [
      {"id": "b-from-a", "direction": "ingress", "protocol": "tcp", "multiport": "3306", "remote_group_id": "sg-a"},
      {"id": "b-udp", "direction": "ingress", "protocol": "udp", "multiport": "53", "remote_ip_prefix": "10.0.0.0/16"},
      {"id": "b-out", "direction": "egress", "protocol": "tcp", "remote_ip_prefix": "10.0.0.0/16"}
    ]}
  ],
  "instances": [
    {"id": "ecs-a", "subnet_id": "subnet-1", "ip": "10.0.0.11", "ipv6": "fd00::11", "eip": "198.51.100.11", "security_groups": ["sg-a"]},
    {"id": "ecs-b", "subnet_id": "subnet-1", "ip": "10.0.0.12", "security_groups": ["sg-b", "sg-a"]},
    {"id": "ecs-c", "subnet_id": "subnet-1", "ip": "10.0.0.13", "virtual_ips": ["10.0.0.100"], "security_groups": ["sg-b"]}
  ]
}"#;

/// A small valid scenario: two groups (one with a remote group, one with an address group), three
/// instances, one with an EIP and an IPv6 address, one with a virtual IP.
pub fn small_scenario() -> &'static ScenarioSpec {
    static SPEC: OnceLock<ScenarioSpec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let spec = ScenarioSpec::parse(SMALL_SCENARIO).expect("the fuzz world parses");
        if let Err(problems) = spec.build() {
            panic!("the fuzz world does not validate: {problems:?}");
        }
        spec
    })
}

/// A `RuleSpec` document checked against the small scenario's first group, as the editor does. No
/// panic; each rule it becomes, written back as a spec, checks to the same rule.
pub fn rule(data: &[u8]) {
    let mut bytes = Bytes::new(data);
    let group = bytes.pick(&["sg-a", "sg-b", "sg-missing"]);
    let index = bytes.below(8);
    let text = bytes.rest_text();
    let Ok(spec) = from_json::<RuleSpec>(&text) else { return };
    let scenario = small_scenario();
    let Ok(rules) = scenario.check_rule(group, index, &spec) else { return };
    for rule in &rules {
        let back = RuleSpec::from_rule(rule, group);
        match scenario.check_rule(group, index, &back) {
            Ok(again) => assert_eq!(again.as_slice(), std::slice::from_ref(rule), "{text:?}: written back as {back:?}"),
            Err(problems) => panic!("{text:?}: rule {rule:?} written back as {back:?} does not check: {problems:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Whole scenario JSON, and imports.

/// Any text as a scenario file (validated, its tests run) and as imports: the text split at NUL
/// bytes is up to four inputs, each detected (sgplay scenario or Huawei API JSON). No panic; a
/// scenario spec read back from its own JSON is the same.
pub fn scenario(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(spec) = ScenarioSpec::parse(text) {
        let json = spec.to_json();
        match ScenarioSpec::parse(&json) {
            Ok(again) => assert!(again == spec, "the spec read back from its JSON differs:\n{json}"),
            Err(p) => panic!("the spec's own JSON does not read: {p:?}\n{json}"),
        }
        if let Ok(scenario) = spec.build() {
            let _ = sgplay_core::testing::run_scenario(&scenario);
            exercise(&scenario);
            let _ = interop::export(&spec, Format::HuaweiApi);
        }
    }
    let names = ["in-0.json", "in-1.json", "in-2.json", "in-3.json"];
    let inputs: Vec<(&str, &str)> = text.split('\0').take(names.len()).enumerate().map(|(i, t)| (names[i], t)).collect();
    if let Ok(imported) = interop::import_any(&inputs) {
        if let Ok(built) = imported.scenario.build() {
            exercise(&built);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Sequences through the simulator.

const LABELS: [&str; 3] = ["a", "b", "c"];
const INSTANCES: [&str; 4] = ["ecs-a", "ecs-b", "ecs-c", "ecs-missing"];
const ENDS: [&str; 12] = [
    "ecs-a",
    "ecs-b",
    "ecs-c",
    "10.0.0.11",
    "10.0.0.100",
    "198.51.100.11",
    "203.0.113.5",
    "198.51.100.7",
    "fd00::11",
    "2001:db8::5",
    "ecs-missing",
    "not an address",
];

fn opt<T: Clone>(b: &mut Bytes, items: &[T]) -> Option<T> {
    let i = b.below(items.len() + 1);
    items.get(i).cloned()
}

fn opt_text(b: &mut Bytes, items: &[&str]) -> Option<String> {
    opt(b, items).map(str::to_string)
}

fn probe(b: &mut Bytes) -> ProbeSpec {
    let port = match b.below(4) {
        0 => None,
        1 => Some(22),
        2 => Some(b.pick(&[443, 3306, 53, 8080, 1])),
        _ => Some(b.u16()),
    };
    ProbeSpec {
        from: b.pick(&ENDS).to_string(),
        to: b.pick(&ENDS).to_string(),
        protocol: b.pick(&["tcp", "udp", "icmp", "icmpv6", "gre", "50", "6", "17", "1", "58", "255", "sctp", ""]).to_string(),
        port,
        src_port: opt(b, &[40000, 49152, 1, 65535, 0]),
        family: opt_text(b, &["IPv4", "IPv6", "ipv7"]),
        icmp_type: opt(b, &[0, 3, 8, 11, 12, 128, 129, 1, 2, 3, 4, 255]),
        icmp_code: opt(b, &[0, 1, 3, 4, 255]),
        flags: opt_text(b, &["syn", "ack", "syn,ack", "fin,ack", "fin", "rst", "rst,ack", "psh,ack", "", "bogus", "syn,fin,rst,ack"]),
    }
}

fn rule_spec(b: &mut Bytes) -> RuleSpec {
    use serde_json::json;
    RuleSpec {
        id: opt_text(b, &["a-ssh", "a-ag", "b-from-a", "new-1", "new-2"]),
        direction: Some(b.pick(&["ingress", "egress", "sideways"]).into()),
        ethertype: opt_text(b, &["IPv4", "IPv6"]),
        protocol: opt(b, &[json!("tcp"), json!("udp"), json!("icmp"), json!(6), json!("any"), json!(null)]),
        multiport: opt(b, &[json!("22"), json!("1-65535"), json!("443,8000-8080"), json!(22), json!("0")]),
        action: opt_text(b, &["allow", "deny"]),
        priority: opt(b, &[json!(1), json!(100), json!("5"), json!(0), json!(101)]),
        remote_ip_prefix: opt_text(b, &["0.0.0.0/0", "203.0.113.0/28", "::/0", "10.0.0.11", "10.0.0.1/8"]),
        remote_group_id: opt_text(b, &["sg-a", "sg-b", "sg-missing"]),
        remote_address_group_id: opt_text(b, &["ipg-4", "ipg-6", "ipg-missing"]),
        ..RuleSpec::default()
    }
}

fn change(b: &mut Bytes) -> ChangeSpec {
    let group = b.pick(&["sg-a", "sg-b", "sg-missing"]).to_string();
    let rule_id = b.pick(&["a-ssh", "a-ag", "a-deny", "a-icmp", "a-out", "b-from-a", "b-udp", "b-out", "new-1", "nope"]).to_string();
    let instance = b.pick(&INSTANCES).to_string();
    let address_group = b.pick(&["ipg-4", "ipg-6", "ipg-missing"]).to_string();
    let entry = b
        .pick(&["203.0.113.0/28", "203.0.113.5", "198.51.100.7", "192.0.2.1-192.0.2.9", "2001:db8::/48", "10.0.0.0/8", "bad", ""])
        .to_string();
    match b.below(7) {
        0 => ChangeSpec::AddRule { group, rule: rule_spec(b) },
        1 => ChangeSpec::DeleteRule { group, rule_id },
        2 => ChangeSpec::ModifyRule { group, rule_id, rule: RulePatch::from_spec(&rule_spec(b)) },
        3 => ChangeSpec::AddMember { group, instance, position: opt(b, &[0, 1, 2, 3, usize::MAX]) },
        4 => ChangeSpec::RemoveMember { group, instance },
        5 => ChangeSpec::AddAddressEntry { address_group, entry },
        _ => ChangeSpec::RemoveAddressEntry { address_group, entry },
    }
}

fn step(b: &mut Bytes) -> StepSpec {
    let mut s = StepSpec::default();
    let kind = b.below(7);
    match kind {
        0 | 1 => s.send = Some(probe(b)),
        2 => s.reply = Some(b.pick(&LABELS).to_string()),
        3 => {
            s.advance = Some(match b.below(4) {
                0 => b.pick(&[1, 10, 30, 59, 60, 119, 120, 121, 300, 600, 900]),
                1 => b.pick(&[3600, 7200, 86400, 432000, 432001, 1_000_000]),
                2 => b.byte() as u64,
                _ => b.u64(),
            })
        }
        4 => s.change = Some(change(b)),
        5 => {
            s.expect_connection = Some(ConnectionExpectation {
                label: b.pick(&LABELS).to_string(),
                instance: b.pick(&INSTANCES).to_string(),
                state: b
                    .pick(&[
                        "SYN_SENT",
                        "SYN_RECV",
                        "ESTABLISHED",
                        "FIN_WAIT",
                        "CLOSE",
                        "UNREPLIED",
                        "REPLIED",
                        "CUT",
                        "NONE",
                        "CLEARED",
                        "?",
                    ])
                    .to_string(),
                expires_in: opt(b, &[0, 30, 120, 432000]),
            })
        }
        // A malformed step: no action, or two.
        _ => {
            if b.bool() {
                s.send = Some(probe(b));
                s.advance = Some(1);
            }
        }
    }
    s.label = opt_text(b, &LABELS);
    if b.below(4) == 0 {
        s.embeds = opt_text(b, &LABELS);
    }
    if b.below(3) == 0 {
        s.flags = opt_text(b, &["syn,ack", "ack", "rst", "fin,ack", "zzz"]);
    }
    s.expect = opt_text(b, &["allow", "deny", "maybe"]);
    if b.below(3) == 0 {
        s.expect_rule = opt_text(b, &["a-ssh", "b-from-a", "new-1", "missing"]);
    }
    s.expect_tracked = opt(b, &[false, true]);
    if b.below(3) == 0 {
        let all = ["a@ecs-a", "b@ecs-b", "c@ecs-c", "a@ecs-c", "b", "x@y@z"];
        let n = b.below(4);
        s.expect_cleared = Some((0..n).map(|_| b.pick(&all).to_string()).collect());
    }
    s
}

/// A sequence built from the bytes, on the small scenario: read as the build reads it (no panic
/// on any malformed step), run when it reads, and, when the scenario with it validates, run as
/// `sgplay test` runs it.
pub fn sequence(data: &[u8]) {
    let mut b = Bytes::new(data);
    let conntrack_profile = opt_text(&mut b, &["huawei", "linux", "bsd"]);
    let cut_wait = opt_text(&mut b, &["from_cut", "restart_on_packet", "never"]);
    let mut steps = Vec::new();
    while !b.is_empty() && steps.len() < 64 {
        steps.push(step(&mut b));
    }
    let sequence = SequenceSpec { name: "fuzz".into(), description: String::new(), conntrack_profile, cut_wait, steps };
    let mut spec = small_scenario().clone();
    let scenario = spec.build().expect("the fuzz world validates");
    let mut problems = sgplay_core::diagnostic::Problems::default();
    if let Some(typed) = sgplay_core::scenario::Sequence::parse(&scenario.world, &sequence, 0, &mut problems) {
        let _ = sgplay_core::sim::run_sequence(&scenario, &typed);
    }
    spec.sequences.push(sequence);
    if let Ok(scenario) = spec.build() {
        let _ = sgplay_core::testing::run_scenario(&scenario);
    }
}

// ---------------------------------------------------------------------------------------------
// 8. The compiled matcher against the tracer on random valid worlds.

fn world_bp(b: &mut Bytes) -> WorldBp {
    let n_groups = b.between(2, 4);
    let n_instances = b.between(2, 5);
    let n_ags = b.between(1, 2);
    let groups = (0..n_groups)
        .map(|_| {
            let n = b.between(1, 8);
            (0..n)
                .map(|_| {
                    let remote = match b.below(11) {
                        0..=1 => RemoteBp::Any,
                        2..=5 => RemoteBp::Prefix(b.below(10)),
                        6..=8 => RemoteBp::Group(b.below(n_groups)),
                        _ => RemoteBp::AddressGroup(b.below(n_ags)),
                    };
                    let n_ports = b.below(4);
                    RuleBp {
                        ingress: b.bool(),
                        six: b.below(4) == 0,
                        protocol: b.below(6) as u8,
                        ports: (0..n_ports).map(|_| b.below(PORT_POOL.len())).collect(),
                        deny: b.bool(),
                        priority: b.between(1, 5) as u8,
                        remote,
                    }
                })
                .collect()
        })
        .collect();
    let address_groups = (0..n_ags)
        .map(|_| {
            let six = b.below(10) < 3;
            let n = b.between(1, 3);
            (six, (0..n).map(|_| b.below(6)).collect())
        })
        .collect();
    let instances = (0..n_instances)
        .map(|_| {
            // A non-empty subsequence of the groups, in an order of the bytes' choosing.
            let mut order: Vec<usize> = (0..n_groups).collect();
            for i in (1..order.len()).rev() {
                order.swap(i, b.below(i + 1));
            }
            let keep = b.between(1, n_groups);
            order.truncate(keep);
            InstanceBp {
                has_v6: b.bool(),
                has_vip: b.below(5) < 2,
                has_eip: b.below(3) == 0,
                load_balancer: b.below(7) == 0,
                groups: order,
            }
        })
        .collect();
    let vpcs = match b.below(5) {
        0..=2 => VpcsBp::One,
        3 => VpcsBp::TwoPeered,
        _ => VpcsBp::TwoApart,
    };
    WorldBp { groups, address_groups, instances, vpcs }
}

fn end_bp(b: &mut Bytes) -> EndBp {
    match b.below(12) {
        0..=4 => EndBp::Private(b.below(5)),
        5..=6 => EndBp::Vip(b.below(5)),
        7..=8 => EndBp::Eip(b.below(5)),
        9..=10 => EndBp::Internet(b.below(3)),
        _ => EndBp::Unassigned(b.below(2)),
    }
}

/// The matcher in each of its layouts: fused side tables, chains of group tables, scans.
fn matchers(world: &World) -> Vec<Matcher> {
    let chains = MatcherConfig { fuse_budget: 0, ..MatcherConfig::default() };
    let scans = MatcherConfig { fuse_budget: 0, table_budget: Budget { lists: 0, grid: 0 } };
    vec![Matcher::build(world), Matcher::build_with(world, chains), Matcher::build_with(world, scans)]
}

/// The side a verdict stopped at, from the matcher's decision.
fn matcher_stop(outbound: SideResult, inbound: SideResult) -> Option<Direction> {
    match (outbound, inbound) {
        (o, _) if !o.allows() => Some(Direction::Egress),
        (_, i) if !i.allows() => Some(Direction::Ingress),
        _ => None,
    }
}

fn compare(world: &World, matchers: &[Matcher], packet: &Packet) {
    let fast = decide(world, packet);
    let eval = evaluate(world, packet);
    assert_eq!(fast, eval.verdict, "decide and evaluate disagree on {packet}");
    let want_rules: Vec<String> = eval.deciding_rules().iter().map(|(_, _, r)| r.to_string()).collect();
    let want_stop = eval.denied_at().map(|h| h.direction);
    // The reference does not track connections: it judges packets that can open one.
    if Connection::can_open(packet) {
        let (reference_verdict, sides) = reference(world, packet);
        assert_eq!(reference_verdict, fast, "the engine and the reference model disagree on {packet}; reference sides: {sides:?}");
        let reference_rules: Vec<String> = sides.iter().filter_map(|s| s.rule.as_ref().map(|(r, _)| r.clone())).collect();
        assert_eq!(reference_rules, want_rules, "the reference model names other deciding rules on {packet}");
        assert_eq!(sides.iter().find(|s| !s.allows()).map(|s| s.direction), want_stop, "the reference model stops elsewhere on {packet}");
    }
    for (layout, matcher) in matchers.iter().enumerate() {
        let compiled = matcher.decide_rule(packet);
        assert_eq!(compiled.verdict, fast, "matcher layout {layout} and decide disagree on {packet}: {compiled:?}");
        assert_eq!(matcher.decide(packet), fast, "matcher layout {layout}: decide and decide_rule disagree on {packet}");
        let got_rules: Vec<String> = [compiled.outbound, compiled.inbound]
            .iter()
            .filter_map(|s| s.rule())
            .map(|r| world.security_groups[r.group as usize].rules[r.rule as usize].id.clone())
            .collect();
        assert_eq!(got_rules, want_rules, "matcher layout {layout} names other deciding rules on {packet}: {compiled:?}");
        assert_eq!(matcher_stop(compiled.outbound, compiled.inbound), want_stop, "matcher layout {layout} stops elsewhere on {packet}");
    }
}

/// A world and packets from the bytes (the `random_world` blueprints, read instead of drawn):
/// `Matcher::decide`/`decide_rule` in every layout equal `decide`, `evaluate` and the naive
/// reference model (`crate::reference`), with the same deciding rules and the same stopping side,
/// for each packet and its reply (the reference only for packets that can open a connection).
pub fn matcher(data: &[u8]) {
    let mut b = Bytes::new(data);
    let bp = world_bp(&mut b);
    let world = random_world::build(&bp);
    let matchers = matchers(&world);
    let mut n = 0;
    while n == 0 || (!b.is_empty() && n < 16) {
        n += 1;
        let pb = PacketBp {
            six: b.below(10) < 3,
            src: end_bp(&mut b),
            dst: end_bp(&mut b),
            protocol: b.below(5) as u8,
            port: b.below(PACKET_PORTS.len()),
        };
        let packet = random_world::build_packet(&world, &pb);
        compare(&world, &matchers, &packet);
        compare(&world, &matchers, &packet.reply());
    }
}
