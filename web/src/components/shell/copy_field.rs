//! A read-only text with a Copy button: share links, embed snippets.

use super::clipboard;
use leptos::html;
use leptos::prelude::*;

#[component]
pub fn CopyField(
    #[prop(into)] label: String,
    #[prop(into)] value: Signal<String>,
    /// The text's test id; the button's is `{testid}-copy`.
    #[prop(into)]
    testid: String,
    #[prop(default = 3)] rows: u32,
) -> impl IntoView {
    let area = NodeRef::<html::Textarea>::new();
    let status = RwSignal::new(String::new());
    let select = move || {
        if let Some(a) = area.get_untracked() {
            let _ = a.focus();
            a.select();
        }
    };
    let copy = move |_| {
        status.set(String::new());
        clipboard::copy(value.get_untracked(), move |ok| {
            if ok {
                status.set("Copied".into());
            } else {
                select();
                status.set("Selected: press Ctrl+C to copy".into());
            }
        });
    };
    // A new value is not the one that was copied.
    Effect::new(move |_| {
        value.track();
        status.set(String::new());
    });
    let button_testid = format!("{testid}-copy");
    view! {
        <div class="copy-field">
            <label class="copy-field__label">
                <span class="field__label">{label}</span>
                <textarea
                    node_ref=area
                    class="copy-field__text"
                    data-testid=testid
                    readonly
                    rows=rows
                    spellcheck="false"
                    prop:value=move || value.get()
                    on:focus=move |_| select()
                ></textarea>
            </label>
            <div class="copy-field__actions">
                <button type="button" class="button button--small" data-testid=button_testid on:click=copy>"Copy"</button>
                <span class="copy-field__status" role="status" aria-live="polite">{move || status.get()}</span>
            </div>
        </div>
    }
}
