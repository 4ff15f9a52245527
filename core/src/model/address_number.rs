//! Addresses as numbers of their family's space (IPv4 in `0..=2^32-1`, IPv6 in `0..=2^128-1`):
//! what interval arithmetic on remotes and address-group entries works with.

use super::rule::Ethertype;
use std::net::IpAddr;

/// The largest address of a family, as a number.
pub fn family_max(family: Ethertype) -> u128 {
    match family {
        Ethertype::IPv4 => u32::MAX as u128,
        Ethertype::IPv6 => u128::MAX,
    }
}

/// An address as a number in its family's space.
#[inline]
pub fn addr_number(addr: IpAddr) -> u128 {
    match addr {
        IpAddr::V4(a) => u32::from(a) as u128,
        IpAddr::V6(a) => u128::from(a),
    }
}

/// A number of a family's space as an address (IPv4 numbers above 32 bits saturate).
pub fn number_to_addr(n: u128, family: Ethertype) -> IpAddr {
    match family {
        Ethertype::IPv4 => IpAddr::V4(std::net::Ipv4Addr::from(u32::try_from(n).unwrap_or(u32::MAX))),
        Ethertype::IPv6 => IpAddr::V6(std::net::Ipv6Addr::from(n)),
    }
}

/// Do the inclusive intervals (any order, overlapping or not) cover every address of `family`?
pub fn intervals_cover_family(mut intervals: Vec<(u128, u128)>, family: Ethertype) -> bool {
    intervals.sort_unstable();
    let max = family_max(family);
    // `next`: the first address not yet covered; `None` once the top is covered.
    let mut next = Some(0u128);
    for (first, last) in intervals {
        match next {
            Some(n) if first > n => return false,
            Some(n) if last >= n => next = last.checked_add(1).filter(|&a| a <= max),
            Some(_) => {}
            None => break,
        }
    }
    next.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_needs_every_address_up_to_the_top() {
        let v4 = Ethertype::IPv4;
        let top = family_max(v4);
        assert!(intervals_cover_family(vec![(0, top)], v4));
        assert!(intervals_cover_family(vec![(1 << 31, top), (0, (1 << 31) - 1)], v4));
        assert!(intervals_cover_family(vec![(0, 10), (5, 20), (21, top)], v4));
        assert!(!intervals_cover_family(vec![(0, 10), (12, top)], v4));
        assert!(!intervals_cover_family(vec![(0, top - 1)], v4));
        assert!(!intervals_cover_family(vec![(1, top)], v4));
        assert!(!intervals_cover_family(Vec::new(), v4));
        assert!(intervals_cover_family(vec![(0, u128::MAX)], Ethertype::IPv6));
    }
}
