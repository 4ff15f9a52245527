//! The what-if diff against brute force.
//!
//! World A is a random world (`sgplay_tests::random_world`); world B is A after one random edit:
//! a rule removed, added, or with another action, priority, protocol, ports or remote; an
//! instance leaving or joining a group; an address group entry replaced; an EIP, a virtual IP or
//! the load balancer flag toggled; an instance added or removed. For every pair of ends (every
//! address an instance holds in either world, the plan's Internet and unassigned addresses, and
//! every address where a rule's remote interval starts or ends, in either world) and every
//! protocol and port at the rules' boundaries, both ways (A → B and B → A):
//!
//! - `decide(A, p) != decide(B, p)` exactly when `p` falls into a reported change, and then with
//!   that change's before and after;
//! - every change's example packet is inside the change and really differs (the reference
//!   `decide` on both worlds);
//! - nothing is skipped, and a world compared with itself has no change.
//!
//! The grid verdicts come from the compiled matcher (equal to `decide` by `reference_model.rs`),
//! so the grid stays fast; examples are judged by `decide` itself.

use proptest::prelude::*;
use sgplay_core::analysis::diff::{diff, Change, WorldDiff};
use sgplay_core::model::{AddressEntry, Ethertype, Remote, World};
use sgplay_core::packet::{Packet, TcpFlags};
use sgplay_core::{decide, Matcher, Verdict};
use sgplay_tests::random_world::{
    build, build_profiled, internet, profiled_world_bp, rule_bp, unassigned, InstanceBp, ProfiledBp, RemoteBp, RuleBp, VpcsBp, WorldBp,
    PORT_POOL,
};
use std::collections::BTreeSet;
use std::net::IpAddr;

#[derive(Clone, Debug)]
enum Edit {
    RemoveRule(usize, usize),
    AddRule(usize, usize, RuleBp),
    FlipAction(usize, usize),
    Priority(usize, usize, u8),
    Protocol(usize, usize, u8),
    Ports(usize, usize, Vec<usize>),
    Remote(usize, usize, RemoteBp),
    LeaveGroup(usize, usize),
    JoinGroup(usize, usize),
    Entry(usize, usize, usize),
    ToggleEip(usize),
    ToggleVip(usize),
    ToggleLoadBalancer(usize),
    RemoveInstance,
    AddInstance(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let i = || any::<usize>();
    let remote = prop_oneof![
        Just(RemoteBp::Any),
        (0..10usize).prop_map(RemoteBp::Prefix),
        (0..2usize).prop_map(RemoteBp::Group),
        Just(RemoteBp::AddressGroup(0)),
    ];
    prop_oneof![
        3 => (i(), i()).prop_map(|(g, r)| Edit::RemoveRule(g, r)),
        3 => (i(), i(), rule_bp(2, 1)).prop_map(|(g, at, r)| Edit::AddRule(g, at, r)),
        2 => (i(), i()).prop_map(|(g, r)| Edit::FlipAction(g, r)),
        2 => (i(), i(), 1..=5u8).prop_map(|(g, r, p)| Edit::Priority(g, r, p)),
        1 => (i(), i(), 0..6u8).prop_map(|(g, r, p)| Edit::Protocol(g, r, p)),
        2 => (i(), i(), prop::collection::vec(0..PORT_POOL.len(), 0..=3)).prop_map(|(g, r, p)| Edit::Ports(g, r, p)),
        2 => (i(), i(), remote).prop_map(|(g, r, x)| Edit::Remote(g, r, x)),
        2 => (i(), i()).prop_map(|(n, k)| Edit::LeaveGroup(n, k)),
        2 => (i(), i()).prop_map(|(n, g)| Edit::JoinGroup(n, g)),
        2 => (i(), i(), 0..7usize).prop_map(|(a, k, e)| Edit::Entry(a, k, e)),
        2 => i().prop_map(Edit::ToggleEip),
        2 => i().prop_map(Edit::ToggleVip),
        2 => i().prop_map(Edit::ToggleLoadBalancer),
        2 => Just(Edit::RemoveInstance),
        2 => i().prop_map(Edit::AddInstance),
    ]
}

/// `bp` after the edit (indices taken modulo what exists).
fn apply(bp: &WorldBp, edit: &Edit) -> WorldBp {
    let mut bp = bp.clone();
    let n_groups = bp.groups.len();
    let n_instances = bp.instances.len();
    let rule = |bp: &mut WorldBp, g: usize, r: usize, f: &dyn Fn(&mut RuleBp)| {
        let rules = &mut bp.groups[g % n_groups];
        if !rules.is_empty() {
            let k = r % rules.len();
            f(&mut rules[k]);
        }
    };
    match edit {
        Edit::RemoveRule(g, r) => {
            let rules = &mut bp.groups[g % n_groups];
            if !rules.is_empty() {
                let k = r % rules.len();
                rules.remove(k);
            }
        }
        Edit::AddRule(g, at, new) => {
            let rules = &mut bp.groups[g % n_groups];
            let k = at % (rules.len() + 1);
            rules.insert(k, new.clone());
        }
        Edit::FlipAction(g, r) => rule(&mut bp, *g, *r, &|x| x.deny = !x.deny),
        Edit::Priority(g, r, p) => rule(&mut bp, *g, *r, &|x| x.priority = *p),
        Edit::Protocol(g, r, p) => rule(&mut bp, *g, *r, &|x| x.protocol = *p),
        Edit::Ports(g, r, ports) => rule(&mut bp, *g, *r, &|x| {
            x.protocol = if x.protocol == 2 { 2 } else { 1 };
            x.ports = ports.clone();
        }),
        Edit::Remote(g, r, remote) => rule(&mut bp, *g, *r, &|x| x.remote = remote.clone()),
        Edit::LeaveGroup(n, k) => {
            let groups = &mut bp.instances[n % n_instances].groups;
            if !groups.is_empty() {
                let k = k % groups.len();
                groups.remove(k);
            }
        }
        Edit::JoinGroup(n, g) => {
            let groups = &mut bp.instances[n % n_instances].groups;
            if !groups.contains(&(g % n_groups)) {
                groups.push(g % n_groups);
            }
        }
        Edit::Entry(a, k, e) => {
            let n = bp.address_groups.len();
            let entries = &mut bp.address_groups[a % n].1;
            if !entries.is_empty() {
                let k = k % entries.len();
                entries[k] = *e;
            }
        }
        Edit::ToggleEip(n) => bp.instances[n % n_instances].has_eip ^= true,
        Edit::ToggleVip(n) => bp.instances[n % n_instances].has_vip ^= true,
        Edit::ToggleLoadBalancer(n) => bp.instances[n % n_instances].load_balancer ^= true,
        Edit::RemoveInstance => {
            if n_instances > 1 {
                bp.instances.pop();
            }
        }
        Edit::AddInstance(g) => {
            if n_instances < 6 {
                bp.instances.push(InstanceBp {
                    has_v6: true,
                    has_vip: true,
                    has_eip: true,
                    load_balancer: false,
                    groups: vec![g % n_groups],
                })
            }
        }
    }
    bp
}

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

/// Every end of both worlds for one family: held addresses, the plan's Internet and unassigned
/// addresses, and every address where some rule's remote interval starts or ends (and after).
fn ends(worlds: [&World; 2], family: Ethertype) -> Vec<IpAddr> {
    let six = family == Ethertype::IPv6;
    let mut points: BTreeSet<u128> = BTreeSet::from([0, number(internet(0, six)), number(internet(1, six)), number(internet(2, six))]);
    points.insert(number(unassigned(0, six)));
    points.insert(number(unassigned(1, six)));
    for world in worlds {
        for inst in &world.instances {
            for a in inst.private_ips.iter().chain(&inst.virtual_ips).chain(inst.eip.iter()) {
                points.insert(number(*a));
            }
        }
        let mut interval = |first: IpAddr, last: IpAddr| {
            points.insert(number(first));
            points.insert(number(last).saturating_add(1));
        };
        for rule in world.security_groups.iter().flat_map(|g| &g.rules) {
            match &rule.remote {
                Remote::Any | Remote::Group(_) => {}
                Remote::Prefix(net) => interval(net.network(), net.broadcast()),
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
    }
    points.into_iter().filter_map(|n| from_number(n, family)).filter(|a| Ethertype::of(*a) == family).collect()
}

/// Protocols the random worlds name, and 99, which none names; ports at every boundary.
const PROTOCOLS: [u8; 7] = [6, 17, 1, 58, 47, 50, 99];

fn ports(worlds: [&World; 2]) -> Vec<u16> {
    let mut ports: BTreeSet<u16> = BTreeSet::from([0, 1, 65535]);
    for rule in worlds.iter().flat_map(|w| &w.security_groups).flat_map(|g| &g.rules) {
        for r in rule.ports.elements() {
            ports.insert(r.first);
            ports.insert(r.last);
            ports.insert(r.last.saturating_add(1));
        }
    }
    ports.into_iter().collect()
}

fn packet(src: IpAddr, dst: IpAddr, protocol: u8, port: u16) -> Packet {
    Packet {
        src,
        dst,
        protocol,
        src_port: 49152,
        dst_port: port,
        icmp_type: 8,
        icmp_code: 0,
        icmp_id: 1,
        tcp_flags: TcpFlags::SYN,
        embedded: None,
    }
}

fn action(v: Verdict) -> sgplay_core::model::Action {
    if v.is_allow() {
        sgplay_core::model::Action::Allow
    } else {
        sgplay_core::model::Action::Deny
    }
}

fn check(a: &World, b: &World, report: &WorldDiff) -> Result<(), TestCaseError> {
    prop_assert!(report.skipped.is_empty(), "skipped: {:?}", report.skipped);
    for c in &report.changes {
        prop_assert!(c.contains(&c.example), "the example of {:?} is outside its region", c);
        prop_assert_eq!(action(decide(a, &c.example)), c.before, "example {} of {:?}: wrong before", c.example, c);
        prop_assert_eq!(action(decide(b, &c.example)), c.after, "example {} of {:?}: wrong after", c.example, c);
        prop_assert!(c.before != c.after);
    }
    let (ma, mb) = (Matcher::build(a), Matcher::build(b));
    let ports = ports([a, b]);
    for family in [Ethertype::IPv4, Ethertype::IPv6] {
        let ends = ends([a, b], family);
        for &src in &ends {
            for &dst in &ends {
                let (s, d) = (number(src), number(dst));
                let inside = |set: &[(u128, u128)], n: u128| set.iter().any(|&(lo, hi)| lo <= n && n <= hi);
                let near: Vec<&Change> = report
                    .changes
                    .iter()
                    .filter(|c| c.region.family == family && inside(&c.region.src, s) && inside(&c.region.dst, d))
                    .collect();
                for protocol in PROTOCOLS {
                    let ps: &[u16] = if matches!(protocol, 6 | 17) { &ports } else { &[0] };
                    for &port in ps {
                        let p = packet(src, dst, protocol, port);
                        let (before, after) = (action(ma.decide(&p)), action(mb.decide(&p)));
                        let hits: Vec<&&Change> = near.iter().filter(|c| c.contains(&p)).collect();
                        if before == after {
                            prop_assert!(hits.is_empty(), "{} has the same verdict {:?} but falls into {:?}", p, before, hits[0]);
                        } else {
                            prop_assert!(!hits.is_empty(), "{} changes {:?} -> {:?} but no change holds it", p, before, after);
                            for c in hits {
                                prop_assert!(
                                    c.before == before && c.after == after,
                                    "{} changes {:?} -> {:?}, not as {:?}",
                                    p,
                                    before,
                                    after,
                                    c
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
    fn the_diff_is_exact_both_ways(bp in profiled_world_bp(), edit in edit()) {
        let a = build_profiled(&bp);
        let b = build_profiled(&ProfiledBp { world: apply(&bp.world, &edit), ..bp.clone() });
        check(&a, &b, &diff(&a, &b))?;
        check(&b, &a, &diff(&b, &a))?;
        prop_assert!(diff(&a, &a).changes.is_empty());
    }
}

#[test]
fn an_address_group_entry_is_part_of_the_diff() {
    // A direct case of an edit the generator reaches only sometimes: every entry replaced.
    let bp = WorldBp {
        groups: vec![
            vec![RuleBp {
                ingress: true,
                six: false,
                protocol: 1,
                ports: vec![0],
                deny: false,
                priority: 1,
                remote: RemoteBp::AddressGroup(0),
            }],
            vec![RuleBp { ingress: false, six: false, protocol: 0, ports: vec![], deny: false, priority: 1, remote: RemoteBp::Any }],
        ],
        address_groups: vec![(false, vec![1])],
        instances: vec![
            InstanceBp { has_v6: false, has_vip: false, has_eip: false, load_balancer: false, groups: vec![0] },
            InstanceBp { has_v6: false, has_vip: false, has_eip: false, load_balancer: false, groups: vec![1] },
        ],
        vpcs: VpcsBp::One,
    };
    let a = build(&bp);
    let mut changed = bp.clone();
    changed.address_groups[0].1 = vec![6]; // 10.0.0.199-10.0.0.201;
    let b = build(&changed);
    let report = diff(&a, &b);
    check(&a, &b, &report).expect("exact");
    // 10.0.0.11 (instance 1) lost SSH to instance 0; 10.0.0.199-201 gained it.
    assert!(report.changes.iter().any(|c| !c.opened() && c.src == ["10.0.0.11"] && c.dst.instance.as_deref() == Some("i-0")));
    assert!(report.changes.iter().any(|c| c.opened() && c.src.iter().any(|s| s.starts_with("10.0.0.199"))), "{:?}", report.changes);
}

#[test]
fn a_source_losing_its_eip_has_no_public_address_its_rules_could_see() {
    // i-1 admits SSH from 203.0.113.0/24 only; i-0 reaches i-1's EIP through its own EIP in A;
    // in B it has no EIP (and the subnet no NAT gateway): an unknown public source, which only a
    // rule open to every address matches. Closed.
    let ssh = RuleBp { ingress: true, six: false, protocol: 1, ports: vec![0], deny: false, priority: 1, remote: RemoteBp::Prefix(7) };
    let out = RuleBp { ingress: false, six: false, protocol: 0, ports: vec![], deny: false, priority: 1, remote: RemoteBp::Any };
    let bp = WorldBp {
        groups: vec![vec![out.clone()], vec![ssh, out]],
        address_groups: vec![(false, vec![0])],
        instances: vec![
            InstanceBp { has_v6: false, has_vip: false, has_eip: true, load_balancer: false, groups: vec![0] },
            InstanceBp { has_v6: false, has_vip: false, has_eip: true, load_balancer: false, groups: vec![1] },
        ],
        vpcs: VpcsBp::One,
    };
    let a = build(&bp);
    let b = build(&apply(&bp, &Edit::ToggleEip(0)));
    for (x, y) in [(&a, &b), (&b, &a)] {
        let report = diff(x, y);
        check(x, y, &report).expect("exact");
    }
    let report = diff(&a, &b);
    let closed = report
        .changes
        .iter()
        .find(|c| c.src == ["10.0.0.10"] && c.dst.addresses == ["203.0.113.51"])
        .unwrap_or_else(|| panic!("{:#?}", report.changes));
    assert_eq!((closed.before, closed.after), (sgplay_core::model::Action::Allow, sgplay_core::model::Action::Deny));
    assert_eq!(closed.rules_before, ["sg-0/g0-r0", "sg-1/g1-r0"]);
    assert_eq!(closed.rules_after, ["sg-0/g0-r0", "default deny (inbound)"]);
    assert_eq!(closed.ports, ["22"]);
    assert_eq!(closed.instances_touched, 2);
}
