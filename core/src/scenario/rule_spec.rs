//! A rule as written: Huawei VPC API v3 field names and values, every field optional and loosely
//! typed (the API returns `priority` as a number or a numeric string). `build_rule` validates
//! it into a `model::Rule`, reporting every problem.

use crate::diagnostic::{known_ids, IdList, Problem, Problems};
use crate::model::protocol::{ICMP, ICMPV6};
use crate::model::{parse_ports, parse_protocol, Action, Direction, Ethertype, PortSet, ProtocolMatch, Remote, Rule};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// Fields we do not model (`created_at`, `project_id`, …) are ignored, so a rule copied from the
/// API's JSON output is accepted as is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_group_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ethertype: Option<String>,
    /// `tcp`, `udp`, `icmp`, `icmpv6`, `gre`, a number 0–255; absent or empty = all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Value>,
    /// `22`, `22-30`, `22,25,27`, `22-24,25`; absent or empty = all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiport: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// 1–100, as a number or a numeric string; absent = 1 (the console's default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_ip_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_group_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_address_group_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Fields this model does not know, kept so nothing the user wrote is lost; `build_rule`
    /// ignores the API's bookkeeping fields and reports the rest (a misspelt field must not
    /// silently widen a rule).
    #[serde(flatten, default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other_fields: BTreeMap<String, Value>,
}

/// Fields of the API's rule objects that say nothing about matching.
const API_BOOKKEEPING_FIELDS: [&str; 9] = [
    "created_at",
    "updated_at",
    "project_id",
    "tenant_id",
    "enterprise_project_id",
    "revision_number",
    "tags",
    "remote_group_name",
    "remote_address_group_name",
];

/// The fields a rule is made of.
pub const RULE_FIELDS: [&str; 12] = [
    "id",
    "security_group_id",
    "direction",
    "ethertype",
    "protocol",
    "multiport",
    "action",
    "priority",
    "remote_ip_prefix",
    "remote_group_id",
    "remote_address_group_id",
    "description",
];

impl RuleSpec {
    /// The spec of an existing rule: what an editor starts from and what export writes.
    pub fn from_rule(rule: &Rule, group_id: &str) -> RuleSpec {
        let (prefix, group, address_group) = match &rule.remote {
            Remote::Any => (None, None, None),
            Remote::Prefix(net) => (Some(net.to_string()), None, None),
            Remote::Group(g) => (None, Some(g.clone()), None),
            Remote::AddressGroup(g) => (None, None, Some(g.clone())),
        };
        RuleSpec {
            id: Some(rule.id.clone()),
            security_group_id: Some(group_id.to_string()),
            direction: Some(match rule.direction {
                Direction::Ingress => "ingress".into(),
                Direction::Egress => "egress".into(),
            }),
            ethertype: Some(rule.ethertype.to_string()),
            protocol: match rule.protocol {
                ProtocolMatch::Any => None,
                p => Some(Value::String(p.to_string())),
            },
            multiport: (!rule.ports.is_all()).then(|| Value::String(rule.ports.to_string())),
            action: Some(rule.action.to_string()),
            priority: Some(Value::from(rule.priority)),
            remote_ip_prefix: prefix,
            remote_group_id: group,
            remote_address_group_id: address_group,
            description: (!rule.description.is_empty()).then(|| rule.description.clone()),
            other_fields: BTreeMap::new(),
        }
    }
}

/// What a rule may refer to, and where it sits, for messages.
pub struct RuleContext<'a> {
    /// `security_groups[0].rules[3]`
    pub path: String,
    pub group_id: &'a str,
    /// 0-based position in the group, for generated ids.
    pub index: usize,
    pub group_ids: &'a IdList,
    /// Address group id → its IP version (sorted, so messages list them in a stable order).
    pub address_groups: &'a BTreeMap<String, Ethertype>,
}

/// Text of a loosely typed scalar: strings as written, numbers printed; other JSON kinds are
/// `Err` with the kind's name.
pub(crate) fn scalar_text(v: &Value) -> Result<String, &'static str> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Null => Ok(String::new()),
        Value::Bool(_) => Err("a boolean"),
        Value::Array(_) => Err("a list"),
        Value::Object(_) => Err("an object"),
    }
}

/// Validates one rule. The console turns several comma-separated source addresses into one rule
/// each, so a `remote_ip_prefix` with commas yields several rules (ids `A01`, `A01-2`, …).
/// Returns no rule when anything is wrong; every problem goes to `problems`.
pub fn build_rule(spec: &RuleSpec, ctx: &RuleContext<'_>, problems: &mut Problems) -> Vec<Rule> {
    let id = spec.id.clone().filter(|s| !s.trim().is_empty());
    let shown_id = id.clone().unwrap_or_else(|| format!("#{}", ctx.index + 1));
    // Written out only for a problem: a valid rule (nearly all of an estate's) costs no text.
    let object = || format!("rule `{shown_id}` of security group `{}`", ctx.group_id);
    let before = problems.error_count();
    let mut err = |field: &str, value: &str, message: String| {
        problems.push(Problem::error(format!("{}.{field}", ctx.path), object(), field, value, message));
    };

    let is = |text: &str, word: &str| text.eq_ignore_ascii_case(word);
    let direction = match spec.direction.as_deref().map(str::trim) {
        Some(d) if is(d, "ingress") || is(d, "inbound") => Some(Direction::Ingress),
        Some(d) if is(d, "egress") || is(d, "outbound") => Some(Direction::Egress),
        Some(d) => {
            err("direction", &d.to_ascii_lowercase(), "must be `ingress` (inbound) or `egress` (outbound)".into());
            None
        }
        None => {
            err("direction", "", "is required: `ingress` (inbound) or `egress` (outbound)".into());
            None
        }
    };

    let ethertype = match spec.ethertype.as_deref().map(str::trim) {
        None => Some(Ethertype::IPv4),
        Some(e) if e.is_empty() || is(e, "ipv4") => Some(Ethertype::IPv4),
        Some(e) if is(e, "ipv6") => Some(Ethertype::IPv6),
        Some(e) => {
            err("ethertype", &e.to_ascii_lowercase(), "must be `IPv4` or `IPv6`".into());
            None
        }
    };

    let protocol = match spec.protocol.as_ref().map(scalar_text) {
        None => Some(ProtocolMatch::Any),
        Some(Err(kind)) => {
            err(
                "protocol",
                kind,
                "must be text: `tcp`, `udp`, `icmp`, `icmpv6`, `gre`, an IP protocol number 0-255, or empty for all".into(),
            );
            None
        }
        Some(Ok(text)) => match parse_protocol(&text) {
            Some(p) => Some(p),
            None => {
                err(
                    "protocol",
                    &text,
                    "is not a protocol: use `tcp`, `udp`, `icmp`, `icmpv6`, `gre`, a number 0-255, or leave it empty for all".into(),
                );
                None
            }
        },
    };
    match (protocol, ethertype) {
        (Some(ProtocolMatch::Number(ICMP)), Some(Ethertype::IPv6)) => {
            err("protocol", "icmp", "`icmp` needs ethertype `IPv4`; for IPv6 use `icmpv6`".into())
        }
        (Some(ProtocolMatch::Number(ICMPV6)), Some(Ethertype::IPv4)) => {
            err("protocol", "icmpv6", "`icmpv6` needs ethertype `IPv6`; for IPv4 use `icmp`".into())
        }
        _ => {}
    }

    let ports = match spec.multiport.as_ref().map(scalar_text) {
        None => Some(PortSet::all()),
        Some(Err(kind)) => {
            err("multiport", kind, "must be text like `22`, `22-30` or `22,25,27`".into());
            None
        }
        Some(Ok(text)) => match parse_ports(&text) {
            Ok(set) => Some(set),
            Err(e) => {
                err("multiport", &text, format!("element `{}`: {}", e.element, e.reason));
                None
            }
        },
    };
    if let (Some(p), Some(set)) = (protocol, ports.as_ref()) {
        if !set.is_all() && !p.has_ports() {
            err(
                "multiport",
                &set.to_string(),
                format!("ports apply to tcp and udp only; protocol `{p}` takes no ports, so leave `multiport` empty"),
            );
        }
    }

    let action = match spec.action.as_deref().map(str::trim) {
        None => Some(Action::Allow),
        Some(a) if is(a, "allow") || is(a, "accept") => Some(Action::Allow),
        Some(a) if is(a, "deny") || is(a, "drop") => Some(Action::Deny),
        Some(a) => {
            err("action", &a.to_ascii_lowercase(), "must be `allow` or `deny`".into());
            None
        }
    };

    let priority = match spec.priority.as_ref() {
        None => Some(1),
        Some(v) => match parse_priority(v) {
            Ok(p) => Some(p),
            Err(shown) => {
                err("priority", &shown, "must be an integer from 1 to 100 (1 is evaluated first)".into());
                None
            }
        },
    };

    let description = spec.description.clone().unwrap_or_default();
    if description.chars().count() > 255 {
        err(
            "description",
            &format!("{}…", description.chars().take(20).collect::<String>()),
            format!("has {} characters; at most 255 are allowed", description.chars().count()),
        );
    }
    if description.contains(['<', '>']) {
        err("description", &description, "must not contain `<` or `>`".into());
    }

    let remotes = remotes(spec, ctx, ethertype, &mut err);

    let mut warnings = Vec::new();
    for name in spec.other_fields.keys().filter(|k| !API_BOOKKEEPING_FIELDS.contains(&k.as_str())) {
        if name == "port_range_min" || name == "port_range_max" {
            err(name, name, "is the older API's port field; write the ports in `multiport`, e.g. `22` or `22-30`".into());
        } else if let Some(meant) = RULE_FIELDS.iter().find(|f| edit_distance(f, name) <= 2) {
            err(name, name, format!("is not a rule field; did you mean `{meant}`?"));
        } else {
            warnings.push(
                Problem::error(format!("{}.{name}", ctx.path), object(), name, name, "is not a rule field and is ignored")
                    .with_severity(crate::diagnostic::Severity::Warning),
            );
        }
    }

    let has_errors = problems.error_count() > before;
    for w in warnings {
        problems.push(w);
    }
    let (Some(direction), Some(ethertype), Some(protocol), Some(ports), Some(action), Some(priority), Some(remotes)) =
        (direction, ethertype, protocol, ports, action, priority, remotes)
    else {
        return Vec::new();
    };
    if has_errors {
        return Vec::new();
    }
    let base_id =
        id.unwrap_or_else(|| format!("{}-{}-{}", ctx.group_id, if direction == Direction::Ingress { "in" } else { "out" }, ctx.index + 1));
    let many = remotes.len() > 1;
    remotes
        .into_iter()
        .enumerate()
        .map(|(n, remote)| Rule {
            id: if many && n > 0 { format!("{base_id}-{}", n + 1) } else { base_id.clone() },
            direction,
            ethertype,
            protocol,
            ports: ports.clone(),
            action,
            priority,
            remote,
            description: description.clone(),
        })
        .collect()
}

/// Levenshtein distance, to recognise a misspelt field name.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

fn parse_priority(v: &Value) -> Result<u8, String> {
    let text = scalar_text(v).map_err(|kind| kind.to_string())?;
    match crate::model::ports::parse_decimal(text.trim()) {
        Some(p) if (1..=100).contains(&p) => Ok(p as u8),
        _ => Err(text),
    }
}

/// The rule's remote side(s). `None` after reporting a problem.
fn remotes(
    spec: &RuleSpec,
    ctx: &RuleContext<'_>,
    ethertype: Option<Ethertype>,
    err: &mut impl FnMut(&str, &str, String),
) -> Option<Vec<Remote>> {
    let nonempty = |o: &Option<String>| o.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let given: Vec<(&str, String)> = [
        ("remote_ip_prefix", nonempty(&spec.remote_ip_prefix)),
        ("remote_group_id", nonempty(&spec.remote_group_id)),
        ("remote_address_group_id", nonempty(&spec.remote_address_group_id)),
    ]
    .into_iter()
    .filter_map(|(f, v)| v.map(|v| (f, v)))
    .collect();
    if given.len() > 1 {
        let names: Vec<&str> = given.iter().map(|(f, _)| *f).collect();
        err(names[1], &given[1].1, format!("a rule has one remote at most, but {} are set; keep one", names.join(" and ")));
        return None;
    }
    let Some((field, value)) = given.into_iter().next() else {
        return Some(vec![Remote::Any]);
    };
    match field {
        "remote_ip_prefix" => {
            let mut out = Vec::new();
            let mut ok = true;
            for part in value.split(',').map(str::trim) {
                match parse_prefix(part, ethertype) {
                    Ok(net) => out.push(Remote::Prefix(net)),
                    Err(message) => {
                        err(field, part, message);
                        ok = false;
                    }
                }
            }
            ok.then_some(out)
        }
        "remote_group_id" => {
            if ctx.group_ids.contains(&value) {
                Some(vec![Remote::Group(value)])
            } else {
                err(field, &value, format!("no security group has this id; known groups: {}", ctx.group_ids.known()));
                None
            }
        }
        _ => match ctx.address_groups.get(&value) {
            None => {
                err(
                    field,
                    &value,
                    format!("no IP address group has this id; known address groups: {}", known_ids(ctx.address_groups.keys())),
                );
                None
            }
            Some(v) if Some(*v) != ethertype && ethertype.is_some() => {
                err(
                    field,
                    &value,
                    format!("the address group holds {v} addresses but the rule is {}", ethertype.map_or(String::new(), |e| e.to_string())),
                );
                None
            }
            Some(_) => Some(vec![Remote::AddressGroup(value)]),
        },
    }
}

/// An address or CIDR of the rule's family. Host bits set are rejected with the normalised
/// block suggested, as the console does.
pub fn parse_prefix(text: &str, ethertype: Option<Ethertype>) -> Result<IpNet, String> {
    let net = if text.contains('/') {
        text.parse::<IpNet>().map_err(|_| {
            "is not an IP address or CIDR block, e.g. `192.168.10.10/32`, `192.168.1.0/24` or `2407:c080:802:469::/64`".to_string()
        })?
    } else {
        let addr = text.parse::<IpAddr>().map_err(|_| {
            "is not an IP address or CIDR block, e.g. `192.168.10.10/32`, `192.168.1.0/24` or `2407:c080:802:469::/64`".to_string()
        })?;
        IpNet::from(addr)
    };
    if net.trunc() != net {
        return Err(format!("has host bits set; the block is `{}`", net.trunc()));
    }
    if let Some(e) = ethertype {
        if Ethertype::of(net.addr()) != e {
            let any = e.any_prefix();
            return Err(format!(
                "is an {} address but the rule's ethertype is {e} (any {e} address is `{any}`)",
                Ethertype::of(net.addr())
            ));
        }
    }
    Ok(net)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn build(v: Value) -> (Vec<Rule>, Vec<Problem>) {
        let spec: RuleSpec = serde_json::from_value(v).unwrap();
        let groups = IdList::new(vec!["sg-a".to_string(), "sg-b".to_string()]);
        let ags = BTreeMap::from([("ipg-a".to_string(), Ethertype::IPv4)]);
        let ctx = RuleContext {
            path: "security_groups[0].rules[0]".into(),
            group_id: "sg-a",
            index: 0,
            group_ids: &groups,
            address_groups: &ags,
        };
        let mut problems = Problems::default();
        let rules = build_rule(&spec, &ctx, &mut problems);
        (rules, problems.into_vec())
    }

    #[test]
    fn api_output_is_accepted_as_is() {
        let (rules, problems) = build(json!({
            "id": "f6b5b2b9", "security_group_id": "sg-a", "direction": "ingress", "ethertype": "IPv4",
            "protocol": "tcp", "multiport": "22,25,27", "action": "allow", "priority": "1",
            "remote_ip_prefix": null, "remote_group_id": "sg-b", "remote_address_group_id": null,
            "description": "", "created_at": "2020-08-13T07:12:36.000+00:00", "project_id": "060576"
        }));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(rules[0].priority, 1);
        assert_eq!(rules[0].remote, Remote::Group("sg-b".into()));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let (rules, problems) = build(json!({
            "direction": "in", "protocol": "icmp", "multiport": "30-22", "priority": 101,
            "remote_ip_prefix": "10.0.0.1/8", "description": "<b>"
        }));
        assert!(rules.is_empty());
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        for f in ["direction", "multiport", "priority", "remote_ip_prefix", "description"] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
        let prefix = problems.iter().find(|p| p.field == "remote_ip_prefix").unwrap();
        assert!(prefix.message.contains("`10.0.0.0/8`"), "{}", prefix.message);
    }

    #[test]
    fn ports_need_tcp_or_udp() {
        let (_, problems) = build(json!({"direction": "ingress", "protocol": "icmp", "multiport": "22"}));
        assert_eq!(problems[0].field, "multiport");
        let (_, problems) = build(json!({"direction": "ingress", "multiport": "22"}));
        assert_eq!(problems[0].field, "multiport");
    }

    #[test]
    fn family_mismatches_are_errors() {
        let (_, p) = build(json!({"direction": "ingress", "ethertype": "IPv6", "protocol": "icmp"}));
        assert_eq!(p[0].field, "protocol");
        let (_, p) = build(json!({"direction": "ingress", "ethertype": "IPv6", "remote_ip_prefix": "0.0.0.0/0"}));
        assert_eq!(p[0].field, "remote_ip_prefix");
        let (_, p) = build(json!({"direction": "ingress", "ethertype": "IPv6", "remote_address_group_id": "ipg-a"}));
        assert_eq!(p[0].field, "remote_address_group_id");
    }

    #[test]
    fn comma_separated_sources_become_rules() {
        let (rules, problems) = build(json!({"id": "r", "direction": "ingress", "remote_ip_prefix": "192.168.52.0/24, 10.0.0.0/24"}));
        assert!(problems.is_empty());
        let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["r", "r-2"]);
    }

    #[test]
    fn a_misspelt_field_is_an_error_not_a_wider_rule() {
        let (rules, p) = build(json!({"direction": "ingress", "remote_ip_prefx": "10.0.0.0/8"}));
        assert!(rules.is_empty());
        assert_eq!(p[0].field, "remote_ip_prefx");
        assert!(p[0].message.contains("`remote_ip_prefix`"), "{}", p[0].message);
        let (rules, p) = build(json!({"direction": "ingress", "colour": "blue", "created_at": "2020"}));
        assert_eq!(rules.len(), 1);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].severity, crate::diagnostic::Severity::Warning);
    }

    #[test]
    fn unknown_references_name_what_exists() {
        let (_, p) = build(json!({"direction": "ingress", "remote_group_id": "sg-x"}));
        assert!(p[0].message.contains("`sg-a`, `sg-b`"));
        let (_, p) = build(json!({"direction": "ingress", "remote_group_id": "sg-a", "remote_ip_prefix": "1.2.3.4"}));
        assert!(p[0].message.contains("one remote"));
    }
}
