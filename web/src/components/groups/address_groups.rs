//! IP address groups: list, create, rename, delete (refused while a rule uses one), and edit the
//! entries (addresses, CIDR blocks, ranges `a-b`; one per line or comma-separated). The edited
//! group is checked by building a scratch copy of the scenario with the engine.

use super::icons::{icon, Icon};
use super::ops;
use super::paths::{below, head, index_of, sentence};
use crate::state::use_app;
use leptos::prelude::*;
use serde_json::Value;
use sgplay_core::analysis::diff::few;
use sgplay_core::scenario::{AddressGroupSpec, Problem};

#[component]
pub fn AddressGroups() -> impl IntoView {
    let app = use_app();
    let editable = !app.read_only();
    let editing = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let groups = Memo::new(move |_| app.doc.with(|d| d.address_groups.clone()));

    let create = move |_| {
        let spec = app.doc.with_untracked(ops::new_address_group);
        let id = spec.id.clone();
        match app.edit(&format!("create IP address group {id}"), |doc| doc.address_groups.push(spec)) {
            Ok(()) => {
                message.set(None);
                editing.set(Some(id));
            }
            Err(p) => message.set(Some(p.first().map(sentence).unwrap_or_default())),
        }
    };
    let delete = move |id: String, name: String| {
        let users = app.doc.with_untracked(|d| ops::address_group_use(d, &id)).rules;
        if !users.is_empty() {
            let verb = if users.len() == 1 { "uses" } else { "use" };
            message.set(Some(format!("{name} cannot be deleted: {} {verb} it. Change those rules first.", few(&users))));
            return;
        }
        match app.edit(&format!("delete IP address group {name}"), |doc| doc.address_groups.retain(|g| g.id != id)) {
            Ok(()) => message.set(Some(format!("Deleted IP address group {name}. Undo brings it back."))),
            Err(p) => message.set(Some(p.first().map(sentence).unwrap_or_default())),
        }
    };

    let columns = if editable { 5 } else { 4 };
    let rows = move || {
        let open = editing.get();
        groups
            .get()
            .into_iter()
            .map(|g| {
                let id = g.id.clone();
                let name = if g.name.is_empty() { g.id.clone() } else { g.name.clone() };
                let users = app.doc.with_untracked(|d| ops::address_group_use(d, &id));
                // Long lists (a large estate's groups hold hundreds) are cut to their first two,
                // in full in the tooltip and in the editor; each entry stays on one line.
                let entry_list: Vec<String> = ops::entries_text(&g.ip_set).lines().map(str::to_string).collect();
                let all_entries = entry_list.join(", ");
                let shown = entry_list.iter().take(2).map(|e| view! { <code class="address-groups__entry">{e.clone()}</code> }).collect_view();
                let more = (entry_list.len() > 2).then(|| format!("and {} more", entry_list.len() - 2));
                let is_open = open.as_deref() == Some(id.as_str());
                let actions = editable.then(|| {
                    let (edit_id, delete_id, delete_name) = (id.clone(), id.clone(), name.clone());
                    view! {
                        <td class="address-groups__actions">
                            <button type="button" class="icon-button" title="Edit" aria-label=format!("Edit IP address group {name}") data-testid=format!("address-group-edit-{id}") on:click=move |_| editing.set(Some(edit_id.clone()))>{icon(Icon::Edit)}</button>
                            <button type="button" class="icon-button icon-button--danger" title="Delete" aria-label=format!("Delete IP address group {name}") data-testid=format!("address-group-delete-{id}") on:click=move |_| delete(delete_id.clone(), delete_name.clone())>{icon(Icon::Delete)}</button>
                        </td>
                    }
                });
                let row = view! {
                    <tr data-testid=format!("address-group-row-{id}")>
                        <td class="address-groups__name">
                            <strong>{name.clone()}</strong>
                            <code class="address-groups__id">{id.clone()}</code>
                        </td>
                        <td>{if ops::version_text(&g) == "6" { "IPv6" } else { "IPv4" }}</td>
                        <td class="address-groups__entries" title=all_entries data-testid=format!("address-group-entries-{id}")>
                            {if entry_list.is_empty() { Some("(empty)") } else { None }}
                            {shown}
                            {more.map(|m| view! { <span class="address-groups__more">{m}</span> })}
                        </td>
                        <td class="address-groups__users" title=users.rules.join(", ")>{users.summary()}</td>
                        {actions}
                    </tr>
                };
                let editor = is_open.then(|| {
                    view! {
                        <tr class="address-groups__editor-row">
                            <td colspan=columns><AddressGroupEditor id=id.clone() editing/></td>
                        </tr>
                    }
                });
                view! { {row} {editor} }
            })
            .collect_view()
    };

    // A read-only view leaves out an empty section.
    let hidden = move || !editable && groups.with(Vec::is_empty);
    view! {
        <section class="address-groups" data-testid="address-groups" aria-labelledby="address-groups-title" hidden=hidden>
            <div class="address-groups__head">
                <h3 class="address-groups__title" id="address-groups-title">"IP address groups"</h3>
                {editable.then(|| view! {
                    <button type="button" class="button button--small button--quiet" data-testid="new-address-group" on:click=create>"+ New IP address group"</button>
                })}
            </div>
            {move || message.get().map(|m| view! {
                <p class="groups__message" role="alert" data-testid="address-group-message">
                    <span>{m}</span>
                    <button type="button" class="groups__dismiss" aria-label="Dismiss" on:click=move |_| message.set(None)>"×"</button>
                </p>
            })}
            {move || if groups.with(Vec::is_empty) {
                view! {
                    <p class="address-groups__empty">
                        "None yet. An IP address group names a set of addresses, CIDR blocks and ranges that a rule can use as its source or destination."
                    </p>
                }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="table address-groups__table">
                            <caption class="visually-hidden">"IP address groups"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Name and ID"</th>
                                    <th scope="col">"Type"</th>
                                    <th scope="col">"Entries"</th>
                                    <th scope="col">"Used by"</th>
                                    {editable.then(|| view! { <th scope="col"><span class="visually-hidden">"Operation"</span></th> })}
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// The engine's errors for an edited address group: per entry (by line), for the group's other
/// fields, and elsewhere (a rule whose IP version no longer fits).
#[derive(Clone, Debug, Default, PartialEq)]
struct Checked {
    own: Vec<String>,
    elsewhere: Vec<String>,
}

fn checked(problems: &[Problem], index: usize) -> Checked {
    let prefix = format!("address_groups[{index}]");
    let mut out = Checked::default();
    for p in problems.iter().filter(|p| p.is_error()) {
        match below(&p.path, &prefix) {
            Some(rest) if head(rest) == "ip_set" => {
                let entry = index_of(rest).map(|k| format!("entry {}: ", k + 1)).unwrap_or_default();
                out.own.push(format!("{entry}`{}` {}", p.value, p.message));
            }
            Some(_) => {
                out.own.push(if p.value.is_empty() { p.message.clone() } else { format!("{} `{}`: {}", p.field, p.value, p.message) })
            }
            None => out.elsewhere.push(sentence(p)),
        }
    }
    out
}

#[component]
fn AddressGroupEditor(id: String, editing: RwSignal<Option<String>>) -> impl IntoView {
    let app = use_app();
    let start = app.doc.with_untracked(|d| d.address_groups.iter().find(|g| g.id == id).cloned()).unwrap_or_default();
    let name = RwSignal::new(start.name.clone());
    let version = RwSignal::new(ops::version_text(&start));
    let entries = RwSignal::new(ops::entries_text(&start.ip_set));
    let description = RwSignal::new(start.description.clone());
    let save_problems = RwSignal::new(Vec::<Problem>::new());
    let id = StoredValue::new(id);
    // Fields the form does not show are kept as written.
    let other_fields = StoredValue::new(start.other_fields.clone());
    let edited = move || AddressGroupSpec {
        id: id.get_value(),
        name: name.get().trim().to_string(),
        ip_version: Some(Value::from(version.get().parse::<u8>().unwrap_or(4))),
        ip_set: ops::parse_entries(&entries.get()),
        description: description.get(),
        other_fields: other_fields.get_value(),
    };
    let check = Memo::new(move |_| {
        let spec = edited();
        app.doc.with(|d| {
            let Some(index) = d.address_groups.iter().position(|g| g.id == spec.id) else { return Checked::default() };
            let mut scratch = d.clone();
            scratch.address_groups[index] = spec;
            let mut problems = scratch.build_without_advice().err().unwrap_or_default();
            problems.extend(save_problems.get());
            checked(&problems, index)
        })
    });
    let ok = move || check.with(|c| c.own.is_empty() && c.elsewhere.is_empty());
    let touch = move || save_problems.set(Vec::new());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !ok() {
            return;
        }
        let spec = edited();
        let label = format!("edit IP address group {}", if spec.name.is_empty() { &spec.id } else { &spec.name });
        let result = app.edit(&label, |doc| {
            if let Some(g) = doc.address_groups.iter_mut().find(|g| g.id == spec.id) {
                *g = spec.clone();
            }
        });
        match result {
            Ok(()) => editing.set(None),
            Err(p) => save_problems.set(p),
        }
    };
    let count = move || match ops::parse_entries(&entries.get()) {
        Value::Array(items) => items.len(),
        _ => 0,
    };
    view! {
        <form class="address-group-editor" on:submit=save on:keydown=move |ev| if ev.key() == "Escape" { editing.set(None) }>
            <div class="address-group-editor__fields">
                <label class="rule-editor__field">
                    <span class="field__label">"Name"</span>
                    <input class="field__input" data-testid="address-group-name" prop:value=move || name.get() on:input=move |ev| { name.set(event_target_value(&ev)); touch(); }/>
                </label>
                <label class="rule-editor__field">
                    <span class="field__label">"IP version"</span>
                    <select class="field__input" data-testid="address-group-version" on:change=move |ev| { version.set(event_target_value(&ev)); touch(); }>
                        <option value="4" prop:selected=move || version.get() == "4">"IPv4"</option>
                        <option value="6" prop:selected=move || version.get() == "6">"IPv6"</option>
                    </select>
                </label>
                <label class="rule-editor__field address-group-editor__description">
                    <span class="field__label">"Description"</span>
                    <input class="field__input field__input--text" data-testid="address-group-description" prop:value=move || description.get() on:input=move |ev| { description.set(event_target_value(&ev)); touch(); }/>
                </label>
            </div>
            <label class="rule-editor__field">
                <span class="field__label">{move || format!("Entries ({})", count())}</span>
                <span class="address-group-editor__hint">"One per line or comma-separated: addresses (10.0.0.5), CIDR blocks (10.0.0.0/24), ranges (10.0.0.1-10.0.0.9)."</span>
                <textarea
                    class="field__input address-group-editor__entries"
                    rows="4"
                    spellcheck="false"
                    data-testid="address-group-entries"
                    aria-invalid=move || if check.with(|c| c.own.is_empty()) { "false" } else { "true" }
                    prop:value=move || entries.get()
                    on:input=move |ev| { entries.set(event_target_value(&ev)); touch(); }
                ></textarea>
            </label>
            <ul class="address-group-editor__errors" data-testid="address-group-error" aria-live="polite">
                {move || check.with(|c| c.own.iter().chain(c.elsewhere.iter()).map(|m| view! { <li>{m.clone()}</li> }).collect_view())}
            </ul>
            <div class="rule-editor__buttons">
                <button type="submit" class="button button--small" data-testid="address-group-save" disabled=move || !ok()>"Save"</button>
                <button type="button" class="button button--small button--quiet" data-testid="address-group-cancel" on:click=move |_| editing.set(None)>"Cancel"</button>
            </div>
        </form>
    }
}
