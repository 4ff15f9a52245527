//! How much a scenario may hold, and what its texts may contain.
//!
//! sgplay opens files and share links from strangers. Every size below is far above any real
//! estate (Huawei's own quotas are lower: 120 rules a direction per group, 6,000 instances a
//! group) and low enough that validation, every analysis and the page stay within seconds and a
//! few hundred megabytes. A document over a limit is refused before anything is built from it,
//! with the limit named; nothing is truncated silently.
//!
//! Texts: ids and names are printed in terminals, CI logs and pages, so control characters
//! (ESC, BEL, newline, C1, bidirectional overrides) are refused in them: an instance named
//! `A\u{1b}]0;PWNED\u{7}` would retitle a terminal, and a newline in a check name would forge a
//! report line. Descriptions and notes may hold newlines and tabs, nothing else unprintable.

use super::document::ScenarioSpec;
use crate::diagnostic::{is_unprintable, thousands, Problem, Problems};

/// A scenario file or share link, in bytes (16 MiB; the 1,000-instance example is 1.8 MB).
pub const MAX_INPUT_BYTES: usize = 16 << 20;
/// An id (of a group, rule, instance, VPC, subnet, address group, peering), in characters.
pub const MAX_ID_CHARS: usize = 128;
/// A name or label, in characters.
pub const MAX_NAME_CHARS: usize = 255;
/// A description or note, in characters.
pub const MAX_TEXT_CHARS: usize = 4096;
/// Security groups, IP address groups, VPCs and subnets, instances: each.
pub const MAX_OBJECTS: usize = 20_000;
/// Rules across all groups, counting each address of a comma-separated remote as the rule it
/// becomes.
pub const MAX_RULES: usize = 100_000;
/// Entries across all IP address groups.
pub const MAX_ADDRESS_ENTRIES: usize = 100_000;
/// Checks.
pub const MAX_CHECKS: usize = 20_000;
/// Steps across all sequences.
pub const MAX_STEPS: usize = 200_000;

/// What kind of text a field holds, which decides its length and what it may contain.
#[derive(Clone, Copy)]
enum Text {
    Id,
    Name,
    Description,
}

impl Text {
    fn max(self) -> usize {
        match self {
            Text::Id => MAX_ID_CHARS,
            Text::Name => MAX_NAME_CHARS,
            Text::Description => MAX_TEXT_CHARS,
        }
    }
}

/// The input size check, before any parsing: `Err` names the size and the limit.
pub fn check_size(bytes: usize) -> Result<(), Problem> {
    if bytes <= MAX_INPUT_BYTES {
        return Ok(());
    }
    Err(Problem::error(
        "",
        "scenario file",
        "",
        "",
        format!(
            "is {} bytes; sgplay reads scenarios of at most {} bytes (16 MiB). Split the estate into several scenarios",
            thousands(bytes),
            thousands(MAX_INPUT_BYTES)
        ),
    ))
}

/// Every limit the document breaks, and every id, name and text that is too long or holds a
/// character that must not be printed. Linear in the document.
pub fn check(spec: &ScenarioSpec, problems: &mut Problems) {
    let mut count = |path: &str, what: &str, n: usize, max: usize| {
        if n > max {
            problems.push(Problem::error(
                path,
                "scenario file",
                "",
                "",
                format!("holds {} {what}; sgplay models at most {}", thousands(n), thousands(max)),
            ));
        }
    };
    count("security_groups", "security groups", spec.security_groups.len(), MAX_OBJECTS);
    count("address_groups", "IP address groups", spec.address_groups.len(), MAX_OBJECTS);
    count("instances", "instances", spec.instances.len(), MAX_OBJECTS);
    count("vpcs", "VPCs", spec.vpcs.len(), MAX_OBJECTS);
    count("vpcs", "subnets", spec.vpcs.iter().map(|v| v.subnets.len()).sum(), MAX_OBJECTS);
    count("peerings", "VPC peerings", spec.peerings.len(), MAX_OBJECTS);
    let rules: usize = spec.security_groups.iter().flat_map(|g| &g.rules).map(|r| r.remote_ip_prefix.as_deref().map_or(1, parts)).sum();
    count("security_groups", "rules", rules, MAX_RULES);
    let entries: usize = spec.address_groups.iter().map(|g| g.entry_count()).sum();
    count("address_groups", "address group entries", entries, MAX_ADDRESS_ENTRIES);
    count("checks", "checks", spec.checks.len(), MAX_CHECKS);
    count("sequences", "sequence steps", spec.sequences.iter().map(|s| s.steps.len()).sum(), MAX_STEPS);
    check_texts(spec, problems);
}

/// Commas plus one: what a comma-separated field expands to.
fn parts(text: &str) -> usize {
    1 + text.bytes().filter(|b| *b == b',').count()
}

fn check_texts(spec: &ScenarioSpec, problems: &mut Problems) {
    let mut text = |path: String, object: &str, field: &str, value: &str, kind: Text| {
        if let Some(message) = text_problem(value, kind) {
            problems.push(Problem::error(format!("{path}.{field}"), object, field, value, message));
        }
    };
    let top = "scenario file";
    text(String::new(), top, "name", &spec.name, Text::Name);
    text(String::new(), top, "description", &spec.description, Text::Description);
    for (v, vpc) in spec.vpcs.iter().enumerate() {
        let (path, object) = (format!("vpcs[{v}]"), "VPC");
        text(path.clone(), object, "id", &vpc.id, Text::Id);
        text(path.clone(), object, "name", &vpc.name, Text::Name);
        for (s, subnet) in vpc.subnets.iter().enumerate() {
            let path = format!("{path}.subnets[{s}]");
            text(path.clone(), "subnet", "id", &subnet.id, Text::Id);
            text(path, "subnet", "name", &subnet.name, Text::Name);
        }
    }
    for (p, peering) in spec.peerings.iter().enumerate() {
        text(format!("peerings[{p}]"), "VPC peering", "id", &peering.id, Text::Id);
        text(format!("peerings[{p}]"), "VPC peering", "name", &peering.name, Text::Name);
    }
    for (g, group) in spec.security_groups.iter().enumerate() {
        let (path, object) = (format!("security_groups[{g}]"), "security group");
        text(path.clone(), object, "id", &group.id, Text::Id);
        text(path.clone(), object, "name", &group.name, Text::Name);
        text(path.clone(), object, "description", &group.description, Text::Description);
        for (r, rule) in group.rules.iter().enumerate() {
            let path = format!("{path}.rules[{r}]");
            text(path.clone(), "rule", "id", rule.id.as_deref().unwrap_or(""), Text::Id);
            text(path, "rule", "description", rule.description.as_deref().unwrap_or(""), Text::Description);
        }
    }
    for (a, group) in spec.address_groups.iter().enumerate() {
        let (path, object) = (format!("address_groups[{a}]"), "IP address group");
        text(path.clone(), object, "id", &group.id, Text::Id);
        text(path.clone(), object, "name", &group.name, Text::Name);
        text(path, object, "description", &group.description, Text::Description);
    }
    for (i, instance) in spec.instances.iter().enumerate() {
        text(format!("instances[{i}]"), "instance", "id", &instance.id, Text::Id);
        text(format!("instances[{i}]"), "instance", "name", &instance.name, Text::Name);
    }
    for (c, check) in spec.checks.iter().enumerate() {
        text(format!("checks[{c}]"), "check", "name", &check.name, Text::Name);
    }
    for (s, sequence) in spec.sequences.iter().enumerate() {
        let path = format!("sequences[{s}]");
        text(path.clone(), "sequence", "name", &sequence.name, Text::Name);
        text(path.clone(), "sequence", "description", &sequence.description, Text::Description);
        for (t, step) in sequence.steps.iter().enumerate() {
            let path = format!("{path}.steps[{t}]");
            text(path.clone(), "step", "label", step.label.as_deref().unwrap_or(""), Text::Name);
            text(path, "step", "note", step.note.as_deref().unwrap_or(""), Text::Description);
        }
    }
}

/// What is wrong with `value` as a text of `kind`, if anything.
fn text_problem(value: &str, kind: Text) -> Option<String> {
    let chars = value.chars().count();
    if chars > kind.max() {
        let what = match kind {
            Text::Id => "an id",
            Text::Name => "a name",
            Text::Description => "a description",
        };
        return Some(format!("has {} characters; {what} may have at most {}", thousands(chars), thousands(kind.max())));
    }
    let allowed = |c: char| matches!(kind, Text::Description) && matches!(c, '\n' | '\t');
    let bad = value.chars().find(|c| is_unprintable(*c) && !allowed(*c))?;
    Some(format!(
        "contains the control character U+{:04X}; ids, names and labels are printed in terminals and pages, so they may not hold control or bidirectional-override characters: remove it",
        bad as u32
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_bounded_and_printable() {
        assert_eq!(text_problem("web-1", Text::Id), None);
        assert!(text_problem(&"g".repeat(129), Text::Id).unwrap().starts_with("has 129 characters; an id may have at most 128"));
        assert!(text_problem("A\u{1b}]0;x\u{7}", Text::Name).unwrap().contains("U+001B"));
        assert!(text_problem("two\nlines", Text::Name).unwrap().contains("U+000A"));
        assert_eq!(text_problem("two\nlines\tok", Text::Description), None);
        assert!(text_problem("\u{202e}gpj.exe", Text::Description).unwrap().contains("U+202E"));
    }

    #[test]
    fn sizes_over_the_limit_are_named() {
        assert!(check_size(MAX_INPUT_BYTES).is_ok());
        let e = check_size(MAX_INPUT_BYTES + 1).unwrap_err();
        assert!(e.message.contains("16,777,217 bytes"), "{}", e.message);
    }

    #[test]
    fn comma_lists_count_as_the_rules_they_become() {
        assert_eq!(parts("10.0.0.0/8"), 1);
        assert_eq!(parts("10.0.0.0/8,192.168.0.0/16, 172.16.0.0/12"), 3);
    }
}
