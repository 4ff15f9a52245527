//! A first-match table: rules in evaluation order, compiled into cells of the packet space whose
//! contents is the first rule matching every packet of the cell.
//!
//! The space of one family is protocol × destination port × remote address class:
//! - protocol: a slot per protocol any rule names, one for TCP and one for UDP (the protocols
//!   whose ports count), and slot 0 for every other protocol;
//! - port: in the TCP and UDP slots, the ports cut at every rule's range ends; the runs of ports
//!   with the same applicable rules (in order) share one *port class*, across slots too;
//! - address: the world's [`AddressSpace`] classes (and the unknown public source's), grouped
//!   into *local classes* of this table:
//!   two classes are in one local class when every port class has the same first match for both.
//!
//! A look-up is a byte read (slot), a binary search over the slot's port cuts, two reads (local
//! class, cell): it never allocates and never fails.
//!
//! ## Cost, and the bound on it
//! Building reads each rule's port ranges once per port run it covers (the *lists*) and paints,
//! for each port class, the address classes of its rules in order, skipping classes already
//! painted (`next_unpainted` jumps). With `P` port classes, `G` address classes and `R` rules that
//! is `O(lists + P·G + P·(ranges of R))` time and `P·G` transient memory; the table keeps
//! `G` bytes×2 plus `locals·P` cells. Typical groups (tens of distinct port sets) stay far below
//! a millisecond. A crafted table that would exceed [`LIST_BUDGET`] or [`GRID_BUDGET`] is kept as
//! a [`Scan`] instead: the rules in order, each tested by binary searches, `O(R log)` a look-up.
//! The answer is the same either way; only the speed differs.

use super::address_space::AddressSpace;
use super::port_runs::PortRuns;
use super::shape::RuleShape;
use crate::model::protocol::{TCP, UDP};
use crate::model::ProtocolMatch;
use std::collections::HashMap;

/// No rule of the table matches.
pub const NO_RULE: u32 = u32::MAX;

/// How big a compiled table may grow before it is kept as a [`Scan`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// (port run, rule) entries in the lists.
    pub lists: usize,
    /// (port class × address class) cells painted.
    pub grid: usize,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget { lists: LIST_BUDGET, grid: GRID_BUDGET }
    }
}
/// At most this many (port run, rule) entries in the lists before a table becomes a scan.
pub const LIST_BUDGET: usize = 1 << 22;
/// At most this many (port class × address class) cells painted before a table becomes a scan.
pub const GRID_BUDGET: usize = 1 << 22;

#[derive(Clone, Debug)]
pub enum Table {
    Compiled(Compiled),
    Scan(Scan),
}

impl Table {
    /// `rules` in evaluation order, all of one family; `space` is that family's address classes.
    pub fn build(rules: &[&RuleShape], space: &AddressSpace, max: u128, budget: Budget) -> Table {
        Compiled::build(rules, space, max, budget).map_or_else(|| Table::Scan(Scan::build(rules, space, max)), Table::Compiled)
    }

    /// The compiled layout only: `None` when it would exceed the budget.
    pub fn compile(rules: &[&RuleShape], space: &AddressSpace, max: u128, budget: Budget) -> Option<Table> {
        Compiled::build(rules, space, max, budget).map(Table::Compiled)
    }

    /// Position (in the input list) of the first rule matching, or [`NO_RULE`].
    #[inline]
    pub fn lookup(&self, protocol: u8, port: u16, class: u32) -> u32 {
        match self {
            Table::Compiled(t) => t.lookup(protocol, port, class),
            Table::Scan(t) => t.lookup(protocol, port, class),
        }
    }

    /// The first matching rule of every address class for one protocol and port, taken out of the
    /// cells once (`None` for a scan, which has no cells).
    pub fn column(&self, protocol: u8, port: u16) -> Option<Column<'_>> {
        let Table::Compiled(t) = self else { return None };
        let pc = t.port_class_of(protocol, port);
        let locals = t.cells.len() / t.port_classes.max(1);
        let by_local: Vec<u32> = (0..locals).map(|l| t.cells[l * t.port_classes + pc]).collect();
        Some(Column { by_local, addr_local: &t.addr_local })
    }

    /// Cells held, for the build report.
    pub fn cells(&self) -> usize {
        match self {
            Table::Compiled(t) => t.cells.len(),
            Table::Scan(_) => 0,
        }
    }
}

fn has_ports(protocol: u8) -> bool {
    protocol == TCP || protocol == UDP
}

#[derive(Clone, Debug)]
pub struct Compiled {
    proto_slot: Box<[u8; 256]>,
    /// Per slot, its range in `port_starts` / `port_class`.
    slot_ports: Vec<(u32, u32)>,
    port_starts: Vec<u16>,
    port_class: Vec<u32>,
    port_classes: usize,
    /// Per address class of the space, its local class.
    addr_local: Vec<u16>,
    /// `cells[local * port_classes + port_class]`: position of the first matching rule.
    cells: Vec<u32>,
}

impl Compiled {
    fn build(rules: &[&RuleShape], space: &AddressSpace, max: u128, budget: Budget) -> Option<Compiled> {
        let runs = PortRuns::build(rules, max, 1, false, budget.lists)?;
        let mut proto_slot = Box::new([0u8; 256]);
        for (slot, p) in runs.slots.iter().enumerate() {
            if let Some(p) = p {
                // At most 256 protocols plus slot 0: a slot number fits a byte only up to 255.
                proto_slot[*p as usize] = u8::try_from(slot).ok()?;
            }
        }
        let classes: Vec<Vec<(u32, u32)>> = rules.iter().map(|r| space.remote_classes(&r.remote, max)).collect();
        let class_lists = &runs.class_lists;
        let port_classes = class_lists.len();
        // Every address class, and the unknown public source's.
        let g = space.len() + 1;
        if port_classes.checked_mul(g)? > budget.grid {
            return None;
        }

        // Paint: rows[c * port_classes + pc] = first rule of class pc's list whose remote holds c.
        let mut rows = vec![NO_RULE; g * port_classes];
        let mut next = vec![0u32; g + 1];
        for (pc, list) in class_lists.iter().enumerate() {
            for (i, n) in next.iter_mut().enumerate() {
                *n = i as u32;
            }
            for &pos in list.iter() {
                for &(first, last) in &classes[pos as usize] {
                    let mut c = next_unpainted(&mut next, first);
                    while c <= last {
                        rows[c as usize * port_classes + pc] = pos;
                        next[c as usize] = c + 1;
                        c = next_unpainted(&mut next, c + 1);
                    }
                }
            }
        }

        // Local classes: address classes with the same row.
        let mut local_of_row: HashMap<&[u32], u16> = HashMap::new();
        let mut cells: Vec<u32> = Vec::new();
        let mut addr_local = Vec::with_capacity(g);
        for row in rows.chunks(port_classes.max(1)) {
            let local = match local_of_row.get(row) {
                Some(&l) => l,
                None => {
                    let l = u16::try_from(local_of_row.len()).ok()?;
                    local_of_row.insert(row, l);
                    cells.extend_from_slice(row);
                    l
                }
            };
            addr_local.push(local);
        }
        Some(Compiled {
            proto_slot,
            slot_ports: runs.slot_runs,
            port_starts: runs.starts,
            port_class: runs.class,
            port_classes,
            addr_local,
            cells,
        })
    }

    #[inline]
    fn port_class_of(&self, protocol: u8, port: u16) -> usize {
        let slot = self.proto_slot[protocol as usize] as usize;
        // INVARIANT: every slot number in `proto_slot` has its range, each range starts with port 0.
        let (a, b) = self.slot_ports[slot];
        let starts = &self.port_starts[a as usize..b as usize];
        let run = a as usize + starts.partition_point(|&s| s <= port) - 1;
        self.port_class[run] as usize
    }

    #[inline]
    fn lookup(&self, protocol: u8, port: u16, class: u32) -> u32 {
        let pc = self.port_class_of(protocol, port);
        let Some(&local) = self.addr_local.get(class as usize) else { return NO_RULE };
        self.cells[local as usize * self.port_classes + pc]
    }
}

/// One service's first matching rule per address class of the space.
#[derive(Clone, Debug)]
pub struct Column<'t> {
    by_local: Vec<u32>,
    addr_local: &'t [u16],
}

impl Column<'_> {
    #[inline]
    pub fn lookup(&self, class: u32) -> u32 {
        let Some(&local) = self.addr_local.get(class as usize) else { return NO_RULE };
        self.by_local.get(local as usize).copied().unwrap_or(NO_RULE)
    }
}

/// The first unpainted class at or after `c` (path halving).
fn next_unpainted(next: &mut [u32], mut c: u32) -> u32 {
    while next[c as usize] != c {
        let skip = next[next[c as usize] as usize];
        next[c as usize] = skip;
        c = skip;
    }
    c
}

/// The rules in order, each tested directly: the fallback for crafted tables too big to compile.
#[derive(Clone, Debug)]
pub struct Scan {
    rules: Vec<ScanRule>,
}

#[derive(Clone, Debug)]
struct ScanRule {
    protocol: ProtocolMatch,
    ports: Option<Vec<(u16, u16)>>,
    classes: Vec<(u32, u32)>,
}

impl Scan {
    fn build(rules: &[&RuleShape], space: &AddressSpace, max: u128) -> Scan {
        let rules = rules
            .iter()
            .map(|r| ScanRule { protocol: r.protocol, ports: r.ports.clone(), classes: space.remote_classes(&r.remote, max) })
            .collect();
        Scan { rules }
    }

    fn lookup(&self, protocol: u8, port: u16, class: u32) -> u32 {
        for (pos, r) in self.rules.iter().enumerate() {
            if !r.protocol.matches(protocol) {
                continue;
            }
            if let (Some(ports), true) = (&r.ports, has_ports(protocol)) {
                if !in_ranges(ports, port) {
                    continue;
                }
            }
            if in_ranges(&r.classes, class) {
                return pos as u32;
            }
        }
        NO_RULE
    }
}

/// Is `x` in one of the sorted, disjoint inclusive `ranges`?
fn in_ranges<T: Ord + Copy>(ranges: &[(T, T)], x: T) -> bool {
    let i = ranges.partition_point(|&(_, last)| last < x);
    ranges.get(i).is_some_and(|&(first, _)| first <= x)
}
