//! The event log, newest first: the simulator's events, each world change carrying the report
//! of the clearing table it went through (which row applied, which instances it covers, what
//! was spared and why). Pure, over the engine's `Event` and `ChangeReport`.

use sgplay_core::sim::{ChangeReport, Event, EventKind};

/// One line of the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogItem {
    /// Position in the simulator's log (a stable key).
    pub index: usize,
    pub event: Event,
    /// For a world change: what the clearing table made of it.
    pub report: Option<ChangeReport>,
}

/// The newest `limit` events, newest first, and how many older ones are left out. Each world
/// change gets the report it produced (matched in order by time and text; reports of an
/// earlier simulation, before a profile switch, match nothing and are not shown).
pub fn timeline(events: &[Event], reports: &[ChangeReport], limit: usize) -> (Vec<LogItem>, usize) {
    let mut next_report = 0;
    let mut items: Vec<LogItem> = events
        .iter()
        .enumerate()
        .map(|(index, event)| {
            let mut report = None;
            if event.kind == EventKind::Changed {
                if let Some(offset) = reports[next_report.min(reports.len())..].iter().position(|r| r.at == event.at && r.change == event.text) {
                    report = reports.get(next_report + offset).cloned();
                    next_report += offset + 1;
                }
            }
            LogItem { index, event: event.clone(), report }
        })
        .collect();
    items.reverse();
    let hidden = items.len().saturating_sub(limit);
    items.truncate(limit);
    (items, hidden)
}

/// The icon and CSS modifier of an event kind.
pub fn kind_look(kind: EventKind) -> (&'static str, &'static str) {
    match kind {
        EventKind::Opened => ("⊕", "opened"),
        EventKind::StateChanged => ("↻", "state"),
        EventKind::Cleared => ("⊘", "cleared"),
        EventKind::Readmitted => ("✔", "readmitted"),
        EventKind::Cut => ("✂", "cut"),
        EventKind::Expired => ("⊖", "expired"),
        EventKind::Closed => ("✕", "closed"),
        EventKind::Changed => ("✎", "changed"),
    }
}

/// What a report says beyond its change, in sentences: each row of the clearing table that
/// applied with the instances it covers (by `name`), how many entries it cleared, and its notes.
pub fn report_lines(report: &ChangeReport, name: impl Fn(&str) -> String) -> Vec<String> {
    let mut lines: Vec<String> = report
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let instances: Vec<String> = row.instances.iter().map(|i| name(i)).collect();
            let cleared = report.cleared.iter().filter(|c| c.row == r).count();
            let covers = if instances.is_empty() { "no instance".to_string() } else { instances.join(", ") };
            let entries = match cleared {
                0 => "no live inbound entry to clear".to_string(),
                1 => "1 entry cleared".to_string(),
                n => format!("{n} entries cleared"),
            };
            format!("clearing table: {} (instances: {covers}; {entries})", row.text)
        })
        .collect();
    if report.rows.is_empty() {
        lines.push("clearing table: no row applies to this change, so no connection is cleared".into());
    }
    lines.extend(report.notes.iter().cloned());
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use sgplay_core::conntrack::Profile;
    use sgplay_core::sim::Simulator;
    use sgplay_core::scenario::{ProbeSpec, RuleSpec};

    fn spec() -> sgplay_core::scenario::ScenarioSpec {
        crate::gallery::load("huawei/overview-sg-a-sg-b").unwrap()
    }

    /// A01 → B01 SSH is live; then Sg-B gets a deny rule for SSH from Sg-A.
    fn simulate() -> (Simulator, Vec<ChangeReport>) {
        let mut doc = spec();
        let mut sim = Simulator::new(doc.build().unwrap().world, Profile::Huawei);
        let p = ProbeSpec { from: "ecs-a01".into(), to: "ecs-b01".into(), protocol: "tcp".into(), port: Some(22), ..Default::default() };
        let packet = p.resolve(sim.world()).unwrap();
        sim.send(&packet);
        sim.advance(5);
        let deny: RuleSpec = serde_json::from_value(serde_json::json!({
            "id": "B-deny", "direction": "ingress", "protocol": "tcp", "multiport": "22", "action": "deny", "priority": 1, "remote_group_id": "sg-a"
        }))
        .unwrap();
        doc.security_groups[1].rules.push(deny);
        let reports = sim.sync_world(doc.build().unwrap().world);
        (sim, reports)
    }

    #[test]
    fn newest_first_with_the_report_at_its_change() {
        let (sim, reports) = simulate();
        assert_eq!(reports.len(), 1);
        let (items, hidden) = timeline(sim.events(), &reports, 100);
        assert_eq!(hidden, 0);
        assert!(items.windows(2).all(|w| w[0].event.at >= w[1].event.at && w[0].index > w[1].index));
        let changed: Vec<&LogItem> = items.iter().filter(|i| i.event.kind == EventKind::Changed).collect();
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].report.as_ref(), reports.first());
        assert!(items.iter().any(|i| i.event.kind == EventKind::Cleared));
        assert!(items.iter().filter(|i| i.event.kind != EventKind::Changed).all(|i| i.report.is_none()));
    }

    #[test]
    fn the_report_names_the_row_and_what_it_cleared() {
        let (_, reports) = simulate();
        let lines = report_lines(&reports[0], |id| id.to_uppercase());
        assert!(lines[0].starts_with("clearing table: "), "{lines:?}");
        assert!(lines[0].ends_with("(instances: ECS-B01, ECS-B02; 1 entry cleared)"), "{lines:?}");
        assert!(lines[1..].iter().any(|l| l.contains("outbound-opened connections are never cleared")), "{lines:?}");
    }

    #[test]
    fn reports_of_an_earlier_simulation_match_nothing() {
        let (_, reports) = simulate();
        let fresh = Simulator::new(spec().build().unwrap().world, Profile::Linux);
        let (items, _) = timeline(fresh.events(), &reports, 100);
        assert!(items.is_empty());
    }

    #[test]
    fn only_the_newest_are_kept() {
        let (sim, reports) = simulate();
        let all = sim.events().len();
        let (items, hidden) = timeline(sim.events(), &reports, 2);
        assert_eq!((items.len(), hidden), (2, all - 2));
        assert_eq!(items[0].index, all - 1);
    }
}
