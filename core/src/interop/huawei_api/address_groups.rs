//! IP address groups as `ListAddressGroup` and `ShowAddressGroup` write them (VPC v3
//! `AddressGroup`): `ip_set` entries, and `ip_extra_set` entries that add a remark to one.

use super::fields::{api_object, non_empty, skip, ApiObject, Text};
use crate::scenario::AddressGroupSpec;
use serde::de::MapAccess;
use serde_json::Value;
use std::collections::HashSet;

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ApiAddressGroup {
    pub id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    /// `4` or `6`, a number (or a string in hand-written bodies).
    pub ip_version: Text,
    pub ip_set: Option<Vec<String>>,
    pub ip_extra_set: Option<Vec<IpExtra>>,
    pub unknown: Vec<String>,
}

impl ApiObject for ApiAddressGroup {
    const KIND: &'static str = "IP address group";
    fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "id" => self.id = map.next_value()?,
            "name" => self.name = map.next_value()?,
            "description" => self.description = map.next_value()?,
            "ip_version" => self.ip_version = map.next_value()?,
            "ip_set" => self.ip_set = map.next_value()?,
            "ip_extra_set" => self.ip_extra_set = map.next_value()?,
            "max_capacity"
            | "created_at"
            | "updated_at"
            | "tenant_id"
            | "project_id"
            | "enterprise_project_id"
            | "tags"
            | "status"
            | "status_message" => skip(map)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
    fn unknown_fields(&mut self) -> &mut Vec<String> {
        &mut self.unknown
    }
}
api_object!(ApiAddressGroup);

/// One `ip_extra_set` entry: an `ip_set` entry with a remark.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct IpExtra {
    pub ip: Option<String>,
    pub remarks: Option<String>,
    pub unknown: Vec<String>,
}

impl ApiObject for IpExtra {
    const KIND: &'static str = "ip_extra_set entry";
    fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "ip" => self.ip = map.next_value()?,
            "remarks" => self.remarks = map.next_value()?,
            _ => return Ok(false),
        }
        Ok(true)
    }
    fn unknown_fields(&mut self) -> &mut Vec<String> {
        &mut self.unknown
    }
}
api_object!(IpExtra);

impl ApiAddressGroup {
    /// The scenario's address group, canonical as export writes it: `ip_version` a number when
    /// it is one, the entries of `ip_set` as written, then those only `ip_extra_set` holds.
    pub fn to_spec(&self, id: &str) -> AddressGroupSpec {
        let ip_version = self.ip_version.non_empty().map(|v| match v.parse::<u64>() {
            Ok(n) => Value::from(n),
            Err(_) => Value::String(v),
        });
        let listed: Vec<String> = self.ip_set.iter().flatten().map(|e| e.trim().to_string()).collect();
        let mut seen: HashSet<String> = listed.iter().cloned().collect();
        let extra = self.ip_extra_set.iter().flatten().filter_map(|e| e.ip.as_deref()).map(|e| e.trim().to_string());
        let extra: Vec<String> = extra.filter(|e| seen.insert(e.clone())).collect();
        let entries: Vec<Value> = listed.into_iter().chain(extra).map(Value::String).collect();
        AddressGroupSpec {
            id: id.to_string(),
            name: non_empty(&self.name).unwrap_or_default(),
            ip_version,
            ip_set: Value::Array(entries),
            description: self.description.clone().unwrap_or_default(),
            other_fields: Default::default(),
        }
    }

    /// How many `ip_extra_set` entries carry a remark (not modelled, so the import says so).
    pub fn remarks(&self) -> usize {
        self.ip_extra_set.iter().flatten().filter(|e| e.remarks.as_deref().is_some_and(|r| !r.is_empty())).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::from_json;

    #[test]
    fn extra_entries_join_the_set_once() {
        let ag: ApiAddressGroup = from_json(
            r#"{"id": "ag", "name": "office", "ip_version": "4", "max_capacity": 20, "ip_set": ["10.0.0.1", "10.1.0.0/16"],
                "ip_extra_set": [{"ip": "10.0.0.1", "remarks": "gateway"}, {"ip": "10.2.0.1-10.2.0.9", "remarks": ""}]}"#,
        )
        .unwrap();
        let spec = ag.to_spec("ag");
        assert_eq!(spec.ip_version, Some(Value::from(4u64)));
        assert_eq!(spec.ip_set, serde_json::json!(["10.0.0.1", "10.1.0.0/16", "10.2.0.1-10.2.0.9"]));
        assert_eq!(ag.remarks(), 1);
    }
}
