//! What the findings panel shows, taken from the engine's lint (`sgplay_core::analysis::lint`,
//! the same list `sgplay lint` prints): each finding's severity, a title, the sentence the
//! engine wrote, the objects it names as places the page can show, and the edit that fixes it
//! where there is one. Nothing here analyses anything. Pure, tested natively.

use serde::{Deserialize, Serialize};
use sgplay_core::analysis::lint::{lint, Lint, LintKind};
use sgplay_core::diagnostic::Severity;
use sgplay_core::model::Direction;
use sgplay_core::World;
use std::collections::BTreeMap;

/// An object a finding names: a link to it in the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    Rule { group: String, rule: String, direction: Direction },
    Group { id: String },
    Instance { id: String },
    AddressGroup { id: String },
}

/// The edit that fixes a finding. Deleting a shadowed, redundant or matches-nothing rule
/// changes no verdict (that is what the analysis proved); deleting an unused group or address
/// group changes none either.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FixEdit {
    DeleteRule { group: String, rule: String },
    DeleteGroup { id: String },
    DeleteAddressGroup { id: String },
}

// Serialize, Deserialize: a large estate's findings come from the worker (`crate::worker`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Unique in the list, stable across edits that leave the finding: for keys and test ids.
    pub key: String,
    pub kind: LintKind,
    pub severity: Severity,
    /// The engine's sentence: the object, then what is wrong and what would be right.
    pub sentence: String,
    /// What it is about, first the main object.
    pub targets: Vec<Target>,
    /// The rules that cover a shadowed or redundant rule.
    pub covered_by: Vec<Target>,
    pub fix: Option<FixEdit>,
}

impl Finding {
    /// "Shadowed rule": the finding's kind in words.
    pub fn title(&self) -> &'static str {
        title(self.kind)
    }
}

/// How a rule is marked in the rules table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleMark {
    pub kind: LintKind,
    /// "shadowed", "redundant", "matches nothing".
    pub label: &'static str,
    /// "covered by A01, A02 of Sg-A" for the row's tooltip and its accessible description.
    pub note: String,
}

pub fn title(kind: LintKind) -> &'static str {
    match kind {
        LintKind::RuleQuota => "Over the rule quota",
        LintKind::GroupsPerInstance => "Too many groups on an instance",
        LintKind::InstancesPerGroup => "Too many instances in a group",
        LintKind::HighRiskPort => "High-risk port open to everyone",
        LintKind::NoOutbound => "Instance cannot send",
        LintKind::Shadowed => "Shadowed rule",
        LintKind::Redundant => "Redundant rule",
        LintKind::MatchesNothing => "Rule matches nothing",
        LintKind::TooLargeToAnalyse => "Too large to analyse exactly",
        LintKind::UnusedGroup => "Unused security group",
        LintKind::UnusedAddressGroup => "Unused IP address group",
    }
}

fn mark_label(kind: LintKind) -> Option<&'static str> {
    match kind {
        LintKind::Shadowed => Some("shadowed"),
        LintKind::Redundant => Some("redundant"),
        LintKind::MatchesNothing => Some("matches nothing"),
        _ => None,
    }
}

/// Every finding of `world`, errors first, then warnings, then advice; within a severity in
/// the engine's order.
pub fn findings(world: &World) -> Vec<Finding> {
    from_lints(world, lint(world))
}

/// [`findings`] over lints already computed.
pub fn from_lints(world: &World, lints: Vec<Lint>) -> Vec<Finding> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out: Vec<Finding> = lints
        .into_iter()
        .map(|l| {
            let rule_target = |group: &str, rule: &str| {
                let direction =
                    world.group(group).and_then(|g| g.rules.iter().find(|r| r.id == rule)).map_or(Direction::Ingress, |r| r.direction);
                Target::Rule { group: group.to_string(), rule: rule.to_string(), direction }
            };
            let mut targets = Vec::new();
            match (&l.group, &l.rule) {
                (Some(g), Some(r)) => targets.push(rule_target(g, r)),
                (Some(g), None) => targets.push(Target::Group { id: g.clone() }),
                _ => {}
            }
            if let Some(i) = &l.instance {
                targets.push(Target::Instance { id: i.clone() });
            }
            if let Some(a) = &l.address_group {
                targets.push(Target::AddressGroup { id: a.clone() });
            }
            let covered_by = l.covered_by.iter().map(|n| rule_target(&n.group, &n.rule)).collect();
            let fix = match (l.kind, &l.group, &l.rule) {
                (LintKind::Shadowed | LintKind::Redundant | LintKind::MatchesNothing, Some(g), Some(r)) => {
                    Some(FixEdit::DeleteRule { group: g.clone(), rule: r.clone() })
                }
                (LintKind::UnusedGroup, Some(g), _) => Some(FixEdit::DeleteGroup { id: g.clone() }),
                (LintKind::UnusedAddressGroup, _, _) => l.address_group.clone().map(|id| FixEdit::DeleteAddressGroup { id }),
                _ => None,
            };
            let object = if l.problem.object.is_empty() { l.problem.path.clone() } else { l.problem.object.clone() };
            let sentence = format!("{}: {}", capitalised(&object), l.problem.message);
            let base = format!(
                "{:?}-{}",
                l.kind,
                [&l.group, &l.rule, &l.instance, &l.address_group].into_iter().flatten().cloned().collect::<Vec<_>>().join("-")
            );
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let key = if *n == 1 { base } else { format!("{base}-{n}") };
            Finding { key: slug(&key), kind: l.kind, severity: l.problem.severity, sentence, targets, covered_by, fix }
        })
        .collect();
    out.sort_by_key(|f| f.severity);
    out
}

/// (errors, warnings, advice).
pub fn counts(findings: &[Finding]) -> (usize, usize, usize) {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    (count(Severity::Error), count(Severity::Warning), count(Severity::Advice))
}

/// The marks of group `group`'s rules: shadowed, redundant, matches nothing, by rule id.
pub fn rule_marks(findings: &[Finding], group: &str, name_of: impl Fn(&str) -> String) -> BTreeMap<String, RuleMark> {
    let mut out = BTreeMap::new();
    for f in findings {
        let (Some(label), Some(Target::Rule { group: g, rule, .. })) = (mark_label(f.kind), f.targets.first()) else { continue };
        if g != group {
            continue;
        }
        let covering: Vec<String> = f
            .covered_by
            .iter()
            .filter_map(|t| match t {
                Target::Rule { group: cg, rule: cr, .. } if cg == group => Some(cr.clone()),
                Target::Rule { group: cg, rule: cr, .. } => Some(format!("{cr} of {}", name_of(cg))),
                _ => None,
            })
            .collect();
        let note = match (f.kind, covering.is_empty()) {
            (LintKind::MatchesNothing, _) => "its remote holds no address, so it matches no packet".to_string(),
            (LintKind::Shadowed, false) => format!(
                "never takes effect: {} decide{} every packet it matches",
                covering.join(", "),
                if covering.len() == 1 { "s" } else { "" }
            ),
            (LintKind::Redundant, false) => format!(
                "removing it changes no verdict: {} decide{} the same way",
                covering.join(", "),
                if covering.len() == 1 { "s" } else { "" }
            ),
            (LintKind::Redundant, true) => "removing it changes no verdict: the default deny decides the same way".to_string(),
            _ => "removing it changes no verdict".to_string(),
        };
        out.entry(rule.clone()).or_insert(RuleMark { kind: f.kind, label, note });
    }
    out
}

/// What the fix button says.
pub fn fix_label(fix: &FixEdit) -> String {
    match fix {
        FixEdit::DeleteRule { rule, .. } => format!("Delete rule {rule}"),
        FixEdit::DeleteGroup { id } => format!("Delete group {id}"),
        FixEdit::DeleteAddressGroup { id } => format!("Delete address group {id}"),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn slug(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_ascii_lowercase() } else { '-' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world(slug: &str) -> World {
        crate::gallery::load(slug).unwrap().build().unwrap().world
    }

    #[test]
    fn a_clean_scenario_has_no_findings() {
        assert!(findings(&world("huawei/overview-sg-a-sg-b")).is_empty());
    }

    #[test]
    fn shadowed_and_redundant_rules_name_their_rule_and_its_cover_and_offer_a_deletion() {
        let w = world("huawei/matching-order");
        let all = findings(&w);
        let shadowed = all.iter().find(|f| f.kind == LintKind::Shadowed && f.sentence.contains("T-allow`")).unwrap();
        assert_eq!(shadowed.title(), "Shadowed rule");
        assert!(shadowed.sentence.starts_with("Rule `T-allow` of security group `sg-tie`: never takes effect"), "{}", shadowed.sentence);
        assert_eq!(shadowed.targets[0], Target::Rule { group: "sg-tie".into(), rule: "T-allow".into(), direction: Direction::Ingress });
        assert_eq!(shadowed.covered_by, [Target::Rule { group: "sg-tie".into(), rule: "T-deny".into(), direction: Direction::Ingress }]);
        assert_eq!(shadowed.fix, Some(FixEdit::DeleteRule { group: "sg-tie".into(), rule: "T-allow".into() }));
        assert_eq!(fix_label(shadowed.fix.as_ref().unwrap()), "Delete rule T-allow");
        let marks = rule_marks(&all, "sg-tie", |g| g.to_string());
        assert_eq!(marks["T-allow"].label, "shadowed");
        assert_eq!(marks["T-allow"].note, "never takes effect: T-deny decides every packet it matches");
        assert_eq!(marks["T-allow-web"].label, "redundant");
        assert!(!marks.contains_key("T-deny"));
        // Keys are unique.
        let mut keys: Vec<&str> = all.iter().map(|f| f.key.as_str()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), all.len());
    }

    #[test]
    fn an_instance_finding_links_the_instance_and_has_no_fix() {
        let all = findings(&world("huawei/examples-ftp"));
        let f = all.iter().find(|f| f.kind == LintKind::NoOutbound).unwrap();
        assert_eq!(f.targets, [Target::Instance { id: "ftp-any".into() }]);
        assert_eq!(f.fix, None);
        assert_eq!(counts(&all), (0, 0, 2));
    }

    #[test]
    fn errors_come_before_warnings_before_advice() {
        let w = world("huawei/constraints-table4-quota");
        let all = findings(&w);
        assert!(all.windows(2).all(|p| p[0].severity <= p[1].severity));
    }
}
