//! The scenario file: one JSON document holding a world, its canvas layout, single-packet
//! checks and stateful sequences. The CLI reads it; the web app saves and loads it.
//! `Scenario::from_json` parses and validates, reporting every problem at once.

use super::address_group_spec::{build_address_group, AddressGroupSpec};
use super::checks::Check;
use super::probe::ProbeSpec;
use super::rule_spec::{build_rule, RuleContext, RuleSpec};
use super::sequence::SequenceSpec;
use super::source_map::{GroupOrigin, RuleOrigin, SourceMap};
use super::steps::Sequence;
use crate::diagnostic::{IdList, Problem, Problems, Severity};
use crate::model::{Ethertype, Instance, InstanceKind, SecurityGroup, Subnet, Vpc, World};
use crate::profile::CloudProfile;
use crate::templates::Template;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::IpAddr;

/// The newest format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

fn format_version() -> u32 {
    FORMAT_VERSION
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    #[serde(default = "format_version")]
    pub version: u32,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// `huawei` (the default) or `alibaba`: whose semantics the rules follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "super::objects::objects")]
    pub vpcs: Vec<VpcSpec>,
    /// VPC peering connections: the VPCs route to each other's private addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "super::objects::objects")]
    pub peerings: Vec<PeeringSpec>,
    #[serde(default, deserialize_with = "super::objects::objects")]
    pub security_groups: Vec<GroupSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "super::objects::objects")]
    pub address_groups: Vec<AddressGroupSpec>,
    #[serde(default, deserialize_with = "super::objects::objects")]
    pub instances: Vec<InstanceSpec>,
    /// Canvas positions by object id (instances, VPCs, subnets, `internet`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub layout: BTreeMap<String, Position>,
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "super::objects::objects")]
    pub checks: Vec<CheckSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "super::objects::objects")]
    pub sequences: Vec<SequenceSpec>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub x: f64,
    pub y: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpcSpec {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub cidr: String,
    #[serde(default, deserialize_with = "super::objects::objects")]
    pub subnets: Vec<SubnetSpec>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubnetSpec {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub cidr: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr: Option<String>,
    /// A NAT gateway SNAT rule for this subnet: the EIP its instances without an EIP of their
    /// own reach the Internet from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snat_eip: Option<String>,
}

/// A VPC peering connection between two VPCs of the scenario.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeeringSpec {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub vpc_id: String,
    pub peer_vpc_id: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// `default`, `Sys-WebServer` or `Sys-FullAccess`: start from the template's rules;
    /// `rules` are added after them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    #[serde(default, deserialize_with = "super::objects::objects")]
    pub rules: Vec<RuleSpec>,
    /// Alibaba only: `basic` (the default; the API's `normal`) or `enterprise`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub group_type: Option<String>,
    /// Alibaba basic groups only: `Accept` (the default, members reach each other) or `Drop`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inner_access_policy: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceSpec {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// `ecs` (default) or `load_balancer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Load balancers only: "Transfer Client IP Address" enabled on its listeners.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub transfer_client_ip: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    /// Private IPv4 address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// Private IPv6 address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub virtual_ips: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eip: Option<String>,
    /// Group ids in sequence order (first = sequence number 1). Empty: the `default` group.
    #[serde(default)]
    pub security_groups: Vec<String>,
}

/// A single-packet expectation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    pub name: String,
    #[serde(flatten)]
    pub packet: ProbeSpec,
    /// `allow` or `deny`.
    pub expect: String,
    /// The id of a rule that must have decided one of the sides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_rule: Option<String>,
    /// Where the packet must be stopped: `instance` or `instance/inbound|outbound`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_denied_at: Option<String>,
    /// The path outcome: `reachable`, `no_peering`, `private_from_outside` or `no_public_address`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_path: Option<String>,
}

/// Whether a build runs the advice analyses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Advice {
    Included,
    Deferred,
}

/// A validated scenario: the world to evaluate against, and the tests that come with it.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub world: World,
    pub layout: BTreeMap<String, Position>,
    /// The document's checks, read into typed values.
    pub checks: Vec<Check>,
    /// The document's sequences, read into typed steps.
    pub sequences: Vec<Sequence>,
    /// Warnings and advice: the scenario is usable, but these deserve a look.
    pub notices: Vec<Problem>,
    /// Where each rule of `world` comes from in the document.
    pub source_map: SourceMap,
}

impl Scenario {
    /// Parses and validates a scenario file. `Err` holds every problem found (errors first).
    pub fn from_json(text: &str) -> Result<Scenario, Vec<Problem>> {
        ScenarioSpec::parse(text).map_err(|p| vec![p])?.build()
    }
}

impl ScenarioSpec {
    /// Parses JSON into the spec. Syntax and type errors name the path and line.
    pub fn parse(text: &str) -> Result<ScenarioSpec, Problem> {
        super::limits::check_size(text.len())?;
        let super::objects::Object(spec) = super::json::from_json::<super::objects::Object<ScenarioSpec>>(text)
            .map_err(|e| Problem::error(e.path, format!("scenario file, line {}", e.line), "", "", e.message))?;
        if spec.version > FORMAT_VERSION {
            return Err(Problem::error(
                "version",
                "scenario file",
                "version",
                spec.version.to_string(),
                format!(
                    "this file was written by a newer sgplay (format {}); this one reads format {FORMAT_VERSION} and older",
                    spec.version
                ),
            ));
        }
        Ok(spec)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Validates everything and builds the world. Reports every error at once; warnings and
    /// advice come back in `Scenario::notices` when there is no error.
    pub fn build(&self) -> Result<Scenario, Vec<Problem>> {
        self.build_with(Advice::Included)
    }

    /// [`ScenarioSpec::build`] without the advice (exposure, the shadow analysis, egress):
    /// the same errors and warnings, for a caller that gets the advice elsewhere. On a
    /// 1,000-instance estate the advice is most of the build's time, which an editor would pay
    /// on every edit; the page builds large estates this way and analyses them in its worker.
    pub fn build_without_advice(&self) -> Result<Scenario, Vec<Problem>> {
        self.build_with(Advice::Deferred)
    }

    fn build_with(&self, advice: Advice) -> Result<Scenario, Vec<Problem>> {
        let mut problems = Problems::default();
        // Limits first: nothing is built from a document over them, so time stays bounded.
        super::limits::check(self, &mut problems);
        if problems.has_errors() {
            return Err(problems.into_vec());
        }
        let profile = super::alibaba::profile(self, &mut problems);
        let vpcs = self.build_vpcs(&mut problems);
        let (address_groups, ag_families) = self.build_address_groups(&mut problems);
        let mut group_ids = IdList::new(self.security_groups.iter().map(|g| g.id.clone()).collect());
        let needs_default = self.instances.iter().any(|i| i.security_groups.is_empty() && i.kind.as_deref() != Some("load_balancer"))
            && !group_ids.contains("default");
        if needs_default {
            group_ids.push("default".into());
        }
        let (mut security_groups, mut source_map) = self.build_groups(&group_ids, &ag_families, &mut problems);
        super::alibaba::groups(self, profile, &mut security_groups, &mut source_map, &mut problems);
        if needs_default {
            // Alibaba: an empty basic group, whose implicit rules say what Huawei's template says.
            let default = match profile {
                CloudProfile::Huawei => Template::Default.group("default", "default"),
                CloudProfile::Alibaba => super::alibaba::default_group(),
            };
            source_map.groups.push(GroupOrigin { document_index: None, rules: vec![RuleOrigin::Engine; default.rules.len()] });
            security_groups.push(default);
            problems.push(Problem {
                severity: Severity::Advice,
                path: "security_groups".into(),
                object: "security group `default`".into(),
                field: String::new(),
                value: String::new(),
                message: "an instance has no security group, so it gets the `default` group from the template, as the console does".into(),
            });
        }
        let instances = self.build_instances(&group_ids, &vpcs, &mut problems);
        let peerings = self.build_peerings(&vpcs, &mut problems);
        self.check_snat(&vpcs, &instances, &mut problems);
        super::alibaba::instances(self, profile, &security_groups, &instances, &mut problems);
        let world = World { vpcs, security_groups, address_groups, instances, peerings, profile };
        let (checks, sequences) = self.read_tests(&world, &mut problems);
        if problems.has_errors() {
            let mut list = problems.into_vec();
            list.sort_by_key(|p| p.severity);
            return Err(list);
        }
        let mut notices = problems.into_vec();
        // The analyses speak of model rules; point them at the document.
        let advised = match advice {
            Advice::Included => crate::analysis::advice::check(&world),
            Advice::Deferred => Vec::new(),
        };
        let analysed = crate::analysis::constraints::check(&world).into_iter().chain(advised);
        notices.extend(analysed.map(|p| Problem { path: source_map.document_path(&p.path), ..p }));
        Ok(Scenario {
            name: self.name.clone(),
            description: self.description.clone(),
            world,
            layout: self.layout.clone(),
            checks,
            sequences,
            notices,
            source_map,
        })
    }

    /// Validates one draft rule for group `group_id` against this scenario's groups and address
    /// groups, as an editor does while the user types: the rules it would become (several for
    /// comma-separated sources), or every problem with the field it is in.
    pub fn check_rule(&self, group_id: &str, index: usize, rule: &RuleSpec) -> Result<Vec<crate::model::Rule>, Vec<Problem>> {
        let group_ids = IdList::new(self.security_groups.iter().map(|g| g.id.clone()).collect());
        let mut scratch = Problems::default();
        let (_, ags) = self.build_address_groups(&mut scratch);
        let g = self.security_groups.iter().position(|g| g.id == group_id).unwrap_or(0);
        let ctx = RuleContext {
            path: format!("security_groups[{g}].rules[{index}]"),
            group_id,
            index,
            group_ids: &group_ids,
            address_groups: &ags,
        };
        let mut problems = Problems::default();
        let rules = build_rule(rule, &ctx, &mut problems);
        if problems.has_errors() {
            Err(problems.into_vec())
        } else {
            Ok(rules)
        }
    }

    fn build_vpcs(&self, problems: &mut Problems) -> Vec<Vpc> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (v, spec) in self.vpcs.iter().enumerate() {
            let path = format!("vpcs[{v}]");
            let object = format!("VPC `{}`", spec.id);
            unique_id(&mut seen, &spec.id, &path, &object, problems);
            let cidr = parse_cidr(&spec.cidr, &format!("{path}.cidr"), &object, "cidr", problems);
            let mut subnets = Vec::new();
            for (s, sub) in spec.subnets.iter().enumerate() {
                let spath = format!("{path}.subnets[{s}]");
                let sobject = format!("subnet `{}` of VPC `{}`", sub.id, spec.id);
                unique_id(&mut seen, &sub.id, &spath, &sobject, problems);
                let scidr = parse_cidr(&sub.cidr, &format!("{spath}.cidr"), &sobject, "cidr", problems);
                let v6 =
                    sub.ipv6_cidr.as_deref().and_then(|c| parse_cidr(c, &format!("{spath}.ipv6_cidr"), &sobject, "ipv6_cidr", problems));
                let v6 = v6.filter(|block| {
                    let is_v6 = matches!(block, IpNet::V6(_));
                    if !is_v6 {
                        let text = sub.ipv6_cidr.clone().unwrap_or_default();
                        let message = "is an IPv4 block; `ipv6_cidr` takes the subnet's IPv6 block, e.g. `2407:c080:802:be7::/64` (the IPv4 block goes in `cidr`)";
                        problems.push(Problem::error(format!("{spath}.ipv6_cidr"), sobject.clone(), "ipv6_cidr", text, message));
                    }
                    is_v6
                });

                if let (Some(vc), Some(sc)) = (cidr, scidr) {
                    if !vc.contains(&sc) {
                        problems.push(Problem::error(
                            format!("{spath}.cidr"),
                            sobject.clone(),
                            "cidr",
                            sub.cidr.clone(),
                            format!("lies outside the VPC's block `{vc}`"),
                        ));
                    }
                }
                if let Some(scidr) = scidr {
                    let snat_eip = sub.snat_eip.as_deref().and_then(|t| {
                        let field = format!("{spath}.snat_eip");
                        match t.trim().parse::<IpAddr>() {
                            Ok(a) if a.is_ipv4() && !crate::model::is_private_range(a) => Some(a),
                            _ => {
                                problems.push(Problem::error(
                                    field,
                                    sobject.clone(),
                                    "snat_eip",
                                    t,
                                    "must be a public IPv4 address (the NAT gateway's EIP), e.g. `203.0.113.50`",
                                ));
                                None
                            }
                        }
                    });
                    subnets.push(Subnet { id: sub.id.clone(), name: sub.name.clone(), cidr: scidr, ipv6_cidr: v6, snat_eip });
                }
            }
            if let Some(cidr) = cidr {
                out.push(Vpc { id: spec.id.clone(), name: spec.name.clone(), cidr, subnets });
            }
        }
        out
    }

    fn build_peerings(&self, vpcs: &[Vpc], problems: &mut Problems) -> Vec<crate::model::Peering> {
        let mut seen = HashSet::new();
        let mut out: Vec<crate::model::Peering> = Vec::new();
        let known = || crate::diagnostic::known_ids(vpcs.iter().map(|v| v.id.as_str()));
        for (i, spec) in self.peerings.iter().enumerate() {
            let path = format!("peerings[{i}]");
            let object = format!("VPC peering `{}`", spec.id);
            unique_id(&mut seen, &spec.id, &path, &object, problems);
            let mut vpc = |field: &str, id: &str| {
                let found = vpcs.iter().position(|v| v.id == id);
                if found.is_none() {
                    problems.push(Problem::error(
                        format!("{path}.{field}"),
                        object.clone(),
                        field,
                        id,
                        format!("no VPC has this id; VPCs: {}", known()),
                    ));
                }
                found
            };
            let (Some(a), Some(b)) = (vpc("vpc_id", &spec.vpc_id), vpc("peer_vpc_id", &spec.peer_vpc_id)) else { continue };
            if a == b {
                problems.push(Problem::error(
                    format!("{path}.peer_vpc_id"),
                    object.clone(),
                    "peer_vpc_id",
                    &spec.peer_vpc_id,
                    "is the same VPC as `vpc_id`; a peering joins two different VPCs",
                ));
            } else if out.iter().any(|p| p.vpcs == (a, b) || p.vpcs == (b, a)) {
                problems.push(Problem::error(
                    format!("{path}.peer_vpc_id"),
                    object.clone(),
                    "peer_vpc_id",
                    &spec.peer_vpc_id,
                    "these two VPCs are already peered by an earlier peering",
                ));
            } else {
                out.push(crate::model::Peering { id: spec.id.clone(), vpcs: (a, b) });
            }
        }
        out
    }

    /// A NAT gateway's EIP is its own address: no instance may hold it.
    fn check_snat(&self, vpcs: &[Vpc], instances: &[Instance], problems: &mut Problems) {
        for (v, vpc) in vpcs.iter().enumerate() {
            for (s, subnet) in vpc.subnets.iter().enumerate() {
                let Some(eip) = subnet.snat_eip else { continue };
                if let Some(holder) = instances.iter().find(|i| i.address_kind(eip).is_some()) {
                    problems.push(Problem::error(
                        format!("vpcs[{v}].subnets[{s}].snat_eip"),
                        format!("subnet `{}` of VPC `{}`", subnet.id, vpc.id),
                        "snat_eip",
                        eip.to_string(),
                        format!("is an address of instance `{}`; a NAT gateway's EIP belongs to the gateway alone", holder.id),
                    ));
                }
            }
        }
    }

    fn build_address_groups(&self, problems: &mut Problems) -> (Vec<crate::model::AddressGroup>, BTreeMap<String, Ethertype>) {
        let mut seen = HashSet::new();
        let mut groups = Vec::new();
        for (i, spec) in self.address_groups.iter().enumerate() {
            let path = format!("address_groups[{i}]");
            unique_id(&mut seen, &spec.id, &path, &format!("IP address group `{}`", spec.id), problems);
            if let Some(g) = build_address_group(spec, &path, problems) {
                groups.push(g);
            }
        }
        let families = groups.iter().map(|g| (g.id.clone(), g.ethertype)).collect();
        (groups, families)
    }

    fn build_groups(
        &self,
        group_ids: &IdList,
        ags: &BTreeMap<String, Ethertype>,
        problems: &mut Problems,
    ) -> (Vec<SecurityGroup>, SourceMap) {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let mut map = SourceMap::default();
        for (g, spec) in self.security_groups.iter().enumerate() {
            let path = format!("security_groups[{g}]");
            let object = format!("security group `{}`", spec.id);
            unique_id(&mut seen, &spec.id, &path, &object, problems);
            let mut rules = match spec.template.as_deref() {
                None => Vec::new(),
                Some(t) => match Template::parse(t) {
                    Some(t) => t.rules(&spec.id),
                    None => {
                        problems.push(Problem::error(
                            format!("{path}.template"),
                            object.clone(),
                            "template",
                            t,
                            "must be `default`, `Sys-WebServer` or `Sys-FullAccess`",
                        ));
                        Vec::new()
                    }
                },
            };
            let mut origins: Vec<RuleOrigin> = (0..rules.len()).map(|position| RuleOrigin::Template { position }).collect();
            for (r, rule) in spec.rules.iter().enumerate() {
                let ctx = RuleContext { path: format!("{path}.rules[{r}]"), group_id: &spec.id, index: r, group_ids, address_groups: ags };
                let built = build_rule(rule, &ctx, problems);
                let parts = built.len();
                origins.extend((0..parts).map(|part| RuleOrigin::Spec { index: r, part, parts }));
                rules.extend(built);
            }
            let mut rule_ids: HashMap<&str, usize> = HashMap::new();
            for (at, rule) in rules.iter().enumerate() {
                let Some(first) = rule_ids.insert(rule.id.as_str(), at) else { continue };
                // Say where a generated id came from: the user never wrote `r-2`.
                let generated = |origin: &RuleOrigin| match *origin {
                    RuleOrigin::Spec { index, part, parts } if parts > 1 && part > 0 => Some(format!(
                        "`{}` was generated for address {} of the comma-separated `remote_ip_prefix` of rules[{index}]",
                        rule.id,
                        part + 1
                    )),
                    RuleOrigin::Spec { index, .. } if spec.rules.get(index).is_some_and(|r| r.id.is_none()) => {
                        Some(format!("`{}` was generated for rules[{index}], which has no `id`", rule.id))
                    }
                    RuleOrigin::Template { .. } => Some(format!("`{}` comes from the group's template", rule.id)),
                    _ => None,
                };
                let why: Vec<String> = [&origins[first], &origins[at]].into_iter().filter_map(generated).collect();
                let message = if why.is_empty() {
                    "two rules of this group share this id; rule ids must be unique within a group".to_string()
                } else {
                    format!("two rules of this group share this id ({}); give the rules distinct `id`s", why.join("; "))
                };
                let rule_path = match origins[at] {
                    RuleOrigin::Spec { index, .. } => format!("{path}.rules[{index}]"),
                    _ => format!("{path}.rules"),
                };
                problems.push(Problem::error(rule_path, object.clone(), "id", rule.id.clone(), message));
            }
            map.groups.push(GroupOrigin { document_index: Some(g), rules: origins });
            let name = if spec.name.is_empty() { spec.id.clone() } else { spec.name.clone() };
            out.push(SecurityGroup { id: spec.id.clone(), name, description: spec.description.clone(), rules, kind: Default::default() });
        }
        (out, map)
    }

    fn build_instances(&self, group_ids: &IdList, vpcs: &[Vpc], problems: &mut Problems) -> Vec<Instance> {
        let mut seen = HashSet::new();
        let mut names: HashMap<&str, &str> = HashMap::new();
        let subnet_ids: Vec<&str> = vpcs.iter().flat_map(|v| v.subnets.iter().map(|s| s.id.as_str())).collect();
        let known_subnets = || crate::diagnostic::known_ids(&subnet_ids);
        let mut owners: HashMap<IpAddr, String> = HashMap::new();
        let mut out = Vec::new();
        for (n, spec) in self.instances.iter().enumerate() {
            let path = format!("instances[{n}]");
            let object = format!("instance `{}`", spec.id);
            unique_id(&mut seen, &spec.id, &path, &object, problems);
            // `--to 5.6.7.8` must mean one thing: an address.
            if spec.id.trim().parse::<IpAddr>().is_ok() {
                problems.push(Problem::error(
                    format!("{path}.id"),
                    object.clone(),
                    "id",
                    &spec.id,
                    "is an IP address; packets name instances by id and addresses as themselves, so an id that is an address would be read as the address. Use a name such as `web-1`",
                ));
            }
            if !spec.name.is_empty() {
                if let Some(first) = names.insert(spec.name.as_str(), spec.id.as_str()) {
                    problems.push(Problem {
                        severity: Severity::Warning,
                        path: format!("{path}.name"),
                        object: object.clone(),
                        field: "name".into(),
                        value: spec.name.clone(),
                        message: format!("is also the name of instance `{first}`; a packet from or to this name is refused as ambiguous: name instances uniquely, or use their ids"),
                    });
                }
            }
            let err = |problems: &mut Problems, field: &str, value: &str, message: String| {
                problems.push(Problem::error(format!("{path}.{field}"), object.clone(), field, value, message));
            };
            let kind = match spec.kind.as_deref() {
                None | Some("ecs") => InstanceKind::Ecs,
                Some("load_balancer") => InstanceKind::LoadBalancer { transfer_client_ip: spec.transfer_client_ip },
                Some(k) => {
                    err(problems, "kind", k, "must be `ecs` or `load_balancer`".into());
                    InstanceKind::Ecs
                }
            };
            if spec.transfer_client_ip && kind == InstanceKind::Ecs {
                err(problems, "transfer_client_ip", "true", "applies to load balancers only; set `kind` to `load_balancer`".into());
            }
            let mut addr = |field: &str, text: &str, family: Option<Ethertype>, problems: &mut Problems| -> Option<IpAddr> {
                match text.trim().parse::<IpAddr>() {
                    Ok(a) if family.is_some_and(|f| f != Ethertype::of(a)) => {
                        err(problems, field, text, format!("must be an {} address", family.map_or(String::new(), |f| f.to_string())));
                        None
                    }
                    Ok(a) => {
                        if let Some(other) = owners.insert(a, spec.id.clone()) {
                            err(
                                problems,
                                field,
                                text,
                                format!("is already used by instance `{other}`; an address belongs to one instance"),
                            );
                        }
                        Some(a)
                    }
                    Err(_) => {
                        err(problems, field, text, "is not an IP address, e.g. `192.168.0.10` or `2407:c080::10`".into());
                        None
                    }
                }
            };
            let mut private_ips = Vec::new();
            private_ips.extend(spec.ip.as_deref().and_then(|t| addr("ip", t, Some(Ethertype::IPv4), problems)));
            private_ips.extend(spec.ipv6.as_deref().and_then(|t| addr("ipv6", t, Some(Ethertype::IPv6), problems)));
            if private_ips.is_empty() && spec.ip.is_none() && spec.ipv6.is_none() {
                err(problems, "ip", "", "an instance needs a private address: set `ip` (IPv4) and/or `ipv6`".into());
            }
            let virtual_ips: Vec<IpAddr> =
                spec.virtual_ips.iter().enumerate().filter_map(|(i, t)| addr(&format!("virtual_ips[{i}]"), t, None, problems)).collect();
            let eip = spec.eip.as_deref().and_then(|t| addr("eip", t, None, problems));
            let mut groups: Vec<String> = Vec::new();
            for (i, g) in spec.security_groups.iter().enumerate() {
                if !group_ids.contains(g) {
                    err(
                        problems,
                        &format!("security_groups[{i}]"),
                        g,
                        format!("no security group has this id; known groups: {}", group_ids.known()),
                    );
                } else if groups.contains(g) {
                    err(
                        problems,
                        &format!("security_groups[{i}]"),
                        g,
                        "is listed twice; an instance is associated with a group once".into(),
                    );
                } else {
                    groups.push(g.clone());
                }
            }
            if spec.security_groups.is_empty() && kind == InstanceKind::Ecs {
                groups.push("default".into());
            }
            if let Some(subnet_id) = &spec.subnet_id {
                match vpcs.iter().flat_map(|v| v.subnets.iter()).find(|s| &s.id == subnet_id) {
                    None if vpcs.is_empty() => err(
                        problems,
                        "subnet_id",
                        subnet_id,
                        "no subnet has this id: the scenario has no VPC; add one under `vpcs` with this subnet, or leave `subnet_id` out"
                            .into(),
                    ),
                    None => err(problems, "subnet_id", subnet_id, format!("no subnet has this id; subnets: {}", known_subnets())),
                    Some(subnet) => {
                        for ip in &private_ips {
                            let inside = subnet.cidr.contains(ip) || subnet.ipv6_cidr.is_some_and(|c| c.contains(ip));
                            if !inside {
                                err(problems, "ip", &ip.to_string(), format!("lies outside subnet `{subnet_id}` (`{}`)", subnet.cidr));
                            }
                        }
                    }
                }
            }
            out.push(Instance {
                id: spec.id.clone(),
                name: spec.name.clone(),
                kind,
                subnet_id: spec.subnet_id.clone(),
                private_ips,
                virtual_ips,
                eip,
                security_groups: groups,
            });
        }
        out
    }

    /// Checks and sequences are read completely here into typed values (packets resolved
    /// against the world, expected rules and stopping points named), so the runner never meets a
    /// malformed test. What needs the world is read only when the world is valid.
    fn read_tests(&self, world: &World, problems: &mut Problems) -> (Vec<Check>, Vec<Sequence>) {
        let world_valid = !problems.has_errors();
        let mut sequences = Vec::new();
        if world_valid {
            sequences = self.sequences.iter().enumerate().filter_map(|(i, seq)| Sequence::parse(world, seq, i, problems)).collect();
        }
        let checks = self.checks.iter().enumerate().filter_map(|(i, c)| Check::parse(c, i, world, world_valid, problems)).collect();
        (checks, sequences)
    }
}

fn unique_id(seen: &mut HashSet<String>, id: &str, path: &str, object: &str, problems: &mut Problems) {
    if id.trim().is_empty() {
        problems.push(Problem::error(format!("{path}.id"), object, "id", id, "is required and must not be empty"));
    } else if !seen.insert(id.to_string()) {
        problems.push(Problem::error(format!("{path}.id"), object, "id", id, "is used twice; ids must be unique"));
    }
}

fn parse_cidr(text: &str, path: &str, object: &str, field: &str, problems: &mut Problems) -> Option<IpNet> {
    match text.trim().parse::<IpNet>() {
        Ok(net) if net.trunc() != net => {
            problems.push(Problem::error(path, object, field, text, format!("has host bits set; the block is `{}`", net.trunc())));
            None
        }
        Ok(net) => Some(net),
        Err(_) => {
            problems.push(Problem::error(path, object, field, text, "is not a CIDR block, e.g. `192.168.0.0/16`"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"security_groups":[{"id":"sg","rules":[]}],
        "instances":[{"id":"a","ip":"10.0.0.1","security_groups":["sg"]}],
        "checks":[CHECK]}"#;

    fn with_check(check: &str) -> Result<ScenarioSpec, Problem> {
        ScenarioSpec::parse(&MINIMAL.replace("CHECK", check))
    }

    #[test]
    fn a_typo_in_a_check_is_reported_with_its_path() {
        let ok = with_check(r#"{"name":"n","from":"a","to":"1.2.3.4","protocol":"tcp","port":1,"expect":"deny"}"#);
        assert!(ok.is_ok(), "{ok:?}");
        let typo = with_check(r#"{"name":"n","from":"a","to":"1.2.3.4","protocol":"tcp","port":1,"expect":"deny","expect_rul":"x"}"#);
        let err = typo.unwrap_err();
        assert!(err.message.contains("expect_rul"), "{err}");
    }

    #[test]
    fn a_draft_rule_is_checked_against_the_scenario() {
        let spec = ScenarioSpec::parse(r#"{"security_groups":[{"id":"sg","rules":[]},{"id":"sg-b"}]}"#).unwrap();
        let draft = RuleSpec { direction: Some("ingress".into()), remote_group_id: Some("sg-b".into()), ..Default::default() };
        assert_eq!(spec.check_rule("sg", 0, &draft).map(|r| r.len()), Ok(1));
        let bad = RuleSpec { direction: Some("ingress".into()), remote_group_id: Some("sg-x".into()), ..Default::default() };
        let problems = spec.check_rule("sg", 0, &bad).unwrap_err();
        assert_eq!(problems[0].field, "remote_group_id");
    }

    #[test]
    fn a_build_without_advice_is_the_build_less_its_advice() {
        // sg-open opens ssh to everyone (advice: a high-risk port) and has a rule the first one
        // shadows (advice: shadowed); the missing group is an error either way.
        let text = r#"{"security_groups":[{"id":"sg-open","rules":[
            {"id":"ssh","direction":"ingress","protocol":"tcp","multiport":"22","remote_ip_prefix":"0.0.0.0/0"},
            {"id":"ssh-office","direction":"ingress","protocol":"tcp","multiport":"22","remote_ip_prefix":"203.0.113.0/24"}]}],
            "instances":[{"id":"a","ip":"10.0.0.1","security_groups":["sg-open"]}]}"#;
        let spec = ScenarioSpec::parse(text).unwrap();
        let (full, lean) = (spec.build().unwrap(), spec.build_without_advice().unwrap());
        assert_eq!(full.world, lean.world);
        assert!(full.notices.iter().any(|p| p.severity == Severity::Advice), "{:?}", full.notices);
        let not_advice = |s: &Scenario| s.notices.iter().filter(|p| p.severity != Severity::Advice).cloned().collect::<Vec<_>>();
        assert_eq!(not_advice(&full), not_advice(&lean));
        assert!(lean.notices.iter().all(|p| p.severity != Severity::Advice), "{:?}", lean.notices);
        let broken = ScenarioSpec::parse(&text.replace(r#"["sg-open"]"#, r#"["sg-gone"]"#)).unwrap();
        assert_eq!(broken.build().unwrap_err(), broken.build_without_advice().unwrap_err());
    }

    #[test]
    fn a_newer_format_is_refused_clearly() {
        let err = ScenarioSpec::parse(r#"{"version": 9}"#).unwrap_err();
        assert!(err.message.contains("newer sgplay"), "{err}");
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let err = ScenarioSpec::parse("{\n\"name\": \"x\",\n\"instances\": [}").unwrap_err();
        assert!(err.object.contains("line 3"), "{err}");
    }

    #[test]
    fn an_instance_without_groups_gets_the_default_group() {
        let s = Scenario::from_json(r#"{"instances":[{"id":"a","ip":"10.0.0.1"},{"id":"b","ip":"10.0.0.2"}]}"#).unwrap();
        assert_eq!(s.world.instances[0].security_groups, ["default"]);
        assert_eq!(s.world.group("default").map(|g| g.rules.len()), Some(4));
    }
}
