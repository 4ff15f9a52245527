//! IP address groups: named sets of addresses, CIDR blocks and ranges.

use super::address_number::{addr_number, family_max, intervals_cover_family};
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
            AddressEntry::Range(first, last) => Ethertype::of(*first) == Ethertype::of(addr) && *first <= addr && addr <= *last,
        }
    }
}

impl AddressEntry {
    /// The addresses of `family` the entry holds ([`AddressEntry::contains`]), as numbers.
    pub fn interval(&self, family: Ethertype) -> Option<(u128, u128)> {
        match self {
            AddressEntry::Net(net) if Ethertype::of(net.addr()) == family => {
                Some((addr_number(net.network()), addr_number(net.broadcast())))
            }
            AddressEntry::Net(_) => None,
            AddressEntry::Range(first, last) if Ethertype::of(*first) == family => {
                // `IpAddr` orders every IPv4 address before every IPv6 one: a last address of the
                // other family ends an IPv4 range at the top and leaves an IPv6 range empty.
                let last = match (Ethertype::of(*last) == family, family) {
                    (true, _) => addr_number(*last),
                    (false, Ethertype::IPv4) => family_max(family),
                    (false, Ethertype::IPv6) => return None,
                };
                (addr_number(*first) <= last).then(|| (addr_number(*first), last))
            }
            AddressEntry::Range(..) => None,
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
    /// Do the entries together hold every address of `family` (`0.0.0.0/0`, or blocks and ranges
    /// that add up to it)?
    pub fn covers_every_address(&self, family: Ethertype) -> bool {
        intervals_cover_family(self.entries.iter().filter_map(|e| e.interval(family)).collect(), family)
    }

    /// Index of the first entry containing `addr`.
    pub fn find(&self, addr: IpAddr) -> Option<usize> {
        self.entries.iter().position(|e| e.contains(addr))
    }
}
