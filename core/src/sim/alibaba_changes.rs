//! Changes the Alibaba console refuses, checked before a change is built: the implicit rules
//! cannot be deleted or modified (they follow the group's type and internal policy), rules named
//! like them cannot be added, an enterprise group's rules cannot name a group, and an ENI cannot
//! join an enterprise group while in basic ones (or the other way round).

use crate::diagnostic::Problem;
use crate::model::World;
use crate::profile::{alibaba, CloudProfile};
use crate::scenario::ChangeSpec;

/// The problem with `spec` under `world`'s Alibaba profile, if any; `None` under Huawei.
pub fn refused(spec: &ChangeSpec, world: &World, path: &str) -> Option<Problem> {
    if world.profile != CloudProfile::Alibaba {
        return None;
    }
    let at = |op: &str, field: &str, value: &str, message: String| {
        Problem::error(format!("{path}.{op}.{field}"), "change", field, value, message)
    };
    let enterprise = |group: &str| world.group(group).is_some_and(|g| g.kind.is_enterprise());
    let named_group =
        |value: Option<&serde_json::Value>| value.and_then(|v| v.as_str()).filter(|s| !s.trim().is_empty()).map(str::to_string);
    let no_references = "an enterprise (advanced) security group's rules cannot reference security groups; use a CIDR block".to_string();
    match spec {
        ChangeSpec::DeleteRule { group, rule_id } | ChangeSpec::ModifyRule { group, rule_id, .. } => {
            let implicit = world.group(group).and_then(|g| g.rules.iter().find(|r| &r.id == rule_id)).is_some_and(alibaba::is_implicit);
            let op = if matches!(spec, ChangeSpec::DeleteRule { .. }) { "delete_rule" } else { "modify_rule" };
            if implicit {
                let message = "is one of the engine's implicit rules of a basic group: it follows the group's type and internal policy and cannot be deleted or modified; add a Drop rule to override it".to_string();
                return Some(at(op, "rule_id", rule_id, message));
            }
            if let ChangeSpec::ModifyRule { rule, .. } = spec {
                if let Some(other) = named_group(rule.0.get("remote_group_id")).filter(|_| enterprise(group)) {
                    return Some(at(op, "rule.remote_group_id", &other, no_references));
                }
            }
            None
        }
        ChangeSpec::AddRule { group, rule } => {
            if let Some(id) = rule.id.as_deref().filter(|id| alibaba::RESERVED_IDS.contains(id)) {
                return Some(at(
                    "add_rule",
                    "rule.id",
                    id,
                    "is the id of one of the engine's implicit rules; give the rule another `id`".into(),
                ));
            }
            rule.remote_group_id
                .as_deref()
                .filter(|_| enterprise(group))
                .map(|other| at("add_rule", "rule.remote_group_id", other, no_references))
        }
        ChangeSpec::AddMember { group, instance, .. } => {
            let kind = world.group(group)?.kind.is_enterprise();
            let inst = world.instance(instance).or_else(|| world.instances.iter().find(|i| &i.name == instance))?;
            let other = inst.security_groups.iter().filter_map(|g| world.group(g)).find(|g| g.kind.is_enterprise() != kind)?;
            let (this, that) = if kind { ("an enterprise", "a basic") } else { ("a basic", "an enterprise") };
            let message = format!(
                "`{group}` is {this} security group and the instance is in {that} one, `{}`; an Alibaba ENI is in basic groups only or in enterprise groups only",
                other.id
            );
            Some(at("add_member", "group", group, message))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioSpec;
    use serde_json::json;

    fn world() -> World {
        let doc = json!({
            "name": "alibaba changes", "profile": "alibaba",
            "security_groups": [
                {"id": "sg-basic", "rules": []},
                {"id": "sg-ent", "type": "enterprise", "rules": [{"id": "https", "direction": "ingress", "protocol": "tcp", "multiport": "443"}]}
            ],
            "instances": [{"id": "ecs-1", "ip": "10.0.0.1", "security_groups": ["sg-basic"]}]
        });
        let spec: ScenarioSpec = serde_json::from_value(doc).unwrap();
        spec.build().unwrap().world
    }

    #[track_caller]
    fn refusal(change: serde_json::Value) -> Problem {
        let spec: ChangeSpec = serde_json::from_value(change).unwrap();
        refused(&spec, &world(), "change").expect("refused")
    }

    #[test]
    fn implicit_rules_cannot_be_deleted_or_modified() {
        let p = refusal(json!({"delete_rule": {"group": "sg-basic", "rule_id": "implicit-outbound-ipv4"}}));
        assert_eq!((p.path.as_str(), p.field.as_str()), ("change.delete_rule.rule_id", "rule_id"));
        assert!(p.message.contains("implicit rules"), "{p}");
        let p = refusal(json!({"modify_rule": {"group": "sg-basic", "rule_id": "implicit-inner-ipv4", "rule": {"priority": 1}}}));
        assert_eq!(p.path, "change.modify_rule.rule_id");
    }

    #[test]
    fn enterprise_rules_cannot_name_groups() {
        let p = refusal(json!({"add_rule": {"group": "sg-ent", "rule": {"direction": "ingress", "remote_group_id": "sg-basic"}}}));
        assert_eq!(p.path, "change.add_rule.rule.remote_group_id");
        let p = refusal(json!({"modify_rule": {"group": "sg-ent", "rule_id": "https", "rule": {"remote_group_id": "sg-basic"}}}));
        assert_eq!(p.path, "change.modify_rule.rule.remote_group_id");
    }

    #[test]
    fn an_eni_cannot_join_an_enterprise_group_while_in_a_basic_one() {
        let p = refusal(json!({"add_member": {"group": "sg-ent", "instance": "ecs-1"}}));
        assert_eq!(p.path, "change.add_member.group");
        assert!(p.message.contains("`sg-basic`"), "{p}");
    }

    #[test]
    fn huawei_worlds_are_not_checked() {
        let mut w = world();
        w.profile = CloudProfile::Huawei;
        let spec: ChangeSpec = serde_json::from_value(json!({"add_member": {"group": "sg-ent", "instance": "ecs-1"}})).unwrap();
        assert!(refused(&spec, &w, "change").is_none());
    }
}
