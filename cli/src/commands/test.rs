//! `sgplay test`: run the checks and sequences of scenario files, like a test runner.

use super::Exit;
use crate::output::{self, ColorChoice, Painter, Style};
use crate::scenario_file::{self, LoadError};
use serde::Serialize;
use sgplay_core::diagnostic::printable;
use sgplay_core::testing::{run_scenario, TestOutcome};
use sgplay_core::Problem;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Run the checks and sequences of scenario files
///
/// Each argument is a scenario file or a directory, searched recursively for `*.json` files.
/// A file that does not load counts as one failure. Exit code: 0 when every test passed, 1 when
/// any failed, 2 when no file was found or an argument cannot be read.
#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Scenario files or directories
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print one JSON object with every file's outcomes and the counts
    #[arg(long)]
    pub json: bool,
}

/// What happened to one file.
#[derive(Debug, Serialize)]
struct FileReport {
    file: String,
    /// False when the file could not be read or is not a valid scenario.
    loaded: bool,
    /// Why the file could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    unreadable: Option<String>,
    /// Why it is not a valid scenario: every problem, errors first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    problems: Vec<Problem>,
    tests: Vec<TestOutcome>,
}

impl FileReport {
    fn failed(&self) -> usize {
        if self.loaded {
            self.tests.iter().filter(|t| !t.passed).count()
        } else {
            1
        }
    }

    fn passed(&self) -> usize {
        self.tests.iter().filter(|t| t.passed).count()
    }
}

#[derive(Debug, Serialize)]
struct Report {
    passed: usize,
    failed: usize,
    files: Vec<FileReport>,
}

pub fn run(args: &TestArgs, color: ColorChoice) -> Exit {
    let err = Painter::stderr(color);
    let files = match collect(&args.paths) {
        Ok(files) => files,
        Err(messages) => {
            for m in messages {
                output::error(err, &m);
            }
            return Exit::Usage;
        }
    };
    let files: Vec<FileReport> = files.iter().map(|f| run_file(f)).collect();
    let report = Report { passed: files.iter().map(FileReport::passed).sum(), failed: files.iter().map(FileReport::failed).sum(), files };
    if args.json {
        if !output::emit_json(err, &report, "the report") {
            return Exit::Usage;
        }
    } else {
        output::emit(&render(&report, Painter::stdout(color)));
    }
    if report.failed == 0 {
        Exit::Success
    } else {
        Exit::Failure
    }
}

/// The scenario files the arguments name, sorted within each directory, each once.
/// Every argument that cannot be used is reported.
fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<String>> {
    if paths.is_empty() {
        return Err(vec!["no scenario files given; pass files or directories, e.g. `sgplay test tests/scenarios`".into()]);
    }
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                problems.push(format!("cannot read `{}`: no such file or directory", scenario_file::shown_path(path)))
            }
            Err(e) => problems.push(format!("cannot read `{}`: {}", scenario_file::shown_path(path), scenario_file::reason(&e))),
            Ok(meta) if meta.is_dir() => {
                let before = files.len();
                walk(path, &mut files, &mut problems);
                if files.len() == before {
                    problems.push(format!("no `.json` file in `{}`", scenario_file::shown_path(path)));
                }
            }
            Ok(_) => files.push(path.clone()),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut seen = BTreeSet::new();
    files.retain(|f| seen.insert(f.canonicalize().unwrap_or_else(|_| f.clone())));
    Ok(files)
}

/// `*.json` files under `dir`, depth first, sorted by name. Symbolic links to directories are
/// not followed, so a link loop cannot trap the walk. Hidden directories, `node_modules` and
/// `target` hold tooling, not scenarios, and are skipped.
fn walk(dir: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<String>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(format!("cannot read directory `{}`: {}", scenario_file::shown_path(dir), scenario_file::reason(&e)));
            return;
        }
    };
    let mut entries: Vec<(PathBuf, bool)> =
        entries.filter_map(Result::ok).map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir()))).collect();
    entries.sort();
    for (path, is_dir) in entries {
        if is_dir {
            let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
            if !(name.starts_with('.') || name == "node_modules" || name == "target") {
                walk(&path, files, problems);
            }
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) && path.is_file() {
            files.push(path);
        }
    }
}

fn run_file(path: &Path) -> FileReport {
    let file = path.display().to_string();
    match scenario_file::load(path) {
        Ok(scenario) => FileReport { file, loaded: true, unreadable: None, problems: Vec::new(), tests: run_scenario(&scenario) },
        Err(LoadError::Unreadable(message)) => {
            FileReport { file, loaded: false, unreadable: Some(message), problems: Vec::new(), tests: Vec::new() }
        }
        Err(LoadError::Invalid(problems)) => FileReport { file, loaded: false, unreadable: None, problems, tests: Vec::new() },
    }
}

fn render(report: &Report, painter: Painter) -> String {
    let ok = painter.paint(Style::Green, "ok    ");
    let failed = painter.paint(Style::Red, "FAILED");
    let tests: usize = report.files.iter().map(|f| f.tests.len()).sum();
    let mut text =
        format!("running {} from {}\n\n", output::plural(tests, "test", "tests"), output::plural(report.files.len(), "file", "files"));
    // A file's name and a test's come from the file system and the file: printed escaped.
    let safe = |text: &str| printable(text).into_owned();
    for f in &report.files {
        let file = safe(&f.file);
        if let Some(message) = &f.unreadable {
            text.push_str(&format!("{failed} {} ({message})\n", file));
        } else if !f.loaded {
            text.push_str(&format!("{failed} {} (not a valid scenario: {})\n", file, output::problem_counts(&f.problems)));
        } else if f.tests.is_empty() {
            text.push_str(&format!("{} {} (no checks or sequences)\n", painter.paint(Style::Dim, "none  "), file));
        }
        for t in &f.tests {
            text.push_str(&format!("{} {} :: {}\n", if t.passed { &ok } else { &failed }, file, safe(&t.name)));
        }
    }
    if report.failed > 0 {
        text.push_str("\nfailures:\n");
        for f in report.files.iter().filter(|f| f.failed() > 0) {
            let file = safe(&f.file);
            if !f.loaded {
                text.push_str(&format!("\n{} {}\n", failed, painter.paint(Style::Bold, &file)));
                if let Some(message) = &f.unreadable {
                    text.push_str(&format!("  {message}\n"));
                }
                text.push_str(&output::problem_list(painter, &f.problems, "  "));
            }
            for t in f.tests.iter().filter(|t| !t.passed) {
                text.push_str(&format!("\n{} {} :: {}\n", failed, file, painter.paint(Style::Bold, &safe(&t.name))));
                for line in &t.failures {
                    text.push_str(&format!("  {line}\n"));
                }
                if !t.details.trim().is_empty() {
                    text.push_str(&format!("  {}\n", painter.paint(Style::Dim, "trace:")));
                    text.push_str(&output::indented(&t.details, "    "));
                }
            }
        }
    }
    let summary = format!("{} passed, {} failed", report.passed, report.failed);
    let style = if report.failed == 0 { Style::Green } else { Style::Red };
    // The closing line stays alone on its line: CI and people read it.
    text.push_str(&format!("\n{}\n", painter.paint(style, &summary)));
    text
}
