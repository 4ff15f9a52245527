//! Alibaba Cloud ECS security groups (SEMANTICS §9): the implicit default rules, the console's
//! limits, and the labels of its vocabulary (`PortRange 22/22`, `-1/-1`, Accept/Drop).
//!
//! ## Implicit rules
//! Alibaba's guide (*Security group rules*): "Basic security groups allow inbound internal
//! traffic from instances in the same group and allow all outbound traffic by default.
//! Enterprise security groups deny both inbound and outbound traffic by default", and the
//! internal policy "has the lowest priority of all". A group with no rules therefore denies all
//! inbound from outside it (the seed's first usage note). The defaults are written here as rules
//! of the group at [`IMPLICIT_PRIORITY`], one past the lowest priority a user can write, so in
//! the aggregated order they come after every written rule of every group: a user's Drop at
//! priority 100 still beats them. `InnerAccessPolicy: Drop` removes the internal rule (the
//! default deny then isolates the members, unless a written rule lets them in).

use crate::model::{Action, Direction, Ethertype, PortSet, ProtocolMatch, Remote, Rule, SecurityGroup};
use crate::profile::GroupKind;

/// The priority of the implicit rules: below every written rule (written priorities are 1–100).
pub const IMPLICIT_PRIORITY: u8 = 101;

/// Security groups one ENI may be in. Alibaba ECS user guide, *Security group rules*: "An
/// elastic network interface can be associated with up to 10 security groups".
pub const MAX_GROUPS_PER_ENI: usize = 10;

/// Rules of all groups on one ENI together. ECS API reference, `AuthorizeSecurityGroup`: "The
/// maximum number of inbound and outbound rules in all security groups associated with an
/// elastic network interface (ENI) cannot exceed 1,000".
pub const MAX_RULES_PER_ENI: usize = 1000;

/// Security groups the rules of one basic group may name. `AuthorizeSecurityGroup`: "You can
/// reference up to 20 security groups as sources or destinations in the rules of each basic
/// security group"; and "You cannot reference security groups as sources or destinations in the
/// rules of advanced security groups".
pub const MAX_GROUP_REFERENCES_PER_BASIC_GROUP: usize = 20;

/// Ids of the implicit rules. Reserved: a written rule may not use them.
pub const INNER_IPV4: &str = "implicit-inner-ipv4";
pub const INNER_IPV6: &str = "implicit-inner-ipv6";
pub const OUTBOUND_IPV4: &str = "implicit-outbound-ipv4";
pub const OUTBOUND_IPV6: &str = "implicit-outbound-ipv6";
pub const RESERVED_IDS: [&str; 4] = [INNER_IPV4, INNER_IPV6, OUTBOUND_IPV4, OUTBOUND_IPV6];

/// Is this one of the engine's implicit rules (never a written one)?
pub fn is_implicit(rule: &Rule) -> bool {
    is_implicit_priority(rule.priority)
}

/// Only implicit rules sit below priority 100.
pub fn is_implicit_priority(priority: u8) -> bool {
    priority > 100
}

/// The implicit rules of a group of `kind` with id `group_id`, to be appended to its rules.
pub fn implicit_rules(group_id: &str, kind: GroupKind) -> Vec<Rule> {
    let rule = |id: &str, direction, ethertype, remote, description: &str| Rule {
        id: id.to_string(),
        direction,
        ethertype,
        protocol: ProtocolMatch::Any,
        ports: PortSet::all(),
        action: Action::Allow,
        priority: IMPLICIT_PRIORITY,
        remote,
        description: description.to_string(),
    };
    let me = || Remote::Group(group_id.to_string());
    let mut out = Vec::new();
    if kind == GroupKind::Basic {
        let text = "implicit: a basic group lets its members in (InnerAccessPolicy Accept); lowest priority of all";
        out.push(rule(INNER_IPV4, Direction::Ingress, Ethertype::IPv4, me(), text));
        out.push(rule(INNER_IPV6, Direction::Ingress, Ethertype::IPv6, me(), text));
    }
    if kind != GroupKind::Enterprise {
        let text = "implicit: a basic group allows all outbound traffic; lowest priority of all";
        out.push(rule(OUTBOUND_IPV4, Direction::Egress, Ethertype::IPv4, Remote::Any, text));
        out.push(rule(OUTBOUND_IPV6, Direction::Egress, Ethertype::IPv6, Remote::Any, text));
    }
    out
}

/// The group with its written rules only (for writing it back as a document).
pub fn written_rules(group: &SecurityGroup) -> impl Iterator<Item = &Rule> {
    group.rules.iter().filter(|r| !is_implicit(r))
}

/// A port set as Alibaba's `PortRange` values: `22/22`, `1/200`; `-1/-1` for all ports (or a
/// protocol without ports).
pub fn port_ranges(protocol: ProtocolMatch, ports: &PortSet) -> Vec<String> {
    if ports.is_all() {
        return vec![if protocol.has_ports() { "1/65535".to_string() } else { "-1/-1".to_string() }];
    }
    ports.elements().iter().map(|r| format!("{}/{}", r.first, r.last)).collect()
}

/// The console's protocol and port column in Alibaba's words: `TCP PortRange 22/22`,
/// `ALL PortRange -1/-1`.
pub fn protocol_and_port(rule: &Rule) -> String {
    let protocol = match rule.protocol {
        ProtocolMatch::Any => "ALL".to_string(),
        p => p.to_string().to_ascii_uppercase(),
    };
    format!("{protocol} PortRange {}", port_ranges(rule.protocol, &rule.ports).join(","))
}

/// `Accept` or `Drop`: Alibaba's `Policy`.
pub fn policy(action: Action) -> &'static str {
    match action {
        Action::Allow => "Accept",
        Action::Deny => "Drop",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_ports;
    use crate::model::protocol::{ICMP, TCP};

    #[test]
    fn basic_isolated_and_enterprise_defaults() {
        let ids = |kind| implicit_rules("sg", kind).into_iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(ids(GroupKind::Basic), RESERVED_IDS);
        assert_eq!(ids(GroupKind::BasicIsolated), [OUTBOUND_IPV4, OUTBOUND_IPV6]);
        assert!(ids(GroupKind::Enterprise).is_empty());
        assert!(implicit_rules("sg", GroupKind::Basic).iter().all(is_implicit));
    }

    #[test]
    fn port_range_words() {
        let tcp = ProtocolMatch::Number(TCP);
        assert_eq!(port_ranges(tcp, &parse_ports("22").unwrap()), ["22/22"]);
        assert_eq!(port_ranges(tcp, &parse_ports("22-24,25").unwrap()), ["22/24", "25/25"]);
        assert_eq!(port_ranges(ProtocolMatch::Number(ICMP), &PortSet::all()), ["-1/-1"]);
        assert_eq!(port_ranges(tcp, &PortSet::all()), ["1/65535"]);
    }
}
