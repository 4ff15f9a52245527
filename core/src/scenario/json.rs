//! The one JSON reader of the scenario family: scenario files, and (in the page) the autosave,
//! share links and rule patches all go through [`from_json`], a `serde_path_to_error` wrapper
//! over `serde_json`'s string reader. One deserializer type means each `Deserialize` impl is
//! compiled once: the page's wasm carried three copies of every visitor before (string, slice
//! and `Value` readers), about a tenth of its size.

use serde::de::DeserializeOwned;
use std::fmt;

/// Why a JSON text could not be read as the type asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// Where in the document, like `security_groups[0].rules[2].port_range_min`; empty at the top.
    pub path: String,
    /// The 1-based line of the text where reading stopped.
    pub line: usize,
    /// What is wrong, in serde_json's words.
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Reads `text` as a `T`. Text after the value is ignored (as `ScenarioSpec::parse` always did).
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        JsonError { path: if path == "." { String::new() } else { path }, line: inner.line(), message: inner.to_string() }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_path_and_line() {
        let e = from_json::<Vec<u8>>("[1,\n 300]").unwrap_err();
        assert_eq!((e.path.as_str(), e.line), ("[1]", 2));
        assert!(e.to_string().starts_with("[1]: "), "{e}");
        let e = from_json::<u8>("x").unwrap_err();
        assert_eq!(e.path, "");
        assert_eq!(from_json::<Vec<u8>>("[1, 2]"), Ok(vec![1, 2]));
    }
}
