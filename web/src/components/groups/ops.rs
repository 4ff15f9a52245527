//! Changes to the document the groups panel makes: new groups (empty or from a template), who
//! uses a group before it may go, rules put in or taken out (a group written as a template is
//! first spelt out rule by rule), IP address groups and their entries. Pure functions on
//! `ScenarioSpec`; the panel runs them inside `AppState::edit`, so the engine validates the
//! result and undo records it.

use super::rows::Origin;
use serde_json::Value;
use sgplay_core::scenario::{AddressGroupSpec, ChangeSpec, GroupSpec, RuleSpec};
use sgplay_core::templates::Template;
use sgplay_core::ScenarioSpec;

/// `Sys-WebServer` → `sys-webserver`: lowercase letters, digits and dashes.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// `base`, or `base-2`, `base-3`, … whichever `taken` does not hold.
pub fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..).map(|n| format!("{base}-{n}")).find(|c| !taken(c)).unwrap_or_else(|| base.to_string())
}

/// Every id in use among groups, address groups and instances (the engine wants them distinct
/// within each kind; keeping them distinct across kinds keeps rule remotes unambiguous).
fn taken_ids(doc: &ScenarioSpec) -> Vec<String> {
    doc.security_groups
        .iter()
        .map(|g| g.id.clone())
        .chain(doc.address_groups.iter().map(|g| g.id.clone()))
        .chain(doc.instances.iter().map(|i| i.id.clone()))
        .chain(std::iter::once("default".to_string()))
        .collect()
}

/// A new group: empty (`sg-3`, named `Sg-3`), or from a template (named after it, with the
/// template's rules).
pub fn new_group(doc: &ScenarioSpec, template: Option<Template>) -> GroupSpec {
    let taken = taken_ids(doc);
    let names: Vec<&str> = doc.security_groups.iter().map(|g| g.name.as_str()).collect();
    match template {
        None => {
            let n = (doc.security_groups.len() + 1..)
                .find(|n| !taken.contains(&format!("sg-{n}")) && !names.contains(&format!("Sg-{n}").as_str()))
                .unwrap_or(1);
            GroupSpec { id: format!("sg-{n}"), name: format!("Sg-{n}"), ..Default::default() }
        }
        Some(t) => {
            let id = unique(&format!("sg-{}", slug(t.name())), |c| taken.iter().any(|t| t == c));
            let name = unique(t.name(), |c| names.contains(&c));
            GroupSpec {
                id,
                name,
                description: t.story().to_string(),
                template: Some(t.name().to_string()),
                rules: Vec::new(),
                ..Default::default()
            }
        }
    }
}

/// Who would be left dangling if group `group_id` went away.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Users {
    /// Instance names (or ids) associated with the group.
    pub instances: Vec<String>,
    /// `rule A02 of Sg-B`: rules of other groups whose remote is this group.
    pub rules: Vec<String>,
}

impl Users {
    pub fn is_empty(&self) -> bool {
        self.instances.is_empty() && self.rules.is_empty()
    }

    /// Why the group cannot be deleted, naming who uses it.
    pub fn refusal(&self, what: &str) -> String {
        let mut parts = Vec::new();
        if !self.instances.is_empty() {
            let n = self.instances.len();
            parts.push(format!(
                "{n} {} {} it ({})",
                if n == 1 { "instance" } else { "instances" },
                if n == 1 { "uses" } else { "use" },
                self.instances.join(", ")
            ));
        }
        if !self.rules.is_empty() {
            parts.push(format!("{} {}", self.rules.join(", "), if self.rules.len() == 1 { "refers to it" } else { "refer to it" }));
        }
        format!("{what} cannot be deleted: {}. Dissociate or change those first.", parts.join("; "))
    }
}

fn name_of(doc: &ScenarioSpec, group_id: &str) -> String {
    doc.security_groups.iter().find(|g| g.id == group_id).map_or(group_id, |g| if g.name.is_empty() { &g.id } else { &g.name }).to_string()
}

fn rule_name(doc: &ScenarioSpec, group: &GroupSpec, index: usize, rule: &RuleSpec) -> String {
    let id = rule.id.clone().unwrap_or_else(|| format!("#{}", index + 1));
    format!("rule {id} of {}", name_of(doc, &group.id))
}

pub fn group_users(doc: &ScenarioSpec, group_id: &str) -> Users {
    let implicit_default = |i: &sgplay_core::scenario::InstanceSpec| {
        group_id == "default" && i.security_groups.is_empty() && i.kind.as_deref() != Some("load_balancer")
    };
    let instances = doc
        .instances
        .iter()
        .filter(|i| i.security_groups.iter().any(|g| g == group_id) || implicit_default(i))
        .map(|i| if i.name.is_empty() { i.id.clone() } else { i.name.clone() })
        .collect();
    let rules = doc
        .security_groups
        .iter()
        .filter(|g| g.id != group_id)
        .flat_map(|g| {
            g.rules
                .iter()
                .enumerate()
                .filter(|(_, r)| r.remote_group_id.as_deref().map(str::trim) == Some(group_id))
                .map(move |(i, r)| rule_name(doc, g, i, r))
        })
        .collect();
    Users { instances, rules }
}

/// The rules anywhere whose remote is an IP address group, and how many groups hold them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddressGroupUse {
    /// "rule B01 of Sg-B", in the document's order.
    pub rules: Vec<String>,
    pub groups: usize,
}

impl AddressGroupUse {
    /// What the address groups table says: "—", "rule X of G", or "21 rules in 9 groups"; at
    /// estate size a list of rule names would make each row a wall.
    pub fn summary(&self) -> String {
        match self.rules.as_slice() {
            [] => "—".to_string(),
            [one] => one.clone(),
            many => {
                let in_groups = if self.groups == 1 { "in 1 group".to_string() } else { format!("in {} groups", self.groups) };
                format!("{} rules {in_groups}", many.len())
            }
        }
    }
}

/// Who uses IP address group `id`, in one pass over the rules.
pub fn address_group_use(doc: &ScenarioSpec, id: &str) -> AddressGroupUse {
    let mut found = AddressGroupUse::default();
    for g in &doc.security_groups {
        let before = found.rules.len();
        let named = g.rules.iter().enumerate().filter(|(_, r)| r.remote_address_group_id.as_deref().map(str::trim) == Some(id));
        found.rules.extend(named.map(|(i, r)| rule_name(doc, g, i, r)));
        found.groups += usize::from(found.rules.len() > before);
    }
    found
}

/// Spells a template group out as plain rules, so each can be edited: the template's rules
/// come first, as the engine builds them.
pub fn materialize(group: &mut GroupSpec) {
    let Some(template) = group.template.take() else { return };
    let Some(t) = Template::parse(&template) else {
        group.template = Some(template);
        return;
    };
    let mut rules: Vec<RuleSpec> =
        t.rules(&group.id).iter().map(|r| RuleSpec { security_group_id: None, ..RuleSpec::from_rule(r, &group.id) }).collect();
    rules.append(&mut group.rules);
    group.rules = rules;
}

/// How many rules the group's template gives it.
fn template_len(group: &GroupSpec) -> usize {
    group.template.as_deref().and_then(Template::parse).map_or(0, |t| t.rules(&group.id).len())
}

/// The spec index a row's rule has once the group is materialized.
fn spec_index(group: &GroupSpec, origin: Origin) -> Option<usize> {
    match origin {
        Origin::Template { position } => Some(position),
        Origin::Spec { index, .. } => Some(index + template_len(group)),
        Origin::Engine => None,
    }
}

/// The rule behind a row, as written (template rules spelt out).
pub fn rule_spec(doc: &ScenarioSpec, group_id: &str, origin: Origin) -> Option<RuleSpec> {
    let group = doc.security_groups.iter().find(|g| g.id == group_id)?;
    match origin {
        Origin::Template { position } => {
            let t = Template::parse(group.template.as_deref()?)?;
            t.rules(group_id).get(position).map(|r| RuleSpec { security_group_id: None, ..RuleSpec::from_rule(r, group_id) })
        }
        Origin::Spec { index, .. } => group.rules.get(index).cloned(),
        Origin::Engine => None,
    }
}

/// The spec index a draft of `origin` is checked at (for messages and generated ids).
pub fn check_index(doc: &ScenarioSpec, group_id: &str, origin: Option<Origin>) -> usize {
    let Some(group) = doc.security_groups.iter().find(|g| g.id == group_id) else { return 0 };
    match origin {
        Some(Origin::Spec { index, .. }) => index,
        Some(Origin::Template { position }) => position,
        _ => group.rules.len(),
    }
}

/// Where saved rules go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// In place of the row's rule.
    Replace(Origin),
    /// Right after the row's rule (a duplicate).
    After(Origin),
    /// At the end of the group.
    End,
}

/// Puts `rules` into group `group_id` at `place`. `false` if the group or row is not there.
pub fn put_rules(doc: &mut ScenarioSpec, group_id: &str, place: Place, rules: Vec<RuleSpec>) -> bool {
    let Some(group) = doc.security_groups.iter_mut().find(|g| g.id == group_id) else { return false };
    let at = match place {
        Place::Replace(origin) | Place::After(origin) => match spec_index(group, origin) {
            Some(i) => i,
            None => return false,
        },
        Place::End => {
            group.rules.extend(rules);
            return true;
        }
    };
    materialize(group);
    if at >= group.rules.len() {
        return false;
    }
    match place {
        Place::Replace(_) => drop(group.rules.splice(at..=at, rules)),
        _ => drop(group.rules.splice(at + 1..at + 1, rules)),
    }
    true
}

/// Deletes the row's rule. A spec rule with several comma-separated sources loses just that
/// source, as deleting one of the console's rows does.
pub fn delete_rule(doc: &mut ScenarioSpec, group_id: &str, origin: Origin) -> bool {
    let Some(group) = doc.security_groups.iter_mut().find(|g| g.id == group_id) else { return false };
    let Some(i) = spec_index(group, origin) else { return false };
    materialize(group);
    let Some(rule) = group.rules.get_mut(i) else { return false };
    if let Origin::Spec { part, parts, .. } = origin {
        if parts > 1 {
            let mut sources: Vec<String> =
                rule.remote_ip_prefix.as_deref().unwrap_or("").split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
            if part >= sources.len() {
                return false;
            }
            sources.remove(part);
            rule.remote_ip_prefix = Some(sources.join(", "));
            return true;
        }
    }
    group.rules.remove(i);
    true
}

/// Applies one of the engine's change steps (a suggested fix's) to the document: an added
/// rule goes at the end of its group, a deleted rule is found through the source map of
/// `scenario` (the document as validated). Only rule additions and deletions come from a fix;
/// anything else is refused with the reason.
pub fn apply_change(doc: &mut ScenarioSpec, scenario: &sgplay_core::Scenario, change: &ChangeSpec) -> Result<(), String> {
    match change {
        ChangeSpec::AddRule { group, rule } => {
            if put_rules(doc, group, Place::End, vec![RuleSpec { security_group_id: None, ..rule.clone() }]) {
                Ok(())
            } else {
                Err(format!("security group `{group}` is not in the scenario"))
            }
        }
        ChangeSpec::DeleteRule { group, rule_id } => {
            let index = scenario.world.group(group).and_then(|g| g.rules.iter().position(|r| r.id == *rule_id));
            let origin = index.and_then(|i| super::rows::origins(scenario, group).get(i).copied());
            match origin {
                Some(origin) if delete_rule(doc, group, origin) => Ok(()),
                _ => Err(format!("rule `{rule_id}` of security group `{group}` is not in the scenario")),
            }
        }
        other => Err(format!("a fix does not make this kind of change: {}", serde_json::to_string(other).unwrap_or_default())),
    }
}

/// The entries of an address group, one per line, for the text box.
pub fn entries_text(ip_set: &Value) -> String {
    match ip_set {
        Value::Null => String::new(),
        Value::String(s) => s.split(',').map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("\n"),
        Value::Array(items) => {
            items.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)).collect::<Vec<_>>().join("\n")
        }
        other => other.to_string(),
    }
}

/// The text box back to `ip_set`: one entry per line or comma-separated.
pub fn parse_entries(text: &str) -> Value {
    Value::Array(text.split(['\n', ',']).map(str::trim).filter(|s| !s.is_empty()).map(|s| Value::String(s.to_string())).collect())
}

/// A new, empty IPv4 address group `ipg-1` named `ipg-1`.
pub fn new_address_group(doc: &ScenarioSpec) -> AddressGroupSpec {
    let taken = taken_ids(doc);
    let n = (doc.address_groups.len() + 1..).find(|n| !taken.contains(&format!("ipg-{n}"))).unwrap_or(1);
    AddressGroupSpec {
        id: format!("ipg-{n}"),
        name: format!("ipg-{n}"),
        ip_version: Some(Value::from(4)),
        ip_set: Value::Array(Vec::new()),
        description: String::new(),
        other_fields: Default::default(),
    }
}

/// The IP version of a spec as the form's select value (`4` or `6`).
pub fn version_text(spec: &AddressGroupSpec) -> String {
    match &spec.ip_version {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("ipv6") || s.trim() == "6" => "6".into(),
        _ => "4".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gallery;

    fn sg_ab() -> ScenarioSpec {
        gallery::load(gallery::DEFAULT_SLUG).unwrap()
    }

    #[test]
    fn a_suggested_fix_applied_to_the_document_lets_the_packet_in() {
        use sgplay_core::analysis::fix::{fix, FixOutcome};
        let mut doc = sg_ab();
        let scenario = doc.build().unwrap();
        let probe = sgplay_core::scenario::ProbeSpec {
            from: "ecs-a01".into(),
            to: "ecs-b01".into(),
            protocol: "tcp".into(),
            port: Some(3306),
            ..Default::default()
        };
        let packet = probe.resolve(&scenario.world).unwrap();
        assert_eq!(sgplay_core::evaluate(&scenario.world, &packet).verdict, sgplay_core::Verdict::Deny);
        let FixOutcome::Fixed { steps, .. } = fix(&scenario.world, &packet) else { panic!("no fix") };
        for step in &steps {
            apply_change(&mut doc, &scenario, &step.edit).unwrap();
        }
        let fixed = doc.build().unwrap();
        assert_eq!(sgplay_core::evaluate(&fixed.world, &packet).verdict, sgplay_core::Verdict::Allow);
        let refused = apply_change(&mut doc, &scenario, &ChangeSpec::DeleteRule { group: "sg-a".into(), rule_id: "nope".into() });
        assert_eq!(refused, Err("rule `nope` of security group `sg-a` is not in the scenario".to_string()));
    }

    #[test]
    fn slugs_and_unique_ids() {
        assert_eq!(slug("Sys-WebServer"), "sys-webserver");
        assert_eq!(slug("  My web  group! "), "my-web-group");
        assert_eq!(unique("sg-1", |c| c == "sg-1" || c == "sg-1-2"), "sg-1-3");
    }

    #[test]
    fn new_groups_validate() {
        let mut doc = sg_ab();
        for t in [None, Some(Template::Default), Some(Template::WebServer), Some(Template::FullAccess), Some(Template::WebServer)] {
            let g = new_group(&doc, t);
            doc.security_groups.push(g);
            assert!(doc.build().is_ok(), "{:?}", doc.build().err());
        }
        let ids: Vec<&str> = doc.security_groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids[2..], ["sg-3", "sg-default", "sg-sys-webserver", "sg-sys-fullaccess", "sg-sys-webserver-2"]);
        assert_eq!(doc.security_groups[6].name, "Sys-WebServer-2");
        let world = doc.build().unwrap().world;
        assert_eq!(world.group("sg-sys-webserver").unwrap().rules.len(), 9);
    }

    #[test]
    fn a_group_in_use_names_its_users() {
        let doc = sg_ab();
        let users = group_users(&doc, "sg-a");
        assert_eq!(users.instances, ["ECS-A01", "ECS-A02"]);
        assert_eq!(users.rules, ["rule B01 of Sg-B"]);
        let text = users.refusal("Sg-A");
        assert!(text.contains("ECS-A01, ECS-A02") && text.contains("rule B01 of Sg-B"), "{text}");
        let mut doc = doc;
        doc.security_groups.push(new_group(&doc, None));
        assert!(group_users(&doc, "sg-3").is_empty());
    }

    #[test]
    fn editing_a_template_rule_spells_the_template_out() {
        let mut doc = sg_ab();
        let mut g = new_group(&doc, Some(Template::WebServer));
        g.rules.push(RuleSpec { id: Some("mine".into()), direction: Some("ingress".into()), ..Default::default() });
        let id = g.id.clone();
        doc.security_groups.push(g);
        let before = doc.build().unwrap().world.group(&id).unwrap().rules.clone();
        // Delete the 3rd template rule (in-https): the others stay, ids unchanged.
        assert!(delete_rule(&mut doc, &id, Origin::Template { position: 2 }));
        let after = doc.build().unwrap().world.group(&id).unwrap().rules.clone();
        assert_eq!(after.len(), before.len() - 1);
        assert!(!after.iter().any(|r| r.id.ends_with("in-https")));
        assert_eq!(doc.security_groups.last().unwrap().template, None);
        assert_eq!(after.last().unwrap().id, "mine");
    }

    #[test]
    fn rules_are_put_in_place_after_or_at_the_end() {
        let mut doc = sg_ab();
        let r = |id: &str| RuleSpec { id: Some(id.into()), direction: Some("ingress".into()), ..Default::default() };
        let at = Origin::Spec { index: 0, part: 0, parts: 1 };
        assert!(put_rules(&mut doc, "sg-a", Place::After(at), vec![r("x"), r("y")]));
        assert!(put_rules(&mut doc, "sg-a", Place::End, vec![r("z")]));
        assert!(put_rules(&mut doc, "sg-a", Place::Replace(Origin::Spec { index: 1, part: 0, parts: 1 }), vec![r("x2")]));
        let ids: Vec<String> = doc.security_groups[0].rules.iter().map(|r| r.id.clone().unwrap()).collect();
        assert_eq!(ids, ["A01", "x2", "y", "A02", "A-out", "z"]);
        assert!(!put_rules(&mut doc, "nope", Place::End, vec![]));
        assert!(doc.build().is_ok());
    }

    #[test]
    fn deleting_one_of_several_sources_keeps_the_others() {
        let mut doc = sg_ab();
        doc.security_groups[0].rules[0].remote_ip_prefix = Some("172.16.0.0/24, 10.0.0.0/8".into());
        assert!(delete_rule(&mut doc, "sg-a", Origin::Spec { index: 0, part: 0, parts: 2 }));
        assert_eq!(doc.security_groups[0].rules[0].remote_ip_prefix.as_deref(), Some("10.0.0.0/8"));
        assert!(delete_rule(&mut doc, "sg-a", Origin::Spec { index: 0, part: 0, parts: 1 }));
        assert_eq!(doc.security_groups[0].rules[0].id.as_deref(), Some("A02"));
    }

    #[test]
    fn address_group_entries_and_users() {
        let text = entries_text(&Value::String("10.0.0.1, 10.0.0.0/24".into()));
        assert_eq!(text, "10.0.0.1\n10.0.0.0/24");
        assert_eq!(
            parse_entries("10.0.0.1\n 10.0.0.0/24,10.0.1.1-10.0.1.9\n\n"),
            serde_json::json!(["10.0.0.1", "10.0.0.0/24", "10.0.1.1-10.0.1.9"])
        );
        let mut doc = sg_ab();
        let ag = new_address_group(&doc);
        assert_eq!(ag.id, "ipg-1");
        doc.address_groups.push(ag);
        doc.security_groups[1].rules[0].remote_group_id = None;
        doc.security_groups[1].rules[0].remote_address_group_id = Some("ipg-1".into());
        assert!(doc.build().is_ok(), "{:?}", doc.build().err());
        assert_eq!(address_group_use(&doc, "ipg-1").rules, ["rule B01 of Sg-B"]);
        assert_eq!(address_group_use(&doc, "ipg-1").summary(), "rule B01 of Sg-B");
        assert_eq!(address_group_use(&doc, "ipg-2").summary(), "—");
        doc.security_groups[0].rules[0].remote_group_id = None;
        doc.security_groups[0].rules[0].remote_ip_prefix = None;
        doc.security_groups[0].rules[0].remote_address_group_id = Some("ipg-1".into());
        assert_eq!(address_group_use(&doc, "ipg-1").summary(), "2 rules in 2 groups");
        assert_eq!(version_text(&doc.address_groups[0]), "4");
    }
}
