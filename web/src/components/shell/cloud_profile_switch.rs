//! Whose security groups the scenario models: the toolbar's cloud switch (Huawei Cloud /
//! Alibaba Cloud) and the badge beside the scenario's name. A switch is an ordinary edit
//! (`AppState::set_cloud_profile`): validated, undoable, and the engine rebuilds the world
//! under the new profile's order and defaults; nothing here matches a packet. Not the
//! connection timeouts menu of the connections panel.

use crate::state::{use_app, NoticeKind};
use leptos::prelude::*;
use sgplay_core::profile::CloudProfile;

/// The labelled select of the toolbar.
#[component]
pub fn CloudProfileSwitch() -> impl IntoView {
    let app = use_app();
    let current = Memo::new(move |_| app.cloud_profile());
    let pick = move |select: web_sys::HtmlSelectElement| {
        let Ok(to) = CloudProfile::parse(&select.value()) else { return };
        if to == current.get_untracked() {
            return;
        }
        match app.set_cloud_profile(to) {
            Ok(switched) if switched.removed_group_settings > 0 => app.notify(
                NoticeKind::Info,
                format!(
                    "Switched to {}: the groups' types and inner access policies ({}) were removed, since Huawei Cloud has neither. Undo brings them back.",
                    to.label(),
                    switched.removed_group_settings
                ),
            ),
            Ok(_) => {}
            Err(problems) => {
                // The document stays as it was: so does the select.
                select.set_value(current.get_untracked().name());
                let first = problems.first().map(ToString::to_string).unwrap_or_default();
                app.notify(NoticeKind::Error, format!("The scenario cannot switch to {}: {first}", to.label()));
            }
        }
    };
    view! {
        <label class="toolbar__profile" title="Whose security group semantics the rules follow: the order of an instance's groups, their default rules, the words">
            <span class="toolbar__profile-label">"Cloud"</span>
            <select
                class="toolbar__select"
                data-testid="cloud-profile"
                disabled=app.read_only()
                on:change:target=move |ev| pick(ev.target())
            >
                {CloudProfile::ALL.map(|p| view! {
                    <option value=p.name() prop:selected=move || current.get() == p>{p.label()}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

/// "Huawei Cloud" or "Alibaba Cloud", beside the scenario's name.
#[component]
pub fn CloudProfileBadge() -> impl IntoView {
    let app = use_app();
    let current = Memo::new(move |_| app.cloud_profile());
    view! {
        <span
            class=move || format!("profile-badge profile-badge--{}", current.get().name())
            data-testid="cloud-profile-badge"
            title="The cloud whose security groups this scenario models (switch it in the toolbar)"
        >
            {move || current.get().label()}
        </span>
    }
}
