//! BEING WRITTEN.

use leptos::prelude::*;

#[component]
pub fn GroupsPanel() -> impl IntoView {
    view! { <section class="panel"><h2 class="panel__title">"GroupsPanel"</h2></section> }
}
