//! What each job computes: the engine's analyses, shaped as the panels show them. The worker
//! and the in-place fallback both call [`run`], so an answer is the same wherever it ran.

use super::protocol::{Job, Outcome, PackedReach, Progress, WireImport};
use crate::components::baseline::model::DiffView;
use crate::components::findings::model::findings;
use crate::state::transfer::{self, Input};
use sgplay_core::analysis::diff::diff;
use sgplay_core::analysis::find::find;
use sgplay_core::analysis::reach::{reachability_with_progress, Service, DEFAULT_SERVICES};
use sgplay_core::interop::{self, Format};
use sgplay_core::matcher::Matcher;
use sgplay_core::scenario::{Problem, ScenarioSpec};

/// The matrix's services: `sgplay reach`'s defaults.
pub fn matrix_services() -> Vec<Service> {
    DEFAULT_SERVICES.iter().filter_map(|s| Service::parse(s).ok()).collect()
}

/// Runs `job`, telling `progress` how far it is whenever it can.
pub fn run(job: &Job, progress: &mut dyn FnMut(Progress)) -> Outcome {
    match job {
        Job::Findings { world } => {
            progress(Progress { done: 0, total: 0, stage: "every rule against every packet it could match".into() });
            Outcome::Findings { findings: findings(world) }
        }
        Job::Matrix { world } => {
            let services = matrix_services();
            let total = services.len() as u32 + 1;
            progress(Progress { done: 0, total, stage: "building the matcher".into() });
            let matcher = Matcher::build(world);
            let mut tell = |k: usize| {
                let next = services
                    .get(k)
                    .map_or(String::from("collecting the pairs"), |s| format!("service {} of {} ({})", k + 1, services.len(), s.label));
                progress(Progress { done: k as u32 + 1, total, stage: next });
            };
            tell(0);
            let reach = reachability_with_progress(world, &matcher, &services, &mut tell);
            Outcome::Matrix { reach: PackedReach::pack(&reach, world.instances.len()) }
        }
        Job::Diff { baseline, current } => {
            progress(Progress { done: 0, total: 0, stage: "every packet region of both versions".into() });
            Outcome::Diff { view: DiffView::of(&diff(baseline, current)) }
        }
        Job::Find { world, question } => {
            progress(Progress { done: 0, total: 0, stage: "one packet per class of addresses, ports and protocols".into() });
            // The page parsed the question against this world before asking; parsed again here
            // because the worker holds only what crossed the boundary.
            let answer = question
                .parse(world)
                .map(|q| find(world, &Matcher::build(world), &q))
                .map_err(|problems| problems.into_iter().map(|(_, message)| message).collect::<Vec<_>>().join("; "));
            Outcome::Found { answer }
        }
        Job::Import { inputs } => {
            let terraform = inputs.iter().any(|(_, text)| interop::looks_like_terraform(text.trim_start_matches('\u{feff}').trim()));
            let stage = if terraform { "resources, references, count and for_each" } else { "groups, rules, address groups and servers" };
            progress(Progress { done: 0, total: 0, stage: stage.into() });
            let inputs: Vec<Input> = inputs.iter().map(|(name, text)| Input::new(name.clone(), text.clone())).collect();
            Outcome::Imported { result: transfer::import_all(&inputs).map(WireImport::from) }
        }
        Job::Export { scenario, format } => {
            let format = Format::parse(format).ok_or(format);
            let stage = if format.is_ok_and(Format::is_terraform) { "resources and their references" } else { "groups, rules and servers" };
            progress(Progress { done: 0, total: 0, stage: stage.into() });
            let result = match format {
                Ok(format) => ScenarioSpec::parse(scenario).map_err(|p| vec![p]).and_then(|spec| transfer::export(&spec, format)),
                Err(format) => Err(vec![Problem::error("", "format", "", "", format!("`{format}` is not a format"))]),
            };
            Outcome::Exported { result }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world(slug: &str) -> sgplay_core::World {
        crate::gallery::load(slug).expect("a corpus example").build().expect("valid").world
    }

    #[test]
    fn each_job_answers_what_the_panels_compute_in_place_and_says_how_far_it_is() {
        let w = world("huawei/overview-architecture");
        let mut seen = Vec::new();
        let Outcome::Matrix { reach } = run(&Job::Matrix { world: w.clone() }, &mut |p| seen.push(p)) else { panic!("a matrix") };
        assert_eq!(
            reach.unpack().expect("unpacks"),
            sgplay_core::analysis::reach::reachability(&w, &Matcher::build(&w), &matrix_services())
        );
        let steps: Vec<u32> = seen.iter().map(|p| p.done).collect();
        assert_eq!(steps, (0..=11).collect::<Vec<_>>(), "the matcher, then each of the ten services");
        assert!(seen.iter().all(|p| p.total == 11));
        let Outcome::Findings { findings: found } = run(&Job::Findings { world: w.clone() }, &mut |_| {}) else { panic!("findings") };
        assert_eq!(found, findings(&w));
        let mut edited = w.clone();
        edited.security_groups.iter_mut().find(|g| !g.rules.is_empty()).expect("a rule").rules.remove(0);
        let Outcome::Diff { view } = run(&Job::Diff { baseline: w.clone(), current: edited.clone() }, &mut |_| {}) else {
            panic!("a diff")
        };
        assert_eq!(view, DiffView::of(&diff(&w, &edited)));
        assert!(view.total > 0 && view.summary.starts_with("Closes"), "{view:?}");
        let question = crate::components::find::model::default_question(Some(&w));
        let Outcome::Found { answer } = run(&Job::Find { world: w.clone(), question: question.clone() }, &mut |_| {}) else {
            panic!("found")
        };
        assert_eq!(answer, Ok(find(&w, &Matcher::build(&w), &question.parse(&w).expect("a question of this world"))));
        let wrong = sgplay_core::analysis::find::QuestionText { to: "nobody".into(), ..question };
        let Outcome::Found { answer } = run(&Job::Find { world: w, question: wrong }, &mut |_| {}) else { panic!("found") };
        assert!(answer.unwrap_err().contains("`nobody`"));
    }

    #[test]
    fn terraform_is_read_and_written_by_the_job_as_the_engine_does_it() {
        let path = format!("{}/../tests/fixtures/terraform/main.tf", env!("CARGO_MANIFEST_DIR"));
        let hcl = std::fs::read_to_string(path).expect("the Terraform fixture");
        let inputs = vec![Input::new("main.tf", hcl.clone())];
        // The page hands Terraform to the worker only where it cannot read it itself.
        assert_eq!(transfer::needs_worker(&inputs), !Format::HuaweiTerraform.is_available());
        assert!(!transfer::needs_worker(&[Input::new("a.json", r#"{"security_groups": []}"#)]));
        let listing = Input::new("rules.json", r#"{"security_group_rules": [], "request_id": "r"}"#);
        assert_eq!(transfer::needs_worker(&[listing]), !Format::HuaweiApi.is_available(), "API listings too");
        // Past the size limit nothing is parsed to detect it: the page refuses it by its size.
        let huge = Input::new(
            "big.json",
            format!("{{\"security_group_rules\": [{}]}}", "0,".repeat(sgplay_core::scenario::limits::MAX_INPUT_BYTES / 2)),
        );
        assert!(!transfer::needs_worker(std::slice::from_ref(&huge)));
        assert!(transfer::import_all(&[huge]).unwrap_err()[0].to_string().contains("MiB"), "refused by its size");
        let Outcome::Imported { result } = run(&Job::Import { inputs: vec![("main.tf".into(), hcl)] }, &mut |_| {}) else {
            panic!("imported")
        };
        let expected = transfer::import_all(&inputs);
        assert_eq!(result.clone().and_then(transfer::Imported::try_from), expected);
        let spec = match expected {
            Ok(imported) => {
                assert_eq!(imported.format, Format::HuaweiTerraform);
                imported.scenario
            }
            // A build without the HCL reader says so, naming the feature.
            Err(problems) => {
                assert!(!Format::HuaweiTerraform.is_available(), "{problems:?}");
                return;
            }
        };
        let Outcome::Exported { result } = run(&Job::Export { scenario: spec.to_json(), format: "huawei-terraform".into() }, &mut |_| {})
        else {
            panic!("exported")
        };
        assert_eq!(result, transfer::export(&spec, Format::HuaweiTerraform));
        let (text, name, _) = result.expect("written");
        assert!(name.ends_with(".tf") && text.contains("huaweicloud_networking_secgroup"), "{name}: {text}");
        let Outcome::Exported { result } = run(&Job::Export { scenario: spec.to_json(), format: "yaml".into() }, &mut |_| {}) else {
            panic!("exported")
        };
        assert!(result.unwrap_err()[0].to_string().contains("`yaml` is not a format"));
    }
}
