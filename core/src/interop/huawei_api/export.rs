//! A scenario as Huawei API output: `ListSecurityGroups` with each group's rules (as
//! `ShowSecurityGroup` nests them), `ListSecurityGroupRules`, `ListAddressGroup` and the ECS
//! server list. Written from the validated world, so template groups are expanded, generated
//! rule ids are filled in and defaults are explicit; import reads every one of these back.
//!
//! Absent values are written as the API writes them: `null`, and `""` for a description.
//! What the API shapes cannot carry (VPCs, virtual IPs, load balancers, checks) is reported.

use crate::diagnostic::{Problem, Severity};
use crate::model::{Action, Direction, Ethertype, Instance, InstanceKind, ProtocolMatch, Remote, Rule, World};
use crate::scenario::ScenarioSpec;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The key servers' addresses are listed under when the scenario models no VPC for them.
pub const NO_VPC: &str = "sgplay-no-vpc";

/// One API listing export can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// `ListSecurityGroups`, each group with its `security_group_rules`.
    SecurityGroups,
    /// `ListSecurityGroupRules`: every rule of every group, one page.
    SecurityGroupRules,
    /// `ListAddressGroup`.
    AddressGroups,
    /// ECS `ListServersDetails`.
    Servers,
}

impl Listing {
    /// What `Format::HuaweiApi` writes: everything the scenario holds, each rule once.
    pub const ALL: [Listing; 3] = [Listing::SecurityGroups, Listing::AddressGroups, Listing::Servers];

    pub fn parse(text: &str) -> Option<Listing> {
        match text {
            "security-groups" => Some(Listing::SecurityGroups),
            "security-group-rules" => Some(Listing::SecurityGroupRules),
            "address-groups" => Some(Listing::AddressGroups),
            "servers" => Some(Listing::Servers),
            _ => None,
        }
    }
}

#[derive(Serialize)]
struct PageInfo {
    previous_marker: Option<String>,
    current_count: usize,
}

impl PageInfo {
    fn of(first: Option<&str>, count: usize) -> PageInfo {
        PageInfo { previous_marker: first.map(str::to_string), current_count: count }
    }
}

#[derive(Serialize)]
struct SecurityGroupsOut<'a> {
    security_groups: Vec<GroupOut<'a>>,
    page_info: PageInfo,
}

#[derive(Serialize)]
struct GroupOut<'a> {
    id: &'a str,
    name: &'a str,
    description: &'a str,
    security_group_rules: Vec<RuleOut<'a>>,
}

#[derive(Serialize)]
struct RulesOut<'a> {
    security_group_rules: Vec<RuleOut<'a>>,
    page_info: PageInfo,
}

#[derive(Serialize)]
struct RuleOut<'a> {
    id: &'a str,
    description: &'a str,
    security_group_id: &'a str,
    direction: &'static str,
    protocol: Option<String>,
    ethertype: &'static str,
    multiport: Option<String>,
    action: &'static str,
    priority: u8,
    remote_group_id: Option<&'a str>,
    remote_ip_prefix: Option<String>,
    remote_address_group_id: Option<&'a str>,
}

fn rule_out<'a>(rule: &'a Rule, group_id: &'a str) -> RuleOut<'a> {
    let (prefix, group, address_group) = match &rule.remote {
        Remote::Any => (None, None, None),
        Remote::Prefix(net) => (Some(net.to_string()), None, None),
        Remote::Group(g) => (None, Some(g.as_str()), None),
        Remote::AddressGroup(g) => (None, None, Some(g.as_str())),
    };
    RuleOut {
        id: &rule.id,
        description: &rule.description,
        security_group_id: group_id,
        direction: match rule.direction {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        },
        protocol: match rule.protocol {
            ProtocolMatch::Any => None,
            p => Some(p.to_string()),
        },
        ethertype: match rule.ethertype {
            Ethertype::IPv4 => "IPv4",
            Ethertype::IPv6 => "IPv6",
        },
        multiport: (!rule.ports.is_all()).then(|| rule.ports.to_string()),
        action: match rule.action {
            Action::Allow => "allow",
            Action::Deny => "deny",
        },
        priority: rule.priority,
        remote_group_id: group,
        remote_ip_prefix: prefix,
        remote_address_group_id: address_group,
    }
}

#[derive(Serialize)]
struct AddressGroupsOut<'a> {
    address_groups: Vec<AddressGroupOut<'a>>,
    page_info: PageInfo,
}

#[derive(Serialize)]
struct AddressGroupOut<'a> {
    id: &'a str,
    name: &'a str,
    description: &'a str,
    ip_version: u8,
    ip_set: Vec<String>,
}

#[derive(Serialize)]
struct ServersOut<'a> {
    count: usize,
    servers: Vec<ServerOut<'a>>,
}

#[derive(Serialize)]
struct ServerOut<'a> {
    id: &'a str,
    name: &'a str,
    addresses: BTreeMap<&'a str, Vec<AddressOut>>,
    security_groups: Vec<ServerGroupOut<'a>>,
}

#[derive(Serialize)]
struct AddressOut {
    version: &'static str,
    addr: String,
    #[serde(rename = "OS-EXT-IPS:type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct ServerGroupOut<'a> {
    id: &'a str,
    name: &'a str,
}

fn pretty<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// The listings, one JSON document each, one after another (import reads them back as one text).
/// `spec` is the document `world` was built from: it holds what the model does not (address
/// group descriptions).
pub fn write(world: &World, spec: &ScenarioSpec, listings: &[Listing]) -> String {
    let docs: Vec<String> = listings
        .iter()
        .map(|listing| match listing {
            Listing::SecurityGroups => pretty(&security_groups(world)),
            Listing::SecurityGroupRules => pretty(&security_group_rules(world)),
            Listing::AddressGroups => pretty(&address_groups(world, spec)),
            Listing::Servers => pretty(&servers(world)),
        })
        .collect();
    let mut text = docs.join("\n");
    text.push('\n');
    text
}

fn security_groups(world: &World) -> SecurityGroupsOut<'_> {
    let groups: Vec<GroupOut<'_>> = world
        .security_groups
        .iter()
        .map(|g| GroupOut {
            id: &g.id,
            name: &g.name,
            description: &g.description,
            security_group_rules: g.rules.iter().map(|r| rule_out(r, &g.id)).collect(),
        })
        .collect();
    let page_info = PageInfo::of(groups.first().map(|g| g.id), groups.len());
    SecurityGroupsOut { security_groups: groups, page_info }
}

fn security_group_rules(world: &World) -> RulesOut<'_> {
    let rules: Vec<RuleOut<'_>> = world.security_groups.iter().flat_map(|g| g.rules.iter().map(move |r| rule_out(r, &g.id))).collect();
    let page_info = PageInfo::of(rules.first().map(|r| r.id), rules.len());
    RulesOut { security_group_rules: rules, page_info }
}

fn address_groups<'a>(world: &'a World, spec: &'a ScenarioSpec) -> AddressGroupsOut<'a> {
    let descriptions: HashMap<&str, &str> = spec.address_groups.iter().map(|ag| (ag.id.as_str(), ag.description.as_str())).collect();
    let groups: Vec<AddressGroupOut<'_>> = world
        .address_groups
        .iter()
        .map(|ag| AddressGroupOut {
            id: &ag.id,
            name: &ag.name,
            description: descriptions.get(ag.id.as_str()).copied().unwrap_or(""),
            ip_version: if ag.ethertype == Ethertype::IPv6 { 6 } else { 4 },
            ip_set: ag.entries.iter().map(ToString::to_string).collect(),
        })
        .collect();
    let page_info = PageInfo::of(groups.first().map(|g| g.id), groups.len());
    AddressGroupsOut { address_groups: groups, page_info }
}

fn server<'a>(world: &'a World, inst: &'a Instance) -> ServerOut<'a> {
    let vpc = world.vpc_of_instance(inst).map_or(NO_VPC, |v| world.vpcs[v].id.as_str());
    let fixed = |family: Ethertype| {
        inst.private_ip(family).map(|a| AddressOut {
            version: if family == Ethertype::IPv6 { "6" } else { "4" },
            addr: a.to_string(),
            kind: "fixed",
        })
    };
    let floating = inst.eip.map(|a| AddressOut { version: if a.is_ipv6() { "6" } else { "4" }, addr: a.to_string(), kind: "floating" });
    let list: Vec<AddressOut> = fixed(Ethertype::IPv4).into_iter().chain(fixed(Ethertype::IPv6)).chain(floating).collect();
    let groups = inst
        .security_groups
        .iter()
        .map(|id| ServerGroupOut { id, name: world.group(id).map_or(id.as_str(), |g| g.name.as_str()) })
        .collect();
    ServerOut { id: &inst.id, name: inst.display_name(), addresses: BTreeMap::from([(vpc, list)]), security_groups: groups }
}

fn servers(world: &World) -> ServersOut<'_> {
    let servers: Vec<ServerOut<'_>> =
        world.instances.iter().filter(|i| i.kind == InstanceKind::Ecs).map(|inst| server(world, inst)).collect();
    ServersOut { count: servers.len(), servers }
}

/// What the listings cannot carry, as warnings naming the scenario's objects.
pub fn left_out(world: &World, listings: &[Listing]) -> Vec<Problem> {
    let mut out = Vec::new();
    let warn = |path: String, object: String, field: &str, message: &str| Problem {
        severity: Severity::Warning,
        path,
        object,
        field: field.to_string(),
        value: String::new(),
        message: message.to_string(),
    };
    if listings.contains(&Listing::Servers) {
        for (i, inst) in world.instances.iter().enumerate() {
            let object = format!("instance `{}`", inst.id);
            if matches!(inst.kind, InstanceKind::LoadBalancer { .. }) {
                out.push(warn(format!("instances[{i}]"), object, "kind", "is a load balancer, not an ECS server; not exported"));
                continue;
            }
            if !inst.virtual_ips.is_empty() {
                out.push(warn(
                    format!("instances[{i}].virtual_ips"),
                    object.clone(),
                    "virtual_ips",
                    "the server list has no virtual IPs (they are bound to ports); not exported",
                ));
            }
            if inst.subnet_id.is_some() {
                out.push(warn(
                    format!("instances[{i}].subnet_id"),
                    object,
                    "subnet_id",
                    "the server list names the VPC, not the subnet; the addresses are listed under the VPC's id",
                ));
            }
        }
        if !world.vpcs.is_empty() {
            out.push(warn("vpcs".into(), "VPCs".into(), "vpcs", "VPCs, subnets and peerings are not part of these listings; not exported"));
        }
    }
    out
}
