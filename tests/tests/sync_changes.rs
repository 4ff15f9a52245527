//! `sim::sync::changes_between` (indexed by id, equal groups and memberships passed over)
//! against the plain reading of the clearing table it implements: for every address group,
//! group and instance of the new world, scan the old world for the same id and compare. Pairs
//! of random worlds share ids with different contents, so every kind of change occurs.

use proptest::prelude::*;
use sgplay_core::model::World;
use sgplay_core::sim::sync::changes_between;
use sgplay_core::sim::Change;
use sgplay_tests::random_world::{build, world_bp};

/// The reference: every lookup a scan, nothing passed over.
fn naive(old: &World, new: &World) -> Vec<Change> {
    let mut out = Vec::new();
    for ag in &new.address_groups {
        let Some(before) = old.address_groups.iter().find(|g| g.id == ag.id) else { continue };
        for entry in before.entries.iter().filter(|e| !ag.entries.contains(e)) {
            out.push(Change::RemoveAddressEntry { address_group_id: ag.id.clone(), entry: entry.clone() });
        }
        for entry in ag.entries.iter().filter(|e| !before.entries.contains(e)) {
            out.push(Change::AddAddressEntry { address_group_id: ag.id.clone(), entry: entry.clone() });
        }
    }
    for group in &new.security_groups {
        let Some(before) = old.security_groups.iter().find(|g| g.id == group.id) else { continue };
        for rule in before.rules.iter().filter(|r| !group.rules.iter().any(|n| n.id == r.id)) {
            out.push(Change::DeleteRule { group_id: group.id.clone(), rule_id: rule.id.clone() });
        }
        for rule in &group.rules {
            match before.rules.iter().find(|r| r.id == rule.id) {
                None => out.push(Change::AddRules { group_id: group.id.clone(), rules: vec![rule.clone()] }),
                Some(r) if r != rule => out.push(Change::ModifyRule { group_id: group.id.clone(), rule: rule.clone() }),
                Some(_) => {}
            }
        }
    }
    let mut removals = Vec::new();
    for inst in &new.instances {
        let before = old.instances.iter().find(|i| i.id == inst.id).map_or(&[][..], |i| i.security_groups.as_slice());
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if std::env::var_os("CI").is_some() { 200 } else { 600 }))]

    #[test]
    fn the_indexed_changes_are_the_scanned_ones(a in world_bp(), b in world_bp()) {
        let (a, b) = (build(&a), build(&b));
        prop_assert_eq!(changes_between(&a, &b), naive(&a, &b));
        prop_assert_eq!(changes_between(&b, &a), naive(&b, &a));
        prop_assert!(changes_between(&a, &a).is_empty());
    }
}
