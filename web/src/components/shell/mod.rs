//! The page's frame: header (gallery, undo/redo, share, import/export), notices, embed footer.
//! BEING WRITTEN.

use leptos::prelude::*;

#[component]
pub fn Header() -> impl IntoView {
    view! { <header class="masthead"><h1 class="masthead__title">"sgplay"</h1></header> }
}

#[component]
pub fn Notices() -> impl IntoView {
    view! { <div class="notices"></div> }
}

#[component]
pub fn EmbedFooter() -> impl IntoView {
    view! { <footer class="embed__footer"></footer> }
}
