//! The engine against a reference model.
//!
//! `sgplay_tests::reference` is a deliberately naive evaluator written straight from SEMANTICS
//! §3–4, sharing no code with the engine's matching. Random small worlds and packets must get
//! the same verdict, the same deciding rule on every side and the same stopping point from
//! `eval::decide`, `eval::evaluate`, the compiled `Matcher` and the reference.
//!
//! The path outcome (reachable, no peering, private from outside, no public address) is compared
//! too: worlds have one VPC, or two with or without a peering.
//!
//! Worlds are built from the `model` types directly, and every instance has a group. Half the
//! worlds follow the Alibaba profile (`ref_side_alibaba`: SEMANTICS §9, aggregated order and the
//! group types' defaults).

use proptest::prelude::*;
use sgplay_core::eval::{decide, evaluate, PathOutcome, Reachability};
use sgplay_core::matcher::{Budget, Matcher, MatcherConfig, SideResult};
use sgplay_core::model::{Action, Direction, World};
use sgplay_core::packet::Packet;
use sgplay_core::profile::{CloudProfile, GroupKind};
use sgplay_core::Verdict;
use sgplay_tests::random_world::*;
use sgplay_tests::reference::{reference, reference_path};

// ---------------------------------------------------------------------------------------------

/// The matcher in each of its layouts: fused side tables, chains of group tables, scans.
fn matchers(world: &World) -> Vec<Matcher> {
    let chains = MatcherConfig { fuse_budget: 0, ..MatcherConfig::default() };
    let scans = MatcherConfig { fuse_budget: 0, table_budget: Budget { lists: 0, grid: 0 } };
    vec![Matcher::build(world), Matcher::build_with(world, chains), Matcher::build_with(world, scans)]
}

fn compare_all(world: &World, matchers: &[Matcher], packet: &Packet) -> Result<(), TestCaseError> {
    for matcher in matchers {
        compare(world, matcher, packet)?;
    }
    Ok(())
}

fn traced_path(path: &Reachability) -> &'static str {
    match path {
        Reachability::Reachable => "reachable",
        Reachability::NoPeering { .. } => "no_peering",
        Reachability::PrivateFromOutside { .. } => "private_from_outside",
        Reachability::NoPublicAddress { .. } => "no_public_address",
    }
}

fn routed_path(path: &PathOutcome<u32>) -> &'static str {
    match path {
        PathOutcome::Reachable => "reachable",
        PathOutcome::NoPeering { .. } => "no_peering",
        PathOutcome::PrivateFromOutside { .. } => "private_from_outside",
        PathOutcome::NoPublicAddress { .. } => "no_public_address",
    }
}

fn compare(world: &World, matcher: &Matcher, packet: &Packet) -> Result<(), TestCaseError> {
    let (want, sides) = reference(world, packet);
    let fast = decide(world, packet);
    let eval = evaluate(world, packet);
    let compiled = matcher.decide_rule(packet);
    prop_assert_eq!(fast, eval.verdict, "decide and evaluate disagree on {}", packet);
    // The path outcome: the tracer's (over the world), the matcher's (over its indices), the reference's.
    let want_path = reference_path(world, packet);
    prop_assert_eq!(traced_path(&eval.path), want_path, "the tracer's path outcome differs on {}: {:?}", packet, eval.path);
    let compiled_path = matcher.route(packet).path;
    prop_assert_eq!(routed_path(&compiled_path), want_path, "the matcher's path outcome differs on {}: {:?}", packet, compiled_path);
    prop_assert_eq!(want, fast, "engine and reference disagree on {}; reference sides: {:?}", packet, sides);
    prop_assert_eq!(want, compiled.verdict, "the matcher and the reference disagree on {}; matcher: {:?}", packet, compiled);
    prop_assert_eq!(compiled.verdict, matcher.decide(packet));
    let want_rules: Vec<(String, String)> =
        sides.iter().filter_map(|s| s.rule.as_ref().map(|(r, _)| (s.instance.clone(), r.clone()))).collect();
    let got_rules: Vec<(String, String)> = eval.deciding_rules().iter().map(|(i, _, r)| (i.to_string(), r.to_string())).collect();
    prop_assert_eq!(&want_rules, &got_rules, "deciding rules differ on {}", packet);
    let matcher_rules: Vec<String> = [compiled.outbound, compiled.inbound]
        .iter()
        .filter_map(|s| s.rule())
        .map(|r| world.security_groups[r.group as usize].rules[r.rule as usize].id.clone())
        .collect();
    let want_rule_ids: Vec<String> = want_rules.iter().map(|(_, r)| r.clone()).collect();
    prop_assert_eq!(want_rule_ids, matcher_rules, "the matcher names other deciding rules on {}: {:?}", packet, compiled);
    let want_stop = sides.iter().find(|s| !s.allows()).map(|s| (s.instance.clone(), s.direction));
    let got_stop = eval.denied_at().map(|h| (h.instance_id.clone(), h.direction));
    prop_assert_eq!(&want_stop, &got_stop, "the side that denied differs on {}", packet);
    let matcher_stop = match (compiled.outbound, compiled.inbound) {
        (o, _) if !o.allows() => Some(Direction::Egress),
        (_, i) if !i.allows() => Some(Direction::Ingress),
        _ => None,
    };
    prop_assert_eq!(want_stop.map(|(_, d)| d), matcher_stop, "the matcher stops elsewhere on {}: {:?}", packet, compiled);
    let inbound_looked_at = matches!(compiled.inbound, SideResult::Rule { .. } | SideResult::DefaultDeny);
    prop_assert!(!inbound_looked_at || compiled.outbound.allows(), "inbound looked at after an outbound deny");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_engine_agrees_with_the_reference_model(bp in profiled_world_bp(), packets in prop::collection::vec(packet_bp(), 1..=12)) {
        let world = build_profiled(&bp);
        let matchers = matchers(&world);
        for pb in &packets {
            let packet = build_packet(&world, pb);
            compare_all(&world, &matchers, &packet)?;
            // Its reply (a SYN-ACK, an echo reply) cannot open a connection: the tracer and every
            // matcher layout drop it at the same first tracking side.
            let reply = packet.reply();
            let eval = evaluate(&world, &reply);
            prop_assert_eq!(decide(&world, &reply), eval.verdict, "decide and evaluate disagree on {}", reply);
            for matcher in &matchers {
                let compiled = matcher.decide_rule(&reply);
                prop_assert_eq!(compiled.verdict, eval.verdict, "the matcher and the tracer disagree on {}: {:?}", reply, compiled);
                let stop = [(compiled.outbound, Direction::Egress), (compiled.inbound, Direction::Ingress)].into_iter().find(|(s, _)| !s.allows()).map(|(_, d)| d);
                prop_assert_eq!(stop, eval.denied_at().map(|h| h.direction), "stopping sides differ on {}", reply);
            }
        }
    }

    /// Every packet from each instance to each other instance, both families, all protocols: the
    /// instance-to-instance path is where both sides meet.
    #[test]
    fn every_instance_pair_agrees(bp in profiled_world_bp(), protocol in 0..5u8, port in 0..PACKET_PORTS.len()) {
        let world = build_profiled(&bp);
        let matchers = matchers(&world);
        let n = world.instances.len();
        for six in [false, true] {
            for a in 0..n {
                for b in 0..n {
                    let pairs = [(EndBp::Private(a), EndBp::Private(b)), (EndBp::Vip(a), EndBp::Private(b)), (EndBp::Private(a), EndBp::Eip(b))];
                    for (src, dst) in pairs {
                        let packet = build_packet(&world, &PacketBp { six, src, dst, protocol, port });
                        compare_all(&world, &matchers, &packet)?;
                    }
                }
            }
        }
    }
}

/// The reference model itself, on the seed's examples, so a bug in it is not mistaken for an
/// engine bug.
#[test]
fn the_reference_model_reads_the_seed_correctly() {
    let bp = WorldBp {
        groups: vec![
            vec![
                RuleBp { ingress: true, six: false, protocol: 1, ports: vec![0], deny: false, priority: 1, remote: RemoteBp::Any },
                RuleBp { ingress: true, six: false, protocol: 1, ports: vec![0], deny: true, priority: 1, remote: RemoteBp::Any },
                RuleBp { ingress: false, six: false, protocol: 0, ports: vec![], deny: false, priority: 1, remote: RemoteBp::Any },
            ],
            vec![RuleBp { ingress: true, six: false, protocol: 0, ports: vec![], deny: false, priority: 1, remote: RemoteBp::Group(0) }],
        ],
        address_groups: vec![(false, vec![0])],
        instances: vec![
            InstanceBp { has_v6: false, has_vip: true, has_eip: false, load_balancer: false, groups: vec![0] },
            InstanceBp { has_v6: false, has_vip: false, has_eip: false, load_balancer: false, groups: vec![1] },
        ],
        vpcs: VpcsBp::One,
    };
    let world = build(&bp);
    let ssh = |src| build_packet(&world, &PacketBp { six: false, src, dst: EndBp::Private(0), protocol: 0, port: 0 });
    // Deny wins a tie at priority 1.
    assert_eq!(reference(&world, &ssh(EndBp::Internet(0))).0, Verdict::Deny);
    // Instance 0 → instance 1: group 1 admits members of group 0 by private IP...
    let to1 = |src| build_packet(&world, &PacketBp { six: false, src, dst: EndBp::Private(1), protocol: 0, port: 2 });
    assert_eq!(reference(&world, &to1(EndBp::Private(0))).0, Verdict::Allow);
    // ...but not by virtual IP.
    assert_eq!(reference(&world, &to1(EndBp::Vip(0))).0, Verdict::Deny);
    // Instance 1 has no outbound rules: nothing goes out.
    let out = build_packet(&world, &PacketBp { six: false, src: EndBp::Private(1), dst: EndBp::Internet(0), protocol: 1, port: 0 });
    let (verdict, sides) = reference(&world, &out);
    assert_eq!(verdict, Verdict::Deny);
    assert_eq!(sides[0].direction, Direction::Egress);
}

/// The Alibaba reading on hand-worked cases: aggregated order across groups, the defaults of
/// basic, isolated and enterprise groups.
#[test]
fn the_reference_model_reads_alibaba_correctly() {
    let rule = |ingress, deny, priority, remote| RuleBp { ingress, six: false, protocol: 1, ports: vec![0], deny, priority, remote };
    let bp = ProfiledBp {
        world: WorldBp {
            groups: vec![
                vec![rule(true, false, 5, RemoteBp::Any)],
                vec![rule(true, true, 2, RemoteBp::Prefix(7))],
                vec![rule(true, false, 1, RemoteBp::Prefix(7))],
            ],
            address_groups: vec![(false, vec![0])],
            instances: vec![
                InstanceBp { has_v6: false, has_vip: false, has_eip: false, load_balancer: false, groups: vec![0, 1] },
                InstanceBp { has_v6: false, has_vip: false, has_eip: false, load_balancer: false, groups: vec![0] },
                InstanceBp { has_v6: false, has_vip: false, has_eip: false, load_balancer: false, groups: vec![2] },
            ],
            vpcs: VpcsBp::One,
        },
        profile: CloudProfile::Alibaba,
        kinds: vec![GroupKind::Basic, GroupKind::Basic, GroupKind::Enterprise],
    };
    let world = build_profiled(&bp);
    let ssh = |src, dst| build_packet(&world, &PacketBp { six: false, src, dst, protocol: 0, port: 0 });
    // Group 1's Drop at priority 2 beats group 0's Accept at priority 5 (Huawei: group 0 decides).
    let (verdict, sides) = reference(&world, &ssh(EndBp::Internet(0), EndBp::Private(0)));
    assert_eq!(verdict, Verdict::Deny);
    assert_eq!(sides[0].rule, Some(("g1-r0".to_string(), Action::Deny)));
    // Instance 1 → instance 0 on a port no rule opens: both in basic group 0, the internal default.
    let other = build_packet(&world, &PacketBp { six: false, src: EndBp::Private(1), dst: EndBp::Private(0), protocol: 1, port: 0 });
    let (verdict, sides) = reference(&world, &other);
    assert_eq!(verdict, Verdict::Allow);
    assert_eq!(sides[0].rule, Some(("implicit-outbound-ipv4".to_string(), Action::Allow)));
    assert_eq!(sides[1].rule, Some(("implicit-inner-ipv4".to_string(), Action::Allow)));
    // Instance 2 is in an enterprise group: nothing goes out by default.
    let out = build_packet(&world, &PacketBp { six: false, src: EndBp::Private(2), dst: EndBp::Internet(0), protocol: 1, port: 0 });
    assert_eq!(reference(&world, &out).0, Verdict::Deny);
    for packet in [ssh(EndBp::Internet(0), EndBp::Private(0)), other, out] {
        for matcher in matchers(&world) {
            compare(&world, &matcher, &packet).expect("the engine agrees on the hand-worked cases");
        }
    }
}
