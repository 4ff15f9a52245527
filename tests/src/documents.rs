//! A world written back as a scenario document, independently of the importers (rules as an
//! editor writes them, `RuleSpec::from_rule`; addresses and entries as text), for the round-trip
//! property tests and the kernel oracle's replayable mismatches.

use serde_json::Value;
use sgplay_core::model::{Ethertype, World};
use sgplay_core::profile::alibaba::written_rules;
use sgplay_core::profile::{CloudProfile, GroupKind};
use sgplay_core::scenario::{AddressGroupSpec, GroupSpec, InstanceSpec, RuleSpec, ScenarioSpec, SubnetSpec, VpcSpec, FORMAT_VERSION};

/// Every part of `world` the scenario format carries, unnamed.
pub fn scenario_of(world: &World) -> ScenarioSpec {
    let vpcs = world
        .vpcs
        .iter()
        .map(|v| VpcSpec {
            id: v.id.clone(),
            name: v.name.clone(),
            cidr: v.cidr.to_string(),
            subnets: v
                .subnets
                .iter()
                .map(|s| SubnetSpec {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    cidr: s.cidr.to_string(),
                    ipv6_cidr: s.ipv6_cidr.map(|c| c.to_string()),
                    snat_eip: s.snat_eip.map(|a| a.to_string()),
                })
                .collect(),
        })
        .collect();
    let security_groups = world
        .security_groups
        .iter()
        .map(|g| GroupSpec {
            id: g.id.clone(),
            name: g.name.clone(),
            description: g.description.clone(),
            template: None,
            // The implicit rules are the builder's to add again.
            rules: written_rules(g).map(|r| RuleSpec::from_rule(r, &g.id)).collect(),
            group_type: (world.profile == CloudProfile::Alibaba).then(|| g.kind.type_name().to_string()),
            inner_access_policy: (g.kind == GroupKind::BasicIsolated).then(|| "Drop".to_string()),
        })
        .collect();
    let address_groups = world
        .address_groups
        .iter()
        .map(|ag| AddressGroupSpec {
            id: ag.id.clone(),
            name: ag.name.clone(),
            ip_version: Some(Value::from(if ag.ethertype == Ethertype::IPv6 { 6u64 } else { 4 })),
            ip_set: ag.entries.iter().map(|e| Value::String(e.to_string())).collect(),
            description: format!("entries of {}", ag.id),
            other_fields: Default::default(),
        })
        .collect();
    let instances = world
        .instances
        .iter()
        .map(|i| InstanceSpec {
            id: i.id.clone(),
            name: i.name.clone(),
            subnet_id: i.subnet_id.clone(),
            ip: i.private_ip(Ethertype::IPv4).map(|a| a.to_string()),
            ipv6: i.private_ip(Ethertype::IPv6).map(|a| a.to_string()),
            virtual_ips: i.virtual_ips.iter().map(|a| a.to_string()).collect(),
            eip: i.eip.map(|a| a.to_string()),
            security_groups: i.security_groups.clone(),
            ..Default::default()
        })
        .collect();
    let profile = (world.profile != CloudProfile::Huawei).then(|| world.profile.name().to_string());
    ScenarioSpec { version: FORMAT_VERSION, profile, vpcs, security_groups, address_groups, instances, ..Default::default() }
}
