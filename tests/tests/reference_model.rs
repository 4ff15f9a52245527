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
//! Worlds are built from the `model` types directly, and every instance has a group. Half the
//! worlds follow the Alibaba profile (`ref_side_alibaba`: SEMANTICS §9, aggregated order and the
//! group types' defaults).

use proptest::prelude::*;
use sgplay_core::eval::{decide, evaluate};
use sgplay_core::matcher::{Budget, Matcher, MatcherConfig, SideResult};
use sgplay_core::model::protocol::{TCP, UDP};
use sgplay_core::model::{Action, AddressEntry, Direction, Ethertype, Instance, InstanceKind, ProtocolMatch, Remote, Rule, World};
use sgplay_core::packet::Packet;
use sgplay_core::profile::{CloudProfile, GroupKind};
use sgplay_core::Verdict;
use sgplay_tests::random_world::*;
use std::net::IpAddr;

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
        Remote::AddressGroup(a) => {
            world.address_groups.iter().filter(|ag| &ag.id == a).any(|ag| ag.entries.iter().any(|e| entry_contains(e, addr)))
        }
    }
}

/// §3 order: groups in sequence; in a group the matching rules, smallest priority first, deny
/// before allow at equal priority (then written order); first group with a match decides.
fn ref_side(world: &World, inst: &Instance, direction: Direction, packet: &Packet, addr: IpAddr) -> RefSide {
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
fn ref_side_alibaba(world: &World, inst: &Instance, direction: Direction, packet: &Packet, addr: IpAddr) -> RefSide {
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
                && family(addr) == family(packet.src)
                && world.instances.iter().any(|i| i.security_groups.contains(&group.id) && i.private_ips.contains(&addr)))
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
/// bypasses its own outbound and the backend's inbound rules. Returns the sides in order, up to the first that denies.
fn reference(world: &World, packet: &Packet) -> (Verdict, Vec<RefSide>) {
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
        _ if !dst_via_eip || src_is_eip => packet.src,
        (Some(a_eip), _) => a_eip,
        (None, Some(nat)) => nat,
        _ => packet.src,
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
        let side = ref_side(world, a, Direction::Egress, packet, packet.dst);
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
    fn the_engine_agrees_with_the_reference_model(bp in profiled_world_bp(), packets in prop::collection::vec(packet_bp(), 1..=12)) {
        let world = build_profiled(&bp);
        let matchers = matchers(&world);
        for pb in &packets {
            let packet = build_packet(&world, pb);
            compare_all(&world, &matchers, &packet)?;
            // Its reply (a SYN-ACK, an echo reply) cannot open a connection: the tracer and every
            // matcher layout drop it at the same first tracking side.
            let reply = packet.reply();
            let eval = evaluate(&world, &reply);
            prop_assert_eq!(decide(&world, &reply), eval.verdict, "decide and evaluate disagree on {}", reply);
            for matcher in &matchers {
                let compiled = matcher.decide_rule(&reply);
                prop_assert_eq!(compiled.verdict, eval.verdict, "the matcher and the tracer disagree on {}: {:?}", reply, compiled);
                let stop = [(compiled.outbound, Direction::Egress), (compiled.inbound, Direction::Ingress)].into_iter().find(|(s, _)| !s.allows()).map(|(_, d)| d);
                prop_assert_eq!(stop, eval.denied_at().map(|h| h.direction), "stopping sides differ on {}", reply);
            }
        }
    }

    /// Every packet from each instance to each other instance, both families, all protocols: the
    /// instance-to-instance path is where both sides meet.
    #[test]
    fn every_instance_pair_agrees(bp in profiled_world_bp(), protocol in 0..5u8, port in 0..PACKET_PORTS.len()) {
        let world = build_profiled(&bp);
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

/// The Alibaba reading on hand-worked cases: aggregated order across groups, the defaults of
/// basic, isolated and enterprise groups.
#[test]
fn the_reference_model_reads_alibaba_correctly() {
    let rule = |ingress, deny, priority, remote| RuleBp { ingress, six: false, protocol: 1, ports: vec![0], deny, priority, remote };
    let bp = ProfiledBp {
        world: WorldBp {
            groups: vec![
                vec![rule(true, false, 5, RemoteBp::Any)],
                vec![rule(true, true, 2, RemoteBp::Prefix(7))],
                vec![rule(true, false, 1, RemoteBp::Prefix(7))],
            ],
            address_groups: vec![(false, vec![0])],
            instances: vec![
                InstanceBp { has_v6: false, has_vip: false, has_eip: false, load_balancer: false, groups: vec![0, 1] },
                InstanceBp { has_v6: false, has_vip: false, has_eip: false, load_balancer: false, groups: vec![0] },
                InstanceBp { has_v6: false, has_vip: false, has_eip: false, load_balancer: false, groups: vec![2] },
            ],
        },
        profile: CloudProfile::Alibaba,
        kinds: vec![GroupKind::Basic, GroupKind::Basic, GroupKind::Enterprise],
    };
    let world = build_profiled(&bp);
    let ssh = |src, dst| build_packet(&world, &PacketBp { six: false, src, dst, protocol: 0, port: 0 });
    // Group 1's Drop at priority 2 beats group 0's Accept at priority 5 (Huawei: group 0 decides).
    let (verdict, sides) = reference(&world, &ssh(EndBp::Internet(0), EndBp::Private(0)));
    assert_eq!(verdict, Verdict::Deny);
    assert_eq!(sides[0].rule, Some(("g1-r0".to_string(), Action::Deny)));
    // Instance 1 → instance 0 on a port no rule opens: both in basic group 0, the internal default.
    let other = build_packet(&world, &PacketBp { six: false, src: EndBp::Private(1), dst: EndBp::Private(0), protocol: 1, port: 0 });
    let (verdict, sides) = reference(&world, &other);
    assert_eq!(verdict, Verdict::Allow);
    assert_eq!(sides[0].rule, Some(("implicit-outbound-ipv4".to_string(), Action::Allow)));
    assert_eq!(sides[1].rule, Some(("implicit-inner-ipv4".to_string(), Action::Allow)));
    // Instance 2 is in an enterprise group: nothing goes out by default.
    let out = build_packet(&world, &PacketBp { six: false, src: EndBp::Private(2), dst: EndBp::Internet(0), protocol: 1, port: 0 });
    assert_eq!(reference(&world, &out).0, Verdict::Deny);
    for packet in [ssh(EndBp::Internet(0), EndBp::Private(0)), other, out] {
        for matcher in matchers(&world) {
            compare(&world, &matcher, &packet).expect("the engine agrees on the hand-worked cases");
        }
    }
}
