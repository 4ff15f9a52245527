//! The what-if panel's content, from the engine's exact diff (`sgplay_core::analysis::diff`) of
//! the baseline and the current scenario: one line per region of packets whose verdict
//! changed, opened or closed, with the rules that decided before and after and a packet of the
//! region; and the one-sentence summary. Nothing here compares anything. Pure, tested natively.

use serde::{Deserialize, Serialize};
use sgplay_core::analysis::diff::{Change, WorldDiff};
use sgplay_core::model::Action;
use sgplay_core::Packet;
use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiffLine {
    /// Denied by the baseline, allowed now.
    pub opened: bool,
    /// "tcp 22 from 0.0.0.0/0 to ecs-a01 (192.168.0.10)".
    pub region: String,
    /// "was denied by sg-a/A01; now allowed by sg-a/A02".
    pub why: String,
    pub example: Packet,
}

/// What the panel shows of a diff: its summary and its first lines. The worker sends this
/// rather than the diff, which on a large estate has thousands of regions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiffView {
    pub summary: String,
    /// The first [`DiffView::SHOWN`] lines.
    pub lines: Vec<DiffLine>,
    /// How many lines there are in all.
    pub total: usize,
}

impl DiffView {
    /// Lines shown before "and N more".
    pub const SHOWN: usize = 100;

    pub fn of(diff: &WorldDiff) -> DiffView {
        DiffView { summary: summary(diff), lines: diff.changes.iter().take(Self::SHOWN).map(line).collect(), total: diff.changes.len() }
    }
}

pub fn lines(diff: &WorldDiff) -> Vec<DiffLine> {
    diff.changes.iter().map(line).collect()
}

fn line(c: &Change) -> DiffLine {
    let side = |rules: &[String]| if rules.is_empty() { "nothing".to_string() } else { rules.join(", ") };
    let word = |a: Action| if a == Action::Allow { "allowed" } else { "denied" };
    DiffLine {
        opened: c.opened(),
        region: c.describe(),
        why: format!("was {} by {}; now {} by {}", word(c.before), side(&c.rules_before), word(c.after), side(&c.rules_after)),
        example: c.example.clone(),
    }
}

/// The instances some changed region starts or ends at.
pub fn instances_touched(diff: &WorldDiff) -> usize {
    let mut all: BTreeSet<&str> = BTreeSet::new();
    for c in &diff.changes {
        all.extend(c.src_instances.iter().map(String::as_str));
        all.extend(c.dst.instance.as_deref());
    }
    all.len()
}

/// "Opens 2 regions and closes 1, on 3 instances." or "No verdict differs from the baseline."
pub fn summary(diff: &WorldDiff) -> String {
    let opened = diff.changes.iter().filter(|c| c.opened()).count();
    let closed = diff.changes.len() - opened;
    let regions = |n: usize| if n == 1 { "1 region".to_string() } else { format!("{n} regions") };
    let mut out = match (opened, closed) {
        (0, 0) => "No verdict differs from the baseline.".to_string(),
        (o, 0) => format!("Opens {}", regions(o)),
        (0, c) => format!("Closes {}", regions(c)),
        (o, c) => format!("Opens {} and closes {}", regions(o), regions(c)),
    };
    if opened + closed > 0 {
        let n = instances_touched(diff);
        out.push_str(&format!(", on {n} instance{}.", if n == 1 { "" } else { "s" }));
    }
    if !diff.skipped.is_empty() {
        out.push_str(&format!(
            " {} part{} could not be compared exactly (too large).",
            diff.skipped.len(),
            if diff.skipped.len() == 1 { "" } else { "s" }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sgplay_core::analysis::diff::diff;

    fn world(spec: &sgplay_core::ScenarioSpec) -> sgplay_core::World {
        spec.build().unwrap().world
    }

    #[test]
    fn the_same_scenario_differs_in_nothing() {
        let spec = crate::gallery::load(crate::gallery::DEFAULT_SLUG).unwrap();
        let d = diff(&world(&spec), &world(&spec));
        assert!(lines(&d).is_empty());
        assert_eq!(summary(&d), "No verdict differs from the baseline.");
    }

    #[test]
    fn deleting_the_ssh_rule_closes_ssh_from_the_office_with_an_example() {
        let before = crate::gallery::load(crate::gallery::DEFAULT_SLUG).unwrap();
        let mut after = before.clone();
        let sg_a = after.security_groups.iter_mut().find(|g| g.id == "sg-a").unwrap();
        sg_a.rules.retain(|r| r.id.as_deref() != Some("A01"));
        let (a, b) = (world(&before), world(&after));
        let d = diff(&a, &b);
        let all = lines(&d);
        assert!(!all.is_empty());
        assert!(all.iter().all(|l| !l.opened), "{all:?}");
        let ssh = all.iter().find(|l| l.region.starts_with("tcp 22 from ")).expect("a line for ssh");
        assert!(ssh.why.starts_with("was allowed by "), "{}", ssh.why);
        assert_eq!(sgplay_core::evaluate(&a, &ssh.example).verdict, sgplay_core::Verdict::Allow);
        assert_eq!(sgplay_core::evaluate(&b, &ssh.example).verdict, sgplay_core::Verdict::Deny);
        assert!(summary(&d).starts_with("Closes "), "{}", summary(&d));
        assert!(instances_touched(&d) >= 1);
    }
}
