//! Alibaba Cloud's limits (`profile::alibaba`, each cited there), reported as warnings in place
//! of Huawei's constraints when the world follows the Alibaba profile: groups per ENI, rules of
//! all groups on an ENI together, and security groups named by one basic group's rules.
//! Enterprise groups naming a group are refused by validation, not reported here.

use super::lint::{Lint, LintKind};
use crate::diagnostic::{Problem, Severity};
use crate::model::{Remote, World};
use crate::profile::alibaba::{is_implicit, MAX_GROUPS_PER_ENI, MAX_GROUP_REFERENCES_PER_BASIC_GROUP, MAX_RULES_PER_ENI};
use std::collections::BTreeSet;

pub fn lints(world: &World) -> Vec<Lint> {
    let mut out = Vec::new();
    for (i, inst) in world.instances.iter().enumerate() {
        let n = inst.security_groups.len();
        if n > MAX_GROUPS_PER_ENI {
            let message = format!("is in {n} security groups; an Alibaba ENI can be in at most {MAX_GROUPS_PER_ENI}");
            out.push(warning(LintKind::GroupsPerInstance, format!("instances[{i}].security_groups"), &inst.id, message).instance(&inst.id));
        }
        // Written rules only: the implicit defaults are not rules the quota counts.
        let rules: usize =
            inst.security_groups.iter().filter_map(|g| world.group(g)).map(|g| g.rules.iter().filter(|r| !is_implicit(r)).count()).sum();
        if rules > MAX_RULES_PER_ENI {
            let message = format!(
                "has {rules} inbound and outbound rules across its security groups; Alibaba allows at most {MAX_RULES_PER_ENI} on one ENI"
            );
            out.push(warning(LintKind::RuleQuota, format!("instances[{i}].security_groups"), &inst.id, message).instance(&inst.id));
        }
    }
    for (g, group) in world.security_groups.iter().enumerate() {
        let named: BTreeSet<&str> = group
            .rules
            .iter()
            .filter(|r| !is_implicit(r))
            .filter_map(|r| if let Remote::Group(id) = &r.remote { Some(id.as_str()) } else { None })
            .collect();
        if named.len() > MAX_GROUP_REFERENCES_PER_BASIC_GROUP {
            let message = format!(
                "its rules name {} security groups; the rules of one basic group may reference at most {MAX_GROUP_REFERENCES_PER_BASIC_GROUP}",
                named.len()
            );
            let problem = Problem {
                severity: Severity::Warning,
                path: format!("security_groups[{g}].rules"),
                object: format!("security group `{}`", group.id),
                field: "rules".into(),
                value: String::new(),
                message,
            };
            out.push(Lint::new(LintKind::RuleQuota, problem).group(&group.id));
        }
    }
    out
}

fn warning(kind: LintKind, path: String, instance: &str, message: String) -> Lint {
    let problem = Problem {
        severity: Severity::Warning,
        path,
        object: format!("instance `{instance}`"),
        field: "security_groups".into(),
        value: String::new(),
        message,
    };
    Lint::new(kind, problem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Instance, SecurityGroup};
    use crate::profile::CloudProfile;

    #[test]
    fn eleven_groups_on_an_eni_are_one_too_many() {
        let groups: Vec<SecurityGroup> = (0..11).map(|n| SecurityGroup { id: format!("sg-{n}"), ..Default::default() }).collect();
        let inst = Instance { id: "ecs-1".into(), security_groups: groups.iter().map(|g| g.id.clone()).collect(), ..Default::default() };
        let world = World { security_groups: groups, instances: vec![inst], profile: CloudProfile::Alibaba, ..Default::default() };
        let found = lints(&world);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, LintKind::GroupsPerInstance);
        assert!(found[0].problem.message.contains("at most 10"), "{}", found[0].problem.message);
    }
}
