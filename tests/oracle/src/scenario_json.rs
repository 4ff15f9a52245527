//! A world written back as a scenario file, so a mismatch can be replayed with `sgplay eval`
//! or opened in the playground.

use serde_json::Value;
use sgplay_core::model::{AddressEntry, Direction, Ethertype, ProtocolMatch, Remote, World};
use sgplay_core::scenario::{AddressGroupSpec, GroupSpec, InstanceSpec, RuleSpec, SubnetSpec, VpcSpec};
use sgplay_core::ScenarioSpec;

pub fn scenario(world: &World, name: &str) -> ScenarioSpec {
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
            rules: g
                .rules
                .iter()
                .map(|r| {
                    let (prefix, group, address_group) = match &r.remote {
                        Remote::Any => (None, None, None),
                        Remote::Prefix(net) => (Some(net.to_string()), None, None),
                        Remote::Group(id) => (None, Some(id.clone()), None),
                        Remote::AddressGroup(id) => (None, None, Some(id.clone())),
                    };
                    RuleSpec {
                        id: Some(r.id.clone()),
                        direction: Some(if r.direction == Direction::Ingress { "ingress" } else { "egress" }.into()),
                        ethertype: Some(r.ethertype.to_string()),
                        protocol: match r.protocol {
                            ProtocolMatch::Any => None,
                            p => Some(Value::String(p.to_string())),
                        },
                        multiport: (!r.ports.is_all()).then(|| Value::String(r.ports.to_string())),
                        action: Some(r.action.to_string()),
                        priority: Some(Value::from(r.priority)),
                        remote_ip_prefix: prefix,
                        remote_group_id: group,
                        remote_address_group_id: address_group,
                        ..Default::default()
                    }
                })
                .collect(),
        })
        .collect();
    let address_groups = world
        .address_groups
        .iter()
        .map(|g| AddressGroupSpec {
            id: g.id.clone(),
            name: g.name.clone(),
            ip_version: Some(Value::from(if g.ethertype == Ethertype::IPv4 { 4 } else { 6 })),
            ip_set: Value::Array(g.entries.iter().map(|e: &AddressEntry| Value::String(e.to_string())).collect()),
            description: String::new(),
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
    ScenarioSpec { version: 1, name: name.into(), vpcs, security_groups, address_groups, instances, ..Default::default() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sgplay_core::Scenario;

    #[test]
    fn random_worlds_round_trip_through_scenario_json() {
        for index in 0..40 {
            let world = crate::comparable::world(11, index);
            let text = scenario(&world, "round trip").to_json();
            let back = Scenario::from_json(&text).unwrap_or_else(|p| panic!("{p:?}\n{text}")).world;
            assert_eq!(back, world, "{text}");
        }
    }
}
