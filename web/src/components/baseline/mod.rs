//! What-if against a baseline: "Set baseline" freezes the current scenario (or an imported file
//! or share link becomes the baseline); from then on every edit shows what it opened and what it
//! closed against it — the engine's exact diff, region by region, each with an example packet
//! one click away in the tester — and how many instances it touches. Undo and redo move the
//! scenario, never the baseline.
//!
//! - [`model`]: diff → lines and summary (pure, native tests);
//! - this file: the panel. On a large estate the diff runs in the worker (`crate::worker`)
//!   after every edit: the last answer stays shown, marked as updating, until the new one comes.

pub mod model;

use crate::components::shell::{read_chosen_file, JobStatus};
use crate::state::transfer;
use crate::state::use_app;
use crate::worker::lane::{Lane, LaneState};
use crate::worker::protocol::{Job, Outcome};
use leptos::html;
use leptos::prelude::*;
use model::{DiffLine, DiffView};
use sgplay_core::analysis::diff::diff;

#[component]
pub fn BaselinePanel() -> impl IntoView {
    let app = use_app();
    let editable = !app.read_only();
    let message = RwSignal::new(None::<String>);
    let pasted = RwSignal::new(String::new());
    let file_input = NodeRef::<html::Input>::new();
    let large = Memo::new(move |_| app.is_large_estate());
    // A small scenario's diff, computed here on every change.
    let here = Memo::new(move |_| {
        if large.get() {
            return None;
        }
        app.baseline.with(|b| {
            let b = b.as_ref()?;
            app.scenario.with(|s| s.as_ref().ok().map(|s| DiffView::of(&diff(&b.world, &s.world))))
        })
    });
    // A large one's, asked of the worker on every change; the last answer stays until the next.
    let lane = Lane::new();
    let answered = RwSignal::new(None::<DiffView>);
    Effect::new(move |_| {
        if !large.get() {
            return;
        }
        let comparable = app.baseline.with(Option::is_some) && app.scenario.with(Result::is_ok);
        if !comparable {
            lane.cancel();
            answered.set(None);
            return;
        }
        // Written out for the worker once the edit has been painted, from the worlds as they
        // are then.
        lane.start_after_paint(Job::DIFF_WHAT, move || {
            app.baseline.with_untracked(|b| {
                let b = b.as_ref()?;
                app.scenario.with_untracked(|s| s.as_ref().ok().map(|s| Job::Diff { baseline: b.world.clone(), current: s.world.clone() }))
            })
        });
    });
    lane.on_done(move |outcome, _| {
        if let Outcome::Diff { view } = outcome {
            answered.set(Some(view.clone()));
        }
    });
    let report = move || if large.get() { answered.get() } else { here.get() };
    let updating = move || large.get() && lane.state.with(LaneState::is_running);
    let set_current = move |_| {
        let name = app.doc.with_untracked(|d| d.name.clone());
        app.set_baseline(format!("“{name}” as it was when you set it"));
        message.set(None);
    };
    let compare_with = move |text: String, source: String| match transfer::import(&text) {
        Ok(imported) => match app.set_baseline_from(source.clone(), &imported.scenario) {
            Ok(()) => {
                message.set(None);
                pasted.set(String::new());
            }
            Err(problems) => message
                .set(Some(format!("{source} cannot be the baseline: {}", problems.first().map(|p| p.message.clone()).unwrap_or_default()))),
        },
        Err(problems) => {
            message.set(Some(format!("{source} cannot be the baseline: {}", problems.first().map(|p| p.to_string()).unwrap_or_default())))
        }
    };
    let on_file = move |_| {
        let Some(input) = file_input.get_untracked() else { return };
        read_chosen_file(&input, move |name, text| match text {
            Some(content) => compare_with(content, format!("the file “{name}”")),
            None => message.set(Some(format!("the file “{name}” could not be read as text"))),
        });
    };
    let label = move || app.baseline.with(|b| b.as_ref().map(|b| b.label.clone()).unwrap_or_default());
    let body = move || match (report(), app.baseline.with(Option::is_some)) {
        (None, false) => view! {
            <p class="baseline__intro" data-testid="baseline-none">
                "Set a baseline, then edit: each edit shows here what it opened and what it closed, region by region, exactly."
            </p>
        }
        .into_any(),
        (None, true) => view! { <p class="baseline__label">"Compared with " {label}</p> }.into_any(),
        (Some(report), _) => {
            let more = report.total.saturating_sub(report.lines.len());
            let items = report.lines.into_iter().enumerate().map(|(i, l)| view! { <ChangeItem index=i line=l/> }).collect_view();
            view! {
                <p class="baseline__label">"Compared with " {label}</p>
                <p class="baseline__summary" data-testid="baseline-summary" role="status" aria-live="polite">{report.summary}</p>
                <ul class="baseline__list" data-testid="baseline-changes" aria-busy=move || updating().to_string()
                    class:baseline__list--updating=updating>{items}</ul>
                {(more > 0).then(|| view! { <p class="baseline__more">{format!("and {more} more regions")}</p> })}
            }
            .into_any()
        }
    };
    view! {
        <section class="panel baseline" data-testid="baseline-panel" aria-labelledby="baseline-title">
            <div class="baseline__bar">
                <h2 class="panel__title" id="baseline-title" tabindex="-1">"What-if"</h2>
                {editable.then(|| view! {
                    <div class="baseline__actions">
                        <button type="button" class="button button--small" data-testid="set-baseline" on:click=set_current>
                            {move || if app.baseline.with(Option::is_some) { "Reset baseline to now" } else { "Set baseline" }}
                        </button>
                        {move || app.baseline.with(Option::is_some).then(|| view! {
                            <button type="button" class="button button--small button--quiet" data-testid="clear-baseline" on:click=move |_| app.baseline.set(None)>"Clear"</button>
                        })}
                    </div>
                })}
            </div>
            {move || large.get().then(|| view! { <JobStatus lane testid="baseline-job"/> })}
            {body}
            {editable.then(|| view! {
                <details class="baseline__other" data-testid="baseline-other">
                    <summary>"Compare with a file or a share link"</summary>
                    <div class="baseline__other-body">
                        <button type="button" class="button button--small button--quiet" data-testid="baseline-choose"
                            on:click=move |_| if let Some(i) = file_input.get_untracked() { i.click() }>"Choose a file…"</button>
                        <input node_ref=file_input type="file" class="visually-hidden" accept=".json,application/json" tabindex="-1" aria-hidden="true"
                            data-testid="baseline-file" on:change=on_file/>
                        <label class="baseline__paste">
                            <span class="field__label">"Or paste JSON or a share link"</span>
                            <textarea class="import__text" rows="3" spellcheck="false" data-testid="baseline-text"
                                prop:value=move || pasted.get() on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
                        </label>
                        <button type="button" class="button button--small" data-testid="baseline-compare" disabled=move || pasted.with(|t| t.trim().is_empty())
                            on:click=move |_| compare_with(pasted.get_untracked(), "the pasted text".into())>"Compare"</button>
                    </div>
                </details>
            })}
            {move || message.get().map(|m| view! { <p class="groups__message groups__message--error" role="alert" data-testid="baseline-message">{m}</p> })}
        </section>
    }
}

#[component]
fn ChangeItem(index: usize, line: DiffLine) -> impl IntoView {
    let app = use_app();
    let DiffLine { opened, region, why, example } = line;
    let (modifier, word) = if opened { ("opened", "opened") } else { ("closed", "closed") };
    view! {
        <li class=format!("baseline__item baseline__item--{modifier}") data-testid=format!("baseline-change-{index}")>
            <span class=format!("baseline__kind baseline__kind--{modifier}")>{word}</span>
            <span class="baseline__region">{region}</span>
            <span class="baseline__why">{why}</span>
            <button type="button" class="button button--small button--quiet baseline__try" data-testid=format!("baseline-try-{index}")
                title="Put a packet of this region into the tester and evaluate it" on:click=move |_| {
                    app.try_packet(&example);
                    crate::components::groups::focus_later("verdict".into());
                }>"Try it"</button>
        </li>
    }
}
