//! The document's profile and what the Alibaba profile adds to validation: group types and
//! internal policies, the implicit rules (recorded in the source map as the engine's), and the
//! rules the Alibaba console enforces (one type of group per ENI, no group references from
//! enterprise groups). Under the Huawei profile the Alibaba-only keys are errors, never ignored.

use super::document::ScenarioSpec;
use super::source_map::{RuleOrigin, SourceMap};
use crate::diagnostic::{Problem, Problems};
use crate::model::{Instance, Remote, SecurityGroup};
use crate::profile::{alibaba, CloudProfile, GroupKind};

/// The document's `profile` (absent: Huawei).
pub fn profile(spec: &ScenarioSpec, problems: &mut Problems) -> CloudProfile {
    match spec.profile.as_deref().map(CloudProfile::parse) {
        None => CloudProfile::Huawei,
        Some(Ok(p)) => p,
        Some(Err(message)) => {
            let value = spec.profile.clone().unwrap_or_default();
            problems.push(Problem::error("profile", "scenario file", "profile", value, message));
            CloudProfile::Huawei
        }
    }
}

/// Gives each built group its kind and, under Alibaba, its implicit rules. `groups` and the
/// source map are in document order (one built group per document group).
pub fn groups(spec: &ScenarioSpec, profile: CloudProfile, groups: &mut [SecurityGroup], map: &mut SourceMap, problems: &mut Problems) {
    for (g, (doc, group)) in spec.security_groups.iter().zip(groups.iter_mut()).enumerate() {
        let path = format!("security_groups[{g}]");
        let object = format!("security group `{}`", doc.id);
        let kind = kind(doc.group_type.as_deref(), doc.inner_access_policy.as_deref(), profile, &path, &object, problems);
        group.kind = kind;
        if profile != CloudProfile::Alibaba {
            continue;
        }
        for (r, rule) in group.rules.iter().enumerate() {
            let rule_path = map.rule_path(g, r);
            if alibaba::RESERVED_IDS.contains(&rule.id.as_str()) {
                let message = "is the id of one of the engine's implicit rules of a basic group; give the rule another `id`";
                problems.push(Problem::error(rule_path.clone(), object.clone(), "id", rule.id.clone(), message));
            }
            if kind.is_enterprise() {
                if let Remote::Group(other) = &rule.remote {
                    let message = "names a security group, and the rules of an enterprise (advanced) security group cannot reference security groups (Alibaba `AuthorizeSecurityGroup`); use a CIDR block, or make the group `basic`";
                    problems.push(Problem::error(
                        format!("{rule_path}.remote_group_id"),
                        object.clone(),
                        "remote_group_id",
                        other.clone(),
                        message,
                    ));
                }
            }
        }
        let implicit = alibaba::implicit_rules(&group.id, kind);
        if let Some(origins) = map.groups.get_mut(g) {
            origins.rules.extend(implicit.iter().map(|_| RuleOrigin::Engine));
        }
        group.rules.extend(implicit);
    }
}

fn kind(
    group_type: Option<&str>,
    inner: Option<&str>,
    profile: CloudProfile,
    path: &str,
    object: &str,
    problems: &mut Problems,
) -> GroupKind {
    if profile != CloudProfile::Alibaba {
        for (field, value) in [("type", group_type), ("inner_access_policy", inner)] {
            if let Some(v) = value {
                let message = "applies to Alibaba Cloud security groups only; set the scenario's `profile` to `alibaba`, or remove it";
                problems.push(Problem::error(format!("{path}.{field}"), object, field, v, message));
            }
        }
        return GroupKind::Basic;
    }
    let enterprise = match group_type.map(|t| t.trim().to_ascii_lowercase()) {
        None => false,
        Some(t) if t == "basic" || t == "normal" => false,
        Some(t) if t == "enterprise" || t == "advanced" => true,
        Some(_) => {
            let v = group_type.unwrap_or_default();
            problems.push(Problem::error(
                format!("{path}.type"),
                object,
                "type",
                v,
                "must be `basic` (the API's `normal`) or `enterprise`",
            ));
            false
        }
    };
    let drop = match inner.map(|t| t.trim().to_ascii_lowercase()) {
        None => None,
        Some(t) if t == "accept" => Some(false),
        Some(t) if t == "drop" => Some(true),
        Some(_) => {
            let v = inner.unwrap_or_default();
            let message = "must be `Accept` (members reach each other, the default) or `Drop` (members isolated)";
            problems.push(Problem::error(format!("{path}.inner_access_policy"), object, "inner_access_policy", v, message));
            None
        }
    };
    match (enterprise, drop) {
        (true, Some(false)) => {
            let message = "an enterprise security group always isolates its members; use `Drop` or leave it out, or make the group `basic`";
            problems.push(Problem::error(format!("{path}.inner_access_policy"), object, "inner_access_policy", "Accept", message));
            GroupKind::Enterprise
        }
        (true, _) => GroupKind::Enterprise,
        (false, Some(true)) => GroupKind::BasicIsolated,
        (false, _) => GroupKind::Basic,
    }
}

/// The `default` group the engine gives an instance without one, under Alibaba: an empty basic
/// group (its implicit rules let members in and everything out, like Huawei's template).
pub fn default_group() -> SecurityGroup {
    SecurityGroup {
        id: "default".into(),
        name: "default".into(),
        description: "basic group without rules: members reach each other, nothing else gets in, everything may go out".into(),
        rules: alibaba::implicit_rules("default", GroupKind::Basic),
        kind: GroupKind::Basic,
    }
}

/// An ENI's groups must all be basic or all enterprise (Alibaba refuses to mix them).
pub fn instances(spec: &ScenarioSpec, profile: CloudProfile, groups: &[SecurityGroup], instances: &[Instance], problems: &mut Problems) {
    if profile != CloudProfile::Alibaba {
        return;
    }
    for inst in instances {
        let n = spec.instances.iter().position(|i| i.id == inst.id).unwrap_or(0);
        let kinds: Vec<(&str, bool)> = inst
            .security_groups
            .iter()
            .filter_map(|id| groups.iter().find(|g| &g.id == id))
            .map(|g| (g.id.as_str(), g.kind.is_enterprise()))
            .collect();
        let names = |enterprise: bool| kinds.iter().filter(|k| k.1 == enterprise).map(|k| format!("`{}`", k.0)).collect::<Vec<_>>();
        let (enterprise, basic) = (names(true), names(false));
        if !enterprise.is_empty() && !basic.is_empty() {
            let message = format!(
                "mixes basic security groups ({}) with enterprise security groups ({}); an Alibaba ENI is in basic groups only or in enterprise groups only",
                basic.join(", "),
                enterprise.join(", ")
            );
            let value = inst.security_groups.join(", ");
            problems.push(Problem::error(
                format!("instances[{n}].security_groups"),
                format!("instance `{}`", inst.id),
                "security_groups",
                value,
                message,
            ));
        }
    }
}
