//! What users write: scenario files, rules with API field names, packet descriptions, test
//! sequences. Everything here is loosely typed and validated into `model` types, with every
//! problem reported at once.

pub mod address_group_spec;
pub mod probe;
pub mod problem;
pub mod rule_spec;
pub mod scenario;
pub mod sequence;
pub mod sequence_check;

pub use address_group_spec::AddressGroupSpec;
pub use probe::ProbeSpec;
pub use problem::{Problem, Severity};
pub use rule_spec::{build_rule, parse_prefix, RuleContext, RuleSpec};
pub use scenario::{CheckSpec, GroupSpec, InstanceSpec, Position, Scenario, ScenarioSpec, SubnetSpec, VpcSpec, FORMAT_VERSION};
pub use sequence::{ChangeSpec, ConnectionExpectation, SequenceSpec, StepSpec};
