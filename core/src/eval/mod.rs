//! Matching and tracing. `decide` answers allow/deny; `evaluate` answers the same with the full
//! trace; `explain` turns a trace into the sentences a newcomer can follow.

pub mod explain;
pub mod order;
pub mod path;
pub mod route;
pub mod rule_match;
pub mod side;
pub mod trace;

pub use crate::model::RemoteAddress;
pub use explain::{steps, Step, StepKind};
pub use order::{group_order, instance_order, OrderKey, Ranked};
pub use path::{decide, evaluate, plan, PathPlan, Side};
pub use route::{route, Crossing, Directory, PathOutcome, Route};
pub use side::{decide_side, trace_side, SideDecision};
pub use trace::*;
