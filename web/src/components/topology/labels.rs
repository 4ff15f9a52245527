//! Text on the canvas without measuring it: an estimate of text width, truncation with an
//! ellipsis, and the group badges that fit on a node ("Sg-A", "Sg-B", "+2"). Pure.

/// Estimated width in canvas units of `text` set in a sans-serif face of `font_size`.
/// Calibrated on DejaVu Sans, one of the widest common faces, so it errs on the wide side: a
/// label estimated too wide wastes a little space, one estimated too narrow spills out of its
/// box. For bold text pass `font_size * BOLD`.
pub fn text_width(text: &str, font_size: f64) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '|' | '!' | '\'' => 0.30,
            '.' | ',' | ':' | ';' | ' ' => 0.33,
            '(' | ')' | '[' | ']' | '-' | '/' => 0.39,
            't' | 'f' | 'r' => 0.42,
            'm' | 'w' | 'M' | 'W' | '@' => 0.95,
            c if c.is_ascii_uppercase() || c.is_ascii_digit() => 0.70,
            c if c.is_ascii() => 0.62,
            _ => 1.0,
        })
        .sum();
    ems * font_size
}

/// Bold text is about this much wider: estimate it at `font_size * BOLD`.
pub const BOLD: f64 = 1.1;

/// `text` cut to fit `max_width` units, ending in "…" when cut.
pub fn truncate(text: &str, font_size: f64, max_width: f64) -> String {
    if text_width(text, font_size) <= max_width {
        return text.to_string();
    }
    let budget = max_width - text_width("…", font_size);
    let mut out = String::new();
    let mut used = 0.0;
    for c in text.chars() {
        let w = text_width(c.encode_utf8(&mut [0; 4]), font_size);
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    let out = out.trim_end().to_string();
    out + "…"
}

/// Font size of badge text, canvas units.
pub const BADGE_FONT: f64 = 10.0;
/// Height of a badge pill.
pub const BADGE_H: f64 = 15.0;
/// Horizontal padding inside a pill, each side.
const BADGE_PAD: f64 = 5.0;
/// Space between pills.
const BADGE_GAP: f64 = 4.0;
/// A single group name never takes more than this.
const BADGE_MAX_W: f64 = 84.0;

/// One pill on a node: a security group, in sequence order.
#[derive(Clone, Debug, PartialEq)]
pub struct Badge {
    pub group_id: String,
    /// The group's name (or id), maybe truncated.
    pub text: String,
    /// Offset from the left of the badge row, and width.
    pub x: f64,
    pub w: f64,
    /// Colour slot, stable per group: the group's index in the world, modulo the palette.
    pub tone: usize,
}

/// The badge row of a node: the pills that fit in `max_width` and how many groups did not.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Badges {
    pub shown: Vec<Badge>,
    /// Groups left out ("+2"), drawn as a last pill at `more_x`.
    pub more: usize,
    pub more_x: f64,
}

/// How many colours the badge palette has (`topo-badge--tone-N` in the CSS).
pub const TONES: usize = 8;

/// Fits `groups` (id, display name, tone) into a row `max_width` wide, keeping sequence order:
/// as many whole pills as fit, then "+N" for the rest. At most `max_shown` pills.
pub fn fit_badges(groups: &[(String, String, usize)], max_width: f64, max_shown: usize) -> Badges {
    let mut out = Badges::default();
    let mut x = 0.0;
    for (i, (id, name, tone)) in groups.iter().enumerate() {
        let left = groups.len() - i - 1;
        // Room must stay for a "+N" pill if anything is left after this one.
        let reserve = if left > 0 { more_width(left) + BADGE_GAP } else { 0.0 };
        let text = truncate(name, BADGE_FONT * BOLD, BADGE_MAX_W - 2.0 * BADGE_PAD);
        let w = text_width(&text, BADGE_FONT * BOLD) + 2.0 * BADGE_PAD;
        if out.shown.len() >= max_shown || x + w + reserve > max_width {
            // Not even one pill fits: show a shortened first one rather than only "+N".
            if out.shown.is_empty() && i == 0 {
                let room = (max_width - reserve).max(2.0 * BADGE_PAD + text_width("S…", BADGE_FONT * BOLD));
                let text = truncate(name, BADGE_FONT * BOLD, room - 2.0 * BADGE_PAD);
                let w = text_width(&text, BADGE_FONT * BOLD) + 2.0 * BADGE_PAD;
                out.shown.push(Badge { group_id: id.clone(), text, x, w, tone: *tone });
                x += w + BADGE_GAP;
                continue;
            }
            out.more = groups.len() - i;
            out.more_x = x;
            return out;
        }
        out.shown.push(Badge { group_id: id.clone(), text, x, w, tone: *tone });
        x += w + BADGE_GAP;
    }
    out
}

/// Width of the "+N" pill.
pub fn more_width(n: usize) -> f64 {
    text_width(&format!("+{n}"), BADGE_FONT * BOLD) + 2.0 * BADGE_PAD
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(names: &[&str]) -> Vec<(String, String, usize)> {
        names.iter().enumerate().map(|(i, n)| (format!("sg-{i}"), n.to_string(), i % TONES)).collect()
    }

    #[test]
    fn truncation_keeps_short_text_and_cuts_long_text() {
        assert_eq!(truncate("ECS-A01", 12.0, 200.0), "ECS-A01");
        let cut = truncate("a-very-long-instance-name-indeed", 12.0, 80.0);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(text_width(&cut, 12.0) <= 80.0 + 1e-9, "{cut}");
        assert!(cut.len() > 3);
    }

    #[test]
    fn badges_keep_sequence_order_and_count_the_rest() {
        let b = fit_badges(&groups(&["Sg-A", "Sg-B"]), 140.0, 8);
        assert_eq!(b.shown.iter().map(|b| b.text.as_str()).collect::<Vec<_>>(), ["Sg-A", "Sg-B"]);
        assert_eq!(b.more, 0);

        let b = fit_badges(&groups(&["web", "db", "ssh", "monitoring", "backup"]), 130.0, 8);
        assert!(b.more >= 1, "{b:?}");
        assert_eq!(b.shown.len() + b.more, 5);
        assert_eq!(b.shown[0].text, "web");
        let last = b.shown.last().unwrap();
        assert!(last.x + last.w + 4.0 + more_width(b.more) <= 130.0 + 1e-9, "the +N pill fits: {b:?}");
    }

    #[test]
    fn max_shown_limits_pills() {
        let b = fit_badges(&groups(&["a", "b", "c"]), 500.0, 1);
        assert_eq!((b.shown.len(), b.more), (1, 2));
    }

    #[test]
    fn one_long_name_is_shortened_rather_than_hidden() {
        let b = fit_badges(&groups(&["an-extremely-long-security-group-name"]), 60.0, 8);
        assert_eq!(b.shown.len(), 1);
        assert!(b.shown[0].text.ends_with('…'));
        assert!(b.shown[0].w <= 60.0 + 1e-9);
    }

    #[test]
    fn no_groups_no_badges() {
        assert_eq!(fit_badges(&[], 100.0, 3), Badges::default());
    }
}
