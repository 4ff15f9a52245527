//! The instances panel: a table of instances (name, id, private IPv4 and IPv6, virtual IPs,
//! EIP, subnet, security groups in sequence), create and delete, an editor for addresses
//! (checked by the engine as the user types) and the group sequence (associate, dissociate,
//! reorder by drag or with the up/down buttons).
//!
//! - [`draft`]: the form's draft, the scratch validation, sequence moves; native tests.
//! - `instance_form`, `group_sequence`: thin views.

pub mod draft;

mod group_sequence;
mod instance_form;

use crate::components::groups::icons::{icon, Icon};
use crate::components::groups::paths::{below, index_of, sentence};
use crate::components::list_filter::{matches, page, PageFooter, SearchBox, PAGE};
use crate::state::use_app;
use group_sequence::GroupSequence;
use instance_form::InstanceForm;
use leptos::prelude::*;
use sgplay_core::model::Instance;
use std::collections::HashMap;

/// Tables longer than this get a search box.
const SEARCH_FROM: usize = 8;

/// One row of the table, from the document and the validated world.
#[derive(Clone, Debug, PartialEq)]
struct RowData {
    id: String,
    name: String,
    ip: String,
    ipv6: String,
    virtual_ips: Vec<String>,
    eip: String,
    subnet: String,
    /// (id, name) in sequence order, as the engine associates them.
    groups: Vec<(String, String)>,
    /// No group written: the engine associated `default`.
    implicit_default: bool,
    advice: Vec<String>,
}

#[component]
pub fn InstancesPanel() -> impl IntoView {
    let app = use_app();
    let editable = !app.read_only();
    let editing = RwSignal::new(None::<String>);
    let creating = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);

    let rows = Memo::new(move |_| {
        app.doc.with(|doc| {
            app.scenario.with(|s| {
                let s = s.as_ref().ok();
                let world = s.map(|s| &s.world);
                // Looked up once per estate, not scanned per instance: 1,000 instances.
                let instances: HashMap<&str, &Instance> =
                    world.map(|w| w.instances.iter().map(|i| (i.id.as_str(), i)).collect()).unwrap_or_default();
                let group_names: HashMap<&str, &str> =
                    world.map(|w| w.security_groups.iter().map(|g| (g.id.as_str(), g.name.as_str())).collect()).unwrap_or_default();
                let subnets: HashMap<&str, &str> = doc
                    .vpcs
                    .iter()
                    .flat_map(|v| v.subnets.iter())
                    .rev()
                    .map(|sub| (sub.id.as_str(), if sub.name.is_empty() { sub.id.as_str() } else { sub.name.as_str() }))
                    .collect();
                let mut advice_of: HashMap<usize, Vec<String>> = HashMap::new();
                for p in s.map(|s| s.notices.as_slice()).unwrap_or_default() {
                    if let Some(i) = below(&p.path, "instances").filter(|rest| rest.starts_with('[')).and_then(index_of) {
                        advice_of.entry(i).or_default().push(p.message.clone());
                    }
                }
                doc.instances
                    .iter()
                    .enumerate()
                    .map(|(i, spec)| {
                        let group_name = |g: &str| group_names.get(g).map_or_else(|| g.to_string(), |name| name.to_string());
                        let groups = match instances.get(spec.id.as_str()) {
                            Some(inst) => inst.security_groups.iter().map(|g| (g.clone(), group_name(g))).collect(),
                            None => spec.security_groups.iter().map(|g| (g.clone(), group_name(g))).collect(),
                        };
                        let subnet = spec
                            .subnet_id
                            .as_ref()
                            .map(|id| subnets.get(id.as_str()).map_or_else(|| id.clone(), |name| name.to_string()))
                            .unwrap_or_default();
                        RowData {
                            id: spec.id.clone(),
                            name: if spec.name.is_empty() { spec.id.clone() } else { spec.name.clone() },
                            ip: spec.ip.clone().unwrap_or_default(),
                            ipv6: spec.ipv6.clone().unwrap_or_default(),
                            virtual_ips: spec.virtual_ips.clone(),
                            eip: spec.eip.clone().unwrap_or_default(),
                            subnet,
                            groups,
                            implicit_default: spec.security_groups.is_empty() && spec.kind.as_deref() != Some("load_balancer"),
                            advice: advice_of.remove(&i).unwrap_or_default(),
                        }
                    })
                    .collect::<Vec<_>>()
            })
        })
    });

    let delete =
        move |id: String, name: String| match app.edit(&format!("delete instance {name}"), |doc| doc.instances.retain(|i| i.id != id)) {
            Ok(()) => {
                message.set(Some(format!("Deleted instance {name}. Undo brings it back.")));
                if app.selection.with_untracked(|s| s.instance_id.as_deref() == Some(id.as_str())) {
                    app.selection.update(|s| s.instance_id = None);
                }
            }
            Err(p) => message.set(Some(format!("{name} cannot be deleted: {}", p.first().map(sentence).unwrap_or_default()))),
        };

    let query = RwSignal::new(String::new());
    let limit = RwSignal::new(PAGE);
    // The rows the search matches, one page at a time: a large estate renders only those.
    let visible = Memo::new(move |_| {
        let q = query.get();
        let matching: Vec<RowData> = rows.with(|all| {
            all.iter()
                .filter(|r| {
                    let mut fields: Vec<&str> = vec![&r.id, &r.name, &r.ip, &r.ipv6, &r.eip, &r.subnet];
                    fields.extend(r.virtual_ips.iter().map(String::as_str));
                    fields.extend(r.groups.iter().flat_map(|(id, name)| [id.as_str(), name.as_str()]));
                    matches(&q, &fields)
                })
                .cloned()
                .collect()
        });
        let count = matching.len();
        let (shown, hidden) = page(matching, limit.get());
        (shown, hidden, count)
    });
    let total = move || rows.with(Vec::len);

    let columns = if editable { 5 } else { 4 };
    let body = move || {
        let open = editing.get();
        visible
            .get()
            .0
            .into_iter()
            .map(|row| {
                let id = row.id.clone();
                let selected = {
                    let id = id.clone();
                    move || app.selection.with(|s| s.instance_id.as_deref() == Some(id.as_str()))
                };
                let select = {
                    let id = id.clone();
                    move |_| app.selection.update(|s| s.instance_id = Some(id.clone()))
                };
                let sequence = row
                    .groups
                    .iter()
                    .enumerate()
                    .map(|(n, (gid, name))| view! { <li class="sequence__item" title=format!("{name} ({gid}): sequence {}", n + 1)><span class="sequence__n">{n + 1}</span>{name.clone()}</li> })
                    .collect_view();
                // The console's "IP Address" column: each address with what it is.
                let mut lines: Vec<(&'static str, String)> = Vec::new();
                lines.extend((!row.ip.is_empty()).then(|| ("private IPv4", row.ip.clone())));
                lines.extend((!row.ipv6.is_empty()).then(|| ("private IPv6", row.ipv6.clone())));
                lines.extend(row.virtual_ips.iter().map(|v| ("virtual IP", v.clone())));
                lines.extend((!row.eip.is_empty()).then(|| ("EIP", row.eip.clone())));
                let addresses = lines
                    .into_iter()
                    .map(|(kind, address)| view! { <span class="instances__address"><span class="instances__address-value">{address}</span> <span class="instances__address-kind">{kind}</span></span> })
                    .collect_view();
                let advice = (!row.advice.is_empty()).then(|| {
                    let text = row.advice.join("\n");
                    view! { <span class="instances__advice" title=text.clone() aria-label=text>"!"</span> }
                });
                let actions = editable.then(|| {
                    let (edit_id, delete_id, delete_name) = (id.clone(), id.clone(), row.name.clone());
                    view! {
                        <td class="instances__actions">
                            <button type="button" class="icon-button" title="Edit" aria-label=format!("Edit instance {}", row.name) data-testid=format!("instance-edit-{id}")
                                on:click=move |_| {
                                    creating.set(false);
                                    app.selection.update(|s| s.instance_id = Some(edit_id.clone()));
                                    editing.set(Some(edit_id.clone()));
                                }>{icon(Icon::Edit)}</button>
                            <button type="button" class="icon-button icon-button--danger" title="Delete" aria-label=format!("Delete instance {}", row.name) data-testid=format!("instance-delete-{id}")
                                on:click=move |_| delete(delete_id.clone(), delete_name.clone())>{icon(Icon::Delete)}</button>
                        </td>
                    }
                });
                let editor = (editable && open.as_deref() == Some(id.as_str())).then(|| {
                    let id = id.clone();
                    view! {
                        <tr class="instances__editor-row" data-testid="instance-editor">
                            <td colspan=columns>
                                <div class="instance-editor">
                                    <InstanceForm existing=Some(id.clone()) open=editing.write_only() creating/>
                                    <GroupSequence instance_id=id/>
                                </div>
                            </td>
                        </tr>
                    }
                });
                view! {
                    <tr class=move || if selected() { "instances__row instances__row--selected" } else { "instances__row" } data-testid=format!("instance-row-{id}")>
                        <td class="instances__name">
                            <button type="button" class="link-button" title="Select this instance" data-testid=format!("instance-select-{id}") on:click=select>{row.name.clone()}</button>
                            <code class="instances__id">{id.clone()}</code>
                        </td>
                        <td class="instances__addresses">{addresses}</td>
                        <td class="instances__subnet">{row.subnet.clone()}</td>
                        <td class="instances__groups">
                            <ol class="sequence" aria-label="Security groups in sequence">{sequence}</ol>
                            {row.implicit_default.then(|| view! { <span class="instances__note">"(none written: the engine adds default)"</span> })}
                            {advice}
                        </td>
                        {actions}
                    </tr>
                    {editor}
                }
            })
            .collect_view()
    };

    view! {
        <section class="panel instances" data-testid="instances-panel" aria-labelledby="instances-title">
            <div class="instances__head">
                <h2 class="panel__title" id="instances-title" tabindex="-1">"Instances"</h2>
                {editable.then(|| view! {
                    <button type="button" class="button button--small" data-testid="new-instance" disabled=move || creating.get()
                        on:click=move |_| {
                            editing.set(None);
                            creating.set(true);
                        }>"+ New instance"</button>
                })}
            </div>
            {move || message.get().map(|m| view! {
                <p class="groups__message" role="alert" data-testid="instance-message">
                    <span>{m}</span>
                    <button type="button" class="groups__dismiss" aria-label="Dismiss" on:click=move |_| message.set(None)>"×"</button>
                </p>
            })}
            {move || (editable && creating.get()).then(|| view! {
                <div class="instances__create" data-testid="instance-create">
                    <InstanceForm existing=None open=editing.write_only() creating/>
                </div>
            })}
            {move || (total() > SEARCH_FROM).then(|| view! {
                <SearchBox query limit testid="instance-search" label="Find an instance by name, id, address, subnet or security group"
                    placeholder="Find an instance: name, id, address, subnet, group…"/>
            })}
            <div class="table-scroll">
                <table class="table instances__table" data-testid="instances-table">
                    <caption class="visually-hidden">"Instances, their addresses and their security groups"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Instance"</th>
                            <th scope="col" title="Private IPv4 and IPv6, virtual IPs, EIP">"IP addresses"</th>
                            <th scope="col">"Subnet"</th>
                            <th scope="col">"Security groups"</th>
                            {editable.then(|| view! { <th scope="col"><span class="visually-hidden">"Operation"</span></th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {body}
                        {move || rows.with(Vec::is_empty).then(|| view! {
                            <tr><td colspan=columns class="instances__empty">"No instances yet."</td></tr>
                        })}
                    </tbody>
                </table>
            </div>
            <PageFooter shown=Signal::derive(move || visible.with(|(v, hidden, count)| (v.len(), *hidden, *count))) total=Signal::derive(total)
                limit what="instances" prefix="instance"/>
        </section>
    }
}
