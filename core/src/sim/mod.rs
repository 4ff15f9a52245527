//! The stateful simulator, sans-IO: a world, one connection table per instance, a clock the
//! caller advances, and a log. Inputs are packets ([`Simulator::send`]), clock steps
//! ([`Simulator::advance`]) and changes to the world ([`Simulator::apply`]); each returns plain
//! data saying what happened, and every event also goes to the log.
//!
//! What it reproduces (SEMANTICS §5):
//! - a packet crosses the sides `eval::path::plan` gives; on each side the instance's table is
//!   consulted first: a packet of a tracked connection passes without the rules, in either
//!   direction; otherwise the side's rules decide, and an allowed packet opens an entry there
//!   (a side whose rules are bypassed, a load balancer with Transfer Client IP Address, still
//!   tracks the connection: only the rules are skipped);
//! - TCP follows netfilter's state machine (`conntrack::tcp`); invalid packets are dropped, and a
//!   packet that finds no entry and cannot open one (a SYN-ACK, FIN, RST, an echo reply, an ICMP
//!   error) is invalid at the first side that tracks it — `eval::evaluate` answers the same for
//!   a single packet;
//! - an ICMP error carries the header of the packet it reports on ([`Packet::embedded`]); where
//!   that packet's connection is tracked it is RELATED and passes without the rules, leaving the
//!   connection's state and timeout alone (netfilter `ct state related`, OVS `ct_state=+rel`);
//! - timeouts come from a [`Profile`] and restart on every packet;
//! - rule and membership changes clear inbound entries as the seed's clearing table says
//!   (`clearing`); a cleared connection's next packet is checked against the current rules, and a
//!   denied one is cut: blocked until its timeout runs out, counted from the cut or restarted by
//!   every blocked packet as the profile's [`CutWait`] option says (the seed is silent).
//!
//! Decisions where the seed is silent are stated in the event texts and trace notes.

pub mod alibaba_changes;
pub mod change;
pub mod clearing;
pub mod event;
pub mod send;
pub mod sequence_runner;
pub mod sync;
pub mod view;

pub use change::Change;
pub use clearing::{AppliedRow, ChangeReport, ClearedEntry, ClearingRow};
pub use event::{Event, EventKind};
pub use send::{Delivery, Touched};
pub use sequence_runner::run_sequence;
pub use sync::changes_between;
pub use view::ConnView;

use crate::conntrack::{ConnTable, Connection, CutWait, Profile};
use crate::model::World;
use crate::packet::Packet;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Simulator {
    world: World,
    profile: Profile,
    /// How a cut connection's wait is counted (an option of the timeout profile).
    #[serde(default)]
    cut_wait: CutWait,
    /// Seconds since the simulation started.
    now: u64,
    /// The id the next connection gets. Ids start at 1; 0 means "no connection".
    next_id: u64,
    /// Connection tables by instance id.
    tables: BTreeMap<String, ConnTable>,
    log: Vec<Event>,
}

impl Simulator {
    /// A simulator at t=0 with empty tables.
    pub fn new(world: World, profile: Profile) -> Simulator {
        Simulator { world, profile, cut_wait: CutWait::default(), now: 0, next_id: 1, tables: BTreeMap::new(), log: Vec::new() }
    }

    /// The same simulator counting cut connections' waits as `cut_wait` says.
    pub fn with_cut_wait(mut self, cut_wait: CutWait) -> Simulator {
        self.cut_wait = cut_wait;
        self
    }

    pub fn cut_wait(&self) -> CutWait {
        self.cut_wait
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// Seconds on the simulated clock.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// Every event so far, oldest first.
    pub fn events(&self) -> &[Event] {
        &self.log
    }

    /// Moves the clock forward and removes the entries whose timeout ran out, returning (and
    /// logging) an `expired` event for each.
    pub fn advance(&mut self, secs: u64) -> Vec<Event> {
        self.now = self.now.saturating_add(secs);
        let now = self.now;
        let mut events = Vec::new();
        for (instance_id, table) in &mut self.tables {
            let name = self.world.instance(instance_id).map_or(instance_id.as_str(), |i| i.display_name());
            for conn in table.expire(now) {
                let why = match conn.status {
                    crate::conntrack::Status::Cut { at, .. } => {
                        format!("it was cut at t={at}; from now on a new packet of this flow is checked against the rules as a new connection")
                    }
                    _ => format!("no packet for {} s (last at t={})", conn.expires_at.saturating_sub(conn.last_seen), conn.last_seen),
                };
                let text = format!("connection #{} ({}, {}) on {name} expired in state {}: {why}", conn.id, conn.key, conn.opened, conn.state);
                events.push(Event::connection(now, EventKind::Expired, conn.id, instance_id, text));
            }
        }
        self.log.extend(events.iter().cloned());
        events
    }

    /// One instance's table, if it has ever held an entry.
    pub fn table(&self, instance_id: &str) -> Option<&ConnTable> {
        self.tables.get(instance_id)
    }

    /// Every table, by instance id.
    pub fn tables(&self) -> &BTreeMap<String, ConnTable> {
        &self.tables
    }

    /// The entry `packet` belongs to on `instance_id`, in either direction.
    pub fn lookup(&self, instance_id: &str, packet: &Packet) -> Option<&Connection> {
        let table = self.tables.get(instance_id)?;
        let (id, _) = table.find(packet)?;
        table.get(id)
    }

    /// A connection by id, on whichever instance holds it.
    pub fn connection(&self, id: u64) -> Option<&Connection> {
        self.tables.values().find_map(|t| t.get(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ProbeSpec, Scenario, Verdict};

    const WORLD: &str = r#"{
      "security_groups": [
        {"id": "sg-a", "rules": [
          {"id": "A-out", "direction": "egress"}
        ]},
        {"id": "sg-b", "rules": [
          {"id": "B-ssh", "direction": "ingress", "protocol": "tcp", "multiport": "22", "remote_group_id": "sg-a"},
          {"id": "B-out", "direction": "egress"}
        ]}
      ],
      "instances": [
        {"id": "a", "ip": "10.0.0.1", "security_groups": ["sg-a"]},
        {"id": "b", "ip": "10.0.0.2", "security_groups": ["sg-b"]}
      ]
    }"#;

    fn sim() -> Simulator {
        Simulator::new(Scenario::from_json(WORLD).unwrap().world, Profile::Huawei)
    }

    fn packet(sim: &Simulator, from: &str, to: &str, port: u16) -> Packet {
        ProbeSpec { from: from.into(), to: to.into(), protocol: "tcp".into(), port: Some(port), ..Default::default() }.resolve(sim.world()).unwrap()
    }

    #[test]
    fn a_handshake_opens_entries_on_both_instances() {
        let mut s = sim();
        let syn = packet(&s, "a", "b", 22);
        let d = s.send(&syn);
        assert_eq!(d.evaluation.verdict, Verdict::Allow);
        assert_eq!(d.connections.len(), 2);
        let synack = s.send(&syn.reply());
        assert_eq!(synack.evaluation.verdict, Verdict::Allow);
        assert_eq!(s.lookup("b", &syn).unwrap().state.name(), "SYN_RECV");
        assert_eq!(s.lookup("a", &syn).unwrap().state.name(), "SYN_RECV");
        assert_eq!(s.events().iter().filter(|e| e.kind == EventKind::Opened).count(), 2);
    }

    #[test]
    fn entries_expire_when_the_clock_passes_their_timeout() {
        let mut s = sim();
        let syn = packet(&s, "a", "b", 22);
        s.send(&syn);
        assert!(s.advance(29).is_empty());
        let gone = s.advance(1);
        assert_eq!(gone.len(), 2);
        assert!(gone[0].text.contains("expired in state SYN_SENT"), "{}", gone[0].text);
        assert!(s.lookup("b", &syn).is_none());
        assert_eq!(s.now(), 30);
    }

    #[test]
    fn the_simulator_round_trips_through_json() {
        let mut s = sim();
        let syn = packet(&s, "a", "b", 22);
        s.send(&syn);
        let text = serde_json::to_string(&s).unwrap();
        let back: Simulator = serde_json::from_str(&text).unwrap();
        assert_eq!(back, s);
    }
}
