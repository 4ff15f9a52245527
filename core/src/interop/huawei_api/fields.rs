//! Reading API objects field by field. The payloads are loose (a priority may be `1` or `"1"`,
//! `enterprise_project_id` `0` or `"0"`) and carry many fields we do not model. Each object type
//! says which fields it reads and which documented ones it skips; any other field is kept by
//! name in `unknown` so the import can warn about it, never dropped silently.
//!
//! A hand-written visitor rather than `#[serde(flatten)]` or `serde_json::Value`: both buffer
//! every value and compile a second copy of the visitors, which the page's wasm pays for.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// An object of the API read field by field.
pub(crate) trait ApiObject: Default {
    /// What it is called in messages: "security group rule".
    const KIND: &'static str;
    /// Reads the value of `key` when this object models it or the API documents it (then it is
    /// skipped); `Ok(false)` for any other key, whose value is left unread.
    fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error>;
    /// The names of the fields `read_field` did not know, in the order met.
    fn unknown_fields(&mut self) -> &mut Vec<String>;
}

/// `Deserialize` for an [`ApiObject`]: one generic visitor, instantiated once per object type.
pub(crate) fn deserialize_object<'de, D: Deserializer<'de>, T: ApiObject>(deserializer: D) -> Result<T, D::Error> {
    struct ObjectVisitor<T>(PhantomData<T>);
    impl<'de, T: ApiObject> Visitor<'de> for ObjectVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let article = if T::KIND.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) { "an" } else { "a" };
            write!(f, "{article} {} object", T::KIND)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let mut out = T::default();
            while let Some(key) = map.next_key::<String>()? {
                if !out.read_field(&key, &mut map)? {
                    map.next_value::<IgnoredAny>()?;
                    out.unknown_fields().push(key);
                }
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// Implements `Deserialize` for an [`ApiObject`] through [`deserialize_object`].
macro_rules! api_object {
    ($t:ty) => {
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::interop::huawei_api::fields::deserialize_object(deserializer)
            }
        }
    };
}
pub(crate) use api_object;

/// Skips the value of a documented field we do not model.
pub(crate) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// A scalar the API writes as a string or a number (`priority`, `multiport`, `ip_version`):
/// its text, `None` for null. Booleans, lists and objects are type errors naming the field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Text(pub Option<String>);

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(Some(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                // `22.0` is the port 22 a generator wrote as a float.
                Ok(Text(Some(if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { v.to_string() })))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Text, D::Error> {
                d.deserialize_any(TextVisitor)
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

impl Text {
    /// The text, trimmed, `None` when absent, null or empty (the API's "all").
    pub fn non_empty(&self) -> Option<String> {
        self.0.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
    }
}

/// A string that is absent, null or empty: `None`; otherwise the string as written.
pub(crate) fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref().filter(|s| !s.trim().is_empty()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::from_json;

    #[derive(Default, Debug)]
    struct Probe {
        a: Text,
        unknown: Vec<String>,
    }
    impl ApiObject for Probe {
        const KIND: &'static str = "probe";
        fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
            match key {
                "a" => self.a = map.next_value()?,
                "documented" => skip(map)?,
                _ => return Ok(false),
            }
            Ok(true)
        }
        fn unknown_fields(&mut self) -> &mut Vec<String> {
            &mut self.unknown
        }
    }
    api_object!(Probe);

    #[test]
    fn numbers_and_strings_read_alike_and_unknown_fields_are_named() {
        let p: Probe = from_json(r#"{"a": 7, "documented": {"x": [1]}, "colour": "blue"}"#).unwrap();
        assert_eq!(p.a, Text(Some("7".into())));
        assert_eq!(p.unknown, ["colour"]);
        let p: Probe = from_json(r#"{"a": "7"}"#).unwrap();
        assert_eq!(p.a, Text(Some("7".into())));
        let p: Probe = from_json(r#"{"a": null}"#).unwrap();
        assert_eq!(p.a, Text(None));
        let p: Probe = from_json(r#"{"a": 22.0}"#).unwrap();
        assert_eq!(p.a.non_empty().as_deref(), Some("22"));
    }

    #[test]
    fn a_wrong_kind_names_the_field() {
        let e = from_json::<Probe>(r#"{"a": true}"#).unwrap_err();
        assert_eq!(e.path, "a");
        assert!(e.message.contains("a string or a number"), "{e}");
        let e = from_json::<Probe>("[1]").unwrap_err();
        assert!(e.message.contains("a probe object"), "{e}");
    }
}
