//! Which sides a packet crosses: the one definition of the path (SEMANTICS §4), without a word
//! of explanation, so the compiled matcher can follow it on its hot path and the tracer can
//! explain it afterwards (`path::plan` writes the notes).
//!
//! - Two addresses of one instance: nothing is filtered (interpretation).
//! - From an instance: its outbound rules, compared with the destination address; an instance
//!   with no security group is not filtered.
//! - To an instance: its inbound rules, compared with the source the destination sees: the
//!   source's EIP when the destination is reached at its EIP and the source has one
//!   (interpretation), otherwise the packet's source.
//! - A load balancer with Transfer Client IP Address: traffic from it "is not restricted by
//!   network ACL and security group rules … even if there is a rule that denies traffic from the
//!   load balancer to the backend servers" (seed, *Constraints on Using Security Groups*). The
//!   seed supports letting it through, not refusing a group on it (Huawei's dedicated load
//!   balancers take security groups, for the traffic *to* them), so both its own outbound rules
//!   and the destination's inbound rules are bypassed; traffic to it is filtered as usual.

use crate::model::{AddressKind, World};
use crate::packet::Packet;
use std::net::IpAddr;

/// What the path needs to know about the instances. The world answers by scanning; the compiled
/// matcher answers from its indices.
pub trait Directory {
    /// How an instance is named: an index into `World::instances` for both implementations.
    type Id: Copy + Eq;
    /// The instance holding `addr` (private IP, virtual IP or EIP) and how it holds it.
    fn owner(&self, addr: IpAddr) -> Option<(Self::Id, AddressKind)>;
    fn has_groups(&self, id: Self::Id) -> bool;
    fn eip(&self, id: Self::Id) -> Option<IpAddr>;
    /// A load balancer with Transfer Client IP Address on: security group rules do not restrict
    /// the traffic it sends (its own outbound rules, the destination's inbound rules).
    fn bypasses_backend_rules(&self, id: Self::Id) -> bool;
}

/// One side of the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crossing<I> {
    /// The instance's rules decide, compared with `remote`.
    Rules { instance: I, remote: IpAddr },
    /// The instance's rules are bypassed: the source is a load balancer with Transfer Client IP
    /// Address (on its outbound side and on the destination's inbound side).
    Bypass { instance: I, remote: IpAddr },
    /// The instance has no security group: nothing filters this side.
    Unfiltered { instance: I },
}

/// The sides a packet crosses, in order: the source's outbound, then the destination's inbound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route<I> {
    pub src: Option<(I, AddressKind)>,
    pub dst: Option<(I, AddressKind)>,
    /// Both addresses belong to one instance: no side is crossed.
    pub same_instance: bool,
    pub outbound: Option<Crossing<I>>,
    pub inbound: Option<Crossing<I>>,
}

impl<I: Copy> Route<I> {
    /// The crossings in path order.
    pub fn crossings(&self) -> impl Iterator<Item = (crate::model::Direction, Crossing<I>)> + '_ {
        use crate::model::Direction;
        self.outbound.map(|c| (Direction::Egress, c)).into_iter().chain(self.inbound.map(|c| (Direction::Ingress, c)))
    }
}

/// The route of `packet`. Never allocates.
pub fn route<D: Directory>(directory: &D, packet: &Packet) -> Route<D::Id> {
    let src = directory.owner(packet.src);
    let dst = directory.owner(packet.dst);
    let mut route = Route { src, dst, same_instance: false, outbound: None, inbound: None };
    if let (Some((a, _)), Some((b, _))) = (src, dst) {
        if a == b {
            route.same_instance = true;
            return route;
        }
    }
    if let Some((a, _)) = src {
        // A load balancer without a group has nothing to bypass: it is simply unfiltered.
        route.outbound = Some(match (directory.has_groups(a), directory.bypasses_backend_rules(a)) {
            (true, true) => Crossing::Bypass { instance: a, remote: packet.dst },
            (true, false) => Crossing::Rules { instance: a, remote: packet.dst },
            (false, _) => Crossing::Unfiltered { instance: a },
        });
    }
    if let Some((b, via)) = dst {
        let remote = match src {
            Some((a, _)) if via == AddressKind::Eip => directory.eip(a).unwrap_or(packet.src),
            _ => packet.src,
        };
        route.inbound = Some(match src {
            Some((a, _)) if directory.bypasses_backend_rules(a) => Crossing::Bypass { instance: b, remote },
            _ if !directory.has_groups(b) => Crossing::Unfiltered { instance: b },
            _ => Crossing::Rules { instance: b, remote },
        });
    }
    route
}

impl Directory for World {
    type Id = usize;

    fn owner(&self, addr: IpAddr) -> Option<(usize, AddressKind)> {
        self.instances.iter().enumerate().find_map(|(i, inst)| inst.address_kind(addr).map(|k| (i, k)))
    }

    fn has_groups(&self, id: usize) -> bool {
        self.instances.get(id).is_some_and(|i| !i.security_groups.is_empty())
    }

    fn eip(&self, id: usize) -> Option<IpAddr> {
        self.instances.get(id).and_then(|i| i.eip)
    }

    fn bypasses_backend_rules(&self, id: usize) -> bool {
        self.instances.get(id).is_some_and(|i| i.bypasses_backend_rules())
    }
}
