//! A modal dialog on the native `<dialog>`: the browser keeps focus inside it, makes the page
//! behind it inert, closes it on Escape and gives focus back to the button that opened it.
//! Its content is only built while it is open, so it always shows the current state.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// `open` opens and closes it; the dialog sets it back to `false` when the user closes it
/// (Escape, the × button, a click on the backdrop). The element carries `data-testid={testid}`.
#[component]
pub fn Modal(
    open: RwSignal<bool>,
    #[prop(into)] title: String,
    #[prop(into)] testid: String,
    /// An extra class for the dialog (its block name, e.g. `gallery`).
    #[prop(optional, into)]
    class: String,
    children: ChildrenFn,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    Effect::new(move |_| {
        let want = open.get();
        let Some(element) = dialog.get() else { return };
        if want && !element.open() {
            let _ = element.show_modal();
            // The content has just been built: put focus where the dialog asks for it.
            if let Ok(Some(first)) = element.query_selector("[autofocus]") {
                if let Some(first) = first.dyn_ref::<web_sys::HtmlElement>() {
                    let _ = first.focus();
                }
            }
        } else if !want && element.open() {
            element.close();
        }
    });
    let title_id = format!("{testid}-title");
    let heading_id = title_id.clone();
    let close_testid = format!("{testid}-close");
    // A click on the backdrop lands on the <dialog> itself: its frame fills it.
    let on_click = move |ev: web_sys::MouseEvent| {
        let on_backdrop = match (ev.target(), dialog.get_untracked()) {
            (Some(target), Some(element)) => AsRef::<JsValue>::as_ref(&target) == AsRef::<JsValue>::as_ref(&element),
            _ => false,
        };
        if on_backdrop {
            open.set(false);
        }
    };
    view! {
        <dialog
            node_ref=dialog
            class=format!("modal {class}")
            data-testid=testid
            aria-labelledby=title_id.clone()

            on:close=move |_| open.set(false)
            on:click=on_click
        >
            <div class="modal__frame">
                <header class="modal__header">
                    <h2 class="modal__title" id=heading_id>{title}</h2>
                    <button type="button" class="modal__close" data-testid=close_testid aria-label="Close" title="Close (Esc)" on:click=move |_| open.set(false)>
                        "×"
                    </button>
                </header>
                <div class="modal__body">
                    <Show when=move || open.get()>{children()}</Show>
                </div>
            </div>
        </dialog>
    }
}
