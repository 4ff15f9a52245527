//! The group card's Alibaba Cloud settings: the group's type (basic or enterprise) and a basic
//! group's internal access policy, each a labelled select that edits the document
//! ([`super::alibaba_kind`]); shown under the Alibaba profile only, as read-only text in the
//! embed view. What the engine refuses is shown like any other problem of the card.

use super::alibaba_kind;
use super::paths::sentence;
use crate::state::use_app;
use leptos::prelude::*;
use sgplay_core::profile::GroupKind;

/// The value of the Type select for `kind`.
fn type_value(kind: GroupKind) -> &'static str {
    if kind.is_enterprise() {
        "enterprise"
    } else {
        "basic"
    }
}

/// The value of the Inner access policy select for `kind`.
fn policy_value(kind: GroupKind) -> &'static str {
    if kind == GroupKind::Basic {
        "Accept"
    } else {
        "Drop"
    }
}

#[component]
pub fn KindFields(
    gid: StoredValue<String>,
    /// The built group's kind.
    kind: Memo<GroupKind>,
    /// Is the group written in the document (not the engine's `default`)?
    #[prop(into)]
    in_doc: Signal<bool>,
    message: RwSignal<Option<(bool, String)>>,
) -> impl IntoView {
    let app = use_app();
    let editable = move || !app.read_only() && in_doc.get();
    // On a refusal the document, and so the kind, stay as they were: the select is put back.
    let apply = move |select: web_sys::HtmlSelectElement, to: GroupKind, shown: fn(GroupKind) -> &'static str| {
        if to == kind.get_untracked() {
            return;
        }
        let name = app.doc.with_untracked(|d| gid.with_value(|id| d.security_groups.iter().find(|g| &g.id == id).map(|g| g.name.clone())));
        let label = alibaba_kind::label(&name.unwrap_or_else(|| gid.get_value()), to);
        let result = app.edit(&label, |doc| {
            if let Some(g) = gid.with_value(|id| doc.security_groups.iter_mut().find(|g| &g.id == id)) {
                alibaba_kind::write(g, to);
            }
        });
        match result {
            Ok(()) => message.set(None),
            Err(problems) => {
                select.set_value(shown(kind.get_untracked()));
                message.set(Some((true, problems.first().map(sentence).unwrap_or_default())));
            }
        }
    };
    let enterprise = move || kind.get().is_enterprise();
    let isolated = move || kind.get() != GroupKind::Basic;
    let fields = view! {
        <label class="group-kind__field">
            <span class="field__label">"Type"</span>
            <select
                class="field__input group-kind__select"
                data-testid="group-type"
                disabled=move || !editable()
                on:change:target=move |ev| {
                    let enterprise = ev.target().value() == "enterprise";
                    apply(ev.target(), alibaba_kind::compose(enterprise, isolated()), type_value)
                }
            >
                <option value="basic" prop:selected=move || !enterprise()>"Basic"</option>
                <option value="enterprise" prop:selected=enterprise>"Enterprise"</option>
            </select>
        </label>
        <label class="group-kind__field" title="Do members of the group reach each other? An enterprise group always isolates them">
            <span class="field__label">"Inner access policy"</span>
            <select
                class="field__input group-kind__select"
                data-testid="group-inner-access-policy"
                disabled=move || !editable() || enterprise()
                on:change:target=move |ev| {
                    let isolated = ev.target().value() == "Drop";
                    apply(ev.target(), alibaba_kind::compose(false, isolated), policy_value)
                }
            >
                <option value="Accept" prop:selected=move || !isolated()>"Accept (members reach each other)"</option>
                <option value="Drop" prop:selected=isolated>"Drop (members isolated)"</option>
            </select>
        </label>
    };
    view! {
        <div class="group-kind" role="group" aria-label="Alibaba Cloud group settings" data-testid="group-kind">
            {fields}
        </div>
    }
}
