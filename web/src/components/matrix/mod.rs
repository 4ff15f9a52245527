//! The reachability matrix: instances (in subnet blocks when there are many) and the Internet
//! as sources × destinations, for one service or all of them, as a heatmap. A block's cell
//! opens that pair of blocks; a pair's cell loads its packet into the tester and evaluates it.
//! Export as CSV. Computed by the engine (`analysis::reach` over the compiled matcher): on
//! every edit for a small world; on request for a large one, in the worker (`crate::worker`),
//! with its progress and Cancel, while the page stays usable.
//!
//! - [`model`]: axes, cells, shades, CSV (pure, native tests);
//! - this file: the panel.

pub mod model;

use crate::components::groups::focus_later;
use crate::components::shell::{download, JobStatus};
use crate::state::{use_app, AUTO_ANALYSIS_LIMIT};
use crate::worker::jobs::matrix_services;
use crate::worker::lane::{Lane, LaneState};
use crate::worker::protocol::{Job, Outcome};
use leptos::prelude::*;
use model::{blocks, cells, csv, Block, Cell, DETAIL_LIMIT};
use sgplay_core::analysis::reach::{pair_packet, reachability, End, Reachability, DEFAULT_SERVICES};
use sgplay_core::matcher::Matcher;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq)]
struct Computed {
    reach: Reachability,
    millis: f64,
}

fn compute(world: &sgplay_core::World) -> Computed {
    let started = js_sys::Date::now();
    let reach = reachability(world, &Matcher::build(world), &matrix_services());
    Computed { reach, millis: js_sys::Date::now() - started }
}

#[component]
pub fn MatrixPanel() -> impl IntoView {
    let app = use_app();
    let size = Memo::new(move |_| app.scenario.with(|s| s.as_ref().map_or(0, |s| s.world.instances.len())));
    // Shared, not copied: a large estate's matrix holds a million pairs, and every render and
    // click reads it.
    let requested = RwSignal::new(None::<Arc<Computed>>);
    // A large estate's matrix is computed in the worker; its answer becomes `requested`.
    let lane = Lane::new();
    lane.on_done(move |outcome, millis| {
        if let Some(reach) = match outcome {
            Outcome::Matrix { reach } => reach.unpack(),
            _ => None,
        } {
            requested.set(Some(Arc::new(Computed { reach, millis })));
        }
    });
    let ask = move || {
        if let Some(world) = app.scenario.with_untracked(|s| s.as_ref().ok().map(|s| s.world.clone())) {
            lane.start(Job::Matrix { world });
        }
    };
    // Small worlds follow every edit; a large one keeps the last computation until asked again.
    let auto = Memo::new(move |_| {
        (size.get() <= AUTO_ANALYSIS_LIMIT).then(|| app.scenario.with(|s| s.as_ref().ok().map(|s| Arc::new(compute(&s.world))))).flatten()
    });
    let current = move || if size.get() <= AUTO_ANALYSIS_LIMIT { auto.get() } else { requested.get() };
    let service = RwSignal::new(String::from("all"));
    // The block pair being looked into, by keys: (row block, column block).
    let open = RwSignal::new(None::<(String, String)>);
    // Another scenario (not an edit of this one): start from the overview again.
    let scenario_name = Memo::new(move |_| app.doc.with(|d| d.name.clone()));
    Effect::new(move |_| {
        scenario_name.track();
        open.set(None);
    });

    // The rows and columns, as a memo: an edit that leaves the blocks as they were (a rule's
    // edit does) redraws none of a large estate's thousands of cells.
    let axes = Memo::new(move |_| {
        let open = open.get();
        app.scenario.with(|s| {
            let world = &s.as_ref().ok()?.world;
            Some(match open {
                Some((r, c)) => (blocks(world, Some(&r)), blocks(world, Some(&c))),
                None => (blocks(world, None), blocks(world, None)),
            })
        })
    });
    let grid = move || {
        let computed = current()?;
        let chosen: Vec<usize> = match service.get().as_str() {
            "all" => (0..computed.reach.services.len()).collect(),
            label => computed.reach.services.iter().position(|s| s.label == label).into_iter().collect(),
        };
        let (rows, cols) = axes.get()?;
        let grid = cells(&computed.reach, &chosen, &rows, &cols, size.get() + 1);
        Some((rows, cols, grid, chosen, computed))
    };

    // A pair's cell sends the chosen service, or the first that passes, or the first; looked up
    // at click time (a cell holds no copy of the matrix).
    let send_pair = move |from: End, to: End, chosen: Vec<usize>| {
        let Some(computed) = current() else { return };
        let reach = &computed.reach;
        let allowed = reach.pairs.iter().find(|p| p.from == from && p.to == to).map(|p| p.allowed.clone()).unwrap_or_default();
        let pick = if chosen.len() == 1 { chosen[0] } else { allowed.first().copied().unwrap_or(0) };
        let packet = app.scenario.with_untracked(|s| pair_packet(&s.as_ref().ok()?.world, reach, from, to, reach.services.get(pick)?));
        if let Some(packet) = packet {
            app.try_packet(&packet);
            focus_later("verdict".into());
        }
    };
    let cell_view = move |r: usize, c: usize, row: &Block, col: &Block, cell: Cell, chosen: &[usize]| {
        let text = match (cell.total, chosen.len()) {
            (0, _) => "·".to_string(),
            (_, 1) if row.is_single() && col.is_single() => {
                if cell.allowed > 0 {
                    "✓".into()
                } else {
                    "✗".into()
                }
            }
            _ => format!("{}/{}", cell.allowed, cell.total),
        };
        // The name starts with the cell's text ("label in name"), then says it in words.
        let label = match cell.total {
            0 => format!("{} to {}: not judged", row.label, col.label),
            _ if text.contains('/') => format!("{text}: {} to {}, {} of {} pass", row.label, col.label, cell.allowed, cell.total),
            _ => format!("{} to {}: {} of {} pass", row.label, col.label, cell.allowed, cell.total),
        };
        let pair = row.is_single() && col.is_single();
        let (row_key, col_key) = (row.key.clone(), col.key.clone());
        let (from, to) = (row.ends[0], col.ends[0]);
        let chosen = chosen.to_vec();
        let on_click = move |_| {
            if pair {
                send_pair(from, to, chosen.clone());
            } else {
                open.set(Some((row_key.clone(), col_key.clone())));
            }
        };
        view! {
            <td>
                <button type="button" class=format!("matrix__cell matrix__cell--shade-{}", cell.shade()) data-testid=format!("matrix-cell-{r}-{c}")
                    aria-label=label.clone() title=label disabled=cell.total == 0 on:click=on_click>{text}</button>
            </td>
        }
    };

    let table = move || {
        let Some((rows, cols, grid, chosen, computed)) = grid() else {
            return view! {
                <p class="matrix__empty" data-testid="matrix-empty">
                    {format!("This estate has more than {AUTO_ANALYSIS_LIMIT} instances: the matrix is computed when you ask for it, in the background.")}
                </p>
            }
            .into_any();
        };
        let header = cols.iter().map(|c| view! { <th scope="col" class="matrix__col"><span>{c.label.clone()}</span></th> }).collect_view();
        let body = rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                let tds = cols.iter().enumerate().map(|(c, col)| cell_view(r, c, row, col, grid[r][c], &chosen)).collect_view();
                view! { <tr><th scope="row" class="matrix__row">{row.label.clone()}</th>{tds}</tr> }
            })
            .collect_view();
        let what = match chosen.as_slice() {
            [one] => computed.reach.services[*one].label.clone(),
            _ => format!("{} services", chosen.len()),
        };
        let note = match size.get() > AUTO_ANALYSIS_LIMIT {
            true => String::new(),
            false => format!("Computed in {:.0} ms.", computed.millis),
        };
        view! {
            <div class="matrix__scroll" tabindex="0" role="region" aria-label="Reachability matrix (scrolls)">
                <table class="matrix__grid" data-testid="matrix-grid">
                    <caption class="visually-hidden">{format!("Which sources (rows) reach which destinations (columns) on {what}")}</caption>
                    <thead><tr><td class="matrix__corner">"from ↓ to →"</td>{header}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <p class="matrix__note" data-testid="matrix-note">{note}</p>
        }
        .into_any()
    };

    let export = move |_| {
        let text = current().and_then(|c| app.scenario.with_untracked(|s| s.as_ref().ok().map(|s| csv(&s.world, &c.reach))));
        if let Some(text) = text {
            let name = app.doc.with_untracked(|d| crate::state::transfer::file_name(&d.name)).replace(".json", "-reachability.csv");
            download(&name, "text/csv", &text);
        }
    };

    view! {
        <section class="panel matrix" data-testid="matrix-panel" aria-labelledby="matrix-title">
            <div class="matrix__bar">
                <h2 class="panel__title" id="matrix-title" tabindex="-1">"Reachability"</h2>
                <label class="matrix__service">
                    <span class="field__label">"Service"</span>
                    <select class="field__input" data-testid="matrix-service" on:change=move |ev| service.set(event_target_value(&ev))>
                        <option value="all" selected=true>"all services"</option>
                        {DEFAULT_SERVICES.iter().map(|s| view! { <option value=*s>{*s}</option> }).collect_view()}
                    </select>
                </label>
                {move || (size.get() > AUTO_ANALYSIS_LIMIT).then(|| view! {
                    <button type="button" class="button button--small" data-testid="matrix-compute"
                        disabled=move || lane.state.with(LaneState::is_running) on:click=move |_| ask()>
                        {move || if requested.with(Option::is_some) { "Compute again" } else { "Compute" }}
                    </button>
                })}
                <button type="button" class="button button--small button--quiet" data-testid="matrix-export" on:click=export
                    disabled=move || current().is_none()>"Export CSV"</button>
            </div>
            <p class="matrix__hint">
                {move || if size.get() > DETAIL_LIMIT {
                    "Rows are sources, columns destinations, one block per subnet: a cell says how many pair and service combinations pass. Click a cell to open those two blocks; click a pair to evaluate its packet."
                } else {
                    "Rows are sources, columns destinations. Click a cell to load its packet into the tester and evaluate it."
                }}
            </p>
            {move || (size.get() > AUTO_ANALYSIS_LIMIT).then(|| view! { <JobStatus lane testid="matrix-job"/> })}
            {move || open.get().map(|(r, c)| view! {
                <p class="matrix__crumbs">
                    <button type="button" class="link-button" data-testid="matrix-back" on:click=move |_| open.set(None)>"All blocks"</button>
                    {format!(" › {} → {}", r.trim_start_matches("subnet:"), c.trim_start_matches("subnet:"))}
                </p>
            })}
            {table}
        </section>
    }
}
