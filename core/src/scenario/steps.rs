//! A stateful sequence as the scenario holds it once built. The document's `StepSpec` is one
//! struct with a field for every action and every option (`send`, `reply`, `flags`, `expect`,
//! …), so it can say things that mean nothing: two actions in one step, `flags` on a send, a
//! reply to a label never sent, `"expect": "maybe"`. `Sequence::parse` reads a `SequenceSpec`
//! against the world, reports every such problem at its path
//! (`sequences[0].steps[3].expect`) with what would be right, and yields typed steps: one
//! [`Action`] each, packets resolved, states and flags read, labels known to name an earlier
//! send. The runner (`sim::run_sequence`) consumes only these, so it never meets a malformed
//! step.
//!
//! Changes are read against the world as the earlier steps leave it: the reader applies each
//! change to its own copy of the world, so a `modify_rule` merges into the rule as it is at that
//! step, and a change the world would refuse (an invalid added rule, a member added twice) is a
//! problem of the document too. The world a step changes depends on the earlier changes only,
//! never on the connections, so the run meets exactly the world the reader saw.

use super::checks::{parse_verdict, RuleRef};
use super::live_rules::LiveRules;
use super::sequence::{ChangeSpec, SequenceSpec, StepSpec};
use crate::conntrack::key::is_icmp_error_type;
use crate::conntrack::timeouts::{CutWait, Profile};
use crate::conntrack::{ConnState, TcpState};
use crate::diagnostic::{Problem, Problems};
use crate::eval::Verdict;
use crate::model::protocol::{protocol_name, TCP};
use crate::model::World;
use crate::packet::{Packet, TcpFlags};
use crate::sim::Change;
use std::collections::HashMap;
use std::fmt;

/// A validated sequence: the connection tracking it runs under and its steps.
#[derive(Clone, Debug, PartialEq)]
pub struct Sequence {
    pub name: String,
    /// The timeout table: the sequence's `conntrack_profile`, else the scenario profile's.
    pub timeouts: Profile,
    pub cut_wait: CutWait,
    /// At least one. Every label a step uses names an earlier send.
    pub steps: Vec<Step>,
}

/// One step: what it does, and its note for reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub action: Action,
    pub note: Option<String>,
}

/// The one thing a step does.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Send `packet`; `label` names its connection; `embeds` (ICMP errors only) names the
    /// connection whose last packet the error reports on.
    Send { packet: Packet, label: Option<String>, embeds: Option<String>, expect: PacketExpectation },
    /// Send the reply to the last packet of connection `label`, with `flags` when given (TCP).
    Reply { label: String, flags: Option<TcpFlags>, expect: PacketExpectation },
    /// Move the clock on.
    Advance { seconds: u64 },
    /// Change the world (read against the world as the earlier steps leave it); `expect_cleared`:
    /// exactly the entries the change must clear.
    Change { change: Change, expect_cleared: Option<Vec<ClearedEntry>> },
    /// Look at connection `label`'s entry on `instance` (an instance id).
    ExpectConnection { label: String, instance: String, state: WantedState, expires_in: Option<u64> },
}

impl Action {
    /// The action's name as the file writes it.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Send { .. } => "send",
            Action::Reply { .. } => "reply",
            Action::Advance { .. } => "advance",
            Action::Change { .. } => "change",
            Action::ExpectConnection { .. } => "expect_connection",
        }
    }
}

/// What a sent packet or reply must meet; `None` fields are not checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PacketExpectation {
    pub verdict: Option<Verdict>,
    pub rule: Option<RuleRef>,
    /// True: passed on a tracked connection on every side; false: by rules only.
    pub tracked: Option<bool>,
}

/// `label@instance` of `expect_cleared`, the instance as its id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClearedEntry {
    pub label: String,
    pub instance: String,
}

/// The state an `expect_connection` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WantedState {
    /// `NONE`: no entry.
    NoEntry,
    /// `CUT`: an entry cut by a change, waiting to expire.
    Cut,
    /// `CLEARED`: an entry a change cleared.
    Cleared,
    /// A TCP state, `UNREPLIED` or `REPLIED`, on an entry not cut.
    State(ConnState),
}

impl WantedState {
    /// Reads a state, case-insensitive, `-` for `_`; `Err` lists the states.
    pub fn parse(text: &str) -> Result<WantedState, String> {
        let wanted = text.trim().to_ascii_uppercase().replace('-', "_");
        match wanted.as_str() {
            "NONE" => return Ok(WantedState::NoEntry),
            "CUT" => return Ok(WantedState::Cut),
            "CLEARED" => return Ok(WantedState::Cleared),
            _ => {}
        }
        if let Some(state) = ConnState::parse(&wanted) {
            return Ok(WantedState::State(state));
        }
        let tcp: Vec<&str> = TcpState::ALL.iter().skip(1).map(|s| s.name()).collect();
        Err(format!("is not a state; use {}, UNREPLIED, REPLIED, CLEARED, CUT or NONE", tcp.join(", ")))
    }
}

impl fmt::Display for WantedState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WantedState::NoEntry => f.write_str("NONE"),
            WantedState::Cut => f.write_str("CUT"),
            WantedState::Cleared => f.write_str("CLEARED"),
            WantedState::State(s) => f.write_str(s.name()),
        }
    }
}

impl Sequence {
    /// Reads sequence `index` of a scenario whose world is `world`: every problem goes to
    /// `problems`, at its path; `None` when there was one.
    pub fn parse(world: &World, spec: &SequenceSpec, index: usize, problems: &mut Problems) -> Option<Sequence> {
        let mut reader = Reader {
            world,
            base: format!("sequences[{index}]"),
            object: format!("sequence `{}`", spec.name),
            problems,
            malformed: false,
            flows: HashMap::new(),
            rules: LiveRules::of(world),
            live: None,
        };
        let timeouts = match spec.conntrack_profile.as_deref() {
            None => world.profile.timeouts(),
            Some(text) => Profile::parse(text).unwrap_or_else(|message| {
                reader.error(format!("{}.conntrack_profile", reader.base), "conntrack_profile", text, message);
                Profile::default()
            }),
        };
        let cut_wait = match spec.cut_wait.as_deref() {
            None => CutWait::default(),
            Some(text) => CutWait::parse(text).unwrap_or_else(|message| {
                reader.error(format!("{}.cut_wait", reader.base), "cut_wait", text, message);
                CutWait::default()
            }),
        };
        if spec.steps.is_empty() {
            let path = format!("{}.steps", reader.base);
            reader.error(path, "steps", "", "is empty; a sequence needs at least one step (a `send`, to begin with)".into());
        }
        let steps: Vec<Option<Step>> = spec.steps.iter().enumerate().map(|(n, step)| reader.step(n, step)).collect();
        if reader.malformed {
            return None;
        }
        Some(Sequence { name: spec.name.clone(), timeouts, cut_wait, steps: steps.into_iter().flatten().collect() })
    }
}

/// Reads one sequence's steps in order, knowing the labels sent so far and the rules live at
/// each step.
struct Reader<'a> {
    world: &'a World,
    base: String,
    object: String,
    problems: &'a mut Problems,
    malformed: bool,
    /// Each label sent so far, with its connection's protocol (`None`: its packet is broken).
    flows: HashMap<String, Option<u8>>,
    rules: LiveRules<'a>,
    /// The world as the changes read so far leave it; copied at the first change.
    live: Option<World>,
}

impl Reader<'_> {
    fn error(&mut self, path: String, field: &str, value: &str, message: String) {
        self.malformed = true;
        self.problems.push(Problem::error(path, self.object.clone(), field, value, message));
    }

    fn step(&mut self, n: usize, step: &StepSpec) -> Option<Step> {
        let base = self.base.clone();
        let at = |field: &str| format!("{base}.steps[{n}].{field}");
        let errors_before = self.malformed;
        self.malformed = false;
        let actions = step.actions();
        if actions.len() != 1 {
            let has = if actions.is_empty() { "none".to_string() } else { actions.join(" and ") };
            let message = format!("a step does exactly one of send, reply, advance, change, expect_connection; this one has {has}");
            self.error(format!("{base}.steps[{n}]"), "", "", message);
        }
        // Options on the wrong action.
        let packet_step = step.send.is_some() || step.reply.is_some();
        for (field, set) in [
            ("expect", step.expect.is_some()),
            ("expect_rule", step.expect_rule.is_some()),
            ("expect_tracked", step.expect_tracked.is_some()),
        ] {
            if set && !packet_step {
                self.error(at(field), field, "", "belongs on a send or reply step".into());
            }
        }
        let verdict = step.expect.as_deref().and_then(parse_verdict);
        if let Some(e) = step.expect.as_deref().filter(|_| verdict.is_none()) {
            self.error(at("expect"), "expect", e, "must be `allow` or `deny`".into());
        }
        let expect = PacketExpectation { verdict, rule: step.expect_rule.clone().map(RuleRef), tracked: step.expect_tracked };
        if let Some(label) = step.label.as_deref() {
            if step.send.is_none() {
                let hint = if step.reply.is_some() { "; a reply names its flow in `reply` itself" } else { "" };
                self.error(at("label"), "label", label, format!("belongs on a send step{hint}"));
            }
            if label.trim().is_empty() {
                self.error(at("label"), "label", label, "must not be empty; name the connection".into());
            } else if label.contains('@') {
                self.error(at("label"), "label", label, "must not contain `@` (expect_cleared writes `label@instance`)".into());
            }
        }
        if let Some(flags) = step.flags.as_deref().filter(|_| step.reply.is_none()) {
            self.error(at("flags"), "flags", flags, "belongs on a reply step; a send carries its flags in the packet".into());
        }
        if step.expect_cleared.is_some() && step.change.is_none() {
            self.error(at("expect_cleared"), "expect_cleared", "", "belongs on a change step".into());
        }
        if let Some(label) = step.embeds.as_deref() {
            if step.send.is_none() {
                self.error(at("embeds"), "embeds", label, "belongs on a send step of an ICMP error".into());
            } else if !self.flows.contains_key(label) {
                let message = "no earlier send step has this label; name the connection whose packet the error reports on";
                self.error(at("embeds"), "embeds", label, message.into());
            }
        }
        // The action itself: each one named is read, so a step with two has both looked at.
        let mut read: Vec<Option<Action>> = Vec::new();
        if let Some(send) = &step.send {
            read.push(self.send(n, send, step, expect.clone()));
        }
        if let Some(label) = &step.reply {
            read.push(self.reply(n, label, step, expect));
        }
        if let Some(c) = &step.expect_connection {
            read.push(self.expect_connection(n, c));
        }
        if let Some(change) = &step.change {
            read.push(self.change(n, change, step));
        }
        if let Some(seconds) = step.advance {
            read.push(Some(Action::Advance { seconds }));
        }
        let action = if read.len() == 1 { read.pop().flatten() } else { None };
        let step_malformed = self.malformed;
        self.malformed |= errors_before;
        if step_malformed {
            return None;
        }
        action.map(|action| Step { action, note: step.note.clone() })
    }

    fn send(&mut self, n: usize, send: &super::ProbeSpec, step: &StepSpec, expect: PacketExpectation) -> Option<Action> {
        let base = self.base.clone();
        let at = |field: &str| format!("{base}.steps[{n}].{field}");
        // Against the world at this step, as the run would resolve it.
        let packet = match send.resolve(self.live.as_ref().unwrap_or(self.world)) {
            Err(found) => {
                for p in found {
                    self.error(at(&format!("send.{}", p.field)), &p.field, &p.value, p.message);
                }
                None
            }
            Ok(packet) if step.embeds.is_some() && !(packet.is_icmp() && is_icmp_error_type(packet.protocol, packet.icmp_type)) => {
                let message =
                    "applies to ICMP errors only: set `protocol` to `icmp` with `icmp_type` 3, 4, 5, 11 or 12 (or `icmpv6` with 1-4)";
                self.error(at("embeds"), "embeds", step.embeds.as_deref().unwrap_or_default(), message.into());
                None
            }
            Ok(packet) => Some(packet),
        };
        if let Some(label) = &step.label {
            // Known from here on even when the packet is broken: one problem, not one per use.
            self.flows.insert(label.clone(), packet.as_ref().map(|p| p.protocol));
        }
        Some(Action::Send { packet: packet?, label: step.label.clone(), embeds: step.embeds.clone(), expect })
    }

    fn reply(&mut self, n: usize, label: &str, step: &StepSpec, expect: PacketExpectation) -> Option<Action> {
        let base = self.base.clone();
        let at = |field: &str| format!("{base}.steps[{n}].{field}");
        let Some(&protocol) = self.flows.get(label) else {
            self.error(at("reply"), "reply", label, "no earlier send step has this label".into());
            return None;
        };
        let flags = match step.flags.as_deref() {
            None => None,
            Some(text) if protocol.is_some_and(|p| p != TCP) => {
                let message = format!("applies to tcp flows, and `{label}` is {}", protocol_name(protocol.unwrap_or(TCP)));
                self.error(at("flags"), "flags", text, message);
                None
            }
            Some(text) if text.trim().eq_ignore_ascii_case("none") => Some(TcpFlags::empty()),
            Some(text) => match TcpFlags::parse(text) {
                Ok(flags) => Some(flags),
                Err(message) => {
                    self.error(at("flags"), "flags", text, message);
                    None
                }
            },
        };
        Some(Action::Reply { label: label.to_string(), flags, expect })
    }

    fn expect_connection(&mut self, n: usize, c: &super::sequence::ConnectionExpectation) -> Option<Action> {
        let base = self.base.clone();
        let at = |field: &str| format!("{base}.steps[{n}].expect_connection.{field}");
        if !self.flows.contains_key(&c.label) {
            self.error(at("label"), "label", &c.label, "no earlier send step has this label".into());
        }
        if self.world.instance(&c.instance).is_none() {
            self.error(at("instance"), "instance", &c.instance, "no instance has this id".into());
        }
        match WantedState::parse(&c.state) {
            Ok(state) => {
                Some(Action::ExpectConnection { label: c.label.clone(), instance: c.instance.clone(), state, expires_in: c.expires_in })
            }
            Err(message) => {
                self.error(at("state"), "state", &c.state, message);
                None
            }
        }
    }

    fn change(&mut self, n: usize, change: &ChangeSpec, step: &StepSpec) -> Option<Action> {
        let base = self.base.clone();
        let at = |field: &str| format!("{base}.steps[{n}].{field}");
        let world = self.world;
        // Whether this change's own checks find a problem, whatever the step's other fields say.
        let prior = std::mem::replace(&mut self.malformed, false);
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
            self.error(at("change"), "group", g, "no security group has this id".into());
        }
        if let Some(i) = instance.filter(|i| world.instance(i).is_none() && !world.instances.iter().any(|x| &x.name == *i)) {
            self.error(at("change"), "instance", i, "no instance has this id".into());
        }
        if let Some(a) = address_group.filter(|a| world.address_group(a).is_none()) {
            self.error(at("change"), "address_group", a, "no IP address group has this id".into());
        }
        let mut found = Vec::new();
        self.rules
            .follow(change, &mut |field: &str, value: &str, message: String| found.push((field.to_string(), value.to_string(), message)));
        for (field, value, message) in found {
            self.error(at("change"), &field, &value, message);
        }
        // The objects it names are there: read the change against the world at this step.
        let typed = if self.malformed { None } else { self.read_change(&at("change"), change) };
        self.malformed |= prior;
        let mut expect_cleared = None;
        if let Some(entries) = &step.expect_cleared {
            let mut typed = Vec::new();
            for entry in entries {
                match entry.split_once('@') {
                    Some((label, instance)) if self.flows.contains_key(label) && world.instance(instance).is_some() => {
                        typed.push(ClearedEntry { label: label.to_string(), instance: instance.to_string() })
                    }
                    _ => self.error(
                        at("expect_cleared"),
                        "expect_cleared",
                        entry,
                        "must be `label@instance` with a label of an earlier send and an instance id".into(),
                    ),
                }
            }
            expect_cleared = Some(typed);
        }
        Some(Action::Change { change: typed?, expect_cleared })
    }

    /// `spec` as the world at this step takes it, applied to that world; `None` when it is
    /// refused (the problems reported under `path`).
    fn read_change(&mut self, path: &str, spec: &ChangeSpec) -> Option<Change> {
        let live = self.live.get_or_insert_with(|| self.world.clone());
        match Change::from_spec(spec, live, path).and_then(|c| c.check(live).map(|()| c)) {
            Ok(change) => {
                change.apply_to(live);
                Some(change)
            }
            Err(found) => {
                for p in found {
                    // `Change::check` says `change` for the change as a whole.
                    let path = if p.path == "change" { path.to_string() } else { p.path };
                    self.error(path, &p.field, &p.value, p.message);
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Direction;
    use crate::Scenario;
    use serde_json::{json, Value};

    fn scenario(sequence: Value) -> Result<Scenario, Vec<Problem>> {
        let doc = json!({
            "security_groups": [
                {"id": "sg-a", "rules": [{"id": "A-out", "direction": "egress"}]},
                {"id": "sg-b", "rules": [{"id": "B-ssh", "direction": "ingress", "protocol": "tcp", "multiport": "22"}]}
            ],
            "instances": [
                {"id": "ecs-a", "ip": "10.0.0.1", "security_groups": ["sg-a"]},
                {"id": "ecs-b", "ip": "10.0.0.2", "security_groups": ["sg-b"]}
            ],
            "sequences": [sequence]
        });
        Scenario::from_json(&doc.to_string())
    }

    fn ssh() -> Value {
        json!({"send": {"from": "ecs-a", "to": "ecs-b", "protocol": "tcp", "port": 22}, "label": "ssh", "expect": "allow"})
    }

    /// The paths of the errors `steps` make, each with a word of its message.
    #[track_caller]
    fn errors(steps: Value, expected: &[(&str, &str)]) {
        let problems = scenario(json!({"name": "s", "steps": steps})).expect_err("malformed");
        let found: Vec<(&str, &str)> = problems.iter().filter(|p| p.is_error()).map(|p| (p.path.as_str(), p.message.as_str())).collect();
        assert_eq!(found.len(), expected.len(), "{found:#?}");
        for ((path, message), (want_path, want_word)) in found.iter().zip(expected) {
            assert_eq!(path, want_path, "{found:#?}");
            assert!(message.contains(want_word), "{path}: {message} lacks {want_word}");
        }
    }

    #[test]
    fn a_well_formed_sequence_parses_to_typed_steps() {
        let s = scenario(json!({"name": "s", "conntrack_profile": "linux", "steps": [
            ssh(),
            {"reply": "ssh", "flags": "syn,ack", "expect": "deny", "expect_tracked": true, "note": "back"},
            {"advance": 30},
            {"change": {"delete_rule": {"group": "sg-b", "rule_id": "B-ssh"}}, "expect_cleared": ["ssh@ecs-b"]},
            {"expect_connection": {"label": "ssh", "instance": "ecs-b", "state": "syn-recv", "expires_in": 5}}
        ]}))
        .expect("valid");
        let seq = &s.sequences[0];
        assert_eq!((seq.timeouts, seq.cut_wait), (Profile::Linux, CutWait::FromCut));
        let actions: Vec<&Action> = seq.steps.iter().map(|s| &s.action).collect();
        let Action::Send { packet, label, embeds: None, expect } = actions[0] else { panic!("{:?}", actions[0]) };
        assert_eq!((packet.dst_port, label.as_deref()), (22, Some("ssh")));
        assert_eq!(expect, &PacketExpectation { verdict: Some(Verdict::Allow), rule: None, tracked: None });
        assert_eq!(
            actions[1],
            &Action::Reply {
                label: "ssh".into(),
                flags: TcpFlags::parse("syn,ack").ok(),
                expect: PacketExpectation { verdict: Some(Verdict::Deny), rule: None, tracked: Some(true) },
            }
        );
        assert_eq!(seq.steps[1].note.as_deref(), Some("back"));
        assert_eq!(actions[2], &Action::Advance { seconds: 30 });
        assert_eq!(
            actions[3],
            &Action::Change {
                change: Change::DeleteRule { group_id: "sg-b".into(), rule_id: "B-ssh".into() },
                expect_cleared: Some(vec![ClearedEntry { label: "ssh".into(), instance: "ecs-b".into() }]),
            }
        );
        assert_eq!(
            actions[4],
            &Action::ExpectConnection {
                label: "ssh".into(),
                instance: "ecs-b".into(),
                state: WantedState::State(ConnState::Tcp(TcpState::SynRecv)),
                expires_in: Some(5),
            }
        );
        let _ = Direction::Ingress;
    }

    #[test]
    fn each_bad_step_field_is_an_error_at_its_path() {
        let st = "sequences[0].steps";
        errors(
            json!([
                {},
                {"advance": 1, "reply": "x"},
                {"advance": 1, "label": "x", "expect": "allow", "expect_rule": "r", "expect_tracked": true},
                {"send": {"from": "ecs-a", "to": "ecs-b", "protocol": "tcp", "port": 22}, "flags": "ack", "expect": "maybe"},
                {"send": {"from": "ecs-z", "to": "ecs-b", "protocol": "tcp", "port": 22}, "label": "a@b"},
                {"send": {"from": "ecs-a", "to": "ecs-b", "protocol": "tcp", "port": 22}, "label": " ", "embeds": "ghost"},
                ssh(),
                {"reply": "ssh", "label": "other"},
                {"reply": "ssh", "flags": "urgent"},
                {"send": {"from": "ecs-a", "to": "ecs-b", "protocol": "udp", "port": 53}, "label": "dns"},
                {"reply": "dns", "flags": "ack"},
                {"change": {"add_rule": {"group": "sg-z", "rule": {"direction": "ingress"}}}},
                {"change": {"delete_rule": {"group": "sg-b", "rule_id": "nope"}}, "expect_cleared": ["ssh"]},
                {"advance": 1, "expect_cleared": []},
                {"expect_connection": {"label": "ssh", "instance": "ecs-b", "state": "OPEN"}},
                {"expect_connection": {"label": "nope", "instance": "ecs-q", "state": "NONE"}}
            ]),
            &[
                (&format!("{st}[0]"), "this one has none"),
                (&format!("{st}[1]"), "this one has reply and advance"),
                (&format!("{st}[1].reply"), "no earlier send"),
                (&format!("{st}[2].expect"), "belongs on a send or reply step"),
                (&format!("{st}[2].expect_rule"), "belongs on a send or reply step"),
                (&format!("{st}[2].expect_tracked"), "belongs on a send or reply step"),
                (&format!("{st}[2].label"), "belongs on a send step"),
                (&format!("{st}[3].expect"), "`allow` or `deny`"),
                (&format!("{st}[3].flags"), "belongs on a reply step"),
                (&format!("{st}[4].label"), "must not contain `@`"),
                (&format!("{st}[4].send.from"), "neither an IP address nor an instance"),
                (&format!("{st}[5].label"), "must not be empty"),
                (&format!("{st}[5].embeds"), "no earlier send step has this label"),
                (&format!("{st}[5].embeds"), "applies to ICMP errors only"),
                (&format!("{st}[7].label"), "a reply names its flow in `reply` itself"),
                (&format!("{st}[8].flags"), "`urgent` is not a TCP flag"),
                (&format!("{st}[10].flags"), "applies to tcp flows, and `dns` is udp"),
                (&format!("{st}[11].change"), "no security group"),
                (&format!("{st}[12].change"), "no rule with this id"),
                (&format!("{st}[12].expect_cleared"), "`label@instance`"),
                (&format!("{st}[13].expect_cleared"), "belongs on a change step"),
                (&format!("{st}[14].expect_connection.state"), "is not a state"),
                (&format!("{st}[15].expect_connection.label"), "no earlier send"),
                (&format!("{st}[15].expect_connection.instance"), "no instance"),
            ],
        );
    }

    #[test]
    fn a_change_is_read_against_the_world_as_the_earlier_steps_leave_it() {
        let change = |c: Value| json!({"change": c});
        let add = json!({"add_rule": {"group": "sg-a", "rule": {"id": "new", "direction": "ingress", "protocol": "udp"}}});
        let delete = json!({"delete_rule": {"group": "sg-a", "rule_id": "new"}});
        // Added, modified (merged into the added rule), deleted, added again: all fine.
        let modify = json!({"modify_rule": {"group": "sg-a", "rule_id": "new", "rule": {"multiport": "53"}}});
        let s = scenario(json!({"name": "s", "steps": [change(add.clone()), change(modify), change(delete.clone()), change(add.clone())]}))
            .expect("valid");
        let Action::Change { change: Change::ModifyRule { rule, .. }, .. } = &s.sequences[0].steps[1].action else { panic!() };
        assert_eq!(rule.protocol, crate::model::ProtocolMatch::Number(17));
        // A rule the world refuses, and a rule added twice, are errors of the document.
        let bad = json!({"add_rule": {"group": "sg-a", "rule": {"direction": "sideways"}}});
        errors(
            json!([change(bad), change(add.clone()), change(add)]),
            &[
                ("sequences[0].steps[0].change.add_rule.rule.direction", "must be `ingress` (inbound) or `egress` (outbound)"),
                ("sequences[0].steps[2].change.add_rule.rule.id", "already has a rule with this id"),
            ],
        );
    }

    #[test]
    fn bad_sequence_options_are_errors_at_their_paths() {
        let problems = scenario(json!({"name": "s", "conntrack_profile": "bsd", "cut_wait": "never", "steps": []})).unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["sequences[0].conntrack_profile", "sequences[0].cut_wait", "sequences[0].steps"]);
        assert!(problems[0].message.contains("`huawei`, `linux` or `alibaba`"), "{}", problems[0]);
    }

    #[test]
    fn an_icmp_error_embeds_an_earlier_connection() {
        let s = scenario(json!({"name": "s", "steps": [
            ssh(),
            {"send": {"from": "ecs-b", "to": "ecs-a", "protocol": "icmp", "icmp_type": 3, "icmp_code": 4}, "embeds": "ssh"}
        ]}))
        .expect("valid");
        assert!(matches!(&s.sequences[0].steps[1].action, Action::Send { embeds: Some(l), .. } if l == "ssh"));
        let problems = scenario(json!({"name": "s", "steps": [
            ssh(),
            {"send": {"from": "ecs-b", "to": "ecs-a", "protocol": "icmp"}, "embeds": "ssh"}
        ]}))
        .unwrap_err();
        assert_eq!(problems[0].path, "sequences[0].steps[1].embeds");
    }
}
