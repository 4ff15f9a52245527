//! What every security-group format leaves out of a scenario, said the same way by each
//! writer: the network (VPCs, subnets, peerings), the instances and their groups (the clouds
//! keep them in other objects, which each writer names), and sgplay's own checks and
//! sequences. A writer adds what is particular to it (address groups, a profile).

use crate::diagnostic::{Problem, Severity};
use crate::scenario::ScenarioSpec;

/// A warning about a whole part of the scenario, without a field.
pub(crate) fn note(path: &str, object: &str, message: &str) -> Problem {
    Problem {
        severity: Severity::Warning,
        path: path.to_string(),
        object: object.to_string(),
        field: String::new(),
        value: String::new(),
        message: message.to_string(),
    }
}

/// The notes for what the scenario holds beyond security groups; `instances_are` says where
/// the cloud keeps instances instead.
pub(crate) fn beyond_groups(spec: &ScenarioSpec, instances_are: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    if !spec.vpcs.is_empty() || !spec.peerings.is_empty() {
        out.push(note("vpcs", "VPCs, subnets and peerings", "are not security group resources; not exported"));
    }
    if !spec.instances.is_empty() {
        out.push(note("instances", "instances", &format!("and their security group associations are not exported ({instances_are})")));
    }
    if !spec.checks.is_empty() || !spec.sequences.is_empty() {
        out.push(note("checks", "checks and sequences", "are sgplay's own, not the cloud's; not exported"));
    }
    out
}
