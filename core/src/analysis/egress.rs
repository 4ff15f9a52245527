//! Instances that can send nothing, decided exactly.
//!
//! An instance can send a packet when, for some family it has an address of, some packet of its
//! outbound side is decided by an allow rule. That side is its outbound rules of the family in
//! the one evaluation order ([`crate::eval::instance_order`]); [`RuleSpace`] cuts its packet
//! space (protocol × destination port × destination address) into cells on which every rule is
//! all-or-nothing, so "no cell's first rule is an allow" is a proof that nothing gets out, and an
//! allow's cell is an example of what does. An allow rule under a deny that covers it, or
//! several denies that cover it together, is judged right; a rule-by-rule look ("is there an
//! outbound allow?") is not.
//!
//! Cost: one [`RuleSpace`] per distinct (group list, family), shared by the instances that have
//! it, and a scan of the allow rules' cells that stops at the first one they decide. A side past
//! [`crate::analysis::space::GRID_LIMIT`] cells is left undecided: no finding, never a guess.

use super::space::RuleSpace;
use crate::eval::instance_order;
use crate::matcher::shape::{family_max, shape, MemberIndex, RuleShape};
use crate::model::{Action, Direction, Ethertype, Instance, World};
use std::collections::HashMap;

/// What an instance's outbound rules let out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Egress {
    /// Some packet gets out.
    Sends,
    /// No outbound rule allows anything.
    NoAllowRule,
    /// Allow rules exist, but rules before them in evaluation order decide every packet they match.
    AllowsHidden,
    /// Too large to decide exactly.
    Undecided,
}

/// Per instance with security groups, what its outbound rules let out (instances without a group
/// are not filtered and are left out).
pub fn egress(world: &World) -> Vec<(usize, Egress)> {
    let members = MemberIndex::build(&world.instances);
    let mut by_side: HashMap<(&[String], Ethertype), Egress> = HashMap::new();
    let mut out = Vec::new();
    for (i, inst) in world.instances.iter().enumerate() {
        if inst.security_groups.is_empty() {
            continue;
        }
        let mut sides = Vec::new();
        for family in [Ethertype::IPv4, Ethertype::IPv6] {
            if inst.private_ip(family).is_none() {
                continue;
            }
            let side = *by_side.entry((inst.security_groups.as_slice(), family)).or_insert_with(|| side(world, &members, inst, family));
            sides.push(side);
        }
        if !sides.is_empty() {
            out.push((i, combine(&sides)));
        }
    }
    out
}

/// One family's outbound side of `inst`.
fn side(world: &World, members: &MemberIndex<'_>, inst: &Instance, family: Ethertype) -> Egress {
    let ranked: Vec<_> = instance_order(world, inst, Direction::Egress).into_iter().filter(|r| r.rule.ethertype == family).collect();
    if !ranked.iter().any(|r| r.rule.action == Action::Allow) {
        return Egress::NoAllowRule;
    }
    let shapes: Vec<RuleShape> = ranked.iter().map(|r| shape(world, members, r.rule)).collect();
    let list: Vec<&RuleShape> = shapes.iter().collect();
    let Ok(space) = RuleSpace::build(&list, family_max(family)) else { return Egress::Undecided };
    let decides_a_cell = |pos: usize| space.cells_of(pos).any(|cell| space.first(cell) == pos as u32);
    if ranked.iter().enumerate().any(|(pos, r)| r.rule.action == Action::Allow && decides_a_cell(pos)) {
        Egress::Sends
    } else {
        Egress::AllowsHidden
    }
}

/// The instance sends when one of its families does; it sends nothing when none does.
fn combine(sides: &[Egress]) -> Egress {
    if sides.contains(&Egress::Sends) {
        Egress::Sends
    } else if sides.contains(&Egress::Undecided) {
        Egress::Undecided
    } else if sides.contains(&Egress::AllowsHidden) {
        Egress::AllowsHidden
    } else {
        Egress::NoAllowRule
    }
}
