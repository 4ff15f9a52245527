//! One instance's connection table: its entries, found by any packet of their connection in
//! either direction, and expired on the simulated clock the caller passes in.

use super::connection::Connection;
use super::key::FlowKey;
use super::tcp::FlowDirection;
use crate::packet::Packet;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

/// Indexed so that a packet, a change and the clock each cost a logarithm, not a scan: a
/// sequence of 100,000 sends used to take over a minute with a list.
///
/// - `entries` by id, which is the opening order;
/// - `by_key`: the ids opened with each tuple (a reply's tuple is the reverse of one of them);
/// - `deadlines`: a min-heap of `(expires_at, id)`, lazily kept. An entry whose timeout may
///   have changed (handed out by [`get_mut`](Self::get_mut) or [`iter_mut`](Self::iter_mut)) is
///   noted in `touched` and pushed again at the next [`expire`](Self::expire); a heap item whose
///   time no longer matches its entry is stale and dropped when it surfaces.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(from = "Vec<Connection>", into = "Vec<Connection>")]
pub struct ConnTable {
    entries: BTreeMap<u64, Connection>,
    by_key: HashMap<FlowKey, Vec<u64>>,
    deadlines: BinaryHeap<Reverse<(u64, u64)>>,
    touched: Vec<u64>,
}

impl PartialEq for ConnTable {
    fn eq(&self, other: &ConnTable) -> bool {
        self.entries == other.entries
    }
}

impl Eq for ConnTable {}

impl From<Vec<Connection>> for ConnTable {
    fn from(entries: Vec<Connection>) -> ConnTable {
        let mut table = ConnTable::default();
        for connection in entries {
            table.insert(connection);
        }
        table
    }
}

impl From<ConnTable> for Vec<Connection> {
    fn from(table: ConnTable) -> Vec<Connection> {
        table.entries.into_values().collect()
    }
}

impl ConnTable {
    /// The entry `packet` belongs to and which way it travels on it; the earliest opened when
    /// several could take it.
    pub fn find(&self, packet: &Packet) -> Option<(u64, FlowDirection)> {
        let key = FlowKey::of(packet);
        let candidates = [key, key.reversed()];
        candidates
            .iter()
            .filter_map(|k| self.by_key.get(k))
            .flatten()
            .filter_map(|id| self.entries.get(id).and_then(|c| c.direction_of(packet).map(|d| (c.id, d))))
            .min_by_key(|(id, _)| *id)
    }

    pub fn get(&self, id: u64) -> Option<&Connection> {
        self.entries.get(&id)
    }

    pub fn get_mut(&mut self, id: u64) -> Option<&mut Connection> {
        let connection = self.entries.get_mut(&id)?;
        self.touched.push(id);
        Some(connection)
    }

    pub fn insert(&mut self, connection: Connection) {
        self.by_key.entry(connection.key).or_default().push(connection.id);
        self.deadlines.push(Reverse((connection.expires_at, connection.id)));
        if let Some(old) = self.entries.insert(connection.id, connection) {
            self.unindex(&old);
        }
    }

    pub fn remove(&mut self, id: u64) -> Option<Connection> {
        let connection = self.entries.remove(&id)?;
        self.unindex(&connection);
        Some(connection)
    }

    fn unindex(&mut self, connection: &Connection) {
        if let Some(ids) = self.by_key.get_mut(&connection.key) {
            ids.retain(|id| *id != connection.id);
            if ids.is_empty() {
                self.by_key.remove(&connection.key);
            }
        }
    }

    /// Removes and returns, in opening order, the entries whose timeout has run out at `now`.
    pub fn expire(&mut self, now: u64) -> Vec<Connection> {
        for id in std::mem::take(&mut self.touched) {
            if let Some(c) = self.entries.get(&id) {
                self.deadlines.push(Reverse((c.expires_at, id)));
            }
        }
        let mut gone = Vec::new();
        while let Some(&Reverse((at, id))) = self.deadlines.peek() {
            if at > now {
                break;
            }
            self.deadlines.pop();
            // Stale when the entry is gone or its timeout moved since this item was pushed.
            if self.entries.get(&id).is_some_and(|c| c.expires_at == at) {
                gone.extend(self.remove(id));
            }
        }
        gone.sort_by_key(|c| c.id);
        gone
    }

    pub fn iter(&self) -> impl Iterator<Item = &Connection> {
        self.entries.values()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Connection> {
        self.touched.extend(self.entries.keys().copied());
        self.entries.values_mut()
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
            remote: crate::model::RemoteAddress::Known(p.dst),
            tcp: Default::default(),
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

    #[test]
    fn a_changed_timeout_is_honoured_earlier_or_later() {
        let mut t = ConnTable::default();
        t.insert(conn(1, 1000, 100));
        t.insert(conn(2, 2000, 100));
        t.get_mut(1).unwrap().expires_at = 10; // shortened (a FIN)
        t.get_mut(2).unwrap().expires_at = 500; // refreshed
        assert_eq!(t.expire(10).iter().map(|c| c.id).collect::<Vec<_>>(), vec![1]);
        assert!(t.expire(499).is_empty());
        for c in t.iter_mut() {
            c.expires_at = 200;
        }
        assert_eq!(t.expire(200).iter().map(|c| c.id).collect::<Vec<_>>(), vec![2]);
    }

    #[test]
    fn the_earliest_entry_of_a_tuple_takes_the_packet_and_serde_keeps_the_order() {
        let mut t = ConnTable::default();
        t.insert(conn(3, 1000, 30));
        t.insert(conn(4, 1000, 30));
        let p = t.get(3).unwrap().opening.clone();
        assert_eq!(t.find(&p), Some((3, FlowDirection::Original)));
        t.remove(3);
        assert_eq!(t.find(&p), Some((4, FlowDirection::Original)));
        let json = serde_json::to_string(&t).unwrap();
        let back: ConnTable = serde_json::from_str(&json).unwrap();
        assert_eq!(back, t);
        assert_eq!(back.find(&p), Some((4, FlowDirection::Original)));
    }
}
