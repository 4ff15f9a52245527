//! Autosave to localStorage. The save is versioned; a save this build cannot use (corrupt, from
//! a newer sgplay, or no longer valid) is set aside under its own key with a notice, never a
//! crash and never silently dropped. `restore` is pure and tested natively; the storage calls
//! are thin.

use serde::{Deserialize, Serialize};
use sgplay_core::scenario::{from_json, ProbeSpec, ScenarioSpec};
use sgplay_core::sim::Simulator;

pub const STORAGE_KEY: &str = "sgplay.autosave";
/// Where an unusable save is moved, so the user can still recover it by hand.
pub const SET_ASIDE_KEY: &str = "sgplay.autosave.set-aside";
pub const SAVE_VERSION: u32 = 1;

/// What the playground keeps between visits: the scenario, the tester's inputs and the live
/// simulator (connections and clock).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Save {
    pub version: u32,
    pub scenario: ScenarioSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe: Option<ProbeSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulator: Option<Simulator>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Restored {
    /// No save yet: start from the gallery.
    Nothing,
    Loaded(Box<Save>),
    /// The save could not be used; `reason` says why, in words for the notice.
    SetAside {
        reason: String,
    },
}

pub fn serialize(save: &Save) -> String {
    serde_json::to_string(save).unwrap_or_default()
}

/// Reads a save. A simulator whose world no longer matches the saved scenario is dropped
/// (the scenario wins; the connections start afresh).
pub fn restore(raw: Option<&str>) -> Restored {
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else { return Restored::Nothing };
    // Every read goes through `from_json`, the one deserializer the page's wasm carries.
    let value: serde_json::Value = match from_json(raw) {
        Ok(v) => v,
        Err(_) => return set_aside("the saved work is not valid JSON (it may have been cut short)"),
    };
    let version = value.get("version").and_then(|v| v.as_u64());
    match version {
        None => return set_aside("the saved work has no format version"),
        Some(v) if v > u64::from(SAVE_VERSION) => {
            return set_aside(&format!("the saved work was written by a newer sgplay (format {v}); this one reads format {SAVE_VERSION}"))
        }
        Some(_) => {}
    }
    let mut save: Save = match from_json(raw) {
        Ok(s) => s,
        Err(e) => return set_aside(&format!("the saved work could not be read: {e}")),
    };
    let world = match save.scenario.build() {
        Ok(s) => s.world,
        Err(problems) => {
            let first = problems.first().map(|p| p.to_string()).unwrap_or_default();
            return set_aside(&format!("the saved scenario no longer validates: {first}"));
        }
    };
    if save.simulator.as_ref().is_some_and(|sim| sim.world() != &world) {
        save.simulator = None;
    }
    Restored::Loaded(Box::new(save))
}

fn set_aside(reason: &str) -> Restored {
    Restored::SetAside { reason: reason.to_string() }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The raw save, if the browser lets us read it.
pub fn read() -> Option<String> {
    storage()?.get_item(STORAGE_KEY).ok()?
}

/// The save, borrowed: writing it must not clone the simulator on every change.
#[derive(Serialize)]
struct SaveRef<'a> {
    version: u32,
    scenario: &'a ScenarioSpec,
    probe: &'a ProbeSpec,
    simulator: &'a Simulator,
}

/// Writes the save; `false` when storage is unavailable or full (the UI says so).
pub fn write(scenario: &ScenarioSpec, probe: &ProbeSpec, simulator: &Simulator) -> bool {
    let text = serde_json::to_string(&SaveRef { version: SAVE_VERSION, scenario, probe, simulator }).unwrap_or_default();
    storage().is_some_and(|s| s.set_item(STORAGE_KEY, &text).is_ok())
}

/// Moves the raw save to [`SET_ASIDE_KEY`] so a fresh start does not overwrite it.
pub fn set_aside_raw(raw: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(SET_ASIDE_KEY, raw);
        let _ = s.remove_item(STORAGE_KEY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sgplay_core::conntrack::timeouts::Profile;

    fn scenario() -> ScenarioSpec {
        ScenarioSpec::parse(
            r#"{"name":"x","security_groups":[{"id":"sg","rules":[]}],"instances":[{"id":"a","ip":"10.0.0.1","security_groups":["sg"]}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn a_save_round_trips() {
        let world = scenario().build().unwrap().world;
        let save =
            Save { version: SAVE_VERSION, scenario: scenario(), probe: None, simulator: Some(Simulator::new(world, Profile::Huawei)) };
        assert_eq!(restore(Some(&serialize(&save))), Restored::Loaded(Box::new(save)));
    }

    #[test]
    fn unusable_saves_are_set_aside_with_a_reason() {
        assert_eq!(restore(None), Restored::Nothing);
        for (raw, needle) in [
            ("{\"version\":1,\"scen", "not valid JSON"),
            ("{\"scenario\":{}}", "no format version"),
            ("{\"version\":7,\"scenario\":{}}", "newer sgplay"),
            ("{\"version\":1,\"scenario\":{\"instances\":[{\"id\":\"a\",\"ip\":\"nope\"}]}}", "no longer validates"),
        ] {
            match restore(Some(raw)) {
                Restored::SetAside { reason } => assert!(reason.contains(needle), "{reason}"),
                other => panic!("{raw}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_simulator_for_another_world_is_dropped() {
        let other = ScenarioSpec::parse(r#"{"instances":[{"id":"b","ip":"10.0.0.2"}]}"#).unwrap().build().unwrap().world;
        let save =
            Save { version: SAVE_VERSION, scenario: scenario(), probe: None, simulator: Some(Simulator::new(other, Profile::Huawei)) };
        match restore(Some(&serialize(&save))) {
            Restored::Loaded(s) => assert!(s.simulator.is_none()),
            other => panic!("{other:?}"),
        }
    }
}
