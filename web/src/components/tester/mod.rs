//! The packet tester: describe a packet (or pick one of the scenario's checks), send it through
//! the simulator, read the verdict, then walk the engine's steps one at a time. The inputs live
//! in `AppState::probe` (so autosave and share links carry them); the result is
//! `AppState::sent`, and the step-through is `AppState::cursor`, which the rules panel and the
//! canvas follow to highlight the current rule and hop.
//!
//! - [`probe_fields`]: which inputs a protocol uses, the menus, reading number cells (pure);
//! - [`stepper`]: the cursor arithmetic and the keys (pure);
//! - [`summary`]: the verdict's headline, the sides a connection entry decided (pure);
//! - `packet_form`, `endpoint_field`, `check_menu`, `result_view`, `fix_view` (Suggest a fix
//!   under a denied verdict): the views.

mod check_menu;
mod endpoint_field;
mod fix_view;
mod packet_form;
pub mod probe_fields;
mod result_view;
pub mod stepper;
pub mod summary;

use crate::state::{use_app, AppState};
use leptos::prelude::*;
pub use packet_form::FieldMessage;
use packet_form::PacketForm;
use result_view::ResultView;
use sgplay_core::scenario::Problem;
use stepper::Move;
use wasm_bindgen::JsCast;

/// Moves the step-through cursor over the last packet's steps.
pub fn step(app: AppState, m: Move) {
    let len = app.sent.with_untracked(|s| s.as_ref().map_or(0, |s| s.steps.len()));
    let next = stepper::apply(m, app.cursor.get_untracked(), len);
    app.cursor.set(next);
}

/// Is the key event aimed at a field that uses the arrows itself?
fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().to_ascii_lowercase().as_str(), "input" | "select" | "textarea"))
}

#[component]
pub fn TesterPanel() -> impl IntoView {
    let app = use_app();
    // The engine's problems with the last attempt to send, shown at the fields they name.
    let problems = RwSignal::new(Vec::<Problem>::new());
    let send = Callback::new(move |()| match app.send_probe() {
        Ok(()) => problems.set(Vec::new()),
        Err(found) => problems.set(found),
    });
    let keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
            return;
        }
        if let Some(m) = stepper::key_move(&ev.key(), typing(&ev)) {
            if app.sent.with_untracked(Option::is_some) {
                ev.prevent_default();
                step(app, m);
            }
        }
    };
    view! {
        <section class="panel tester" data-testid="tester" aria-labelledby="tester-title" on:keydown=keydown>
            <h2 class="panel__title" id="tester-title" tabindex="-1">"Packet tester"</h2>
            <PacketForm problems on_send=send/>
            <ResultView/>
        </section>
    }
}
