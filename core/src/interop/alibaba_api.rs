//! Alibaba Cloud ECS `DescribeSecurityGroupAttribute` JSON, read into an Alibaba-profile
//! scenario and written back (format `alibaba-api`). One response per group; several responses,
//! in one text one after another or in several texts, combine.
//!
//! The response: `SecurityGroupId`, `SecurityGroupName`, `Description`, `InnerAccessPolicy`
//! (`Accept`/`Drop`), `VpcId`, `RequestId`, `RegionId` and `Permissions.Permission[]` with
//! `Policy` (Accept/Drop), `Priority` (a number or a numeric string), `IpProtocol` (TCP, UDP,
//! ICMP, ICMPv6, GRE, ALL, in any case), `PortRange` (`22/22`, `1/200`, `-1/-1`),
//! `SourceCidrIp`, `Ipv6SourceCidrIp`, `SourceGroupId`, `SourceGroupOwnerAccount`, `DestCidrIp`,
//! `Ipv6DestCidrIp`, `DestGroupId`, `DestGroupOwnerAccount`, `NicType`, `Direction`
//! (ingress/egress), `Description`, `SecurityGroupRuleId`, `CreateTime`; unset fields are `""`.
//! `SecurityGroupType` (`normal`/`enterprise`, as `DescribeSecurityGroups` lists it) is read
//! when present; without it a group is basic.
//!
//! Nothing is dropped silently: a source port range, `NicType: internet` (classic network
//! public rules), prefix lists and unknown fields are warnings naming their path; a group named
//! by a rule but not imported (another account's `account/sg-id`, or a group not pasted) becomes
//! an opaque group of the scenario: no rules, no members, so it matches nobody, with a warning.

use super::alibaba_rules::{self, Authorization, Permission};
use crate::diagnostic::{Problem, Severity};
use crate::interop::Origins;
use crate::model::{Direction, Ethertype, ProtocolMatch};
use crate::profile::{alibaba, GroupKind};
use crate::scenario::{from_json_each, GroupSpec, RuleSpec, ScenarioSpec};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// Fields read with no effect on matching.
const BOOKKEEPING: [&str; 4] = ["RequestId", "RegionId", "VpcId", "CreateTime"];
const GROUP_FIELDS: [&str; 6] =
    ["SecurityGroupId", "SecurityGroupName", "Description", "InnerAccessPolicy", "SecurityGroupType", "Permissions"];
const PERMISSION_FIELDS: [&str; 16] = [
    "Policy",
    "Priority",
    "IpProtocol",
    "PortRange",
    "SourceCidrIp",
    "Ipv6SourceCidrIp",
    "SourceGroupId",
    "SourceGroupOwnerAccount",
    "DestCidrIp",
    "Ipv6DestCidrIp",
    "DestGroupId",
    "DestGroupOwnerAccount",
    "NicType",
    "Direction",
    "Description",
    "SecurityGroupRuleId",
];
/// Known fields that carry nothing sgplay models; reported when set.
const UNMODELLED: [&str; 5] = ["SourcePortRange", "SourcePrefixListId", "DestPrefixListId", "SourceGroupName", "DestGroupName"];

type ImportResult = Result<(ScenarioSpec, Vec<Problem>, Origins), Vec<Problem>>;

/// Reads the texts into one Alibaba scenario.
pub(crate) fn import(inputs: &[(&str, &str)]) -> ImportResult {
    let mut reader = Reader::default();
    let mut errors = Vec::new();
    for (name, text) in inputs {
        match from_json_each::<Value>(text) {
            Ok(docs) if docs.is_empty() => errors.push(Problem::error(*name, format!("`{name}`"), "", "", "holds no JSON document")),
            Ok(docs) => {
                let of = docs.len();
                for (i, (doc, _)) in docs.into_iter().enumerate() {
                    let at = if of > 1 { format!("{name}: document {}", i + 1) } else { name.to_string() };
                    reader.group(&at, &doc, &mut errors);
                }
            }
            Err(e) => errors.push(Problem::error(format!("{name}: {}", e.path), format!("`{name}`, line {}", e.line), "", "", e.message)),
        }
    }
    errors.append(&mut reader.errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    reader.opaque_groups();
    let Reader { groups, warnings, origins, .. } = reader;
    let spec = ScenarioSpec {
        version: crate::scenario::FORMAT_VERSION,
        name: "Imported from Alibaba Cloud".into(),
        profile: Some("alibaba".into()),
        security_groups: groups,
        ..Default::default()
    };
    // The scenario's own rules validate it; their errors are said at the API's paths.
    if let Err(problems) = spec.build() {
        return Err(problems.into_iter().map(|p| Problem { path: origins.input_path(&p.path), ..p }).collect());
    }
    Ok((spec, warnings, origins))
}

#[derive(Default)]
struct Reader {
    groups: Vec<GroupSpec>,
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
    origins: Origins,
}

fn text<'v>(object: &'v Map<String, Value>, field: &str) -> &'v str {
    object.get(field).and_then(Value::as_str).map(str::trim).unwrap_or("")
}

fn warning(path: String, object: &str, field: &str, value: &str, message: &str) -> Problem {
    Problem {
        severity: Severity::Warning,
        path,
        object: object.to_string(),
        field: field.into(),
        value: value.into(),
        message: message.into(),
    }
}

impl Reader {
    fn group(&mut self, at: &str, doc: &Value, errors: &mut Vec<Problem>) {
        let Some(object) = doc.as_object() else {
            errors.push(Problem::error(at, format!("`{at}`"), "", "", "is not a DescribeSecurityGroupAttribute response (a JSON object)"));
            return;
        };
        let id = text(object, "SecurityGroupId").to_string();
        let name = format!("security group `{id}`");
        if id.is_empty() {
            errors.push(Problem::error(format!("{at}: SecurityGroupId"), name.clone(), "SecurityGroupId", "", "is required"));
        }
        self.unknown(at, object, &GROUP_FIELDS, &name);
        let g = self.groups.len();
        self.origins.insert(format!("security_groups[{g}]"), at.to_string());
        let policy = text(object, "InnerAccessPolicy");
        let group_type = text(object, "SecurityGroupType");
        let mut group = GroupSpec {
            id: id.clone(),
            name: text(object, "SecurityGroupName").to_string(),
            description: text(object, "Description").to_string(),
            group_type: (!group_type.is_empty()).then(|| group_type.to_string()),
            inner_access_policy: (!policy.is_empty()).then(|| policy.to_string()),
            ..Default::default()
        };
        self.origins.insert(format!("security_groups[{g}].type"), format!("{at}: SecurityGroupType"));
        self.origins.insert(format!("security_groups[{g}].inner_access_policy"), format!("{at}: InnerAccessPolicy"));
        let permissions = object.get("Permissions").and_then(|p| p.get("Permission")).and_then(Value::as_array);
        for (p, permission) in permissions.into_iter().flatten().enumerate() {
            let path = format!("{at}: Permissions.Permission[{p}]");
            let Some(permission) = permission.as_object() else {
                errors.push(Problem::error(path, name.clone(), "", "", "is not a JSON object"));
                continue;
            };
            let rule = self.permission(&path, permission, &name);
            self.origins.insert(format!("security_groups[{g}].rules[{}]", group.rules.len()), path);
            group.rules.push(rule);
        }
        self.groups.push(group);
    }

    fn unknown(&mut self, at: &str, object: &Map<String, Value>, known: &[&str], name: &str) {
        for (key, value) in object {
            let set = !matches!(value, Value::Null) && value.as_str() != Some("");
            if UNMODELLED.contains(&key.as_str()) {
                if set && value.as_str() != Some("-1/-1") {
                    let message = match key.as_str() {
                        "SourcePortRange" => "source port ranges are not modelled: the rule is imported matching every source port",
                        "SourcePrefixListId" | "DestPrefixListId" => {
                            "prefix lists are not modelled: the rule is imported without its prefix list (with the authorization object it has)"
                        }
                        _ => "is informational and not modelled",
                    };
                    self.warnings.push(warning(format!("{at}.{key}"), name, key, &value.to_string(), message));
                }
            } else if !known.contains(&key.as_str()) && !BOOKKEEPING.contains(&key.as_str()) {
                self.warnings.push(warning(format!("{at}.{key}"), name, key, &value.to_string(), "is not a field sgplay knows; left out"));
            }
        }
    }

    /// One permission as a scenario rule (validated by the scenario's own rules afterwards).
    fn permission(&mut self, path: &str, p: &Map<String, Value>, name: &str) -> RuleSpec {
        self.unknown(path, p, &PERMISSION_FIELDS, name);
        let direction = text(p, "Direction").to_ascii_lowercase();
        let ingress = direction != "egress";
        let policy = text(p, "Policy");
        let policy_ok = policy.is_empty() || policy.eq_ignore_ascii_case("accept") || policy.eq_ignore_ascii_case("drop");
        for (field, value, ok, right) in [
            ("Direction", direction.as_str(), direction == "ingress" || direction == "egress", "`ingress` or `egress`"),
            ("Policy", policy, policy_ok, "`Accept` or `Drop`"),
        ] {
            if !ok {
                self.errors.push(Problem::error(format!("{path}.{field}"), name, field, value, format!("must be {right}")));
            }
        }
        let (v4, v6, group, owner) = if ingress {
            ("SourceCidrIp", "Ipv6SourceCidrIp", "SourceGroupId", "SourceGroupOwnerAccount")
        } else {
            ("DestCidrIp", "Ipv6DestCidrIp", "DestGroupId", "DestGroupOwnerAccount")
        };
        let protocol = text(p, "IpProtocol").to_ascii_lowercase();
        let ipv6 = !text(p, v6).is_empty() || protocol == "icmpv6";
        if ipv6 && !text(p, v4).is_empty() {
            let message = "a permission with both an IPv4 and an IPv6 object: the IPv4 one is left out";
            self.warnings.push(warning(format!("{path}.{v4}"), name, v4, text(p, v4), message));
        }
        if text(p, "NicType").eq_ignore_ascii_case("internet") {
            let message = "an Internet rule of a classic network group: imported as an ordinary rule (VPC groups' rules cover public and internal traffic alike)";
            self.warnings.push(warning(format!("{path}.NicType"), name, "NicType", "internet", message));
        }
        let account = text(p, owner);
        if !account.is_empty() && !text(p, group).is_empty() {
            let message =
                "a group of another account (`account/sg-id`): modelled as an opaque group of its own, which holds no instance here";
            self.warnings.push(warning(format!("{path}.{owner}"), name, owner, account, message));
        }
        let ports = alibaba_rules::multiport(text(p, "PortRange"));
        let remote = |field: &str| Some(text(p, field).to_string()).filter(|s| !s.is_empty());
        let id = text(p, "SecurityGroupRuleId");
        RuleSpec {
            id: (!id.is_empty()).then(|| id.to_string()),
            direction: Some(if ingress { "ingress" } else { "egress" }.into()),
            ethertype: Some(if ipv6 { "IPv6" } else { "IPv4" }.into()),
            protocol: match protocol.as_str() {
                "" | "all" => None,
                other => Some(Value::String(other.to_string())),
            },
            multiport: ports.map(Value::String),
            action: Some(if policy.eq_ignore_ascii_case("drop") { "deny" } else { "allow" }.into()),
            priority: p.get("Priority").cloned().filter(|v| v.as_str() != Some("")),
            remote_ip_prefix: if ipv6 { remote(v6) } else { remote(v4) },
            remote_group_id: remote(group),
            description: remote("Description"),
            ..Default::default()
        }
    }

    /// Groups the rules name that no input holds become opaque groups (no rules, no members).
    fn opaque_groups(&mut self) {
        let held: BTreeSet<String> = self.groups.iter().map(|g| g.id.clone()).collect();
        let named: BTreeSet<String> = self.groups.iter().flat_map(|g| g.rules.iter().filter_map(|r| r.remote_group_id.clone())).collect();
        for id in named.difference(&held) {
            let message = "is named by a rule but was not imported: added as an opaque group with no rules and no instances, so the rule matches nobody until it is";
            self.warnings.push(warning("security_groups".into(), &format!("security group `{id}`"), "SourceGroupId", id, message));
            self.groups.push(GroupSpec {
                id: id.clone(),
                name: id.clone(),
                description: "opaque: named by a rule, not imported".into(),
                ..Default::default()
            });
        }
    }
}

/// The scenario as `DescribeSecurityGroupAttribute` responses, one JSON document per group, and
/// what they cannot carry.
pub(crate) fn export(spec: &ScenarioSpec) -> Result<(String, Vec<Problem>), Vec<Problem>> {
    let scenario = spec.build()?;
    let world = &scenario.world;
    let mut left_out =
        alibaba_rules::left_out(spec, world, "they are not part of DescribeSecurityGroupAttribute; ECS `DescribeInstances` lists them");
    let mut docs = Vec::new();
    for (g, group) in world.security_groups.iter().enumerate() {
        let permissions: Vec<Value> = alibaba_rules::permissions(g, group, &mut left_out).iter().map(permission).collect();
        docs.push(json!({
            "RequestId": "",
            "RegionId": "",
            "VpcId": "",
            "SecurityGroupId": group.id,
            "SecurityGroupName": group.name,
            "Description": group.description,
            "SecurityGroupType": if group.kind == GroupKind::Enterprise { "enterprise" } else { "normal" },
            "InnerAccessPolicy": if group.kind == GroupKind::Basic { "Accept" } else { "Drop" },
            "Permissions": {"Permission": permissions},
        }));
    }
    let text: Vec<String> = docs.iter().map(|d| serde_json::to_string_pretty(d).unwrap_or_default()).collect();
    Ok((text.join("\n"), left_out))
}

fn permission(permission: &Permission<'_>) -> Value {
    let rule = permission.rule;
    let protocol = match rule.protocol {
        ProtocolMatch::Any => "ALL".to_string(),
        p => p.to_string().to_ascii_uppercase().replace("ICMPV6", "ICMPv6"),
    };
    let ingress = rule.direction == Direction::Ingress;
    let (object_field, value) = match (&permission.object, ingress, rule.ethertype == Ethertype::IPv6) {
        (Authorization::Group(id), true, _) => ("SourceGroupId", id),
        (Authorization::Group(id), false, _) => ("DestGroupId", id),
        (Authorization::Cidr(cidr), true, false) => ("SourceCidrIp", cidr),
        (Authorization::Cidr(cidr), true, true) => ("Ipv6SourceCidrIp", cidr),
        (Authorization::Cidr(cidr), false, false) => ("DestCidrIp", cidr),
        (Authorization::Cidr(cidr), false, true) => ("Ipv6DestCidrIp", cidr),
    };
    // Unset fields are `""`, as the API writes them.
    let mut p: Map<String, Value> = PERMISSION_FIELDS.iter().map(|f| (f.to_string(), Value::String(String::new()))).collect();
    let mut set = |k: &str, v: String| {
        p.insert(k.to_string(), Value::String(v));
    };
    set("SecurityGroupRuleId", permission.id.clone());
    set("Direction", if ingress { "ingress" } else { "egress" }.into());
    set("Policy", alibaba::policy(rule.action).into());
    set("IpProtocol", protocol);
    set("PortRange", permission.port_range.clone());
    set(object_field, value.clone());
    set("NicType", "intranet".into());
    set("Description", rule.description.clone());
    p.insert("Priority".into(), Value::from(rule.priority));
    Value::Object(p)
}
