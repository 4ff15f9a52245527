//! "Suggest a fix" under a denied verdict: the engine's minimal fix (`analysis::fix`) for the
//! packet just sent, shown as a diff of the rules (a rule added, a rule deleted, each with why
//! it sits where it sits) and what else it lets in (the exact what-if diff of the fix, the
//! packet's own region aside). "Apply" makes it one ordinary undoable edit and sends the
//! packet again.

use crate::components::groups::ops::apply_change;
use crate::state::use_app;
use leptos::prelude::*;
use sgplay_core::analysis::fix::{fix, FixOutcome};
use sgplay_core::Packet;

/// Regions of collateral shown before "and N more".
const SHOWN: usize = 20;

#[component]
pub fn FixSuggestion(packet: Packet) -> impl IntoView {
    let app = use_app();
    let plan = RwSignal::new(None::<FixOutcome>);
    let message = RwSignal::new(None::<String>);
    let suggest = {
        let packet = packet.clone();
        move |_| {
            let outcome = app.scenario.with_untracked(|s| s.as_ref().ok().map(|s| fix(&s.world, &packet)));
            plan.set(outcome);
            message.set(None);
        }
    };
    let apply = {
        let packet = packet.clone();
        move |_| {
            let Some(FixOutcome::Fixed { steps, .. }) = plan.get_untracked() else { return };
            // Every step on a copy first: the edit is all of the fix or nothing.
            let fixed = app.scenario.with_untracked(|s| {
                let scenario = s.as_ref().map_err(|_| "the scenario does not validate".to_string())?;
                let mut doc = app.doc.get_untracked();
                for step in &steps {
                    apply_change(&mut doc, scenario, &step.edit)?;
                }
                Ok::<_, String>(doc)
            });
            let result = fixed.map_err(|e| vec![e]).and_then(|doc| {
                app.edit("apply the suggested fix", move |d| *d = doc).map_err(|p| p.into_iter().map(|p| p.message).collect())
            });
            match result {
                Ok(()) => {
                    plan.set(None);
                    app.try_packet(&packet);
                }
                Err(reasons) => message.set(Some(format!("The fix could not be applied: {}", reasons.join("; ")))),
            }
        }
    };
    let body = move || {
        plan.get().map(|outcome| match outcome {
            FixOutcome::AlreadyAllowed => view! { <p class="fix__note" data-testid="fix-none">"This packet is allowed already: nothing to fix."</p> }.into_any(),
            FixOutcome::Impossible { reason } => view! { <p class="fix__note" data-testid="fix-impossible">"No rule change lets this packet in: " {reason}</p> }.into_any(),
            FixOutcome::Fixed { steps, changes, skipped } => {
                let step_items = steps
                    .iter()
                    .map(|s| {
                        let adds = matches!(s.edit, sgplay_core::scenario::ChangeSpec::AddRule { .. });
                        view! {
                            <li class=if adds { "fix__step fix__step--add" } else { "fix__step fix__step--delete" }>
                                <span class="fix__sign" aria-hidden="true">{if adds { "+" } else { "−" }}</span>
                                <span class="fix__edit">{super::super::shell::rich_text(&s.describe())}</span>
                                <span class="fix__why">{super::super::shell::rich_text(&s.why)}</span>
                            </li>
                        }
                    })
                    .collect_view();
                let others: Vec<String> = changes.iter().filter(|c| !c.contains(&packet)).map(|c| format!("{}: {} → {}", c.describe(), c.before, c.after)).collect();
                let more = others.len().saturating_sub(SHOWN);
                let collateral = if others.is_empty() {
                    view! { <p class="fix__note" data-testid="fix-collateral">"Nothing else changes: only this flow is let in."</p> }.into_any()
                } else {
                    view! {
                        <p class="fix__note" data-testid="fix-collateral">{format!("It also changes {} other region{}:", others.len(), if others.len() == 1 { "" } else { "s" })}</p>
                        <ul class="fix__others">{others.into_iter().take(SHOWN).map(|o| view! { <li>{o}</li> }).collect_view()}</ul>
                        {(more > 0).then(|| view! { <p class="fix__note">{format!("and {more} more")}</p> })}
                    }
                    .into_any()
                };
                let not_compared = (!skipped.is_empty()).then(|| view! { <p class="fix__note">{format!("{} part(s) could not be compared exactly (too large).", skipped.len())}</p> });
                view! {
                    <p class="fix__lead">"The smallest rule change that lets this packet in:"</p>
                    <ul class="fix__steps" data-testid="fix-steps">{step_items}</ul>
                    {collateral}
                    {not_compared}
                    <div class="fix__actions">
                        <button type="button" class="button button--small" data-testid="apply-fix" on:click=apply.clone()>"Apply"</button>
                        <button type="button" class="button button--small button--quiet" data-testid="dismiss-fix" on:click=move |_| plan.set(None)>"Dismiss"</button>
                    </div>
                }
                .into_any()
            }
        })
    };
    view! {
        <div class="fix" data-testid="fix">
            {move || plan.with(Option::is_none).then(|| view! {
                <button type="button" class="button button--small button--quiet" data-testid="suggest-fix" on:click=suggest.clone()
                    title="The minimal rule change that would let this packet in, and what else it would change">"Suggest a fix"</button>
            })}
            <div class="fix__plan" aria-live="polite">{body}</div>
            {move || message.get().map(|m| view! { <p class="groups__message groups__message--error" role="alert" data-testid="fix-message">{m}</p> })}
        </div>
    }
}
