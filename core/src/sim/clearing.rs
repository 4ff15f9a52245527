//! The seed's table "Scenarios and policies for clearing connection tracking entries"
//! (SEMANTICS §5), row by row: which change clears the inbound entries of which instances.
//! Outbound-opened entries are never cleared: they keep the rule they were admitted by.
//!
//! | change                                     | cleared                                                  |
//! |--------------------------------------------|----------------------------------------------------------|
//! | instances added to A                       | inbound entries of the added instances; if an inbound rule of another group B denies traffic from A, of all B's instances |
//! | instances removed from A                   | of all A's instances (and of the removed one: interpretation); if an inbound rule of another group B allows traffic from A, of all B's instances |
//! | a deny rule added to A (either direction)  | of all A's instances                                     |
//! | an inbound allow rule deleted from A       | of all A's instances                                     |
//! | an inbound rule of A modified (priority, action, protocol, port, source) | of all A's instances       |
//! | an entry added to or removed from an IP address group an inbound rule of A uses | of all A's instances |

use super::change::Change;
use super::event::{Event, EventKind};
use super::Simulator;
use crate::conntrack::{FlowKey, Opened, Status};
use crate::model::{Action, Direction, Remote, Rule, World};
use crate::diagnostic::Problem;
use crate::scenario::ChangeSpec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A row of the clearing table that applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "row")]
pub enum ClearingRow {
    /// Instances added to `group_id`: their own inbound entries.
    InstancesAdded { group_id: String },
    /// Instances added to `group_id`, which an inbound rule of `other_group_id` denies.
    AddedGroupDeniedByOther { group_id: String, other_group_id: String, rule_ids: Vec<String> },
    /// Instances removed from `group_id`: all its instances, and the removed one.
    InstancesRemoved { group_id: String },
    /// Instances removed from `group_id`, which an inbound rule of `other_group_id` allows.
    RemovedGroupAllowedByOther { group_id: String, other_group_id: String, rule_ids: Vec<String> },
    DenyRuleAdded { group_id: String },
    InboundAllowRuleDeleted { group_id: String },
    /// `fields` of the inbound rule changed.
    InboundRuleModified { group_id: String, rule_id: String, fields: Vec<String> },
    /// An entry of `address_group_id` changed and inbound rules of `group_id` use it.
    AddressGroupEntryChanged { address_group_id: String, group_id: String, rule_ids: Vec<String> },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedRow {
    pub row: ClearingRow,
    /// The row in words.
    pub text: String,
    /// Instances whose inbound entries the row clears.
    pub instances: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClearedEntry {
    pub connection_id: u64,
    pub instance_id: String,
    pub key: FlowKey,
    /// Index into `ChangeReport::rows`: the first row that covered the instance.
    pub row: usize,
}

/// What a change did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeReport {
    pub at: u64,
    /// The change in words.
    pub change: String,
    /// The rows of the clearing table that applied; empty when nothing is cleared.
    pub rows: Vec<AppliedRow>,
    /// Entries newly cleared.
    pub cleared: Vec<ClearedEntry>,
    /// Why nothing was cleared, interpretations, entries that were spared.
    pub notes: Vec<String>,
    pub events: Vec<Event>,
}

impl Simulator {
    /// Validates `spec` against the current world and applies it.
    pub fn apply_spec(&mut self, spec: &ChangeSpec) -> Result<ChangeReport, Vec<Problem>> {
        let change = Change::from_spec(spec, &self.world, "change")?;
        self.apply(&change)
    }

    /// Applies `change` to the world, then clears inbound entries as the clearing table says.
    pub fn apply(&mut self, change: &Change) -> Result<ChangeReport, Vec<Problem>> {
        change.check(&self.world)?;
        let before = self.world.clone();
        let description = change.describe(&before);
        change.apply_to(&mut self.world);
        let (rows, mut notes) = rows_for(change, &before, &self.world);
        let now = self.now;
        let mut events = vec![Event::world(now, description.clone())];
        let mut cleared = Vec::new();
        let mut seen = BTreeSet::new();
        for (r, row) in rows.iter().enumerate() {
            for instance_id in &row.instances {
                if !seen.insert(instance_id.clone()) {
                    continue;
                }
                let name = self.world.instance(instance_id).map_or(instance_id.as_str(), |i| i.display_name());
                let Some(table) = self.tables.get_mut(instance_id) else { continue };
                for conn in table.iter_mut() {
                    match (conn.opened, conn.status) {
                        (Opened::Inbound, Status::Active) => {
                            conn.status = Status::Cleared { at: now };
                            cleared.push(ClearedEntry { connection_id: conn.id, instance_id: instance_id.clone(), key: conn.key, row: r });
                            let text = format!(
                                "connection #{} ({}, opened inbound, {}) on {name} cleared: {}; its next packet is checked against the current inbound rules",
                                conn.id, conn.key, conn.state, row.text
                            );
                            events.push(Event::connection(now, EventKind::Cleared, conn.id, instance_id, text));
                        }
                        (Opened::Inbound, Status::Cleared { at }) => {
                            notes.push(format!("connection #{} on {name} was already cleared at t={at}", conn.id));
                        }
                        (Opened::Inbound, Status::Cut { until, .. }) => {
                            notes.push(format!("connection #{} on {name} is already cut until t={until}", conn.id));
                        }
                        (Opened::Outbound, _) => notes.push(format!(
                            "connection #{} ({}) on {name} was opened outbound: not cleared; outbound-opened connections keep the rule they were admitted by (seed)",
                            conn.id, conn.key
                        )),
                    }
                }
            }
        }
        self.log.extend(events.iter().cloned());
        Ok(ChangeReport { at: now, change: description, rows, cleared, notes, events })
    }
}

fn name(world: &World, group_id: &str) -> String {
    world.group(group_id).map_or(group_id.to_string(), |g| g.name.clone())
}

fn members(world: &World, group_id: &str) -> Vec<String> {
    world.members(group_id).map(|i| i.id.clone()).collect()
}

/// Inbound rules of groups other than `group_id` whose remote is `group_id` and whose action is
/// `action`, by group: `(other group, rule ids)`.
fn others_naming(world: &World, group_id: &str, action: Action) -> Vec<(String, Vec<String>)> {
    world
        .security_groups
        .iter()
        .filter(|g| g.id != group_id)
        .filter_map(|g| {
            let ids: Vec<String> = g
                .rules
                .iter()
                .filter(|r| r.direction == Direction::Ingress && r.action == action && r.remote == Remote::Group(group_id.to_string()))
                .map(|r| r.id.clone())
                .collect();
            (!ids.is_empty()).then(|| (g.id.clone(), ids))
        })
        .collect()
}

/// The fields of an inbound rule whose change clears entries, in the seed's words.
fn changed_fields(old: &Rule, new: &Rule) -> Vec<String> {
    let mut fields = Vec::new();
    let mut note = |changed: bool, field: &str| {
        if changed {
            fields.push(field.to_string());
        }
    };
    note(old.priority != new.priority, "priority");
    note(old.action != new.action, "action");
    note(old.protocol != new.protocol, "protocol");
    note(old.ports != new.ports, "port");
    note(old.remote != new.remote, "source");
    // Not in the seed's list, but they change what the rule admits (interpretation).
    note(old.ethertype != new.ethertype, "type (ethertype)");
    note(old.direction != new.direction, "direction");
    fields
}

/// The rows of the clearing table that `change` (turning `before` into `after`) hits, and notes
/// for the changes that clear nothing.
pub fn rows_for(change: &Change, before: &World, after: &World) -> (Vec<AppliedRow>, Vec<String>) {
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    match change {
        Change::AddMember { group_id, instance_id, .. } => {
            let a = name(after, group_id);
            rows.push(AppliedRow {
                row: ClearingRow::InstancesAdded { group_id: group_id.clone() },
                text: format!("instances were added to {a}: inbound connection tracking entries of the added instances are cleared"),
                instances: vec![instance_id.clone()],
            });
            for (other, rule_ids) in others_naming(after, group_id, Action::Deny) {
                let b = name(after, &other);
                rows.push(AppliedRow {
                    text: format!(
                        "instances were added to {a}, and inbound rule {} of {b} denies traffic from {a}: inbound connection tracking entries of all instances in {b} are cleared",
                        rule_ids.join(", ")
                    ),
                    instances: members(after, &other),
                    row: ClearingRow::AddedGroupDeniedByOther { group_id: group_id.clone(), other_group_id: other, rule_ids },
                });
            }
        }
        Change::RemoveMember { group_id, instance_id } => {
            let a = name(after, group_id);
            let mut instances = members(after, group_id);
            instances.push(instance_id.clone());
            rows.push(AppliedRow {
                row: ClearingRow::InstancesRemoved { group_id: group_id.clone() },
                text: format!(
                    "instances were removed from {a}: inbound connection tracking entries of all instances in {a} are cleared, and those of the removed instance too (interpretation: its own rules changed, as an added instance's do)"
                ),
                instances,
            });
            for (other, rule_ids) in others_naming(after, group_id, Action::Allow) {
                let b = name(after, &other);
                rows.push(AppliedRow {
                    text: format!(
                        "instances were removed from {a}, and inbound rule {} of {b} allows traffic from {a}: inbound connection tracking entries of all instances in {b} are cleared",
                        rule_ids.join(", ")
                    ),
                    instances: members(after, &other),
                    row: ClearingRow::RemovedGroupAllowedByOther { group_id: group_id.clone(), other_group_id: other, rule_ids },
                });
            }
        }
        Change::AddRules { group_id, rules } => {
            let a = name(after, group_id);
            if rules.iter().any(|r| r.action == Action::Deny) {
                rows.push(AppliedRow {
                    row: ClearingRow::DenyRuleAdded { group_id: group_id.clone() },
                    text: format!("a deny rule was added to {a}: inbound connection tracking entries of all its instances are cleared"),
                    instances: members(after, group_id),
                });
            } else {
                notes.push(format!(
                    "an allow rule was added to {a}: nothing is cleared (the seed clears entries when a deny rule is added); new connections use the new rule"
                ));
            }
        }
        Change::DeleteRule { group_id, rule_id } => {
            let a = name(after, group_id);
            let old = before.group(group_id).and_then(|g| g.rules.iter().find(|r| &r.id == rule_id));
            match old {
                Some(r) if r.direction == Direction::Ingress && r.action == Action::Allow => rows.push(AppliedRow {
                    row: ClearingRow::InboundAllowRuleDeleted { group_id: group_id.clone() },
                    text: format!("inbound allow rule {rule_id} was deleted from {a}: inbound connection tracking entries of all its instances are cleared"),
                    instances: members(after, group_id),
                }),
                Some(r) => notes.push(format!(
                    "{} rule {rule_id} was deleted from {a}: nothing is cleared (the seed clears entries only when an inbound allow rule is deleted); existing connections keep going, new ones use the remaining rules",
                    if r.direction == Direction::Egress { format!("outbound {}", r.action) } else { format!("inbound {}", r.action) }
                )),
                None => {}
            }
        }
        Change::ModifyRule { group_id, rule } => {
            let a = name(after, group_id);
            let old = before.group(group_id).and_then(|g| g.rules.iter().find(|r| r.id == rule.id));
            if let Some(old) = old {
                let fields = changed_fields(old, rule);
                let inbound = old.direction == Direction::Ingress || rule.direction == Direction::Ingress;
                if !inbound {
                    notes.push(format!(
                        "outbound rule {} of {a} was modified: nothing is cleared; changes to outbound rules take effect for new connections only (seed)",
                        rule.id
                    ));
                } else if fields.is_empty() {
                    notes.push(format!("only the description of rule {} of {a} changed: nothing is cleared", rule.id));
                } else {
                    let beyond_seed = fields.iter().any(|f| f.starts_with("type") || f == "direction");
                    let interpretation = if beyond_seed { " (interpretation: the seed lists priority, action, protocol, port and source; type and direction change what the rule admits too)" } else { "" };
                    rows.push(AppliedRow {
                        text: format!(
                            "the {} of inbound rule {} of {a} changed: inbound connection tracking entries of all its instances are cleared{interpretation}",
                            fields.join(", "),
                            rule.id
                        ),
                        instances: members(after, group_id),
                        row: ClearingRow::InboundRuleModified { group_id: group_id.clone(), rule_id: rule.id.clone(), fields },
                    });
                }
            }
        }
        Change::AddAddressEntry { address_group_id, entry } | Change::RemoveAddressEntry { address_group_id, entry } => {
            let verb = if matches!(change, Change::AddAddressEntry { .. }) { "added to" } else { "removed from" };
            let ag = after.address_group(address_group_id).map_or(address_group_id.clone(), |g| g.name.clone());
            for g in &after.security_groups {
                let rule_ids: Vec<String> = g
                    .rules
                    .iter()
                    .filter(|r| r.direction == Direction::Ingress && r.remote == Remote::AddressGroup(address_group_id.clone()))
                    .map(|r| r.id.clone())
                    .collect();
                if rule_ids.is_empty() {
                    continue;
                }
                rows.push(AppliedRow {
                    text: format!(
                        "entry {entry} was {verb} IP address group {ag}, which inbound rule {} of {} uses: inbound connection tracking entries of all instances in {} are cleared",
                        rule_ids.join(", "),
                        g.name,
                        g.name
                    ),
                    instances: members(after, &g.id),
                    row: ClearingRow::AddressGroupEntryChanged { address_group_id: address_group_id.clone(), group_id: g.id.clone(), rule_ids },
                });
            }
            if rows.is_empty() {
                notes.push(format!("no inbound rule uses IP address group {ag}: nothing is cleared"));
            }
        }
    }
    if !rows.is_empty() {
        notes.push("outbound-opened connections are never cleared by a change: they keep the rule they were admitted by; new connections use the new rules (seed)".into());
    }
    (rows, notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;

    fn world() -> World {
        Scenario::from_json(
            r#"{
              "security_groups": [
                {"id": "sg-a", "name": "Sg-A", "rules": [
                  {"id": "A-self-deny", "direction": "ingress", "action": "deny", "remote_group_id": "sg-a"},
                  {"id": "A-in", "direction": "ingress", "protocol": "tcp", "multiport": "22"}
                ]},
                {"id": "sg-b", "name": "Sg-B", "rules": [
                  {"id": "B-deny-A", "direction": "ingress", "action": "deny", "remote_group_id": "sg-a"},
                  {"id": "B-allow-A", "direction": "ingress", "remote_group_id": "sg-a", "priority": 2}
                ]}
              ],
              "instances": [
                {"id": "a", "ip": "10.0.0.1", "security_groups": ["sg-a"]},
                {"id": "b", "ip": "10.0.0.2", "security_groups": ["sg-b"]},
                {"id": "n", "ip": "10.0.0.3", "security_groups": ["sg-b"]}
              ]
            }"#,
        )
        .unwrap()
        .world
    }

    fn rows(change: &Change) -> Vec<AppliedRow> {
        let before = world();
        let mut after = before.clone();
        change.apply_to(&mut after);
        rows_for(change, &before, &after).0
    }

    #[test]
    fn only_other_groups_count_in_the_membership_rows() {
        // Sg-A denies itself, but the seed's row names "another security group".
        let added = rows(&Change::AddMember { group_id: "sg-a".into(), instance_id: "n".into(), position: None });
        let kinds: Vec<&ClearingRow> = added.iter().map(|r| &r.row).collect();
        assert_eq!(kinds.len(), 2);
        assert!(matches!(kinds[1], ClearingRow::AddedGroupDeniedByOther { other_group_id, rule_ids, .. } if other_group_id == "sg-b" && rule_ids == &["B-deny-A"]));
        assert_eq!(added[1].instances, vec!["b", "n"]);
        let removed = rows(&Change::RemoveMember { group_id: "sg-b".into(), instance_id: "n".into() });
        assert_eq!(removed[0].instances, vec!["b", "n"], "the remaining members, then the removed instance");
    }

    #[test]
    fn modifying_type_or_direction_is_marked_as_interpretation() {
        let w = world();
        let mut rule = w.group("sg-a").unwrap().rules[1].clone();
        rule.direction = Direction::Egress;
        let r = rows(&Change::ModifyRule { group_id: "sg-a".into(), rule });
        assert!(r[0].text.contains("the direction of inbound rule A-in"), "{}", r[0].text);
        assert!(r[0].text.contains("(interpretation:"), "{}", r[0].text);
    }
}
