//! Validated, typed objects. Everything here is plain data; nothing here can be invalid.

pub mod address_group;
pub mod address_number;
pub mod ports;
pub mod protocol;
pub mod remote_address;
pub mod rule;
pub mod world;

pub use address_group::{AddressEntry, AddressGroup};
pub use address_number::{addr_number, family_max, intervals_cover_family, number_to_addr};
pub use ports::{parse_ports, PortRange, PortSet};
pub use protocol::{parse_protocol, protocol_name, ProtocolMatch};
pub use remote_address::RemoteAddress;
pub use rule::{Action, Direction, Ethertype, Remote, Rule};
pub use world::{is_private_range, AddressKind, Instance, InstanceKind, Peering, Place, SecurityGroup, Subnet, Vpc, World};
