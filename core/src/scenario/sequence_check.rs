//! Shape problems of stateful sequences, found when a scenario is validated rather than when a
//! sequence runs: each step does exactly one thing, step-only fields sit on the right step,
//! labels are defined before use, names point at existing objects.

use super::sequence::{ChangeSpec, SequenceSpec};
use crate::conntrack::key::is_icmp_error_type;
use crate::conntrack::timeouts::{CutWait, Profile};
use crate::diagnostic::{Problem, Problems};
use crate::model::World;
use std::collections::HashSet;

pub fn check_sequence(world: &World, seq: &SequenceSpec, index: usize, problems: &mut Problems) {
    let base = format!("sequences[{index}]");
    let object = format!("sequence `{}`", seq.name);
    let mut err = |path: String, field: &str, value: &str, message: String| {
        problems.push(Problem::error(path, object.clone(), field, value, message));
    };
    if let Some(p) = seq.conntrack_profile.as_deref() {
        if Profile::parse(p).is_err() {
            err(format!("{base}.conntrack_profile"), "conntrack_profile", p, "must be `huawei` or `linux`".into());
        }
    }
    if let Some(c) = seq.cut_wait.as_deref() {
        if let Err(message) = CutWait::parse(c) {
            err(format!("{base}.cut_wait"), "cut_wait", c, message);
        }
    }
    if seq.steps.is_empty() {
        err(format!("{base}.steps"), "steps", "", "is empty; a sequence needs at least one step (a `send`, to begin with)".into());
    }
    let mut labels: HashSet<&str> = HashSet::new();
    let mut rules = LiveRules::of(world);
    for (n, step) in seq.steps.iter().enumerate() {
        let at = |field: &str| format!("{base}.steps[{n}].{field}");
        let actions = step.actions();
        if actions.len() != 1 {
            let has = if actions.is_empty() { "none".to_string() } else { actions.join(" and ") };
            err(
                format!("{base}.steps[{n}]"),
                "",
                "",
                format!("a step does exactly one of send, reply, advance, change, expect_connection; this one has {has}"),
            );
        }
        let packet_step = step.send.is_some() || step.reply.is_some();
        for (field, set) in [
            ("expect", step.expect.is_some()),
            ("expect_rule", step.expect_rule.is_some()),
            ("expect_tracked", step.expect_tracked.is_some()),
        ] {
            if set && !packet_step {
                err(at(field), field, "", "belongs on a send or reply step".into());
            }
        }
        if let Some(e) = step.expect.as_deref() {
            if e != "allow" && e != "deny" {
                err(at("expect"), "expect", e, "must be `allow` or `deny`".into());
            }
        }
        if step.label.is_some() && step.send.is_none() {
            err(at("label"), "label", step.label.as_deref().unwrap_or(""), "belongs on a send step".into());
        }
        if let Some(label) = step.label.as_deref().filter(|l| l.contains('@')) {
            err(at("label"), "label", label, "must not contain `@` (expect_cleared writes `label@instance`)".into());
        }
        if step.flags.is_some() && step.reply.is_none() {
            err(
                at("flags"),
                "flags",
                step.flags.as_deref().unwrap_or(""),
                "belongs on a reply step; a send carries its flags in the packet".into(),
            );
        }
        if step.expect_cleared.is_some() && step.change.is_none() {
            err(at("expect_cleared"), "expect_cleared", "", "belongs on a change step".into());
        }
        if let Some(label) = &step.embeds {
            if step.send.is_none() {
                err(at("embeds"), "embeds", label, "belongs on a send step of an ICMP error".into());
            } else if !labels.contains(label.as_str()) {
                err(
                    at("embeds"),
                    "embeds",
                    label,
                    "no earlier send step has this label; name the connection whose packet the error reports on".into(),
                );
            }
        }
        if let Some(send) = &step.send {
            match send.resolve(world) {
                Err(found) => {
                    for p in found {
                        err(at(&format!("send.{}", p.field)), &p.field, &p.value, p.message);
                    }
                }
                Ok(packet) if step.embeds.is_some() && !(packet.is_icmp() && is_icmp_error_type(packet.protocol, packet.icmp_type)) => err(
                    at("embeds"),
                    "embeds",
                    step.embeds.as_deref().unwrap_or_default(),
                    "applies to ICMP errors only: set `protocol` to `icmp` with `icmp_type` 3, 4, 5, 11 or 12 (or `icmpv6` with 1-4)"
                        .into(),
                ),
                Ok(_) => {}
            }
            if let Some(label) = &step.label {
                labels.insert(label);
            }
        }
        if let Some(label) = &step.reply {
            if !labels.contains(label.as_str()) {
                err(at("reply"), "reply", label, "no earlier send step has this label".into());
            }
        }
        if let Some(c) = &step.expect_connection {
            if !labels.contains(c.label.as_str()) {
                err(at("expect_connection.label"), "label", &c.label, "no earlier send step has this label".into());
            }
            if world.instance(&c.instance).is_none() {
                err(at("expect_connection.instance"), "instance", &c.instance, "no instance has this id".into());
            }
            if let Err(message) = c.wanted_state() {
                err(at("expect_connection.state"), "state", &c.state, message);
            }
        }
        if let Some(change) = &step.change {
            let (group, instance, address_group) = match change {
                ChangeSpec::AddRule { group, .. } | ChangeSpec::DeleteRule { group, .. } | ChangeSpec::ModifyRule { group, .. } => {
                    (Some(group), None, None)
                }
                ChangeSpec::AddMember { group, instance, .. } | ChangeSpec::RemoveMember { group, instance } => {
                    (Some(group), Some(instance), None)
                }
                ChangeSpec::AddAddressEntry { address_group, .. } | ChangeSpec::RemoveAddressEntry { address_group, .. } => {
                    (None, None, Some(address_group))
                }
            };
            if let Some(g) = group.filter(|g| world.group(g).is_none()) {
                err(at("change"), "group", g, "no security group has this id".into());
            }
            if let Some(i) = instance.filter(|i| world.instance(i).is_none() && !world.instances.iter().any(|x| &x.name == *i)) {
                err(at("change"), "instance", i, "no instance has this id".into());
            }
            if let Some(a) = address_group.filter(|a| world.address_group(a).is_none()) {
                err(at("change"), "address_group", a, "no IP address group has this id".into());
            }
            rules.follow(change, &mut |field: &str, value: &str, message: String| err(at("change"), field, value, message));
            for entry in step.expect_cleared.iter().flatten() {
                match entry.split_once('@') {
                    Some((label, inst)) if labels.contains(label) && world.instance(inst).is_some() => {}
                    _ => err(
                        at("expect_cleared"),
                        "expect_cleared",
                        entry,
                        "must be `label@instance` with a label of an earlier send and an instance id".into(),
                    ),
                }
            }
        }
    }
}

/// Which rules exist at each step of a sequence, so a step deleting or modifying a rule that is
/// not there (never was, or an earlier step deleted it) is a validation error, not a failure
/// found only when the sequence runs.
struct LiveRules<'w> {
    rules: HashSet<(String, String)>,
    /// Groups that gained a rule without an `id`: its generated id is not predicted here.
    unpredictable: HashSet<String>,
    world: &'w World,
}

impl<'w> LiveRules<'w> {
    fn of(world: &'w World) -> LiveRules<'w> {
        let rules = world.security_groups.iter().flat_map(|g| g.rules.iter().map(|r| (g.id.clone(), r.id.clone()))).collect();
        LiveRules { rules, unpredictable: HashSet::new(), world }
    }

    fn follow(&mut self, change: &ChangeSpec, err: &mut impl FnMut(&str, &str, String)) {
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
