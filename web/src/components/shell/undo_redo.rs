//! Undo and Redo: two buttons that say what they would undo ("Undo add rule A05"), disabled
//! when there is nothing to undo, and the keyboard shortcuts (`keys.rs`).

use super::keys::{self, Modifiers, Shortcut};
use crate::state::use_app;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn UndoRedo() -> impl IntoView {
    let app = use_app();
    let undo_label = Memo::new(move |_| app.history.with(|h| h.undo_label().map(str::to_string)));
    let redo_label = Memo::new(move |_| app.history.with(|h| h.redo_label().map(str::to_string)));
    let mac = keys::is_mac(&window().navigator().platform().unwrap_or_default());

    let handle = window_event_listener(ev::keydown, move |e: web_sys::KeyboardEvent| {
        if e.is_composing() || app.read_only() {
            return;
        }
        let modifiers = Modifiers { ctrl: e.ctrl_key(), meta: e.meta_key(), shift: e.shift_key(), alt: e.alt_key() };
        let Some(shortcut) = keys::shortcut(&e.key(), modifiers, mac) else { return };
        if let Some(target) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let editable = target.dyn_ref::<web_sys::HtmlElement>().is_some_and(|h| h.is_content_editable());
            let typing = keys::is_typing_target(&target.tag_name(), &target.get_attribute("type").unwrap_or_default(), editable);
            // Inside a dialog (gallery, import) the page behind it is not what the user sees.
            let in_dialog = target.closest("dialog").ok().flatten().is_some();
            if typing || in_dialog {
                return;
            }
        }
        e.prevent_default();
        match shortcut {
            Shortcut::Undo => app.undo(),
            Shortcut::Redo => app.redo(),
        }
    });
    on_cleanup(move || handle.remove());

    let (undo_keys, redo_keys) = if mac { ("Meta+Z", "Meta+Shift+Z") } else { ("Control+Z", "Control+Shift+Z Control+Y") };
    view! {
        <div class="toolbar__group" role="group" aria-label="History">
            <button
                type="button"
                class="toolbar__button"
                data-testid="undo"
                aria-keyshortcuts=undo_keys
                disabled=move || undo_label.with(Option::is_none)
                title=move || undo_label.get().map(|l| format!("Undo {l}")).unwrap_or_else(|| "Nothing to undo".into())
                on:click=move |_| app.undo()
            >
                <span class="toolbar__icon" aria-hidden="true">"↶"</span>
                "Undo"
            </button>
            <button
                type="button"
                class="toolbar__button"
                data-testid="redo"
                aria-keyshortcuts=redo_keys
                disabled=move || redo_label.with(Option::is_none)
                title=move || redo_label.get().map(|l| format!("Redo {l}")).unwrap_or_else(|| "Nothing to redo".into())
                on:click=move |_| app.redo()
            >
                <span class="toolbar__icon" aria-hidden="true">"↷"</span>
                "Redo"
            </button>
        </div>
    }
}
