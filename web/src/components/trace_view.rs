//! The verdict and the steps that led to it, one sentence each, indented by depth.

use crate::probe::Outcome;
use leptos::prelude::*;
use sgplay_core::eval::{Step, StepKind};

#[component]
pub fn TraceView(#[prop(into)] outcome: Signal<Result<Outcome, Vec<String>>>) -> impl IntoView {
    move || match outcome.get() {
        Ok(outcome) => {
            let verdict = outcome.verdict;
            let headline = outcome.headline().map(|s| s.sentence.clone());
            view! {
                <div class="trace">
                    <p class="trace__verdict">
                        <span class=format!("verdict verdict--{verdict}") data-testid="verdict">{verdict.to_string()}</span>
                        <span class="trace__headline" data-testid="headline">{headline}</span>
                    </p>
                    <ol class="steps" data-testid="steps">
                        {outcome.steps.into_iter().map(step_view).collect_view()}
                    </ol>
                </div>
            }
            .into_any()
        }
        Err(messages) => view! {
            <ul class="trace__error" role="alert" data-testid="probe-error">
                {messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
            </ul>
        }
        .into_any(),
    }
}

fn step_view(step: Step) -> impl IntoView {
    let (kind, depth) = step_class(step.kind);
    let mark = match step.passed {
        Some(true) => "step--pass",
        Some(false) => "step--fail",
        None => "",
    };
    view! { <li class=format!("step step--{kind} step--depth-{depth} {mark}") data-testid="step">{step.sentence}</li> }
}

/// The CSS modifier and indentation depth of a step.
fn step_class(kind: StepKind) -> (&'static str, u8) {
    match kind {
        StepKind::Packet => ("packet", 0),
        StepKind::Note => ("note", 1),
        StepKind::Hop => ("hop", 1),
        StepKind::Decision => ("decision", 2),
        StepKind::Group | StepKind::GroupResult => ("group", 2),
        StepKind::Rule => ("rule", 3),
        StepKind::TieBreak => ("tie-break", 3),
        StepKind::Verdict => ("verdict", 0),
    }
}
