//! The connections panel: every instance's connection tracking table as `conntrack -L` would
//! list it, the simulated clock and its controls, the timeout profile, and the event log with
//! the clearing-table reports of recent edits. Everything shown is the simulator's
//! (`AppState::sim`); the clock only moves through `AppState::advance`.
//!
//! - [`clock`]: the clock in words, reading the "advance by" cell (pure);
//! - [`rows`]: grouping and wording the table's rows (pure);
//! - [`timeline`]: the log, newest first, with the reports attached (pure);
//! - `clock_bar`, `conn_table`, `event_log`: the views.

pub mod clock;
mod clock_bar;
mod conn_table;
mod event_log;
pub mod rows;
pub mod timeline;

use clock_bar::ClockBar;
use conn_table::ConnTable;
use event_log::EventLog;
use leptos::prelude::*;

#[component]
pub fn ConnectionsPanel() -> impl IntoView {
    view! {
        <section class="panel connections" data-testid="connections" aria-labelledby="connections-title">
            <h2 class="panel__title" id="connections-title" tabindex="-1">"Connections"</h2>
            <ClockBar/>
            <ConnTable/>
            <EventLog/>
        </section>
    }
}
