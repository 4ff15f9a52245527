//! The instance form: create (id, name, addresses, subnet, first group) or edit an instance's
//! name and addresses. Checked by the engine on every keystroke (a scratch copy of the scenario
//! with the draft), each problem shown at its field; Save disabled while there are errors.

use super::draft::{self, DraftProblems, InstanceDraft};
use crate::state::use_app;
use leptos::prelude::*;

#[component]
pub fn InstanceForm(existing: Option<String>, open: WriteSignal<Option<String>>, creating: RwSignal<bool>) -> impl IntoView {
    let app = use_app();
    let is_new = existing.is_none();
    let start = app.doc.with_untracked(|d| match &existing {
        Some(id) => d.instances.iter().find(|i| &i.id == id).map(InstanceDraft::from_spec).unwrap_or_default(),
        None => draft::new_instance(d),
    });
    let original_name = start.name.clone();
    let draft = RwSignal::new(start);
    let existing = StoredValue::new(existing);
    let save_problems = RwSignal::new(None::<DraftProblems>);
    let index = move || app.doc.with(|d| existing.with_value(|e| e.as_ref().and_then(|id| d.instances.iter().position(|i| &i.id == id))));
    let check = Memo::new(move |_| {
        let i = index();
        draft.with(|dr| app.doc.with(|d| draft::check(d, i, dr)))
    });
    let problems = Memo::new(move |_| save_problems.get().unwrap_or_else(|| check.get()));
    let close = move || {
        if is_new {
            creating.set(false);
        } else {
            open.set(None);
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !problems.with(DraftProblems::is_empty) {
            return;
        }
        let d = draft.get_untracked();
        let i = index();
        let result = match i {
            Some(i) => app.edit(&format!("edit instance {original_name}"), |doc| {
                if let Some(spec) = doc.instances.get_mut(i) {
                    d.apply(spec);
                }
            }),
            None => app.edit(&format!("create instance {}", d.name), |doc| doc.instances.push(d.to_new_spec())),
        };
        match result {
            Ok(()) => {
                if i.is_none() {
                    app.selection.update(|s| s.instance_id = Some(d.id.clone()));
                }
                close();
            }
            Err(p) => {
                let at = i.unwrap_or_else(|| app.doc.with_untracked(|doc| doc.instances.len()));
                save_problems.set(Some(DraftProblems::from_problems(&p, at)));
            }
        }
    };

    let field = move |key: &'static str,
                      label: &'static str,
                      placeholder: &'static str,
                      get: fn(&InstanceDraft) -> String,
                      set: fn(&mut InstanceDraft, String)| {
        let dom_id = format!("instance-form-{key}");
        let error_id = format!("instance-form-error-{key}");
        let has = move || problems.with(|p| !p.field(key).is_empty());
        view! {
            <div class="instance-form__field">
                <label class="field__label" for=dom_id.clone()>{label}</label>
                <input
                    id=dom_id
                    class="field__input"
                    placeholder=placeholder
                    data-testid=format!("instance-{key}")
                    aria-invalid=move || if has() { "true" } else { "false" }
                    aria-describedby=error_id.clone()
                    prop:value=move || draft.with(get)
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        draft.update(|d| set(d, v));
                        save_problems.set(None);
                    }
                />
                <p id=error_id class=move || if has() { "cell-error cell-error--shown" } else { "cell-error" } data-testid=format!("instance-error-{key}") aria-live="polite">
                    {move || problems.with(|p| p.field(key).join(" · "))}
                </p>
            </div>
        }
    };
    let subnets = app.doc.with_untracked(|d| {
        d.vpcs
            .iter()
            .flat_map(|v| {
                v.subnets
                    .iter()
                    .map(move |s| (s.id.clone(), format!("{} ({}, {})", if s.name.is_empty() { &s.id } else { &s.name }, s.cidr, v.id)))
            })
            .collect::<Vec<_>>()
    });
    let groups = app.doc.with_untracked(|d| {
        d.security_groups.iter().map(|g| (g.id.clone(), if g.name.is_empty() { g.id.clone() } else { g.name.clone() })).collect::<Vec<_>>()
    });

    view! {
        <form class="instance-form" aria-label=if is_new { "New instance" } else { "Instance addresses" } on:submit=save
            on:keydown=move |ev| if ev.key() == "Escape" { close() }>
            <h3 class="instance-form__title">{if is_new { "New instance" } else { "Name and addresses" }}</h3>
            <div class="instance-form__grid">
                {is_new.then(|| field("id", "ID", "ecs-1", |d| d.id.clone(), |d, v| d.id = v))}
                {field("name", "Name", "ECS-1", |d| d.name.clone(), |d, v| d.name = v)}
                {field("ip", "Private IPv4", "192.168.0.10", |d| d.ip.clone(), |d, v| d.ip = v)}
                {field("ipv6", "IPv6", "optional", |d| d.ipv6.clone(), |d, v| d.ipv6 = v)}
                {field("virtual_ips", "Virtual IPs", "optional, comma-separated", |d| d.virtual_ips.clone(), |d, v| d.virtual_ips = v)}
                {field("eip", "EIP", "optional", |d| d.eip.clone(), |d, v| d.eip = v)}
                <div class="instance-form__field">
                    <label class="field__label" for="instance-form-subnet">"Subnet"</label>
                    <select id="instance-form-subnet" class="field__input" data-testid="instance-subnet"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            draft.update(|d| d.subnet_id = v);
                            save_problems.set(None);
                        }>
                        <option value="" prop:selected=move || draft.with(|d| d.subnet_id.is_empty())>"(none)"</option>
                        {subnets.into_iter().map(|(id, label)| {
                            let mine = id.clone();
                            view! { <option value=id prop:selected=move || draft.with(|d| d.subnet_id == mine)>{label}</option> }
                        }).collect_view()}
                    </select>
                    <p class=move || if problems.with(|p| !p.field("subnet_id").is_empty()) { "cell-error cell-error--shown" } else { "cell-error" } data-testid="instance-error-subnet_id" aria-live="polite">
                        {move || problems.with(|p| p.field("subnet_id").join(" · "))}
                    </p>
                </div>
                {is_new.then(|| view! {
                    <div class="instance-form__field">
                        <label class="field__label" for="instance-form-group">"Security group"</label>
                        <select id="instance-form-group" class="field__input" data-testid="instance-group"
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                draft.update(|d| d.groups = if v.is_empty() { Vec::new() } else { vec![v] });
                                save_problems.set(None);
                            }>
                            <option value="" selected>"(none: the engine adds default)"</option>
                            {groups.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                        </select>
                    </div>
                })}
            </div>
            <ul class="instance-form__errors" data-testid="instance-error-other" aria-live="polite">
                {move || problems.with(|p| {
                    p.field("other").into_iter().chain(p.elsewhere.iter().cloned()).map(|m| view! { <li>{m}</li> }).collect_view()
                })}
            </ul>
            <div class="rule-editor__buttons">
                <button type="submit" class="button button--small" data-testid="instance-save" disabled=move || !problems.with(DraftProblems::is_empty)>
                    {if is_new { "Create" } else { "Save" }}
                </button>
                <button type="button" class="button button--small button--quiet" data-testid="instance-cancel" on:click=move |_| close()>
                    {if is_new { "Cancel" } else { "Close" }}
                </button>
            </div>
        </form>
    }
}
