//! The engine against a reference model.
//!
//! `reference` below is a deliberately naive evaluator written straight from SEMANTICS §3–4, sharing
//! no code with the engine: collect the instance's groups in sequence; in each group collect the
//! matching rules and pick the smallest priority, deny before allow; the first group with a match
//! decides; nothing matched means deny; instance to instance crosses the source's outbound and the
//! destination's inbound rules; a remote security group covers its members' private IPs, not
//! their virtual IPs; a destination reached at its EIP sees the source's EIP when it has one
//! (docs/interpretations.md). Random small worlds and packets must get the same verdict, the same
//! deciding rule on every side and the same stopping point from `eval::decide`, `eval::evaluate`,
//! the compiled `Matcher` and the reference.
//!
//! Worlds are built from the `model` types directly, and every instance has a group.

use proptest::prelude::*;
use sgplay_core::eval::{decide, evaluate};
use sgplay_core::matcher::{Budget, Matcher, MatcherConfig, SideResult};
use sgplay_core::model::protocol::{GRE, ICMP, ICMPV6, TCP, UDP};
use sgplay_core::model::{
    Action, AddressEntry, AddressGroup, Direction, Ethertype, Instance, InstanceKind, PortRange, PortSet, ProtocolMatch, Remote, Rule,
    SecurityGroup, Subnet, Vpc, World,
};
use sgplay_core::packet::{Packet, TcpFlags};
use sgplay_core::Verdict;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

// ---------------------------------------------------------------------------------------------
// Address plan: instance i holds 10.0.0.(10+i) and fd00::(10+i); its VIPs are 10.0.0.(100+i) and
// fd00::(100+i). The prefix and entry pools overlap these on purpose.

fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
}

fn v6(last: u16) -> IpAddr {
    IpAddr::V6(Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, last))
}

fn doc6(second: u16, last: u16) -> IpAddr {
    IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, second, 0, 0, 0, 0, last))
}

fn private(i: usize, six: bool) -> IpAddr {
    if six {
        v6(10 + i as u16)
    } else {
        v4(10, 0, 0, 10 + i as u8)
    }
}

fn vip(i: usize, six: bool) -> IpAddr {
    if six {
        v6(100 + i as u16)
    } else {
        v4(10, 0, 0, 100 + i as u8)
    }
}

fn internet(k: usize, six: bool) -> IpAddr {
    match (six, k % 3) {
        (false, 0) => v4(203, 0, 113, 5),
        (false, 1) => v4(198, 51, 100, 7),
        (false, _) => v4(192, 0, 2, 1),
        (true, 0) => doc6(0, 5),
        (true, 1) => doc6(1, 7),
        (true, _) => doc6(2, 1),
    }
}

/// Instance i's EIP (IPv4 only, as Huawei's EIPs), inside the 203.0.113.0/24 prefix of the pool.
fn eip(i: usize) -> IpAddr {
    v4(203, 0, 113, 50 + i as u8)
}

fn unassigned(k: usize, six: bool) -> IpAddr {
    match (six, k % 2) {
        (false, 0) => v4(10, 0, 0, 200),
        (false, _) => v4(10, 0, 5, 5),
        (true, 0) => v6(200),
        (true, _) => v6(0x300),
    }
}

fn net(addr: IpAddr, len: u8) -> ipnet::IpNet {
    ipnet::IpNet::new(addr, len).expect("valid prefix length").trunc()
}

fn prefix_pool(six: bool) -> Vec<ipnet::IpNet> {
    if six {
        vec![
            net(v6(0), 0),
            net(v6(0), 64),
            net(v6(8), 126),   // fd00::8-b: instances 0 and 1
            net(v6(10), 128),  // instance 0
            net(v6(100), 126), // VIPs 0-3
            net(doc6(0, 0), 32),
            net(doc6(1, 0), 48),
            net(v6(200), 128),
        ]
    } else {
        vec![
            net(v4(0, 0, 0, 0), 0),
            net(v4(10, 0, 0, 0), 8),
            net(v4(10, 0, 0, 0), 28),   // instances 0-5
            net(v4(10, 0, 0, 8), 30),   // instances 0 and 1
            net(v4(10, 0, 0, 10), 32),  // instance 0
            net(v4(10, 0, 0, 12), 31),  // instances 2 and 3
            net(v4(10, 0, 0, 100), 30), // VIPs 0-3
            net(v4(203, 0, 113, 0), 24),
            net(v4(198, 51, 100, 7), 32),
            net(v4(10, 0, 0, 200), 32),
        ]
    }
}

fn entry_pool(six: bool) -> Vec<AddressEntry> {
    if six {
        vec![
            AddressEntry::Net(net(v6(8), 125)),
            AddressEntry::Net(net(v6(11), 128)),
            AddressEntry::Range(v6(12), v6(13)),
            AddressEntry::Range(v6(100), v6(101)),
            AddressEntry::Net(net(doc6(0, 0), 48)),
            AddressEntry::Range(doc6(1, 1), doc6(1, 9)),
        ]
    } else {
        vec![
            AddressEntry::Net(net(v4(10, 0, 0, 8), 29)),
            AddressEntry::Net(net(v4(10, 0, 0, 11), 32)),
            AddressEntry::Range(v4(10, 0, 0, 12), v4(10, 0, 0, 13)),
            AddressEntry::Range(v4(10, 0, 0, 100), v4(10, 0, 0, 101)),
            AddressEntry::Net(net(v4(203, 0, 113, 0), 25)),
            AddressEntry::Range(v4(198, 51, 100, 1), v4(198, 51, 100, 9)),
            AddressEntry::Range(v4(10, 0, 0, 199), v4(10, 0, 0, 201)),
        ]
    }
}

const PORT_POOL: [(u16, u16); 8] = [(22, 22), (25, 25), (20, 30), (79, 81), (443, 443), (1, 1024), (1000, 2000), (65535, 65535)];
const PACKET_PORTS: [u16; 7] = [22, 25, 80, 443, 1000, 3306, 65535];

// ---------------------------------------------------------------------------------------------
// Blueprints: small plain values proptest generates and shrinks; `build` turns them into a world.

#[derive(Clone, Debug)]
enum RemoteBp {
    Any,
    Prefix(usize),
    Group(usize),
    AddressGroup(usize),
}

#[derive(Clone, Debug)]
struct RuleBp {
    ingress: bool,
    six: bool,
    /// 0 all, 1 tcp, 2 udp, 3 icmp of the family, 4 gre, 5 protocol 50
    protocol: u8,
    ports: Vec<usize>,
    deny: bool,
    priority: u8,
    remote: RemoteBp,
}

#[derive(Clone, Debug)]
struct InstanceBp {
    has_v6: bool,
    has_vip: bool,
    has_eip: bool,
    load_balancer: bool,
    groups: Vec<usize>,
}

#[derive(Clone, Debug)]
struct WorldBp {
    groups: Vec<Vec<RuleBp>>,
    /// (IPv6?, entry indices into the family's pool)
    address_groups: Vec<(bool, Vec<usize>)>,
    instances: Vec<InstanceBp>,
}

#[derive(Clone, Copy, Debug)]
enum EndBp {
    Private(usize),
    Vip(usize),
    Eip(usize),
    Internet(usize),
    Unassigned(usize),
}

#[derive(Clone, Debug)]
struct PacketBp {
    six: bool,
    src: EndBp,
    dst: EndBp,
    /// 0 tcp, 1 udp, 2 icmp of the family, 3 gre, 4 protocol 50
    protocol: u8,
    port: usize,
}

fn rule_bp(groups: usize, address_groups: usize) -> impl Strategy<Value = RuleBp> {
    let remote = prop_oneof![
        2 => Just(RemoteBp::Any),
        4 => (0..10usize).prop_map(RemoteBp::Prefix),
        3 => (0..groups).prop_map(RemoteBp::Group),
        2 => (0..address_groups).prop_map(RemoteBp::AddressGroup),
    ];
    (any::<bool>(), prop::bool::weighted(0.25), 0..6u8, prop::collection::vec(0..PORT_POOL.len(), 0..=3), any::<bool>(), 1..=5u8, remote)
        .prop_map(|(ingress, six, protocol, ports, deny, priority, remote)| RuleBp { ingress, six, protocol, ports, deny, priority, remote })
}

fn world_bp() -> impl Strategy<Value = WorldBp> {
    (2..=4usize, 2..=5usize, 1..=2usize).prop_flat_map(|(n_groups, n_instances, n_ags)| {
        let groups = prop::collection::vec(prop::collection::vec(rule_bp(n_groups, n_ags), 1..=8), n_groups);
        let ags = prop::collection::vec((prop::bool::weighted(0.3), prop::collection::vec(0..6usize, 1..=3)), n_ags);
        let order: Vec<usize> = (0..n_groups).collect();
        let instance = (
            prop::bool::weighted(0.5),
            prop::bool::weighted(0.4),
            prop::bool::weighted(0.35),
            prop::bool::weighted(0.15),
            prop::sample::subsequence(order, 1..=n_groups).prop_shuffle(),
        )
            .prop_map(|(has_v6, has_vip, has_eip, load_balancer, groups)| InstanceBp { has_v6, has_vip, has_eip, load_balancer, groups });
        let instances = prop::collection::vec(instance, n_instances);
        (groups, ags, instances).prop_map(|(groups, address_groups, instances)| WorldBp { groups, address_groups, instances })
    })
}

fn end_bp() -> impl Strategy<Value = EndBp> {
    prop_oneof![
        5 => (0..5usize).prop_map(EndBp::Private),
        2 => (0..5usize).prop_map(EndBp::Vip),
        2 => (0..5usize).prop_map(EndBp::Eip),
        2 => (0..3usize).prop_map(EndBp::Internet),
        1 => (0..2usize).prop_map(EndBp::Unassigned),
    ]
}

fn packet_bp() -> impl Strategy<Value = PacketBp> {
    (prop::bool::weighted(0.3), end_bp(), end_bp(), 0..5u8, 0..PACKET_PORTS.len())
        .prop_map(|(six, src, dst, protocol, port)| PacketBp { six, src, dst, protocol, port })
}

fn build(bp: &WorldBp) -> World {
    let group_id = |g: usize| format!("sg-{g}");
    let address_groups: Vec<AddressGroup> = bp
        .address_groups
        .iter()
        .enumerate()
        .map(|(a, (six, entries))| {
            let pool = entry_pool(*six);
            AddressGroup {
                id: format!("ag-{a}"),
                name: format!("ag-{a}"),
                ethertype: if *six { Ethertype::IPv6 } else { Ethertype::IPv4 },
                entries: entries.iter().map(|&e| pool[e % pool.len()].clone()).collect(),
            }
        })
        .collect();
    let security_groups = bp
        .groups
        .iter()
        .enumerate()
        .map(|(g, rules)| SecurityGroup {
            id: group_id(g),
            name: group_id(g),
            description: String::new(),
            rules: rules.iter().enumerate().filter_map(|(r, rb)| build_rule(g, r, rb, &address_groups)).collect(),
        })
        .collect();
    let instances = bp
        .instances
        .iter()
        .enumerate()
        .map(|(i, ib)| {
            let mut private_ips = vec![private(i, false)];
            if ib.has_v6 {
                private_ips.push(private(i, true));
            }
            let virtual_ips = if ib.has_vip { vec![vip(i, false), vip(i, true)] } else { Vec::new() };
            Instance {
                id: format!("i-{i}"),
                name: format!("i-{i}"),
                kind: if ib.load_balancer { InstanceKind::LoadBalancer { transfer_client_ip: true } } else { InstanceKind::Ecs },
                subnet_id: Some("subnet-0".into()),
                private_ips,
                virtual_ips,
                eip: ib.has_eip.then(|| eip(i)),
                security_groups: ib.groups.iter().map(|&g| group_id(g)).collect(),
            }
        })
        .collect();
    let vpc = Vpc {
        id: "vpc-0".into(),
        name: "vpc-0".into(),
        cidr: net(v4(10, 0, 0, 0), 16),
        subnets: vec![Subnet { id: "subnet-0".into(), name: "subnet-0".into(), cidr: net(v4(10, 0, 0, 0), 24), ipv6_cidr: Some(net(v6(0), 64)) }],
    };
    World { vpcs: vec![vpc], security_groups, address_groups, instances }
}

/// A valid rule from its blueprint; `None` when the blueprint cannot be valid (an address group
/// of the other family), as validation would refuse it.
fn build_rule(g: usize, r: usize, rb: &RuleBp, address_groups: &[AddressGroup]) -> Option<Rule> {
    let ethertype = if rb.six { Ethertype::IPv6 } else { Ethertype::IPv4 };
    let protocol = match rb.protocol {
        0 => ProtocolMatch::Any,
        1 => ProtocolMatch::Number(TCP),
        2 => ProtocolMatch::Number(UDP),
        3 => ProtocolMatch::Number(if rb.six { ICMPV6 } else { ICMP }),
        4 => ProtocolMatch::Number(GRE),
        _ => ProtocolMatch::Number(50),
    };
    // Ports only on tcp and udp, as validation requires.
    let ports = if matches!(rb.protocol, 1 | 2) && !rb.ports.is_empty() {
        PortSet::from_ranges(rb.ports.iter().map(|&p| PortRange { first: PORT_POOL[p].0, last: PORT_POOL[p].1 }).collect())
    } else {
        PortSet::all()
    };
    let remote = match rb.remote {
        RemoteBp::Any => Remote::Any,
        RemoteBp::Prefix(p) => {
            let pool = prefix_pool(rb.six);
            Remote::Prefix(pool[p % pool.len()])
        }
        RemoteBp::Group(other) => Remote::Group(format!("sg-{other}")),
        RemoteBp::AddressGroup(a) => {
            let ag = address_groups.get(a)?;
            if ag.ethertype != ethertype {
                return None;
            }
            Remote::AddressGroup(ag.id.clone())
        }
    };
    Some(Rule {
        id: format!("g{g}-r{r}"),
        direction: if rb.ingress { Direction::Ingress } else { Direction::Egress },
        ethertype,
        protocol,
        ports,
        action: if rb.deny { Action::Deny } else { Action::Allow },
        priority: rb.priority,
        remote,
        description: String::new(),
    })
}

fn build_packet(world: &World, pb: &PacketBp) -> Packet {
    let six = pb.six;
    let endpoint = |e: EndBp| -> IpAddr {
        match e {
            EndBp::Private(i) => match world.instances.get(i) {
                Some(inst) if !six || inst.private_ips.len() > 1 => private(i, six),
                _ => internet(i, six),
            },
            EndBp::Vip(i) => match world.instances.get(i) {
                Some(inst) if !inst.virtual_ips.is_empty() => vip(i, six),
                _ => unassigned(i, six),
            },
            EndBp::Eip(i) => match world.instances.get(i).and_then(|inst| inst.eip) {
                Some(a) if !six => a,
                _ => internet(i, six),
            },
            EndBp::Internet(k) => internet(k, six),
            EndBp::Unassigned(k) => unassigned(k, six),
        }
    };
    let protocol = match pb.protocol {
        0 => TCP,
        1 => UDP,
        2 => {
            if six {
                ICMPV6
            } else {
                ICMP
            }
        }
        3 => GRE,
        _ => 50,
    };
    let ports = matches!(protocol, TCP | UDP);
    let icmp = matches!(protocol, ICMP | ICMPV6);
    Packet {
        src: endpoint(pb.src),
        dst: endpoint(pb.dst),
        protocol,
        src_port: if ports { 49152 } else { 0 },
        dst_port: if ports { PACKET_PORTS[pb.port] } else { 0 },
        icmp_type: if icmp { if six { 128 } else { 8 } } else { 0 },
        icmp_code: 0,
        icmp_id: if icmp { 1 } else { 0 },
        tcp_flags: if protocol == TCP { TcpFlags::SYN } else { TcpFlags::empty() },
    }
}

// ---------------------------------------------------------------------------------------------
// The reference model: SEMANTICS §3–4, read literally, written for clarity rather than speed.

/// What decided one side: the rule's id and action, or nothing (default deny).
#[derive(Clone, Debug, PartialEq, Eq)]
struct RefSide {
    instance: String,
    direction: Direction,
    rule: Option<(String, Action)>,
}

impl RefSide {
    fn allows(&self) -> bool {
        matches!(self.rule, Some((_, Action::Allow)))
    }
}

fn family(addr: IpAddr) -> Ethertype {
    match addr {
        IpAddr::V4(_) => Ethertype::IPv4,
        IpAddr::V6(_) => Ethertype::IPv6,
    }
}

fn entry_contains(entry: &AddressEntry, addr: IpAddr) -> bool {
    match entry {
        AddressEntry::Net(n) => n.contains(&addr),
        AddressEntry::Range(first, last) => family(*first) == family(addr) && *first <= addr && addr <= *last,
    }
}

/// §3: a rule matches when ethertype, protocol, port and remote all match. `addr` is the source for
/// inbound rules and the destination for outbound rules.
fn ref_rule_matches(world: &World, rule: &Rule, packet: &Packet, addr: IpAddr) -> bool {
    if rule.ethertype != family(packet.src) {
        return false;
    }
    if let ProtocolMatch::Number(n) = rule.protocol {
        if n != packet.protocol {
            return false;
        }
    }
    if !rule.ports.is_all() {
        let has_ports = packet.protocol == TCP || packet.protocol == UDP;
        if !has_ports || !rule.ports.elements().iter().any(|r| r.first <= packet.dst_port && packet.dst_port <= r.last) {
            return false;
        }
    }
    match &rule.remote {
        Remote::Any => family(addr) == rule.ethertype,
        Remote::Prefix(n) => n.contains(&addr),
        // Members' private addresses only: virtual IPs do not count.
        Remote::Group(g) => {
            family(addr) == rule.ethertype && world.instances.iter().any(|i| i.security_groups.contains(g) && i.private_ips.contains(&addr))
        }
        Remote::AddressGroup(a) => world.address_groups.iter().filter(|ag| &ag.id == a).any(|ag| ag.entries.iter().any(|e| entry_contains(e, addr))),
    }
}

/// §3 order: groups in sequence; in a group the matching rules, smallest priority first, deny
/// before allow at equal priority (then written order); first group with a match decides.
fn ref_side(world: &World, inst: &Instance, direction: Direction, packet: &Packet, addr: IpAddr) -> RefSide {
    let mut side = RefSide { instance: inst.id.clone(), direction, rule: None };
    for gid in &inst.security_groups {
        let Some(group) = world.security_groups.iter().find(|g| &g.id == gid) else { continue };
        let matching: Vec<(usize, &Rule)> =
            group.rules.iter().enumerate().filter(|(_, r)| r.direction == direction && ref_rule_matches(world, r, packet, addr)).collect();
        if matching.is_empty() {
            continue;
        }
        let best_priority = matching.iter().map(|(_, r)| r.priority).min().unwrap_or(100);
        let top: Vec<&(usize, &Rule)> = matching.iter().filter(|(_, r)| r.priority == best_priority).collect();
        let winner = top.iter().find(|(_, r)| r.action == Action::Deny).or_else(|| top.first()).map(|(_, r)| *r);
        if let Some(r) = winner {
            side.rule = Some((r.id.clone(), r.action));
        }
        return side;
    }
    side
}

/// §4: the source's outbound rules, then the destination's inbound rules; both must allow. Two
/// addresses of one instance are not filtered; a load balancer with Transfer Client IP Address
/// bypasses the backend's inbound rules. Returns the sides in order, up to the first that denies.
fn reference(world: &World, packet: &Packet) -> (Verdict, Vec<RefSide>) {
    let owner = |addr: IpAddr| {
        world.instances.iter().find(|i| i.private_ips.contains(&addr) || i.virtual_ips.contains(&addr) || i.eip == Some(addr))
    };
    let src = owner(packet.src);
    let dst = owner(packet.dst);
    // Reached at its EIP, the destination sees the source's EIP when it has one.
    let dst_via_eip = dst.is_some_and(|b| b.eip == Some(packet.dst) && !b.private_ips.contains(&packet.dst) && !b.virtual_ips.contains(&packet.dst));
    let seen_source = match src.and_then(|a| a.eip) {
        Some(a_eip) if dst_via_eip => a_eip,
        _ => packet.src,
    };
    if let (Some(a), Some(b)) = (src, dst) {
        if a.id == b.id {
            return (Verdict::Allow, Vec::new());
        }
    }
    let mut sides = Vec::new();
    if let Some(a) = src {
        let side = ref_side(world, a, Direction::Egress, packet, packet.dst);
        let allows = side.allows();
        sides.push(side);
        if !allows {
            return (Verdict::Deny, sides);
        }
    }
    if let Some(b) = dst {
        let bypass = src.is_some_and(|a| matches!(a.kind, InstanceKind::LoadBalancer { transfer_client_ip: true }));
        if !bypass {
            let side = ref_side(world, b, Direction::Ingress, packet, seen_source);
            let allows = side.allows();
            sides.push(side);
            if !allows {
                return (Verdict::Deny, sides);
            }
        }
    }
    (Verdict::Allow, sides)
}

// ---------------------------------------------------------------------------------------------

/// The matcher in each of its layouts: fused side tables, chains of group tables, scans.
fn matchers(world: &World) -> Vec<Matcher> {
    let chains = MatcherConfig { fuse_budget: 0, ..MatcherConfig::default() };
    let scans = MatcherConfig { fuse_budget: 0, table_budget: Budget { lists: 0, grid: 0 } };
    vec![Matcher::build(world), Matcher::build_with(world, chains), Matcher::build_with(world, scans)]
}

fn compare_all(world: &World, matchers: &[Matcher], packet: &Packet) -> Result<(), TestCaseError> {
    for matcher in matchers {
        compare(world, matcher, packet)?;
    }
    Ok(())
}

fn compare(world: &World, matcher: &Matcher, packet: &Packet) -> Result<(), TestCaseError> {
    let (want, sides) = reference(world, packet);
    let fast = decide(world, packet);
    let eval = evaluate(world, packet);
    let compiled = matcher.decide_rule(packet);
    prop_assert_eq!(fast, eval.verdict, "decide and evaluate disagree on {}", packet);
    prop_assert_eq!(want, fast, "engine and reference disagree on {}; reference sides: {:?}", packet, sides);
    prop_assert_eq!(want, compiled.verdict, "the matcher and the reference disagree on {}; matcher: {:?}", packet, compiled);
    prop_assert_eq!(compiled.verdict, matcher.decide(packet));
    let want_rules: Vec<(String, String)> =
        sides.iter().filter_map(|s| s.rule.as_ref().map(|(r, _)| (s.instance.clone(), r.clone()))).collect();
    let got_rules: Vec<(String, String)> = eval.deciding_rules().iter().map(|(i, _, r)| (i.to_string(), r.to_string())).collect();
    prop_assert_eq!(&want_rules, &got_rules, "deciding rules differ on {}", packet);
    let matcher_rules: Vec<String> = [compiled.outbound, compiled.inbound]
        .iter()
        .filter_map(|s| s.rule())
        .map(|r| world.security_groups[r.group as usize].rules[r.rule as usize].id.clone())
        .collect();
    let want_rule_ids: Vec<String> = want_rules.iter().map(|(_, r)| r.clone()).collect();
    prop_assert_eq!(want_rule_ids, matcher_rules, "the matcher names other deciding rules on {}: {:?}", packet, compiled);
    let want_stop = sides.iter().find(|s| !s.allows()).map(|s| (s.instance.clone(), s.direction));
    let got_stop = eval.denied_at().map(|h| (h.instance_id.clone(), h.direction));
    prop_assert_eq!(&want_stop, &got_stop, "the side that denied differs on {}", packet);
    let matcher_stop = match (compiled.outbound, compiled.inbound) {
        (o, _) if !o.allows() => Some(Direction::Egress),
        (_, i) if !i.allows() => Some(Direction::Ingress),
        _ => None,
    };
    prop_assert_eq!(want_stop.map(|(_, d)| d), matcher_stop, "the matcher stops elsewhere on {}: {:?}", packet, compiled);
    let inbound_looked_at = matches!(compiled.inbound, SideResult::Rule { .. } | SideResult::DefaultDeny);
    prop_assert!(!inbound_looked_at || compiled.outbound.allows(), "inbound looked at after an outbound deny");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_engine_agrees_with_the_reference_model(bp in world_bp(), packets in prop::collection::vec(packet_bp(), 1..=12)) {
        let world = build(&bp);
        let matchers = matchers(&world);
        for pb in &packets {
            let packet = build_packet(&world, pb);
            compare_all(&world, &matchers, &packet)?;
        }
    }

    /// Every packet from each instance to each other instance, both families, all protocols: the
    /// instance-to-instance path is where both sides meet.
    #[test]
    fn every_instance_pair_agrees(bp in world_bp(), protocol in 0..5u8, port in 0..PACKET_PORTS.len()) {
        let world = build(&bp);
        let matchers = matchers(&world);
        let n = world.instances.len();
        for six in [false, true] {
            for a in 0..n {
                for b in 0..n {
                    let pairs = [(EndBp::Private(a), EndBp::Private(b)), (EndBp::Vip(a), EndBp::Private(b)), (EndBp::Private(a), EndBp::Eip(b))];
                    for (src, dst) in pairs {
                        let packet = build_packet(&world, &PacketBp { six, src, dst, protocol, port });
                        compare_all(&world, &matchers, &packet)?;
                    }
                }
            }
        }
    }
}

/// The reference model itself, on the seed's examples, so a bug in it is not mistaken for an
/// engine bug.
#[test]
fn the_reference_model_reads_the_seed_correctly() {
    let bp = WorldBp {
        groups: vec![
            vec![
                RuleBp { ingress: true, six: false, protocol: 1, ports: vec![0], deny: false, priority: 1, remote: RemoteBp::Any },
                RuleBp { ingress: true, six: false, protocol: 1, ports: vec![0], deny: true, priority: 1, remote: RemoteBp::Any },
                RuleBp { ingress: false, six: false, protocol: 0, ports: vec![], deny: false, priority: 1, remote: RemoteBp::Any },
            ],
            vec![RuleBp { ingress: true, six: false, protocol: 0, ports: vec![], deny: false, priority: 1, remote: RemoteBp::Group(0) }],
        ],
        address_groups: vec![(false, vec![0])],
        instances: vec![
            InstanceBp { has_v6: false, has_vip: true, has_eip: false, load_balancer: false, groups: vec![0] },
            InstanceBp { has_v6: false, has_vip: false, has_eip: false, load_balancer: false, groups: vec![1] },
        ],
    };
    let world = build(&bp);
    let ssh = |src| build_packet(&world, &PacketBp { six: false, src, dst: EndBp::Private(0), protocol: 0, port: 0 });
    // Deny wins a tie at priority 1.
    assert_eq!(reference(&world, &ssh(EndBp::Internet(0))).0, Verdict::Deny);
    // Instance 0 → instance 1: group 1 admits members of group 0 by private IP...
    let to1 = |src| build_packet(&world, &PacketBp { six: false, src, dst: EndBp::Private(1), protocol: 0, port: 2 });
    assert_eq!(reference(&world, &to1(EndBp::Private(0))).0, Verdict::Allow);
    // ...but not by virtual IP.
    assert_eq!(reference(&world, &to1(EndBp::Vip(0))).0, Verdict::Deny);
    // Instance 1 has no outbound rules: nothing goes out.
    let out = build_packet(&world, &PacketBp { six: false, src: EndBp::Private(1), dst: EndBp::Internet(0), protocol: 1, port: 0 });
    let (verdict, sides) = reference(&world, &out);
    assert_eq!(verdict, Verdict::Deny);
    assert_eq!(sides[0].direction, Direction::Egress);
}
