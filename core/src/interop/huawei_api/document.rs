//! One API response or request body: whichever of the listing keys it holds, with its
//! `page_info`. Several may be in one text, one after another (pages of a listing).

use super::address_groups::ApiAddressGroup;
use super::fields::{api_object, skip, ApiObject, Text};
use super::ports::ApiPort;
use super::security_groups::{ApiRule, ApiSecurityGroup};
use super::servers::ApiServer;
use serde::de::MapAccess;

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ApiDocument {
    /// `ListSecurityGroups`.
    pub security_groups: Option<Vec<ApiSecurityGroup>>,
    /// `ShowSecurityGroup`, `CreateSecurityGroup`.
    pub security_group: Option<ApiSecurityGroup>,
    /// `ListSecurityGroupRules`, `BatchCreateSecurityGroupRules`.
    pub security_group_rules: Option<Vec<ApiRule>>,
    /// `CreateSecurityGroupRule` (request or response), `ShowSecurityGroupRule`.
    pub security_group_rule: Option<ApiRule>,
    /// `ListAddressGroup`.
    pub address_groups: Option<Vec<ApiAddressGroup>>,
    /// `ShowAddressGroup`, `CreateAddressGroup`.
    pub address_group: Option<ApiAddressGroup>,
    /// ECS `ListServersDetails`.
    pub servers: Option<Vec<ApiServer>>,
    /// ECS `ShowServer`.
    pub server: Option<ApiServer>,
    /// VPC `ListPorts`.
    pub ports: Option<Vec<ApiPort>>,
    /// VPC `ShowPort`.
    pub port: Option<ApiPort>,
    pub page_info: Option<PageInfo>,
    pub unknown: Vec<String>,
}

impl ApiObject for ApiDocument {
    const KIND: &'static str = "API response";
    fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "security_groups" => self.security_groups = map.next_value()?,
            "security_group" => self.security_group = map.next_value()?,
            "security_group_rules" => self.security_group_rules = map.next_value()?,
            "security_group_rule" => self.security_group_rule = map.next_value()?,
            "address_groups" => self.address_groups = map.next_value()?,
            "address_group" => self.address_group = map.next_value()?,
            "servers" => self.servers = map.next_value()?,
            "server" => self.server = map.next_value()?,
            "ports" => self.ports = map.next_value()?,
            "port" => self.port = map.next_value()?,
            "page_info" => self.page_info = map.next_value()?,
            "request_id" | "count" | "dry_run" => skip(map)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
    fn unknown_fields(&mut self) -> &mut Vec<String> {
        &mut self.unknown
    }
}
api_object!(ApiDocument);

/// The VPC v3 listings' paging: `previous_marker` is the first record of this page,
/// `next_marker` the last one, present only when another page follows.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct PageInfo {
    pub previous_marker: Option<String>,
    pub current_count: Text,
    pub next_marker: Option<String>,
    pub unknown: Vec<String>,
}

impl ApiObject for PageInfo {
    const KIND: &'static str = "page_info";
    fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "previous_marker" => self.previous_marker = map.next_value()?,
            "current_count" => self.current_count = map.next_value()?,
            "next_marker" => self.next_marker = map.next_value()?,
            _ => return Ok(false),
        }
        Ok(true)
    }
    fn unknown_fields(&mut self) -> &mut Vec<String> {
        &mut self.unknown
    }
}
api_object!(PageInfo);

impl ApiDocument {
    /// The listing this page belongs to and how many records it holds, for the paging checks.
    pub fn listing(&self) -> Option<(&'static str, usize)> {
        None.or(self.security_group_rules.as_ref().map(|l| ("security_group_rules", l.len())))
            .or(self.security_groups.as_ref().map(|l| ("security_groups", l.len())))
            .or(self.address_groups.as_ref().map(|l| ("address_groups", l.len())))
            .or(self.ports.as_ref().map(|l| ("ports", l.len())))
            .or(self.servers.as_ref().map(|l| ("servers", l.len())))
    }
}
