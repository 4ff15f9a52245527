//! Import and export of scenario files: the CLI's format (`ScenarioSpec::to_json`), so a file
//! exported from the page runs with `sgplay test` and a file from the repository opens in the
//! page. Importing validates with the engine and reports *every* problem; nothing is loaded
//! unless the whole scenario validates. Pure, tested natively; the file and download calls are
//! thin code in `components/shell`.

use super::boot::first_check_probe;
use super::share::{self, FRAGMENT_KEY};
use sgplay_core::scenario::{Problem, ProbeSpec, ScenarioSpec};

/// What an import brings: a scenario that validates, and the tester's inputs when the source
/// carried them (a pasted share link does).
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub scenario: ScenarioSpec,
    pub probe: Option<ProbeSpec>,
}

/// The exported file's text: exactly what `sgplay test` and `sgplay validate` read.
pub fn export_text(spec: &ScenarioSpec) -> String {
    let mut text = spec.to_json();
    text.push('\n');
    text
}

/// A file name for the scenario: its name in lowercase words joined by `-`, then `.json`
/// (`Sg-A and Sg-B` → `sg-a-and-sg-b.json`); `scenario.json` when nothing usable is left.
pub fn file_name(name: &str) -> String {
    let mut stem = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            stem.extend(c.to_lowercase());
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
        if stem.chars().count() >= 60 {
            break;
        }
    }
    let stem = stem.trim_end_matches('-');
    if stem.is_empty() {
        "scenario.json".to_string()
    } else {
        format!("{stem}.json")
    }
}

/// Reads what the user gave: a scenario file's JSON, or a share link (`…#s=1.…`) pasted in.
/// `Err` holds every problem the engine finds, errors first; the caller loads nothing then.
pub fn import(text: &str) -> Result<Imported, Vec<Problem>> {
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err(vec![Problem::error("", "scenario file", "", "", "the file is empty: a scenario file is a JSON object like `{\"security_groups\": [], \"instances\": []}`")]);
    }
    let imported = match share_value(text) {
        Some(value) => {
            let shared = share::decode(value).map_err(|message| vec![Problem::error("", "share link", "", "", message)])?;
            Imported { scenario: shared.scenario, probe: shared.probe }
        }
        None => Imported { scenario: ScenarioSpec::parse(text).map_err(|p| vec![p])?, probe: None },
    };
    imported.scenario.build()?;
    Ok(imported)
}

/// The share value when `text` is a share link (or just its fragment), not JSON.
fn share_value(text: &str) -> Option<&str> {
    if text.starts_with('{') {
        return None;
    }
    let fragment = &text[text.find('#')?..];
    share::fragment_value(fragment, FRAGMENT_KEY)
}

/// The tester's inputs after an import: the link's own, else the current ones when they still
/// make sense in the imported world, else the imported scenario's first check.
pub fn probe_after_import(imported: &Imported, current: &ProbeSpec) -> ProbeSpec {
    if let Some(probe) = &imported.probe {
        return probe.clone();
    }
    let still_works = imported.scenario.build().is_ok_and(|s| current.resolve(&s.world).is_ok());
    if still_works {
        current.clone()
    } else {
        first_check_probe(&imported.scenario)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gallery;
    use crate::state::share::Shared;

    const BROKEN: &str = r#"{
  "name": "broken",
  "security_groups": [{"id": "sg", "rules": [
    {"id": "R1", "direction": "ingress", "protocol": "tcp", "multiport": "30-22", "remot_ip_prefix": "10.0.0.0/8"}
  ]}],
  "instances": [{"id": "a", "ip": "10.0.0.1", "security_groups": ["sg"]}]
}"#;

    #[test]
    fn an_exported_scenario_imports_as_the_same_scenario() {
        let spec = gallery::load(gallery::DEFAULT_SLUG).unwrap();
        let back = import(&export_text(&spec)).unwrap();
        assert_eq!(back, Imported { scenario: spec, probe: None });
    }

    #[test]
    fn file_names_come_from_the_scenario_name() {
        assert_eq!(file_name("Sg-A and Sg-B"), "sg-a-and-sg-b.json");
        assert_eq!(file_name("  Web: HTTPS (443)!  "), "web-https-443.json");
        assert_eq!(file_name("Ünïcode Ok"), "ünïcode-ok.json");
        assert_eq!(file_name(""), "scenario.json");
        assert_eq!(file_name("../../"), "scenario.json");
        assert!(file_name(&"x".repeat(500)).len() <= 70);
    }

    #[test]
    fn a_broken_file_reports_every_problem() {
        let problems = import(BROKEN).unwrap_err();
        assert!(problems.len() >= 2, "{problems:#?}");
        assert!(problems.iter().any(|p| p.field == "multiport" && p.value == "30-22"), "{problems:#?}");
        assert!(problems.iter().any(|p| p.to_string().contains("remot_ip_prefix")), "{problems:#?}");
    }

    #[test]
    fn syntax_errors_empty_files_and_unknown_top_level_fields_are_problems_not_panics() {
        for text in ["", "   ", "{", "[1,2]", "{\"name\": 3}", "{\"nmae\": \"x\"}", "\u{feff}", "null", "#s=1.!!"] {
            let problems = import(text).unwrap_err();
            assert!(!problems.is_empty(), "{text}");
            assert!(problems.iter().all(|p| !p.message.is_empty()), "{text}: {problems:#?}");
        }
    }

    #[test]
    fn a_pasted_share_link_imports_with_its_probe() {
        let scenario = gallery::load("huawei/examples-ftp").unwrap();
        let probe = ProbeSpec { from: "1.2.3.4".into(), to: "x".into(), protocol: "udp".into(), port: Some(53), ..Default::default() };
        let link = format!("http://127.0.0.1:8080/?x=1#s={}", share::encode(&Shared { scenario: scenario.clone(), probe: Some(probe.clone()) }));
        let imported = import(&link).unwrap();
        assert_eq!(imported, Imported { scenario, probe: Some(probe.clone()) });
        assert_eq!(probe_after_import(&imported, &ProbeSpec::default()), probe);
    }

    #[test]
    fn the_tester_keeps_its_inputs_only_when_they_still_resolve() {
        let scenario = gallery::load(gallery::DEFAULT_SLUG).unwrap();
        let imported = Imported { scenario: scenario.clone(), probe: None };
        let works = first_check_probe(&scenario);
        let mut custom = works.clone();
        custom.port = Some(8443);
        assert_eq!(probe_after_import(&imported, &custom), custom);
        let stale = ProbeSpec { from: "gone".into(), to: "also-gone".into(), protocol: "tcp".into(), port: Some(1), ..Default::default() };
        assert_eq!(probe_after_import(&imported, &stale), works);
    }
}
