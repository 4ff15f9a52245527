//! Bringing a live simulator to an edited world, as a console user would get there: every
//! difference the clearing table speaks of (rules, membership, address group entries) is applied
//! as a `Change`, so live connections are cleared exactly as they would be; everything else
//! (new objects, names, addresses, group order) is then taken over as is.

use super::change::Change;
use super::clearing::ChangeReport;
use super::Simulator;
use crate::model::{Instance, World};
use std::collections::{HashMap, HashSet};

impl Simulator {
    /// Moves to `new`, returning one report per clearing-relevant change, in the order applied.
    pub fn sync_world(&mut self, new: World) -> Vec<ChangeReport> {
        add_new_objects(&mut self.world, &new);
        let mut reports = Vec::new();
        for change in changes_between(&self.world, &new) {
            // A change the console would refuse (e.g. removing an instance's last group) still
            // happens below when the world is replaced; it just clears nothing.
            if let Ok(report) = self.apply(&change) {
                reports.push(report);
            }
        }
        self.world = new;
        let live: HashSet<&str> = self.world.instances.iter().map(|i| i.id.as_str()).collect();
        self.tables.retain(|id, _| live.contains(id.as_str()));
        reports
    }
}

/// The first object of each id: what `World::group` and its kin find, without scanning the
/// whole list for every object of the other world (an estate has a thousand instances).
fn first_by_id<T>(items: &[T], id: impl Fn(&T) -> &str) -> HashMap<&str, &T> {
    let mut out = HashMap::with_capacity(items.len());
    for item in items {
        out.entry(id(item)).or_insert(item);
    }
    out
}

/// New groups, address groups and instances (without memberships) enter the old world first,
/// so the membership changes that follow can name them.
fn add_new_objects(world: &mut World, new: &World) {
    let groups: HashSet<&str> = world.security_groups.iter().map(|g| g.id.as_str()).collect();
    let address_groups: HashSet<&str> = world.address_groups.iter().map(|g| g.id.as_str()).collect();
    let instances: HashSet<&str> = world.instances.iter().map(|i| i.id.as_str()).collect();
    let new_groups: Vec<_> = new.security_groups.iter().filter(|g| !groups.contains(g.id.as_str())).cloned().collect();
    let new_address_groups: Vec<_> = new.address_groups.iter().filter(|g| !address_groups.contains(g.id.as_str())).cloned().collect();
    let new_instances: Vec<_> = new
        .instances
        .iter()
        .filter(|i| !instances.contains(i.id.as_str()))
        .map(|i| Instance { security_groups: Vec::new(), ..i.clone() })
        .collect();
    world.security_groups.extend(new_groups);
    world.address_groups.extend(new_address_groups);
    world.instances.extend(new_instances);
}

/// The clearing-relevant differences from `old` to `new`: address group entries, then rules,
/// then memberships (additions before removals, so replacing an instance's only group is allowed).
pub fn changes_between(old: &World, new: &World) -> Vec<Change> {
    let mut out = Vec::new();
    let old_address_groups = first_by_id(&old.address_groups, |g| &g.id);
    for ag in &new.address_groups {
        let Some(before) = old_address_groups.get(ag.id.as_str()) else { continue };
        if before.entries == ag.entries {
            continue;
        }
        for entry in before.entries.iter().filter(|e| !ag.entries.contains(e)) {
            out.push(Change::RemoveAddressEntry { address_group_id: ag.id.clone(), entry: entry.clone() });
        }
        for entry in ag.entries.iter().filter(|e| !before.entries.contains(e)) {
            out.push(Change::AddAddressEntry { address_group_id: ag.id.clone(), entry: entry.clone() });
        }
    }
    let old_groups = first_by_id(&old.security_groups, |g| &g.id);
    for group in &new.security_groups {
        let Some(before) = old_groups.get(group.id.as_str()) else { continue };
        // An edit touches one group or a few: the others compare equal and are passed over.
        if before.rules == group.rules {
            continue;
        }
        let kept: HashSet<&str> = group.rules.iter().map(|r| r.id.as_str()).collect();
        for rule in before.rules.iter().filter(|r| !kept.contains(r.id.as_str())) {
            out.push(Change::DeleteRule { group_id: group.id.clone(), rule_id: rule.id.clone() });
        }
        let before_rules = first_by_id(&before.rules, |r| &r.id);
        for rule in &group.rules {
            match before_rules.get(rule.id.as_str()) {
                None => out.push(Change::AddRules { group_id: group.id.clone(), rules: vec![rule.clone()] }),
                Some(r) if *r != rule => out.push(Change::ModifyRule { group_id: group.id.clone(), rule: rule.clone() }),
                Some(_) => {}
            }
        }
    }
    let old_instances = first_by_id(&old.instances, |i| &i.id);
    let mut removals = Vec::new();
    for inst in &new.instances {
        let before = old_instances.get(inst.id.as_str()).map_or(&[][..], |i| i.security_groups.as_slice());
        if before == inst.security_groups.as_slice() {
            continue;
        }
        for (pos, g) in inst.security_groups.iter().enumerate() {
            if !before.contains(g) {
                out.push(Change::AddMember { group_id: g.clone(), instance_id: inst.id.clone(), position: Some(pos + 1) });
            }
        }
        for g in before.iter().filter(|g| !inst.security_groups.contains(g)) {
            removals.push(Change::RemoveMember { group_id: g.clone(), instance_id: inst.id.clone() });
        }
    }
    out.extend(removals);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::timeouts::Profile;
    use crate::scenario::{ProbeSpec, ScenarioSpec};

    const WORLD: &str = r#"{"security_groups":[
        {"id":"sg-a","rules":[{"id":"out","direction":"egress"}]},
        {"id":"sg-b","rules":[{"id":"ssh","direction":"ingress","protocol":"tcp","multiport":"22"},{"id":"out","direction":"egress"}]}],
      "instances":[{"id":"a","ip":"10.0.0.1","security_groups":["sg-a"]},{"id":"b","ip":"10.0.0.2","security_groups":["sg-b"]}]}"#;

    fn ssh(sim: &Simulator) -> crate::Packet {
        ProbeSpec { from: "a".into(), to: "b".into(), protocol: "tcp".into(), port: Some(22), ..Default::default() }.resolve(sim.world()).unwrap()
    }

    #[test]
    fn an_edited_inbound_rule_clears_live_inbound_connections() {
        let spec = ScenarioSpec::parse(WORLD).unwrap();
        let mut sim = Simulator::new(spec.build().unwrap().world, Profile::Huawei);
        assert!(sim.send(&ssh(&sim)).evaluation.verdict.is_allow());
        let mut edited = spec.clone();
        edited.security_groups[1].rules[0].multiport = Some("2222".into());
        let reports = sim.sync_world(edited.build().unwrap().world);
        assert_eq!(reports.len(), 1);
        assert_eq!(reports[0].cleared.len(), 1, "{:?}", reports[0]);
        // The next packet of the connection is checked against the new rule and cut.
        assert!(!sim.send(&ssh(&sim)).evaluation.verdict.is_allow());
    }

    #[test]
    fn a_new_instance_and_a_renamed_group_are_taken_over_without_clearing() {
        let spec = ScenarioSpec::parse(WORLD).unwrap();
        let mut sim = Simulator::new(spec.build().unwrap().world, Profile::Huawei);
        let mut edited = spec.clone();
        edited.security_groups[0].name = "renamed".into();
        edited.instances.push(crate::scenario::InstanceSpec { id: "c".into(), ip: Some("10.0.0.3".into()), security_groups: vec!["sg-a".into()], ..Default::default() });
        let reports = sim.sync_world(edited.build().unwrap().world);
        assert!(reports.iter().all(|r| r.cleared.is_empty()));
        assert_eq!(sim.world().group("sg-a").map(|g| g.name.as_str()), Some("renamed"));
        assert_eq!(sim.world().instance("c").map(|i| i.security_groups.len()), Some(1));
    }
}
