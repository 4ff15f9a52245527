//! Instances from the ECS server list (`ListServersDetails`, `ShowServer`: `ServerDetail` with
//! `addresses` per VPC and the ordered `security_groups`).
//!
//! An sgplay instance holds one private IPv4, one private IPv6 and one EIP: the first `fixed`
//! address of each family and the first `floating` one. Further addresses (a second NIC) are
//! not modelled and the import says so. Sequence order is the order ECS lists the groups in.

use super::fields::{api_object, non_empty, skip, ApiObject, Text};
use super::instance::{GroupRef, InstanceDraft};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::fmt;
use std::net::IpAddr;

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ApiServer {
    pub id: Option<String>,
    pub name: Option<String>,
    pub addresses: Addresses,
    pub security_groups: Option<Vec<ApiServerGroup>>,
    pub unknown: Vec<String>,
}

/// The documented `ServerDetail` fields that say nothing about addresses or groups.
const SERVER_BOOKKEEPING: &[&str] = &[
    "status",
    "updated",
    "auto_terminate_time",
    "hostId",
    "OS-EXT-SRV-ATTR:host",
    "key_name",
    "image",
    "OS-EXT-STS:task_state",
    "OS-EXT-STS:vm_state",
    "OS-EXT-SRV-ATTR:instance_name",
    "OS-EXT-SRV-ATTR:hypervisor_hostname",
    "flavor",
    "OS-EXT-AZ:availability_zone",
    "user_id",
    "created",
    "tenant_id",
    "OS-DCF:diskConfig",
    "accessIPv4",
    "accessIPv6",
    "fault",
    "progress",
    "OS-EXT-STS:power_state",
    "config_drive",
    "metadata",
    "OS-SRV-USG:launched_at",
    "OS-SRV-USG:terminated_at",
    "os-extended-volumes:volumes_attached",
    "description",
    "host_status",
    "OS-EXT-SRV-ATTR:hostname",
    "OS-EXT-SRV-ATTR:reservation_id",
    "OS-EXT-SRV-ATTR:launch_index",
    "OS-EXT-SRV-ATTR:kernel_id",
    "OS-EXT-SRV-ATTR:ramdisk_id",
    "OS-EXT-SRV-ATTR:root_device_name",
    "OS-EXT-SRV-ATTR:user_data",
    "locked",
    "tags",
    "os:scheduler_hints",
    "enterprise_project_id",
    "sys_tags",
    "cpu_options",
    "hypervisor",
    "links",
    "created_at",
    "updated_at",
];

impl ApiObject for ApiServer {
    const KIND: &'static str = "server";
    fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "id" => self.id = map.next_value()?,
            "name" => self.name = map.next_value()?,
            "addresses" => self.addresses = map.next_value()?,
            "security_groups" => self.security_groups = map.next_value()?,
            k if SERVER_BOOKKEEPING.contains(&k) => skip(map)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
    fn unknown_fields(&mut self) -> &mut Vec<String> {
        &mut self.unknown
    }
}
api_object!(ApiServer);

/// `addresses`: VPC id → that VPC's addresses, in the order written (a map type would sort).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Addresses(pub Vec<(String, Vec<ApiAddress>)>);

impl<'de> serde::Deserialize<'de> for Addresses {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Addresses, D::Error> {
        struct AddressesVisitor;
        impl<'de> Visitor<'de> for AddressesVisitor {
            type Value = Addresses;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of VPC ids to lists of addresses")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Addresses, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    out.push((key, map.next_value()?));
                }
                Ok(Addresses(out))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Addresses, E> {
                Ok(Addresses::default())
            }
        }
        deserializer.deserialize_any(AddressesVisitor)
    }
}

/// One address of a server (`ServerAddress`).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ApiAddress {
    pub addr: Option<String>,
    /// `"4"` or `"6"` (a string in the ECS API; numbers accepted).
    pub version: Text,
    /// `OS-EXT-IPS:type`: `fixed` (private) or `floating` (EIP).
    pub kind: Option<String>,
    pub unknown: Vec<String>,
}

impl ApiObject for ApiAddress {
    const KIND: &'static str = "server address";
    fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "addr" => self.addr = map.next_value()?,
            "version" => self.version = map.next_value()?,
            "OS-EXT-IPS:type" => self.kind = map.next_value()?,
            "OS-EXT-IPS-MAC:mac_addr" | "OS-EXT-IPS:port_id" => skip(map)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
    fn unknown_fields(&mut self) -> &mut Vec<String> {
        &mut self.unknown
    }
}
api_object!(ApiAddress);

/// A server's security group (`ServerSecurityGroup`): the id, the name, or both.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ApiServerGroup {
    pub id: Option<String>,
    pub name: Option<String>,
    pub unknown: Vec<String>,
}

impl ApiObject for ApiServerGroup {
    const KIND: &'static str = "server security group";
    fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "id" => self.id = map.next_value()?,
            "name" => self.name = map.next_value()?,
            _ => return Ok(false),
        }
        Ok(true)
    }
    fn unknown_fields(&mut self) -> &mut Vec<String> {
        &mut self.unknown
    }
}
api_object!(ApiServerGroup);

/// Whether an address is IPv6: by `version`, else by its text.
fn is_v6(address: &ApiAddress) -> bool {
    match address.version.non_empty().as_deref() {
        Some("6") => true,
        Some(_) => false,
        None => address.addr.as_deref().and_then(|a| a.trim().parse::<IpAddr>().ok()).is_some_and(|a| a.is_ipv6()),
    }
}

impl ApiServer {
    /// The instance this server is; `path` is where it sits (`servers[3]`).
    pub fn to_draft(&self, path: &str) -> InstanceDraft {
        let mut draft = InstanceDraft::new(non_empty(&self.id).unwrap_or_default(), non_empty(&self.name).unwrap_or_default(), path);
        for (vpc, list) in &self.addresses.0 {
            draft.vpcs.push(vpc.clone());
            for (k, address) in list.iter().enumerate() {
                let at = format!("{path}.addresses.{vpc}[{k}]");
                let Some(addr) = non_empty(&address.addr) else {
                    draft.note(format!("{at}.addr"), "is empty; the address is left out".into());
                    continue;
                };
                let field = match address.kind.as_deref().unwrap_or("fixed") {
                    "floating" => "eip",
                    "fixed" if is_v6(address) => "ipv6",
                    "fixed" => "ip",
                    other => {
                        draft.note(
                            format!("{at}.OS-EXT-IPS:type"),
                            format!("`{other}` is neither `fixed` nor `floating`; the address is left out"),
                        );
                        continue;
                    }
                };
                draft.set_address(field, addr, format!("{at}.addr"));
            }
        }
        for (k, group) in self.security_groups.iter().flatten().enumerate() {
            draft.groups.push(GroupRef {
                id: non_empty(&group.id),
                name: non_empty(&group.name),
                path: format!("{path}.security_groups[{k}]"),
            });
        }
        draft
    }
}
