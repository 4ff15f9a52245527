//! The gallery: every documented example and template, straight from the test corpus
//! (`tests/scenarios/`), each with the one-line story of its `description`. Deep links
//! (`#example=huawei/overview-sg-a-sg-b`) open one directly.

use sgplay_core::scenario::ScenarioSpec;

include!(concat!(env!("OUT_DIR"), "/gallery_files.rs"));

/// The example the playground opens on when there is nothing saved.
pub const DEFAULT_SLUG: &str = "huawei/overview-sg-a-sg-b";

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub slug: &'static str,
    pub name: String,
    pub story: String,
    pub section: Section,
    pub checks: usize,
    pub sequences: usize,
}

/// Gallery sections, in display order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Overview,
    Templates,
    Examples,
    Matching,
    Stateful,
    Alibaba,
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::Overview => "How security groups work",
            Section::Templates => "Templates and defaults",
            Section::Examples => "Configuration examples",
            Section::Matching => "Matching, paths and limits",
            Section::Stateful => "Connection tracking",
            Section::Alibaba => "Alibaba Cloud use cases (Huawei semantics for now)",
        }
    }

    fn of(slug: &str) -> Section {
        let (cloud, stem) = slug.split_once('/').unwrap_or(("", slug));
        match (cloud, stem.split('-').next().unwrap_or("")) {
            ("alibaba", _) => Section::Alibaba,
            (_, "overview") => Section::Overview,
            (_, "defaults") => Section::Templates,
            (_, "examples" | "guidance" | "configuring") => Section::Examples,
            (_, "stateful") => Section::Stateful,
            _ => Section::Matching,
        }
    }
}

/// The JSON text of one example.
pub fn text(slug: &str) -> Option<&'static str> {
    SCENARIO_FILES.iter().find(|(s, _)| *s == slug).map(|(_, t)| *t)
}

/// One example, parsed.
pub fn load(slug: &str) -> Option<ScenarioSpec> {
    ScenarioSpec::parse(text(slug)?).ok()
}

/// Every example, by section then name. Files that do not parse are left out (the corpus
/// tests make sure there are none).
pub fn entries() -> Vec<Entry> {
    let mut out: Vec<Entry> = SCENARIO_FILES
        .iter()
        .filter_map(|(slug, text)| {
            let spec = ScenarioSpec::parse(text).ok()?;
            Some(Entry {
                slug,
                name: if spec.name.is_empty() { slug.to_string() } else { spec.name.clone() },
                story: spec.description.clone(),
                section: Section::of(slug),
                checks: spec.checks.len(),
                sequences: spec.sequences.len(),
            })
        })
        .collect();
    out.sort_by(|a, b| (a.section, a.slug != DEFAULT_SLUG, &a.name).cmp(&(b.section, b.slug != DEFAULT_SLUG, &b.name)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_corpus_file_is_in_the_gallery_and_validates() {
        assert!(SCENARIO_FILES.len() >= 30);
        for (slug, text) in SCENARIO_FILES {
            let spec = ScenarioSpec::parse(text).unwrap_or_else(|p| panic!("{slug}: {p}"));
            assert!(spec.build().is_ok(), "{slug}");
        }
        assert_eq!(entries().len(), SCENARIO_FILES.len());
    }

    #[test]
    fn the_default_example_exists_and_comes_first_in_its_section() {
        assert!(load(DEFAULT_SLUG).is_some());
        assert_eq!(entries()[0].slug, DEFAULT_SLUG);
    }

    #[test]
    fn templates_have_their_own_section() {
        let templates: Vec<_> = entries().into_iter().filter(|e| e.section == Section::Templates).collect();
        assert!(templates.iter().any(|e| e.slug.contains("sys-webserver")));
        assert!(templates.iter().any(|e| e.slug.contains("sys-fullaccess")));
    }
}
