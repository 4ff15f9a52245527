//! # Terraform: the huaweicloud and alicloud providers' resources in and out
//!
//! Many estates are not clicked together in the console but written as Terraform: a
//! `huaweicloud_networking_secgroup` per group (`delete_default_rules = true`, or the cloud adds
//! its default rules behind the user's back), a `huaweicloud_networking_secgroup_rule` per rule,
//! a `huaweicloud_vpc_address_group` per address group, each rule pointing at its group by a
//! reference (`huaweicloud_networking_secgroup.web.id`), not by a pasted id. Alibaba's are
//! written the same way: `alicloud_security_group`, `alicloud_security_group_rule`.
//!
//! - `provider`: what differs between providers, as data ([`Provider`]): the resource types,
//!   their readers, the profile, the references; the readers below are written once for both.
//! - `arguments`: reading one resource's evaluated arguments, whatever the provider.
//! - `resources` (huaweicloud) and `alicloud`: the provider's arguments → the scenario's specs.
//! - `hcl_import`: `.tf` text, parsed by `hcl-rs` and evaluated by its evaluator: `variable`
//!   defaults, `locals`, `count` and `for_each` over literal collections (`count.index`,
//!   `each.key`, `each.value`), and references between resources. Whatever it cannot resolve
//!   (data sources, module calls, variables without a default, functions it does not know) is a
//!   warning with the resource's address (`huaweicloud_networking_secgroup_rule.x[2]`), and
//!   that resource is left out: never silently dropped, never half-read (a rule whose remote
//!   could not be evaluated would otherwise match everyone).
//! - `json_import`: `terraform show -json` of a state (`values.root_module`) or a plan
//!   (`planned_values.root_module`, with `resource_changes[].change.after` and the plan's
//!   `configuration` for references not known until apply).
//! - `export` (huaweicloud) and `alicloud_export`: a scenario as HCL, with references between
//!   resources and resource names made from the scenario's ids (`hcl_writing`).
//!
//! A resource's scenario id is its address without the type (`web`, `web[0]`, `web[a]`) in
//! HCL, the cloud's `id` in a state. Rule ids are the rule resources' names, so export then
//! import keeps them when they are HCL identifiers (letters, digits, `_`, `-`).

mod alicloud;
mod alicloud_export;
mod arguments;
mod export;
mod hcl_import;
mod hcl_writing;
mod json_import;
mod provider;
mod resources;

pub(crate) use alicloud_export::export as export_alicloud;
pub(crate) use export::export;
pub(crate) use hcl_import::import as import_hcl;
pub(crate) use json_import::import as import_json;
pub(crate) use provider::{Provider, ALICLOUD, HUAWEICLOUD};

use crate::diagnostic::{Problem, Severity};
use crate::interop::Origins;
use crate::scenario::{GroupSpec, ScenarioSpec};
use arguments::Found;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// One resource instance of a modelled type, with its arguments evaluated.
pub(crate) struct Resource {
    pub kind: &'static str,
    /// The scenario id it gets.
    pub id: String,
    /// `huaweicloud_networking_secgroup_rule.x[2]`
    pub address: String,
    /// Where it is in the input: `main.tf: huaweicloud_networking_secgroup_rule.x[2]`.
    pub path: String,
    pub args: Map<String, Value>,
}

pub(crate) fn warning(
    path: String,
    object: impl Into<String>,
    field: &str,
    value: impl Into<String>,
    message: impl Into<String>,
) -> Problem {
    Problem::error(path, object, field, value, message).with_severity(Severity::Warning)
}

/// The resources as a scenario, validated; `warnings` are what the reader already found.
pub(crate) fn assemble(
    name: String,
    resources: &[Resource],
    mut warnings: Vec<Problem>,
    provider: &Provider,
) -> Result<(ScenarioSpec, Vec<Problem>, Origins), Vec<Problem>> {
    let mut found = Found::default();
    let mut origins = Origins::default();
    let mut groups: Vec<GroupSpec> = Vec::new();
    let mut group_index: HashMap<String, usize> = HashMap::new();
    let mut address_groups = Vec::new();
    for r in resources {
        if r.kind == provider.group {
            if group_index.contains_key(&r.id) {
                found.error(r.path.clone(), &arguments::object_of(&r.address), "", &r.id, "declares a security group already declared");
                continue;
            }
            let at = format!("security_groups[{}]", groups.len());
            for (field, argument) in provider.group_fields {
                origins.insert(format!("{at}.{field}"), format!("{}.{argument}", r.path));
            }
            origins.insert(at, r.path.clone());
            group_index.insert(r.id.clone(), groups.len());
            groups.push((provider.read_group)(&r.id, &r.args, &r.path, &r.address, &mut found));
        } else if let Some((_, read)) = provider.address_group.filter(|a| a.0 == r.kind) {
            origins.insert(format!("address_groups[{}]", address_groups.len()), r.path.clone());
            address_groups.push(read(&r.id, &r.args, &r.path, &r.address, &mut found));
        }
    }
    // Rules, in the order written, each in its group; a group no resource declares (a pasted
    // id, a variable) is imported with no rules of its own, with a warning.
    for r in resources.iter().filter(|r| r.kind == provider.rule) {
        let (group, spec) = (provider.read_rule)(&r.id, &r.args, &r.path, &r.address, &mut found);
        let Some(group) = group else { continue };
        let g = placeholder(
            &group,
            &format!("{}.security_group_id", r.path),
            provider,
            &mut groups,
            &mut group_index,
            &mut origins,
            &mut found,
        );
        let at = format!("security_groups[{g}].rules[{}]", groups[g].rules.len());
        for (field, argument) in provider.rule_fields {
            origins.insert(format!("{at}.{field}"), format!("{}.{argument}", r.path));
        }
        origins.insert(at, r.path.clone());
        groups[g].rules.push(spec);
    }
    let remotes: Vec<(String, String)> = groups
        .iter()
        .enumerate()
        .flat_map(|(g, group)| {
            group.rules.iter().enumerate().filter_map(move |(i, rule)| rule.remote_group_id.clone().map(|id| (id, format!("{g}.{i}"))))
        })
        .collect();
    for (id, at) in remotes {
        if !group_index.contains_key(&id) {
            let (g, i) = at.split_once('.').unwrap_or_default();
            let path = origins.input_path(&format!("security_groups[{g}].rules[{i}].remote_group_id"));
            placeholder(&id, &path, provider, &mut groups, &mut group_index, &mut origins, &mut found);
        }
    }
    warnings.append(&mut found.warnings);
    if !found.errors.is_empty() {
        return Err(found.errors);
    }
    let scenario = ScenarioSpec {
        version: crate::scenario::FORMAT_VERSION,
        name: name.chars().take(crate::scenario::limits::MAX_NAME_CHARS).collect(),
        profile: provider.profile.map(str::to_string),
        security_groups: groups,
        address_groups,
        ..Default::default()
    };
    if let Err(problems) = scenario.build() {
        let errors: Vec<Problem> =
            problems.into_iter().filter(Problem::is_error).map(|p| Problem { path: origins.input_path(&p.path), ..p }).collect();
        if !errors.is_empty() {
            return Err(errors);
        }
    }
    Ok((scenario, warnings, origins))
}

/// The group with this id, or (a group no resource declares: a pasted id, a variable) a new one
/// holding only the rules given, with a warning.
fn placeholder(
    id: &str,
    path: &str,
    provider: &Provider,
    groups: &mut Vec<GroupSpec>,
    group_index: &mut HashMap<String, usize>,
    origins: &mut Origins,
    found: &mut Found,
) -> usize {
    if let Some(&g) = group_index.get(id) {
        return g;
    }
    found.warnings.push(warning(
        path.to_string(),
        format!("security group `{id}`"),
        "",
        id,
        format!("is not declared by any `{}` resource given; imported as a group holding only the rules given here", provider.group),
    ));
    origins.insert(format!("security_groups[{}]", groups.len()), path.to_string());
    group_index.insert(id.to_string(), groups.len());
    let group_type = provider.profile.map(|_| "basic".to_string());
    groups.push(GroupSpec { id: id.to_string(), name: id.to_string(), group_type, ..Default::default() });
    groups.len() - 1
}

/// "Imported from main.tf and variables.tf": file names without their folders.
pub(crate) fn imported_name(names: &[&str]) -> String {
    let base = |n: &&str| n.rsplit(['/', '\\']).next().unwrap_or(n).to_string();
    let shown: Vec<String> = names.iter().take(2).map(base).collect();
    match names.len() {
        0 => "Imported".to_string(),
        1 | 2 => format!("Imported from {}", shown.join(" and ")),
        n => format!("Imported from {} and {} more", shown.join(", "), n - 2),
    }
}
