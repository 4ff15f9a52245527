//! The scenario corpus (`tests/scenarios/**/*.json`): every seed example as a file of checks
//! and sequences. Each file must validate, round-trip, tell its story, and pass.

use sgplay_core::profile::CloudProfile;
use sgplay_core::testing::{run_scenario, TestKind};
use sgplay_core::ScenarioSpec;
use sgplay_tests::{load, scenario_files, short, CorpusFile};
use std::collections::HashSet;

/// The corpus may grow; it may not silently shrink. Raise these when adding files.
const MIN_FILES: usize = 47;
const MIN_CHECKS: usize = 330;
const MIN_SEQUENCES: usize = 81;

fn corpus() -> Vec<CorpusFile> {
    let files = scenario_files();
    assert!(!files.is_empty(), "no scenario file under tests/scenarios/");
    let mut loaded = Vec::new();
    let mut broken = Vec::new();
    for path in files {
        match load(&path) {
            Ok(f) => loaded.push(f),
            Err(report) => broken.push(report),
        }
    }
    assert!(broken.is_empty(), "{} scenario file(s) do not validate:\n{}", broken.len(), broken.join("\n"));
    loaded
}

#[test]
fn every_scenario_validates() {
    let files = corpus();
    println!("{} scenario files validate", files.len());
}

#[test]
fn every_check_and_sequence_passes() {
    let mut failures = Vec::new();
    let (mut checks, mut sequences) = (0, 0);
    for file in corpus() {
        for outcome in run_scenario(&file.scenario) {
            match outcome.kind {
                TestKind::Check => checks += 1,
                TestKind::Sequence => sequences += 1,
            }
            if !outcome.passed {
                let kind = if outcome.kind == TestKind::Check { "check" } else { "sequence" };
                let details: String = outcome.details.lines().map(|l| format!("      {l}\n")).collect();
                failures.push(format!(
                    "{} — {kind} \"{}\":\n{}{details}",
                    short(&file.path),
                    outcome.name,
                    outcome.failures.iter().map(|f| format!("    ✘ {f}\n")).collect::<String>()
                ));
            }
        }
    }
    println!("{checks} checks and {sequences} sequences run; {} failed", failures.len());
    assert!(failures.is_empty(), "{} of the corpus's tests failed:\n\n{}", failures.len(), failures.join("\n"));
}

/// Issue 8, finding 3: a single-packet evaluation answers what the simulator answers for the same
/// packet on empty connection tables, for every check of the corpus, with the same stopping point.
#[test]
fn every_check_gets_the_answer_of_a_fresh_simulator() {
    use sgplay_core::sim::Simulator;
    let mut differ = Vec::new();
    for file in corpus() {
        for check in &file.scenario.checks {
            let Ok(packet) = &check.packet else { continue };
            let eval = sgplay_core::evaluate(&file.scenario.world, packet);
            let mut sim = Simulator::new(file.scenario.world.clone(), file.scenario.world.profile.timeouts());
            let sent = sim.send(packet).evaluation;
            let stop = |e: &sgplay_core::Evaluation| e.denied_at().map(|h| (h.instance_id.clone(), h.direction));
            if eval.verdict != sent.verdict || stop(&eval) != stop(&sent) {
                differ.push(format!(
                    "{} — check \"{}\": eval {} at {:?}, simulator {} at {:?}",
                    short(&file.path),
                    check.name,
                    eval.verdict,
                    stop(&eval),
                    sent.verdict,
                    stop(&sent)
                ));
            }
        }
    }
    assert!(differ.is_empty(), "eval and a fresh simulator disagree:\n{}", differ.join("\n"));
}

#[test]
fn the_corpus_does_not_shrink() {
    let files = corpus();
    let checks: usize = files.iter().map(|f| f.scenario.checks.len()).sum();
    let sequences: usize = files.iter().map(|f| f.scenario.sequences.len()).sum();
    println!("{} files, {checks} single-packet checks, {sequences} sequences", files.len());
    assert!(files.len() >= MIN_FILES, "only {} scenario files; the corpus had at least {MIN_FILES}", files.len());
    assert!(checks >= MIN_CHECKS, "only {checks} single-packet checks; the corpus had at least {MIN_CHECKS}");
    assert!(sequences >= MIN_SEQUENCES, "only {sequences} sequences; the corpus had at least {MIN_SEQUENCES}");
}

#[test]
fn every_scenario_round_trips() {
    let mut problems = Vec::new();
    for file in corpus() {
        let json = file.spec.to_json();
        let again = match ScenarioSpec::parse(&json) {
            Ok(s) => s,
            Err(p) => {
                problems.push(format!("{}: to_json output does not parse: {p}", short(&file.path)));
                continue;
            }
        };
        if again != file.spec {
            problems.push(format!("{}: the spec changed through to_json", short(&file.path)));
        }
        match again.build() {
            Ok(s) if s.world == file.scenario.world && s.checks == file.scenario.checks && s.sequences == file.scenario.sequences => {}
            Ok(_) => problems.push(format!("{}: the world, checks or sequences changed through to_json", short(&file.path))),
            Err(p) => problems.push(format!("{}: to_json output does not validate: {p:?}", short(&file.path))),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The web gallery shows each file's name and description and each test's name.
#[test]
fn every_file_tells_its_story() {
    let mut problems = Vec::new();
    for file in corpus() {
        let at = short(&file.path);
        let s = &file.scenario;
        if s.name.trim().is_empty() {
            problems.push(format!("{at}: no name"));
        }
        let told = s.description.trim().chars().count();
        if !(40..=400).contains(&told) {
            problems.push(format!(
                "{at}: the description ({told} characters) should tell the file's story in a sentence or two, 40-400 characters"
            ));
        }
        if s.checks.is_empty() && s.sequences.is_empty() {
            problems.push(format!("{at}: no checks and no sequences"));
        }
        let mut names = HashSet::new();
        for name in s.checks.iter().map(|c| &c.name).chain(s.sequences.iter().map(|q| &q.name)) {
            if name.trim().len() < 10 {
                problems.push(format!("{at}: test name `{name}` does not say what it shows"));
            }
            if !names.insert(name.as_str()) {
                problems.push(format!("{at}: two tests are named `{name}`"));
            }
        }
        let cloud = file.path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or("");
        if !matches!(cloud, "huawei" | "alibaba") {
            problems.push(format!("{at}: scenario files live in scenarios/huawei/ or scenarios/alibaba/"));
        }
        let expected = if cloud == "alibaba" { CloudProfile::Alibaba } else { CloudProfile::Huawei };
        if !cloud.is_empty() && s.world.profile != expected {
            problems.push(format!("{at}: files under scenarios/{cloud}/ follow the `{expected}` profile (`\"profile\": \"{expected}\"`)"));
        }
        let stateful = file.path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("stateful-"));
        if stateful == s.sequences.is_empty() {
            problems.push(format!("{at}: sequences belong in stateful-*.json files, and those hold sequences"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A corpus file is the text a person reads in the gallery: keep it the text they wrote, not a
/// machine dump, but require the machine dump to be equivalent (checked above).
#[test]
fn every_file_is_utf8_json_with_a_version() {
    for file in corpus() {
        let value: serde_json::Value = serde_json::from_str(&file.text).expect("parsed before");
        assert_eq!(value.get("version").and_then(|v| v.as_u64()), Some(1), "{}: state `\"version\": 1`", short(&file.path));
    }
}

/// A rule ignores fields it does not know, so that rules copied from the API's output are accepted
/// as they are. In the corpus that would hide a typo (`remote_ip_prefx` silently meaning "any
/// address"): every key of a rule must be a rule field or one of the API's bookkeeping fields.
#[test]
fn rules_and_address_groups_use_known_fields() {
    use sgplay_core::scenario::rule_spec::RULE_FIELDS;
    const ADDRESS_GROUP_FIELDS: [&str; 5] = ["id", "name", "ip_version", "ip_set", "description"];
    const API_BOOKKEEPING: [&str; 6] = ["created_at", "updated_at", "project_id", "tenant_id", "max_capacity", "enterprise_project_id"];
    let mut problems = Vec::new();
    let mut check = |at: String, object: &serde_json::Value, known: &[&str]| {
        for key in object.as_object().into_iter().flat_map(|o| o.keys()) {
            if !known.contains(&key.as_str()) && !API_BOOKKEEPING.contains(&key.as_str()) {
                problems.push(format!("{at}: unknown field `{key}`"));
            }
        }
    };
    for file in corpus() {
        let doc: serde_json::Value = serde_json::from_str(&file.text).expect("parsed before");
        let at = short(&file.path);
        let list = |v: &serde_json::Value, key: &str| v.get(key).and_then(|l| l.as_array()).cloned().unwrap_or_default();
        for (g, group) in list(&doc, "security_groups").iter().enumerate() {
            for (r, rule) in list(group, "rules").iter().enumerate() {
                check(format!("{at} security_groups[{g}].rules[{r}]"), rule, &RULE_FIELDS);
            }
        }
        for (a, ag) in list(&doc, "address_groups").iter().enumerate() {
            check(format!("{at} address_groups[{a}]"), ag, &ADDRESS_GROUP_FIELDS);
        }
        for (q, seq) in list(&doc, "sequences").iter().enumerate() {
            for (n, step) in list(seq, "steps").iter().enumerate() {
                let changes = step.get("change").and_then(|c| c.as_object()).map(|o| o.values().collect::<Vec<_>>()).unwrap_or_default();
                for change in changes {
                    if let Some(rule) = change.get("rule") {
                        check(format!("{at} sequences[{q}].steps[{n}].change.rule"), rule, &RULE_FIELDS);
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every check of every file through the compiled matcher too: the same verdict as the tracer,
/// and the same deciding rules, side by side.
#[test]
fn the_compiled_matcher_agrees_with_the_tracer_on_every_check() {
    let mut disagreements = Vec::new();
    let mut compared = 0;
    for file in corpus() {
        let world = &file.scenario.world;
        let matcher = sgplay_core::Matcher::build(world);
        for check in &file.scenario.checks {
            let Ok(packet) = &check.packet else { continue };
            let eval = sgplay_core::evaluate(world, packet);
            let decision = matcher.decide_rule(packet);
            let traced: Vec<&str> = eval.deciding_rules().iter().map(|(_, _, r)| *r).collect();
            let compiled: Vec<&str> = [decision.outbound, decision.inbound]
                .iter()
                .filter_map(|s| s.rule())
                .map(|r| world.security_groups[r.group as usize].rules[r.rule as usize].id.as_str())
                .collect();
            compared += 1;
            if decision.verdict != eval.verdict || traced != compiled {
                disagreements.push(format!(
                    "{} — check \"{}\": tracer {} by {traced:?}, matcher {} by {compiled:?}",
                    short(&file.path),
                    check.name,
                    eval.verdict,
                    decision.verdict
                ));
            }
        }
    }
    println!("{compared} checks compared");
    assert!(compared >= MIN_CHECKS, "only {compared} checks reached the matcher");
    assert!(disagreements.is_empty(), "the matcher and the tracer disagree:\n{}", disagreements.join("\n"));
}
