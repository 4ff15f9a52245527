//! What the import tests look at, shared by each format's tests: problems as lines, a group
//! and a rule of an imported scenario by id, a warning at a path, the document an HCL import
//! writes for a world, the groups of a scenario with "any address" written one way, and the
//! export-then-import property itself.

use proptest::prelude::*;
use sgplay_core::interop::{self, import_any, Format, Imported};
use sgplay_core::model::{Remote, SecurityGroup, World};
use sgplay_core::scenario::{GroupSpec, RuleSpec, ScenarioSpec};
use sgplay_core::{Problem, Severity};

use crate::documents::scenario_of;

/// One line per problem: severity, path, object, message.
pub fn lines(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("{:?} {}: {} {}", p.severity, p.path, p.object, p.message)).collect::<Vec<_>>().join("\n")
}

pub fn group<'a>(im: &'a Imported, id: &str) -> &'a GroupSpec {
    im.scenario.security_groups.iter().find(|g| g.id == id).unwrap_or_else(|| panic!("no group {id}: {:#?}", im.scenario.security_groups))
}

pub fn rule<'a>(g: &'a GroupSpec, id: &str) -> &'a RuleSpec {
    g.rules.iter().find(|r| r.id.as_deref() == Some(id)).unwrap_or_else(|| panic!("no rule {id} in {}: {:#?}", g.id, g.rules))
}

/// Asserts a warning at `path` whose message or object says `says`.
#[track_caller]
pub fn warned(im: &Imported, path: &str, says: &str) {
    assert!(
        im.warnings
            .iter()
            .any(|w| w.severity == Severity::Warning && w.path == path && (w.message.contains(says) || w.object.contains(says))),
        "no warning at `{path}` saying `{says}`:\n{}",
        lines(&im.warnings)
    );
}

/// A JSON string, as a rule's loosely typed fields hold it.
pub fn text(v: &str) -> Option<serde_json::Value> {
    Some(serde_json::Value::String(v.into()))
}

/// The world as an HCL import writes it: named after the file, rules without the group id
/// they sit in (HCL refers to the resource instead).
pub fn hcl_document(world: &World, file: &str) -> ScenarioSpec {
    let mut spec = ScenarioSpec { name: format!("Imported from {file}"), ..scenario_of(world) };
    for rule in spec.security_groups.iter_mut().flat_map(|g| g.rules.iter_mut()) {
        rule.security_group_id = None;
    }
    spec
}

/// The scenario's groups by id, "any address" as no remote (`0.0.0.0/0`, which Alibaba
/// writes, matches as no remote does).
pub fn groups_any_as_none(spec: &ScenarioSpec) -> Vec<SecurityGroup> {
    let mut groups = spec.build().unwrap_or_else(|p| panic!("{}", lines(&p))).world.security_groups;
    groups.sort_by(|a, b| a.id.cmp(&b.id));
    for rule in groups.iter_mut().flat_map(|g| g.rules.iter_mut()) {
        if rule.remote == Remote::Prefix(rule.ethertype.any_prefix()) {
            rule.remote = Remote::Any;
        }
    }
    groups
}

/// Export in `format`, then import (as `file`): nothing left out, nothing warned, the same
/// document, the same world.
pub fn export_then_import_is_the_identity(world: &World, format: Format, file: &str) -> Result<(), TestCaseError> {
    let spec = hcl_document(world, file);
    let exported = interop::export(&spec, format).map_err(|p| TestCaseError::fail(lines(&p)))?;
    prop_assert!(exported.left_out.is_empty(), "{}", lines(&exported.left_out));
    let imported = import_any(&[(file, &exported.text)]).map_err(|p| TestCaseError::fail(format!("{}\n{}", lines(&p), exported.text)))?;
    prop_assert_eq!(imported.format, format);
    prop_assert!(imported.warnings.is_empty(), "{}", lines(&imported.warnings));
    prop_assert_eq!(&imported.scenario, &spec);
    let rebuilt = imported.scenario.build().map_err(|p| TestCaseError::fail(lines(&p)))?.world;
    prop_assert_eq!(&rebuilt, world);
    Ok(())
}
