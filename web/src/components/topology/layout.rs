//! The canvas projection: from a [`World`] and the saved positions to rectangles. Pure and
//! deterministic (the same world and positions always give the same layout), tested natively;
//! the SVG components only draw what this returns.
//!
//! ## What goes where
//! - Each VPC is a container; its subnets are containers inside it; instances are nodes inside
//!   their subnet. An instance without a (known) subnet goes into a "No subnet" container of
//!   the VPC whose CIDR holds its address, or else into the top-level "unplaced" container.
//! - The Internet is a node (id [`INTERNET_ID`]) above everything.
//! - A container holding more than [`COLLAPSE_ABOVE`] instances is drawn collapsed, as one
//!   summary node ("Subnet-B · 57 instances"), unless the user expanded it; the user can also
//!   collapse a small one. Expanded large containers use dense (smaller) nodes.
//!
//! ## Saved positions
//! `ScenarioSpec::layout` maps an id to a position. VPCs, the unplaced container and the
//! Internet node are placed at absolute canvas coordinates; a subnet is placed relative to its
//! VPC's top-left corner, an instance relative to its container's. Moving a VPC so moves
//! everything in it. Nested positions are clamped into the container's content area, so a
//! container always contains its children and grows to fit them.
//!
//! ## Invariants (tested)
//! - Auto-placed items never overlap each other or saved siblings.
//! - Every node and container lies inside its parent container.
//! - The output depends only on the inputs (no hash-map order, no clock).

use super::geometry::{bounding, Point, Rect};
use super::labels::{fit_badges, text_width, truncate, Badges, BOLD, TONES};
use sgplay_core::model::{Instance, InstanceKind, Vpc, World};
use sgplay_core::scenario::Position;
use std::collections::BTreeMap;

/// The Internet node's id (and its key in the saved layout).
pub const INTERNET_ID: &str = "internet";
/// The top-level container of instances outside every modelled VPC.
pub const UNPLACED_ID: &str = "unplaced";
/// Containers with more instances than this start collapsed.
pub const COLLAPSE_ABOVE: usize = 24;

/// Sizes, in canvas units.
pub mod size {
    pub const NODE_W: f64 = 170.0;
    pub const NODE_H: f64 = 66.0;
    pub const DENSE_W: f64 = 128.0;
    pub const DENSE_H: f64 = 52.0;
    /// Extra height of the nodes of a container where an instance has an EIP (its own line).
    pub const EIP_LINE: f64 = 14.0;
    pub const SUMMARY_W: f64 = 220.0;
    pub const SUMMARY_H: f64 = 66.0;
    pub const INTERNET_W: f64 = 160.0;
    pub const INTERNET_H: f64 = 46.0;
    /// Space between sibling nodes.
    pub const GAP: f64 = 14.0;
    /// Space between sibling containers.
    pub const CONTAINER_GAP: f64 = 22.0;
    /// Padding inside a container, and the height of its title bar.
    pub const PAD: f64 = 14.0;
    pub const HEADER: f64 = 32.0;
    pub const VPC_PAD: f64 = 16.0;
    pub const VPC_HEADER: f64 = 36.0;
    /// Room for the collapse toggle at the right of a title bar.
    pub const TOGGLE_W: f64 = 30.0;
    /// Height of the body of an empty container ("no instances").
    pub const EMPTY_H: f64 = 34.0;
    /// Vertical space between the Internet node and the containers.
    pub const INTERNET_GAP: f64 = 64.0;
    /// Auto-placed containers wrap to a new row past this width.
    pub const SUBNET_ROW: f64 = 640.0;
    pub const TOP_ROW: f64 = 1000.0;
    pub const TITLE_FONT: f64 = 13.0;
    pub const DETAIL_FONT: f64 = 11.0;
    pub const NODE_TITLE_FONT: f64 = 12.5;
    pub const NODE_DETAIL_FONT: f64 = 10.5;
    pub const DENSE_TITLE_FONT: f64 = 11.0;
    pub const DENSE_DETAIL_FONT: f64 = 9.5;
    /// Left and right padding inside a node.
    pub const NODE_PAD: f64 = 9.0;
}
use size::*;

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Ecs,
    LoadBalancer {
        transfer_client_ip: bool,
    },
    Internet,
    /// A collapsed container: `count` instances drawn as one node.
    Summary {
        container_id: String,
        count: usize,
    },
}

/// What dragging an item changes: the saved position under `key`.
#[derive(Clone, Debug, PartialEq)]
pub struct Handle {
    pub key: String,
    /// Where the item is now, in the coordinates its saved position uses.
    pub rel: Point,
    /// The smallest allowed position (the parent's content corner); `None` at the top level.
    pub min: Option<Point>,
    /// The item's name, for the undo label ("move ECS-A01").
    pub name: String,
}

impl Handle {
    /// The position to save after a drag of `delta` canvas units, or `None` when the item did
    /// not move (a click, or a drag that came back): nothing to save, no undo step.
    pub fn dropped(&self, delta: Point) -> Option<Position> {
        let mut to = self.rel.plus(delta);
        if let Some(min) = self.min {
            to.x = to.x.max(min.x);
            to.y = to.y.max(min.y);
        }
        let to = Point::new(to.x.round(), to.y.round());
        if (to.x - self.rel.x.round()).abs() < 1.0 && (to.y - self.rel.y.round()).abs() < 1.0 {
            return None;
        }
        Some(Position { x: to.x, y: to.y })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The instance id, [`INTERNET_ID`], or `summary:<container id>`.
    pub id: String,
    pub kind: NodeKind,
    /// As drawn (maybe shortened), and in full for the tooltip.
    pub title: String,
    pub full_title: String,
    pub detail: String,
    /// A second detail line: the EIP, when the node has room for it.
    pub extra: String,
    pub tooltip: String,
    pub badges: Badges,
    /// Absolute, in canvas units.
    pub rect: Rect,
    pub dense: bool,
    pub handle: Option<Handle>,
    /// Enclosing containers, innermost first.
    pub ancestors: Vec<String>,
}

impl Node {
    /// The instance this node stands for, if it is one instance.
    pub fn instance_id(&self) -> Option<&str> {
        matches!(self.kind, NodeKind::Ecs | NodeKind::LoadBalancer { .. }).then_some(self.id.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerKind {
    Vpc,
    Subnet,
    /// Instances of a VPC that name no subnet.
    Loose,
    /// Instances outside every modelled VPC.
    Unplaced,
}

/// A collapsible container's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Collapse {
    pub collapsed: bool,
    pub count: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Container {
    pub id: String,
    pub kind: ContainerKind,
    pub title: String,
    pub detail: String,
    pub rect: Rect,
    /// Height of the title bar (drag it to move the container).
    pub header: f64,
    pub handle: Option<Handle>,
    /// `Some` for containers of instances.
    pub collapse: Option<Collapse>,
    /// Nothing inside: the body says so.
    pub empty: bool,
    /// Enclosing containers, innermost first.
    pub ancestors: Vec<String>,
}

/// The whole canvas.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// Outer containers before inner ones (drawing order).
    pub containers: Vec<Container>,
    pub nodes: Vec<Node>,
    /// Which node stands for each instance id (its own, or its collapsed container's summary),
    /// and for [`INTERNET_ID`]: indexes into `nodes`.
    pub anchors: BTreeMap<String, usize>,
    /// Everything drawn.
    pub bounds: Rect,
}

impl Layout {
    /// The node drawn for instance `id` (or the Internet): its own or its container's summary.
    pub fn anchor(&self, id: &str) -> Option<&Node> {
        self.anchors.get(id).and_then(|i| self.nodes.get(*i))
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    pub fn container(&self, id: &str) -> Option<&Container> {
        self.containers.iter().find(|c| c.id == id)
    }
}

/// Is a container of `count` instances collapsed, given the user's choice if any?
pub fn is_collapsed(count: usize, choice: Option<bool>) -> bool {
    count > 0 && choice.unwrap_or(count > COLLAPSE_ABOVE)
}

/// Lays out `world`. `saved` is the scenario's layout; `collapse` the user's collapse choices
/// by container id (absent: automatic).
pub fn layout(world: &World, saved: &BTreeMap<String, Position>, collapse: &BTreeMap<String, bool>) -> Layout {
    let ctx = Ctx { world, saved, collapse, tones: tones(world) };
    let homes = homes(world);

    // The top level: VPCs, then the unplaced instances.
    let mut tops: Vec<Block> = world.vpcs.iter().enumerate().map(|(v, vpc)| ctx.vpc_block(v, vpc, &homes)).collect();
    let unplaced: Vec<&Instance> = homes.unplaced.iter().filter_map(|i| world.instances.get(*i)).collect();
    if !unplaced.is_empty() {
        let title = if world.vpcs.is_empty() { "Instances" } else { "Outside the modelled VPCs" };
        tops.push(ctx.instance_block(UNPLACED_ID, ContainerKind::Unplaced, title, "", &unplaced));
    }
    let top_y = INTERNET_H + INTERNET_GAP;
    let slots: Vec<Slot> = tops.iter().map(|b| Slot { saved: ctx.saved_point(&b.id), w: b.w, h: b.h }).collect();
    let places = pack(&slots, Point::new(0.0, top_y), None, TOP_ROW, CONTAINER_GAP);

    let mut out = Layout::default();
    for (block, at) in tops.into_iter().zip(places) {
        block.emit(at, None, &mut out);
    }

    // The Internet, centred above the containers unless it was placed.
    let content = bounding(out.containers.iter().filter(|c| c.ancestors.is_empty()).map(|c| c.rect));
    let internet_at = ctx.saved_point(INTERNET_ID).unwrap_or_else(|| match content {
        Some(c) => {
            let x = (c.x + c.w / 2.0 - INTERNET_W / 2.0).round();
            let tops = out.containers.iter().filter(|c| c.ancestors.is_empty());
            let at = Rect::new(x, 0.0, INTERNET_W, INTERNET_H);
            if tops.clone().any(|c| c.rect.inflated(INTERNET_GAP / 2.0).overlaps(&at)) {
                // Saved containers sit where the Internet would go: go above all of them.
                Point::new(x, c.y - INTERNET_GAP - INTERNET_H)
            } else {
                at.origin()
            }
        }
        None => Point::new(0.0, 0.0),
    });
    out.anchors.insert(INTERNET_ID.to_string(), out.nodes.len());
    out.nodes.push(Node {
        id: INTERNET_ID.to_string(),
        kind: NodeKind::Internet,
        title: "Internet".into(),
        full_title: "Internet".into(),
        detail: "addresses outside the VPCs".into(),
        extra: String::new(),
        tooltip: "The Internet: every address no modelled VPC holds".into(),
        badges: Badges::default(),
        rect: Rect::at(internet_at, INTERNET_W, INTERNET_H),
        dense: false,
        handle: Some(Handle { key: INTERNET_ID.into(), rel: internet_at, min: None, name: "Internet".into() }),
        ancestors: Vec::new(),
    });

    out.bounds = bounding(out.containers.iter().map(|c| c.rect).chain(out.nodes.iter().map(|n| n.rect))).unwrap_or_default();
    out
}

/// Where each instance lives, by index into `world.instances`.
struct Homes {
    /// (vpc index, subnet index) → instances.
    subnets: BTreeMap<(usize, usize), Vec<usize>>,
    /// vpc index → instances naming no known subnet but addressed inside the VPC.
    loose: BTreeMap<usize, Vec<usize>>,
    unplaced: Vec<usize>,
}

fn homes(world: &World) -> Homes {
    let mut homes = Homes { subnets: BTreeMap::new(), loose: BTreeMap::new(), unplaced: Vec::new() };
    for (i, inst) in world.instances.iter().enumerate() {
        let in_subnet = inst.subnet_id.as_deref().and_then(|sid| {
            world.vpcs.iter().enumerate().find_map(|(v, vpc)| vpc.subnets.iter().position(|s| s.id == sid).map(|s| (v, s)))
        });
        if let Some(key) = in_subnet {
            homes.subnets.entry(key).or_default().push(i);
            continue;
        }
        let in_vpc = inst
            .private_ips
            .iter()
            .chain(&inst.virtual_ips)
            .find_map(|a| world.vpc_containing(*a))
            .and_then(|vpc| world.vpcs.iter().position(|v| v.id == vpc.id));
        match in_vpc {
            Some(v) => homes.loose.entry(v).or_default().push(i),
            None => homes.unplaced.push(i),
        }
    }
    homes
}

/// Badge colour per group id: its index in the world.
fn tones(world: &World) -> BTreeMap<String, usize> {
    world.security_groups.iter().enumerate().map(|(i, g)| (g.id.clone(), i % TONES)).collect()
}

struct Ctx<'a> {
    world: &'a World,
    saved: &'a BTreeMap<String, Position>,
    collapse: &'a BTreeMap<String, bool>,
    tones: BTreeMap<String, usize>,
}

/// A laid-out subtree, relative to its own top-left corner.
struct Block {
    id: String,
    w: f64,
    h: f64,
    /// The container itself (rect relative), then its contents.
    container: Container,
    inner: Vec<(Block, Point)>,
    nodes: Vec<Node>,
    /// Instance ids a summary node stands for.
    summarised: Vec<String>,
}

impl Block {
    /// Moves the block to `at` (relative to its parent's corner `parent_origin`, or absolute at
    /// the top) and appends it to the layout.
    fn emit(self, at: Point, parent: Option<(Point, &[String], Point)>, out: &mut Layout) {
        let (origin, ancestors, min) = match parent {
            Some((parent_origin, ancestors, min)) => (parent_origin.plus(at), ancestors.to_vec(), Some(min)),
            None => (at, Vec::new(), None),
        };
        let Block { id, w, h, mut container, inner, nodes, summarised } = self;
        container.rect = Rect::at(origin, w, h);
        container.ancestors = ancestors.clone();
        if let Some(handle) = &mut container.handle {
            handle.rel = at;
            handle.min = min;
        }
        let content_min = Point::new(pad_of(container.kind), header_of(container.kind));
        out.containers.push(container);
        let mut inner_ancestors = vec![id.clone()];
        inner_ancestors.extend(ancestors);
        for (block, at) in inner {
            block.emit(at, Some((origin, &inner_ancestors, content_min)), out);
        }
        for mut node in nodes {
            let rel = node.rect.origin();
            node.rect = node.rect.translated(origin);
            node.ancestors = inner_ancestors.clone();
            if let Some(handle) = &mut node.handle {
                handle.rel = rel;
                handle.min = Some(content_min);
            }
            let index = out.nodes.len();
            if let Some(instance) = node.instance_id() {
                out.anchors.insert(instance.to_string(), index);
            }
            for s in &summarised {
                out.anchors.insert(s.clone(), index);
            }
            out.nodes.push(node);
        }
    }
}

fn pad_of(kind: ContainerKind) -> f64 {
    if kind == ContainerKind::Vpc {
        VPC_PAD
    } else {
        PAD
    }
}

fn header_of(kind: ContainerKind) -> f64 {
    if kind == ContainerKind::Vpc {
        VPC_HEADER
    } else {
        HEADER
    }
}

/// The width a title bar needs for its texts (and the collapse toggle).
fn header_width(title: &str, detail: &str, toggle: bool, pad: f64) -> f64 {
    let detail_w = if detail.is_empty() { 0.0 } else { text_width(detail, DETAIL_FONT) + 10.0 };
    (text_width(title, TITLE_FONT * BOLD) + detail_w + 2.0 * pad + if toggle { TOGGLE_W } else { 0.0 }).ceil()
}

impl Ctx<'_> {
    fn saved_point(&self, key: &str) -> Option<Point> {
        self.saved.get(key).filter(|p| p.x.is_finite() && p.y.is_finite()).map(|p| Point::new(p.x, p.y))
    }

    fn group_badges(&self, group_ids: &[String], width: f64, max_shown: usize) -> Badges {
        let groups: Vec<(String, String, usize)> = group_ids
            .iter()
            .map(|id| {
                let name = self
                    .world
                    .group(id)
                    .map(|g| if g.name.is_empty() { g.id.clone() } else { g.name.clone() })
                    .unwrap_or_else(|| id.clone());
                (id.clone(), name, self.tones.get(id).copied().unwrap_or(0))
            })
            .collect();
        fit_badges(&groups, width, max_shown)
    }

    fn vpc_block(&self, v: usize, vpc: &Vpc, homes: &Homes) -> Block {
        let mut children: Vec<Block> = vpc
            .subnets
            .iter()
            .enumerate()
            .map(|(s, subnet)| {
                let members: Vec<&Instance> =
                    homes.subnets.get(&(v, s)).into_iter().flatten().filter_map(|i| self.world.instances.get(*i)).collect();
                let detail = match subnet.ipv6_cidr {
                    Some(v6) => format!("{} · {v6}", subnet.cidr),
                    None => subnet.cidr.to_string(),
                };
                let mut block =
                    self.instance_block(&subnet.id, ContainerKind::Subnet, display(&subnet.name, &subnet.id), &detail, &members);
                block.container.handle = Some(Handle {
                    key: subnet.id.clone(),
                    rel: Point::default(),
                    min: None,
                    name: display(&subnet.name, &subnet.id).into(),
                });
                block
            })
            .collect();
        let loose: Vec<&Instance> = homes.loose.get(&v).into_iter().flatten().filter_map(|i| self.world.instances.get(*i)).collect();
        if !loose.is_empty() {
            children.push(self.instance_block(&format!("loose:{}", vpc.id), ContainerKind::Loose, "No subnet", "", &loose));
        }
        let min = Point::new(VPC_PAD, VPC_HEADER);
        let slots: Vec<Slot> = children
            .iter()
            .map(|b| Slot { saved: if b.container.kind == ContainerKind::Subnet { self.saved_point(&b.id) } else { None }, w: b.w, h: b.h })
            .collect();
        let places = pack(&slots, min, Some(min), SUBNET_ROW, CONTAINER_GAP);
        let title = display(&vpc.name, &vpc.id);
        let detail = vpc.cidr.to_string();
        let extent = children.iter().zip(&places).map(|(b, p)| Rect::at(*p, b.w, b.h));
        let (w, h) = container_size(extent, min, VPC_PAD, header_width(title, &detail, false, VPC_PAD));
        Block {
            id: vpc.id.clone(),
            w,
            h,
            container: Container {
                id: vpc.id.clone(),
                kind: ContainerKind::Vpc,
                title: title.to_string(),
                detail,
                rect: Rect::default(),
                header: VPC_HEADER,
                handle: Some(Handle { key: vpc.id.clone(), rel: Point::default(), min: None, name: title.to_string() }),
                collapse: None,
                empty: children.is_empty(),
                ancestors: Vec::new(),
            },
            inner: children.into_iter().zip(places).collect(),
            nodes: Vec::new(),
            summarised: Vec::new(),
        }
    }

    /// A container of instances (subnet, a VPC's "No subnet", or the unplaced ones): a grid of
    /// nodes, or one summary node when collapsed.
    fn instance_block(&self, id: &str, kind: ContainerKind, title: &str, detail: &str, members: &[&Instance]) -> Block {
        let count = members.len();
        let collapsed = is_collapsed(count, self.collapse.get(id).copied());
        let min = Point::new(PAD, HEADER);
        let mut nodes = Vec::new();
        let mut summarised = Vec::new();
        if collapsed {
            summarised = members.iter().map(|i| i.id.clone()).collect();
            nodes.push(self.summary_node(id, title, members, Rect::at(min, SUMMARY_W, SUMMARY_H)));
        } else if count > 0 {
            let dense = count > COLLAPSE_ABOVE;
            // Nodes get a line for the EIP when one of them has one (same size: one grid).
            let tall = !dense && members.iter().any(|i| i.eip.is_some());
            let (w, h) = if dense {
                (DENSE_W, DENSE_H)
            } else if tall {
                (NODE_W, NODE_H + EIP_LINE)
            } else {
                (NODE_W, NODE_H)
            };
            let saved: Vec<Option<Point>> = members.iter().map(|i| self.saved_point(&i.id)).collect();
            let places = grid(&saved, w, h, min, columns(count));
            nodes = members.iter().zip(places).map(|(inst, at)| self.instance_node(inst, Rect::at(at, w, h), dense)).collect();
        }
        let toggle = count > 0;
        let extent = nodes.iter().map(|n| n.rect);
        let (w, h) = container_size(extent, min, PAD, header_width(title, detail, toggle, PAD));
        Block {
            id: id.to_string(),
            w,
            h,
            container: Container {
                id: id.to_string(),
                kind,
                title: title.to_string(),
                detail: detail.to_string(),
                rect: Rect::default(),
                header: HEADER,
                handle: None,
                collapse: toggle.then_some(Collapse { collapsed, count }),
                empty: count == 0,
                ancestors: Vec::new(),
            },
            inner: Vec::new(),
            nodes,
            summarised,
        }
    }

    fn instance_node(&self, inst: &Instance, rect: Rect, dense: bool) -> Node {
        let (title_font, detail_font) = if dense { (DENSE_TITLE_FONT, DENSE_DETAIL_FONT) } else { (NODE_TITLE_FONT, NODE_DETAIL_FONT) };
        let inner_w = rect.w - 2.0 * NODE_PAD;
        let kind = match inst.kind {
            InstanceKind::Ecs => NodeKind::Ecs,
            InstanceKind::LoadBalancer { transfer_client_ip } => NodeKind::LoadBalancer { transfer_client_ip },
        };
        let mut addresses: Vec<String> = inst.private_ips.iter().map(|a| a.to_string()).collect();
        let first = addresses.first().cloned().unwrap_or_else(|| "no address".into());
        let mut detail = if addresses.len() > 1 { format!("{first} +{}", addresses.len() - 1) } else { first };
        let mut extra = String::new();
        if let Some(eip) = inst.eip {
            if dense {
                detail.push_str(" · EIP");
            } else {
                extra = truncate(&format!("EIP {eip}"), detail_font, inner_w);
            }
        }
        let name = inst.display_name().to_string();
        // The kind tag takes room in the title row of a load balancer.
        let title_room = if matches!(kind, NodeKind::LoadBalancer { .. }) { inner_w - 22.0 } else { inner_w };
        let mut tooltip = format!("{name} ({})", inst.id);
        if matches!(kind, NodeKind::LoadBalancer { .. }) {
            tooltip.push_str(" · load balancer");
            if inst.bypasses_backend_rules() {
                tooltip.push_str(" with Transfer Client IP Address");
            }
        }
        addresses.extend(inst.virtual_ips.iter().map(|a| format!("{a} (virtual)")));
        addresses.extend(inst.eip.iter().map(|a| format!("{a} (EIP)")));
        if !addresses.is_empty() {
            tooltip.push_str(&format!("\n{}", addresses.join(", ")));
        }
        if inst.security_groups.is_empty() {
            tooltip.push_str("\nno security group");
        } else {
            let names: Vec<String> = inst
                .security_groups
                .iter()
                .enumerate()
                .map(|(i, g)| format!("{}. {}", i + 1, self.world.group(g).map(|g| display(&g.name, &g.id)).unwrap_or(g)))
                .collect();
            tooltip.push_str(&format!("\nsecurity groups in order: {}", names.join(", ")));
        }
        Node {
            id: inst.id.clone(),
            kind,
            title: truncate(&name, title_font * BOLD, title_room),
            full_title: name,
            detail: truncate(&detail, detail_font, inner_w),
            extra,
            tooltip,
            badges: self.group_badges(&inst.security_groups, inner_w, if dense { 1 } else { 4 }),
            rect,
            dense,
            handle: Some(Handle { key: inst.id.clone(), rel: rect.origin(), min: None, name: inst.display_name().to_string() }),
            ancestors: Vec::new(),
        }
    }

    fn summary_node(&self, container_id: &str, title: &str, members: &[&Instance], rect: Rect) -> Node {
        let count = members.len();
        let noun = if count == 1 { "instance" } else { "instances" };
        let full_title = format!("{title} · {count} {noun}");
        // Every group of the members, in order of first appearance.
        let mut groups: Vec<String> = Vec::new();
        for g in members.iter().flat_map(|i| &i.security_groups) {
            if !groups.contains(g) {
                groups.push(g.clone());
            }
        }
        let inner_w = rect.w - 2.0 * NODE_PAD;
        let tooltip = format!("{full_title}, collapsed: expand the container to see each one");
        Node {
            id: format!("summary:{container_id}"),
            kind: NodeKind::Summary { container_id: container_id.to_string(), count },
            title: truncate(&full_title, NODE_TITLE_FONT * BOLD, inner_w),
            full_title,
            detail: format!("{} security group{}", groups.len(), if groups.len() == 1 { "" } else { "s" }),
            extra: String::new(),
            tooltip,
            badges: self.group_badges(&groups, inner_w, 4),
            rect,
            dense: false,
            handle: None,
            ancestors: Vec::new(),
        }
    }
}

fn display<'a>(name: &'a str, id: &'a str) -> &'a str {
    if name.is_empty() {
        id
    } else {
        name
    }
}

/// Grid columns for `n` nodes: a row for up to three, then about square.
fn columns(n: usize) -> usize {
    if n <= 3 {
        n.max(1)
    } else {
        // INVARIANT: n is small enough for f64 to hold exactly.
        (n as f64).sqrt().ceil() as usize
    }
}

/// A container's size: its content's extent plus padding, at least wide enough for its title,
/// and with room for an "empty" line when there is no content.
fn container_size(extent: impl Iterator<Item = Rect>, min: Point, pad: f64, min_w: f64) -> (f64, f64) {
    match bounding(extent) {
        Some(r) => ((r.right() + pad).max(min_w).ceil(), (r.bottom() + pad).ceil()),
        None => (min_w.max(180.0), min.y + EMPTY_H),
    }
}

/// Do `a` and `b` keep at least `gap` between them?
fn clear(a: &Rect, b: &Rect, gap: f64) -> bool {
    let half = gap / 2.0 - 1e-6;
    !a.inflated(half).overlaps(&b.inflated(half))
}

/// Same-size nodes on a grid. A saved node keeps its place (clamped to `min`); auto node `i`
/// takes grid slot `i`, so nodes do not shuffle when one is moved away; a slot a saved node
/// covers is skipped for the next free one past the end.
fn grid(saved: &[Option<Point>], w: f64, h: f64, min: Point, cols: usize) -> Vec<Point> {
    let cols = cols.max(1);
    let slot = |k: usize| Point::new(min.x + (k % cols) as f64 * (w + GAP), min.y + (k / cols) as f64 * (h + GAP));
    let fixed: Vec<Rect> = saved.iter().flatten().map(|p| Rect::new(p.x.max(min.x), p.y.max(min.y), w, h)).collect();
    let free = |p: Point| fixed.iter().all(|f| clear(f, &Rect::at(p, w, h), GAP));
    let mut overflow = saved.len();
    saved
        .iter()
        .enumerate()
        .map(|(i, s)| match s {
            Some(p) => Point::new(p.x.max(min.x), p.y.max(min.y)),
            None if free(slot(i)) => slot(i),
            None => loop {
                let p = slot(overflow);
                overflow += 1;
                if free(p) {
                    break p;
                }
            },
        })
        .collect()
}

/// One item for [`pack`].
struct Slot {
    saved: Option<Point>,
    w: f64,
    h: f64,
}

/// Places containers: saved ones where they were saved (clamped to `clamp` when nested), the
/// others in reading order from `start`, each at the first free spot (top-most, then
/// left-most) that keeps its row within `row` units, never overlapping what is placed.
fn pack(items: &[Slot], start: Point, clamp: Option<Point>, row: f64, gap: f64) -> Vec<Point> {
    let mut places: Vec<Option<Point>> =
        items.iter().map(|s| s.saved.map(|p| clamp.map_or(p, |m| Point::new(p.x.max(m.x), p.y.max(m.y))))).collect();
    let mut placed: Vec<Rect> = items.iter().zip(&places).filter_map(|(s, p)| p.map(|p| Rect::at(p, s.w, s.h))).collect();
    for (i, item) in items.iter().enumerate() {
        if places[i].is_some() {
            continue;
        }
        let mut candidates = vec![start];
        for r in &placed {
            candidates.push(Point::new(r.right() + gap, r.y.max(start.y)));
            candidates.push(Point::new(start.x, r.bottom() + gap));
            candidates.push(Point::new(r.x.max(start.x), r.bottom() + gap));
        }
        candidates.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
        let spot = candidates
            .into_iter()
            .filter(|p| p.x >= start.x && p.y >= start.y)
            .find(|p| {
                let r = Rect::at(*p, item.w, item.h);
                (p.x <= start.x || r.right() <= start.x + row) && placed.iter().all(|q| clear(q, &r, gap))
            })
            // INVARIANT: the spot below everything placed is always free; this is a fallback.
            .unwrap_or_else(|| Point::new(start.x, placed.iter().map(|r| r.bottom() + gap).fold(start.y, f64::max)));
        placed.push(Rect::at(spot, item.w, item.h));
        places[i] = Some(spot);
    }
    places.into_iter().map(Option::unwrap_or_default).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sgplay_core::scenario::ScenarioSpec;

    fn world(json: &str) -> World {
        ScenarioSpec::parse(json).unwrap().build().unwrap().world
    }

    fn sg_a_sg_b() -> World {
        world(crate::gallery::text("huawei/overview-sg-a-sg-b").unwrap())
    }

    /// `subnets` subnets holding `per` instances each, every instance in one or more groups.
    fn big(subnets: usize, per: usize) -> World {
        let mut vpc_subnets = Vec::new();
        let mut instances = Vec::new();
        for s in 0..subnets {
            vpc_subnets.push(format!(r#"{{"id":"subnet-{s}","name":"Subnet-{s}","cidr":"10.{s}.0.0/16"}}"#));
            for i in 0..per {
                let groups = match i % 3 {
                    0 => r#"["web"]"#,
                    1 => r#"["web","db"]"#,
                    _ => r#"["web","db","ssh"]"#,
                };
                instances.push(format!(
                    r#"{{"id":"ecs-{s}-{i}","name":"ECS-{s}-{i}","subnet_id":"subnet-{s}","ip":"10.{s}.{}.{}","security_groups":{groups}}}"#,
                    i / 200,
                    i % 200 + 1
                ));
            }
        }
        world(&format!(
            r#"{{"vpcs":[{{"id":"vpc","name":"VPC","cidr":"10.0.0.0/8","subnets":[{}]}}],
            "security_groups":[{{"id":"web","rules":[]}},{{"id":"db","rules":[]}},{{"id":"ssh","rules":[]}}],
            "instances":[{}]}}"#,
            vpc_subnets.join(","),
            instances.join(",")
        ))
    }

    fn no_saved() -> BTreeMap<String, Position> {
        BTreeMap::new()
    }

    #[track_caller]
    fn assert_no_overlaps(l: &Layout) {
        for (i, a) in l.nodes.iter().enumerate() {
            for b in &l.nodes[i + 1..] {
                assert!(!a.rect.overlaps(&b.rect), "{} overlaps {}: {:?} {:?}", a.id, b.id, a.rect, b.rect);
            }
            // A node overlaps no container but its ancestors.
            for c in &l.containers {
                if !a.ancestors.contains(&c.id) {
                    assert!(!a.rect.overlaps(&c.rect), "node {} overlaps container {}", a.id, c.id);
                }
            }
        }
        for (i, a) in l.containers.iter().enumerate() {
            for b in &l.containers[i + 1..] {
                let nested = a.ancestors.contains(&b.id) || b.ancestors.contains(&a.id);
                assert!(nested || !a.rect.overlaps(&b.rect), "{} overlaps {}", a.id, b.id);
            }
        }
    }

    #[track_caller]
    fn assert_containment(l: &Layout) {
        for n in &l.nodes {
            if let Some(parent) = n.ancestors.first() {
                let c = l.container(parent).unwrap();
                let content = Rect::new(c.rect.x, c.rect.y + c.header, c.rect.w, c.rect.h - c.header);
                assert!(content.contains_rect(&n.rect), "{} is outside {}: {:?} {:?}", n.id, c.id, n.rect, c.rect);
            }
        }
        for c in &l.containers {
            if let Some(parent) = c.ancestors.first() {
                let p = l.container(parent).unwrap();
                assert!(p.rect.contains_rect(&c.rect), "{} is outside {}", c.id, p.id);
            }
        }
        for r in l.containers.iter().map(|c| c.rect).chain(l.nodes.iter().map(|n| n.rect)) {
            assert!(l.bounds.contains_rect(&r));
        }
    }

    #[test]
    fn vpcs_contain_subnets_contain_instances() {
        let l = layout(&sg_a_sg_b(), &no_saved(), &BTreeMap::new());
        let ids: Vec<&str> = l.containers.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["vpc-a", "subnet-a", "subnet-b"]);
        assert_eq!(l.container("subnet-a").unwrap().ancestors, ["vpc-a"]);
        for id in ["ecs-a01", "ecs-a02", "ecs-b01", "ecs-b02"] {
            let n = l.anchor(id).unwrap();
            assert_eq!(n.id, id);
            assert_eq!(n.ancestors.len(), 2);
        }
        assert_eq!(l.node("ecs-b01").unwrap().ancestors, ["subnet-b", "vpc-a"]);
        assert_eq!(l.node("ecs-a01").unwrap().badges.shown[0].text, "Sg-A");
        assert_no_overlaps(&l);
        assert_containment(&l);
    }

    #[test]
    fn the_internet_is_above_everything() {
        let l = layout(&sg_a_sg_b(), &no_saved(), &BTreeMap::new());
        let internet = l.anchor(INTERNET_ID).unwrap();
        assert_eq!(internet.kind, NodeKind::Internet);
        let vpc = l.container("vpc-a").unwrap();
        assert!(internet.rect.bottom() < vpc.rect.y);
        // Centred over the VPC.
        assert!((internet.rect.center().x - vpc.rect.center().x).abs() <= 1.0);
    }

    #[test]
    fn output_is_deterministic() {
        let w = big(3, 30);
        let a = layout(&w, &no_saved(), &BTreeMap::new());
        let b = layout(&w, &no_saved(), &BTreeMap::new());
        assert_eq!(a, b);
    }

    #[test]
    fn two_hundred_instances_collapse_into_a_bounded_canvas() {
        let w = big(4, 50);
        let l = layout(&w, &no_saved(), &BTreeMap::new());
        let summaries: Vec<&Node> = l.nodes.iter().filter(|n| matches!(n.kind, NodeKind::Summary { .. })).collect();
        assert_eq!(summaries.len(), 4);
        assert_eq!(summaries[0].full_title, "Subnet-0 · 50 instances");
        assert_eq!(l.nodes.len(), 5, "four summaries and the Internet");
        for s in 0..4 {
            let c = l.container(&format!("subnet-{s}")).unwrap();
            assert_eq!(c.collapse, Some(Collapse { collapsed: true, count: 50 }));
        }
        // Every instance still has a node to draw a path to: its subnet's summary.
        assert_eq!(l.anchor("ecs-2-17").unwrap().id, "summary:subnet-2");
        assert!(l.bounds.w < 1600.0 && l.bounds.h < 600.0, "{:?}", l.bounds);
        assert_no_overlaps(&l);
        assert_containment(&l);
    }

    #[test]
    fn an_expanded_big_subnet_uses_dense_nodes_without_overlaps() {
        let w = big(4, 50);
        let expand = BTreeMap::from([("subnet-1".to_string(), false)]);
        let l = layout(&w, &no_saved(), &expand);
        let dense: Vec<&Node> = l.nodes.iter().filter(|n| n.ancestors.first().map(String::as_str) == Some("subnet-1")).collect();
        assert_eq!(dense.len(), 50);
        assert!(dense.iter().all(|n| n.dense && n.rect.w == DENSE_W));
        assert!(dense.iter().all(|n| n.badges.shown.len() <= 1));
        // "web, db, ssh" shows one pill and "+2".
        assert_eq!(l.node("ecs-1-2").unwrap().badges.more, 2);
        assert_no_overlaps(&l);
        assert_containment(&l);
    }

    #[test]
    fn a_small_subnet_can_be_collapsed_by_hand() {
        let collapse = BTreeMap::from([("subnet-a".to_string(), true)]);
        let l = layout(&sg_a_sg_b(), &no_saved(), &collapse);
        assert_eq!(l.anchor("ecs-a01").unwrap().id, "summary:subnet-a");
        assert_eq!(l.anchor("ecs-b01").unwrap().id, "ecs-b01");
        assert!(is_collapsed(30, None) && !is_collapsed(30, Some(false)) && !is_collapsed(0, Some(true)));
    }

    #[test]
    fn saved_positions_are_respected() {
        let w = sg_a_sg_b();
        let auto = layout(&w, &no_saved(), &BTreeMap::new());
        let saved = BTreeMap::from([
            ("ecs-a02".to_string(), Position { x: 400.0, y: 120.0 }),
            ("vpc-a".to_string(), Position { x: 100.0, y: 300.0 }),
            (INTERNET_ID.to_string(), Position { x: -500.0, y: 20.0 }),
        ]);
        let l = layout(&w, &saved, &BTreeMap::new());
        let vpc = l.container("vpc-a").unwrap();
        assert_eq!(vpc.rect.origin(), Point::new(100.0, 300.0));
        assert_eq!(l.anchor(INTERNET_ID).unwrap().rect.origin(), Point::new(-500.0, 20.0));
        let subnet = l.container("subnet-a").unwrap();
        assert_eq!(l.node("ecs-a02").unwrap().rect.origin(), subnet.rect.origin().plus(Point::new(400.0, 120.0)));
        // ECS-A01 keeps its grid slot: moving a neighbour does not shuffle the others.
        let rel = |l: &Layout, id: &str| l.node(id).unwrap().handle.as_ref().unwrap().rel;
        assert_eq!(rel(&l, "ecs-a01"), rel(&auto, "ecs-a01"));
        // The subnet grew to hold the moved node.
        assert!(subnet.rect.w > auto.container("subnet-a").unwrap().rect.w);
        assert_no_overlaps(&l);
        assert_containment(&l);
    }

    #[test]
    fn auto_nodes_step_aside_for_a_saved_one() {
        let w = sg_a_sg_b();
        let auto = layout(&w, &no_saved(), &BTreeMap::new());
        // ECS-A02 dropped exactly on ECS-A01's slot.
        let a01 = auto.node("ecs-a01").unwrap().handle.clone().unwrap().rel;
        let saved = BTreeMap::from([("ecs-a02".to_string(), Position { x: a01.x, y: a01.y })]);
        let l = layout(&w, &saved, &BTreeMap::new());
        assert_ne!(l.node("ecs-a01").unwrap().rect, l.node("ecs-a02").unwrap().rect);
        assert_no_overlaps(&l);
        assert_containment(&l);
    }

    #[test]
    fn nested_positions_are_clamped_into_their_container() {
        let saved = BTreeMap::from([
            ("ecs-a01".to_string(), Position { x: -900.0, y: -900.0 }),
            ("subnet-b".to_string(), Position { x: -50.0, y: 0.0 }),
            ("ecs-b01".to_string(), Position { x: f64::NAN, y: 3.0 }),
        ]);
        let l = layout(&sg_a_sg_b(), &saved, &BTreeMap::new());
        assert_containment(&l);
        let n = l.node("ecs-a01").unwrap();
        assert_eq!(n.handle.as_ref().unwrap().rel, Point::new(PAD, HEADER));
    }

    #[test]
    fn instances_without_a_subnet_go_to_their_vpc_or_outside() {
        let w = world(
            r#"{"vpcs":[{"id":"vpc","cidr":"10.0.0.0/16","subnets":[{"id":"s1","cidr":"10.0.1.0/24"}]}],
            "security_groups":[{"id":"sg","rules":[]}],
            "instances":[{"id":"in-vpc","ip":"10.0.9.9","security_groups":["sg"]},
                         {"id":"outside","ip":"172.16.0.1","security_groups":["sg"]},
                         {"id":"lb","kind":"load_balancer","subnet_id":"s1","ip":"10.0.1.5"}]}"#,
        );
        let l = layout(&w, &no_saved(), &BTreeMap::new());
        assert_eq!(l.node("in-vpc").unwrap().ancestors, ["loose:vpc", "vpc"]);
        assert_eq!(l.node("outside").unwrap().ancestors, [UNPLACED_ID]);
        assert!(matches!(l.node("lb").unwrap().kind, NodeKind::LoadBalancer { .. }));
        assert!(l.container("s1").unwrap().collapse.is_some());
        assert_no_overlaps(&l);
        assert_containment(&l);
    }

    #[test]
    fn an_eip_gets_its_own_line_and_its_neighbours_the_same_size() {
        let w = world(
            r#"{"security_groups":[{"id":"sg","rules":[]}],
            "instances":[{"id":"a","ip":"10.0.0.1","eip":"198.51.100.10","security_groups":["sg"]},{"id":"b","ip":"10.0.0.2","security_groups":["sg"]}]}"#,
        );
        let l = layout(&w, &no_saved(), &BTreeMap::new());
        let (a, b) = (l.node("a").unwrap(), l.node("b").unwrap());
        assert_eq!(a.detail, "10.0.0.1");
        assert_eq!(a.extra, "EIP 198.51.100.10");
        assert_eq!(b.extra, "");
        assert_eq!(a.rect.h, NODE_H + EIP_LINE);
        assert_eq!(a.rect.h, b.rect.h);
    }

    #[test]
    fn a_world_without_vpcs_is_one_container_and_empty_worlds_work() {
        let w = world(
            r#"{"security_groups":[{"id":"sg","rules":[]}],"instances":[{"id":"a","ip":"10.0.0.1","security_groups":["sg"]},{"id":"b","ip":"10.0.0.2","security_groups":["sg"]}]}"#,
        );
        let l = layout(&w, &no_saved(), &BTreeMap::new());
        assert_eq!(l.containers.len(), 1);
        assert_eq!(l.containers[0].title, "Instances");
        assert_no_overlaps(&l);
        let empty = layout(&World::default(), &no_saved(), &BTreeMap::new());
        assert_eq!(empty.nodes.len(), 1, "just the Internet");
        assert!(empty.bounds.w > 0.0);
        // 200 instances and no VPC: collapsed too.
        let many: Vec<String> =
            (0..200).map(|i| format!(r#"{{"id":"i{i}","ip":"10.0.{}.{}","security_groups":["sg"]}}"#, i / 250, i % 250 + 1)).collect();
        let w = world(&format!(r#"{{"security_groups":[{{"id":"sg","rules":[]}}],"instances":[{}]}}"#, many.join(",")));
        let l = layout(&w, &no_saved(), &BTreeMap::new());
        assert_eq!(l.nodes.len(), 2);
    }

    #[test]
    fn many_subnets_wrap_into_rows() {
        let w = big(7, 3);
        let l = layout(&w, &no_saved(), &BTreeMap::new());
        let vpc = l.container("vpc").unwrap();
        assert!(vpc.rect.w <= SUBNET_ROW + 2.0 * VPC_PAD + 1.0, "{:?}", vpc.rect);
        assert_no_overlaps(&l);
        assert_containment(&l);
    }

    #[test]
    fn dropping_saves_a_clamped_rounded_position_or_nothing() {
        let h = Handle { key: "a".into(), rel: Point::new(20.0, 40.0), min: Some(Point::new(14.0, 32.0)), name: "A".into() };
        assert_eq!(h.dropped(Point::new(0.0, 0.0)), None);
        assert_eq!(h.dropped(Point::new(0.4, -0.3)), None);
        assert_eq!(h.dropped(Point::new(10.6, 5.2)), Some(Position { x: 31.0, y: 45.0 }));
        assert_eq!(h.dropped(Point::new(-100.0, -100.0)), Some(Position { x: 14.0, y: 32.0 }));
        let top = Handle { min: None, ..h };
        assert_eq!(top.dropped(Point::new(-100.0, 0.0)), Some(Position { x: -80.0, y: 40.0 }));
    }

    #[test]
    fn every_gallery_scenario_lays_out_cleanly() {
        for entry in crate::gallery::entries() {
            let spec = crate::gallery::load(entry.slug).unwrap();
            let s = spec.build().unwrap();
            let l = layout(&s.world, &s.layout, &BTreeMap::new());
            for inst in &s.world.instances {
                assert!(l.anchor(&inst.id).is_some(), "{}: {}", entry.slug, inst.id);
            }
            assert_no_overlaps(&l);
            assert_containment(&l);
        }
    }
}
