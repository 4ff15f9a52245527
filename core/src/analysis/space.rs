//! The packet space of one ordered rule list, cut into cells, with the first and the second
//! rule matching each cell: the exact ground every whole-policy answer stands on.
//!
//! ## Why cells, and not a decision diagram
//! One side's packet space is protocol × destination port × remote address, and every rule is a
//! product of three *interval sets* (its protocols, its port ranges, its address intervals, with
//! remote groups and address groups resolved to addresses). Cutting each dimension at every
//! rule's interval ends gives elementary intervals on which every rule is all-or-nothing, so a
//! finite grid of cells describes every packet exactly: a statement about every cell is a proof
//! about every packet, and any cell gives an example packet. BDDs would give the same exactness
//! with a variable order to tune and no bound we could state; interval cells give both, and
//! they are what the compiled matcher already uses.
//!
//! ## The cells
//! - Protocol: a slot per protocol a rule names, one each for TCP and UDP (whose ports count),
//!   and one for every other protocol.
//! - Port: in the TCP and UDP slots, runs between the rules' port range ends. Runs (of any slot)
//!   to which the same rules apply form one *port class*.
//! - Address: intervals between the rules' address interval ends (*address classes*).
//!
//! For each port class and address class the space keeps the first and the second matching rule
//! in list order. "First" is what decides; "second" is what would decide without the first,
//! which is what redundancy needs.
//!
//! ## Cost and its bound
//! With `P` port classes, `A` address classes and `R` rules: building the lists is
//! `O(Σ runs a rule covers)`, painting is `O(P·(A + intervals))` (each cell is painted at most
//! twice; a skip list jumps over finished cells), and the space holds `2·P·A` cells. `P` is at
//! most `2R + 3` and `A` at most twice the rules' address intervals, so the worst case is
//! quadratic in the rules; typical lists (tens of distinct port sets) are linear. A list whose
//! grid would exceed [`GRID_LIMIT`] cells is refused with [`TooLarge`], and the caller says so
//! instead of guessing: a crafted file costs seconds at most, never minutes.

use crate::matcher::port_runs::PortRuns;
use crate::matcher::shape::{address_cuts, RuleShape};

/// The most cells (port classes × address classes) one space may hold.
pub const GRID_LIMIT: usize = 1 << 23;
/// No rule: the cell falls through the list.
pub const NONE: u32 = u32::MAX;

/// A list too big to analyse exactly within the limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLarge {
    pub cells: usize,
}

/// One run of ports of one protocol slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortRun {
    /// `None`: any protocol no rule names.
    pub protocol: Option<u8>,
    pub first: u16,
    pub last: u16,
    pub class: u32,
}

#[derive(Clone, Debug)]
pub struct RuleSpace {
    pub max: u128,
    /// Every run of every slot; runs of one class may be scattered over slots.
    pub runs: Vec<PortRun>,
    pub port_classes: usize,
    /// Address class starts, sorted, the first 0.
    pub addr_starts: Vec<u128>,
    /// Per rule (list position): the port classes it covers.
    pub rule_port_classes: Vec<Vec<u32>>,
    /// Per rule: its address classes, as inclusive ranges.
    pub rule_addr_classes: Vec<Vec<(u32, u32)>>,
    /// `first[pc * A + ac]`, `second[…]`: list positions, or [`NONE`].
    first: Vec<u32>,
    second: Vec<u32>,
}

/// A cell: a port class and an address class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cell {
    pub port_class: u32,
    pub addr_class: u32,
}

impl RuleSpace {
    /// `rules` in evaluation order, all of one family (`max` is its largest address).
    pub fn build(rules: &[&RuleShape], max: u128) -> Result<RuleSpace, TooLarge> {
        // Address classes from the rules' own interval ends.
        let addr_starts = address_cuts(rules.iter().copied(), max);
        let class_of = |a: u128| (addr_starts.partition_point(|&s| s <= a) - 1) as u32;
        let rule_addr_classes: Vec<Vec<(u32, u32)>> =
            rules.iter().map(|r| r.remote.iter().map(|&(f, l)| (class_of(f), class_of(l))).collect()).collect();
        // Port runs and classes; a run's list stops after its second rule covering every address
        // (nothing later is first or second there).
        let port_runs = PortRuns::build(rules, max, 2, true, GRID_LIMIT).ok_or(TooLarge { cells: GRID_LIMIT })?;
        let runs: Vec<PortRun> = (0..port_runs.starts.len())
            .map(|k| PortRun {
                protocol: port_runs.run_protocol(k),
                first: port_runs.starts[k],
                last: port_runs.run_last(k),
                class: port_runs.class[k],
            })
            .collect();
        let rule_port_classes: Vec<Vec<u32>> = port_runs
            .rule_runs
            .iter()
            .map(|rs| {
                let mut pcs: Vec<u32> = rs.iter().map(|&k| port_runs.class[k as usize]).collect();
                pcs.sort_unstable();
                pcs.dedup();
                pcs
            })
            .collect();
        let class_lists = &port_runs.class_lists;
        let (pcs, acs) = (class_lists.len(), addr_starts.len());
        let cells = pcs.saturating_mul(acs);
        if cells > GRID_LIMIT {
            return Err(TooLarge { cells });
        }
        let mut first = vec![NONE; cells];
        let mut second = vec![NONE; cells];
        let mut next = vec![0u32; acs + 1];
        for (pc, list) in class_lists.iter().enumerate() {
            for (i, n) in next.iter_mut().enumerate() {
                *n = i as u32;
            }
            let row = pc * acs;
            for &pos in list.iter() {
                for &(a, b) in &rule_addr_classes[pos as usize] {
                    let mut c = skip(&mut next, a);
                    while c <= b {
                        let cell = row + c as usize;
                        if first[cell] == NONE {
                            first[cell] = pos;
                        } else {
                            second[cell] = pos;
                            next[c as usize] = c + 1;
                        }
                        c = skip(&mut next, c + 1);
                    }
                }
            }
        }
        Ok(RuleSpace { max, runs, port_classes: pcs, addr_starts, rule_port_classes, rule_addr_classes, first, second })
    }

    pub fn addr_classes(&self) -> usize {
        self.addr_starts.len()
    }

    fn at(&self, cell: Cell) -> usize {
        cell.port_class as usize * self.addr_starts.len() + cell.addr_class as usize
    }

    /// The rule deciding `cell`, or [`NONE`].
    pub fn first(&self, cell: Cell) -> u32 {
        self.first.get(self.at(cell)).copied().unwrap_or(NONE)
    }

    /// The rule that would decide `cell` without its first, or [`NONE`].
    pub fn second(&self, cell: Cell) -> u32 {
        self.second.get(self.at(cell)).copied().unwrap_or(NONE)
    }

    /// Every cell the rule at `pos` matches (whoever decides it).
    pub fn cells_of(&self, pos: usize) -> impl Iterator<Item = Cell> + '_ {
        let pcs = self.rule_port_classes.get(pos).map_or(&[][..], |v| v.as_slice());
        let acs = self.rule_addr_classes.get(pos).map_or(&[][..], |v| v.as_slice());
        pcs.iter().flat_map(move |&pc| acs.iter().flat_map(move |&(a, b)| (a..=b).map(move |ac| Cell { port_class: pc, addr_class: ac })))
    }

    /// A representative packet of a cell: a protocol (for the "other" slot, the first number no
    /// rule names), a port, an address.
    pub fn example(&self, cell: Cell) -> Option<(u8, u16, u128)> {
        let run = self.runs.iter().find(|r| r.class == cell.port_class)?;
        let protocol = match run.protocol {
            Some(p) => p,
            None => (0..=255u8).find(|p| !self.runs.iter().any(|r| r.protocol == Some(*p)))?,
        };
        let addr = *self.addr_starts.get(cell.addr_class as usize)?;
        Some((protocol, run.first, addr))
    }

    /// The addresses of an address class, inclusive.
    pub fn addr_range(&self, class: u32) -> (u128, u128) {
        let first = self.addr_starts.get(class as usize).copied().unwrap_or(0);
        let last = self.addr_starts.get(class as usize + 1).map_or(self.max, |n| n - 1);
        (first, last)
    }
}

/// The first class at or after `c` still open to painting (path halving).
fn skip(next: &mut [u32], mut c: u32) -> u32 {
    while next[c as usize] != c {
        let jump = next[next[c as usize] as usize];
        next[c as usize] = jump;
        c = jump;
    }
    c
}
