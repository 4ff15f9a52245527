//! BEING WRITTEN.

use leptos::prelude::*;

#[component]
pub fn ConnectionsPanel() -> impl IntoView {
    view! { <section class="panel"><h2 class="panel__title">"ConnectionsPanel"</h2></section> }
}
