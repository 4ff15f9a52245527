//! The exact analyses against brute force.
//!
//! On small random worlds (`sgplay_tests::random_world`), every instance side is evaluated with
//! the reference matcher (`eval::decide_side`) on a grid of packets that holds every cell of the
//! packet space: every protocol a rule names plus one none names, every port at which a rule's
//! range starts or ends (and the one after), every address at which a remote's interval starts
//! or ends (and the one after). Every cell of any side's space contains a grid point, so the grid
//! is exhaustive, and the analysis must agree with it *both ways*:
//!
//! - a rule reported shadowed decides no grid packet (on its group alone for a group-scope
//!   finding, on every instance of its group otherwise), and a rule that decides no grid packet
//!   is reported shadowed (or as matching nothing);
//! - a rule reported redundant changes no grid verdict when removed, and a live rule that is not
//!   reported changes at least one;
//! - every witness packet is decided by its rule.

use proptest::prelude::*;
use sgplay_core::analysis::egress::{egress, Egress};
use sgplay_core::analysis::shadow::{shadowed_rules, RuleFindingKind, Scope, ShadowReport};
use sgplay_core::eval::rule_match::rule_matches;
use sgplay_core::eval::{decide_side, SideDecision};
use sgplay_core::model::{AddressEntry, Direction, Ethertype, Instance, Remote, RemoteAddress, World};
use sgplay_core::packet::{Packet, TcpFlags};
use sgplay_tests::random_world::{build_profiled, profiled_world_bp};
use std::collections::BTreeSet;
use std::net::IpAddr;

fn number(addr: IpAddr) -> u128 {
    match addr {
        IpAddr::V4(a) => u32::from(a) as u128,
        IpAddr::V6(a) => u128::from(a),
    }
}

fn from_number(n: u128, family: Ethertype) -> Option<IpAddr> {
    match family {
        Ethertype::IPv4 => u32::try_from(n).ok().map(|n| IpAddr::V4(n.into())),
        Ethertype::IPv6 => Some(IpAddr::V6(n.into())),
    }
}

/// Grid addresses of `family`: 0, and every interval start and end+1 of every rule's remote.
fn grid_addresses(world: &World, family: Ethertype) -> Vec<IpAddr> {
    let mut points: BTreeSet<u128> = BTreeSet::from([0]);
    let mut interval = |first: IpAddr, last: IpAddr| {
        points.insert(number(first));
        points.insert(number(last).saturating_add(1));
    };
    for rule in world.security_groups.iter().flat_map(|g| &g.rules) {
        match &rule.remote {
            Remote::Any => {}
            Remote::Prefix(net) => interval(net.network(), net.broadcast()),
            Remote::Group(id) => {
                for inst in world.members(id) {
                    for a in &inst.private_ips {
                        interval(*a, *a);
                    }
                }
            }
            Remote::AddressGroup(id) => {
                for e in world.address_group(id).map(|g| g.entries.clone()).unwrap_or_default() {
                    match e {
                        AddressEntry::Net(net) => interval(net.network(), net.broadcast()),
                        AddressEntry::Range(a, b) => interval(a, b),
                    }
                }
            }
        }
    }
    points.into_iter().filter_map(|n| from_number(n, family)).filter(|a| Ethertype::of(*a) == family).collect()
}

fn grid_ports(world: &World) -> Vec<u16> {
    let mut ports: BTreeSet<u16> = BTreeSet::from([0, 1, 65535]);
    for rule in world.security_groups.iter().flat_map(|g| &g.rules) {
        for r in rule.ports.elements() {
            ports.insert(r.first);
            ports.insert(r.last);
            ports.insert(r.last.saturating_add(1));
        }
    }
    ports.into_iter().collect()
}

/// Protocols: the ones rules name in these worlds, and 99, which none names.
const PROTOCOLS: [u8; 7] = [6, 17, 1, 58, 47, 50, 99];

fn grid(world: &World, family: Ethertype) -> Vec<(Packet, IpAddr)> {
    let ports = grid_ports(world);
    let mut out = Vec::new();
    for addr in grid_addresses(world, family) {
        for protocol in PROTOCOLS {
            let ps: &[u16] = if matches!(protocol, 6 | 17) { &ports } else { &[0] };
            for &port in ps {
                let packet = Packet {
                    src: addr,
                    dst: addr,
                    protocol,
                    src_port: 0,
                    dst_port: port,
                    icmp_type: 0,
                    icmp_code: 0,
                    icmp_id: 0,
                    tcp_flags: TcpFlags::SYN,
                    embedded: None,
                };
                out.push((packet, addr));
            }
        }
    }
    out
}

/// A side to judge on: each instance with groups, and for each group on no instance, the group
/// alone (an instance with no address, so no remote group changes).
fn sides(world: &World, group: usize) -> (Vec<Instance>, bool) {
    let id = &world.security_groups[group].id;
    let on: Vec<Instance> = world.instances.iter().filter(|i| i.security_groups.contains(id)).cloned().collect();
    if on.is_empty() {
        (vec![Instance { id: "alone".into(), security_groups: vec![id.clone()], ..Instance::default() }], true)
    } else {
        (on, false)
    }
}

fn alone(world: &World, group: usize) -> Instance {
    Instance { id: "alone".into(), security_groups: vec![world.security_groups[group].id.clone()], ..Instance::default() }
}

/// Does rule (g, r) decide some grid packet on `inst`?
fn decides(world: &World, inst: &Instance, g: usize, r: usize, grid: &[(Packet, IpAddr)]) -> bool {
    let rule = &world.security_groups[g].rules[r];
    let seq = inst.security_groups.iter().position(|x| *x == world.security_groups[g].id);
    grid.iter().any(|(p, a)| {
        matches!(decide_side(world, inst, rule.direction, p, RemoteAddress::Known(*a)), SideDecision::Rule { group, rule: ri, .. } if Some(group) == seq && ri == r)
    })
}

fn verdicts(world: &World, inst: &Instance, direction: Direction, grid: &[(Packet, IpAddr)]) -> Vec<bool> {
    grid.iter().map(|(p, a)| decide_side(world, inst, direction, p, RemoteAddress::Known(*a)).allows()).collect()
}

fn kind_of(report: &ShadowReport, g: usize, r: usize) -> Option<(RuleFindingKind, Scope)> {
    report.findings.iter().find(|f| f.rule.at == (g, r)).map(|f| (f.kind, f.scope))
}

fn check(world: &World) -> Result<(), TestCaseError> {
    let report = shadowed_rules(world);
    prop_assert!(report.skipped.is_empty());
    let grids = [grid(world, Ethertype::IPv4), grid(world, Ethertype::IPv6)];
    let grid_of = |family: Ethertype| if family == Ethertype::IPv4 { &grids[0] } else { &grids[1] };
    for (g, group) in world.security_groups.iter().enumerate() {
        let (on, is_alone) = sides(world, g);
        for (r, rule) in group.rules.iter().enumerate() {
            let grid = grid_of(rule.ethertype);
            let reported = kind_of(&report, g, r);
            let live_alone = decides(world, &alone(world, g), g, r, grid);
            let live_somewhere = on.iter().any(|inst| decides(world, inst, g, r, grid));
            let expected_dead = !live_alone || !live_somewhere;
            let dead_kinds = matches!(reported, Some((RuleFindingKind::Shadowed | RuleFindingKind::MatchesNothing, _)));
            match reported {
                Some((_, scope)) if dead_kinds || expected_dead => {
                    prop_assert!(expected_dead, "{}/{} reported shadowed ({:?}) but decides a packet", group.id, rule.id, scope);
                    if scope == Scope::Group {
                        prop_assert!(!live_alone, "{}/{} reported shadowed in its group but decides there", group.id, rule.id);
                    }
                    // The covering rules decide every packet the shadowed rule matches.
                    let finding = report.findings.iter().find(|f| f.rule.at == (g, r)).expect("reported");
                    let cover: BTreeSet<(usize, usize)> = finding.covered_by.iter().map(|n| n.at).collect();
                    let judged_on = if scope == Scope::Group { vec![alone(world, g)] } else { on.clone() };
                    for inst in &judged_on {
                        for (p, a) in grid.iter().filter(|(p, a)| rule_matches(world, rule, p, RemoteAddress::Known(*a))) {
                            if let SideDecision::Rule { group: seq, rule: ri, .. } =
                                decide_side(world, inst, rule.direction, p, RemoteAddress::Known(*a))
                            {
                                let gi = world.security_groups.iter().position(|x| x.id == inst.security_groups[seq]).expect("group");
                                prop_assert!(
                                    cover.contains(&(gi, ri)),
                                    "{}/{}: {} decides {} but is not in covered_by",
                                    group.id,
                                    rule.id,
                                    world.security_groups[gi].rules[ri].id,
                                    p
                                );
                            }
                        }
                    }
                }
                _ => prop_assert!(!expected_dead, "{}/{} decides no packet but is not reported", group.id, rule.id),
            }
            if expected_dead {
                // Removing a rule that decides nothing changes nothing: it may be called redundant,
                // and is called shadowed only when a rule of the other action covers part of it.
                let finding = report.findings.iter().find(|f| f.rule.at == (g, r)).expect("reported");
                let other = finding.covered_by.iter().any(|n| world.security_groups[n.at.0].rules[n.at.1].action != rule.action);
                prop_assert_eq!(finding.kind == RuleFindingKind::Shadowed, other, "{}/{}: kind {:?}", group.id, rule.id, finding.kind);
                continue;
            }
            // Live: does removing it change a verdict on any side?
            let mut without = world.clone();
            without.security_groups[g].rules.remove(r);
            let changes =
                on.iter().any(|inst| verdicts(world, inst, rule.direction, grid) != verdicts(&without, inst, rule.direction, grid));
            let redundant = matches!(reported, Some((RuleFindingKind::Redundant, _)));
            prop_assert_eq!(
                redundant,
                !changes,
                "{}/{}: reported redundant = {}, but removing it changes a verdict = {} (alone: {})",
                group.id,
                rule.id,
                redundant,
                changes,
                is_alone
            );
        }
    }
    for (name, packet) in &report.witnesses {
        let (g, r) = name.at;
        let inst = match &packet.instance {
            Some(id) => world.instance(id).cloned().unwrap_or_default(),
            None => alone(world, g),
        };
        let probe = Packet {
            src: packet.remote,
            dst: packet.remote,
            protocol: packet.protocol,
            src_port: 0,
            dst_port: packet.port.unwrap_or(0),
            icmp_type: 0,
            icmp_code: 0,
            icmp_id: 0,
            tcp_flags: TcpFlags::SYN,
            embedded: None,
        };
        prop_assert!(
            decides(world, &inst, g, r, &[(probe, packet.remote)]),
            "the witness of {}/{} is not decided by it",
            name.group,
            name.rule
        );
    }
    Ok(())
}

/// `analysis::egress` against the grid: an instance sends when some grid packet of a family it
/// has an address of passes its outbound side; the kind of "sends nothing" matches its rules.
fn check_egress(world: &World) -> Result<(), TestCaseError> {
    let grids = [grid(world, Ethertype::IPv4), grid(world, Ethertype::IPv6)];
    let judged = egress(world);
    for (i, inst) in world.instances.iter().enumerate() {
        let found = judged.iter().find(|(j, _)| *j == i).map(|(_, e)| *e);
        if inst.security_groups.is_empty() {
            prop_assert!(found.is_none(), "{} has no group but was judged", inst.id);
            continue;
        }
        let sends = [Ethertype::IPv4, Ethertype::IPv6]
            .into_iter()
            .enumerate()
            .filter(|(_, f)| inst.private_ip(*f).is_some())
            .any(|(k, _)| verdicts(world, inst, Direction::Egress, &grids[k]).into_iter().any(|v| v));
        let has_allow = inst.security_groups.iter().filter_map(|g| world.group(g)).flat_map(|g| &g.rules).any(|r| {
            r.direction == Direction::Egress && r.action == sgplay_core::model::Action::Allow && inst.private_ip(r.ethertype).is_some()
        });
        let want = match (sends, has_allow) {
            (true, _) => Egress::Sends,
            (false, false) => Egress::NoAllowRule,
            (false, true) => Egress::AllowsHidden,
        };
        prop_assert_eq!(found, Some(want), "{}: egress judged {:?}, the grid says {:?}", inst.id, found, want);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn shadow_redundancy_and_witnesses_agree_with_brute_force(bp in profiled_world_bp()) {
        check(&build_profiled(&bp))?;
    }

    #[test]
    fn instances_that_send_nothing_agree_with_brute_force(bp in profiled_world_bp()) {
        check_egress(&build_profiled(&bp))?;
    }
}
