//! # sgplay-core: the engine
//!
//! sgplay answers "will this packet get through, and why?" for Huawei Cloud security groups,
//! exactly as Huawei's documentation describes them (`shared/SEMANTICS.md` is the contract), and
//! for Alibaba Cloud's under the Alibaba profile (SEMANTICS §9).
//! This crate is pure and deterministic: no clock, no I/O, no DOM. It builds for native and
//! wasm32, and the CLI and the web playground are thin shells around it.
//!
//! ## Layers
//! - [`scenario`]: what users write. Scenario files, rules with Huawei VPC API v3 field names,
//!   packet descriptions, stateful test sequences. Loosely typed; `build`/`resolve` validate
//!   into the model and report *every* problem at once, each naming the field.
//! - [`diagnostic`]: the crate-wide problem type: where (path, object, field), the bad value,
//!   what would be right. Validation, the simulator and the analyses all report with it.
//! - [`model`]: validated plain data. Rules, security groups, IP address groups, instances,
//!   VPCs, the [`model::World`]. Nothing here can be invalid.
//! - [`packet`]: a packet as plain data.
//! - [`profile`]: whose semantics a world follows ([`profile::CloudProfile`], part of the world):
//!   the key of the one evaluation order, Alibaba's group types and implicit rules, its limits.
//! - [`eval`]: matching. [`eval::decide`] is the matcher (allow/deny, nothing recorded);
//!   [`eval::evaluate`] is the tracer (the same decision with every group, rule and field it
//!   looked at); [`eval::steps`] turns a trace into sentences. Both share the field predicates
//!   and the path plan, so they cannot disagree. Evaluation never fails and never panics.
//! - [`matcher`]: the compiled matcher. [`Matcher::build`] turns a world into first-match
//!   tables over the packet space (protocol × port × address class) once; `decide` then answers
//!   in tens of nanoseconds, without allocating, and names the deciding rule.
//! - [`conntrack`]: connection tracking. The netfilter TCP state machine as a table, per-protocol
//!   entries, the Huawei and Linux timeout profiles.
//! - [`sim`]: the stateful simulator. A world, one connection table per instance and a
//!   simulated clock the caller advances; rule and membership changes clear entries as the
//!   seed's clearing table says. Runs scenario sequences.
//! - [`analysis`]: constraints (quotas) and advice (risky or useless rules).
//! - [`interop`]: other tools' JSON in and out. [`interop::import_any`] reads a scenario file or
//!   Huawei Cloud API output (detected by shape, several listings combined) into a scenario;
//!   [`interop::export`] writes one back in a [`interop::Format`].
//! - [`report`]: the answers as JSON documents (`eval|lint|reach --json`, the JS package).
//! - [`workloads`]: the benchmark worlds and packet mixes, named once for every benchmark.
//! - [`templates`]: the console's `default`, `Sys-WebServer` and `Sys-FullAccess` groups.
//! - [`synth`]: deterministic synthetic estates (VPCs, role-named groups, thousands of rules and
//!   instances) from a seed, for load tests and demos; every one validates with no error.
//!
//! ## Invariants
//! - One function defines matching order ([`eval::order`]): groups in sequence, then priority,
//!   deny before allow, written order; the first matching rule decides; later groups are not
//!   consulted; nothing matched means deny. Under the Alibaba profile the same function sorts all
//!   groups' rules together (the profile supplies the key). The tracer, the matcher, the advice
//!   and the analyses consume it.
//! - Every interpretation where the seeds are silent shows up as a note in the trace.

pub mod analysis;
pub mod diagnostic;
pub mod conntrack;
pub mod eval;
pub mod interop;
pub mod matcher;
pub mod model;
pub mod packet;
pub mod profile;
pub mod report;
pub mod rng;
pub mod sim;
pub mod scenario;
pub mod synth;
pub mod templates;
pub mod testing;
pub mod workloads;

pub use eval::{decide, evaluate, Evaluation, Verdict};
pub use matcher::Matcher;
pub use model::World;
pub use packet::Packet;
pub use diagnostic::{Problem, Severity};
pub use scenario::{ProbeSpec, Scenario, ScenarioSpec};
