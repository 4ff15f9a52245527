//! One world against the kernel: build its namespaces, send its packets, compare each answer with
//! the engine's simulator, phase by phase.
//!
//! 1. **packets**: interleaved flows (new connections, replies, TCP flags out of place, ICMP
//!    errors). Each packet is sent through the engine's [`Simulator`] and through the kernel; a
//!    flow's first packet is also checked against `decide` and the compiled [`Matcher`], which
//!    must agree with the simulator.
//! 2. **clearing**: one random change (a deny rule added, an inbound allow rule deleted or
//!    modified, a membership or address-group change). The simulator applies it and says which
//!    entries the clearing table flushes; the harness reloads the rules and deletes exactly those
//!    entries from the namespaces (`conntrack -D`). Then each flow's next packet, in its original
//!    direction (a cleared entry's re-check is against the inbound rules; the kernel, having no
//!    entry, checks that packet as new), and, when it passed, a reply; then fresh flows under the
//!    new rules. Outbound-opened and uncleared entries keep passing in both.
//! 3. **expiry** (some worlds): timeouts set to the Huawei profile's divided by 10 inside each
//!    namespace; fresh flows in several states; a real sleep of 4.5 s against `advance(45)`; then
//!    each flow's next packets.
//!
//! A side the engine cut after a clearing (blocked until its timeout even if the rules allow it
//! again) has no kernel counterpart: the harness sends no reply on a denied re-check.

use crate::kernel::{self, Endpoint};
use crate::topology::{self, Topology};
use crate::traffic::{self, ErrorFrom, Flow, FlowIds, Places, Step, Way};
use crate::translate::Flip;
use sgplay_core::conntrack::{ConnState, FlowKey, Profile, TcpState};
use sgplay_core::model::protocol::{GRE, TCP, UDP};
use sgplay_core::model::{Action, AddressEntry, Direction, Ethertype, PortSet, ProtocolMatch, Remote, Rule, World};
use sgplay_core::packet::TcpFlags;
use sgplay_core::rng::Rng;
use sgplay_core::sim::{Change, Simulator};
use sgplay_core::{decide, Matcher, Packet, Verdict};
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Seconds the expiry phase advances the engine's clock; the kernel sleeps a tenth of it.
pub const EXPIRY_ADVANCE: u64 = 45;
/// Kernel timeouts are the Huawei profile's divided by this in the expiry phase (and multiplied
/// by it elsewhere, so nothing expires while a phase runs).
pub const TIME_SCALE: u64 = 10;

#[derive(Clone, Debug)]
pub struct Mismatch {
    pub world: usize,
    pub phase: &'static str,
    pub packet: Packet,
    pub engine: bool,
    pub kernel: bool,
    pub detail: String,
}

#[derive(Clone, Debug, Default)]
pub struct WorldReport {
    pub packets: BTreeMap<&'static str, usize>,
    pub mismatches: Vec<Mismatch>,
    pub change: Option<String>,
}

impl WorldReport {
    pub fn total(&self) -> usize {
        self.packets.values().sum()
    }
}

/// The conntrack settings of a namespace: window tracking liberal and mid-stream pickup on (the
/// cloud tracks neither windows nor handshakes strictly), timeouts from the Huawei profile
/// scaled by `scale` (`Ok(k)` multiplies, `Err(k)` divides).
pub fn conntrack_settings(scale: Result<u64, u64>) -> Vec<(String, String)> {
    use sgplay_core::conntrack::TcpState::*;
    let p = Profile::Huawei;
    let s = |secs: u64| match scale {
        Ok(k) => (secs * k).to_string(),
        Err(k) => (secs / k).max(1).to_string(),
    };
    let mut out: Vec<(String, String)> =
        vec![("nf_conntrack_tcp_be_liberal".into(), "1".into()), ("nf_conntrack_tcp_loose".into(), "1".into())];
    for (name, state) in [
        ("syn_sent", SynSent),
        ("syn_recv", SynRecv),
        ("established", Established),
        ("fin_wait", FinWait),
        ("close_wait", CloseWait),
        ("last_ack", LastAck),
        ("time_wait", TimeWait),
        ("close", Close),
    ] {
        out.push((format!("nf_conntrack_tcp_timeout_{name}"), s(p.tcp(state))));
    }
    // Ceilings the kernel applies on retransmissions and unacknowledged data: never lower here.
    out.push(("nf_conntrack_tcp_timeout_max_retrans".into(), s(p.tcp(Established))));
    out.push(("nf_conntrack_tcp_timeout_unacknowledged".into(), s(p.tcp(Established))));
    out.push(("nf_conntrack_udp_timeout".into(), s(p.other(UDP, false))));
    out.push(("nf_conntrack_udp_timeout_stream".into(), s(p.other(UDP, true))));
    out.push(("nf_conntrack_icmp_timeout".into(), s(p.other(1, false))));
    out.push(("nf_conntrack_icmpv6_timeout".into(), s(p.other(58, false))));
    out.push(("nf_conntrack_gre_timeout".into(), s(p.other(GRE, false))));
    out.push(("nf_conntrack_gre_timeout_stream".into(), s(p.other(GRE, true))));
    out.push(("nf_conntrack_generic_timeout".into(), s(p.other(50, true))));
    out.into_iter().map(|(k, v)| (format!("net.netfilter.{k}"), v)).collect()
}

/// What one world's run needs to know.
pub struct WorldRun<'a> {
    pub seed: u64,
    pub index: usize,
    pub packets: usize,
    pub expiry: bool,
    pub flip: bool,
    pub stop: &'a AtomicBool,
}

struct Harness<'w> {
    world_index: usize,
    topo: Topology,
    /// Endpoint 0 is the router; instance i is endpoint i + 1.
    endpoints: Vec<Endpoint>,
    owner: BTreeMap<IpAddr, usize>,
    sim: Simulator,
    places: Places,
    report: WorldReport,
    rng: Rng,
    ids: FlowIds,
    flip: Option<Flip>,
    /// The compiled matcher of the current world (rebuilt after a change).
    matcher: Matcher,
    _world: std::marker::PhantomData<&'w ()>,
}

pub fn run_world(run: &WorldRun) -> Result<(World, WorldReport), String> {
    let world = crate::comparable::world(run.seed, run.index);
    let mut rng = Rng::new(run.seed ^ (run.index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let flip = if run.flip { choose_flip(&world, &mut rng) } else { None };
    let settings = conntrack_settings(Ok(TIME_SCALE));
    // One retry: a set-up step can fail transiently on a loaded machine (seen once: "File exists").
    let topo = match Topology::build(&world, &format!("w{}", run.index), &settings, flip.as_ref()) {
        Ok(t) => t,
        Err(first) => {
            eprintln!("world {}: set-up failed, retrying once: {}", run.index, first.lines().next().unwrap_or(""));
            Topology::build(&world, &format!("w{}b", run.index), &settings, flip.as_ref())?
        }
    };
    let mut endpoints = Vec::new();
    for ns in topo.all() {
        endpoints.push(Endpoint::open(ns)?);
    }
    let mut owner = BTreeMap::new();
    for (i, inst) in world.instances.iter().enumerate() {
        for a in topology::held_addresses(inst) {
            owner.insert(a, i + 1);
        }
    }
    let places = Places::of(&world, topology::outside_addresses());
    let mut h = Harness {
        world_index: run.index,
        topo,
        endpoints,
        owner,
        sim: Simulator::new(world.clone(), Profile::Huawei),
        places,
        report: WorldReport::default(),
        rng,
        ids: FlowIds::new(),
        flip,
        matcher: Matcher::build(&world),
        _world: std::marker::PhantomData,
    };
    let main_budget = run.packets * 7 / 10;
    let flows = h.packets_phase("packets", main_budget, run.stop)?;
    if !run.stop.load(Ordering::Relaxed) {
        h.clearing_phase(flows, run.packets.saturating_sub(h.report.total()), run.stop)?;
    }
    if run.expiry && !run.stop.load(Ordering::Relaxed) {
        h.expiry_phase()?;
    }
    let report = std::mem::take(&mut h.report);
    h.topo.delete();
    Ok((world, report))
}

/// The self-check's deliberate error: one rule of one instance written with the wrong action.
fn choose_flip(world: &World, rng: &mut Rng) -> Option<Flip> {
    let mut candidates = Vec::new();
    for inst in &world.instances {
        for direction in [Direction::Ingress, Direction::Egress] {
            let n = sgplay_core::eval::instance_order(world, inst, direction).len();
            candidates.extend((0..n.min(2)).map(|position| Flip { instance_id: inst.id.clone(), direction, position }));
        }
    }
    (!candidates.is_empty()).then(|| candidates[rng.below(candidates.len())].clone())
}

impl Harness<'_> {
    fn endpoint_of(&self, addr: IpAddr) -> usize {
        self.owner.get(&addr).copied().unwrap_or(0)
    }

    /// Sends one packet through both; records a mismatch when they disagree. Returns the kernel's
    /// answer and the engine's.
    fn exchange(
        &mut self,
        phase: &'static str,
        packet: &Packet,
        numbers: crate::wire::TcpNumbers,
        fresh: bool,
    ) -> Result<(bool, bool), String> {
        // Only a packet no table knows is a new connection's first (GRE and ESP flows between the
        // same two addresses are one connection).
        let fresh = fresh && !self.sim.tables().values().any(|t| t.find(packet).is_some());
        let delivery = self.sim.send(packet);
        let engine = delivery.evaluation.verdict == Verdict::Allow;
        let (from, to) = (self.endpoint_of(packet.src), self.endpoint_of(packet.dst));
        let kernel = kernel::deliver(&self.endpoints[from], &self.endpoints[to], packet, numbers)?;
        *self.report.packets.entry(phase).or_default() += 1;
        if std::env::var("SGPLAY_ORACLE_TRACE").ok().and_then(|v| v.parse::<usize>().ok()) == Some(self.world_index) {
            println!("  [{phase}] {packet}: engine {engine}, kernel {kernel}");
        }
        let mut problems = Vec::new();
        if fresh {
            // A new connection's first packet: the single-packet matchers answer as the simulator.
            let world = self.sim.world();
            let quick = decide(world, packet) == Verdict::Allow;
            let compiled = self.matcher.decide(packet) == Verdict::Allow;
            if quick != engine || compiled != engine {
                problems.push(format!("engine disagrees with itself: simulator {engine}, decide {quick}, matcher {compiled}"));
            }
        }
        if engine != kernel || !problems.is_empty() {
            let steps: Vec<String> = sgplay_core::eval::steps(&delivery.evaluation).iter().map(|s| format!("    {}", s.sentence)).collect();
            problems.push(format!("engine trace:\n{}", steps.join("\n")));
            self.report.mismatches.push(Mismatch {
                world: self.world_index,
                phase,
                packet: packet.clone(),
                engine,
                kernel,
                detail: problems.join("\n"),
            });
        }
        Ok((kernel, engine))
    }

    fn step(&mut self, phase: &'static str, flow: &mut Flow, step: &Step, fresh: bool) -> Result<(bool, bool), String> {
        let (packet, numbers) = flow.packet(step, &self.places.outside);
        let answer = self.exchange(phase, &packet, numbers, fresh)?;
        flow.sent(step, answer.0);
        Ok(answer)
    }

    /// Fresh flows, interleaved, until `budget` packets were sent. Returns the flows.
    fn packets_phase(&mut self, phase: &'static str, budget: usize, stop: &AtomicBool) -> Result<Vec<Flow>, String> {
        let mut flows: Vec<(Flow, Vec<Step>, usize)> = Vec::new();
        let mut planned = 0;
        while planned < budget {
            let opening = traffic::fresh_opening(&mut self.rng, &self.places, &mut self.ids, None);
            let steps = traffic::script(&mut self.rng, &opening);
            planned += steps.len();
            flows.push((Flow::new(opening, &mut self.rng), steps, 0));
        }
        let mut open: Vec<usize> = (0..flows.len()).collect();
        while !open.is_empty() && !stop.load(Ordering::Relaxed) {
            // A small window of flows at a time: many connections live at once, each still short.
            let k = self.rng.below(open.len().min(8));
            let f = open[k];
            let (flow, steps, next) = &mut flows[f];
            let step = steps[*next].clone();
            *next += 1;
            let fresh = *next == 1;
            let done = *next == steps.len();
            let mut flow_copy = flow.clone();
            self.step(phase, &mut flow_copy, &step, fresh)?;
            flows[f].0 = flow_copy;
            if done {
                open.remove(k);
            }
        }
        Ok(flows.into_iter().map(|(f, _, _)| f).collect())
    }

    fn clearing_phase(&mut self, flows: Vec<Flow>, budget: usize, stop: &AtomicBool) -> Result<(), String> {
        let Some(change) = random_change(self.sim.world(), &mut self.rng) else { return Ok(()) };
        let report = match self.sim.apply(&change) {
            Ok(r) => r,
            Err(_) => return Ok(()),
        };
        self.report.change = Some(format!("{} ({} entries cleared)", report.change, report.cleared.len()));
        let world = self.sim.world().clone();
        self.matcher = Matcher::build(&world);
        for (inst, ns) in world.instances.iter().zip(&self.topo.instances) {
            self.topo.load_rules(&world, inst, ns, self.flip.as_ref())?;
        }
        for cleared in &report.cleared {
            let Some(i) = world.instances.iter().position(|x| x.id == cleared.instance_id) else { continue };
            delete_entry(&self.topo.instances[i], &cleared.key)?;
        }
        // Each flow's next packet in the original direction of its cleared connection (the
        // flow's reply direction when a reply opened it); then, when it passed, the other way.
        let cleared: Vec<FlowKey> = report.cleared.iter().map(|c| c.key).collect();
        let mut sent = 0;
        for mut flow in flows {
            if stop.load(Ordering::Relaxed) || sent >= budget / 2 {
                break;
            }
            let reversed = cleared.contains(&FlowKey::of(&flow.opening.reply()));
            let was_cleared = reversed || cleared.contains(&FlowKey::of(&flow.opening));
            let mut flags = if flow.opening.protocol == TCP { TcpFlags::ACK } else { TcpFlags::empty() };
            if was_cleared && flow.opening.protocol == TCP {
                // The kernel lost the entry's state with it: its next packet is a mid-stream
                // pickup (an ACK becomes ESTABLISHED) or a new SYN. The engine keeps the state, so
                // only the states where both read the same packet alike are compared.
                let state = self.sim.tables().values().find_map(|t| t.find(&flow.opening).and_then(|(id, _)| t.get(id))).map(|c| c.state);
                match state {
                    Some(ConnState::Tcp(TcpState::Established)) => {}
                    Some(ConnState::Tcp(TcpState::SynSent)) => flags = TcpFlags::SYN,
                    _ => continue,
                }
            }
            let (first, then) = if reversed { (Way::Reply, Way::Original) } else { (Way::Original, Way::Reply) };
            let (kernel, engine) = self.step("clearing", &mut flow, &Step::Packet { way: first, flags }, false)?;
            sent += 1;
            if kernel && engine {
                self.step("clearing", &mut flow, &Step::Packet { way: then, flags }, false)?;
                sent += 1;
            }
        }
        self.packets_phase("after change", budget.saturating_sub(sent), stop)?;
        Ok(())
    }

    fn expiry_phase(&mut self) -> Result<(), String> {
        for ns in &self.topo.instances {
            topology::sysctl(ns, &conntrack_settings(Err(TIME_SCALE)))?;
        }
        use Way::*;
        let pkt = |way, flags| Step::Packet { way, flags };
        let fa = TcpFlags::FIN.union(TcpFlags::ACK);
        // Scripts that leave a flow in a known state: some time out within the advance, some not.
        // Replied UDP is left out: Linux ≥ 6.4 gives a UDP flow its stream timeout only once it is
        // 2 s old, where the engine (both profiles) gives it at the first reply.
        let scripts: Vec<(u8, Vec<Step>)> = vec![
            (UDP, vec![pkt(Original, TcpFlags::empty())]),
            (GRE, vec![pkt(Original, TcpFlags::empty())]),
            // A packet after the reply: Linux gives the stream timeout only from the packet after
            // the first reply (the engine's Linux profile does too); the Huawei seed at the reply.
            (GRE, vec![pkt(Original, TcpFlags::empty()), pkt(Reply, TcpFlags::empty()), pkt(Original, TcpFlags::empty())]),
            (1, vec![pkt(Original, TcpFlags::empty()), pkt(Reply, TcpFlags::empty())]),
            (TCP, vec![pkt(Original, TcpFlags::SYN)]),
            (TCP, vec![pkt(Original, TcpFlags::SYN), pkt(Reply, TcpFlags::SYN_ACK), pkt(Original, TcpFlags::ACK)]),
            (
                TCP,
                vec![pkt(Original, TcpFlags::SYN), pkt(Reply, TcpFlags::SYN_ACK), pkt(Original, TcpFlags::ACK), pkt(Reply, TcpFlags::RST)],
            ),
            (
                TCP,
                vec![
                    pkt(Original, TcpFlags::SYN),
                    pkt(Reply, TcpFlags::SYN_ACK),
                    pkt(Original, TcpFlags::ACK),
                    pkt(Original, fa),
                    pkt(Reply, fa),
                    pkt(Original, TcpFlags::ACK),
                ],
            ),
        ];
        let mut flows = Vec::new();
        for _ in 0..3 {
            for (protocol, steps) in &scripts {
                let opening = traffic::fresh_opening(&mut self.rng, &self.places, &mut self.ids, Some(*protocol));
                let mut flow = Flow::new(opening, &mut self.rng);
                for (k, step) in steps.iter().enumerate() {
                    self.step("expiry", &mut flow, step, k == 0)?;
                }
                flows.push(flow);
            }
        }
        std::thread::sleep(Duration::from_millis(EXPIRY_ADVANCE * 1000 / TIME_SCALE));
        self.sim.advance(EXPIRY_ADVANCE);
        for mut flow in flows {
            let tcp = flow.opening.protocol == TCP;
            let flags = if tcp { TcpFlags::ACK } else { TcpFlags::empty() };
            let (kernel, engine) = self.step("expiry", &mut flow, &Step::Packet { way: Original, flags }, false)?;
            if kernel && engine {
                self.step("expiry", &mut flow, &Step::Packet { way: Reply, flags }, false)?;
            } else {
                // Replies to nothing: invalid in both (or a new connection the other way).
                let icmp = if flow.opening.src.is_ipv6() { (1, 4) } else { (3, 3) };
                self.step("expiry", &mut flow, &Step::Error { about: Original, from: ErrorFrom::Destination, icmp }, false)?;
            }
        }
        Ok(())
    }
}

/// Deletes one connection (by its original tuple) from a namespace's conntrack table.
fn delete_entry(ns: &str, key: &sgplay_core::conntrack::FlowKey) -> Result<(), String> {
    let family = if key.src.is_ipv6() { "ipv6" } else { "ipv4" };
    let mut args: Vec<String> = vec!["netns".into(), "exec".into(), ns.into(), "conntrack".into(), "-D".into(), "-f".into(), family.into()];
    args.extend(["-s".into(), key.src.to_string(), "-d".into(), key.dst.to_string()]);
    match key.protocol {
        TCP | UDP => args.extend([
            "-p".into(),
            key.protocol.to_string(),
            "--sport".into(),
            key.src_port.to_string(),
            "--dport".into(),
            key.dst_port.to_string(),
        ]),
        1 => args.extend(["-p".into(), "icmp".into(), "--icmp-id".into(), key.src_port.to_string()]),
        58 => args.extend(["-p".into(), "icmpv6".into(), "--icmpv6-id".into(), key.src_port.to_string()]),
        p => args.extend(["-p".into(), p.to_string()]),
    }
    let out = Command::new("ip").args(&args).output().map_err(|e| format!("cannot run conntrack: {e}"))?;
    // conntrack exits 1 when nothing matched: the kernel held no such entry, which the next
    // packets will show as a mismatch if the engine did.
    if !out.status.success() && !String::from_utf8_lossy(&out.stderr).contains("0 flow entries") {
        return Err(format!("conntrack -D in {ns} failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(())
}

/// A change of every row kind of the clearing table, drawn at random from what the world has.
fn random_change(world: &World, rng: &mut Rng) -> Option<Change> {
    let groups = &world.security_groups;
    if groups.is_empty() {
        return None;
    }
    for _ in 0..20 {
        let g = &groups[rng.below(groups.len())];
        let change = match rng.below(6) {
            0 => {
                let six = rng.chance(30);
                let protocol = [ProtocolMatch::Any, ProtocolMatch::Number(TCP), ProtocolMatch::Number(UDP)][rng.below(3)];
                Change::AddRules {
                    group_id: g.id.clone(),
                    rules: vec![Rule {
                        id: "oracle-deny".into(),
                        direction: if rng.chance(75) { Direction::Ingress } else { Direction::Egress },
                        ethertype: if six { Ethertype::IPv6 } else { Ethertype::IPv4 },
                        protocol,
                        ports: PortSet::all(),
                        action: Action::Deny,
                        priority: 1,
                        remote: Remote::Any,
                        description: String::new(),
                    }],
                }
            }
            1 => {
                let inbound: Vec<&Rule> =
                    g.rules.iter().filter(|r| r.direction == Direction::Ingress && r.action == Action::Allow).collect();
                let r = inbound.get(rng.below(inbound.len().max(1)))?;
                Change::DeleteRule { group_id: g.id.clone(), rule_id: r.id.clone() }
            }
            2 => {
                let inbound: Vec<&Rule> = g.rules.iter().filter(|r| r.direction == Direction::Ingress).collect();
                let Some(r) = inbound.get(rng.below(inbound.len().max(1))) else { continue };
                let mut rule = (*r).clone();
                rule.action = if rule.action == Action::Allow { Action::Deny } else { Action::Allow };
                Change::ModifyRule { group_id: g.id.clone(), rule }
            }
            3 => {
                let Some(inst) = world.instances.iter().find(|i| !i.security_groups.contains(&g.id)) else { continue };
                Change::AddMember { group_id: g.id.clone(), instance_id: inst.id.clone(), position: Some(1) }
            }
            4 => {
                let Some(inst) = world.instances.iter().find(|i| i.security_groups.contains(&g.id) && i.security_groups.len() > 1) else {
                    continue;
                };
                Change::RemoveMember { group_id: g.id.clone(), instance_id: inst.id.clone() }
            }
            _ => {
                let Some(ag) = world.address_groups.get(rng.below(world.address_groups.len().max(1))) else { continue };
                if rng.chance(50) && !ag.entries.is_empty() {
                    Change::RemoveAddressEntry { address_group_id: ag.id.clone(), entry: ag.entries[rng.below(ag.entries.len())].clone() }
                } else {
                    let six = ag.ethertype == Ethertype::IPv6;
                    let pool = sgplay_tests::random_world::entry_pool(six);
                    let entry: AddressEntry = pool[rng.below(pool.len())].clone();
                    if ag.entries.contains(&entry) {
                        continue;
                    }
                    Change::AddAddressEntry { address_group_id: ag.id.clone(), entry }
                }
            }
        };
        if change.check(world).is_ok() {
            return Some(change);
        }
    }
    None
}
