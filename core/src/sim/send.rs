//! Sending one packet through the simulator: the path from `eval::path::plan`, and on each side
//! the instance's connection table before its rules.

use super::event::{Event, EventKind};
use super::Simulator;
use crate::conntrack::connection::untracked_invalid_words;
use crate::conntrack::key::is_icmp_error_type;
use crate::conntrack::{AdmittedBy, ConnState, ConnTable, Connection, CutWait, FlowDirection, FlowKey, Opened, Profile, Status, Track};
use crate::eval::path::{plan, Side};
use crate::eval::{trace_side, Evaluation, HopDecision, HopTrace, Verdict};
use crate::model::{Action, Direction, Instance, RemoteAddress, World};
use crate::packet::Packet;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What happened to one packet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The trace, as `eval::evaluate` gives it; hops decided by the tracker carry `Tracked`,
    /// `Cut` or `Invalid` and no groups. `Invalid { connection_id: 0 }` means the packet had no
    /// connection and cannot open one (a SYN-ACK, FIN, RST or ICMP echo reply out of nowhere).
    pub evaluation: Evaluation,
    /// The connections the packet opened or moved, by instance.
    pub connections: Vec<Touched>,
    /// What the packet did to the tables (also in the log).
    pub events: Vec<Event>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Touched {
    pub instance_id: String,
    pub connection_id: u64,
}

impl Simulator {
    /// Sends `packet` at the current time. Stops at the first side that denies, like
    /// `eval::evaluate`; the sides before it have already tracked the packet.
    pub fn send(&mut self, packet: &Packet) -> Delivery {
        let Simulator { world, profile, cut_wait, now, next_id, tables, log } = self;
        let world: &World = world;
        let plan = plan(world, packet);
        let mut ctx = Crossing {
            world,
            now: *now,
            profile: *profile,
            cut_wait: *cut_wait,
            next_id,
            tables,
            events: Vec::new(),
            notes: Vec::new(),
            touched: Vec::new(),
        };
        let mut hops = Vec::new();
        for side in &plan.sides {
            let hop = match side {
                Side::Rules { instance, direction, remote } => ctx.cross(instance, *direction, *remote, None, packet),
                // The rules are skipped, not the connection tracker.
                Side::Bypass { instance, direction, remote, reason } => {
                    ctx.cross(instance, *direction, RemoteAddress::Known(*remote), Some(reason), packet)
                }
            };
            let denied = !hop.verdict().is_allow();
            hops.push(hop);
            if denied {
                break;
            }
        }
        let verdict = if hops.iter().all(|h| h.verdict().is_allow()) { Verdict::Allow } else { Verdict::Deny };
        let mut notes = plan.notes.clone();
        notes.extend(ctx.notes);
        log.extend(ctx.events.iter().cloned());
        Delivery {
            evaluation: Evaluation {
                verdict,
                packet: packet.clone(),
                from: plan.from.clone(),
                to: plan.to.clone(),
                hops,
                notes,
                path: plan.path.clone(),
            },
            connections: ctx.touched,
            events: ctx.events,
        }
    }
}

/// The state one `send` works on: the simulator's parts, borrowed separately.
struct Crossing<'a> {
    world: &'a World,
    now: u64,
    profile: Profile,
    cut_wait: CutWait,
    next_id: &'a mut u64,
    tables: &'a mut BTreeMap<String, ConnTable>,
    events: Vec<Event>,
    notes: Vec<String>,
    touched: Vec<Touched>,
}

/// A hop the tracker decided: no rules were consulted, so no groups.
fn tracker_hop(instance: &Instance, direction: Direction, remote: RemoteAddress, decision: HopDecision) -> HopTrace {
    HopTrace {
        instance_id: instance.id.clone(),
        instance_name: instance.display_name().to_string(),
        direction,
        remote_address: remote,
        decision,
        groups: Vec::new(),
    }
}

impl Crossing<'_> {
    /// One side: the instance's table first, then its rules (unless `bypass` says why they are
    /// not consulted on this side).
    fn cross(
        &mut self,
        instance: &Instance,
        direction: Direction,
        remote: RemoteAddress,
        bypass: Option<&str>,
        packet: &Packet,
    ) -> HopTrace {
        if let Some(hop) = self.related(instance, direction, remote, packet) {
            return hop;
        }
        let found = self.tables.get(&instance.id).and_then(|t| t.find(packet));
        if let Some((id, dir)) = found {
            if let Some(hop) = self.existing(instance, direction, remote, packet, id, dir) {
                return hop;
            }
        }
        self.open(instance, direction, remote, bypass, packet)
    }

    /// An ICMP error whose embedded header is a packet of a connection this instance tracks: RELATED
    /// to it, it passes without the rules (netfilter's `ct state related`, OVS's `ct_state=+rel`)
    /// and leaves the connection's state and timeout as they are (the kernel hands it no packet
    /// of its own). `None` when the packet is not such an error.
    fn related(&mut self, instance: &Instance, direction: Direction, remote: RemoteAddress, packet: &Packet) -> Option<HopTrace> {
        let embedded = packet.embedded.as_deref().filter(|_| packet.is_icmp() && is_icmp_error_type(packet.protocol, packet.icmp_type))?;
        let (id, _) = self.tables.get(&instance.id)?.find(embedded)?;
        let conn = self.tables.get(&instance.id)?.get(id)?;
        self.touched.push(Touched { instance_id: instance.id.clone(), connection_id: id });
        if let Status::Cut { until, .. } = conn.status {
            return Some(tracker_hop(instance, direction, remote, HopDecision::Cut { connection_id: id, blocked_until: until }));
        }
        let reason = format!(
            "ICMP type {} error about a packet of connection #{id} ({}, opened {} at t={}, {}), which {} tracks: RELATED to it, it passes regardless of the rules (netfilter `ct state related`); the connection's state and timeout are unchanged",
            packet.icmp_type,
            conn.key,
            conn.opened,
            conn.opened_at,
            conn.state,
            instance.display_name()
        );
        Some(tracker_hop(instance, direction, remote, HopDecision::Related { connection_id: id, reason }))
    }

    /// A packet of a tracked connection. `None` when the packet reopened (destroyed) the entry and
    /// must be looked at as a new connection.
    fn existing(
        &mut self,
        instance: &Instance,
        direction: Direction,
        remote: RemoteAddress,
        packet: &Packet,
        id: u64,
        dir: FlowDirection,
    ) -> Option<HopTrace> {
        let (world, now, profile) = (self.world, self.now, self.profile);
        let name = instance.display_name();
        let table = self.tables.get_mut(&instance.id)?;
        let conn = table.get_mut(id)?;
        self.touched.push(Touched { instance_id: instance.id.clone(), connection_id: id });

        if let Status::Cut { at, until } = conn.status {
            let until = match self.cut_wait {
                CutWait::FromCut => until,
                CutWait::RestartOnPacket => {
                    let restarted = now.saturating_add(conn.timeout(profile));
                    conn.status = Status::Cut { at, until: restarted };
                    conn.expires_at = restarted;
                    restarted
                }
            };
            self.notes.push(format!("connection #{id} on {name} was cut at t={at}: {}; blocked until t={until}", self.cut_wait.describe()));
            return Some(tracker_hop(instance, direction, remote, HopDecision::Cut { connection_id: id, blocked_until: until }));
        }

        // A cleared entry: the connection is checked against the current rules as a new one.
        let mut shown: Option<HopTrace> = None;
        if let Status::Cleared { at } = conn.status {
            let opened_dir = conn.opened.direction();
            // The packet itself is the connection's opening direction on this side: show its own
            // trace. Otherwise (a reply) re-check the packet that opened the connection.
            let live = dir == FlowDirection::Original && direction == opened_dir;
            let check = match &conn.admitted_by {
                // Admitted without the rules: still not filtered by them.
                AdmittedBy::Bypass { reason } => {
                    tracker_hop(instance, opened_dir, conn.remote, HopDecision::Bypass { reason: reason.clone() })
                }
                AdmittedBy::Rule { .. } if live => trace_side(world, instance, direction, packet, remote),
                AdmittedBy::Rule { .. } => trace_side(world, instance, opened_dir, &conn.opening, conn.remote),
            };
            let decided = decision_words(world, &check.decision);
            let head = format!(
                "connection #{id} ({}, opened {} at t={}) on {name} was cleared at t={at} by a rule change; its next packet is checked against the current {} rules of {name} as a new connection",
                conn.key, conn.opened, conn.opened_at, conn.opened
            );
            if !check.verdict().is_allow() {
                let secs = conn.timeout(profile);
                let until = now.saturating_add(secs);
                conn.status = Status::Cut { at: now, until };
                conn.expires_at = until;
                let text = format!(
                    "{head}: {decided}. The connection is cut: every packet of it is blocked until t={until}, its {} timeout of {secs} s counted from the cut, even if the rules allow it again meanwhile; {} (SEMANTICS §5 interpretation of the seed's \"new connections will not be established immediately until the timeout period of connection tracking expires\")",
                    conn.state,
                    self.cut_wait.describe()
                );
                self.notes.push(text.clone());
                self.events.push(Event::connection(now, EventKind::Cut, id, &instance.id, text));
                let hop = if live {
                    check
                } else {
                    tracker_hop(instance, direction, remote, HopDecision::Cut { connection_id: id, blocked_until: until })
                };
                return Some(hop);
            }
            conn.status = Status::Active;
            if let HopDecision::Rule { group_id, rule_id, .. } = &check.decision {
                conn.admitted_by = AdmittedBy::Rule { group_id: group_id.clone(), rule_id: rule_id.clone() };
            }
            let text = format!("{head}: {decided}, so the connection goes on in state {}", conn.state);
            self.notes.push(text.clone());
            self.events.push(Event::connection(now, EventKind::Readmitted, id, &instance.id, text));
            if live {
                shown = Some(check);
            }
        }

        let tracked = |conn: &Connection, states: String| {
            let by = admitted_words(world, &conn.admitted_by);
            let reason = match dir {
                FlowDirection::Original => format!(
                    "packet of connection #{id}, opened {} at t={} {by} ({states}): tracked connections pass without consulting the rules",
                    conn.opened, conn.opened_at
                ),
                FlowDirection::Reply => format!(
                    "reply on connection #{id}, opened {} at t={} {by} ({states}): replies pass regardless of the rules",
                    conn.opened, conn.opened_at
                ),
            };
            HopDecision::Tracked { connection_id: id, reason }
        };
        match conn.track(dir, packet, now, profile) {
            Track::Invalid { reason } => {
                let reason = format!(
                    "{reason}; connection #{id} is unchanged and the packet is dropped (invalid packets are dropped: interpretation)"
                );
                Some(tracker_hop(instance, direction, remote, HopDecision::Invalid { connection_id: id, reason }))
            }
            Track::Ignored { state } => {
                let decision = tracked(
                    conn,
                    format!("{state}; netfilter IGNOREs a [{}] here: it passes, state and timeout unchanged", packet.tcp_flags),
                );
                Some(shown.unwrap_or_else(|| tracker_hop(instance, direction, remote, decision)))
            }
            Track::Moved { from, to } => {
                let secs = conn.seconds_left(now);
                let states =
                    if from == to { format!("{to}, expires in {secs} s") } else { format!("{from} → {to}, expires in {secs} s") };
                if from != to {
                    let what = if packet.protocol == crate::model::protocol::TCP {
                        format!("[{}]", packet.tcp_flags)
                    } else {
                        "a packet".to_string()
                    };
                    let origin = match to {
                        ConnState::Tcp(s) => profile.tcp_origin(s),
                        _ => profile.other_origin(),
                    };
                    let text = format!(
                        "connection #{id} ({}) on {name}: {from} → {to} on {what} in the {} direction; expires in {secs} s ({profile} profile, {})",
                        conn.key,
                        dir.label(),
                        origin.label()
                    );
                    self.events.push(Event::connection(now, EventKind::StateChanged, id, &instance.id, text));
                }
                let decision = tracked(conn, states);
                Some(shown.unwrap_or_else(|| tracker_hop(instance, direction, remote, decision)))
            }
            Track::Killed { from } => {
                let text = format!(
                    "connection #{id} ({}) on {name} was in {from} and had seen no reply when a [{}] arrived: netfilter deletes such an entry at once and lets the RST through, so the next packet of this flow is checked against the rules as a new connection",
                    conn.key, packet.tcp_flags
                );
                let decision = HopDecision::Tracked { connection_id: id, reason: text.clone() };
                table.remove(id);
                self.events.push(Event::connection(now, EventKind::Closed, id, &instance.id, text));
                Some(shown.unwrap_or_else(|| tracker_hop(instance, direction, remote, decision)))
            }
            Track::Reopen { state } => {
                let text = format!(
                    "connection #{id} ({}) on {name} was in {state} when a [{}] arrived: netfilter destroys the old entry and the SYN opens a new connection, checked against the rules",
                    conn.key, packet.tcp_flags
                );
                table.remove(id);
                self.touched.retain(|t| !(t.connection_id == id && t.instance_id == instance.id));
                self.events.push(Event::connection(now, EventKind::Closed, id, &instance.id, text));
                None
            }
        }
    }

    /// No entry: the side's rules decide (or are bypassed), and an allowed packet opens a
    /// connection.
    fn open(
        &mut self,
        instance: &Instance,
        direction: Direction,
        remote: RemoteAddress,
        bypass: Option<&str>,
        packet: &Packet,
    ) -> HopTrace {
        let state = match Connection::initial_state(packet) {
            Ok(s) => s,
            Err(reason) => {
                let reason = untracked_invalid_words(&reason);
                return tracker_hop(instance, direction, remote, HopDecision::Invalid { connection_id: 0, reason });
            }
        };
        let (hop, admitted_by) = match bypass {
            Some(reason) => {
                let hop = tracker_hop(instance, direction, remote, HopDecision::Bypass { reason: reason.to_string() });
                (hop, AdmittedBy::Bypass { reason: reason.to_string() })
            }
            None => {
                let hop = trace_side(self.world, instance, direction, packet, remote);
                let HopDecision::Rule { action: Action::Allow, group_id, rule_id, .. } = &hop.decision else {
                    return hop;
                };
                let by = AdmittedBy::Rule { group_id: group_id.clone(), rule_id: rule_id.clone() };
                (hop, by)
            }
        };
        let id = *self.next_id;
        *self.next_id = id.saturating_add(1);
        let mut conn = Connection {
            id,
            instance_id: instance.id.clone(),
            key: FlowKey::of(packet),
            opened: Opened::from_direction(direction),
            state,
            assured: false,
            opened_at: self.now,
            last_seen: self.now,
            expires_at: self.now,
            admitted_by,
            status: Status::Active,
            opening: packet.clone(),
            remote,
            tcp: crate::conntrack::TcpHistory {
                close_init: false,
                last: (packet.protocol == crate::model::protocol::TCP)
                    .then(|| (FlowDirection::Original, crate::conntrack::FlagClass::of(packet.tcp_flags))),
            },
        };
        conn.refresh(self.now, self.profile);
        let origin = match state {
            ConnState::Tcp(s) => self.profile.tcp_origin(s),
            _ => self.profile.other_origin(),
        };
        let pickup = if packet.protocol == crate::model::protocol::TCP && !packet.tcp_flags.contains(crate::packet::TcpFlags::SYN) {
            "; an ACK with no tracked connection is picked up mid-stream as ESTABLISHED, as netfilter does"
        } else {
            ""
        };
        let text = format!(
            "connection #{id} ({}) opened {} on {} {}: {state}, expires in {} s ({} profile, {}){pickup}",
            conn.key,
            conn.opened,
            instance.display_name(),
            admitted_words(self.world, &conn.admitted_by),
            conn.seconds_left(self.now),
            self.profile,
            origin.label()
        );
        self.events.push(Event::connection(self.now, EventKind::Opened, id, &instance.id, text));
        self.touched.push(Touched { instance_id: instance.id.clone(), connection_id: id });
        self.tables.entry(instance.id.clone()).or_default().insert(conn);
        hop
    }
}

/// "by rule B01 of Sg-B", "without its rules (they are bypassed on this side)"
fn admitted_words(world: &World, by: &AdmittedBy) -> String {
    match by {
        AdmittedBy::Rule { group_id, rule_id } => {
            let group = world.group(group_id).map_or(group_id.as_str(), |g| g.name.as_str());
            format!("by rule {rule_id} of {group}")
        }
        AdmittedBy::Bypass { .. } => "without its rules (they are bypassed on this side)".into(),
    }
}

/// "allowed by rule B01 (priority 1) of Sg-B", "denied: no rule matched (security groups are whitelists)"
fn decision_words(world: &World, decision: &HopDecision) -> String {
    match decision {
        HopDecision::Rule { group_id, rule_id, action, priority, .. } => {
            let group = world.group(group_id).map_or(group_id.as_str(), |g| g.name.as_str());
            let verb = if *action == Action::Allow { "allowed" } else { "denied" };
            format!("{verb} by rule {rule_id} (priority {priority}) of {group}")
        }
        HopDecision::DefaultDeny => "denied: no rule matched (security groups are whitelists)".into(),
        HopDecision::Bypass { reason } => format!("not filtered: {reason}"),
        HopDecision::Tracked { reason, .. } | HopDecision::Related { reason, .. } | HopDecision::Invalid { reason, .. } => reason.clone(),
        HopDecision::Cut { connection_id, blocked_until } => format!("connection #{connection_id} is cut until t={blocked_until}"),
    }
}

#[cfg(test)]
mod tests {
    use crate::conntrack::Profile;
    use crate::eval::HopDecision;
    use crate::sim::Simulator;
    use crate::{ProbeSpec, Scenario, Verdict};

    #[test]
    fn sides_that_bypass_the_rules_still_track() {
        let world = Scenario::from_json(
            r#"{
              "security_groups": [{"id": "sg-web", "rules": [{"id": "W-out", "direction": "egress"}]}],
              "instances": [
                {"id": "lb", "kind": "load_balancer", "transfer_client_ip": true, "ip": "10.0.0.9"},
                {"id": "web", "ip": "10.0.0.2", "security_groups": ["sg-web"]}
              ]
            }"#,
        )
        .unwrap()
        .world;
        let mut sim = Simulator::new(world, Profile::Huawei);
        let p = ProbeSpec { from: "lb".into(), to: "web".into(), protocol: "tcp".into(), port: Some(80), ..Default::default() }
            .resolve(sim.world())
            .unwrap();
        let d = sim.send(&p);
        assert_eq!(d.evaluation.verdict, Verdict::Allow);
        assert!(matches!(d.evaluation.hops[0].decision, HopDecision::Bypass { .. }));
        assert_eq!(d.connections.len(), 1, "the backend tracks the connection though its rules were skipped");
        // The rules were skipped, not the tracker: the backend's answer is a tracked reply.
        let d = sim.send(&p.reply());
        assert_eq!(d.evaluation.verdict, Verdict::Allow);
        assert!(matches!(d.evaluation.hops[0].decision, HopDecision::Tracked { .. }));
        let list = sim.conntrack_list();
        assert_eq!(list.len(), 1);
        assert!(list[0].line.ends_with("opened=inbound rule=bypass"), "{}", list[0].line);
    }
}
