//! Share: a link that carries the whole scenario and the tester's inputs in its fragment
//! (`#s=…`, nothing is uploaded), and the `<iframe>` snippet that embeds chosen panels of it
//! in documentation.

use super::copy_field::CopyField;
use super::links::{embed_url, iframe_snippet, page_base, panel_label, share_url};
use super::modal::Modal;
use crate::state::route::Panel;
use crate::state::share::{self, Shared, COMFORTABLE_LENGTH};
use crate::state::use_app;
use leptos::prelude::*;

/// The toolbar's Share button and its dialog.
#[component]
pub fn ShareButton() -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <button type="button" class="toolbar__button" data-testid="share" aria-haspopup="dialog" on:click=move |_| open.set(true)>
            <span class="toolbar__icon" aria-hidden="true">"⤴"</span>
            "Share"
        </button>
        <Modal open title="Share this scenario" testid="share-dialog" class="share">
            <ShareBody/>
        </Modal>
    }
}

#[component]
fn ShareBody() -> impl IntoView {
    let app = use_app();
    let base = StoredValue::new(page_base(&window().location().href().unwrap_or_default()).to_string());
    let value = Memo::new(move |_| share::encode(&Shared { scenario: app.doc.get(), probe: Some(app.probe.get()) }));
    let link = Signal::derive(move || base.with_value(|b| share_url(b, &value.get())));
    let panels = RwSignal::new(vec![Panel::Canvas, Panel::Tester]);
    let embed = Signal::derive(move || base.with_value(|b| embed_url(b, &panels.get(), &value.get())));
    let snippet = Signal::derive(move || {
        let title = app.doc.with(|d| format!("sgplay: {}", if d.name.is_empty() { "a security-group scenario" } else { &d.name }));
        iframe_snippet(&embed.get(), &title, panels.with(Vec::len))
    });
    let length = Memo::new(move |_| link.with(String::len));
    let long = Memo::new(move |_| length.get() > COMFORTABLE_LENGTH);

    let checkboxes = Panel::ALL
        .into_iter()
        .map(|panel| {
            let toggle = move |ev| {
                let on = event_target_checked(&ev);
                panels.update(|list| {
                    list.retain(|p| *p != panel);
                    if on {
                        list.push(panel);
                    }
                });
            };
            view! {
                <label class="share__panel">
                    <input type="checkbox" data-testid=format!("embed-panel-{}", panel.key()) prop:checked=move || panels.with(|l| l.contains(&panel)) on:change=toggle/>
                    {panel_label(panel)}
                </label>
            }
        })
        .collect_view();

    view! {
        <p class="share__intro">
            "Whoever opens this link gets this scenario and your tester's packet in their own browser. "
            "Nothing is uploaded: the scenario travels inside the link."
        </p>
        <CopyField label="Link" value=link testid="share-link" rows=3/>
        <p class="share__length" class=("share__length--long", move || long.get())>
            {move || format!("{} characters", length.get())}
        </p>
        <Show when=move || long.get()>
            <p class="share__warning" data-testid="share-warning" role="alert">
                {move || format!(
                    "This link is {} characters long. Some chat tools, mail clients and browsers cut links longer than about {COMFORTABLE_LENGTH}; to be safe, export the scenario file and send that instead.",
                    length.get()
                )}
            </p>
        </Show>
        <h3 class="share__heading">"Embed in documentation"</h3>
        <p class="share__intro">"A compact, read-only view for an iframe, with the panels you pick and a link back to the full playground."</p>
        <fieldset class="share__panels">
            <legend class="field__label">"Panels"</legend>
            {checkboxes}
        </fieldset>
        <CopyField label="Embed snippet" value=snippet testid="embed-snippet" rows=4/>
        <a class="share__preview" data-testid="embed-preview" href=move || embed.get() target="_blank" rel="noopener">"Preview the embed ↗"</a>
    }
}
