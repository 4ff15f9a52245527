//! The last packet's result: the verdict badge and the sentence that decided, the sides an
//! existing connection entry let through (a reply's), what the packet did to the connection
//! tables, and the engine's steps with Step / Back / Reset. Every step is rendered; the ones not
//! reached yet keep their room, so stepping never moves the page. A step of the cursor restyles
//! only the steps it changes.

use super::step;
use super::stepper::{self, Move, StepState};
use super::summary::{announcement, lead, tracked_sides, verdict_label};
use crate::state::{use_app, Sent};
use leptos::html;
use leptos::prelude::*;
use sgplay_core::eval::{Step, StepKind};

#[component]
pub fn ResultView() -> impl IntoView {
    let app = use_app();
    let has_sent = move || app.sent.with(Option::is_some);
    let announce = move || {
        let cursor = app.cursor.get();
        app.sent.with(|sent| {
            sent.as_ref().map(|s| {
                let evaluation = &s.delivery.evaluation;
                announcement(&s.steps, evaluation.verdict, s.is_reply, &tracked_sides(evaluation), cursor, app.cloud_profile())
            })
        })
    };
    view! {
        <div class="tester__result" data-testid="result">
            <Show when=has_sent fallback=|| view! {
                <p class="tester__empty" data-testid="no-result">
                    "Press " <strong>"Evaluate"</strong> " to send the packet. The verdict, and every step the engine took to reach it, appear here."
                </p>
            }>
                {move || app.sent.get().map(|sent| view! { <Outcome sent/> })}
            </Show>
            // Always in the page, so that a change of its text is announced.
            <p class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">{announce}</p>
        </div>
    }
}

/// CSS modifier and depth of a step.
fn step_class(kind: StepKind) -> (&'static str, u8) {
    match kind {
        StepKind::Packet => ("packet", 0),
        StepKind::Note | StepKind::Path => ("note", 1),
        StepKind::Hop => ("hop", 0),
        StepKind::Decision => ("decision", 1),
        StepKind::Group | StepKind::GroupResult => ("group", 1),
        StepKind::Rule | StepKind::TieBreak => ("rule", 2),
        StepKind::Verdict => ("verdict", 0),
    }
}

/// A marker for a step, read out as well as shown.
fn step_mark(step: &Step) -> &'static str {
    match (step.kind, step.passed) {
        (StepKind::Note, _) => "ℹ",
        (StepKind::Path, _) => "⚠",
        (StepKind::Hop, _) => "▸",
        (StepKind::Rule, Some(true)) => "✔",
        (StepKind::Rule, _) => "✘",
        (StepKind::TieBreak, _) => "⚖",
        (StepKind::Decision, _) => "⇒",
        (StepKind::Verdict, Some(true)) => "✔",
        (StepKind::Verdict, _) => "✘",
        _ => "",
    }
}

fn step_testid(state: StepState) -> &'static str {
    if state == StepState::Current {
        "current-step"
    } else {
        "step"
    }
}

/// Gives the steps at `indices` of `list` the state the cursor `cursor` puts them in.
fn restyle_steps(list: &web_sys::HtmlOListElement, indices: std::ops::Range<usize>, cursor: usize, total: usize) {
    let items = list.children();
    for i in indices {
        let Some(item) = items.item(i as u32) else { continue };
        let state = stepper::state_of(i, cursor, total);
        let classes = item.class_list();
        let _ = classes.remove_3(StepState::Past.class(), StepState::Current.class(), StepState::Future.class());
        let _ = classes.add_1(state.class());
        let _ = item.set_attribute("data-testid", step_testid(state));
        let _ = match state {
            StepState::Current => item.set_attribute("aria-current", "step"),
            _ => item.remove_attribute("aria-current"),
        };
        let _ = match state {
            StepState::Future => item.set_attribute("aria-hidden", "true"),
            _ => item.remove_attribute("aria-hidden"),
        };
    }
}

#[component]
fn Outcome(sent: Sent) -> impl IntoView {
    let app = use_app();
    let evaluation = &sent.delivery.evaluation;
    let verdict = evaluation.verdict;
    let total = sent.steps.len();
    let tracked = tracked_sides(evaluation);
    let headline = lead(&sent.steps, verdict, &tracked);
    let events: Vec<String> = sent.delivery.events.iter().map(|e| e.text.clone()).collect();
    let notes = sent.steps.iter().filter(|s| s.kind == StepKind::Note).count();
    let kind = if sent.is_reply { "reply" } else { "packet" };
    let fixable = (verdict == sgplay_core::Verdict::Deny && !app.read_only()).then(|| evaluation.packet.clone());
    // An edit since this packet was sent: its verdict and steps are the old world's.
    let after_edit = sent.after_edit;
    let stale = move || app.edits.get() != after_edit;
    let again = evaluation.packet.clone();

    let cursor = move || app.cursor.get();
    let list = NodeRef::<html::Ol>::new();
    // Keep the current step in the list's view (the list scrolls, the page does not).
    Effect::new(move |_| {
        let at = stepper::current(cursor(), total);
        let (Some(list), Some(at)) = (list.get(), at) else { return };
        let Some(item) = list.children().item(at as u32) else { return };
        let (view, item_rect) = (list.get_bounding_client_rect(), item.get_bounding_client_rect());
        let top = item_rect.top() - view.top() + f64::from(list.scroll_top());
        if let Some(y) = stepper::scroll_to_show(f64::from(list.scroll_top()), f64::from(list.client_height()), top, item_rect.height()) {
            list.set_scroll_top(y as i32);
        }
    });

    // The steps are drawn once, in the state the cursor gives them now; a move of the cursor
    // then restyles only the steps whose state it changes (at most the ones between the old
    // and the new current step), not every one of a trace that can hold hundreds.
    let drawn_at = app.cursor.get_untracked();
    let steps = sent
        .steps
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let (modifier, depth) = step_class(s.kind);
            let pass = match s.passed {
                Some(true) => " stepper__step--pass",
                Some(false) => " stepper__step--fail",
                None => "",
            };
            let state = stepper::state_of(i, drawn_at, total);
            let mark = step_mark(&s);
            view! {
                <li class=format!("stepper__step stepper__step--{modifier} stepper__step--depth-{depth}{pass} stepper__step--{}", state.modifier())
                    data-testid=step_testid(state)
                    data-kind=modifier
                    aria-current=(state == StepState::Current).then_some("step")
                    aria-hidden=(state == StepState::Future).then_some("true")>
                    <span class="stepper__mark" aria-hidden="true">{mark}</span>
                    <span class="stepper__text">{s.sentence}</span>
                </li>
            }
        })
        .collect_view();
    Effect::new(move |drawn: Option<Option<usize>>| {
        let now = cursor();
        let list = list.get()?;
        // The first styling covers every step: a result replacing another may reuse its list's
        // elements, which then still carry what the last moves of the cursor gave them.
        let changed = match drawn.flatten() {
            Some(before) => stepper::changed_by(before, now, total),
            None => 0..total,
        };
        restyle_steps(&list, changed, now, total);
        Some(now)
    });

    let go = move |m: Move| step(app, m);
    let at_start = move || !stepper::can_go_back(cursor(), total);
    let at_end = move || !stepper::can_go_forward(cursor(), total);
    view! {
        <div class=format!("outcome outcome--{verdict} outcome--{kind}") data-testid="outcome" data-sent=sent.serial>
            <div class="outcome__head">
                <span class=format!("outcome__verdict outcome__verdict--{verdict}") data-testid="verdict">{move || verdict_label(verdict, app.cloud_profile())}</span>
                <div class="outcome__summary">
                    <p class="outcome__kinds">
                        <span class=format!("outcome__kind outcome__kind--{kind}") data-testid="sent-kind">{kind}</span>
                        {sent.is_reply.then_some(" to the last packet: addresses and ports swapped")}
                    </p>
                    <p class="outcome__headline" data-testid="headline">{headline}</p>
                </div>
                <button class="button button--small button--quiet tester__reply" type="button" data-testid="send-reply"
                    title="Send the answer to this packet: addresses and ports swapped, the natural flags"
                    on:click=move |_| { app.send_reply(); }>"Send reply"</button>
            </div>
            <Show when=stale>
                <p class="outcome__stale" role="status" data-testid="sent-stale">
                    "The scenario has changed since this packet was sent: this verdict is the old one's. "
                    <button type="button" class="button button--small" data-testid="send-again"
                        on:click={
                            let again = again.clone();
                            move |_| app.try_packet(&again)
                        }>"Evaluate again"</button>
                </p>
            </Show>
            {fixable.map(|packet| view! { <super::fix_view::FixSuggestion packet/> })}
            {(!tracked.is_empty()).then(|| view! {
                <ul class="outcome__tracked" data-testid="tracked">
                    {tracked.into_iter().map(|t| view! {
                        <li class=if t.passed { "outcome__tracked-item outcome__tracked-item--pass" } else { "outcome__tracked-item outcome__tracked-item--fail" }>
                            <strong>{format!("{}: {} on connection #{}", t.side, if t.passed { "passed" } else { "stopped" }, t.connection_id)}</strong>
                            " — " {t.reason}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {(!events.is_empty()).then(|| view! {
                <details class="outcome__events" data-testid="sent-events">
                    <summary>{format!("Connection tracking: {} change{}", events.len(), if events.len() == 1 { "" } else { "s" })}</summary>
                    <ul>{events.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                </details>
            })}
            <div class="stepper" data-testid="stepper">
                <div class="stepper__bar">
                    <div class="stepper__controls" role="group" aria-label="Step through the evaluation">
                        <button class="button button--small button--quiet stepper__button" type="button" data-testid="step-reset" title="First step (Home)"
                            aria-disabled=move || at_start().to_string() on:click=move |_| go(Move::Reset)>"⇤ Reset"</button>
                        <button class="button button--small button--quiet stepper__button" type="button" data-testid="step-back" title="Previous step (←)"
                            aria-disabled=move || at_start().to_string() on:click=move |_| go(Move::Back)>"◀ Back"</button>
                        <button class="button button--small stepper__button stepper__button--main" type="button" data-testid="step-forward" title="Next step (→)"
                            aria-disabled=move || at_end().to_string() on:click=move |_| go(Move::Forward)>"Step ▶"</button>
                        <button class="button button--small button--quiet stepper__button" type="button" data-testid="step-end" title="All steps (End)"
                            aria-disabled=move || at_end().to_string() on:click=move |_| go(Move::End)>"All ⇥"</button>
                    </div>
                    <span class="stepper__position" data-testid="step-position">
                        {move || stepper::position_label(cursor(), total)}
                    </span>
                    {(notes > 0).then(|| view! {
                        <span class="stepper__notes" title="Interpretations and facts about the path the engine states">
                            {format!("ℹ {notes} note{}", if notes == 1 { "" } else { "s" })}
                        </span>
                    })}
                </div>
                <ol class="stepper__list" class:stepper__list--walking=move || !at_end() data-testid="steps" tabindex="0" aria-label="Evaluation steps (← → Home End)" node_ref=list>
                    {steps}
                </ol>
            </div>
        </div>
    }
}
