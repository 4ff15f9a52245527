//! The world a packet travels through: VPCs and subnets, security groups, IP address groups,
//! instances, and the Internet (every address no VPC holds).

use super::address_group::AddressGroup;
use super::rule::{Ethertype, Rule};
use crate::profile::{CloudProfile, GroupKind};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub description: String,
    pub rules: Vec<Rule>,
    /// Alibaba's group type and internal policy; Huawei groups keep the default, which has no
    /// effect there. Its implicit rules are already among `rules` (`profile::alibaba`).
    #[serde(default, skip_serializing_if = "GroupKind::is_default")]
    pub kind: GroupKind,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstanceKind {
    /// An ECS or any other NIC-bearing resource whose traffic security groups filter.
    #[default]
    Ecs,
    /// A load balancer. With "Transfer Client IP Address" on, its traffic to backends is not
    /// restricted by the backends' security groups (seed, *Constraints on Using Security Groups*).
    LoadBalancer { transfer_client_ip: bool },
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    pub id: String,
    pub name: String,
    pub kind: InstanceKind,
    pub subnet_id: Option<String>,
    /// Private addresses (IPv4 and/or IPv6): these are what a remote security group covers.
    pub private_ips: Vec<IpAddr>,
    /// Virtual IPs bound to the instance: its traffic, but not covered by remote security groups.
    pub virtual_ips: Vec<IpAddr>,
    /// Elastic IP, the instance's address as seen from the Internet.
    pub eip: Option<IpAddr>,
    /// Associated security groups in sequence order: index 0 is sequence number 1.
    pub security_groups: Vec<String>,
}

impl Instance {
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            &self.id
        } else {
            &self.name
        }
    }

    pub fn private_ip(&self, family: Ethertype) -> Option<IpAddr> {
        self.private_ips.iter().copied().find(|a| Ethertype::of(*a) == family)
    }

    /// How `addr` belongs to this instance, if it does.
    pub fn address_kind(&self, addr: IpAddr) -> Option<AddressKind> {
        if self.private_ips.contains(&addr) {
            Some(AddressKind::Private)
        } else if self.virtual_ips.contains(&addr) {
            Some(AddressKind::Virtual)
        } else if self.eip == Some(addr) {
            Some(AddressKind::Eip)
        } else {
            None
        }
    }

    pub fn bypasses_backend_rules(&self) -> bool {
        matches!(self.kind, InstanceKind::LoadBalancer { transfer_client_ip: true })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AddressKind {
    Private,
    Virtual,
    Eip,
}

impl AddressKind {
    pub fn label(self) -> &'static str {
        match self {
            AddressKind::Private => "private IP",
            AddressKind::Virtual => "virtual IP",
            AddressKind::Eip => "EIP",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subnet {
    pub id: String,
    pub name: String,
    pub cidr: IpNet,
    pub ipv6_cidr: Option<IpNet>,
    /// The EIP of the NAT gateway SNAT rule for this subnet: instances here without an EIP of
    /// their own reach the Internet from it, and the far side sees it as the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snat_eip: Option<IpAddr>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vpc {
    pub id: String,
    pub name: String,
    pub cidr: IpNet,
    pub subnets: Vec<Subnet>,
}

/// A VPC peering connection: the two VPCs route to each other's private addresses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peering {
    pub id: String,
    /// Indices into `World::vpcs`.
    pub vpcs: (usize, usize),
}

/// Where a packet starts or ends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Place {
    /// One of the world's instances, reached at one of its addresses.
    Instance { id: String, name: String, address: IpAddr, via: AddressKind },
    /// An address inside a modelled VPC that no instance holds: nothing filters it.
    Unassigned { address: IpAddr, vpc_id: String },
    /// Any address outside the modelled VPCs.
    Internet { address: IpAddr },
}

impl Place {
    pub fn address(&self) -> IpAddr {
        match self {
            Place::Instance { address, .. } | Place::Unassigned { address, .. } | Place::Internet { address } => *address,
        }
    }

    pub fn instance_id(&self) -> Option<&str> {
        match self {
            Place::Instance { id, .. } => Some(id),
            _ => None,
        }
    }
}

/// The whole modelled world. Plain data: build it from a scenario (`scenario`), evaluate against it
/// (`eval`), change it (`sim`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct World {
    pub vpcs: Vec<Vpc>,
    pub security_groups: Vec<SecurityGroup>,
    pub address_groups: Vec<AddressGroup>,
    pub instances: Vec<Instance>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peerings: Vec<Peering>,
    /// Whose semantics the rules follow: the evaluation order and the implicit rules.
    #[serde(default, skip_serializing_if = "CloudProfile::is_huawei")]
    pub profile: CloudProfile,
}

impl World {
    /// The VPC (index into `vpcs`) an instance sits in: its subnet's, or the one holding its
    /// private address. `None` when the world models no VPC for it.
    pub fn vpc_of_instance(&self, instance: &Instance) -> Option<usize> {
        if let Some(subnet) = &instance.subnet_id {
            if let Some(v) = self.vpcs.iter().position(|v| v.subnets.iter().any(|s| &s.id == subnet)) {
                return Some(v);
            }
        }
        instance.private_ips.iter().find_map(|a| self.vpc_index_containing(*a))
    }

    pub fn vpc_index_containing(&self, addr: IpAddr) -> Option<usize> {
        self.vpcs.iter().position(|v| v.cidr.contains(&addr) || v.subnets.iter().any(|s| s.ipv6_cidr.is_some_and(|c| c.contains(&addr))))
    }

    /// Do VPCs `a` and `b` reach each other's private addresses (the same VPC, or peered)?
    pub fn peered(&self, a: usize, b: usize) -> bool {
        a == b || self.peerings.iter().any(|p| p.vpcs == (a, b) || p.vpcs == (b, a))
    }

    /// The NAT gateway EIP of the instance's subnet (by `subnet_id`, or the subnet holding its
    /// private IPv4 address).
    pub fn snat_of_instance(&self, instance: &Instance) -> Option<IpAddr> {
        let subnets = || self.vpcs.iter().flat_map(|v| v.subnets.iter());
        let subnet = match &instance.subnet_id {
            Some(id) => subnets().find(|s| &s.id == id),
            None => subnets().find(|s| instance.private_ips.iter().any(|a| s.cidr.contains(a))),
        };
        subnet.and_then(|s| s.snat_eip)
    }

    pub fn group(&self, id: &str) -> Option<&SecurityGroup> {
        self.security_groups.iter().find(|g| g.id == id)
    }

    pub fn group_mut(&mut self, id: &str) -> Option<&mut SecurityGroup> {
        self.security_groups.iter_mut().find(|g| g.id == id)
    }

    pub fn address_group(&self, id: &str) -> Option<&AddressGroup> {
        self.address_groups.iter().find(|g| g.id == id)
    }

    pub fn instance(&self, id: &str) -> Option<&Instance> {
        self.instances.iter().find(|i| i.id == id)
    }

    /// Instances associated with group `group_id`, in world order.
    pub fn members<'a>(&'a self, group_id: &'a str) -> impl Iterator<Item = &'a Instance> + 'a {
        self.instances.iter().filter(move |i| i.security_groups.iter().any(|g| g == group_id))
    }

    /// The instance holding `addr` (private, virtual or EIP) and how it holds it.
    pub fn owner_of(&self, addr: IpAddr) -> Option<(&Instance, AddressKind)> {
        self.instances.iter().find_map(|i| i.address_kind(addr).map(|k| (i, k)))
    }

    /// Resolves an address to the place it denotes.
    pub fn place_of(&self, addr: IpAddr) -> Place {
        if let Some((inst, via)) = self.owner_of(addr) {
            return Place::Instance { id: inst.id.clone(), name: inst.display_name().to_string(), address: addr, via };
        }
        match self.vpc_containing(addr) {
            Some(vpc) => Place::Unassigned { address: addr, vpc_id: vpc.id.clone() },
            None => Place::Internet { address: addr },
        }
    }

    pub fn vpc_containing(&self, addr: IpAddr) -> Option<&Vpc> {
        self.vpcs.iter().find(|v| v.cidr.contains(&addr) || v.subnets.iter().any(|s| s.ipv6_cidr.is_some_and(|c| c.contains(&addr))))
    }
}

/// Is `addr` in a private range (RFC 1918 for IPv4, unique local fc00::/7 for IPv6)? Such an
/// address is never routed across the Internet.
pub fn is_private_range(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(a) => a.is_private(),
        IpAddr::V6(a) => (a.segments()[0] & 0xfe00) == 0xfc00,
    }
}
