//! The simulated clock in words, reading the "advance by" cell, and a profile's main timeouts
//! (the engine's values). Pure.

use sgplay_core::conntrack::{Profile, TcpState};
use sgplay_core::model::protocol::{ICMP, UDP};

/// "t = 30 s", with the long form after it once it helps: "t = 630 s (10 min 30 s)".
pub fn clock_label(now: u64) -> String {
    if now < 60 {
        format!("t = {now} s")
    } else {
        format!("t = {now} s ({})", duration(now))
    }
}

/// "45 s", "10 min", "10 min 30 s", "2 h 5 min", "5 d", "1 d 2 h": the two largest units.
pub fn duration(secs: u64) -> String {
    const UNITS: [(u64, &str); 4] = [(86_400, "d"), (3_600, "h"), (60, "min"), (1, "s")];
    if secs == 0 {
        return "0 s".into();
    }
    let mut rest = secs;
    let mut parts = Vec::new();
    for (size, name) in UNITS {
        if rest >= size {
            parts.push(format!("{} {name}", rest / size));
            rest %= size;
        } else if !parts.is_empty() {
            // A zero in the middle ends the reading: "1 d 0 h 5 min" is just "1 d".
            break;
        }
        if parts.len() == 2 {
            break;
        }
    }
    parts.join(" ")
}

/// The "advance by" cell: seconds, or a number with a unit (`90`, `90s`, `10m`, `10 min`, `2h`,
/// `1d`). At least one second.
pub fn parse_advance(text: &str) -> Result<u64, String> {
    let t = text.trim().to_ascii_lowercase();
    if t.is_empty() {
        return Err("type how long to advance, e.g. `90`, `10m` or `2h`".into());
    }
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let unit_secs = match unit.trim() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hour" | "hours" => 3_600,
        "d" | "day" | "days" => 86_400,
        _ => return Err(format!("`{}` is not a duration: use seconds, or a number with s, m, h or d", text.trim())),
    };
    let n: u64 = number.parse().map_err(|_| format!("`{}` is not a duration: use seconds, or a number with s, m, h or d", text.trim()))?;
    match n.checked_mul(unit_secs) {
        Some(0) => Err("advance by at least 1 s".into()),
        Some(secs) => Ok(secs),
        None => Err(format!("`{}` is too long", text.trim())),
    }
}

/// The profile's main timeouts, from the engine's table: "TCP established 600 s (10 min) ·
/// TCP opening 30 s · UDP 30 s, 180 s once replied · ICMP 30 s".
pub fn profile_summary(profile: Profile) -> String {
    let words = |s: u64| if s < 60 { format!("{s} s") } else { format!("{s} s ({})", duration(s)) };
    format!(
        "TCP established {} · TCP opening {} · UDP {}, {} once replied · ICMP {}",
        words(profile.tcp(TcpState::Established)),
        words(profile.tcp(TcpState::SynSent)),
        words(profile.other(UDP, false)),
        words(profile.other(UDP, true)),
        words(profile.other(ICMP, false)),
    )
}

/// The profile menu's label.
pub fn profile_label(profile: Profile) -> &'static str {
    match profile {
        Profile::Huawei => "Huawei Cloud",
        Profile::Linux => "Linux defaults",
        Profile::Alibaba => "Alibaba Cloud (910 s)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_reads_in_seconds_then_in_words() {
        assert_eq!(clock_label(0), "t = 0 s");
        assert_eq!(clock_label(30), "t = 30 s");
        assert_eq!(clock_label(630), "t = 630 s (10 min 30 s)");
    }

    #[test]
    fn durations_keep_the_two_largest_units() {
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(600), "10 min");
        assert_eq!(duration(7_500), "2 h 5 min");
        assert_eq!(duration(432_000), "5 d");
        assert_eq!(duration(86_400 + 300), "1 d");
        assert_eq!(duration(93_600), "1 d 2 h");
    }

    #[test]
    fn profiles_say_their_timeouts() {
        assert_eq!(
            profile_summary(Profile::Huawei),
            "TCP established 600 s (10 min) · TCP opening 30 s · UDP 30 s, 180 s (3 min) once replied · ICMP 30 s"
        );
        assert!(profile_summary(Profile::Linux).starts_with("TCP established 432000 s (5 d)"));
    }

    #[test]
    fn advance_cells() {
        assert_eq!(parse_advance("90"), Ok(90));
        assert_eq!(parse_advance(" 10m "), Ok(600));
        assert_eq!(parse_advance("10 min"), Ok(600));
        assert_eq!(parse_advance("2h"), Ok(7_200));
        assert_eq!(parse_advance("1d"), Ok(86_400));
        assert!(parse_advance("").unwrap_err().contains("type how long"));
        assert_eq!(parse_advance("0"), Err("advance by at least 1 s".into()));
        assert!(parse_advance("ten").unwrap_err().starts_with("`ten` is not a duration"));
        assert!(parse_advance("5 weeks").unwrap_err().starts_with("`5 weeks` is not a duration"));
        assert!(parse_advance("-5").is_err());
    }
}
