//! Stateful test sequences as written in a scenario file: send packets, send replies, advance the
//! simulated clock, change rules or membership, and expect verdicts and connection states.
//! The file format only: `steps::Sequence::parse` reads them into typed steps, which
//! `sim::run_sequence` executes.

use super::probe::ProbeSpec;
use super::rule_spec::RuleSpec;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SequenceSpec {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// `huawei`, `linux` or `alibaba` (910 s sessions): which timeout table the tracker uses;
    /// absent: the scenario profile's (`alibaba` under the Alibaba profile, else `huawei`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conntrack_profile: Option<String>,
    /// How a cut connection's wait is counted, an option of the timeout profile: `from_cut`
    /// (default: blocked packets do not extend it) or `restart_on_packet` (each one restarts it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut_wait: Option<String>,
    #[serde(deserialize_with = "super::objects::objects")]
    pub steps: Vec<StepSpec>,
}

/// One step: exactly one of `send`, `reply`, `advance`, `change`, `expect_connection`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    /// Send a packet. `label` names its connection for later `reply` and `expect_connection`.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::objects::object")]
    pub send: Option<ProbeSpec>,
    /// Send the reply to the last packet of the labelled connection (addresses and ports swapped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    /// Advance the simulated clock by this many seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advance: Option<u64>,
    /// Change the world: rules, membership, address group entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<ChangeSpec>,
    /// Check a connection's state on one instance without sending anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_connection: Option<ConnectionExpectation>,

    /// For `send`: the name of the connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// For `send` of an ICMP error (destination unreachable, packet too big, time exceeded, …):
    /// the label of the connection whose last packet the error reports on; the error carries
    /// that packet's header and is RELATED to the connection wherever it is tracked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embeds: Option<String>,
    /// For `reply`: TCP flags of the reply (default: the natural answer, SYN → SYN-ACK, else ACK).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<String>,
    /// For `send`/`reply`: `allow` or `deny`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<String>,
    /// For `send`/`reply`: the id of the rule that must have decided some side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_rule: Option<String>,
    /// For `send`/`reply`: true when the packet must have passed on a tracked connection rather
    /// than by a rule (on every side it crossed), false when by rules only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_tracked: Option<bool>,
    /// For `change`: labels of the connections whose entries the change must clear, as
    /// `label@instance` (exactly these; an empty list means none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_cleared: Option<Vec<String>>,
    /// Free text shown in reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl StepSpec {
    /// The actions this step names, of `send`, `reply`, `advance`, `change`,
    /// `expect_connection`; a well-formed step names exactly one.
    pub fn actions(&self) -> Vec<&'static str> {
        [
            ("send", self.send.is_some()),
            ("reply", self.reply.is_some()),
            ("advance", self.advance.is_some()),
            ("change", self.change.is_some()),
            ("expect_connection", self.expect_connection.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect()
    }
}

/// The state of a labelled connection's entry on one instance.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionExpectation {
    pub label: String,
    pub instance: String,
    /// A TCP state (`SYN_SENT`, `ESTABLISHED`, `FIN_WAIT`, …), `UNREPLIED` / `REPLIED` for
    /// UDP, ICMP and other protocols, `CUT` for a cut connection, `NONE` when no entry exists.
    pub state: String,
    /// Seconds until the entry expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<u64>,
}

/// The fields a `modify_rule` sets, as written: a field given as `null` is kept (it resets the
/// field), unlike a field left out. The merged rule is then validated exactly as an added rule.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RulePatch(pub serde_json::Map<String, serde_json::Value>);

impl RulePatch {
    /// The patch setting the fields `spec` gives (fields it leaves out stay as they are).
    pub fn from_spec(spec: &RuleSpec) -> RulePatch {
        match serde_json::to_value(spec) {
            Ok(serde_json::Value::Object(map)) => RulePatch(map),
            _ => RulePatch::default(),
        }
    }
}

/// A change to the world, in the words of the clearing table (SEMANTICS §5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ChangeSpec {
    AddRule {
        group: String,
        rule: RuleSpec,
    },
    DeleteRule {
        group: String,
        rule_id: String,
    },
    /// Fields given in `rule` replace the rule's fields; the rest stay. `null` sets a field back
    /// to what an added rule gets without it (`"protocol": null` = all protocols).
    ModifyRule {
        group: String,
        rule_id: String,
        rule: RulePatch,
    },
    /// Associates the group with the instance, last in its sequence unless `position` (1-based).
    AddMember {
        group: String,
        instance: String,
        #[serde(default)]
        position: Option<usize>,
    },
    RemoveMember {
        group: String,
        instance: String,
    },
    AddAddressEntry {
        address_group: String,
        entry: String,
    },
    RemoveAddressEntry {
        address_group: String,
        entry: String,
    },
}
