//! Security groups and their rules as the VPC API writes them (v3 `SecurityGroup`,
//! `SecurityGroupInfo` and `SecurityGroupRule`; the v1 API's `port_range_min`/`port_range_max`
//! are read too), and how a rule becomes a [`RuleSpec`].

use super::fields::{api_object, non_empty, skip, ApiObject, Text};
use crate::scenario::RuleSpec;
use serde::de::MapAccess;
use serde_json::Value;

/// A security group: `ListSecurityGroups` items, `ShowSecurityGroup`'s `security_group`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ApiSecurityGroup {
    pub id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    /// Present in `ShowSecurityGroup` (and the v1 list); v3's list carries no rules.
    pub security_group_rules: Option<Vec<ApiRule>>,
    pub unknown: Vec<String>,
}

impl ApiObject for ApiSecurityGroup {
    const KIND: &'static str = "security group";
    fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "id" => self.id = map.next_value()?,
            "name" => self.name = map.next_value()?,
            "description" => self.description = map.next_value()?,
            "security_group_rules" => self.security_group_rules = map.next_value()?,
            "project_id" | "tenant_id" | "enterprise_project_id" | "created_at" | "updated_at" | "tags" | "vpc_id" => skip(map)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
    fn unknown_fields(&mut self) -> &mut Vec<String> {
        &mut self.unknown
    }
}
api_object!(ApiSecurityGroup);

/// A rule: items of `ListSecurityGroupRules` and of a group's `security_group_rules`, and the
/// body of `CreateSecurityGroupRule` (where `priority` is often a string).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ApiRule {
    pub id: Option<String>,
    pub security_group_id: Option<String>,
    pub direction: Option<String>,
    pub ethertype: Option<String>,
    pub protocol: Text,
    pub multiport: Text,
    pub action: Option<String>,
    pub priority: Text,
    pub remote_ip_prefix: Option<String>,
    pub remote_group_id: Option<String>,
    pub remote_address_group_id: Option<String>,
    pub description: Option<String>,
    /// `false`: the rule exists but is switched off.
    pub enabled: Option<bool>,
    /// The v1 API's port bounds, before `multiport`.
    pub port_range_min: Text,
    pub port_range_max: Text,
    pub unknown: Vec<String>,
}

impl ApiObject for ApiRule {
    const KIND: &'static str = "security group rule";
    fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "id" => self.id = map.next_value()?,
            "security_group_id" => self.security_group_id = map.next_value()?,
            "direction" => self.direction = map.next_value()?,
            "ethertype" => self.ethertype = map.next_value()?,
            "protocol" => self.protocol = map.next_value()?,
            "multiport" => self.multiport = map.next_value()?,
            "action" => self.action = map.next_value()?,
            "priority" => self.priority = map.next_value()?,
            "remote_ip_prefix" => self.remote_ip_prefix = map.next_value()?,
            "remote_group_id" => self.remote_group_id = map.next_value()?,
            "remote_address_group_id" => self.remote_address_group_id = map.next_value()?,
            "description" => self.description = map.next_value()?,
            "enabled" => self.enabled = map.next_value()?,
            "port_range_min" => self.port_range_min = map.next_value()?,
            "port_range_max" => self.port_range_max = map.next_value()?,
            "project_id" | "tenant_id" | "created_at" | "updated_at" => skip(map)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
    fn unknown_fields(&mut self) -> &mut Vec<String> {
        &mut self.unknown
    }
}
api_object!(ApiRule);

/// A problem with one field of an API object: the field, its value, what would be right.
pub(crate) struct FieldProblem {
    pub field: &'static str,
    pub value: String,
    pub message: String,
}

impl ApiRule {
    /// The scenario rule of group `group_id`, in the canonical form export writes back: absent,
    /// null and empty values are `None`, `priority` a number when it is one. Validation of the
    /// values is the scenario's (`build_rule`); only what cannot be carried over is refused here.
    pub fn to_spec(&self, group_id: &str) -> Result<RuleSpec, FieldProblem> {
        let priority = self.priority.non_empty().map(|p| match p.parse::<u64>() {
            Ok(n) => Value::from(n),
            Err(_) => Value::String(p),
        });
        Ok(RuleSpec {
            id: non_empty(&self.id),
            security_group_id: Some(group_id.to_string()),
            direction: self.direction.clone(),
            ethertype: self.ethertype.clone(),
            protocol: self.protocol.non_empty().map(Value::String),
            multiport: self.ports()?.map(Value::String),
            action: self.action.clone(),
            priority,
            remote_ip_prefix: non_empty(&self.remote_ip_prefix),
            remote_group_id: non_empty(&self.remote_group_id),
            remote_address_group_id: non_empty(&self.remote_address_group_id),
            description: self.description.clone().filter(|d| !d.is_empty()),
            other_fields: Default::default(),
        })
    }

    /// `multiport`, or the v1 API's `port_range_min`-`port_range_max` written as one.
    fn ports(&self) -> Result<Option<String>, FieldProblem> {
        let (min, max) = (self.port_range_min.non_empty(), self.port_range_max.non_empty());
        if min.is_none() && max.is_none() {
            return Ok(self.multiport.non_empty());
        }
        let shown = format!("{}-{}", min.as_deref().unwrap_or(""), max.as_deref().unwrap_or(""));
        if self.multiport.non_empty().is_some() {
            return Err(FieldProblem {
                field: "port_range_min",
                value: shown,
                message: "is set together with `multiport`; keep `multiport` alone".into(),
            });
        }
        let protocol = self.protocol.non_empty().unwrap_or_default().to_ascii_lowercase();
        if !matches!(protocol.as_str(), "tcp" | "udp" | "6" | "17") {
            return Err(FieldProblem {
                field: "port_range_min",
                value: shown,
                message: format!(
                    "on protocol `{protocol}` these are an ICMP type and code (or meaningless), which sgplay does not model; remove them to match the whole protocol"
                ),
            });
        }
        let (first, last) = (min.unwrap_or_else(|| "1".into()), max.unwrap_or_else(|| "65535".into()));
        Ok(Some(if first == last { first } else { format!("{first}-{last}") }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::from_json;

    #[test]
    fn loose_values_become_the_canonical_spec() {
        let rule: ApiRule = from_json(
            r#"{"id": "r1", "security_group_id": "sg", "direction": "ingress", "ethertype": "IPv4", "protocol": "tcp",
                "multiport": 22, "action": "allow", "priority": "1", "remote_ip_prefix": "", "remote_group_id": null,
                "description": "", "created_at": "2020-08-13T07:12:36Z", "enabled": true}"#,
        )
        .unwrap();
        let spec = rule.to_spec("sg").ok().unwrap();
        assert_eq!(spec.multiport, Some(Value::String("22".into())));
        assert_eq!(spec.priority, Some(Value::from(1u64)));
        assert_eq!((spec.remote_ip_prefix, spec.remote_group_id, spec.description), (None, None, None));
        assert!(rule.unknown.is_empty());
    }

    #[test]
    fn v1_port_bounds_become_multiport_only_for_tcp_and_udp() {
        let rule: ApiRule = from_json(r#"{"protocol": "tcp", "port_range_min": 22, "port_range_max": 22}"#).unwrap();
        assert_eq!(rule.to_spec("sg").ok().unwrap().multiport, Some(Value::String("22".into())));
        let rule: ApiRule = from_json(r#"{"protocol": "udp", "port_range_min": "1000", "port_range_max": 2000}"#).unwrap();
        assert_eq!(rule.to_spec("sg").ok().unwrap().multiport, Some(Value::String("1000-2000".into())));
        let rule: ApiRule = from_json(r#"{"protocol": "icmp", "port_range_min": 8, "port_range_max": 0}"#).unwrap();
        let problem = rule.to_spec("sg").err().unwrap();
        assert!(problem.message.contains("ICMP type"), "{}", problem.message);
    }
}
