//! Small line icons for the row buttons, drawn inline so they look the same on every system
//! (emoji and symbol fonts vary). Decorative: the buttons carry the accessible names.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    Edit,
    Copy,
    Delete,
    Up,
    Down,
    Remove,
}

pub fn icon(which: Icon) -> impl IntoView {
    let path = match which {
        Icon::Edit => "M10.8 2.7l2.5 2.5-7.6 7.6-3.2.7.7-3.2z M9.3 4.2l2.5 2.5",
        Icon::Copy => "M5.5 5.5h7v7h-7z M3.5 10.5v-7h7",
        Icon::Delete => "M2.8 4.3h10.4 M6.3 4.3V2.8h3.4v1.5 M4.3 4.3l.6 8.9h6.2l.6-8.9 M6.8 6.8v4 M9.2 6.8v4",
        Icon::Up => "M8 13V3 M4 7l4-4 4 4",
        Icon::Down => "M8 3v10 M4 9l4 4 4-4",
        Icon::Remove => "M4 4l8 8 M12 4l-8 8",
    };
    view! {
        <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
            <path d=path fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"/>
        </svg>
    }
}
