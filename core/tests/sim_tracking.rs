//! Connection tracking through the simulator: replies pass regardless of rules on both
//! instances, TCP follows netfilter's state machine (invalid, ignored, picked up, reopened), ICMP
//! replies match their request, and the `conntrack -L` view.

use sgplay_core::conntrack::{ConnState, Opened, Profile, TcpState};
use sgplay_core::eval::explain::render_text;
use sgplay_core::eval::HopDecision;
use sgplay_core::packet::TcpFlags;
use sgplay_core::sim::{Delivery, EventKind, Simulator};
use sgplay_core::{evaluate, Packet, ProbeSpec, Scenario, Verdict};

const WORLD: &str = r#"{
  "security_groups": [
    {"id": "sg-a", "name": "Sg-A", "rules": [
      {"id": "A-out", "direction": "egress"}
    ]},
    {"id": "sg-b", "name": "Sg-B", "rules": [
      {"id": "B-ssh", "direction": "ingress", "protocol": "tcp", "multiport": "22", "remote_group_id": "sg-a"},
      {"id": "B-out", "direction": "egress"}
    ]},
    {"id": "sg-x", "name": "Sg-X", "rules": [
      {"id": "X-ssh", "direction": "ingress", "protocol": "tcp", "multiport": "22"},
      {"id": "X-ping", "direction": "ingress", "protocol": "icmp"},
      {"id": "X-out", "direction": "egress"}
    ]}
  ],
  "instances": [
    {"id": "a", "name": "ECS-A", "ip": "10.0.0.1", "security_groups": ["sg-a"]},
    {"id": "b", "name": "ECS-B", "ip": "10.0.0.2", "security_groups": ["sg-b"]},
    {"id": "x", "name": "ECS-X", "ip": "10.0.0.3", "security_groups": ["sg-x"]}
  ]
}"#;

const CLIENT: &str = "203.0.113.5";

fn sim() -> Simulator {
    Simulator::new(Scenario::from_json(WORLD).unwrap().world, Profile::Huawei)
}

fn packet(sim: &Simulator, from: &str, to: &str, protocol: &str, port: Option<u16>, flags: &str) -> Packet {
    let flags = (protocol == "tcp").then(|| flags.to_string());
    ProbeSpec { from: from.into(), to: to.into(), protocol: protocol.into(), port, flags, ..Default::default() }
        .resolve(sim.world())
        .unwrap()
}

fn with_flags(p: &Packet, flags: &str) -> Packet {
    let mut p = p.clone();
    p.tcp_flags = TcpFlags::parse(flags).unwrap();
    p
}

#[track_caller]
fn send(sim: &mut Simulator, p: &Packet, expected: Verdict) -> Delivery {
    let d = sim.send(p);
    assert_eq!(d.evaluation.verdict, expected, "{}", render_text(&d.evaluation));
    d
}

fn decisions(d: &Delivery) -> Vec<&HopDecision> {
    d.evaluation.hops.iter().map(|h| &h.decision).collect()
}

#[test]
fn replies_pass_on_both_instances_regardless_of_the_rules() {
    let mut s = sim();
    let syn = packet(&s, "a", "b", "tcp", Some(22), "syn");
    let d = send(&mut s, &syn, Verdict::Allow);
    assert_eq!(d.connections.len(), 2, "one entry on each instance");
    let synack = syn.reply();
    assert_eq!(evaluate(s.world(), &synack).verdict, Verdict::Deny, "Sg-A's inbound rules alone would refuse the reply");
    let d = send(&mut s, &synack, Verdict::Allow);
    let [HopDecision::Tracked { reason: b_reason, .. }, HopDecision::Tracked { reason: a_reason, .. }] = decisions(&d)[..] else {
        panic!("{:?}", decisions(&d))
    };
    assert!(b_reason.starts_with("reply on connection #2, opened inbound at t=0 by rule B-ssh of Sg-B (SYN_SENT → SYN_RECV"), "{b_reason}");
    assert!(a_reason.starts_with("reply on connection #1, opened outbound at t=0 by rule A-out of Sg-A"), "{a_reason}");
    let text = render_text(&d.evaluation);
    assert!(text.contains("ECS-A inbound: allowed — reply on connection #1"), "{text}");
    let d = send(&mut s, &synack.reply(), Verdict::Allow);
    assert!(decisions(&d).iter().all(|h| matches!(h, HopDecision::Tracked { .. })));
    assert_eq!(
        s.lookup("b", &syn).map(|c| (c.state, c.opened, c.assured)),
        Some((ConnState::Tcp(TcpState::Established), Opened::Inbound, true))
    );
    assert_eq!(s.lookup("a", &syn).map(|c| c.opened), Some(Opened::Outbound));
}

#[test]
fn a_reply_to_a_denied_packet_is_invalid() {
    let mut s = sim();
    let syn = packet(&s, CLIENT, "b", "tcp", Some(22), "syn");
    send(&mut s, &syn, Verdict::Deny);
    let d = send(&mut s, &syn.reply(), Verdict::Deny);
    let [HopDecision::Invalid { connection_id: 0, reason }] = decisions(&d)[..] else { panic!("{:?}", decisions(&d)) };
    assert!(reason.contains("no tracked connection") && reason.contains("INVALID in state NONE"), "{reason}");
}

#[test]
fn an_invalid_transition_is_dropped_and_changes_nothing() {
    let mut s = sim();
    let syn = packet(&s, CLIENT, "x", "tcp", Some(22), "syn");
    send(&mut s, &syn, Verdict::Allow);
    let d = send(&mut s, &with_flags(&syn, "ack"), Verdict::Deny);
    let [HopDecision::Invalid { connection_id: 1, reason }] = decisions(&d)[..] else { panic!("{:?}", decisions(&d)) };
    assert!(reason.contains("[ack] (ACK) packet in the original direction INVALID in state SYN_SENT"), "{reason}");
    assert_eq!(s.lookup("x", &syn).map(|c| c.state), Some(ConnState::Tcp(TcpState::SynSent)));
}

#[test]
fn an_ack_without_a_connection_is_picked_up_mid_stream() {
    let mut s = sim();
    let ack = packet(&s, CLIENT, "x", "tcp", Some(22), "ack");
    let d = send(&mut s, &ack, Verdict::Allow);
    assert!(matches!(decisions(&d)[0], HopDecision::Rule { .. }));
    assert!(d.events[0].text.contains("picked up mid-stream as ESTABLISHED"), "{}", d.events[0].text);
    assert_eq!(s.lookup("x", &ack).map(|c| c.state), Some(ConnState::Tcp(TcpState::Established)));
}

#[test]
fn a_retransmitted_syn_ack_is_ignored() {
    let mut s = sim();
    let syn = packet(&s, CLIENT, "x", "tcp", Some(22), "syn");
    send(&mut s, &syn, Verdict::Allow);
    send(&mut s, &syn.reply(), Verdict::Allow);
    send(&mut s, &with_flags(&syn, "ack"), Verdict::Allow);
    s.advance(10);
    let d = send(&mut s, &with_flags(&syn.reply(), "syn,ack"), Verdict::Allow);
    let [HopDecision::Tracked { reason, .. }] = decisions(&d)[..] else { panic!() };
    assert!(reason.contains("IGNOREs a [syn,ack]"), "{reason}");
    assert_eq!(s.lookup("x", &syn).map(|c| c.seconds_left(s.now())), Some(590), "the timeout did not restart");
}

#[test]
fn a_syn_after_time_wait_reopens_as_a_new_connection() {
    let mut s = sim();
    let syn = packet(&s, CLIENT, "x", "tcp", Some(22), "syn");
    for (p, _) in [
        (syn.clone(), "SYN_SENT"),
        (syn.reply(), "SYN_RECV"),
        (with_flags(&syn, "ack"), "ESTABLISHED"),
        (with_flags(&syn, "fin,ack"), "FIN_WAIT"),
        (with_flags(&syn.reply(), "fin,ack"), "LAST_ACK"),
        (with_flags(&syn, "ack"), "TIME_WAIT"),
    ] {
        send(&mut s, &p, Verdict::Allow);
    }
    assert_eq!(s.lookup("x", &syn).map(|c| c.state), Some(ConnState::Tcp(TcpState::TimeWait)));
    let d = send(&mut s, &syn, Verdict::Allow);
    assert_eq!(d.events.iter().map(|e| e.kind).collect::<Vec<_>>(), vec![EventKind::Closed, EventKind::Opened]);
    assert!(matches!(decisions(&d)[0], HopDecision::Rule { .. }), "the reopening SYN is checked against the rules");
    assert_eq!(s.lookup("x", &syn).map(|c| (c.id, c.state)), Some((2, ConnState::Tcp(TcpState::SynSent))));
}

#[test]
fn icmp_replies_match_their_request_and_nothing_else() {
    let mut s = sim();
    let ping = packet(&s, CLIENT, "x", "icmp", None, "");
    send(&mut s, &ping, Verdict::Allow);
    let pong = ping.reply();
    assert_eq!(pong.icmp_type, 0);
    let d = send(&mut s, &pong, Verdict::Allow);
    assert!(matches!(decisions(&d)[0], HopDecision::Tracked { .. }));
    assert_eq!(s.lookup("x", &ping).map(|c| c.state), Some(ConnState::Replied));
    // An echo reply nobody asked for is invalid; an echo request the other way is a new connection.
    let mut stray = pong.clone();
    stray.icmp_id = 99;
    let d = send(&mut s, &stray, Verdict::Deny);
    assert!(matches!(decisions(&d)[0], HopDecision::Invalid { connection_id: 0, .. }));
    let mut back = ping.clone();
    std::mem::swap(&mut back.src, &mut back.dst);
    let d = send(&mut s, &back, Verdict::Allow);
    assert!(matches!(decisions(&d)[0], HopDecision::Rule { .. }), "a new outbound connection by X-out");
}

#[test]
fn udp_becomes_replied_and_logs_it() {
    let mut s = sim();
    let q = packet(&s, "x", CLIENT, "udp", Some(53), "");
    send(&mut s, &q, Verdict::Allow);
    let d = send(&mut s, &q.reply(), Verdict::Allow);
    assert_eq!(d.events[0].kind, EventKind::StateChanged);
    assert!(d.events[0].text.contains("UNREPLIED → REPLIED"), "{}", d.events[0].text);
    assert_eq!(s.lookup("x", &q).map(|c| c.seconds_left(s.now())), Some(180));
}

#[test]
fn conntrack_list_reads_like_conntrack_l() {
    let mut s = sim();
    let syn = packet(&s, "a", "b", "tcp", Some(22), "syn");
    send(&mut s, &syn, Verdict::Allow);
    send(&mut s, &syn.reply(), Verdict::Allow);
    send(&mut s, &with_flags(&syn, "ack"), Verdict::Allow);
    let ping = packet(&s, "a", CLIENT, "icmp", None, "");
    send(&mut s, &ping, Verdict::Allow);
    s.advance(2);
    let list = s.conntrack_list();
    assert_eq!(list.len(), 3);
    let b = list.iter().find(|v| v.instance_id == "b").unwrap();
    assert_eq!(b.line, "tcp      6 598 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=49152 dport=22 src=10.0.0.2 dst=10.0.0.1 sport=22 dport=49152 [ASSURED] id=2 on=ECS-B opened=inbound rule=B-ssh@sg-b");
    let icmp = list.iter().find(|v| v.protocol == "icmp").unwrap();
    assert_eq!(icmp.line, "icmp     1 28 src=10.0.0.1 dst=203.0.113.5 type=8 code=0 id=1 [UNREPLIED] src=203.0.113.5 dst=10.0.0.1 type=0 code=0 id=1 id=3 on=ECS-A opened=outbound rule=A-out@sg-a");
    assert_eq!((icmp.icmp_id, icmp.src_port, icmp.state.as_str()), (Some(1), None, "UNREPLIED"));
    let json = serde_json::to_value(&list).unwrap();
    assert_eq!(json[0]["opened"], "outbound");
    assert_eq!(json[0]["status"]["kind"], "active");
}

#[test]
fn connection_ids_are_unique_across_instances_and_events_are_logged() {
    let mut s = sim();
    let syn = packet(&s, "a", "b", "tcp", Some(22), "syn");
    send(&mut s, &syn, Verdict::Allow);
    let ping = packet(&s, CLIENT, "x", "icmp", None, "");
    send(&mut s, &ping, Verdict::Allow);
    let ids: Vec<u64> = s.conntrack_list().iter().map(|v| v.id).collect();
    assert_eq!(ids, vec![1, 2, 3]);
    let opened: Vec<&str> =
        s.events().iter().filter(|e| e.kind == EventKind::Opened).map(|e| e.instance_id.as_deref().unwrap_or("")).collect();
    assert_eq!(opened, vec!["a", "b", "x"]);
    assert!(s.events()[1].text.starts_with("connection #2 (tcp 10.0.0.1:49152 → 10.0.0.2:22) opened inbound on ECS-B by rule B-ssh of Sg-B: SYN_SENT, expires in 30 s (huawei profile, interpretation)"), "{}", s.events()[1].text);
}
