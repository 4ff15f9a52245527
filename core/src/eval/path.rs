//! A packet between two places: the source's outbound rules, then the destination's inbound
//! rules; both must allow. [`super::route`] decides which sides are crossed (the compiled matcher
//! follows it too); `plan` adds the places and the notes a reader needs, so the reference matcher
//! (`decide`) and the tracer (`evaluate`) share the path logic and differ only in what they record.

use super::route::{route, Crossing, PathOutcome};
use super::side::{decide_side, trace_side};
use super::trace::{Evaluation, HopDecision, HopTrace, Reachability, Verdict};
use crate::conntrack::Connection;
use crate::model::{AddressKind, Direction, Instance, Place, RemoteAddress, World};
use crate::packet::Packet;
use std::net::IpAddr;

/// One side the packet crosses.
#[derive(Clone, Debug)]
pub enum Side<'w> {
    /// Rules of `instance` in `direction`, compared with `remote`.
    Rules { instance: &'w Instance, direction: Direction, remote: RemoteAddress },
    /// Rules of `instance` are not consulted, for `reason`.
    Bypass { instance: &'w Instance, direction: Direction, remote: IpAddr, reason: String },
}

/// The sides a packet crosses and the notes a reader needs about the path.
#[derive(Clone, Debug)]
pub struct PathPlan<'w> {
    pub from: Place,
    pub to: Place,
    pub path: Reachability,
    pub sides: Vec<Side<'w>>,
    pub notes: Vec<String>,
}

pub fn plan<'w>(world: &'w World, packet: &Packet) -> PathPlan<'w> {
    let from = world.place_of(packet.src);
    let to = world.place_of(packet.dst);
    let route = route(world, packet);
    // INVARIANT: `route` names instances by their index in `world.instances`.
    let instance = |id: usize| &world.instances[id];
    let vpc = |v: usize| world.vpcs.get(v).map_or_else(|| v.to_string(), |x| x.id.clone());
    let path = match route.path {
        PathOutcome::Reachable => Reachability::Reachable,
        PathOutcome::NoPeering { from_vpc, to_vpc } => Reachability::NoPeering { from_vpc: vpc(from_vpc), to_vpc: vpc(to_vpc) },
        PathOutcome::PrivateFromOutside { to } => Reachability::PrivateFromOutside { to: to.map(|b| instance(b).id.clone()) },
        PathOutcome::NoPublicAddress { from } => Reachability::NoPublicAddress { from: instance(from).id.clone() },
    };
    let mut notes = Vec::new();
    let mut sides = Vec::new();
    if route.same_instance {
        if let Some((a, _)) = route.src {
            notes.push(format!(
                "both addresses belong to {}: traffic inside one instance is not filtered by security groups (interpretation)",
                instance(a).display_name()
            ));
        }
        return PathPlan { from, to, path, sides, notes };
    }
    note_outside(&from, &mut notes);
    note_outside(&to, &mut notes);
    match route.outbound {
        Some(Crossing::Rules { instance: a, remote }) => {
            sides.push(Side::Rules { instance: instance(a), direction: Direction::Egress, remote })
        }
        Some(Crossing::Unfiltered { instance: a }) => {
            notes.push(format!("{} has no security group: its outbound traffic is not filtered", instance(a).display_name()))
        }
        Some(Crossing::Bypass { instance: a, remote }) => sides.push(Side::Bypass {
            instance: instance(a),
            direction: Direction::Egress,
            remote,
            reason: load_balancer_reason(instance(a)),
        }),
        None => {}
    }
    if let Some((b, via)) = route.dst {
        let b = instance(b);
        if let (Some((a, _)), AddressKind::Eip) = (route.src, via) {
            notes.push(source_through_eip(world, instance(a), packet));
        }
        match route.inbound {
            Some(Crossing::Bypass { remote, .. }) => {
                let reason = route.src.map_or_else(String::new, |(a, _)| load_balancer_reason(instance(a)));
                sides.push(Side::Bypass { instance: b, direction: Direction::Ingress, remote, reason });
            }
            Some(Crossing::Unfiltered { .. }) => {
                notes.push(format!("{} has no security group: its inbound traffic is not filtered", b.display_name()))
            }
            Some(Crossing::Rules { remote, .. }) => sides.push(Side::Rules { instance: b, direction: Direction::Ingress, remote }),
            None => {}
        }
    }
    if route.src.is_none() && route.dst.is_none() {
        notes.push("neither address belongs to an instance: no security group is on this path".into());
    }
    PathPlan { from, to, path, sides, notes }
}

/// Why a load balancer's traffic passes a side without its rules.
fn load_balancer_reason(lb: &Instance) -> String {
    format!(
        "{} is a load balancer with Transfer Client IP Address enabled: its traffic is not restricted by security group rules, even by a rule that denies it (seed, Constraints on Using Security Groups)",
        lb.display_name()
    )
}

fn note_outside(place: &Place, notes: &mut Vec<String>) {
    match place {
        // A private range outside every VPC is not "the Internet" to a reader (an office network,
        // a VPN, another cloud): name it for what the model knows.
        Place::Internet { address } if crate::model::is_private_range(*address) => notes.push(format!(
            "{address} is a private-range address outside the modelled VPCs: it is treated like any address outside them (as the Internet is)"
        )),
        Place::Internet { address } => notes.push(format!("{address} is an address outside the modelled VPCs: the Internet")),
        Place::Unassigned { address, vpc_id } => {
            notes.push(format!("{address} is inside {vpc_id} but held by no modelled instance: nothing filters it on that side"))
        }
        Place::Instance { .. } => {}
    }
}

/// When the destination is reached at its EIP, the packet crossed the Internet: the destination
/// sees the source's EIP (interpretation: SNAT through the source's EIP), or its subnet's NAT
/// gateway EIP, or no address it knows. `route` chose the address; this says so.
fn source_through_eip(world: &World, src: &Instance, packet: &Packet) -> String {
    let name = src.display_name();
    let same_family = |a: &IpAddr| a.is_ipv4() == packet.src.is_ipv4();
    match (src.eip.filter(same_family), world.snat_of_instance(src).filter(same_family)) {
        (Some(eip), _) => {
            format!("the destination is reached at its EIP, so the packet leaves {name} through its EIP {eip}: inbound rules see {eip} (interpretation)")
        }
        (None, Some(nat)) => format!(
            "the destination is reached at its EIP and {name} has none, so the packet leaves through its subnet's NAT gateway EIP {nat}: inbound rules see {nat}"
        ),
        (None, None) if packet.src.is_ipv6() && !crate::model::is_private_range(packet.src) => {
            format!("the destination is reached at its EIP; {name}'s global IPv6 address {} is what inbound rules see", packet.src)
        }
        (None, None) => format!(
            "the destination is reached at its EIP, but {name} has no EIP and its subnet no NAT gateway: the packet has no public source (see the path outcome), so inbound rules cannot see its private address {}; only a rule open to every address matches it",
            packet.src
        ),
    }
}

/// The matcher for a whole path: allow or deny, nothing recorded.
pub fn decide(world: &World, packet: &Packet) -> Verdict {
    let plan = plan(world, packet);
    if !plan.sides.is_empty() && !Connection::can_open(packet) {
        return Verdict::Deny;
    }
    let all_allow = plan.sides.iter().all(|side| match side {
        Side::Rules { instance, direction, remote } => decide_side(world, instance, *direction, packet, *remote).allows(),
        Side::Bypass { .. } => true,
    });
    if all_allow {
        Verdict::Allow
    } else {
        Verdict::Deny
    }
}

/// The tracer for a whole path: the verdict with every step that led to it.
///
/// A single packet is judged as the simulator judges it on empty connection tables: a packet
/// that cannot open a connection (a SYN-ACK, a FIN or RST, an echo reply, an ICMP error) is
/// dropped by the tracker at the first side that tracks it, before any rule is consulted.
pub fn evaluate(world: &World, packet: &Packet) -> Evaluation {
    let plan = plan(world, packet);
    let mut hops = Vec::new();
    if let (Some(first), Some(reason)) = (plan.sides.first(), Connection::untracked_invalid(packet)) {
        let (instance, direction, remote) = match first {
            Side::Rules { instance, direction, remote } => (instance, direction, *remote),
            Side::Bypass { instance, direction, remote, .. } => (instance, direction, RemoteAddress::Known(*remote)),
        };
        hops.push(HopTrace {
            instance_id: instance.id.clone(),
            instance_name: instance.display_name().to_string(),
            direction: *direction,
            remote_address: remote,
            decision: HopDecision::Invalid { connection_id: 0, reason },
            groups: Vec::new(),
        });
        return Evaluation {
            verdict: Verdict::Deny,
            packet: packet.clone(),
            from: plan.from,
            to: plan.to,
            hops,
            notes: plan.notes,
            path: plan.path,
        };
    }
    for side in &plan.sides {
        let hop = trace_one(world, side, packet);
        let denied = !hop.verdict().is_allow();
        hops.push(hop);
        if denied {
            break;
        }
    }
    let verdict = if hops.iter().all(|h| h.verdict().is_allow()) { Verdict::Allow } else { Verdict::Deny };
    Evaluation { verdict, packet: packet.clone(), from: plan.from, to: plan.to, hops, notes: plan.notes, path: plan.path }
}

/// Traces one side.
pub fn trace_one(world: &World, side: &Side<'_>, packet: &Packet) -> HopTrace {
    match side {
        Side::Rules { instance, direction, remote } => trace_side(world, instance, *direction, packet, *remote),
        Side::Bypass { instance, direction, remote, reason } => HopTrace {
            instance_id: instance.id.clone(),
            instance_name: instance.display_name().to_string(),
            direction: *direction,
            remote_address: RemoteAddress::Known(*remote),
            decision: HopDecision::Bypass { reason: reason.clone() },
            groups: Vec::new(),
        },
    }
}
