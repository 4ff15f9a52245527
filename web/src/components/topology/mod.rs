//! BEING WRITTEN.

use leptos::prelude::*;

#[component]
pub fn CanvasPanel() -> impl IntoView {
    view! { <section class="panel"><h2 class="panel__title">"CanvasPanel"</h2></section> }
}
