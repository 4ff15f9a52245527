//! The SVG shapes: containers, nodes with their group badges, and the packet's path. Each
//! shape reads its own entry of the layout through a `Memo`, so a change redraws only the
//! shapes it touches, and a shape's element (which may hold the keyboard focus) survives it.

use super::geometry::{top_rounded, Point, Rect};
use super::gesture::Grab;
use super::labels::{Badges, BADGE_FONT, BADGE_H};
use super::layout::{size, Container, ContainerKind, Layout, Node, NodeKind};
use super::path::{PathView, Tone, LABEL_FONT, LABEL_H};
use crate::state::AppState;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// What the shapes share with the canvas: the root state, the layout, the drag in flight.
#[derive(Clone, Copy)]
pub struct CanvasCtx {
    pub app: AppState,
    pub layout: Memo<Layout>,
    /// The item being dragged and by how much, in canvas units. Kept apart from the layout so
    /// a pointer move only shifts shapes, it never lays anything out again.
    pub drag: RwSignal<Option<(String, Point)>>,
    /// The id in `drag`, changing only when a drag starts or ends: shapes that are not being
    /// dragged listen to this, not to every pointer move.
    pub dragged: Memo<Option<String>>,
    /// What the pointer was just pressed on; the canvas's own handler starts the gesture.
    pub pressed: StoredValue<Option<Grab>>,
    /// The selected instance, and the tester's source and destination as typed: memos, so
    /// typing a port or picking a group does not revisit every node.
    pub selected: Memo<Option<String>>,
    pub ends: Memo<(String, String)>,
    /// The user's collapse choices by container id.
    pub collapse: RwSignal<BTreeMap<String, bool>>,
    pub read_only: bool,
}

impl CanvasCtx {
    /// The drag offset for an item with `id` inside `ancestors` (zero unless it or one of
    /// its containers is being dragged).
    fn offset(&self, id: &str, ancestors: &[String]) -> Point {
        let moving = self.dragged.with(|d| d.as_deref().is_some_and(|d| d == id || ancestors.iter().any(|a| a == d)));
        if !moving {
            return Point::default();
        }
        self.drag.with(|d| d.as_ref().map(|(_, offset)| *offset).unwrap_or_default())
    }

    /// A click (or Enter) on node `id`: select an instance, expand a summary.
    pub fn activate(&self, id: &str) {
        let kind = self.layout.with_untracked(|l| l.node(id).map(|n| n.kind.clone()));
        match kind {
            Some(NodeKind::Ecs | NodeKind::LoadBalancer { .. }) => self.app.selection.update(|s| s.instance_id = Some(id.to_string())),
            Some(NodeKind::Summary { container_id, .. }) => self.collapse.update(|c| {
                c.insert(container_id, false);
            }),
            Some(NodeKind::Internet) | None => {}
        }
    }

    pub fn toggle(&self, container_id: &str) {
        let collapsed = self.layout.with_untracked(|l| l.container(container_id).and_then(|c| c.collapse).map(|c| c.collapsed));
        if let Some(collapsed) = collapsed {
            self.collapse.update(|c| {
                c.insert(container_id.to_string(), !collapsed);
            });
        }
    }

    /// Moves item `id` by `by` canvas units from the keyboard: one undo step.
    fn nudge(&self, handle: Option<super::layout::Handle>, by: Point) {
        if self.read_only {
            return;
        }
        if let Some(h) = handle {
            if let Some(p) = h.dropped(by) {
                let _ = self.app.edit(&format!("move {}", h.name), |doc| {
                    doc.layout.insert(h.key.clone(), p);
                });
            }
        }
    }
}

fn translate(p: Point) -> String {
    format!("translate({:.1} {:.1})", p.x, p.y)
}

fn is_activation(key: &str) -> bool {
    key == "Enter" || key == " "
}

/// Arrow keys move a focused item this many canvas units (Shift: more).
fn arrow_step(ev: &web_sys::KeyboardEvent) -> Option<Point> {
    let step = if ev.shift_key() { 50.0 } else { 10.0 };
    match ev.key().as_str() {
        "ArrowLeft" => Some(Point::new(-step, 0.0)),
        "ArrowRight" => Some(Point::new(step, 0.0)),
        "ArrowUp" => Some(Point::new(0.0, -step)),
        "ArrowDown" => Some(Point::new(0.0, step)),
        _ => None,
    }
}

fn is_primary(ev: &web_sys::PointerEvent) -> bool {
    ev.button() == 0
}

#[component]
pub fn ContainerShape(id: String, canvas: CanvasCtx) -> impl IntoView {
    let c = {
        let id = id.clone();
        Memo::new(move |_| canvas.layout.with(|l| l.container(&id).cloned().unwrap_or_else(|| placeholder_container(&id))))
    };
    let transform = move || c.with(|c| translate(c.rect.origin().plus(canvas.offset(&c.id, &c.ancestors))));
    let class = move || {
        c.with(|c| {
            let kind = match c.kind {
                ContainerKind::Vpc => "vpc",
                ContainerKind::Subnet => "subnet",
                ContainerKind::Loose => "loose",
                ContainerKind::Unplaced => "unplaced",
            };
            let movable = if c.handle.is_some() && !canvas.read_only { " topo-container--movable" } else { "" };
            format!("topo-container topo-container--{kind}{movable}")
        })
    };
    let w = move || c.with(|c| c.rect.w);
    let h = move || c.with(|c| c.rect.h);
    let header = move || c.with(|c| c.header);
    let pad = move || c.with(|c| if c.kind == ContainerKind::Vpc { size::VPC_PAD } else { size::PAD });
    let title = move || c.with(|c| c.title.clone());
    let detail = move || c.with(|c| c.detail.clone());
    let text_y = move || header() / 2.0 + 4.5;
    let on_header_down = move |ev: web_sys::PointerEvent| {
        if !is_primary(&ev) || canvas.read_only {
            return;
        }
        if let Some(handle) = c.with_untracked(|c| c.handle.clone()) {
            let id = c.with_untracked(|c| c.id.clone());
            canvas.pressed.set_value(Some(Grab::Item { id, handle, node: None }));
        }
    };
    let toggle_id = id.clone();
    let toggle = move || {
        let id = toggle_id.clone();
        c.with(|c| c.collapse).map(|state| {
            let label = {
                let title = c.with(|c| c.title.clone());
                if state.collapsed {
                    format!("Expand {title} ({} instances)", state.count)
                } else {
                    format!("Collapse {title} into one node")
                }
            };
            let id_click = id.clone();
            let id_key = id.clone();
            view! {
                <g
                    class="topo-container__toggle"
                    role="button"
                    tabindex="0"
                    data-testid=format!("collapse-{id}")
                    aria-label=label.clone()
                    aria-expanded=(!state.collapsed).to_string()
                    transform=move || translate(Point::new(w() - size::TOGGLE_W + 4.0, (header() - 20.0) / 2.0))
                    on:pointerdown=|ev: web_sys::PointerEvent| ev.stop_propagation()
                    on:click=move |_| canvas.toggle(&id_click)
                    on:keydown=move |ev: web_sys::KeyboardEvent| {
                        if is_activation(&ev.key()) {
                            ev.prevent_default();
                            canvas.toggle(&id_key);
                        }
                    }
                >
                    <title>{label.clone()}</title>
                    <rect class="topo-container__toggle-box" width="20" height="20" rx="5"></rect>
                    <text class="topo-container__toggle-mark" x="10" y="15" text-anchor="middle">{if state.collapsed { "+" } else { "−" }}</text>
                </g>
            }
        })
    };
    let empty = move || {
        c.with(|c| c.empty).then(|| {
            let what = if c.with(|c| c.kind == ContainerKind::Vpc) { "no subnets" } else { "no instances" };
            view! { <text class="topo-container__empty" x=pad y=move || header() + 20.0>{what}</text> }
        })
    };
    view! {
        <g class=class transform=transform data-testid=format!("container-{id}")>
            <rect class="topo-container__frame" width=w height=h rx="10"></rect>
            <path class="topo-container__header" d=move || top_rounded(w(), header(), 10.0) on:pointerdown=on_header_down>
                <title>{move || if canvas.read_only { title() } else { format!("{}: drag the title bar to move it", title()) }}</title>
            </path>
            <text class="topo-container__label" x=pad y=text_y>
                <tspan class="topo-container__title">{title}</tspan>
                <tspan class="topo-container__detail" dx="9">{detail}</tspan>
            </text>
            {toggle}
            {empty}
        </g>
    }
}

fn placeholder_container(id: &str) -> Container {
    Container {
        id: id.to_string(),
        kind: ContainerKind::Subnet,
        title: String::new(),
        detail: String::new(),
        rect: Rect::default(),
        header: 0.0,
        handle: None,
        collapse: None,
        empty: false,
        ancestors: Vec::new(),
    }
}

fn placeholder_node(id: &str) -> Node {
    Node {
        id: id.to_string(),
        kind: NodeKind::Ecs,
        title: String::new(),
        full_title: String::new(),
        detail: String::new(),
        extra: String::new(),
        tooltip: String::new(),
        badges: Badges::default(),
        rect: Rect::default(),
        dense: false,
        handle: None,
        ancestors: Vec::new(),
    }
}

#[component]
pub fn NodeShape(id: String, canvas: CanvasCtx) -> impl IntoView {
    let n = {
        let id = id.clone();
        Memo::new(move |_| canvas.layout.with(|l| l.node(&id).cloned().unwrap_or_else(|| placeholder_node(&id))))
    };
    let transform = move || n.with(|n| translate(n.rect.origin().plus(canvas.offset(&n.id, &n.ancestors))));
    let class = {
        let id = id.clone();
        move || {
            let mut class = String::from("topo-node");
            n.with(|n| {
                class.push_str(match n.kind {
                    NodeKind::Ecs => " topo-node--ecs",
                    NodeKind::LoadBalancer { .. } => " topo-node--lb",
                    NodeKind::Internet => " topo-node--internet",
                    NodeKind::Summary { .. } => " topo-node--summary",
                });
                if n.dense {
                    class.push_str(" topo-node--dense");
                }
                if n.handle.is_some() && !canvas.read_only {
                    class.push_str(" topo-node--movable");
                }
            });
            if canvas.selected.with(|s| s.as_deref() == Some(id.as_str())) {
                class.push_str(" topo-node--selected");
            }
            let (from, to) = canvas.ends.with(|(f, t)| (*f == id, *t == id));
            if from {
                class.push_str(" topo-node--source");
            }
            if to {
                class.push_str(" topo-node--destination");
            }
            if canvas.dragged.with(|d| d.as_deref() == Some(id.as_str())) {
                class.push_str(" topo-node--dragging");
            }
            class
        }
    };
    // "from" / "to" when the tester's source or destination names this node: a pill across
    // the node's top edge, at the right.
    let role_tag = {
        let id = id.clone();
        move || {
            let (from, to) = canvas.ends.with(|(f, t)| (*f == id, *t == id));
            let text = match (from, to) {
                (true, true) => "from + to",
                (true, false) => "from",
                (false, true) => "to",
                _ => return None,
            };
            let pill_w = super::labels::text_width(text, 9.5 * super::labels::BOLD) + 12.0;
            Some(view! {
                <g class="topo-node__role" transform=move || translate(Point::new(n.with(|n| n.rect.w) - pill_w - 8.0, -6.0))>
                    <rect width=pill_w height="13" rx="6.5"></rect>
                    <text x=pill_w / 2.0 y="9.8" text-anchor="middle">{text}</text>
                </g>
            })
        }
    };
    let w = move || n.with(|n| n.rect.w);
    let h = move || n.with(|n| n.rect.h);
    let fonts = move || {
        n.with(
            |n| if n.dense { (size::DENSE_TITLE_FONT, size::DENSE_DETAIL_FONT) } else { (size::NODE_TITLE_FONT, size::NODE_DETAIL_FONT) },
        )
    };
    let is_internet = move || n.with(|n| n.kind == NodeKind::Internet);
    let title_y = move || if is_internet() { 20.0 } else { fonts().0 + 6.5 };
    let detail_y = move || if is_internet() { 35.0 } else { fonts().0 + fonts().1 + 11.0 };
    let text_x = move || if is_internet() { w() / 2.0 } else { size::NODE_PAD };
    let anchor = move || if is_internet() { "middle" } else { "start" };
    let badges_y = move || h() - BADGE_H - 6.0;
    let label = {
        let id = id.clone();
        move || {
            let base = n.with(|n| match &n.kind {
                NodeKind::Summary { .. } => format!("{}: press Enter to expand", n.full_title),
                _ => n.tooltip.replace('\n', "; "),
            });
            let end = match canvas.ends.with(|(f, t)| (*f == id, *t == id)) {
                (true, true) => "; the packet's source and destination",
                (true, false) => "; the packet's source",
                (false, true) => "; the packet's destination",
                _ => "",
            };
            format!("{base}{end}")
        }
    };
    let lb_tag = move || {
        n.with(|n| matches!(n.kind, NodeKind::LoadBalancer { .. }))
            .then(|| view! { <text class="topo-node__kind" x=move || w() - size::NODE_PAD y=move || fonts().0 + 5.5 text-anchor="end">"LB"</text> })
    };
    let badges = move || n.with(|n| badge_row(&n.badges));
    let on_down = {
        let id = id.clone();
        move |ev: web_sys::PointerEvent| {
            if !is_primary(&ev) {
                return;
            }
            let handle = n.with_untracked(|n| n.handle.clone());
            let grab = match handle {
                Some(handle) if !canvas.read_only => Grab::Item { id: id.clone(), handle, node: Some(id.clone()) },
                _ => Grab::Fixed { node: id.clone() },
            };
            canvas.pressed.set_value(Some(grab));
        }
    };
    let on_key = {
        let id = id.clone();
        move |ev: web_sys::KeyboardEvent| {
            if is_activation(&ev.key()) {
                ev.prevent_default();
                canvas.activate(&id);
            } else if let Some(by) = arrow_step(&ev) {
                ev.prevent_default();
                canvas.nudge(n.with_untracked(|n| n.handle.clone()), by);
            }
        }
    };
    // The button is the frame alone and the drawn text sits beside it, hidden from assistive
    // technology: the button's name is the full description (a drawn title may be cut short,
    // and "label in name" holds only when the button has no visible text of its own).
    view! {
        <g class=class transform=transform data-testid=format!("node-{id}") on:pointerdown=on_down>
            <g class="topo-node__hit" role="button" tabindex="0" aria-label=label on:keydown=on_key>
                <title>{move || n.with(|n| n.tooltip.clone())}</title>
                <rect class="topo-node__frame" width=w height=h rx=move || if is_internet() { h() / 2.0 } else { 8.0 }></rect>
            </g>
            <g class="topo-node__face" aria-hidden="true">
                <text class="topo-node__title" x=text_x y=title_y text-anchor=anchor font-size=move || fonts().0>
                    {move || n.with(|n| n.title.clone())}
                </text>
                <text class="topo-node__detail" x=text_x y=detail_y text-anchor=anchor font-size=move || fonts().1>
                    {move || n.with(|n| n.detail.clone())}
                </text>
                <text class="topo-node__detail" x=text_x y=move || detail_y() + size::EIP_LINE font-size=move || fonts().1>
                    {move || n.with(|n| n.extra.clone())}
                </text>
                {lb_tag}
                <g class="topo-node__badges" transform=move || translate(Point::new(size::NODE_PAD, badges_y()))>{badges}</g>
                {role_tag}
            </g>
        </g>
    }
}

/// The group pills of a node.
fn badge_row(badges: &Badges) -> impl IntoView {
    let pills = badges
        .shown
        .iter()
        .map(|b| {
            view! {
                <g class=format!("topo-badge topo-badge--tone-{}", b.tone) transform=translate(Point::new(b.x, 0.0))>
                    <rect class="topo-badge__pill" width=b.w height=BADGE_H rx=BADGE_H / 2.0></rect>
                    <text class="topo-badge__text" x=b.w / 2.0 y=BADGE_H / 2.0 + BADGE_FONT * 0.36 text-anchor="middle">{b.text.clone()}</text>
                </g>
            }
        })
        .collect_view();
    let more = (badges.more > 0).then(|| {
        let w = super::labels::more_width(badges.more);
        view! {
            <g class="topo-badge topo-badge--more" transform=translate(Point::new(badges.more_x, 0.0))>
                <rect class="topo-badge__pill" width=w height=BADGE_H rx=BADGE_H / 2.0></rect>
                <text class="topo-badge__text" x=w / 2.0 y=BADGE_H / 2.0 + BADGE_FONT * 0.36 text-anchor="middle">{format!("+{}", badges.more)}</text>
            </g>
        }
    });
    view! { {pills} {more} }
}

/// The packet's path, drawn over everything.
pub fn path_view(p: &PathView) -> impl IntoView {
    let segments = p
        .segments
        .iter()
        .map(|s| view! { <polyline class=format!("topo-path__segment topo-path__segment--{}", s.tone.class()) points=s.svg_points()></polyline> })
        .collect_view();
    let arrow = p.arrow.map(|[a, b, c]| {
        let tone = p.segments.last().map_or(Tone::Open, |s| s.tone);
        view! {
            <polygon
                class=format!("topo-path__arrow topo-path__arrow--{}", tone.class())
                points=format!("{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}", a.x, a.y, b.x, b.y, c.x, c.y)
            ></polygon>
        }
    });
    let stop = p.stop.map(|at| {
        view! {
            <g class="topo-path__stop" transform=translate(at) data-testid="path-stop">
                <circle r="10"></circle>
                <path d="M -4.5 -4.5 L 4.5 4.5 M 4.5 -4.5 L -4.5 4.5"></path>
            </g>
        }
    });
    let labels = p
        .labels
        .iter()
        .map(|l| {
            view! {
                <g class=format!("topo-path__label topo-path__label--{}", l.tone.class()) transform=translate(l.at)>
                    <rect x=-l.width / 2.0 y=-LABEL_H / 2.0 width=l.width height=LABEL_H rx=LABEL_H / 2.0></rect>
                    <text y=LABEL_FONT * 0.36 text-anchor="middle" font-size=LABEL_FONT>{l.text.clone()}</text>
                </g>
            }
        })
        .collect_view();
    let tags = p
        .tags
        .iter()
        .map(|t| {
            view! {
                <g class="topo-path__tag" transform=translate(t.rect.origin())>
                    <rect width=t.rect.w height=t.rect.h rx="6"></rect>
                    <text x=t.rect.w / 2.0 y=t.rect.h / 2.0 + LABEL_FONT * 0.36 text-anchor="middle" font-size=LABEL_FONT>{t.text.clone()}</text>
                </g>
            }
        })
        .collect_view();
    let focus = p.focus.map(|r| {
        let r = r.inflated(6.0);
        view! { <rect class="topo-focus" data-testid="path-focus" x=r.x y=r.y width=r.w height=r.h rx="12"></rect> }
    });
    let verdict = if p.verdict.is_allow() { "allow" } else { "deny" };
    view! {
        <g class=format!("topo-path topo-path--{verdict}") data-testid="path" data-verdict=verdict>
            {focus}
            {segments}
            {arrow}
            {stop}
            {tags}
            {labels}
        </g>
    }
}
