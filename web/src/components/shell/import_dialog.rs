//! Import: scenario files, Huawei or Alibaba Cloud API listings, Terraform (HCL of either
//! provider or `terraform show -json`), or a share link, chosen with the file picker (several
//! files at once) or pasted (several texts at once). The engine reads them
//! (`interop::import_any`, through `state::transfer`; the API and Terraform readers in the
//! worker, which carries them) and validates the result; warnings (what was left out or
//! assumed, each at its input path) are listed and the user confirms before the scenario is
//! replaced (undoably). With errors every problem is listed and nothing changes.

use super::file_pick::read_chosen_files;
use super::modal::Modal;
use super::notices::rich_text;
use crate::components::shell::JobStatus;
use crate::state::transfer::{self, format_label, Imported, Input};
use crate::state::use_app;
use crate::worker::lane::Lane;
use crate::worker::protocol::{Job, Outcome};
use leptos::html;
use leptos::prelude::*;
use sgplay_core::scenario::Problem;

/// Why the last import was refused: where it came from, and every problem.
#[derive(Clone, Debug, PartialEq)]
struct Refusal {
    source: String,
    problems: Vec<Problem>,
}

/// An import that read without errors but with warnings, waiting for the user's word.
#[derive(Clone, Debug, PartialEq)]
struct Pending {
    source: String,
    imported: Imported,
}

/// "“a.json”", "“a.json” and “b.json”", "“a.json” and 2 more files".
fn sources(names: &[String]) -> String {
    match names {
        [] => "nothing".into(),
        [one] => format!("“{one}”"),
        [a, b] => format!("“{a}” and “{b}”"),
        [first, rest @ ..] => format!("“{first}” and {} more files", rest.len()),
    }
}

/// The toolbar's Import button, the hidden file input (`import-file`) and the dialog.
#[component]
pub fn ImportButton() -> impl IntoView {
    let app = use_app();
    let open = RwSignal::new(false);
    // The pasted texts: one box to start with, "Add another text" adds one.
    let texts = RwSignal::new(vec![String::new()]);
    let refusal = RwSignal::new(None::<Refusal>);
    let pending = RwSignal::new(None::<Pending>);
    let file_input = NodeRef::<html::Input>::new();

    let load = move |pending_import: Pending| {
        let Pending { source, imported } = pending_import;
        let probe = transfer::probe_after_import(&imported, &app.probe.get_untracked());
        let name = if imported.scenario.name.is_empty() { source.clone() } else { imported.scenario.name.clone() };
        match app.load(&format!("import {name}"), imported.scenario, Some(probe)) {
            Ok(()) => {
                refusal.set(None);
                pending.set(None);
                texts.set(vec![String::new()]);
                open.set(false);
            }
            Err(problems) => {
                pending.set(None);
                refusal.set(Some(Refusal { source, problems }));
            }
        }
    };

    // What an import read: without warnings it loads at once; with warnings it waits for the
    // user; with errors it shows them, in the dialog, and changes nothing.
    let settle = move |result: Result<Imported, Vec<Problem>>, source: String| match result {
        Ok(imported) if imported.warnings.is_empty() => load(Pending { source, imported }),
        Ok(imported) => {
            refusal.set(None);
            pending.set(Some(Pending { source, imported }));
        }
        Err(problems) => {
            pending.set(None);
            refusal.set(Some(Refusal { source, problems }));
        }
    };
    // API listings and Terraform are read by the worker, which carries the readers the page
    // leaves out.
    let lane = Lane::new();
    let asked = StoredValue::new(String::new());
    lane.on_done(move |outcome, _| {
        if let Outcome::Imported { result } = outcome {
            settle(result.clone().and_then(Imported::try_from), asked.get_value());
        }
    });
    let apply = move |inputs: Vec<Input>, source: String| {
        open.set(true);
        if transfer::needs_worker(&inputs) {
            refusal.set(None);
            pending.set(None);
            asked.set_value(source);
            lane.start(Job::Import { inputs: inputs.into_iter().map(|i| (i.name, i.text)).collect() });
        } else {
            settle(transfer::import_all(&inputs), source);
        }
    };

    let on_file = move |_| {
        let Some(input) = file_input.get_untracked() else { return };
        read_chosen_files(&input, move |files| {
            let names: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();
            let unreadable: Vec<Problem> = files
                .iter()
                .filter(|(_, text)| text.is_none())
                .map(|(name, _)| Problem::error("", format!("file `{name}`"), "", "", "the file could not be read as text"))
                .collect();
            if !unreadable.is_empty() {
                refusal.set(Some(Refusal { source: sources(&names), problems: unreadable }));
                pending.set(None);
                open.set(true);
                return;
            }
            let inputs = files.into_iter().map(|(name, text)| Input::new(name, text.unwrap_or_default())).collect();
            apply(inputs, sources(&names));
        });
    };
    let choose_file = move || {
        if let Some(input) = file_input.get_untracked() {
            input.click();
        }
    };
    let paste_import = move || {
        let all = texts.get_untracked();
        let several = all.iter().filter(|t| !t.trim().is_empty()).count() > 1;
        let inputs: Vec<Input> = all
            .into_iter()
            .enumerate()
            .filter(|(_, t)| !t.trim().is_empty())
            .map(|(i, t)| Input::new(format!("pasted text {}", i + 1), t))
            .collect();
        let source = if several { "the pasted texts".to_string() } else { "the pasted text".to_string() };
        apply(inputs, source);
    };

    let boxes = move || {
        let count = texts.with(Vec::len);
        (0..count)
            .map(|i| {
                let testid = if i == 0 { "import-text".to_string() } else { format!("import-text-{}", i + 1) };
                let label = if count == 1 { "Or paste JSON or a share link".to_string() } else { format!("Pasted text {}", i + 1) };
                view! {
                    <label class="import__paste">
                        <span class="field__label">{label}</span>
                        <textarea
                            class="import__text"
                            data-testid=testid
                            rows=if count == 1 { "10" } else { "6" }
                            spellcheck="false"
                            placeholder="{\"name\": \"…\", \"security_groups\": […], \"instances\": […]}"
                            prop:value=move || texts.with(|t| t.get(i).cloned().unwrap_or_default())
                            on:input=move |ev| {
                                let value = event_target_value(&ev);
                                texts.update(|t| if let Some(slot) = t.get_mut(i) { *slot = value });
                            }
                        ></textarea>
                    </label>
                }
            })
            .collect_view()
    };

    view! {
        <button
            type="button"
            class="toolbar__button"
            data-testid="import"
            aria-haspopup="dialog"
            title="Open a scenario file, cloud API listings or Terraform, or paste them"
            on:click=move |_| open.set(true)
        >
            <span class="toolbar__icon" aria-hidden="true">"⤒"</span>
            "Import"
        </button>
        <input
            node_ref=file_input
            type="file"
            multiple
            class="visually-hidden"
            accept=".json,.tf,application/json"
            tabindex="-1"
            aria-hidden="true"
            data-testid="import-file"
            on:change=on_file
        />
        <Modal open title="Import a scenario" testid="import-dialog" class="import">
            <p class="import__intro">
                "Open a scenario file (the JSON that Export writes and " <code>"sgplay test"</code>
                " reads), or what the Huawei or Alibaba Cloud API printed (security groups, rules, address groups, servers: several listings at once combine), or Terraform (HCL for the huaweicloud or alicloud provider, or terraform show -json), or paste them, or paste a share link. Your current scenario stays until the new one validates, and Undo brings it back."
            </p>
            <JobStatus lane testid="import-job"/>
            {move || refusal.get().map(|r| view! { <ImportProblems refusal=r/> })}
            {move || pending.get().map(|p| view! { <ImportWarnings pending=p load=Callback::new(load) cancel=Callback::new(move |_| pending.set(None))/> })}
            <div class="import__file">
                <button type="button" class="button" data-testid="import-choose" autofocus on:click=move |_| choose_file()>
                    "Choose files…"
                </button>
            </div>
            {boxes}
            <div class="import__actions">
                <button
                    type="button"
                    class="button"
                    data-testid="import-apply"
                    disabled=move || texts.with(|t| t.iter().all(|t| t.trim().is_empty()))
                    on:click=move |_| paste_import()
                >
                    "Import"
                </button>
                <button
                    type="button"
                    class="button button--quiet"
                    data-testid="import-add-text"
                    title="Paste several API listings (groups, rules, servers) to combine them"
                    on:click=move |_| texts.update(|t| t.push(String::new()))
                >
                    "Add another text"
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

/// What the import read and what it left out or assumed; the user loads it or not.
#[component]
fn ImportWarnings(pending: Pending, load: Callback<Pending>, cancel: Callback<()>) -> impl IntoView {
    let spec = &pending.imported.scenario;
    let rules: usize = spec.security_groups.iter().map(|g| g.rules.len()).sum();
    let summary = format!(
        "{} read as {}: {} security groups, {rules} rules, {} IP address groups, {} instances. {} {}:",
        pending.source,
        format_label(pending.imported.format).0,
        spec.security_groups.len(),
        spec.address_groups.len(),
        spec.instances.len(),
        pending.imported.warnings.len(),
        if pending.imported.warnings.len() == 1 { "warning" } else { "warnings" },
    );
    let items = pending
        .imported
        .warnings
        .iter()
        .map(|p| view! { <li class="import__problem" data-testid="import-warning">{rich_text(&p.to_string())}</li> })
        .collect_view();
    let pending = StoredValue::new(pending);
    view! {
        <div class="import__warnings" data-testid="import-warnings" role="status">
            <p class="import__error-heading import__warnings-heading">{summary}</p>
            <ul class="import__problems">{items}</ul>
            <div class="import__actions">
                <button type="button" class="button" data-testid="import-confirm" on:click=move |_| load.run(pending.get_value())>
                    "Import with these warnings"
                </button>
                <button type="button" class="button button--quiet" data-testid="import-cancel" on:click=move |_| cancel.run(())>
                    "Do not import"
                </button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_in_words() {
        assert_eq!(sources(&["a.json".into()]), "“a.json”");
        assert_eq!(sources(&["a".into(), "b".into()]), "“a” and “b”");
        assert_eq!(sources(&["a".into(), "b".into(), "c".into()]), "“a” and 2 more files");
    }
}
