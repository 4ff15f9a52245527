//! A packet as a person describes it: from where, to where, protocol, port. `resolve` turns it
//! into a `Packet` against a world (instance ids become addresses).

use crate::diagnostic::Problem;
use crate::model::protocol::{ICMP, ICMPV6, TCP, UDP};
use crate::model::{parse_protocol, protocol_name, Ethertype, ProtocolMatch, World};
use crate::packet::{Packet, TcpFlags};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// Ephemeral source port used when none is given.
pub const DEFAULT_SOURCE_PORT: u16 = 49152;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeSpec {
    /// An instance id (or name) or an IP address. An address outside the world is the Internet;
    /// a virtual IP or EIP belongs to its instance.
    pub from: String,
    pub to: String,
    /// `tcp`, `udp`, `icmp`, `icmpv6`, `gre` or a protocol number.
    pub protocol: String,
    /// Destination port, for tcp and udp.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "numbers::port")]
    pub port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "numbers::src_port")]
    pub src_port: Option<u16>,
    /// `IPv4` or `IPv6`, to pick an instance's address when neither side is an address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// ICMP type and code; echo request by default.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "numbers::icmp_type")]
    pub icmp_type: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "numbers::icmp_code")]
    pub icmp_code: Option<u8>,
    /// TCP flags, `syn` (a new connection) by default: `ack`, `syn,ack`, `fin,ack`, `rst`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<String>,
}

/// The packet's numbers, read with messages that name the field: a check's packet fields are
/// flattened into the check, where serde's own message would only say "expected u16" at the
/// check's closing brace.
mod numbers {
    use serde::de::{Deserializer, Error, Visitor};
    use std::fmt;

    struct Number {
        field: &'static str,
        max: u64,
    }

    impl Number {
        fn wrong<E: Error>(&self, what: String) -> E {
            E::custom(format!("`{}` is {what}; it takes a whole number from 0 to {}", self.field, self.max))
        }
    }

    impl<'de> Visitor<'de> for Number {
        type Value = Option<u64>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "`{}`: a whole number from 0 to {}", self.field, self.max)
        }

        fn visit_u64<E: Error>(self, v: u64) -> Result<Self::Value, E> {
            if v <= self.max {
                Ok(Some(v))
            } else {
                Err(self.wrong(format!("{v}, too large")))
            }
        }

        fn visit_i64<E: Error>(self, v: i64) -> Result<Self::Value, E> {
            u64::try_from(v).map_err(|_| self.wrong(format!("{v}, below 0"))).and_then(|v| self.visit_u64(v))
        }

        fn visit_f64<E: Error>(self, v: f64) -> Result<Self::Value, E> {
            Err(self.wrong(format!("{v}, not a whole number")))
        }

        fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
            Err(self.wrong(format!("the text \"{}\" (write numbers without quotes)", crate::diagnostic::shortened(v))))
        }

        fn visit_bool<E: Error>(self, v: bool) -> Result<Self::Value, E> {
            Err(self.wrong(format!("`{v}`")))
        }

        fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(self.wrong("a list".into()))
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(self.wrong("an object".into()))
        }
    }

    fn read<'de, D: Deserializer<'de>>(d: D, field: &'static str, max: u64) -> Result<Option<u64>, D::Error> {
        d.deserialize_option(Number { field, max })
    }

    pub fn port<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
        Ok(read(d, "port", 65535)?.map(|n| n as u16))
    }

    pub fn src_port<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
        Ok(read(d, "src_port", 65535)?.map(|n| n as u16))
    }

    pub fn icmp_type<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u8>, D::Error> {
        Ok(read(d, "icmp_type", 255)?.map(|n| n as u8))
    }

    pub fn icmp_code<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u8>, D::Error> {
        Ok(read(d, "icmp_code", 255)?.map(|n| n as u8))
    }
}

fn bad(field: &str, value: &str, message: String) -> Problem {
    Problem::error(field, "packet", field, value, message)
}

impl ProbeSpec {
    /// Every problem with the description, at once.
    pub fn resolve(&self, world: &World) -> Result<Packet, Vec<Problem>> {
        let mut problems = Vec::new();
        let family = match self.family.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(f) if f.eq_ignore_ascii_case("ipv4") || f == "4" => Some(Ethertype::IPv4),
            Some(f) if f.eq_ignore_ascii_case("ipv6") || f == "6" => Some(Ethertype::IPv6),
            Some(f) => {
                problems.push(bad("family", f, "must be `IPv4` or `IPv6`".into()));
                None
            }
        };
        // An address on either side fixes the family for the other.
        let literal = |s: &str| s.trim().parse::<IpAddr>().ok();
        // A family that contradicts an address given would be silently ignored: say so.
        if let Some(asked) = family {
            for (field, text) in [("from", &self.from), ("to", &self.to)] {
                if let Some(addr) = literal(text).filter(|a| Ethertype::of(*a) != asked) {
                    problems.push(bad(
                        "family",
                        &asked.to_string(),
                        format!(
                            "contradicts `{field}`, the {} address `{addr}`; leave `family` out when an end is an address",
                            Ethertype::of(addr)
                        ),
                    ));
                }
            }
        }
        let family = family.or_else(|| literal(&self.from).map(Ethertype::of)).or_else(|| literal(&self.to).map(Ethertype::of));
        let src = endpoint(world, "from", &self.from, family, &mut problems);
        let dst = endpoint(world, "to", &self.to, family.or(src.map(Ethertype::of)), &mut problems);
        if let (Some(s), Some(d)) = (src, dst) {
            if Ethertype::of(s) != Ethertype::of(d) {
                problems.push(bad(
                    "to",
                    &self.to,
                    format!("is {} but `from` is {}; both ends must be the same family", Ethertype::of(d), Ethertype::of(s)),
                ));
            }
        }
        let protocol = match parse_protocol(&self.protocol) {
            Some(ProtocolMatch::Number(n)) => Some(n),
            Some(ProtocolMatch::Any) => {
                problems.push(bad(
                    "protocol",
                    &self.protocol,
                    "a packet has one protocol: `tcp`, `udp`, `icmp`, `icmpv6`, `gre` or a number".into(),
                ));
                None
            }
            None => {
                problems.push(bad(
                    "protocol",
                    &self.protocol,
                    "is not a protocol: use `tcp`, `udp`, `icmp`, `icmpv6`, `gre` or a number 0-255".into(),
                ));
                None
            }
        };
        let fam = src.map(Ethertype::of);
        match (protocol, fam) {
            (Some(ICMP), Some(Ethertype::IPv6)) => problems.push(bad("protocol", "icmp", "the packet is IPv6: use `icmpv6`".into())),
            (Some(ICMPV6), Some(Ethertype::IPv4)) => problems.push(bad("protocol", "icmpv6", "the packet is IPv4: use `icmp`".into())),
            _ => {}
        }
        let has_ports = matches!(protocol, Some(TCP | UDP));
        match (has_ports, self.port) {
            (true, None) => {
                problems.push(bad("port", "", format!("{} needs a destination port 1-65535", protocol_name(protocol.unwrap_or(TCP)))))
            }
            (true, Some(0)) => problems.push(bad("port", "0", "must be 1-65535".into())),
            (false, Some(p)) if protocol.is_some() => problems.push(bad(
                "port",
                &p.to_string(),
                format!("{} has no ports; leave the port out", protocol_name(protocol.unwrap_or(0))),
            )),
            _ => {}
        }
        if !matches!(protocol, Some(ICMP | ICMPV6) | None) {
            for (field, value) in [("icmp_type", self.icmp_type), ("icmp_code", self.icmp_code)] {
                if let Some(v) = value {
                    let protocol = protocol_name(protocol.unwrap_or(0));
                    problems.push(bad(field, &v.to_string(), format!("applies to icmp and icmpv6 packets only, not `{protocol}`")));
                }
            }
        }
        let tcp_flags = match (&self.flags, protocol) {
            (Some(f), Some(TCP)) => TcpFlags::parse(f).unwrap_or_else(|m| {
                problems.push(bad("flags", f, m));
                TcpFlags::empty()
            }),
            (Some(f), Some(_)) if !f.trim().is_empty() => {
                problems.push(bad("flags", f, "TCP flags apply to tcp packets only".into()));
                TcpFlags::empty()
            }
            (None, Some(TCP)) => TcpFlags::SYN,
            _ => TcpFlags::empty(),
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let (Some(src), Some(dst), Some(protocol)) = (src, dst, protocol) else {
            return Err(problems);
        };
        let is_icmp = matches!(protocol, ICMP | ICMPV6);
        let echo_request = if protocol == ICMPV6 { 128 } else { 8 };
        Ok(Packet {
            src,
            dst,
            protocol,
            src_port: if has_ports { self.src_port.unwrap_or(DEFAULT_SOURCE_PORT) } else { 0 },
            dst_port: if has_ports { self.port.unwrap_or(0) } else { 0 },
            icmp_type: if is_icmp { self.icmp_type.unwrap_or(echo_request) } else { 0 },
            icmp_code: if is_icmp { self.icmp_code.unwrap_or(0) } else { 0 },
            icmp_id: if is_icmp { self.src_port.unwrap_or(1) } else { 0 },
            tcp_flags,
            embedded: None,
        })
    }
}

impl ProbeSpec {
    /// The description that resolves back to `packet` (the ICMP error's embedded header aside):
    /// each end as its instance's id when it is that instance's private address of its family
    /// (the tester's menus show instances), else as the address itself.
    pub fn for_packet(world: &World, packet: &Packet) -> ProbeSpec {
        let end = |addr: IpAddr| match world.owner_of(addr) {
            Some((inst, _)) if inst.private_ip(Ethertype::of(addr)) == Some(addr) => inst.id.clone(),
            _ => addr.to_string(),
        };
        let is_icmp = matches!(packet.protocol, ICMP | ICMPV6);
        let has_ports = matches!(packet.protocol, TCP | UDP);
        let echo_request = if packet.protocol == ICMPV6 { 128 } else { 8 };
        ProbeSpec {
            from: end(packet.src),
            to: end(packet.dst),
            protocol: protocol_name(packet.protocol),
            port: has_ports.then_some(packet.dst_port),
            src_port: if has_ports { Some(packet.src_port) } else { (is_icmp && packet.icmp_id != 1).then_some(packet.icmp_id) },
            // Both ends are instances: the family says which of their addresses.
            family: Some(Ethertype::of(packet.src).to_string()),
            icmp_type: (is_icmp && packet.icmp_type != echo_request).then_some(packet.icmp_type),
            icmp_code: (is_icmp && packet.icmp_code != 0).then_some(packet.icmp_code),
            flags: (packet.protocol == TCP && packet.tcp_flags != TcpFlags::SYN).then(|| packet.tcp_flags.to_string()),
        }
    }
}

/// An address, or the address of the instance named, in `family` when known.
fn endpoint(world: &World, field: &str, text: &str, family: Option<Ethertype>, problems: &mut Vec<Problem>) -> Option<IpAddr> {
    let text = text.trim();
    if text.is_empty() {
        problems.push(bad(field, "", "is required: an instance id or an IP address".into()));
        return None;
    }
    if let Ok(addr) = text.parse::<IpAddr>() {
        return Some(addr);
    }
    let mut named = world.instances.iter().filter(|i| i.name == text);
    let by_name = match (named.next(), named.next()) {
        (Some(first), Some(second)) if world.instance(text).is_none() => {
            problems.push(bad(
                field,
                text,
                format!("is the name of several instances (`{}`, `{}` …); use an instance id", first.id, second.id),
            ));
            return None;
        }
        (first, _) => first,
    };
    let Some(inst) = world.instance(text).or(by_name) else {
        let known = crate::diagnostic::known_ids(world.instances.iter().map(|i| i.id.as_str()));
        problems.push(bad(field, text, format!("is neither an IP address nor an instance id; instances: {known}")));
        return None;
    };
    let chosen = match family {
        Some(f) => inst.private_ip(f),
        None => inst.private_ip(Ethertype::IPv4).or_else(|| inst.private_ip(Ethertype::IPv6)),
    };
    if chosen.is_none() {
        let f = family.map_or("any".to_string(), |f| f.to_string());
        problems.push(bad(field, text, format!("instance has no {f} private address")));
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioSpec;

    fn world() -> World {
        let text = include_str!("../../../tests/scenarios/huawei/overview-sg-a-sg-b.json");
        ScenarioSpec::parse(text).unwrap().build().unwrap().world
    }

    fn packet(src: &str, dst: &str, protocol: u8) -> Packet {
        let mut p = Packet::opening(src.parse().unwrap(), dst.parse().unwrap(), protocol, 22);
        if matches!(protocol, TCP | UDP) {
            p.src_port = 50123;
        }
        p
    }

    #[test]
    fn a_packet_described_resolves_back_to_itself() {
        let w = world();
        let mut error = packet("172.16.0.8", "192.168.0.10", ICMP);
        error.icmp_type = 3;
        error.icmp_code = 4;
        let mut syn_ack = packet("192.168.1.10", "192.168.0.10", TCP);
        syn_ack.tcp_flags = TcpFlags::SYN_ACK;
        for p in [
            packet("192.168.0.10", "192.168.1.10", TCP),
            packet("203.0.113.9", "192.168.0.11", UDP),
            error,
            syn_ack,
            packet("192.168.0.10", "8.8.8.8", ICMP),
        ] {
            let described = ProbeSpec::for_packet(&w, &p);
            assert_eq!(described.resolve(&w).as_ref(), Ok(&p), "{described:?}");
        }
        let d = ProbeSpec::for_packet(&w, &packet("192.168.0.10", "192.168.1.10", TCP));
        assert_eq!((d.from.as_str(), d.to.as_str(), d.flags.as_deref()), ("ecs-a01", "ecs-b01", None));
    }
}
