//! An instance's security groups in sequence (1 is consulted first; under Alibaba Cloud their
//! rules are sorted together, which the hint says): associate, dissociate, reorder by drag and
//! drop or with the up/down buttons. Each change is one undoable edit,
//! applied at once; more than five groups brings the engine's advice.

use super::draft::move_item;
use crate::components::groups::icons::{icon, Icon};
use crate::components::groups::paths::{below, sentence};
use crate::state::use_app;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A change to an instance's group list.
type ListChange = Box<dyn FnOnce(&mut Vec<String>)>;

#[component]
pub fn GroupSequence(instance_id: String) -> impl IntoView {
    let app = use_app();
    let iid = StoredValue::new(instance_id);
    // Huawei consults the groups in sequence; Alibaba aggregates their rules.
    let sequenced = move || app.cloud_profile().sequences_groups();
    let index = Memo::new(move |_| app.doc.with(|d| iid.with_value(|id| d.instances.iter().position(|i| &i.id == id))));
    let list = Memo::new(move |_| {
        let i = index.get();
        app.doc.with(|d| i.and_then(|i| d.instances.get(i)).map(|i| i.security_groups.clone()).unwrap_or_default())
    });
    let names = Memo::new(move |_| {
        app.doc.with(|d| {
            d.security_groups
                .iter()
                .map(|g| (g.id.clone(), if g.name.is_empty() { g.id.clone() } else { g.name.clone() }))
                .collect::<Vec<_>>()
        })
    });
    let name_of = move |gid: &str| {
        names.with_untracked(|n| n.iter().find(|(id, _)| id == gid).map_or_else(|| gid.to_string(), |(_, name)| name.clone()))
    };
    let instance_name = move || {
        app.doc
            .with_untracked(|d| {
                iid.with_value(|id| {
                    d.instances.iter().find(|i| &i.id == id).map(|i| if i.name.is_empty() { i.id.clone() } else { i.name.clone() })
                })
            })
            .unwrap_or_default()
    };
    let message = RwSignal::new(None::<String>);
    let dragging = RwSignal::new(None::<usize>);
    let over = RwSignal::new(None::<usize>);

    let change = move |label: String, f: ListChange| {
        let result = app.edit(&label, |doc| {
            if let Some(inst) = iid.with_value(|id| doc.instances.iter_mut().find(|i| &i.id == id)) {
                f(&mut inst.security_groups);
            }
        });
        match result {
            Ok(()) => message.set(None),
            Err(p) => message.set(Some(p.first().map(sentence).unwrap_or_else(|| "the change could not be made".into()))),
        }
    };
    // Keeps keyboard focus on the moved group's button after the list is redrawn.
    let refocus = |testid: String, fallback: String| {
        request_animation_frame(move || {
            for id in [testid, fallback] {
                let found = document().query_selector(&crate::components::testid_selector(&id)).ok().flatten();
                if let Some(el) = found.and_then(|e| e.dyn_into::<web_sys::HtmlButtonElement>().ok()) {
                    if !el.disabled() {
                        let _ = el.focus();
                        return;
                    }
                }
            }
        });
    };
    let move_to = move |from: usize, to: usize| {
        let Some(gid) = list.with_untracked(|l| l.get(from).cloned()) else { return };
        let word = if to < from { "up" } else { "down" };
        let label = format!("move {} {word} in {}'s security groups", name_of(&gid), instance_name());
        change(label, Box::new(move |l| move_item(l, from, to)));
    };

    let items = move || {
        let groups = list.get();
        let last = groups.len().saturating_sub(1);
        groups
            .into_iter()
            .enumerate()
            .map(|(n, gid)| {
                let name = name_of(&gid);
                let (up_id, down_id) = (format!("move-up-{gid}"), format!("move-down-{gid}"));
                let up = {
                    let (a, b) = (up_id.clone(), down_id.clone());
                    move |_| {
                        if n > 0 {
                            move_to(n, n - 1);
                            refocus(a.clone(), b.clone());
                        }
                    }
                };
                let down = {
                    let (a, b) = (down_id.clone(), up_id.clone());
                    move |_| {
                        if n < last {
                            move_to(n, n + 1);
                            refocus(a.clone(), b.clone());
                        }
                    }
                };
                let dissociate = {
                    let (gid, name) = (gid.clone(), name.clone());
                    move |_| {
                        let label = format!("dissociate {name} from {}", instance_name());
                        let gone = gid.clone();
                        change(label, Box::new(move |l| l.retain(|g| *g != gone)));
                    }
                };
                let class = move || {
                    let mut c = "sequence-editor__item".to_string();
                    if dragging.get() == Some(n) {
                        c.push_str(" sequence-editor__item--dragging");
                    }
                    if over.get() == Some(n) && dragging.get().is_some_and(|d| d != n) {
                        c.push_str(" sequence-editor__item--over");
                    }
                    c
                };
                let drag_gid = gid.clone();
                view! {
                    <li
                        class=class
                        draggable="true"
                        data-testid=format!("sequence-item-{gid}")
                        on:dragstart=move |ev: web_sys::DragEvent| {
                            dragging.set(Some(n));
                            if let Some(dt) = ev.data_transfer() {
                                let _ = dt.set_data("text/plain", &drag_gid);
                                dt.set_effect_allowed("move");
                            }
                        }
                        on:dragover=move |ev: web_sys::DragEvent| {
                            ev.prevent_default();
                            over.set(Some(n));
                        }
                        on:drop=move |ev: web_sys::DragEvent| {
                            ev.prevent_default();
                            if let Some(from) = dragging.get_untracked() {
                                if from != n {
                                    move_to(from, n);
                                }
                            }
                            dragging.set(None);
                            over.set(None);
                        }
                        on:dragend=move |_| {
                            dragging.set(None);
                            over.set(None);
                        }
                    >
                        <span class="sequence-editor__handle" aria-hidden="true" title="Drag to reorder">"⠿"</span>
                        <span class="sequence__n" title=format!("sequence {}: consulted {}", n + 1, if n == 0 { "first".to_string() } else { format!("after {} other group{}", n, if n == 1 { "" } else { "s" }) })>{n + 1}</span>
                        <span class="sequence-editor__name">{name.clone()}</span>
                        <code class="sequence-editor__id">{gid.clone()}</code>
                        <span class="sequence-editor__buttons">
                            <button type="button" class="icon-button" aria-label=format!("move {name} up") title="Move up" data-testid=up_id disabled=n == 0 on:click=up>{icon(Icon::Up)}</button>
                            <button type="button" class="icon-button" aria-label=format!("move {name} down") title="Move down" data-testid=down_id disabled=n == last on:click=down>{icon(Icon::Down)}</button>
                            <button type="button" class="icon-button icon-button--danger" aria-label=format!("dissociate {name}") title="Dissociate" data-testid=format!("dissociate-{gid}") on:click=dissociate>{icon(Icon::Remove)}</button>
                        </span>
                    </li>
                }
            })
            .collect_view()
    };

    let choice = RwSignal::new(String::new());
    let candidates = Memo::new(move |_| {
        let current = list.get();
        names.get().into_iter().filter(|(id, _)| !current.contains(id)).collect::<Vec<_>>()
    });
    let associate = move |_| {
        let picked = choice.get_untracked();
        let gid = if picked.is_empty() { candidates.with_untracked(|c| c.first().map(|(id, _)| id.clone())) } else { Some(picked) };
        let Some(gid) = gid else { return };
        let label = format!("associate {} with {}", name_of(&gid), instance_name());
        change(
            label,
            Box::new(move |l| {
                if !l.contains(&gid) {
                    l.push(gid);
                }
            }),
        );
        choice.set(String::new());
    };
    let advice = Memo::new(move |_| {
        let Some(i) = index.get() else { return Vec::new() };
        let prefix = format!("instances[{i}].security_groups");
        app.scenario.with(|s| {
            s.as_ref().map(|s| s.notices.iter().filter(|p| below(&p.path, &prefix).is_some()).map(sentence).collect()).unwrap_or_default()
        })
    });

    view! {
        <div class="sequence-editor">
            <h3 class="instance-form__title">{move || if sequenced() { "Security groups, in sequence" } else { "Security groups" }}</h3>
            <p class="sequence-editor__hint" data-testid="group-sequence-hint">
                {move || if sequenced() {
                    "Group 1 is consulted first; the first group with a matching rule decides. Changes apply at once (Undo reverts them)."
                } else {
                    "Alibaba Cloud sorts the rules of all these groups together (priority 1 first, Drop before Accept): their order here does not change a verdict. Changes apply at once (Undo reverts them)."
                }}
            </p>
            <ol class="sequence-editor__list" data-testid="group-sequence">{items}</ol>
            {move || list.with(Vec::is_empty).then(|| view! {
                <p class="sequence-editor__empty">"No group: the engine associates the " <code>"default"</code> " group."</p>
            })}
            {move || (!candidates.with(Vec::is_empty)).then(|| view! {
                <div class="sequence-editor__associate">
                    <select class="field__input" aria-label="Security group to associate" data-testid="associate-group"
                        on:change=move |ev| choice.set(event_target_value(&ev))>
                        {candidates.get().into_iter().map(|(id, name)| {
                            let mine = id.clone();
                            view! { <option value=id prop:selected=move || choice.get() == mine>{name}</option> }
                        }).collect_view()}
                    </select>
                    <button type="button" class="button button--small button--quiet" data-testid="associate" on:click=associate>"Associate"</button>
                </div>
            })}
            {move || {
                let list = advice.get();
                (!list.is_empty()).then(|| view! {
                    <ul class="group-notices" data-testid="instance-advice">
                        {list.into_iter().map(|m| view! { <li class="group-notices__item group-notices__item--advice"><span class="group-notices__kind">"advice"</span> {m}</li> }).collect_view()}
                    </ul>
                })
            }}
            {move || message.get().map(|m| view! { <p class="groups__message groups__message--error" role="alert">{m}</p> })}
        </div>
    }
}
