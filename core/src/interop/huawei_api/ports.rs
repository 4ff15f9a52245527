//! Instances from VPC ports (`ListPorts`, `ShowPort`): each NIC-bearing port is an instance
//! (security groups are per NIC, so a port is what the rules apply to), its `fixed_ips` the
//! private addresses, its `allowed_address_pairs` the virtual IPs bound to it.
//!
//! Ports the cloud owns (`device_owner` `network:*`, `neutron:*`: router interfaces, DHCP,
//! the virtual IP ports themselves) are not instances and are left out with a warning.

use super::fields::{api_object, non_empty, skip, ApiObject};
use super::instance::{GroupRef, InstanceDraft};
use serde::de::MapAccess;
use std::net::IpAddr;

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ApiPort {
    pub id: Option<String>,
    pub name: Option<String>,
    pub device_id: Option<String>,
    pub device_owner: Option<String>,
    pub fixed_ips: Option<Vec<FixedIp>>,
    pub security_groups: Option<Vec<String>>,
    pub allowed_address_pairs: Option<Vec<AddressPair>>,
    pub unknown: Vec<String>,
}

const PORT_BOOKKEEPING: &[&str] = &[
    "network_id",
    "admin_state_up",
    "mac_address",
    "tenant_id",
    "project_id",
    "status",
    "extra_dhcp_opts",
    "binding:vnic_type",
    "binding:host_id",
    "binding:profile",
    "binding:vif_details",
    "binding:vif_type",
    "port_security_enabled",
    "dns_assignment",
    "dns_name",
    "instance_id",
    "instance_type",
    "zone_id",
    "enable_efi",
    "ipv6_bandwidth_id",
    "created_at",
    "updated_at",
    "description",
    "enterprise_project_id",
    "tags",
    "virsubnet_id",
    "vpc_id",
    "ip_version",
    "mac_learning_state",
];

impl ApiObject for ApiPort {
    const KIND: &'static str = "port";
    fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "id" => self.id = map.next_value()?,
            "name" => self.name = map.next_value()?,
            "device_id" => self.device_id = map.next_value()?,
            "device_owner" => self.device_owner = map.next_value()?,
            "fixed_ips" => self.fixed_ips = map.next_value()?,
            "security_groups" => self.security_groups = map.next_value()?,
            "allowed_address_pairs" => self.allowed_address_pairs = map.next_value()?,
            k if PORT_BOOKKEEPING.contains(&k) => skip(map)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
    fn unknown_fields(&mut self) -> &mut Vec<String> {
        &mut self.unknown
    }
}
api_object!(ApiPort);

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct FixedIp {
    pub ip_address: Option<String>,
    pub unknown: Vec<String>,
}

impl ApiObject for FixedIp {
    const KIND: &'static str = "fixed IP";
    fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "ip_address" => self.ip_address = map.next_value()?,
            "subnet_id" => skip(map)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
    fn unknown_fields(&mut self) -> &mut Vec<String> {
        &mut self.unknown
    }
}
api_object!(FixedIp);

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct AddressPair {
    pub ip_address: Option<String>,
    pub unknown: Vec<String>,
}

impl ApiObject for AddressPair {
    const KIND: &'static str = "allowed address pair";
    fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "ip_address" => self.ip_address = map.next_value()?,
            "mac_address" => skip(map)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
    fn unknown_fields(&mut self) -> &mut Vec<String> {
        &mut self.unknown
    }
}
api_object!(AddressPair);

impl ApiPort {
    /// A port the cloud itself owns, not an instance's NIC.
    pub fn is_infrastructure(&self) -> bool {
        self.device_owner.as_deref().is_some_and(|o| o.starts_with("network:") || o.starts_with("neutron:"))
    }

    /// The instance this port is; `path` is where it sits (`ports[2]`).
    pub fn to_draft(&self, path: &str) -> InstanceDraft {
        let name = non_empty(&self.name).or_else(|| non_empty(&self.device_id)).unwrap_or_default();
        let mut draft = InstanceDraft::new(non_empty(&self.id).unwrap_or_default(), name, path);
        for (k, fixed) in self.fixed_ips.iter().flatten().enumerate() {
            let Some(addr) = non_empty(&fixed.ip_address) else { continue };
            let v6 = addr.trim().parse::<IpAddr>().is_ok_and(|a| a.is_ipv6());
            draft.set_address(if v6 { "ipv6" } else { "ip" }, addr, format!("{path}.fixed_ips[{k}].ip_address"));
        }
        for (k, pair) in self.allowed_address_pairs.iter().flatten().enumerate() {
            let at = format!("{path}.allowed_address_pairs[{k}].ip_address");
            match non_empty(&pair.ip_address) {
                // A pair may be a block (`1.1.1.0/24`, or `1.1.1.1/0` to turn spoofing checks off):
                // not a virtual IP of this instance.
                Some(addr) if addr.contains('/') => {
                    draft.note(at, format!("`{addr}` is a block, not a virtual IP; left out"));
                }
                Some(addr) => draft.add_virtual_ip(addr, at),
                None => {}
            }
        }
        for (k, id) in self.security_groups.iter().flatten().enumerate() {
            draft.groups.push(GroupRef { id: Some(id.clone()), name: None, path: format!("{path}.security_groups[{k}]") });
        }
        draft
    }
}
