//! Is a JSON document Huawei API output, or an sgplay scenario? Decided by shape, from the keys
//! alone: one pass that reads keys and skips every value, so detection costs a scan of the text.
//!
//! Both formats may have `security_groups` and `address_groups` at the top. A key only the
//! scenario has (`instances`, `checks`, `version`, …) makes it a scenario; a key only API output
//! has (`request_id`, `page_info`, `security_group_rules`, `servers`, …), at the top or in the
//! groups, makes it API output; a document with neither is read as a scenario, whose
//! validation then names what is wrong.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeSet;
use std::fmt;

const SCENARIO_KEYS: [&str; 9] = ["version", "name", "description", "vpcs", "peerings", "instances", "layout", "checks", "sequences"];

const API_KEYS: [&str; 11] = [
    "request_id",
    "page_info",
    "count",
    "security_group",
    "security_group_rules",
    "security_group_rule",
    "address_group",
    "servers",
    "server",
    "ports",
    "port",
];

/// Keys of `security_groups[]` and `address_groups[]` items that only the API writes.
const API_ITEM_KEYS: [&str; 12] = [
    "security_group_rules",
    "project_id",
    "tenant_id",
    "created_at",
    "updated_at",
    "enterprise_project_id",
    "tags",
    "vpc_id",
    "max_capacity",
    "ip_extra_set",
    "status",
    "status_message",
];

/// The keys of a document, and of the items of its `security_groups` and `address_groups`.
#[derive(Debug, Default)]
pub(crate) struct Shape {
    pub keys: BTreeSet<String>,
    pub item_keys: BTreeSet<String>,
}

impl Shape {
    pub fn is_huawei_api(&self) -> bool {
        let has = |set: &BTreeSet<String>, keys: &[&str]| keys.iter().any(|k| set.contains(*k));
        !has(&self.keys, &SCENARIO_KEYS) && (has(&self.keys, &API_KEYS) || has(&self.item_keys, &API_ITEM_KEYS))
    }
}

impl<'de> serde::Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Shape, D::Error> {
        struct ShapeVisitor;
        impl<'de> Visitor<'de> for ShapeVisitor {
            type Value = Shape;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON document")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
                let mut shape = Shape::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "security_groups" || key == "address_groups" {
                        shape.item_keys.extend(map.next_value::<ItemKeys>()?.0);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                    shape.keys.insert(key);
                }
                Ok(shape)
            }
            // Not an object: no keys, so a scenario, whose reader says what is wrong.
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Shape::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Shape, E> {
                Ok(Shape::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Shape, E> {
                Ok(Shape::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Shape, E> {
                Ok(Shape::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Shape, E> {
                Ok(Shape::default())
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Shape, E> {
                Ok(Shape::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Shape, E> {
                Ok(Shape::default())
            }
        }
        deserializer.deserialize_any(ShapeVisitor)
    }
}

/// The union of the keys of a list's objects; anything else has none.
struct ItemKeys(BTreeSet<String>);

impl<'de> serde::Deserialize<'de> for ItemKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ItemKeys, D::Error> {
        struct ItemsVisitor;
        impl<'de> Visitor<'de> for ItemsVisitor {
            type Value = ItemKeys;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ItemKeys, A::Error> {
                let mut keys = BTreeSet::new();
                while let Some(item) = seq.next_element::<Shape>()? {
                    keys.extend(item.keys);
                }
                Ok(ItemKeys(keys))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ItemKeys, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(ItemKeys(BTreeSet::new()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<ItemKeys, E> {
                Ok(ItemKeys(BTreeSet::new()))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<ItemKeys, E> {
                Ok(ItemKeys(BTreeSet::new()))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<ItemKeys, E> {
                Ok(ItemKeys(BTreeSet::new()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<ItemKeys, E> {
                Ok(ItemKeys(BTreeSet::new()))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<ItemKeys, E> {
                Ok(ItemKeys(BTreeSet::new()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<ItemKeys, E> {
                Ok(ItemKeys(BTreeSet::new()))
            }
        }
        deserializer.deserialize_any(ItemsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::from_json;

    fn api(text: &str) -> bool {
        from_json::<Shape>(text).unwrap().is_huawei_api()
    }

    #[test]
    fn shapes() {
        assert!(api(r#"{"security_groups": [{"id": "a", "project_id": "p"}], "request_id": "r"}"#));
        assert!(api(r#"{"security_groups": [{"id": "a", "security_group_rules": []}]}"#));
        assert!(api(r#"{"security_group_rule": {"direction": "ingress"}}"#));
        assert!(api(r#"{"address_groups": [{"id": "a", "max_capacity": 20}]}"#));
        assert!(!api(r#"{"security_groups": [{"id": "a", "rules": []}]}"#));
        assert!(!api(r#"{"version": 1, "servers": []}"#));
        assert!(!api("[1, 2]"));
        assert!(!api(r#"{"security_groups": 3}"#));
    }
}
