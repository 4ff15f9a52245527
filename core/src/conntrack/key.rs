//! The tuple a connection is keyed by: protocol, source, source port, destination, destination
//! port, as the opening packet carried them. ICMP has no ports: the echo identifier stands in for
//! both, so a reply (addresses swapped, same identifier) finds the request's entry.

use super::tcp::FlowDirection;
use crate::model::protocol::{protocol_name, ICMP, ICMPV6};
use crate::packet::Packet;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FlowKey {
    pub protocol: u8,
    pub src: IpAddr,
    /// TCP/UDP source port; the echo identifier for ICMP; 0 otherwise.
    pub src_port: u16,
    pub dst: IpAddr,
    /// TCP/UDP destination port; the echo identifier for ICMP; 0 otherwise.
    pub dst_port: u16,
}

impl FlowKey {
    /// The tuple of `packet` as it travels.
    pub fn of(packet: &Packet) -> FlowKey {
        let (src_port, dst_port) = if packet.is_icmp() { (packet.icmp_id, packet.icmp_id) } else { (packet.src_port, packet.dst_port) };
        FlowKey { protocol: packet.protocol, src: packet.src, src_port, dst: packet.dst, dst_port }
    }

    /// The tuple replies carry.
    pub fn reversed(&self) -> FlowKey {
        FlowKey { protocol: self.protocol, src: self.dst, src_port: self.dst_port, dst: self.src, dst_port: self.src_port }
    }

    /// Which way `key` travels on the connection keyed by `self`, if it belongs to it at all.
    pub fn direction_of(&self, key: &FlowKey) -> Option<FlowDirection> {
        if key == self {
            Some(FlowDirection::Original)
        } else if *key == self.reversed() {
            Some(FlowDirection::Reply)
        } else {
            None
        }
    }

    pub fn is_icmp(&self) -> bool {
        matches!(self.protocol, ICMP | ICMPV6)
    }
}

impl fmt::Display for FlowKey {
    /// `tcp 10.0.0.1:49152 → 10.0.0.2:22`, `icmp 10.0.0.1 → 10.0.0.2 id 1`, `gre 10.0.0.1 → 10.0.0.2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let proto = protocol_name(self.protocol);
        if self.is_icmp() {
            write!(f, "{proto} {} → {} id {}", self.src, self.dst, self.src_port)
        } else if self.src_port == 0 && self.dst_port == 0 {
            write!(f, "{proto} {} → {}", self.src, self.dst)
        } else {
            write!(f, "{proto} {} → {}", endpoint(self.src, self.src_port), endpoint(self.dst, self.dst_port))
        }
    }
}

fn endpoint(addr: IpAddr, port: u16) -> String {
    match addr {
        IpAddr::V4(a) => format!("{a}:{port}"),
        IpAddr::V6(a) => format!("[{a}]:{port}"),
    }
}

/// The ICMP type answering `icmp_type` (echo 8 → 0, timestamp 13 → 14, information 15 → 16,
/// address mask 17 → 18; ICMPv6 echo 128 → 129); other types answer with themselves.
pub fn icmp_reply_type(protocol: u8, icmp_type: u8) -> u8 {
    match (protocol, icmp_type) {
        (ICMP, 8) => 0,
        (ICMP, 13) => 14,
        (ICMP, 15) => 16,
        (ICMP, 17) => 18,
        (ICMPV6, 128) => 129,
        (_, t) => t,
    }
}

/// ICMP types that only ever answer a request: they cannot open a connection.
pub fn is_icmp_reply_type(protocol: u8, icmp_type: u8) -> bool {
    matches!((protocol, icmp_type), (ICMP, 0 | 14 | 16 | 18) | (ICMPV6, 129))
}

/// ICMP error types: they carry the header of the packet they report on, so they belong to that
/// packet's connection (netfilter's RELATED) and never open one of their own. IPv4: destination
/// unreachable 3, source quench 4, redirect 5, time exceeded 11, parameter problem 12; ICMPv6:
/// destination unreachable 1, packet too big 2, time exceeded 3, parameter problem 4.
pub fn is_icmp_error_type(protocol: u8, icmp_type: u8) -> bool {
    matches!((protocol, icmp_type), (ICMP, 3 | 4 | 5 | 11 | 12) | (ICMPV6, 1..=4))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::TcpFlags;

    fn tcp() -> Packet {
        Packet {
            src: "10.0.0.1".parse().unwrap(),
            dst: "10.0.0.2".parse().unwrap(),
            protocol: 6,
            src_port: 49152,
            dst_port: 22,
            icmp_type: 0,
            icmp_code: 0,
            icmp_id: 0,
            tcp_flags: TcpFlags::SYN,
            embedded: None,
        }
    }

    #[test]
    fn replies_match_in_the_reply_direction() {
        let p = tcp();
        let key = FlowKey::of(&p);
        assert_eq!(key.direction_of(&FlowKey::of(&p)), Some(FlowDirection::Original));
        assert_eq!(key.direction_of(&FlowKey::of(&p.reply())), Some(FlowDirection::Reply));
        let mut other = p.clone();
        other.src_port = 49153;
        assert_eq!(key.direction_of(&FlowKey::of(&other)), None);
        assert_eq!(key.to_string(), "tcp 10.0.0.1:49152 → 10.0.0.2:22");
    }

    #[test]
    fn icmp_uses_the_echo_id() {
        let mut p = tcp();
        p.protocol = ICMP;
        p.src_port = 0;
        p.dst_port = 0;
        p.icmp_type = 8;
        p.icmp_id = 7;
        let key = FlowKey::of(&p);
        assert_eq!((key.src_port, key.dst_port), (7, 7));
        assert_eq!(key.direction_of(&FlowKey::of(&p.reply())), Some(FlowDirection::Reply));
        p.icmp_id = 8;
        assert_eq!(key.direction_of(&FlowKey::of(&p)), None);
        assert_eq!(icmp_reply_type(ICMP, 8), 0);
        assert_eq!(icmp_reply_type(ICMPV6, 128), 129);
        assert!(is_icmp_reply_type(ICMP, 0));
        assert!(!is_icmp_reply_type(ICMP, 8));
    }
}
