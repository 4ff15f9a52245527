//! Packets as plain data: what the matcher and the connection tracker look at.

use crate::model::protocol::{protocol_name, ICMP, ICMPV6, TCP, UDP};
use crate::model::Ethertype;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;

/// TCP header flags the tracker classifies packets by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TcpFlags(u8);

impl TcpFlags {
    pub const FIN: TcpFlags = TcpFlags(0x01);
    pub const SYN: TcpFlags = TcpFlags(0x02);
    pub const RST: TcpFlags = TcpFlags(0x04);
    pub const PSH: TcpFlags = TcpFlags(0x08);
    pub const ACK: TcpFlags = TcpFlags(0x10);
    pub const SYN_ACK: TcpFlags = TcpFlags(0x12);
    const NAMES: [(TcpFlags, &'static str); 5] =
        [(Self::SYN, "syn"), (Self::ACK, "ack"), (Self::FIN, "fin"), (Self::RST, "rst"), (Self::PSH, "psh")];

    pub const fn empty() -> TcpFlags {
        TcpFlags(0)
    }

    pub fn contains(self, other: TcpFlags) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn union(self, other: TcpFlags) -> TcpFlags {
        TcpFlags(self.0 | other.0)
    }

    pub fn bits(self) -> u8 {
        self.0
    }

    /// Parses `syn`, `syn,ack`, `SYN|ACK`, `fin+ack`, `rst`.
    pub fn parse(text: &str) -> Result<TcpFlags, String> {
        let mut flags = TcpFlags::empty();
        for part in text.split([',', '|', '+', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
            let lower = part.to_ascii_lowercase();
            match Self::NAMES.iter().find(|(_, n)| *n == lower) {
                Some((f, _)) => flags = flags.union(*f),
                None => return Err(format!("`{part}` is not a TCP flag; use syn, ack, fin, rst or psh, e.g. `syn,ack`")),
            }
        }
        Ok(flags)
    }
}

impl fmt::Display for TcpFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Self::NAMES.iter().filter(|(fl, _)| self.contains(*fl)).map(|(_, n)| *n).collect();
        if names.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&names.join(","))
        }
    }
}

impl Serialize for TcpFlags {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for TcpFlags {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if text == "none" {
            return Ok(TcpFlags::empty());
        }
        TcpFlags::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// One IP packet. `src` and `dst` are of the same family.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Packet {
    pub src: IpAddr,
    pub dst: IpAddr,
    /// IP protocol number (6 tcp, 17 udp, 1 icmp, 58 icmpv6, 47 gre, …).
    pub protocol: u8,
    /// TCP/UDP source port; 0 for other protocols.
    pub src_port: u16,
    /// TCP/UDP destination port: the port rules match; 0 for other protocols.
    pub dst_port: u16,
    /// ICMP type, code and echo identifier; zero for other protocols.
    pub icmp_type: u8,
    pub icmp_code: u8,
    pub icmp_id: u16,
    pub tcp_flags: TcpFlags,
    /// For an ICMP error (destination unreachable, packet too big, time exceeded, …): the header
    /// of the packet it reports on, which ties it to that packet's connection (RELATED).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embedded: Option<Box<Packet>>,
}

impl Packet {
    pub fn family(&self) -> Ethertype {
        Ethertype::of(self.src)
    }

    pub fn has_ports(&self) -> bool {
        matches!(self.protocol, TCP | UDP)
    }

    pub fn is_icmp(&self) -> bool {
        matches!(self.protocol, ICMP | ICMPV6)
    }

    /// The opening packet of a connection from `src` to `dst`: a TCP SYN, a UDP datagram from
    /// an ephemeral port, an ICMP (ICMPv6 on IPv6) echo request, or a packet of another
    /// protocol. `icmp` and `icmpv6` follow the family; the port counts for TCP and UDP only.
    pub fn opening(src: IpAddr, dst: IpAddr, protocol: u8, port: u16) -> Packet {
        let six = src.is_ipv6();
        let protocol = match protocol {
            ICMP if six => ICMPV6,
            ICMPV6 if !six => ICMP,
            p => p,
        };
        let icmp = matches!(protocol, ICMP | ICMPV6);
        let ported = matches!(protocol, TCP | UDP);
        Packet {
            src,
            dst,
            protocol,
            src_port: if ported { 49152 } else { 0 },
            dst_port: if ported { port } else { 0 },
            icmp_type: match (icmp, six) {
                (true, false) => 8,
                (true, true) => 128,
                _ => 0,
            },
            icmp_code: 0,
            icmp_id: u16::from(icmp),
            tcp_flags: if protocol == TCP { TcpFlags::SYN } else { TcpFlags::empty() },
            embedded: None,
        }
    }

    /// The packet a reply to this one would be: addresses and ports swapped. For ICMP echo the
    /// reply type is 0 (IPv4) or 129 (IPv6); for TCP the flags are the natural answer
    /// (SYN → SYN-ACK, anything else → ACK).
    pub fn reply(&self) -> Packet {
        let mut r = self.clone();
        std::mem::swap(&mut r.src, &mut r.dst);
        std::mem::swap(&mut r.src_port, &mut r.dst_port);
        if self.is_icmp() {
            r.icmp_type = match (self.protocol, self.icmp_type) {
                (ICMP, 8) => 0,
                (ICMPV6, 128) => 129,
                (_, t) => t,
            };
        }
        if self.protocol == TCP {
            r.tcp_flags = if self.tcp_flags == TcpFlags::SYN { TcpFlags::SYN_ACK } else { TcpFlags::ACK };
        }
        r
    }
}

impl fmt::Display for Packet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let proto = protocol_name(self.protocol);
        if self.has_ports() {
            write!(f, "{proto} {}:{} → {}:{}", fmt_addr(self.src), self.src_port, fmt_addr(self.dst), self.dst_port)?;
            if self.protocol == TCP {
                write!(f, " [{}]", self.tcp_flags)?;
            }
            Ok(())
        } else if self.is_icmp() {
            write!(f, "{proto} {} → {} type {} code {}", self.src, self.dst, self.icmp_type, self.icmp_code)?;
            match &self.embedded {
                Some(inner) => write!(f, " about [{inner}]"),
                None => Ok(()),
            }
        } else {
            write!(f, "{proto} {} → {}", self.src, self.dst)
        }
    }
}

fn fmt_addr(addr: IpAddr) -> String {
    match addr {
        IpAddr::V4(a) => a.to_string(),
        IpAddr::V6(a) => format!("[{a}]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_round_trip() {
        let f = TcpFlags::parse("SYN|ACK").unwrap();
        assert_eq!(f, TcpFlags::SYN_ACK);
        assert_eq!(f.to_string(), "syn,ack");
        assert!(TcpFlags::parse("urgent").unwrap_err().contains("`urgent`"));
    }
}
