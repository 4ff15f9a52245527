//! The protocol × destination-port half of the packet space of one ordered rule list, shared by
//! the compiled tables (`table.rs`) and the exact analyses (`analysis::space`).
//!
//! Protocols get a *slot* each: one per protocol a rule names, one each for TCP and UDP (the
//! protocols whose ports count), and slot 0 for every other protocol. In the TCP and UDP slots
//! the ports are cut at every applying rule's range ends into *runs*; other slots are one run.
//! Each run lists the rules applying to it, in order, stopping after `keep_full` rules that
//! cover every address (nothing later can be first, or second, there). Runs with the same list
//! form one *port class*, across slots too.

use super::shape::{port_cuts, RuleShape};
use crate::model::protocol::{TCP, UDP};
use crate::model::ProtocolMatch;
use std::collections::HashMap;

#[derive(Clone, Debug)]
pub struct PortRuns {
    /// Per slot, its protocol (`None`: every protocol no rule names).
    pub slots: Vec<Option<u8>>,
    /// Per slot, its runs' range in `starts` / `class`.
    pub slot_runs: Vec<(u32, u32)>,
    /// First port of each run.
    pub starts: Vec<u16>,
    /// Each run's port class.
    pub class: Vec<u32>,
    /// Each port class's rules (positions in the input list), in order.
    pub class_lists: Vec<Vec<u32>>,
    /// Per rule, the runs it covers (whether or not the list kept it); empty unless asked for.
    pub rule_runs: Vec<Vec<u32>>,
}

impl PortRuns {
    /// `None` when the lists (and `rule_runs`, when `record_rule_runs`) would hold more than
    /// `budget` entries.
    pub fn build(rules: &[&RuleShape], max: u128, keep_full: u8, record_rule_runs: bool, budget: usize) -> Option<PortRuns> {
        let mut slots: Vec<Option<u8>> = vec![None, Some(TCP), Some(UDP)];
        for r in rules {
            if let ProtocolMatch::Number(n) = r.protocol {
                if !slots.contains(&Some(n)) {
                    slots.push(Some(n));
                }
            }
        }
        let covers_all: Vec<bool> = rules.iter().map(|r| r.covers_every_address(max)).collect();
        let (mut slot_runs, mut starts, mut lists) = (Vec::with_capacity(slots.len()), Vec::new(), Vec::<Vec<u32>>::new());
        let mut rule_runs: Vec<Vec<u32>> = vec![Vec::new(); rules.len()];
        let mut listed = 0usize;
        for &p in &slots {
            let ported = matches!(p, Some(TCP | UDP));
            let cuts = if ported { port_cuts(rules.iter().copied().filter(|r| r.applies_to(p))) } else { vec![0] };
            let base = lists.len();
            lists.resize(base + cuts.len(), Vec::new());
            let run_of = |port: u16| cuts.partition_point(|&s| s <= port) - 1;
            let mut full = vec![0u8; cuts.len()];
            for (pos, r) in rules.iter().enumerate() {
                if !r.applies_to(p) {
                    continue;
                }
                let spans: Vec<(usize, usize)> = match (&r.ports, ported) {
                    (Some(ranges), true) => ranges.iter().map(|&(a, b)| (run_of(a), run_of(b))).collect(),
                    _ => vec![(0, cuts.len() - 1)],
                };
                for (a, b) in spans {
                    if record_rule_runs {
                        rule_runs[pos].extend((a..=b).map(|k| (base + k) as u32));
                        listed += b - a + 1;
                    }
                    for k in a..=b {
                        if full[k] < keep_full {
                            lists[base + k].push(pos as u32);
                            full[k] += u8::from(covers_all[pos]);
                            listed += 1;
                        }
                    }
                }
                if listed > budget {
                    return None;
                }
            }
            slot_runs.push((starts.len() as u32, (starts.len() + cuts.len()) as u32));
            starts.extend(cuts);
        }
        let mut class_of_list: HashMap<&[u32], u32> = HashMap::new();
        let mut class_lists: Vec<Vec<u32>> = Vec::new();
        let class: Vec<u32> = lists
            .iter()
            .map(|l| {
                *class_of_list.entry(l.as_slice()).or_insert_with(|| {
                    class_lists.push(l.clone());
                    (class_lists.len() - 1) as u32
                })
            })
            .collect();
        Some(PortRuns { slots, slot_runs, starts, class, class_lists, rule_runs })
    }

    /// The last port of run `k`.
    pub fn run_last(&self, k: usize) -> u16 {
        let next_in_slot =
            self.slot_runs.iter().find(|&&(a, b)| (a as usize..b as usize).contains(&k)).is_some_and(|&(_, b)| k + 1 < b as usize);
        if next_in_slot {
            self.starts[k + 1] - 1
        } else {
            u16::MAX
        }
    }

    /// The protocol of run `k`'s slot.
    pub fn run_protocol(&self, k: usize) -> Option<u8> {
        let slot = self.slot_runs.iter().position(|&(a, b)| (a as usize..b as usize).contains(&k))?;
        self.slots[slot]
    }
}
