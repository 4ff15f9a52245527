//! The `<svg>`: containers, nodes and the packet's path, with pan (drag the background), zoom
//! (wheel, buttons) and drag (nodes and container title bars). Pointer events go through a
//! pure [`Gesture`]; the view transform is a local signal; a drag shifts shapes through
//! `CanvasCtx::drag` and saves one position on release.

use super::geometry::{Point, View};
use super::gesture::{Gesture, Grab, Motion, Outcome};
use super::path::{project, PathView};
use super::shapes::{path_view, CanvasCtx, ContainerShape, NodeShape};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Margin around the content when fitting, canvas units.
const FIT_MARGIN: f64 = 24.0;
/// The fitted view is never smaller than this (canvas units): one instance is not drawn huge.
const FIT_MIN: (f64, f64) = (600.0, 380.0);

/// The element under the handler and the pointer's place on it, in pixels.
fn locate(ev: &web_sys::MouseEvent) -> Option<(web_sys::Element, (f64, f64), Point)> {
    let el: web_sys::Element = ev.current_target()?.dyn_into().ok()?;
    let r = el.get_bounding_client_rect();
    let at = Point::new(f64::from(ev.client_x()) - r.left(), f64::from(ev.client_y()) - r.top());
    Some((el, (r.width(), r.height()), at))
}

#[component]
pub fn Canvas(canvas: CanvasCtx, user_view: RwSignal<Option<View>>, view: Memo<View>) -> impl IntoView {
    let app = canvas.app;
    let gesture: StoredValue<Option<Gesture>> = StoredValue::new(None);

    let path: Memo<Option<PathView>> = Memo::new(move |_| {
        app.sent.with(|sent| {
            let sent = sent.as_ref()?;
            let cursor = app.cursor.get();
            canvas.layout.with(|l| project(&sent.delivery.evaluation, &sent.steps, cursor, l))
        })
    });

    let on_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            canvas.pressed.set_value(None);
            return;
        }
        let grab = canvas.pressed.try_update_value(Option::take).flatten().unwrap_or(Grab::Background);
        let Some((el, size, at)) = locate(&ev) else { return };
        let upp = view.with_untracked(|v| v.units_per_pixel(size));
        gesture.set_value(Some(Gesture::begin(ev.pointer_id(), grab, at, upp)));
        let _ = el.set_pointer_capture(ev.pointer_id());
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let Some((_, size, at)) = locate(&ev) else { return };
        let motion = gesture.try_update_value(|g| match g {
            Some(g) if g.pointer_id == ev.pointer_id() => Some(g.motion(at)),
            _ => None,
        });
        match motion.flatten() {
            Some(Motion::Pan { dx, dy }) => {
                let v = view.get_untracked().panned_by_pixels(size, dx, dy);
                user_view.set(Some(v));
            }
            Some(Motion::Drag { id, offset }) => canvas.drag.set(Some((id, offset))),
            Some(Motion::Still) | None => {}
        }
    };
    let on_up = move |ev: web_sys::PointerEvent| {
        let Some(g) = gesture.try_update_value(|g| g.take_if(|g| g.pointer_id == ev.pointer_id())).flatten() else { return };
        let Some((_, _, at)) = locate(&ev) else { return };
        if canvas.drag.with_untracked(Option::is_some) {
            canvas.drag.set(None);
        }
        match g.end(at) {
            Outcome::Click(id) => canvas.activate(&id),
            Outcome::ClickBackground => {
                if app.selection.with_untracked(|s| s.instance_id.is_some()) {
                    app.selection.update(|s| s.instance_id = None);
                }
            }
            Outcome::Drop { key, name, position } => {
                let _ = app.edit(&format!("move {name}"), |doc| {
                    doc.layout.insert(key, position);
                });
            }
            Outcome::Nothing => {}
        }
    };
    let on_cancel = move |_: web_sys::PointerEvent| {
        gesture.set_value(None);
        canvas.drag.set(None);
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        // Embedded in someone's page, the wheel scrolls that page unless Ctrl (or a pinch,
        // which browsers report as Ctrl+wheel) asks for zoom.
        if canvas.read_only && !(ev.ctrl_key() || ev.meta_key()) {
            return;
        }
        let Some((_, size, at)) = locate(&ev) else { return };
        ev.prevent_default();
        let per_unit = match ev.delta_mode() {
            1 => 16.0,
            2 => 400.0,
            _ => 1.0,
        };
        let factor = View::wheel_factor(ev.delta_y() * per_unit);
        let v = view.get_untracked();
        user_view.set(Some(v.zoomed(factor, v.to_canvas(size, at.x, at.y))));
    };

    let container_ids = move || canvas.layout.with(|l| l.containers.iter().map(|c| c.id.clone()).collect::<Vec<_>>());
    let node_ids = move || canvas.layout.with(|l| l.nodes.iter().map(|n| n.id.clone()).collect::<Vec<_>>());
    let class = move || {
        let mut class = String::from("topo__canvas");
        if canvas.read_only {
            class.push_str(" topo__canvas--read-only");
        }
        if canvas.dragged.with(Option::is_some) {
            class.push_str(" topo__canvas--dragging");
        }
        class
    };
    view! {
        <svg
            class=class
            data-testid="canvas"
            viewBox=move || view.with(View::view_box)
            preserveAspectRatio="xMidYMid meet"
            role="group"
            aria-label="Topology: VPCs, subnets, instances and the Internet. Tab to an instance and press Enter to select it; drag the background to pan, use the wheel or the zoom buttons to zoom."
            aria-describedby="topo-path-text"
            on:pointerdown=on_down
            on:pointermove=on_move
            on:pointerup=on_up
            on:pointercancel=on_cancel
            on:wheel=on_wheel
        >
            <g class="topo__containers">
                <For each=container_ids key=|id| id.clone() let:id>
                    <ContainerShape id canvas/>
                </For>
            </g>
            <g class="topo__nodes">
                <For each=node_ids key=|id| id.clone() let:id>
                    <NodeShape id canvas/>
                </For>
            </g>
            <g class="topo__path-layer">{move || path.with(|p| p.as_ref().map(path_view))}</g>
        </svg>
    }
}

/// The view that shows everything: what "fit" returns to, and the view until the user pans
/// or zooms.
pub fn fit(canvas: &CanvasCtx) -> View {
    canvas.layout.with(|l| View::fit(l.bounds, FIT_MARGIN, FIT_MIN))
}
