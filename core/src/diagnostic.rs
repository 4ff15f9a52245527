//! Problems found in user input: each names where it is, the field, the bad value and what
//! would be right, so an editor can put it next to the offending cell.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input cannot be used as is.
    Error,
    /// Usable, but outside what the cloud supports well (quotas, limits).
    Warning,
    /// Usable, but worth a second look (risky or useless rules).
    Advice,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub severity: Severity,
    /// Where in the document: `security_groups[1].rules[0].multiport`.
    pub path: String,
    /// The object in words: "rule `A01` of security group `sg-a`".
    pub object: String,
    /// The field name as written in the file (`multiport`), or empty for a whole object.
    pub field: String,
    /// The offending value as the user wrote it.
    pub value: String,
    /// What is wrong and what would be right, lowercase, no trailing period.
    pub message: String,
}

impl Problem {
    pub fn error(path: impl Into<String>, object: impl Into<String>, field: &str, value: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            path: path.into(),
            object: object.into(),
            field: field.to_string(),
            value: value.into(),
            message: message.into(),
        }
    }

    pub fn with_severity(mut self, severity: Severity) -> Problem {
        self.severity = severity;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "advice",
        };
        write!(f, "{sev}:")?;
        match (self.path.is_empty(), self.object.is_empty()) {
            (false, false) => write!(f, " {} ({})", self.path, self.object)?,
            (false, true) => write!(f, " {}", self.path)?,
            (true, false) => write!(f, " {}", self.object)?,
            (true, true) => {}
        }
        if !self.value.is_empty() {
            write!(f, ": `{}`", self.value)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// "`a`, `b`, `c`" (sorted), or "none": the ids a message offers when a reference is wrong.
pub fn known_ids<S: AsRef<str>>(ids: impl IntoIterator<Item = S>) -> String {
    let mut v: Vec<String> = ids.into_iter().map(|s| format!("`{}`", s.as_ref())).collect();
    v.sort();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

/// Collects problems while building, so validation reports every problem at once.
#[derive(Debug, Default)]
pub struct Problems {
    list: Vec<Problem>,
}

impl Problems {
    pub fn push(&mut self, p: Problem) {
        self.list.push(p);
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(Problem::is_error)
    }

    pub fn into_vec(self) -> Vec<Problem> {
        self.list
    }

    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.list.iter()
    }
}
