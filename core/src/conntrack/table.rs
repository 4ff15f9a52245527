//! One instance's connection table: its entries, found by any packet of their connection in
//! either direction, and expired on the simulated clock the caller passes in.

use super::connection::Connection;
use super::tcp::FlowDirection;
use crate::packet::Packet;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConnTable {
    /// In the order they were opened.
    entries: Vec<Connection>,
}

impl ConnTable {
    /// The entry `packet` belongs to and which way it travels on it.
    pub fn find(&self, packet: &Packet) -> Option<(u64, FlowDirection)> {
        self.entries.iter().find_map(|c| c.direction_of(packet).map(|d| (c.id, d)))
    }

    pub fn get(&self, id: u64) -> Option<&Connection> {
        self.entries.iter().find(|c| c.id == id)
    }

    pub fn get_mut(&mut self, id: u64) -> Option<&mut Connection> {
        self.entries.iter_mut().find(|c| c.id == id)
    }

    pub fn insert(&mut self, connection: Connection) {
        self.entries.push(connection);
    }

    pub fn remove(&mut self, id: u64) -> Option<Connection> {
        let at = self.entries.iter().position(|c| c.id == id)?;
        Some(self.entries.remove(at))
    }

    /// Removes and returns the entries whose timeout has run out at `now`.
    pub fn expire(&mut self, now: u64) -> Vec<Connection> {
        let (gone, kept): (Vec<Connection>, Vec<Connection>) =
            std::mem::take(&mut self.entries).into_iter().partition(|c| c.expires_at <= now);
        self.entries = kept;
        gone
    }

    pub fn iter(&self) -> impl Iterator<Item = &Connection> {
        self.entries.iter()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Connection> {
        self.entries.iter_mut()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::{AdmittedBy, ConnState, FlowKey, Opened, Status};
    use crate::packet::TcpFlags;

    fn conn(id: u64, src_port: u16, expires_at: u64) -> Connection {
        let p = Packet {
            src: "10.0.0.1".parse().unwrap(),
            dst: "10.0.0.2".parse().unwrap(),
            protocol: 17,
            src_port,
            dst_port: 53,
            icmp_type: 0,
            icmp_code: 0,
            icmp_id: 0,
            tcp_flags: TcpFlags::empty(),
            embedded: None,
        };
        Connection {
            id,
            instance_id: "i".into(),
            key: FlowKey::of(&p),
            opened: Opened::Outbound,
            state: ConnState::Unreplied,
            assured: false,
            opened_at: 0,
            last_seen: 0,
            expires_at,
            admitted_by: AdmittedBy::Rule { group_id: "g".into(), rule_id: "r".into() },
            status: Status::Active,
            remote: p.dst,
            opening: p,
        }
    }

    #[test]
    fn find_in_both_directions_and_expire() {
        let mut t = ConnTable::default();
        t.insert(conn(1, 1000, 30));
        t.insert(conn(2, 2000, 60));
        let p2 = t.get(2).unwrap().opening.clone();
        assert_eq!(t.find(&p2), Some((2, FlowDirection::Original)));
        assert_eq!(t.find(&p2.reply()), Some((2, FlowDirection::Reply)));
        assert_eq!(t.expire(29).len(), 0);
        let gone = t.expire(30);
        assert_eq!(gone.iter().map(|c| c.id).collect::<Vec<_>>(), vec![1]);
        assert_eq!(t.len(), 1);
        assert!(t.remove(2).is_some());
        assert!(t.is_empty());
    }
}
