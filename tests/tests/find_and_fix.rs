//! Find-a-packet and the minimal fix against brute force on random worlds.
//!
//! - `find`: a found packet has the verdict asked and lies in the question's sets; "none exists"
//!   is checked on a grid of packets holding every cell (every address and interval end of the
//!   world, every rule port cut, every protocol rules name plus one).
//! - `fix`: the fixed world allows the packet; every other packet whose verdict the fix changes
//!   (among every pair of ends of the world, every protocol and port of the grid) is reported.

use proptest::prelude::*;
use sgplay_core::analysis::find::{find, Answer, Destinations, Question, Sources};
use sgplay_core::analysis::fix::{fix, FixOutcome};
use sgplay_core::eval::Verdict;
use sgplay_core::model::{AddressEntry, Ethertype, Remote, World};
use sgplay_core::packet::Packet;
use sgplay_core::scenario::ChangeSpec;
use sgplay_core::sim::change::Change;
use sgplay_core::{decide, Matcher};
use sgplay_tests::random_world::{build_profiled, profiled_world_bp};
use std::collections::BTreeSet;
use std::net::IpAddr;

fn number(a: IpAddr) -> u128 {
    match a {
        IpAddr::V4(a) => u32::from(a) as u128,
        IpAddr::V6(a) => u128::from(a),
    }
}

/// Every address of the world that matters, and the one after each interval.
fn grid_addresses(world: &World) -> Vec<IpAddr> {
    let mut out: BTreeSet<IpAddr> = BTreeSet::new();
    let mut push = |a: IpAddr, b: IpAddr| {
        out.insert(a);
        let next = number(b).saturating_add(1);
        out.insert(match b {
            IpAddr::V4(_) => IpAddr::V4(u32::try_from(next).unwrap_or(u32::MAX).into()),
            IpAddr::V6(_) => IpAddr::V6(next.into()),
        });
    };
    for inst in &world.instances {
        for a in inst.private_ips.iter().chain(&inst.virtual_ips).chain(inst.eip.iter()) {
            push(*a, *a);
        }
    }
    for rule in world.security_groups.iter().flat_map(|g| &g.rules) {
        match &rule.remote {
            Remote::Prefix(n) => push(n.network(), n.broadcast()),
            Remote::AddressGroup(id) => {
                for e in world.address_group(id).map(|g| g.entries.clone()).unwrap_or_default() {
                    match e {
                        AddressEntry::Net(n) => push(n.network(), n.broadcast()),
                        AddressEntry::Range(a, b) => push(a, b),
                    }
                }
            }
            _ => {}
        }
    }
    for v in &world.vpcs {
        push(v.cidr.network(), v.cidr.broadcast());
    }
    out.insert("0.0.0.0".parse().unwrap());
    out.insert("::".parse().unwrap());
    out.into_iter().collect()
}

fn grid_ports(world: &World) -> Vec<u16> {
    let mut ports: BTreeSet<u16> = BTreeSet::from([1, 65535]);
    for r in world.security_groups.iter().flat_map(|g| &g.rules).flat_map(|r| r.ports.elements()) {
        ports.insert(r.first);
        ports.insert(r.last);
        ports.insert(r.last.saturating_add(1));
    }
    ports.into_iter().collect()
}

/// The opening packet of a connection, as `find` and `fix` build theirs.
fn packet(src: IpAddr, dst: IpAddr, protocol: u8, port: u16) -> Packet {
    Packet::opening(src, dst, protocol, port)
}

const PROTOCOLS: [u8; 6] = [6, 17, 1, 47, 50, 99];

fn in_sources(world: &World, from: &Sources, a: IpAddr) -> bool {
    match from {
        Sources::Block(n) => n.contains(&a),
        Sources::Instance(i) => world.instances[*i].private_ips.contains(&a),
        Sources::Group(g) => world.members(g).any(|i| i.private_ips.contains(&a)),
        Sources::Internet => world.vpc_containing(a).is_none(),
    }
}

fn check_find(world: &World, q: &Question) -> Result<(), TestCaseError> {
    let answer = find(world, &Matcher::build(world), q);
    let dests: Vec<usize> = match &q.to {
        Destinations::Instance(i) => vec![*i],
        Destinations::Group(g) => {
            world.instances.iter().enumerate().filter(|(_, i)| i.security_groups.contains(g)).map(|(n, _)| n).collect()
        }
    };
    let port_ok = |p: &Packet| {
        !matches!(p.protocol, 6 | 17) || q.ports.as_ref().is_none_or(|r| r.iter().any(|&(a, b)| a <= p.dst_port && p.dst_port <= b))
    };
    match answer {
        Answer::Found { packet } => {
            prop_assert_eq!(decide(world, &packet), q.verdict, "found packet {} has the other verdict", packet);
            prop_assert!(in_sources(world, &q.from, packet.src), "{} is not in the sources", packet.src);
            prop_assert!(dests.iter().any(|&d| world.instances[d].private_ips.contains(&packet.dst)));
            prop_assert!(q.protocol.is_none_or(|p| p == packet.protocol || matches!((p, packet.protocol), (1, 58) | (58, 1))));
            prop_assert!(port_ok(&packet));
        }
        Answer::NoneExists { .. } => {
            let addrs = grid_addresses(world);
            let ports = grid_ports(world);
            for &d in &dests {
                for &dst in &world.instances[d].private_ips {
                    for &src in addrs.iter().filter(|a| in_sources(world, &q.from, **a) && a.is_ipv6() == dst.is_ipv6()) {
                        if world.instances[d].address_kind(src).is_some() {
                            continue;
                        }
                        for proto in q.protocol.map_or(PROTOCOLS.to_vec(), |p| vec![p]) {
                            for &port in &ports {
                                let p = packet(src, dst, proto, port);
                                if port_ok(&p) {
                                    prop_assert_ne!(decide(world, &p), q.verdict, "none exists, but {} has the verdict", p);
                                }
                            }
                        }
                    }
                }
            }
        }
        Answer::NotDecided { .. } => prop_assert!(false, "small worlds are always decided"),
    }
    Ok(())
}

fn check_fix(world: &World, p: &Packet) -> Result<(), TestCaseError> {
    match fix(world, p) {
        FixOutcome::AlreadyAllowed => prop_assert_eq!(decide(world, p), Verdict::Allow),
        FixOutcome::Impossible { reason } => prop_assert!(false, "no fix for {}: {}", p, reason),
        FixOutcome::Fixed { steps, changes, skipped } => {
            prop_assert!(skipped.is_empty());
            let mut fixed = world.clone();
            for step in &steps {
                let change = Change::from_spec(&step.edit, &fixed, "fix").map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                change.apply_to(&mut fixed);
            }
            prop_assert_eq!(decide(&fixed, p), Verdict::Allow, "the fix does not let {} in", p);
            prop_assert!(changes.iter().any(|c| c.contains(p)), "the asked packet {} is in no reported region", p);
            let adds_only = steps.iter().all(|s| matches!(s.edit, ChangeSpec::AddRule { .. }));
            let mut addrs: Vec<IpAddr> = grid_addresses(world).into_iter().filter(|a| a.is_ipv6() == p.src.is_ipv6()).collect();
            addrs.extend([p.src, p.dst]);
            addrs.sort();
            addrs.dedup();
            for &src in &addrs {
                for &dst in &addrs {
                    for proto in PROTOCOLS {
                        for port in [p.dst_port, 1, 65535] {
                            let q = packet(src, dst, proto, port);
                            if src == dst || decide(world, &q) == decide(&fixed, &q) {
                                continue;
                            }
                            prop_assert!(changes.iter().any(|c| c.contains(&q)), "{} changes but is in no reported region", q);
                            if adds_only {
                                prop_assert!(
                                    q.protocol == p.protocol && q.dst_port == p.dst_port,
                                    "an added allow changes another flow: {}",
                                    q
                                );
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn find_answers_agree_with_brute_force(bp in profiled_world_bp(), from in 0..4usize, to in 0..5usize, protocol in 0..7usize, verdict in any::<bool>(), port in 0..4usize) {
        let world = build_profiled(&bp);
        let from = match from {
            0 => Sources::Internet,
            1 => Sources::Block("10.0.0.0/28".parse().unwrap()),
            2 => Sources::Instance(to % world.instances.len()),
            _ => Sources::Group(world.security_groups[to % world.security_groups.len()].id.clone()),
        };
        let to = if to % 2 == 0 { Destinations::Instance((to / 2) % world.instances.len()) } else { Destinations::Group(world.security_groups[to % world.security_groups.len()].id.clone()) };
        let protocol = [None, Some(6), Some(17), Some(1), Some(47), Some(50), Some(99)][protocol];
        let ports = match (protocol, port) {
            (Some(6 | 17), 1) => Some(vec![(22, 22)]),
            (Some(6 | 17), 2) => Some(vec![(20, 30), (443, 443)]),
            _ => None,
        };
        check_find(&world, &Question { from, to, protocol, ports, verdict: if verdict { Verdict::Allow } else { Verdict::Deny } })?;
    }

    #[test]
    fn every_fix_lets_its_packet_in_and_reports_what_else_changes(bp in profiled_world_bp(), a in 0..5usize, b in 0..5usize, protocol in 0..4usize, six in any::<bool>()) {
        let world = build_profiled(&bp);
        let n = world.instances.len();
        let (a, b) = (a % n, b % n);
        let family = if six { Ethertype::IPv6 } else { Ethertype::IPv4 };
        let (Some(src), Some(dst)) = (world.instances[a].private_ip(family), world.instances[b].private_ip(family)) else { return Ok(()) };
        if a == b {
            return Ok(());
        }
        let p = packet(src, dst, [6, 17, 1, 47][protocol], 22);
        check_fix(&world, &p)?;
        // And from the Internet.
        let internet: IpAddr = if six { "2001:db8::5".parse().unwrap() } else { "203.0.113.5".parse().unwrap() };
        check_fix(&world, &packet(internet, dst, [6, 17, 1, 47][protocol], 443))?;
    }
}
