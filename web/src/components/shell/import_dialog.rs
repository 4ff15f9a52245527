//! Import: a scenario file (the CLI's format), chosen with the file picker or pasted, or a
//! share link pasted. The engine validates it; only a scenario without errors replaces the
//! current one (undoably). Otherwise every problem is listed and nothing changes.

use super::file_pick::read_chosen_file;
use super::modal::Modal;
use super::notices::rich_text;
use crate::state::transfer::{self, Imported};
use crate::state::use_app;
use leptos::html;
use leptos::prelude::*;
use sgplay_core::scenario::Problem;

/// Why the last import was refused: where it came from, and every problem.
#[derive(Clone, Debug, PartialEq)]
struct Refusal {
    source: String,
    problems: Vec<Problem>,
}

/// The toolbar's Import button, the hidden file input (`import-file`) and the dialog.
#[component]
pub fn ImportButton() -> impl IntoView {
    let app = use_app();
    let open = RwSignal::new(false);
    let text = RwSignal::new(String::new());
    let refusal = RwSignal::new(None::<Refusal>);
    let file_input = NodeRef::<html::Input>::new();

    // Loads `input` if it validates; otherwise shows why, in the dialog, and changes nothing.
    let apply = move |input: String, source: String| {
        let result = transfer::import(&input).and_then(|imported: Imported| {
            let probe = transfer::probe_after_import(&imported, &app.probe.get_untracked());
            let name = if imported.scenario.name.is_empty() { source.clone() } else { imported.scenario.name.clone() };
            app.load(&format!("import {name}"), imported.scenario, Some(probe))
        });
        match result {
            Ok(()) => {
                refusal.set(None);
                text.set(String::new());
                open.set(false);
            }
            Err(problems) => {
                refusal.set(Some(Refusal { source, problems }));
                open.set(true);
            }
        }
    };

    let on_file = move |_| {
        let Some(input) = file_input.get_untracked() else { return };
        read_chosen_file(&input, move |name, text| match text {
            Some(content) => apply(content, format!("“{name}”")),
            None => {
                let problem = Problem::error("", format!("file `{name}`"), "", "", "the file could not be read as text");
                refusal.set(Some(Refusal { source: format!("“{name}”"), problems: vec![problem] }));
                open.set(true);
            }
        });
    };
    let choose_file = move || {
        if let Some(input) = file_input.get_untracked() {
            input.click();
        }
    };

    view! {
        <button
            type="button"
            class="toolbar__button"
            data-testid="import"
            aria-haspopup="dialog"
            title="Open a scenario file, or paste one"
            on:click=move |_| open.set(true)
        >
            <span class="toolbar__icon" aria-hidden="true">"⤒"</span>
            "Import"
        </button>
        <input
            node_ref=file_input
            type="file"
            class="visually-hidden"
            accept=".json,application/json"
            tabindex="-1"
            aria-hidden="true"
            data-testid="import-file"
            on:change=on_file
        />
        <Modal open title="Import a scenario" testid="import-dialog" class="import">
            <p class="import__intro">
                "Open a scenario file (the JSON that Export writes and " <code>"sgplay test"</code>
                " reads), or paste one, or paste a share link. Your current scenario stays until the new one validates, and Undo brings it back."
            </p>
            {move || refusal.get().map(|r| view! { <ImportProblems refusal=r/> })}
            <div class="import__file">
                <button type="button" class="button" data-testid="import-choose" autofocus on:click=move |_| choose_file()>
                    "Choose a file…"
                </button>
            </div>
            <label class="import__paste">
                <span class="field__label">"Or paste JSON or a share link"</span>
                <textarea
                    class="import__text"
                    data-testid="import-text"
                    rows="10"
                    spellcheck="false"
                    placeholder="{\"name\": \"…\", \"security_groups\": […], \"instances\": […]}"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
            </label>
            <div class="import__actions">
                <button
                    type="button"
                    class="button"
                    data-testid="import-apply"
                    disabled=move || text.with(|t| t.trim().is_empty())
                    on:click=move |_| apply(text.get_untracked(), "the pasted text".into())
                >
                    "Import"
                </button>
                <button type="button" class="button button--quiet" on:click=move |_| open.set(false)>"Cancel"</button>
            </div>
        </Modal>
    }
}

#[component]
fn ImportProblems(refusal: Refusal) -> impl IntoView {
    let count = refusal.problems.iter().filter(|p| p.is_error()).count().max(1);
    let heading = format!(
        "{} was not imported: {} {}. Your scenario is unchanged.",
        refusal.source,
        count,
        if count == 1 { "problem" } else { "problems" }
    );
    let items = refusal
        .problems
        .into_iter()
        .map(|p| {
            let class = if p.is_error() { "import__problem import__problem--error" } else { "import__problem" };
            view! { <li class=class data-testid="import-problem">{rich_text(&p.to_string())}</li> }
        })
        .collect_view();
    view! {
        <div class="import__error" data-testid="import-error" role="alert">
            <p class="import__error-heading">{heading}</p>
            <ul class="import__problems">{items}</ul>
        </div>
    }
}
