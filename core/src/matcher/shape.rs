//! A rule as the packet space sees it: which protocols, which destination ports, which remote
//! addresses (as intervals of one family). Remote security groups and IP address groups are
//! resolved here, once, through the member index; nothing later looks an id up.

use super::address_space::Interval;
pub use crate::model::{addr_number, family_max, number_to_addr};
use crate::model::{Ethertype, Instance, PortSet, ProtocolMatch, Remote, Rule, World};
use std::collections::HashMap;
use std::net::IpAddr;

/// The packet space one rule covers, for its own family.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleShape {
    pub protocol: ProtocolMatch,
    /// Sorted, merged inclusive port ranges; `None` is every port.
    pub ports: Option<Vec<(u16, u16)>>,
    /// Sorted, merged, disjoint address intervals of the rule's family.
    pub remote: Vec<Interval>,
}

/// Where the remote intervals of `rules` cut the family's addresses `0..=max` into classes:
/// the sorted starts of the classes, `0` first. Two addresses of one class are in the same
/// intervals of every rule.
pub fn address_cuts<'a>(rules: impl IntoIterator<Item = &'a RuleShape>, max: u128) -> Vec<u128> {
    let mut starts = vec![0u128];
    for r in rules {
        for &(first, last) in &r.remote {
            starts.push(first);
            if last < max {
                starts.push(last + 1);
            }
        }
    }
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// Where the destination ports of `rules` cut `0..=65535` into runs: the sorted starts of the
/// runs, `0` first. Two ports of one run are in the same ranges of every rule.
pub fn port_cuts<'a>(rules: impl IntoIterator<Item = &'a RuleShape>) -> Vec<u16> {
    let mut starts = vec![0u16];
    for r in rules {
        for &(a, b) in r.ports.iter().flatten() {
            starts.push(a);
            if let Some(next) = b.checked_add(1) {
                starts.push(next);
            }
        }
    }
    starts.sort_unstable();
    starts.dedup();
    starts
}

impl RuleShape {
    /// Does the rule take packets of protocol slot `slot`: a protocol number, or `None` for
    /// every protocol no rule names (only an any-protocol rule takes those)?
    pub fn applies_to(&self, slot: Option<u8>) -> bool {
        match (self.protocol, slot) {
            (ProtocolMatch::Any, _) => true,
            (ProtocolMatch::Number(n), Some(q)) => n == q,
            (ProtocolMatch::Number(_), None) => false,
        }
    }

    /// Does the remote cover every address of the family? Later rules never decide after it
    /// (for the packets its protocol and ports take).
    pub fn covers_every_address(&self, max: u128) -> bool {
        self.remote.first() == Some(&(0, max))
    }

    pub fn port_ranges(ports: &PortSet) -> Option<Vec<(u16, u16)>> {
        if ports.is_all() {
            return None;
        }
        Some(merge(ports.elements().iter().map(|r| (r.first, r.last)).collect()))
    }
}

/// Group id → its members' private addresses, built once per world.
pub struct MemberIndex<'w> {
    members: HashMap<&'w str, Vec<IpAddr>>,
}

impl<'w> MemberIndex<'w> {
    pub fn build(instances: &'w [Instance]) -> MemberIndex<'w> {
        let mut members: HashMap<&str, Vec<IpAddr>> = HashMap::new();
        for inst in instances {
            for group in &inst.security_groups {
                members.entry(group.as_str()).or_default().extend(inst.private_ips.iter().copied());
            }
        }
        MemberIndex { members }
    }

    pub fn private_ips(&self, group: &str) -> &[IpAddr] {
        self.members.get(group).map_or(&[], |v| v.as_slice())
    }
}

/// The shape of `rule`, with its remote resolved in `world` through `members`.
pub fn shape(world: &World, members: &MemberIndex<'_>, rule: &Rule) -> RuleShape {
    let family = rule.ethertype;
    let max = family_max(family);
    let of_family = |a: &IpAddr| Ethertype::of(*a) == family;
    let remote: Vec<Interval> = match &rule.remote {
        Remote::Any => vec![(0, max)],
        Remote::Prefix(net) if Ethertype::of(net.addr()) == family => {
            vec![(addr_number(net.network()), addr_number(net.broadcast()))]
        }
        Remote::Prefix(_) => Vec::new(),
        Remote::Group(id) => members.private_ips(id).iter().filter(|a| of_family(a)).map(|a| (addr_number(*a), addr_number(*a))).collect(),
        Remote::AddressGroup(id) => {
            world.address_group(id).map(|g| g.entries.iter().filter_map(|e| e.interval(family)).collect()).unwrap_or_default()
        }
    };
    RuleShape { protocol: rule.protocol, ports: RuleShape::port_ranges(&rule.ports), remote: merge(remote) }
}

/// Sorts and merges inclusive intervals that overlap or touch.
pub fn merge<T: Copy + Ord + num::Step>(mut intervals: Vec<(T, T)>) -> Vec<(T, T)> {
    intervals.sort_unstable();
    let mut out: Vec<(T, T)> = Vec::with_capacity(intervals.len());
    for (first, last) in intervals {
        match out.last_mut() {
            Some(prev) if prev.1 >= first || prev.1.next() == Some(first) => prev.1 = prev.1.max(last),
            _ => out.push((first, last)),
        }
    }
    out
}

/// The successor of a number, for merging touching intervals.
pub mod num {
    pub trait Step: Sized {
        fn next(self) -> Option<Self>;
    }
    impl Step for u16 {
        fn next(self) -> Option<u16> {
            self.checked_add(1)
        }
    }
    impl Step for u32 {
        fn next(self) -> Option<u32> {
            self.checked_add(1)
        }
    }
    impl Step for u128 {
        fn next(self) -> Option<u128> {
            self.checked_add(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AddressEntry;

    #[test]
    fn merging_joins_overlapping_and_touching_intervals() {
        assert_eq!(merge(vec![(5u16, 9), (1, 3), (4, 4), (20, 30), (25, 26)]), vec![(1, 9), (20, 30)]);
        assert_eq!(merge(vec![(0u128, u128::MAX), (3, 4)]), vec![(0, u128::MAX)]);
    }

    #[test]
    fn a_range_entry_ending_in_the_other_family_runs_to_the_end_of_its_own() {
        let first: IpAddr = "10.0.0.1".parse().unwrap();
        let last: IpAddr = "::1".parse().unwrap();
        let entry = AddressEntry::Range(first, last);
        assert_eq!(entry.interval(Ethertype::IPv4), Some((addr_number(first), u32::MAX as u128)));
        assert!(entry.contains("255.255.255.255".parse().unwrap()));
        assert_eq!(entry.interval(Ethertype::IPv6), None);
        let backwards = AddressEntry::Range(last, first);
        assert!(!backwards.contains("::2".parse().unwrap()));
        assert_eq!(backwards.interval(Ethertype::IPv6), None);
    }
}
