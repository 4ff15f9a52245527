//! Every finding about a world, typed: what kind it is, which objects it names, the covering
//! rules and an example packet where there are some, and the problem as the user reads it.
//! `sgplay lint` prints these; validation keeps only the problems.

use super::shadow::{RuleName, SidePacket};
use crate::diagnostic::{Problem, Severity};
use crate::model::{Remote, World};
use serde::Serialize;
use std::collections::HashSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LintKind {
    /// More than 120 quota-taking rules in one group, direction and ethertype (seed table 4);
    /// Alibaba: more than 1,000 rules on one ENI, or more than 20 groups named by a basic group.
    RuleQuota,
    /// More than 5 groups on an instance (Alibaba: more than 10 on an ENI).
    GroupsPerInstance,
    /// More than 6,000 instances in a group.
    InstancesPerGroup,
    /// A high-risk port open to every address.
    HighRiskPort,
    /// An instance whose groups allow nothing out.
    NoOutbound,
    /// A rule that decides nothing because rules of the other action cover it.
    Shadowed,
    /// A rule whose removal changes no verdict.
    Redundant,
    /// A rule whose remote holds no address.
    MatchesNothing,
    /// A list too big for the exact analysis.
    TooLargeToAnalyse,
    /// A security group on no instance and named by no rule.
    UnusedGroup,
    /// An IP address group no rule names.
    UnusedAddressGroup,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Lint {
    pub kind: LintKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_group: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub covered_by: Vec<RuleName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<SidePacket>,
    #[serde(flatten)]
    pub problem: Problem,
}

impl Lint {
    pub fn new(kind: LintKind, problem: Problem) -> Lint {
        Lint { kind, group: None, rule: None, instance: None, address_group: None, covered_by: Vec::new(), example: None, problem }
    }

    pub fn group(mut self, id: &str) -> Lint {
        self.group = Some(id.to_string());
        self
    }

    pub fn rule(mut self, group: &str, rule: &str) -> Lint {
        self.group = Some(group.to_string());
        self.rule = Some(rule.to_string());
        self
    }

    pub fn instance(mut self, id: &str) -> Lint {
        self.instance = Some(id.to_string());
        self
    }
}

/// Every lint of the world: constraints, advice, the exact rule analysis and unused objects.
pub fn lint(world: &World) -> Vec<Lint> {
    let mut out = super::constraints::lints(world);
    out.extend(super::advice::lints(world, super::shadow::ANALYSIS_BUDGET));
    out.extend(unused(world));
    out
}

/// Groups on no instance that no rule names as a remote, and address groups no rule names.
fn unused(world: &World) -> Vec<Lint> {
    // A basic group's implicit rule names the group itself, which does not make it used.
    let rules = || world.security_groups.iter().flat_map(|g| &g.rules).filter(|r| !crate::profile::alibaba::is_implicit(r));
    let named_groups: HashSet<&str> =
        rules().filter_map(|r| if let Remote::Group(id) = &r.remote { Some(id.as_str()) } else { None }).collect();
    let named_address_groups: HashSet<&str> =
        rules().filter_map(|r| if let Remote::AddressGroup(id) = &r.remote { Some(id.as_str()) } else { None }).collect();
    let used: HashSet<&str> = world.instances.iter().flat_map(|i| i.security_groups.iter().map(String::as_str)).collect();
    let mut out = Vec::new();
    for (g, group) in world.security_groups.iter().enumerate() {
        if !used.contains(group.id.as_str()) && !named_groups.contains(group.id.as_str()) {
            let problem = advice(
                format!("security_groups[{g}]"),
                format!("security group `{}`", group.id),
                "is on no instance and no rule names it: it filters nothing; delete it or associate it with an instance",
            );
            out.push(Lint::new(LintKind::UnusedGroup, problem).group(&group.id));
        }
    }
    for (a, ag) in world.address_groups.iter().enumerate() {
        if !named_address_groups.contains(ag.id.as_str()) {
            let problem = advice(
                format!("address_groups[{a}]"),
                format!("IP address group `{}`", ag.id),
                "is named by no rule: it changes no verdict; delete it or use it as a rule's remote",
            );
            let mut lint = Lint::new(LintKind::UnusedAddressGroup, problem);
            lint.address_group = Some(ag.id.clone());
            out.push(lint);
        }
    }
    out
}

fn advice(path: String, object: String, message: &str) -> Problem {
    Problem { severity: Severity::Advice, path, object, field: String::new(), value: String::new(), message: message.to_string() }
}
