//! Shadowed and redundant rules, exactly, over the whole packet space.
//!
//! - **Shadowed**: the rule decides no packet at all, and rules of the other action decide some
//!   of what it matches: it never takes effect. Either inside its own group (rules before it in
//!   the group's order cover it, alone or together), or for every instance the group is on (rules
//!   of earlier groups, together with its own group's, cover it on every such instance). The
//!   finding names every rule that decides some packet the shadowed rule matches: together they
//!   cover it (Batfish's "blocking lines").
//! - **Redundant**: removing the rule changes no verdict on any instance of its group. Either it
//!   decides nothing and only rules of its own action cover it (an allow under a broader allow),
//!   or it decides packets but wherever it does, the rule that would decide without it has the
//!   same action (or, with no such rule, the default deny agrees with a deny rule).
//! - **Matches nothing**: the rule's remote holds no address (a remote group without members, an
//!   empty IP address group): it is shadowed by nothing, it simply never applies.
//!
//! A group on no instance is judged on its own, as if it were an instance's only group.
//!
//! Every verdict comes from [`RuleSpace`] cells, so "shadowed" is a proof over every packet and
//! every finding carries an example packet (one the rule matches, and who decides it instead).
//! Cost: one space per group and direction and family, and one per distinct side (instances with
//! the same group list share it); see `space.rs` for the bound on each.

use super::space::{Cell, RuleSpace, TooLarge};
use crate::eval::{group_order, instance_order};
use crate::matcher::shape::{family_max, number_to_addr, shape, MemberIndex, RuleShape};
use crate::model::{Action, Direction, Ethertype, World};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleFindingKind {
    Shadowed,
    Redundant,
    MatchesNothing,
}

/// Where a shadowed rule is shadowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Rules of its own group cover it, whatever instance the group is on.
    Group,
    /// On every instance the group is on (`instances` of them), earlier rules cover it.
    Instances { instances: usize },
}

/// A rule by its ids and its place in the world.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RuleName {
    pub group: String,
    pub rule: String,
    /// Index into `World::security_groups` and that group's rules (as the model holds them).
    #[serde(skip)]
    pub at: (usize, usize),
}

/// A packet of one side, as an example: what the rule looks at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SidePacket {
    pub direction: Direction,
    pub protocol: u8,
    /// For TCP and UDP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// The source for inbound rules, the destination for outbound.
    pub remote: IpAddr,
    /// The rule that decides this packet instead (for a shadowed rule), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<RuleName>,
    /// The instance it was judged on, when an instance's side was analysed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleFinding {
    pub kind: RuleFindingKind,
    pub rule: RuleName,
    pub action: Action,
    pub direction: Direction,
    pub ethertype: Ethertype,
    pub scope: Scope,
    /// The rules that decide what this rule would: together they cover it.
    pub covered_by: Vec<RuleName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<SidePacket>,
}

/// An analysis that could not be done exactly within the limits (a crafted or huge list).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub what: String,
    pub cells: usize,
    /// Skipped because the whole analysis's budget was spent, not because this list is too big.
    pub budget_spent: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ShadowReport {
    pub findings: Vec<RuleFinding>,
    /// For every rule that decides some packet: one it decides (on an instance of its group, or
    /// in its group alone when the group is on none).
    pub witnesses: Vec<(RuleName, SidePacket)>,
    pub skipped: Vec<Skipped>,
}

/// What one space says about one rule of its list.
#[derive(Clone, Debug, Default)]
struct Judgement {
    /// It decides some packet.
    live: bool,
    /// Wherever it decides, the rule after it (or the default deny) decides the same way.
    redundant: bool,
    /// Live: the rules that take over where it decides. Not live: the rules that decide what it
    /// matches.
    covered_by: BTreeSet<(usize, usize)>,
    /// Not live: a cell it matches (decided by another rule). Live: a cell it decides.
    example: Option<Cell>,
}

/// One pass over every cell for who decides and who would take over; then, for the rules that
/// decide nothing, a pass over their own cells for who covers them.
fn judge_all(space: &RuleSpace, list: &[(usize, usize)], world: &World) -> Vec<Judgement> {
    let action = |p: u32| -> Action { list.get(p as usize).map_or(Action::Deny, |&(g, r)| world.security_groups[g].rules[r].action) };
    let mut out = vec![Judgement { redundant: true, ..Judgement::default() }; list.len()];
    for port_class in 0..space.port_classes as u32 {
        for addr_class in 0..space.addr_classes() as u32 {
            let cell = Cell { port_class, addr_class };
            let first = space.first(cell);
            let Some(j) = out.get_mut(first as usize) else { continue };
            j.live = true;
            j.example.get_or_insert(cell);
            // Without the first rule the second decides; with no second, the default deny.
            let second = space.second(cell);
            if action(second) != action(first) {
                j.redundant = false;
            } else if let Some(&at) = list.get(second as usize) {
                j.covered_by.insert(at);
            }
        }
    }
    for (pos, j) in out.iter_mut().enumerate() {
        if j.live {
            if !j.redundant {
                j.covered_by.clear();
            }
            continue;
        }
        j.redundant = false;
        j.example = None;
        for cell in space.cells_of(pos) {
            if let Some(&at) = list.get(space.first(cell) as usize) {
                j.covered_by.insert(at);
                j.example.get_or_insert(cell);
            }
        }
    }
    out
}

/// What the sides a rule is on said about it, together.
#[derive(Clone, Debug)]
struct AcrossSides {
    live: bool,
    redundant: bool,
    covered_by: BTreeSet<(usize, usize)>,
}

/// The cells all spaces of one analysis may hold together ([`shadowed_rules`]); validation uses
/// [`VALIDATION_BUDGET`], `sgplay lint` this.
pub const ANALYSIS_BUDGET: usize = 1 << 26;
/// What validating a scenario spends on the analysis: it runs on every edit in the playground.
pub const VALIDATION_BUDGET: usize = 1 << 21;

/// Shadowed, redundant and empty rules, within [`ANALYSIS_BUDGET`].
pub fn shadowed_rules(world: &World) -> ShadowReport {
    shadowed_rules_within(world, ANALYSIS_BUDGET)
}

/// The same, spending at most about `budget` cells (plus one space) in all. Lists left when the
/// budget is spent are not analysed and are reported as skipped, never guessed.
pub fn shadowed_rules_within(world: &World, budget: usize) -> ShadowReport {
    let members = MemberIndex::build(&world.instances);
    let shapes: Vec<Vec<RuleShape>> =
        world.security_groups.iter().map(|g| g.rules.iter().map(|r| shape(world, &members, r)).collect()).collect();
    let group_index: HashMap<&str, usize> = world.security_groups.iter().enumerate().map(|(i, g)| (g.id.as_str(), i)).collect();
    let name = |(g, r): (usize, usize)| RuleName {
        group: world.security_groups[g].id.clone(),
        rule: world.security_groups[g].rules[r].id.clone(),
        at: (g, r),
    };
    // Distinct sides: instances with the same group list share one (the first stands for all).
    let mut sides: Vec<(Vec<usize>, usize)> = Vec::new();
    let mut seen: HashMap<Vec<usize>, ()> = HashMap::new();
    for (i, inst) in world.instances.iter().enumerate() {
        let groups: Vec<usize> = inst.security_groups.iter().filter_map(|g| group_index.get(g.as_str()).copied()).collect();
        if !groups.is_empty() && seen.insert(groups.clone(), ()).is_none() {
            sides.push((groups, i));
        }
    }
    let mut on_instances = vec![0usize; world.security_groups.len()];
    for inst in &world.instances {
        for g in inst.security_groups.iter().filter_map(|g| group_index.get(g.as_str())) {
            on_instances[*g] += 1;
        }
    }
    let instances_of = |g: usize| on_instances[g];

    let mut report = ShadowReport::default();
    let (mut spent, mut over) = (0usize, 0usize);
    for family in [Ethertype::IPv4, Ethertype::IPv6] {
        let max = family_max(family);
        for direction in [Direction::Ingress, Direction::Egress] {
            let build =
                |list: &[(usize, usize)], what: &dyn Fn() -> String, skipped: &mut Vec<Skipped>, spent: &mut usize, over: &mut usize| {
                    if *spent >= budget {
                        *over += 1;
                        return None;
                    }
                    let refs: Vec<&RuleShape> = list.iter().map(|&(g, r)| &shapes[g][r]).collect();
                    let space = RuleSpace::build(&refs, max)
                        .map_err(|TooLarge { cells }| skipped.push(Skipped { what: what(), cells, budget_spent: false }))
                        .ok()?;
                    *spent += space.port_classes * space.addr_classes();
                    Some(space)
                };
            // 1. Each group alone: shadowed inside the group, whatever instance it is on.
            let mut alone: HashMap<(usize, usize), Judgement> = HashMap::new();
            for (g, group) in world.security_groups.iter().enumerate() {
                let list: Vec<(usize, usize)> =
                    group_order(group, direction).into_iter().filter(|&i| group.rules[i].ethertype == family).map(|i| (g, i)).collect();
                if list.is_empty() {
                    continue;
                }
                let what = || format!("{} {family} rules of security group `{}`", direction.label(), group.id);
                let Some(space) = build(&list, &what, &mut report.skipped, &mut spent, &mut over) else { continue };
                for (pos, j) in judge_all(&space, &list, world).into_iter().enumerate() {
                    let at = list[pos];
                    if !j.live {
                        let kind = dead_kind(world, at, &j.covered_by);
                        report.findings.push(RuleFinding {
                            kind,
                            rule: name(at),
                            action: world.security_groups[at.0].rules[at.1].action,
                            direction,
                            ethertype: family,
                            scope: Scope::Group,
                            covered_by: j.covered_by.iter().map(|&x| name(x)).collect(),
                            example: j.example.and_then(|cell| example(&space, cell, direction, family, &list, None, &name)),
                        });
                    }
                    if j.live && instances_of(g) == 0 {
                        if let Some(e) = j.example.and_then(|cell| example(&space, cell, direction, family, &list, None, &name)) {
                            report.witnesses.push((name(at), e));
                        }
                    }
                    alone.insert(at, j);
                }
            }
            // 2. Each distinct side, for the rules live in their group.
            let mut across: HashMap<(usize, usize), AcrossSides> = HashMap::new();
            let mut witness: HashMap<(usize, usize), SidePacket> = HashMap::new();
            let mut decides: HashMap<(usize, usize), SidePacket> = HashMap::new();
            let mut unknown: std::collections::HashSet<usize> = std::collections::HashSet::new();
            for (groups, inst) in &sides {
                let instance = &world.instances[*inst];
                let list: Vec<(usize, usize)> = instance_order(world, instance, direction)
                    .iter()
                    .filter(|r| r.rule.ethertype == family)
                    .filter_map(|r| Some((*group_index.get(r.group.id.as_str())?, r.index())))
                    .collect();
                if list.is_empty() {
                    continue;
                }
                let what = || format!("{} {family} rules of instance `{}`", direction.label(), instance.id);
                let Some(space) = build(&list, &what, &mut report.skipped, &mut spent, &mut over) else {
                    // Unknown on this side: its groups' rules get no finding across instances.
                    unknown.extend(groups.iter().copied());
                    continue;
                };
                for (pos, j) in judge_all(&space, &list, world).into_iter().enumerate() {
                    let at = list[pos];
                    if !alone.get(&at).is_some_and(|a| a.live) {
                        continue;
                    }
                    let acc = across.entry(at).or_insert(AcrossSides { live: false, redundant: true, covered_by: BTreeSet::new() });
                    acc.live |= j.live;
                    if j.live && !j.redundant {
                        acc.redundant = false;
                    }
                    acc.covered_by.extend(j.covered_by.iter().copied());
                    if j.live && !decides.contains_key(&at) {
                        if let Some(e) =
                            j.example.and_then(|cell| example(&space, cell, direction, family, &list, Some(&instance.id), &name))
                        {
                            decides.insert(at, e);
                        }
                    }
                    if !j.live && !witness.contains_key(&at) {
                        if let Some(e) =
                            j.example.and_then(|cell| example(&space, cell, direction, family, &list, Some(&instance.id), &name))
                        {
                            witness.insert(at, e);
                        }
                    }
                }
            }
            let mut decided: Vec<((usize, usize), SidePacket)> = decides.into_iter().collect();
            decided.sort_by_key(|(at, _)| *at);
            report.witnesses.extend(decided.into_iter().map(|(at, e)| (name(at), e)));
            // 3. Rules live in their group: shadowed on every instance, or redundant.
            let mut live: Vec<(usize, usize)> = alone.iter().filter(|(_, j)| j.live).map(|(&at, _)| at).collect();
            live.sort_unstable();
            for at in live {
                if unknown.contains(&at.0) {
                    continue;
                }
                let (scope, live, redundant, covered_by) = match across.get(&at) {
                    Some(a) => (Scope::Instances { instances: instances_of(at.0) }, a.live, a.redundant, a.covered_by.clone()),
                    None => {
                        let j = &alone[&at];
                        (Scope::Group, true, j.redundant, j.covered_by.clone())
                    }
                };
                let kind = match (live, redundant) {
                    (false, _) => dead_kind(world, at, &covered_by),
                    (true, true) => RuleFindingKind::Redundant,
                    (true, false) => continue,
                };
                report.findings.push(RuleFinding {
                    kind,
                    rule: name(at),
                    action: world.security_groups[at.0].rules[at.1].action,
                    direction,
                    ethertype: family,
                    scope,
                    covered_by: covered_by.iter().filter(|&&x| x != at).map(|&x| name(x)).collect(),
                    example: if live { None } else { witness.get(&at).cloned() },
                });
            }
        }
    }
    if over > 0 {
        report.skipped.push(Skipped {
            what: format!("{over} rule lists (groups or instance sides) left when the analysis budget of {budget} cells was spent"),
            cells: spent,
            budget_spent: true,
        });
    }
    report.findings.sort_by_key(|f| (f.rule.at, f.direction, f.ethertype));
    report.witnesses.sort_by_key(|(n, _)| n.at);
    report
}

/// A rule that decides nothing: it matches nothing at all; or only rules of its own action decide
/// what it matches (redundant: an allow under a broader allow); or some rule of the other action
/// does (shadowed: it never takes effect, which is rarely what its author meant).
fn dead_kind(world: &World, (g, r): (usize, usize), covered_by: &BTreeSet<(usize, usize)>) -> RuleFindingKind {
    let action = |(g, r): (usize, usize)| world.security_groups[g].rules[r].action;
    if covered_by.is_empty() {
        RuleFindingKind::MatchesNothing
    } else if covered_by.iter().all(|&at| action(at) == action((g, r))) {
        RuleFindingKind::Redundant
    } else {
        RuleFindingKind::Shadowed
    }
}

/// A packet of `cell`, and the rule that decides it.
fn example(
    space: &RuleSpace,
    cell: Cell,
    direction: Direction,
    family: Ethertype,
    list: &[(usize, usize)],
    instance: Option<&str>,
    name: &dyn Fn((usize, usize)) -> RuleName,
) -> Option<SidePacket> {
    let (protocol, port, addr) = space.example(cell)?;
    Some(SidePacket {
        direction,
        protocol,
        port: matches!(protocol, 6 | 17).then_some(port),
        remote: number_to_addr(addr, family),
        decided_by: list.get(space.first(cell) as usize).map(|&at| name(at)),
        instance: instance.map(str::to_string),
    })
}
