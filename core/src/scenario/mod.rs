//! The scenario: what users write. The document (`document`), rules with API field names,
//! packet descriptions (`probe`), test sequences and their checks. Loosely typed, validated into
//! `model` types and typed tests (`checks`, `steps`), with every problem reported at once as a [`crate::diagnostic::Problem`].

pub mod address_group_spec;
pub mod alibaba;
pub mod checks;
pub mod document;
pub mod json;
pub mod limits;
mod live_rules;
pub mod objects;
pub mod probe;
pub mod rule_spec;
pub mod sequence;
pub mod source_map;
pub mod steps;

pub use crate::diagnostic::{Problem, Severity};
pub use address_group_spec::AddressGroupSpec;
pub use checks::{Check, PathKind, RuleRef, StopPoint};
pub use document::{
    CheckSpec, GroupSpec, InstanceSpec, PeeringSpec, Position, Scenario, ScenarioSpec, SubnetSpec, VpcSpec, FORMAT_VERSION,
};
pub use json::{from_json, from_json_each, JsonError};
pub use probe::ProbeSpec;
pub use rule_spec::{build_rule, parse_prefix, RuleContext, RuleSpec};
pub use sequence::{ChangeSpec, ConnectionExpectation, RulePatch, SequenceSpec, StepSpec};
pub use steps::{Action, ClearedEntry, PacketExpectation, Sequence, Step, WantedState};
