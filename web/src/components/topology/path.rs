//! The packet's path on the canvas, projected from the engine's trace: which node it leaves,
//! which it reaches, and how each side was decided. Pure; the colours come straight from each
//! hop's `verdict()`, nothing here decides anything.
//!
//! The line from the source to the destination is cut in two halves: the first stands for
//! the source's outbound rules, the second for the destination's inbound rules. A half is
//! green when its side allowed, red when it denied (the line then ends in a ✕ at the
//! instance that denied, and what lies beyond is drawn faint), grey and dashed when nothing
//! filters that side (the Internet, an instance without groups), or still pending while the
//! user steps through the trace and has not reached that side's decision yet.

use super::geometry::{Point, Rect};
use super::labels::{text_width, BOLD};
use super::layout::{Layout, INTERNET_ID};
use sgplay_core::eval::{HopDecision, HopTrace, Step, StepKind};
use sgplay_core::model::{Action, Direction, Place};
use sgplay_core::{Evaluation, Verdict};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Allow,
    Deny,
    /// No security group on this side.
    Open,
    /// Decided, but the step-through has not shown it yet.
    Pending,
    /// The packet never got here.
    Unreached,
}

impl Tone {
    pub fn class(self) -> &'static str {
        match self {
            Tone::Allow => "allow",
            Tone::Deny => "deny",
            Tone::Open => "open",
            Tone::Pending => "pending",
            Tone::Unreached => "unreached",
        }
    }

    fn of(verdict: Verdict) -> Tone {
        if verdict.is_allow() {
            Tone::Allow
        } else {
            Tone::Deny
        }
    }
}

/// One half of the path: a polyline.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub points: Vec<Point>,
    pub tone: Tone,
}

impl Segment {
    /// The SVG `points` attribute.
    pub fn svg_points(&self) -> String {
        self.points.iter().map(|p| format!("{:.1},{:.1}", p.x, p.y)).collect::<Vec<_>>().join(" ")
    }
}

/// The deciding rule of one side, written beside its half.
#[derive(Clone, Debug, PartialEq)]
pub struct PathLabel {
    /// Centre of the label.
    pub at: Point,
    pub text: String,
    pub width: f64,
    pub tone: Tone,
}

/// Height of a label's pill.
pub const LABEL_H: f64 = 20.0;

fn label_rect(at: Point, width: f64) -> Rect {
    Rect::new(at.x - width / 2.0, at.y - LABEL_H / 2.0, width, LABEL_H)
}

impl PathLabel {
    pub fn rect(&self) -> Rect {
        label_rect(self.at, self.width)
    }
}

/// An endpoint that is not a node of the layout: an address inside a VPC that no instance
/// holds, or the exact Internet address, written as a tag.
#[derive(Clone, Debug, PartialEq)]
pub struct Tag {
    pub rect: Rect,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PathView {
    /// The engine's verdict for the whole packet.
    pub verdict: Verdict,
    pub segments: Vec<Segment>,
    pub labels: Vec<PathLabel>,
    /// Where the ✕ goes when a side denied (and the step-through has shown it).
    pub stop: Option<Point>,
    /// The arrowhead at the destination, when the packet got there.
    pub arrow: Option<[Point; 3]>,
    pub tags: Vec<Tag>,
    /// The node whose rules the current step is looking at.
    pub focus: Option<Rect>,
    pub focus_id: Option<String>,
}

/// Label font size, canvas units.
pub const LABEL_FONT: f64 = 11.0;
/// How far a red stub reaches out of a source that denied its own outbound packet.
const STUB: f64 = 46.0;

/// The path of `eval` over `layout`, showing the first `cursor` of `steps`.
pub fn project(eval: &Evaluation, steps: &[Step], cursor: usize, layout: &Layout) -> Option<PathView> {
    let mut tags = Vec::new();
    let src = endpoint(&eval.from, layout, &mut tags)?;
    let dst = endpoint(&eval.to, layout, &mut tags)?;
    let revealed = |h: usize| cursor >= steps.len() || steps.iter().take(cursor).any(|s| s.kind == StepKind::Decision && s.hop == Some(h));

    let egress = eval.hops.iter().position(|h| h.direction == Direction::Egress);
    let ingress = eval.hops.iter().position(|h| h.direction == Direction::Ingress);
    let tone_of = |h: usize| eval.hops.get(h).map_or(Tone::Open, |hop| if revealed(h) { Tone::of(hop.verdict()) } else { Tone::Pending });
    let out_tone = egress.map_or(Tone::Open, tone_of);
    let stopped_at_source = egress.and_then(|h| eval.hops.get(h)).is_some_and(|h| !h.verdict().is_allow());
    let in_tone = match (stopped_at_source, out_tone, ingress) {
        (true, Tone::Deny, _) => Tone::Unreached,
        (true, _, _) => Tone::Pending,
        (false, _, Some(h)) => tone_of(h),
        (false, _, None) => Tone::Open,
    };

    let (first, second) = halves(src, dst, out_tone == Tone::Deny);
    let stop = match (out_tone, in_tone) {
        (Tone::Deny, _) => first.last().copied(),
        (_, Tone::Deny) => second.last().copied(),
        _ => None,
    };
    let arrow = match in_tone {
        Tone::Unreached | Tone::Deny => None,
        _ => second.len().checked_sub(2).and_then(|i| Some(arrowhead(*second.get(i)?, *second.last()?))),
    };
    let mut labels = Vec::new();
    for (hop, points, tone) in [(egress, &first, out_tone), (ingress, &second, in_tone)] {
        let Some(hop) = hop.and_then(|h| eval.hops.get(h)) else { continue };
        if matches!(tone, Tone::Allow | Tone::Deny) {
            let text = hop_label(hop);
            let width = text_width(&text, LABEL_FONT * BOLD) + 14.0;
            let mut at = label_point(points, width);
            // Two labels on a short path would cover each other: the later one steps down.
            while labels.iter().any(|l: &PathLabel| l.rect().overlaps(&label_rect(at, width))) {
                at.y += LABEL_H + 4.0;
            }
            labels.push(PathLabel { at, text, width, tone });
        }
    }
    let focus_id =
        cursor.checked_sub(1).and_then(|i| steps.get(i)).and_then(|s| s.hop).and_then(|h| eval.hops.get(h)).map(|h| h.instance_id.clone());
    let focus = focus_id.as_deref().and_then(|id| layout.anchor(id)).map(|n| n.rect);
    Some(PathView {
        verdict: eval.verdict,
        segments: vec![Segment { points: first, tone: out_tone }, Segment { points: second, tone: in_tone }],
        labels,
        stop,
        arrow,
        tags,
        focus,
        focus_id,
    })
}

/// The rectangle a place is drawn as; tags for places that are not nodes.
fn endpoint(place: &Place, layout: &Layout, tags: &mut Vec<Tag>) -> Option<Rect> {
    let internet = |tags: &mut Vec<Tag>, address: String| {
        let node = layout.anchor(INTERNET_ID)?.rect;
        // Stacked to the right of the Internet node, one per address.
        let w = text_width(&address, LABEL_FONT) + 16.0;
        place_tag(tags, Rect::new(node.right() + 8.0, node.y, w, 22.0), address);
        Some(node)
    };
    match place {
        Place::Instance { id, name, .. } => {
            let node = layout.anchor(id)?;
            if node.id != *id {
                // Drawn as its collapsed container's summary: say which instance it is.
                let w = text_width(name, LABEL_FONT) + 16.0;
                place_tag(tags, Rect::new(node.rect.right() - w - 8.0, node.rect.bottom() - 11.0, w, 22.0), name.clone());
            }
            Some(node.rect)
        }
        Place::Internet { address } => internet(tags, address.to_string()),
        Place::Unassigned { address, vpc_id } => match layout.container(vpc_id) {
            Some(vpc) => {
                // In the VPC's title bar, at the right.
                let text = format!("{address} (no instance)");
                let w = text_width(&text, LABEL_FONT) + 16.0;
                Some(place_tag(tags, Rect::new(vpc.rect.right() - w - 10.0, vpc.rect.y + 7.0, w, 22.0), text))
            }
            None => internet(tags, address.to_string()),
        },
    }
}

/// Adds a tag at `rect`, moved down below any tag already there; returns where it went.
fn place_tag(tags: &mut Vec<Tag>, mut rect: Rect, text: String) -> Rect {
    while tags.iter().any(|t| t.rect.overlaps(&rect)) {
        rect.y += rect.h + 2.0;
    }
    tags.push(Tag { rect, text });
    rect
}

/// The two halves of the line from `src` to `dst`. When the source denied its own packet the
/// first half is a short stub out of the source and the second half the rest of the way.
/// When both ends are the same node, the line loops out of its top-right corner and back.
fn halves(src: Rect, dst: Rect, stub: bool) -> (Vec<Point>, Vec<Point>) {
    if src == dst {
        let a = Point::new(src.right() - 34.0, src.y);
        let b = Point::new(src.right() - 34.0, src.y - 30.0);
        let c = Point::new(src.right() + 24.0, src.y - 30.0);
        let d = Point::new(src.right() + 24.0, src.y + 20.0);
        let e = Point::new(src.right(), src.y + 20.0);
        return (vec![a, b, c], vec![c, d, e]);
    }
    let start = src.edge_towards(dst.center());
    let end = dst.edge_towards(src.center());
    let split = if stub { start.towards(end, STUB.min(start.minus(end).length() / 2.0)) } else { start.lerp(end, 0.5) };
    (vec![start, split], vec![split, end])
}

/// Where a label `width` wide goes beside a polyline: at the middle of its middle segment,
/// beside the line rather than across it (right of a mostly vertical line, above a mostly
/// horizontal one).
fn label_point(points: &[Point], width: f64) -> Point {
    let (a, b) = match points {
        [] => return Point::default(),
        [only] => (*only, *only),
        _ => {
            let i = (points.len() - 1) / 2;
            (points[i], points[i + 1])
        }
    };
    let mid = a.lerp(b, 0.5);
    let d = b.minus(a);
    if d.y.abs() > d.x.abs() {
        Point::new(mid.x + width / 2.0 + 10.0, mid.y)
    } else {
        Point::new(mid.x, mid.y - 18.0)
    }
}

/// A filled triangle pointing from `from` to `tip`.
fn arrowhead(from: Point, tip: Point) -> [Point; 3] {
    let d = tip.minus(from);
    let len = d.length();
    if len <= f64::EPSILON {
        return [tip, tip, tip];
    }
    let u = d.scaled(1.0 / len);
    let back = tip.minus(u.scaled(11.0));
    let side = Point::new(-u.y, u.x).scaled(5.5);
    [tip, back.plus(side), back.minus(side)]
}

/// What decided one side, in a few words: "inbound: B01 of Sg-B allows".
pub fn hop_label(hop: &HopTrace) -> String {
    let side = hop.direction.to_string();
    match &hop.decision {
        HopDecision::Rule { group_id, rule_id, action, .. } => {
            let group = hop.groups.iter().find(|g| &g.group_id == group_id).map_or(group_id.as_str(), |g| g.group_name.as_str());
            let verb = if *action == Action::Allow { "allows" } else { "denies" };
            format!("{side}: {rule_id} of {group} {verb}")
        }
        HopDecision::DefaultDeny => format!("{side}: no rule matched, denied"),
        HopDecision::Bypass { .. } => format!("{side}: rules bypassed"),
        HopDecision::Tracked { connection_id, .. } => format!("{side}: connection #{connection_id} allows"),
        HopDecision::Related { connection_id, .. } => format!("{side}: related to connection #{connection_id}"),
        HopDecision::Cut { connection_id, .. } => format!("{side}: connection #{connection_id} was cut"),
        HopDecision::Invalid { .. } => format!("{side}: invalid for the tracker"),
    }
}

/// The canvas's text alternative: the path the drawing shows, as the engine's own sentences —
/// the packet, each side's decision and note, and the verdict, in order.
pub fn path_as_text(steps: &[Step]) -> Vec<String> {
    steps
        .iter()
        .filter(|s| matches!(s.kind, StepKind::Packet | StepKind::Note | StepKind::Decision | StepKind::Verdict))
        .map(|s| s.sentence.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::topology::layout::layout;
    use sgplay_core::eval::steps;
    use sgplay_core::scenario::ProbeSpec;
    use sgplay_core::World;
    use std::collections::BTreeMap;

    fn world() -> World {
        sgplay_core::scenario::ScenarioSpec::parse(crate::gallery::text("huawei/overview-sg-a-sg-b").unwrap())
            .unwrap()
            .build()
            .unwrap()
            .world
    }

    fn eval(w: &World, from: &str, to: &str, port: u16) -> Evaluation {
        let probe = ProbeSpec { from: from.into(), to: to.into(), protocol: "tcp".into(), port: Some(port), ..Default::default() };
        sgplay_core::evaluate(w, &probe.resolve(w).unwrap())
    }

    fn tones(p: &PathView) -> Vec<Tone> {
        p.segments.iter().map(|s| s.tone).collect()
    }

    #[test]
    fn the_text_alternative_reads_the_packet_each_side_and_the_verdict() {
        let w = world();
        let e = eval(&w, "ecs-a01", "ecs-b01", 22);
        let lines = path_as_text(&steps(&e));
        assert!(lines[0].starts_with("tcp 192.168.0.10:"), "{lines:?}");
        assert!(lines.iter().any(|l| l.starts_with("ECS-A01 outbound: allowed by rule A-out")), "{lines:?}");
        assert!(lines.iter().any(|l| l.starts_with("ECS-B01 inbound: allowed by rule B01")), "{lines:?}");
        assert!(lines.last().unwrap().contains("ALLOW") || lines.last().unwrap().contains("allow"), "{lines:?}");
    }

    #[test]
    fn an_allowed_packet_is_green_both_ways_with_its_rules() {
        let w = world();
        let l = layout(&w, &BTreeMap::new(), &BTreeMap::new());
        let e = eval(&w, "ecs-a01", "ecs-b01", 22);
        let s = steps(&e);
        let p = project(&e, &s, s.len(), &l).unwrap();
        assert_eq!(p.verdict, Verdict::Allow);
        assert_eq!(tones(&p), [Tone::Allow, Tone::Allow]);
        assert_eq!(p.stop, None);
        assert!(p.arrow.is_some());
        let texts: Vec<&str> = p.labels.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["outbound: A-out of Sg-A allows", "inbound: B01 of Sg-B allows"]);
        // The line runs from the edge of ECS-A01 to the edge of ECS-B01.
        let a = l.node("ecs-a01").unwrap().rect;
        let b = l.node("ecs-b01").unwrap().rect;
        assert!(a.inflated(0.01).contains_point(p.segments[0].points[0]));
        assert!(b.inflated(0.01).contains_point(*p.segments[1].points.last().unwrap()));
        assert_eq!(p.focus, None, "every step shown: nothing is being looked at");
    }

    #[test]
    fn a_denied_packet_turns_red_and_stops_at_the_instance_that_denied() {
        let w = world();
        let l = layout(&w, &BTreeMap::new(), &BTreeMap::new());
        let e = eval(&w, "ecs-a01", "ecs-b01", 80);
        let s = steps(&e);
        let p = project(&e, &s, s.len(), &l).unwrap();
        assert_eq!(p.verdict, Verdict::Deny);
        assert_eq!(tones(&p), [Tone::Allow, Tone::Deny]);
        let b = l.node("ecs-b01").unwrap().rect;
        assert!(b.inflated(0.01).contains_point(p.stop.unwrap()));
        assert!(p.arrow.is_none());
        assert_eq!(p.labels[1].text, "inbound: no rule matched, denied");
    }

    #[test]
    fn the_internet_is_an_endpoint_with_its_address() {
        let w = world();
        let l = layout(&w, &BTreeMap::new(), &BTreeMap::new());
        let e = eval(&w, "172.16.0.8", "ecs-a01", 22);
        let s = steps(&e);
        let p = project(&e, &s, s.len(), &l).unwrap();
        assert_eq!(tones(&p), [Tone::Open, Tone::Allow]);
        assert_eq!(p.tags[0].text, "172.16.0.8");
        let internet = l.anchor(INTERNET_ID).unwrap().rect;
        assert!(internet.inflated(0.01).contains_point(p.segments[0].points[0]));
        assert_eq!(p.labels.len(), 1);
    }

    #[test]
    fn an_unassigned_address_is_a_tag_in_its_vpc() {
        let w = world();
        let l = layout(&w, &BTreeMap::new(), &BTreeMap::new());
        let e = eval(&w, "ecs-a01", "192.168.5.5", 22);
        let s = steps(&e);
        let p = project(&e, &s, s.len(), &l).unwrap();
        assert_eq!(p.tags.len(), 1);
        assert!(p.tags[0].text.starts_with("192.168.5.5"));
        assert!(l.container("vpc-a").unwrap().rect.contains_rect(&p.tags[0].rect));
    }

    #[test]
    fn a_source_that_denies_its_own_packet_gets_a_stub() {
        let w = sgplay_core::scenario::ScenarioSpec::parse(
            r#"{"security_groups":[{"id":"closed","rules":[]}],
               "instances":[{"id":"a","ip":"10.0.0.1","security_groups":["closed"]},{"id":"b","ip":"10.0.0.2","security_groups":["closed"]}]}"#,
        )
        .unwrap()
        .build()
        .unwrap()
        .world;
        let l = layout(&w, &BTreeMap::new(), &BTreeMap::new());
        let e = eval(&w, "a", "b", 22);
        let s = steps(&e);
        let p = project(&e, &s, s.len(), &l).unwrap();
        assert_eq!(tones(&p), [Tone::Deny, Tone::Unreached]);
        let a = l.node("a").unwrap().rect;
        let stop = p.stop.unwrap();
        assert!(stop.minus(a.edge_towards(l.node("b").unwrap().rect.center())).length() <= STUB + 1e-9);
        // While stepping, before the decision, nothing is given away.
        let p = project(&e, &s, 2, &l).unwrap();
        assert_eq!(tones(&p), [Tone::Pending, Tone::Pending]);
        assert_eq!(p.stop, None);
    }

    #[test]
    fn stepping_reveals_sides_one_by_one_and_focuses_the_current_one() {
        let w = world();
        let l = layout(&w, &BTreeMap::new(), &BTreeMap::new());
        let e = eval(&w, "ecs-a01", "ecs-b01", 80);
        let s = steps(&e);
        let first_decision = s.iter().position(|x| x.kind == StepKind::Decision).unwrap();
        let p = project(&e, &s, first_decision, &l).unwrap();
        assert_eq!(tones(&p), [Tone::Pending, Tone::Pending]);
        assert_eq!(p.focus_id.as_deref(), Some("ecs-a01"));
        assert_eq!(p.focus, Some(l.node("ecs-a01").unwrap().rect));
        let p = project(&e, &s, first_decision + 1, &l).unwrap();
        assert_eq!(tones(&p), [Tone::Allow, Tone::Pending]);
        assert_eq!(p.labels.len(), 1);
        let p = project(&e, &s, first_decision + 2, &l).unwrap();
        assert_eq!(p.focus_id.as_deref(), Some("ecs-b01"));
        let p = project(&e, &s, 0, &l).unwrap();
        assert_eq!(tones(&p), [Tone::Pending, Tone::Pending]);
        assert_eq!(p.focus, None);
    }

    #[test]
    fn both_ends_in_one_collapsed_subnet_loop_back() {
        let w = world();
        let l = layout(&w, &BTreeMap::new(), &BTreeMap::from([("subnet-a".to_string(), true)]));
        let e = eval(&w, "ecs-a02", "ecs-a01", 22);
        let s = steps(&e);
        let p = project(&e, &s, s.len(), &l).unwrap();
        assert_eq!(tones(&p), [Tone::Allow, Tone::Allow]);
        assert_eq!(p.segments[0].points.len(), 3);
        assert_eq!(p.segments[0].points.last(), p.segments[1].points.first());
        // The summary says which instances the path joins.
        let tags: Vec<&str> = p.tags.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(tags, ["ECS-A02", "ECS-A01"]);
        assert!(!p.tags[0].rect.overlaps(&p.tags[1].rect));
    }

    #[test]
    fn labels_of_a_short_path_do_not_cover_each_other() {
        let w = world();
        // ECS-A01 right above ECS-A02: a path of a few units.
        let saved = BTreeMap::from([("ecs-a02".to_string(), sgplay_core::scenario::Position { x: 14.0, y: 112.0 })]);
        let l = layout(&w, &saved, &BTreeMap::new());
        let e = eval(&w, "ecs-a01", "ecs-a02", 22);
        let s = steps(&e);
        let p = project(&e, &s, s.len(), &l).unwrap();
        assert_eq!(p.labels.len(), 2);
        assert!(!p.labels[0].rect().overlaps(&p.labels[1].rect()), "{:?}", p.labels);
    }

    #[test]
    fn geometry_helpers() {
        let a = arrowhead(Point::new(0.0, 0.0), Point::new(100.0, 0.0));
        assert_eq!(a[0], Point::new(100.0, 0.0));
        assert!(a[1].x < 100.0 && a[2].x < 100.0 && a[1].y == -a[2].y);
        assert_eq!(label_point(&[Point::new(0.0, 0.0), Point::new(100.0, 0.0)], 60.0), Point::new(50.0, -18.0));
        assert_eq!(label_point(&[Point::new(0.0, 0.0), Point::new(0.0, 100.0)], 60.0), Point::new(40.0, 50.0));
        assert_eq!(Segment { points: vec![Point::new(1.0, 2.25)], tone: Tone::Open }.svg_points(), "1.0,2.2");
    }
}
