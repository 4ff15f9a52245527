//! # Reports: the engine's answers as JSON documents
//!
//! The shapes that `sgplay eval|lint|reach --json` print and that the JS package (`js/`)
//! returns, defined once so the two cannot drift and share one documentation. `diff` needs no
//! wrapper: its report is [`WorldDiff`](crate::analysis::diff::WorldDiff) as it is; an import
//! is the [`ScenarioSpec`](crate::ScenarioSpec) it produced.

use crate::analysis::lint::{lint, Lint};
use crate::analysis::reach::{End, Reachability, Service, MAX_SERVICES};
use crate::eval::explain::{steps, Step};
use crate::{Evaluation, World};
use serde::Serialize;
use std::net::IpAddr;

/// `eval --json`: the serialised [`Evaluation`] (verdict, packet, from, to, hops, notes) with
/// its `steps`, the trace in sentences.
#[derive(Serialize)]
pub struct EvalReport<'a> {
    #[serde(flatten)]
    pub evaluation: &'a Evaluation,
    pub steps: Vec<Step>,
}

impl<'a> EvalReport<'a> {
    pub fn new(evaluation: &'a Evaluation) -> EvalReport<'a> {
        EvalReport { evaluation, steps: steps(evaluation) }
    }
}

/// Every lint of the world, the most severe first (errors, warnings, advice).
pub fn findings(world: &World) -> Vec<Lint> {
    let mut findings = lint(world);
    findings.sort_by_key(|l| l.problem.severity);
    findings
}

/// `lint --json`: `{"file"?, "findings": [...]}`; `file` is the CLI's, absent in the JS package.
#[derive(Serialize)]
pub struct LintReport<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub findings: &'a [Lint],
}

/// The services of a matrix from their names (`tcp:22`, `icmp`), between one and
/// [`MAX_SERVICES`]. A message begins with `subject`, the name the caller gave the list
/// (`--services`).
pub fn services(names: &[String], subject: &str) -> Result<Vec<Service>, String> {
    let services =
        names.iter().map(|s| Service::parse(s)).collect::<Result<Vec<Service>, String>>().map_err(|m| format!("{subject}: {m}"))?;
    match services.len() {
        0 => Err(format!("{subject} is empty; name at least one, e.g. `tcp:22`")),
        n if n > MAX_SERVICES => Err(format!("{subject} names {n} services; at most {MAX_SERVICES} fit one matrix")),
        _ => Ok(services),
    }
}

/// One ordered pair of `reach --json`: instance ids or `internet`, and the services that pass.
#[derive(Serialize)]
pub struct ReachPair<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub allowed: Vec<&'a str>,
}

/// `reach --json`: `{"services": [...], "internet": [...], "pairs": [{"from", "to", "allowed"}...]}`.
#[derive(Serialize)]
pub struct ReachReport<'a> {
    pub services: Vec<&'a str>,
    pub internet: &'a [IpAddr],
    pub pairs: Vec<ReachPair<'a>>,
}

impl<'a> ReachReport<'a> {
    /// The matrix with its ends named; `matrix` must be computed from `world`.
    pub fn new(world: &'a World, matrix: &'a Reachability) -> ReachReport<'a> {
        let name = |e: End| match e {
            End::Instance(i) => world.instances[i].id.as_str(),
            End::Internet => "internet",
        };
        ReachReport {
            services: matrix.services.iter().map(|s| s.label.as_str()).collect(),
            internet: &matrix.internet,
            pairs: matrix
                .pairs
                .iter()
                .map(|p| ReachPair {
                    from: name(p.from),
                    to: name(p.to),
                    allowed: p.allowed.iter().map(|&i| matrix.services[i].label.as_str()).collect(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_are_checked_as_a_list() {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(services(&names(&["tcp:22", "icmp"]), "--services").unwrap().len(), 2);
        assert_eq!(services(&[], "--services").unwrap_err(), "--services is empty; name at least one, e.g. `tcp:22`");
        assert!(services(&names(&["tcp"]), "services").unwrap_err().starts_with("services: `tcp`: tcp and udp need a port"));
        let many: Vec<String> = (1..=129).map(|p| format!("tcp:{p}")).collect();
        assert_eq!(services(&many, "--services").unwrap_err(), "--services names 129 services; at most 128 fit one matrix");
    }
}
