//! One connection tracking entry: the tuple, the instance it belongs to, the direction it was
//! opened in, its state, its timeout, the rule that admitted it, and whether a rule change cleared
//! or cut it. `track` moves it along with each packet.

use super::key::{icmp_reply_type, is_icmp_error_type, is_icmp_reply_type, FlowKey};
use super::tcp::{self, FlowDirection, TcpState, TcpStep};
use super::timeouts::Profile;
use crate::model::protocol::{TCP, UDP};
use crate::model::{Direction, RemoteAddress};
use crate::packet::Packet;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which traffic opened the connection, relative to the instance holding the entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Opened {
    /// Admitted by the instance's inbound rules. Rule and membership changes clear these.
    Inbound,
    /// Admitted by the instance's outbound rules. Never cleared by a change.
    Outbound,
}

impl Opened {
    pub fn from_direction(direction: Direction) -> Opened {
        match direction {
            Direction::Ingress => Opened::Inbound,
            Direction::Egress => Opened::Outbound,
        }
    }

    /// The direction of the rules that admitted the connection.
    pub fn direction(self) -> Direction {
        match self {
            Opened::Inbound => Direction::Ingress,
            Opened::Outbound => Direction::Egress,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Opened::Inbound => "inbound",
            Opened::Outbound => "outbound",
        }
    }
}

impl fmt::Display for Opened {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A TCP state, or for other protocols whether a reply was seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConnState {
    Tcp(TcpState),
    /// Packets seen in the original direction only.
    Unreplied,
    /// Packets seen in both directions.
    Replied,
}

impl ConnState {
    pub fn name(self) -> &'static str {
        match self {
            ConnState::Tcp(s) => s.name(),
            ConnState::Unreplied => "UNREPLIED",
            ConnState::Replied => "REPLIED",
        }
    }

    /// A TCP state name, `UNREPLIED` or `REPLIED`, case-insensitive.
    pub fn parse(text: &str) -> Option<ConnState> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("UNREPLIED") {
            Some(ConnState::Unreplied)
        } else if t.eq_ignore_ascii_case("REPLIED") {
            Some(ConnState::Replied)
        } else {
            TcpState::parse(t).map(ConnState::Tcp)
        }
    }
}

impl fmt::Display for ConnState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for ConnState {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for ConnState {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        ConnState::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a connection state")))
    }
}

/// Whether a rule change touched the entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Status {
    /// Packets of the connection pass on it.
    #[default]
    Active,
    /// A change cleared the entry at `at`: the next packet is checked against the current rules.
    Cleared { at: u64 },
    /// The re-check denied the connection at `at`: every packet is blocked until `until`, when the
    /// entry goes (SEMANTICS §5 interpretation).
    Cut { at: u64, until: u64 },
}

/// What admitted the connection on its instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AdmittedBy {
    /// An allow rule of one of the instance's groups.
    Rule { group_id: String, rule_id: String },
    /// The instance's rules were not consulted on this side (a load balancer with Transfer Client
    /// IP Address enabled); the connection is tracked all the same.
    Bypass { reason: String },
}

impl AdmittedBy {
    /// `B01@sg-b`, or `bypass`.
    pub fn short(&self) -> String {
        match self {
            AdmittedBy::Rule { group_id, rule_id } => format!("{rule_id}@{group_id}"),
            AdmittedBy::Bypass { .. } => "bypass".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    /// Unique across the simulator, from 1.
    pub id: u64,
    /// The instance whose rules admitted it and whose table holds it.
    pub instance_id: String,
    /// The original-direction tuple.
    pub key: FlowKey,
    pub opened: Opened,
    pub state: ConnState,
    /// Packets were seen in both directions.
    pub assured: bool,
    pub opened_at: u64,
    pub last_seen: u64,
    pub expires_at: u64,
    pub admitted_by: AdmittedBy,
    pub status: Status,
    /// The packet that opened the connection: what a re-check after clearing evaluates.
    pub opening: Packet,
    /// The address the admitting rules compared with their remote (the source for inbound, the
    /// destination for outbound).
    pub remote: RemoteAddress,
    /// What netfilter remembers of a TCP connection's past beyond its state: whether a SYN may
    /// reopen it.
    #[serde(default)]
    pub tcp: TcpHistory,
}

/// netfilter's `ip_ct_tcp` fields that decide whether a SYN on a TIME_WAIT or CLOSE entry
/// reopens the connection (`nf_conntrack_tcp_packet`, case SYN_SENT): only after a FIN began
/// the close (`IP_CT_TCP_FLAG_CLOSE_INIT`), or when the last packet was a RST in the SYN's own
/// direction. Otherwise the SYN is IGNOREd: it passes and the entry stays as it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TcpHistory {
    /// The state entered FIN_WAIT once (a FIN began the close).
    pub close_init: bool,
    /// The direction and class of the last packet the tracker took (valid or IGNOREd).
    pub last: Option<(FlowDirection, tcp::FlagClass)>,
}

/// What one packet did to an entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Track {
    /// A valid packet: the state went `from` → `to` (possibly equal) and the timeout restarted.
    Moved { from: ConnState, to: ConnState },
    /// netfilter's IGNORE: the packet passes; state and timeout stay.
    Ignored { state: TcpState },
    /// The packet is invalid in this state; the entry is unchanged.
    Invalid { reason: String },
    /// A SYN reopens a closed connection: the caller destroys the entry and starts a new one.
    Reopen { state: TcpState },
    /// A RST before any reply was seen: netfilter deletes the entry at once (`nf_conntrack_tcp_packet`:
    /// "if only reply is a RST, we can consider ourselves not to have an established connection")
    /// and the RST itself passes. The caller removes the entry.
    Killed { from: TcpState },
}

impl Connection {
    /// The state a connection opened by `packet` starts in, or why `packet` cannot open one.
    pub fn initial_state(packet: &Packet) -> Result<ConnState, String> {
        if packet.protocol == TCP {
            return tcp::initial_state(packet.tcp_flags).map(ConnState::Tcp);
        }
        if packet.is_icmp() && is_icmp_reply_type(packet.protocol, packet.icmp_type) {
            return Err(format!(
                "an ICMP type {} packet answers a request, and there is no tracked request it answers: netfilter marks it INVALID",
                packet.icmp_type
            ));
        }
        if packet.is_icmp() && is_icmp_error_type(packet.protocol, packet.icmp_type) {
            return Err(format!(
                "an ICMP type {} packet is an error about another packet, and it embeds no packet of a connection tracked here: netfilter marks it INVALID (with one, it would be RELATED)",
                packet.icmp_type
            ));
        }
        Ok(ConnState::Unreplied)
    }

    /// Can `packet` be the first packet of a connection? [`Connection::initial_state`] without
    /// the reason, and without allocating: what the compiled matcher asks.
    pub fn can_open(packet: &Packet) -> bool {
        if packet.protocol == TCP {
            return matches!(
                tcp::lookup(FlowDirection::Original, tcp::FlagClass::of(packet.tcp_flags), TcpState::None),
                tcp::Transition::To(_)
            );
        }
        !(packet.is_icmp()
            && (is_icmp_reply_type(packet.protocol, packet.icmp_type) || is_icmp_error_type(packet.protocol, packet.icmp_type)))
    }

    /// What the tracker says of a packet that finds no entry and cannot open one: the decision
    /// of the first side it crosses, in the simulator and in a single-packet evaluation alike
    /// (`eval` answers as the simulator does on empty tables).
    pub fn untracked_invalid(packet: &Packet) -> Option<String> {
        Connection::initial_state(packet).err().map(|reason| untracked_invalid_words(&reason))
    }

    /// Which way `packet` travels on this connection, if it belongs to it. ICMP packets must also
    /// carry the request type one way and its answer the other way.
    pub fn direction_of(&self, packet: &Packet) -> Option<FlowDirection> {
        let dir = self.key.direction_of(&FlowKey::of(packet))?;
        if self.key.is_icmp() {
            let wanted = match dir {
                FlowDirection::Original => self.opening.icmp_type,
                FlowDirection::Reply => icmp_reply_type(self.opening.protocol, self.opening.icmp_type),
            };
            if packet.icmp_type != wanted {
                return None;
            }
        }
        Some(dir)
    }

    /// Seconds the entry lives after a packet in its current state.
    pub fn timeout(&self, profile: Profile) -> u64 {
        match self.state {
            ConnState::Tcp(s) => profile.tcp(s),
            ConnState::Unreplied => profile.other(self.key.protocol, false),
            ConnState::Replied => profile.other(self.key.protocol, true),
        }
    }

    /// Restarts the timeout at `now`.
    pub fn refresh(&mut self, now: u64, profile: Profile) {
        self.last_seen = now;
        self.expires_at = now.saturating_add(self.timeout(profile));
    }

    pub fn seconds_left(&self, now: u64) -> u64 {
        self.expires_at.saturating_sub(now)
    }

    pub fn is_cut(&self) -> bool {
        matches!(self.status, Status::Cut { .. })
    }

    pub fn is_cleared(&self) -> bool {
        matches!(self.status, Status::Cleared { .. })
    }

    /// Moves the entry along with `packet`, travelling `dir`, at `now`.
    pub fn track(&mut self, dir: FlowDirection, packet: &Packet, now: u64, profile: Profile) -> Track {
        let from = self.state;
        let to = match self.state {
            ConnState::Tcp(state) => {
                let taken = Some((dir, tcp::FlagClass::of(packet.tcp_flags)));
                match tcp::step(dir, packet.tcp_flags, state) {
                    TcpStep::Reopen { state } if self.tcp.close_init || self.tcp.last == Some((dir, tcp::FlagClass::Rst)) => {
                        return Track::Reopen { state };
                    }
                    // netfilter notes a reply as seen whenever the tracker accepts it, an IGNOREd
                    // one too (`nf_conntrack_in` sets IPS_SEEN_REPLY after the tracker), so a
                    // later RST closes the entry instead of deleting it.
                    TcpStep::Reopen { state } | TcpStep::Ignore { state } => {
                        self.tcp.last = taken;
                        if dir == FlowDirection::Reply {
                            self.assured = true;
                        }
                        return Track::Ignored { state };
                    }
                    TcpStep::Invalid { reason, .. } => return Track::Invalid { reason },
                    // The kernel notes a first reply only after this check, so a RST that is itself
                    // the first reply kills the entry too.
                    TcpStep::Move { .. } if packet.tcp_flags.contains(crate::packet::TcpFlags::RST) && !self.assured => {
                        return Track::Killed { from: state };
                    }
                    TcpStep::Move { to, .. } => {
                        self.tcp.last = taken;
                        self.tcp.close_init |= to == TcpState::FinWait && state != TcpState::FinWait;
                        ConnState::Tcp(to)
                    }
                }
            }
            _ if dir == FlowDirection::Reply => ConnState::Replied,
            other => other,
        };
        self.state = to;
        if dir == FlowDirection::Reply {
            self.assured = true;
        }
        self.refresh(now, profile);
        // Linux: a reply is marked seen only after its tracker ran (`nf_conntrack_in`), so the
        // first reply of a UDP, GRE or other flow still gets the one-way timeout and the longer
        // one starts with a packet after it; UDP's also waits until the flow is over 2 s old
        // (`nf_conntrack_udp_packet`, Linux 6.4 and later). The Huawei seed gives 180 s "if
        // packets are received in both directions", which they are at the reply.
        if profile == Profile::Linux && !matches!(to, ConnState::Tcp(_)) {
            let stream = from == ConnState::Replied && (self.key.protocol != UDP || now > self.opened_at.saturating_add(2));
            self.expires_at = now.saturating_add(profile.other(self.key.protocol, stream));
        }
        Track::Moved { from, to }
    }
}

/// "no tracked connection, and {why the packet cannot open one}; …".
pub fn untracked_invalid_words(reason: &str) -> String {
    format!("no tracked connection, and {reason}; invalid packets are dropped before the rules are consulted (interpretation)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::TcpFlags;

    fn packet(protocol: u8, flags: TcpFlags) -> Packet {
        Packet {
            src: "10.0.0.1".parse().unwrap(),
            dst: "10.0.0.2".parse().unwrap(),
            protocol,
            src_port: if protocol == 1 { 0 } else { 40000 },
            dst_port: if protocol == 1 { 0 } else { 53 },
            icmp_type: if protocol == 1 { 8 } else { 0 },
            icmp_code: 0,
            icmp_id: if protocol == 1 { 5 } else { 0 },
            tcp_flags: flags,
            embedded: None,
        }
    }

    fn open(p: &Packet, profile: Profile) -> Connection {
        let mut c = Connection {
            id: 1,
            instance_id: "i".into(),
            key: FlowKey::of(p),
            opened: Opened::Inbound,
            state: Connection::initial_state(p).unwrap(),
            assured: false,
            opened_at: 0,
            last_seen: 0,
            expires_at: 0,
            admitted_by: AdmittedBy::Rule { group_id: "g".into(), rule_id: "r".into() },
            status: Status::Active,
            opening: p.clone(),
            remote: RemoteAddress::Known(p.src),
            tcp: Default::default(),
        };
        c.refresh(0, profile);
        c
    }

    #[test]
    fn udp_is_unreplied_then_replied() {
        let p = packet(17, TcpFlags::empty());
        let mut c = open(&p, Profile::Huawei);
        assert_eq!((c.state, c.expires_at), (ConnState::Unreplied, 30));
        assert_eq!(
            c.track(FlowDirection::Original, &p, 10, Profile::Huawei),
            Track::Moved { from: ConnState::Unreplied, to: ConnState::Unreplied }
        );
        assert_eq!(c.expires_at, 40);
        let r = p.reply();
        assert_eq!(c.direction_of(&r), Some(FlowDirection::Reply));
        c.track(FlowDirection::Reply, &r, 20, Profile::Huawei);
        assert_eq!((c.state, c.expires_at, c.assured), (ConnState::Replied, 200, true));
    }

    #[test]
    fn icmp_reply_must_carry_the_reply_type() {
        let p = packet(1, TcpFlags::empty());
        let c = open(&p, Profile::Huawei);
        assert_eq!(c.expires_at, 30);
        let r = p.reply();
        assert_eq!(c.direction_of(&r), Some(FlowDirection::Reply));
        let mut request_back = p.clone();
        std::mem::swap(&mut request_back.src, &mut request_back.dst);
        assert_eq!(c.direction_of(&request_back), None, "an echo request the other way is another connection");
        assert!(Connection::initial_state(&r).unwrap_err().contains("INVALID"));
    }

    #[test]
    fn tcp_moves_and_refuses() {
        let p = packet(6, TcpFlags::SYN);
        let mut c = open(&p, Profile::Huawei);
        assert_eq!(c.state, ConnState::Tcp(TcpState::SynSent));
        let mut ack = p.clone();
        ack.tcp_flags = TcpFlags::ACK;
        assert!(matches!(c.track(FlowDirection::Original, &ack, 1, Profile::Huawei), Track::Invalid { .. }));
        assert_eq!(c.expires_at, 30, "an invalid packet does not restart the timeout");
        c.track(FlowDirection::Reply, &p.reply(), 2, Profile::Huawei);
        c.track(FlowDirection::Original, &ack, 3, Profile::Huawei);
        assert_eq!((c.state, c.expires_at), (ConnState::Tcp(TcpState::Established), 603));
        let mut synack = p.reply();
        synack.tcp_flags = TcpFlags::SYN_ACK;
        assert_eq!(c.track(FlowDirection::Reply, &synack, 9, Profile::Huawei), Track::Ignored { state: TcpState::Established });
        assert_eq!(c.expires_at, 603, "an ignored packet does not restart the timeout");
    }

    #[test]
    fn states_serialise_as_names() {
        assert_eq!(serde_json::to_string(&ConnState::Tcp(TcpState::TimeWait)).unwrap(), "\"TIME_WAIT\"");
        assert_eq!(serde_json::from_str::<ConnState>("\"REPLIED\"").unwrap(), ConnState::Replied);
        assert_eq!(ConnState::parse("established"), Some(ConnState::Tcp(TcpState::Established)));
        assert_eq!(ConnState::parse("CUT"), None);
    }
}
