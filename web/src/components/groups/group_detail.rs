//! One security group: its name and description (rename), delete (refused while something uses
//! it), under Alibaba Cloud its type and inner access policy, the Inbound / Outbound tabs, the
//! rules table, and the engine's advice for the group.

use super::kind_fields::KindFields;
use super::ops;
use super::paths::{below, sentence};
use super::rules_table::RulesTable;
use crate::state::use_app;
use leptos::prelude::*;
use sgplay_core::model::Direction;
use sgplay_core::scenario::GroupSpec;

#[component]
pub fn GroupDetail(group_id: String) -> impl IntoView {
    let app = use_app();
    let gid = StoredValue::new(group_id);
    let group = Memo::new(move |_| app.scenario.with(|s| s.as_ref().ok().and_then(|s| gid.with_value(|id| s.world.group(id).cloned()))));
    let spec = Memo::new(move |_| app.doc.with(|d| gid.with_value(|id| d.security_groups.iter().find(|g| &g.id == id).cloned())));
    let world_index = Memo::new(move |_| {
        app.scenario.with(|s| s.as_ref().ok().and_then(|s| gid.with_value(|id| s.world.security_groups.iter().position(|g| &g.id == id))))
    });
    let name = move || group.with(|g| g.as_ref().map(|g| g.name.clone()).unwrap_or_default());
    let message = RwSignal::new(None::<(bool, String)>);
    let renaming = RwSignal::new(false);
    let editable = !app.read_only();

    let delete = move |_| {
        let users = app.doc.with_untracked(|d| gid.with_value(|id| ops::group_users(d, id)));
        let shown = name();
        if !users.is_empty() {
            message.set(Some((true, users.refusal(&shown))));
            return;
        }
        let id = gid.get_value();
        match app.edit(&format!("delete security group {shown}"), |doc| doc.security_groups.retain(|g| g.id != id)) {
            Ok(()) => app.notify(crate::state::NoticeKind::Info, format!("Deleted security group {shown}. Undo brings it back.")),
            Err(problems) => message.set(Some((true, problems.first().map(sentence).unwrap_or_default()))),
        }
    };
    let adopt = move |_| {
        let id = gid.get_value();
        let group = GroupSpec { id: id.clone(), name: id.clone(), template: Some("default".into()), ..Default::default() };
        if let Err(problems) = app.edit(&format!("write group {id} into the scenario"), |doc| doc.security_groups.push(group)) {
            message.set(Some((true, problems.first().map(sentence).unwrap_or_default())));
        }
    };

    let header = move || {
        let in_doc = spec.with(Option::is_some);
        let template = spec.with(|s| s.as_ref().and_then(|s| s.template.clone()));
        let description = group.with(|g| g.as_ref().map(|g| g.description.clone()).unwrap_or_default());
        view! {
            <div class="group-detail__head">
                <div class="group-detail__title">
                    <h3 class="group-detail__name">{name()}</h3>
                    <code class="group-detail__id">{gid.get_value()}</code>
                    {template.map(|t| view! { <span class="group-detail__tag" title="The template's rules come first; editing one writes them out as plain rules">"template " {t}</span> })}
                </div>
                {(!description.is_empty()).then(|| view! { <p class="group-detail__description">{description}</p> })}
                {(!in_doc).then(|| view! {
                    <p class="group-detail__note">
                        "Added by the engine: instances without a security group get the console's "
                        <code>"default"</code> " group."
                    </p>
                })}
                {editable.then(|| view! {
                    <div class="group-detail__actions">
                        {if in_doc {
                            view! {
                                <button type="button" class="button button--small button--quiet" data-testid="group-rename" on:click=move |_| renaming.set(true)>"Rename"</button>
                                <button type="button" class="button button--small button--danger" data-testid="group-delete" on:click=delete>"Delete group"</button>
                            }.into_any()
                        } else {
                            view! { <button type="button" class="button button--small" data-testid="group-adopt" on:click=adopt>"Write it into the scenario to edit it"</button> }.into_any()
                        }}
                    </div>
                })}
            </div>
        }
    };

    // Alibaba Cloud only: the group's type and inner access policy.
    let kind = Memo::new(move |_| group.with(|g| g.as_ref().map(|g| g.kind).unwrap_or_default()));
    let alibaba = move || !app.cloud_profile().is_huawei();
    let in_doc = Signal::derive(move || spec.with(Option::is_some));
    let kind_fields = move || alibaba().then(|| view! { <KindFields gid kind in_doc message/> });

    let direction = Memo::new(move |_| app.selection.with(|s| s.direction));
    let count = move |d: Direction| group.with(|g| g.as_ref().map_or(0, |g| g.rules.iter().filter(|r| r.direction == d).count()));
    let tab = move |d: Direction, label: &'static str, testid: &'static str| {
        let selected = move || direction.get() == d;
        view! {
            <button
                type="button"
                role="tab"
                class=move || if selected() { "direction-tabs__tab direction-tabs__tab--selected" } else { "direction-tabs__tab" }
                aria-selected=move || if selected() { "true" } else { "false" }
                data-testid=testid
                on:click=move |_| app.selection.update(|s| s.direction = d)
            >
                {label} <span class="direction-tabs__count">{move || count(d)}</span>
            </button>
        }
    };

    // The engine's warnings and advice about this group (and its rules).
    let notices = Memo::new(move |_| {
        let Some(w) = world_index.get() else { return Vec::new() };
        let prefix = format!("security_groups[{w}]");
        app.scenario.with(|s| {
            s.as_ref().map(|s| s.notices.iter().filter(|p| below(&p.path, &prefix).is_some()).cloned().collect()).unwrap_or_default()
        })
    });

    view! {
        <div class="group-detail" data-testid="group-detail">
            {header}
            {kind_fields}
            {move || renaming.get().then(|| view! { <RenameForm gid renaming message/> })}
            {move || message.get().map(|(error, text)| view! {
                <p class=if error { "groups__message groups__message--error" } else { "groups__message" } role="alert" data-testid="group-message">
                    <span>{text}</span>
                    <button type="button" class="groups__dismiss" aria-label="Dismiss" on:click=move |_| message.set(None)>"×"</button>
                </p>
            })}
            <div class="direction-tabs" role="tablist" aria-label="Rule direction">
                {tab(Direction::Ingress, "Inbound rules", "direction-ingress")}
                {tab(Direction::Egress, "Outbound rules", "direction-egress")}
            </div>
            <RulesTable gid group world_index direction/>
            {move || {
                let list = notices.get();
                (!list.is_empty()).then(|| view! {
                    <ul class="group-notices" data-testid="group-notices" aria-label="Advice from the engine">
                        {list.into_iter().map(|p| {
                            let kind = format!("{:?}", p.severity).to_lowercase();
                            let class = format!("group-notices__item group-notices__item--{kind}");
                            view! { <li class=class><span class="group-notices__kind">{kind}</span> {sentence(&p)}</li> }
                        }).collect_view()}
                    </ul>
                })
            }}
        </div>
    }
}

/// Name and description of the group.
#[component]
fn RenameForm(gid: StoredValue<String>, renaming: RwSignal<bool>, message: RwSignal<Option<(bool, String)>>) -> impl IntoView {
    let app = use_app();
    let current =
        app.doc.with_untracked(|d| gid.with_value(|id| d.security_groups.iter().find(|g| &g.id == id).cloned())).unwrap_or_default();
    let name = RwSignal::new(current.name.clone());
    let description = RwSignal::new(current.description.clone());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (new_name, new_description) = (name.get_untracked().trim().to_string(), description.get_untracked());
        let label = format!("rename security group {} to {new_name}", current.name);
        let result = app.edit(&label, |doc| {
            if let Some(g) = gid.with_value(|id| doc.security_groups.iter_mut().find(|g| &g.id == id)) {
                g.name = new_name.clone();
                g.description = new_description.clone();
            }
        });
        match result {
            Ok(()) => renaming.set(false),
            Err(problems) => message.set(Some((true, problems.first().map(sentence).unwrap_or_default()))),
        }
    };
    view! {
        <form class="rename-form" on:submit=save on:keydown=move |ev| if ev.key() == "Escape" { renaming.set(false) }>
            <label class="rename-form__field">
                <span class="field__label">"Name"</span>
                <input class="field__input" data-testid="group-name-input" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            </label>
            <label class="rename-form__field rename-form__field--wide">
                <span class="field__label">"Description"</span>
                <input class="field__input" data-testid="group-description-input" prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))/>
            </label>
            <div class="rename-form__buttons">
                <button type="submit" class="button button--small" data-testid="group-name-save">"Save"</button>
                <button type="button" class="button button--small button--quiet" data-testid="group-name-cancel" on:click=move |_| renaming.set(false)>"Cancel"</button>
            </div>
        </form>
    }
}
