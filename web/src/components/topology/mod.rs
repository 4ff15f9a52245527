//! The topology canvas: VPCs, subnets and instances as boxes, the Internet above them, each
//! instance with its security groups as badges, and the last packet's path colored by the
//! engine's verdict on each side.
//!
//! Split as leptos-chartistry splits its charts: pure projection modules with native tests,
//! and thin SVG components over them.
//! - [`geometry`]: points, rectangles, the view (`viewBox`) and its pan/zoom/fit arithmetic.
//! - [`labels`]: text width estimates, truncation, which group badges fit on a node.
//! - [`layout`]: world + saved positions → containers and nodes (auto-layout, collapsing).
//! - [`path`]: the engine's trace → the path's segments, labels and the ✕ where it stopped.
//! - [`gesture`]: one pointer gesture → pan, drag, click, or the position to save.
//! - `canvas` and `shapes`: the `<svg>` and its shapes.
//!
//! The layout is a `Memo` of the scenario and the collapse choices: a pointer move only
//! shifts the dragged shapes (`CanvasCtx::drag`); a drop saves one position with
//! `AppState::edit`, one undo step per drag, none when nothing moved; arrow keys move a
//! focused node, Enter selects it. In embed mode the canvas pans and zooms but nothing moves,
//! and the wheel zooms only with Ctrl (a plain wheel scrolls the page around the iframe).

mod canvas;
pub mod geometry;
pub mod gesture;
pub mod labels;
pub mod layout;
pub mod path;
mod shapes;

use crate::state::use_app;
use canvas::Canvas;
use geometry::{View, ZOOM_STEP};
use layout::Layout;
use leptos::prelude::*;
use shapes::CanvasCtx;
use std::collections::BTreeMap;

#[component]
pub fn CanvasPanel() -> impl IntoView {
    let app = use_app();
    let collapse = RwSignal::new(BTreeMap::<String, bool>::new());
    // Laid out again only when the scenario or the collapse choices change, never on a
    // pointer move. The document always validates; should it not, the last layout stays.
    let layout = Memo::new(move |previous: Option<&Layout>| {
        collapse.with(|choices| {
            app.scenario.with(|s| match s {
                Ok(s) => layout::layout(&s.world, &s.layout, choices),
                Err(_) => previous.cloned().unwrap_or_default(),
            })
        })
    });
    let drag = RwSignal::new(None::<(String, geometry::Point)>);
    let canvas = CanvasCtx {
        app,
        layout,
        drag,
        dragged: Memo::new(move |_| drag.with(|d| d.as_ref().map(|(id, _)| id.clone()))),
        selected: Memo::new(move |_| app.selection.with(|s| s.instance_id.clone())),
        ends: Memo::new(move |_| app.probe.with(|p| (p.from.trim().to_string(), p.to.trim().to_string()))),
        pressed: StoredValue::new(None),
        collapse,
        read_only: app.read_only(),
    };
    let user_view: RwSignal<Option<View>> = RwSignal::new(None);
    let view = Memo::new(move |_| user_view.get().unwrap_or_else(|| canvas::fit(&canvas)));
    // Another scenario (gallery, import, link): start from a fitted view and automatic
    // collapsing again; edits to the same scenario keep the user's view.
    Effect::new(move |previous: Option<String>| {
        let name = app.doc.with(|d| d.name.clone());
        if previous.is_some_and(|p| p != name) {
            user_view.set(None);
            collapse.set(BTreeMap::new());
        }
        name
    });
    let zoom = move |factor: f64| {
        let v = view.get_untracked();
        user_view.set(Some(v.zoomed(factor, v.center())));
    };

    view! {
        <section class="panel topo" data-testid="topology" aria-labelledby="topo-title">
            <div class="topo__bar">
                <h2 class="panel__title topo__title" id="topo-title" tabindex="-1">"Topology"</h2>
                <Legend/>
                <div class="topo__zoom" role="group" aria-label="Zoom">
                    <button class="topo__zoom-button" data-testid="zoom-out" title="Zoom out" aria-label="Zoom out" on:click=move |_| zoom(1.0 / ZOOM_STEP)>
                        "−"
                    </button>
                    <button class="topo__zoom-button topo__zoom-button--fit" data-testid="zoom-fit" title="Show everything" aria-label="Fit to view" on:click=move |_| user_view.set(None)>
                        "Fit"
                    </button>
                    <button class="topo__zoom-button" data-testid="zoom-in" title="Zoom in" aria-label="Zoom in" on:click=move |_| zoom(ZOOM_STEP)>
                        "+"
                    </button>
                </div>
            </div>
            <div class="topo__stage">
                <Canvas canvas user_view view/>
            </div>
            <SelectionBar/>
            <PathText/>
        </section>
    }
}

/// What the path's colors mean; shown once a packet has been sent.
#[component]
fn Legend() -> impl IntoView {
    let app = use_app();
    view! {
        <p class="topo__legend" class:topo__legend--hidden=move || app.sent.with(Option::is_none) aria-hidden=move || app.sent.with(Option::is_none).to_string()>
            <span class="topo__key topo__key--allow">{move || app.cloud_profile().outcome_word(true)}</span>
            <span class="topo__key topo__key--deny">{move || app.cloud_profile().outcome_word(false)}</span>
            <span class="topo__key topo__key--open">"not filtered"</span>
        </p>
    }
}

/// The drawing's text alternative: the last packet's path as a list of the engine's sentences,
/// folded away under the canvas (the canvas names it with `aria-describedby`).
#[component]
fn PathText() -> impl IntoView {
    let app = use_app();
    let lines = move || app.sent.with(|s| s.as_ref().map(|s| path::path_as_text(&s.steps)).unwrap_or_default());
    view! {
        <details class="topo__path-text" data-testid="path-text" id="topo-path-text">
            <summary>"The path as text"</summary>
            {move || {
                let lines = lines();
                if lines.is_empty() {
                    view! { <p class="topo__path-empty">"No packet sent yet: Evaluate one in the packet tester."</p> }.into_any()
                } else {
                    view! { <ol class="topo__path-list">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ol> }.into_any()
                }
            }}
        </details>
    }
}

/// The selected instance and what to do with it: use it as the tester's source or
/// destination. Always the same height, so selecting does not move the page.
#[component]
fn SelectionBar() -> impl IntoView {
    let app = use_app();
    let selected = Memo::new(move |_| {
        let id = app.selection.with(|s| s.instance_id.clone())?;
        app.scenario.with(|s| {
            let inst = s.as_ref().ok()?.world.instance(&id)?;
            let address = inst.private_ips.first().map(|a| a.to_string()).unwrap_or_default();
            Some((id.clone(), inst.display_name().to_string(), address))
        })
    });
    let body = move || match selected.get() {
        Some((id, name, address)) => {
            let (is_from, is_to) = app.probe.with(|p| (p.from.trim() == id, p.to.trim() == id));
            let from_id = id.clone();
            let to_id = id.clone();
            view! {
                <span class="topo__selected">
                    <strong class="topo__selected-name">{name}</strong>
                    " "
                    <code class="topo__selected-address">{address}</code>
                </span>
                <span class="topo__actions">
                    <button
                        class="topo__action"
                        class:topo__action--on=is_from
                        data-testid="use-as-source"
                        aria-pressed=is_from.to_string()
                        on:click=move |_| app.probe.update(|p| p.from = from_id.clone())
                    >
                        "Use as source"
                    </button>
                    <button
                        class="topo__action"
                        class:topo__action--on=is_to
                        data-testid="use-as-destination"
                        aria-pressed=is_to.to_string()
                        on:click=move |_| app.probe.update(|p| p.to = to_id.clone())
                    >
                        "Use as destination"
                    </button>
                    <button class="topo__action topo__action--quiet" aria-label="Clear the selection" on:click=move |_| app.selection.update(|s| s.instance_id = None)>
                        "×"
                    </button>
                </span>
            }
            .into_any()
        }
        None => {
            let hint = if app.read_only() {
                "Click an instance to pick it as the packet's source or destination. Drag the background to pan, Ctrl+scroll to zoom."
            } else {
                "Click an instance to pick it as the packet's source or destination. Drag instances and title bars to arrange, the background to pan; scroll to zoom."
            };
            view! { <span class="topo__hint">{hint}</span> }.into_any()
        }
    };
    view! { <div class="topo__selection" data-testid="canvas-selection" aria-live="polite">{body}</div> }
}
