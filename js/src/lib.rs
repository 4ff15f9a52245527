//! # sgplay-js: the engine for other tools
//!
//! `sgplay-core` as a small JS/wasm package (`scripts/build-js.sh` builds `js/pkg/`): an ES
//! module with TypeScript types for documentation sites and tools that want the engine without
//! the page. Five functions, each the CLI's command over the same core functions, answering
//! with the objects the CLI's `--json` prints (`core/src/report.rs` defines them for both):
//!
//! | JS | CLI | answer |
//! |---|---|---|
//! | `evaluate(scenario, packet)` | `sgplay eval … --json` | the evaluation, its trace and `steps` |
//! | `lint(scenario)` | `sgplay lint --json` | `{findings}` (the CLI adds `file`) |
//! | `reach(scenario, services?)` | `sgplay reach --json` | `{services, internet, pairs}` |
//! | `diff(a, b)` | `sgplay diff --json` | `{changes, skipped, named_protocols}` |
//! | `importAny(text)` | `sgplay import` | `{scenario, format, warnings}` |
//!
//! Each function reads and validates its scenario again, which on a 1,000-instance estate is
//! most of a call's time. A tool that asks more than once loads it once: `new Engine(scenario)`
//! ([`Loaded`]) has `evaluate(packet)`, `lint()`, `reach(services?)` and `diff(other)`, and
//! keeps the compiled matcher between calls; `engine.free()` gives its memory back.
//!
//! A scenario is a JSON text or a JS object, in any format [`interop::import_any`] detects (a
//! scenario file, Huawei Cloud API output). Values cross the boundary as JSON text, read by the
//! core's one JSON reader ([`sgplay_core::scenario::from_json`]), so an error names the field's
//! path (`security_groups[0].rules[1].remote_ip_prefix`) exactly as the CLI does, and no second
//! set of serde visitors is compiled in.
//!
//! **Errors** are thrown as a JS `Error` named `SgplayError`: its message lists every problem,
//! and its `problems` property holds them as objects (`input`, `severity`, `path`, `object`,
//! `field`, `value`, `message`); `input` names the argument (`scenario`, `packet`, `a`, `b`,
//! `services`, `text`). Nothing here panics on user input.
//!
//! The functions below the wasm layer ([`Answer`]) are plain Rust, tested natively.

use serde::Serialize;
use sgplay_core::analysis::diff::diff as diff_worlds;
use sgplay_core::analysis::reach::{reachability, DEFAULT_SERVICES};
use sgplay_core::interop;
use sgplay_core::report::{findings, services, EvalReport, LintReport, ReachReport};
use sgplay_core::scenario::{from_json, CheckSpec};
use sgplay_core::{Matcher, ProbeSpec, Problem, Scenario};

/// A problem with one of the arguments: the engine's problem and the argument it is about.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Failure {
    pub input: &'static str,
    #[serde(flatten)]
    pub problem: Problem,
}

/// An answer as JSON text, or every problem that stopped it.
pub type Answer = Result<String, Vec<Failure>>;

fn failures(input: &'static str, problems: Vec<Problem>) -> Vec<Failure> {
    problems.into_iter().map(|problem| Failure { input, problem }).collect()
}

fn json(value: &impl Serialize) -> Answer {
    serde_json::to_string(value).map_err(|e| {
        vec![Failure { input: "", problem: Problem::error("", "answer", "", "", format!("cannot write the answer as JSON: {e}")) }]
    })
}

/// The scenario `text` names as `input` (`scenario`, `a`, `b`), loaded as the CLI loads a
/// file; `Err` holds its errors (warnings do not stop it).
fn scenario(input: &'static str, text: &str) -> Result<Scenario, Vec<Failure>> {
    interop::load(&[(input, text)]).map_err(|problems| failures(input, problems.into_iter().filter(Problem::is_error).collect()))
}

/// A scenario read, validated and built once, for many questions: JS's `new Engine(scenario)`.
/// Reading and validating is most of a stateless call's time on a large estate (the advice
/// analysis runs with validation), so a tool that asks more than once keeps one of these. The
/// compiled matcher is built on the first question that needs it and kept.
pub struct Loaded {
    scenario: Scenario,
    matcher: std::cell::OnceCell<Matcher>,
}

impl Loaded {
    /// Loads `text` as the argument `input` (`scenario`, `a`, `b`).
    pub fn load(input: &'static str, text: &str) -> Result<Loaded, Vec<Failure>> {
        Ok(Loaded { scenario: scenario(input, text)?, matcher: std::cell::OnceCell::new() })
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    fn matcher(&self) -> &Matcher {
        self.matcher.get_or_init(|| Matcher::build(&self.scenario.world))
    }

    /// `engine.evaluate(packet)`: `packet` is a check's packet (`from`, `to`, `protocol`,
    /// `port`, …; `docs/scenario-format.md`), or a whole check, whose expectations are not looked at.
    pub fn evaluate(&self, packet_text: &str) -> Answer {
        // A packet's own problem is the one to tell, also when the text is no check either.
        let probe = from_json::<ProbeSpec>(packet_text).or_else(|e| from_json::<CheckSpec>(packet_text).map(|c| c.packet).map_err(|_| e));
        let probe = probe.map_err(|e| failures("packet", vec![Problem::error(e.path, "packet", "", "", e.message)]))?;
        let packet = probe.resolve(&self.scenario.world).map_err(|problems| failures("packet", problems))?;
        json(&EvalReport::new(&sgplay_core::evaluate(&self.scenario.world, &packet)))
    }

    /// `engine.lint()`: every finding, the most severe first.
    pub fn lint(&self) -> Answer {
        json(&LintReport { file: None, findings: &findings(&self.scenario.world) })
    }

    /// `engine.reach(services)`: `None` checks `sgplay reach`'s default services.
    pub fn reach(&self, names: Option<Vec<String>>) -> Answer {
        let names = names.unwrap_or_else(|| DEFAULT_SERVICES.iter().map(|s| s.to_string()).collect());
        let services = services(&names, "services").map_err(|m| failures("services", vec![Problem::error("", "services", "", "", m)]))?;
        let world = &self.scenario.world;
        json(&ReachReport::new(world, &reachability(world, self.matcher(), &services)))
    }

    /// `engine.diff(other)`: every packet region whose verdict differs from this scenario to `other`.
    pub fn diff(&self, other: &Loaded) -> Answer {
        json(&diff_worlds(&self.scenario.world, &other.scenario.world))
    }
}

/// `evaluate(scenario, packet)`: [`Loaded::evaluate`] on a scenario loaded for this one call.
pub fn evaluate(scenario_text: &str, packet_text: &str) -> Answer {
    Loaded::load("scenario", scenario_text)?.evaluate(packet_text)
}

/// `lint(scenario)`: every finding, the most severe first.
pub fn lint(scenario_text: &str) -> Answer {
    Loaded::load("scenario", scenario_text)?.lint()
}

/// `reach(scenario, services)`: `None` checks `sgplay reach`'s default services. The services
/// are checked first, so a bad list is told without reading the scenario.
pub fn reach(scenario_text: &str, names: Option<Vec<String>>) -> Answer {
    if let Some(names) = &names {
        services(names, "services").map_err(|m| failures("services", vec![Problem::error("", "services", "", "", m)]))?;
    }
    Loaded::load("scenario", scenario_text)?.reach(names)
}

/// `diff(a, b)`: every packet region whose verdict differs from `a` to `b`. The errors of both
/// are reported together.
pub fn diff(a_text: &str, b_text: &str) -> Answer {
    match (Loaded::load("a", a_text), Loaded::load("b", b_text)) {
        (Ok(a), Ok(b)) => a.diff(&b),
        (a, b) => Err(a.err().into_iter().chain(b.err()).flatten().collect()),
    }
}

/// What `importAny` answers: the scenario document, the format it was read as, and what was
/// left out or assumed.
#[derive(Serialize)]
struct ImportReport<'a> {
    scenario: &'a sgplay_core::ScenarioSpec,
    format: &'static str,
    warnings: &'a [Problem],
}

/// `importAny(inputs)`: `(name, text)` inputs, combined as `sgplay import` combines files.
pub fn import_any(inputs: &[(&str, &str)]) -> Answer {
    let imported = interop::import_any(inputs).map_err(|problems| failures("text", problems))?;
    json(&ImportReport { scenario: &imported.scenario, format: imported.format.name(), warnings: &imported.warnings })
}

/// The message of the thrown error: one line per problem, naming its argument (an import's
/// problems name their input in the path already: `rules.json: security_group_rules[3]…`).
pub fn message(failures: &[Failure]) -> String {
    let line = |f: &Failure| match f.input {
        "" | "text" => f.problem.to_string(),
        input => format!("{input}: {}", f.problem),
    };
    failures.iter().map(line).collect::<Vec<_>>().join("\n")
}

#[cfg(target_arch = "wasm32")]
mod wasm;

#[cfg(test)]
mod tests {
    use super::*;

    const SCENARIO: &str = r#"{"security_groups": [{"id": "sg-web", "rules": [
        {"id": "https", "direction": "ingress", "protocol": "tcp", "multiport": "443", "remote_ip_prefix": "0.0.0.0/0"}]}],
      "instances": [{"id": "web", "ip": "10.0.0.5", "security_groups": ["sg-web"]}]}"#;

    fn value(answer: Answer) -> serde_json::Value {
        serde_json::from_str(&answer.expect("an answer")).expect("JSON")
    }

    #[test]
    fn each_function_answers_with_the_reports_shape() {
        let eval = value(evaluate(SCENARIO, r#"{"from": "203.0.113.7", "to": "web", "protocol": "tcp", "port": 443}"#));
        assert_eq!(eval["verdict"], "allow");
        let check = r#"{"name": "https", "from": "203.0.113.7", "to": "web", "protocol": "tcp", "port": 443, "expect": "deny"}"#;
        assert_eq!(value(evaluate(SCENARIO, check)), eval, "a check is evaluated, its expectation not looked at");
        assert!(eval["steps"].as_array().is_some_and(|s| !s.is_empty()));
        assert!(value(lint(SCENARIO))["findings"].is_array());
        assert_eq!(value(reach(SCENARIO, Some(vec!["tcp:443".into()])))["pairs"][0]["allowed"][0], "tcp:443");
        assert_eq!(value(diff(SCENARIO, SCENARIO))["changes"], serde_json::json!([]));
        assert_eq!(value(import_any(&[("text", SCENARIO)]))["format"], "scenario");
    }

    #[test]
    fn a_loaded_scenario_answers_as_the_functions_do() {
        let engine = Loaded::load("scenario", SCENARIO).expect("loads");
        let packet = r#"{"from": "203.0.113.7", "to": "web", "protocol": "tcp", "port": 443}"#;
        for _ in 0..2 {
            assert_eq!(engine.evaluate(packet), evaluate(SCENARIO, packet));
            assert_eq!(engine.reach(Some(vec!["tcp:443".into()])), reach(SCENARIO, Some(vec!["tcp:443".into()])));
        }
        assert_eq!(engine.lint(), lint(SCENARIO));
        let other = Loaded::load("scenario", &SCENARIO.replace("\"443\"", "\"8443\"")).expect("loads");
        assert_eq!(engine.diff(&other), diff(SCENARIO, &SCENARIO.replace("\"443\"", "\"8443\"")));
        assert!(value(engine.diff(&other))["changes"].as_array().is_some_and(|c| !c.is_empty()));
        assert_eq!(engine.evaluate("{}").unwrap_err()[0].input, "packet");
    }

    #[test]
    fn problems_name_the_argument_and_the_path() {
        let bad = SCENARIO.replace("0.0.0.0/0", "10.0.0.0/33");
        let failures = evaluate(&bad, "{}").unwrap_err();
        assert_eq!((failures[0].input, failures[0].problem.path.as_str()), ("scenario", "security_groups[0].rules[0].remote_ip_prefix"));
        assert!(message(&failures).starts_with("scenario: error: security_groups[0].rules[0].remote_ip_prefix"));
        let failures = evaluate(SCENARIO, r#"{"from": "web", "to": "10.9.9.9", "protocol": "tcp", "port": 70000}"#).unwrap_err();
        assert_eq!((failures[0].input, failures[0].problem.path.as_str()), ("packet", "port"));
        let failures = diff(&bad, &bad).unwrap_err();
        assert_eq!(failures.iter().map(|f| f.input).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(reach(SCENARIO, Some(vec![])).unwrap_err()[0].input, "services");
    }
}
