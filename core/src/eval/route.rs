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

use crate::model::{AddressKind, RemoteAddress, World};
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
    /// The VPC (index into `World::vpcs`) of an instance, or of an address no instance holds.
    fn vpc_of(&self, id: Option<Self::Id>, addr: IpAddr) -> Option<usize>;
    /// Do two VPCs reach each other's private addresses (the same VPC, or a peering)?
    fn peered(&self, a: usize, b: usize) -> bool;
    /// The NAT gateway EIP of the instance's subnet (SNAT), if it has one.
    fn snat(&self, id: Self::Id) -> Option<IpAddr>;
    /// A load balancer with Transfer Client IP Address on: security group rules do not restrict
    /// the traffic it sends (its own outbound rules, the destination's inbound rules).
    fn bypasses_backend_rules(&self, id: Self::Id) -> bool;
}

/// One side of the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crossing<I> {
    /// The instance's rules decide, compared with `remote`.
    Rules { instance: I, remote: RemoteAddress },
    /// The instance's rules are bypassed: the source is a load balancer with Transfer Client IP
    /// Address (on its outbound side and on the destination's inbound side).
    Bypass { instance: I, remote: IpAddr },
    /// The instance has no security group: nothing filters this side.
    Unfiltered { instance: I },
}

/// Could the packet arrive at all? Separate from the verdict, which stays the security groups'
/// (users test rules, and often leave EIPs out). `describe` in `eval::explain` says it in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PathOutcome<I> {
    Reachable,
    /// The two ends are in different VPCs (indices into `World::vpcs`) with no peering.
    NoPeering {
        from_vpc: usize,
        to_vpc: usize,
    },
    /// A packet from outside the VPCs to a private address: nothing routes it there.
    PrivateFromOutside {
        to: Option<I>,
    },
    /// The source instance has no EIP and its subnet no SNAT: it has no address on the Internet.
    NoPublicAddress {
        from: I,
    },
}

impl<I> PathOutcome<I> {
    pub fn is_reachable(&self) -> bool {
        matches!(self, PathOutcome::Reachable)
    }
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
    pub path: PathOutcome<I>,
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
    let mut route =
        Route { src, dst, same_instance: false, outbound: None, inbound: None, path: path_outcome(directory, packet, src, dst) };
    if let (Some((a, _)), Some((b, _))) = (src, dst) {
        if a == b {
            // Inside one instance (its EIP to its private address, say): nothing is routed.
            route.same_instance = true;
            route.path = PathOutcome::Reachable;
            return route;
        }
    }
    if let Some((a, _)) = src {
        // A load balancer without a group has nothing to bypass: it is simply unfiltered.
        route.outbound = Some(match (directory.has_groups(a), directory.bypasses_backend_rules(a)) {
            (true, true) => Crossing::Bypass { instance: a, remote: packet.dst },
            (true, false) => Crossing::Rules { instance: a, remote: RemoteAddress::Known(packet.dst) },
            (false, _) => Crossing::Unfiltered { instance: a },
        });
    }
    if let Some((b, via)) = dst {
        let remote = match src {
            // Reached at its EIP, the packet crossed the Internet: it carries the source's EIP, or
            // its subnet's NAT gateway EIP (SNAT), or a global IPv6 source as it is; with none of
            // them it has no path (`path` says so) and no known public source.
            Some((a, kind)) if via == AddressKind::Eip && kind != AddressKind::Eip => directory
                .eip(a)
                .filter(|e| e.is_ipv4() == packet.src.is_ipv4())
                .or_else(|| directory.snat(a).filter(|_| packet.src.is_ipv4()))
                .or_else(|| (packet.src.is_ipv6() && !crate::model::is_private_range(packet.src)).then_some(packet.src))
                .map_or(RemoteAddress::UnknownPublic { sent_from: packet.src }, RemoteAddress::Known),
            _ => RemoteAddress::Known(packet.src),
        };
        route.inbound = Some(match src {
            Some((a, _)) if directory.bypasses_backend_rules(a) => Crossing::Bypass { instance: b, remote: remote.address() },
            _ if !directory.has_groups(b) => Crossing::Unfiltered { instance: b },
            _ => Crossing::Rules { instance: b, remote },
        });
    }
    route
}

/// Whether the packet could arrive (SEMANTICS §4): a private address is reached only from inside
/// a VPC that routes to it (the same VPC or a peered one); the Internet is reached only from a
/// public address (an EIP, a subnet's SNAT, a global IPv6 address).
fn path_outcome<D: Directory>(
    directory: &D,
    packet: &Packet,
    src: Option<(D::Id, AddressKind)>,
    dst: Option<(D::Id, AddressKind)>,
) -> PathOutcome<D::Id> {
    use crate::model::is_private_range;
    let src_vpc = directory.vpc_of(src.map(|(a, _)| a), packet.src);
    let dst_vpc = directory.vpc_of(dst.map(|(b, _)| b), packet.dst);
    // An end is inside when it is a private or virtual address of an instance or an address of a
    // VPC; an EIP or an address outside every VPC is outside.
    let inside = |owner: Option<(D::Id, AddressKind)>, vpc: Option<usize>| match owner {
        Some((_, AddressKind::Eip)) => false,
        Some(_) => true,
        None => vpc.is_some(),
    };
    let (src_in, dst_in) = (inside(src, src_vpc), inside(dst, dst_vpc));
    match (src_in, dst_in) {
        (true, true) => match (src_vpc, dst_vpc) {
            (Some(a), Some(b)) if !directory.peered(a, b) => PathOutcome::NoPeering { from_vpc: a, to_vpc: b },
            _ => PathOutcome::Reachable,
        },
        // Only IPv4 private ranges and IPv6 unique-local addresses are unroutable from outside;
        // a global IPv6 address of an instance is reachable.
        (false, true) if is_private_range(packet.dst) || packet.dst.is_ipv4() => {
            PathOutcome::PrivateFromOutside { to: dst.map(|(b, _)| b) }
        }
        (true, false) => match src {
            Some((a, _)) => {
                let public = directory.eip(a).is_some_and(|e| e.is_ipv4() == packet.src.is_ipv4())
                    || (packet.src.is_ipv4() && directory.snat(a).is_some())
                    || (packet.src.is_ipv6() && !is_private_range(packet.src));
                if public {
                    PathOutcome::Reachable
                } else {
                    PathOutcome::NoPublicAddress { from: a }
                }
            }
            None => PathOutcome::Reachable,
        },
        _ => PathOutcome::Reachable,
    }
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

    fn vpc_of(&self, id: Option<usize>, addr: IpAddr) -> Option<usize> {
        match id.and_then(|i| self.instances.get(i)) {
            Some(inst) => self.vpc_of_instance(inst),
            None => self.vpc_index_containing(addr),
        }
    }

    fn peered(&self, a: usize, b: usize) -> bool {
        World::peered(self, a, b)
    }

    fn snat(&self, id: usize) -> Option<IpAddr> {
        self.instances.get(id).and_then(|i| self.snat_of_instance(i))
    }
}
