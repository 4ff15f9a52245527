//! The scenario's own checks as a menu: picking one fills the form and evaluates it. Each option
//! says what the scenario's author expects, so the user can compare it with the verdict.

use crate::probe::ProbeForm;
use leptos::prelude::*;
use sgplay_core::spec::CheckSpec;

#[component]
pub fn CheckPicker(checks: Vec<CheckSpec>, #[prop(into)] on_pick: Callback<ProbeForm>) -> impl IntoView {
    if checks.is_empty() {
        return None;
    }
    let forms: Vec<ProbeForm> = checks.iter().map(|c| ProbeForm::from_spec(&c.packet)).collect();
    let pick = move |index: String| {
        if let Some(form) = index.parse::<usize>().ok().and_then(|i| forms.get(i)) {
            on_pick.run(form.clone());
        }
    };
    let prompt = format!("Pick one of this scenario's {} checks…", checks.len());
    Some(view! {
        <label class="check-picker">
            <span class="field__label">"Scenario checks"</span>
            <select class="field__input check-picker__select" data-testid="check-picker"
                on:change:target=move |ev| pick(ev.target().value())>
                <option value="" selected>{prompt}</option>
                {checks
                    .into_iter()
                    .enumerate()
                    .map(|(i, check)| {
                        let expect = check.expect.to_lowercase();
                        view! {
                            <option value=i.to_string() data-expect=expect.clone()>
                                {format!("{} (expect {expect})", check.name)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    })
}
