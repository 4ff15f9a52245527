//! Small random worlds for property tests: an address plan whose prefixes, entries and
//! instance addresses overlap on purpose, blueprints proptest generates and shrinks, and `build`
//! turning them into `model` worlds (valid ones, as validation would accept them).
//!
//! Address plan: instance i holds 10.0.0.(10+i) and fd00::(10+i); its VIPs are 10.0.0.(100+i)
//! and fd00::(100+i); its EIP is 203.0.113.(50+i). In worlds with two VPCs ([`VpcsBp`]), the
//! odd instances sit in the second, 10.1.0.0/16 and fd01::/64, at 10.1.0.(10+i) and so on.

use proptest::prelude::*;
use sgplay_core::model::protocol::{GRE, ICMP, ICMPV6, TCP, UDP};
use sgplay_core::model::{
    Action, AddressEntry, AddressGroup, Direction, Ethertype, Instance, InstanceKind, Peering, PortRange, PortSet, ProtocolMatch, Remote,
    Rule, SecurityGroup, Subnet, Vpc, World,
};
use sgplay_core::packet::{Packet, TcpFlags};
use sgplay_core::profile::alibaba::implicit_rules;
use sgplay_core::profile::{CloudProfile, GroupKind};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

// ---------------------------------------------------------------------------------------------
// Address plan: instance i holds 10.0.0.(10+i) and fd00::(10+i); its VIPs are 10.0.0.(100+i) and
// fd00::(100+i). The prefix and entry pools overlap these on purpose.

pub fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
}

pub fn v6(last: u16) -> IpAddr {
    IpAddr::V6(Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, last))
}

pub fn doc6(second: u16, last: u16) -> IpAddr {
    IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, second, 0, 0, 0, 0, last))
}

pub fn private(i: usize, six: bool) -> IpAddr {
    private_in(0, i, six)
}

pub fn vip(i: usize, six: bool) -> IpAddr {
    vip_in(0, i, six)
}

/// Instance i's private address in VPC `vpc` (0 or 1).
pub fn private_in(vpc: usize, i: usize, six: bool) -> IpAddr {
    in_vpc(vpc, 10 + i as u8, six)
}

pub fn vip_in(vpc: usize, i: usize, six: bool) -> IpAddr {
    in_vpc(vpc, 100 + i as u8, six)
}

fn in_vpc(vpc: usize, last: u8, six: bool) -> IpAddr {
    match (six, vpc) {
        (false, 0) => v4(10, 0, 0, last),
        (false, _) => v4(10, 1, 0, last),
        (true, 0) => v6(last as u16),
        (true, _) => IpAddr::V6(Ipv6Addr::new(0xfd01, 0, 0, 0, 0, 0, 0, last as u16)),
    }
}

pub fn internet(k: usize, six: bool) -> IpAddr {
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
pub fn eip(i: usize) -> IpAddr {
    v4(203, 0, 113, 50 + i as u8)
}

pub fn unassigned(k: usize, six: bool) -> IpAddr {
    match (six, k % 2) {
        (false, 0) => v4(10, 0, 0, 200),
        (false, _) => v4(10, 0, 5, 5),
        (true, 0) => v6(200),
        (true, _) => v6(0x300),
    }
}

pub fn net(addr: IpAddr, len: u8) -> ipnet::IpNet {
    ipnet::IpNet::new(addr, len).expect("valid prefix length").trunc()
}

pub fn prefix_pool(six: bool) -> Vec<ipnet::IpNet> {
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

pub fn entry_pool(six: bool) -> Vec<AddressEntry> {
    if six {
        vec![
            AddressEntry::Net(net(v6(8), 125)),
            AddressEntry::Net(net(v6(11), 128)),
            AddressEntry::Range(v6(12), v6(13)),
            AddressEntry::Range(v6(100), v6(101)),
            AddressEntry::Net(net(doc6(0, 0), 48)),
            AddressEntry::Range(doc6(1, 1), doc6(1, 9)),
            // Two halves: a group holding both holds every address (what an unknown public
            // source needs to match).
            AddressEntry::Net(net(v6(0), 1)),
            AddressEntry::Net(net(IpAddr::V6(Ipv6Addr::new(0x8000, 0, 0, 0, 0, 0, 0, 0)), 1)),
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
            AddressEntry::Net(net(v4(0, 0, 0, 0), 1)),
            AddressEntry::Net(net(v4(128, 0, 0, 0), 1)),
        ]
    }
}

pub const PORT_POOL: [(u16, u16); 8] = [(22, 22), (25, 25), (20, 30), (79, 81), (443, 443), (1, 1024), (1000, 2000), (65535, 65535)];
pub const PACKET_PORTS: [u16; 7] = [22, 25, 80, 443, 1000, 3306, 65535];

// ---------------------------------------------------------------------------------------------
// Blueprints: small plain values proptest generates and shrinks; `build` turns them into a world.

#[derive(Clone, Debug)]
pub enum RemoteBp {
    Any,
    Prefix(usize),
    Group(usize),
    AddressGroup(usize),
}

#[derive(Clone, Debug)]
pub struct RuleBp {
    pub ingress: bool,
    pub six: bool,
    /// 0 all, 1 tcp, 2 udp, 3 icmp of the family, 4 gre, 5 protocol 50
    pub protocol: u8,
    pub ports: Vec<usize>,
    pub deny: bool,
    pub priority: u8,
    pub remote: RemoteBp,
}

#[derive(Clone, Debug)]
pub struct InstanceBp {
    pub has_v6: bool,
    pub has_vip: bool,
    pub has_eip: bool,
    pub load_balancer: bool,
    pub groups: Vec<usize>,
}

/// How many VPCs, and whether they peer: the path outcome's cases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VpcsBp {
    One,
    /// Two VPCs, the odd instances in the second, with a peering between them.
    TwoPeered,
    /// Two VPCs without a peering: their private addresses do not reach each other.
    TwoApart,
}

#[derive(Clone, Debug)]
pub struct WorldBp {
    pub groups: Vec<Vec<RuleBp>>,
    /// (IPv6?, entry indices into the family's pool)
    pub address_groups: Vec<(bool, Vec<usize>)>,
    pub instances: Vec<InstanceBp>,
    pub vpcs: VpcsBp,
}

impl WorldBp {
    /// The VPC (0 or 1) instance i sits in.
    pub fn vpc_of(&self, i: usize) -> usize {
        if self.vpcs == VpcsBp::One {
            0
        } else {
            i % 2
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub enum EndBp {
    Private(usize),
    Vip(usize),
    Eip(usize),
    Internet(usize),
    Unassigned(usize),
}

#[derive(Clone, Debug)]
pub struct PacketBp {
    pub six: bool,
    pub src: EndBp,
    pub dst: EndBp,
    /// 0 tcp, 1 udp, 2 icmp of the family, 3 gre, 4 protocol 50
    pub protocol: u8,
    pub port: usize,
}

pub fn rule_bp(groups: usize, address_groups: usize) -> impl Strategy<Value = RuleBp> {
    let remote = prop_oneof![
        2 => Just(RemoteBp::Any),
        4 => (0..10usize).prop_map(RemoteBp::Prefix),
        3 => (0..groups).prop_map(RemoteBp::Group),
        2 => (0..address_groups).prop_map(RemoteBp::AddressGroup),
    ];
    (any::<bool>(), prop::bool::weighted(0.25), 0..6u8, prop::collection::vec(0..PORT_POOL.len(), 0..=3), any::<bool>(), 1..=5u8, remote)
        .prop_map(|(ingress, six, protocol, ports, deny, priority, remote)| RuleBp {
            ingress,
            six,
            protocol,
            ports,
            deny,
            priority,
            remote,
        })
}

pub fn world_bp() -> impl Strategy<Value = WorldBp> {
    (2..=4usize, 2..=5usize, 1..=2usize).prop_flat_map(|(n_groups, n_instances, n_ags)| {
        let groups = prop::collection::vec(prop::collection::vec(rule_bp(n_groups, n_ags), 1..=8), n_groups);
        let ags = prop::collection::vec((prop::bool::weighted(0.3), prop::collection::vec(0..9usize, 1..=3)), n_ags);
        let order: Vec<usize> = (0..n_groups).collect();
        let instance = (
            prop::bool::weighted(0.5),
            prop::bool::weighted(0.4),
            prop::bool::weighted(0.35),
            prop::bool::weighted(0.15),
            prop::sample::subsequence(order, 1..=n_groups).prop_shuffle(),
        )
            .prop_map(|(has_v6, has_vip, has_eip, load_balancer, groups)| InstanceBp {
                has_v6,
                has_vip,
                has_eip,
                load_balancer,
                groups,
            });
        let instances = prop::collection::vec(instance, n_instances);
        let vpcs = prop_oneof![3 => Just(VpcsBp::One), 1 => Just(VpcsBp::TwoPeered), 1 => Just(VpcsBp::TwoApart)];
        (groups, ags, instances, vpcs).prop_map(|(groups, address_groups, instances, vpcs)| WorldBp {
            groups,
            address_groups,
            instances,
            vpcs,
        })
    })
}

pub fn end_bp() -> impl Strategy<Value = EndBp> {
    prop_oneof![
        5 => (0..5usize).prop_map(EndBp::Private),
        2 => (0..5usize).prop_map(EndBp::Vip),
        2 => (0..5usize).prop_map(EndBp::Eip),
        2 => (0..3usize).prop_map(EndBp::Internet),
        1 => (0..2usize).prop_map(EndBp::Unassigned),
    ]
}

pub fn packet_bp() -> impl Strategy<Value = PacketBp> {
    (prop::bool::weighted(0.3), end_bp(), end_bp(), 0..5u8, 0..PACKET_PORTS.len()).prop_map(|(six, src, dst, protocol, port)| PacketBp {
        six,
        src,
        dst,
        protocol,
        port,
    })
}

pub fn build(bp: &WorldBp) -> World {
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
            kind: GroupKind::Basic,
        })
        .collect();
    let instances = bp
        .instances
        .iter()
        .enumerate()
        .map(|(i, ib)| {
            let v = bp.vpc_of(i);
            let mut private_ips = vec![private_in(v, i, false)];
            if ib.has_v6 {
                private_ips.push(private_in(v, i, true));
            }
            let virtual_ips = if ib.has_vip { vec![vip_in(v, i, false), vip_in(v, i, true)] } else { Vec::new() };
            Instance {
                id: format!("i-{i}"),
                name: format!("i-{i}"),
                kind: if ib.load_balancer { InstanceKind::LoadBalancer { transfer_client_ip: true } } else { InstanceKind::Ecs },
                subnet_id: Some(format!("subnet-{v}")),
                private_ips,
                virtual_ips,
                eip: ib.has_eip.then(|| eip(i)),
                security_groups: ib.groups.iter().map(|&g| group_id(g)).collect(),
            }
        })
        .collect();
    let first = Vpc {
        id: "vpc-0".into(),
        name: "vpc-0".into(),
        cidr: net(v4(10, 0, 0, 0), 16),
        subnets: vec![Subnet {
            id: "subnet-0".into(),
            name: "subnet-0".into(),
            cidr: net(v4(10, 0, 0, 0), 24),
            ipv6_cidr: Some(net(v6(0), 64)),
            // Half the worlds put a NAT gateway on the subnet, so its EIP is what a destination
            // reached at its EIP sees from an instance without one.
            snat_eip: (bp.instances.len() % 2 == 1).then(|| v4(203, 0, 113, 200)),
        }],
    };
    let mut vpcs = vec![first];
    let mut peerings = Vec::new();
    if bp.vpcs != VpcsBp::One {
        vpcs.push(Vpc {
            id: "vpc-1".into(),
            name: "vpc-1".into(),
            cidr: net(v4(10, 1, 0, 0), 16),
            subnets: vec![Subnet {
                id: "subnet-1".into(),
                name: "subnet-1".into(),
                cidr: net(v4(10, 1, 0, 0), 24),
                ipv6_cidr: Some(net(private_in(1, 0, true), 64)),
                snat_eip: None,
            }],
        });
    }
    if bp.vpcs == VpcsBp::TwoPeered {
        peerings.push(Peering { id: "peer-0-1".into(), vpcs: (0, 1) });
    }
    World { vpcs, security_groups, address_groups, instances, peerings, profile: CloudProfile::Huawei }
}

// ---------------------------------------------------------------------------------------------
// Both cloud profiles: a world blueprint with a profile and, under Alibaba, each group's type.

#[derive(Clone, Debug)]
pub struct ProfiledBp {
    pub world: WorldBp,
    pub profile: CloudProfile,
    /// Per group (Alibaba only): its type and internal policy.
    pub kinds: Vec<GroupKind>,
}

/// Huawei worlds and Alibaba worlds, half each; Alibaba groups basic, isolated or enterprise.
pub fn profiled_world_bp() -> impl Strategy<Value = ProfiledBp> {
    let kind = prop_oneof![3 => Just(GroupKind::Basic), 1 => Just(GroupKind::BasicIsolated), 2 => Just(GroupKind::Enterprise)];
    (world_bp(), any::<bool>(), prop::collection::vec(kind, 4)).prop_map(|(world, alibaba, kinds)| ProfiledBp {
        world,
        profile: if alibaba { CloudProfile::Alibaba } else { CloudProfile::Huawei },
        kinds,
    })
}

/// The world of a profiled blueprint, valid as validation would accept it: under Alibaba an
/// instance keeps only the groups of its first group's type (no ENI mixes basic and enterprise),
/// an enterprise group's rules naming a group are left out, and basic groups get their implicit
/// rules (`profile::alibaba`), appended after the written ones as the scenario builder does.
pub fn build_profiled(bp: &ProfiledBp) -> World {
    let mut world = build(&bp.world);
    if bp.profile == CloudProfile::Huawei {
        return world;
    }
    world.profile = CloudProfile::Alibaba;
    let kind_of = |g: usize| bp.kinds.get(g).copied().unwrap_or_default();
    for (g, group) in world.security_groups.iter_mut().enumerate() {
        group.kind = kind_of(g);
        if group.kind.is_enterprise() {
            group.rules.retain(|r| !matches!(r.remote, Remote::Group(_)));
        }
        group.rules.extend(implicit_rules(&group.id, group.kind));
    }
    for inst in &mut world.instances {
        let kinds: Vec<GroupKind> = inst
            .security_groups
            .iter()
            .map(|id| world.security_groups.iter().find(|g| &g.id == id).map(|g| g.kind).unwrap_or_default())
            .collect();
        if let Some(first) = kinds.first().map(|k| k.is_enterprise()) {
            let mut k = kinds.iter();
            inst.security_groups.retain(|_| k.next().is_some_and(|kind| kind.is_enterprise() == first));
        }
    }
    world
}

/// A valid rule from its blueprint; `None` when the blueprint cannot be valid (an address group
/// of the other family), as validation would refuse it.
pub fn build_rule(g: usize, r: usize, rb: &RuleBp, address_groups: &[AddressGroup]) -> Option<Rule> {
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

pub fn build_packet(world: &World, pb: &PacketBp) -> Packet {
    let six = pb.six;
    let endpoint = |e: EndBp| -> IpAddr {
        match e {
            EndBp::Private(i) => match world.instances.get(i).and_then(|inst| inst.private_ips.iter().find(|a| a.is_ipv6() == six)) {
                Some(&a) => a,
                None => internet(i, six),
            },
            EndBp::Vip(i) => match world.instances.get(i).and_then(|inst| inst.virtual_ips.iter().find(|a| a.is_ipv6() == six)) {
                Some(&a) => a,
                None => unassigned(i, six),
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
        icmp_type: if icmp {
            if six {
                128
            } else {
                8
            }
        } else {
            0
        },
        icmp_code: 0,
        icmp_id: if icmp { 1 } else { 0 },
        tcp_flags: if protocol == TCP { TcpFlags::SYN } else { TcpFlags::empty() },
        embedded: None,
    }
}
