//! Advice from the seed's *Application Guidance*: high-risk ports open to everyone, instances
//! that can send nothing, and rules another rule makes useless.

use super::egress::{egress, Egress};
use super::lint::{Lint, LintKind};
use super::shadow::{shadowed_rules_within, RuleFinding, RuleFindingKind, RuleName, Scope, VALIDATION_BUDGET};
use crate::diagnostic::{Problem, Severity};
use crate::model::{Action, Direction, World};

/// Advice as validation reports it: the exact rule analysis within [`VALIDATION_BUDGET`].
pub fn check(world: &World) -> Vec<Problem> {
    lints(world, VALIDATION_BUDGET).into_iter().map(|l| l.problem).collect()
}

/// The advice, spending at most about `budget` cells on the exact rule analysis.
pub fn lints(world: &World, budget: usize) -> Vec<Lint> {
    let mut out = super::exposure::exposed(world, &crate::matcher::Matcher::build(world));
    out.extend(rule_findings(world, budget));
    for (i, egress) in egress(world) {
        let why = match egress {
            Egress::Sends | Egress::Undecided => continue,
            Egress::NoAllowRule => {
                "no outbound rule of its security groups allows anything, so it cannot send any traffic (outbound is a whitelist too)"
            }
            Egress::AllowsHidden => {
                "its outbound allow rules decide no packet (deny rules before them in evaluation order take every packet they match, or they match none), so it cannot send any traffic"
            }
        };
        let id = &world.instances[i].id;
        out.push(advice(LintKind::NoOutbound, format!("instances[{i}]"), format!("instance `{id}`"), why.into()).instance(id));
    }
    out
}

/// Shadowed, redundant and empty rules, from the exact analysis.
fn rule_findings(world: &World, budget: usize) -> Vec<Lint> {
    let report = shadowed_rules_within(world, budget);
    // The engine's implicit rules (Alibaba) are not the user's to delete: no finding about them.
    let written = |f: &&RuleFinding| {
        let (g, r) = f.rule.at;
        !world.security_groups.get(g).and_then(|g| g.rules.get(r)).is_some_and(crate::profile::alibaba::is_implicit)
    };
    let mut out: Vec<Lint> = report
        .findings
        .iter()
        .filter(written)
        .map(|f| {
            let (g, r) = f.rule.at;
            let object = format!("rule `{}` of security group `{}`", f.rule.rule, f.rule.group);
            let kind = match f.kind {
                RuleFindingKind::Shadowed => LintKind::Shadowed,
                RuleFindingKind::Redundant => LintKind::Redundant,
                RuleFindingKind::MatchesNothing => LintKind::MatchesNothing,
            };
            let mut lint =
                advice(kind, format!("security_groups[{g}].rules[{r}]"), object, finding_sentence(f)).rule(&f.rule.group, &f.rule.rule);
            lint.covered_by = f.covered_by.clone();
            lint.example = f.example.clone();
            lint
        })
        .collect();
    out.extend(report.skipped.iter().map(|s| {
        advice(
            LintKind::TooLargeToAnalyse,
            String::new(),
            s.what.clone(),
            if s.budget_spent {
                format!("not checked for shadowed and redundant rules: the analysis stops after {} cells to stay fast; `sgplay lint` checks with a larger budget", s.cells)
            } else {
                format!("too large to check exactly for shadowed and redundant rules ({} cells); split it into smaller groups", s.cells)
            },
        )
    }));
    out
}

/// "`A`, `B` and 3 more": at most five names.
fn rule_list(rules: &[RuleName]) -> String {
    let shown: Vec<String> = rules.iter().take(5).map(|r| format!("`{}`", r.rule)).collect();
    let more = rules.len().saturating_sub(5);
    match (shown.len(), more) {
        (0, _) => "no rule".into(),
        (1, _) => format!("rule {}", shown[0]),
        (_, 0) => format!("rules {}", shown.join(", ")),
        (_, m) => format!("rules {} and {m} more", shown.join(", ")),
    }
}

fn finding_sentence(f: &RuleFinding) -> String {
    let rules = rule_list(&f.covered_by);
    let one = f.covered_by.len() == 1;
    let (come, decide) = if one { ("comes", "decides") } else { ("come", "together decide") };
    let scope = match f.scope {
        Scope::Group => String::new(),
        Scope::Instances { instances: 1 } => " on the one instance of its group".to_string(),
        Scope::Instances { instances } => format!(" on each of the {instances} instances of its group"),
    };
    let example = f.example.as_ref().map(|e| {
        let port = e.port.map(|p| format!(" {p}")).unwrap_or_default();
        let proto = crate::model::protocol_name(e.protocol);
        let side = if e.direction == Direction::Ingress { "from" } else { "to" };
        let by = e.decided_by.as_ref().map(|d| format!(" is decided by `{}`", d.rule)).unwrap_or_default();
        format!("; e.g. {proto}{port} {side} {}{by}", e.remote)
    });
    let example = example.unwrap_or_default();
    match f.kind {
        RuleFindingKind::Shadowed => format!(
            "never takes effect: {rules} {come} first in evaluation order and {decide} every packet it matches{scope}{example}"
        ),
        // Decides nothing: only rules of its own action come before it.
        RuleFindingKind::Redundant if f.example.is_some() => format!(
            "is redundant: removing it changes no verdict, because {rules} {come} first in evaluation order and {} every packet it matches the same way{scope}{example}",
            if one { "decides" } else { "decide" }
        ),
        RuleFindingKind::Redundant => {
            let takers = match (f.covered_by.is_empty(), f.action) {
                (true, _) => "the default deny would deny them too".to_string(),
                (false, Action::Deny) => format!("{rules} (or the default deny, where no rule follows) would decide the same way"),
                (false, Action::Allow) => format!("{rules} would decide the same way"),
            };
            format!("is redundant: removing it changes no verdict{scope}; where it decides, {takers}")
        }
        RuleFindingKind::MatchesNothing => "matches no packet at all: its remote holds no address (a remote security group with no members, or an empty IP address group)".into(),
    }
}

fn advice(kind: LintKind, path: String, object: String, message: String) -> Lint {
    Lint::new(kind, Problem { severity: Severity::Advice, path, object, field: String::new(), value: String::new(), message })
}
