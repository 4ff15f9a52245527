//! The security groups panel, laid out like the Huawei console: the group list, then the
//! selected group's inbound or outbound rules with the console's columns and each rule's
//! position in evaluation order, a row editor validated by the engine as the user types, the
//! engine's advice for the group, and the IP address groups.
//!
//! - [`draft`], [`rows`], [`ops`], [`paths`], [`alibaba_kind`]: plain data and functions with
//!   native tests (the editor's cells, the table's rows, document changes, problem paths, an
//!   Alibaba group's type and inner access policy).
//! - `group_list`, `group_detail`, `rules_table`, `rule_editor`, `kind_fields`,
//!   `address_groups`: thin views. Labels speak the cloud profile's words
//!   (`CloudProfile::action_word` and its siblings in `sgplay-core`).
//!
//! Every change goes through `AppState::edit`, so it is validated, undoable and seen by the
//! simulator; nothing here decides what a rule matches.

pub mod alibaba_kind;
pub mod draft;
pub mod icons;
pub mod ops;
pub mod paths;
pub mod rows;

mod address_groups;
mod group_detail;
mod group_list;
mod kind_fields;
mod rule_editor;
mod rules_table;

use crate::state::{use_app, AppState};
use address_groups::AddressGroups;
use group_detail::GroupDetail;
use group_list::GroupList;
use leptos::prelude::*;
use rows::{current_step, CurrentStep};

/// Set while a rule draft is open, so following the tester does not switch groups under it.
#[derive(Clone, Copy)]
pub(crate) struct DraftOpen(pub RwSignal<bool>);

/// Focuses the element with `testid` once the view has redrawn (after an editor closes).
pub(crate) fn focus_later(testid: String) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let found = document().query_selector(&crate::components::testid_selector(&testid)).ok().flatten();
        if let Some(el) = found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
}

#[component]
pub fn GroupsPanel() -> impl IntoView {
    let app = use_app();
    let draft_open = DraftOpen(RwSignal::new(false));
    provide_context(draft_open);
    follow_the_tester(app, draft_open);
    // The group on show: the selected one if it exists, else the first.
    let shown = Memo::new(move |_| {
        let wanted = app.selection.with(|s| s.group_id.clone());
        app.scenario.with(|s| {
            let world = &s.as_ref().ok()?.world;
            wanted.filter(|id| world.group(id).is_some()).or_else(|| world.security_groups.first().map(|g| g.id.clone()))
        })
    });
    let invalid = move || {
        app.scenario.with(|s| {
            s.as_ref().err().map(|problems| {
                let first = problems.first().map(paths::sentence).unwrap_or_default();
                view! { <p class="groups__invalid" role="alert">"The scenario does not validate: " {first}</p> }
            })
        })
    };
    view! {
        <section class="panel groups" data-testid="groups-panel" aria-labelledby="groups-title">
            <h2 class="panel__title" id="groups-title" tabindex="-1">"Security groups"</h2>
            {invalid}
            <GroupList shown/>
            {move || match shown.get() {
                Some(group_id) => view! { <GroupDetail group_id/> }.into_any(),
                None => view! { <p class="groups__empty">"No security groups yet. Create one to start writing rules."</p> }.into_any(),
            }}
            <AddressGroups/>
        </section>
    }
}

/// When the tester's current step enters a group, show that group and direction, so the row
/// the step is about is on screen.
fn follow_the_tester(app: AppState, draft_open: DraftOpen) {
    Effect::new(move |previous: Option<Option<CurrentStep>>| {
        let cursor = app.cursor.get();
        let current = app.sent.with(|s| s.as_ref().and_then(|s| current_step(s, cursor)));
        if current != previous.flatten() && !draft_open.0.get_untracked() {
            if let Some(c) = &current {
                let differs = app.selection.with_untracked(|s| s.group_id.as_deref() != Some(&c.group_id) || s.direction != c.direction);
                if differs {
                    app.selection.update(|s| {
                        s.group_id = Some(c.group_id.clone());
                        s.direction = c.direction;
                    });
                }
            }
        }
        current
    });
}
