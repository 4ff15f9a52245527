//! # A front end's own labels, in the profile's words
//!
//! The explain layer writes the trace's sentences. A front end has labels of its own besides
//! (the rules table's headers and cells, the verdict badge, the rule editor's choices); they
//! come from here, keyed by the profile, so each cloud's vocabulary lives in one place and the
//! labels agree with the trace: Huawei's console says Allow/Deny, `tcp: 22`, Source and
//! Destination; Alibaba's says Accept/Drop, `TCP PortRange 22/22` (`-1/-1` for all),
//! authorization object.

use super::{alibaba, CloudProfile};
use crate::model::{Action, Direction, Rule};

impl CloudProfile {
    /// A rule's action: "Allow"/"Deny" (Huawei), "Accept"/"Drop" (Alibaba's `Policy`).
    pub fn action_word(self, action: Action) -> &'static str {
        match self {
            CloudProfile::Huawei => match action {
                Action::Allow => "Allow",
                Action::Deny => "Deny",
            },
            CloudProfile::Alibaba => alibaba::policy(action),
        }
    }

    /// What a rule does, as a verb: "allows"/"denies", "accepts"/"drops".
    pub fn action_verb(self, action: Action) -> &'static str {
        match (self, action) {
            (CloudProfile::Huawei, Action::Allow) => "allows",
            (CloudProfile::Huawei, Action::Deny) => "denies",
            (CloudProfile::Alibaba, Action::Allow) => "accepts",
            (CloudProfile::Alibaba, Action::Deny) => "drops",
        }
    }

    /// A verdict badge: "ALLOW"/"DENY" (Huawei), "ACCEPT"/"DROP" (Alibaba).
    pub fn verdict_word(self, allowed: bool) -> &'static str {
        match (self, allowed) {
            (CloudProfile::Huawei, true) => "ALLOW",
            (CloudProfile::Huawei, false) => "DENY",
            (CloudProfile::Alibaba, true) => "ACCEPT",
            (CloudProfile::Alibaba, false) => "DROP",
        }
    }

    /// What happened to a packet, as a legend says it: "allowed"/"denied", "accepted"/"dropped".
    pub fn outcome_word(self, allowed: bool) -> &'static str {
        match (self, allowed) {
            (CloudProfile::Huawei, true) => "allowed",
            (CloudProfile::Huawei, false) => "denied",
            (CloudProfile::Alibaba, true) => "accepted",
            (CloudProfile::Alibaba, false) => "dropped",
        }
    }

    /// The heading of the action column: "Action", or Alibaba's "Policy".
    pub fn action_heading(self) -> &'static str {
        match self {
            CloudProfile::Huawei => "Action",
            CloudProfile::Alibaba => "Policy",
        }
    }

    /// The heading of the protocol and port column.
    pub fn ports_heading(self) -> &'static str {
        match self {
            CloudProfile::Huawei => "Protocol & Port",
            CloudProfile::Alibaba => "Protocol & PortRange",
        }
    }

    /// The heading of the remote column: "Source" or "Destination" (Huawei), "Authorization
    /// object" (Alibaba, either direction).
    pub fn remote_heading(self, direction: Direction) -> &'static str {
        match (self, direction) {
            (CloudProfile::Huawei, Direction::Ingress) => "Source",
            (CloudProfile::Huawei, Direction::Egress) => "Destination",
            (CloudProfile::Alibaba, _) => "Authorization object",
        }
    }

    /// A rule's protocol and ports as the cloud's console writes them: `tcp: 22` (Huawei),
    /// `TCP PortRange 22/22`, `ALL PortRange -1/-1` (Alibaba).
    pub fn protocol_and_port(self, rule: &Rule) -> String {
        match self {
            CloudProfile::Huawei => rule.protocol_and_port(),
            CloudProfile::Alibaba => alibaba::protocol_and_port(rule),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{parse_ports, Ethertype, ProtocolMatch, Remote};

    fn ssh() -> Rule {
        Rule {
            id: "ssh".into(),
            direction: Direction::Ingress,
            ethertype: Ethertype::IPv4,
            protocol: ProtocolMatch::Number(crate::model::protocol::TCP),
            ports: parse_ports("22").unwrap(),
            action: Action::Allow,
            priority: 1,
            remote: Remote::Any,
            description: String::new(),
        }
    }

    #[test]
    fn each_profile_speaks_its_console_words() {
        use CloudProfile::{Alibaba, Huawei};
        assert_eq!([Huawei.action_word(Action::Allow), Huawei.action_word(Action::Deny)], ["Allow", "Deny"]);
        assert_eq!([Alibaba.action_word(Action::Allow), Alibaba.action_word(Action::Deny)], ["Accept", "Drop"]);
        assert_eq!([Huawei.verdict_word(true), Alibaba.verdict_word(false)], ["ALLOW", "DROP"]);
        assert_eq!(
            [Huawei.outcome_word(false), Alibaba.outcome_word(true), Alibaba.outcome_word(false)],
            ["denied", "accepted", "dropped"]
        );
        assert_eq!([Huawei.action_verb(Action::Deny), Alibaba.action_verb(Action::Allow)], ["denies", "accepts"]);
        assert_eq!(Huawei.remote_heading(Direction::Egress), "Destination");
        assert_eq!(Alibaba.remote_heading(Direction::Ingress), "Authorization object");
        assert_eq!(Alibaba.protocol_and_port(&ssh()), "TCP PortRange 22/22");
        assert_eq!(Huawei.protocol_and_port(&ssh()), ssh().protocol_and_port());
    }
}
