//! `sgplay fix`: the smallest rule change that lets a denied packet in, as scenario edits, and
//! what else it changes.

use super::Exit;
use crate::output::{self, ColorChoice, Painter};
use crate::scenario_file;
use sgplay_core::analysis::fix::{fix, FixOutcome};
use sgplay_core::ProbeSpec;
use std::path::PathBuf;

/// The smallest rule change that lets a denied packet in
///
/// Exit code: 0 when the packet is allowed already or a fix was found, 1 when no rule change can
/// let it in, 2 on bad arguments or an unreadable file.
#[derive(Debug, clap::Args)]
pub struct FixArgs {
    /// Scenario file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Source: an instance id or name, or an IP address
    #[arg(long)]
    pub from: String,
    /// Destination: an instance id or name, or an IP address
    #[arg(long)]
    pub to: String,
    /// `tcp`, `udp`, `icmp`, `icmpv6`, `gre` or a protocol number
    #[arg(long)]
    pub protocol: String,
    /// Destination port 1-65535 (tcp, udp)
    #[arg(long, value_parser = crate::arguments::port)]
    pub port: Option<u16>,
    /// Print the outcome as JSON: `{"outcome": "fixed", "steps": [{"edit", "instance", "direction", "why"}], "also_changes": [...]}`
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &FixArgs, color: ColorChoice) -> Exit {
    let err = Painter::stderr(color);
    let scenario = match scenario_file::load_or_report(&args.file, err, Exit::Usage) {
        Ok(s) => s,
        Err(exit) => return exit,
    };
    let probe = ProbeSpec {
        from: args.from.clone(),
        to: args.to.clone(),
        protocol: args.protocol.clone(),
        port: args.port,
        ..ProbeSpec::default()
    };
    let packet = match probe.resolve(&scenario.world) {
        Ok(p) => p,
        Err(problems) => {
            for p in problems {
                output::error(err, &p.to_string());
            }
            return Exit::Usage;
        }
    };
    let outcome = fix(&scenario.world, &packet);
    if args.json {
        if !output::emit_json(err, &outcome, "the fix") {
            return Exit::Usage;
        }
    } else {
        output::emit(&text(&packet, &outcome));
    }
    match outcome {
        FixOutcome::Impossible { .. } => Exit::Failure,
        _ => Exit::Success,
    }
}

fn text(packet: &sgplay_core::Packet, outcome: &FixOutcome) -> String {
    match outcome {
        FixOutcome::AlreadyAllowed => format!("{packet} is allowed already: nothing to fix\n"),
        FixOutcome::Impossible { reason } => format!("no rule change lets {packet} in: {reason}\n"),
        FixOutcome::Fixed { steps, changes, skipped } => {
            let mut out = format!("to let {packet} in:\n");
            for (i, step) in steps.iter().enumerate() {
                let edit = serde_json::to_string(&step.edit).unwrap_or_default();
                out.push_str(&format!("  {}. {} {}: {edit}\n     why: {}\n", i + 1, step.instance, step.direction, step.why));
            }
            out.push_str(&format!("what it changes ({} region(s), the asked packet's among them):\n", changes.len()));
            for c in changes.iter().take(20) {
                let ports = if c.ports.is_empty() { String::new() } else { format!(" {}", c.ports.join(",")) };
                let dst = c.dst.instance.clone().unwrap_or_else(|| c.dst.addresses.join(","));
                out.push_str(&format!("  {}{ports} from {} to {dst}: {} → {}\n", c.protocol, c.src.join(","), c.before, c.after));
            }
            if changes.len() > 20 {
                out.push_str(&format!("  and {} more (--json lists them all)\n", changes.len() - 20));
            }
            for s in skipped {
                out.push_str(&format!("  not compared: {}\n", s.what));
            }
            out
        }
    }
}
