//! "Skip to …" buttons, the first stops of the Tab order: a keyboard user reaches the tester
//! or the connections without tabbing through every group and rule. Hidden until focused.
//! Buttons rather than `#fragment` links, because the address's fragment carries share links.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The panels one can skip to: the button's text and the id of the panel's heading.
const TARGETS: [(&str, &str); 7] = [
    ("Skip to the security groups", "groups-title"),
    ("Skip to the what-if", "baseline-title"),
    ("Skip to the findings", "findings-title"),
    ("Skip to the topology", "topo-title"),
    ("Skip to the packet tester", "tester-title"),
    ("Skip to the connections", "connections-title"),
    ("Skip to the reachability matrix", "matrix-title"),
];

/// Moves keyboard focus to the heading with `id` (headings carry `tabindex="-1"`), so the next
/// Tab continues inside that panel.
fn focus_heading(id: &str) {
    let Some(el) = document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) else { return };
    let _ = el.focus();
    el.scroll_into_view();
}

#[component]
pub fn SkipLinks() -> impl IntoView {
    view! {
        <nav class="skip-links" aria-label="Skip to a panel">
            {TARGETS
                .into_iter()
                .map(|(text, id)| view! {
                    <button type="button" class="skip-links__button" data-testid=format!("skip-{id}") on:click=move |_| focus_heading(id)>{text}</button>
                })
                .collect_view()}
        </nav>
    }
}
