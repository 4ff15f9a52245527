//! The scenario's own checks as a menu: picking one fills the form. The menu shows the check the
//! form holds, and what the scenario's author expects of it, to compare with the verdict.

use super::summary::{expectation, matching_check};
use crate::state::use_app;
use leptos::prelude::*;
use sgplay_core::scenario::CheckSpec;

#[component]
pub fn CheckMenu(#[prop(into)] on_pick: Callback<()>) -> impl IntoView {
    let app = use_app();
    // The checks as written (the form takes their packets as the document describes them).
    let checks = Memo::new(move |_| app.doc.with(|d| d.checks.clone()));
    let held = Memo::new(move |_| {
        checks.with(|all| app.probe.with(|p| matching_check(all, p).map(|(i, c)| (i, expectation(c, app.cloud_profile())))))
    });
    let pick = move |value: String| {
        let Some(check) = value.parse::<usize>().ok().and_then(|i| checks.with_untracked(|all| all.get(i).cloned())) else { return };
        app.probe.set(check.packet);
        on_pick.run(());
    };
    let option = move |(i, check): (usize, CheckSpec)| {
        let expect = check.expect.trim().to_lowercase();
        view! {
            <option value=i.to_string() prop:selected=move || held.with(|h| h.as_ref().is_some_and(|(j, _)| *j == i))>
                {format!("{} ({expect})", check.name)}
            </option>
        }
    };
    view! {
        <Show when=move || checks.with(|c| !c.is_empty())>
            <div class="tester__checks">
                <label class="tester__label" for="check-picker">"Scenario checks"</label>
                <select class="tester__input tester__checks-select" id="check-picker" data-testid="check-picker"
                    on:change:target=move |ev| pick(ev.target().value())>
                    <option value="" prop:selected=move || held.with(Option::is_none)>
                        {move || format!("Pick one of this scenario's {} checks to fill the form…", checks.with(Vec::len))}
                    </option>
                    {move || checks.get().into_iter().enumerate().map(option).collect_view()}
                </select>
                <p class="tester__expect" data-testid="check-expect">
                    {move || held.get().map(|(_, e)| format!("This is a check of the scenario: {e}."))}
                </p>
            </div>
        </Show>
    }
}
