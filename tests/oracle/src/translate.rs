//! # A world as nftables rulesets
//!
//! Each instance becomes one network namespace, and its security groups one nftables table,
//! `inet sgplay`, loaded there. The namespace's own conntrack table plays the instance's
//! connection table: the engine keeps one per instance too.
//!
//! ## The mapping
//! | engine (SEMANTICS §3–5) | nftables |
//! |---|---|
//! | the instance's inbound rules | chain `inbound`, hook `input` (the packet reaches the instance) |
//! | the instance's outbound rules | chain `outbound`, hook `output` (the instance sends it) |
//! | evaluation order: groups in sequence, priority, deny before allow, written order | the rules in the order [`instance_order`] gives, first match wins; the order is consumed, never re-derived here |
//! | "tracked connections pass without the rules" (replies, and the opener's further packets) | `ct state established,related accept`, then `ct status confirmed accept`: the kernel calls a packet NEW until a reply is seen, even on an entry it already holds; `confirmed` is that entry |
//! | ICMP errors about a tracked connection (RELATED) | `ct state related`, in the same rule |
//! | invalid packets (a SYN-ACK or an echo reply out of nowhere, an error about nothing tracked) are dropped before the rules | `ct state invalid drop`, ahead of the rules (after loopback) |
//! | traffic between two addresses of one instance is neither filtered nor tracked | `iif "lo" accept` / `oif "lo" accept` (the kernel routes it over loopback), and `notrack` for loopback in chains at the `raw` priority, ahead of conntrack |
//! | ethertype | `meta nfproto ipv4` / `ipv6` |
//! | protocol (empty = all) | `meta l4proto N` (after IPv6 extension headers) |
//! | ports (TCP and UDP only) | `th dport { a-b, … }`, the ranges merged |
//! | `remote_ip_prefix` | `ip saddr` / `ip6 saddr` (inbound), `ip daddr` / `ip6 daddr` (outbound) |
//! | `remote_group_id` G | a named set `sgN_v4` / `sgN_v6`: the **private** addresses of G's members (virtual IPs do not count), resolved as the engine resolves them |
//! | `remote_address_group_id` | a named interval set `agN`: the group's entries (addresses, blocks, ranges), merged |
//! | nothing matched: deny | a last `drop` |
//!
//! An instance with no security group gets no table: its traffic is not filtered, as the engine
//! says. One line belongs to the harness, not the world: `meta l4proto 253 accept` lets the
//! sentinel packets through (protocol 253 is reserved for experiments and never in a world).
//!
//! ## What is not translated, and why
//! The comparison runs on worlds without EIPs, NAT gateways or load balancers
//! ([`crate::comparable`]): the engine's EIP path rewrites the source the destination sees
//! (SNAT through the sender's EIP or its subnet's NAT gateway), and a load balancer with Transfer
//! Client IP Address skips its backends' rules; both are Huawei's data path, not netfilter's.
//! VPC peering and several VPCs are left out for the same reason (routing, not filtering).

use sgplay_core::eval::instance_order;
use sgplay_core::model::{Action, AddressEntry, Direction, Ethertype, Instance, ProtocolMatch, Remote, Rule, World};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::net::IpAddr;

/// The nftables table name in every instance namespace.
pub const TABLE: &str = "sgplay";

/// A deliberate error, for the self-check: the rule at this position of this instance's chain is
/// written with the opposite action. The harness must then see mismatches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flip {
    pub instance_id: String,
    pub direction: Direction,
    /// Position in the instance's evaluation order for that direction.
    pub position: usize,
}

/// The nft script that replaces the instance's table atomically (one transaction: the table is
/// declared, deleted and written again, so a reload never leaves a moment without rules).
/// `None` when the instance has no security group: nothing filters it.
pub fn instance_ruleset(world: &World, instance: &Instance, flip: Option<&Flip>) -> Option<String> {
    if instance.security_groups.iter().all(|g| world.group(g).is_none()) {
        return None;
    }
    let mut sets = BTreeMap::new();
    let mut chains = String::new();
    for (direction, name, hook, lo) in [(Direction::Ingress, "inbound", "input", "iif"), (Direction::Egress, "outbound", "output", "oif")] {
        let _ = writeln!(chains, "  chain {name} {{\n    type filter hook {hook} priority filter; policy accept;");
        let _ = writeln!(chains, "    {lo} \"lo\" accept comment \"inside one instance: not filtered\"");
        let _ = writeln!(chains, "    ct state invalid drop");
        let _ = writeln!(chains, "    meta l4proto {} accept comment \"harness sentinel\"", crate::wire::SENTINEL_PROTOCOL);
        let _ = writeln!(chains, "    ct state established,related accept");
        let _ = writeln!(chains, "    ct status confirmed accept comment \"tracked, not yet replied\"");
        for (position, ranked) in instance_order(world, instance, direction).iter().enumerate() {
            let flipped = flip.is_some_and(|f| f.instance_id == instance.id && f.direction == direction && f.position == position);
            let line = rule_line(world, ranked.rule, &mut sets, flipped);
            let _ = writeln!(chains, "    {line} comment \"{}/{}\"", ranked.group.id, ranked.rule.id);
        }
        let _ = writeln!(chains, "    counter drop comment \"no rule matched: deny\"\n  }}");
    }
    let mut out = format!("table inet {TABLE} {{}}\ndelete table inet {TABLE}\ntable inet {TABLE} {{\n");
    for (name, (family, elements)) in &sets {
        let kind = if *family == Ethertype::IPv4 { "ipv4_addr" } else { "ipv6_addr" };
        let _ = write!(out, "  set {name} {{\n    type {kind}; flags interval;\n");
        if !elements.is_empty() {
            let _ = writeln!(out, "    elements = {{ {} }}", elements.join(", "));
        }
        out.push_str("  }\n");
    }
    out.push_str("  chain loopback_out {\n    type filter hook output priority raw;\n    oif \"lo\" notrack\n  }\n");
    out.push_str("  chain loopback_in {\n    type filter hook prerouting priority raw;\n    iif \"lo\" notrack\n  }\n");
    out.push_str(&chains);
    out.push_str("}\n");
    Some(out)
}

/// One rule as an nft rule: family, protocol, ports, remote, verdict.
fn rule_line(world: &World, rule: &Rule, sets: &mut BTreeMap<String, (Ethertype, Vec<String>)>, flipped: bool) -> String {
    let v4 = rule.ethertype == Ethertype::IPv4;
    let mut parts = vec![format!("meta nfproto {}", if v4 { "ipv4" } else { "ipv6" })];
    if let ProtocolMatch::Number(n) = rule.protocol {
        parts.push(format!("meta l4proto {n}"));
    }
    if !rule.ports.is_all() {
        let ranges = merge(rule.ports.elements().iter().map(|r| (u128::from(r.first), u128::from(r.last))).collect());
        let items: Vec<String> = ranges.iter().map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect();
        parts.push(format!("th dport {{ {} }}", items.join(", ")));
    }
    let field = match (v4, rule.direction) {
        (true, Direction::Ingress) => "ip saddr",
        (true, Direction::Egress) => "ip daddr",
        (false, Direction::Ingress) => "ip6 saddr",
        (false, Direction::Egress) => "ip6 daddr",
    };
    match &rule.remote {
        Remote::Any => {}
        Remote::Prefix(net) => parts.push(format!("{field} {net}")),
        Remote::Group(id) => {
            let name = format!(
                "sg{}_{}",
                world.security_groups.iter().position(|g| &g.id == id).unwrap_or(usize::MAX),
                if v4 { "v4" } else { "v6" }
            );
            let members = group_members(world, id, rule.ethertype);
            sets.entry(name.clone()).or_insert_with(|| (rule.ethertype, members));
            parts.push(format!("{field} @{name}"));
        }
        Remote::AddressGroup(id) => {
            let index = world.address_groups.iter().position(|g| &g.id == id).unwrap_or(usize::MAX);
            let name = format!("ag{index}");
            let entries = world.address_group(id).map(|g| address_entries(&g.entries, rule.ethertype)).unwrap_or_default();
            sets.entry(name.clone()).or_insert_with(|| (rule.ethertype, entries));
            parts.push(format!("{field} @{name}"));
        }
    }
    let action = match (rule.action, flipped) {
        (Action::Allow, false) | (Action::Deny, true) => "accept",
        (Action::Deny, false) | (Action::Allow, true) => "drop",
    };
    parts.push(action.to_string());
    parts.join(" ")
}

/// The private addresses of `group_id`'s members of `family`, as the engine resolves a remote
/// security group (virtual IPs and EIPs do not count), merged into set elements.
pub fn group_members(world: &World, group_id: &str, family: Ethertype) -> Vec<String> {
    let addrs: Vec<(u128, u128)> = world
        .members(group_id)
        .flat_map(|i| i.private_ips.iter().copied())
        .filter(|a| Ethertype::of(*a) == family)
        .map(|a| (number(a), number(a)))
        .collect();
    elements(merge(addrs), family)
}

/// An address group's entries of `family` as set elements, overlaps merged (nft refuses
/// overlapping intervals in a set).
pub fn address_entries(entries: &[AddressEntry], family: Ethertype) -> Vec<String> {
    let ranges: Vec<(u128, u128)> = entries
        .iter()
        .filter_map(|e| match e {
            AddressEntry::Net(net) if Ethertype::of(net.addr()) == family => Some((number(net.network()), number(net.broadcast()))),
            AddressEntry::Range(a, b) if Ethertype::of(*a) == family => Some((number(*a), number(*b))),
            _ => None,
        })
        .collect();
    elements(merge(ranges), family)
}

fn number(addr: IpAddr) -> u128 {
    match addr {
        IpAddr::V4(a) => u128::from(u32::from(a)),
        IpAddr::V6(a) => u128::from(a),
    }
}

fn address(n: u128, family: Ethertype) -> IpAddr {
    match family {
        Ethertype::IPv4 => IpAddr::V4((n as u32).into()),
        Ethertype::IPv6 => IpAddr::V6(n.into()),
    }
}

fn elements(ranges: Vec<(u128, u128)>, family: Ethertype) -> Vec<String> {
    ranges
        .into_iter()
        .map(|(a, b)| if a == b { address(a, family).to_string() } else { format!("{}-{}", address(a, family), address(b, family)) })
        .collect()
}

/// Inclusive ranges sorted, with overlapping and adjacent ones joined.
pub fn merge(mut ranges: Vec<(u128, u128)>) -> Vec<(u128, u128)> {
    ranges.sort_unstable();
    let mut out: Vec<(u128, u128)> = Vec::new();
    for (a, b) in ranges {
        match out.last_mut() {
            Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sgplay_core::Scenario;

    fn world() -> World {
        Scenario::from_json(
            r#"{
              "address_groups": [{"id": "ipg", "ip_version": 4, "ip_set": ["10.0.0.8/29", "10.0.0.11", "10.0.0.16-10.0.0.20"]}],
              "security_groups": [
                {"id": "sg-a", "rules": [
                  {"id": "late", "direction": "ingress", "protocol": "tcp", "multiport": "22,1-1024,2000", "priority": 5},
                  {"id": "deny", "direction": "ingress", "action": "deny", "remote_address_group_id": "ipg", "priority": 5},
                  {"id": "peers", "direction": "ingress", "remote_group_id": "sg-a", "priority": 1},
                  {"id": "out", "direction": "egress", "ethertype": "IPv6", "remote_ip_prefix": "fd00::/64"}
                ]},
                {"id": "sg-b", "rules": [{"id": "b-all", "direction": "ingress", "action": "deny"}]}
              ],
              "instances": [
                {"id": "a", "ip": "10.0.0.10", "ipv6": "fd00::10", "virtual_ips": ["10.0.0.100"], "security_groups": ["sg-a", "sg-b"]},
                {"id": "b", "ip": "10.0.0.11", "security_groups": ["sg-a"]},
                {"id": "c", "ip": "10.0.0.12", "security_groups": ["sg-b"]}
              ]
            }"#,
        )
        .unwrap()
        .world
    }

    #[test]
    fn rules_follow_the_engines_order_and_sets_hold_private_addresses() {
        let w = world();
        let text = instance_ruleset(&w, &w.instances[0], None).unwrap();
        let inbound = &text[text.find("chain inbound").unwrap()..text.find("chain outbound").unwrap()];
        let order: Vec<&str> = ["sg-a/peers", "sg-a/deny", "sg-a/late", "sg-b/b-all"].to_vec();
        let positions: Vec<usize> = order.iter().map(|id| inbound.find(id).unwrap_or_else(|| panic!("{id} missing:\n{text}"))).collect();
        assert!(positions.windows(2).all(|p| p[0] < p[1]), "not in evaluation order:\n{inbound}");
        assert!(text.contains("th dport { 1-1024, 2000 }"), "ports merged:\n{text}");
        // Members' private addresses only (not the VIP 10.0.0.100), adjacent ones joined.
        assert!(text.contains("set sg0_v4 {\n    type ipv4_addr; flags interval;\n    elements = { 10.0.0.10-10.0.0.11 }"), "{text}");
        assert!(text.contains("elements = { 10.0.0.8-10.0.0.20 }"), "address group merged:\n{text}");
        assert!(text.contains("meta nfproto ipv6 ip6 daddr fd00::/64 accept"), "{text}");
        let first_rule = inbound.find("sg-a/peers").unwrap();
        for plumbing in ["ct state invalid drop", "ct state established,related accept", "ct status confirmed accept"] {
            assert!(inbound.find(plumbing).unwrap() < first_rule, "{plumbing} must come first");
        }
    }

    #[test]
    fn a_flip_changes_exactly_one_verdict_word() {
        let w = world();
        let plain = instance_ruleset(&w, &w.instances[0], None).unwrap();
        let flip = Flip { instance_id: "a".into(), direction: Direction::Ingress, position: 1 };
        let flipped = instance_ruleset(&w, &w.instances[0], Some(&flip)).unwrap();
        let differ: Vec<(&str, &str)> = plain.lines().zip(flipped.lines()).filter(|(a, b)| a != b).collect();
        assert_eq!(differ.len(), 1);
        assert!(differ[0].0.contains("drop") && differ[0].1.contains("accept") && differ[0].0.contains("sg-a/deny"), "{differ:?}");
    }

    #[test]
    fn merging_joins_overlaps_and_neighbours_only() {
        assert_eq!(merge(vec![(5, 9), (1, 2), (3, 4), (20, 30), (25, 26)]), vec![(1, 9), (20, 30)]);
        assert_eq!(merge(vec![(0, u128::MAX), (7, 7)]), vec![(0, u128::MAX)]);
    }

    #[test]
    fn an_instance_without_groups_is_not_filtered() {
        let mut w = world();
        w.instances[2].security_groups.clear();
        assert!(instance_ruleset(&w, &w.instances[2], None).is_none());
    }
}
