//! The inline row editor: one input per cell, checked by the engine (`check_rule`) as the user
//! types, each problem shown at its cell, Save disabled while there are errors. Comma-separated
//! source addresses become one rule each on Save, as in the console.

use super::draft::{self, messages_for, Cell, RemoteKind, RuleDraft, PROTOCOL_CHOICES};
use super::ops::{self, Place};
use super::rows::Origin;
use super::rules_table::{Editing, Target};
use crate::state::use_app;
use leptos::html;
use leptos::prelude::*;
use sgplay_core::eval::side::remote_label;
use sgplay_core::model::{Action, Direction, SecurityGroup};
use sgplay_core::scenario::Problem;

#[component]
pub fn RuleEditor(
    gid: StoredValue<String>,
    target: Target,
    draft: RwSignal<RuleDraft>,
    editing: RwSignal<Option<Editing>>,
    status: RwSignal<Option<String>>,
    group: Memo<Option<SecurityGroup>>,
    origins: Memo<Vec<Origin>>,
) -> impl IntoView {
    let app = use_app();
    let replaced = match target {
        Target::Modify(o) => Some(o),
        _ => None,
    };
    let index = app.doc.with_untracked(|d| gid.with_value(|id| ops::check_index(d, id, replaced)));
    let check = Memo::new(move |_| {
        let spec = draft.with(RuleDraft::to_spec);
        app.doc.with(|d| gid.with_value(|id| d.check_rule(id, index, &spec)))
    });
    // Problems `AppState::edit` reported on Save (the whole scenario's view), until the next keystroke.
    let save_problems = RwSignal::new(Vec::<Problem>::new());
    let problems = Memo::new(move |_| {
        let mut all = check.with(|c| c.as_ref().err().cloned().unwrap_or_default());
        all.extend(save_problems.get());
        all
    });
    let touch = move || save_problems.set(Vec::new());
    let can_save = move || check.with(Result::is_ok) && draft.with(|d| d.incomplete().is_none()) && save_problems.with(Vec::is_empty);
    // Back to the button that opened the editor, for keyboard users.
    let opener = match (target, editing.with_untracked(|e| e.as_ref().and_then(|e| e.anchor.clone()))) {
        (Target::Add, _) | (_, None) => "add-rule".to_string(),
        (Target::Modify(_), Some(id)) => format!("rule-edit-{id}"),
        (Target::Duplicate(_), Some(id)) => format!("rule-duplicate-{id}"),
    };
    let opener = StoredValue::new(opener);
    let close = move || {
        editing.set(None);
        super::focus_later(opener.get_value());
    };
    let cancel = close;

    let save = move || {
        if !can_save() {
            return;
        }
        let spec = draft.with_untracked(RuleDraft::to_spec);
        // Ids of the group's rules other than the one being replaced (all its sources).
        let taken: Vec<String> = group.with_untracked(|g| {
            origins.with_untracked(|o| {
                g.iter()
                    .flat_map(|g| g.rules.iter().enumerate())
                    .filter(|(i, _)| match (replaced, o.get(*i)) {
                        (Some(Origin::Spec { index, .. }), Some(Origin::Spec { index: j, .. })) => index != *j,
                        (Some(r), Some(mine)) => r != *mine,
                        _ => true,
                    })
                    .map(|(_, r)| r.id.clone())
                    .collect()
            })
        });
        let specs = draft::split_sources(&spec, |id| taken.iter().any(|t| t == id));
        let ids: Vec<String> = specs.iter().filter_map(|s| s.id.clone()).collect();
        let name = group.with_untracked(|g| g.as_ref().map(|g| g.name.clone()).unwrap_or_default());
        let (label, place) = match target {
            Target::Modify(o) => (format!("modify rule {} of {name}", ids.first().cloned().unwrap_or_default()), Place::Replace(o)),
            Target::Duplicate(o) => (format!("duplicate a rule of {name} as {}", ids.join(", ")), Place::After(o)),
            Target::Add => (format!("add rule {} to {name}", ids.join(", ")), Place::End),
        };
        let n = specs.len();
        let mut placed = false;
        let result = app.edit(&label, |doc| placed = gid.with_value(|g| ops::put_rules(doc, g, place, specs)));
        match result {
            Ok(()) if placed => {
                let text = if n > 1 {
                    format!("{n} sources → {n} rules ({}), one per address, as in the console.", ids.join(", "))
                } else {
                    format!("Saved rule {}.", ids.join(", "))
                };
                status.set(Some(text));
                close();
            }
            Ok(()) => save_problems.set(vec![Problem::error("", "", "", "", "the rule is no longer in the group; cancel and start again")]),
            Err(p) if p.is_empty() => save_problems.set(vec![Problem::error("", "", "", "", "this view is read-only")]),
            Err(p) => save_problems.set(p),
        }
    };

    let has = move |cell: Cell| problems.with(|p| !messages_for(p, cell).is_empty());
    let error = move |cell: Cell, testid: String, dom_id: &'static str| {
        view! {
            <p
                id=dom_id
                class=move || if has(cell) { "cell-error cell-error--shown" } else { "cell-error" }
                data-testid=testid
                aria-live="polite"
            >
                {move || problems.with(|p| messages_for(p, cell).join(" · "))}
            </p>
        }
    };
    let invalid = move |cell: Cell| move || if has(cell) { "true" } else { "false" };

    let first = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = first.get() {
            let _ = input.focus();
        }
    });

    let direction = draft.with_untracked(|d| d.direction);
    let title = match (target, direction) {
        (Target::Modify(_), _) => "Modify rule",
        (Target::Duplicate(_), _) => "Duplicate rule",
        (Target::Add, Direction::Ingress) => "Add inbound rule",
        (Target::Add, Direction::Egress) => "Add outbound rule",
    };
    // The cloud profile's words for the labels and choices (the values stay the document's).
    let words = app.cloud_profile_untracked();
    let remote_word = words.remote_heading(direction);

    // What the rule will be, in the engine's words, or how many rules the sources make.
    let preview = move || {
        check.with(|c| match c {
            Ok(rules) if rules.len() > 1 => format!("{} sources → {} rules, one per address, as in the console.", rules.len(), rules.len()),
            Ok(rules) => rules
                .first()
                .map(|r| {
                    let remote = app.scenario.with(|s| s.as_ref().map(|s| remote_label(&s.world, r)).unwrap_or_default());
                    let verb = words.action_verb(r.action);
                    let side = if r.direction == Direction::Ingress { "from" } else { "to" };
                    format!("{} {verb} {} {side} {remote} at priority {}.", r.id, words.protocol_and_port(r), r.priority)
                })
                .unwrap_or_default(),
            Err(_) => String::new(),
        })
    };
    let remote_options = move || {
        let kind = draft.with(|d| d.remote_kind);
        let v6 = draft.with(|d| d.ethertype == "IPv6");
        app.doc.with(|d| match kind {
            RemoteKind::Ip => vec![(if v6 { "::/0" } else { "0.0.0.0/0" }.to_string(), "any address".to_string())],
            RemoteKind::Group => d.security_groups.iter().map(|g| (g.id.clone(), g.name.clone())).collect(),
            RemoteKind::AddressGroup => d.address_groups.iter().map(|g| (g.id.clone(), g.name.clone())).collect(),
        })
    };
    let remote_placeholder = move || match draft.with(|d| d.remote_kind) {
        RemoteKind::Ip => "empty = any; or 10.0.0.0/24, 10.1.0.5",
        RemoteKind::Group => "security group id",
        RemoteKind::AddressGroup => "IP address group id",
    };

    view! {
        <form
            class="rule-editor"
            aria-label=title
            on:submit=move |ev| {
                ev.prevent_default();
                save();
            }
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    cancel();
                }
            }
        >
            <div class="rule-editor__title">
                <strong>{title}</strong>
                <code>{move || draft.with(|d| d.id.clone())}</code>
            </div>
            <div class="rule-editor__grid">
                <div class="rule-editor__field rule-editor__field--priority">
                    <label class="field__label" for="rule-editor-priority">"Priority"</label>
                    <input
                        id="rule-editor-priority"
                        class="field__input"
                        inputmode="numeric"
                        title="1-100, 1 is evaluated first"
                        data-testid="cell-priority"
                        node_ref=first
                        aria-invalid=invalid(Cell::Priority)
                        aria-describedby="rule-editor-error-priority"
                        prop:value=move || draft.with(|d| d.priority.clone())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            draft.update(|d| d.priority = v);
                            touch();
                        }
                    />
                    {error(Cell::Priority, "cell-error-priority".into(), "rule-editor-error-priority")}
                </div>
                <div class="rule-editor__field">
                    <label class="field__label" for="rule-editor-action">{words.action_heading()}</label>
                    <select
                        id="rule-editor-action"
                        class="field__input"
                        data-testid="cell-action"
                        aria-invalid=invalid(Cell::Action)
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            draft.update(|d| d.action = v);
                            touch();
                        }
                    >
                        <option value="allow" prop:selected=move || draft.with(|d| d.action == "allow")>{words.action_word(Action::Allow)}</option>
                        <option value="deny" prop:selected=move || draft.with(|d| d.action == "deny")>{words.action_word(Action::Deny)}</option>
                    </select>
                    {error(Cell::Action, "cell-error-action".into(), "rule-editor-error-action")}
                </div>
                <div class="rule-editor__field">
                    <label class="field__label" for="rule-editor-ethertype">"Type"</label>
                    <select
                        id="rule-editor-ethertype"
                        class="field__input"
                        data-testid="cell-ethertype"
                        aria-invalid=invalid(Cell::Ethertype)
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            draft.update(|d| d.set_ethertype(&v));
                            touch();
                        }
                    >
                        <option value="IPv4" prop:selected=move || draft.with(|d| d.ethertype == "IPv4")>"IPv4"</option>
                        <option value="IPv6" prop:selected=move || draft.with(|d| d.ethertype == "IPv6")>"IPv6"</option>
                    </select>
                    {error(Cell::Ethertype, "cell-error-ethertype".into(), "rule-editor-error-ethertype")}
                </div>
                <div class="rule-editor__field">
                    <label class="field__label" for="rule-editor-protocol">"Protocol"</label>
                    <div class="rule-editor__pair">
                        <select
                            id="rule-editor-protocol"
                            class="field__input"
                            data-testid="cell-protocol"
                            aria-invalid=invalid(Cell::Protocol)
                            aria-describedby="rule-editor-error-protocol"
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                draft.update(|d| d.protocol = v);
                                touch();
                            }
                        >
                            {PROTOCOL_CHOICES
                                .into_iter()
                                .map(|(value, label)| view! { <option value=value prop:selected=move || draft.with(|d| d.protocol == value)>{label}</option> })
                                .collect_view()}
                        </select>
                        {move || (draft.with(|d| d.protocol == "number")).then(|| view! {
                            <input
                                class="field__input rule-editor__number"
                                inputmode="numeric"
                                aria-label="IP protocol number"
                                placeholder="0-255"
                                data-testid="cell-protocol-number"
                                prop:value=move || draft.with(|d| d.protocol_number.clone())
                                on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    draft.update(|d| d.protocol_number = v);
                                    touch();
                                }
                            />
                        })}
                    </div>
                    <p id="rule-editor-error-protocol" class=move || if has(Cell::Protocol) || draft.with(|d| d.incomplete().is_some()) { "cell-error cell-error--shown" } else { "cell-error" } data-testid="cell-error-protocol" aria-live="polite">
                        {move || {
                            let mut text = problems.with(|p| messages_for(p, Cell::Protocol));
                            text.extend(draft.with(|d| d.incomplete().map(str::to_string)));
                            text.join(" · ")
                        }}
                    </p>
                </div>
                <div class="rule-editor__field">
                    <label class="field__label" for="rule-editor-port">"Port"</label>
                    <input
                        id="rule-editor-port"
                        class="field__input"
                        placeholder="all, or 22, 22-30, 22,25"
                        data-testid="cell-port"
                        aria-invalid=invalid(Cell::Port)
                        aria-describedby="rule-editor-error-port"
                        prop:value=move || draft.with(|d| d.port.clone())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            draft.update(|d| d.port = v);
                            touch();
                        }
                    />
                    {error(Cell::Port, "cell-error-multiport".into(), "rule-editor-error-port")}
                </div>
                <div class="rule-editor__field rule-editor__field--remote">
                    <label class="field__label" for="rule-editor-remote">{remote_word}</label>
                    <div class="rule-editor__pair">
                        <select
                            class="field__input rule-editor__kind"
                            aria-label=format!("{remote_word} kind")
                            data-testid="cell-remote-kind"
                            on:change=move |ev| {
                                let kind = RemoteKind::parse(&event_target_value(&ev));
                                draft.update(|d| {
                                    if d.remote_kind != kind {
                                        d.remote_kind = kind;
                                        d.remote.clear();
                                    }
                                });
                                touch();
                            }
                        >
                            {RemoteKind::ALL
                                .into_iter()
                                .map(|k| view! { <option value=k.key() prop:selected=move || draft.with(|d| d.remote_kind == k)>{k.label()}</option> })
                                .collect_view()}
                        </select>
                        <input
                            id="rule-editor-remote"
                            class="field__input"
                            list="rule-editor-remotes"
                            placeholder=remote_placeholder
                            data-testid="cell-remote"
                            aria-invalid=invalid(Cell::Remote)
                            aria-describedby="rule-editor-error-remote"
                            prop:value=move || draft.with(|d| d.remote.clone())
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                draft.update(|d| d.remote = v);
                                touch();
                            }
                        />
                        <datalist id="rule-editor-remotes">
                            {move || remote_options().into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                        </datalist>
                    </div>
                    {move || {
                        let field = draft.with(|d| d.remote_kind.field());
                        error(Cell::Remote, format!("cell-error-{field}"), "rule-editor-error-remote")
                    }}
                </div>
                <div class="rule-editor__field rule-editor__field--description">
                    <label class="field__label" for="rule-editor-description">"Description"</label>
                    <input
                        id="rule-editor-description"
                        class="field__input field__input--text"
                        data-testid="cell-description"
                        aria-invalid=invalid(Cell::Description)
                        aria-describedby="rule-editor-error-description"
                        prop:value=move || draft.with(|d| d.description.clone())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            draft.update(|d| d.description = v);
                            touch();
                        }
                    />
                    {error(Cell::Description, "cell-error-description".into(), "rule-editor-error-description")}
                </div>
            </div>
            {error(Cell::Other, "cell-error-other".into(), "rule-editor-error-other")}
            <div class="rule-editor__footer">
                <p class="rule-editor__preview" data-testid="rule-preview" aria-live="polite">{preview}</p>
                <div class="rule-editor__buttons">
                    <button type="submit" class="button button--small" data-testid="save-rule" disabled=move || !can_save()>"Save"</button>
                    <button type="button" class="button button--small button--quiet" data-testid="cancel-rule" on:click=move |_| cancel()>"Cancel"</button>
                </div>
            </div>
        </form>
    }
}
