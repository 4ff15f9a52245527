//! The alicloud provider's arguments → the scenario's specs: `alicloud_security_group` is a
//! group of an Alibaba-profile scenario, `alicloud_security_group_rule` one of its rules.
//!
//! The provider writes a rule as Alibaba's API does, in lowercase: `type` (ingress|egress),
//! `ip_protocol` (tcp|udp|icmp|icmpv6|gre|all), `port_range` (`22/22`, `-1/-1`), `policy`
//! (accept|drop), `priority` (1–100), one authorization object (`cidr_ip`, `ipv6_cidr_ip`,
//! `source_security_group_id`, which names the destination group of an egress rule too). The
//! import writes the scenario's canonical form: group `type` always (`basic` for the API's
//! `normal`), `inner_access_policy` only when it changes something (`Drop` on a basic group),
//! "any address" (`0.0.0.0/0`, `::/0`, the provider's default) as no remote.
//!
//! What has no equivalent is a warning naming its path, modelled where it can be:
//! `source_group_owner_account` (another account's group: an opaque group of its own),
//! `nic_type = "internet"` (a classic network's public rule: an ordinary rule),
//! `prefix_list_id` (not modelled: left out of the rule, and the rule left out when it was its
//! only object, since without one it would match every address).

use super::arguments::{object_of, set, text, unknown, Found};
use crate::scenario::{GroupSpec, RuleSpec};
use serde_json::{Map, Value};

pub const GROUP: &str = "alicloud_security_group";
pub const RULE: &str = "alicloud_security_group_rule";

/// Arguments and attributes that say nothing about matching, read past.
const BOOKKEEPING: [&str; 10] = [
    "id",
    "vpc_id",
    "resource_group_id",
    "tags",
    "create_time",
    "security_group_rule_id",
    "depends_on",
    "provider",
    "lifecycle",
    "timeouts",
];

/// Bookkeeping the HCL reader does not evaluate (`vpc_id = alicloud_vpc.main.id`).
pub const UNEVALUATED: [&str; 3] = ["vpc_id", "resource_group_id", "tags"];

const GROUP_ARGS: [&str; 6] = ["name", "security_group_name", "description", "security_group_type", "inner_access_policy", "inner_access"];
const RULE_ARGS: [&str; 13] = [
    "security_group_id",
    "type",
    "ip_protocol",
    "port_range",
    "policy",
    "priority",
    "cidr_ip",
    "ipv6_cidr_ip",
    "source_security_group_id",
    "source_group_owner_account",
    "prefix_list_id",
    "nic_type",
    "description",
];

/// Scenario field → the argument it is read from, so validation's errors name the argument.
pub const GROUP_FIELDS: [(&str, &str); 2] = [("type", "security_group_type"), ("inner_access_policy", "inner_access_policy")];
pub const RULE_FIELDS: [(&str, &str); 5] = [
    ("direction", "type"),
    ("protocol", "ip_protocol"),
    ("multiport", "port_range"),
    ("action", "policy"),
    ("remote_group_id", "source_security_group_id"),
];

/// A lowercase text argument.
fn word(args: &Map<String, Value>, key: &str, path: &str, address: &str, found: &mut Found) -> Option<String> {
    text(args, key, path, address, found).map(|t| t.trim().to_ascii_lowercase())
}

/// A security group: name (`name`, or the newer `security_group_name`), description, type
/// and internal policy (`inner_access_policy`, or the older `inner_access` boolean).
pub fn group(id: &str, args: &Map<String, Value>, path: &str, address: &str, found: &mut Found) -> GroupSpec {
    unknown(args, &GROUP_ARGS, &BOOKKEEPING, path, address, found);
    let object = object_of(address);
    let group_type = match word(args, "security_group_type", path, address, found).as_deref() {
        None | Some("normal") | Some("basic") => "basic".to_string(),
        Some("enterprise") | Some("advanced") => "enterprise".to_string(),
        // As written, for the scenario's validation to name.
        Some(_) => text(args, "security_group_type", path, address, found).unwrap_or_default(),
    };
    let inner_access = match set(args, "inner_access", false) {
        None => None,
        Some(Value::Bool(true)) => Some("accept".to_string()),
        Some(Value::Bool(false)) => Some("drop".to_string()),
        Some(other) => {
            found.error(format!("{path}.inner_access"), &object, "inner_access", other.to_string(), "must be `true` or `false`");
            None
        }
    };
    let policy = word(args, "inner_access_policy", path, address, found).or(inner_access);
    let enterprise = group_type == "enterprise";
    let inner_access_policy = match policy.as_deref() {
        None => None,
        // The default of a basic group; what an enterprise group always does.
        Some("accept") if !enterprise => None,
        Some("drop") if enterprise => None,
        Some("accept") => Some("Accept".to_string()),
        Some("drop") => Some("Drop".to_string()),
        Some(_) => text(args, "inner_access_policy", path, address, found),
    };
    let name = text(args, "name", path, address, found).or_else(|| text(args, "security_group_name", path, address, found));
    GroupSpec {
        id: id.to_string(),
        name: name.unwrap_or_default(),
        description: text(args, "description", path, address, found).unwrap_or_default(),
        group_type: Some(group_type),
        inner_access_policy,
        ..Default::default()
    }
}

/// A rule and its `security_group_id`; `None` for the group when the rule is not imported.
pub fn rule(id: &str, args: &Map<String, Value>, path: &str, address: &str, found: &mut Found) -> (Option<String>, RuleSpec) {
    unknown(args, &RULE_ARGS, &BOOKKEEPING, path, address, found);
    let object = object_of(address);
    let at = |key: &str| format!("{path}.{key}");
    let mut group = text(args, "security_group_id", path, address, found);
    if group.is_none() {
        found.error(at("security_group_id"), &object, "security_group_id", "", "is required: the security group the rule belongs to");
    }
    let direction = word(args, "type", path, address, found);
    if !matches!(direction.as_deref(), Some("ingress" | "egress")) {
        found.error(at("type"), &object, "type", direction.clone().unwrap_or_default(), "must be `ingress` or `egress`");
    }
    let protocol = word(args, "ip_protocol", path, address, found).unwrap_or_else(|| "all".to_string());
    if !matches!(protocol.as_str(), "tcp" | "udp" | "icmp" | "icmpv6" | "gre" | "all") {
        found.error(at("ip_protocol"), &object, "ip_protocol", &protocol, "must be `tcp`, `udp`, `icmp`, `icmpv6`, `gre` or `all`");
    }
    let action = match word(args, "policy", path, address, found).as_deref() {
        None | Some("accept") => "allow",
        Some("drop") => "deny",
        Some(other) => {
            found.error(at("policy"), &object, "policy", other, "must be `accept` or `drop`");
            "allow"
        }
    };
    match word(args, "nic_type", path, address, found).as_deref() {
        None | Some("intranet") => {}
        Some("internet") => found.warn(
            at("nic_type"),
            &object,
            "nic_type",
            "internet",
            "is a classic network's public rule: imported as an ordinary rule (a VPC group's rules cover public and internal traffic alike)",
        ),
        Some(other) => found.error(at("nic_type"), &object, "nic_type", other, "must be `intranet` or `internet`"),
    }
    let v4 = text(args, "cidr_ip", path, address, found);
    let v6 = text(args, "ipv6_cidr_ip", path, address, found);
    let remote_group = text(args, "source_security_group_id", path, address, found);
    let ipv6 = v6.is_some() || protocol == "icmpv6";
    if ipv6 && v4.is_some() {
        let message = "a rule with both `cidr_ip` and `ipv6_cidr_ip`: the IPv4 block is left out (a scenario rule has one family)";
        found.warn(at("cidr_ip"), &object, "cidr_ip", v4.clone().unwrap_or_default(), message);
    }
    if let Some(account) = text(args, "source_group_owner_account", path, address, found) {
        let message = "names a group of another account: modelled as an opaque group of its own, which holds no instance here";
        found.warn(at("source_group_owner_account"), &object, "source_group_owner_account", account, message);
    }
    if let Some(list) = text(args, "prefix_list_id", path, address, found) {
        if v4.is_none() && v6.is_none() && remote_group.is_none() {
            let message = "prefix lists are not modelled and it is the rule's only authorization object (without it the rule would match every address); the rule is not imported";
            found.warn(at("prefix_list_id"), &object, "prefix_list_id", list, message);
            group = None;
        } else {
            let message = "prefix lists are not modelled: the rule is imported with its other authorization object only";
            found.warn(at("prefix_list_id"), &object, "prefix_list_id", list, message);
        }
    }
    // "Any address", the provider's default, is no remote.
    let block = if ipv6 { v6 } else { v4 }.filter(|b| b != "0.0.0.0/0" && b != "::/0");
    let spec = RuleSpec {
        id: Some(id.to_string()),
        direction,
        ethertype: Some(if ipv6 { "IPv6" } else { "IPv4" }.to_string()),
        protocol: (protocol != "all").then_some(Value::String(protocol)),
        multiport: text(args, "port_range", path, address, found)
            .and_then(|r| crate::interop::alibaba_rules::multiport(&r))
            .map(Value::String),
        action: Some(action.to_string()),
        priority: set(args, "priority", true).cloned(),
        remote_ip_prefix: block,
        remote_group_id: remote_group,
        description: text(args, "description", path, address, found),
        ..Default::default()
    };
    (group, spec)
}
