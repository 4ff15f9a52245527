//! Export: the scenario in every format the engine writes (`interop::Format`, through
//! `state::transfer::export`): sgplay's own scenario file (`sgplay test` runs it) or Huawei
//! Cloud API JSON, Alibaba Cloud API JSON, Terraform for either provider (written by the worker,
//! which carries the HCL writer the page leaves out). The dialog lists what the chosen format
//! cannot carry before the download.

use super::modal::Modal;
use super::notices::rich_text;
use crate::components::shell::JobStatus;
use crate::state::transfer::{self, format_label};
use crate::state::use_app;
use crate::worker::lane::Lane;
use crate::worker::protocol::{Job, Outcome};
use leptos::prelude::*;
use sgplay_core::interop::Format;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};

/// An export: the file's text, its name and what the format left out; or every problem.
type Written = Result<(String, String, Vec<sgplay_core::scenario::Problem>), Vec<sgplay_core::scenario::Problem>>;

#[component]
pub fn ExportButton() -> impl IntoView {
    let app = use_app();
    let open = RwSignal::new(false);
    let format = RwSignal::new(Format::Scenario);
    // Formats other than sgplay's own are written by the worker (the page's wasm has only the
    // scenario's writer): asked whenever the dialog is open on one, for the scenario as it is;
    // the answer comes back into `from_worker`.
    let lane = Lane::new();
    let from_worker = RwSignal::new(None::<Written>);
    Effect::new(move |_| {
        let chosen = format.get();
        if open.get() && !chosen.is_available() {
            from_worker.set(None);
            lane.start(Job::Export { scenario: app.doc.with(|d| d.to_json()), format: chosen.name().to_string() });
        }
    });
    lane.on_done(move |outcome, _| {
        if let Outcome::Exported { result } = outcome {
            from_worker.set(Some(result.clone()));
        }
    });
    // Only while the dialog is open: the export of the current scenario in the chosen format.
    let exported = Memo::new(move |_| {
        let chosen = format.get();
        match open.get() {
            false => None,
            true if chosen.is_available() => Some(app.doc.with(|spec| transfer::export(spec, chosen))),
            true => from_worker.get(),
        }
    });
    let download_now = move |_| {
        if let Some(Ok((text, name, _))) = exported.get_untracked() {
            let mime = if name.ends_with(".tf") { "text/plain" } else { "application/json" };
            download(&name, mime, &text);
            open.set(false);
        }
    };
    let choices = move || {
        transfer::export_formats()
            .map(|f| {
                let (label, about) = format_label(f);
                view! {
                    <label class="export__choice">
                        <input
                            type="radio"
                            name="export-format"
                            data-testid=format!("export-format-{}", f.name())
                            prop:checked=move || format.get() == f
                            on:change=move |_| format.set(f)
                        />
                        <span class="export__label">{label}</span>
                        <span class="export__about">{about}</span>
                    </label>
                }
            })
            .collect_view()
    };
    let details = move || {
        match exported.get() {
        Some(Ok((_, name, left_out))) => {
            let items = left_out
                .iter()
                .map(|p| view! { <li class="import__problem" data-testid="export-left-out">{rich_text(&p.to_string())}</li> })
                .collect_view();
            let summary = if left_out.is_empty() {
                format!("{name}: the whole scenario.")
            } else {
                format!("{name}: {} {} this format cannot carry:", left_out.len(), if left_out.len() == 1 { "thing" } else { "things" })
            };
            view! {
                <div class="export__details" data-testid="export-details" role="status">
                    <p class="export__summary">{summary}</p>
                    <ul class="import__problems">{items}</ul>
                </div>
            }
            .into_any()
        }
        Some(Err(problems)) => view! {
            <div class="import__error" data-testid="export-error" role="alert">
                <p class="import__error-heading">"The scenario cannot be written in this format:"</p>
                <ul class="import__problems">
                    {problems.iter().map(|p| view! { <li class="import__problem import__problem--error">{rich_text(&p.to_string())}</li> }).collect_view()}
                </ul>
            </div>
        }
        .into_any(),
        None => ().into_any(),
    }
    };
    view! {
        <button
            type="button"
            class="toolbar__button"
            data-testid="export"
            aria-haspopup="dialog"
            title="Download the scenario as a file: sgplay's own (the one `sgplay test` reads) or Huawei Cloud API JSON"
            on:click=move |_| open.set(true)
        >
            <span class="toolbar__icon" aria-hidden="true">"⤓"</span>
            "Export"
        </button>
        <Modal open title="Export the scenario" testid="export-dialog" class="import export">
            <fieldset class="export__formats">
                <legend class="field__label">"Format"</legend>
                {choices}
            </fieldset>
            <Show when=move || !format.get().is_available()><JobStatus lane testid="export-job"/></Show>
            {details}
            <div class="import__actions">
                <button
                    type="button"
                    class="button"
                    data-testid="export-download"
                    autofocus
                    disabled=move || !matches!(exported.get(), Some(Ok(_)))
                    on:click=download_now
                >
                    "Download"
                </button>
                <button type="button" class="button button--quiet" on:click=move |_| open.set(false)>"Cancel"</button>
            </div>
        </Modal>
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
