//! The connection tables as rows to show: one table per instance (each instance tracks its own
//! connections, as the cloud does), instances by name, entries in the order they were opened,
//! and each column in words. Pure, over the engine's `ConnView`.

use super::clock::duration;
use sgplay_core::conntrack::{AdmittedBy, Opened, Status};
use sgplay_core::sim::ConnView;
use std::net::IpAddr;

/// One instance's entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceTable {
    pub instance_id: String,
    pub instance_name: String,
    pub entries: Vec<ConnView>,
}

/// The entries grouped by instance: instances by name, entries by id (the order they opened).
pub fn by_instance(mut list: Vec<ConnView>) -> Vec<InstanceTable> {
    list.sort_by(|a, b| (&a.instance_name, &a.instance_id, a.id).cmp(&(&b.instance_name, &b.instance_id, b.id)));
    let mut out: Vec<InstanceTable> = Vec::new();
    for view in list {
        match out.last_mut() {
            Some(t) if t.instance_id == view.instance_id => t.entries.push(view),
            _ => out.push(InstanceTable { instance_id: view.instance_id.clone(), instance_name: view.instance_name.clone(), entries: vec![view] }),
        }
    }
    out
}

fn endpoint(addr: IpAddr, port: Option<u16>) -> String {
    match (addr, port) {
        (IpAddr::V6(a), Some(p)) => format!("[{a}]:{p}"),
        (a, Some(p)) => format!("{a}:{p}"),
        (a, None) => a.to_string(),
    }
}

/// The original direction: "192.168.0.10:49152 → 192.168.1.10:22", "… → … id 1" for ICMP.
pub fn tuple(view: &ConnView) -> String {
    let mut text = format!("{} → {}", endpoint(view.src, view.src_port), endpoint(view.dst, view.dst_port));
    if let Some(id) = view.icmp_id {
        text.push_str(&format!(" id {id}"));
    }
    text
}

/// "inbound" or "outbound", with which rules admitted it.
pub fn opened(view: &ConnView) -> &'static str {
    match view.opened {
        Opened::Inbound => "inbound",
        Opened::Outbound => "outbound",
    }
}

/// `[ASSURED]` (packets seen both ways) or `[UNREPLIED]`, as `conntrack -L` marks them.
pub fn mark(view: &ConnView) -> &'static str {
    if view.assured {
        "ASSURED"
    } else {
        "UNREPLIED"
    }
}

/// What admitted it: "rule B01 of Sg-B" (the group by `group_name`), or "a bypass, the rules
/// not consulted".
pub fn admitted(view: &ConnView, group_name: impl Fn(&str) -> String) -> String {
    match &view.admitted_by {
        AdmittedBy::Rule { group_id, rule_id } => format!("rule {rule_id} of {}", group_name(group_id)),
        AdmittedBy::Bypass { .. } => "a bypass, the rules not consulted".into(),
    }
}

/// The tooltip for the admitted column.
pub fn admitted_title(view: &ConnView) -> String {
    match &view.admitted_by {
        AdmittedBy::Rule { group_id, rule_id } => format!("admitted by rule {rule_id} of {group_id}"),
        AdmittedBy::Bypass { reason } => format!("the rules were not consulted: {reason}"),
    }
}

/// The status column: a CSS modifier and the words.
pub fn status(view: &ConnView) -> (&'static str, String) {
    match view.status {
        Status::Active => ("active", "active".into()),
        Status::Cleared { at } => ("cleared", format!("cleared at t={at} s: the next packet is checked against the current rules")),
        Status::Cut { until, .. } => ("cut", format!("cut: blocked until t={until} s")),
    }
}

/// "598 s" and, when long, "(9 min 58 s)".
pub fn seconds_left(view: &ConnView) -> String {
    let s = view.seconds_left;
    if s < 60 {
        format!("{s} s")
    } else {
        format!("{s} s ({})", duration(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sgplay_core::conntrack::Profile;
    use sgplay_core::sim::Simulator;
    use sgplay_core::scenario::ProbeSpec;

    fn sim() -> Simulator {
        let world = crate::gallery::load("huawei/overview-sg-a-sg-b").unwrap().build().unwrap().world;
        Simulator::new(world, Profile::Huawei)
    }

    fn send(sim: &mut Simulator, from: &str, to: &str, protocol: &str, port: Option<u16>) {
        let p = ProbeSpec { from: from.into(), to: to.into(), protocol: protocol.into(), port, ..Default::default() };
        let packet = p.resolve(sim.world()).unwrap();
        sim.send(&packet);
    }

    #[test]
    fn entries_are_grouped_by_instance_in_name_order() {
        let mut s = sim();
        send(&mut s, "ecs-b01", "ecs-b02", "icmp", None);
        send(&mut s, "ecs-a01", "ecs-b01", "tcp", Some(22));
        let tables = by_instance(s.conntrack_list());
        let names: Vec<&str> = tables.iter().map(|t| t.instance_name.as_str()).collect();
        assert_eq!(names, ["ECS-A01", "ECS-B01", "ECS-B02"]);
        let b01: Vec<u64> = tables[1].entries.iter().map(|e| e.id).collect();
        assert!(b01.windows(2).all(|w| w[0] < w[1]), "{b01:?}");
        assert_eq!(b01.len(), 2);
    }

    #[test]
    fn columns_in_words() {
        let mut s = sim();
        send(&mut s, "ecs-a01", "ecs-b01", "tcp", Some(22));
        send(&mut s, "ecs-b01", "ecs-b02", "icmp", None);
        let list = s.conntrack_list();
        let ssh = list.iter().find(|v| v.instance_id == "ecs-b01" && v.protocol == "tcp").unwrap();
        assert_eq!(tuple(ssh), "192.168.0.10:49152 → 192.168.1.10:22");
        assert_eq!((opened(ssh), mark(ssh)), ("inbound", "UNREPLIED"));
        assert_eq!(admitted(ssh, |g| g.to_uppercase()), "rule B01 of SG-B");
        assert_eq!(status(ssh).0, "active");
        let ping = list.iter().find(|v| v.protocol == "icmp").unwrap();
        assert_eq!(tuple(ping), "192.168.1.10 → 192.168.1.11 id 1");
        assert_eq!(seconds_left(ping), "30 s");
        let a01 = list.iter().find(|v| v.instance_id == "ecs-a01").unwrap();
        assert_eq!(opened(a01), "outbound");
    }

    #[test]
    fn long_timeouts_read_in_words() {
        let mut s = sim();
        send(&mut s, "ecs-a01", "ecs-b01", "udp", Some(53));
        let mut v = s.conntrack_list().remove(0);
        v.seconds_left = 598;
        assert_eq!(seconds_left(&v), "598 s (9 min 58 s)");
        v.status = Status::Cut { at: 3, until: 33 };
        assert_eq!(status(&v), ("cut", "cut: blocked until t=33 s".to_string()));
    }
}
