//! The masthead: the product, the scenario's name (edited in place), its cloud and its
//! one-line story, and the toolbar: cloud switch, gallery, undo/redo, share, export, import.

use super::cloud_profile_switch::{CloudProfileBadge, CloudProfileSwitch};
use super::export_button::ExportButton;
use super::gallery_dialog::GalleryButton;
use super::import_dialog::ImportButton;
use super::share_dialog::ShareButton;
use super::undo_redo::UndoRedo;
use crate::state::use_app;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn Header() -> impl IntoView {
    let app = use_app();
    let name = Memo::new(move |_| app.doc.with(|d| d.name.clone()));
    let description = Memo::new(move |_| app.doc.with(|d| d.description.clone()));

    let rename = move |ev: web_sys::Event| {
        let value = event_target_value(&ev).trim().to_string();
        if value != name.get_untracked() {
            let _ = app.edit("rename scenario", |d| d.name = value);
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        match ev.key().as_str() {
            "Enter" => {
                let _ = input.blur();
            }
            "Escape" => {
                input.set_value(&name.get_untracked());
                let _ = input.blur();
            }
            _ => {}
        }
    };

    view! {
        <header class="masthead">
            <div class="masthead__brand">
                <svg class="masthead__logo" viewBox="0 0 32 32" aria-hidden="true">
                    <path d="M16 2 4 6.5v8.5c0 7.3 5 12.6 12 15 7-2.4 12-7.7 12-15V6.5z" fill="currentColor"/>
                    <path d="m10.5 16 4 4 7-8" stroke="var(--panel)" stroke-width="2.6" fill="none" stroke-linecap="round" stroke-linejoin="round"/>
                </svg>
                <span class="masthead__product">"sgplay"</span>
            </div>
            <div class="masthead__scenario">
                <div class="masthead__title-row">
                    <h1 class="masthead__title">
                        <input
                            class="masthead__name"
                            data-testid="scenario-name"
                            aria-label="Scenario name"
                            title="Rename the scenario"
                            placeholder="Untitled scenario"
                            spellcheck="false"
                            maxlength="200"
                            prop:value=move || name.get()
                            on:change=rename
                            on:keydown=on_key
                        />
                    </h1>
                    <CloudProfileBadge/>
                </div>
                <p class="masthead__description" data-testid="scenario-description" title=move || description.get()>
                    {move || {
                        let d = description.get();
                        if d.is_empty() { "A security-group playground: will this packet get through, and why?".to_string() } else { d }
                    }}
                </p>
            </div>
            <nav class="masthead__toolbar toolbar" aria-label="Scenario">
                <CloudProfileSwitch/>
                <GalleryButton/>
                <UndoRedo/>
                <div class="toolbar__group" role="group" aria-label="Files and links">
                    <ShareButton/>
                    <ExportButton/>
                    <ImportButton/>
                </div>
            </nav>
        </header>
    }
}
