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
    pub fn error(
        path: impl Into<String>,
        object: impl Into<String>,
        field: &str,
        value: impl Into<String>,
        message: impl Into<String>,
    ) -> Problem {
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
        // Every part may carry a stranger's text: printed escaped, so a name cannot move the
        // cursor, retitle the terminal or forge a line.
        let (path, object) = (printable(&self.path), printable(&self.object));
        match (path.is_empty(), object.is_empty()) {
            (false, false) => write!(f, " {path} ({object})")?,
            (false, true) => write!(f, " {path}")?,
            (true, false) => write!(f, " {object}")?,
            (true, true) => {}
        }
        if !self.value.is_empty() {
            write!(f, ": `{}`", printable(&shortened(&self.value)))?;
        }
        write!(f, ": {}", printable(&self.message))
    }
}

/// How many ids a message offers at most when a reference is wrong: a file with thousands of
/// groups must not print thousands of names under each of thousands of dangling references.
pub const KNOWN_IDS_SHOWN: usize = 10;

/// "`a`, `b`, `c`", "`a`, … `j` and 5,994 more", or "none": the ids a message offers when a
/// reference is wrong, the first [`KNOWN_IDS_SHOWN`] in the order given (the document's, or a
/// sorted map's). Constant time in the list's length, so thousands of wrong references in a
/// file with thousands of ids stay linear.
pub fn known_ids<I>(ids: I) -> String
where
    I: IntoIterator,
    I::IntoIter: ExactSizeIterator,
    I::Item: AsRef<str>,
{
    let ids = ids.into_iter();
    let total = ids.len();
    let shown: Vec<String> = ids.take(KNOWN_IDS_SHOWN).map(|id| format!("`{}`", shortened(id.as_ref()))).collect();
    match total - shown.len() {
        _ if shown.is_empty() => "none".into(),
        0 => shown.join(", "),
        more => format!("{} and {} more", shown.join(", "), thousands(more)),
    }
}

/// Ids in document order, with a set for look-ups: validation asks "is this a group?" once per
/// reference, which must not cost a scan of every group.
#[derive(Clone, Debug, Default)]
pub struct IdList {
    order: Vec<String>,
    set: std::collections::HashSet<String>,
}

impl IdList {
    /// The ids in order, each once.
    pub fn new(ids: Vec<String>) -> IdList {
        let mut list = IdList::default();
        for id in ids {
            list.push(id);
        }
        list
    }

    pub fn contains(&self, id: &str) -> bool {
        self.set.contains(id)
    }

    pub fn push(&mut self, id: String) {
        if self.set.insert(id.clone()) {
            self.order.push(id);
        }
    }

    pub fn as_slice(&self) -> &[String] {
        &self.order
    }

    /// The [`known_ids`] text of the list.
    pub fn known(&self) -> String {
        known_ids(&self.order)
    }
}

/// 5994 as "5,994": counts in messages are read by people.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Whether `c` must not reach a terminal, a log or a page as it is: C0 controls (ESC, BEL,
/// newline …), DEL, C1 controls (U+009B is a one-character CSI), and the bidirectional
/// overrides and isolates that reorder what a reader sees ("Trojan Source").
pub fn is_unprintable(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` safe to print anywhere: every [`is_unprintable`] character written as an escape
/// (`\n`, `\t`, `\u{1b}`), everything else unchanged. Names and values from a stranger's file
/// pass through this before any human-readable output.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unprintable) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_unprintable(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Collects problems while building, so validation reports every problem at once.
#[derive(Debug, Default)]
pub struct Problems {
    list: Vec<Problem>,
    /// How many of `list` are errors: asked once per rule while a document is built.
    errors: usize,
}

impl Problems {
    pub fn push(&mut self, p: Problem) {
        self.errors += usize::from(p.is_error());
        self.list.push(p);
    }

    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    pub fn error_count(&self) -> usize {
        self.errors
    }

    pub fn into_vec(self) -> Vec<Problem> {
        self.list
    }

    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.list.iter()
    }
}

/// How much of an offending value a message quotes: enough to recognise it, not a 100,000-
/// character id copied into every line.
pub const VALUE_SHOWN_CHARS: usize = 80;

/// `value`, or its first [`VALUE_SHOWN_CHARS`] characters and how long it really is.
pub fn shortened(value: &str) -> std::borrow::Cow<'_, str> {
    match value.char_indices().nth(VALUE_SHOWN_CHARS) {
        None => std::borrow::Cow::Borrowed(value),
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}… ({} characters)", &value[..cut], thousands(value.chars().count()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_ids_are_capped() {
        assert_eq!(known_ids(Vec::<String>::new()), "none");
        assert_eq!(known_ids(["b", "a"]), "`b`, `a`");
        let many: Vec<String> = (0..6000).map(|i| format!("g{i:04}")).collect();
        let text = known_ids(&many);
        assert!(text.starts_with("`g0000`, `g0001`"), "{text}");
        assert!(text.ends_with("`g0009` and 5,990 more"), "{text}");
    }

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(5994), "5,994");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("web-1"), "web-1");
        assert_eq!(printable("A\u{1b}]0;PWNED\u{7}\u{1b}[2J"), "A\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J");
        assert_eq!(printable("x\n1 passed"), "x\\n1 passed");
        assert_eq!(printable("\u{9b}31m \u{202e}txt"), "\\u{9b}31m \\u{202e}txt");
        assert_eq!(printable("naïve 名前"), "naïve 名前");
    }

    #[test]
    fn a_problem_never_prints_a_control_character() {
        let p = Problem::error("instances[0].id", "instance `\u{1b}[2J`", "id", "a\u{7}b", "bad\nline");
        let text = p.to_string();
        assert!(!text.chars().any(is_unprintable), "{text:?}");
        assert_eq!(text, "error: instances[0].id (instance `\\u{1b}[2J`): `a\\u{7}b`: bad\\nline");
    }

    #[test]
    fn long_values_are_shortened() {
        let id = "g".repeat(100_000);
        let shown = shortened(&id);
        assert!(shown.ends_with("… (100,000 characters)"), "{shown}");
        assert_eq!(shown.chars().filter(|c| *c == 'g').count(), VALUE_SHOWN_CHARS);
        assert_eq!(shortened("short"), "short");
    }
}
