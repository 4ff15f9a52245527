//! A change to the world, validated: built from a `scenario::ChangeSpec` against the current world
//! (every referenced group, instance, rule and address group must exist; rules are validated by
//! `scenario::build_rule`), then applied by the simulator, which clears entries as the seed's
//! clearing table says (`clearing`).

use crate::diagnostic::Problem;
use crate::diagnostic::{known_ids as known, Problems};
use crate::model::{AddressEntry, Direction, Ethertype, Rule, World};
use crate::scenario::address_group_spec::parse_entry;
use crate::scenario::{build_rule, from_json, ChangeSpec, RuleContext, RulePatch, RuleSpec};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Change {
    /// Rules added to a group (several when the spec's `remote_ip_prefix` lists several
    /// addresses, as the console does).
    AddRules {
        group_id: String,
        rules: Vec<Rule>,
    },
    DeleteRule {
        group_id: String,
        rule_id: String,
    },
    /// `rule` replaces the group's rule with the same id.
    ModifyRule {
        group_id: String,
        rule: Rule,
    },
    /// The group is associated with the instance at sequence `position` (1-based), last if `None`.
    AddMember {
        group_id: String,
        instance_id: String,
        position: Option<usize>,
    },
    RemoveMember {
        group_id: String,
        instance_id: String,
    },
    AddAddressEntry {
        address_group_id: String,
        entry: AddressEntry,
    },
    RemoveAddressEntry {
        address_group_id: String,
        entry: AddressEntry,
    },
}

fn problem(path: String, field: &str, value: &str, message: String) -> Problem {
    Problem::error(path, "change", field, value, message)
}

fn group_problem(world: &World, path: &str, group: &str) -> Problem {
    problem(
        format!("{path}.group"),
        "group",
        group,
        format!("no security group has this id; known groups: {}", known(world.security_groups.iter().map(|g| g.id.as_str()))),
    )
}

/// The instance named by id, or else by name.
fn find_instance<'w>(world: &'w World, text: &str) -> Option<&'w crate::model::Instance> {
    world.instance(text).or_else(|| world.instances.iter().find(|i| i.name == text))
}

impl Change {
    /// Validates `spec` against `world`. `path` says where the spec sits (`steps[3].change`);
    /// every problem names the field under it.
    pub fn from_spec(spec: &ChangeSpec, world: &World, path: &str) -> Result<Change, Vec<Problem>> {
        if let Some(refused) = super::alibaba_changes::refused(spec, world, path) {
            return Err(vec![refused]);
        }
        match spec {
            ChangeSpec::AddRule { group, rule } => add_rules(world, &format!("{path}.add_rule"), group, rule),
            ChangeSpec::DeleteRule { group, rule_id } => {
                let path = format!("{path}.delete_rule");
                let g = world.group(group).ok_or_else(|| vec![group_problem(world, &path, group)])?;
                if !g.rules.iter().any(|r| &r.id == rule_id) {
                    return Err(vec![rule_problem(&path, g, rule_id)]);
                }
                Ok(Change::DeleteRule { group_id: group.clone(), rule_id: rule_id.clone() })
            }
            ChangeSpec::ModifyRule { group, rule_id, rule } => modify_rule(world, &format!("{path}.modify_rule"), group, rule_id, rule),
            ChangeSpec::AddMember { group, instance, position } => {
                let path = format!("{path}.add_member");
                let mut problems = Vec::new();
                if world.group(group).is_none() {
                    problems.push(group_problem(world, &path, group));
                }
                let Some(inst) = find_instance(world, instance) else {
                    problems.push(instance_problem(world, &path, instance));
                    return Err(problems);
                };
                if inst.security_groups.iter().any(|g| g == group) {
                    problems.push(problem(
                        format!("{path}.instance"),
                        "instance",
                        instance,
                        format!("is already associated with `{group}`"),
                    ));
                }
                let len = inst.security_groups.len();
                if let Some(p) = position {
                    if *p == 0 || *p > len + 1 {
                        problems.push(problem(
                            format!("{path}.position"),
                            "position",
                            &p.to_string(),
                            format!("must be a sequence number from 1 to {} (the instance has {len} security groups)", len + 1),
                        ));
                    }
                }
                if !problems.is_empty() {
                    return Err(problems);
                }
                Ok(Change::AddMember { group_id: group.clone(), instance_id: inst.id.clone(), position: *position })
            }
            ChangeSpec::RemoveMember { group, instance } => {
                let path = format!("{path}.remove_member");
                if world.group(group).is_none() {
                    return Err(vec![group_problem(world, &path, group)]);
                }
                let inst = find_instance(world, instance).ok_or_else(|| vec![instance_problem(world, &path, instance)])?;
                if !inst.security_groups.iter().any(|g| g == group) {
                    return Err(vec![problem(
                        format!("{path}.instance"),
                        "instance",
                        instance,
                        format!("is not associated with `{group}`; its groups: {}", known(inst.security_groups.iter().map(String::as_str))),
                    )]);
                }
                if inst.security_groups.len() == 1 {
                    return Err(vec![problem(
                        format!("{path}.instance"),
                        "instance",
                        instance,
                        format!("`{group}` is its only security group, and an instance keeps at least one (as the console requires); add another group first"),
                    )]);
                }
                Ok(Change::RemoveMember { group_id: group.clone(), instance_id: inst.id.clone() })
            }
            ChangeSpec::AddAddressEntry { address_group, entry } => {
                let path = format!("{path}.add_address_entry");
                let (id, parsed) = address_entry(world, &path, address_group, entry)?;
                if world.address_group(&id).is_some_and(|g| g.entries.contains(&parsed)) {
                    return Err(vec![problem(format!("{path}.entry"), "entry", entry, format!("is already in `{id}`"))]);
                }
                Ok(Change::AddAddressEntry { address_group_id: id, entry: parsed })
            }
            ChangeSpec::RemoveAddressEntry { address_group, entry } => {
                let path = format!("{path}.remove_address_entry");
                let (id, parsed) = address_entry(world, &path, address_group, entry)?;
                if let Some(g) = world.address_group(&id) {
                    if !g.entries.contains(&parsed) {
                        let entries = g.entries.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ");
                        let entries = if entries.is_empty() { "none".to_string() } else { entries };
                        return Err(vec![problem(
                            format!("{path}.entry"),
                            "entry",
                            entry,
                            format!("is not in `{id}`; its entries: {entries}"),
                        )]);
                    }
                }
                Ok(Change::RemoveAddressEntry { address_group_id: id, entry: parsed })
            }
        }
    }

    /// Whether the change can still be applied to `world` (what it names exists, what it adds
    /// does not yet).
    pub fn check(&self, world: &World) -> Result<(), Vec<Problem>> {
        let fail = |field: &str, value: &str, message: &str| Err(vec![problem("change".into(), field, value, message.to_string())]);
        let group = |id: &str| world.group(id);
        match self {
            Change::AddRules { group_id, rules } => match group(group_id) {
                None => fail("group", group_id, "no security group has this id"),
                Some(g) => match rules.iter().find(|r| g.rules.iter().any(|x| x.id == r.id)) {
                    Some(r) => fail("rule", &r.id, "a rule with this id already exists in the group"),
                    None => Ok(()),
                },
            },
            Change::DeleteRule { group_id, rule_id } | Change::ModifyRule { group_id, rule: Rule { id: rule_id, .. } } => {
                match group(group_id) {
                    None => fail("group", group_id, "no security group has this id"),
                    Some(g) if !g.rules.iter().any(|r| &r.id == rule_id) => fail("rule_id", rule_id, "the group has no rule with this id"),
                    Some(_) => Ok(()),
                }
            }
            Change::AddMember { group_id, instance_id, .. } | Change::RemoveMember { group_id, instance_id } => {
                let adding = matches!(self, Change::AddMember { .. });
                match (group(group_id), world.instance(instance_id)) {
                    (None, _) => fail("group", group_id, "no security group has this id"),
                    (_, None) => fail("instance", instance_id, "no instance has this id"),
                    (Some(_), Some(i)) => {
                        let member = i.security_groups.iter().any(|g| g == group_id);
                        if adding && member {
                            fail("instance", instance_id, "is already associated with the group")
                        } else if !adding && !member {
                            fail("instance", instance_id, "is not associated with the group")
                        } else {
                            Ok(())
                        }
                    }
                }
            }
            Change::AddAddressEntry { address_group_id, entry } | Change::RemoveAddressEntry { address_group_id, entry } => {
                let adding = matches!(self, Change::AddAddressEntry { .. });
                match world.address_group(address_group_id) {
                    None => fail("address_group", address_group_id, "no IP address group has this id"),
                    Some(g) if adding && g.entries.contains(entry) => fail("entry", &entry.to_string(), "is already in the address group"),
                    Some(g) if !adding && !g.entries.contains(entry) => fail("entry", &entry.to_string(), "is not in the address group"),
                    Some(_) => Ok(()),
                }
            }
        }
    }

    /// Applies the change to `world`. Call `check` first; a change that no longer fits does
    /// nothing where it does not fit.
    pub fn apply_to(&self, world: &mut World) {
        match self {
            Change::AddRules { group_id, rules } => {
                if let Some(g) = world.group_mut(group_id) {
                    g.rules.extend(rules.iter().cloned());
                }
            }
            Change::DeleteRule { group_id, rule_id } => {
                if let Some(g) = world.group_mut(group_id) {
                    g.rules.retain(|r| &r.id != rule_id);
                }
            }
            Change::ModifyRule { group_id, rule } => {
                if let Some(old) = world.group_mut(group_id).and_then(|g| g.rules.iter_mut().find(|r| r.id == rule.id)) {
                    *old = rule.clone();
                }
            }
            Change::AddMember { group_id, instance_id, position } => {
                if let Some(inst) = world.instances.iter_mut().find(|i| &i.id == instance_id) {
                    let at = position.map_or(inst.security_groups.len(), |p| p.saturating_sub(1)).min(inst.security_groups.len());
                    inst.security_groups.insert(at, group_id.clone());
                }
            }
            Change::RemoveMember { group_id, instance_id } => {
                if let Some(inst) = world.instances.iter_mut().find(|i| &i.id == instance_id) {
                    inst.security_groups.retain(|g| g != group_id);
                }
            }
            Change::AddAddressEntry { address_group_id, entry } => {
                if let Some(g) = world.address_groups.iter_mut().find(|g| &g.id == address_group_id) {
                    g.entries.push(entry.clone());
                }
            }
            Change::RemoveAddressEntry { address_group_id, entry } => {
                if let Some(g) = world.address_groups.iter_mut().find(|g| &g.id == address_group_id) {
                    if let Some(at) = g.entries.iter().position(|e| e == entry) {
                        g.entries.remove(at);
                    }
                }
            }
        }
    }

    /// The change in words, with names from `world` (the world before the change).
    pub fn describe(&self, world: &World) -> String {
        let group = |id: &str| world.group(id).map_or(id.to_string(), |g| g.name.clone());
        let instance = |id: &str| world.instance(id).map_or(id.to_string(), |i| i.display_name().to_string());
        let address_group = |id: &str| world.address_group(id).map_or(id.to_string(), |g| g.name.clone());
        match self {
            Change::AddRules { group_id, rules } => {
                let list: Vec<String> = rules.iter().map(|r| rule_words(world, r)).collect();
                format!("added to {}: {}", group(group_id), list.join("; "))
            }
            Change::DeleteRule { group_id, rule_id } => {
                let what = world
                    .group(group_id)
                    .and_then(|g| g.rules.iter().find(|r| &r.id == rule_id))
                    .map_or(rule_id.clone(), |r| rule_words(world, r));
                format!("deleted from {}: {what}", group(group_id))
            }
            Change::ModifyRule { group_id, rule } => format!("modified in {}: now {}", group(group_id), rule_words(world, rule)),
            Change::AddMember { group_id, instance_id, position } => {
                let at = position.map_or("last in its sequence".to_string(), |p| format!("at sequence number {p}"));
                format!("{} added to {} ({at})", instance(instance_id), group(group_id))
            }
            Change::RemoveMember { group_id, instance_id } => format!("{} removed from {}", instance(instance_id), group(group_id)),
            Change::AddAddressEntry { address_group_id, entry } => {
                format!("entry {entry} added to IP address group {}", address_group(address_group_id))
            }
            Change::RemoveAddressEntry { address_group_id, entry } => {
                format!("entry {entry} removed from IP address group {}", address_group(address_group_id))
            }
        }
    }
}

/// "inbound allow rule B01 (priority 1, tcp: 22, from security group Sg-A)"
pub fn rule_words(world: &World, rule: &Rule) -> String {
    let remote = crate::eval::side::remote_label(world, rule);
    let side = if rule.direction == Direction::Ingress { "from" } else { "to" };
    format!(
        "{} {} rule {} (priority {}, {}, {side} {remote})",
        rule.direction,
        rule.action,
        rule.id,
        rule.priority,
        rule.protocol_and_port()
    )
}

fn rule_problem(path: &str, group: &crate::model::SecurityGroup, rule_id: &str) -> Problem {
    problem(
        format!("{path}.rule_id"),
        "rule_id",
        rule_id,
        format!("`{}` has no rule with this id; its rules: {}", group.id, known(group.rules.iter().map(|r| r.id.as_str()))),
    )
}

fn instance_problem(world: &World, path: &str, instance: &str) -> Problem {
    problem(
        format!("{path}.instance"),
        "instance",
        instance,
        format!("no instance has this id; instances: {}", known(world.instances.iter().map(|i| i.id.as_str()))),
    )
}

fn address_entry(world: &World, path: &str, address_group: &str, entry: &str) -> Result<(String, AddressEntry), Vec<Problem>> {
    let Some(g) = world.address_group(address_group) else {
        return Err(vec![problem(
            format!("{path}.address_group"),
            "address_group",
            address_group,
            format!("no IP address group has this id; known address groups: {}", known(world.address_groups.iter().map(|g| g.id.as_str()))),
        )]);
    };
    let parsed = parse_entry(entry.trim(), g.ethertype).map_err(|m| vec![problem(format!("{path}.entry"), "entry", entry, m)])?;
    Ok((g.id.clone(), parsed))
}

/// What a rule spec may refer to in `world`.
fn references(world: &World) -> (crate::diagnostic::IdList, BTreeMap<String, Ethertype>) {
    let groups = crate::diagnostic::IdList::new(world.security_groups.iter().map(|g| g.id.clone()).collect());
    let address_groups = world.address_groups.iter().map(|g| (g.id.clone(), g.ethertype)).collect();
    (groups, address_groups)
}

fn add_rules(world: &World, path: &str, group: &str, spec: &RuleSpec) -> Result<Change, Vec<Problem>> {
    let g = world.group(group).ok_or_else(|| vec![group_problem(world, path, group)])?;
    if let Some(sg) = spec.security_group_id.as_deref().filter(|s| !s.trim().is_empty() && *s != group) {
        return Err(vec![problem(
            format!("{path}.rule.security_group_id"),
            "security_group_id",
            sg,
            format!("differs from the group the rule is added to, `{group}`; leave it out"),
        )]);
    }
    let (group_ids, address_groups) = references(world);
    // Generated ids follow the rule's position; move on until none collides with an existing id.
    let mut index = g.rules.len();
    for _ in 0..=g.rules.len() + 1 {
        let ctx =
            RuleContext { path: format!("{path}.rule"), group_id: group, index, group_ids: &group_ids, address_groups: &address_groups };
        let mut problems = Problems::default();
        let rules = build_rule(spec, &ctx, &mut problems);
        if problems.has_errors() || rules.is_empty() {
            return Err(problems.into_vec());
        }
        match rules.iter().find(|r| g.rules.iter().any(|x| x.id == r.id)) {
            None => return Ok(Change::AddRules { group_id: group.to_string(), rules }),
            Some(r) if spec.id.as_deref().is_some_and(|s| !s.trim().is_empty()) => {
                return Err(vec![problem(
                    format!("{path}.rule.id"),
                    "id",
                    &r.id,
                    format!("`{group}` already has a rule with this id; rule ids are unique within a group"),
                )]);
            }
            Some(_) => index += 1,
        }
    }
    Err(vec![problem(
        format!("{path}.rule.id"),
        "id",
        "",
        format!("could not generate a rule id unused in `{group}`; give the rule an `id`"),
    )])
}

fn modify_rule(world: &World, path: &str, group: &str, rule_id: &str, patch: &RulePatch) -> Result<Change, Vec<Problem>> {
    let g = world.group(group).ok_or_else(|| vec![group_problem(world, path, group)])?;
    let Some((index, old)) = g.rules.iter().enumerate().find(|(_, r)| r.id == rule_id) else {
        return Err(vec![rule_problem(path, g, rule_id)]);
    };
    let text = |key: &str| patch.0.get(key).and_then(|v| v.as_str()).map(str::trim).filter(|s| !s.is_empty());
    let mut problems = Vec::new();
    if let Some(id) = text("id").filter(|s| *s != rule_id) {
        problems.push(problem(
            format!("{path}.rule.id"),
            "id",
            id,
            format!("a rule's id cannot change; leave `id` out or set it to `{rule_id}`"),
        ));
    }
    if let Some(sg) = text("security_group_id").filter(|s| *s != group) {
        problems.push(problem(
            format!("{path}.rule.security_group_id"),
            "security_group_id",
            sg,
            format!("a rule cannot move to another group; leave it out or set it to `{group}`"),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let merged =
        merge(RuleSpec::from_rule(old, group), patch).map_err(|message| vec![problem(format!("{path}.rule"), "rule", "", message)])?;
    let (group_ids, address_groups) = references(world);
    let ctx = RuleContext { path: format!("{path}.rule"), group_id: group, index, group_ids: &group_ids, address_groups: &address_groups };
    let mut found = Problems::default();
    let rules = build_rule(&merged, &ctx, &mut found);
    if found.has_errors() {
        return Err(found.into_vec());
    }
    let mut rules = rules.into_iter();
    match (rules.next(), rules.next()) {
        (Some(rule), None) if rule == *old => Err(vec![problem(
            format!("{path}.rule"),
            "rule",
            "",
            format!("changes nothing: rule `{rule_id}` already has these values; give the fields that change"),
        )]),
        (Some(rule), None) => Ok(Change::ModifyRule { group_id: group.to_string(), rule }),
        (None, _) => Err(found.into_vec()),
        (Some(_), Some(_)) => Err(vec![problem(
            format!("{path}.rule.remote_ip_prefix"),
            "remote_ip_prefix",
            merged.remote_ip_prefix.as_deref().unwrap_or_default(),
            "modifying changes one rule: give one address or CIDR block (to add several, use `add_rule`)".into(),
        )]),
    }
}

/// The rule `base` with the fields of `patch` set: the spec an added rule with those fields
/// would have, so `build_rule` validates a modification exactly as an addition (ports left on a
/// rule whose protocol becomes `icmp` are an error, not silently dropped). Setting any remote
/// replaces the old remote; a field set to `null` is removed (the added rule's default).
fn merge(base: RuleSpec, patch: &RulePatch) -> Result<RuleSpec, String> {
    const REMOTES: [&str; 3] = ["remote_ip_prefix", "remote_group_id", "remote_address_group_id"];
    // Through text rather than `serde_json::Value`: the page's wasm then needs no second
    // (Value) serializer and deserializer for rules (see `scenario::json`).
    let text = serde_json::to_string(&base).map_err(|e| e.to_string())?;
    let mut fields: serde_json::Map<String, serde_json::Value> = from_json(&text).map_err(|e| e.to_string())?;
    if REMOTES.iter().any(|k| patch.0.contains_key(*k)) {
        for k in REMOTES {
            fields.remove(k);
        }
    }
    for (key, value) in &patch.0 {
        if value.is_null() {
            fields.remove(key);
        } else {
            fields.insert(key.clone(), value.clone());
        }
    }
    from_json(&serde_json::Value::Object(fields).to_string()).map_err(|e| format!("is not a rule: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;
    use serde_json::json;

    fn world() -> World {
        Scenario::from_json(
            r#"{
              "address_groups": [{"id": "ipg", "ip_set": ["172.16.0.0/24"]}],
              "security_groups": [
                {"id": "sg-a", "rules": [
                  {"id": "A01", "direction": "ingress", "protocol": "tcp", "multiport": "22", "remote_ip_prefix": "172.16.0.0/24"},
                  {"id": "A02", "direction": "ingress", "remote_group_id": "sg-a"}
                ]},
                {"id": "sg-b", "rules": []}
              ],
              "instances": [{"id": "a", "ip": "10.0.0.1", "security_groups": ["sg-a"]}]
            }"#,
        )
        .unwrap()
        .world
    }

    fn spec(v: serde_json::Value) -> ChangeSpec {
        serde_json::from_value(v).unwrap()
    }

    fn build(v: serde_json::Value) -> Result<Change, Vec<Problem>> {
        Change::from_spec(&spec(v), &world(), "change")
    }

    #[test]
    fn add_rule_validates_and_generates_unique_ids() {
        let c = build(json!({"add_rule": {"group": "sg-a", "rule": {"direction": "ingress", "action": "deny", "remote_ip_prefix": "10.1.0.0/16,10.2.0.0/16"}}})).unwrap();
        let Change::AddRules { rules, .. } = &c else { panic!() };
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].id, "sg-a-in-3");
        let e = build(json!({"add_rule": {"group": "sg-a", "rule": {"id": "A01", "direction": "ingress"}}})).unwrap_err();
        assert_eq!(e[0].path, "change.add_rule.rule.id");
        let e = build(json!({"add_rule": {"group": "sg-a", "rule": {"direction": "sideways"}}})).unwrap_err();
        assert_eq!(e[0].path, "change.add_rule.rule.direction");
        let e = build(json!({"add_rule": {"group": "sg-x", "rule": {"direction": "ingress"}}})).unwrap_err();
        assert!(e[0].message.contains("`sg-a`"), "{}", e[0].message);
    }

    #[test]
    fn modify_merges_over_the_old_rule() {
        let c = build(json!({"modify_rule": {"group": "sg-a", "rule_id": "A01", "rule": {"multiport": "2222"}}})).unwrap();
        let Change::ModifyRule { rule, .. } = &c else { panic!() };
        assert_eq!(rule.ports.to_string(), "2222");
        assert_eq!(rule.remote.to_string(), "172.16.0.0/24");
        // A new remote replaces the old one.
        let c = build(json!({"modify_rule": {"group": "sg-a", "rule_id": "A01", "rule": {"remote_group_id": "sg-b"}}})).unwrap();
        let Change::ModifyRule { rule, .. } = &c else { panic!() };
        assert_eq!(rule.ports.to_string(), "22");
        assert_eq!(rule.remote, crate::model::Remote::Group("sg-b".into()));
        // Exactly the validation of an added rule: ports left on an icmp rule are an error.
        let e = build(json!({"modify_rule": {"group": "sg-a", "rule_id": "A01", "rule": {"protocol": "icmp"}}})).unwrap_err();
        assert_eq!(e[0].path, "change.modify_rule.rule.multiport");
        let c =
            build(json!({"modify_rule": {"group": "sg-a", "rule_id": "A01", "rule": {"protocol": "icmp", "multiport": null}}})).unwrap();
        let Change::ModifyRule { rule, .. } = &c else { panic!() };
        assert!(rule.ports.is_all());
        // `null` resets a field to an added rule's default: all protocols, with the ports gone.
        let c = build(json!({"modify_rule": {"group": "sg-a", "rule_id": "A01", "rule": {"protocol": null, "multiport": null}}})).unwrap();
        let Change::ModifyRule { rule, .. } = &c else { panic!() };
        assert_eq!(rule.protocol, crate::model::ProtocolMatch::Any);
        let e = build(json!({"modify_rule": {"group": "sg-a", "rule_id": "A01", "rule": {"priority": 1}}})).unwrap_err();
        assert!(e[0].message.contains("changes nothing"), "{}", e[0].message);
        let e = build(json!({"modify_rule": {"group": "sg-a", "rule_id": "A01", "rule": {"protocol": null}}})).unwrap_err();
        assert_eq!(e[0].path, "change.modify_rule.rule.multiport", "all protocols take no ports either");
        let e = build(json!({"modify_rule": {"group": "sg-a", "rule_id": "A09", "rule": {}}})).unwrap_err();
        assert!(e[0].message.contains("`A01`, `A02`"), "{}", e[0].message);
        let e = build(json!({"modify_rule": {"group": "sg-a", "rule_id": "A01", "rule": {"id": "A05"}}})).unwrap_err();
        assert_eq!(e[0].field, "id");
        let e = build(json!({"modify_rule": {"group": "sg-a", "rule_id": "A01", "rule": {"remote_ip_prefix": "10.1.0.0/16,10.2.0.0/16"}}}))
            .unwrap_err();
        assert_eq!(e[0].path, "change.modify_rule.rule.remote_ip_prefix");
        assert!(e[0].message.contains("use `add_rule`"), "{}", e[0].message);
    }

    #[test]
    fn membership_changes_are_checked() {
        assert!(build(json!({"add_member": {"group": "sg-b", "instance": "a", "position": 1}})).is_ok());
        assert_eq!(build(json!({"add_member": {"group": "sg-b", "instance": "a", "position": 3}})).unwrap_err()[0].field, "position");
        assert!(build(json!({"add_member": {"group": "sg-a", "instance": "a"}})).unwrap_err()[0].message.contains("already"));
        assert!(build(json!({"add_member": {"group": "sg-b", "instance": "zz"}})).unwrap_err()[0].message.contains("`a`"));
        assert!(build(json!({"remove_member": {"group": "sg-a", "instance": "a"}})).unwrap_err()[0]
            .message
            .contains("only security group"));
        assert!(build(json!({"remove_member": {"group": "sg-b", "instance": "a"}})).unwrap_err()[0].message.contains("not associated"));
    }

    #[test]
    fn address_entries_are_parsed_in_the_group_family() {
        let mut w = world();
        let c = Change::from_spec(&spec(json!({"add_address_entry": {"address_group": "ipg", "entry": "10.9.0.0/16"}})), &w, "c").unwrap();
        c.check(&w).unwrap();
        c.apply_to(&mut w);
        assert_eq!(w.address_group("ipg").unwrap().entries.len(), 2);
        assert!(c.check(&w).is_err(), "applying twice is refused");
        let e = Change::from_spec(&spec(json!({"remove_address_entry": {"address_group": "ipg", "entry": "10.8.0.0/16"}})), &w, "c")
            .unwrap_err();
        assert!(e[0].message.contains("`172.16.0.0/24`"), "{}", e[0].message);
        let e = Change::from_spec(&spec(json!({"add_address_entry": {"address_group": "ipg", "entry": "::1"}})), &w, "c").unwrap_err();
        assert_eq!(e[0].path, "c.add_address_entry.entry");
    }

    #[test]
    fn apply_and_describe() {
        let mut w = world();
        let c = build(json!({"add_member": {"group": "sg-b", "instance": "a", "position": 1}})).unwrap();
        assert_eq!(c.describe(&w), "a added to sg-b (at sequence number 1)");
        c.apply_to(&mut w);
        assert_eq!(w.instance("a").unwrap().security_groups, vec!["sg-b", "sg-a"]);
        let c = Change::from_spec(&spec(json!({"delete_rule": {"group": "sg-a", "rule_id": "A01"}})), &w, "c").unwrap();
        assert!(c.describe(&w).contains("inbound allow rule A01"), "{}", c.describe(&w));
    }
}
