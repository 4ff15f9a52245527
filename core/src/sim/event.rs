//! The simulator's log: what happened to which connection, when, in words.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A packet allowed by the rules opened a connection.
    Opened,
    /// A TCP state changed, or a non-TCP connection saw its first reply.
    StateChanged,
    /// A rule or membership change cleared an inbound entry.
    Cleared,
    /// A cleared entry's next packet was allowed by the current rules: the connection goes on.
    Readmitted,
    /// A cleared entry's next packet was denied by the current rules: the connection is cut.
    Cut,
    /// The entry's timeout ran out.
    Expired,
    /// The entry was destroyed before its timeout (a SYN reopening a closed TCP connection).
    Closed,
    /// The world changed (rules, membership, address groups).
    Changed,
}

impl EventKind {
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Opened => "opened",
            EventKind::StateChanged => "state",
            EventKind::Cleared => "cleared",
            EventKind::Readmitted => "readmitted",
            EventKind::Cut => "cut",
            EventKind::Expired => "expired",
            EventKind::Closed => "closed",
            EventKind::Changed => "changed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Seconds on the simulated clock.
    pub at: u64,
    pub kind: EventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<u64>,
    /// The instance whose table holds the connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    pub text: String,
}

impl Event {
    pub fn connection(at: u64, kind: EventKind, connection_id: u64, instance_id: &str, text: String) -> Event {
        Event { at, kind, connection_id: Some(connection_id), instance_id: Some(instance_id.to_string()), text }
    }

    pub fn world(at: u64, text: String) -> Event {
        Event { at, kind: EventKind::Changed, connection_id: None, instance_id: None, text }
    }
}

impl fmt::Display for Event {
    /// `t=30 expired: connection #3 …`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t={} {}: {}", self.at, self.kind.label(), self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_json() {
        let e = Event::connection(30, EventKind::Expired, 3, "ecs-b", "connection #3 expired".into());
        assert_eq!(e.to_string(), "t=30 expired: connection #3 expired");
        let w = serde_json::to_value(Event::world(5, "rule added".into())).unwrap();
        assert_eq!(w, serde_json::json!({"at": 5, "kind": "changed", "text": "rule added"}));
    }
}
