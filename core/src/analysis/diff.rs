//! The exact what-if diff: every region of packets whose path verdict differs between two
//! versions of a world.
//!
//! ## What is compared
//! A packet (one family, a protocol, a source, a destination, a destination port) gets the path
//! verdict of [`crate::eval::decide`]: the source instance's outbound rules (when the source
//! belongs to an instance), then the destination instance's inbound rules (when the destination
//! does), along [`crate::eval::route()`] — two addresses of one instance are not filtered, an
//! instance without groups is not filtered, a load balancer with Transfer Client IP Address
//! bypasses its own outbound and its backends' inbound rules, a destination reached at its EIP sees the source's EIP.
//! [`diff`] reports every packet whose verdict differs between version A and version B, as
//! regions: products of source addresses × destination addresses × one protocol × port ranges,
//! each with the verdicts and the deciding rules before and after, and an example packet.
//!
//! ## The ends of a path
//! The addresses any instance holds in either version (private IPs, virtual IPs, EIPs) are the
//! *held points*; every other address is *free* (the Internet, or unassigned VPC addresses) and
//! is filtered by nobody in both versions. So the packet space splits into:
//! - free → free: never filtered, never changes;
//! - free → held point `x`: `x`'s inbound rules alone (compared with the source);
//! - held point `y` → free: `y`'s outbound rules alone (compared with the destination);
//! - held point `y` → held point `x`: both sides, at fixed addresses: a line of protocol × port.
//!
//! ## Cells, and only where something changed
//! A side's verdict is a function of (protocol, port, remote address): the first match of an
//! ordered rule list ([`crate::eval::group_order`] per group, merged by the profile's
//! [`crate::eval::OrderKey`]: groups in sequence, or Alibaba's aggregated order). For a side whose
//! list differs between the versions, one *joint grid* is cut at the protocol, port and address
//! interval ends of **both** lists (the cell idea of [`super::space`]): on each cell every rule of
//! either list is all-or-nothing, so comparing the two first matches per cell is a proof for every
//! packet of the cell. Sides are compared first (the group list and the resolved shapes of its
//! rules, in order) and identical ones are skipped: a held point whose owner, route attributes
//! (EIP, load balancer) and both side functions are the same in A and B cannot change any path
//! through it unless the other end changed. That is what makes "one rule changed in a
//! 1,000-instance world" cost the instances of that rule's group, not the world.
//!
//! - Free ↔ point: the changed cells of the point's joint grid, held points taken out of their
//!   address intervals, merged into regions with the same verdicts and rules.
//! - Point ↔ point: a pair is looked at only when one of its ends changed. Its route is computed
//!   in each version; where a side's function differs, the joint grid says which protocol-port
//!   runs change at the pair's remote address (none: the pair is done). Those runs are cut again
//!   at every port range end of the per-group grids of all four sides (outbound and inbound, A and
//!   B), and each elementary run is judged by both versions exactly: a changed inbound region
//!   from an instance source takes the source's outbound verdict into account, and vice versa.
//!   When the route itself differs (an address changed hands, an EIP appeared), the whole line is
//!   judged.
//!
//! "All others" as a protocol means every protocol that no rule of either version names (the
//! report lists the named ones in [`WorldDiff::named_protocols`]).
//!
//! ## Cost and its bound
//! With `H` held points, `C` changed points (ends whose owner, route attributes or a side function
//! changed) and `S` distinct pairs of changed side functions: `O(rules)` to resolve shapes and
//! compare sides; `S` joint grids of at most `P·A` cells each ([`super::space`]'s bound, a grid
//! refused past [`GRID_LIMIT`]); small per-group grids for the groups on the changed pairs' paths;
//! and at most `2·C·H` pairs, each a few hash and binary look-ups, plus one evaluation per
//! elementary run of a pair whose remote falls into changed cells. Grids together may hold
//! [`DiffLimits::cells`] cells; pairs and their runs count against [`DiffLimits::evaluations`].
//! Work refused by a limit is reported in [`WorldDiff::skipped`], never guessed: what is reported
//! is exact, and what is not compared is named. The generated 1,000-instance estate with one rule
//! changed takes tens of milliseconds (BENCHMARKS.md).
//!
//! Packets are of one family (both addresses IPv4, or both IPv6), as everywhere in the engine.

use super::shadow::Skipped;
use super::space::{TooLarge, GRID_LIMIT};
use crate::eval::{group_order, route, Crossing, Directory, OrderKey, RemoteAddress};
use crate::matcher::shape::{addr_number, address_cuts, family_max, merge, number_to_addr, port_cuts, shape, MemberIndex, RuleShape};
use crate::matcher::{family_slot, side_slot};
use crate::model::protocol::{protocol_name, ICMP, ICMPV6, TCP, UDP};
use crate::model::{Action, AddressKind, Direction, Ethertype, ProtocolMatch, World};
use crate::packet::{Packet, TcpFlags};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;

/// Cells all grids of one diff may hold together.
pub const DIFF_CELL_BUDGET: usize = 1 << 26;
/// Address pairs looked at plus elementary runs judged, in all.
pub const DIFF_EVALUATION_BUDGET: usize = 1 << 24;

/// How much one diff may spend; past it, what is left is reported as skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiffLimits {
    pub cells: usize,
    pub evaluations: usize,
}

impl Default for DiffLimits {
    fn default() -> DiffLimits {
        DiffLimits { cells: DIFF_CELL_BUDGET, evaluations: DIFF_EVALUATION_BUDGET }
    }
}

/// Where a region's packets go: an instance's addresses, or free addresses (no instance).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    /// The instance holding the addresses (in version B, else in version A).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Addresses and intervals, as addresses, CIDR blocks or `a-b` ranges.
    pub addresses: Vec<String>,
}

/// The protocols of a region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Protocols {
    One(u8),
    /// Every protocol but these (the ones some rule of either version names).
    AllExcept(Vec<u8>),
}

/// A region as numbers, for testing packets against it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub family: Ethertype,
    /// Inclusive intervals of address numbers ([`addr_number`]).
    pub src: Vec<(u128, u128)>,
    pub dst: Vec<(u128, u128)>,
    pub protocols: Protocols,
    /// Destination port ranges, for TCP and UDP; `None` for other protocols (ports do not count).
    pub ports: Option<Vec<(u16, u16)>>,
}

impl Region {
    pub fn contains(&self, packet: &Packet) -> bool {
        let inside = |set: &[(u128, u128)], a: IpAddr| {
            let n = addr_number(a);
            set.iter().any(|&(lo, hi)| lo <= n && n <= hi)
        };
        Ethertype::of(packet.src) == self.family
            && Ethertype::of(packet.dst) == self.family
            && match &self.protocols {
                Protocols::One(p) => packet.protocol == *p,
                Protocols::AllExcept(named) => !named.contains(&packet.protocol),
            }
            && self.ports.as_ref().is_none_or(|ports| ports.iter().any(|&(lo, hi)| lo <= packet.dst_port && packet.dst_port <= hi))
            && inside(&self.src, packet.src)
            && inside(&self.dst, packet.dst)
    }
}

/// One region of packets whose verdict changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Source addresses, merged: addresses, CIDR blocks or `a-b` ranges.
    pub src: Vec<String>,
    /// Instances holding a source address (in version B, else A); empty for free sources.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub src_instances: Vec<String>,
    pub dst: Endpoint,
    /// `tcp`, `udp`, `icmp`, a number, or `all others`.
    pub protocol: String,
    /// Destination port ranges for TCP and UDP (`all` for every port); empty for other protocols.
    pub ports: Vec<String>,
    pub before: Action,
    pub after: Action,
    /// A packet of the region: `decide` gives `before` on version A and `after` on version B.
    pub example: Packet,
    /// What decided in version A: `group/rule` per side crossed (outbound of the source, then
    /// inbound of the destination), or `default deny (…)`, `no security group (…)`,
    /// `load balancer bypass (Transfer Client IP Address)`.
    pub rules_before: Vec<String>,
    pub rules_after: Vec<String>,
    /// Instances holding an address of the region (sources and destination).
    pub instances_touched: usize,
    #[serde(skip)]
    pub region: Region,
}

impl Change {
    /// Does the packet fall into this region?
    pub fn contains(&self, packet: &Packet) -> bool {
        self.region.contains(packet)
    }

    /// Denied before, allowed after.
    pub fn opened(&self) -> bool {
        self.after == Action::Allow
    }

    /// The region in words: "tcp 3306 from 192.168.0.10 to ecs-b01 (192.168.1.10)".
    pub fn describe(&self) -> String {
        let ports = if self.ports.is_empty() { String::new() } else { format!(" {}", self.ports.join(",")) };
        let dst = match &self.dst.instance {
            Some(id) => format!("{id} ({})", few(&self.dst.addresses)),
            None => few(&self.dst.addresses),
        };
        format!("{}{ports} from {} to {dst}", self.protocol, few(&self.src))
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WorldDiff {
    pub changes: Vec<Change>,
    /// What was not compared (a grid too large, a budget spent). Empty: the diff is complete.
    pub skipped: Vec<Skipped>,
    /// Protocols some rule of either version names, TCP and UDP always: "all others" is the rest.
    pub named_protocols: Vec<u8>,
}

/// "a, b, c" or "a, b, c and 4 more": a list of addresses or instances kept to one line.
pub fn few(items: &[String]) -> String {
    let shown = items.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    match items.len() {
        n if n > 3 => format!("{shown} and {} more", n - 3),
        _ => shown,
    }
}

/// Every region whose verdict differs from `a` to `b`, within the default limits.
pub fn diff(a: &World, b: &World) -> WorldDiff {
    diff_within(a, b, DiffLimits::default())
}

// ---------------------------------------------------------------------------------------------
// Protocol slots: one per protocol some rule names (TCP and UDP always), one for all the others.

struct Slots {
    /// `None`: every protocol no rule names (absent when rules name all 256).
    protocols: Vec<Option<u8>>,
    others: Option<u8>,
    named: Vec<u8>,
}

impl Slots {
    fn of(worlds: [&World; 2]) -> Slots {
        let mut named: BTreeSet<u8> = BTreeSet::from([TCP, UDP]);
        for w in worlds {
            for rule in w.security_groups.iter().flat_map(|g| &g.rules) {
                if let ProtocolMatch::Number(n) = rule.protocol {
                    named.insert(n);
                }
            }
        }
        // The example of "all others": a protocol a reader knows (ICMP, GRE, ESP, ICMPv6) when
        // no rule names it, else the lowest number none names.
        let others = [1u8, 47, 50, 58].into_iter().chain(0..=255u8).find(|p| !named.contains(p));
        let mut protocols: Vec<Option<u8>> = Vec::new();
        if others.is_some() {
            protocols.push(None);
        }
        protocols.extend(named.iter().map(|&p| Some(p)));
        Slots { protocols, others, named: named.into_iter().collect() }
    }

    fn ported(&self, slot: usize) -> bool {
        matches!(self.protocols[slot], Some(TCP | UDP))
    }

    /// The protocol of an example packet of the slot.
    fn example(&self, slot: usize) -> u8 {
        // INVARIANT: the `None` slot exists only when `others` is some protocol.
        self.protocols[slot].or(self.others).unwrap_or(0)
    }
}

// ---------------------------------------------------------------------------------------------
// Grids: the packet space of one or more ordered lists, cut at every interval end of all of them,
// with the first match of each list per cell.

const NONE: u32 = u32::MAX;

struct Grid {
    max: u128,
    addr_starts: Vec<u128>,
    /// Per slot: run starts (the first is 0) and each run's port class.
    starts: Vec<Vec<u16>>,
    class: Vec<Vec<u32>>,
    port_classes: usize,
    /// Per list: `first[pc * A + ac]`, a list position or [`NONE`].
    first: Vec<Vec<u32>>,
}

impl Grid {
    /// `lists` in evaluation order, all of one family. Refused past `room` (list entries and
    /// cells together).
    fn build(lists: &[Vec<&RuleShape>], slots: &Slots, max: u128, room: usize) -> Result<Grid, TooLarge> {
        let addr_starts = address_cuts(lists.iter().flatten().copied(), max);
        let class_of = |a: u128| (addr_starts.partition_point(|&s| s <= a) - 1) as u32;
        let covers_all: Vec<Vec<bool>> = lists.iter().map(|l| l.iter().map(|r| r.covers_every_address(max)).collect()).collect();
        // A rule holding every address holds the unknown public source's class too (one past the
        // address classes, `Grid::unknown_class`).
        let unknown = addr_starts.len() as u32;
        let rule_acs: Vec<Vec<Vec<(u32, u32)>>> = lists
            .iter()
            .zip(&covers_all)
            .map(|(l, all)| {
                l.iter()
                    .zip(all)
                    .map(|(r, &all)| {
                        let classes = r.remote.iter().map(|&(f, l)| (class_of(f), class_of(l)));
                        classes.chain(all.then_some((unknown, unknown))).collect()
                    })
                    .collect()
            })
            .collect();

        // Runs per slot, each with the positions of every list that apply (a list's run stops at
        // its first rule covering every address: nothing after it is ever first there).
        let mut starts = Vec::with_capacity(slots.protocols.len());
        let mut run_lists: Vec<Vec<Vec<u32>>> = Vec::new();
        let mut entries = 0usize;
        for (slot, &p) in slots.protocols.iter().enumerate() {
            let ported = slots.ported(slot);
            let cuts = if ported { port_cuts(lists.iter().flatten().copied().filter(|r| r.applies_to(p))) } else { vec![0] };
            let base = run_lists.len();
            run_lists.extend((0..cuts.len()).map(|_| vec![Vec::new(); lists.len()]));
            let run_of = |port: u16| cuts.partition_point(|&s| s <= port) - 1;
            for (li, list) in lists.iter().enumerate() {
                let mut full = vec![false; cuts.len()];
                for (pos, r) in list.iter().enumerate() {
                    if !r.applies_to(p) {
                        continue;
                    }
                    let spans: Vec<(usize, usize)> = match (&r.ports, ported) {
                        (Some(ranges), true) => ranges.iter().map(|&(a, b)| (run_of(a), run_of(b))).collect(),
                        _ => vec![(0, cuts.len() - 1)],
                    };
                    for (a, b) in spans {
                        for k in a..=b {
                            if !full[k] {
                                run_lists[base + k][li].push(pos as u32);
                                full[k] = covers_all[li][pos];
                                entries += 1;
                            }
                        }
                    }
                    if entries > room {
                        return Err(TooLarge { cells: entries });
                    }
                }
            }
            starts.push(cuts);
        }
        let mut class_of_lists: HashMap<&[Vec<u32>], u32> = HashMap::new();
        let mut class_lists: Vec<&[Vec<u32>]> = Vec::new();
        let run_class: Vec<u32> = run_lists
            .iter()
            .map(|l| {
                *class_of_lists.entry(l.as_slice()).or_insert_with(|| {
                    class_lists.push(l.as_slice());
                    (class_lists.len() - 1) as u32
                })
            })
            .collect();
        let mut class = Vec::with_capacity(starts.len());
        let mut k = 0;
        for cuts in &starts {
            class.push(run_class[k..k + cuts.len()].to_vec());
            k += cuts.len();
        }
        // Address classes and the unknown public source's.
        let (pcs, acs) = (class_lists.len(), addr_starts.len() + 1);
        let cells = pcs.saturating_mul(acs).saturating_mul(lists.len().max(1));
        if entries.saturating_add(cells) > room {
            return Err(TooLarge { cells: entries.saturating_add(cells) });
        }
        let mut first = vec![vec![NONE; pcs * acs]; lists.len()];
        let mut next = vec![0u32; acs + 1];
        for (pc, per_list) in class_lists.iter().enumerate() {
            for (li, positions) in per_list.iter().enumerate() {
                for (i, n) in next.iter_mut().enumerate() {
                    *n = i as u32;
                }
                let row = pc * acs;
                for &pos in positions {
                    for &(a, b) in &rule_acs[li][pos as usize] {
                        let mut c = skip(&mut next, a);
                        while c <= b {
                            first[li][row + c as usize] = pos;
                            next[c as usize] = c + 1;
                            c = skip(&mut next, c + 1);
                        }
                    }
                }
            }
        }
        Ok(Grid { max, addr_starts, starts, class, port_classes: pcs, first })
    }

    fn cells(&self) -> usize {
        self.port_classes * self.addr_starts.len() * self.first.len().max(1)
    }

    /// The address classes (the unknown public source's class is not one of them).
    fn addr_classes(&self) -> usize {
        self.addr_starts.len()
    }

    fn addr_class(&self, addr: u128) -> u32 {
        (self.addr_starts.partition_point(|&s| s <= addr) - 1) as u32
    }

    /// The class a side's rules look up for `remote`: an address's class, or for an unknown
    /// public source the class past the address classes, held only by rules open to every address.
    fn remote_class(&self, remote: RemoteAddress) -> u32 {
        match remote {
            RemoteAddress::Known(addr) => self.addr_class(addr_number(addr)),
            RemoteAddress::UnknownPublic { .. } => self.addr_starts.len() as u32,
        }
    }

    fn addr_range(&self, class: u32) -> (u128, u128) {
        let first = self.addr_starts[class as usize];
        let last = self.addr_starts.get(class as usize + 1).map_or(self.max, |n| n - 1);
        (first, last)
    }

    fn port_class(&self, slot: usize, port: u16) -> u32 {
        let starts = &self.starts[slot];
        self.class[slot][starts.partition_point(|&s| s <= port) - 1]
    }

    #[inline]
    fn first(&self, list: usize, pc: u32, ac: u32) -> u32 {
        self.first[list][pc as usize * (self.addr_starts.len() + 1) + ac as usize]
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

// ---------------------------------------------------------------------------------------------
// One version of the world, resolved once.

/// Why a side lets everything through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Pass {
    /// The path does not cross this side (no instance there, or one instance on both ends).
    NotCrossed,
    /// The instance has no security group.
    Unfiltered,
    /// A load balancer with Transfer Client IP Address: its outbound and the backend's inbound rules are bypassed.
    Bypass,
}

/// A side's verdict function: all-pass, or the rules of a group list (an interned signature).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Func {
    Pass(Pass),
    Sig(u32),
}

/// What decided a side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Cause {
    /// Group index and rule index in the version's world.
    Rule(u32, u32),
    DefaultDeny,
    Pass(Pass),
}

const FAMILIES: [Ethertype; 2] = [Ethertype::IPv4, Ethertype::IPv6];

/// The inverse of [`side_slot`].
fn side_of(slot: usize) -> (Direction, Ethertype) {
    (if slot < 2 { Direction::Ingress } else { Direction::Egress }, FAMILIES[slot % 2])
}

struct Version<'w> {
    world: &'w World,
    label: &'static str,
    shapes: Vec<Vec<RuleShape>>,
    /// Per group, per side slot: its rules of that direction and family in evaluation order.
    order: Vec<[Vec<u32>; 4]>,
    owners: HashMap<IpAddr, (u32, AddressKind)>,
    /// Per instance: its interned group list (`None` when it has no security group).
    sig: Vec<Option<u32>>,
    sigs: Vec<Vec<u32>>,
    /// The allow-everything shape per family (an unfiltered side).
    all: [RuleShape; 2],
}

impl<'w> Version<'w> {
    fn new(world: &'w World, label: &'static str) -> Version<'w> {
        let members = MemberIndex::build(&world.instances);
        let shapes: Vec<Vec<RuleShape>> =
            world.security_groups.iter().map(|g| g.rules.iter().map(|r| shape(world, &members, r)).collect()).collect();
        let order = world
            .security_groups
            .iter()
            .map(|g| {
                [0, 1, 2, 3].map(|slot| {
                    let (direction, family) = side_of(slot);
                    group_order(g, direction).into_iter().filter(|&i| g.rules[i].ethertype == family).map(|i| i as u32).collect()
                })
            })
            .collect();
        // The first holder of an address owns it, as `World::owner_of` says.
        let mut owners = HashMap::new();
        for (i, inst) in world.instances.iter().enumerate() {
            for &a in inst.private_ips.iter().chain(&inst.virtual_ips).chain(inst.eip.iter()) {
                if let Some(kind) = inst.address_kind(a) {
                    owners.entry(a).or_insert((i as u32, kind));
                }
            }
        }
        let group_index: HashMap<&str, u32> = world.security_groups.iter().enumerate().map(|(i, g)| (g.id.as_str(), i as u32)).collect();
        let mut interned: HashMap<Vec<u32>, u32> = HashMap::new();
        let mut sigs = Vec::new();
        let sig = world
            .instances
            .iter()
            .map(|inst| {
                if inst.security_groups.is_empty() {
                    return None;
                }
                let groups: Vec<u32> = inst.security_groups.iter().filter_map(|g| group_index.get(g.as_str()).copied()).collect();
                Some(*interned.entry(groups.clone()).or_insert_with(|| {
                    sigs.push(groups);
                    (sigs.len() - 1) as u32
                }))
            })
            .collect();
        let all = FAMILIES.map(|f| RuleShape { protocol: ProtocolMatch::Any, ports: None, remote: vec![(0, family_max(f))] });
        Version { world, label, shapes, order, owners, sig, sigs, all }
    }

    /// The side function of an instance seen from a free peer.
    fn func(&self, owner: Option<(u32, AddressKind)>) -> Func {
        match owner {
            None => Func::Pass(Pass::NotCrossed),
            Some((i, _)) => self.sig[i as usize].map_or(Func::Pass(Pass::Unfiltered), Func::Sig),
        }
    }

    /// The outbound side function of a held point: a load balancer with Transfer Client IP
    /// Address sends without its rules ([`crate::eval::route()`]).
    fn out_func(&self, owner: Option<(u32, AddressKind)>) -> Func {
        match owner {
            Some((i, _)) if self.has_groups(i) && self.bypasses_backend_rules(i) => Func::Pass(Pass::Bypass),
            other => self.func(other),
        }
    }

    /// The rules of a side function in evaluation order, with what each one is.
    fn flatten(&self, func: Func, slot: usize) -> Vec<(&RuleShape, Action, Cause)> {
        match func {
            Func::Pass(p) => vec![(&self.all[slot % 2], Action::Allow, Cause::Pass(p))],
            Func::Sig(s) => {
                let mut out = Vec::new();
                for (seq, &g) in self.sigs[s as usize].iter().enumerate() {
                    let group = &self.world.security_groups[g as usize];
                    for &r in &self.order[g as usize][slot] {
                        let rule = &group.rules[r as usize];
                        let key = OrderKey::of(self.world.profile, seq, r as usize, rule);
                        out.push((key, (&self.shapes[g as usize][r as usize], rule.action, Cause::Rule(g, r))));
                    }
                }
                // The one evaluation order: groups in sequence (Huawei) or aggregated (Alibaba).
                out.sort_by_key(|(key, _)| *key);
                out.into_iter().map(|(_, rule)| rule).collect()
            }
        }
    }

    fn instance_id(&self, i: u32) -> &str {
        &self.world.instances[i as usize].id
    }

    fn cause_text(&self, direction: Direction, cause: Cause) -> Option<String> {
        let d = direction.label();
        match cause {
            Cause::Rule(g, r) => {
                let group = &self.world.security_groups[g as usize];
                Some(format!("{}/{}", group.id, group.rules[r as usize].id))
            }
            Cause::DefaultDeny => Some(format!("default deny ({d})")),
            Cause::Pass(Pass::Unfiltered) => Some(format!("no security group ({d})")),
            Cause::Pass(Pass::Bypass) => Some("load balancer bypass (Transfer Client IP Address)".to_string()),
            Cause::Pass(Pass::NotCrossed) => None,
        }
    }
}

impl Directory for Version<'_> {
    type Id = u32;

    fn owner(&self, addr: IpAddr) -> Option<(u32, AddressKind)> {
        self.owners.get(&addr).copied()
    }

    fn has_groups(&self, id: u32) -> bool {
        self.world.instances.get(id as usize).is_some_and(|i| !i.security_groups.is_empty())
    }

    fn eip(&self, id: u32) -> Option<IpAddr> {
        self.world.instances.get(id as usize).and_then(|i| i.eip)
    }

    fn bypasses_backend_rules(&self, id: u32) -> bool {
        self.world.instances.get(id as usize).is_some_and(|i| i.bypasses_backend_rules())
    }

    fn vpc_of(&self, id: Option<u32>, addr: IpAddr) -> Option<usize> {
        self.world.vpc_of(id.map(|i| i as usize), addr)
    }

    fn peered(&self, a: usize, b: usize) -> bool {
        self.world.peered(a, b)
    }

    fn snat(&self, id: u32) -> Option<IpAddr> {
        Directory::snat(self.world, id as usize)
    }
}

// ---------------------------------------------------------------------------------------------
// Joint grids of changed sides and per-group grids, built on demand within the limits.

struct Joint {
    grid: Grid,
    causes: [Vec<Cause>; 2],
    actions: [Vec<Action>; 2],
    /// Per address class: the port classes whose verdict differs.
    changed_at: Vec<Vec<u32>>,
    /// Per port class: its runs (slot, first port, last port).
    pc_runs: Vec<Vec<(usize, u16, u16)>>,
    /// The changed cells as regions over free addresses, once computed.
    free: Option<Vec<FreePiece>>,
}

impl Joint {
    fn action(&self, list: usize, pos: u32) -> Action {
        self.actions[list].get(pos as usize).copied().unwrap_or(Action::Deny)
    }

    fn cause(&self, list: usize, pos: u32) -> Cause {
        self.causes[list].get(pos as usize).copied().unwrap_or(Cause::DefaultDeny)
    }
}

/// Inclusive intervals of address numbers.
type Intervals = Vec<(u128, u128)>;

/// Changed cells of a joint grid over free addresses: a product of addresses and port runs.
#[derive(Clone, Debug)]
struct FreePiece {
    pos: [u32; 2],
    slot: usize,
    ports: Vec<(u16, u16)>,
    addrs: Intervals,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JointState {
    Same,
    Changed(usize),
    /// Could not be built within the limits (reported once).
    Unknown,
}

struct Work<'a> {
    versions: [&'a Version<'a>; 2],
    slots: &'a Slots,
    limits: DiffLimits,
    cells: usize,
    evaluations: usize,
    skipped: Vec<Skipped>,
    /// `same_group[slot][g]`: A's group `g` has a group of the same id in B with the same rules
    /// (shapes and actions, in order) on that side.
    same_group: [Vec<Option<u32>>; 4],
    joints: Vec<Joint>,
    joint_of: HashMap<(Func, Func, usize), JointState>,
    grids: Vec<Grid>,
    grid_of: HashMap<(usize, u32, usize), Option<usize>>,
}

impl<'a> Work<'a> {
    fn new(versions: [&'a Version<'a>; 2], slots: &'a Slots, limits: DiffLimits) -> Work<'a> {
        let [a, b] = versions;
        let b_index: HashMap<&str, u32> = b.world.security_groups.iter().enumerate().map(|(i, g)| (g.id.as_str(), i as u32)).collect();
        let same_group = [0, 1, 2, 3].map(|slot| {
            (0..a.world.security_groups.len())
                .map(|g| {
                    let gb = *b_index.get(a.world.security_groups[g].id.as_str())?;
                    let la = a.flatten_group(g as u32, slot);
                    let lb = b.flatten_group(gb, slot);
                    // Aggregated across groups (Alibaba), a priority matters even where it does
                    // not change the group's own order.
                    let ranked = |v: &Version, g: u32| if v.world.profile.sequences_groups() { Vec::new() } else { v.priorities(g, slot) };
                    (la == lb && ranked(a, g as u32) == ranked(b, gb)).then_some(gb)
                })
                .collect()
        });
        Work {
            versions,
            slots,
            limits,
            cells: 0,
            evaluations: 0,
            skipped: Vec::new(),
            same_group,
            joints: Vec::new(),
            joint_of: HashMap::new(),
            grids: Vec::new(),
            grid_of: HashMap::new(),
        }
    }

    fn room(&self) -> usize {
        GRID_LIMIT.min(self.limits.cells.saturating_sub(self.cells))
    }

    /// Do two side functions agree everywhere? Group by group first, then rule by rule.
    fn same_function(&self, fa: Func, fb: Func, slot: usize) -> bool {
        let [a, b] = self.versions;
        match (fa, fb) {
            (Func::Pass(_), Func::Pass(_)) => return true,
            (Func::Sig(sa), Func::Sig(sb)) => {
                let (ga, gb) = (&a.sigs[sa as usize], &b.sigs[sb as usize]);
                // The same groups in the same order mean the same list only under the same order.
                if a.world.profile == b.world.profile
                    && ga.len() == gb.len()
                    && ga.iter().zip(gb).all(|(&x, &y)| self.same_group[slot][x as usize] == Some(y))
                {
                    return true;
                }
            }
            _ => {}
        }
        let la = a.flatten(fa, slot);
        let lb = b.flatten(fb, slot);
        la.len() == lb.len() && la.iter().zip(&lb).all(|(x, y)| x.0 == y.0 && x.1 == y.1)
    }

    /// The joint grid of two side functions, when they differ.
    fn joint(&mut self, fa: Func, fb: Func, slot: usize, what: &dyn Fn() -> String) -> JointState {
        let key = (fa, fb, slot);
        if let Some(&state) = self.joint_of.get(&key) {
            return state;
        }
        let state = if self.same_function(fa, fb, slot) { JointState::Same } else { self.build_joint(fa, fb, slot, what) };
        self.joint_of.insert(key, state);
        state
    }

    fn build_joint(&mut self, fa: Func, fb: Func, slot: usize, what: &dyn Fn() -> String) -> JointState {
        let [a, b] = self.versions;
        let la = a.flatten(fa, slot);
        let lb = b.flatten(fb, slot);
        let (_, family) = side_of(slot);
        let room = self.room();
        let lists = vec![la.iter().map(|x| x.0).collect::<Vec<_>>(), lb.iter().map(|x| x.0).collect()];
        let grid = match Grid::build(&lists, self.slots, family_max(family), room) {
            Ok(grid) => grid,
            Err(TooLarge { cells }) => {
                self.skipped.push(Skipped {
                    what: format!("{}, compared between the versions", what()),
                    cells,
                    budget_spent: room < GRID_LIMIT,
                });
                return JointState::Unknown;
            }
        };
        self.cells += grid.cells();
        let causes = [la.iter().map(|x| x.2).collect(), lb.iter().map(|x| x.2).collect()];
        let actions = [la.iter().map(|x| x.1).collect(), lb.iter().map(|x| x.1).collect()];
        let mut pc_runs = vec![Vec::new(); grid.port_classes];
        for (s, cuts) in grid.starts.iter().enumerate() {
            for (k, &first) in cuts.iter().enumerate() {
                let last = cuts.get(k + 1).map_or(u16::MAX, |n| n - 1);
                pc_runs[grid.class[s][k] as usize].push((s, first, last));
            }
        }
        let mut joint = Joint { grid, causes, actions, changed_at: Vec::new(), pc_runs, free: None };
        // Per address class and the unknown public source's: where the two versions differ.
        let mut changed_at = vec![Vec::new(); joint.grid.addr_classes() + 1];
        for pc in 0..joint.grid.port_classes as u32 {
            for (ac, at) in changed_at.iter_mut().enumerate() {
                let (pa, pb) = (joint.grid.first(0, pc, ac as u32), joint.grid.first(1, pc, ac as u32));
                if joint.action(0, pa) != joint.action(1, pb) {
                    at.push(pc);
                }
            }
        }
        joint.changed_at = changed_at;
        self.joints.push(joint);
        JointState::Changed(self.joints.len() - 1)
    }

    /// The grid of one group's side in one version.
    fn group_grid(&mut self, version: usize, g: u32, slot: usize) -> Option<usize> {
        let key = (version, g, slot);
        if let Some(&found) = self.grid_of.get(&key) {
            return found;
        }
        let v = self.versions[version];
        let (direction, family) = side_of(slot);
        let list: Vec<&RuleShape> = v.order[g as usize][slot].iter().map(|&r| &v.shapes[g as usize][r as usize]).collect();
        let room = self.room();
        let found = match Grid::build(&[list], self.slots, family_max(family), room) {
            Ok(grid) => {
                self.cells += grid.cells();
                self.grids.push(grid);
                Some(self.grids.len() - 1)
            }
            Err(TooLarge { cells }) => {
                self.skipped.push(Skipped {
                    what: format!(
                        "{} {family} rules of security group `{}` in version {}",
                        direction.label(),
                        v.world.security_groups[g as usize].id,
                        v.label
                    ),
                    cells,
                    budget_spent: room < GRID_LIMIT,
                });
                None
            }
        };
        self.grid_of.insert(key, found);
        found
    }

    /// The changed cells of a joint grid as products over free addresses (`held` taken out).
    fn free_pieces(&mut self, j: usize, held: &[u128]) -> Vec<FreePiece> {
        if let Some(pieces) = &self.joints[j].free {
            return pieces.clone();
        }
        let joint = &self.joints[j];
        let grid = &joint.grid;
        // Changed cells by the pair of deciding positions, then by port class.
        let mut by_pos: HashMap<[u32; 2], Vec<(u32, u32)>> = HashMap::new();
        for pc in 0..grid.port_classes as u32 {
            for ac in 0..grid.addr_classes() as u32 {
                let pos = [grid.first(0, pc, ac), grid.first(1, pc, ac)];
                if joint.action(0, pos[0]) != joint.action(1, pos[1]) {
                    by_pos.entry(pos).or_default().push((pc, ac));
                }
            }
        }
        let mut keys: Vec<[u32; 2]> = by_pos.keys().copied().collect();
        keys.sort_unstable();
        let mut pieces = Vec::new();
        for pos in keys {
            let cells = &by_pos[&pos];
            // Port classes with the same free addresses form one product.
            let mut by_addrs: Vec<(Intervals, Vec<u32>)> = Vec::new();
            let mut index: HashMap<Intervals, usize> = HashMap::new();
            for run in cells.chunk_by(|x, y| x.0 == y.0) {
                let pc = run[0].0;
                let mut addrs = Vec::new();
                for &(_, ac) in run {
                    let (lo, hi) = grid.addr_range(ac);
                    subtract(lo, hi, held, &mut addrs);
                }
                let addrs = merge(addrs);
                if addrs.is_empty() {
                    continue;
                }
                match index.get(&addrs) {
                    Some(&k) => by_addrs[k].1.push(pc),
                    None => {
                        index.insert(addrs.clone(), by_addrs.len());
                        by_addrs.push((addrs, vec![pc]));
                    }
                }
            }
            for (addrs, pcs) in by_addrs {
                let mut by_slot: Vec<Vec<(u16, u16)>> = vec![Vec::new(); self.slots.protocols.len()];
                for pc in pcs {
                    for &(slot, lo, hi) in &joint.pc_runs[pc as usize] {
                        by_slot[slot].push((lo, hi));
                    }
                }
                for (slot, ports) in by_slot.into_iter().enumerate() {
                    if !ports.is_empty() {
                        pieces.push(FreePiece { pos, slot, ports: merge(ports), addrs: addrs.clone() });
                    }
                }
            }
        }
        self.joints[j].free = Some(pieces.clone());
        pieces
    }
}

impl Version<'_> {
    fn priorities(&self, g: u32, slot: usize) -> Vec<u8> {
        let group = &self.world.security_groups[g as usize];
        self.order[g as usize][slot].iter().map(|&r| group.rules[r as usize].priority).collect()
    }

    fn flatten_group(&self, g: u32, slot: usize) -> Vec<(&RuleShape, Action)> {
        let group = &self.world.security_groups[g as usize];
        self.order[g as usize][slot].iter().map(|&r| (&self.shapes[g as usize][r as usize], group.rules[r as usize].action)).collect()
    }
}

/// `[lo, hi]` without the held points, appended to `out`.
fn subtract(lo: u128, hi: u128, held: &[u128], out: &mut Vec<(u128, u128)>) {
    let mut start = lo;
    for &h in &held[held.partition_point(|&h| h < lo)..] {
        if h > hi {
            break;
        }
        if h > start {
            out.push((start, h - 1));
        }
        match h.checked_add(1) {
            Some(n) => start = n,
            None => return,
        }
    }
    if start <= hi {
        out.push((start, hi));
    }
}

// ---------------------------------------------------------------------------------------------
// Pieces of change and their merging into regions.

/// An instance as a region names it: (version, index into its instances); version B's holder of
/// an address when it has one, else version A's.
type Holder = (usize, u32);

/// A product of changed packets before merging: sources × destinations × one slot × ports.
#[derive(Clone, Debug)]
struct Piece {
    family: Ethertype,
    src: Vec<(u128, u128)>,
    dst: Vec<(u128, u128)>,
    /// The source instance of a region to free destinations: those stay per source instance.
    src_holder: Option<Holder>,
    dst_holder: Option<Holder>,
    slot: usize,
    ports: Vec<(u16, u16)>,
    before: Outcome,
    after: Outcome,
}

/// Sorts by `cmp` and merges neighbours it calls equal (`combine` must only touch fields `cmp`
/// does not look at).
fn merge_equal(mut pieces: Vec<Piece>, cmp: impl Fn(&Piece, &Piece) -> Ordering, combine: impl Fn(&mut Piece, Piece)) -> Vec<Piece> {
    pieces.sort_by(&cmp);
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for p in pieces {
        match out.last_mut() {
            Some(last) if cmp(last, &p) == Ordering::Equal => combine(last, p),
            _ => out.push(p),
        }
    }
    out
}

/// Pieces with the same verdicts and deciding rules merged into regions: sources first (one
/// destination, many sources), then the addresses of one destination, then ports.
fn regions(pieces: Vec<Piece>) -> Vec<Piece> {
    let verdicts = |p: &Piece| (p.slot, p.before, p.after);
    let by_source = |p: &Piece| if p.dst_holder.is_none() { p.src_holder } else { None };
    let pieces = merge_equal(
        pieces,
        |x, y| {
            (x.family, &x.dst, x.dst_holder, by_source(x), &x.ports, verdicts(x)).cmp(&(
                y.family,
                &y.dst,
                y.dst_holder,
                by_source(y),
                &y.ports,
                verdicts(y),
            ))
        },
        |into, p| {
            into.src.extend(p.src);
            into.src = merge(std::mem::take(&mut into.src));
        },
    );
    let pieces = merge_equal(
        pieces,
        |x, y| (x.family, &x.src, x.dst_holder, &x.ports, verdicts(x)).cmp(&(y.family, &y.src, y.dst_holder, &y.ports, verdicts(y))),
        |into, p| {
            into.dst.extend(p.dst);
            into.dst = merge(std::mem::take(&mut into.dst));
        },
    );
    merge_equal(
        pieces,
        |x, y| (x.family, &x.src, &x.dst, x.dst_holder, verdicts(x)).cmp(&(y.family, &y.src, &y.dst, y.dst_holder, verdicts(y))),
        |into, p| {
            into.ports.extend(p.ports);
            into.ports = merge(std::mem::take(&mut into.ports));
        },
    )
}

// ---------------------------------------------------------------------------------------------
// The diff.

/// A side function at a remote address, per version: what a pair's crossing asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Ask {
    func: Func,
    remote: Option<RemoteAddress>,
}

fn ask<'w>(v: &Version<'w>, crossing: Option<Crossing<u32>>) -> Ask {
    match crossing {
        None => Ask { func: Func::Pass(Pass::NotCrossed), remote: None },
        Some(Crossing::Bypass { .. }) => Ask { func: Func::Pass(Pass::Bypass), remote: None },
        Some(Crossing::Unfiltered { .. }) => Ask { func: Func::Pass(Pass::Unfiltered), remote: None },
        Some(Crossing::Rules { instance, remote }) => {
            Ask { func: v.sig[instance as usize].map_or(Func::Pass(Pass::Unfiltered), Func::Sig), remote: Some(remote) }
        }
    }
}

/// A side function resolved for one pair: all-pass, or a chain of group grids with the remote's
/// address class in each.
enum Resolved {
    Pass(Pass),
    Chain(Vec<(usize, u32, u32)>),
}

/// What a pair needs that could not be had.
struct Unknown;

/// The same diff, spending at most `limits`; what is left is reported as skipped.
pub fn diff_within(a: &World, b: &World, limits: DiffLimits) -> WorldDiff {
    let slots = Slots::of([a, b]);
    let va = Version::new(a, "A");
    let vb = Version::new(b, "B");
    let versions = [&va, &vb];
    let mut work = Work::new(versions, &slots, limits);
    let mut pieces: Vec<Piece> = Vec::new();
    let mut unknown_pairs = 0usize;
    let mut unvisited_pairs = 0usize;
    // Per family: every held point and its holder, sorted.
    let mut holders: [Vec<(u128, Holder)>; 2] = [Vec::new(), Vec::new()];
    for family in FAMILIES {
        let mut held: Vec<IpAddr> = va.owners.keys().chain(vb.owners.keys()).copied().filter(|a| Ethertype::of(*a) == family).collect();
        held.sort_unstable();
        held.dedup();
        let numbers: Vec<u128> = held.iter().map(|&a| addr_number(a)).collect();
        let (in_slot, out_slot) = (side_slot(Direction::Ingress, family), side_slot(Direction::Egress, family));
        let mut out_changed = vec![false; held.len()];
        let mut in_changed = vec![false; held.len()];
        let mut held_by: Vec<Option<Holder>> = Vec::with_capacity(held.len());
        for (k, &h) in held.iter().enumerate() {
            let owner = [va.owner(h), vb.owner(h)];
            let holder = owner[1].map(|(i, _)| (1, i)).or(owner[0].map(|(i, _)| (0, i)));
            held_by.push(holder);
            if let Some(holder) = holder {
                holders[family_slot(family)].push((numbers[k], holder));
            }
            // Same holder, same kind of address, same EIP and load balancer flag.
            let stable = match (owner[0], owner[1]) {
                (None, None) => true,
                (Some((i, ki)), Some((j, kj))) => {
                    va.instance_id(i) == vb.instance_id(j)
                        && ki == kj
                        && va.eip(i) == vb.eip(j)
                        && va.bypasses_backend_rules(i) == vb.bypasses_backend_rules(j)
                        && Directory::snat(&va, i) == Directory::snat(&vb, j)
                }
                _ => false,
            };
            let who = || holder.map_or_else(|| h.to_string(), |(v, i)| format!("`{}`", versions[v].instance_id(i)));
            let (fa, fb) = (va.func(owner[0]), vb.func(owner[1]));
            let what_in = || format!("inbound {family} rules of {}", who());
            let what_out = || format!("outbound {family} rules of {}", who());
            let inbound = work.joint(fa, fb, in_slot, &what_in);
            let outbound = work.joint(va.out_func(owner[0]), vb.out_func(owner[1]), out_slot, &what_out);
            in_changed[k] = !stable || inbound != JointState::Same;
            out_changed[k] = !stable || outbound != JointState::Same;
            // Free sources to `h`: its inbound side alone; `h` to free destinations: its outbound.
            for (state, direction) in [(inbound, Direction::Ingress), (outbound, Direction::Egress)] {
                let JointState::Changed(j) = state else { continue };
                for fp in work.free_pieces(j, &numbers) {
                    let joint = &work.joints[j];
                    let outcome = |list: usize| {
                        let allow = joint.action(list, fp.pos[list]) == Action::Allow;
                        let cause = Some(joint.cause(list, fp.pos[list])).filter(|&c| c != Cause::Pass(Pass::NotCrossed));
                        match direction {
                            Direction::Ingress => Outcome { allow, out: None, inb: cause },
                            Direction::Egress => Outcome { allow, out: cause, inb: None },
                        }
                    };
                    let point = vec![(numbers[k], numbers[k])];
                    let inbound = direction == Direction::Ingress;
                    let (src, dst) = if inbound { (fp.addrs, point) } else { (point, fp.addrs) };
                    pieces.push(Piece {
                        family,
                        src,
                        dst,
                        src_holder: if inbound { None } else { holder },
                        dst_holder: if inbound { holder } else { None },
                        slot: fp.slot,
                        ports: fp.ports,
                        before: outcome(0),
                        after: outcome(1),
                    });
                }
            }
        }
        // Held point to held point: only pairs with a changed end.
        let targets: Vec<usize> = (0..held.len()).filter(|&k| in_changed[k]).collect();
        let everyone: Vec<usize> = (0..held.len()).collect();
        'sources: for y in 0..held.len() {
            let xs = if out_changed[y] { &everyone } else { &targets };
            for (n, &x) in xs.iter().enumerate() {
                if x == y {
                    continue;
                }
                if work.evaluations >= work.limits.evaluations {
                    unvisited_pairs += xs.len() - n;
                    unvisited_pairs +=
                        (y + 1..held.len()).map(|y| if out_changed[y] { held.len() - 1 } else { targets.len() }).sum::<usize>();
                    break 'sources;
                }
                work.evaluations += 1;
                match pair(&mut work, held[y], held[x], family, [held_by[y], held_by[x]]) {
                    Ok(found) => pieces.extend(found),
                    Err(Unknown) => unknown_pairs += 1,
                }
            }
        }
    }
    let mut skipped = work.skipped;
    if unknown_pairs > 0 {
        skipped.push(Skipped {
            what: format!("{unknown_pairs} address pairs not compared: a rule space they need was skipped (listed above)"),
            cells: 0,
            budget_spent: false,
        });
    }
    if unvisited_pairs > 0 {
        skipped.push(Skipped {
            what: format!("{unvisited_pairs} address pairs left when the budget of {} evaluations was spent", work.limits.evaluations),
            cells: work.evaluations,
            budget_spent: true,
        });
    }
    let mut changes: Vec<Change> = regions(pieces).into_iter().map(|p| change(p, &slots, versions, &holders)).collect();
    changes.sort_by(|x, y| {
        let key = |c: &Change| (c.dst.instance.clone(), c.region.dst.first().copied(), c.region.src.first().copied(), c.protocol.clone());
        key(x).cmp(&key(y)).then_with(|| x.ports.cmp(&y.ports))
    });
    WorldDiff { changes, skipped, named_protocols: slots.named }
}

/// The changes of one pair of held points `y → x`.
fn pair(work: &mut Work<'_>, y: IpAddr, x: IpAddr, family: Ethertype, holders: [Option<Holder>; 2]) -> Result<Vec<Piece>, Unknown> {
    let versions = work.versions;
    let [va, vb] = versions;
    let probe = example_packet(y, x, 0, 0);
    let routes = [route(va, &probe), route(vb, &probe)];
    let asks = [[ask(va, routes[0].outbound), ask(va, routes[0].inbound)], [ask(vb, routes[1].outbound), ask(vb, routes[1].inbound)]];
    let directions = [Direction::Egress, Direction::Ingress];
    // Where may the verdict change? Where a side's function changes at the pair's remote.
    let mut candidates: Vec<(usize, u16, u16)> = Vec::new();
    let mut whole = false;
    for (d, &direction) in directions.iter().enumerate() {
        let (qa, qb) = (asks[0][d], asks[1][d]);
        if matches!((qa.func, qb.func), (Func::Pass(_), Func::Pass(_))) {
            continue;
        }
        let remote = match (qa.remote, qb.remote) {
            (Some(ra), Some(rb)) if ra != rb => {
                whole = true;
                break;
            }
            (ra, rb) => ra.or(rb).unwrap_or(RemoteAddress::Known(x)),
        };
        let slot = side_slot(direction, family);
        let what = || {
            let holder = if direction == Direction::Egress { holders[0] } else { holders[1] };
            let who = holder.map_or("?", |(v, i)| versions[v].instance_id(i));
            format!("{} {family} rules of `{who}`", direction.label())
        };
        match work.joint(qa.func, qb.func, slot, &what) {
            JointState::Same => {}
            JointState::Unknown => return Err(Unknown),
            JointState::Changed(j) => {
                let joint = &work.joints[j];
                let ac = joint.grid.remote_class(remote);
                for &pc in &joint.changed_at[ac as usize] {
                    candidates.extend(joint.pc_runs[pc as usize].iter().copied());
                }
            }
        }
    }
    if whole {
        candidates = (0..work.slots.protocols.len()).map(|s| (s, 0, u16::MAX)).collect();
    }
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    // The four sides as chains of group grids, with the remote's class in each.
    let mut resolved: Vec<[Resolved; 2]> = Vec::with_capacity(2);
    for (w, per_world) in asks.iter().enumerate() {
        let mut sides = Vec::with_capacity(2);
        for (d, q) in per_world.iter().enumerate() {
            let slot = side_slot(directions[d], family);
            sides.push(match q.func {
                Func::Pass(p) => Resolved::Pass(p),
                Func::Sig(s) => {
                    let remote = q.remote.unwrap_or(RemoteAddress::Known(x));
                    let mut chain = Vec::new();
                    for &g in &versions[w].sigs[s as usize] {
                        let grid = work.group_grid(w, g, slot).ok_or(Unknown)?;
                        chain.push((grid, work.grids[grid].remote_class(remote), g));
                    }
                    Resolved::Chain(chain)
                }
            });
        }
        let [o, i]: [Resolved; 2] = sides.try_into().map_err(|_| Unknown)?;
        resolved.push([o, i]);
    }
    candidates.sort_unstable();
    let mut runs: Vec<(usize, u16, u16)> = Vec::new();
    for (s, lo, hi) in candidates {
        match runs.last_mut() {
            Some(last) if last.0 == s && (last.2 >= lo || last.2.checked_add(1) == Some(lo)) => last.2 = last.2.max(hi),
            _ => runs.push((s, lo, hi)),
        }
    }
    // A pair has few distinct outcomes: a list beats a map.
    let mut found: Vec<(PairKey, Vec<(u16, u16)>)> = Vec::new();
    for (slot, lo, hi) in runs {
        let mut cuts = vec![lo];
        if work.slots.ported(slot) {
            for per_world in &resolved {
                for side in per_world {
                    if let Resolved::Chain(chain) = side {
                        for &(grid, _, _) in chain {
                            let starts = &work.grids[grid].starts[slot];
                            let from = starts.partition_point(|&s| s <= lo);
                            cuts.extend(starts[from..].iter().take_while(|&&s| s <= hi));
                        }
                    }
                }
            }
            cuts.sort_unstable();
            cuts.dedup();
        }
        work.evaluations += cuts.len();
        for (k, &first) in cuts.iter().enumerate() {
            let last = cuts.get(k + 1).map_or(hi, |n| n - 1);
            let outcomes = [0, 1].map(|w| judge(work, w, &resolved[w], family, slot, first));
            if outcomes[0].allow == outcomes[1].allow {
                continue;
            }
            let key = (slot, outcomes[0], outcomes[1]);
            match found.iter_mut().find(|(k, _)| *k == key) {
                Some((_, ports)) => ports.push((first, last)),
                None => found.push((key, vec![(first, last)])),
            }
        }
    }
    let (src, dst) = ((addr_number(y), addr_number(y)), (addr_number(x), addr_number(x)));
    Ok(found
        .into_iter()
        .map(|((slot, before, after), ports)| Piece {
            family,
            src: vec![src],
            dst: vec![dst],
            src_holder: holders[0],
            dst_holder: holders[1],
            slot,
            ports: merge(ports),
            before,
            after,
        })
        .collect())
}

/// A pair's changed ports are grouped by slot and outcome in each version.
type PairKey = (usize, Outcome, Outcome);

/// A path's verdict in one version with what decided each side consulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Outcome {
    allow: bool,
    out: Option<Cause>,
    inb: Option<Cause>,
}

impl Outcome {
    fn texts(&self, v: &Version) -> Vec<String> {
        let out = self.out.and_then(|c| v.cause_text(Direction::Egress, c));
        let inb = self.inb.and_then(|c| v.cause_text(Direction::Ingress, c));
        out.into_iter().chain(inb).collect()
    }
}

/// Both sides of a pair in version `w` for one protocol slot and port: the outbound side first;
/// when it denies, the inbound side is not consulted (as the tracer stops there).
fn judge(work: &Work<'_>, w: usize, sides: &[Resolved; 2], family: Ethertype, slot: usize, port: u16) -> Outcome {
    let v = work.versions[w];
    let side = |resolved: &Resolved, direction: Direction| -> (bool, Cause) {
        match resolved {
            Resolved::Pass(p) => (true, Cause::Pass(*p)),
            Resolved::Chain(chain) => {
                let list = side_slot(direction, family);
                // Each group's first match is its smallest key; the smallest of those decides (under
                // Huawei the sequence leads the key, so the first group with a match).
                let mut best: Option<(OrderKey, bool, Cause)> = None;
                for (seq, &(grid, ac, g)) in chain.iter().enumerate() {
                    if best.is_some() && v.world.profile.sequences_groups() {
                        break;
                    }
                    let grid = &work.grids[grid];
                    let pos = grid.first(0, grid.port_class(slot, port), ac);
                    if pos != NONE {
                        let r = v.order[g as usize][list][pos as usize];
                        let rule = &v.world.security_groups[g as usize].rules[r as usize];
                        let key = OrderKey::of(v.world.profile, seq, r as usize, rule);
                        if best.is_none_or(|(b, ..)| key < b) {
                            best = Some((key, rule.action == Action::Allow, Cause::Rule(g, r)));
                        }
                    }
                }
                best.map_or((false, Cause::DefaultDeny), |(_, allow, cause)| (allow, cause))
            }
        }
    };
    let (out_allows, out) = side(&sides[0], Direction::Egress);
    let out = (out != Cause::Pass(Pass::NotCrossed)).then_some(out);
    if !out_allows {
        return Outcome { allow: false, out, inb: None };
    }
    let (in_allows, inb) = side(&sides[1], Direction::Ingress);
    let inb = (inb != Cause::Pass(Pass::NotCrossed)).then_some(inb);
    Outcome { allow: in_allows, out, inb }
}

fn example_packet(src: IpAddr, dst: IpAddr, protocol: u8, port: u16) -> Packet {
    let ports = matches!(protocol, TCP | UDP);
    let icmp = matches!(protocol, ICMP | ICMPV6);
    Packet {
        src,
        dst,
        protocol,
        src_port: if ports { 49152 } else { 0 },
        dst_port: if ports { port } else { 0 },
        icmp_type: match protocol {
            ICMP => 8,
            ICMPV6 => 128,
            _ => 0,
        },
        icmp_code: 0,
        icmp_id: u16::from(icmp),
        tcp_flags: if protocol == TCP { TcpFlags::SYN } else { TcpFlags::empty() },
        embedded: None,
    }
}

/// An interval as an address, a CIDR block, or a range `a-b`.
pub fn interval_text(lo: u128, hi: u128, family: Ethertype) -> String {
    let addr = |n| number_to_addr(n, family);
    let bits: u32 = if family == Ethertype::IPv4 { 32 } else { 128 };
    if lo == hi {
        return addr(lo).to_string();
    }
    if lo == 0 && hi == family_max(family) {
        return format!("{}/0", addr(0));
    }
    let size = hi - lo + 1;
    if size.is_power_of_two() && lo.is_multiple_of(size) {
        return format!("{}/{}", addr(lo), bits - size.trailing_zeros());
    }
    format!("{}-{}", addr(lo), addr(hi))
}

fn port_text((lo, hi): (u16, u16)) -> String {
    match (lo, hi) {
        (0, u16::MAX) => "all".to_string(),
        (a, b) if a == b => a.to_string(),
        (a, b) => format!("{a}-{b}"),
    }
}

fn change(p: Piece, slots: &Slots, versions: [&Version; 2], holders: &[Vec<(u128, Holder)>; 2]) -> Change {
    let ported = slots.ported(p.slot);
    let protocol = slots.example(p.slot);
    let port = p.ports.first().map_or(0, |&(lo, hi)| if lo == 0 && hi > 0 { 1 } else { lo });
    let example = example_packet(
        number_to_addr(p.src.first().map_or(0, |s| s.0), p.family),
        number_to_addr(p.dst.first().map_or(0, |d| d.0), p.family),
        protocol,
        port,
    );
    let texts = |set: &[(u128, u128)]| set.iter().map(|&(lo, hi)| interval_text(lo, hi, p.family)).collect::<Vec<_>>();
    let name = |(v, i): Holder| versions[v].instance_id(i).to_string();
    // The instances holding a source address (free intervals hold none).
    let held = &holders[family_slot(p.family)];
    let mut src_instances: BTreeSet<String> = BTreeSet::new();
    for &(lo, hi) in &p.src {
        let from = held.partition_point(|&(n, _)| n < lo);
        src_instances.extend(held[from..].iter().take_while(|&&(n, _)| n <= hi).map(|&(_, h)| name(h)));
    }
    let dst_instance = p.dst_holder.map(name);
    let mut touched = src_instances.clone();
    touched.extend(dst_instance.iter().cloned());
    let region = Region {
        family: p.family,
        src: p.src.clone(),
        dst: p.dst.clone(),
        protocols: match slots.protocols[p.slot] {
            Some(n) => Protocols::One(n),
            None => Protocols::AllExcept(slots.named.clone()),
        },
        ports: ported.then(|| p.ports.clone()),
    };
    let verdict = |o: &Outcome| if o.allow { Action::Allow } else { Action::Deny };
    Change {
        src: texts(&p.src),
        src_instances: src_instances.into_iter().collect(),
        dst: Endpoint { instance: dst_instance, addresses: texts(&p.dst) },
        protocol: slots.protocols[p.slot].map_or_else(|| "all others".to_string(), protocol_name),
        ports: if ported { p.ports.iter().map(|&r| port_text(r)).collect() } else { Vec::new() },
        before: verdict(&p.before),
        after: verdict(&p.after),
        example,
        rules_before: p.before.texts(versions[0]),
        rules_after: p.after.texts(versions[1]),
        instances_touched: touched.len(),
        region,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Instance, PortRange, PortSet, Remote, Rule, SecurityGroup};

    fn rule(id: &str, direction: Direction, port: Option<u16>, remote: &str, action: Action) -> Rule {
        Rule {
            id: id.into(),
            direction,
            ethertype: Ethertype::IPv4,
            protocol: if port.is_some() { ProtocolMatch::Number(TCP) } else { ProtocolMatch::Any },
            ports: port.map_or_else(PortSet::all, |p| PortSet::from_ranges(vec![PortRange { first: p, last: p }])),
            action,
            priority: 1,
            remote: Remote::Prefix(remote.parse().unwrap()),
            description: String::new(),
        }
    }

    /// `web` (10.0.0.5) admits SSH from 172.16.0.0/24 and sends anything; `db` (10.0.0.6) admits
    /// MySQL from 10.0.0.0/24.
    fn world() -> World {
        let group = |id: &str, rules: Vec<Rule>| SecurityGroup { id: id.into(), name: id.into(), rules, ..Default::default() };
        let out = rule("out", Direction::Egress, None, "0.0.0.0/0", Action::Allow);
        let instance = |id: &str, ip: &str, group: &str| Instance {
            id: id.into(),
            private_ips: vec![ip.parse().unwrap()],
            security_groups: vec![group.into()],
            ..Default::default()
        };
        World {
            security_groups: vec![
                group("sg-web", vec![rule("ssh", Direction::Ingress, Some(22), "172.16.0.0/24", Action::Allow), out.clone()]),
                group("sg-db", vec![rule("mysql", Direction::Ingress, Some(3306), "10.0.0.0/24", Action::Allow), out]),
            ],
            instances: vec![instance("web", "10.0.0.5", "sg-web"), instance("db", "10.0.0.6", "sg-db")],
            ..Default::default()
        }
    }

    #[test]
    fn a_world_against_itself_changes_nothing() {
        let w = world();
        assert_eq!(diff(&w, &w), WorldDiff { named_protocols: vec![TCP, UDP], ..WorldDiff::default() });
    }

    #[test]
    fn a_deny_before_an_allow_closes_exactly_its_region_with_both_sides() {
        let a = world();
        let mut b = a.clone();
        let mut deny = rule("no-web", Direction::Ingress, Some(3306), "10.0.0.5/32", Action::Deny);
        deny.priority = 1;
        b.security_groups[1].rules.insert(0, deny);
        let report = diff(&a, &b);
        assert!(report.skipped.is_empty());
        assert_eq!(report.changes.len(), 1, "{:#?}", report.changes);
        let c = &report.changes[0];
        assert_eq!((c.before, c.after), (Action::Allow, Action::Deny));
        assert_eq!(c.src, ["10.0.0.5"]);
        assert_eq!(c.src_instances, ["web"]);
        assert_eq!(c.dst, Endpoint { instance: Some("db".into()), addresses: vec!["10.0.0.6".into()] });
        assert_eq!((c.protocol.as_str(), c.ports.as_slice()), ("tcp", &["3306".to_string()][..]));
        assert_eq!(c.rules_before, ["sg-web/out", "sg-db/mysql"]);
        assert_eq!(c.rules_after, ["sg-web/out", "sg-db/no-web"]);
        assert_eq!(c.instances_touched, 2);
        assert_eq!(crate::decide(&a, &c.example), crate::Verdict::Allow);
        assert_eq!(crate::decide(&b, &c.example), crate::Verdict::Deny);
    }

    #[test]
    fn an_outbound_change_reaches_the_internet_and_other_instances() {
        let a = world();
        let mut b = a.clone();
        b.security_groups[1].rules.retain(|r| r.id != "out");
        let report = diff(&a, &b);
        // db sends nothing any more: to web (whose inbound lets no db traffic in anyway, so no
        // change there) and to every free address, for every protocol.
        assert!(report.changes.iter().all(|c| c.src == ["10.0.0.6"] && !c.opened()));
        let internet: Vec<&Change> = report.changes.iter().filter(|c| c.dst.instance.is_none()).collect();
        assert_eq!(internet.len(), 3, "tcp, udp and all others: {internet:#?}");
        assert!(internet.iter().all(|c| c.dst.addresses == ["0.0.0.0-10.0.0.4", "10.0.0.7-255.255.255.255"]));
        assert!(internet.iter().all(|c| c.rules_after == ["default deny (outbound)"]));
        assert!(report.changes.iter().all(|c| c.dst.instance.as_deref() != Some("web")), "{:#?}", report.changes);
    }

    #[test]
    fn limits_skip_instead_of_guessing() {
        let a = world();
        let mut b = a.clone();
        b.security_groups[0].rules[0].ports = PortSet::all();
        let report = diff_within(&a, &b, DiffLimits { cells: 0, evaluations: DIFF_EVALUATION_BUDGET });
        assert!(report.changes.is_empty());
        assert!(report.skipped.iter().any(|s| s.budget_spent && s.what.contains("inbound IPv4 rules of `web`")), "{:?}", report.skipped);
        let report = diff_within(&a, &b, DiffLimits { cells: DIFF_CELL_BUDGET, evaluations: 0 });
        assert!(!report.changes.is_empty(), "free sources need no pair evaluation");
        assert!(report.skipped.iter().any(|s| s.budget_spent && s.what.contains("address pairs left")), "{:?}", report.skipped);
    }

    #[test]
    fn intervals_read_as_addresses_blocks_or_ranges() {
        let v4 = |s: &str| addr_number(s.parse().unwrap());
        assert_eq!(interval_text(v4("10.0.0.1"), v4("10.0.0.1"), Ethertype::IPv4), "10.0.0.1");
        assert_eq!(interval_text(v4("10.0.0.0"), v4("10.255.255.255"), Ethertype::IPv4), "10.0.0.0/8");
        assert_eq!(interval_text(v4("10.0.0.1"), v4("10.0.0.2"), Ethertype::IPv4), "10.0.0.1-10.0.0.2");
        assert_eq!(interval_text(0, u32::MAX as u128, Ethertype::IPv4), "0.0.0.0/0");
        assert_eq!(interval_text(0, u128::MAX, Ethertype::IPv6), "::/0");
        assert_eq!(interval_text(1 << 127, u128::MAX, Ethertype::IPv6), "8000::/1");
        let mut out = Vec::new();
        subtract(0, 10, &[0, 3, 4, 10, 12], &mut out);
        assert_eq!(out, [(1, 2), (5, 9)]);
        out.clear();
        subtract(5, u128::MAX, &[u128::MAX], &mut out);
        assert_eq!(out, [(5, u128::MAX - 1)]);
    }
}
