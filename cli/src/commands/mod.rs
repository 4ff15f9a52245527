//! One module per subcommand. Each has an `Args` struct (clap derive) and a `run` that prints
//! and returns how the process should exit.

pub mod diff;
pub mod eval;
pub mod export;
pub mod find;
pub mod fix;
pub mod generate;
pub mod import;
pub mod lint;
pub mod reach;
pub mod templates;
pub mod test;
pub mod validate;

use std::process::ExitCode;

/// How a command ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// It did its job (0).
    Success,
    /// Tests failed, the scenario has errors, or (`diff`) a verdict changed (1).
    Failure,
    /// The input could not be used: unreadable file, invalid scenario, bad arguments (2).
    Usage,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        match exit {
            Exit::Success => ExitCode::SUCCESS,
            Exit::Failure => ExitCode::from(1),
            Exit::Usage => ExitCode::from(2),
        }
    }
}
