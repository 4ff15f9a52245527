//! Parsers for numeric arguments, so `--port 70000` says what a port is in our words (clap's own
//! says "not in 0..=65535", though 0 is refused), and `+22` is refused as it is in files.

use sgplay_core::model::ports::parse_decimal;

fn number(text: &str, range: std::ops::RangeInclusive<u64>, what: &str) -> Result<u64, String> {
    match parse_decimal(text.trim()) {
        Some(n) if range.contains(&n) => Ok(n),
        _ => Err(format!("{what} is a whole number from {} to {}", range.start(), range.end())),
    }
}

/// A destination port: 1-65535.
pub fn port(text: &str) -> Result<u16, String> {
    number(text, 1..=65535, "a port").map(|n| n as u16)
}

/// A source port, or an ICMP echo id: 0-65535.
pub fn port_or_echo_id(text: &str) -> Result<u16, String> {
    number(text, 0..=65535, "a source port or ICMP echo id").map(|n| n as u16)
}

/// An ICMP type or code: 0-255.
pub fn icmp_number(text: &str) -> Result<u8, String> {
    number(text, 0..=255, "an ICMP type or code").map(|n| n as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_plain_and_in_range() {
        assert_eq!(port("443"), Ok(443));
        assert_eq!(port("70000"), Err("a port is a whole number from 1 to 65535".into()));
        assert!(port("0").is_err() && port("+22").is_err() && port("-1").is_err());
        assert_eq!(port_or_echo_id("0"), Ok(0));
        assert_eq!(icmp_number("3"), Ok(3));
        assert!(icmp_number("256").is_err());
    }
}
