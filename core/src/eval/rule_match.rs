//! Does one rule match one packet? The boolean answer (`rule_matches`) is the matcher; the
//! per-field explanation (`check_rule`) is the tracer. Both use the same field predicates, so
//! they cannot disagree.

use super::trace::{Field, FieldCheck};
use crate::model::RemoteAddress;
use crate::model::{AddressKind, Ethertype, ProtocolMatch, Remote, Rule, World};
use crate::packet::Packet;
use crate::profile::CloudProfile;
use std::net::IpAddr;

/// `remote` is the packet's source (as the destination sees it) for inbound rules, its
/// destination for outbound rules.
pub fn rule_matches(world: &World, rule: &Rule, packet: &Packet, remote: RemoteAddress) -> bool {
    ethertype_matches(rule, packet)
        && rule.protocol.matches(packet.protocol)
        && port_element(rule, packet).is_some()
        && remote_matches(world, rule, remote)
}

fn ethertype_matches(rule: &Rule, packet: &Packet) -> bool {
    rule.ethertype == packet.family()
}

/// The matching port-list element, `Some(0)` when the rule has no ports or the packet none.
fn port_element(rule: &Rule, packet: &Packet) -> Option<usize> {
    if rule.ports.is_all() {
        return Some(0);
    }
    // A rule with ports is TCP or UDP (validation); a packet of another protocol has failed
    // the protocol check already, so the port check passes vacuously for it.
    if !packet.has_ports() {
        return Some(0);
    }
    rule.ports.find(packet.dst_port)
}

/// A remote covers addresses of the rule's own family only (a packet whose two addresses are of
/// different families matches no rule on the side that sees the other family).
/// An unknown public source matches only a rule open to every address of its family.
pub fn remote_matches(world: &World, rule: &Rule, remote: RemoteAddress) -> bool {
    if remote.family() != rule.ethertype {
        return false;
    }
    let addr = match remote {
        RemoteAddress::Known(addr) => addr,
        RemoteAddress::UnknownPublic { .. } => return open_to_every_address(world, rule),
    };
    match &rule.remote {
        Remote::Any => true,
        Remote::Prefix(net) => net.contains(&addr),
        Remote::Group(id) => group_member_with_private(world, id, addr).is_some(),
        Remote::AddressGroup(id) => world.address_group(id).and_then(|g| g.find(addr)).is_some(),
    }
}

/// Does the rule's remote hold every address of its family? A security group never does (its
/// members' private addresses); an IP address group does when its entries add up to the family.
pub fn open_to_every_address(world: &World, rule: &Rule) -> bool {
    match &rule.remote {
        Remote::Any => true,
        Remote::Prefix(net) => net.prefix_len() == 0 && Ethertype::of(net.addr()) == rule.ethertype,
        Remote::Group(_) => false,
        Remote::AddressGroup(id) => world.address_group(id).is_some_and(|g| g.covers_every_address(rule.ethertype)),
    }
}

/// The member of group `group_id` whose private address is `addr`. Virtual IPs and EIPs do not
/// count (seed "huawei-security-group-overview", the virtual IP example).
fn group_member_with_private<'w>(world: &'w World, group_id: &'w str, addr: IpAddr) -> Option<&'w str> {
    // The address first: comparing it is a few integer compares, the group ids are strings,
    // and an estate's tracer asks this for every remote-group rule (the same first instance,
    // in world order, as filtering the members first).
    world
        .instances
        .iter()
        .find(|i| i.private_ips.contains(&addr) && i.security_groups.iter().any(|g| g == group_id))
        .map(|i| i.id.as_str())
}

/// Every field of `rule` tested against the packet, each with a sentence saying why.
pub fn check_rule(world: &World, rule: &Rule, packet: &Packet, remote: RemoteAddress) -> Vec<FieldCheck> {
    let remote_check = match remote {
        RemoteAddress::Known(addr) => check_remote(world, rule, addr),
        RemoteAddress::UnknownPublic { sent_from } => check_unknown_remote(world, rule, sent_from),
    };
    vec![check_ethertype(rule, packet), check_protocol(rule, packet), check_port(rule, packet, world.profile), remote_check]
}

/// The source crossed the Internet with no public address the model knows: only a rule open to
/// every address can be said to match it.
fn check_unknown_remote(world: &World, rule: &Rule, sent_from: IpAddr) -> FieldCheck {
    let passed = remote_matches(world, rule, RemoteAddress::UnknownPublic { sent_from });
    let label = super::side::remote_label(world, rule);
    let detail = if passed {
        format!(
            "the source's public address is unknown (it left from {sent_from} with no EIP or NAT gateway), and {label} holds every address"
        )
    } else {
        format!(
            "the source's public address is unknown (it left from {sent_from} with no EIP or NAT gateway): only a rule open to every address matches it, and {label} is not"
        )
    };
    check(Field::Remote, passed, detail)
}

fn check(field: Field, passed: bool, detail: String) -> FieldCheck {
    FieldCheck { field, passed, detail, element: None, member: None }
}

fn check_ethertype(rule: &Rule, packet: &Packet) -> FieldCheck {
    let passed = ethertype_matches(rule, packet);
    let detail = if passed {
        format!("packet is {}", packet.family())
    } else {
        format!("rule is {} but the packet is {}", rule.ethertype, packet.family())
    };
    check(Field::Ethertype, passed, detail)
}

fn check_protocol(rule: &Rule, packet: &Packet) -> FieldCheck {
    let passed = rule.protocol.matches(packet.protocol);
    let packet_proto = crate::model::protocol_name(packet.protocol);
    let detail = match (rule.protocol, passed) {
        (ProtocolMatch::Any, _) => format!("rule covers all protocols, {packet_proto} included"),
        (p, true) => format!("packet is {p}"),
        (p, false) => format!("rule is {p} but the packet is {packet_proto}"),
    };
    check(Field::Protocol, passed, detail)
}

fn check_port(rule: &Rule, packet: &Packet, profile: CloudProfile) -> FieldCheck {
    // The port list in the profile's words: `22,25,27` (Huawei `multiport`), `PortRange 22/22`.
    let ports = match profile {
        CloudProfile::Huawei => rule.ports.to_string(),
        CloudProfile::Alibaba => format!("PortRange {}", crate::profile::alibaba::port_ranges(rule.protocol, &rule.ports).join(",")),
    };
    let element = port_element(rule, packet);
    let passed = element.is_some();
    let proto = crate::model::protocol_name(packet.protocol);
    let detail = if rule.ports.is_all() {
        if packet.has_ports() {
            format!("rule covers all ports, {proto} {} included", packet.dst_port)
        } else {
            "rule covers all ports".to_string()
        }
    } else if !packet.has_ports() {
        format!("{proto} has no ports")
    } else {
        match element {
            Some(i) => match rule.ports.elements().get(i) {
                Some(r) if rule.ports.elements().len() > 1 => {
                    format!("{proto} {} is in {ports} (element {}: {r})", packet.dst_port, i + 1)
                }
                _ => format!("{proto} {} is in {ports}", packet.dst_port),
            },
            None => format!("{proto} {} is not in {ports}", packet.dst_port),
        }
    };
    let mut c = check(Field::Port, passed, detail);
    if !rule.ports.is_all() && packet.has_ports() {
        c.element = element;
    }
    c
}

fn check_remote(world: &World, rule: &Rule, addr: IpAddr) -> FieldCheck {
    let passed = remote_matches(world, rule, RemoteAddress::Known(addr));
    match &rule.remote {
        Remote::Any => {
            let detail = if passed {
                format!("rule covers any {} address, {addr} included", rule.ethertype)
            } else {
                format!("{addr} is not an {} address", rule.ethertype)
            };
            check(Field::Remote, passed, detail)
        }
        Remote::Prefix(net) => {
            let verb = if passed { "is in" } else { "is not in" };
            check(Field::Remote, passed, format!("{addr} {verb} {net}"))
        }
        Remote::Group(id) => {
            let name = world.group(id).map_or(id.as_str(), |g| g.name.as_str());
            match group_member_with_private(world, id, addr) {
                Some(member) => {
                    let shown = world.instance(member).map_or(member, |i| i.display_name());
                    let mut c = check(Field::Remote, passed, format!("{addr} is the private IP of {shown}, a member of {name}"));
                    c.member = Some(member.to_string());
                    c
                }
                None => check(Field::Remote, passed, explain_not_member(world, id, name, addr)),
            }
        }
        Remote::AddressGroup(id) => {
            let Some(group) = world.address_group(id) else {
                return check(Field::Remote, false, format!("IP address group {id} does not exist"));
            };
            match group.find(addr) {
                Some(i) => {
                    let entry = group.entries.get(i).map(|e| e.to_string()).unwrap_or_default();
                    let mut c =
                        check(Field::Remote, passed, format!("{addr} is in {entry}, entry {} of IP address group {}", i + 1, group.name));
                    c.element = Some(i);
                    c
                }
                None => check(Field::Remote, passed, format!("{addr} is in no entry of IP address group {}", group.name)),
            }
        }
    }
}

/// Why `addr` is not covered by a remote security group, naming the near misses a newcomer
/// would ask about: a virtual IP or EIP of a member, or a private IP of a non-member.
fn explain_not_member(world: &World, group_id: &str, group_name: &str, addr: IpAddr) -> String {
    match world.owner_of(addr) {
        Some((inst, kind @ (AddressKind::Virtual | AddressKind::Eip))) if inst.security_groups.iter().any(|g| g == group_id) => {
            format!(
                "{addr} is a {} of {}, a member of {group_name}; a remote security group covers only its members' private IPs",
                kind.label(),
                inst.display_name()
            )
        }
        Some((inst, kind)) => format!("{addr} is a {} of {}, which is not a member of {group_name}", kind.label(), inst.display_name()),
        None => format!("{addr} is not a private IP of any member of {group_name}"),
    }
}
