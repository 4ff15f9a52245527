//! The embed view's footer: what this is, and a way out to the full playground with the same
//! scenario (and the tester's current packet) in a share link.

use super::links::{page_base, share_url};
use crate::state::share::{self, Shared};
use crate::state::use_app;
use leptos::prelude::*;

#[component]
pub fn EmbedFooter() -> impl IntoView {
    let app = use_app();
    let base = page_base(&window().location().href().unwrap_or_default()).to_string();
    let href = Memo::new(move |_| {
        let shared = Shared { scenario: app.doc.get(), probe: Some(app.probe.get()) };
        share_url(&base, &share::encode(&shared))
    });
    let name = move || app.doc.with(|d| if d.name.is_empty() { "Untitled scenario".to_string() } else { d.name.clone() });
    view! {
        <footer class="embed__footer">
            <span class="embed__brand">"sgplay"</span>
            <span class="embed__name" data-testid="embed-name">{name}</span>
            <span class="embed__badge">"read-only"</span>
            <a class="embed__open" data-testid="embed-open" href=move || href.get() target="_blank" rel="noopener">
                "Open in sgplay ↗"
            </a>
        </footer>
    }
}
