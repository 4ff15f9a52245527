//! Reading one resource instance's evaluated arguments, whatever the provider: a value that
//! is set, its text, an argument no reader maps, and the problems found on the way. Arguments
//! arrive as JSON values (a literal, a resolved reference, a state's attribute).
//!
//! Unset is unset however written: absent, `null`, `""` (a state writes every string), and,
//! where the reader says so, `0` (a state's unset integers).

use crate::diagnostic::{Problem, Severity};
use serde_json::{Map, Value};

/// Problems of one resource instance: warnings (kept) and errors (the import fails).
#[derive(Default)]
pub struct Found {
    pub warnings: Vec<Problem>,
    pub errors: Vec<Problem>,
}

impl Found {
    pub fn warn(&mut self, path: String, object: &str, field: &str, value: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Problem::error(path, object, field, value, message).with_severity(Severity::Warning));
    }

    pub fn error(&mut self, path: String, object: &str, field: &str, value: impl Into<String>, message: impl Into<String>) {
        self.errors.push(Problem::error(path, object, field, value, message));
    }
}

/// `huaweicloud_networking_secgroup.web`, the object in words.
pub(crate) fn object_of(address: &str) -> String {
    format!("resource `{address}`")
}

/// A value that is set: not null, not `""`, and (for `zero_unset`) not `0`.
pub fn set<'a>(args: &'a Map<String, Value>, key: &str, zero_unset: bool) -> Option<&'a Value> {
    match args.get(key)? {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::Number(n) if zero_unset && n.as_f64() == Some(0.0) => None,
        v => Some(v),
    }
}

/// The text of a scalar argument; `None` (with an error) for a list or an object.
pub fn text(args: &Map<String, Value>, key: &str, path: &str, address: &str, found: &mut Found) -> Option<String> {
    match set(args, key, false)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => {
            found.error(format!("{path}.{key}"), &object_of(address), key, shown(other), "must be a string");
            None
        }
    }
}

pub fn shown(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

/// Warns of every argument that is neither mapped nor bookkeeping.
pub fn unknown(args: &Map<String, Value>, known: &[&str], bookkeeping: &[&str], path: &str, address: &str, found: &mut Found) {
    for (key, value) in args {
        if !known.contains(&key.as_str()) && !bookkeeping.contains(&key.as_str()) {
            if matches!(value, Value::Null) {
                continue;
            }
            found.warn(format!("{path}.{key}"), &object_of(address), key, shown(value), "is not an argument sgplay models; not imported");
        }
    }
}
