//! `sgplay validate`: every problem in a scenario file at once, errors first, then warnings and
//! advice.

use super::Exit;
use crate::output::{self, ColorChoice, Painter, Style};
use crate::scenario_file::{self, LoadError};
use sgplay_core::scenario::Severity;
use sgplay_core::Problem;
use std::path::PathBuf;

/// List every problem in a scenario file: errors, then warnings and advice
///
/// Exit code: 0 when the file has no error (warnings and advice allowed), 1 when it has errors,
/// 2 when it cannot be read.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Scenario file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print one JSON object: `{file, valid, errors, warnings, advice, problems}`
    #[arg(long)]
    pub json: bool,
}

/// `--json`: one object per file.
#[derive(serde::Serialize)]
struct JsonReport<'a> {
    file: String,
    /// No error (warnings and advice allowed).
    valid: bool,
    errors: usize,
    warnings: usize,
    advice: usize,
    /// Errors first, then warnings, then advice.
    problems: &'a [Problem],
}

pub fn run(args: &ValidateArgs, color: ColorChoice) -> Exit {
    let err = Painter::stderr(color);
    let mut problems: Vec<Problem> = match scenario_file::load(&args.file) {
        Ok(scenario) => scenario.notices,
        Err(LoadError::Invalid(problems)) => problems,
        Err(LoadError::Unreadable(message)) => {
            output::error(err, &message);
            return Exit::Usage;
        }
    };
    // Stable: within one severity, problems keep the order of the file.
    problems.sort_by_key(|p| p.severity);
    let valid = !problems.iter().any(Problem::is_error);
    if args.json {
        let count = |s: Severity| problems.iter().filter(|p| p.severity == s).count();
        let report = JsonReport {
            file: args.file.display().to_string(),
            valid,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            advice: count(Severity::Advice),
            problems: &problems,
        };
        if !output::emit_json(err, &report, "the report") {
            return Exit::Usage;
        }
    } else {
        output::emit(&render(&crate::scenario_file::shown_path(&args.file), valid, &problems, Painter::stdout(color)));
    }
    if valid {
        Exit::Success
    } else {
        Exit::Failure
    }
}

fn render(file: &str, valid: bool, problems: &[Problem], painter: Painter) -> String {
    let status = if valid { painter.paint(Style::Green, "valid") } else { painter.paint(Style::Red, "invalid") };
    let mut text = format!("{file}: {status}, {}\n", output::problem_counts(problems));
    text.push_str(&output::problem_list(painter, problems, "  "));
    text
}
