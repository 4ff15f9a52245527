//! One family's addresses cut into classes: every address of a class is in exactly the same
//! remote sets of every rule of the world, and holds the same owner.
//!
//! The cut points are the first address and the address after the last of every interval any
//! rule's remote covers (CIDR blocks, address-group entries and ranges, members' private IPs),
//! plus every address an instance holds, as an interval of its own. Class `k` is the addresses
//! from `starts[k]` up to `starts[k + 1] - 1`. One binary search names a packet address's class
//! and, through it, the instance holding it: the matcher needs no other look-up. One more class,
//! past the last, stands for an unknown public source ([`AddressSpace::unknown_class`]).

use crate::model::AddressKind;

/// An inclusive interval of addresses of one family, as numbers.
pub type Interval = (u128, u128);

/// Class starts, sorted, distinct, the first 0. IPv4 keeps 32-bit keys: half the bytes to search.
#[derive(Clone, Debug)]
enum Starts {
    V4(Vec<u32>),
    V6(Vec<u128>),
}

/// The classes of one family.
#[derive(Clone, Debug)]
pub struct AddressSpace {
    starts: Starts,
    /// Addresses instances hold → their class: packets mostly start and end at instances, and a
    /// hash probe is cheaper than the binary search. The search answers for every other address.
    held: HeldIndex,
    /// Per class: the instance (index into `World::instances`) holding it, when it holds one.
    owners: Vec<Option<(u32, AddressKind)>>,
}

impl AddressSpace {
    /// `intervals`: every interval some rule covers; `held`: every address an instance holds,
    /// in world order (the first holder of an address owns it, as `World::owner_of` says).
    pub fn build(max: u128, intervals: impl Iterator<Item = Interval>, held: &[(u128, u32, AddressKind)]) -> AddressSpace {
        let mut starts = vec![0u128];
        let mut cut = |first: u128, last: u128| {
            starts.push(first);
            if last < max {
                starts.push(last + 1);
            }
        };
        for (first, last) in intervals {
            cut(first, last);
        }
        for &(addr, _, _) in held {
            cut(addr, addr);
        }
        starts.sort_unstable();
        starts.dedup();
        let owners = vec![None; starts.len()];
        let starts = if max <= u32::MAX as u128 { Starts::V4(starts.into_iter().map(|s| s as u32).collect()) } else { Starts::V6(starts) };
        let mut space = AddressSpace { owners, starts, held: HeldIndex::default() };
        let classes: Vec<(u128, u32)> = held.iter().map(|&(addr, _, _)| (addr, space.search(addr))).collect();
        space.held = HeldIndex::build(&classes);
        for &(addr, instance, kind) in held {
            let class = space.class_of(addr) as usize;
            // INVARIANT: `addr` is a class of its own, so the class is exactly this address.
            if space.owners[class].is_none() {
                space.owners[class] = Some((instance, kind));
            }
        }
        space
    }

    pub fn len(&self) -> usize {
        self.owners.len()
    }

    /// The class of an unknown public source ([`crate::eval::RemoteAddress::UnknownPublic`]): one
    /// past the address classes, held only by remotes that cover every address of the family.
    /// Tables keep an entry for it; the analyses, which enumerate addresses, never meet it.
    pub fn unknown_class(&self) -> u32 {
        self.owners.len() as u32
    }

    /// The classes of a rule's remote (sorted, merged intervals of the family), as ranges, with
    /// the unknown source's class when the remote holds every address.
    pub fn remote_classes(&self, remote: &[Interval], max: u128) -> Vec<(u32, u32)> {
        let mut classes: Vec<(u32, u32)> = remote.iter().map(|&iv| self.classes(iv)).collect();
        if remote.first() == Some(&(0, max)) {
            classes.push((self.unknown_class(), self.unknown_class()));
        }
        classes
    }

    pub fn is_empty(&self) -> bool {
        self.owners.is_empty()
    }

    /// The class holding `addr` (a number of this space's family).
    #[inline]
    pub fn class_of(&self, addr: u128) -> u32 {
        match self.held.get(addr) {
            Some(class) => class,
            None => self.search(addr),
        }
    }

    fn search(&self, addr: u128) -> u32 {
        // INVARIANT: the first start is 0, so at least one start is <= addr.
        let after = match &self.starts {
            Starts::V4(starts) => {
                let addr = u32::try_from(addr).unwrap_or(u32::MAX);
                starts.partition_point(|&s| s <= addr)
            }
            Starts::V6(starts) => starts.partition_point(|&s| s <= addr),
        };
        (after - 1) as u32
    }

    #[inline]
    pub fn owner(&self, class: u32) -> Option<(u32, AddressKind)> {
        self.owners.get(class as usize).copied().flatten()
    }

    /// The classes an interval spans, first and last (inclusive). The interval's ends are cut
    /// points when it was given to `build`.
    pub fn classes(&self, (first, last): Interval) -> (u32, u32) {
        (self.class_of(first), self.class_of(last))
    }

    /// The first address of a class: an example address for reports.
    pub fn first_address(&self, class: u32) -> u128 {
        self.start(class as usize).unwrap_or(0)
    }

    /// The last address of a class.
    pub fn last_address(&self, class: u32, max: u128) -> u128 {
        self.start(class as usize + 1).map_or(max, |next| next - 1)
    }

    fn start(&self, class: usize) -> Option<u128> {
        match &self.starts {
            Starts::V4(starts) => starts.get(class).map(|&s| s as u128),
            Starts::V6(starts) => starts.get(class).copied(),
        }
    }
}

/// An open-addressing hash table (linear probing, power-of-two size, at most half full) from
/// held addresses to their classes.
#[derive(Clone, Debug, Default)]
struct HeldIndex {
    slots: Vec<(u128, u32)>,
    shift: u32,
}

const EMPTY: u32 = u32::MAX;

impl HeldIndex {
    fn build(entries: &[(u128, u32)]) -> HeldIndex {
        let bits = (entries.len().max(1) * 2).next_power_of_two().trailing_zeros().max(1);
        let mut index = HeldIndex { slots: vec![(0, EMPTY); 1 << bits], shift: 64 - bits };
        let mask = index.slots.len() - 1;
        for &(addr, class) in entries {
            let mut i = index.home(addr);
            while index.slots[i].1 != EMPTY && index.slots[i].0 != addr {
                i = (i + 1) & mask;
            }
            index.slots[i] = (addr, class);
        }
        index
    }

    #[inline]
    fn home(&self, addr: u128) -> usize {
        let folded = (addr as u64) ^ ((addr >> 64) as u64);
        (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    #[inline]
    fn get(&self, addr: u128) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(addr);
        loop {
            let (key, class) = self.slots[i];
            if class == EMPTY {
                return None;
            }
            if key == addr {
                return Some(class);
            }
            i = (i + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_split_at_every_interval_end_and_held_address() {
        let space = AddressSpace::build(255, [(10, 20), (15, 30)].into_iter(), &[(12, 7, AddressKind::Private)]);
        // Cuts: 0, 10, 12, 13, 15, 21, 31.
        assert_eq!(space.len(), 7);
        assert_eq!(space.class_of(0), 0);
        assert_eq!(space.class_of(11), 1);
        assert_eq!(space.class_of(12), 2);
        assert_eq!(space.owner(2), Some((7, AddressKind::Private)));
        assert_eq!(space.held.get(12), Some(2));
        assert_eq!(space.held.get(11), None);
        assert_eq!(space.owner(1), None);
        assert_eq!(space.classes((15, 30)), (4, 5));
        assert_eq!(space.class_of(255), 6);
        assert_eq!(space.last_address(6, 255), 255);
    }

    #[test]
    fn the_first_holder_owns_an_address() {
        let held = [(5, 1, AddressKind::Virtual), (5, 0, AddressKind::Private)];
        let space = AddressSpace::build(u128::MAX, std::iter::empty(), &held);
        assert_eq!(space.owner(space.class_of(5)), Some((1, AddressKind::Virtual)));
    }
}
