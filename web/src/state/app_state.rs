//! The playground's one root state, provided by context. Domain data stays plain `sgplay-core`
//! types (the scenario document, the simulator); derived data are `Memo`s; every change goes
//! through a method here, so undo, validation and the connection tracker see all of them.

use super::cloud_profile::{self, Switched};
use super::history::History;
use super::route::Embed;
use leptos::prelude::*;
use sgplay_core::conntrack::timeouts::Profile;
use sgplay_core::eval::{steps, Step};
use sgplay_core::model::Direction;
use sgplay_core::profile::CloudProfile;
use sgplay_core::scenario::{ProbeSpec, Problem, Scenario, ScenarioSpec};
use sgplay_core::sim::{ChangeReport, Delivery, Simulator};
use sgplay_core::{Packet, World};

/// What the user has picked to look at; not part of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    pub group_id: Option<String>,
    pub direction: Direction,
    pub instance_id: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Warning,
    Error,
}

/// A message at the top of the page ("your previous work is one Undo away").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub id: u64,
    pub kind: NoticeKind,
    pub text: String,
}

/// The last packet sent and where the step-through stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Sent {
    pub delivery: Delivery,
    pub steps: Vec<Step>,
    /// Is this the reply to the packet before?
    pub is_reply: bool,
    /// `AppState::edits` when it was sent: a later edit makes this verdict one of the old world.
    pub after_edit: u64,
    /// 1 for the page's first packet, 2 for the next: the result shows it (`data-sent`), so a
    /// reader can tell a new result from the one before.
    pub serial: u64,
}

/// Up to this many instances the whole-scenario analyses (findings, the reachability matrix)
/// follow every edit; beyond it they run when the user asks, since one run takes longer than
/// an edit may (a second or so at 1,000 instances).
pub const AUTO_ANALYSIS_LIMIT: usize = 200;

/// Builds `spec` as the page holds it: with the engine's advice (shown beside the groups,
/// rules and instances it is about) up to [`AUTO_ANALYSIS_LIMIT`] instances; beyond, without
/// it, since on a large estate the advice is most of a build and every edit builds. There the
/// findings, computed in the worker when asked, carry the same advice.
pub fn build(spec: &ScenarioSpec) -> Result<Scenario, Vec<Problem>> {
    if spec.instances.len() > AUTO_ANALYSIS_LIMIT {
        spec.build_without_advice()
    } else {
        spec.build()
    }
}

/// A frozen version of the scenario that edits are compared with (the what-if diff).
#[derive(Clone, Debug, PartialEq)]
pub struct Baseline {
    /// "the scenario as it was at 14:02", "the file old.json".
    pub label: String,
    pub world: World,
}

#[derive(Clone, Copy)]
pub struct AppState {
    /// The scenario being edited. Always valid: edits that do not validate are refused.
    pub doc: RwSignal<ScenarioSpec>,
    /// The validated scenario (world, notices, checks, layout) of `doc`. Set with `doc`: every
    /// change validates the new document anyway, so it is built once, not again by a memo.
    pub scenario: ReadSignal<Result<Scenario, Vec<Problem>>>,
    set_scenario: WriteSignal<Result<Scenario, Vec<Problem>>>,
    /// The live world, connection tables, clock and event log; follows `doc` through
    /// `Simulator::sync_world`, so edits clear connections as the seed's table says.
    pub sim: RwSignal<Simulator>,
    pub history: RwSignal<History<ScenarioSpec>>,
    /// The packet tester's inputs.
    pub probe: RwSignal<ProbeSpec>,
    /// Send each packet as a new connection (a fresh source port) rather than on the last one.
    pub new_connection: RwSignal<bool>,
    pub sent: RwSignal<Option<Sent>>,
    /// Counts the world's changes (edits, undo, redo), so a verdict can tell it is older.
    pub edits: RwSignal<u64>,
    /// How many steps of `sent` are shown: all of them right after sending.
    pub cursor: RwSignal<usize>,
    /// Reports of the clearing table for recent edits, newest last.
    pub change_reports: RwSignal<Vec<ChangeReport>>,
    pub selection: RwSignal<Selection>,
    /// The rule a finding last pointed at (group id, rule id): its row in the rules table is
    /// marked until another is pointed at.
    pub spotlight: RwSignal<Option<(String, String)>>,
    /// The version edits are compared with ("Set baseline", or a file): undo and redo leave it.
    pub baseline: RwSignal<Option<Baseline>>,
    pub notices: RwSignal<Vec<Notice>>,
    /// `Some` in embed mode: read-only, only the chosen panels.
    pub embed: StoredValue<Option<Embed>>,
    next_port: StoredValue<u16>,
    next_serial: StoredValue<u64>,
    next_notice: StoredValue<u64>,
}

/// The state components use: `let app = use_app();`.
pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

impl AppState {
    /// A state over `spec` (which must validate), provided as context.
    pub fn provide(spec: ScenarioSpec, probe: ProbeSpec, simulator: Option<Simulator>, embed: Option<Embed>) -> AppState {
        let built = build(&spec);
        let world = built.as_ref().map(|s| s.world.clone()).unwrap_or_default();
        let sim = simulator.unwrap_or_else(|| {
            let timeouts = world.profile.timeouts();
            Simulator::new(world, timeouts)
        });
        let doc = RwSignal::new(spec);
        let (scenario, set_scenario) = signal(built);
        let first_group = doc.with_untracked(|d| d.security_groups.first().map(|g| g.id.clone()));
        let state = AppState {
            doc,
            scenario,
            set_scenario,
            sim: RwSignal::new(sim),
            history: RwSignal::new(History::default()),
            probe: RwSignal::new(probe),
            new_connection: RwSignal::new(true),
            sent: RwSignal::new(None),
            edits: RwSignal::new(0),
            cursor: RwSignal::new(0),
            change_reports: RwSignal::new(Vec::new()),
            selection: RwSignal::new(Selection { group_id: first_group, direction: Direction::Ingress, instance_id: None }),
            spotlight: RwSignal::new(None),
            baseline: RwSignal::new(None),
            notices: RwSignal::new(Vec::new()),
            embed: StoredValue::new(embed),
            next_port: StoredValue::new(sgplay_core::scenario::probe::DEFAULT_SOURCE_PORT),
            next_serial: StoredValue::new(1),
            next_notice: StoredValue::new(1),
        };
        provide_context(state);
        state
    }

    pub fn read_only(&self) -> bool {
        self.embed.with_value(Option::is_some)
    }

    /// Applies `change` to a copy of the document; keeps it only if the result validates.
    /// On success the edit is undoable under `label` and the simulator follows (clearing live
    /// connections as the seed's table says). On failure nothing changes.
    pub fn edit(&self, label: &str, change: impl FnOnce(&mut ScenarioSpec)) -> Result<(), Vec<Problem>> {
        if self.read_only() {
            return Err(Vec::new());
        }
        // One copy of the document per edit (a large estate's is megabytes): the edited one,
        // which takes the old one's place; the old one goes into the history.
        let mut after = self.doc.with_untracked(ScenarioSpec::clone);
        change(&mut after);
        if self.doc.with_untracked(|before| *before == after) {
            return Ok(());
        }
        let scenario = build(&after)?;
        let Some(before) = self.doc.try_update(|doc| std::mem::replace(doc, after)) else { return Ok(()) };
        self.history.update(|h| h.record(label, before));
        self.follow(scenario);
        Ok(())
    }

    /// Replaces the whole document (gallery, import, share link). Undoable.
    pub fn load(&self, label: &str, spec: ScenarioSpec, probe: Option<ProbeSpec>) -> Result<(), Vec<Problem>> {
        let scenario = build(&spec)?;
        let before = self.doc.get_untracked();
        self.history.update(|h| h.record(label, before));
        self.doc.set(spec);
        // A different scenario starts with fresh connections and clock (and its cloud's
        // timeouts, unless the user picked others).
        let (before, timeouts) = self.sim.with_untracked(|s| (s.world().profile, s.profile()));
        let profile = cloud_profile::timeouts_after(timeouts, before, scenario.world.profile);
        self.sim.set(Simulator::new(scenario.world.clone(), profile));
        self.set_scenario.set(Ok(scenario));
        self.change_reports.set(Vec::new());
        self.sent.set(None);
        self.cursor.set(0);
        if let Some(p) = probe {
            self.probe.set(p);
        }
        let first = self.doc.with_untracked(|d| d.security_groups.first().map(|g| g.id.clone()));
        self.selection.update(|s| {
            s.group_id = first;
            s.instance_id = None;
        });
        Ok(())
    }

    pub fn undo(&self) {
        let current = self.doc.get_untracked();
        if let Some(before) = self.history.try_update(|h| h.undo(current)).flatten() {
            self.restore(before);
        }
    }

    pub fn redo(&self) {
        let current = self.doc.get_untracked();
        if let Some(after) = self.history.try_update(|h| h.redo(current)).flatten() {
            self.restore(after);
        }
    }

    fn restore(&self, spec: ScenarioSpec) {
        let Ok(scenario) = build(&spec) else { return };
        self.doc.set(spec);
        self.follow(scenario);
    }

    /// The simulator takes over the new world; the clearing reports are kept for the log. A
    /// switch of cloud profile brings that cloud's timeouts if the simulator had the other
    /// cloud's; the connections then start afresh, as on any change of timeouts.
    fn follow(&self, scenario: Scenario) {
        self.edits.update(|n| *n += 1);
        let world = scenario.world.clone();
        let (before, timeouts) = self.sim.with_untracked(|s| (s.world().profile, s.profile()));
        self.set_scenario.set(Ok(scenario));
        let wanted = cloud_profile::timeouts_after(timeouts, before, world.profile);
        if wanted != timeouts {
            self.sim.set(Simulator::new(world, wanted));
            self.sent.set(None);
            return;
        }
        let mut reports = Vec::new();
        self.sim.update(|s| reports = s.sync_world(world));
        if !reports.is_empty() {
            self.change_reports.update(|all| {
                all.extend(reports);
                let excess = all.len().saturating_sub(50);
                all.drain(..excess);
            });
        }
    }

    /// Resolves the tester's inputs against the live world and sends the packet through the
    /// simulator. A new connection gets a fresh source port, so it is evaluated by the rules
    /// rather than by an existing connection entry.
    pub fn send_probe(&self) -> Result<(), Vec<Problem>> {
        let mut probe = self.probe.get_untracked();
        if self.new_connection.get_untracked() && probe.src_port.is_none() {
            let port = self.next_port.get_value();
            self.next_port.set_value(if port == u16::MAX { sgplay_core::scenario::probe::DEFAULT_SOURCE_PORT } else { port + 1 });
            probe.src_port = Some(port);
        }
        let packet = self.sim.with_untracked(|s| probe.resolve(s.world()))?;
        self.send(packet, false);
        Ok(())
    }

    /// Puts `packet` into the tester's inputs (instances by id where they can be) and sends it:
    /// what an example packet's "Try it" does.
    pub fn try_packet(&self, packet: &Packet) {
        let mut probe = self.sim.with_untracked(|s| ProbeSpec::for_packet(s.world(), packet));
        if self.new_connection.get_untracked() {
            // A fresh source port, as every send gets: the rules decide, not a connection an
            // earlier packet with the same ports opened.
            probe.src_port = None;
        }
        self.probe.set(probe);
        if self.send_probe().is_err() {
            self.send(packet.clone(), false);
        }
    }

    /// Freezes the current scenario as the baseline.
    pub fn set_baseline(&self, label: impl Into<String>) {
        let world = self.scenario.with_untracked(|s| s.as_ref().map(|s| s.world.clone()).ok());
        if let Some(world) = world {
            self.baseline.set(Some(Baseline { label: label.into(), world }));
        }
    }

    /// Makes `spec` (an imported file) the baseline, if it validates.
    pub fn set_baseline_from(&self, label: impl Into<String>, spec: &ScenarioSpec) -> Result<(), Vec<Problem>> {
        let scenario = spec.build_without_advice()?;
        self.baseline.set(Some(Baseline { label: label.into(), world: scenario.world }));
        Ok(())
    }

    /// Sends the reply to the last packet (addresses and ports swapped, the natural flags).
    pub fn send_reply(&self) -> bool {
        let Some(last) = self.sent.with_untracked(|s| s.as_ref().map(|s| s.delivery.evaluation.packet.clone())) else { return false };
        self.send(last.reply(), true);
        true
    }

    fn send(&self, packet: Packet, is_reply: bool) {
        let mut delivery = None;
        self.sim.update(|s| delivery = Some(s.send(&packet)));
        if let Some(delivery) = delivery {
            let steps = steps(&delivery.evaluation);
            self.cursor.set(steps.len());
            let serial = self.next_serial.get_value();
            self.next_serial.set_value(serial + 1);
            self.sent.set(Some(Sent { delivery, steps, is_reply, after_edit: self.edits.get_untracked(), serial }));
        }
    }

    /// Advances the simulated clock; expired connections leave the table.
    pub fn advance(&self, secs: u64) {
        self.sim.update(|s| {
            s.advance(secs);
        });
    }

    /// The validated scenario's cloud profile (Huawei while it does not validate). Tracked:
    /// labels that call it follow a switch.
    pub fn cloud_profile(&self) -> CloudProfile {
        self.scenario.with(|s| s.as_ref().map(|s| s.world.profile).unwrap_or_default())
    }

    /// Whether the validated scenario has more than [`AUTO_ANALYSIS_LIMIT`] instances: its
    /// analyses wait to be asked and run in the worker, and its panels are drawn only while in
    /// sight. Tracked.
    pub fn is_large_estate(&self) -> bool {
        self.scenario.with(|s| s.as_ref().is_ok_and(|s| s.world.instances.len() > AUTO_ANALYSIS_LIMIT))
    }

    /// [`AppState::cloud_profile`], untracked: for a view that reads it once.
    pub fn cloud_profile_untracked(&self) -> CloudProfile {
        self.scenario.with_untracked(|s| s.as_ref().map(|s| s.world.profile).unwrap_or_default())
    }

    /// Switches the scenario's cloud profile: an ordinary edit (validated by the engine,
    /// undoable), so the world is rebuilt under the new profile's order and defaults.
    pub fn set_cloud_profile(&self, to: CloudProfile) -> Result<Switched, Vec<Problem>> {
        let mut switched = Switched::default();
        self.edit(&cloud_profile::label(to), |doc| switched = cloud_profile::switch(doc, to))?;
        Ok(switched)
    }

    /// Switches the timeout profile: the connections start afresh (the clock too).
    pub fn set_profile(&self, profile: Profile) {
        let world = self.sim.with_untracked(|s| s.world().clone());
        self.sim.set(Simulator::new(world, profile));
        self.sent.set(None);
    }

    pub fn notify(&self, kind: NoticeKind, text: impl Into<String>) {
        let id = self.next_notice.get_value();
        self.next_notice.set_value(id + 1);
        self.notices.update(|n| n.push(Notice { id, kind, text: text.into() }));
    }

    pub fn dismiss(&self, id: u64) {
        self.notices.update(|n| n.retain(|x| x.id != id));
    }
}
