//! `sgplay find`: an example packet from a set to a set with the verdict asked for, or the proof
//! that none exists.

use super::Exit;
use crate::output::{self, ColorChoice, Painter};
use crate::scenario_file;
use sgplay_core::analysis::find::{find, Answer, Question, QuestionField, QuestionText};
use sgplay_core::{Matcher, Verdict};
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum WantedVerdict {
    #[default]
    Allow,
    Deny,
}

/// Find a packet with a verdict, or prove there is none
///
/// Exit code: 0 when a packet was found, 1 when none exists (or the question could not be
/// decided within the search budget), 2 on bad arguments or an unreadable file.
#[derive(Debug, clap::Args)]
pub struct FindArgs {
    /// Scenario file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Sources: `internet`, a CIDR block or address, an instance (id or name) or a security group id
    #[arg(long)]
    pub from: String,
    /// Destinations: an instance (id or name) or a security group id (its members)
    #[arg(long)]
    pub to: String,
    /// `tcp`, `udp`, `icmp`, `icmpv6`, `gre` or a protocol number; any protocol when absent
    #[arg(long)]
    pub protocol: Option<String>,
    /// Destination port or range (`22`, `8000-8999`, `80,443`), for tcp and udp
    #[arg(long)]
    pub port: Option<String>,
    /// The verdict the packet must have
    #[arg(long, value_enum, default_value_t)]
    pub verdict: WantedVerdict,
    /// Print `{"answer": "found", "packet": ...}` or `{"answer": "none_exists", "tried": N}`
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &FindArgs, color: ColorChoice) -> Exit {
    let err = Painter::stderr(color);
    let scenario = match scenario_file::load_or_report(&args.file, err, Exit::Usage) {
        Ok(s) => s,
        Err(exit) => return exit,
    };
    let world = &scenario.world;
    let question = match question(world, args) {
        Ok(q) => q,
        Err(problems) => {
            for p in problems {
                output::error(err, &p);
            }
            return Exit::Usage;
        }
    };
    let answer = find(world, &Matcher::build(world), &question);
    if args.json {
        if !output::emit_json(err, &answer, "the answer") {
            return Exit::Usage;
        }
    } else {
        let verdict = if question.verdict == Verdict::Allow { "allowed" } else { "denied" };
        output::emit(&match &answer {
            Answer::Found { packet } => format!("found, {verdict}: {packet}\n(`sgplay eval` with these fields shows the trace)\n"),
            Answer::NoneExists { tried } => {
                format!("none exists: no packet of the question is {verdict} ({tried} representative packets cover them all)\n")
            }
            Answer::NotDecided { budget } => {
                format!("not decided: the question needs more than {budget} packets; narrow --from, --to, --protocol or --port\n")
            }
        });
    }
    match answer {
        Answer::Found { .. } => Exit::Success,
        _ => Exit::Failure,
    }
}

/// Every problem with the arguments, each naming its flag.
fn question(world: &sgplay_core::World, args: &FindArgs) -> Result<Question, Vec<String>> {
    let verdict = if args.verdict == WantedVerdict::Allow { Verdict::Allow } else { Verdict::Deny };
    let text = QuestionText {
        from: args.from.clone(),
        to: args.to.clone(),
        protocol: args.protocol.clone().unwrap_or_default(),
        ports: args.port.clone().unwrap_or_default(),
        verdict,
    };
    text.parse(world).map_err(|problems| {
        problems
            .into_iter()
            .map(|(field, message)| {
                let flag = match field {
                    QuestionField::From => "--from",
                    QuestionField::To => "--to",
                    QuestionField::Protocol => "--protocol",
                    QuestionField::Ports => "--port",
                };
                format!("{flag}: {message}")
            })
            .collect()
    })
}
