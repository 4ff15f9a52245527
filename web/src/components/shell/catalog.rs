//! The gallery's contents as shown: entries grouped by section, filtered by what the user
//! types, with their counts in words. Pure, tested natively; `gallery_dialog.rs` draws it.

use crate::gallery::{Entry, Section};

/// The entries whose name, story or slug contain every word of `query` (any case), grouped by
/// section in display order. `entries` must already be in display order (`gallery::entries`).
pub fn sections(entries: &[Entry], query: &str) -> Vec<(Section, Vec<Entry>)> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let mut out: Vec<(Section, Vec<Entry>)> = Vec::new();
    for entry in entries {
        let haystack = format!("{} {} {}", entry.name, entry.story, entry.slug).to_lowercase();
        if !words.iter().all(|w| haystack.contains(w.as_str())) {
            continue;
        }
        match out.last_mut() {
            Some((section, list)) if *section == entry.section => list.push(entry.clone()),
            _ => out.push((entry.section, vec![entry.clone()])),
        }
    }
    out
}

/// `3 checks · 1 sequence`; empty when the example has neither.
pub fn counts(checks: usize, sequences: usize) -> String {
    let plural = |n: usize, one: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") };
    match (checks, sequences) {
        (0, 0) => String::new(),
        (c, 0) => plural(c, "check"),
        (0, s) => plural(s, "sequence"),
        (c, s) => format!("{} · {}", plural(c, "check"), plural(s, "sequence")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gallery::{entries, DEFAULT_SLUG};

    #[test]
    fn every_entry_appears_once_in_section_order() {
        let all = entries();
        let grouped = sections(&all, "");
        assert_eq!(grouped.iter().map(|(_, l)| l.len()).sum::<usize>(), all.len());
        let order: Vec<Section> = grouped.iter().map(|(s, _)| *s).collect();
        let mut sorted = order.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(order, sorted, "each section once, in display order");
        assert_eq!(grouped[0].1[0].slug, DEFAULT_SLUG);
    }

    #[test]
    fn the_filter_needs_every_word() {
        let all = entries();
        let ftp = sections(&all, "  FTP ");
        assert!(ftp.iter().flat_map(|(_, l)| l).any(|e| e.slug == "huawei/examples-ftp"));
        assert!(sections(&all, "ftp zzzz-no-such-word").is_empty());
        let alibaba = sections(&all, "alibaba");
        assert!(alibaba.iter().any(|(s, _)| *s == Section::Alibaba));
    }

    #[test]
    fn counts_in_words() {
        assert_eq!(counts(0, 0), "");
        assert_eq!(counts(1, 0), "1 check");
        assert_eq!(counts(3, 1), "3 checks · 1 sequence");
        assert_eq!(counts(0, 2), "2 sequences");
    }
}
