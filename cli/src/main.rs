//! # sgplay: the command line
//!
//! A thin shell around `sgplay-core`: parse the arguments, load scenario files, call the engine,
//! print. One file per subcommand under `commands/`; everything printed goes through `output`.
//!
//! Exit codes: 0 when the command did its job (for `eval`, whatever the verdict), 1 when tests
//! failed or a scenario has errors, 2 when the input could not be used at all (unreadable file,
//! invalid scenario for `eval`, bad arguments). `diff` exits 1 when a verdict changes.

mod arguments;
mod commands;
mod output;
mod scenario_file;

use clap::{CommandFactory, Parser, Subcommand};
use output::ColorChoice;
use std::process::ExitCode;

/// Will this packet get through a Huawei Cloud (or Alibaba Cloud) security group, and why?
#[derive(Debug, Parser)]
#[command(name = "sgplay", version, propagate_version = true)]
struct Cli {
    /// When to color: `auto` colors a terminal unless `NO_COLOR` is set
    #[arg(long, value_enum, default_value_t, global = true)]
    color: ColorChoice,
    /// Whose semantics a loaded scenario follows, `huawei` or `alibaba`, overriding the file's
    /// `profile` key (commands that read a scenario)
    #[arg(long, global = true, value_name = "PROFILE", value_parser = sgplay_core::profile::CloudProfile::parse)]
    profile: Option<sgplay_core::profile::CloudProfile>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Eval(commands::eval::EvalArgs),
    Test(commands::test::TestArgs),
    Validate(commands::validate::ValidateArgs),
    Lint(commands::lint::LintArgs),
    Reach(commands::reach::ReachArgs),
    Find(commands::find::FindArgs),
    Fix(commands::fix::FixArgs),
    Diff(commands::diff::DiffArgs),
    Templates(commands::templates::TemplatesArgs),
    Generate(commands::generate::GenerateArgs),
    Import(commands::import::ImportArgs),
    Export(commands::export::ExportArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(profile) = cli.profile {
        scenario_file::override_profile(profile);
    }
    let exit = match &cli.command {
        Command::Eval(args) => commands::eval::run(args, cli.color),
        Command::Test(args) => commands::test::run(args, cli.color),
        Command::Validate(args) => commands::validate::run(args, cli.color),
        Command::Lint(args) => commands::lint::run(args, cli.color),
        Command::Reach(args) => commands::reach::run(args, cli.color),
        Command::Find(args) => commands::find::run(args, cli.color),
        Command::Fix(args) => commands::fix::run(args, cli.color),
        Command::Diff(args) => commands::diff::run(args, cli.color),
        Command::Templates(args) => commands::templates::run(args, cli.color),
        Command::Generate(args) => {
            if let Err(message) = args.check() {
                usage_error("generate", message);
            }
            commands::generate::run(args, cli.color)
        }
        Command::Import(args) => commands::import::run(args, cli.color),
        Command::Export(args) => commands::export::run(args, cli.color),
    };
    if let Some(reason) = output::write_failure() {
        output::error(output::Painter::stderr(cli.color), &format!("cannot write the output: {reason}"));
        return commands::Exit::Usage.into();
    }
    exit.into()
}

/// A bad combination of arguments, reported as clap reports a bad argument (exit code 2), with
/// the usage of `subcommand`.
fn usage_error(subcommand: &str, message: String) -> ! {
    let mut cli = Cli::command();
    cli.build();
    match cli.find_subcommand_mut(subcommand) {
        Some(sub) => sub.error(clap::error::ErrorKind::ArgumentConflict, message).exit(),
        None => cli.error(clap::error::ErrorKind::ArgumentConflict, message).exit(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
