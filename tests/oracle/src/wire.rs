//! Packets as bytes: an engine [`Packet`] written as the IPv4 or IPv6 datagram a raw socket sends.
//!
//! Hand-written because the harness needs few shapes and full control over each field: TCP with
//! any flags and chosen sequence numbers, UDP, ICMP and ICMPv6 echo and errors that embed another
//! packet's header, GRE (version 0), and any other protocol as a bare payload. Every checksum is
//! computed (the kernel verifies them at PREROUTING: `nf_conntrack_checksum`).

use sgplay_core::model::protocol::{GRE, ICMP, ICMPV6, TCP, UDP};
use sgplay_core::Packet;
use std::net::IpAddr;

/// The protocol of the harness's sentinel packets (253 is reserved for experiments, RFC 3692):
/// never in a world, so it can be let through ahead of every rule.
pub const SENTINEL_PROTOCOL: u8 = 253;

/// TCP sequence and acknowledgement numbers of one segment (the engine does not model them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TcpNumbers {
    pub seq: u32,
    pub ack: u32,
}

/// A few bytes after each transport header, so a receiver sees a real payload.
const PAYLOAD: &[u8; 8] = b"sgplay!\n";

/// The whole datagram, IP header included.
pub fn datagram(packet: &Packet, tcp: TcpNumbers) -> Vec<u8> {
    let body = transport(packet, tcp);
    ip(packet.src, packet.dst, packet.protocol, &body)
}

/// A sentinel from `src` to `dst`: it follows the probe's path and tells the receiver the probe
/// would have arrived by now.
pub fn sentinel(src: IpAddr, dst: IpAddr) -> Vec<u8> {
    ip(src, dst, SENTINEL_PROTOCOL, PAYLOAD)
}

fn ip(src: IpAddr, dst: IpAddr, protocol: u8, body: &[u8]) -> Vec<u8> {
    match (src, dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) => {
            let total = (20 + body.len()) as u16;
            let mut h = vec![0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, protocol, 0, 0];
            h[2..4].copy_from_slice(&total.to_be_bytes());
            h.extend_from_slice(&s.octets());
            h.extend_from_slice(&d.octets());
            let sum = checksum(&[&h]);
            h[10..12].copy_from_slice(&sum.to_be_bytes());
            h.extend_from_slice(body);
            h
        }
        (IpAddr::V6(s), IpAddr::V6(d)) => {
            let mut h = vec![0x60, 0, 0, 0];
            h.extend_from_slice(&(body.len() as u16).to_be_bytes());
            h.extend_from_slice(&[protocol, 64]);
            h.extend_from_slice(&s.octets());
            h.extend_from_slice(&d.octets());
            h.extend_from_slice(body);
            h
        }
        _ => panic!("a packet's two addresses are of one family"),
    }
}

fn transport(packet: &Packet, tcp: TcpNumbers) -> Vec<u8> {
    let mut b = match packet.protocol {
        TCP => {
            let mut b = Vec::with_capacity(20);
            b.extend_from_slice(&packet.src_port.to_be_bytes());
            b.extend_from_slice(&packet.dst_port.to_be_bytes());
            b.extend_from_slice(&tcp.seq.to_be_bytes());
            b.extend_from_slice(&tcp.ack.to_be_bytes());
            b.extend_from_slice(&[5 << 4, packet.tcp_flags.bits(), 0xff, 0xff, 0, 0, 0, 0]);
            b
        }
        UDP => {
            let mut b = Vec::with_capacity(16);
            b.extend_from_slice(&packet.src_port.to_be_bytes());
            b.extend_from_slice(&packet.dst_port.to_be_bytes());
            b.extend_from_slice(&((8 + PAYLOAD.len()) as u16).to_be_bytes());
            b.extend_from_slice(&[0, 0]);
            b.extend_from_slice(PAYLOAD);
            b
        }
        ICMP | ICMPV6 => {
            let mut b = vec![packet.icmp_type, packet.icmp_code, 0, 0];
            match &packet.embedded {
                // An error: 4 unused bytes (the MTU of a "packet too big"), then the header of the
                // packet it reports on and the first 8 bytes of its transport header.
                Some(inner) => {
                    let mtu: u32 = if packet.protocol == ICMPV6 && packet.icmp_type == 2 { 1280 } else { 0 };
                    b.extend_from_slice(&mtu.to_be_bytes());
                    let inner_bytes = datagram(inner, TcpNumbers::default());
                    let header = if inner.src.is_ipv4() { 20 } else { 40 };
                    b.extend_from_slice(&inner_bytes[..inner_bytes.len().min(header + 8)]);
                }
                None => {
                    b.extend_from_slice(&packet.icmp_id.to_be_bytes());
                    b.extend_from_slice(&1u16.to_be_bytes());
                    b.extend_from_slice(PAYLOAD);
                }
            }
            b
        }
        // GRE version 0 carrying IPv4 (or IPv6), no key, no checksum.
        GRE => {
            let ethertype: u16 = if packet.src.is_ipv4() { 0x0800 } else { 0x86dd };
            let mut b = vec![0, 0];
            b.extend_from_slice(&ethertype.to_be_bytes());
            b.extend_from_slice(PAYLOAD);
            b
        }
        _ => PAYLOAD.to_vec(),
    };
    let at = match packet.protocol {
        TCP => Some(16),
        UDP => Some(6),
        ICMP | ICMPV6 => Some(2),
        _ => None,
    };
    if let Some(at) = at {
        // ICMPv4 has no pseudo-header; TCP, UDP and ICMPv6 do.
        let pseudo = if packet.protocol == ICMP { Vec::new() } else { pseudo_header(packet.src, packet.dst, packet.protocol, b.len()) };
        let mut sum = checksum(&[&pseudo, &b]);
        if sum == 0 && packet.protocol == UDP {
            sum = 0xffff; // 0 means "no checksum" in UDP
        }
        b[at..at + 2].copy_from_slice(&sum.to_be_bytes());
    }
    b
}

fn pseudo_header(src: IpAddr, dst: IpAddr, protocol: u8, len: usize) -> Vec<u8> {
    let mut p = Vec::with_capacity(40);
    match (src, dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) => {
            p.extend_from_slice(&s.octets());
            p.extend_from_slice(&d.octets());
            p.extend_from_slice(&[0, protocol]);
            p.extend_from_slice(&(len as u16).to_be_bytes());
        }
        (IpAddr::V6(s), IpAddr::V6(d)) => {
            p.extend_from_slice(&s.octets());
            p.extend_from_slice(&d.octets());
            p.extend_from_slice(&(len as u32).to_be_bytes());
            p.extend_from_slice(&[0, 0, 0, protocol]);
        }
        _ => {}
    }
    p
}

/// The Internet checksum (RFC 1071) over the concatenation of `parts`; each part but the last is
/// of even length here (headers), so parts are summed as one byte stream.
pub fn checksum(parts: &[&[u8]]) -> u16 {
    let mut sum: u32 = 0;
    let mut odd: Option<u8> = None;
    for byte in parts.iter().flat_map(|p| p.iter().copied()) {
        match odd.take() {
            Some(hi) => sum += u32::from(u16::from_be_bytes([hi, byte])),
            None => odd = Some(byte),
        }
    }
    if let Some(hi) = odd {
        sum += u32::from(u16::from_be_bytes([hi, 0]));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sgplay_core::packet::TcpFlags;

    fn syn(src: &str, dst: &str) -> Packet {
        let mut p = Packet::opening(src.parse().unwrap(), dst.parse().unwrap(), TCP, 22);
        p.tcp_flags = TcpFlags::SYN;
        p
    }

    #[test]
    fn a_datagram_checksums_to_zero() {
        // Summing a header with its checksum in place gives 0 (RFC 1071).
        let d = datagram(&syn("10.0.0.10", "10.0.0.11"), TcpNumbers { seq: 7, ack: 0 });
        assert_eq!(d.len(), 40);
        assert_eq!(checksum(&[&d[..20]]), 0, "IPv4 header");
        let pseudo = pseudo_header(d[12..16].try_into().map(|a: [u8; 4]| IpAddr::from(a)).unwrap(), "10.0.0.11".parse().unwrap(), TCP, 20);
        assert_eq!(checksum(&[&pseudo, &d[20..]]), 0, "TCP segment");
        assert_eq!(d[33], TcpFlags::SYN.bits());
    }

    #[test]
    fn an_icmp_error_embeds_the_header_it_reports_on() {
        let inner = syn("fd00::10", "fd00::11");
        let mut err = Packet::opening("fd00::11".parse().unwrap(), "fd00::10".parse().unwrap(), ICMPV6, 0);
        err.icmp_type = 1;
        err.icmp_code = 4;
        err.embedded = Some(Box::new(inner));
        let d = datagram(&err, TcpNumbers::default());
        assert_eq!(d[6], ICMPV6);
        // 40 (IPv6) + 8 (ICMPv6 header) + 40 (embedded IPv6 header) + 8 (first bytes of its TCP header)
        assert_eq!(d.len(), 96);
        assert_eq!(&d[48 + 40..48 + 42], &49152u16.to_be_bytes(), "the embedded source port");
        let pseudo = pseudo_header("fd00::11".parse().unwrap(), "fd00::10".parse().unwrap(), ICMPV6, 56);
        assert_eq!(checksum(&[&pseudo, &d[40..]]), 0);
    }
}
