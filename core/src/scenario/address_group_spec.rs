//! An IP address group as written (Huawei VPC API field names: `ip_version`, `ip_set`).

use super::rule_spec::{edit_distance, scalar_text};
use crate::diagnostic::{Problem, Problems};
use crate::model::{AddressEntry, AddressGroup, Ethertype};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// The API's bookkeeping fields (`max_capacity`, `created_at`, …) are ignored; any other field is
/// reported (a misspelt `ip_set` must not silently leave the group empty).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AddressGroupSpec {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// `4` or `6` (a number or a string); default 4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_version: Option<Value>,
    /// Entries: addresses, CIDR blocks or ranges `a-b`; a list, or one comma-separated string.
    #[serde(default)]
    pub ip_set: Value,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Fields this model does not know, kept so nothing the user wrote is lost.
    #[serde(flatten, default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other_fields: BTreeMap<String, Value>,
}

/// Fields of the API's address-group objects that say nothing about which addresses it holds.
const API_BOOKKEEPING_FIELDS: [&str; 9] =
    ["max_capacity", "created_at", "updated_at", "project_id", "tenant_id", "enterprise_project_id", "status", "status_message", "tags"];

/// The fields an address group is made of.
const ADDRESS_GROUP_FIELDS: [&str; 5] = ["id", "name", "ip_version", "ip_set", "description"];

/// Names a writer may give the entry list.
const ENTRY_LIST_GUESSES: [&str; 6] = ["addresses", "entries", "ips", "cidrs", "ip_addresses", "members"];

impl AddressGroupSpec {
    /// How many entries `ip_set` holds, as written (a list, or a comma-separated text).
    pub fn entry_count(&self) -> usize {
        match &self.ip_set {
            Value::Array(items) => items.len(),
            Value::String(s) => s.split(',').filter(|p| !p.trim().is_empty()).count(),
            _ => 0,
        }
    }
}

pub fn build_address_group(spec: &AddressGroupSpec, path: &str, problems: &mut Problems) -> Option<AddressGroup> {
    let object = format!("IP address group `{}`", spec.id);
    let before = problems.iter().filter(|p| p.is_error()).count();
    let mut err = |field: &str, value: &str, message: String| {
        problems.push(Problem::error(format!("{path}.{field}"), object.clone(), field, value, message));
    };
    let ethertype = match spec.ip_version.as_ref().map(scalar_text) {
        None => Ethertype::IPv4,
        Some(Ok(t)) if matches!(t.trim(), "4" | "IPv4" | "ipv4") => Ethertype::IPv4,
        Some(Ok(t)) if matches!(t.trim(), "6" | "IPv6" | "ipv6") => Ethertype::IPv6,
        Some(Ok(t)) => {
            err("ip_version", &t, "must be 4 or 6".into());
            Ethertype::IPv4
        }
        Some(Err(kind)) => {
            err("ip_version", kind, "must be 4 or 6".into());
            Ethertype::IPv4
        }
    };
    let texts: Vec<String> = match &spec.ip_set {
        Value::Null => Vec::new(),
        Value::String(s) => s.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| match v {
                Value::String(s) => Some(s.trim().to_string()),
                other => {
                    err(&format!("ip_set[{i}]"), &other.to_string(), "must be text: an address, a CIDR block or a range `a-b`".into());
                    None
                }
            })
            .collect(),
        other => {
            err("ip_set", &other.to_string(), "must be a list of addresses, CIDR blocks or ranges `a-b`".into());
            Vec::new()
        }
    };
    let mut entries = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        match parse_entry(text, ethertype) {
            Ok(e) => entries.push(e),
            Err(message) => err(&format!("ip_set[{i}]"), text, message),
        }
    }
    let mut warnings = Vec::new();
    for name in spec.other_fields.keys().filter(|k| !API_BOOKKEEPING_FIELDS.contains(&k.as_str())) {
        if name == "ip_extra_set" {
            err(
                name,
                name,
                "is the API's entry list with remarks; write the addresses in `ip_set`, or read the API output with `sgplay import`".into(),
            );
        } else if ENTRY_LIST_GUESSES.contains(&name.as_str()) {
            err(name, name, "is not an address group field; the addresses go in `ip_set`".into());
        } else if let Some(meant) = ADDRESS_GROUP_FIELDS.iter().find(|f| edit_distance(f, name) <= 2) {
            err(name, name, format!("is not an address group field; did you mean `{meant}`?"));
        } else {
            warnings.push(
                Problem::error(format!("{path}.{name}"), object.clone(), name, name, "is not an address group field and is ignored")
                    .with_severity(crate::diagnostic::Severity::Warning),
            );
        }
    }
    for w in warnings {
        problems.push(w);
    }
    let failed = problems.iter().filter(|p| p.is_error()).count() > before;
    (!failed).then(|| AddressGroup {
        id: spec.id.clone(),
        name: if spec.name.is_empty() { spec.id.clone() } else { spec.name.clone() },
        ethertype,
        entries,
    })
}

/// One `ip_set` entry of the group's family.
pub fn parse_entry(text: &str, family: Ethertype) -> Result<AddressEntry, String> {
    let family_ok = |a: IpAddr| {
        if Ethertype::of(a) == family {
            Ok(())
        } else {
            Err(format!("is an {} address but the group holds {family} addresses", Ethertype::of(a)))
        }
    };
    if let Some((a, b)) = text.split_once('-') {
        let parse = |s: &str| {
            s.trim().parse::<IpAddr>().map_err(|_| format!("`{}` is not an IP address; a range is written `10.0.0.1-10.0.0.9`", s.trim()))
        };
        let (first, last) = (parse(a)?, parse(b)?);
        family_ok(first)?;
        family_ok(last)?;
        if first > last {
            return Err(format!("range is reversed; write `{last}-{first}`"));
        }
        return Ok(AddressEntry::Range(first, last));
    }
    let net = if text.contains('/') {
        text.parse::<IpNet>()
            .map_err(|_| "is not an address, CIDR block or range, e.g. `10.0.0.1`, `10.0.0.0/24`, `10.0.0.1-10.0.0.9`".to_string())?
    } else {
        IpNet::from(
            text.parse::<IpAddr>()
                .map_err(|_| "is not an address, CIDR block or range, e.g. `10.0.0.1`, `10.0.0.0/24`, `10.0.0.1-10.0.0.9`".to_string())?,
        )
    };
    family_ok(net.addr())?;
    if net.trunc() != net {
        return Err(format!("has host bits set; the block is `{}`", net.trunc()));
    }
    Ok(AddressEntry::Net(net))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries() {
        assert!(parse_entry("10.0.0.1", Ethertype::IPv4).is_ok());
        assert!(parse_entry("10.0.0.9-10.0.0.1", Ethertype::IPv4).unwrap_err().contains("10.0.0.1-10.0.0.9"));
        assert!(parse_entry("10.0.0.1/24", Ethertype::IPv4).unwrap_err().contains("10.0.0.0/24"));
        assert!(parse_entry("::1", Ethertype::IPv4).is_err());
        let e = parse_entry("10.0.0.5-10.0.0.9", Ethertype::IPv4).unwrap();
        assert!(e.contains("10.0.0.7".parse().unwrap()));
        assert!(!e.contains("10.0.0.10".parse().unwrap()));
    }
}
