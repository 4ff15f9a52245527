//! Advice from the seed's *Application Guidance*: high-risk ports open to everyone, instances
//! that can send nothing, and rules another rule makes useless.

use crate::eval::{group_order, OrderKey};
use crate::model::{Action, Direction, PortSet, ProtocolMatch, Remote, Rule, World};
use crate::spec::{Problem, Severity};

/// Ports the seeds call high-risk when open to the whole Internet.
pub const HIGH_RISK_PORTS: [(u16, &str); 13] = [
    (22, "SSH"),
    (23, "Telnet"),
    (135, "RPC"),
    (445, "SMB"),
    (1433, "MS SQL"),
    (1521, "Oracle"),
    (3306, "MySQL"),
    (3389, "RDP"),
    (5432, "PostgreSQL"),
    (6379, "Redis"),
    (8848, "Nacos"),
    (9200, "Elasticsearch"),
    (27017, "MongoDB"),
];

pub fn check(world: &World) -> Vec<Problem> {
    let mut out = Vec::new();
    for (g, group) in world.security_groups.iter().enumerate() {
        for (r, rule) in group.rules.iter().enumerate() {
            if let Some(exposed) = exposed_high_risk_ports(rule) {
                out.push(advice(
                    format!("security_groups[{g}].rules[{r}]"),
                    format!("rule `{}` of security group `{}`", rule.id, group.id),
                    format!("opens {exposed} to {}; allow only trusted addresses", rule.ethertype.any_prefix()),
                ));
            }
        }
        for direction in [Direction::Ingress, Direction::Egress] {
            let order = group_order(group, direction);
            for (pos, &index) in order.iter().enumerate() {
                let rule = &group.rules[index];
                let earlier = order[..pos].iter().map(|&i| &group.rules[i]).find(|earlier| covers(earlier, rule));
                // A rule of the same priority and action written later decides the same packets
                // the same way (everything between them has that action too). Strict cover only,
                // so of two identical rules just the later one is reported, by the branch above.
                let same_tier_later = || {
                    order[pos + 1..]
                        .iter()
                        .map(|&i| &group.rules[i])
                        .take_while(|r| same_tier(r, rule))
                        .find(|r| covers(r, rule) && !covers(rule, r))
                };
                let message = match (earlier, earlier.is_none().then(same_tier_later).flatten()) {
                    (Some(e), _) if e.action == rule.action => {
                        format!("is redundant: removing it changes no verdict, because rule `{}` comes first in evaluation order and matches every packet it matches", e.id)
                    }
                    (Some(e), _) => {
                        format!("never takes effect, because rule `{}` comes first in evaluation order and matches every packet it matches", e.id)
                    }
                    (None, Some(w)) => format!(
                        "is redundant: removing it changes no verdict, because rule `{}` has the same priority and action and matches every packet it matches",
                        w.id
                    ),
                    (None, None) => continue,
                };
                out.push(advice(format!("security_groups[{g}].rules[{index}]"), format!("rule `{}` of security group `{}`", rule.id, group.id), message));
            }
        }
    }
    for (i, inst) in world.instances.iter().enumerate() {
        let can_send = inst
            .security_groups
            .iter()
            .filter_map(|g| world.group(g))
            .any(|g| g.rules.iter().any(|r| r.direction == Direction::Egress && r.action == Action::Allow));
        if !inst.security_groups.is_empty() && !can_send {
            out.push(advice(
                format!("instances[{i}]"),
                format!("instance `{}`", inst.id),
                "no outbound rule of its security groups allows anything, so it cannot send any traffic (outbound is a whitelist too)".into(),
            ));
        }
    }
    out
}

/// Same priority and action: the same place in the order but for written position.
fn same_tier(a: &Rule, b: &Rule) -> bool {
    OrderKey::of(0, 0, a) == OrderKey::of(0, 0, b)
}

fn advice(path: String, object: String, message: String) -> Problem {
    Problem { severity: Severity::Advice, path, object, field: String::new(), value: String::new(), message }
}

/// "TCP 22 (SSH), TCP 3389 (RDP)" when an inbound allow rule opens high-risk ports to any address.
fn exposed_high_risk_ports(rule: &Rule) -> Option<String> {
    let open_to_all = match &rule.remote {
        Remote::Any => true,
        Remote::Prefix(net) => net.prefix_len() == 0,
        _ => false,
    };
    if rule.direction != Direction::Ingress || rule.action != Action::Allow || !open_to_all {
        return None;
    }
    let proto = match rule.protocol {
        ProtocolMatch::Any => "all protocols including TCP",
        ProtocolMatch::Number(6) => "TCP",
        ProtocolMatch::Number(17) => "UDP",
        _ => return None,
    };
    let ports: Vec<String> = HIGH_RISK_PORTS
        .iter()
        .filter(|(p, _)| rule.ports.find(*p).is_some())
        .map(|(p, name)| format!("{p} ({name})"))
        .collect();
    (!ports.is_empty()).then(|| format!("{proto} {}", ports.join(", ")))
}

/// Does `a` match every packet `b` matches? Field by field, so it finds one rule covering
/// another; coverage by several rules together is the exact analysis's job.
pub fn covers(a: &Rule, b: &Rule) -> bool {
    a.direction == b.direction
        && a.ethertype == b.ethertype
        && protocol_covers(a.protocol, b.protocol)
        && ports_cover(&a.ports, &b.ports)
        && remote_covers(&a.remote, &b.remote, a)
}

fn protocol_covers(a: ProtocolMatch, b: ProtocolMatch) -> bool {
    a == ProtocolMatch::Any || a == b
}

fn ports_cover(a: &PortSet, b: &PortSet) -> bool {
    if a.is_all() {
        return true;
    }
    if b.is_all() {
        return false;
    }
    // Every port of every element of b is in some element of a: walk each b range through a's
    // elements, which may be listed in any order and overlap.
    b.elements().iter().all(|range| {
        let mut next = range.first as u32;
        while next <= range.last as u32 {
            match a.elements().iter().filter(|e| e.contains(next as u16)).map(|e| e.last).max() {
                Some(last) => next = last as u32 + 1,
                None => return false,
            }
        }
        true
    })
}

fn remote_covers(a: &Remote, b: &Remote, rule_a: &Rule) -> bool {
    match (a, b) {
        (Remote::Any, _) => true,
        (Remote::Prefix(n), _) if n.prefix_len() == 0 && n.addr() == rule_a.ethertype.any_prefix().addr() => true,
        (Remote::Prefix(n), Remote::Prefix(m)) => n.contains(m),
        (x, y) => x == y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{parse_ports, Ethertype};

    fn rule(ports: &str, remote: Remote) -> Rule {
        Rule {
            id: "r".into(),
            direction: Direction::Ingress,
            ethertype: Ethertype::IPv4,
            protocol: ProtocolMatch::Number(6),
            ports: parse_ports(ports).unwrap(),
            action: Action::Allow,
            priority: 1,
            remote,
            description: String::new(),
        }
    }

    #[test]
    fn port_cover_walks_unordered_overlapping_lists() {
        let any = Remote::Any;
        assert!(covers(&rule("30-40,20-31", any.clone()), &rule("22-35", any.clone())));
        assert!(!covers(&rule("20-30,32-40", any.clone()), &rule("22-35", any.clone())));
        assert!(covers(&rule("", any.clone()), &rule("22", any.clone())));
        assert!(!covers(&rule("22", any.clone()), &rule("", any)));
    }

    #[test]
    fn prefix_cover() {
        let wide = Remote::Prefix("10.0.0.0/8".parse().unwrap());
        let narrow = Remote::Prefix("10.1.0.0/16".parse().unwrap());
        assert!(covers(&rule("22", wide.clone()), &rule("22", narrow.clone())));
        assert!(!covers(&rule("22", narrow), &rule("22", wide)));
    }

    #[test]
    fn high_risk_exposure() {
        let r = rule("22", Remote::Prefix("0.0.0.0/0".parse().unwrap()));
        assert!(exposed_high_risk_ports(&r).unwrap().contains("22 (SSH)"));
        let r = rule("80", Remote::Any);
        assert!(exposed_high_risk_ports(&r).is_none());
    }
}
