//! BEING WRITTEN.

use leptos::prelude::*;

#[component]
pub fn InstancesPanel() -> impl IntoView {
    view! { <section class="panel"><h2 class="panel__title">"InstancesPanel"</h2></section> }
}
