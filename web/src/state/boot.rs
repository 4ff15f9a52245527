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
    /// The autosave could not be used and must be moved aside before anything overwrites it.
    pub set_aside_save: bool,
}

impl Start {
    /// A start on `scenario` with nothing saved, linked or to say: what tests and embedders use.
    pub fn fresh(scenario: ScenarioSpec, probe: ProbeSpec) -> Start {
        Start { scenario, probe, simulator: None, previous: None, notices: Vec::new(), set_aside_save: false }
    }
}

pub fn start(route: &Route, saved: Option<&str>) -> Start {
    let mut notices = Vec::new();
    // Embedded views never read or write the visitor's own playground.
    let restored = if route.embed.is_some() { Restored::Nothing } else { persist::restore(saved) };
    let mut set_aside_save = false;
    let saved = match restored {
        Restored::Loaded(save) => Some(*save),
        Restored::SetAside { reason } => {
            set_aside_save = true;
            notices.push((
                NoticeKind::Warning,
                format!(
                    "Your saved work could not be opened: {reason}. It is kept in this browser's localStorage under `{}`.",
                    persist::SET_ASIDE_KEY
                ),
            ));
            None
        }
        Restored::Nothing => None,
    };

    let linked = linked_scenario(route, &mut notices);
    let (scenario, probe, simulator, previous) = match (linked, saved) {
        (Some((scenario, probe)), saved) => {
            let previous = saved.map(|s| s.scenario).filter(|s| *s != scenario);
            if previous.is_some() {
                notices.push((NoticeKind::Info, "Opened the linked scenario. Your previous work is one Undo away.".into()));
            }
            (scenario, probe, None, previous)
        }
        (None, Some(save)) => (save.scenario, save.probe, save.simulator, None),
        (None, None) => (gallery::load(gallery::DEFAULT_SLUG).unwrap_or_default(), None, None, None),
    };
    let probe = probe.unwrap_or_else(|| first_check_probe(&scenario));
    Start { scenario, probe, simulator, previous, notices, set_aside_save }
}

/// The scenario a share link or a gallery deep link asks for, if it can be opened.
fn linked_scenario(route: &Route, notices: &mut Vec<(NoticeKind, String)>) -> Option<(ScenarioSpec, Option<ProbeSpec>)> {
    if let Some(value) = &route.shared {
        match share::decode(value) {
            Ok(shared) => match shared.scenario.build() {
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
        assert_eq!(s.notices.len(), 1);
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
        assert!(s.set_aside_save);
        assert_eq!(Some(s.scenario), gallery::load(gallery::DEFAULT_SLUG));
        assert!(s.notices[0].1.contains("set-aside"));
    }

    #[test]
    fn embeds_ignore_the_visitors_save() {
        let s = start(&parse("?embed=tester", "#example=huawei/examples-ftp"), Some(&saved("mine")));
        assert_eq!(Some(s.scenario), gallery::load("huawei/examples-ftp"));
        assert_eq!(s.previous, None);
    }
}
