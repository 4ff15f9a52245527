//! Start-up: which scenario the page opens with. A share link wins, then a gallery deep link,
//! then the autosave, then the default example. Whatever the user had is never lost: a link
//! that replaces their saved work leaves it one Undo away, and an unusable save is set aside
//! with a notice. Pure, tested natively.

use super::app_state::NoticeKind;
use super::persist::{self, Restored};
use super::route::Route;
use super::share;
use crate::gallery;
use sgplay_core::scenario::{ProbeSpec, ScenarioSpec};
use sgplay_core::sim::Simulator;

#[derive(Clone, Debug, PartialEq)]
pub struct Start {
    pub scenario: ScenarioSpec,
    pub probe: ProbeSpec,
    pub simulator: Option<Simulator>,
    /// The saved work a link replaced: recorded as the first undo step.
    pub previous: Option<ScenarioSpec>,
    pub notices: Vec<(NoticeKind, String)>,
    /// What becomes of the autosave that was there.
    pub save: SaveFate,
}

/// What start-up does with the save it found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveFate {
    /// Nothing saved, or the save was opened: autosave goes on as usual.
    Use,
    /// It could not be opened: move it aside (naming why), then autosave afresh.
    SetAside(String),
    /// A newer sgplay wrote it: leave it in place and do not autosave over it.
    Keep,
}

/// The notice for a save moved to `key` because of `reason`.
pub fn set_aside_notice(reason: &str, key: &str) -> String {
    format!("Your saved work could not be opened: {reason}. It is kept in this browser's localStorage under `{key}`.")
}

/// The notice when a link replaced the saved work, which was also copied to `kept` if that
/// could be written.
pub fn linked_notice(kept: Option<&str>) -> String {
    match kept {
        Some(key) => format!("Opened the linked scenario. Your previous work is one Undo away, and a copy is kept in this browser's localStorage under `{key}`."),
        None => "Opened the linked scenario. Your previous work is one Undo away.".into(),
    }
}

/// The notice when a save cannot be moved aside (storage full): it stays, autosave stops.
pub fn kept_in_place_notice(reason: &str) -> String {
    format!(
        "{reason}. It is kept as it is in this browser's localStorage (`{}`), and this page will not autosave over it: use Export to keep what you do here.",
        persist::STORAGE_KEY
    )
}

impl Start {
    /// A start on `scenario` with nothing saved, linked or to say: what tests and embedders use.
    pub fn fresh(scenario: ScenarioSpec, probe: ProbeSpec) -> Start {
        Start { scenario, probe, simulator: None, previous: None, notices: Vec::new(), save: SaveFate::Use }
    }
}

pub fn start(route: &Route, saved: Option<&str>) -> Start {
    let mut notices = Vec::new();
    // Embedded views never read or write the visitor's own playground.
    let restored = if route.embed.is_some() { Restored::Nothing } else { persist::restore(saved) };
    let mut save = SaveFate::Use;
    let saved = match restored {
        Restored::Loaded(save) => Some(*save),
        // The notice comes once it is known where the save went (`App`).
        Restored::SetAside { reason } => {
            save = SaveFate::SetAside(reason);
            None
        }
        Restored::Newer { reason } => {
            notices.push((NoticeKind::Warning, kept_in_place_notice(&upper_first(&reason))));
            save = SaveFate::Keep;
            None
        }
        Restored::Nothing => None,
    };

    let linked = linked_scenario(route, &mut notices);
    let (scenario, probe, simulator, previous) = match (linked, saved) {
        (Some((scenario, probe)), saved) => {
            // The notice comes once it is known whether a copy was kept (`App`).
            let previous = saved.map(|s| s.scenario).filter(|s| *s != scenario);
            (scenario, probe, None, previous)
        }
        (None, Some(save)) => (save.scenario, save.probe, save.simulator, None),
        (None, None) => (gallery::load(gallery::DEFAULT_SLUG).unwrap_or_default(), None, None, None),
    };
    let probe = probe.unwrap_or_else(|| first_check_probe(&scenario));
    Start { scenario, probe, simulator, previous, notices, save }
}

fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The scenario a share link or a gallery deep link asks for, if it can be opened.
fn linked_scenario(route: &Route, notices: &mut Vec<(NoticeKind, String)>) -> Option<(ScenarioSpec, Option<ProbeSpec>)> {
    if let Some(value) = &route.shared {
        match share::decode(value) {
            Ok(shared) => match shared.scenario.build_without_advice() {
                Ok(_) => return Some((shared.scenario, shared.probe)),
                Err(problems) => notices.push((
                    NoticeKind::Error,
                    format!("The shared scenario does not validate: {}", problems.first().map(|p| p.to_string()).unwrap_or_default()),
                )),
            },
            Err(message) => notices.push((NoticeKind::Error, format!("The share link could not be opened: {message}"))),
        }
    }
    if let Some(slug) = &route.example {
        // The page fetches a linked example that is not embedded before it starts (`App`).
        match (gallery::load(slug), gallery::fetch_failure(slug)) {
            (Some(spec), _) => return Some((spec, None)),
            (None, Some(reason)) => notices.push((NoticeKind::Error, format!("The example `{slug}` could not be loaded: {reason}."))),
            (None, None) => {
                notices.push((NoticeKind::Warning, format!("There is no example called `{slug}`; open the gallery to pick one.")))
            }
        }
    }
    None
}

/// The tester starts on the scenario's first check, or empty.
pub fn first_check_probe(scenario: &ScenarioSpec) -> ProbeSpec {
    scenario.checks.first().map(|c| c.packet.clone()).unwrap_or_else(|| ProbeSpec {
        protocol: "tcp".into(),
        port: Some(22),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::persist::{serialize, Save, SAVE_VERSION};
    use crate::state::route::parse;

    fn saved(name: &str) -> String {
        let scenario = ScenarioSpec { name: name.into(), ..gallery::load("huawei/ipv6").unwrap() };
        serialize(&Save { version: SAVE_VERSION, scenario, probe: None, simulator: None })
    }

    #[test]
    fn nothing_saved_opens_the_default_example() {
        let s = start(&parse("", ""), None);
        assert_eq!(Some(s.scenario), gallery::load(gallery::DEFAULT_SLUG));
        assert!(s.notices.is_empty());
        assert!(!s.probe.from.is_empty());
    }

    #[test]
    fn the_autosave_is_reopened() {
        let s = start(&parse("", ""), Some(&saved("mine")));
        assert_eq!(s.scenario.name, "mine");
        assert_eq!(s.previous, None);
    }

    #[test]
    fn a_share_link_wins_and_keeps_the_saved_work_one_undo_away() {
        let shared = share::Shared { scenario: gallery::load("huawei/examples-ftp").unwrap(), probe: None };
        let hash = format!("#s={}", share::encode(&shared));
        let s = start(&parse("", &hash), Some(&saved("mine")));
        assert_eq!(s.scenario, shared.scenario);
        assert_eq!(s.previous.map(|p| p.name), Some("mine".to_string()));
        assert!(linked_notice(Some(persist::BEFORE_LINK_KEY)).contains("sgplay.autosave.before-link"));
    }

    #[test]
    fn a_broken_link_falls_back_to_the_saved_work_with_an_error() {
        let s = start(&parse("", "#s=1.garbage!"), Some(&saved("mine")));
        assert_eq!(s.scenario.name, "mine");
        assert_eq!(s.notices[0].0, NoticeKind::Error);
    }

    #[test]
    fn a_corrupt_save_is_set_aside_and_the_default_opens() {
        let s = start(&parse("", ""), Some("{not json"));
        assert!(matches!(&s.save, SaveFate::SetAside(reason) if reason.contains("not valid JSON")), "{:?}", s.save);
        assert_eq!(Some(s.scenario), gallery::load(gallery::DEFAULT_SLUG));
        assert!(set_aside_notice("x", persist::SET_ASIDE_KEY).contains("set-aside"));
    }

    #[test]
    fn a_save_from_a_newer_sgplay_is_kept_and_the_user_told() {
        let s = start(&parse("", ""), Some(r#"{"version":9,"scenario":{}}"#));
        assert_eq!(s.save, SaveFate::Keep);
        assert_eq!(Some(s.scenario), gallery::load(gallery::DEFAULT_SLUG));
        assert_eq!(s.notices.len(), 1);
        assert!(s.notices[0].1.starts_with("Your saved work was written by a newer sgplay (save format 9)"), "{}", s.notices[0].1);
        assert!(s.notices[0].1.contains("will not autosave over it"));
    }

    #[test]
    fn embeds_ignore_the_visitors_save() {
        let s = start(&parse("?embed=tester", "#example=huawei/examples-ftp"), Some(&saved("mine")));
        assert_eq!(Some(s.scenario), gallery::load("huawei/examples-ftp"));
        assert_eq!(s.previous, None);
    }
}
