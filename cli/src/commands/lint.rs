//! `sgplay lint`: every finding about a scenario's world: quotas and limits, high-risk exposure,
//! instances that cannot send, shadowed, redundant and empty rules (exact, with the covering
//! rules and an example packet), unused groups and address groups.

use super::Exit;
use crate::output::{self, ColorChoice, Painter, Style};
use crate::scenario_file;
use sgplay_core::analysis::lint::Lint;
use sgplay_core::report::{findings, LintReport};
use sgplay_core::scenario::Severity;
use sgplay_core::Problem;
use std::path::PathBuf;

/// The least severe finding that makes `lint` exit 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    #[default]
    Error,
    Warning,
    Advice,
}

/// Lint a scenario: quotas, exposure, shadowed and redundant rules, unused objects
///
/// Exit code: 0 when no finding reaches `--fail-on`, 1 when one does (or the file has errors),
/// 2 when the file cannot be read.
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Scenario file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print one JSON object: `{"findings": [{kind, severity, group, rule, covered_by, message, example?}, ...]}`
    #[arg(long)]
    pub json: bool,
    /// Exit 1 when a finding is at least this severe
    #[arg(long, value_enum, default_value_t)]
    pub fail_on: FailOn,
}

pub fn run(args: &LintArgs, color: ColorChoice) -> Exit {
    let err = Painter::stderr(color);
    let scenario = match scenario_file::load_or_report(&args.file, err, Exit::Failure) {
        Ok(s) => s,
        Err(exit) => return exit,
    };
    let findings = findings(&scenario.world);
    if args.json {
        if !output::emit_json(err, &LintReport { file: Some(args.file.display().to_string()), findings: &findings }, "the findings") {
            return Exit::Usage;
        }
    } else {
        output::emit(&render(&crate::scenario_file::shown_path(&args.file), &findings, Painter::stdout(color)));
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Advice => Severity::Advice,
    };
    if findings.iter().any(|l| l.problem.severity <= threshold) {
        Exit::Failure
    } else {
        Exit::Success
    }
}

fn render(file: &str, findings: &[Lint], painter: Painter) -> String {
    let problems: Vec<Problem> = findings.iter().map(|l| l.problem.clone()).collect();
    let status = if findings.is_empty() { painter.paint(Style::Green, "clean") } else { painter.paint(Style::Yellow, "findings") };
    let mut text = format!("{file}: {status}, {}\n", output::problem_counts(&problems));
    text.push_str(&output::problem_list(painter, &problems, "  "));
    text
}
