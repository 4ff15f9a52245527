//! Find a packet: for a question (from a set of sources, to a set of instances, a protocol, a
//! port set, allowed or denied), an example packet with that verdict, or the proof that none
//! exists.
//!
//! ## Why the search is a proof
//! For a fixed destination address, a packet's verdict depends on its source only through the
//! instance holding it (if any) and the rule intervals containing it, and on its port only
//! through the rules' port ranges. The matcher's address classes cut the address space at every
//! rule interval end and every held address; the ports are cut at every rule's port range ends;
//! protocols are the ones rules name plus one they do not. So one source address per class (per
//! interval of the source set), one port per run and one protocol per slot stand for every
//! packet: trying all of them with the compiled matcher either finds a packet or shows there is
//! none. Two addresses of one instance are never a pair (their traffic is not filtered).
//!
//! Cost: destinations × source classes × port runs × protocols matcher verdicts, bounded by
//! [`SEARCH_BUDGET`]; a question beyond it is answered "not decided", never "none".

use crate::eval::Verdict;
use crate::matcher::shape::{addr_number, family_max, number_to_addr};
use crate::matcher::Matcher;
use crate::model::protocol::{ICMP, ICMPV6, TCP, UDP};
use crate::model::{parse_ports, parse_protocol, Ethertype, ProtocolMatch, World};
use crate::packet::Packet;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::net::IpAddr;

/// At most this many packets are tried for one question.
pub const SEARCH_BUDGET: usize = 20_000_000;

/// Where packets may come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sources {
    /// Every address of a block.
    Block(IpNet),
    /// The instance's private addresses.
    Instance(usize),
    /// The private addresses of the group's members.
    Group(String),
    /// Every address outside the modelled VPCs.
    Internet,
}

/// Where packets go: the private addresses of these instances.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destinations {
    Instance(usize),
    Group(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub from: Sources,
    pub to: Destinations,
    /// `None`: any protocol.
    pub protocol: Option<u8>,
    /// Destination port ranges for TCP and UDP; `None`: any port.
    pub ports: Option<Vec<(u16, u16)>>,
    pub verdict: Verdict,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "answer")]
pub enum Answer {
    Found {
        packet: Packet,
    },
    /// Proven: no packet of the question has the verdict.
    NoneExists {
        tried: usize,
    },
    /// The search would exceed [`SEARCH_BUDGET`]: narrow the question.
    NotDecided {
        budget: usize,
    },
}

/// A question as people type it (the CLI's flags, the page's form): each part a text, parsed
/// against a world by [`QuestionText::parse`], which names every part that is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionText {
    /// `internet`, a CIDR block or address, an instance (id or name) or a security group id.
    pub from: String,
    /// An instance (id or name) or a security group id (its members).
    pub to: String,
    /// `tcp`, `udp`, `icmp`, `icmpv6`, `gre`, a number 0–255; empty, `any` or `all`: any.
    pub protocol: String,
    /// `22`, `8000-8999`, `80,443`; empty: every port.
    pub ports: String,
    pub verdict: Verdict,
}

/// The part of a [`QuestionText`] a problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionField {
    From,
    To,
    Protocol,
    Ports,
}

impl QuestionText {
    /// The question, or every problem at once, each with its part and what would be right.
    pub fn parse(&self, world: &World) -> Result<Question, Vec<(QuestionField, String)>> {
        let mut problems = Vec::new();
        let from = parse_sources(world, &self.from).map_err(|e| problems.push((QuestionField::From, e))).ok();
        let to = parse_destinations(world, &self.to).map_err(|e| problems.push((QuestionField::To, e))).ok();
        let protocol = match parse_protocol(&self.protocol) {
            Some(ProtocolMatch::Any) => None,
            Some(ProtocolMatch::Number(n)) => Some(n),
            None => {
                let shown = self.protocol.trim();
                problems.push((
                    QuestionField::Protocol,
                    format!("`{shown}` is not a protocol: use tcp, udp, icmp, icmpv6, gre, any or a number 0-255"),
                ));
                None
            }
        };
        let ports = match parse_ports(&self.ports) {
            Ok(set) if set.is_all() => None,
            Ok(set) => Some(set.elements().iter().map(|r| (r.first, r.last)).collect::<Vec<_>>()),
            Err(e) => {
                problems.push((QuestionField::Ports, format!("`{}`: {}", e.element, e.reason)));
                None
            }
        };
        if ports.is_some() && protocol.is_some_and(|p| !ProtocolMatch::Number(p).has_ports()) {
            problems.push((QuestionField::Ports, "only tcp and udp have ports: leave the ports empty, or ask for tcp or udp".into()));
        }
        match (from, to) {
            (Some(from), Some(to)) if problems.is_empty() => Ok(Question { from, to, protocol, ports, verdict: self.verdict }),
            _ => Err(problems),
        }
    }
}

/// A set name as users write it: `internet`, a CIDR block or address, an instance id or name,
/// or a security group id.
pub fn parse_sources(world: &World, text: &str) -> Result<Sources, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("internet") {
        return Ok(Sources::Internet);
    }
    if let Ok(net) = text.parse::<IpNet>() {
        return Ok(Sources::Block(net.trunc()));
    }
    if let Ok(addr) = text.parse::<IpAddr>() {
        return Ok(Sources::Block(IpNet::from(addr)));
    }
    if let Some(i) = instance_index(world, text) {
        return Ok(Sources::Instance(i));
    }
    if world.group(text).is_some() {
        return Ok(Sources::Group(text.to_string()));
    }
    Err(format!("`{text}` is not `internet`, a CIDR block, an instance or a security group of the scenario"))
}

pub fn parse_destinations(world: &World, text: &str) -> Result<Destinations, String> {
    let text = text.trim();
    if let Some(i) = instance_index(world, text) {
        return Ok(Destinations::Instance(i));
    }
    if world.group(text).is_some() {
        return Ok(Destinations::Group(text.to_string()));
    }
    Err(format!("`{text}` is not an instance or a security group of the scenario"))
}

fn instance_index(world: &World, text: &str) -> Option<usize> {
    world.instances.iter().position(|i| i.id == text).or_else(|| world.instances.iter().position(|i| i.name == text))
}

/// Answers `question` in `world`; `matcher` must be built from it.
pub fn find(world: &World, matcher: &Matcher, question: &Question) -> Answer {
    let destinations: Vec<usize> = match &question.to {
        Destinations::Instance(i) => vec![*i],
        Destinations::Group(g) => {
            world.instances.iter().enumerate().filter(|(_, i)| i.security_groups.contains(g)).map(|(n, _)| n).collect()
        }
    };
    let protocols = protocols(world, question.protocol);
    let mut tried = 0usize;
    for family in [Ethertype::IPv4, Ethertype::IPv6] {
        let sources = source_addresses(world, matcher, &question.from, family);
        let ports = ports(world, question.ports.as_deref());
        for &d in &destinations {
            let Some(dst) = world.instances[d].private_ip(family) else { continue };
            let work = sources.len().saturating_mul(protocols.len()).saturating_mul(ports.len());
            if tried.saturating_add(work) > SEARCH_BUDGET {
                return Answer::NotDecided { budget: SEARCH_BUDGET };
            }
            for &src in &sources {
                if world.instances[d].address_kind(src).is_some() {
                    continue; // one instance's own traffic is not a pair
                }
                for &protocol in &protocols {
                    let ported = matches!(protocol, TCP | UDP);
                    for &port in if ported { ports.as_slice() } else { &[0u16][..] } {
                        let packet = Packet::opening(src, dst, protocol, port);
                        tried += 1;
                        if matcher.decide(&packet) == question.verdict {
                            return Answer::Found { packet };
                        }
                    }
                }
            }
        }
    }
    Answer::NoneExists { tried }
}

/// The protocols to try: the one asked, or every protocol a rule names, TCP and UDP, and one
/// no rule names (all the others behave like it).
fn protocols(world: &World, asked: Option<u8>) -> Vec<u8> {
    if let Some(p) = asked {
        return vec![p];
    }
    let mut named: BTreeSet<u8> = BTreeSet::new();
    for rule in world.security_groups.iter().flat_map(|g| &g.rules) {
        if let ProtocolMatch::Number(n) = rule.protocol {
            named.insert(n);
        }
    }
    // The usual ones first, so an example reads naturally; the unnamed representative last.
    let mut out = vec![TCP, UDP, ICMP];
    let others: Vec<u8> = named.iter().copied().filter(|p| ![TCP, UDP, ICMP].contains(p)).collect();
    out.extend(others);
    if let Some(other) = (0..=255u8).find(|p| !out.contains(p) && *p != ICMPV6) {
        out.push(other);
    }
    out
}

/// One port per run: the asked ranges cut at every rule's port range ends.
fn ports(world: &World, asked: Option<&[(u16, u16)]>) -> Vec<u16> {
    let asked: Vec<(u16, u16)> = asked.map_or(vec![(1, u16::MAX)], <[_]>::to_vec);
    let mut cuts: BTreeSet<u16> = asked.iter().map(|&(a, _)| a).collect();
    for rule in world.security_groups.iter().flat_map(|g| &g.rules) {
        for r in rule.ports.elements() {
            cuts.insert(r.first);
            if let Some(next) = r.last.checked_add(1) {
                cuts.insert(next);
            }
        }
    }
    cuts.into_iter().filter(|p| asked.iter().any(|&(a, b)| a <= *p && *p <= b)).collect()
}

/// One address per address class inside each interval of the source set.
fn source_addresses(world: &World, matcher: &Matcher, sources: &Sources, family: Ethertype) -> Vec<IpAddr> {
    let of_family = |a: &IpAddr| Ethertype::of(*a) == family;
    let intervals: Vec<(u128, u128)> = match sources {
        Sources::Instance(i) => return world.instances[*i].private_ips.iter().copied().filter(of_family).collect(),
        Sources::Group(g) => return world.members(g).flat_map(|i| i.private_ips.iter().copied()).filter(of_family).collect(),
        Sources::Block(net) if Ethertype::of(net.addr()) == family => vec![(addr_number(net.network()), addr_number(net.broadcast()))],
        Sources::Block(_) => return Vec::new(),
        Sources::Internet => outside_vpcs(world, family),
    };
    let mut out = Vec::new();
    for (first, last) in matcher.address_classes(family) {
        for &(a, b) in &intervals {
            if first <= b && a <= last {
                out.push(number_to_addr(first.max(a), family));
            }
        }
    }
    out
}

/// The complement of the VPCs' blocks (IPv4 VPC CIDRs, IPv6 subnet CIDRs), as intervals.
fn outside_vpcs(world: &World, family: Ethertype) -> Vec<(u128, u128)> {
    let mut inside: Vec<(u128, u128)> = world
        .vpcs
        .iter()
        .flat_map(|v| std::iter::once(v.cidr).chain(v.subnets.iter().filter_map(|s| s.ipv6_cidr)))
        .filter(|n| Ethertype::of(n.addr()) == family)
        .map(|n| (addr_number(n.network()), addr_number(n.broadcast())))
        .collect();
    inside.sort_unstable();
    let mut out = Vec::new();
    let mut next = 0u128;
    let mut done = false;
    for (a, b) in inside {
        if a > next {
            out.push((next, a - 1));
        }
        match b.checked_add(1) {
            Some(n) => next = next.max(n),
            None => done = true,
        }
    }
    if !done && next <= family_max(family) {
        out.push((next, family_max(family)));
    }
    out
}
