//! The one JSON reader of the scenario family: scenario files, and (in the page) the autosave,
//! share links and rule patches all go through [`from_json`], over `serde_json`'s string
//! reader. One deserializer type means each `Deserialize` impl is compiled once: the page's
//! wasm carried three copies of every visitor before (string, slice and `Value` readers).
//!
//! An error names where it happened (`security_groups[0].rules[2].port_range_min`) from the
//! position serde_json reports, by [`path_at`], a scan of the text up to there. A wrapping
//! deserializer that tracks the path (`serde_path_to_error`) would compile every visitor a
//! second time, around a tenth of the page's wasm (BENCHMARKS.md, "Page size").

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
/// A UTF-8 byte-order mark at the start (some Windows editors write one) is skipped.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut de = serde_json::Deserializer::from_str(text);
    T::deserialize(&mut de).map_err(|e| {
        let offset = offset_of(text, e.line(), e.column());
        JsonError { path: path_at(text, offset), line: e.line(), message: plain_words(&e) }
    })
}

/// Reads every JSON value of `text`, one after another, as `T`s, each with the byte range it
/// spans: API output pasted page after page. The same string reader as [`from_json`], so no
/// `Deserialize` impl is compiled twice. An empty text is an empty list.
pub fn from_json_each<T: DeserializeOwned>(text: &str) -> Result<Vec<(T, std::ops::Range<usize>)>, JsonError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<T>();
    let mut out = Vec::new();
    let mut start = 0;
    while let Some(next) = stream.next() {
        let value = next.map_err(|e| {
            let offset = offset_of(text, e.line(), e.column());
            JsonError { path: path_at(text, offset), line: e.line(), message: plain_words(&e) }
        })?;
        let end = stream.byte_offset();
        out.push((value, start..end));
        start = end;
    }
    Ok(out)
}

/// serde_json's message in a user's words: no Rust type names (`u16`, `struct StepSpec`), no
/// position (the path and line say where), and the usual fix for syntax slips.
fn plain_words(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let text = match text.rfind(" at line ") {
        Some(at) if error.line() > 0 => &text[..at],
        _ => text.as_str(),
    };
    let mut words = text.to_string();
    for (rust, plain) in RUST_WORDS {
        words = words.replace(rust, plain);
    }
    // "expected struct StepSpec": the Rust name of what was being read.
    if let Some(at) = words.find("expected struct ") {
        let end = words[at + 16..].find(|c: char| !c.is_alphanumeric() && c != '_').map_or(words.len(), |n| at + 16 + n);
        words.replace_range(at..end, "expected an object `{…}`");
    }
    match words.as_str() {
        "trailing comma" => "a comma before `}` or `]` has nothing after it; remove the comma".into(),
        "EOF while parsing a value" | "EOF while parsing an object" | "EOF while parsing a list" | "EOF while parsing a string" => {
            format!("{words}: the text ends early (a missing `}}`, `]` or `\"`?)")
        }
        "lone leading surrogate in hex escape" | "unexpected end of hex escape" | "invalid unicode code point" => format!(
            "{words}: a `\\uD800`–`\\uDFFF` escape is half of a pair and names no character; write the character itself or both halves"
        ),
        "key must be a string" => "key must be a string in double quotes, e.g. `\"name\": …`".into(),
        _ => words,
    }
}

/// What serde says, and what a user reads instead. Longest first where one contains another.
const RUST_WORDS: [(&str, &str); 14] = [
    ("expected u8", "expected a whole number from 0 to 255"),
    ("expected u16", "expected a whole number from 0 to 65535"),
    ("expected u32", "expected a whole number from 0 to 4294967295"),
    ("expected u64", "expected a whole number from 0 to 18446744073709551615"),
    ("expected usize", "expected a whole number"),
    ("expected i64", "expected a whole number"),
    ("expected f64", "expected a number"),
    ("expected a sequence", "expected a list `[…]`"),
    ("invalid type: sequence", "invalid type: a list `[…]`"),
    ("invalid type: map", "invalid type: an object `{…}`"),
    ("invalid type: unit value", "invalid type: null"),
    ("invalid type: floating point", "invalid type: the number"),
    ("invalid value: integer", "invalid value: the number"),
    ("invalid type: integer", "invalid type: the number"),
];

/// The byte offset of 1-based `line` and `column` (the characters read on that line).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let rest = text.get(start..).unwrap_or("");
    start + rest.char_indices().nth(column).map_or(rest.len(), |(i, _)| i)
}

enum Frame {
    Object(Option<String>),
    Array(usize),
}

/// The path of the value being read at byte `offset` of `text`: the keys and indices of the
/// objects and arrays open there, like `instances[3].ip`; empty at the top.
pub fn path_at(text: &str, offset: usize) -> String {
    let bytes = &text.as_bytes()[..offset.min(text.len())];
    let mut stack: Vec<Frame> = Vec::new();
    // In an object, whether the next string is a key.
    let mut want_key = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if want_key {
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        *key = Some(text[start..i.min(bytes.len())].to_string());
                    }
                    want_key = false;
                }
            }
            b'{' => {
                stack.push(Frame::Object(None));
                want_key = true;
            }
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
                want_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object(_)) => want_key = true,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(n) => path.push_str(&format!("[{n}]")),
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioSpec;

    #[test]
    fn errors_name_the_path_and_line() {
        let e = from_json::<Vec<u8>>("[1,\n 300]").unwrap_err();
        assert_eq!((e.path.as_str(), e.line), ("[1]", 2));
        assert!(e.to_string().starts_with("[1]: "), "{e}");
        let e = from_json::<u8>("x").unwrap_err();
        assert_eq!(e.path, "");
        assert_eq!(from_json::<Vec<u8>>("[1, 2]"), Ok(vec![1, 2]));
    }

    #[test]
    fn paths_inside_a_scenario() {
        let path = |text: &str| from_json::<ScenarioSpec>(text).unwrap_err().path;
        // A value of the wrong type, a missing field, an unknown field, in nested places.
        assert_eq!(path(r#"{"instances": [{"id": "a", "ip": "10.0.0.1"}, {"id": 7}]}"#), "instances[1].id");
        assert_eq!(path("{\"name\": \"x\",\n \"security_groups\": [{\"rules\": []}]}"), "security_groups[0]");
        assert_eq!(path(r#"{"nmae": "x"}"#), "nmae");
        assert_eq!(path(r#"{"instances": [{"id": "a\"b,", "ip": 3}]}"#), "instances[0].ip");
        assert_eq!(path(r#"{"name": 3}"#), "name");
    }

    #[test]
    fn values_one_after_another() {
        let each = from_json_each::<Vec<u8>>("[1]\n [2, 3]  [4]").unwrap();
        let values: Vec<&Vec<u8>> = each.iter().map(|(v, _)| v).collect();
        assert_eq!(values, [&vec![1], &vec![2, 3], &vec![4]]);
        assert_eq!(each[1].1, 3..11);
        let e = from_json_each::<Vec<u8>>("[1]\n[2, 300]").unwrap_err();
        assert_eq!((e.path.as_str(), e.line), ("[1]", 2));
        assert!(from_json_each::<Vec<u8>>("  ").unwrap().is_empty());
    }

    #[test]
    fn offsets_count_characters_on_their_line() {
        assert_eq!(offset_of("ab\ncdé f", 2, 4), 8);
        assert_eq!(offset_of("ab", 1, 9), 2);
    }
}
