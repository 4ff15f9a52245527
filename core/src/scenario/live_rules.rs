//! Which rules exist at each step of a sequence, as `Sequence::parse` reads it: a step
//! deleting or modifying a rule that is not there (it never was, or an earlier step deleted it)
//! is a problem of the document, found before the sequence runs rather than as a failure when it
//! does. Rules added without an `id` get ids the engine makes up, so a group that gained one is
//! not second-guessed.

use super::sequence::ChangeSpec;
use crate::model::World;
use std::collections::HashSet;

/// Which rules exist at each step of a sequence, so a step deleting or modifying a rule that is
/// not there (never was, or an earlier step deleted it) is a validation error, not a failure
/// found only when the sequence runs.
pub struct LiveRules<'w> {
    rules: HashSet<(String, String)>,
    /// Groups that gained a rule without an `id`: its generated id is not predicted here.
    unpredictable: HashSet<String>,
    world: &'w World,
}

impl<'w> LiveRules<'w> {
    pub fn of(world: &'w World) -> LiveRules<'w> {
        let rules = world.security_groups.iter().flat_map(|g| g.rules.iter().map(|r| (g.id.clone(), r.id.clone()))).collect();
        LiveRules { rules, unpredictable: HashSet::new(), world }
    }

    pub fn follow(&mut self, change: &ChangeSpec, err: &mut impl FnMut(&str, &str, String)) {
        match change {
            ChangeSpec::AddRule { group, rule } => match &rule.id {
                Some(id) => {
                    // A comma-separated remote becomes `id`, `id-2`, `id-3` …
                    let parts = rule.remote_ip_prefix.as_deref().map_or(1, |r| 1 + r.matches(',').count());
                    for n in 0..parts {
                        let id = if n == 0 { id.clone() } else { format!("{id}-{}", n + 1) };
                        self.rules.insert((group.clone(), id));
                    }
                }
                None => {
                    self.unpredictable.insert(group.clone());
                }
            },
            ChangeSpec::DeleteRule { group, rule_id } | ChangeSpec::ModifyRule { group, rule_id, .. } => {
                let key = (group.clone(), rule_id.clone());
                let known_group = self.world.group(group).is_some();
                if known_group && !self.unpredictable.contains(group) && !self.rules.contains(&key) {
                    let message =
                        format!("group `{group}` has no rule with this id at this step (it never had one, or an earlier step deleted it)");
                    err("rule_id", rule_id, message);
                }
                if matches!(change, ChangeSpec::DeleteRule { .. }) {
                    self.rules.remove(&key);
                }
            }
            _ => {}
        }
    }
}
