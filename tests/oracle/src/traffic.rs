//! What the harness sends: flows between the world's places, each a short script of packets in
//! both directions (a TCP handshake, data and teardown with some flags out of place, UDP/GRE/ESP
//! exchanges, ICMP echo), ICMP errors about a flow's packets, and the flows' TCP numbers.
//!
//! Every flow gets its own source port or echo identifier, so flows never share a connection;
//! several flows' packets are interleaved, so the tables hold many connections at once.

use sgplay_core::model::protocol::{GRE, ICMP, ICMPV6, TCP, UDP};
use sgplay_core::model::World;
use sgplay_core::packet::TcpFlags;
use sgplay_core::rng::Rng;
use sgplay_core::Packet;
use sgplay_tests::random_world::PACKET_PORTS;
use std::net::IpAddr;

use crate::wire::TcpNumbers;

/// Which way a packet travels on its flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Way {
    Original,
    Reply,
}

/// Who sends an ICMP error about a flow's packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorFrom {
    /// The packet's destination answers it.
    Destination,
    /// A router on the way (an address outside the VPC) answers it.
    Router,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A packet of the flow; `flags` for TCP.
    Packet { way: Way, flags: TcpFlags },
    /// An ICMP error about the flow's packet travelling `about`.
    Error { about: Way, from: ErrorFrom, icmp: (u8, u8) },
}

/// One flow: its opening packet (the original direction) and the TCP numbers so far.
#[derive(Clone, Debug)]
pub struct Flow {
    pub opening: Packet,
    tcp: TcpTrack,
    /// Packets of each direction (original, reply) got through: the kernel's "seen reply".
    pub seen: [bool; 2],
}

/// Sequence numbers per direction, so the kernel's window tracking sees a plausible conversation.
#[derive(Clone, Debug, Default)]
struct TcpTrack {
    isn: [u32; 2],
    next: [Option<u32>; 2],
    /// The highest acknowledgement each side sent that reached the other side.
    acked: [Option<u32>; 2],
}

fn side(way: Way) -> usize {
    match way {
        Way::Original => 0,
        Way::Reply => 1,
    }
}

impl Flow {
    pub fn new(opening: Packet, rng: &mut Rng) -> Flow {
        let isn = [rng.next_u64() as u32 | 1, rng.next_u64() as u32 | 1];
        Flow { opening, tcp: TcpTrack { isn, ..Default::default() }, seen: [false; 2] }
    }

    /// The packet of `step` (ICMP errors embed the flow's packet they report on), and for TCP
    /// its numbers.
    pub fn packet(&self, step: &Step, outside: &[IpAddr]) -> (Packet, TcpNumbers) {
        match step {
            Step::Packet { way, flags } => {
                let p = self.oriented(*way, *flags);
                let numbers = self.numbers(*way, *flags);
                (p, numbers)
            }
            Step::Error { about, from, icmp } => {
                let inner = self.oriented(*about, if self.opening.protocol == TCP { TcpFlags::ACK } else { TcpFlags::empty() });
                let six = inner.src.is_ipv6();
                let src = match from {
                    ErrorFrom::Destination => inner.dst,
                    ErrorFrom::Router => {
                        outside.iter().copied().find(|a| a.is_ipv6() == six && *a != inner.src && *a != inner.dst).unwrap_or(inner.dst)
                    }
                };
                let error = Packet {
                    src,
                    dst: inner.src,
                    protocol: if six { ICMPV6 } else { ICMP },
                    src_port: 0,
                    dst_port: 0,
                    icmp_type: icmp.0,
                    icmp_code: icmp.1,
                    icmp_id: 0,
                    tcp_flags: TcpFlags::empty(),
                    embedded: Some(Box::new(inner)),
                };
                (error, TcpNumbers::default())
            }
        }
    }

    fn oriented(&self, way: Way, flags: TcpFlags) -> Packet {
        let mut p = match way {
            Way::Original => self.opening.clone(),
            Way::Reply => self.opening.reply(),
        };
        if p.protocol == TCP {
            p.tcp_flags = flags;
        }
        p
    }

    fn numbers(&self, way: Way, flags: TcpFlags) -> TcpNumbers {
        let (me, peer) = (side(way), 1 - side(way));
        let t = &self.tcp;
        let seq = if flags.contains(TcpFlags::SYN) {
            t.isn[me]
        } else if flags.contains(TcpFlags::RST) {
            // netfilter takes a RST only at exactly the sequence number the peer acknowledged.
            t.acked[peer].or(t.next[me]).unwrap_or(t.isn[me].wrapping_add(1))
        } else {
            t.next[me].unwrap_or(t.isn[me].wrapping_add(1))
        };
        let ack = if flags.contains(TcpFlags::ACK) { t.next[peer].unwrap_or(t.isn[peer].wrapping_add(1)) } else { 0 };
        TcpNumbers { seq, ack }
    }

    /// Moves the numbers on after the packet of `step` was sent; `delivered` says whether it
    /// reached the other side.
    pub fn sent(&mut self, step: &Step, delivered: bool) {
        let Step::Packet { way, flags } = step else { return };
        if self.opening.protocol != TCP {
            return;
        }
        if delivered {
            self.seen[side(*way)] = true;
        }
        let numbers = self.numbers(*way, *flags);
        let me = side(*way);
        if flags.contains(TcpFlags::SYN) {
            self.tcp.next[me] = Some(self.tcp.isn[me].wrapping_add(1));
        } else if flags.contains(TcpFlags::FIN) {
            self.tcp.next[me] = Some(numbers.seq.wrapping_add(1));
        } else if self.tcp.next[me].is_none() {
            self.tcp.next[me] = Some(numbers.seq);
        }
        if delivered && flags.contains(TcpFlags::ACK) {
            self.tcp.acked[me] = Some(numbers.ack);
        }
    }
}

/// The places packets go between: every address an instance holds and the outside addresses.
pub struct Places {
    /// (address, index of the instance holding it)
    pub held: Vec<(IpAddr, usize)>,
    pub outside: Vec<IpAddr>,
}

impl Places {
    pub fn of(world: &World, outside: Vec<IpAddr>) -> Places {
        let held = world
            .instances
            .iter()
            .enumerate()
            .flat_map(|(i, inst)| crate::topology::held_addresses(inst).into_iter().map(move |a| (a, i)))
            .collect();
        Places { held, outside }
    }
}

/// Numbers each flow's source port and echo identifier apart.
pub struct FlowIds(u16);

impl FlowIds {
    pub fn new() -> FlowIds {
        FlowIds(20000)
    }

    fn next(&mut self) -> u16 {
        self.0 = self.0.wrapping_add(1).max(20000);
        self.0
    }
}

impl Default for FlowIds {
    fn default() -> Self {
        FlowIds::new()
    }
}

/// The opening packet of a fresh flow between two places, at least one of them an instance's.
pub fn fresh_opening(rng: &mut Rng, places: &Places, ids: &mut FlowIds, protocol: Option<u8>) -> Packet {
    let six = rng.chance(35);
    let held: Vec<IpAddr> = places.held.iter().map(|(a, _)| *a).filter(|a| a.is_ipv6() == six).collect();
    let held = if held.is_empty() { places.held.iter().map(|(a, _)| *a).filter(|a| a.is_ipv4()).collect() } else { held };
    let six = held[0].is_ipv6();
    let outside: Vec<IpAddr> = places.outside.iter().copied().filter(|a| a.is_ipv6() == six).collect();
    let (src, dst) = loop {
        let a = held[rng.below(held.len())];
        let b = if rng.chance(70) { held[rng.below(held.len())] } else { outside[rng.below(outside.len())] };
        if a != b {
            break if rng.chance(50) { (a, b) } else { (b, a) };
        }
    };
    let protocol = protocol.unwrap_or_else(|| [TCP, UDP, ICMP, GRE, 50][rng.weighted(&[35, 25, 20, 10, 10])]);
    let port = if rng.chance(85) { PACKET_PORTS[rng.below(PACKET_PORTS.len())] } else { rng.range(1, 65535) as u16 };
    let mut p = Packet::opening(src, dst, protocol, port);
    let id = ids.next();
    if p.has_ports() {
        p.src_port = id;
    }
    if p.is_icmp() {
        p.icmp_id = id;
    }
    p
}

fn flags(rng: &mut Rng) -> TcpFlags {
    let choices = [
        TcpFlags::SYN,
        TcpFlags::SYN_ACK,
        TcpFlags::ACK,
        TcpFlags::FIN.union(TcpFlags::ACK),
        TcpFlags::RST,
        TcpFlags::RST.union(TcpFlags::ACK),
    ];
    choices[rng.below(choices.len())]
}

/// The steps of a flow: its protocol's natural exchange, cut short at random, with now and then
/// a packet out of place, and sometimes an ICMP error about one of its packets.
pub fn script(rng: &mut Rng, opening: &Packet) -> Vec<Step> {
    use Way::*;
    let pkt = |way, flags| Step::Packet { way, flags };
    let fa = TcpFlags::FIN.union(TcpFlags::ACK);
    let mut steps: Vec<Step> = match opening.protocol {
        TCP => {
            let natural = [
                pkt(Original, TcpFlags::SYN),
                pkt(Reply, TcpFlags::SYN_ACK),
                pkt(Original, TcpFlags::ACK),
                pkt(Reply, TcpFlags::ACK),
                pkt(Original, TcpFlags::ACK),
                pkt(Original, fa),
                pkt(Reply, TcpFlags::ACK),
                pkt(Reply, fa),
                pkt(Original, TcpFlags::ACK),
            ];
            let n = rng.range(1, natural.len());
            let mut s: Vec<Step> = natural[..n].to_vec();
            for step in s.iter_mut() {
                if rng.chance(12) {
                    *step = pkt(if rng.chance(50) { Original } else { Reply }, flags(rng));
                }
            }
            if rng.chance(15) {
                s.push(pkt(Original, TcpFlags::SYN));
            }
            s
        }
        _ => {
            let n = rng.range(1, 6);
            (0..n).map(|k| pkt(if k == 0 || rng.chance(45) { Original } else { Reply }, TcpFlags::empty())).collect()
        }
    };
    if rng.chance(25) {
        let six = opening.src.is_ipv6();
        let kinds: &[(u8, u8)] = if six { &[(1, 4), (1, 3), (2, 0), (3, 0)] } else { &[(3, 3), (3, 1), (11, 0), (3, 4)] };
        let error = Step::Error {
            about: if rng.chance(75) { Original } else { Reply },
            from: if rng.chance(60) { ErrorFrom::Destination } else { ErrorFrom::Router },
            icmp: kinds[rng.below(kinds.len())],
        };
        let at = rng.range(1, steps.len());
        steps.insert(at, error);
    }
    steps
}
