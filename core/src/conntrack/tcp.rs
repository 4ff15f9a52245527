//! The TCP connection tracker: netfilter's state machine (`nf_conntrack_proto_tcp.c`) as a table
//! `[direction][flag class][state] -> next state`, the same cells as the Linux kernel's
//! `tcp_conntracks`.
//!
//! A packet is classified by its flags (RST, then SYN or SYN-ACK, then FIN, then ACK, else none),
//! the table is looked up with the direction it travels relative to the connection and the
//! connection's state, and then the few special cases are handled ([`step`]):
//! - a cell saying IGNORE lets the packet pass and changes neither the state nor the timeout;
//! - a cell saying INVALID marks the packet invalid (the simulator drops it);
//! - a SYN that takes a TIME_WAIT or CLOSE connection back to SYN_SENT reopens it: the old entry is
//!   destroyed and the SYN is looked up again as the first packet of a new connection.
//!
//! Sequence numbers and windows (`tcp_in_window`) are not modelled: every packet is in window.

use crate::packet::TcpFlags;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The state of a tracked TCP connection, as `conntrack -L` prints it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TcpState {
    /// Initial state: nothing seen yet. No entry is ever left in it.
    None,
    /// A SYN was seen.
    SynSent,
    /// A SYN-ACK was seen.
    SynRecv,
    /// The ACK of the handshake (or any ACK of a connection picked up mid-stream) was seen.
    Established,
    /// A FIN was seen.
    FinWait,
    /// The FIN was acknowledged.
    CloseWait,
    /// A FIN was seen in both directions.
    LastAck,
    /// The last ACK was seen.
    TimeWait,
    /// Closed by a RST.
    Close,
    /// A SYN was seen from the reply direction: simultaneous open.
    SynSent2,
}

impl TcpState {
    /// Every state, in netfilter's order (the table's column order).
    pub const ALL: [TcpState; 10] = [
        TcpState::None,
        TcpState::SynSent,
        TcpState::SynRecv,
        TcpState::Established,
        TcpState::FinWait,
        TcpState::CloseWait,
        TcpState::LastAck,
        TcpState::TimeWait,
        TcpState::Close,
        TcpState::SynSent2,
    ];

    /// The conntrack name: `SYN_SENT`, `ESTABLISHED`, …
    pub fn name(self) -> &'static str {
        match self {
            TcpState::None => "NONE",
            TcpState::SynSent => "SYN_SENT",
            TcpState::SynRecv => "SYN_RECV",
            TcpState::Established => "ESTABLISHED",
            TcpState::FinWait => "FIN_WAIT",
            TcpState::CloseWait => "CLOSE_WAIT",
            TcpState::LastAck => "LAST_ACK",
            TcpState::TimeWait => "TIME_WAIT",
            TcpState::Close => "CLOSE",
            TcpState::SynSent2 => "SYN_SENT2",
        }
    }

    /// Parses a conntrack name, case-insensitive; `-` may stand for `_` (`FIN-WAIT`).
    pub fn parse(text: &str) -> Option<TcpState> {
        let wanted = text.trim().to_ascii_uppercase().replace('-', "_");
        TcpState::ALL.into_iter().find(|s| s.name() == wanted)
    }
}

impl fmt::Display for TcpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which way a packet travels relative to its connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowDirection {
    /// The direction of the packet that opened the connection.
    Original,
    /// The other way: replies.
    Reply,
}

impl FlowDirection {
    pub fn label(self) -> &'static str {
        match self {
            FlowDirection::Original => "original",
            FlowDirection::Reply => "reply",
        }
    }
}

/// netfilter's flag classes (`enum tcp_bit_set`), in the table's row order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagClass {
    Syn,
    SynAck,
    Fin,
    Ack,
    Rst,
    None,
}

impl FlagClass {
    pub const ALL: [FlagClass; 6] = [FlagClass::Syn, FlagClass::SynAck, FlagClass::Fin, FlagClass::Ack, FlagClass::Rst, FlagClass::None];

    /// `get_conntrack_index`: RST wins, then SYN (with or without ACK), then FIN, then ACK.
    pub fn of(flags: TcpFlags) -> FlagClass {
        if flags.contains(TcpFlags::RST) {
            FlagClass::Rst
        } else if flags.contains(TcpFlags::SYN) {
            if flags.contains(TcpFlags::ACK) {
                FlagClass::SynAck
            } else {
                FlagClass::Syn
            }
        } else if flags.contains(TcpFlags::FIN) {
            FlagClass::Fin
        } else if flags.contains(TcpFlags::ACK) {
            FlagClass::Ack
        } else {
            FlagClass::None
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FlagClass::Syn => "SYN",
            FlagClass::SynAck => "SYN-ACK",
            FlagClass::Fin => "FIN",
            FlagClass::Ack => "ACK",
            FlagClass::Rst => "RST",
            FlagClass::None => "no-flag",
        }
    }
}

/// A cell of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "state")]
pub enum Transition {
    /// The connection moves to this state (possibly the one it is in).
    To(TcpState),
    /// `sIG`: the packet may be valid or not; let it pass, change nothing.
    Ignore,
    /// `sIV`: the packet is invalid in this state.
    Invalid,
}

// The kernel's aliases, so the table below reads like the kernel's.
// `sNO` is only ever a column heading: no cell moves a connection back to NONE.
#[allow(non_upper_case_globals, dead_code)]
const sNO: Transition = Transition::To(TcpState::None);
#[allow(non_upper_case_globals)]
const sSS: Transition = Transition::To(TcpState::SynSent);
#[allow(non_upper_case_globals)]
const sSR: Transition = Transition::To(TcpState::SynRecv);
#[allow(non_upper_case_globals)]
const sES: Transition = Transition::To(TcpState::Established);
#[allow(non_upper_case_globals)]
const sFW: Transition = Transition::To(TcpState::FinWait);
#[allow(non_upper_case_globals)]
const sCW: Transition = Transition::To(TcpState::CloseWait);
#[allow(non_upper_case_globals)]
const sLA: Transition = Transition::To(TcpState::LastAck);
#[allow(non_upper_case_globals)]
const sTW: Transition = Transition::To(TcpState::TimeWait);
#[allow(non_upper_case_globals)]
const sCL: Transition = Transition::To(TcpState::Close);
#[allow(non_upper_case_globals)]
const sS2: Transition = Transition::To(TcpState::SynSent2);
#[allow(non_upper_case_globals)]
const sIV: Transition = Transition::Invalid;
#[allow(non_upper_case_globals)]
const sIG: Transition = Transition::Ignore;

/// `tcp_conntracks[direction][flag class][state]`, cell for cell the Linux kernel's table.
/// Columns are the states in [`TcpState::ALL`] order; rows the classes in [`FlagClass::ALL`] order.
const TCP_CONNTRACKS: [[[Transition; 10]; 6]; 2] = [
    [
        // ORIGINAL: packets travelling like the one that opened the connection.
        //            sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2
        /* syn    */
        [sSS, sSS, sIG, sIG, sIG, sIG, sIG, sSS, sSS, sS2],
        // sNO -> sSS  initialise a new connection
        // sSS -> sSS  retransmitted SYN
        // sSR -> sIG  a SYN in window outside SYN_SENT is an error: the receiver answers with a RST,
        // sES -> sIG    or we are out of sync and hold a dead connection
        // sFW -> sIG
        // sCW -> sIG
        // sLA -> sIG
        // sTW -> sSS  reopened connection (RFC 1122)
        // sCL -> sSS
        // sS2 -> sS2  late retransmitted SYN
        //            sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2
        /* synack */
        [sIV, sIV, sSR, sIV, sIV, sIV, sIV, sIV, sIV, sSR],
        // sNO -> sIV  too late and no reason to do anything
        // sSS -> sIV  the client cannot send a SYN and then a SYN-ACK
        // sSR -> sSR  late retransmitted SYN-ACK in a simultaneous open
        // sES -> sIV  invalid SYN-ACK sent by the client
        // sFW -> sIV
        // sCW -> sIV
        // sLA -> sIV
        // sTW -> sIV
        // sCL -> sIV
        // sS2 -> sSR  SYN-ACK sent to SYN_SENT2 in a simultaneous open
        //            sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2
        /* fin    */
        [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
        // sNO -> sIV  too late and no reason to do anything
        // sSS -> sIV  the client may not send a FIN before the SYN-ACK reply
        // sSR -> sFW  close started
        // sES -> sFW
        // sFW -> sLA  FIN seen in both directions, waiting for the last ACK (or a retransmitted FIN)
        // sCW -> sLA
        // sLA -> sLA  retransmitted FIN: stay
        // sTW -> sTW
        // sCL -> sCL
        // sS2 -> sIV
        //            sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2
        /* ack    */
        [sES, sIV, sES, sES, sCW, sCW, sTW, sTW, sCL, sIV],
        // sNO -> sES  assumed: a connection picked up mid-stream
        // sSS -> sIV  an ACK before any SYN-ACK is invalid
        // sSR -> sES  the handshake completes
        // sES -> sES  :-)
        // sFW -> sCW  normal close request answered by ACK
        // sCW -> sCW
        // sLA -> sTW  last ACK detected
        // sTW -> sTW  retransmitted last ACK: stay
        // sCL -> sCL
        // sS2 -> sIV
        //            sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2
        /* rst    */
        [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
        // sNO -> sIV  a RST cannot open a connection; from any other state a RST closes it
        //            sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2
        /* none   */
        [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
        // a segment without SYN, FIN, ACK or RST is invalid in every state
    ],
    [
        // REPLY: packets travelling the other way.
        //            sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2
        /* syn    */
        [sIV, sS2, sIV, sIV, sIV, sIV, sIV, sSS, sIV, sS2],
        // sNO -> sIV  never reached
        // sSS -> sS2  simultaneous open
        // sSR -> sIV  invalid SYN sent by the server
        // sES -> sIV
        // sFW -> sIV
        // sCW -> sIV
        // sLA -> sIV
        // sTW -> sSS  reopened connection, the server may have switched role
        // sCL -> sIV
        // sS2 -> sS2  retransmitted simultaneous SYN
        //            sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2
        /* synack */
        [sIV, sSR, sIG, sIG, sIG, sIG, sIG, sIG, sIG, sSR],
        // sNO -> sIV  never reached
        // sSS -> sSR  standard open
        // sSR -> sIG  retransmitted SYN-ACK: ignore it
        // sES -> sIG  late retransmitted SYN-ACK?
        // sFW -> sIG  might be a SYN-ACK answering an ignored SYN
        // sCW -> sIG
        // sLA -> sIG
        // sTW -> sIG
        // sCL -> sIG
        // sS2 -> sSR  simultaneous open
        //            sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2
        /* fin    */
        [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
        // sNO -> sIV  never reached
        // sSS -> sIV  the server may not send a FIN in this state
        // sSR -> sFW  close started
        // sES -> sFW
        // sFW -> sLA  FIN seen in both directions
        // sCW -> sLA
        // sLA -> sLA  retransmitted FIN
        // sTW -> sTW
        // sCL -> sCL
        // sS2 -> sIV
        //            sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2
        /* ack    */
        [sIV, sIG, sSR, sES, sCW, sCW, sTW, sTW, sCL, sIG],
        // sNO -> sIV  never reached
        // sSS -> sIG  might be a half-open connection
        // sSR -> sSR  might answer a late resent SYN
        // sES -> sES  :-)
        // sFW -> sCW  normal close request answered by ACK
        // sCW -> sCW
        // sLA -> sTW  last ACK detected
        // sTW -> sTW  retransmitted last ACK
        // sCL -> sCL
        // sS2 -> sIG
        //            sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2
        /* rst    */
        [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
        // sNO -> sIV  never reached; from any other state a RST closes the connection
        //            sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2
        /* none   */
        [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
        // a segment without SYN, FIN, ACK or RST is invalid in every state
    ],
];

/// The table cell for a packet of `class` travelling `dir` on a connection in `state`.
pub fn lookup(dir: FlowDirection, class: FlagClass, state: TcpState) -> Transition {
    // INVARIANT: the three enums index the table's three dimensions exactly (2 × 6 × 10), so the
    // `as usize` casts are always in range.
    TCP_CONNTRACKS[dir as usize][class as usize][state as usize]
}

/// What the tracker does with one packet, after the special cases.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TcpStep {
    /// The packet is valid: the connection is now in `to` (possibly unchanged).
    Move { from: TcpState, to: TcpState },
    /// The table says IGNORE: the packet passes, state and timeout stay.
    Ignore { state: TcpState },
    /// The table says INVALID.
    Invalid { state: TcpState, reason: String },
    /// A SYN reopens a connection in TIME_WAIT or CLOSE: the old entry is destroyed and the packet
    /// starts a new connection (netfilter's `-NF_REPEAT`).
    Reopen { state: TcpState },
}

/// Classifies `flags`, looks up the table, then handles the special cases.
pub fn step(dir: FlowDirection, flags: TcpFlags, state: TcpState) -> TcpStep {
    let class = FlagClass::of(flags);
    match lookup(dir, class, state) {
        Transition::Ignore => TcpStep::Ignore { state },
        Transition::Invalid => TcpStep::Invalid { state, reason: invalid_reason(dir, class, flags, state) },
        // netfilter kills the old conntrack and looks the SYN up again, but only after a FIN began
        // the close or a RST in the SYN's own direction was the last packet; otherwise the SYN
        // is IGNOREd. That needs the connection's history: `Connection::track` decides.
        Transition::To(TcpState::SynSent) if matches!(state, TcpState::TimeWait | TcpState::Close) => TcpStep::Reopen { state },
        Transition::To(to) => TcpStep::Move { from: state, to },
    }
}

/// The state a connection starts in when `flags` is its first packet: SYN_SENT for a SYN,
/// ESTABLISHED for an ACK (netfilter picks up connections mid-stream, `nf_conntrack_tcp_loose`),
/// `Err` with the reason for anything else.
pub fn initial_state(flags: TcpFlags) -> Result<TcpState, String> {
    match step(FlowDirection::Original, flags, TcpState::None) {
        TcpStep::Move { to, .. } => Ok(to),
        TcpStep::Invalid { reason, .. } => Err(reason),
        // INVARIANT: the NONE column of the ORIGINAL table holds only sSS, sES and sIV.
        TcpStep::Ignore { .. } | TcpStep::Reopen { .. } => {
            Err(invalid_reason(FlowDirection::Original, FlagClass::of(flags), flags, TcpState::None))
        }
    }
}

fn invalid_reason(dir: FlowDirection, class: FlagClass, flags: TcpFlags, state: TcpState) -> String {
    let why = match (dir, class, state) {
        (_, FlagClass::None, _) => "a segment without SYN, ACK, FIN or RST is never valid",
        (FlowDirection::Original, _, TcpState::None) => "only a SYN (or an ACK, picked up mid-stream) can open a connection",
        (FlowDirection::Original, FlagClass::SynAck, TcpState::SynSent) => "the side that sent the SYN cannot send a SYN-ACK",
        (FlowDirection::Original, FlagClass::SynAck, _) => "a SYN-ACK from the side that opened the connection is invalid here",
        (FlowDirection::Original, FlagClass::Fin, TcpState::SynSent) => "the client may not send a FIN before the SYN-ACK reply",
        (FlowDirection::Original, FlagClass::Ack, TcpState::SynSent) => "an ACK before any SYN-ACK is invalid",
        (FlowDirection::Reply, FlagClass::Syn, _) => "the answering side may not send a SYN once the connection is past the handshake",
        (FlowDirection::Reply, FlagClass::Fin, TcpState::SynSent) => "the server may not send a FIN before its SYN-ACK",
        (_, _, TcpState::SynSent2) => "invalid during a simultaneous open",
        _ => "the state machine does not allow it",
    };
    format!(
        "netfilter's TCP state machine marks a [{flags}] ({}) packet in the {} direction INVALID in state {state}: {why}",
        class.label(),
        dir.label()
    )
}

#[cfg(test)]
mod tests {
    use super::FlagClass::{Ack, Fin, None as NoFlag, Rst, Syn, SynAck};
    use super::FlowDirection::{Original, Reply};
    use super::TcpState::*;
    use super::*;

    const IV: Transition = Transition::Invalid;
    const IG: Transition = Transition::Ignore;
    fn to(s: TcpState) -> Transition {
        Transition::To(s)
    }

    /// One cell: the packet class in the direction, from `state`, gives `expected`.
    #[track_caller]
    fn cell(dir: FlowDirection, class: FlagClass, state: TcpState, expected: Transition) {
        assert_eq!(lookup(dir, class, state), expected, "{dir:?} {class:?} in {state}");
    }

    /// The twelve cells of one state column: original SYN, SYN-ACK, FIN, ACK, RST, none, then
    /// the same six for the reply direction.
    #[track_caller]
    fn column(state: TcpState, original: [Transition; 6], reply: [Transition; 6]) {
        for (class, expected) in FlagClass::ALL.into_iter().zip(original) {
            cell(Original, class, state, expected);
        }
        for (class, expected) in FlagClass::ALL.into_iter().zip(reply) {
            cell(Reply, class, state, expected);
        }
    }

    /// Runs packets through the tracker from `start`, each a (direction, flags) pair, and checks
    /// the state after each.
    #[track_caller]
    fn run(start: TcpState, packets: &[(FlowDirection, &str, TcpState)]) {
        let mut state = start;
        for (dir, flags, expected) in packets {
            let flags = TcpFlags::parse(flags).unwrap();
            match step(*dir, flags, state) {
                TcpStep::Move { to, .. } => state = to,
                TcpStep::Ignore { .. } => {}
                other => panic!("[{flags}] {dir:?} in {state}: {other:?}"),
            }
            assert_eq!(state, *expected, "after [{flags}] {dir:?}");
        }
    }

    // Tests for the NONE state.
    #[test]
    fn none() {
        cell(Original, Syn, None, to(SynSent));
        cell(Original, SynAck, None, IV);
        cell(Original, Fin, None, IV);
        cell(Original, Ack, None, to(Established));
        cell(Original, Rst, None, IV);
        cell(Original, NoFlag, None, IV);
        cell(Reply, Syn, None, IV);
        cell(Reply, SynAck, None, IV);
        cell(Reply, Fin, None, IV);
        cell(Reply, Ack, None, IV);
        cell(Reply, Rst, None, IV);
        cell(Reply, NoFlag, None, IV);
    }

    // Tests for the SYN_SENT state.
    #[test]
    fn syn_sent() {
        column(SynSent, [to(SynSent), IV, IV, IV, to(Close), IV], [to(SynSent2), to(SynRecv), IV, IG, to(Close), IV]);
    }

    // Tests for the SYN_RECV state.
    #[test]
    fn syn_recv() {
        column(SynRecv, [IG, to(SynRecv), to(FinWait), to(Established), to(Close), IV], [IV, IG, to(FinWait), to(SynRecv), to(Close), IV]);
    }

    // Tests for the ESTABLISHED state.
    #[test]
    fn established() {
        column(Established, [IG, IV, to(FinWait), to(Established), to(Close), IV], [IV, IG, to(FinWait), to(Established), to(Close), IV]);
    }

    // Tests for the FIN_WAIT state.
    #[test]
    fn fin_wait() {
        column(FinWait, [IG, IV, to(LastAck), to(CloseWait), to(Close), IV], [IV, IG, to(LastAck), to(CloseWait), to(Close), IV]);
    }

    // Tests for the CLOSE_WAIT state.
    #[test]
    fn close_wait() {
        column(CloseWait, [IG, IV, to(LastAck), to(CloseWait), to(Close), IV], [IV, IG, to(LastAck), to(CloseWait), to(Close), IV]);
    }

    // Tests for the LAST_ACK state.
    #[test]
    fn last_ack() {
        column(LastAck, [IG, IV, to(LastAck), to(TimeWait), to(Close), IV], [IV, IG, to(LastAck), to(TimeWait), to(Close), IV]);
    }

    // Tests for the TIME_WAIT state.
    #[test]
    fn time_wait() {
        column(
            TimeWait,
            [to(SynSent), IV, to(TimeWait), to(TimeWait), to(Close), IV],
            [to(SynSent), IG, to(TimeWait), to(TimeWait), to(Close), IV],
        );
    }

    // Tests for the CLOSE state.
    #[test]
    fn close() {
        column(Close, [to(SynSent), IV, to(Close), to(Close), to(Close), IV], [IV, IG, to(Close), to(Close), to(Close), IV]);
    }

    // Tests for the SYN_SENT2 state.
    #[test]
    fn syn_sent2() {
        column(SynSent2, [to(SynSent2), to(SynRecv), IV, IV, to(Close), IV], [to(SynSent2), to(SynRecv), IV, IG, to(Close), IV]);
    }

    // Tests for classification and the special cases.
    #[test]
    fn flags_are_classified_like_the_kernel() {
        let class = |t: &str| FlagClass::of(TcpFlags::parse(t).unwrap());
        assert_eq!(class("syn"), Syn);
        assert_eq!(class("syn,ack"), SynAck);
        assert_eq!(class("fin,ack"), Fin);
        assert_eq!(class("ack,psh"), Ack);
        assert_eq!(class("rst,ack"), Rst);
        assert_eq!(class("syn,rst"), Rst);
        assert_eq!(class("syn,fin"), Syn);
        assert_eq!(class("psh"), NoFlag);
        assert_eq!(class(""), NoFlag);
    }

    #[test]
    fn a_syn_in_time_wait_or_close_reopens() {
        let syn = TcpFlags::SYN;
        assert_eq!(step(Original, syn, TimeWait), TcpStep::Reopen { state: TimeWait });
        assert_eq!(step(Original, syn, Close), TcpStep::Reopen { state: Close });
        assert_eq!(step(Reply, syn, TimeWait), TcpStep::Reopen { state: TimeWait });
        // A retransmitted SYN in SYN_SENT is not a reopen.
        assert_eq!(step(Original, syn, SynSent), TcpStep::Move { from: SynSent, to: SynSent });
    }

    #[test]
    fn ignore_and_invalid_are_reported() {
        assert_eq!(step(Reply, TcpFlags::SYN_ACK, Established), TcpStep::Ignore { state: Established });
        let TcpStep::Invalid { reason, .. } = step(Original, TcpFlags::ACK, SynSent) else { panic!() };
        assert!(reason.contains("INVALID in state SYN_SENT"), "{reason}");
        assert!(reason.contains("[ack]"), "{reason}");
    }

    #[test]
    fn what_can_open_a_connection() {
        assert_eq!(initial_state(TcpFlags::SYN), Ok(SynSent));
        assert_eq!(initial_state(TcpFlags::ACK), Ok(Established));
        for flags in ["syn,ack", "fin", "rst", "psh"] {
            let err = initial_state(TcpFlags::parse(flags).unwrap()).unwrap_err();
            assert!(err.contains("state NONE"), "{err}");
        }
    }

    #[test]
    fn names_round_trip() {
        for s in TcpState::ALL {
            assert_eq!(TcpState::parse(s.name()), Some(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.name()));
        }
        assert_eq!(TcpState::parse("fin-wait"), Some(FinWait));
        assert_eq!(TcpState::parse("LISTEN"), Option::None);
    }

    // Whole conversations.
    #[test]
    fn three_way_handshake() {
        run(None, &[(Original, "syn", SynSent), (Reply, "syn,ack", SynRecv), (Original, "ack", Established)]);
    }

    #[test]
    fn client_closes_first() {
        run(
            Established,
            &[(Original, "fin,ack", FinWait), (Reply, "ack", CloseWait), (Reply, "fin,ack", LastAck), (Original, "ack", TimeWait)],
        );
    }

    #[test]
    fn server_closes_first() {
        run(
            Established,
            &[(Reply, "fin,ack", FinWait), (Original, "ack", CloseWait), (Original, "fin,ack", LastAck), (Reply, "ack", TimeWait)],
        );
    }

    #[test]
    fn simultaneous_close() {
        run(
            Established,
            &[(Original, "fin,ack", FinWait), (Reply, "fin,ack", LastAck), (Original, "ack", TimeWait), (Reply, "ack", TimeWait)],
        );
    }

    #[test]
    fn simultaneous_open() {
        run(None, &[(Original, "syn", SynSent), (Reply, "syn", SynSent2), (Original, "syn,ack", SynRecv), (Original, "ack", Established)]);
    }

    #[test]
    fn reset_closes_from_anywhere() {
        for s in TcpState::ALL.into_iter().filter(|s| *s != None) {
            run(s, &[(Original, "rst", Close)]);
            run(s, &[(Reply, "rst,ack", Close)]);
        }
    }

    #[test]
    fn refused_connection() {
        run(None, &[(Original, "syn", SynSent), (Reply, "rst,ack", Close)]);
    }
}
