//! Validated, typed objects. Everything here is plain data; nothing here can be invalid.

pub mod address_group;
pub mod ports;
pub mod protocol;
pub mod rule;
pub mod world;

pub use address_group::{AddressEntry, AddressGroup};
pub use ports::{parse_ports, PortRange, PortSet};
pub use protocol::{parse_protocol, protocol_name, ProtocolMatch};
pub use rule::{Action, Direction, Ethertype, Remote, Rule};
pub use world::{is_private_range, AddressKind, Instance, InstanceKind, Peering, Place, SecurityGroup, Subnet, Vpc, World};
