//! `sgplay diff`: what a change does. Every region of packets whose verdict differs between two
//! versions of a scenario's world, exactly, with the deciding rules before and after and an
//! example packet for each.

use super::Exit;
use crate::output::{self, ColorChoice, Painter, Style};
use crate::scenario_file::{self, LoadError};
use sgplay_core::analysis::diff::{diff, few, Change, WorldDiff};
use sgplay_core::model::Action;
use sgplay_core::{Problem, Scenario};
use std::path::{Path, PathBuf};

/// What changes between two versions of a scenario: every packet region whose verdict differs
///
/// Exit code: 0 when no verdict changes, 1 when some verdict changes (or a file has errors, or
/// part of the comparison had to be skipped), 2 when a file cannot be read.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The scenario before the change
    #[arg(value_name = "BEFORE")]
    pub before: PathBuf,
    /// The scenario after the change
    #[arg(value_name = "AFTER")]
    pub after: PathBuf,
    /// Print `{"changes": [{src, dst, protocol, ports, before, after, example, rules_before, rules_after}, ...], "skipped": [...]}`
    #[arg(long)]
    pub json: bool,
}

/// How loading one file went.
enum Loaded {
    Ok(Box<Scenario>),
    Invalid,
    Unreadable,
}

fn load(path: &Path, err: Painter) -> Loaded {
    match scenario_file::load(path) {
        Ok(s) => Loaded::Ok(Box::new(s)),
        Err(LoadError::Invalid(problems)) => {
            // A world with errors cannot be compared: say what to fix first.
            let errors: Vec<Problem> = problems.into_iter().filter(Problem::is_error).collect();
            output::emit_err(&output::problem_list(err, &errors, ""));
            output::error(
                err,
                &format!("`{}` has errors; fix them before comparing (`sgplay validate`)", crate::scenario_file::shown_path(path)),
            );
            Loaded::Invalid
        }
        Err(LoadError::Unreadable(message)) => {
            output::error(err, &message);
            Loaded::Unreadable
        }
    }
}

pub fn run(args: &DiffArgs, color: ColorChoice) -> Exit {
    let err = Painter::stderr(color);
    let (before, after) = (load(&args.before, err), load(&args.after, err));
    let (before, after) = match (before, after) {
        (Loaded::Ok(a), Loaded::Ok(b)) => (a, b),
        (Loaded::Unreadable, _) | (_, Loaded::Unreadable) => return Exit::Usage,
        _ => return Exit::Failure,
    };
    let report = diff(&before.world, &after.world);
    if args.json {
        if !output::emit_json(err, &report, "the diff") {
            return Exit::Usage;
        }
    } else {
        let names = (crate::scenario_file::shown_path(&args.before), crate::scenario_file::shown_path(&args.after));
        output::emit(&render(&names, &report, Painter::stdout(color)));
    }
    if report.changes.is_empty() && report.skipped.is_empty() {
        Exit::Success
    } else {
        Exit::Failure
    }
}

/// The report as `diff` prints it, `before → after` naming the versions.
pub(crate) fn render((before, after): &(String, String), report: &WorldDiff, painter: Painter) -> String {
    let mut text = if report.changes.is_empty() {
        format!("{before} → {after}: {}\n", painter.paint(Style::Green, "no verdict changes"))
    } else {
        let (opened, closed) = report.changes.iter().fold((0, 0), |(o, c), ch| if ch.opened() { (o + 1, c) } else { (o, c + 1) });
        format!(
            "{before} → {after}: {} ({opened} opened, {closed} closed)\n",
            painter.paint(Style::Yellow, &output::plural(report.changes.len(), "change", "changes"))
        )
    };
    for change in &report.changes {
        text.push_str(&format!("  {}\n", line(change, painter)));
    }
    for skipped in &report.skipped {
        text.push_str(&format!("  {} {}\n", painter.paint(Style::Yellow, "not compared:"), skipped.what));
    }
    text
}

/// "opened: tcp 22 from 10.0.0.0/8 to db-1 (10.0.0.6) (was denied by sg-db/deny-ssh, now allowed by sg-db/ssh)".
fn line(change: &Change, painter: Painter) -> String {
    let verb = if change.opened() { painter.paint(Style::Green, "opened:") } else { painter.paint(Style::Red, "closed:") };
    let service = match (change.protocol.as_str(), change.ports.as_slice()) {
        ("all others", _) => "all other protocols".to_string(),
        (p, []) => p.to_string(),
        (p, [all]) if all == "all" => format!("{p} (all ports)"),
        (p, ports) => format!("{p} {}", ports.join(",")),
    };
    let mut from = match change.src.as_slice() {
        [any] if any.ends_with("/0") => "anywhere".to_string(),
        src => few(src),
    };
    if !change.src_instances.is_empty() {
        from.push_str(&format!(" ({})", few(&change.src_instances)));
    }
    let to = match &change.dst.instance {
        Some(id) => format!("{id} ({})", few(&change.dst.addresses)),
        None => format!("{} (no instance)", few(&change.dst.addresses)),
    };
    format!(
        "{verb} {service} from {from} to {to} (was {}, now {}; e.g. {})",
        why(change.before, &change.rules_before),
        why(change.after, &change.rules_after),
        change.example
    )
}

/// "denied by sg-db/deny-ssh", "allowed by sg-web/out and sg-db/ssh".
fn why(verdict: Action, rules: &[String]) -> String {
    let word = if verdict == Action::Allow { "allowed" } else { "denied" };
    match (verdict, rules) {
        (_, []) => format!("{word}: no security group on the path"),
        // The last side consulted is the one that denied.
        (Action::Deny, [.., last]) => format!("{word} by {last}"),
        (Action::Allow, rules) => format!("{word} by {}", rules.join(" and ")),
    }
}
