//! The reachability matrix against pairwise `eval::decide` on random worlds: every ordered pair
//! of instances and the Internet, every service, the same answer.

use proptest::prelude::*;
use sgplay_core::analysis::reach::{reachability, service_packet, End, Service, DEFAULT_SERVICES};
use sgplay_core::model::Ethertype;
use sgplay_core::{decide, Matcher, World};
use sgplay_tests::random_world::{build_profiled, profiled_world_bp};
use std::collections::BTreeSet;
use std::net::IpAddr;

fn services() -> Vec<Service> {
    let mut list: Vec<&str> = DEFAULT_SERVICES.to_vec();
    list.extend(["tcp:25", "tcp:1000", "udp:65535", "gre", "50", "icmpv6"]);
    list.iter().map(|s| Service::parse(s).expect("a service")).collect()
}

fn check(world: &World) -> Result<(), TestCaseError> {
    let matcher = Matcher::build(world);
    let services = services();
    let matrix = reachability(world, &matcher, &services);
    let got: BTreeSet<(End, End, usize)> = matrix.pairs.iter().flat_map(|p| p.allowed.iter().map(move |&s| (p.from, p.to, s))).collect();
    let mut ends: Vec<End> = (0..world.instances.len()).map(End::Instance).collect();
    ends.push(End::Internet);
    let addr = |e: End, family: Ethertype| -> Option<IpAddr> {
        match e {
            End::Instance(i) => world.instances[i].private_ip(family),
            End::Internet => Some(matrix.internet[if family == Ethertype::IPv4 { 0 } else { 1 }]),
        }
    };
    let mut want = BTreeSet::new();
    for &from in &ends {
        for &to in &ends {
            if from == to {
                continue;
            }
            let family = [Ethertype::IPv4, Ethertype::IPv6].into_iter().find(|&f| addr(from, f).is_some() && addr(to, f).is_some());
            let Some(family) = family else { continue };
            let (src, dst) = (addr(from, family).unwrap(), addr(to, family).unwrap());
            for (i, s) in services.iter().enumerate() {
                if decide(world, &service_packet(s, src, dst)).is_allow() {
                    want.insert((from, to, i));
                }
            }
        }
    }
    prop_assert_eq!(want, got);
    for a in &matrix.internet {
        prop_assert!(world.vpc_containing(*a).is_none() && world.owner_of(*a).is_none(), "{} is not an Internet address", a);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_matrix_equals_pairwise_decide(bp in profiled_world_bp()) {
        check(&build_profiled(&bp))?;
    }
}

#[test]
fn services_parse_with_clear_errors() {
    assert_eq!(Service::parse("TCP:443").unwrap().port, Some(443));
    assert_eq!(Service::parse("icmp").unwrap().protocol, 1);
    assert!(Service::parse("tcp").unwrap_err().contains("need a port"));
    assert!(Service::parse("icmp:8").unwrap_err().contains("only tcp and udp"));
    assert!(Service::parse("tcp:0").unwrap_err().contains("1-65535"));
    assert!(Service::parse("ssh:22").unwrap_err().contains("not a service"));
}
