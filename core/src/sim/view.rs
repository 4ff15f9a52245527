//! The connection tables as `conntrack -L` shows them, one row per entry, plus what the
//! simulator adds: which instance holds it, how it was opened, the rule that admitted it, and
//! whether a change cleared or cut it.

use super::Simulator;
use crate::conntrack::{key::icmp_reply_type, AdmittedBy, ConnState, Connection, Opened, Status};
use crate::model::protocol::protocol_name;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnView {
    pub id: u64,
    pub instance_id: String,
    pub instance_name: String,
    /// `tcp`, `udp`, `icmp`, `gre` or the protocol number.
    pub protocol: String,
    pub protocol_number: u8,
    /// A TCP state, `UNREPLIED` or `REPLIED`.
    pub state: String,
    pub src: IpAddr,
    pub dst: IpAddr,
    /// TCP and UDP only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src_port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dst_port: Option<u16>,
    /// ICMP only: the echo identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icmp_id: Option<u16>,
    pub seconds_left: u64,
    pub opened: Opened,
    pub opened_at: u64,
    /// Packets were seen in both directions (`[ASSURED]`; otherwise `[UNREPLIED]`).
    pub assured: bool,
    pub status: Status,
    pub admitted_by: AdmittedBy,
    /// The row as `conntrack -L` would print it, with the simulator's columns after it.
    pub line: String,
}

impl ConnView {
    pub fn of(conn: &Connection, instance_name: &str, now: u64) -> ConnView {
        let k = &conn.key;
        let ports = !k.is_icmp() && (k.src_port != 0 || k.dst_port != 0);
        ConnView {
            id: conn.id,
            instance_id: conn.instance_id.clone(),
            instance_name: instance_name.to_string(),
            protocol: protocol_name(k.protocol),
            protocol_number: k.protocol,
            state: conn.state.to_string(),
            src: k.src,
            dst: k.dst,
            src_port: ports.then_some(k.src_port),
            dst_port: ports.then_some(k.dst_port),
            icmp_id: k.is_icmp().then_some(k.src_port),
            seconds_left: conn.seconds_left(now),
            opened: conn.opened,
            opened_at: conn.opened_at,
            assured: conn.assured,
            status: conn.status,
            admitted_by: conn.admitted_by.clone(),
            line: line(conn, instance_name, now),
        }
    }
}

/// `tcp 6 598 ESTABLISHED src=… dst=… sport=… dport=… src=… dst=… sport=… dport=… [ASSURED]`,
/// then `id=3 on=ECS-B01 opened=inbound rule=B01@sg-b` (`rule=bypass` where no rule was consulted),, then `[CLEARED]` or `[CUT until t=…]`.
fn line(conn: &Connection, instance_name: &str, now: u64) -> String {
    let k = &conn.key;
    let mut out = format!("{:<8} {} {}", protocol_name(k.protocol), k.protocol, conn.seconds_left(now));
    if let ConnState::Tcp(s) = conn.state {
        out.push_str(&format!(" {s}"));
    }
    let tuple = |src: IpAddr, dst: IpAddr, sport: u16, dport: u16, icmp_type: u8| {
        if k.is_icmp() {
            format!(" src={src} dst={dst} type={icmp_type} code={} id={sport}", conn.opening.icmp_code)
        } else if sport == 0 && dport == 0 {
            format!(" src={src} dst={dst}")
        } else {
            format!(" src={src} dst={dst} sport={sport} dport={dport}")
        }
    };
    out.push_str(&tuple(k.src, k.dst, k.src_port, k.dst_port, conn.opening.icmp_type));
    if !conn.assured {
        out.push_str(" [UNREPLIED]");
    }
    out.push_str(&tuple(k.dst, k.src, k.dst_port, k.src_port, icmp_reply_type(k.protocol, conn.opening.icmp_type)));
    if conn.assured {
        out.push_str(" [ASSURED]");
    }
    out.push_str(&format!(" id={} on={instance_name} opened={} rule={}", conn.id, conn.opened, conn.admitted_by.short()));
    match conn.status {
        Status::Active => {}
        Status::Cleared { at } => out.push_str(&format!(" [CLEARED at t={at}]")),
        Status::Cut { until, .. } => out.push_str(&format!(" [CUT until t={until}]")),
    }
    out
}

impl Simulator {
    /// Every entry of every instance, by instance id then in the order they were opened.
    pub fn conntrack_list(&self) -> Vec<ConnView> {
        self.tables
            .iter()
            .flat_map(|(id, table)| {
                let name = self.world.instance(id).map_or(id.as_str(), |i| i.display_name());
                table.iter().map(move |c| ConnView::of(c, name, self.now))
            })
            .collect()
    }

    /// The entries of one instance.
    pub fn conntrack_list_for(&self, instance_id: &str) -> Vec<ConnView> {
        self.conntrack_list().into_iter().filter(|v| v.instance_id == instance_id).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::FlowKey;
    use crate::packet::{Packet, TcpFlags};

    #[test]
    fn protocols_without_ports_and_cut_entries() {
        let p = Packet {
            src: "10.0.0.1".parse().unwrap(),
            dst: "10.0.0.2".parse().unwrap(),
            protocol: 47,
            src_port: 0,
            dst_port: 0,
            icmp_type: 0,
            icmp_code: 0,
            icmp_id: 0,
            tcp_flags: TcpFlags::empty(),
            embedded: None,
        };
        let conn = Connection {
            id: 4,
            instance_id: "b".into(),
            key: FlowKey::of(&p),
            opened: Opened::Inbound,
            state: ConnState::Replied,
            assured: true,
            opened_at: 0,
            last_seen: 10,
            expires_at: 190,
            admitted_by: AdmittedBy::Rule { group_id: "sg-b".into(), rule_id: "B-gre".into() },
            status: Status::Cut { at: 10, until: 190 },
            remote: crate::model::RemoteAddress::Known(p.src),
            tcp: Default::default(),
            opening: p,
        };
        let v = ConnView::of(&conn, "ECS-B", 20);
        assert_eq!(v.line, "gre      47 170 src=10.0.0.1 dst=10.0.0.2 src=10.0.0.2 dst=10.0.0.1 [ASSURED] id=4 on=ECS-B opened=inbound rule=B-gre@sg-b [CUT until t=190]");
        assert_eq!((v.src_port, v.icmp_id, v.state.as_str()), (None, None, "REPLIED"));
    }
}
