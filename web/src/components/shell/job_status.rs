//! Where a background job stands, under the panel that asked for it: a progress bar (without a
//! value while the engine cannot say how far it is), what it is doing, and Cancel; then how long
//! it took, or that it was cancelled. The page stays usable meanwhile: the job runs in the
//! worker (`crate::worker`).

use crate::worker::lane::{Lane, LaneState};
use leptos::prelude::*;

/// The status of `lane`; `testid` prefixes its elements' test ids (`matrix-job`, …).
#[component]
pub fn JobStatus(lane: Lane, testid: &'static str) -> impl IntoView {
    let body = move || match lane.state.get() {
        LaneState::Idle => ().into_any(),
        LaneState::Running { what, progress } => {
            let bar = if progress.total > 0 {
                view! { <progress class="job__bar" max=progress.total value=progress.done data-testid=format!("{testid}-progress")></progress> }
                    .into_any()
            } else {
                view! { <progress class="job__bar" data-testid=format!("{testid}-progress")></progress> }.into_any()
            };
            let stage = if progress.stage.is_empty() { String::new() } else { format!(": {}", progress.stage) };
            view! {
                {bar}
                <span class="job__text">{format!("{what}{stage}…")}</span>
                <button type="button" class="button button--small button--quiet" data-testid=format!("{testid}-cancel")
                    on:click=move |_| lane.cancel()>"Cancel"</button>
            }
            .into_any()
        }
        LaneState::Done { millis, in_worker, .. } => {
            let place = if in_worker { " in the background" } else { "" };
            view! { <span class="job__text" data-testid=format!("{testid}-done")>{format!("Computed in {millis:.0} ms{place}.")}</span> }
                .into_any()
        }
        LaneState::Cancelled => view! { <span class="job__text" data-testid=format!("{testid}-cancelled")>"Cancelled."</span> }.into_any(),
        LaneState::Failed(message) => {
            view! { <span class="job__text job__text--error" data-testid=format!("{testid}-failed")>{message}</span> }.into_any()
        }
    };
    view! { <div class="job" role="status" aria-live="polite" data-testid=testid>{body}</div> }
}
