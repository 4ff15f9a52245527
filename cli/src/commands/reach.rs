//! `sgplay reach`: the reachability matrix: for every ordered pair of instances, plus the
//! Internet, which services pass.

use super::Exit;
use crate::output::{self, ColorChoice, Painter};
use crate::scenario_file;
use sgplay_core::analysis::reach::{reachability, End, Reachability, DEFAULT_SERVICES};
use sgplay_core::report::{services, ReachReport};
use sgplay_core::{Matcher, World};
use std::path::PathBuf;

/// Which services pass between every ordered pair of instances and the Internet
///
/// Exit code: 0 when the matrix was computed, 1 when the scenario has errors, 2 when the file
/// cannot be read or a service is malformed.
#[derive(Debug, clap::Args)]
pub struct ReachArgs {
    /// Scenario file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Comma-separated services: `tcp:22,tcp:443,udp:53,icmp,gre`
    #[arg(long, value_delimiter = ',', default_values_t = DEFAULT_SERVICES.iter().map(|s| s.to_string()))]
    pub services: Vec<String>,
    /// Print `{"services": [...], "internet": [...], "pairs": [{"from", "to", "allowed"}...]}`
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV: `from,to,` then one column per service (1 = passes); pairs where something passes
    #[arg(long)]
    pub csv: bool,
}

pub fn run(args: &ReachArgs, color: ColorChoice) -> Exit {
    let err = Painter::stderr(color);
    let services = match services(&args.services, "--services") {
        Ok(s) => s,
        Err(message) => {
            output::error(err, &message);
            return Exit::Usage;
        }
    };
    let scenario = match scenario_file::load_or_report(&args.file, err, Exit::Failure) {
        Ok(s) => s,
        Err(exit) => return exit,
    };
    let world = &scenario.world;
    let matrix = reachability(world, &Matcher::build(world), &services);
    if args.json {
        if !output::emit_json(err, &ReachReport::new(world, &matrix), "the matrix") {
            return Exit::Usage;
        }
    } else if args.csv {
        output::emit(&csv(world, &matrix));
    } else {
        output::emit(&text(world, &matrix));
    }
    Exit::Success
}

/// One line a source instance: `web-1 → db-3 tcp:3306, icmp; internet tcp:443`.
fn text(world: &World, matrix: &Reachability) -> String {
    let name = |e: End| match e {
        End::Instance(i) => world.instances[i].id.clone(),
        End::Internet => "internet".to_string(),
    };
    let labels = |allowed: &[usize]| allowed.iter().map(|&i| matrix.services[i].label.as_str()).collect::<Vec<_>>().join(", ");
    let services: Vec<&str> = matrix.services.iter().map(|s| s.label.as_str()).collect();
    let internet: Vec<String> = matrix.internet.iter().map(|a| a.to_string()).collect();
    let mut out = format!(
        "services: {}\nthe Internet is represented by {}\n{} ordered pairs pass at least one service\n",
        services.join(", "),
        internet.join(" and "),
        matrix.pairs.len()
    );
    for p in &matrix.pairs {
        out.push_str(&format!("  {} → {}: {}\n", name(p.from), name(p.to), labels(&p.allowed)));
    }
    out
}

fn csv(world: &World, matrix: &Reachability) -> String {
    let field =
        |text: &str| if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() };
    let name = |e: End| match e {
        End::Instance(i) => field(&world.instances[i].id),
        End::Internet => "internet".to_string(),
    };
    let mut out = String::from("from,to");
    for s in &matrix.services {
        out.push(',');
        out.push_str(&field(&s.label));
    }
    out.push('\n');
    for p in &matrix.pairs {
        out.push_str(&format!("{},{}", name(p.from), name(p.to)));
        for i in 0..matrix.services.len() {
            out.push_str(if p.allowed.contains(&i) { ",1" } else { ",0" });
        }
        out.push('\n');
    }
    out
}
