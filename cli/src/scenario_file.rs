//! Reading a scenario file from disk: either the file cannot be read at all (the user named the
//! wrong thing) or it was read and has problems (the user wrote something wrong in it).
//!
//! A file is read by `interop::import_any`, so every command that takes a scenario also takes
//! Huawei Cloud API output (one file; `sgplay import` combines several). What the import left
//! out comes first among the scenario's notices.

use sgplay_core::interop::{self, Imported};
use sgplay_core::profile::CloudProfile;
use sgplay_core::scenario::limits::MAX_INPUT_BYTES;
use sgplay_core::{Problem, Scenario};
use std::io::{ErrorKind, Read};
use std::path::Path;
use std::sync::OnceLock;

/// Why a scenario could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// The file could not be read: the message says why, e.g. "cannot read `a.json`: no such file".
    Unreadable(String),
    /// The file was read but is not a valid scenario: every problem found, errors first.
    Invalid(Vec<Problem>),
}

/// Reads the file as text, with a lowercase message naming the file when it cannot. Reads at most
/// one byte past [`MAX_INPUT_BYTES`], so `/dev/zero` or a runaway pipe cannot exhaust memory.
pub fn read(path: &Path) -> Result<String, String> {
    let shown = shown_path(path);
    let cannot = |e: std::io::Error| format!("cannot read `{shown}`: {}", reason(&e));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(format!(
            "cannot read `{shown}`: it is larger than {} bytes (16 MiB), the most sgplay reads; split the estate into several scenarios",
            sgplay_core::diagnostic::thousands(MAX_INPUT_BYTES)
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "cannot read `{shown}`: it is not UTF-8 text (byte {} is not valid UTF-8)",
            sgplay_core::diagnostic::thousands(e.utf8_error().valid_up_to())
        )
    })
}

/// A path as it is safe to print: a file name from `sgplay test DIR` may hold anything.
pub fn shown_path(path: &Path) -> String {
    sgplay_core::diagnostic::printable(&path.display().to_string()).into_owned()
}

/// Writes a command's document to stdout, or to `path` with a line on stderr saying what was
/// written (`what`, and the size). A file that cannot be written is a usage error (exit 2).
pub fn write_out(err: crate::output::Painter, text: &str, path: Option<&Path>, what: &str) -> crate::commands::Exit {
    let Some(path) = path else {
        crate::output::emit(text);
        return crate::commands::Exit::Success;
    };
    let shown = shown_path(path);
    if let Err(e) = std::fs::write(path, text) {
        crate::output::error(err, &format!("cannot write `{shown}`: {}", reason(&e)));
        return crate::commands::Exit::Usage;
    }
    let what = if what.is_empty() { String::new() } else { format!(": {what}") };
    crate::output::emit_err(&format!("wrote {shown}{what} ({} bytes)\n", sgplay_core::diagnostic::thousands(text.len())));
    crate::commands::Exit::Success
}

/// "3 instances, 2 security groups, 9 rules, 1 IP address group, 4 checks": what a scenario holds.
pub fn contents(spec: &sgplay_core::ScenarioSpec) -> String {
    use crate::output::plural;
    let rules: usize = spec.security_groups.iter().map(|g| g.rules.len()).sum();
    [
        plural(spec.instances.len(), "instance", "instances"),
        plural(spec.security_groups.len(), "security group", "security groups"),
        plural(rules, "rule", "rules"),
        plural(spec.address_groups.len(), "IP address group", "IP address groups"),
        plural(spec.checks.len(), "check", "checks"),
    ]
    .join(", ")
}

/// Why an I/O operation failed, in lowercase words.
pub fn reason(error: &std::io::Error) -> String {
    match error.kind() {
        ErrorKind::NotFound => "no such file".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::IsADirectory => "it is a directory".to_string(),
        ErrorKind::InvalidData => "it is not UTF-8 text".to_string(),
        _ => lowercase_first(&error.to_string()),
    }
}

/// `--profile`: one choice for the whole process, made on the command line before any file is
/// read, so every command that loads a scenario honours it without threading it through.
static PROFILE: OnceLock<CloudProfile> = OnceLock::new();

pub fn override_profile(profile: CloudProfile) {
    let _ = PROFILE.set(profile);
}

/// Reads a file in any format `import_any` detects, as a scenario document (with `--profile`
/// in place of its `profile` key).
pub fn load_spec(path: &Path) -> Result<Imported, LoadError> {
    let text = read(path).map_err(LoadError::Unreadable)?;
    let mut imported = interop::import_any(&[(&path.display().to_string(), &text)]).map_err(LoadError::Invalid)?;
    apply_profile(&mut imported.scenario);
    Ok(imported)
}

/// Puts `--profile`, when given, in place of the document's `profile` key.
pub fn apply_profile(spec: &mut sgplay_core::ScenarioSpec) {
    if let Some(&profile) = PROFILE.get() {
        interop::set_profile(spec, profile);
    }
}

/// Reads, parses and validates a scenario file (or API output, whose notices are said at the
/// places of the input they are about): [`interop::load`].
pub fn load(path: &Path) -> Result<Scenario, LoadError> {
    let text = read(path).map_err(LoadError::Unreadable)?;
    interop::load_as(&[(&path.display().to_string(), &text)], PROFILE.get().copied()).map_err(LoadError::Invalid)
}

/// Loads a scenario for a command that analyses its world: an unreadable file is a usage error
/// (exit 2); a file with errors prints them with the advice to fix them first and ends the
/// command with `on_errors`.
pub fn load_or_report(
    path: &Path,
    err: crate::output::Painter,
    on_errors: crate::commands::Exit,
) -> Result<Scenario, crate::commands::Exit> {
    match load(path) {
        Ok(scenario) => Ok(scenario),
        Err(LoadError::Invalid(problems)) => {
            let errors: Vec<_> = problems.into_iter().filter(|p| p.is_error()).collect();
            crate::output::emit_err(&crate::output::problem_list(err, &errors, ""));
            crate::output::error(err, &format!("`{}` has errors; fix them first (`sgplay validate`)", shown_path(path)));
            Err(on_errors)
        }
        Err(LoadError::Unreadable(message)) => {
            crate::output::error(err, &message);
            Err(crate::commands::Exit::Usage)
        }
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_named_in_backticks() {
        let err = read(Path::new("no/such/file.json")).unwrap_err();
        assert_eq!(err, "cannot read `no/such/file.json`: no such file");
    }

    #[test]
    fn os_messages_are_lowercased() {
        assert_eq!(lowercase_first("Broken pipe"), "broken pipe");
        assert_eq!(lowercase_first(""), "");
    }
}
