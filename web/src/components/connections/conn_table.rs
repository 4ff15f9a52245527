//! The connection tracking tables, one block per instance, like `conntrack -L` run on each:
//! protocol, state, the original tuple and seconds left, then on a second line how it was
//! opened and by which rule, `ASSURED`/`UNREPLIED`, and whether a rule change cleared or cut it. Entries leave the
//! table when they expire.

use super::rows::{self, InstanceTable};
use crate::state::use_app;
use leptos::prelude::*;
use sgplay_core::sim::ConnView;

fn entry_rows(view: ConnView, group_name: impl Fn(&str) -> String) -> impl IntoView {
    let (status_modifier, status) = rows::status(&view);
    let opened = rows::opened(&view);
    let mark = rows::mark(&view);
    view! {
        <tr class=format!("conntrack__row conntrack__row--{status_modifier}") data-testid=format!("conn-row-{}", view.id) title=view.line.clone()>
            <td class="conntrack__id">{format!("#{}", view.id)}</td>
            <td class="conntrack__protocol">{view.protocol.clone()}</td>
            <td class="conntrack__state">{view.state.clone()}</td>
            <td class="conntrack__tuple">{rows::tuple(&view)}</td>
            <td class="conntrack__left" data-testid="conn-left">{rows::seconds_left(&view)}</td>
        </tr>
        <tr class=format!("conntrack__detail conntrack__detail--{status_modifier}")>
            <td></td>
            <td colspan="4">
                <span class=format!("conntrack__opened conntrack__opened--{opened}")>{format!("opened {opened}")}</span>
                " by "
                <span class="conntrack__rule" title=rows::admitted_title(&view)>{rows::admitted(&view, group_name)}</span>
                " · "
                <span class=format!("conntrack__mark conntrack__mark--{}", mark.to_lowercase())>{mark}</span>
                " · "
                <span class=format!("conntrack__status conntrack__status--{status_modifier}")>{status}</span>
            </td>
        </tr>
    }
}

fn instance_block(table: InstanceTable, group_name: impl Fn(&str) -> String + Copy) -> impl IntoView {
    let count = table.entries.len();
    view! {
        <tbody class="conntrack__instance" data-testid=format!("conn-instance-{}", table.instance_id)>
            <tr class="conntrack__instance-head">
                <th colspan="5" scope="rowgroup">
                    {table.instance_name}
                    <span class="conntrack__count">{format!(" · {count} entr{}", if count == 1 { "y" } else { "ies" })}</span>
                </th>
            </tr>
            {table.entries.into_iter().map(|v| entry_rows(v, group_name)).collect_view()}
        </tbody>
    }
}

#[component]
pub fn ConnTable() -> impl IntoView {
    let app = use_app();
    let list = Memo::new(move |_| app.sim.with(|s| s.conntrack_list()));
    let tables = move || rows::by_instance(list.get());
    let group_name = move |id: &str| app.sim.with_untracked(|s| s.world().group(id).map(|g| g.name.clone()).filter(|n| !n.is_empty()).unwrap_or_else(|| id.to_string()));
    let lines = move || list.with(|l| l.iter().map(|v| v.line.clone()).collect::<Vec<_>>().join("\n"));
    view! {
        <div class="conntrack">
            <div class="conntrack__scroll" tabindex="0" role="region" aria-label="Connection tables (scrolls sideways on narrow screens)">
                <table class="conntrack__table" data-testid="conntrack-table">
                    <caption class="visually-hidden">"Connection tracking entries, by instance"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"id"</th>
                            <th scope="col">"proto"</th>
                            <th scope="col">"state"</th>
                            <th scope="col">"original direction"</th>
                            <th scope="col" class="conntrack__left" title="Seconds until the entry expires, unless a packet restarts its timeout">"left"</th>
                        </tr>
                    </thead>
                    {move || {
                        let tables = tables();
                        if tables.is_empty() {
                            view! {
                                <tbody>
                                    <tr><td class="conntrack__empty" colspan="5" data-testid="conntrack-empty">
                                        "No connections. A packet the rules allow opens one on each instance it crosses; replies then pass on it."
                                    </td></tr>
                                </tbody>
                            }.into_any()
                        } else {
                            tables.into_iter().map(|t| instance_block(t, group_name)).collect_view().into_any()
                        }
                    }}
                </table>
            </div>
            <Show when=move || list.with(|l| !l.is_empty())>
                <details class="conntrack__raw">
                    <summary>"As " <code>"conntrack -L"</code> " prints it"</summary>
                    <pre data-testid="conntrack-lines">{lines}</pre>
                </details>
            </Show>
        </div>
    }
}
