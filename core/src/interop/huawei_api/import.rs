//! Putting the documents together into one scenario: groups by id (metadata from the group
//! listings, rules from wherever they are listed), address groups, instances and their ordered
//! groups; then the scenario's own validation, with each error's path turned back into the API
//! field it came from.
//!
//! Every lookup is a hash map, so the work is linear in the input.

use super::address_groups::ApiAddressGroup;
use super::document::ApiDocument;
use super::instance::InstanceDraft;
use super::security_groups::{ApiRule, ApiSecurityGroup};
use crate::diagnostic::{Problem, Severity};
use crate::interop::Origins;
use crate::scenario::{AddressGroupSpec, GroupSpec, ScenarioSpec};
use std::collections::{BTreeSet, HashMap, HashSet};

/// One document of one input, for messages: `rules.json: security_group_rules[3]`, or
/// `rules.json (document 2): …` when the text holds several.
pub(crate) struct Source<'a> {
    pub name: &'a str,
    pub index: usize,
    pub of: usize,
    pub document: ApiDocument,
}

impl Source<'_> {
    fn at(&self, path: &str) -> String {
        if self.of > 1 {
            format!("{} (document {}): {path}", self.name, self.index + 1)
        } else {
            format!("{}: {path}", self.name)
        }
    }
}

/// What the import found: the scenario, and the warnings (what was left out and why).
pub(crate) struct Assembled {
    pub scenario: ScenarioSpec,
    pub warnings: Vec<Problem>,
    pub origins: Origins,
}

/// A field no reader knows, met `count` times on objects of one kind.
struct UnknownField {
    kind: &'static str,
    field: String,
    first_path: String,
    count: usize,
}

#[derive(Default)]
struct Importer {
    groups: Vec<GroupSpec>,
    group_index: HashMap<String, usize>,
    /// (group, rule id) → the rule's position in the group, to merge repeats. Ids are unique
    /// within a group (the API's are UUIDs; a scenario's `out` may be in every group).
    rule_index: HashMap<(usize, String), usize>,
    address_groups: Vec<AddressGroupSpec>,
    address_group_index: HashMap<String, usize>,
    instances: Vec<InstanceDraft>,
    instance_index: HashMap<String, usize>,
    /// Scenario path (`security_groups[2].rules[0]`) → API path, to translate validation errors.
    origins: Origins,
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
    /// Unknown fields by kind of object and name, in the order first met.
    unknown: Vec<UnknownField>,
    unknown_index: HashMap<(&'static str, String), usize>,
    /// Listing → whether each of its pages has a `next_marker`.
    pages: Vec<(&'static str, String, bool)>,
}

fn warning(path: String, object: impl Into<String>, field: &str, value: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem::error(path, object, field, value, message).with_severity(Severity::Warning)
}

/// The last component of a path (`multiport` of `…rules[3].multiport`), for `Problem::field`.
fn last_field(path: &str) -> &str {
    path.rsplit(['.', ' ']).next().unwrap_or(path).split('[').next().unwrap_or("")
}

pub(crate) fn assemble(sources: &[Source<'_>]) -> Result<Assembled, Vec<Problem>> {
    let mut im = Importer::default();
    for source in sources {
        im.read_document(source);
    }
    im.check_pages();
    im.add_referenced_groups();
    let instances = im.resolve_instances();
    im.report_unknown_fields();
    if !im.errors.is_empty() {
        return Err(im.errors);
    }
    let mut names: Vec<&str> = Vec::new();
    for s in sources {
        if !names.contains(&s.name) {
            names.push(s.name);
        }
    }
    let scenario = ScenarioSpec {
        version: crate::scenario::FORMAT_VERSION,
        name: imported_name(&names),
        security_groups: im.groups,
        address_groups: im.address_groups,
        instances,
        ..Default::default()
    };
    // The scenario's validation is the one truth about values; its errors are translated so
    // they name the API field the user can find in the pasted text.
    if let Err(problems) = scenario.build() {
        let origins = &im.origins;
        let errors: Vec<Problem> = problems.into_iter().filter(Problem::is_error).map(|p| from_the_api(origins, p)).collect();
        if !errors.is_empty() {
            return Err(errors);
        }
    }
    Ok(Assembled { scenario, warnings: im.warnings, origins: im.origins })
}

/// A validation error of the scenario, said of the API input: at the API path, and for a
/// missing address group with the listing that would hold it.
fn from_the_api(origins: &Origins, p: Problem) -> Problem {
    let message = if p.field == "remote_address_group_id" && p.message.starts_with("no IP address group has this id") {
        format!("{}; add the ListAddressGroup output that holds it", p.message)
    } else {
        p.message
    };
    Problem { path: origins.input_path(&p.path), message, ..p }
}

impl Importer {
    fn read_document(&mut self, source: &Source<'_>) {
        let doc = &source.document;
        self.unknown_fields("API response", &doc.unknown, &source.at(""));
        if let Some(page) = &doc.page_info {
            self.unknown_fields("page_info", &page.unknown, &source.at("page_info"));
            if let Some((listing, held)) = doc.listing() {
                if let Some(count) = page.current_count.non_empty() {
                    if count.parse::<usize>().ok() != Some(held) {
                        self.warnings.push(warning(
                            source.at("page_info.current_count"),
                            format!("page of `{listing}`"),
                            "current_count",
                            count,
                            format!("the page holds {held} records; part of the page is missing from the paste?"),
                        ));
                    }
                }
                let has_next = page.next_marker.as_deref().is_some_and(|m| !m.is_empty());
                self.pages.push((listing, source.at("page_info.next_marker"), has_next));
            }
        }
        // Address groups first: rules refer to them.
        for (i, ag) in doc.address_groups.iter().flatten().enumerate() {
            self.add_address_group(ag, source.at(&format!("address_groups[{i}]")));
        }
        if let Some(ag) = &doc.address_group {
            self.add_address_group(ag, source.at("address_group"));
        }
        for (g, group) in doc.security_groups.iter().flatten().enumerate() {
            self.add_group(group, source.at(&format!("security_groups[{g}]")));
        }
        if let Some(group) = &doc.security_group {
            self.add_group(group, source.at("security_group"));
        }
        for (r, rule) in doc.security_group_rules.iter().flatten().enumerate() {
            self.add_listed_rule(rule, source.at(&format!("security_group_rules[{r}]")));
        }
        if let Some(rule) = &doc.security_group_rule {
            self.add_listed_rule(rule, source.at("security_group_rule"));
        }
        for (s, server) in doc.servers.iter().flatten().enumerate() {
            let path = source.at(&format!("servers[{s}]"));
            self.server_unknown_fields(server, &path);
            self.add_instance(server.to_draft(&path));
        }
        if let Some(server) = &doc.server {
            let path = source.at("server");
            self.server_unknown_fields(server, &path);
            self.add_instance(server.to_draft(&path));
        }
        let ports = doc.ports.iter().flatten().enumerate().map(|(p, port)| (port, source.at(&format!("ports[{p}]"))));
        let mut infrastructure = Vec::new();
        for (port, path) in ports.chain(doc.port.iter().map(|p| (p, source.at("port")))) {
            self.unknown_fields("port", &port.unknown, &path);
            for (k, f) in port.fixed_ips.iter().flatten().enumerate() {
                self.unknown_fields("fixed IP", &f.unknown, &format!("{path}.fixed_ips[{k}]"));
            }
            for (k, a) in port.allowed_address_pairs.iter().flatten().enumerate() {
                self.unknown_fields("allowed address pair", &a.unknown, &format!("{path}.allowed_address_pairs[{k}]"));
            }
            if port.is_infrastructure() {
                infrastructure.push(port.device_owner.clone().unwrap_or_default());
            } else {
                self.add_instance(port.to_draft(&path));
            }
        }
        if !infrastructure.is_empty() {
            let owners: BTreeSet<String> = infrastructure.iter().cloned().collect();
            self.warnings.push(warning(
                source.at("ports"),
                "ports",
                "device_owner",
                owners.into_iter().collect::<Vec<_>>().join(", "),
                format!(
                    "{} port(s) belong to the cloud (router interfaces, DHCP, virtual IP ports), not to an instance; left out (a virtual IP is imported from the `allowed_address_pairs` of the ports it is bound to)",
                    infrastructure.len()
                ),
            ));
        }
    }

    fn server_unknown_fields(&mut self, server: &super::servers::ApiServer, path: &str) {
        self.unknown_fields("server", &server.unknown, path);
        for (vpc, list) in &server.addresses.0 {
            for (k, a) in list.iter().enumerate() {
                self.unknown_fields("server address", &a.unknown, &format!("{path}.addresses.{vpc}[{k}]"));
            }
        }
        for (k, g) in server.security_groups.iter().flatten().enumerate() {
            self.unknown_fields("server security group", &g.unknown, &format!("{path}.security_groups[{k}]"));
        }
    }

    fn unknown_fields(&mut self, kind: &'static str, fields: &[String], path: &str) {
        for field in fields {
            let key = (kind, field.clone());
            match self.unknown_index.get(&key) {
                Some(&i) => self.unknown[i].count += 1,
                None => {
                    self.unknown_index.insert(key, self.unknown.len());
                    let sep = if path.ends_with(": ") { "" } else { "." };
                    let first_path = format!("{path}{sep}{field}");
                    self.unknown.push(UnknownField { kind, field: field.clone(), first_path, count: 1 });
                }
            }
        }
    }

    /// One warning per unknown field name and object kind, however often it occurs.
    fn report_unknown_fields(&mut self) {
        for UnknownField { kind, field, first_path: path, count } in std::mem::take(&mut self.unknown) {
            let more = if count > 1 { format!(" (here and in {} more)", count - 1) } else { String::new() };
            self.warnings.push(warning(
                path,
                format!("{kind}{more}"),
                &field,
                "",
                format!("is not a field of the API's {kind} that sgplay knows; not imported (check the spelling if you wrote it)"),
            ));
        }
    }

    fn add_address_group(&mut self, ag: &ApiAddressGroup, path: String) {
        self.unknown_fields("IP address group", &ag.unknown, &path);
        for (k, e) in ag.ip_extra_set.iter().flatten().enumerate() {
            self.unknown_fields("ip_extra_set entry", &e.unknown, &format!("{path}.ip_extra_set[{k}]"));
        }
        let Some(id) = super::fields::non_empty(&ag.id) else {
            self.errors.push(Problem::error(
                format!("{path}.id"),
                "IP address group",
                "id",
                "",
                "is required: rules refer to address groups by id",
            ));
            return;
        };
        let spec = ag.to_spec(&id);
        if ag.remarks() > 0 {
            self.warnings.push(warning(
                format!("{path}.ip_extra_set"),
                format!("IP address group `{id}`"),
                "remarks",
                "",
                match ag.remarks() {
                    1 => "1 entry carries a remark, which sgplay does not model; the entry is imported without it".to_string(),
                    n => format!("{n} entries carry remarks, which sgplay does not model; the entries are imported without them"),
                },
            ));
        }
        if let Some(&known) = self.address_group_index.get(&id) {
            if self.address_groups[known] != spec {
                let first = self.origins.get(&format!("address_groups[{known}]")).unwrap_or_default().to_string();
                self.errors.push(Problem::error(
                    path,
                    format!("IP address group `{id}`"),
                    "id",
                    id.clone(),
                    format!("is also at {first} with other fields; import one version of the group"),
                ));
            }
            return;
        }
        let n = self.address_groups.len();
        self.origins.insert(format!("address_groups[{n}]"), path);
        self.address_group_index.insert(id, n);
        self.address_groups.push(spec);
    }

    /// The group `id`, created bare (name and rules to come) when first met.
    fn group(&mut self, id: &str, path: &str) -> usize {
        if let Some(&g) = self.group_index.get(id) {
            return g;
        }
        let g = self.groups.len();
        self.groups.push(GroupSpec { id: id.to_string(), ..Default::default() });
        self.group_index.insert(id.to_string(), g);
        self.origins.insert(format!("security_groups[{g}]"), path.to_string());
        g
    }

    fn add_group(&mut self, group: &ApiSecurityGroup, path: String) {
        self.unknown_fields("security group", &group.unknown, &path);
        let Some(id) = super::fields::non_empty(&group.id) else {
            self.errors.push(Problem::error(
                format!("{path}.id"),
                "security group",
                "id",
                "",
                "is required: instances and rules refer to groups by id",
            ));
            return;
        };
        let g = self.group(&id, &path);
        // The same group may come from several listings; their names and descriptions must agree.
        for (field, value) in [("name", &group.name), ("description", &group.description)] {
            let Some(value) = value.clone().filter(|v| !v.is_empty()) else { continue };
            let slot = if field == "name" { &mut self.groups[g].name } else { &mut self.groups[g].description };
            if slot.is_empty() {
                *slot = value;
            } else if *slot != value {
                let message = format!("is `{slot}` in another document; import one version of the group");
                self.errors.push(Problem::error(format!("{path}.{field}"), format!("security group `{id}`"), field, value, message));
            }
        }
        for (r, rule) in group.security_group_rules.iter().flatten().enumerate() {
            let rule_path = format!("{path}.security_group_rules[{r}]");
            match super::fields::non_empty(&rule.security_group_id) {
                Some(other) if other != id => self.errors.push(Problem::error(
                    format!("{rule_path}.security_group_id"),
                    format!("rule of security group `{id}`"),
                    "security_group_id",
                    other,
                    format!("names another group than the one that lists it (`{id}`)"),
                )),
                _ => self.add_rule(g, rule, rule_path),
            }
        }
    }

    /// A rule listed on its own (`ListSecurityGroupRules`, `CreateSecurityGroupRule`): its
    /// `security_group_id` says where it belongs.
    fn add_listed_rule(&mut self, rule: &ApiRule, path: String) {
        match super::fields::non_empty(&rule.security_group_id) {
            Some(id) => {
                let g = self.group(&id, &format!("{path}.security_group_id"));
                self.add_rule(g, rule, path);
            }
            None => {
                self.unknown_fields("security group rule", &rule.unknown, &path);
                self.errors.push(Problem::error(
                    format!("{path}.security_group_id"),
                    "security group rule",
                    "security_group_id",
                    "",
                    "is required: it names the group the rule belongs to",
                ));
            }
        }
    }

    fn add_rule(&mut self, g: usize, rule: &ApiRule, path: String) {
        self.unknown_fields("security group rule", &rule.unknown, &path);
        let group_id = self.groups[g].id.clone();
        let shown = rule.id.clone().unwrap_or_default();
        let object = format!("rule `{shown}` of security group `{group_id}`");
        // A switched-off rule is not in force; importing it would make the simulator apply it.
        if rule.enabled == Some(false) {
            let message = "the rule is switched off, so it is not in force: it is left out of the scenario (enable it, or drop `enabled`, to import it)";
            self.warnings.push(warning(format!("{path}.enabled"), object, "enabled", "false", message));
            return;
        }
        let spec = match rule.to_spec(&group_id) {
            Ok(spec) => spec,
            Err(p) => {
                self.errors.push(Problem::error(format!("{path}.{}", p.field), object, p.field, p.value, p.message));
                return;
            }
        };
        if let Some(id) = &spec.id {
            if let Some(&known) = self.rule_index.get(&(g, id.clone())) {
                // The same rule listed twice (`ShowSecurityGroup` and `ListSecurityGroupRules`,
                // overlapping pages) is one rule; two different versions cannot both be true.
                if self.groups[g].rules[known] != spec {
                    let first = self.origins.get(&format!("security_groups[{g}].rules[{known}]")).unwrap_or_default().to_string();
                    let message = format!("is also at {first} with other fields; import one version of the rule");
                    self.errors.push(Problem::error(format!("{path}.id"), object, "id", id.clone(), message));
                }
                return;
            }
            self.rule_index.insert((g, id.clone()), self.groups[g].rules.len());
        }
        self.origins.insert(format!("security_groups[{g}].rules[{}]", self.groups[g].rules.len()), path);
        self.groups[g].rules.push(spec);
    }

    fn add_instance(&mut self, draft: InstanceDraft) {
        if draft.spec.id.is_empty() {
            let path = format!("{}.id", draft.path);
            self.errors.push(Problem::error(path, "instance", "id", "", "is required: the scenario names instances by id"));
            return;
        }
        for (path, message) in &draft.notes {
            let object = format!("instance `{}`", draft.spec.id);
            self.warnings.push(warning(path.clone(), object, last_field(path), "", message.clone()));
        }
        if let Some(&known) = self.instance_index.get(&draft.spec.id) {
            let same = self.instances[known].spec == draft.spec
                && self.instances[known].groups.iter().map(|g| (&g.id, &g.name)).eq(draft.groups.iter().map(|g| (&g.id, &g.name)));
            if !same {
                let message = format!("is also at {} with other fields; import one version of the instance", self.instances[known].path);
                let object = format!("instance `{}`", draft.spec.id);
                self.errors.push(Problem::error(format!("{}.id", draft.path), object, "id", draft.spec.id.clone(), message));
            }
            return;
        }
        self.instance_index.insert(draft.spec.id.clone(), self.instances.len());
        self.instances.push(draft);
    }

    /// Every VPC v3 listing ends with a page without `next_marker`; when none has come, the
    /// paste stopped early.
    fn check_pages(&mut self) {
        let mut listings: Vec<&'static str> = self.pages.iter().map(|p| p.0).collect();
        listings.sort_unstable();
        listings.dedup();
        for listing in listings {
            let mut pages = self.pages.iter().filter(|p| p.0 == listing);
            if pages.clone().all(|p| p.2) {
                let last = pages.next_back().map(|p| p.1.clone()).unwrap_or_default();
                self.warnings.push(warning(
                    last,
                    format!("listing `{listing}`"),
                    "next_marker",
                    "",
                    "every page given has a `next_marker`, so the listing goes on: the last page (the one without) is missing and so are its records; fetch the next page with `marker=<next_marker>`",
                ));
            }
        }
    }

    /// Groups that rules name as a remote but that no document describes: imported without
    /// rules, so the remote still means "the imported instances associated with it".
    fn add_referenced_groups(&mut self) {
        let mut missing: Vec<(String, String)> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for (g, group) in self.groups.iter().enumerate() {
            for (r, rule) in group.rules.iter().enumerate() {
                if let Some(remote) = &rule.remote_group_id {
                    if !self.group_index.contains_key(remote) && seen.insert(remote) {
                        let at = self.origins.get(&format!("security_groups[{g}].rules[{r}]")).unwrap_or_default().to_string();
                        missing.push((remote.clone(), format!("{at}.remote_group_id")));
                    }
                }
            }
        }
        for (id, path) in missing {
            self.placeholder(&id, None, path);
        }
    }

    fn placeholder(&mut self, id: &str, name: Option<&str>, path: String) -> usize {
        let g = self.group(id, &path);
        if let Some(name) = name {
            self.groups[g].name = name.to_string();
        }
        self.warnings.push(warning(
            path,
            format!("security group `{id}`"),
            "",
            id,
            "is referenced but not in the input, so it is imported with no rules: as a remote it matches the imported instances associated with it, and for its members it decides nothing (the next group, or the final deny, does); add its ShowSecurityGroup or ListSecurityGroupRules output to model its rules",
        ));
        g
    }

    /// Resolves each instance's group references, by id, or by name when the server list gives
    /// only names, and records where every field came from.
    fn resolve_instances(&mut self) -> Vec<crate::scenario::InstanceSpec> {
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        for group in &self.groups {
            if !group.name.is_empty() {
                by_name.entry(group.name.clone()).or_default().push(group.id.clone());
            }
        }
        let drafts = std::mem::take(&mut self.instances);
        let mut vpcs: Vec<(String, String)> = Vec::new();
        let mut vpc_seen: HashSet<String> = HashSet::new();
        let mut out = Vec::with_capacity(drafts.len());
        for (i, draft) in drafts.into_iter().enumerate() {
            let mut spec = draft.spec;
            self.origins.insert(format!("instances[{i}]"), draft.path.clone());
            for (field, path) in &draft.fields {
                self.origins.insert(format!("instances[{i}].{field}"), path.clone());
            }
            for r in &draft.groups {
                let id = match (&r.id, &r.name) {
                    (Some(id), name) => {
                        if !self.group_index.contains_key(id) {
                            self.placeholder(id, name.as_deref(), r.path.clone());
                        }
                        id.clone()
                    }
                    (None, Some(name)) => match by_name.get(name).map(Vec::as_slice) {
                        Some([id]) => id.clone(),
                        Some(ids) => {
                            let message = format!(
                                "names {} groups ({}) and gives no id; add the group's `id`",
                                ids.len(),
                                crate::diagnostic::known_ids(ids)
                            );
                            self.errors.push(Problem::error(
                                format!("{}.name", r.path),
                                format!("instance `{}`", spec.id),
                                "name",
                                name.clone(),
                                message,
                            ));
                            continue;
                        }
                        None => {
                            // Only a name to go by: it becomes the id too.
                            self.placeholder(name, Some(name), r.path.clone());
                            by_name.insert(name.clone(), vec![name.clone()]);
                            name.clone()
                        }
                    },
                    (None, None) => {
                        let message = "has neither `id` nor `name`; name the group";
                        self.errors.push(Problem::error(r.path.clone(), format!("instance `{}`", spec.id), "security_groups", "", message));
                        continue;
                    }
                };
                // A server lists a group once per NIC; the instance is associated with it once.
                if !spec.security_groups.contains(&id) {
                    self.origins.insert(format!("instances[{i}].security_groups[{}]", spec.security_groups.len()), r.path.clone());
                    spec.security_groups.push(id);
                }
            }
            for vpc in draft.vpcs {
                if vpc_seen.insert(vpc.clone()) {
                    vpcs.push((vpc, draft.path.clone()));
                }
            }
            out.push(spec);
        }
        if vpcs.len() > 1 {
            let names: Vec<&str> = vpcs.iter().map(|(v, _)| v.as_str()).collect();
            self.warnings.push(warning(
                vpcs[1].1.clone(),
                "servers",
                "addresses",
                names.join(", "),
                format!(
                    "the servers are in {} VPCs, but the server list carries no VPC blocks, so the scenario models one network in which they all reach each other; add `vpcs` (and `peerings`) to the scenario to model the separation",
                    vpcs.len()
                ),
            ));
        }
        out
    }
}

/// "Imported from rules.json, servers.json and 3 more": file names without their folders, short
/// enough for a scenario name (at most `limits::MAX_NAME_CHARS`).
fn imported_name(names: &[&str]) -> String {
    let base = |n: &&str| n.rsplit(['/', '\\']).next().unwrap_or(n).to_string();
    let shown: Vec<String> = names.iter().take(2).map(base).collect();
    let name = match names.len() {
        0 => "Imported".to_string(),
        1 | 2 => format!("Imported from {}", shown.join(" and ")),
        n => format!("Imported from {} and {} more", shown.join(", "), n - 2),
    };
    name.chars().take(crate::scenario::limits::MAX_NAME_CHARS).collect()
}
