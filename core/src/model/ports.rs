//! Destination port sets: the `multiport` field (`"22"`, `"22-30"`, `"22,25,27"`, `"22-24,25"`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// One element of a port list: a single port is a range with `first == last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PortRange {
    pub first: u16,
    pub last: u16,
}

impl PortRange {
    pub fn contains(self, port: u16) -> bool {
        self.first <= port && port <= self.last
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}-{}", self.first, self.last)
        }
    }
}

/// The ports a rule matches. An empty list means every port, as in the console.
/// The elements keep the user's order so a trace can say which element matched.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PortSet {
    elements: Vec<PortRange>,
}

impl PortSet {
    pub fn all() -> Self {
        PortSet { elements: Vec::new() }
    }

    pub fn from_ranges(elements: Vec<PortRange>) -> Self {
        let all = elements.len() == 1 && elements[0] == PortRange { first: 1, last: 65535 };
        if all {
            PortSet::all()
        } else {
            PortSet { elements }
        }
    }

    pub fn is_all(&self) -> bool {
        self.elements.is_empty()
    }

    pub fn elements(&self) -> &[PortRange] {
        &self.elements
    }

    /// Index of the first element containing `port`; `Some(0)` stands for "all ports" too.
    pub fn find(&self, port: u16) -> Option<usize> {
        if self.is_all() {
            return Some(0);
        }
        self.elements.iter().position(|r| r.contains(port))
    }

    /// Inconsecutive ports (a list of more than one element) count against the rule quota.
    pub fn is_inconsecutive(&self) -> bool {
        self.elements.len() > 1
    }
}

impl fmt::Display for PortSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_all() {
            return f.write_str("all");
        }
        let parts: Vec<String> = self.elements.iter().map(|r| r.to_string()).collect();
        f.write_str(&parts.join(","))
    }
}

/// Why a `multiport` text is not a port list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortSyntaxError {
    pub element: String,
    pub reason: String,
}

/// Parses the `multiport` text. Empty means every port.
pub fn parse_ports(text: &str) -> Result<PortSet, PortSyntaxError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(PortSet::all());
    }
    let mut ranges = Vec::new();
    for raw in text.split(',') {
        let element = raw.trim();
        let err = |reason: &str| PortSyntaxError { element: element.to_string(), reason: reason.to_string() };
        if element.is_empty() {
            return Err(err("empty element in the list; write ports like `22`, `22-30` or `22,25,27`"));
        }
        let (first, last) = match element.split_once('-') {
            Some((a, b)) => (parse_port(a.trim()).map_err(|r| err(&r))?, parse_port(b.trim()).map_err(|r| err(&r))?),
            None => {
                let p = parse_port(element).map_err(|r| err(&r))?;
                (p, p)
            }
        };
        if first > last {
            return Err(err(&format!("range is reversed; write `{last}-{first}`")));
        }
        ranges.push(PortRange { first, last });
    }
    Ok(PortSet::from_ranges(ranges))
}

/// A whole number written as plain decimal digits, as people and the API write them: no sign,
/// no spaces (Rust's parsers accept `+22`, which no one means as a port or a priority).
pub fn parse_decimal(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u64>().ok()
}

fn parse_port(text: &str) -> Result<u16, String> {
    match parse_decimal(text).ok_or(()) {
        Ok(p) if (1..=65535).contains(&p) => Ok(p as u16),
        Ok(p) => Err(format!("port {p} is outside 1-65535")),
        Err(_) => Err(format!("`{text}` is not a port number 1-65535")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_ranges() {
        let set = parse_ports("22-24,25").unwrap();
        assert_eq!(set.find(23), Some(0));
        assert_eq!(set.find(25), Some(1));
        assert_eq!(set.find(26), None);
        assert!(set.is_inconsecutive());
        assert_eq!(set.to_string(), "22-24,25");
    }

    #[test]
    fn empty_and_full_range_mean_all() {
        assert!(parse_ports("").unwrap().is_all());
        assert!(parse_ports("1-65535").unwrap().is_all());
        assert_eq!(parse_ports("").unwrap().find(9), Some(0));
    }

    #[test]
    fn bad_input_names_the_element() {
        let e = parse_ports("30-22").unwrap_err();
        assert_eq!(e.element, "30-22");
        assert!(e.reason.contains("22-30"));
        assert!(parse_ports("0").unwrap_err().reason.contains("outside"));
        assert!(parse_ports("22,,25").is_err());
        assert!(parse_ports("ssh").is_err());
        assert!(parse_ports("70000").is_err());
    }
}
