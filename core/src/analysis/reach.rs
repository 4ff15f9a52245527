//! The reachability matrix: for every ordered pair of instances, plus the Internet as a source
//! and as a destination, which services pass.
//!
//! A pair's packet goes from the source's private address to the destination's private address
//! (IPv4 when both have one, else IPv6), the service's protocol and destination port, and is
//! judged by the compiled [`Matcher`] exactly as `decide` judges it (the route, both sides).
//! Each service gets a [`crate::matcher::ServiceView`]: every table's cells for that service are
//! taken out once, so a side costs a handful of array reads, no protocol or port search; the sides
//! are computed a side at a time so its tables stay in cache.
//!
//! **The Internet** stands for every address outside the modelled VPCs. Rules may treat public
//! addresses differently, so the matrix uses one representative: the middle address of the
//! widest address class (in the matcher's cut of the address space) outside every VPC: an
//! address that every rule treats like the rest of its class. The report names it.
//!
//! Cost: `(n + 1)² · services` pair verdicts of a few reads each: 1,000 instances × 10 services
//! is about ten million table reads.

use crate::eval::{Crossing, RemoteAddress};
use crate::matcher::shape::number_to_addr;
use crate::matcher::Matcher;
use crate::model::protocol::{TCP, UDP};
use crate::model::{parse_protocol, Direction, Ethertype, ProtocolMatch, World};
use crate::packet::Packet;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// A protocol and, for TCP and UDP, a destination port: `tcp:22`, `udp:53`, `icmp`, `gre`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub label: String,
    pub protocol: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

/// What `sgplay reach` checks when not told: remote access, the web, databases, DNS, ping.
pub const DEFAULT_SERVICES: [&str; 10] =
    ["tcp:22", "tcp:3389", "tcp:80", "tcp:443", "tcp:3306", "tcp:5432", "tcp:6379", "tcp:8080", "udp:53", "icmp"];

impl Service {
    /// Parses `tcp:22`, `udp:53`, `icmp`, `icmpv6`, `gre`, `47`. TCP and UDP need a port 1–65535.
    pub fn parse(text: &str) -> Result<Service, String> {
        let text = text.trim();
        let (proto, port) = match text.split_once(':') {
            Some((p, n)) => (p, Some(n)),
            None => (text, None),
        };
        let protocol = match parse_protocol(proto) {
            Some(ProtocolMatch::Number(n)) => n,
            _ => return Err(format!("`{text}` is not a service; write `tcp:22`, `udp:53`, `icmp`, `icmpv6` or `gre`")),
        };
        let ported = matches!(protocol, TCP | UDP);
        let port = match (ported, port) {
            (true, Some(n)) => match crate::model::ports::parse_decimal(n.trim()) {
                Some(p) if (1..=65535).contains(&p) => Some(p as u16),
                _ => return Err(format!("`{text}`: the port must be a number 1-65535")),
            },
            (true, None) => return Err(format!("`{text}`: tcp and udp need a port, e.g. `{proto}:443`")),
            (false, Some(_)) => return Err(format!("`{text}`: only tcp and udp have ports; write `{proto}`")),
            (false, None) => None,
        };
        Ok(Service { label: text.to_ascii_lowercase(), protocol, port })
    }
}

/// One end of a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum End {
    /// An index into `World::instances`.
    Instance(usize),
    Internet,
}

/// An ordered pair and the services (indices into `services`) that pass.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pair {
    pub from: End,
    pub to: End,
    pub allowed: Vec<usize>,
}

// Deserialize: the page's worker sends a matrix back to the page as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reachability {
    pub services: Vec<Service>,
    /// The address standing for the Internet, per family.
    pub internet: Vec<IpAddr>,
    /// Every ordered pair with at least one service allowed, sources in world order.
    pub pairs: Vec<Pair>,
}

/// At most this many services in one matrix.
pub const MAX_SERVICES: usize = 128;

/// What a pair's route asks of one side.
#[derive(Clone, Copy, Debug)]
enum Check {
    /// Not filtered, bypassed, or not crossed.
    Pass,
    /// The side's answer for this remote, from the passes' rows.
    Row { instance: u32, column: u32 },
    /// A remote the passes did not compute (an EIP the route substituted, an unknown public source).
    Direct { instance: u32, remote: RemoteAddress },
}

/// A square matrix of bits.
struct Bits {
    n: usize,
    words: usize,
    bits: Vec<u64>,
}

impl Bits {
    fn new(n: usize) -> Bits {
        let words = n.div_ceil(64);
        Bits { n, words, bits: vec![0; n * words] }
    }

    fn set(&mut self, row: usize, col: usize) {
        self.bits[row * self.words + col / 64] |= 1 << (col % 64);
    }

    fn get(&self, row: usize, col: usize) -> bool {
        row < self.n && self.bits[row * self.words + col / 64] & (1 << (col % 64)) != 0
    }
}

/// The matrix. `matcher` must be built from `world`.
///
/// Two passes per service keep the tables in cache: every source's outbound side against every
/// destination (one side's tables at a time), then every destination's inbound side against
/// every source. Each pair then follows its route ([`Matcher::route`], the one path definition)
/// and reads the two sides' bits.
pub fn reachability(world: &World, matcher: &Matcher, services: &[Service]) -> Reachability {
    reachability_with_progress(world, matcher, services, &mut |_| {})
}

/// [`reachability`], calling `done(k)` after the `k`-th service (1-based) is judged for every
/// pair: the page's worker reports its progress with it.
pub fn reachability_with_progress(world: &World, matcher: &Matcher, services: &[Service], done: &mut dyn FnMut(usize)) -> Reachability {
    let internet4 = internet_address(world, matcher, Ethertype::IPv4);
    let internet6 = internet_address(world, matcher, Ethertype::IPv6);
    let n = world.instances.len();
    let ends: Vec<End> = (0..n).map(End::Instance).chain([End::Internet]).collect();
    let address = |end: End, family: Ethertype| -> Option<IpAddr> {
        match end {
            End::Instance(i) => world.instances[i].private_ip(family),
            End::Internet if family == Ethertype::IPv4 => Some(internet4),
            End::Internet => Some(internet6),
        }
    };
    let index = |e: End| match e {
        End::Instance(i) => i,
        End::Internet => n,
    };
    let has: Vec<[bool; 2]> =
        ends.iter().map(|&e| [address(e, Ethertype::IPv4).is_some(), address(e, Ethertype::IPv6).is_some()]).collect();
    // The pair's family: IPv4 when both ends have it, else IPv6 when both have that.
    let family_of = |a: End, b: End| {
        let (a, b) = (has[index(a)], has[index(b)]);
        if a[0] && b[0] {
            Some(Ethertype::IPv4)
        } else if a[1] && b[1] {
            Some(Ethertype::IPv6)
        } else {
            None
        }
    };
    // Every pair's route, once for all services (it depends on the addresses only), kept as the
    // two side checks it asks for.
    let mut routes: Vec<(End, End, [Check; 2])> = Vec::new();
    for &from in &ends {
        for &to in &ends {
            if from == to {
                continue;
            }
            let Some(family) = family_of(from, to) else { continue };
            let (Some(src), Some(dst)) = (address(from, family), address(to, family)) else { continue };
            let route = matcher.route(&Packet::opening(src, dst, 0, 0));
            let check = |direction: Direction, crossing: Option<Crossing<u32>>| match crossing {
                Some(Crossing::Rules { instance, remote }) => {
                    let (other, seen) = if direction == Direction::Egress { (to, dst) } else { (from, src) };
                    if remote == RemoteAddress::Known(seen) {
                        Check::Row { instance, column: index(other) as u32 }
                    } else {
                        // A remote the passes do not see (e.g. an EIP): judge the side directly.
                        Check::Direct { instance, remote }
                    }
                }
                Some(Crossing::Bypass { .. } | Crossing::Unfiltered { .. }) | None => Check::Pass,
            };
            routes.push((from, to, [check(Direction::Egress, route.outbound), check(Direction::Ingress, route.inbound)]));
        }
    }

    // Every end's address class per family, resolved once.
    let classes: Vec<[Option<(Ethertype, u32)>; 2]> =
        ends.iter().map(|&e| [Ethertype::IPv4, Ethertype::IPv6].map(|f| address(e, f).map(|a| matcher.address_class(a)))).collect();
    let remotes = |six: usize| classes.iter().map(|c| c[six].map(|(_, class)| class)).collect::<Vec<_>>();
    // Services passing each pair, as a bit mask (at most `MAX_SERVICES`).
    let mut masks: Vec<u128> = vec![0; routes.len()];
    for (k, service) in services.iter().enumerate().take(MAX_SERVICES) {
        // One view per family: `icmp` is ICMP on IPv4 and ICMPv6 on IPv6.
        let view = |six: bool| {
            let a = if six { internet6 } else { internet4 };
            let probe = service_packet(service, a, a);
            matcher.for_service(probe.protocol, probe.dst_port)
        };
        let views = [view(false), view(true)];
        let sides = [Direction::Egress, Direction::Ingress].map(|pass| {
            // Every end as a remote; each table answers for all of them once.
            let mut batch = [views[0].batch([remotes(0), remotes(1)]), views[1].batch([remotes(0), remotes(1)])];
            let mut bits = Bits::new(n + 1);
            let mut row = Vec::new();
            for (i, inst) in world.instances.iter().enumerate() {
                if inst.security_groups.is_empty() {
                    continue;
                }
                for (six, family) in [Ethertype::IPv4, Ethertype::IPv6].into_iter().enumerate() {
                    if !has[i][six] {
                        continue;
                    }
                    batch[six].row(i as u32, pass, family, &mut row);
                    for (e, &other) in ends.iter().enumerate() {
                        if row[e] && family_of(End::Instance(i), other) == Some(family) {
                            bits.set(i, e);
                        }
                    }
                }
            }
            bits
        });
        let passes = |check: &Check, d: usize| match *check {
            Check::Pass => true,
            Check::Row { instance, column } => sides[d].get(instance as usize, column as usize),
            Check::Direct { instance, remote } => {
                let direction = if d == 0 { Direction::Egress } else { Direction::Ingress };
                views[usize::from(remote.family() == Ethertype::IPv6)].side_allows(instance, direction, remote)
            }
        };
        for (mask, (_, _, checks)) in masks.iter_mut().zip(&routes) {
            if passes(&checks[0], 0) && passes(&checks[1], 1) {
                *mask |= 1 << k;
            }
        }
        done(k + 1);
    }
    let pairs = routes
        .iter()
        .zip(masks)
        .filter(|(_, m)| *m != 0)
        .map(|((from, to, _), m)| Pair {
            from: *from,
            to: *to,
            allowed: (0..services.len().min(MAX_SERVICES)).filter(|k| m & (1 << k) != 0).collect(),
        })
        .collect();
    Reachability { services: services.to_vec(), internet: vec![internet4, internet6], pairs }
}

/// The opening packet of a connection of `service`.
pub fn service_packet(service: &Service, src: IpAddr, dst: IpAddr) -> Packet {
    Packet::opening(src, dst, service.protocol, service.port.unwrap_or(0))
}

/// The middle address of the widest address class outside every VPC and held by no instance.
pub fn internet_address(world: &World, matcher: &Matcher, family: Ethertype) -> IpAddr {
    let fallback = match family {
        Ethertype::IPv4 => IpAddr::from([203, 0, 113, 1]),
        Ethertype::IPv6 => IpAddr::from([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1u16]),
    };
    matcher
        .address_classes(family)
        .map(|(first, last)| (last - first, number_to_addr(first + (last - first) / 2, family)))
        .filter(|&(_, mid)| world.vpc_containing(mid).is_none() && world.owner_of(mid).is_none())
        .max_by_key(|&(width, _)| width)
        .map_or(fallback, |(_, mid)| mid)
}

/// The packet the matrix judges for `from` → `to` and `service`: the ends' private addresses
/// (IPv4 when both have one, else IPv6), the Internet as `reach.internet`'s address; `None` when
/// the two ends share no family (the matrix judges no packet for them).
pub fn pair_packet(world: &World, reach: &Reachability, from: End, to: End, service: &Service) -> Option<Packet> {
    let address = |end: End, family: Ethertype| match end {
        End::Instance(i) => world.instances.get(i)?.private_ip(family),
        End::Internet => reach.internet.iter().copied().find(|a| Ethertype::of(*a) == family),
    };
    let family = [Ethertype::IPv4, Ethertype::IPv6].into_iter().find(|&f| address(from, f).is_some() && address(to, f).is_some())?;
    Some(service_packet(service, address(from, family)?, address(to, family)?))
}
