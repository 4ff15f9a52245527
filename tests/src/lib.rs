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
//!
//! Nothing here knows the engine's internals: it uses the public API only, as the CLI and the
//! web app do.

use sgplay_core::spec::{ChangeSpec, SequenceSpec};
use sgplay_core::{Scenario, ScenarioSpec};
use std::collections::HashSet;
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

/// The failure the placeholder simulator reports for every sequence.
pub const SIMULATOR_MISSING: &str = "the simulator is not built yet";

/// Mistakes in a sequence that the file format cannot catch by itself, found before the
/// simulator runs it: each step does exactly one thing, labels are defined before use,
/// `label@instance` names a known label and instance, step-only fields sit on the right step.
pub fn lint_sequence(scenario: &Scenario, seq: &SequenceSpec) -> Vec<String> {
    let mut problems = Vec::new();
    let instances: HashSet<&str> = scenario.world.instances.iter().map(|i| i.id.as_str()).collect();
    let groups: HashSet<&str> = scenario.world.security_groups.iter().map(|g| g.id.as_str()).collect();
    let address_groups: HashSet<&str> = scenario.world.address_groups.iter().map(|g| g.id.as_str()).collect();
    let mut labels: HashSet<String> = HashSet::new();
    if let Some(p) = seq.conntrack_profile.as_deref() {
        if p != "huawei" && p != "linux" {
            problems.push(format!("conntrack_profile `{p}` is neither `huawei` nor `linux`"));
        }
    }
    for (n, step) in seq.steps.iter().enumerate() {
        let at = format!("step {}", n + 1);
        let actions = [step.send.is_some(), step.reply.is_some(), step.advance.is_some(), step.change.is_some(), step.expect_connection.is_some()];
        let count = actions.iter().filter(|a| **a).count();
        if count != 1 {
            problems.push(format!("{at}: has {count} actions; exactly one of send, reply, advance, change, expect_connection"));
        }
        let packet_step = step.send.is_some() || step.reply.is_some();
        if !packet_step && (step.expect.is_some() || step.expect_rule.is_some() || step.expect_tracked.is_some()) {
            problems.push(format!("{at}: expect/expect_rule/expect_tracked belong on send or reply steps"));
        }
        if let Some(e) = step.expect.as_deref() {
            if e != "allow" && e != "deny" {
                problems.push(format!("{at}: expect `{e}` is neither allow nor deny"));
            }
        }
        if step.label.is_some() && step.send.is_none() {
            problems.push(format!("{at}: label belongs on a send step"));
        }
        if step.flags.is_some() && step.reply.is_none() {
            problems.push(format!("{at}: flags belongs on a reply step (a send carries its flags in the packet)"));
        }
        if step.expect_cleared.is_some() && step.change.is_none() {
            problems.push(format!("{at}: expect_cleared belongs on a change step"));
        }
        if let Some(send) = &step.send {
            if let Err(p) = send.resolve(&scenario.world) {
                problems.push(format!("{at}: bad packet: {}", p.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; ")));
            }
            if let Some(label) = &step.label {
                labels.insert(label.clone());
            }
        }
        if let Some(label) = &step.reply {
            if !labels.contains(label) {
                problems.push(format!("{at}: reply to `{label}`, which no earlier send labelled"));
            }
        }
        if let Some(c) = &step.expect_connection {
            if !labels.contains(&c.label) {
                problems.push(format!("{at}: expect_connection on `{}`, which no earlier send labelled", c.label));
            }
            if !instances.contains(c.instance.as_str()) {
                problems.push(format!("{at}: expect_connection on unknown instance `{}`", c.instance));
            }
        }
        if let Some(change) = &step.change {
            let (group, instance, address_group) = match change {
                ChangeSpec::AddRule { group, .. } | ChangeSpec::DeleteRule { group, .. } | ChangeSpec::ModifyRule { group, .. } => (Some(group), None, None),
                ChangeSpec::AddMember { group, instance, .. } | ChangeSpec::RemoveMember { group, instance } => (Some(group), Some(instance), None),
                ChangeSpec::AddAddressEntry { address_group, .. } | ChangeSpec::RemoveAddressEntry { address_group, .. } => (None, None, Some(address_group)),
            };
            if let Some(g) = group.filter(|g| !groups.contains(g.as_str())) {
                problems.push(format!("{at}: change names unknown group `{g}`"));
            }
            if let Some(i) = instance.filter(|i| !instances.contains(i.as_str())) {
                problems.push(format!("{at}: change names unknown instance `{i}`"));
            }
            if let Some(a) = address_group.filter(|a| !address_groups.contains(a.as_str())) {
                problems.push(format!("{at}: change names unknown address group `{a}`"));
            }
            for entry in step.expect_cleared.iter().flatten() {
                match entry.split_once('@') {
                    Some((label, inst)) if labels.contains(label) && instances.contains(inst) => {}
                    _ => problems.push(format!("{at}: expect_cleared entry `{entry}` is not `label@instance` with a known label and instance")),
                }
            }
        }
    }
    problems
}
