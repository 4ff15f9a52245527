//! The reference model: SEMANTICS §3–4 read literally, written for clarity rather than speed,
//! sharing no code with the engine's matching (it uses the `model` types only). The property test
//! `tests/reference_model.rs` and the `matcher` fuzz target compare `eval::decide`,
//! `eval::evaluate` and every layout of the compiled `Matcher` with it.
//!
//! Collect the instance's groups in sequence; in each group collect the matching rules and pick
//! the smallest priority, deny before allow; the first group with a match decides; nothing
//! matched means deny; instance to instance crosses the source's outbound and the destination's
//! inbound rules; a remote security group covers its members' private IPs, not their virtual
//! IPs; a destination reached at its EIP sees the source's EIP when it has one
//! (docs/interpretations.md). Under the Alibaba profile, SEMANTICS §9: all groups' rules in one
//! aggregated order, then the group types' defaults. It does not model connection tracking: a packet that cannot open a
//! connection is the tracer's business.

use sgplay_core::model::protocol::{TCP, UDP};
use sgplay_core::model::{Action, AddressEntry, Direction, Ethertype, Instance, InstanceKind, ProtocolMatch, Remote, Rule, World};
use sgplay_core::packet::Packet;
use sgplay_core::profile::{CloudProfile, GroupKind};
use sgplay_core::Verdict;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What decided one side: the rule's id and action, or nothing (default deny).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefSide {
    pub instance: String,
    pub direction: Direction,
    pub rule: Option<(String, Action)>,
}

impl RefSide {
    pub fn allows(&self) -> bool {
        matches!(self.rule, Some((_, Action::Allow)))
    }
}

fn family(addr: IpAddr) -> Ethertype {
    match addr {
        IpAddr::V4(_) => Ethertype::IPv4,
        IpAddr::V6(_) => Ethertype::IPv6,
    }
}

/// IPv6 unique-local addresses (fc00::/7), which do not cross the Internet.
fn is_ula(addr: IpAddr) -> bool {
    matches!(addr, IpAddr::V6(v) if (v.segments()[0] & 0xfe00) == 0xfc00)
}

fn entry_contains(entry: &AddressEntry, addr: IpAddr) -> bool {
    match entry {
        AddressEntry::Net(n) => n.contains(&addr),
        AddressEntry::Range(first, last) => family(*first) == family(addr) && *first <= addr && addr <= *last,
    }
}

/// Do the entries, together, hold every address of `ethertype`? Coverage can only change at an
/// entry's ends, so testing 0, the top, and each side of every end decides it.
fn entries_hold_everything(entries: &[AddressEntry], ethertype: Ethertype) -> bool {
    let top: IpAddr = match ethertype {
        Ethertype::IPv4 => IpAddr::V4(Ipv4Addr::BROADCAST),
        Ethertype::IPv6 => IpAddr::V6(Ipv6Addr::from(u128::MAX)),
    };
    let zero: IpAddr = match ethertype {
        Ethertype::IPv4 => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        Ethertype::IPv6 => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    };
    let step = |a: IpAddr, up: bool| -> Option<IpAddr> {
        match a {
            IpAddr::V4(v) => {
                let n = u32::from(v);
                (if up { n.checked_add(1) } else { n.checked_sub(1) }).map(|n| IpAddr::V4(Ipv4Addr::from(n)))
            }
            IpAddr::V6(v) => {
                let n = u128::from(v);
                (if up { n.checked_add(1) } else { n.checked_sub(1) }).map(|n| IpAddr::V6(Ipv6Addr::from(n)))
            }
        }
    };
    let mut probes = vec![zero, top];
    for e in entries {
        let (first, last) = match e {
            AddressEntry::Net(n) => (n.network(), n.broadcast()),
            AddressEntry::Range(a, b) => (*a, *b),
        };
        for end in [first, last] {
            if family(end) == ethertype {
                probes.extend([Some(end), step(end, true), step(end, false)].into_iter().flatten());
            }
        }
    }
    probes.iter().all(|&a| entries.iter().any(|e| entry_contains(e, a)))
}

/// §3: a rule matches when ethertype, protocol, port and remote all match. `addr` is the source for
/// inbound rules and the destination for outbound rules; `None` is a source that crossed the
/// Internet with no public address (§4): only a rule open to every address matches it.
fn ref_rule_matches(world: &World, rule: &Rule, packet: &Packet, addr: Option<IpAddr>) -> bool {
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
    let Some(addr) = addr else {
        return match &rule.remote {
            Remote::Any => true,
            Remote::Prefix(n) => n.prefix_len() == 0 && family(n.addr()) == rule.ethertype,
            Remote::Group(_) => false,
            Remote::AddressGroup(a) => {
                world.address_groups.iter().any(|ag| &ag.id == a && entries_hold_everything(&ag.entries, rule.ethertype))
            }
        };
    };
    match &rule.remote {
        Remote::Any => family(addr) == rule.ethertype,
        Remote::Prefix(n) => n.contains(&addr),
        // Members' private addresses only: virtual IPs do not count.
        Remote::Group(g) => {
            family(addr) == rule.ethertype && world.instances.iter().any(|i| i.security_groups.contains(g) && i.private_ips.contains(&addr))
        }
        Remote::AddressGroup(a) => {
            world.address_groups.iter().filter(|ag| &ag.id == a).any(|ag| ag.entries.iter().any(|e| entry_contains(e, addr)))
        }
    }
}

/// §3 order: groups in sequence; in a group the matching rules, smallest priority first, deny
/// before allow at equal priority (then written order); first group with a match decides.
fn ref_side(world: &World, inst: &Instance, direction: Direction, packet: &Packet, addr: Option<IpAddr>) -> RefSide {
    if world.profile == CloudProfile::Alibaba {
        return ref_side_alibaba(world, inst, direction, packet, addr);
    }
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

/// §9 (Alibaba), read literally: the written rules of all the instance's groups compete together,
/// smallest priority first, Drop before Accept, then the earlier group and the earlier row (a
/// deterministic tie-break). When no written rule matches, the groups' defaults, derived here from
/// their types rather than read from the engine's implicit rules (which sit below priority 100
/// and are skipped): a basic group whose internal policy is Accept lets in its members' private
/// addresses; every basic group lets everything out; enterprise groups let nothing through.
fn ref_side_alibaba(world: &World, inst: &Instance, direction: Direction, packet: &Packet, addr: Option<IpAddr>) -> RefSide {
    let mut side = RefSide { instance: inst.id.clone(), direction, rule: None };
    let groups: Vec<(usize, &sgplay_core::model::SecurityGroup)> = inst
        .security_groups
        .iter()
        .enumerate()
        .filter_map(|(seq, gid)| world.security_groups.iter().find(|g| &g.id == gid).map(|g| (seq, g)))
        .collect();
    let mut best: Option<((u8, bool, usize, usize), &Rule)> = None;
    for &(seq, group) in &groups {
        for (i, r) in group.rules.iter().enumerate() {
            let written = r.priority <= 100;
            if written && r.direction == direction && ref_rule_matches(world, r, packet, addr) {
                // `false` (Drop) sorts before `true` (Accept).
                let key = (r.priority, r.action == Action::Allow, seq, i);
                if best.is_none_or(|(b, _)| key < b) {
                    best = Some((key, r));
                }
            }
        }
    }
    if let Some((_, r)) = best {
        side.rule = Some((r.id.clone(), r.action));
        return side;
    }
    let v = if family(packet.src) == Ethertype::IPv6 { "ipv6" } else { "ipv4" };
    for &(_, group) in &groups {
        let default = match direction {
            Direction::Ingress => (group.kind == GroupKind::Basic
                && addr.is_some_and(|addr| {
                    family(addr) == family(packet.src)
                        && world.instances.iter().any(|i| i.security_groups.contains(&group.id) && i.private_ips.contains(&addr))
                }))
            .then(|| format!("implicit-inner-{v}")),
            Direction::Egress => (group.kind != GroupKind::Enterprise).then(|| format!("implicit-outbound-{v}")),
        };
        if let Some(id) = default {
            side.rule = Some((id, Action::Allow));
            return side;
        }
    }
    side
}

/// §4: the source's outbound rules, then the destination's inbound rules; both must allow. Two
/// addresses of one instance are not filtered; a load balancer with Transfer Client IP Address
/// bypasses its own outbound and the backend's inbound rules. Returns the sides in order, up to
/// the first that denies.
pub fn reference(world: &World, packet: &Packet) -> (Verdict, Vec<RefSide>) {
    let owner = |addr: IpAddr| {
        world.instances.iter().find(|i| i.private_ips.contains(&addr) || i.virtual_ips.contains(&addr) || i.eip == Some(addr))
    };
    let src = owner(packet.src);
    let dst = owner(packet.dst);
    // Reached at its EIP, the destination sees the source's EIP when it has one.
    let dst_via_eip =
        dst.is_some_and(|b| b.eip == Some(packet.dst) && !b.private_ips.contains(&packet.dst) && !b.virtual_ips.contains(&packet.dst));
    // Without an EIP, an IPv4 source leaves through its subnet's NAT gateway EIP (SNAT).
    let snat = world
        .vpcs
        .iter()
        .flat_map(|v| &v.subnets)
        .find(|s| src.is_some_and(|a| a.private_ips.iter().any(|ip| s.cidr.contains(ip))))
        .and_then(|s| s.snat_eip);
    let src_is_eip =
        src.is_some_and(|a| a.eip == Some(packet.src) && !a.private_ips.contains(&packet.src) && !a.virtual_ips.contains(&packet.src));
    let seen_source = match (src.and_then(|a| a.eip).filter(|e| e.is_ipv4() == packet.src.is_ipv4()), snat.filter(|_| packet.src.is_ipv4()))
    {
        _ if !dst_via_eip || src_is_eip => Some(packet.src),
        (Some(a_eip), _) => Some(a_eip),
        (None, Some(nat)) => Some(nat),
        // No EIP, no NAT gateway: a global IPv6 source keeps its address; any other source from
        // an instance has no public address the destination could see.
        _ if packet.src.is_ipv6() && !is_ula(packet.src) => Some(packet.src),
        _ if src.is_some() => None,
        _ => Some(packet.src),
    };
    if let (Some(a), Some(b)) = (src, dst) {
        if a.id == b.id {
            return (Verdict::Allow, Vec::new());
        }
    }
    let mut sides = Vec::new();
    // Traffic from a load balancer with Transfer Client IP Address is not restricted by security
    // group rules: neither its own outbound rules nor the destination's inbound rules.
    let from_transfer_lb = src.is_some_and(|a| matches!(a.kind, InstanceKind::LoadBalancer { transfer_client_ip: true }));
    if let Some(a) = src.filter(|_| !from_transfer_lb) {
        let side = ref_side(world, a, Direction::Egress, packet, Some(packet.dst));
        let allows = side.allows();
        sides.push(side);
        if !allows {
            return (Verdict::Deny, sides);
        }
    }
    if let Some(b) = dst {
        if !from_transfer_lb {
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

/// §4's path outcome, read literally: `reachable`, `no_peering`, `private_from_outside` or
/// `no_public_address`. An end is inside when it is an instance's private or virtual address or
/// an address of a VPC's blocks, outside when it is an EIP or outside every VPC. Inside to inside
/// needs one VPC or a peering; outside to inside reaches only a global IPv6 address; inside to
/// outside needs a public address (an EIP of the family, a subnet NAT gateway for IPv4, a global
/// IPv6 address).
pub fn reference_path(world: &World, packet: &Packet) -> &'static str {
    let holder = |addr: IpAddr| world.instances.iter().find(|i| i.private_ips.contains(&addr) || i.virtual_ips.contains(&addr));
    let eip_holder = |addr: IpAddr| world.instances.iter().find(|i| i.eip == Some(addr));
    let vpc_holding = |addr: IpAddr| {
        world.vpcs.iter().position(|v| v.cidr.contains(&addr) || v.subnets.iter().any(|s| s.ipv6_cidr.is_some_and(|c| c.contains(&addr))))
    };
    let vpc_of_instance = |inst: &Instance| {
        let subnet = inst.subnet_id.as_deref();
        world.vpcs.iter().position(|v| v.subnets.iter().any(|s| Some(s.id.as_str()) == subnet))
    };
    // (inside?, its VPC, the instance)
    let end = |addr: IpAddr| match (holder(addr), eip_holder(addr)) {
        (Some(inst), _) => (true, vpc_of_instance(inst), Some(inst)),
        (None, Some(inst)) => (false, None, Some(inst)),
        (None, None) => {
            let vpc = vpc_holding(addr);
            (vpc.is_some(), vpc, None)
        }
    };
    let (src_in, src_vpc, src) = end(packet.src);
    let (dst_in, dst_vpc, dst) = end(packet.dst);
    if let (Some(a), Some(b)) = (src, dst) {
        if a.id == b.id {
            return "reachable";
        }
    }
    match (src_in, dst_in) {
        (true, true) => match (src_vpc, dst_vpc) {
            (Some(a), Some(b)) if a != b && !world.peerings.iter().any(|p| p.vpcs == (a, b) || p.vpcs == (b, a)) => "no_peering",
            _ => "reachable",
        },
        (false, true) if packet.dst.is_ipv4() || is_ula(packet.dst) => "private_from_outside",
        (true, false) => match src {
            Some(a) => {
                let eip = a.eip.is_some_and(|e| e.is_ipv4() == packet.src.is_ipv4());
                let nat = packet.src.is_ipv4()
                    && world.vpcs.iter().flat_map(|v| &v.subnets).any(|s| Some(&s.id) == a.subnet_id.as_ref() && s.snat_eip.is_some());
                let global6 = packet.src.is_ipv6() && !is_ula(packet.src);
                if eip || nat || global6 {
                    "reachable"
                } else {
                    "no_public_address"
                }
            }
            None => "reachable",
        },
        _ => "reachable",
    }
}
