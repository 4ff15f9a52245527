//! # sgplay-tests: the project's behaviour as data, and the harnesses that run it
//!
//! The corpus in `tests/scenarios/<cloud>/*.json` holds every example of the seed pages
//! (`shared/seeds/`) as a scenario file: a world, single-packet `checks` with the verdict the seed
//! gives, and stateful `sequences` for connection tracking. This crate finds and loads those
//! files; the integration tests under `tests/tests/` run them:
//!
//! - `corpus.rs`: every file validates, round-trips through `ScenarioSpec::to_json`, and every
//!   check and sequence passes; the corpus may not shrink below a floor.
//! - `reference_model.rs`: a property test comparing the engine with a deliberately naive
//!   evaluator written straight from SEMANTICS §3–4.
//! - `validation.rs`: broken scenarios report every problem at once, each at the right path.
//! - `analysis.rs`: the seed's quota example (table 4), the limits around it, and advice.
//! - `exact_analysis.rs`: shadowed, redundant and live rules against brute force over every
//!   cell of small random worlds.
//! - `diff_exact.rs`: the what-if diff of a random world and a random edit of it against brute
//!   force on a grid of packets between every pair of ends, both ways.
//! - `huawei_api.rs`: Huawei Cloud API output (`tests/fixtures/huawei-api/`, written from the VPC
//!   v3 and ECS references) imported, validated at API paths and exported back.
//! - `interop_roundtrip.rs`: export to the API shapes then import is the identity on random worlds.
//! - `alibaba_terraform.rs`, `alibaba_terraform_roundtrip.rs`: the alicloud provider's HCL in
//!   and out, and export then import the identity on random Alibaba worlds.
//! - `between_clouds.rs`: a Huawei scenario against its Alibaba translation, by the exact diff.
//!
//! [`random_world`] holds the random worlds the property tests draw from; [`reference`] is the
//! naive reference model they compare the engine with; [`documents`] writes a world back as a
//! scenario document; [`imports`] holds what the import tests look at.
//!
//! Nothing here knows the engine's internals: it uses the public API only, as the CLI and the
//! web app do.

pub mod documents;
pub mod fuzz;
pub mod imports;
pub mod random_world;
pub mod reference;

use sgplay_core::{Scenario, ScenarioSpec};
use std::path::{Path, PathBuf};

/// `tests/scenarios/`.
pub fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// Every `*.json` under `dir`, recursively, sorted so reports are stable.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The corpus: every scenario file under `tests/scenarios/`.
pub fn scenario_files() -> Vec<PathBuf> {
    json_files(&scenarios_dir())
}

/// A path relative to `tests/scenarios/`, for messages.
pub fn short(path: &Path) -> String {
    path.strip_prefix(scenarios_dir()).unwrap_or(path).display().to_string()
}

/// One corpus file, read, parsed and validated.
pub struct CorpusFile {
    pub path: PathBuf,
    pub text: String,
    pub spec: ScenarioSpec,
    pub scenario: Scenario,
}

/// Reads, parses and validates one file; `Err` is a readable report of every problem.
pub fn load(path: &Path) -> Result<CorpusFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", short(path)))?;
    let spec = ScenarioSpec::parse(&text).map_err(|p| format!("{}: {p}", short(path)))?;
    let scenario = spec.build().map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        format!("{}: {} problem(s)\n{}", short(path), problems.len(), lines.join("\n"))
    })?;
    Ok(CorpusFile { path: path.to_path_buf(), text, spec, scenario })
}
