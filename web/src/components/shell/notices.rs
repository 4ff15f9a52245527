//! The notices at the top of the page (`app.notices`): share links that could not be opened,
//! a save set aside, autosave failing, "your previous work is one Undo away". Each can be
//! dismissed.

use super::notice_text::segments;
use crate::state::{use_app, NoticeKind};
use leptos::prelude::*;

/// `text` with its backtick-quoted parts as `<code>`.
pub fn rich_text(text: &str) -> impl IntoView {
    segments(text)
        .into_iter()
        .map(|(code, part)| {
            let part = part.to_string();
            if code { view! { <code>{part}</code> }.into_any() } else { part.into_any() }
        })
        .collect_view()
}

#[component]
pub fn Notices() -> impl IntoView {
    let app = use_app();
    view! {
        <div class="notices" aria-live="polite">
            <For each=move || app.notices.get() key=|n| n.id let:notice>
                {
                    let id = notice.id;
                    let (modifier, role, label) = match notice.kind {
                        NoticeKind::Info => ("info", "status", "Note"),
                        NoticeKind::Warning => ("warning", "status", "Warning"),
                        NoticeKind::Error => ("error", "alert", "Problem"),
                    };
                    let text = rich_text(&notice.text);
                    view! {
                        <div class=format!("notice notice--{modifier}") data-testid="notice" data-kind=modifier role=role>
                            <span class="notice__badge">{label}</span>
                            <p class="notice__text">{text}</p>
                            <button type="button" class="notice__dismiss" data-testid="notice-dismiss" aria-label="Dismiss this notice" title="Dismiss" on:click=move |_| app.dismiss(id)>
                                "×"
                            </button>
                        </div>
                    }
                }
            </For>
        </div>
    }
}
