//! The trace of one evaluation: every group, every rule looked at, every field tested.
//! Serialisable as is; `explain` turns it into sentences.

use crate::model::RemoteAddress;
use crate::model::{Action, Direction, Place};
use crate::packet::Packet;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Allow,
    Deny,
}

impl Verdict {
    pub fn is_allow(self) -> bool {
        self == Verdict::Allow
    }
}

impl From<Action> for Verdict {
    fn from(a: Action) -> Self {
        match a {
            Action::Allow => Verdict::Allow,
            Action::Deny => Verdict::Deny,
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Verdict::Allow => "allow",
            Verdict::Deny => "deny",
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Ethertype,
    Protocol,
    Port,
    Remote,
}

/// One field of one rule tested against the packet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldCheck {
    pub field: Field,
    pub passed: bool,
    /// "tcp 22 is in 22,25,27", "10.0.0.7 is not in 192.168.0.0/16".
    pub detail: String,
    /// Which list element decided: the port list element or the address group entry (0-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<usize>,
    /// For a remote security group: the member instance whose private address matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
}

/// One rule looked at, in evaluation order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleTrace {
    pub rule_id: String,
    /// 1-based position in the group's evaluation order (priority, then deny before allow).
    pub order: usize,
    /// 0-based position in the group's rule list as written.
    pub index: usize,
    pub priority: u8,
    pub action: Action,
    pub protocol_and_port: String,
    pub remote: String,
    pub checks: Vec<FieldCheck>,
    pub matched: bool,
    /// The rule's group, in an aggregated list of several groups' rules (Alibaba).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupRef>,
    /// One of the engine's implicit default rules (an Alibaba basic group's), not a written one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub implicit: bool,
}

/// A group named in a trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRef {
    pub id: String,
    pub name: String,
    /// Sequence number on the instance, 1 first.
    pub sequence: usize,
    /// `basic`, `basic_isolated` or `enterprise` (Alibaba).
    pub kind: crate::profile::GroupKind,
}

impl RuleTrace {
    pub fn failed_checks(&self) -> impl Iterator<Item = &FieldCheck> {
        self.checks.iter().filter(|c| !c.passed)
    }
}

/// A deny rule decided although allow rules of the same priority matched too.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TieBreak {
    pub priority: u8,
    pub deny_rule: String,
    pub beaten_allow_rules: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum GroupOutcome {
    /// A rule of this group matched and decided.
    Decided { rule_id: String, action: Action },
    /// No rule of this group matched: the next group is consulted.
    NoMatch,
    /// An earlier group decided; this one was not looked at.
    NotConsulted,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupTrace {
    pub group_id: String,
    pub group_name: String,
    /// Sequence number on the instance, 1 first.
    pub sequence: usize,
    /// How many groups the instance has.
    pub of: usize,
    pub outcome: GroupOutcome,
    /// Rules of the packet's direction in evaluation order, up to the deciding one.
    pub rules: Vec<RuleTrace>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tie_break: Option<TieBreak>,
    /// Not one group but the rules of all these groups sorted together (Alibaba's aggregated
    /// order); `group_id` is then empty and each rule names its group.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aggregated: Vec<GroupRef>,
}

impl GroupTrace {
    pub fn is_aggregated(&self) -> bool {
        !self.aggregated.is_empty()
    }
}

/// What decided one side of the path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum HopDecision {
    /// A rule matched.
    Rule { group_id: String, sequence: usize, rule_id: String, priority: u8, action: Action },
    /// No rule in any group matched: security groups are whitelists.
    DefaultDeny,
    /// Rules were not consulted (e.g. a load balancer with Transfer Client IP Address on).
    Bypass { reason: String },
    /// The packet belongs to a tracked connection (see `sim`).
    Tracked { connection_id: u64, reason: String },
    /// An ICMP error about a packet of a tracked connection: RELATED to it, it passes without the
    /// rules, like netfilter's `ct state related`.
    Related { connection_id: u64, reason: String },
    /// The packet belongs to a connection that was cut and stays blocked until its timeout.
    Cut { connection_id: u64, blocked_until: u64 },
    /// The connection tracker rejected the packet (invalid TCP state transition).
    Invalid { connection_id: u64, reason: String },
}

impl HopDecision {
    pub fn verdict(&self) -> Verdict {
        match self {
            HopDecision::Rule { action, .. } => (*action).into(),
            HopDecision::Bypass { .. } | HopDecision::Tracked { .. } | HopDecision::Related { .. } => Verdict::Allow,
            HopDecision::DefaultDeny | HopDecision::Cut { .. } | HopDecision::Invalid { .. } => Verdict::Deny,
        }
    }
}

/// One side a packet crosses: the source's outbound rules or the destination's inbound rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HopTrace {
    pub instance_id: String,
    pub instance_name: String,
    pub direction: Direction,
    /// The address the rules compare with their remote: the source for inbound, the destination
    /// for outbound. In JSON the bare address, or `{"sent_from": …}` for an unknown public source.
    pub remote_address: RemoteAddress,
    pub decision: HopDecision,
    pub groups: Vec<GroupTrace>,
}

impl HopTrace {
    pub fn verdict(&self) -> Verdict {
        self.decision.verdict()
    }
}

/// Could the packet arrive at all, whatever the security groups say: the structured path outcome
/// (`eval::route` decides it; `explain::describe_path` says it in words).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Reachability {
    #[default]
    Reachable,
    /// The ends sit in two VPCs with no peering between them.
    NoPeering { from_vpc: String, to_vpc: String },
    /// From outside the VPCs to a private address (`to`: the instance holding it).
    PrivateFromOutside { to: Option<String> },
    /// The source instance has no EIP and its subnet no NAT gateway SNAT.
    NoPublicAddress { from: String },
}

impl Reachability {
    pub fn is_reachable(&self) -> bool {
        *self == Reachability::Reachable
    }
}

/// The full answer for one packet between two places.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub verdict: Verdict,
    pub packet: Packet,
    pub from: Place,
    pub to: Place,
    /// In the order the packet crosses them; evaluation stops at the first hop that denies.
    pub hops: Vec<HopTrace>,
    /// Interpretations and facts about the path the reader should know.
    pub notes: Vec<String>,
    /// Whether such a packet could arrive at all; the verdict is the security groups' either way.
    #[serde(default)]
    pub path: Reachability,
}

impl Evaluation {
    /// The hop that denied, if any.
    pub fn denied_at(&self) -> Option<&HopTrace> {
        self.hops.iter().find(|h| !h.verdict().is_allow())
    }

    /// The deciding rule of each hop that a rule decided: `(instance, group, rule)`.
    pub fn deciding_rules(&self) -> Vec<(&str, &str, &str)> {
        self.hops
            .iter()
            .filter_map(|h| match &h.decision {
                HopDecision::Rule { group_id, rule_id, .. } => Some((h.instance_id.as_str(), group_id.as_str(), rule_id.as_str())),
                _ => None,
            })
            .collect()
    }
}
