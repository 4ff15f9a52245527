//! The huaweicloud provider's arguments ↔ the scenario's specs, shared by the HCL reader, the
//! JSON reader and the HCL writer (`huaweicloud_networking_secgroup`, `…_secgroup_rule`,
//! `huaweicloud_vpc_address_group`). `0` is unset for `port_range_min`, `port_range_max` and
//! `priority` (a state's unset integers).

use super::arguments::{object_of, set, shown, text, unknown, Found};
use crate::scenario::{AddressGroupSpec, GroupSpec, RuleSpec};
use serde_json::{Map, Value};

pub const SECGROUP: &str = "huaweicloud_networking_secgroup";
pub const RULE: &str = "huaweicloud_networking_secgroup_rule";
pub const ADDRESS_GROUP: &str = "huaweicloud_vpc_address_group";

/// Arguments and attributes that say nothing about matching, read past. Terraform's own
/// meta-arguments (`depends_on`, `provider`, `lifecycle`, `timeouts`) are among them.
const BOOKKEEPING: [&str; 16] = [
    "status_message",
    "region",
    "enterprise_project_id",
    "tags",
    "created_at",
    "updated_at",
    "depends_on",
    "provider",
    "lifecycle",
    "timeouts",
    "max_capacity",
    "force_destroy",
    "status",
    "id",
    "tags_all",
    "rules",
];

/// The arguments each resource type maps.
const SECGROUP_ARGS: [&str; 3] = ["name", "description", "delete_default_rules"];
const RULE_ARGS: [&str; 13] = [
    "security_group_id",
    "direction",
    "ethertype",
    "protocol",
    "ports",
    "port_range_min",
    "port_range_max",
    "action",
    "priority",
    "remote_ip_prefix",
    "remote_group_id",
    "remote_address_group_id",
    "description",
];
const ADDRESS_GROUP_ARGS: [&str; 5] = ["name", "description", "addresses", "ip_extra_set", "ip_version"];

/// A security group from its arguments. `id` is the scenario's id for it (the resource's
/// address, or the cloud's id from a state).
pub fn group(id: &str, args: &Map<String, Value>, path: &str, address: &str, found: &mut Found) -> GroupSpec {
    unknown(args, &SECGROUP_ARGS, &BOOKKEEPING, path, address, found);
    let delete_default = match set(args, "delete_default_rules", false) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s == "true" || s == "false" => s == "true",
        None => false,
        Some(other) => {
            found.error(
                format!("{path}.delete_default_rules"),
                &object_of(address),
                "delete_default_rules",
                shown(other),
                "must be a boolean",
            );
            true
        }
    };
    if !delete_default {
        found.warn(
            format!("{path}.delete_default_rules"),
            &object_of(address),
            "delete_default_rules",
            "",
            "is not `true`, so the cloud adds its default rules to the group (members talk to each other, everything may go out); \
             imported as the `default` template before the group's rule resources",
        );
    }
    GroupSpec {
        id: id.to_string(),
        name: text(args, "name", path, address, found).unwrap_or_default(),
        description: text(args, "description", path, address, found).unwrap_or_default(),
        template: (!delete_default).then(|| "default".to_string()),
        rules: Vec::new(),
        ..Default::default()
    }
}

/// A rule from its arguments, and its `security_group_id` as written (a group id, or the text
/// of an unresolved value). `port_range_min`/`max` become `multiport` `min-max` for tcp and
/// udp; for other protocols they are an ICMP type and code, which sgplay does not model.
pub fn rule(id: &str, args: &Map<String, Value>, path: &str, address: &str, found: &mut Found) -> (Option<String>, RuleSpec) {
    unknown(args, &RULE_ARGS, &BOOKKEEPING, path, address, found);
    let object = object_of(address);
    let group = text(args, "security_group_id", path, address, found);
    if group.is_none() {
        found.error(
            format!("{path}.security_group_id"),
            &object,
            "security_group_id",
            "",
            "is required: the security group the rule belongs to",
        );
    }
    let protocol = text(args, "protocol", path, address, found);
    let mut multiport = text(args, "ports", path, address, found);
    let (min, max) = (set(args, "port_range_min", true), set(args, "port_range_max", true));
    if min.is_some() || max.is_some() {
        let scalar = |v: Option<&Value>| v.map(|v| v.to_string().trim_matches('"').to_string());
        let (lo, hi) = (scalar(min).or(scalar(max)).unwrap_or_default(), scalar(max).or(scalar(min)).unwrap_or_default());
        let tcp_udp = matches!(protocol.as_deref().map(str::to_ascii_lowercase).as_deref(), Some("tcp" | "udp" | "6" | "17"));
        if multiport.is_some() {
            // `ports` carries the rule (a state lists both when `ports` was written).
        } else if !tcp_udp {
            found.error(
                format!("{path}.port_range_min"),
                &object,
                "port_range_min",
                lo,
                "for a protocol other than tcp or udp is an ICMP type and code, which sgplay does not model",
            );
        } else {
            multiport = Some(if lo == hi { lo } else { format!("{lo}-{hi}") });
        }
    }
    let spec = RuleSpec {
        id: Some(id.to_string()),
        security_group_id: None,
        direction: text(args, "direction", path, address, found),
        ethertype: text(args, "ethertype", path, address, found),
        protocol: protocol.map(Value::String),
        multiport: multiport.map(Value::String),
        action: text(args, "action", path, address, found),
        priority: set(args, "priority", true).cloned(),
        remote_ip_prefix: text(args, "remote_ip_prefix", path, address, found),
        remote_group_id: text(args, "remote_group_id", path, address, found),
        remote_address_group_id: text(args, "remote_address_group_id", path, address, found),
        description: text(args, "description", path, address, found),
        other_fields: Default::default(),
    };
    (group, spec)
}

/// An IP address group from its arguments: `addresses`, or `ip_extra_set` (whose `remarks`
/// are not modelled: a warning).
pub fn address_group(id: &str, args: &Map<String, Value>, path: &str, address: &str, found: &mut Found) -> AddressGroupSpec {
    unknown(args, &ADDRESS_GROUP_ARGS, &BOOKKEEPING, path, address, found);
    let object = object_of(address);
    let mut entries: Vec<Value> = Vec::new();
    match set(args, "addresses", false) {
        None => {}
        Some(Value::Array(items)) => entries.extend(items.iter().cloned()),
        Some(other) => found.error(format!("{path}.addresses"), &object, "addresses", shown(other), "must be a list of addresses"),
    }
    match set(args, "ip_extra_set", false) {
        None => {}
        Some(Value::Array(items)) => {
            let mut remarks = 0;
            for (i, item) in items.iter().enumerate() {
                match item.get("ip") {
                    Some(ip) if !entries.contains(ip) => entries.push(ip.clone()),
                    Some(_) => {}
                    None => found.error(format!("{path}.ip_extra_set[{i}].ip"), &object, "ip", "", "is required"),
                }
                if item.get("remarks").is_some_and(|r| !matches!(r, Value::Null) && r != "") {
                    remarks += 1;
                }
            }
            if remarks > 0 {
                found.warn(
                    format!("{path}.ip_extra_set"),
                    &object,
                    "remarks",
                    remarks.to_string(),
                    format!(
                        "has `remarks` on {remarks} of its entries, which sgplay does not model; the addresses are imported without them"
                    ),
                );
            }
        }
        Some(other) => {
            found.error(format!("{path}.ip_extra_set"), &object, "ip_extra_set", shown(other), "must be a list of `{ip, remarks}` blocks")
        }
    }
    AddressGroupSpec {
        id: id.to_string(),
        name: text(args, "name", path, address, found).unwrap_or_default(),
        ip_version: set(args, "ip_version", true).cloned(),
        ip_set: Value::Array(entries),
        description: text(args, "description", path, address, found).unwrap_or_default(),
        other_fields: Default::default(),
    }
}
