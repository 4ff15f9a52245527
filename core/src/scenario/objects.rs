//! Only JSON objects are scenario documents, groups, rules, instances, checks and steps.
//!
//! serde's derived structs also accept a JSON array, read positionally: `[]` would validate as
//! an empty scenario and `["sg","N","d",null,[]]` as a group, which no user means and no error
//! would explain. [`Object`] reads a struct through `deserialize_map` alone, so an array gets
//! "expected an object", and the field lists use [`objects`] / [`object`].
//!
//! A side effect worth having: the derived visitors' `visit_seq` is never instantiated, so the
//! page's wasm does not carry the positional readers.

use serde::de::{value::MapAccessDeserializer, Deserialize, Deserializer, MapAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// A `T` read from a JSON object only.
#[derive(Debug)]
pub struct Object<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ObjectVisitor(PhantomData)).map(Object)
    }
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object `{…}`")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map))
    }
}

/// For `#[serde(deserialize_with = "objects")]`: a list whose every element is an object.
pub fn objects<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
    let list: Vec<Object<T>> = Vec::deserialize(deserializer)?;
    Ok(list.into_iter().map(|o| o.0).collect())
}

/// For `#[serde(deserialize_with = "object")]`: an optional field that, when present, is an object.
pub fn object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    let value: Option<Object<T>> = Option::deserialize(deserializer)?;
    Ok(value.map(|o| o.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::json::from_json;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Pair {
        a: u8,
        #[serde(default)]
        b: u8,
    }

    #[test]
    fn an_object_is_read_and_an_array_is_refused() {
        assert_eq!(from_json::<Object<Pair>>(r#"{"a": 1}"#).map(|o| o.0), Ok(Pair { a: 1, b: 0 }));
        let e = from_json::<Object<Pair>>("[1, 2]").unwrap_err();
        assert!(e.message.contains("expected an object"), "{e}");
    }
}
