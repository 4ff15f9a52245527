//! Notice texts quote values in backticks, as the engine's messages do (`sg-a`); the notice
//! shows those parts as code. Pure, tested natively.

/// `text` cut into (is code, part) pieces. An unmatched backtick is kept as written.
pub fn segments(text: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let Some(len) = rest[open + 1..].find('`') else { break };
        if open > 0 {
            out.push((false, &rest[..open]));
        }
        out.push((true, &rest[open + 1..open + 1 + len]));
        rest = &rest[open + 2 + len..];
    }
    if !rest.is_empty() {
        out.push((false, rest));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backticks_become_code() {
        assert_eq!(segments("kept under `sgplay.x`."), vec![(false, "kept under "), (true, "sgplay.x"), (false, ".")]);
        assert_eq!(segments("`a` and `b`"), vec![(true, "a"), (false, " and "), (true, "b")]);
        assert_eq!(segments("plain"), vec![(false, "plain")]);
        assert_eq!(segments("odd ` tick"), vec![(false, "odd ` tick")]);
        assert_eq!(segments(""), vec![]);
    }
}
