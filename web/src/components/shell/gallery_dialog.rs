//! The gallery: every example of the corpus by section, each with its story and its counts of
//! checks and sequences. Opening one replaces the scenario (undoable) and puts the tester on
//! its first check; each example also has a deep link (`#example=<slug>`) to copy. An example
//! the wasm does not embed is fetched first (the item says it is opening; a failure is a notice
//! and the dialog stays open).

use super::catalog;
use super::clipboard;
use super::links::{example_url, page_base, slug_testid};
use super::modal::Modal;
use crate::gallery;
use crate::state::boot::first_check_probe;
use crate::state::{use_app, NoticeKind};
use leptos::prelude::*;

/// The toolbar's Gallery button and its dialog.
#[component]
pub fn GalleryButton() -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <button type="button" class="toolbar__button" data-testid="gallery-open" aria-haspopup="dialog" on:click=move |_| open.set(true)>
            <span class="toolbar__icon" aria-hidden="true">"▦"</span>
            "Gallery"
        </button>
        <Modal open title="Gallery of examples" testid="gallery" class="gallery">
            <GalleryBody open/>
        </Modal>
    }
}

#[component]
fn GalleryBody(open: RwSignal<bool>) -> impl IntoView {
    let app = use_app();
    let entries = StoredValue::new(gallery::entries());
    let query = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let shown = Memo::new(move |_| query.with(|q| entries.with_value(|e| catalog::sections(e, q))));
    let current = Memo::new(move |_| app.doc.with(|d| d.name.clone()));
    let base = StoredValue::new(page_base(&window().location().href().unwrap_or_default()).to_string());

    // The example being fetched, if any: its item is busy and other clicks wait.
    let opening = RwSignal::new(None::<&'static str>);
    let apply = move |slug: &'static str, name: &str, text: &str| {
        let problems = match sgplay_core::scenario::ScenarioSpec::parse(text) {
            Ok(spec) => {
                let probe = first_check_probe(&spec);
                match app.load(&format!("open example {name}"), spec, Some(probe)) {
                    Ok(()) => {
                        open.set(false);
                        return;
                    }
                    Err(problems) => problems,
                }
            }
            Err(problem) => vec![problem],
        };
        let first = problems.first().map(ToString::to_string).unwrap_or_default();
        app.notify(NoticeKind::Error, format!("The example `{slug}` could not be opened: {first}"));
    };
    let open_example = move |slug: &'static str, name: String| {
        if opening.get_untracked().is_some() {
            return;
        }
        if let Some(text) = gallery::text(slug) {
            return apply(slug, &name, text);
        }
        opening.set(Some(slug));
        status.set(format!("Opening {name}…"));
        leptos::task::spawn_local(async move {
            let fetched = gallery::fetch(slug).await;
            opening.set(None);
            match fetched {
                Ok(text) => {
                    status.set(String::new());
                    apply(slug, &name, text);
                }
                Err(reason) => {
                    let message = format!("The example `{slug}` could not be loaded: {reason}.");
                    status.set(message.clone());
                    app.notify(NoticeKind::Error, message);
                }
            }
        });
    };
    let copy_link = move |slug: &'static str| {
        let url = base.with_value(|b| example_url(b, slug));
        let shown_url = url.clone();
        clipboard::copy(url, move |ok| {
            status.set(if ok { format!("Link copied: {shown_url}") } else { format!("Copy this link: {shown_url}") })
        });
    };

    let sections = move || {
        let current = current.get();
        shown
            .get()
            .into_iter()
            .map(|(section, list)| {
                let items = list
                    .into_iter()
                    .map(|entry| {
                        let slug = entry.slug;
                        let testid = slug_testid(slug);
                        let is_current = entry.name == current;
                        let counts = catalog::counts(entry.checks, entry.sequences);
                        let name = entry.name.clone();
                        let link_label = format!("Copy a link to the example {}", entry.name);
                        view! {
                            <li class="gallery__entry" class:gallery__entry--current=is_current>
                                <button
                                    type="button"
                                    class="gallery__item"
                                    data-testid=format!("gallery-item-{testid}")
                                    aria-busy=move || (opening.get() == Some(slug)).then_some("true")
                                    on:click=move |_| open_example(slug, name.clone())
                                >
                                    <span class="gallery__name">
                                        {entry.name.clone()}
                                        {is_current.then(|| view! { <span class="gallery__badge">"open"</span> })}
                                    </span>
                                    <span class="gallery__story">{entry.story.clone()}</span>
                                    <span class="gallery__meta">
                                        <code class="gallery__slug">{slug}</code>
                                        <span class="gallery__counts">{counts}</span>
                                    </span>
                                </button>
                                <button
                                    type="button"
                                    class="gallery__link"
                                    data-testid=format!("gallery-link-{testid}")
                                    aria-label=link_label.clone()
                                    title=link_label
                                    on:click=move |_| copy_link(slug)
                                >
                                    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
                                        <path d="M10 13a5 5 0 0 0 7.54.54l3-3a5 5 0 0 0-7.07-7.07l-1.72 1.71"/>
                                        <path d="M14 11a5 5 0 0 0-7.54-.54l-3 3a5 5 0 0 0 7.07 7.07l1.71-1.71"/>
                                    </svg>
                                </button>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <section class="gallery__section">
                        <h3 class="gallery__section-title">{section.title()}</h3>
                        <ul class="gallery__list">{items}</ul>
                    </section>
                }
            })
            .collect_view()
    };

    view! {
        <div class="gallery__bar">
            <label class="gallery__search">
                <span class="visually-hidden">"Find an example"</span>
                <input
                    type="search"
                    class="field__input gallery__search-input"
                    data-testid="gallery-search"
                    placeholder="Find an example: ftp, ipv6, timeout…"
                    autofocus
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
            </label>
            <p class="gallery__hint">"Opening an example replaces the scenario; Undo brings yours back."</p>
        </div>
        <div class="gallery__sections">
            {sections}
            <Show when=move || shown.with(Vec::is_empty)>
                <p class="gallery__empty">"No example matches “" {move || query.get()} "”."</p>
            </Show>
        </div>
        <p class="gallery__status" data-testid="gallery-status" role="status" aria-live="polite">{move || status.get()}</p>
    }
}
