//! A single-packet check as the scenario holds it once built: the document's `CheckSpec` is text
//! (`"expect": "deny"`, `"expect_denied_at": "web/inbound"`), and reading that text is the
//! build's job, not the runner's. `Check::parse` reads every field of a check, reports every
//! problem at its path (`checks[2].expect_denied_at`) with what would be right, and hands the
//! runner typed values: a verdict, a stopping point, a path outcome, the packet already resolved.
//!
//! A check naming an instance or a rule the world does not hold is not malformed: it is a test
//! that fails (an edit deleting the rule a check expects must stay possible). Such a check still
//! parses, with a warning; its packet is kept as the resolution's problems, which the runner
//! reports as the check's failure.

use super::document::CheckSpec;
use crate::diagnostic::{Problem, Problems, Severity};
use crate::eval::{Reachability, Verdict};
use crate::model::{Direction, World};
use crate::packet::Packet;
use std::fmt;

/// A validated check.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub name: String,
    /// The packet, resolved against the world; `Err` when it names an instance the world does
    /// not hold (a stale check: it fails with these problems).
    pub packet: Result<Packet, Vec<Problem>>,
    pub expect: Verdict,
    pub expect_rule: Option<RuleRef>,
    pub expect_denied_at: Option<StopPoint>,
    pub expect_path: Option<PathKind>,
}

/// The id of a rule that must decide one of the sides. It may name no rule of the world (a
/// stale check, warned about): the check then fails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleRef(pub String);

impl fmt::Display for RuleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a packet must be stopped: an instance, and optionally which of its sides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StopPoint {
    pub instance: String,
    /// `None`: either side of the instance.
    pub side: Option<Direction>,
}

impl StopPoint {
    /// Reads `instance` or `instance/inbound|outbound`; `Err` says what is wrong with the side.
    pub fn parse(text: &str) -> Result<StopPoint, &'static str> {
        let Some((instance, side)) = text.split_once('/') else {
            return Ok(StopPoint { instance: text.to_string(), side: None });
        };
        let side = match side {
            "inbound" => Direction::Ingress,
            "outbound" => Direction::Egress,
            _ => return Err("the side after `/` must be `inbound` or `outbound`"),
        };
        Ok(StopPoint { instance: instance.to_string(), side: Some(side) })
    }
}

impl fmt::Display for StopPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.side {
            None => f.write_str(&self.instance),
            Some(side) => write!(f, "{}/{}", self.instance, side.label()),
        }
    }
}

/// The path outcome a check expects, whatever the security groups say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathKind {
    Reachable,
    NoPeering,
    PrivateFromOutside,
    NoPublicAddress,
}

impl PathKind {
    pub const ALL: [PathKind; 4] = [PathKind::Reachable, PathKind::NoPeering, PathKind::PrivateFromOutside, PathKind::NoPublicAddress];

    /// The word a check writes: `reachable`, `no_peering`, `private_from_outside`, `no_public_address`.
    pub fn name(self) -> &'static str {
        match self {
            PathKind::Reachable => "reachable",
            PathKind::NoPeering => "no_peering",
            PathKind::PrivateFromOutside => "private_from_outside",
            PathKind::NoPublicAddress => "no_public_address",
        }
    }

    pub fn parse(text: &str) -> Option<PathKind> {
        PathKind::ALL.into_iter().find(|k| k.name() == text)
    }

    /// The kind of an evaluated path.
    pub fn of(path: &Reachability) -> PathKind {
        match path {
            Reachability::Reachable => PathKind::Reachable,
            Reachability::NoPeering { .. } => PathKind::NoPeering,
            Reachability::PrivateFromOutside { .. } => PathKind::PrivateFromOutside,
            Reachability::NoPublicAddress { .. } => PathKind::NoPublicAddress,
        }
    }
}

impl fmt::Display for PathKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `allow` or `deny`, as checks and steps write a verdict.
pub fn parse_verdict(text: &str) -> Option<Verdict> {
    match text {
        "allow" => Some(Verdict::Allow),
        "deny" => Some(Verdict::Deny),
        _ => None,
    }
}

impl Check {
    /// Reads check `index`. Problems that need the world (the packet, the rule, the stopping
    /// point's instance) are looked for only when `world_valid`; `None` when the check has an
    /// error or the world is not valid.
    pub fn parse(spec: &CheckSpec, index: usize, world: &World, world_valid: bool, problems: &mut Problems) -> Option<Check> {
        let object = format!("check `{}`", spec.name);
        let mut malformed = false;
        let mut error = |field: &str, value: &str, message: &str| {
            malformed = true;
            problems.push(Problem::error(format!("checks[{index}].{field}"), object.clone(), field, value, message));
        };
        let expect_path = spec.expect_path.as_deref().and_then(|p| {
            let kind = PathKind::parse(p);
            if kind.is_none() {
                error("expect_path", p, "must be `reachable`, `no_peering`, `private_from_outside` or `no_public_address`");
            }
            kind
        });
        let expect = parse_verdict(&spec.expect);
        if expect.is_none() {
            error("expect", &spec.expect, "must be `allow` or `deny`");
        }
        // A wrong side is an error only at an instance the world holds: at one it does not, the
        // check is stale (a warning below), kept as written so that its failure quotes it.
        let names_instance = |at: &str| world.instance(at.split_once('/').map_or(at, |(i, _)| i)).is_some();
        let expect_denied_at = spec.expect_denied_at.as_deref().and_then(|at| match StopPoint::parse(at) {
            Ok(stop) => Some(stop),
            Err(message) if names_instance(at) => {
                error("expect_denied_at", at, message);
                None
            }
            Err(_) => Some(StopPoint { instance: at.to_string(), side: None }),
        });
        if !world_valid {
            return None;
        }
        // A name the world does not hold: a warning, and the check fails until it does.
        let stale =
            |p: Problem| Problem { severity: Severity::Warning, message: format!("{}; this check fails until it does", p.message), ..p };
        let packet = spec.packet.resolve(world);
        if let Err(found) = &packet {
            for p in found {
                let names_missing = matches!(p.field.as_str(), "from" | "to") && p.message.contains("nor an instance");
                let p = Problem { path: format!("checks[{index}].{}", p.path), object: object.clone(), ..p.clone() };
                malformed |= !names_missing;
                problems.push(if names_missing { stale(p) } else { p });
            }
        }
        if let Some(rule) = spec.expect_rule.as_deref() {
            if !world.security_groups.iter().flat_map(|g| &g.rules).any(|r| r.id == rule) {
                let p = Problem::error(
                    format!("checks[{index}].expect_rule"),
                    object.clone(),
                    "expect_rule",
                    rule,
                    "no rule of the scenario has this id",
                );
                problems.push(stale(p));
            }
        }
        if let Some(at) = spec.expect_denied_at.as_deref() {
            if !names_instance(at) {
                let p = Problem::error(
                    format!("checks[{index}].expect_denied_at"),
                    object.clone(),
                    "expect_denied_at",
                    at,
                    "names no instance (write `instance` or `instance/inbound|outbound` with an instance id)",
                );
                problems.push(stale(p));
            }
        }
        if malformed {
            return None;
        }
        Some(Check {
            name: spec.name.clone(),
            packet,
            expect: expect?,
            expect_rule: spec.expect_rule.clone().map(RuleRef),
            expect_denied_at,
            expect_path,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;

    const WORLD: &str = r#"{"security_groups":[{"id":"sg","rules":[{"id":"ssh","direction":"ingress","protocol":"tcp","multiport":"22"}]}],
        "instances":[{"id":"a","ip":"10.0.0.1","security_groups":["sg"]}],
        "checks":[CHECK]}"#;

    fn build(check: &str) -> Result<Scenario, Vec<Problem>> {
        Scenario::from_json(&WORLD.replace("CHECK", check))
    }

    fn error_at(check: &str, path: &str) -> Problem {
        let problems = build(check).expect_err("the check is malformed");
        problems.into_iter().find(|p| p.path == path && p.is_error()).unwrap_or_else(|| panic!("no error at {path}"))
    }

    /// A good check, open after its `expect` value: each test closes it with more fields.
    const GOOD: &str = r#"{"name":"n","from":"203.0.113.1","to":"a","protocol":"tcp","port":22,"expect":"allow"#;

    #[test]
    fn a_well_formed_check_parses_to_typed_values() {
        let s = build(&format!(r#"{GOOD}","expect_rule":"ssh","expect_path":"reachable","expect_denied_at":"a/outbound"}}"#)).unwrap();
        let c = &s.checks[0];
        assert_eq!(c.expect, Verdict::Allow);
        assert_eq!(c.expect_rule, Some(RuleRef("ssh".into())));
        assert_eq!(c.expect_denied_at, Some(StopPoint { instance: "a".into(), side: Some(Direction::Egress) }));
        assert_eq!(c.expect_path, Some(PathKind::Reachable));
        assert_eq!(c.packet.as_ref().map(|p| p.dst_port), Ok(22));
    }

    #[test]
    fn each_bad_field_is_an_error_at_its_path() {
        let p = error_at(&format!(r#"{GOOD}ed"}}"#), "checks[0].expect");
        assert!(p.message.contains("`allow` or `deny`"), "{p}");
        let p = error_at(&format!(r#"{GOOD}","expect_path":"open"}}"#), "checks[0].expect_path");
        assert!(p.message.contains("no_peering"), "{p}");
        let p = error_at(&format!(r#"{GOOD}","expect_denied_at":"a/up"}}"#), "checks[0].expect_denied_at");
        assert!(p.message.contains("`inbound` or `outbound`"), "{p}");
        let p = error_at(&format!(r#"{}"}}"#, GOOD.replace("tcp", "tcpp")), "checks[0].protocol");
        assert!(p.message.contains("not a protocol"), "{p}");
    }

    #[test]
    fn every_bad_field_of_a_check_is_reported_at_once() {
        let problems = build(
            r#"{"name":"n","from":"a","to":"a","protocol":"tcp","port":1,"expect":"yes","expect_path":"x","expect_denied_at":"a/x"}"#,
        )
        .expect_err("three bad fields");
        let paths: Vec<&str> = problems.iter().filter(|p| p.is_error()).map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["checks[0].expect_path", "checks[0].expect", "checks[0].expect_denied_at"]);
    }

    #[test]
    fn a_stopping_point_at_no_instance_is_stale_whatever_its_side() {
        let s = build(&format!(r#"{GOOD}","expect_denied_at":"gone/sideways"}}"#)).expect("a warning, not an error");
        assert_eq!(s.checks[0].expect_denied_at.as_ref().map(|at| at.to_string()).as_deref(), Some("gone/sideways"));
        assert!(s.notices.iter().any(|p| p.path == "checks[0].expect_denied_at" && p.message.contains("names no instance")));
    }

    #[test]
    fn a_stale_check_parses_with_its_packet_unresolved() {
        let s = build(r#"{"name":"n","from":"gone","to":"a","protocol":"tcp","port":22,"expect":"allow","expect_rule":"old"}"#).unwrap();
        assert!(s.checks[0].packet.is_err());
        assert_eq!(s.checks[0].expect_rule, Some(RuleRef("old".into())));
        assert!(s.notices.iter().any(|p| p.path == "checks[0].expect_rule" && p.severity == Severity::Warning));
    }
}
