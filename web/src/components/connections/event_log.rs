//! The simulator's log, newest first, with the time: connections opened, state changes,
//! entries cleared by a rule change and why, cut, expired; each rule change with what the
//! clearing table made of it. The sentences are the engine's.

use super::timeline::{kind_look, report_lines, timeline, LogItem};
use crate::state::use_app;
use leptos::prelude::*;

/// How many events the log shows.
const SHOWN: usize = 200;

#[component]
pub fn EventLog() -> impl IntoView {
    let app = use_app();
    let items = Memo::new(move |_| app.sim.with(|s| app.change_reports.with(|r| timeline(s.events(), r, SHOWN))));
    let name = move |id: &str| app.sim.with_untracked(|s| s.world().instance(id).map_or(id.to_string(), |i| i.display_name().to_string()));
    let item = move |LogItem { index, event, report }: LogItem| {
        let (icon, modifier) = kind_look(event.kind);
        let details = report.map(|r| report_lines(&r, name));
        view! {
            <li class=format!("event-log__item event-log__item--{modifier}") data-testid="event" data-kind=modifier data-index=index.to_string()>
                <span class="event-log__time">{format!("t={}", event.at)}</span>
                <span class="event-log__kind"><span aria-hidden="true">{icon}</span>" "{event.kind.label()}</span>
                <span class="event-log__text">{event.text}</span>
                {details.map(|lines| view! {
                    <ul class="event-log__report" data-testid="change-report">
                        {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                    </ul>
                })}
            </li>
        }
    };
    view! {
        <div class="event-log">
            <h3 class="event-log__title">"Event log"</h3>
            // Focusable, so a keyboard user can scroll it (it scrolls once the log is long).
            <ol class="event-log__list" data-testid="event-log" tabindex="0" aria-label="Event log">
                {move || {
                    let (list, hidden) = items.get();
                    if list.is_empty() {
                        return view! {
                            <li class="event-log__empty">"Nothing has happened yet: send a packet, advance the clock or edit a rule while connections are live."</li>
                        }.into_any();
                    }
                    view! {
                        {list.into_iter().map(item).collect_view()}
                        {(hidden > 0).then(|| view! { <li class="event-log__empty">{format!("… and {hidden} older events")}</li> })}
                    }.into_any()
                }}
            </ol>
        </div>
    }
}
