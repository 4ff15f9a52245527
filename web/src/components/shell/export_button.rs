//! Export: downloads the scenario as a file in the CLI's format (`sgplay test` runs it).

use crate::state::transfer;
use crate::state::use_app;
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};

#[component]
pub fn ExportButton() -> impl IntoView {
    let app = use_app();
    let export = move |_| {
        let spec = app.doc.get_untracked();
        download(&transfer::file_name(&spec.name), "application/json", &transfer::export_text(&spec));
    };
    view! {
        <button
            type="button"
            class="toolbar__button"
            data-testid="export"
            title="Download the scenario as a JSON file (the format `sgplay test` reads)"
            on:click=export
        >
            <span class="toolbar__icon" aria-hidden="true">"⤓"</span>
            "Export"
        </button>
    }
}

/// Saves `text` as a file called `name` (of MIME type `mime`) through a Blob URL and a
/// temporary link.
pub fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let Some(anchor) = document().create_element("a").ok().and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok()) else { return };
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // The browser reads the URL after this handler returns; free it a little later.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), Duration::from_secs(30));
}
