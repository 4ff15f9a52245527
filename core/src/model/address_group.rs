//! IP address groups: named sets of addresses, CIDR blocks and ranges.

use super::rule::Ethertype;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum AddressEntry {
    /// A single address or a CIDR block (a single address is a /32 or /128).
    Net(IpNet),
    /// An inclusive range `a-b`.
    Range(IpAddr, IpAddr),
}

impl AddressEntry {
    pub fn contains(&self, addr: IpAddr) -> bool {
        match self {
            AddressEntry::Net(net) => net.contains(&addr),
            AddressEntry::Range(first, last) => {
                Ethertype::of(*first) == Ethertype::of(addr) && *first <= addr && addr <= *last
            }
        }
    }
}

impl fmt::Display for AddressEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddressEntry::Net(net) if net.prefix_len() == net.max_prefix_len() => write!(f, "{}", net.addr()),
            AddressEntry::Net(net) => write!(f, "{net}"),
            AddressEntry::Range(a, b) => write!(f, "{a}-{b}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressGroup {
    pub id: String,
    pub name: String,
    pub ethertype: Ethertype,
    pub entries: Vec<AddressEntry>,
}

impl AddressGroup {
    /// Index of the first entry containing `addr`.
    pub fn find(&self, addr: IpAddr) -> Option<usize> {
        self.entries.iter().position(|e| e.contains(addr))
    }
}
