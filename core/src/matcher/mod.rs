//! # The compiled matcher
//!
//! [`Matcher::build`] reads a [`World`] once; [`Matcher::decide`] and [`Matcher::decide_rule`]
//! then answer any packet without allocating, without failing and without looking an id up
//! (regex-automata's shape: build fallibly, match infallibly; here even the build cannot fail,
//! it only chooses a slower layout for crafted input).
//!
//! ## What is built
//! - Per family, an [`AddressSpace`]: the addresses cut into classes at every interval any rule
//!   covers and at every address an instance holds. One binary search gives a packet address's
//!   class and, through it, the instance holding it (the address index).
//! - Per rule, its [`RuleShape`]: protocol, merged port ranges, merged address intervals; remote
//!   security groups are resolved through the member index, IP address groups to their entries.
//! - Per *side* (the ordered list of groups an instance has, one direction, one family), a
//!   first-match [`Table`] over the side's rules in the one evaluation order
//!   ([`crate::eval::instance_order`]): its cells name the deciding rule. Instances with the same
//!   groups share it. When the world has too many distinct sides for that to stay small
//!   ([`FUSE_BUDGET`]), a side is a *chain* of per-group tables instead (each over
//!   [`crate::eval::group_order`]), consulted in sequence until one names a rule: the same answer,
//!   a few more reads. Chains need a group-sequence step; under the Alibaba profile a side over
//!   budget is its own table kept as a scan.
//!
//! ## The path
//! [`crate::eval::route`] is the one definition of which sides a packet crosses; the matcher
//! answers its questions (who holds this address, has it groups, its EIP) from the indices.
//!
//! ## Invariants
//! - `decide(p) == eval::decide(world, p)` and `decide_rule(p)` names the rule the tracer names,
//!   for every packet: the property tests in `tests/` compare all three with a naive reference.
//! - Nothing on the matching path formats text; names are looked up only when asked for.

mod address_space;
mod batch;
pub mod port_runs;
pub mod shape;
mod table;

pub use address_space::AddressSpace;
pub use batch::Batch;
pub use shape::RuleShape;
pub use table::{Budget, Table};

use crate::conntrack::Connection;
use crate::eval::{group_order, instance_order, route, Crossing, Directory, RemoteAddress, Route, Verdict};
use crate::model::{Action, AddressKind, Direction, Ethertype, World};
use crate::packet::Packet;
use shape::{addr_number, family_max, MemberIndex};
use std::collections::HashMap;
use std::net::IpAddr;
use table::NO_RULE;

/// Fused side tables keep one address-class entry per class of their family; past this many
/// entries in all, sides are chains of per-group tables instead.
pub const FUSE_BUDGET: usize = 1 << 23;

/// How the matcher may lay itself out. The answers never depend on it, only speed and memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatcherConfig {
    /// Address-class entries all fused side tables may hold together (see [`FUSE_BUDGET`]);
    /// 0 makes every side a chain of group tables.
    pub fuse_budget: usize,
    /// The size a single table may reach before it is kept as a scan; a zero budget makes every
    /// table a scan.
    pub table_budget: Budget,
}

impl Default for MatcherConfig {
    fn default() -> MatcherConfig {
        MatcherConfig { fuse_budget: FUSE_BUDGET, table_budget: Budget::default() }
    }
}

/// A rule of the world: `group` indexes `World::security_groups`, `rule` that group's `rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleRef {
    pub group: u32,
    pub rule: u32,
}

/// What decided one side of a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SideResult {
    /// The path does not cross this side (no instance there, or one instance on both ends).
    NotCrossed,
    /// An earlier side denied: this one was not looked at (the tracer stops there too).
    NotConsulted,
    /// The instance has no security group.
    Unfiltered,
    /// A load balancer with Transfer Client IP Address sent the packet: its own outbound rules and
    /// the destination's inbound rules are bypassed.
    Bypassed,
    /// A rule matched.
    Rule { rule: RuleRef, action: Action },
    /// No rule matched: denied by default.
    DefaultDeny,
    /// The packet cannot open a connection (a SYN-ACK, FIN or RST, an echo reply, an ICMP error)
    /// and no connection is tracked: the tracker drops it at the first side that tracks it.
    Invalid,
}

impl SideResult {
    pub fn allows(self) -> bool {
        !matches!(self, SideResult::DefaultDeny | SideResult::Invalid | SideResult::Rule { action: Action::Deny, .. })
    }

    pub fn rule(self) -> Option<RuleRef> {
        match self {
            SideResult::Rule { rule, .. } => Some(rule),
            _ => None,
        }
    }
}

/// The verdict with what decided each side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    pub verdict: Verdict,
    /// The source instance's outbound rules.
    pub outbound: SideResult,
    /// The destination instance's inbound rules.
    pub inbound: SideResult,
}

/// Sizes of what was built, for the build report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BuildStats {
    pub address_classes_v4: usize,
    pub address_classes_v6: usize,
    pub rules: usize,
    /// Distinct sides (group list, direction, family) with at least one rule.
    pub sides: usize,
    /// Of those, sides with one fused table; the rest are chains of group tables.
    pub fused_sides: usize,
    pub tables: usize,
    /// Tables too big to compile, kept as scans.
    pub scan_tables: usize,
    pub cells: usize,
}

#[derive(Clone, Debug)]
struct CompiledTable {
    table: Table,
    /// Position in the table's rule list → the rule and its action.
    rules: Vec<(RuleRef, Action)>,
}

#[derive(Clone, Copy, Debug, Default)]
struct InstanceEntry {
    has_groups: bool,
    eip: Option<IpAddr>,
    bypasses: bool,
    /// Its VPC (index into `World::vpcs`) and its subnet's NAT gateway EIP, for the path.
    vpc: Option<usize>,
    snat: Option<IpAddr>,
    /// Per [`side_slot`]: the range of `chains` holding the side's tables, in consultation order.
    sides: [(u32, u32); 4],
}

/// The compiled world. Build once per world version; cheap to query from any thread.
#[derive(Clone, Debug)]
pub struct Matcher {
    spaces: [AddressSpace; 2],
    tables: Vec<CompiledTable>,
    chains: Vec<u32>,
    instances: Vec<InstanceEntry>,
    /// Per VPC, its blocks (the VPC's CIDR and its subnets' IPv6 blocks); and the peered pairs.
    vpcs: Vec<Vec<ipnet::IpNet>>,
    peerings: Vec<(usize, usize)>,
    stats: BuildStats,
}

/// IPv4 0, IPv6 1: the index of a family's address space.
pub(crate) fn family_slot(family: Ethertype) -> usize {
    match family {
        Ethertype::IPv4 => 0,
        Ethertype::IPv6 => 1,
    }
}

/// Inbound IPv4 0, inbound IPv6 1, outbound IPv4 2, outbound IPv6 3: a side's index.
pub(crate) fn side_slot(direction: Direction, family: Ethertype) -> usize {
    let d = match direction {
        Direction::Ingress => 0,
        Direction::Egress => 2,
    };
    d + family_slot(family)
}

const FAMILIES: [Ethertype; 2] = [Ethertype::IPv4, Ethertype::IPv6];
const DIRECTIONS: [Direction; 2] = [Direction::Ingress, Direction::Egress];

impl Matcher {
    pub fn build(world: &World) -> Matcher {
        Matcher::build_with(world, MatcherConfig::default())
    }

    pub fn build_with(world: &World, config: MatcherConfig) -> Matcher {
        let members = MemberIndex::build(&world.instances);
        let group_index: HashMap<&str, u32> = world.security_groups.iter().enumerate().map(|(i, g)| (g.id.as_str(), i as u32)).collect();
        let shapes: Vec<Vec<RuleShape>> =
            world.security_groups.iter().map(|g| g.rules.iter().map(|r| shape::shape(world, &members, r)).collect()).collect();

        let spaces = FAMILIES.map(|family| {
            let mut held = Vec::new();
            for (i, inst) in world.instances.iter().enumerate() {
                let addrs = inst.private_ips.iter().map(|a| (a, AddressKind::Private));
                let addrs = addrs.chain(inst.virtual_ips.iter().map(|a| (a, AddressKind::Virtual)));
                let addrs = addrs.chain(inst.eip.iter().map(|a| (a, AddressKind::Eip)));
                for (a, kind) in addrs {
                    if Ethertype::of(*a) == family {
                        held.push((addr_number(*a), i as u32, kind));
                    }
                }
            }
            let intervals = world
                .security_groups
                .iter()
                .zip(&shapes)
                .flat_map(|(g, s)| g.rules.iter().zip(s))
                .filter(|(r, _)| r.ethertype == family)
                .flat_map(|(_, s)| s.remote.iter().copied());
            AddressSpace::build(family_max(family), intervals, &held)
        });

        let mut builder = Builder {
            world,
            config,
            group_index: &group_index,
            shapes: &shapes,
            spaces: &spaces,
            tables: Vec::new(),
            group_tables: HashMap::new(),
        };
        // Distinct sides: instances with the same group list share their tables.
        let mut side_of: HashMap<(Vec<u32>, usize), (u32, u32)> = HashMap::new();
        let mut chains: Vec<u32> = Vec::new();
        let mut fused_entries = 0usize;
        let mut stats = BuildStats::default();
        let mut instances = Vec::with_capacity(world.instances.len());
        for inst in &world.instances {
            let groups: Vec<u32> = inst.security_groups.iter().filter_map(|g| group_index.get(g.as_str()).copied()).collect();
            let mut entry = InstanceEntry {
                has_groups: !inst.security_groups.is_empty(),
                eip: inst.eip,
                bypasses: inst.bypasses_backend_rules(),
                vpc: world.vpc_of_instance(inst),
                snat: world.snat_of_instance(inst),
                sides: [(0, 0); 4],
            };
            for direction in DIRECTIONS {
                for family in FAMILIES {
                    let slot = side_slot(direction, family);
                    let key = (groups.clone(), slot);
                    if let Some(&range) = side_of.get(&key) {
                        entry.sides[slot] = range;
                        continue;
                    }
                    let start = chains.len() as u32;
                    let g = spaces[family_slot(family)].len();
                    let mut fused = (fused_entries + g <= config.fuse_budget).then(|| builder.fused(inst, direction, family)).flatten();
                    // A chain consults groups in sequence, which only a group-sequence profile
                    // means: under Alibaba the side is always its own table (a scan past budget).
                    if fused.is_none() && !world.profile.sequences_groups() {
                        fused = Some(builder.aggregated(inst, direction, family));
                    }
                    match fused {
                        Some(Some(t)) => {
                            fused_entries += g;
                            stats.fused_sides += 1;
                            stats.sides += 1;
                            chains.push(t);
                        }
                        Some(None) => {} // no rule on this side
                        None => {
                            for &group in &groups {
                                if let Some(t) = builder.group_table(group, direction, family) {
                                    chains.push(t);
                                }
                            }
                            if chains.len() as u32 > start {
                                stats.sides += 1;
                            }
                        }
                    }
                    let range = (start, chains.len() as u32);
                    side_of.insert(key, range);
                    entry.sides[slot] = range;
                }
            }
            instances.push(entry);
        }
        let tables = builder.tables;
        stats.address_classes_v4 = spaces[0].len();
        stats.address_classes_v6 = spaces[1].len();
        stats.rules = world.security_groups.iter().map(|g| g.rules.len()).sum();
        stats.tables = tables.len();
        stats.scan_tables = tables.iter().filter(|t| matches!(t.table, Table::Scan(_))).count();
        stats.cells = tables.iter().map(|t| t.table.cells()).sum();
        let vpcs =
            world.vpcs.iter().map(|v| std::iter::once(v.cidr).chain(v.subnets.iter().filter_map(|s| s.ipv6_cidr)).collect()).collect();
        let peerings = world.peerings.iter().map(|p| p.vpcs).collect();
        Matcher { spaces, tables, chains, instances, vpcs, peerings, stats }
    }

    /// Every address class of a family, as (first, last) numbers: the cut of the address space at
    /// every rule interval end and held address.
    pub fn address_classes(&self, family: Ethertype) -> impl Iterator<Item = (u128, u128)> + '_ {
        let space = self.space(family);
        (0..space.len() as u32).map(move |c| (space.first_address(c), space.last_address(c, family_max(family))))
    }

    pub fn stats(&self) -> BuildStats {
        self.stats
    }

    /// Allow or deny, as [`crate::eval::decide`] says.
    #[inline]
    pub fn decide(&self, packet: &Packet) -> Verdict {
        self.decide_rule(packet).verdict
    }

    /// The verdict and what decided each side, as the tracer would report it.
    pub fn decide_rule(&self, packet: &Packet) -> Decision {
        let port = if packet.has_ports() { packet.dst_port } else { 0 };
        self.decide_with(packet, |_, table, class| table.table.lookup(packet.protocol, port, class))
    }

    /// Which compiled side an instance's `direction` and `family` use: instances with equal keys
    /// get equal answers for every packet of that side (they share its tables).
    pub fn side_key(&self, instance: u32, direction: Direction, family: Ethertype) -> (u32, u32) {
        self.instances.get(instance as usize).map_or((0, 0), |e| e.sides[side_slot(direction, family)])
    }

    /// The family of an address and its class in that family's address space.
    pub fn address_class(&self, addr: IpAddr) -> (Ethertype, u32) {
        let family = Ethertype::of(addr);
        (family, self.space(family).class_of(addr_number(addr)))
    }

    /// The class a side's rules look up for `remote`: [`Matcher::address_class`] of a known
    /// address, the family's unknown class for an unknown public source.
    pub fn remote_class(&self, remote: RemoteAddress) -> (Ethertype, u32) {
        match remote {
            RemoteAddress::Known(addr) => self.address_class(addr),
            RemoteAddress::UnknownPublic { sent_from } => {
                let family = Ethertype::of(sent_from);
                (family, self.space(family).unknown_class())
            }
        }
    }

    /// The route of `packet` ([`crate::eval::route`]), instances named by their index.
    pub fn route(&self, packet: &Packet) -> Route<u32> {
        route(&Resolved::new(self, packet), packet)
    }

    /// A view for one service (protocol and port): each table's cells for it taken out once, so
    /// the many packets of a reachability matrix skip the protocol and port look-ups.
    pub fn for_service(&self, protocol: u8, port: u16) -> ServiceView<'_> {
        let port = if crate::model::ProtocolMatch::Number(protocol).has_ports() { port } else { 0 };
        ServiceView { matcher: self, protocol, port, columns: self.tables.iter().map(|t| t.table.column(protocol, port)).collect() }
    }

    /// `decide_rule`, with `lookup(table index, table, address class)` naming the first matching
    /// rule of a table.
    #[inline]
    fn decide_with(&self, packet: &Packet, lookup: impl Fn(usize, &CompiledTable, u32) -> u32) -> Decision {
        let family = packet.family();
        let resolved = Resolved::new(self, packet);
        let route = route(&resolved, packet);
        let mut decision = Decision { verdict: Verdict::Allow, outbound: SideResult::NotCrossed, inbound: SideResult::NotCrossed };
        // As `eval::evaluate`: the first tracking side drops a packet that cannot open a connection.
        let opens = Connection::can_open(packet);
        for (direction, crossing) in route.crossings() {
            let tracks = !matches!(crossing, Crossing::Unfiltered { .. });
            let result = if decision.verdict == Verdict::Deny {
                SideResult::NotConsulted
            } else if tracks && !opens {
                SideResult::Invalid
            } else {
                match crossing {
                    Crossing::Rules { instance, remote } => self.side(instance, direction, family, resolved.remote_class(remote), &lookup),
                    Crossing::Bypass { .. } => SideResult::Bypassed,
                    Crossing::Unfiltered { .. } => SideResult::Unfiltered,
                }
            };
            if !result.allows() {
                decision.verdict = Verdict::Deny;
            }
            match direction {
                Direction::Egress => decision.outbound = result,
                Direction::Ingress => decision.inbound = result,
            }
        }
        decision
    }

    /// One side: the first table of its chain that names a rule decides.
    #[inline]
    fn side(
        &self,
        instance: u32,
        direction: Direction,
        family: Ethertype,
        remote: Option<(Ethertype, u32)>,
        lookup: &impl Fn(usize, &CompiledTable, u32) -> u32,
    ) -> SideResult {
        // A remote of the other family matches no rule of this family (see `remote_matches`).
        let Some((remote_family, class)) = remote else { return SideResult::DefaultDeny };
        if remote_family != family {
            return SideResult::DefaultDeny;
        }
        let Some(entry) = self.instances.get(instance as usize) else { return SideResult::DefaultDeny };
        let (start, end) = entry.sides[side_slot(direction, family)];
        for &t in self.chains.get(start as usize..end as usize).unwrap_or(&[]) {
            let table = &self.tables[t as usize];
            let pos = lookup(t as usize, table, class);
            if pos != NO_RULE {
                if let Some(&(rule, action)) = table.rules.get(pos as usize) {
                    return SideResult::Rule { rule, action };
                }
            }
        }
        SideResult::DefaultDeny
    }

    fn space(&self, family: Ethertype) -> &AddressSpace {
        &self.spaces[family_slot(family)]
    }
}

/// The matcher for packets of one service: [`Matcher::for_service`].
pub struct ServiceView<'m> {
    matcher: &'m Matcher,
    protocol: u8,
    port: u16,
    /// Per table, its first matching rule for this service by local address class (`None`: a scan).
    columns: Vec<Option<table::Column<'m>>>,
}

impl ServiceView<'_> {
    /// As [`Matcher::decide_rule`], for a packet of this view's service.
    /// Does `instance`'s `direction` side allow this service's packets whose remote (the
    /// destination for outbound, the source for inbound) is `remote`? The side alone, without the
    /// route: callers that judge many packets combine sides along [`Matcher::route`].
    pub fn side_allows(&self, instance: u32, direction: Direction, remote: RemoteAddress) -> bool {
        self.side_allows_class(instance, direction, self.matcher.remote_class(remote))
    }

    /// [`ServiceView::side_allows`] for a remote already resolved by [`Matcher::address_class`].
    #[inline]
    pub fn side_allows_class(&self, instance: u32, direction: Direction, (family, class): (Ethertype, u32)) -> bool {
        self.matcher
            .side(instance, direction, family, Some((family, class)), &|index, table, class| self.lookup(index, table, class))
            .allows()
    }

    #[inline]
    fn lookup(&self, index: usize, table: &CompiledTable, class: u32) -> u32 {
        // `columns` has one entry per table, in table order.
        match self.columns.get(index).and_then(|c| c.as_ref()) {
            Some(column) => column.lookup(class),
            None => table.table.lookup(self.protocol, self.port, class),
        }
    }

    /// A packet of another service is judged by the matcher itself.
    pub fn decide_rule(&self, packet: &Packet) -> Decision {
        let (protocol, port) = (self.protocol, self.port);
        let packet_port = if packet.has_ports() { packet.dst_port } else { 0 };
        if packet.protocol != protocol || packet_port != port {
            return self.matcher.decide_rule(packet);
        }
        self.matcher.decide_with(packet, |index, table, class| self.lookup(index, table, class))
    }

    pub fn decide(&self, packet: &Packet) -> Verdict {
        self.decide_rule(packet).verdict
    }
}

/// The addresses of one packet, resolved to their classes once, answering the path's
/// questions for `route`.
struct Resolved<'m> {
    matcher: &'m Matcher,
    src: (IpAddr, Ethertype, u32),
    dst: (IpAddr, Ethertype, u32),
}

impl<'m> Resolved<'m> {
    fn new(matcher: &'m Matcher, packet: &Packet) -> Resolved<'m> {
        let resolve = |addr: IpAddr| {
            let family = Ethertype::of(addr);
            (addr, family, matcher.space(family).class_of(addr_number(addr)))
        };
        Resolved { matcher, src: resolve(packet.src), dst: resolve(packet.dst) }
    }

    /// The class a side's rules look up for `remote` (the packet's own addresses resolved once).
    fn remote_class(&self, remote: RemoteAddress) -> Option<(Ethertype, u32)> {
        match remote {
            RemoteAddress::Known(addr) => self.class(addr),
            RemoteAddress::UnknownPublic { .. } => Some(self.matcher.remote_class(remote)),
        }
    }

    fn class(&self, addr: IpAddr) -> Option<(Ethertype, u32)> {
        if addr == self.src.0 {
            Some((self.src.1, self.src.2))
        } else if addr == self.dst.0 {
            Some((self.dst.1, self.dst.2))
        } else {
            let family = Ethertype::of(addr);
            Some((family, self.matcher.space(family).class_of(addr_number(addr))))
        }
    }
}

impl Directory for Resolved<'_> {
    type Id = u32;

    fn owner(&self, addr: IpAddr) -> Option<(u32, AddressKind)> {
        let (family, class) = self.class(addr)?;
        self.matcher.space(family).owner(class)
    }

    fn has_groups(&self, id: u32) -> bool {
        self.matcher.instances.get(id as usize).is_some_and(|i| i.has_groups)
    }

    fn eip(&self, id: u32) -> Option<IpAddr> {
        self.matcher.instances.get(id as usize).and_then(|i| i.eip)
    }

    fn bypasses_backend_rules(&self, id: u32) -> bool {
        self.matcher.instances.get(id as usize).is_some_and(|i| i.bypasses)
    }

    fn vpc_of(&self, id: Option<u32>, addr: IpAddr) -> Option<usize> {
        match id.and_then(|i| self.matcher.instances.get(i as usize)) {
            Some(entry) => entry.vpc,
            None => self.matcher.vpcs.iter().position(|blocks| blocks.iter().any(|b| b.contains(&addr))),
        }
    }

    fn peered(&self, a: usize, b: usize) -> bool {
        a == b || self.matcher.peerings.iter().any(|&p| p == (a, b) || p == (b, a))
    }

    fn snat(&self, id: u32) -> Option<IpAddr> {
        self.matcher.instances.get(id as usize).and_then(|i| i.snat)
    }
}

/// Builds and caches tables while the matcher is built.
struct Builder<'a> {
    world: &'a World,
    config: MatcherConfig,
    group_index: &'a HashMap<&'a str, u32>,
    shapes: &'a [Vec<RuleShape>],
    spaces: &'a [AddressSpace; 2],
    tables: Vec<CompiledTable>,
    group_tables: HashMap<(u32, usize), Option<u32>>,
}

impl Builder<'_> {
    fn push(&mut self, rules: Vec<(RuleRef, Action)>, family: Ethertype, compile_only: bool) -> Option<u32> {
        let shapes: Vec<&RuleShape> = rules.iter().map(|(r, _)| &self.shapes[r.group as usize][r.rule as usize]).collect();
        let space = &self.spaces[family_slot(family)];
        let (max, budget) = (family_max(family), self.config.table_budget);
        let table = if compile_only { Table::compile(&shapes, space, max, budget)? } else { Table::build(&shapes, space, max, budget) };
        self.tables.push(CompiledTable { table, rules });
        Some((self.tables.len() - 1) as u32)
    }

    /// The side's own table over its rules in evaluation order. `None`: it would not compile
    /// within budget (use a chain); `Some(None)`: the side has no rule of this family.
    fn fused(&mut self, inst: &crate::model::Instance, direction: Direction, family: Ethertype) -> Option<Option<u32>> {
        let rules = self.side_rules(inst, direction, family);
        if rules.is_empty() {
            return Some(None);
        }
        self.push(rules, family, true).map(Some)
    }

    /// The side's own table, kept as a scan when it does not compile within budget.
    fn aggregated(&mut self, inst: &crate::model::Instance, direction: Direction, family: Ethertype) -> Option<u32> {
        let rules = self.side_rules(inst, direction, family);
        if rules.is_empty() {
            return None;
        }
        self.push(rules, family, false)
    }

    fn side_rules(&self, inst: &crate::model::Instance, direction: Direction, family: Ethertype) -> Vec<(RuleRef, Action)> {
        instance_order(self.world, inst, direction)
            .iter()
            .filter(|r| r.rule.ethertype == family)
            .filter_map(|r| {
                let group = *self.group_index.get(r.group.id.as_str())?;
                Some((RuleRef { group, rule: r.index() as u32 }, r.rule.action))
            })
            .collect()
    }

    /// One group's table for a direction and family, built once.
    fn group_table(&mut self, group: u32, direction: Direction, family: Ethertype) -> Option<u32> {
        let key = (group, side_slot(direction, family));
        if let Some(&t) = self.group_tables.get(&key) {
            return t;
        }
        let g = &self.world.security_groups[group as usize];
        let rules: Vec<(RuleRef, Action)> = group_order(g, direction)
            .into_iter()
            .filter(|&i| g.rules[i].ethertype == family)
            .map(|i| (RuleRef { group, rule: i as u32 }, g.rules[i].action))
            .collect();
        let t = if rules.is_empty() { None } else { self.push(rules, family, false) };
        self.group_tables.insert(key, t);
        t
    }
}
