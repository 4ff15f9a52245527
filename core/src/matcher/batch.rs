//! One service's sides against many remotes at once: what the reachability matrix needs.
//!
//! A side is its tables in consultation order; the first naming a rule decides, none means the
//! default deny (the same rule as `Matcher::side`). For a fixed list of remotes, each table's
//! answer for every remote is worked out once, on first use, and kept; a side's row is then a
//! pass over those answers per table of its chain. Instances on the same groups reuse the
//! tables' answers, and one table is read at a time, so the reads stay in cache.

use super::table::NO_RULE;
use super::{side_slot, Matcher, ServiceView};
use crate::model::{Action, Direction, Ethertype};

const UNDECIDED: u8 = 0;
const ALLOW: u8 = 1;
const DENY: u8 = 2;

/// Sides of one service against fixed remotes (address classes per family, `None` where the
/// remote has no address of that family).
pub struct Batch<'v, 'm> {
    view: &'v ServiceView<'m>,
    remotes: [Vec<Option<u32>>; 2],
    /// Per table: its answer (undecided, allow, deny) for every remote of the table's family.
    answers: Vec<Option<Vec<u8>>>,
    state: Vec<u8>,
}

impl<'m> ServiceView<'m> {
    /// A batch over `remotes`: per remote, its class in the IPv4 and the IPv6 space (see
    /// [`Matcher::address_class`]).
    pub fn batch<'v>(&'v self, remotes: [Vec<Option<u32>>; 2]) -> Batch<'v, 'm> {
        Batch { view: self, remotes, answers: vec![None; self.matcher.tables.len()], state: Vec::new() }
    }
}

impl Batch<'_, '_> {
    /// For every remote of `family`: does `instance`'s `direction` side allow this service's
    /// packet with that remote? `out[r]` for remote `r`; remotes without an address of the
    /// family are `false`.
    pub fn row(&mut self, instance: u32, direction: Direction, family: Ethertype, out: &mut Vec<bool>) {
        let f = usize::from(family == Ethertype::IPv6);
        let n = self.remotes[f].len();
        let mut state = std::mem::take(&mut self.state);
        state.clear();
        state.resize(n, UNDECIDED);
        let matcher: &Matcher = self.view.matcher;
        let (start, end) = matcher.instances.get(instance as usize).map_or((0, 0), |e| e.sides[side_slot(direction, family)]);
        for &t in matcher.chains.get(start as usize..end as usize).unwrap_or(&[]) {
            let answers = self.answers_of(t as usize, f);
            for (s, &a) in state.iter_mut().zip(answers) {
                if *s == UNDECIDED {
                    *s = a;
                }
            }
        }
        out.clear();
        out.extend(state.iter().map(|&s| s == ALLOW));
        self.state = state;
    }

    fn answers_of(&mut self, t: usize, f: usize) -> &[u8] {
        if self.answers[t].is_none() {
            let table = &self.view.matcher.tables[t];
            let answers = self.remotes[f]
                .iter()
                .map(|class| match class {
                    None => UNDECIDED,
                    Some(class) => match self.view.lookup(t, table, *class) {
                        NO_RULE => UNDECIDED,
                        pos => match table.rules.get(pos as usize) {
                            Some((_, Action::Allow)) => ALLOW,
                            Some((_, Action::Deny)) => DENY,
                            None => UNDECIDED,
                        },
                    },
                })
                .collect();
            self.answers[t] = Some(answers);
        }
        self.answers[t].as_deref().unwrap_or(&[])
    }
}
