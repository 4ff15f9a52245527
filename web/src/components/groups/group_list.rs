//! The list of security groups (name, id, members, rules) and the "New group" controls.

use super::ops;
use crate::components::list_filter::{matches, page, PageFooter, SearchBox, PAGE};
use crate::state::use_app;
use leptos::prelude::*;
use sgplay_core::model::Direction;
use sgplay_core::templates::Template;
use std::collections::{HashMap, HashSet};

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Item {
    id: String,
    name: String,
    members: usize,
    inbound: usize,
    outbound: usize,
    /// Added by the engine for instances without a group, not written in the document.
    implicit: bool,
    /// What a search matches besides the name and id: the members' addresses.
    members_text: String,
}

/// Lists longer than this get a search box.
const SEARCH_FROM: usize = 8;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[component]
pub fn GroupList(shown: Memo<Option<String>>) -> impl IntoView {
    let app = use_app();
    let items = Memo::new(move |_| {
        let written: HashSet<String> = app.doc.with(|d| d.security_groups.iter().map(|g| g.id.clone()).collect());
        app.scenario.with(|s| {
            let Ok(s) = s else { return Vec::new() };
            // Every group's members in one pass over the instances, not one pass per group.
            let mut members: HashMap<&str, (usize, Vec<String>)> = HashMap::new();
            for inst in &s.world.instances {
                let mut seen = HashSet::new();
                for g in inst.security_groups.iter().filter(|g| seen.insert(g.as_str())) {
                    let entry = members.entry(g.as_str()).or_default();
                    entry.0 += 1;
                    entry.1.extend(inst.private_ips.iter().map(|a| a.to_string()));
                }
            }
            s.world
                .security_groups
                .iter()
                .map(|g| {
                    let (count, addresses) = members.remove(g.id.as_str()).unwrap_or_default();
                    Item {
                        id: g.id.clone(),
                        name: g.name.clone(),
                        members: count,
                        inbound: g.rules.iter().filter(|r| r.direction == Direction::Ingress).count(),
                        outbound: g.rules.iter().filter(|r| r.direction == Direction::Egress).count(),
                        implicit: !written.contains(&g.id),
                        members_text: addresses.join(" "),
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    let query = RwSignal::new(String::new());
    let limit = RwSignal::new(PAGE);
    let visible = Memo::new(move |_| {
        let q = query.get();
        let matching: Vec<Item> =
            items.with(|all| all.iter().filter(|i| matches(&q, &[&i.name, &i.id, &i.members_text])).cloned().collect());
        let count = matching.len();
        let (shown, hidden) = page(matching, limit.get());
        (shown, hidden, count)
    });
    let total = move || items.with(Vec::len);
    // Keyed by what an entry shows: an edit redraws the entries it changes, not the page.
    let entry = move |item: Item| {
        let id = item.id.clone();
        let selected = {
            let id = id.clone();
            Memo::new(move |_| shown.with(|s| s.as_deref() == Some(id.as_str())))
        };
        let pick = {
            let id = id.clone();
            move |_| app.selection.update(|s| s.group_id = Some(id.clone()))
        };
        let counts = format!("{} · {} in / {} out", plural(item.members, "member", "members"), item.inbound, item.outbound);
        let title = format!(
            "{}: {}, {} inbound and {} outbound",
            item.name,
            plural(item.members, "member instance", "member instances"),
            plural(item.inbound, "rule", "rules"),
            plural(item.outbound, "rule", "rules")
        );
        view! {
            <li class="group-list__entry">
                <button
                    type="button"
                    class=move || if selected.get() { "group-list__item group-list__item--selected" } else { "group-list__item" }
                    aria-pressed=move || if selected.get() { "true" } else { "false" }
                    title=title
                    data-testid=format!("group-item-{id}")
                    on:click=pick
                >
                    <span class="group-list__name">{item.name.clone()}</span>
                    <code class="group-list__id">{id.clone()}</code>
                    <span class="group-list__counts">{counts}</span>
                    {item.implicit.then(|| view! { <span class="group-list__tag">"added by the engine"</span> })}
                </button>
            </li>
        }
    };
    view! {
        <div class="group-list">
            {move || (total() > SEARCH_FROM).then(|| view! {
                <SearchBox query limit testid="group-search" label="Find a security group by name, id, or a member's address"
                    placeholder="Find a group: name, id or a member's address…"/>
            })}
            <ul class="group-list__items" data-testid="group-list" aria-label="Security groups">
                <For each=move || visible.get().0 key=Item::clone children=entry/>
            </ul>
            <PageFooter shown=Signal::derive(move || visible.with(|(v, hidden, count)| (v.len(), *hidden, *count))) total=Signal::derive(total)
                limit what="groups" prefix="group"/>
            {(!app.read_only()).then(|| view! { <NewGroup/> })}
        </div>
    }
}

/// "New group" (empty) and "From template…" (default, Sys-WebServer, Sys-FullAccess).
#[component]
fn NewGroup() -> impl IntoView {
    let app = use_app();
    let message = RwSignal::new(None::<String>);
    let create = move |template: Option<Template>| {
        let group = app.doc.with_untracked(|d| ops::new_group(d, template));
        let (id, name) = (group.id.clone(), group.name.clone());
        match app.edit(&format!("create security group {name}"), |doc| doc.security_groups.push(group)) {
            Ok(()) => {
                message.set(None);
                app.selection.update(|s| s.group_id = Some(id));
            }
            Err(problems) => {
                message.set(Some(problems.first().map(super::paths::sentence).unwrap_or_else(|| "the group could not be created".into())))
            }
        }
    };
    view! {
        <div class="group-list__new">
            <button type="button" class="button button--small" data-testid="new-group" on:click=move |_| create(None)>
                "+ New group"
            </button>
            <select
                class="group-list__template"
                aria-label="New group from a template"
                data-testid="new-group-template"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    if let Some(t) = Template::parse(&value) {
                        create(Some(t));
                    }
                    // Back to the prompt, so the same template can be picked again.
                    let select: web_sys::HtmlSelectElement = event_target(&ev);
                    select.set_value("");
                }
            >
                <option value="" selected>"From template…"</option>
                {Template::ALL
                    .into_iter()
                    .map(|t| view! { <option value=t.name() title=t.story()>{t.name()}</option> })
                    .collect_view()}
            </select>
            {move || message.get().map(|m| view! { <p class="groups__message" role="alert">{m}</p> })}
        </div>
    }
}
