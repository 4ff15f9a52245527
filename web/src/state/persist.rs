//! Autosave to localStorage. The save is versioned; a save this build cannot use (corrupt, or
//! no longer valid) is set aside under its own key with a notice, never a crash and never
//! silently dropped. A save from a newer sgplay is left where it is, for that sgplay, and this
//! page does not autosave over it. A save is replaced only by a whole new one: the text is
//! serialized completely before `setItem`, which either stores all of it or (storage full)
//! throws and leaves the old save as it was. `restore` is pure and tested natively; the storage
//! calls are thin.

use serde::{Deserialize, Serialize};
use sgplay_core::scenario::{from_json, ProbeSpec, ScenarioSpec, FORMAT_VERSION};
use sgplay_core::sim::Simulator;

pub const STORAGE_KEY: &str = "sgplay.autosave";
/// Where an unusable save is moved, so the user can still recover it by hand.
pub const SET_ASIDE_KEY: &str = "sgplay.autosave.set-aside";
pub const SAVE_VERSION: u32 = 1;
/// Where the saved work goes when a share or example link replaces it at start-up (it is also
/// one Undo away, but only until the tab is closed).
pub const BEFORE_LINK_KEY: &str = "sgplay.autosave.before-link";

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
    /// A newer sgplay wrote it: it stays where it is, untouched, and autosave stays off.
    Newer {
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
            return Restored::Newer {
                reason: format!("your saved work was written by a newer sgplay (save format {v}); this one reads format {SAVE_VERSION}"),
            }
        }
        Some(_) => {}
    }
    // A save of this format holding a scenario of a newer one: a newer sgplay's too.
    let scenario_version = value.get("scenario").and_then(|s| s.get("version")).and_then(|v| v.as_u64());
    if let Some(v) = scenario_version.filter(|v| *v > u64::from(FORMAT_VERSION)) {
        return Restored::Newer {
            reason: format!(
                "your saved work holds a scenario written by a newer sgplay (scenario format {v}); this one reads format {FORMAT_VERSION}"
            ),
        };
    }
    let mut save: Save = match from_json(raw) {
        Ok(s) => s,
        Err(e) => return set_aside(&format!("the saved work could not be read: {e}")),
    };
    let world = match save.scenario.build_without_advice() {
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

/// Why a save was not written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteError {
    /// No localStorage (blocked, or not a browser).
    Unavailable,
    /// The save could not be serialized: nothing was written.
    Serialize,
    /// `setItem` threw (`QuotaExceededError` when full): the previous save is unchanged.
    Refused(String),
    /// The save there now was written by a newer sgplay (another tab): it is left alone.
    Newer(u64),
}

/// The format version at the head of a save (`{"version":3,…`, as [`serialize`] writes it),
/// read without parsing the rest: checked before every write, so a newer sgplay's save (written
/// in another tab since this page started) is never replaced by an older format.
pub fn stored_version(raw: &str) -> Option<u64> {
    let digits = raw.trim_start().strip_prefix("{\"version\":")?;
    let end = digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(digits.len());
    digits[..end].parse().ok()
}

/// Writes the save whole or not at all (see the module's documentation).
pub fn write(scenario: &ScenarioSpec, probe: &ProbeSpec, simulator: &Simulator) -> Result<(), WriteError> {
    let text = serde_json::to_string(&SaveRef { version: SAVE_VERSION, scenario, probe, simulator }).map_err(|_| WriteError::Serialize)?;
    let storage = storage().ok_or(WriteError::Unavailable)?;
    if let Some(v) = storage.get_item(STORAGE_KEY).ok().flatten().as_deref().and_then(stored_version) {
        if v > u64::from(SAVE_VERSION) {
            return Err(WriteError::Newer(v));
        }
    }
    storage.set_item(STORAGE_KEY, &text).map_err(|e| WriteError::Refused(error_name(&e)))
}

/// `QuotaExceededError`, `SecurityError`: the name of what a storage call threw.
fn error_name(error: &wasm_bindgen::JsValue) -> String {
    js_sys::Reflect::get(error, &wasm_bindgen::JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_else(|| "an error".into())
}

/// The first free key of `base`, `base.2`, … `base.9` (or one already holding `raw`).
fn free_key(storage: &web_sys::Storage, base: &str, raw: &str) -> Option<String> {
    (1..=9).map(|n| if n == 1 { base.to_string() } else { format!("{base}.{n}") }).find(|key| match storage.get_item(key) {
        Ok(None) => true,
        Ok(Some(existing)) => existing == raw,
        Err(_) => false,
    })
}

/// Copies `raw` to the first free key of `base` (never over an earlier copy); the key used.
pub fn keep_copy(base: &str, raw: &str) -> Option<String> {
    let storage = storage()?;
    let key = free_key(&storage, base, raw)?;
    storage.set_item(&key, raw).ok()?;
    Some(key)
}

/// Moves the raw save to [`SET_ASIDE_KEY`] (or the first free `.2`, `.3`…) so a fresh start
/// does not overwrite it. The save is removed from its place only once the copy is written:
/// `None` (storage full) leaves it where it was, and the caller must not autosave over it.
pub fn set_aside_raw(raw: &str) -> Option<String> {
    let key = keep_copy(SET_ASIDE_KEY, raw)?;
    let _ = storage()?.remove_item(STORAGE_KEY);
    Some(key)
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
            ("{\"version\":1,\"scenario\":{\"instances\":[{\"id\":\"a\",\"ip\":\"nope\"}]}}", "no longer validates"),
        ] {
            match restore(Some(raw)) {
                Restored::SetAside { reason } => assert!(reason.contains(needle), "{reason}"),
                other => panic!("{raw}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_stored_version_is_read_from_the_head_of_a_save() {
        let save = Save { version: SAVE_VERSION, scenario: scenario(), probe: None, simulator: None };
        assert_eq!(stored_version(&serialize(&save)), Some(u64::from(SAVE_VERSION)));
        assert_eq!(stored_version("{\"version\":12,\"scenario\":{}}"), Some(12));
        assert_eq!(stored_version("{\"scenario\":{},\"version\":12}"), None);
        assert_eq!(stored_version("{\"version\":"), None);
        assert_eq!(stored_version(""), None);
    }

    #[test]
    fn a_save_from_a_newer_sgplay_is_kept_not_set_aside() {
        match restore(Some("{\"version\":7,\"scenario\":{\"future\":true}}")) {
            Restored::Newer { reason } => assert!(reason.contains("newer sgplay (save format 7)"), "{reason}"),
            other => panic!("{other:?}"),
        }
        match restore(Some("{\"version\":1,\"scenario\":{\"version\":5}}")) {
            Restored::Newer { reason } => assert!(reason.contains("newer sgplay (scenario format 5)"), "{reason}"),
            other => panic!("{other:?}"),
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
