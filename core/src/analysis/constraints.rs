//! The seed's *Constraints on Using Security Groups*, reported as warnings and advice (Huawei;
//! an Alibaba world is held to Alibaba's limits instead, `alibaba_limits`).

use super::lint::{Lint, LintKind};
use crate::model::{Direction, Ethertype, Remote, Rule, World};
use crate::diagnostic::{Problem, Severity};

pub const ADVISED_GROUPS_PER_INSTANCE: usize = 5;
pub const MAX_INSTANCES_PER_GROUP: usize = 6000;
pub const RULE_QUOTA: usize = 120;

/// A rule whose remote is a security group or an IP address group, or whose ports are
/// inconsecutive, takes one quota unit; a rule that is several of these still takes one
/// (seed table 4: rule A02 counts once).
pub fn takes_quota(rule: &Rule) -> bool {
    matches!(rule.remote, Remote::Group(_) | Remote::AddressGroup(_)) || rule.ports.is_inconsecutive()
}

pub fn check(world: &World) -> Vec<Problem> {
    lints(world).into_iter().map(|l| l.problem).collect()
}

pub fn lints(world: &World) -> Vec<Lint> {
    if world.profile == crate::profile::CloudProfile::Alibaba {
        return super::alibaba_limits::lints(world);
    }
    let mut out = Vec::new();
    for (i, inst) in world.instances.iter().enumerate() {
        if inst.security_groups.len() > ADVISED_GROUPS_PER_INSTANCE {
            out.push(notice(
                LintKind::GroupsPerInstance,
                Severity::Advice,
                format!("instances[{i}].security_groups"),
                format!("instance `{}`", inst.id),
                "security_groups",
                format!(
                    "is associated with {} security groups; for better network performance associate no more than {ADVISED_GROUPS_PER_INSTANCE}",
                    inst.security_groups.len()
                ),
            ).instance(&inst.id));
        }
    }
    // Counted once: `World::members` per group would read every instance for every group.
    let mut members_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for inst in &world.instances {
        for g in &inst.security_groups {
            *members_of.entry(g.as_str()).or_default() += 1;
        }
    }
    for (g, group) in world.security_groups.iter().enumerate() {
        let members = members_of.get(group.id.as_str()).copied().unwrap_or(0);
        if members > MAX_INSTANCES_PER_GROUP {
            out.push(
                notice(
                    LintKind::InstancesPerGroup,
                    Severity::Warning,
                    format!("security_groups[{g}]"),
                    format!("security group `{}`", group.id),
                    "",
                    format!("has {members} instances; above {MAX_INSTANCES_PER_GROUP} its performance deteriorates"),
                )
                .group(&group.id),
            );
        }
        for direction in [Direction::Ingress, Direction::Egress] {
            for ethertype in [Ethertype::IPv4, Ethertype::IPv6] {
                let used = group.rules.iter().filter(|r| r.direction == direction && r.ethertype == ethertype && takes_quota(r)).count();
                if used > RULE_QUOTA {
                    out.push(notice(
                        LintKind::RuleQuota,
                        Severity::Warning,
                        format!("security_groups[{g}].rules"),
                        format!("security group `{}`", group.id),
                        "rules",
                        format!(
                            "has {used} {direction} {ethertype} rules with a security group or IP address group remote or inconsecutive ports; the console refuses more than {RULE_QUOTA}"
                        ),
                    ).group(&group.id));
                }
            }
        }
    }
    out
}

fn notice(kind: LintKind, severity: Severity, path: String, object: String, field: &str, message: String) -> Lint {
    Lint::new(kind, Problem { severity, path, object, field: field.to_string(), value: String::new(), message })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{parse_ports, Action, ProtocolMatch};

    #[test]
    fn a_rule_counts_once_however_many_reasons() {
        let a02 = Rule {
            id: "A02".into(),
            direction: Direction::Ingress,
            ethertype: Ethertype::IPv4,
            protocol: ProtocolMatch::Number(6),
            ports: parse_ports("22,25,27").unwrap(),
            action: Action::Allow,
            priority: 1,
            remote: Remote::Group("sg-b".into()),
            description: String::new(),
        };
        assert!(takes_quota(&a02));
        let a04 = Rule { ports: parse_ports("22-24").unwrap(), remote: Remote::Prefix("192.168.0.0/16".parse().unwrap()), ..a02.clone() };
        assert!(!takes_quota(&a04));
    }
}
