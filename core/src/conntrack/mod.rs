//! Connection tracking (SEMANTICS §5): what makes security groups stateful.
//!
//! - [`tcp`]: netfilter's TCP state machine as a table, cell for cell the kernel's.
//! - [`timeouts`]: the Huawei profile (seed values, and SEMANTICS interpretations where the seed
//!   is silent) and the Linux kernel's defaults.
//! - [`key`]: the tuple a connection is keyed by; ICMP uses the echo identifier for ports. ICMP
//!   replies and errors never open a connection: errors are RELATED to the connection of the
//!   packet they embed, or invalid.
//! - [`connection`]: one entry and how a packet moves it along.
//! - [`table`]: one instance's entries.
//!
//! Nothing here reads a clock: times are seconds on the simulated clock, passed in by `sim`.

pub mod connection;
pub mod key;
pub mod table;
pub mod tcp;
pub mod timeouts;

pub use connection::{AdmittedBy, ConnState, Connection, Opened, Status, TcpHistory, Track};
pub use key::FlowKey;
pub use table::ConnTable;
pub use tcp::{FlagClass, FlowDirection, TcpState, TcpStep, Transition};
pub use timeouts::{CutWait, Origin, Profile};
