//! The gallery: every documented example and template, straight from the test corpus
//! (`tests/scenarios/`), each with the one-line story of its `description`. Deep links
//! (`#example=huawei/overview-sg-a-sg-b`) open one directly.
//!
//! The index (what the gallery lists) is always embedded. The scenarios themselves are
//! embedded with the `corpus` feature (the default: tests open many of them); the release page
//! builds without it, embeds only [`DEFAULT_SLUG`] and fetches the others from
//! `scenarios/<slug>.json` beside index.html ([`fetch`]) when they are opened.

use sgplay_core::scenario::ScenarioSpec;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

include!(concat!(env!("OUT_DIR"), "/gallery_files.rs"));

/// The example the playground opens on when there is nothing saved (build.rs embeds it always).
pub const DEFAULT_SLUG: &str = "huawei/overview-sg-a-sg-b";

/// One corpus file as the index lists it (build.rs reads these from the files).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Indexed {
    pub slug: &'static str,
    pub name: &'static str,
    pub story: &'static str,
    pub checks: usize,
    pub sequences: usize,
}

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
    /// A generated 1,000-instance estate, to try the page at scale.
    Scale,
    /// The Alibaba Cloud examples (`tests/scenarios/alibaba/`): each file sets `"profile":
    /// "alibaba"`, so it opens under the Alibaba profile.
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
            Section::Alibaba => "Alibaba Cloud",
            Section::Scale => "Large estates",
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
            (_, "estate") => Section::Scale,
            _ => Section::Matching,
        }
    }
}

thread_local! {
    /// Examples fetched so far (kept for the page's lifetime: a few KB each) and the last
    /// failure of each that could not be fetched.
    static FETCHED: RefCell<HashMap<String, Result<&'static str, String>>> = RefCell::new(HashMap::new());
}

/// Whether the gallery lists `slug`.
pub fn is_listed(slug: &str) -> bool {
    INDEX.iter().any(|e| e.slug == slug)
}

/// The JSON text of one example, if it is embedded or already fetched.
pub fn text(slug: &str) -> Option<&'static str> {
    SCENARIO_FILES
        .iter()
        .find(|(s, _)| *s == slug)
        .map(|(_, t)| *t)
        .or_else(|| FETCHED.with(|f| f.borrow().get(slug).and_then(|r| r.as_ref().ok().copied())))
}

/// One example, parsed, if it is embedded or already fetched.
pub fn load(slug: &str) -> Option<ScenarioSpec> {
    ScenarioSpec::parse(text(slug)?).ok()
}

/// A listed example that must be fetched before [`load`] has it.
pub fn needs_fetch(slug: &str) -> bool {
    is_listed(slug) && text(slug).is_none()
}

/// Why the last fetch of `slug` failed, if it did and has not succeeded since.
pub fn fetch_failure(slug: &str) -> Option<String> {
    FETCHED.with(|f| f.borrow().get(slug).and_then(|r| r.as_ref().err().cloned()))
}

/// Where the page finds an example that is not embedded: relative to index.html, so `dist/`
/// works wherever it is served.
pub fn url(slug: &str) -> String {
    format!("scenarios/{slug}.json")
}

/// Makes `slug` available to [`text`] and [`load`]: at once if it is embedded or fetched,
/// else by fetching [`url`]. Only listed examples are fetched. Errors are in words, for a notice.
pub async fn fetch(slug: &str) -> Result<&'static str, String> {
    if let Some(text) = text(slug) {
        return Ok(text);
    }
    if !is_listed(slug) {
        return Err(format!("there is no example called `{slug}`"));
    }
    let result = download(&url(slug)).await;
    FETCHED.with(|f| f.borrow_mut().insert(slug.to_string(), result.clone()));
    result
}

async fn download(url: &str) -> Result<&'static str, String> {
    let window = web_sys::window().ok_or("there is no browser window")?;
    let unreachable = || format!("{url} could not be fetched (is the page offline?)");
    let response = JsFuture::from(window.fetch_with_str(url)).await.map_err(|_| unreachable())?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| unreachable())?;
    if !response.ok() {
        return Err(format!("{url} answered HTTP {}", response.status()));
    }
    let body = JsFuture::from(response.text().map_err(|_| unreachable())?).await.map_err(|_| unreachable())?;
    let text = body.as_string().ok_or_else(unreachable)?;
    Ok(Box::leak(text.into_boxed_str()))
}

/// Every example, by section then name, from the embedded index.
pub fn entries() -> Vec<Entry> {
    let mut out: Vec<Entry> = INDEX
        .iter()
        .map(|e| Entry {
            slug: e.slug,
            name: if e.name.is_empty() { e.slug.to_string() } else { e.name.to_string() },
            story: e.story.to_string(),
            section: Section::of(e.slug),
            checks: e.checks,
            sequences: e.sequences,
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
    fn the_index_says_what_the_files_say() {
        for entry in entries() {
            let spec = load(entry.slug).unwrap();
            assert_eq!(entry.name, if spec.name.is_empty() { entry.slug.to_string() } else { spec.name.clone() }, "{}", entry.slug);
            assert_eq!(entry.story, spec.description, "{}", entry.slug);
            assert_eq!((entry.checks, entry.sequences), (spec.checks.len(), spec.sequences.len()), "{}", entry.slug);
            assert!(is_listed(entry.slug) && !needs_fetch(entry.slug));
        }
        assert!(!is_listed("../Cargo"));
        assert_eq!(url("huawei/ipv6"), "scenarios/huawei/ipv6.json");
    }

    #[test]
    fn the_default_example_exists_and_comes_first_in_its_section() {
        assert!(load(DEFAULT_SLUG).is_some());
        assert_eq!(entries()[0].slug, DEFAULT_SLUG);
    }

    #[test]
    fn the_alibaba_section_opens_its_examples_under_the_alibaba_profile() {
        let alibaba: Vec<_> = entries().into_iter().filter(|e| e.section == Section::Alibaba).collect();
        assert!(alibaba.len() >= 5, "{alibaba:?}");
        assert_eq!(Section::Alibaba.title(), "Alibaba Cloud");
        for entry in alibaba {
            let world = load(entry.slug).unwrap().build().unwrap().world;
            assert_eq!(world.profile, sgplay_core::profile::CloudProfile::Alibaba, "{}", entry.slug);
        }
    }

    #[test]
    fn templates_have_their_own_section() {
        let templates: Vec<_> = entries().into_iter().filter(|e| e.section == Section::Templates).collect();
        assert!(templates.iter().any(|e| e.slug.contains("sys-webserver")));
        assert!(templates.iter().any(|e| e.slug.contains("sys-fullaccess")));
    }
}
