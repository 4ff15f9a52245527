//! Synthetic worlds: a deterministic generator of large estates that look like a real cloud
//! account, for load tests, benchmarks and demos (`sgplay generate`).
//!
//! A few VPCs (`10.x.0.0/16`) with tiered subnets (`/24`, `/22` where a tier is large, IPv6 on
//! some), instances with sequential private addresses, some IPv6 addresses, a few virtual IPs,
//! about one in ten with an EIP, and load balancers. Security groups are named by role
//! (`web-12`, `db-3`, `bastion-1`, …); their rules follow the role (a database group admits its
//! port from the application groups, a bastion admits SSH from the office), then a long tail of
//! partner hosts, address groups, peer groups, ICMP, GRE and deny rules, inbound and outbound,
//! IPv4 and IPv6.
//!
//! The same [`SynthConfig`] gives the same scenario, byte for byte, on every platform: the
//! random numbers come from a hand-written SplitMix64 and nothing iterates a hash map. Every
//! generated scenario validates with no error: ports only on tcp and udp, `icmp` on IPv4 and
//! `icmpv6` on IPv6, remotes of the rule's family, no host bits, unique ids and addresses, the
//! rule quota of SEMANTICS §7 and fewer than 6,000 instances per group. Warnings and advice
//! (shadowed rules, high-risk ports open to everyone) are expected: real estates have them.
//! The checks it adds are computed by the engine on the generated world, never written by hand.

use crate::analysis::constraints::{MAX_INSTANCES_PER_GROUP, RULE_QUOTA};
use crate::rng::Rng;
use crate::scenario::{
    AddressGroupSpec, CheckSpec, GroupSpec, InstanceSpec, ProbeSpec, RuleSpec, ScenarioSpec, SubnetSpec, VpcSpec, FORMAT_VERSION,
};
use ipnet::IpNet;
use serde_json::Value;
use std::net::{Ipv4Addr, Ipv6Addr};

/// What to generate. Counts are exact; `rules` and `groups_per_instance` are maxima.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthConfig {
    /// Instances, load balancers included.
    pub instances: usize,
    /// Security groups.
    pub groups: usize,
    /// At most this many rules per group, both directions together; up to 120 is realistic.
    pub rules: usize,
    /// IP address groups.
    pub address_groups: usize,
    /// Each instance gets 1 to this many groups (more than 5 earns the advice of SEMANTICS §7).
    pub groups_per_instance: usize,
    pub seed: u64,
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig { instances: 1000, groups: 200, rules: 120, address_groups: 20, groups_per_instance: 5, seed: 1 }
    }
}

impl SynthConfig {
    /// The command line that generates this world, for the scenario's description.
    pub fn command_line(&self) -> String {
        format!(
            "sgplay generate --instances {} --groups {} --rules {} --address-groups {} --groups-per-instance {} --seed {}",
            self.instances, self.groups, self.rules, self.address_groups, self.groups_per_instance, self.seed
        )
    }
}

/// Generates the world `config` describes. Deterministic: same config, same scenario.
pub fn generate(config: &SynthConfig) -> ScenarioSpec {
    let mut estate = Estate::new(config);
    estate.vpcs();
    estate.address_groups();
    estate.groups();
    estate.instances();
    estate.rules();
    let mut spec = estate.into_spec();
    spec.checks = computed_checks(&spec, config.seed);
    spec
}

// ---------------------------------------------------------------------------------------------
// Roles

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Web,
    Lb,
    Api,
    App,
    Worker,
    Db,
    Cache,
    Mq,
    Search,
    Monitor,
    Bastion,
    Common,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tier {
    Dmz,
    App,
    Data,
    Mgmt,
}

impl Tier {
    fn name(self) -> &'static str {
        match self {
            Tier::Dmz => "dmz",
            Tier::App => "app",
            Tier::Data => "data",
            Tier::Mgmt => "mgmt",
        }
    }
}

/// Where the traffic a role serves comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Internet,
    Office,
    Vpn,
    Vpc,
    Role(Role),
}

/// A service a role offers: a protocol and the port lists it is written with.
struct Service {
    protocol: &'static str,
    ports: &'static [&'static str],
    label: &'static str,
}

const fn svc(protocol: &'static str, ports: &'static [&'static str], label: &'static str) -> Service {
    Service { protocol, ports, label }
}

struct RoleInfo {
    role: Role,
    name: &'static str,
    tier: Tier,
    /// How common instances of this role are.
    instance_weight: usize,
    /// How common groups of this role are, once each role has one.
    group_weight: usize,
    services: &'static [Service],
    sources: &'static [Source],
    /// Roles this one connects to (its restricted outbound rules).
    depends_on: &'static [Role],
    /// Members talk to each other (a rule with the group itself as remote).
    cluster: bool,
    about: &'static str,
}

const ROLES: [RoleInfo; 12] = [
    RoleInfo {
        role: Role::Web,
        name: "web",
        tier: Tier::Dmz,
        instance_weight: 16,
        group_weight: 5,
        services: &[svc("tcp", &["80,443", "443", "80"], "HTTP(S)"), svc("tcp", &["8080", "8443"], "alternate HTTP")],
        sources: &[Source::Internet, Source::Role(Role::Lb), Source::Office],
        depends_on: &[Role::App, Role::Api, Role::Cache],
        cluster: false,
        about: "web front ends",
    },
    RoleInfo {
        role: Role::Lb,
        name: "lb",
        tier: Tier::Dmz,
        instance_weight: 3,
        group_weight: 2,
        services: &[svc("tcp", &["80,443", "443", "8443"], "listener")],
        sources: &[Source::Internet, Source::Vpn],
        depends_on: &[Role::Web, Role::App],
        cluster: false,
        about: "load balancers",
    },
    RoleInfo {
        role: Role::Api,
        name: "api",
        tier: Tier::App,
        instance_weight: 12,
        group_weight: 4,
        services: &[svc("tcp", &["8080", "8000-8999", "8443"], "API"), svc("tcp", &["443"], "HTTPS API")],
        sources: &[Source::Role(Role::Web), Source::Role(Role::Lb), Source::Vpc],
        depends_on: &[Role::Db, Role::Cache, Role::Mq],
        cluster: false,
        about: "API servers",
    },
    RoleInfo {
        role: Role::App,
        name: "app",
        tier: Tier::App,
        instance_weight: 16,
        group_weight: 5,
        services: &[svc("tcp", &["8080", "8000-8999", "9000", "8080,8443"], "application")],
        sources: &[Source::Role(Role::Web), Source::Role(Role::Api), Source::Role(Role::Lb), Source::Vpc],
        depends_on: &[Role::Db, Role::Cache, Role::Mq, Role::Search],
        cluster: false,
        about: "application servers",
    },
    RoleInfo {
        role: Role::Worker,
        name: "worker",
        tier: Tier::App,
        instance_weight: 14,
        group_weight: 3,
        services: &[svc("tcp", &["30000-32767"], "NodePort"), svc("tcp", &["10250"], "kubelet"), svc("tcp", &["8000-8999"], "jobs")],
        sources: &[Source::Vpc, Source::Role(Role::App), Source::Role(Role::Lb)],
        depends_on: &[Role::Mq, Role::Db, Role::Search],
        cluster: true,
        about: "container and batch workers",
    },
    RoleInfo {
        role: Role::Db,
        name: "db",
        tier: Tier::Data,
        instance_weight: 7,
        group_weight: 3,
        services: &[svc("tcp", &["3306", "3306,33060"], "MySQL"), svc("tcp", &["5432"], "PostgreSQL"), svc("tcp", &["27017"], "MongoDB")],
        sources: &[Source::Role(Role::App), Source::Role(Role::Api), Source::Role(Role::Worker)],
        depends_on: &[],
        cluster: true,
        about: "databases",
    },
    RoleInfo {
        role: Role::Cache,
        name: "cache",
        tier: Tier::Data,
        instance_weight: 6,
        group_weight: 2,
        services: &[svc("tcp", &["6379", "6379,26379", "7000-7005"], "Redis"), svc("tcp", &["11211"], "Memcached")],
        sources: &[Source::Role(Role::App), Source::Role(Role::Api), Source::Role(Role::Web)],
        depends_on: &[],
        cluster: true,
        about: "caches",
    },
    RoleInfo {
        role: Role::Mq,
        name: "mq",
        tier: Tier::App,
        instance_weight: 4,
        group_weight: 1,
        services: &[svc("tcp", &["5672", "5671-5672"], "AMQP"), svc("tcp", &["9092", "2181,9092"], "Kafka")],
        sources: &[Source::Role(Role::App), Source::Role(Role::Worker), Source::Role(Role::Api)],
        depends_on: &[],
        cluster: true,
        about: "message queues",
    },
    RoleInfo {
        role: Role::Search,
        name: "search",
        tier: Tier::Data,
        instance_weight: 3,
        group_weight: 1,
        services: &[svc("tcp", &["9200", "9200-9300"], "Elasticsearch")],
        sources: &[Source::Role(Role::App), Source::Role(Role::Api)],
        depends_on: &[],
        cluster: true,
        about: "search clusters",
    },
    RoleInfo {
        role: Role::Monitor,
        name: "monitor",
        tier: Tier::Mgmt,
        instance_weight: 3,
        group_weight: 1,
        services: &[svc("tcp", &["9090", "3000"], "Prometheus and Grafana"), svc("udp", &["514", "161"], "syslog and SNMP")],
        sources: &[Source::Office, Source::Vpc, Source::Role(Role::Bastion)],
        depends_on: &[Role::Web, Role::App, Role::Db],
        cluster: false,
        about: "monitoring",
    },
    RoleInfo {
        role: Role::Bastion,
        name: "bastion",
        tier: Tier::Mgmt,
        instance_weight: 1,
        group_weight: 1,
        services: &[svc("tcp", &["22"], "SSH"), svc("tcp", &["3389"], "RDP")],
        sources: &[Source::Office, Source::Vpn],
        depends_on: &[Role::Web, Role::App, Role::Db],
        cluster: false,
        about: "bastion hosts",
    },
    RoleInfo {
        role: Role::Common,
        name: "common",
        tier: Tier::Mgmt,
        instance_weight: 0,
        group_weight: 2,
        services: &[svc("tcp", &["22"], "SSH"), svc("tcp", &["9100"], "node exporter")],
        sources: &[Source::Role(Role::Bastion), Source::Role(Role::Monitor), Source::Vpc],
        depends_on: &[Role::Monitor],
        cluster: true,
        about: "baseline for every instance",
    },
];

/// The order in which the first groups are given roles, so a small world still has the
/// essential tiers.
const FIRST_GROUP_ROLES: [Role; 12] = [
    Role::Web,
    Role::App,
    Role::Db,
    Role::Bastion,
    Role::Common,
    Role::Cache,
    Role::Lb,
    Role::Api,
    Role::Worker,
    Role::Mq,
    Role::Monitor,
    Role::Search,
];

fn info(role: Role) -> &'static RoleInfo {
    &ROLES[role as usize]
}

// ---------------------------------------------------------------------------------------------
// Fixed address plan (documentation and reserved ranges only)

/// Office egress blocks, on TEST-NET-1.
const OFFICE_V4: [&str; 3] = ["192.0.2.0/28", "192.0.2.64/27", "192.0.2.128/26"];
const OFFICE_V6: [&str; 2] = ["2001:db8:ffff:1::/64", "2001:db8:ffff:2::/64"];
/// Remote-access VPN clients, on shared address space.
const VPN_V4: [&str; 2] = ["100.64.8.0/22", "100.64.16.0/24"];
const VPN_V6: [&str; 1] = ["2001:db8:ffff:100::/56"];
/// Huawei Cloud's private DNS servers.
const DNS_V4: [&str; 2] = ["100.125.1.250", "100.125.64.250"];
/// An address on the Internet that nothing in the world owns or names (EIPs stop at `.250`).
const INTERNET_PROBE: &str = "203.0.113.254";
/// An office address, inside `OFFICE_V4[0]`.
const OFFICE_PROBE: &str = "192.0.2.10";

const TAIL_TCP_PORTS: [&str; 20] = [
    "22",
    "80",
    "443",
    "3306",
    "5432",
    "6379",
    "8080",
    "8000-8999",
    "30000-32767",
    "80,443",
    "22-24,25",
    "25",
    "465",
    "587",
    "993",
    "3389",
    "8443",
    "9000-9100",
    "10000-10100",
    "5000",
];
const TAIL_UDP_PORTS: [&str; 8] = ["53", "123", "161", "514", "500,4500", "1194", "3478", "10000-20000"];

const VPC_NAMES: [&str; 8] = ["prod", "staging", "shared", "dev", "dr", "analytics", "sandbox", "partner"];
/// Most instances a VPC receives; a `/16` holds about 250 `/24` subnets.
const MAX_INSTANCES_PER_VPC: usize = 40_000;
/// Hosts of a `/24` from `.10` to `.250`, and of a `/22` from `.10` of its first `/24` to
/// `.250` of its last.
const HOSTS_24: usize = 241;
const HOSTS_22: usize = 1009;
/// Every address is written as text through `ipnet`, so no block ever has host bits set.
fn block(text: &str) -> String {
    text.parse::<IpNet>().map(|n| n.trunc().to_string()).unwrap_or_else(|_| text.to_string())
}

fn v4(a: u8, b: u8, c: u8, d: u8) -> String {
    Ipv4Addr::new(a, b, c, d).to_string()
}

// ---------------------------------------------------------------------------------------------
// The estate under construction

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Family {
    V4,
    V6,
}

impl Family {
    fn ethertype(self) -> &'static str {
        match self {
            Family::V4 => "IPv4",
            Family::V6 => "IPv6",
        }
    }

    fn any(self) -> &'static str {
        match self {
            Family::V4 => "0.0.0.0/0",
            Family::V6 => "::/0",
        }
    }

    fn index(self) -> usize {
        match self {
            Family::V4 => 0,
            Family::V6 => 1,
        }
    }
}

struct Vpc {
    id: String,
    name: String,
    /// The second octet of `10.x.0.0/16`.
    octet: u8,
    ipv6: bool,
    /// Next free third octet.
    next_third: usize,
    subnets: Vec<Subnet>,
    /// Instances (and virtual IPs) still to place per tier.
    demand: [usize; 4],
}

impl Vpc {
    fn cidr(&self) -> String {
        format!("10.{}.0.0/16", self.octet)
    }

    fn cidr_v6(&self) -> String {
        block(&format!("2001:db8:{:x}::/48", self.octet))
    }
}

struct Subnet {
    id: String,
    name: String,
    tier: Tier,
    base: u32,
    prefix: u8,
    v6_base: Option<u128>,
    /// Offset of the next host from `base`.
    next: u32,
    last: u32,
}

impl Subnet {
    fn cidr(&self) -> String {
        format!("{}/{}", Ipv4Addr::from(self.base), self.prefix)
    }

    fn cidr_v6(&self) -> Option<String> {
        self.v6_base.map(|b| format!("{}/64", Ipv6Addr::from(b)))
    }

    fn full(&self) -> bool {
        self.next > self.last
    }

    /// The next host offset.
    fn take(&mut self) -> u32 {
        let n = self.next;
        self.next += 1;
        n
    }
}

struct Group {
    id: String,
    role: Role,
    /// Which of the role's services this group serves.
    service: usize,
    members: usize,
    home_vpc: Option<usize>,
    ipv6: bool,
    spec: GroupSpec,
}

struct AddressGroup {
    id: String,
    purpose: Purpose,
    family: Family,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Purpose {
    Office,
    Partners,
    Blocklist,
    Probes,
    Payments,
    OnPrem,
}

impl Purpose {
    const ALL: [Purpose; 6] = [Purpose::Office, Purpose::Partners, Purpose::Blocklist, Purpose::Probes, Purpose::Payments, Purpose::OnPrem];

    fn name(self) -> &'static str {
        match self {
            Purpose::Office => "office",
            Purpose::Partners => "partners",
            Purpose::Blocklist => "blocklist",
            Purpose::Probes => "monitoring-probes",
            Purpose::Payments => "payment-gateways",
            Purpose::OnPrem => "on-prem",
        }
    }
}

struct Estate<'c> {
    config: &'c SynthConfig,
    rng: Rng,
    vpcs: Vec<Vpc>,
    address_groups: Vec<AddressGroup>,
    address_group_specs: Vec<AddressGroupSpec>,
    groups: Vec<Group>,
    /// Group indices by role.
    by_role: Vec<Vec<usize>>,
    instances: Vec<InstanceSpec>,
    /// How many EIPs were handed out, gaps included.
    next_eip: usize,
    /// Memberships the groups can still take before one reaches 6,000, and instances still
    /// to associate: an extra group is given only while every later instance keeps room for one.
    spare_seats: usize,
    unseated: usize,
}

/// A rule before it is written: the fields that decide its quota and family.
#[derive(Clone, Debug)]
struct Draft {
    family: Family,
    protocol: Option<&'static str>,
    ports: Option<String>,
    deny: bool,
    priority: u8,
    remote: Remote,
    description: String,
}

#[derive(Clone, Debug)]
enum Remote {
    Any,
    Prefix(String),
    Group(String),
    AddressGroup(String),
}

impl Draft {
    fn new(family: Family, protocol: Option<&'static str>, ports: Option<&str>, remote: Remote, description: impl Into<String>) -> Draft {
        let has_ports = matches!(protocol, Some("tcp" | "udp"));
        Draft {
            family,
            protocol,
            ports: ports.filter(|_| has_ports).map(str::to_string),
            deny: false,
            priority: 1,
            remote,
            description: description.into(),
        }
    }

    fn deny(mut self, priority: u8) -> Draft {
        self.deny = true;
        self.priority = priority;
        self
    }

    /// Counts against the quota of SEMANTICS §7: a group or address group remote, or
    /// inconsecutive ports; once however many of these hold.
    fn takes_quota(&self) -> bool {
        matches!(self.remote, Remote::Group(_) | Remote::AddressGroup(_)) || self.ports.as_deref().is_some_and(|p| p.contains(','))
    }
}

impl<'c> Estate<'c> {
    fn new(config: &'c SynthConfig) -> Estate<'c> {
        Estate {
            config,
            rng: Rng::new(config.seed),
            vpcs: Vec::new(),
            address_groups: Vec::new(),
            address_group_specs: Vec::new(),
            groups: Vec::new(),
            by_role: vec![Vec::new(); ROLES.len()],
            instances: Vec::new(),
            next_eip: 0,
            spare_seats: 0,
            unseated: 0,
        }
    }

    fn vpcs(&mut self) {
        let n = self.config.instances.div_ceil(350).clamp(1, 4).max(self.config.instances.div_ceil(MAX_INSTANCES_PER_VPC)).min(250);
        // Distinct second octets, in increasing order, spaced as an operator would.
        let step = self.rng.range(1, (250 / n).clamp(1, 10));
        let start = self.rng.range(0, 250 - step * (n - 1));
        for v in 0..n {
            let name = match VPC_NAMES.get(v) {
                Some(name) => (*name).to_string(),
                None => format!("vpc-{}", v + 1),
            };
            let ipv6 = v == 0 || self.rng.chance(40);
            self.vpcs.push(Vpc {
                id: format!("vpc-{name}"),
                name,
                octet: (start + step * v) as u8,
                ipv6,
                next_third: 0,
                subnets: Vec::new(),
                demand: [0; 4],
            });
        }
    }

    fn address_groups(&mut self) {
        let mut counters = [0usize; Purpose::ALL.len()];
        for a in 0..self.config.address_groups {
            let purpose = if a < Purpose::ALL.len() { Purpose::ALL[a] } else { Purpose::ALL[self.rng.weighted(&[3, 4, 2, 1, 1, 2])] };
            // The first of each purpose is IPv4 except the fourth group, so a world with a few
            // address groups has one of each family; later ones are IPv6 one time in four.
            let family = if a == 3 || (a >= Purpose::ALL.len() && self.rng.chance(25)) { Family::V6 } else { Family::V4 };
            counters[purpose as usize] += 1;
            let n = counters[purpose as usize];
            let id = format!("ipg-{}-{n}", purpose.name());
            let entries = self.address_entries(purpose, family);
            let description = match purpose {
                Purpose::Office => "office and home-office egress addresses",
                Purpose::Partners => "partner systems that call our APIs",
                Purpose::Blocklist => "addresses blocked after abuse reports",
                Purpose::Probes => "external uptime probes",
                Purpose::Payments => "payment provider callbacks",
                Purpose::OnPrem => "on-premises networks behind the VPN",
            };
            self.address_group_specs.push(AddressGroupSpec {
                id: id.clone(),
                name: format!("{}-{n}", purpose.name()),
                ip_version: Some(Value::from(if family == Family::V4 { 4 } else { 6 })),
                ip_set: Value::Array(entries.into_iter().map(Value::String).collect()),
                description: description.into(),
                other_fields: Default::default(),
            });
            self.address_groups.push(AddressGroup { id, purpose, family });
        }
    }

    /// Addresses, CIDR blocks and ranges `a-b`, of the group's family.
    fn address_entries(&mut self, purpose: Purpose, family: Family) -> Vec<String> {
        let count = self.rng.range(2, 14);
        let mut out: Vec<String> = Vec::new();
        while out.len() < count {
            let kind = self.rng.below(3);
            let a = self.rng.range(1, 250) as u8;
            let b = self.rng.range(1, 200) as u8;
            let entry = match family {
                Family::V4 => {
                    let (p, q) = match purpose {
                        Purpose::Office => (192, 0),
                        Purpose::OnPrem => (172, 16),
                        _ => (198, 19),
                    };
                    // TEST-NET-1 is a single /24: its third octet is fixed.
                    let c = if p == 192 { 2 } else { a };
                    match kind {
                        0 => v4(p, q, c, b),
                        1 => block(&format!("{}/{}", v4(p, q, c, b), self.rng.pick(&[24u8, 26, 27, 28, 29]))),
                        _ => format!("{}-{}", v4(p, q, c, b), v4(p, q, c, b.saturating_add(self.rng.range(1, 50) as u8))),
                    }
                }
                Family::V6 => {
                    let net = match purpose {
                        Purpose::Office => 0xffff_0001u32,
                        Purpose::OnPrem => 0xfffe_0000 + u32::from(a),
                        _ => 0xffff_1000 + u32::from(a),
                    };
                    let prefix = format!("2001:db8:{:x}:{:x}", net >> 16, net & 0xffff);
                    match kind {
                        0 => block(&format!("{prefix}::{b:x}")),
                        1 => block(&format!("{prefix}::/{}", self.rng.pick(&[64u8, 96, 112, 120]))),
                        _ => format!("{prefix}::{b:x}-{prefix}::{:x}", u16::from(b) + self.rng.range(1, 200) as u16),
                    }
                }
            };
            if !out.contains(&entry) {
                out.push(entry);
            }
        }
        out
    }

    fn groups(&mut self) {
        let weights: Vec<usize> = ROLES.iter().map(|r| r.group_weight).collect();
        let mut roles: Vec<Role> = Vec::with_capacity(self.config.groups);
        for g in 0..self.config.groups {
            let role = match FIRST_GROUP_ROLES.get(g) {
                Some(r) => *r,
                None => ROLES[self.rng.weighted(&weights)].role,
            };
            roles.push(role);
        }
        // Listed by role, then by number: how a console sorted by name reads.
        roles.sort_by_key(|r| *r as usize);
        let mut counters = [0usize; ROLES.len()];
        for role in roles {
            counters[role as usize] += 1;
            let info = info(role);
            let id = format!("{}-{}", info.name, counters[role as usize]);
            let service = self.rng.below(info.services.len());
            let description = format!("{} ({}), generated", info.about, info.services[service].label);
            self.by_role[role as usize].push(self.groups.len());
            self.groups.push(Group {
                spec: GroupSpec { id: id.clone(), name: id.clone(), description, template: None, rules: Vec::new(), ..Default::default() },
                id,
                role,
                service,
                members: 0,
                home_vpc: None,
                ipv6: false,
            });
        }
    }

    fn instances(&mut self) {
        let n = self.config.instances;
        let weights: Vec<usize> = ROLES.iter().map(|r| r.instance_weight).collect();
        let vpc_weights: Vec<usize> = (0..self.vpcs.len()).map(|v| [6, 3, 2, 1][v.min(3)]).collect();
        // First pass: a role, a VPC and whether a virtual IP comes with it, to size the subnets.
        let mut plans = Vec::with_capacity(n);
        let mut placed = vec![0usize; self.vpcs.len()];
        for _ in 0..n {
            let role = ROLES[self.rng.weighted(&weights)].role;
            let mut vpc = self.rng.weighted(&vpc_weights);
            if placed[vpc] >= MAX_INSTANCES_PER_VPC {
                vpc = (0..self.vpcs.len()).find(|v| placed[*v] < MAX_INSTANCES_PER_VPC).unwrap_or(vpc);
            }
            placed[vpc] += 1;
            let vip = match role {
                Role::Db | Role::Cache => self.rng.chance(12),
                Role::Lb => false,
                _ => self.rng.chance(1),
            };
            self.vpcs[vpc].demand[info(role).tier as usize] += 1 + usize::from(vip);
            plans.push((role, vpc, vip));
        }
        self.spare_seats = self.groups.len() * (MAX_INSTANCES_PER_GROUP - 1);
        self.unseated = n;
        let mut numbers = [0usize; ROLES.len()];
        for (role, vpc, vip) in plans {
            numbers[role as usize] += 1;
            let number = numbers[role as usize];
            let tier = info(role).tier;
            let s = self.subnet_for(vpc, tier);
            let subnet = &mut self.vpcs[vpc].subnets[s];
            let host = subnet.take();
            let ip = Ipv4Addr::from(subnet.base + host).to_string();
            let v6_share = if role == Role::Lb { 50 } else { 60 };
            let ipv6 = subnet.v6_base.filter(|_| self.rng.chance(v6_share)).map(|b| Ipv6Addr::from(b + u128::from(host)).to_string());
            let virtual_ips = if vip {
                let h = subnet.take();
                vec![Ipv4Addr::from(subnet.base + h).to_string()]
            } else {
                Vec::new()
            };
            let subnet_id = subnet.id.clone();
            self.vpcs[vpc].demand[tier as usize] -= 1 + usize::from(vip);
            let eip_share = match role {
                Role::Bastion => 100,
                Role::Lb => 60,
                Role::Web => 20,
                _ => 5,
            };
            let eip = if self.rng.chance(eip_share) { self.take_eip() } else { None };
            let vpc_name = &self.vpcs[vpc].name;
            let (id, name, kind, transfer_client_ip) = if role == Role::Lb {
                let public = if eip.is_some() { "public" } else { "internal" };
                (
                    format!("elb-{number:02}"),
                    format!("{vpc_name}-elb-{public}-{number}"),
                    Some("load_balancer".to_string()),
                    self.rng.chance(40),
                )
            } else {
                (format!("ecs-{}-{number:03}", info(role).name), format!("{vpc_name}-{}-{number:03}", info(role).name), None, false)
            };
            let security_groups = self.associate(role, vpc, ipv6.is_some());
            self.instances.push(InstanceSpec {
                id,
                name,
                kind,
                transfer_client_ip,
                subnet_id: Some(subnet_id),
                ip: Some(ip),
                ipv6,
                virtual_ips,
                eip,
                security_groups,
            });
        }
        for v in 0..self.vpcs.len() {
            if self.vpcs[v].subnets.is_empty() {
                self.subnet_for(v, Tier::App);
            }
        }
        // A group without members is homed anywhere; now and then a group has IPv6 rules
        // though no member has an IPv6 address, as real estates do.
        for g in 0..self.groups.len() {
            if self.groups[g].home_vpc.is_none() {
                self.groups[g].home_vpc = Some(self.rng.below(self.vpcs.len()));
            }
            if !self.groups[g].ipv6 && self.rng.chance(10) {
                self.groups[g].ipv6 = true;
            }
        }
    }

    /// The subnet of `tier` in `vpc` with room for one more host, created when needed.
    fn subnet_for(&mut self, v: usize, tier: Tier) -> usize {
        let vpc = &mut self.vpcs[v];
        if let Some(s) = vpc.subnets.iter().rposition(|s| s.tier == tier && !s.full()) {
            return s;
        }
        let large = vpc.demand[tier as usize] > HOSTS_24;
        let (prefix, blocks, hosts) = if large { (22u8, 4usize, HOSTS_22) } else { (24, 1, HOSTS_24) };
        let third = vpc.next_third.div_ceil(blocks) * blocks;
        vpc.next_third = third + blocks;
        let base = u32::from(Ipv4Addr::new(10, vpc.octet, (third % 256) as u8, 0));
        let count = vpc.subnets.iter().filter(|s| s.tier == tier).count() + 1;
        let with_v6 = vpc.ipv6 && tier != Tier::Mgmt && (tier != Tier::Data || count % 2 == 1);
        let v6_base = with_v6.then(|| (0x2001_0db8u128 << 96) | (u128::from(vpc.octet) << 80) | ((third as u128) << 64));
        let name = format!("{}-{}-{count}", vpc.name, tier.name());
        vpc.subnets.push(Subnet { id: format!("subnet-{name}"), name, tier, base, prefix, v6_base, next: 10, last: 10 + hosts as u32 - 1 });
        vpc.subnets.len() - 1
    }

    /// EIPs from TEST-NET-3, then TEST-NET-2, then the benchmarking block `198.18.0.0/16`;
    /// none once those run out.
    fn take_eip(&mut self) -> Option<String> {
        self.next_eip += self.rng.range(1, 3);
        let i = self.next_eip;
        let addr = if i <= 250 {
            v4(203, 0, 113, i as u8)
        } else if i <= 500 {
            v4(198, 51, 100, (i - 250) as u8)
        } else {
            let j = i - 501;
            let (third, fourth) = (j / 250, j % 250 + 1);
            if third > 255 {
                return None;
            }
            v4(198, 18, third as u8, fourth as u8)
        };
        Some(addr)
    }

    /// 1 to `groups_per_instance` groups: the role's group first (now and then the baseline
    /// group), then baseline, same-role or any groups. No group reaches 6,000 members. A group
    /// is homed in the VPC of its first member and has IPv6 rules when a member has IPv6.
    fn associate(&mut self, role: Role, vpc: usize, ipv6: bool) -> Vec<String> {
        let max = self.config.groups_per_instance.max(1).min(self.groups.len());
        if max == 0 {
            return Vec::new();
        }
        let weights: Vec<usize> = (1..=max).map(|k| [35, 30, 17, 10, 8].get(k - 1).copied().unwrap_or(3)).collect();
        let want = 1 + self.rng.weighted(&weights);
        let mut chosen: Vec<usize> = Vec::new();
        let tier = info(role).tier;
        let primary = self.pick_group(Some(role)).or_else(|| self.pick_in(|g| info(g.role).tier == tier)).or_else(|| self.pick_group(None));
        chosen.extend(primary);
        self.unseated -= 1;
        self.spare_seats = self.spare_seats.saturating_sub(chosen.len());
        let mut attempts = 0;
        while chosen.len() < want && attempts < 4 * want && self.spare_seats > self.unseated {
            attempts += 1;
            let roll = self.rng.below(100);
            let next = if roll < 45 {
                self.pick_group(Some(Role::Common))
            } else if roll < 70 {
                self.pick_group(Some(role))
            } else {
                self.pick_group(None)
            };
            if let Some(g) = next.filter(|g| !chosen.contains(g)) {
                chosen.push(g);
                self.spare_seats -= 1;
            }
        }
        // The baseline group first, one time in five: its deny rules then come before all else.
        if chosen.len() > 1 && self.groups[chosen[1]].role == Role::Common && self.rng.chance(20) {
            chosen.swap(0, 1);
        }
        for g in &chosen {
            let group = &mut self.groups[*g];
            group.members += 1;
            group.home_vpc.get_or_insert(vpc);
            group.ipv6 |= ipv6;
        }
        chosen.iter().map(|g| self.groups[*g].id.clone()).collect()
    }

    /// A random group of `role` (any group for `None`) with room for one more member: a few
    /// random tries, then the first with room from a random start, so a large world stays fast.
    fn pick_group(&mut self, role: Option<Role>) -> Option<usize> {
        let n = role.map_or(self.groups.len(), |r| self.by_role[r as usize].len());
        let at = |i: usize| role.map_or(i, |r| self.by_role[r as usize][i]);
        if n == 0 {
            return None;
        }
        let has_room = |g: usize| self.groups[g].members + 1 < MAX_INSTANCES_PER_GROUP;
        for _ in 0..4 {
            let g = at(self.rng.below(n));
            if has_room(g) {
                return Some(g);
            }
        }
        let start = self.rng.below(n);
        (0..n).map(|k| at((start + k) % n)).find(|&g| has_room(g))
    }

    /// A random group satisfying `fits` with room for one more member (the slow way, for the
    /// rare fallback).
    fn pick_in(&mut self, fits: impl Fn(&Group) -> bool) -> Option<usize> {
        let candidates: Vec<usize> =
            (0..self.groups.len()).filter(|&g| fits(&self.groups[g]) && self.groups[g].members + 1 < MAX_INSTANCES_PER_GROUP).collect();
        (!candidates.is_empty()).then(|| candidates[self.rng.below(candidates.len())])
    }

    fn rules(&mut self) {
        let max = self.config.rules;
        for g in 0..self.groups.len() {
            let roll = self.rng.below(100);
            let n = if roll < 55 {
                self.rng.range(max.min(3), max.min(12))
            } else if roll < 85 {
                self.rng.range(max.min(10), max.min(40))
            } else {
                self.rng.range(max.min(30), max)
            };
            let n_out = match n {
                0 | 1 => 0,
                _ => (1 + self.rng.below((n / 4).max(1))).min(n - 1),
            };
            let n_in = n - n_out;
            let mut inbound = self.core_inbound(g);
            while inbound.len() < n_in {
                let d = self.tail_inbound(g);
                inbound.push(d);
            }
            inbound.truncate(n_in);
            let mut outbound = self.core_outbound(g);
            while outbound.len() < n_out {
                let d = self.tail_outbound(g);
                outbound.push(d);
            }
            outbound.truncate(n_out);
            let mut quota = [[0usize; 2]; 2];
            let mut rules = Vec::with_capacity(n);
            for (direction, short, drafts, q) in [("ingress", "in", inbound, 0usize), ("egress", "out", outbound, 1usize)] {
                for (i, mut d) in drafts.into_iter().enumerate() {
                    if d.takes_quota() {
                        if quota[q][d.family.index()] >= RULE_QUOTA {
                            self.demote(g, &mut d);
                        } else {
                            quota[q][d.family.index()] += 1;
                        }
                    }
                    let id = format!("{}-{short}-{}", self.groups[g].id, i + 1);
                    rules.push(self.rule_spec(direction, id, d));
                }
            }
            self.groups[g].spec.rules = rules;
        }
    }

    /// The same rule without what takes quota: a block of the home VPC, the first port element.
    fn demote(&mut self, g: usize, d: &mut Draft) {
        if matches!(d.remote, Remote::Group(_) | Remote::AddressGroup(_)) {
            d.remote = Remote::Prefix(self.vpc_block(g, d.family));
        }
        if let Some(p) = &d.ports {
            d.ports = p.split(',').next().map(str::to_string);
        }
    }

    fn rule_spec(&mut self, direction: &str, id: String, d: Draft) -> RuleSpec {
        let (prefix, group, address_group) = match d.remote {
            Remote::Any => (None, None, None),
            Remote::Prefix(p) => (Some(p), None, None),
            Remote::Group(id) => (None, Some(id), None),
            Remote::AddressGroup(id) => (None, None, Some(id)),
        };
        let described = !d.description.is_empty() && self.rng.chance(70);
        RuleSpec {
            id: Some(id),
            direction: Some(direction.into()),
            ethertype: Some(d.family.ethertype().into()),
            protocol: d.protocol.map(|p| Value::String(p.into())),
            multiport: d.ports.map(Value::String),
            action: Some(if d.deny { "deny" } else { "allow" }.into()),
            priority: Some(Value::from(d.priority)),
            remote_ip_prefix: prefix,
            remote_group_id: group,
            remote_address_group_id: address_group,
            description: described.then_some(d.description),
            ..Default::default()
        }
    }

    /// A typical priority: 1 mostly, a few spread out.
    fn priority(&mut self) -> u8 {
        match self.rng.below(100) {
            0..=64 => 1,
            65..=79 => self.rng.pick(&[2, 5, 10]),
            80..=89 => self.rng.pick(&[50, 100]),
            _ => self.rng.range(1, 100) as u8,
        }
    }

    fn home(&self, g: usize) -> &Vpc {
        &self.vpcs[self.groups[g].home_vpc.unwrap_or(0).min(self.vpcs.len() - 1)]
    }

    fn vpc_block(&self, g: usize, family: Family) -> String {
        match family {
            Family::V4 => self.home(g).cidr(),
            Family::V6 => self.home(g).cidr_v6(),
        }
    }

    /// A subnet block of the group's home VPC (its IPv6 block when it has one), else the VPC's.
    fn subnet_block(&mut self, g: usize, family: Family) -> String {
        let vpc = self.groups[g].home_vpc.unwrap_or(0).min(self.vpcs.len() - 1);
        let n = self.vpcs[vpc].subnets.len();
        let s = self.rng.below(n);
        let subnet = self.vpcs[vpc].subnets.get(s);
        match (family, subnet) {
            (Family::V4, Some(s)) => s.cidr(),
            (Family::V6, Some(s)) => s.cidr_v6().unwrap_or_else(|| self.vpc_block(g, family)),
            (_, None) => self.vpc_block(g, family),
        }
    }

    fn office(&mut self, family: Family) -> Remote {
        match family {
            Family::V4 => Remote::Prefix(self.rng.pick(&OFFICE_V4).into()),
            Family::V6 => Remote::Prefix(self.rng.pick(&OFFICE_V6).into()),
        }
    }

    fn vpn(&mut self, family: Family) -> Remote {
        match family {
            Family::V4 => Remote::Prefix(self.rng.pick(&VPN_V4).into()),
            Family::V6 => Remote::Prefix(self.rng.pick(&VPN_V6).into()),
        }
    }

    /// A partner's host or block on the Internet.
    fn partner(&mut self, family: Family) -> (Remote, String) {
        let a = self.rng.range(1, 250) as u8;
        let b = self.rng.range(1, 254) as u8;
        let text = match (family, self.rng.below(4)) {
            (Family::V4, 0) => v4(198, 19, a, b),
            (Family::V4, 1) => format!("{}/32", v4(198, 19, a, b)),
            (Family::V4, 2) => block(&format!("{}/28", v4(198, 19, a, b))),
            (Family::V4, _) => format!("{}/24", v4(198, 19, a, 0)),
            (Family::V6, 0) => block(&format!("2001:db8:ffff:{:x}::{b:x}", 0x1000 + u16::from(a))),
            (Family::V6, 1) => block(&format!("2001:db8:ffff:{:x}::{b:x}/128", 0x1000 + u16::from(a))),
            (Family::V6, _) => block(&format!("2001:db8:ffff:{:x}::/64", 0x1000 + u16::from(a))),
        };
        (Remote::Prefix(text.clone()), format!("partner {text}"))
    }

    fn on_prem(&mut self, family: Family) -> Remote {
        let a = self.rng.range(0, 63) as u8;
        match family {
            Family::V4 => Remote::Prefix(if self.rng.chance(30) { "172.16.0.0/16".into() } else { format!("172.16.{a}.0/24") }),
            Family::V6 => Remote::Prefix(block(&format!("2001:db8:fffe:{a:x}::/64"))),
        }
    }

    /// An address group of `purpose` (or any) of the family, if one exists.
    fn address_group(&mut self, purpose: Option<Purpose>, family: Family) -> Option<String> {
        let fits: Vec<&AddressGroup> =
            self.address_groups.iter().filter(|a| a.family == family && purpose.is_none_or(|p| p == a.purpose)).collect();
        if fits.is_empty() {
            return None;
        }
        let i = self.rng.below(fits.len());
        Some(fits[i].id.clone())
    }

    /// A group of `role`, if one exists.
    fn group_of(&mut self, role: Role) -> Option<usize> {
        let list = &self.by_role[role as usize];
        (!list.is_empty()).then(|| list[self.rng.below(list.len())])
    }

    /// A remote for traffic from `source`, and words for the description.
    fn source(&mut self, g: usize, source: Source, family: Family) -> (Remote, String) {
        match source {
            Source::Internet => {
                if self.rng.chance(15) {
                    (Remote::Any, "anywhere".into())
                } else {
                    (Remote::Prefix(family.any().into()), "the Internet".into())
                }
            }
            Source::Office => match self.address_group(Some(Purpose::Office), family).filter(|_| self.rng.chance(40)) {
                Some(ag) => (Remote::AddressGroup(ag), "the office".into()),
                None => (self.office(family), "the office".into()),
            },
            Source::Vpn => (self.vpn(family), "VPN clients".into()),
            Source::Vpc => (Remote::Prefix(self.vpc_block(g, family)), format!("VPC {}", self.home(g).name)),
            Source::Role(role) => match self.group_of(role) {
                Some(other) => (Remote::Group(self.groups[other].id.clone()), self.groups[other].id.clone()),
                None => (Remote::Prefix(self.subnet_block(g, family)), "the local subnet".into()),
            },
        }
    }

    /// The protocol and one port list of the group's service.
    fn service(&mut self, g: usize) -> (&'static str, String, &'static str) {
        let s = &info(self.groups[g].role).services[self.groups[g].service];
        (s.protocol, self.rng.pick(s.ports).to_string(), s.label)
    }

    /// IPv6 one time in `percent` when the group has IPv6 rules at all.
    fn family(&mut self, g: usize, percent: usize) -> Family {
        if self.groups[g].ipv6 && self.rng.chance(percent) {
            Family::V6
        } else {
            Family::V4
        }
    }

    /// What a group of this role starts with: its service from its sources, admin access,
    /// the cluster's own traffic, ping, IPv6 and a deny or two.
    fn core_inbound(&mut self, g: usize) -> Vec<Draft> {
        let role = self.groups[g].role;
        let ri = info(role);
        let mut out = Vec::new();
        for (n, source) in ri.sources.iter().take(2).enumerate() {
            let (proto, ports, label) = self.service(g);
            let (remote, from) = self.source(g, *source, Family::V4);
            let mut d = Draft::new(Family::V4, Some(proto), Some(ports.as_str()), remote, format!("{label} from {from}"));
            d.priority = if n == 0 { 1 } else { self.priority() };
            out.push(d);
        }
        if role != Role::Bastion {
            let (remote, from) = self.source(g, Source::Role(Role::Bastion), Family::V4);
            out.push(Draft::new(Family::V4, Some("tcp"), Some("22"), remote, format!("SSH from {from}")));
        }
        if ri.cluster {
            let remote = Remote::Group(self.groups[g].id.clone());
            out.push(Draft::new(Family::V4, None, None, remote, "members of this group talk to each other"));
        }
        out.push(Draft::new(Family::V4, Some("icmp"), None, Remote::Prefix(self.vpc_block(g, Family::V4)), "ping from the VPC"));
        if self.groups[g].ipv6 {
            let (proto, ports, label) = self.service(g);
            let source = ri.sources[0];
            let (remote, from) = self.source(g, source, Family::V6);
            out.push(Draft::new(Family::V6, Some(proto), Some(ports.as_str()), remote, format!("{label} from {from} over IPv6")));
            out.push(Draft::new(Family::V6, Some("icmpv6"), None, Remote::Prefix(self.vpc_block(g, Family::V6)), "ICMPv6 from the VPC"));
        }
        match role {
            Role::Bastion | Role::Web | Role::Common => {
                let ports = self.rng.pick(&["22", "3389", "22,3389"]);
                out.push(
                    Draft::new(
                        Family::V4,
                        Some("tcp"),
                        Some(ports),
                        Remote::Prefix("0.0.0.0/0".into()),
                        "no remote administration from the Internet",
                    )
                    .deny(100),
                );
            }
            _ => {}
        }
        if let Some(ag) = self.address_group(Some(Purpose::Blocklist), Family::V4) {
            if self.rng.chance(50) {
                out.push(Draft::new(Family::V4, None, None, Remote::AddressGroup(ag), "blocked addresses").deny(1));
            }
        }
        // The service rules come first; the rest of the essentials in no fixed order.
        let keep = ri.sources.len().min(2).min(out.len());
        let tail = &mut out[keep..];
        for i in (1..tail.len()).rev() {
            let j = self.rng.below(i + 1);
            tail.swap(i, j);
        }
        out
    }

    /// One rule of the long tail: partners, address groups, peers, infrastructure, denies.
    fn tail_inbound(&mut self, g: usize) -> Draft {
        let family = self.family(g, 20);
        let mut d = match self.rng.weighted(&[25, 20, 12, 8, 10, 10, 10, 5]) {
            0 => {
                let (proto, ports, label) = self.service(g);
                let sources = info(self.groups[g].role).sources;
                let source = self.rng.pick(sources);
                let (remote, from) = self.source(g, source, family);
                Draft::new(family, Some(proto), Some(ports.as_str()), remote, format!("{label} from {from}"))
            }
            1 => {
                let (proto, ports) = self.tail_ports();
                let (remote, who) = self.partner(family);
                Draft::new(family, Some(proto), Some(ports), remote, who)
            }
            2 => {
                let other = self.rng.below(self.groups.len());
                let peer = self.groups[other].id.clone();
                if self.rng.chance(40) {
                    Draft::new(family, None, None, Remote::Group(peer.clone()), format!("everything from {peer}"))
                } else {
                    let (proto, ports) = self.tail_ports();
                    Draft::new(family, Some(proto), Some(ports), Remote::Group(peer.clone()), format!("{peer} to {proto} {ports}"))
                }
            }
            3 => {
                let ports = self.rng.pick(&["22", "3389", "22-24,25", "5900-5910"]);
                let remote = if self.rng.chance(50) { self.vpn(family) } else { self.office(family) };
                Draft::new(family, Some("tcp"), Some(ports), remote, "administration")
            }
            4 => match self.rng.below(5) {
                0 => {
                    let proto = if family == Family::V4 { "icmp" } else { "icmpv6" };
                    let block = self.subnet_block(g, family);
                    Draft::new(family, Some(proto), None, Remote::Prefix(block), "ping from a subnet")
                }
                1 => {
                    let ports = self.rng.pick(&["53", "123", "161"]);
                    Draft::new(family, Some("udp"), Some(ports), Remote::Prefix(self.vpc_block(g, family)), "infrastructure services")
                }
                2 => {
                    let remote = self.on_prem(family);
                    Draft::new(family, Some("gre"), None, remote, "GRE tunnel from the data centre")
                }
                3 => {
                    let remote = self.on_prem(family);
                    Draft::new(family, None, None, remote, "everything from the data centre")
                }
                _ => Draft::new(family, None, None, Remote::Prefix(self.vpc_block(g, family)), "everything from the VPC"),
            },
            5 => match self.rng.below(3) {
                0 => {
                    let (proto, ports) = self.tail_ports();
                    let d =
                        Draft::new(family, Some(proto), Some(ports), Remote::Prefix(family.any().into()), format!("close {proto} {ports}"));
                    let p = self.rng.pick(&[1, 50, 100]);
                    d.deny(p)
                }
                1 => {
                    let (remote, who) = self.partner(family);
                    Draft::new(family, None, None, remote, format!("block {who}")).deny(1)
                }
                _ => match self.address_group(Some(Purpose::Blocklist), family) {
                    Some(ag) => Draft::new(family, None, None, Remote::AddressGroup(ag), "blocked addresses").deny(1),
                    None => {
                        let (remote, who) = self.partner(family);
                        Draft::new(family, Some("tcp"), Some("3306"), remote, format!("no database access for {who}")).deny(1)
                    }
                },
            },
            6 => {
                let purpose =
                    self.rng.pick(&[Some(Purpose::Partners), Some(Purpose::Probes), Some(Purpose::Payments), Some(Purpose::OnPrem), None]);
                let (proto, ports) = self.tail_ports();
                match self.address_group(purpose, family).or_else(|| self.address_group(None, family)) {
                    Some(ag) => {
                        Draft::new(family, Some(proto), Some(ports), Remote::AddressGroup(ag.clone()), format!("{ag} to {proto} {ports}"))
                    }
                    None => {
                        let (remote, who) = self.partner(family);
                        Draft::new(family, Some(proto), Some(ports), remote, who)
                    }
                }
            }
            _ => {
                let ports = self.rng.pick(&["80", "443", "80,443"]);
                Draft::new(family, Some("tcp"), Some(ports), Remote::Prefix(family.any().into()), "web traffic from the Internet")
            }
        };
        if !d.deny {
            d.priority = self.priority();
        }
        d
    }

    fn tail_ports(&mut self) -> (&'static str, &'static str) {
        if self.rng.chance(80) {
            ("tcp", self.rng.pick(&TAIL_TCP_PORTS))
        } else {
            ("udp", self.rng.pick(&TAIL_UDP_PORTS))
        }
    }

    /// Everything out (most groups) or HTTPS only, IPv6 alike, and DNS.
    fn core_outbound(&mut self, g: usize) -> Vec<Draft> {
        let mut out = Vec::new();
        let open = self.rng.chance(70);
        let mut families = vec![Family::V4];
        if self.groups[g].ipv6 {
            families.push(Family::V6);
        }
        for family in families {
            if open {
                let remote = if self.rng.chance(30) { Remote::Any } else { Remote::Prefix(family.any().into()) };
                out.push(Draft::new(family, None, None, remote, "all outbound traffic"));
            } else {
                out.push(Draft::new(family, Some("tcp"), Some("443"), Remote::Prefix(family.any().into()), "HTTPS out"));
            }
        }
        if !open || self.rng.chance(30) {
            let dns = self.rng.pick(&DNS_V4);
            out.push(Draft::new(Family::V4, Some("udp"), Some("53"), Remote::Prefix(dns.into()), "private DNS"));
        }
        out
    }

    fn tail_outbound(&mut self, g: usize) -> Draft {
        let family = self.family(g, 15);
        let deps = info(self.groups[g].role).depends_on;
        let mut d = match self.rng.weighted(&[35, 10, 15, 15, 10, 15]) {
            0 if !deps.is_empty() => {
                let role = self.rng.pick(deps);
                match self.group_of(role) {
                    Some(t) => {
                        let (proto, ports, label) = self.service(t);
                        let target = self.groups[t].id.clone();
                        Draft::new(family, Some(proto), Some(ports.as_str()), Remote::Group(target.clone()), format!("{label} on {target}"))
                    }
                    None => Draft::new(family, None, None, Remote::Prefix(self.vpc_block(g, family)), "the VPC"),
                }
            }
            1 => {
                let d = Draft::new(family, Some("tcp"), Some("25"), Remote::Prefix(family.any().into()), "no direct mail");
                d.deny(1)
            }
            2 => {
                let ag =
                    self.address_group(Some(Purpose::Partners), family).or_else(|| self.address_group(Some(Purpose::Payments), family));
                match ag {
                    Some(ag) => Draft::new(family, Some("tcp"), Some("443"), Remote::AddressGroup(ag.clone()), format!("HTTPS to {ag}")),
                    None => {
                        let (remote, who) = self.partner(family);
                        Draft::new(family, Some("tcp"), Some("443"), remote, format!("HTTPS to {who}"))
                    }
                }
            }
            3 => {
                let (proto, ports) = self.tail_ports();
                Draft::new(
                    family,
                    Some(proto),
                    Some(ports),
                    Remote::Prefix(self.vpc_block(g, family)),
                    format!("{proto} {ports} inside the VPC"),
                )
            }
            4 => {
                let remote = self.on_prem(family);
                let proto = self.rng.pick(&[None, Some("gre")]);
                Draft::new(family, proto, None, remote, "the data centre")
            }
            _ => match self.address_group(Some(Purpose::Blocklist), family) {
                Some(ag) => Draft::new(family, None, None, Remote::AddressGroup(ag), "nothing to blocked addresses").deny(1),
                None => {
                    let proto = if family == Family::V4 { "icmp" } else { "icmpv6" };
                    Draft::new(family, Some(proto), None, Remote::Prefix(family.any().into()), "ping out")
                }
            },
        };
        if !d.deny {
            d.priority = self.priority();
        }
        d
    }

    fn into_spec(self) -> ScenarioSpec {
        let c = self.config;
        let vpcs = self
            .vpcs
            .iter()
            .map(|v| VpcSpec {
                id: v.id.clone(),
                name: v.name.clone(),
                cidr: v.cidr(),
                subnets: v
                    .subnets
                    .iter()
                    .map(|s| SubnetSpec { id: s.id.clone(), name: s.name.clone(), cidr: s.cidr(), ipv6_cidr: s.cidr_v6(), snat_eip: None })
                    .collect(),
            })
            .collect();
        ScenarioSpec {
            version: FORMAT_VERSION,
            name: format!("Synthetic estate, seed {}", c.seed),
            description: format!(
                "Generated by sgplay_core::synth with instances={}, groups={}, rules={} (most per group), address_groups={}, groups_per_instance={} (most per instance), seed={}. \
                 Regenerate with `{}`. The expectations of the checks were computed by the engine on this world when it was generated.",
                c.instances,
                c.groups,
                c.rules,
                c.address_groups,
                c.groups_per_instance,
                c.seed,
                c.command_line()
            ),
            vpcs,
            security_groups: self.groups.into_iter().map(|g| g.spec).collect(),
            address_groups: self.address_group_specs,
            instances: self.instances,
            ..Default::default()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Checks

/// A few single-packet checks whose expectation is whatever the engine decides on the generated
/// world: a web server to a database, the office to a bastion, an application server to the
/// Internet, and two members of one group. None when the world does not validate.
fn computed_checks(spec: &ScenarioSpec, seed: u64) -> Vec<CheckSpec> {
    let Ok(scenario) = spec.build() else {
        return Vec::new();
    };
    let world = &scenario.world;
    // A stream of its own, so the checks never change the world.
    let mut rng = Rng::new(seed.rotate_left(32) ^ 0xC4EC_C4EC);
    let mut of_role = |prefix: &str| -> Option<String> {
        let ids: Vec<&str> = spec.instances.iter().map(|i| i.id.as_str()).filter(|id| id.starts_with(prefix)).collect();
        (!ids.is_empty()).then(|| ids[rng.below(ids.len())].to_string())
    };
    let mut probes: Vec<(String, ProbeSpec)> = Vec::new();
    let tcp = |from: &str, to: &str, port: u16| ProbeSpec {
        from: from.into(),
        to: to.into(),
        protocol: "tcp".into(),
        port: Some(port),
        ..Default::default()
    };
    if let (Some(web), Some(db)) = (of_role("ecs-web-"), of_role("ecs-db-")) {
        probes.push((format!("web server {web} to database {db} on MySQL"), tcp(&web, &db, 3306)));
    }
    if let Some(bastion) = of_role("ecs-bastion-") {
        probes.push((format!("SSH from the office ({OFFICE_PROBE}) to bastion {bastion}"), tcp(OFFICE_PROBE, &bastion, 22)));
    }
    if let Some(app) = of_role("ecs-app-").or_else(|| spec.instances.first().map(|i| i.id.clone())) {
        probes.push((format!("application server {app} to the Internet ({INTERNET_PROBE}) on HTTPS"), tcp(&app, INTERNET_PROBE, 443)));
    }
    let pair = spec.instances.iter().enumerate().take(200).find_map(|(i, a)| {
        let first = a.security_groups.first()?;
        let b = spec.instances[i + 1..].iter().find(|b| b.security_groups.first() == Some(first))?;
        Some((a.id.clone(), b.id.clone(), first.clone()))
    });
    if let Some((a, b, group)) = pair {
        probes.push((
            format!("ping between {a} and {b}, both first in {group}"),
            ProbeSpec { from: a, to: b, protocol: "icmp".into(), ..Default::default() },
        ));
    }
    probes
        .into_iter()
        .filter_map(|(name, packet)| {
            let resolved = packet.resolve(world).ok()?;
            let expect = crate::decide(world, &resolved).to_string();
            Some(CheckSpec { name, packet, expect, expect_rule: None, expect_denied_at: None, expect_path: None })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Scenario, Severity};

    fn small() -> SynthConfig {
        SynthConfig { instances: 10, groups: 4, rules: 6, address_groups: 3, groups_per_instance: 2, seed: 3 }
    }

    fn errors_of(spec: &ScenarioSpec) -> Vec<String> {
        match spec.build() {
            Ok(s) => s.notices.iter().filter(|p| p.severity == Severity::Error).map(|p| p.to_string()).collect(),
            Err(problems) => problems.iter().filter(|p| p.is_error()).map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_json() {
        let config = SynthConfig { instances: 300, groups: 40, ..SynthConfig::default() };
        assert_eq!(generate(&config).to_json(), generate(&config).to_json());
    }

    #[test]
    fn another_seed_gives_another_world() {
        let a = generate(&small());
        let b = generate(&SynthConfig { seed: 4, ..small() });
        assert_ne!(a.to_json(), b.to_json());
    }

    #[test]
    fn the_default_world_validates_with_the_configured_counts() {
        let config = SynthConfig::default();
        let spec = generate(&config);
        assert_eq!(spec.instances.len(), config.instances);
        assert_eq!(spec.security_groups.len(), config.groups);
        assert_eq!(spec.address_groups.len(), config.address_groups);
        let errors = errors_of(&spec);
        assert!(errors.is_empty(), "{} errors, first: {:?}", errors.len(), errors.first());
        let scenario = Scenario::from_json(&spec.to_json()).expect("the JSON reads back");
        assert_eq!(scenario.world.instances.len(), config.instances);
        assert_eq!(scenario.world.security_groups.len(), config.groups);
        assert!(scenario.notices.iter().all(|p| !p.message.contains("the console refuses more than")), "a rule quota is exceeded");
        assert!(scenario.notices.iter().all(|p| !p.message.contains("its performance deteriorates")), "a group has too many instances");
    }

    #[test]
    fn a_small_world_validates() {
        let spec = generate(&small());
        assert_eq!(spec.instances.len(), 10);
        assert_eq!(spec.security_groups.len(), 4);
        let errors = errors_of(&spec);
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn many_seeds_and_shapes_validate() {
        for seed in 0..12 {
            for (instances, groups, rules, address_groups, k) in
                [(1, 1, 1, 0, 1), (40, 3, 0, 0, 5), (60, 13, 300, 8, 7), (250, 25, 120, 2, 5)]
            {
                let config = SynthConfig { instances, groups, rules, address_groups, groups_per_instance: k, seed };
                let spec = generate(&config);
                let errors = errors_of(&spec);
                assert!(errors.is_empty(), "{config:?}: {errors:?}");
                assert_eq!(spec.instances.len(), instances);
                assert_eq!(spec.security_groups.len(), groups);
            }
        }
    }

    #[test]
    fn rules_per_group_never_exceed_the_maximum() {
        for rules in [0, 1, 2, 6, 50, 120] {
            let spec = generate(&SynthConfig { instances: 50, groups: 30, rules, ..SynthConfig::default() });
            for g in &spec.security_groups {
                assert!(g.rules.len() <= rules, "{} has {} rules, more than {rules}", g.id, g.rules.len());
            }
        }
    }

    #[test]
    fn a_huge_rule_budget_stays_within_the_quota() {
        let spec = generate(&SynthConfig { instances: 30, groups: 12, rules: 1000, address_groups: 6, groups_per_instance: 3, seed: 9 });
        let scenario = spec.build().expect("valid");
        assert!(scenario.notices.iter().all(|p| !p.message.contains("the console refuses more than")));
        assert!(spec.security_groups.iter().any(|g| g.rules.len() > 2 * RULE_QUOTA), "some group uses the large budget");
    }

    #[test]
    fn groups_per_instance_is_a_maximum_and_each_instance_has_one() {
        let spec = generate(&SynthConfig { instances: 400, groups: 30, groups_per_instance: 3, ..SynthConfig::default() });
        assert!(spec.instances.iter().all(|i| (1..=3).contains(&i.security_groups.len())));
        assert!(spec.instances.iter().any(|i| i.security_groups.len() == 3));
    }

    #[test]
    fn crowded_groups_keep_a_seat_for_every_instance() {
        // 17,000 instances in 3 groups: room for only 17,997 memberships under 6,000 a group.
        let config = SynthConfig { instances: 17_000, groups: 3, rules: 5, address_groups: 0, groups_per_instance: 3, seed: 5 };
        let spec = generate(&config);
        assert!(spec.instances.iter().all(|i| !i.security_groups.is_empty()), "an instance was left without a group");
        for g in &spec.security_groups {
            let members = spec.instances.iter().filter(|i| i.security_groups.contains(&g.id)).count();
            assert!(members < MAX_INSTANCES_PER_GROUP, "{} has {members} instances", g.id);
        }
        assert!(spec.instances.iter().any(|i| i.security_groups.len() > 1), "extra groups while there is room");
    }

    #[test]
    fn the_estate_has_the_features_it_promises() {
        let spec = generate(&SynthConfig::default());
        let rules: Vec<&RuleSpec> = spec.security_groups.iter().flat_map(|g| &g.rules).collect();
        let has = |f: &dyn Fn(&RuleSpec) -> bool| rules.iter().any(|r| f(r));
        assert!(has(&|r| r.action.as_deref() == Some("deny")));
        assert!(has(&|r| r.ethertype.as_deref() == Some("IPv6")));
        assert!(has(&|r| r.remote_address_group_id.is_some()));
        assert!(has(&|r| r.remote_group_id.as_deref() == r.id.as_deref().and_then(|id| id.split("-in-").next())));
        for p in ["tcp", "udp", "icmp", "icmpv6", "gre"] {
            assert!(has(&|r| r.protocol.as_ref().and_then(Value::as_str) == Some(p)), "no {p} rule");
        }
        assert!(has(&|r| r.protocol.is_none()));
        assert!(has(&|r| r.priority != Some(Value::from(1))));
        assert!(spec.instances.iter().any(|i| i.transfer_client_ip));
        assert!(spec.instances.iter().any(|i| !i.virtual_ips.is_empty()));
        assert!(spec.instances.iter().any(|i| i.ipv6.is_some()));
        let eips = spec.instances.iter().filter(|i| i.eip.is_some()).count();
        assert!((50..=200).contains(&eips), "{eips} EIPs of 1000");
        assert!(spec.vpcs.iter().flat_map(|v| &v.subnets).any(|s| s.cidr.ends_with("/22")));
        assert!(spec.vpcs.iter().flat_map(|v| &v.subnets).any(|s| s.ipv6_cidr.is_some()));
        assert!(spec.address_groups.iter().any(|a| a.ip_version == Some(Value::from(6))));
        // Group names read by role and number.
        assert!(spec.security_groups.iter().any(|g| g.id == "web-1") && spec.security_groups.iter().any(|g| g.id == "bastion-1"));
    }

    #[test]
    fn the_checks_pass_on_the_generated_world() {
        let spec = generate(&SynthConfig::default());
        assert!((2..=4).contains(&spec.checks.len()), "{} checks", spec.checks.len());
        let scenario = spec.build().expect("valid");
        for outcome in crate::testing::run_scenario(&scenario) {
            assert!(outcome.passed, "{}: {:?}", outcome.name, outcome.failures);
        }
    }
}
