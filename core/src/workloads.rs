//! The benchmark workloads, named once so the criterion benches (`core/benches/`), the browser
//! benchmark (wasm) and the BENCHMARKS.md figures all measure the same worlds and packets.
//!
//! - [`pair`]: two instances, each with `groups` security groups of `rules` rules per direction
//!   (the "5 groups × 2" and "5 groups × 120", Huawei's maxima).
//! - [`estate`]: the generated 1,000-instance, 200-group world (`synth::SynthConfig::default()`).
//! - [`packets`]: a deterministic mix of packets over a world: instance to instance both ways,
//!   from and to the Internet, TCP, UDP, ICMP and GRE, ports from a realistic pool.

use crate::model::protocol::{GRE, ICMP, TCP, UDP};
use crate::model::{Action, Direction, Ethertype, Instance, PortRange, PortSet, ProtocolMatch, Remote, Rule, SecurityGroup, World};
use crate::packet::{Packet, TcpFlags};
use crate::rng::Rng;
use std::net::{IpAddr, Ipv4Addr};

const PORTS: [(u16, u16); 14] = [
    (22, 22),
    (80, 80),
    (443, 443),
    (3306, 3306),
    (5432, 5432),
    (6379, 6379),
    (8080, 8080),
    (8000, 8999),
    (30000, 32767),
    (53, 53),
    (123, 123),
    (1024, 65535),
    (9100, 9100),
    (25, 25),
];

fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
}

/// A random CIDR block of a realistic shape: an office /24, a VPC /16, a host, the world.
fn random_prefix(rng: &mut Rng) -> Remote {
    let (addr, len) = match rng.below(6) {
        0 => (v4(10, rng.below(4) as u8, rng.below(256) as u8, 0), 24),
        1 => (v4(10, rng.below(4) as u8, 0, 0), 16),
        2 => (v4(10, 0, rng.below(4) as u8, rng.below(256) as u8), 32),
        3 => (v4(198, 51, 100, (rng.below(8) * 32) as u8), 27),
        4 => (v4(203, 0, 113, rng.below(256) as u8), 32),
        _ => (v4(0, 0, 0, 0), 0),
    };
    match ipnet::IpNet::new(addr, len) {
        Ok(net) => Remote::Prefix(net.trunc()),
        Err(_) => Remote::Any,
    }
}

fn random_rule(rng: &mut Rng, id: String, direction: Direction) -> Rule {
    let protocol = match rng.below(10) {
        0..=5 => ProtocolMatch::Number(TCP),
        6 | 7 => ProtocolMatch::Number(UDP),
        8 => ProtocolMatch::Number(ICMP),
        _ => ProtocolMatch::Any,
    };
    let ports = if protocol.has_ports() && !rng.chance(10) {
        let n = if rng.chance(20) { 2 } else { 1 };
        PortSet::from_ranges((0..n).map(|_| PORTS[rng.below(PORTS.len())]).map(|(first, last)| PortRange { first, last }).collect())
    } else {
        PortSet::all()
    };
    Rule {
        id,
        direction,
        ethertype: Ethertype::IPv4,
        protocol,
        ports,
        action: if rng.chance(15) { Action::Deny } else { Action::Allow },
        priority: 1 + rng.below(100) as u8,
        remote: if rng.chance(3) { Remote::Any } else { random_prefix(rng) },
        description: String::new(),
    }
}

/// Two instances, `a` (10.0.0.10) and `b` (10.0.1.20), each with `groups` groups of `rules`
/// random rules per direction.
pub fn pair(groups: usize, rules: usize) -> World {
    let mut rng = Rng::new(0x5eed_0000 + (groups * 1000 + rules) as u64);
    let mut world = World::default();
    for (name, ip) in [("a", v4(10, 0, 0, 10)), ("b", v4(10, 0, 1, 20))] {
        let mut ids = Vec::new();
        for g in 0..groups {
            let id = format!("sg-{name}{g}");
            let mut group = SecurityGroup { id: id.clone(), name: id.clone(), ..Default::default() };
            for direction in [Direction::Ingress, Direction::Egress] {
                for r in 0..rules {
                    group.rules.push(random_rule(&mut rng, format!("{id}-{}{r}", direction.label()), direction));
                }
            }
            world.security_groups.push(group);
            ids.push(id);
        }
        world.instances.push(Instance {
            id: name.into(),
            name: name.into(),
            private_ips: vec![ip],
            security_groups: ids,
            ..Default::default()
        });
    }
    world
}

/// The generated estate: 1,000 instances, 200 groups of up to 120 rules, 20 address groups
/// (`synth::SynthConfig::default()`), as a world.
pub fn estate() -> World {
    let spec = crate::synth::generate(&crate::synth::SynthConfig::default());
    // INVARIANT: the generator's worlds validate (synth's tests); an empty world otherwise.
    spec.build().map(|s| s.world).unwrap_or_default()
}

/// `n` packets over `world`: between instances (private addresses), from the Internet to them
/// and from them to the Internet.
pub fn packets(world: &World, n: usize, seed: u64) -> Vec<Packet> {
    let mut rng = Rng::new(seed);
    let addrs: Vec<IpAddr> = world.instances.iter().filter_map(|i| i.private_ip(Ethertype::IPv4)).collect();
    let pick = |rng: &mut Rng| -> IpAddr {
        if addrs.is_empty() || rng.chance(15) {
            v4(198, 51, 100, rng.below(256) as u8)
        } else {
            addrs[rng.below(addrs.len())]
        }
    };
    (0..n)
        .map(|_| {
            let src = pick(&mut rng);
            let mut dst = pick(&mut rng);
            if dst == src {
                dst = v4(203, 0, 113, rng.below(256) as u8);
            }
            let protocol = match rng.below(10) {
                0..=5 => TCP,
                6 | 7 => UDP,
                8 => ICMP,
                _ => GRE,
            };
            let ported = matches!(protocol, TCP | UDP);
            let port = if rng.chance(70) {
                let (first, last) = PORTS[rng.below(PORTS.len())];
                first + (rng.below((last - first) as usize + 1) as u16)
            } else {
                1 + rng.below(65535) as u16
            };
            Packet {
                src,
                dst,
                protocol,
                src_port: if ported { 40000 + rng.below(20000) as u16 } else { 0 },
                dst_port: if ported { port } else { 0 },
                icmp_type: if protocol == ICMP { 8 } else { 0 },
                icmp_code: 0,
                icmp_id: if protocol == ICMP { 1 } else { 0 },
                tcp_flags: if protocol == TCP { TcpFlags::SYN } else { TcpFlags::empty() },
                embedded: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estate_is_the_generated_world() {
        let w = estate();
        assert_eq!(w.instances.len(), 1000);
        assert_eq!(w.security_groups.len(), 200);
    }

    #[test]
    fn workloads_are_deterministic_and_sized() {
        let w = pair(5, 120);
        assert_eq!(w, pair(5, 120));
        assert_eq!(w.security_groups.len(), 10);
        assert!(w.security_groups.iter().all(|g| g.rules.len() == 240));
        assert_eq!(packets(&w, 50, 1), packets(&w, 50, 1));
        assert_ne!(packets(&w, 50, 1), packets(&w, 50, 2));
    }
}
