//! `sgplay eval`: one packet through a scenario's world, the verdict and the trace behind it.

use super::Exit;
use crate::output::{self, ColorChoice, Painter, Style};
use crate::scenario_file::{self, LoadError};
use sgplay_core::eval::{explain, Step, StepKind};
use sgplay_core::report::EvalReport;
use sgplay_core::{evaluate, Evaluation, ProbeSpec, Problem, Scenario};
use std::path::PathBuf;

/// Evaluate one packet: allow or deny, and every rule looked at on the way
///
/// FROM and TO are an instance id (or name) or an IP address. An address outside the world's
/// VPCs is the Internet; a virtual IP or EIP belongs to its instance.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    sgplay eval --world web.json --from 203.0.113.7 --to ecs-web --protocol tcp --port 443\n  \
    sgplay eval --world web.json --from ecs-a --to ecs-b --protocol icmp\n  \
    sgplay eval --world web.json --from ecs-a --to ecs-b --protocol udp --port 53 --json")]
pub struct EvalArgs {
    /// Scenario file holding the world (VPCs, security groups, instances)
    #[arg(long, value_name = "FILE")]
    pub world: PathBuf,
    /// Where the packet comes from: an instance id or name, or an IP address
    #[arg(long, value_name = "FROM")]
    pub from: String,
    /// Where the packet goes: an instance id or name, or an IP address
    #[arg(long, value_name = "TO")]
    pub to: String,
    /// tcp, udp, icmp, icmpv6, gre or an IP protocol number 0-255
    #[arg(long, value_name = "PROTOCOL")]
    pub protocol: String,
    /// Destination port 1-65535 (tcp and udp only; required for them)
    #[arg(long, value_name = "N", value_parser = crate::arguments::port)]
    pub port: Option<u16>,
    /// Source port (tcp and udp; the ICMP echo id for icmp) [default: 49152]
    #[arg(long, value_name = "N", value_parser = crate::arguments::port_or_echo_id)]
    pub src_port: Option<u16>,
    /// Which address of an instance to use when neither end is an address
    #[arg(long, value_name = "IPv4|IPv6")]
    pub family: Option<String>,
    /// ICMP type 0-255 (icmp and icmpv6 only) [default: echo request]
    #[arg(long, value_name = "T", value_parser = crate::arguments::icmp_number)]
    pub icmp_type: Option<u8>,
    /// ICMP code 0-255 (icmp and icmpv6 only) [default: 0]
    #[arg(long, value_name = "C", value_parser = crate::arguments::icmp_number)]
    pub icmp_code: Option<u8>,
    /// TCP flags, e.g. `syn`, `syn,ack`, `ack`, `fin,ack`, `rst` [default: syn]. The packet is
    /// judged as the first packet of a connection, as the simulator judges it on empty tables: one
    /// that cannot open a connection (syn,ack, fin, rst, an ICMP echo reply or error) is dropped
    /// as invalid before the rules
    #[arg(long, value_name = "FLAGS")]
    pub flags: Option<String>,
    /// Print one JSON object: the evaluation with its full trace and its steps
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &EvalArgs, color: ColorChoice) -> Exit {
    let err = Painter::stderr(color);
    let scenario = match scenario_file::load(&args.world) {
        Ok(s) => s,
        Err(LoadError::Unreadable(message)) => {
            output::error(err, &message);
            return Exit::Usage;
        }
        Err(LoadError::Invalid(problems)) => {
            let errors = problems.iter().filter(|p| p.is_error()).count();
            output::error(
                err,
                &format!(
                    "`{}` is not a valid scenario ({})",
                    crate::scenario_file::shown_path(&args.world),
                    output::plural(errors, "error", "errors")
                ),
            );
            output::emit_err(&output::problem_list(err, &problems, "  "));
            return Exit::Usage;
        }
    };
    let evaluation = match resolve(args, &scenario) {
        Ok(packet) => evaluate(&scenario.world, &packet),
        Err(problems) => {
            for p in &problems {
                output::error(err, &packet_problem(p));
            }
            return Exit::Usage;
        }
    };
    if args.json {
        if !output::emit_json(err, &EvalReport::new(&evaluation), "the evaluation") {
            return Exit::Failure;
        }
    } else {
        output::emit(&render(&evaluation, Painter::stdout(color)));
    }
    Exit::Success
}

/// The packet the arguments describe, or every problem with them.
fn resolve(args: &EvalArgs, scenario: &Scenario) -> Result<sgplay_core::Packet, Vec<Problem>> {
    let probe = ProbeSpec {
        from: args.from.clone(),
        to: args.to.clone(),
        protocol: args.protocol.clone(),
        port: args.port,
        src_port: args.src_port,
        family: args.family.clone(),
        icmp_type: args.icmp_type,
        icmp_code: args.icmp_code,
        flags: args.flags.clone(),
    };
    probe.resolve(&scenario.world)
}

/// A problem with the packet, named by the option the user typed: "--port `0`: must be 1-65535".
fn packet_problem(problem: &Problem) -> String {
    let option = format!("--{}", problem.field.replace('_', "-"));
    if problem.value.is_empty() {
        format!("{option}: {}", problem.message)
    } else {
        format!("{option} `{}`: {}", problem.value, problem.message)
    }
}

/// The verdict first, with what decided it, then the trace a newcomer can follow.
fn render(evaluation: &Evaluation, painter: Painter) -> String {
    let steps = explain::steps(evaluation);
    let allowed = evaluation.verdict.is_allow();
    let (word, style) = if allowed { ("ALLOW", Style::BoldGreen) } else { ("DENY", Style::BoldRed) };
    let mut text = String::new();
    // What decided: the side that denied, or every side that allowed.
    let deciding: Vec<&str> = steps
        .iter()
        .filter(|s| s.kind == StepKind::Decision && (allowed || s.passed == Some(false)))
        .map(|s| s.sentence.as_str())
        .collect();
    let pad = " ".repeat(word.len() + 2);
    match deciding.split_first() {
        Some((first, rest)) => {
            text.push_str(&format!("{}  {first}\n", painter.paint(style, word)));
            for line in rest {
                text.push_str(&format!("{pad}{line}\n"));
            }
        }
        None => text.push_str(&format!("{}  no security group is on this path\n", painter.paint(style, word))),
    }
    // The path outcome: the verdict is the security groups', but the packet may have no way there.
    text.push_str(&format!("{pad}path: {}\n", explain::describe_path(&evaluation.path)));
    text.push('\n');
    text.push_str(&paint_trace(&explain::render_text(evaluation), &steps, painter));
    text
}

/// Colors `render_text`'s lines by the step each one shows.
fn paint_trace(trace: &str, steps: &[Step], painter: Painter) -> String {
    let lines: Vec<&str> = trace.lines().collect();
    if lines.len() != steps.len() {
        // A sentence spanning lines: show it as it is rather than guess.
        return trace.to_string();
    }
    lines.iter().zip(steps).map(|(line, step)| format!("{}\n", painter.paint(step_style(step), line))).collect()
}

fn step_style(step: &Step) -> Style {
    let verdict = |passed: Option<bool>, strong: bool| match (passed, strong) {
        (Some(true), true) => Style::BoldGreen,
        (Some(true), false) => Style::Green,
        (_, true) => Style::BoldRed,
        (_, false) => Style::Red,
    };
    match step.kind {
        StepKind::Packet | StepKind::Hop | StepKind::Group => Style::Bold,
        StepKind::Note | StepKind::GroupResult => Style::Dim,
        StepKind::Rule if step.passed == Some(true) => Style::Bold,
        StepKind::Rule => Style::Dim,
        StepKind::TieBreak | StepKind::Path => Style::Yellow,
        StepKind::Decision => verdict(step.passed, false),
        StepKind::Verdict => verdict(step.passed, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packet_problems_name_the_option() {
        let p = Problem::error("port", "packet", "port", "0", "must be 1-65535");
        assert_eq!(packet_problem(&p), "--port `0`: must be 1-65535");
        let p = Problem::error("icmp_type", "packet", "icmp_type", "", "is required");
        assert_eq!(packet_problem(&p), "--icmp-type: is required");
    }
}
