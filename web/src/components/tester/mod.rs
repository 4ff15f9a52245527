//! BEING WRITTEN.

use leptos::prelude::*;

#[component]
pub fn TesterPanel() -> impl IntoView {
    view! { <section class="panel"><h2 class="panel__title">"TesterPanel"</h2></section> }
}
