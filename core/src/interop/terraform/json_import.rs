//! `terraform show -json` into a scenario: a state (`values.root_module`) or a plan
//! (`planned_values.root_module`, or `resource_changes[].change.after` when the plan has no
//! planned values), modules' resources (`child_modules`) included.
//!
//! A state holds the cloud's ids: groups are imported under them, and rules find their groups
//! by them. A plan does not know the ids of what it will create; such a resource gets its
//! address as id (`web`, `web[0]`, `web[a]`, `module.m.web`), and a rule's
//! `security_group_id`, `remote_group_id` or `remote_address_group_id` not known until apply
//! is taken from the plan's `configuration` (the expression's `references`). A remote that
//! stays unknown leaves the rule out, with a warning: without it the rule would match everyone.

use super::{assemble, imported_name, warning, Provider, Resource, HUAWEICLOUD};
use crate::diagnostic::Problem;
use crate::interop::Origins;
use crate::scenario::ScenarioSpec;
use serde_json::{Map, Value};
use std::collections::HashMap;

struct Found<'a> {
    /// `module.m.huaweicloud_networking_secgroup.web[0]`
    address: String,
    kind: &'static str,
    /// The address without the type: `web[0]`, `module.m.web`.
    short: String,
    /// The address without the index: `huaweicloud_networking_secgroup.web`.
    base: String,
    values: &'a Map<String, Value>,
    unknown: Option<&'a Value>,
    path: String,
}

fn index_text(index: Option<&Value>) -> String {
    match index {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => format!("[{s}]"),
        Some(v) => format!("[{v}]"),
    }
}

fn read_module<'a>(module: &'a Value, path: &str, out: &mut Vec<Found<'a>>, warnings: &mut Vec<Problem>) {
    let prefix = module.get("address").and_then(Value::as_str).map(|a| format!("{a}.")).unwrap_or_default();
    for (i, r) in module.get("resources").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let at = format!("{path}.resources[{i}]");
        read_resource(r, r.get("values"), None, &prefix, at, out, warnings);
    }
    for (i, child) in module.get("child_modules").and_then(Value::as_array).into_iter().flatten().enumerate() {
        read_module(child, &format!("{path}.child_modules[{i}]"), out, warnings);
    }
}

fn read_resource<'a>(
    r: &'a Value,
    values: Option<&'a Value>,
    unknown: Option<&'a Value>,
    prefix: &str,
    path: String,
    out: &mut Vec<Found<'a>>,
    warnings: &mut Vec<Problem>,
) {
    let text = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or_default();
    let (kind, name) = (text("type"), text("name"));
    let index = index_text(r.get("index"));
    let address = r.get("address").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| format!("{prefix}{kind}.{name}{index}"));
    if text("mode") == "data" {
        warnings.push(warning(
            path,
            format!("data source `{address}`"),
            "mode",
            "data",
            "is read from the cloud, not managed by this configuration; not imported",
        ));
        return;
    }
    let modelled = Provider::of_type(kind).map(Provider::modelled).unwrap_or_default();
    let Some(kind) = modelled.into_iter().find(|k| *k == kind) else {
        warnings.push(warning(
            path,
            format!("resource `{address}`"),
            "type",
            kind,
            "is not a resource sgplay models (security groups, their rules and IP address groups); not imported",
        ));
        return;
    };
    let Some(values) = values.and_then(Value::as_object) else {
        warnings.push(warning(path, format!("resource `{address}`"), "values", "", "has no values; not imported"));
        return;
    };
    let module = address.strip_suffix(&format!("{kind}.{name}{index}")).unwrap_or_default().to_string();
    out.push(Found {
        short: format!("{module}{name}{index}"),
        base: format!("{module}{kind}.{name}"),
        address,
        kind,
        values,
        unknown,
        path,
    });
}

/// The `references` of each rule argument that may point at another resource, by the
/// resource's address (without index) and the argument; modules' (`module_calls`) with their
/// addresses and references made absolute (`module.m.…`).
fn read_configuration(module: &Value, prefix: &str, references: &mut HashMap<(String, String), Vec<String>>) {
    for r in module.get("resources").and_then(Value::as_array).into_iter().flatten() {
        let Some(address) = r.get("address").and_then(Value::as_str) else { continue };
        let fields = r.get("type").and_then(Value::as_str).and_then(Provider::of_type).map(|p| p.references).unwrap_or_default();
        for (field, _) in fields {
            if let Some(refs) = r.pointer(&format!("/expressions/{field}/references")).and_then(Value::as_array) {
                let refs = refs.iter().filter_map(Value::as_str).map(|r| format!("{prefix}{r}")).collect();
                references.insert((format!("{prefix}{address}"), field.to_string()), refs);
            }
        }
    }
    for (name, call) in module.get("module_calls").and_then(Value::as_object).into_iter().flatten() {
        if let Some(child) = call.get("module") {
            read_configuration(child, &format!("{prefix}module.{name}."), references);
        }
    }
}

pub(crate) fn import(inputs: &[(&str, &str)]) -> Result<(ScenarioSpec, Vec<Problem>, Origins), Vec<Problem>> {
    let mut documents = Vec::new();
    let mut errors = Vec::new();
    for (name, text) in inputs {
        match serde_json::from_str::<Value>(text) {
            Ok(v) => documents.push((*name, v)),
            Err(e) => errors.push(Problem::error(*name, format!("`{name}`, line {}", e.line()), "", "", format!("is not valid JSON: {e}"))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut warnings = Vec::new();
    let mut found = Vec::new();
    // Configuration references by resource base address and field.
    let mut references: HashMap<(String, String), Vec<String>> = HashMap::new();
    for (name, doc) in &documents {
        if let Some(root) = doc.pointer("/values/root_module") {
            read_module(root, &format!("{name}: values.root_module"), &mut found, &mut warnings);
        } else if let Some(root) = doc.pointer("/planned_values/root_module") {
            read_module(root, &format!("{name}: planned_values.root_module"), &mut found, &mut warnings);
            // The plan's unknowns are in resource_changes.
            let unknowns: HashMap<&str, &Value> = doc
                .get("resource_changes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|c| Some((c.get("address")?.as_str()?, c.pointer("/change/after_unknown")?)))
                .collect();
            for f in &mut found {
                if f.unknown.is_none() {
                    f.unknown = unknowns.get(f.address.as_str()).copied();
                }
            }
        } else if let Some(changes) = doc.get("resource_changes").and_then(Value::as_array) {
            for (i, c) in changes.iter().enumerate() {
                let after = c.pointer("/change/after").filter(|a| !a.is_null());
                if after.is_some() {
                    let unknown = c.pointer("/change/after_unknown");
                    read_resource(c, after, unknown, "", format!("{name}: resource_changes[{i}].change.after"), &mut found, &mut warnings);
                }
            }
        } else {
            errors.push(Problem::error(
                *name,
                format!("`{name}`"),
                "",
                "",
                "holds neither `values` (a state) nor `planned_values` (a plan)",
            ));
        }
        if let Some(root) = doc.pointer("/configuration/root_module") {
            read_configuration(root, "", &mut references);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // One cloud per scenario: the provider of the first resource; another's are left out.
    let provider = found.first().and_then(|f| Provider::of_type(f.kind)).unwrap_or(&HUAWEICLOUD);
    found.retain(|f| {
        let ours = Provider::of_type(f.kind).is_some_and(|p| p.name == provider.name);
        if !ours {
            let message =
                format!("is a resource of another provider than `{}`'s, and a scenario follows one cloud; not imported", provider.name);
            warnings.push(warning(f.path.clone(), format!("resource `{}`", f.address), "type", f.kind, message));
        }
        ours
    });
    // Ids: the cloud's where known, else the address.
    let id_of =
        |f: &Found<'_>| f.values.get("id").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string).unwrap_or(f.short.clone());
    let by_address: HashMap<String, String> = found.iter().map(|f| (f.address.clone(), id_of(f))).collect();
    let mut by_base: HashMap<String, Vec<String>> = HashMap::new();
    for f in &found {
        by_base.entry(f.base.clone()).or_default().push(id_of(f));
    }
    let mut resources = Vec::new();
    'resources: for f in &found {
        let mut args = f.values.clone();
        if f.kind == provider.rule {
            for &(field, target) in provider.references {
                let known = args.get(field).is_some_and(|v| !v.is_null() && v != "");
                let unknown = f.unknown.and_then(|u| u.get(field)).is_some_and(|u| u == &Value::Bool(true));
                let refs = references.get(&(f.base.clone(), field.to_string()));
                if known || (!unknown && refs.is_none()) {
                    continue;
                }
                let target_ref =
                    refs.into_iter().flatten().find(|r| r.starts_with(&format!("{target}.")) || r.contains(&format!(".{target}.")));
                let resolved = target_ref.and_then(|r| {
                    let r = r.strip_suffix(".id").unwrap_or(r);
                    by_address.get(r).cloned().or_else(|| match by_base.get(r) {
                        Some(ids) if ids.len() == 1 => Some(ids[0].clone()),
                        _ => None,
                    })
                });
                match resolved {
                    Some(id) => {
                        args.insert(field.to_string(), Value::String(id));
                    }
                    None => {
                        warnings.push(warning(
                            format!("{}.{field}", f.path),
                            format!("resource `{}`", f.address),
                            field,
                            target_ref.map(String::as_str).unwrap_or(""),
                            "is not known until apply and its reference cannot be resolved; the rule is not imported",
                        ));
                        continue 'resources;
                    }
                }
            }
        }
        resources.push(Resource { kind: f.kind, id: id_of(f), address: f.address.clone(), path: f.path.clone(), args });
    }
    let names: Vec<&str> = inputs.iter().map(|(n, _)| *n).collect();
    assemble(imported_name(&names), &resources, warnings, provider)
}
