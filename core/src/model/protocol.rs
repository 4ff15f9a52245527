//! IP protocols as rules name them and as packets carry them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// IANA protocol numbers the console names.
pub const ICMP: u8 = 1;
pub const TCP: u8 = 6;
pub const UDP: u8 = 17;
pub const GRE: u8 = 47;
pub const ICMPV6: u8 = 58;

/// What a rule's `protocol` field selects: every protocol, or one IP protocol number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProtocolMatch {
    /// Empty or absent `protocol`: the console's "All".
    Any,
    /// One IP protocol number (`tcp` is 6, `udp` 17, `icmp` 1, `icmpv6` 58, `gre` 47).
    Number(u8),
}

impl ProtocolMatch {
    pub fn matches(self, protocol: u8) -> bool {
        match self {
            ProtocolMatch::Any => true,
            ProtocolMatch::Number(n) => n == protocol,
        }
    }

    /// Only TCP and UDP rules may carry ports.
    pub fn has_ports(self) -> bool {
        matches!(self, ProtocolMatch::Number(TCP | UDP))
    }
}

impl fmt::Display for ProtocolMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProtocolMatch::Any => f.write_str("all"),
            ProtocolMatch::Number(n) => f.write_str(&protocol_name(*n)),
        }
    }
}

/// The console's name for a protocol number, or the number itself.
pub fn protocol_name(number: u8) -> String {
    match number {
        TCP => "tcp".into(),
        UDP => "udp".into(),
        ICMP => "icmp".into(),
        ICMPV6 => "icmpv6".into(),
        GRE => "gre".into(),
        n => n.to_string(),
    }
}

/// Parses a protocol as the API accepts it: a name or a number 0–255, case-insensitive.
/// `None` means the text is neither.
pub fn parse_protocol(text: &str) -> Option<ProtocolMatch> {
    let t = text.trim().to_ascii_lowercase();
    match t.as_str() {
        "" | "all" | "any" => Some(ProtocolMatch::Any),
        "tcp" => Some(ProtocolMatch::Number(TCP)),
        "udp" => Some(ProtocolMatch::Number(UDP)),
        "icmp" => Some(ProtocolMatch::Number(ICMP)),
        "icmpv6" => Some(ProtocolMatch::Number(ICMPV6)),
        "gre" => Some(ProtocolMatch::Number(GRE)),
        _ => super::ports::parse_decimal(&t).and_then(|n| u8::try_from(n).ok()).map(ProtocolMatch::Number),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_are_the_same_protocol() {
        assert_eq!(parse_protocol("TCP"), parse_protocol("6"));
        assert_eq!(parse_protocol(""), Some(ProtocolMatch::Any));
        assert_eq!(parse_protocol("256"), None);
        assert_eq!(parse_protocol("sctp"), None);
        assert_eq!(ProtocolMatch::Number(47).to_string(), "gre");
    }
}
