//! Huawei Cloud API JSON: the VPC v3 security group, rule and address group listings, the ECS
//! server list and VPC ports, read into a scenario and written back out.
//!
//! - `fields`: the field-by-field reader every API object uses (loose numbers and strings,
//!   unknown fields named, not dropped).
//! - `document`: one response or request body and its paging.
//! - `security_groups`, `address_groups`, `servers`, `ports`: the objects, each with how it
//!   becomes part of a scenario; `instance` is what servers and ports share.
//! - `import`: the documents put together, validated, errors traced back to API fields.
//! - [`export`]: a scenario as these listings ([`Listing`]).

pub mod export;

mod address_groups;
mod document;
pub(crate) mod fields;
mod import;
mod instance;
mod ports;
mod security_groups;
mod servers;

use crate::diagnostic::Problem;
use crate::scenario::{from_json_each, ScenarioSpec};
use document::ApiDocument;
pub use export::Listing;

/// Reads API texts (each one document or several one after another) into one scenario.
pub(crate) fn import(inputs: &[(&str, &str)]) -> Result<(ScenarioSpec, Vec<Problem>, crate::interop::Origins), Vec<Problem>> {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for (name, text) in inputs {
        match from_json_each::<ApiDocument>(text) {
            Ok(docs) if docs.is_empty() => {
                errors.push(Problem::error(*name, format!("`{name}`"), "", "", "holds no JSON document"));
            }
            Ok(docs) => {
                let of = docs.len();
                sources.extend(docs.into_iter().enumerate().map(|(index, (document, _))| import::Source { name, index, of, document }));
            }
            Err(e) => {
                let path = if e.path.is_empty() { name.to_string() } else { format!("{name}: {}", e.path) };
                errors.push(Problem::error(path, format!("`{name}`, line {}", e.line), "", "", e.message));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    import::assemble(&sources).map(|a| (a.scenario, a.warnings, a.origins))
}

/// The scenario's world as the given listings, and what they could not carry.
pub(crate) fn export(spec: &ScenarioSpec, listings: &[Listing]) -> Result<(String, Vec<Problem>), Vec<Problem>> {
    let scenario = spec.build()?;
    let mut dropped = export::left_out(&scenario.world, listings);
    if !spec.checks.is_empty() || !spec.sequences.is_empty() {
        dropped.push(Problem {
            severity: crate::diagnostic::Severity::Warning,
            path: "checks".into(),
            object: "checks and sequences".into(),
            field: String::new(),
            value: String::new(),
            message: "are sgplay's own, not the cloud's; not exported".into(),
        });
    }
    Ok((export::write(&scenario.world, spec, listings), dropped))
}
