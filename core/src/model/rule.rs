//! A validated security group rule: every field typed, nothing left to parse.

use super::ports::PortSet;
use super::protocol::ProtocolMatch;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Inbound: the rule looks at the packet's source address.
    Ingress,
    /// Outbound: the rule looks at the packet's destination address.
    Egress,
}

impl Direction {
    pub fn label(self) -> &'static str {
        match self {
            Direction::Ingress => "inbound",
            Direction::Egress => "outbound",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Ethertype {
    IPv4,
    IPv6,
}

impl Ethertype {
    pub fn of(addr: IpAddr) -> Ethertype {
        match addr {
            IpAddr::V4(_) => Ethertype::IPv4,
            IpAddr::V6(_) => Ethertype::IPv6,
        }
    }

    /// The "any address" prefix of this family.
    pub fn any_prefix(self) -> IpNet {
        match self {
            Ethertype::IPv4 => IpNet::V4(Default::default()),
            Ethertype::IPv6 => IpNet::V6(Default::default()),
        }
    }
}

impl fmt::Display for Ethertype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ethertype::IPv4 => "IPv4",
            Ethertype::IPv6 => "IPv6",
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    // INVARIANT: Deny sorts before Allow, which is the tie-break at equal priority.
    Deny,
    Allow,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Allow => "allow",
            Action::Deny => "deny",
        })
    }
}

/// Whom a rule's remote side covers: the source of inbound traffic, the destination of outbound.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Remote {
    /// No remote given: any address of the rule's family.
    Any,
    /// `remote_ip_prefix`: an address or CIDR block.
    Prefix(IpNet),
    /// `remote_group_id`: private addresses of the group's member instances.
    Group(String),
    /// `remote_address_group_id`: the entries of an IP address group.
    AddressGroup(String),
}

impl fmt::Display for Remote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Remote::Any => f.write_str("any"),
            Remote::Prefix(net) => write!(f, "{net}"),
            Remote::Group(id) => write!(f, "security group {id}"),
            Remote::AddressGroup(id) => write!(f, "IP address group {id}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    pub direction: Direction,
    pub ethertype: Ethertype,
    pub protocol: ProtocolMatch,
    pub ports: PortSet,
    pub action: Action,
    /// 1–100, smaller first.
    pub priority: u8,
    pub remote: Remote,
    pub description: String,
}

impl Rule {
    /// "tcp: 22,25,27", "icmp: all", "all" — the console's Protocol & Port column.
    pub fn protocol_and_port(&self) -> String {
        match self.protocol {
            ProtocolMatch::Any => "all".into(),
            p if p.has_ports() => format!("{p}: {}", self.ports),
            p => format!("{p}: all"),
        }
    }
}
