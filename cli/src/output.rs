//! Everything the CLI prints goes through here: colors (ANSI, only for a terminal and only when
//! `NO_COLOR` is unset), problem lists, plurals, and writing to stdout without panicking when
//! the reader goes away (`sgplay test | head`).

use sgplay_core::scenario::Severity;
use sgplay_core::Problem;
use std::io::{IsTerminal, Write};

/// `--color`: when to color the output. `auto` colors a terminal unless `NO_COLOR` is set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    // No doc comments on the variants: clap would turn them into a long help list.
    #[default]
    Auto,
    Always,
    Never,
}

/// A text style. Only the few the CLI needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Bold,
    Dim,
    Green,
    Red,
    Yellow,
    Cyan,
    BoldGreen,
    BoldRed,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Plain => "",
            Style::Bold => "1",
            Style::Dim => "2",
            Style::Green => "32",
            Style::Red => "31",
            Style::Yellow => "33",
            Style::Cyan => "36",
            Style::BoldGreen => "1;32",
            Style::BoldRed => "1;31",
        }
    }
}

/// Paints text when colors are on, passes it through otherwise.
#[derive(Clone, Copy, Debug)]
pub struct Painter {
    enabled: bool,
}

impl Painter {
    /// A painter for stdout.
    pub fn stdout(choice: ColorChoice) -> Painter {
        Painter { enabled: wants_color(choice, std::io::stdout().is_terminal()) }
    }

    /// A painter for stderr.
    pub fn stderr(choice: ColorChoice) -> Painter {
        Painter { enabled: wants_color(choice, std::io::stderr().is_terminal()) }
    }

    pub fn paint(self, style: Style, text: &str) -> String {
        if !self.enabled || style == Style::Plain || text.is_empty() {
            return text.to_string();
        }
        format!("\x1b[{}m{text}\x1b[0m", style.code())
    }
}

fn wants_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// Set when writing the output failed for a reason other than a closed pipe (a full disk):
/// `main` then exits non-zero instead of pretending the report was written.
static WRITE_FAILED: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Writes to stdout. A closed pipe is not an error worth a panic: the reader has seen enough
/// (`sgplay test | head`). Any other failure is remembered for [`write_failure`].
pub fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    let result = out.write_all(terminal_safe(text).as_bytes()).and_then(|()| out.flush());
    if let Err(e) = result {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            let mut failed = WRITE_FAILED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            failed.get_or_insert_with(|| crate::scenario_file::reason(&e));
        }
    }
}

/// Writes to stderr, ignoring failures: there is nowhere left to report them.
pub fn emit_err(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(terminal_safe(text).as_bytes()).and_then(|()| err.flush());
}

/// Why the output could not be written, if it could not.
pub fn write_failure() -> Option<String> {
    WRITE_FAILED.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
}

/// The last line of defence before a terminal: every control character is escaped (see
/// `diagnostic::printable`) except newlines, tabs and the color codes this module writes
/// (`ESC [ digits ; m`). Names from a file are escaped where they are formatted; this catches
/// whatever a future message forgets.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_at = |rest: &str| rest.chars().any(|c| sgplay_core::diagnostic::is_unprintable(c) && !matches!(c, '\n' | '\t' | '\x1b'));
    if !unsafe_at(text) && !text.contains('\x1b') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\x1b' {
            let sgr = color_code_len(rest);
            if sgr > 0 {
                out.push_str(&rest[..sgr]);
                rest = &rest[sgr..];
                continue;
            }
        }
        match c {
            '\n' | '\t' => out.push(c),
            c if sgplay_core::diagnostic::is_unprintable(c) => {
                out.push_str(&sgplay_core::diagnostic::printable(c.encode_utf8(&mut [0; 4])))
            }
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

/// The length of a color code `ESC [ 1;32 m` at the start of `text`, or 0.
fn color_code_len(text: &str) -> usize {
    let Some(params) = text.strip_prefix("\x1b[") else { return 0 };
    let digits = params.bytes().take_while(|b| b.is_ascii_digit() || *b == b';').count();
    if digits <= 8 && params.as_bytes().get(digits) == Some(&b'm') {
        digits + 3
    } else {
        0
    }
}

/// `error: {message}` on stderr.
pub fn error(painter: Painter, message: &str) {
    emit_err(&format!("{} {message}\n", painter.paint(Style::BoldRed, "error:")));
}

/// A value as a pretty-printed JSON document with a final newline, fields in declaration order.
/// `None` if it cannot be serialised (a map with non-string keys; none of ours has one).
pub fn json(value: &impl serde::Serialize) -> Option<String> {
    let mut text = serde_json::to_string_pretty(value).ok()?;
    text.push('\n');
    Some(text)
}

/// Prints `value` as JSON on stdout; on failure says so on stderr, naming `what`, and returns
/// `false` so the command can pick its exit code.
pub fn emit_json(err: Painter, value: &impl serde::Serialize, what: &str) -> bool {
    match json(value) {
        Some(text) => {
            emit(&text);
            true
        }
        None => {
            error(err, &format!("cannot write {what} as JSON"));
            false
        }
    }
}

pub fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Error => Style::Red,
        Severity::Warning => Style::Yellow,
        Severity::Advice => Style::Cyan,
    }
}

/// One problem on one line, as `Problem`'s `Display` writes it, with its severity colored.
pub fn problem_line(painter: Painter, problem: &Problem) -> String {
    let text = problem.to_string();
    // Display starts with the severity and a colon: color just the severity.
    match text.split_once(':') {
        Some((severity, rest)) => format!("{}:{rest}", painter.paint(severity_style(problem.severity), severity)),
        None => text,
    }
}

/// Every problem, one per line, each line starting with `indent`.
pub fn problem_list(painter: Painter, problems: &[Problem], indent: &str) -> String {
    problems.iter().map(|p| format!("{indent}{}\n", problem_line(painter, p))).collect()
}

/// "3 errors, 1 warning, 2 advice": counts by severity, zero counts left out; "no problems".
pub fn problem_counts(problems: &[Problem]) -> String {
    let count = |s: Severity| problems.iter().filter(|p| p.severity == s).count();
    let parts: Vec<String> = [
        (count(Severity::Error), "error", "errors"),
        (count(Severity::Warning), "warning", "warnings"),
        (count(Severity::Advice), "advice", "advice"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| plural(n, one, many))
    .collect();
    if parts.is_empty() {
        "no problems".into()
    } else {
        parts.join(", ")
    }
}

/// "1 test", "2 tests".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Prefixes every line of `text` with `indent`.
pub fn indented(text: &str, indent: &str) -> String {
    text.lines().map(|l| format!("{indent}{l}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn painting_is_off_unless_asked() {
        let off = Painter { enabled: false };
        assert_eq!(off.paint(Style::Red, "deny"), "deny");
        let on = Painter { enabled: true };
        assert_eq!(on.paint(Style::Red, "deny"), "\x1b[31mdeny\x1b[0m");
        assert_eq!(on.paint(Style::Plain, "x"), "x");
    }

    #[test]
    fn only_color_codes_reach_the_terminal() {
        assert_eq!(terminal_safe("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(terminal_safe("\x1b[1;32mok\x1b[0m"), "\x1b[1;32mok\x1b[0m");
        assert_eq!(terminal_safe("A\x1b]0;PWNED\x07\x1b[2J"), "A\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J");
        assert_eq!(terminal_safe("\u{9b}2J\r"), "\\u{9b}2J\\r");
    }

    #[test]
    fn counts_leave_out_zeroes() {
        let p = |severity| Problem {
            severity,
            path: "p".into(),
            object: String::new(),
            field: String::new(),
            value: String::new(),
            message: "m".into(),
        };
        assert_eq!(problem_counts(&[]), "no problems");
        assert_eq!(problem_counts(&[p(Severity::Error), p(Severity::Error), p(Severity::Advice)]), "2 errors, 1 advice");
    }

    #[test]
    fn an_empty_path_leaves_no_double_space() {
        let p = Problem {
            severity: Severity::Error,
            path: String::new(),
            object: "scenario file, line 3".into(),
            field: String::new(),
            value: String::new(),
            message: "expected value".into(),
        };
        assert_eq!(problem_line(Painter { enabled: false }, &p), "error: scenario file, line 3: expected value");
    }
}
