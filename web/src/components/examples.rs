//! The scenario's own checks as one-click examples: each fills the form and evaluates it, and
//! says what the scenario's author expects, so the user can compare with the verdict.

use crate::probe::ProbeForm;
use leptos::prelude::*;
use sgplay_core::spec::CheckSpec;

#[component]
pub fn Examples(checks: Vec<CheckSpec>, #[prop(into)] on_pick: Callback<ProbeForm>) -> impl IntoView {
    (!checks.is_empty()).then(|| {
        view! {
            <div class="examples">
                <span class="examples__label">"Try"</span>
                {checks
                    .into_iter()
                    .map(|check| {
                        let form = ProbeForm::from_spec(&check.packet);
                        let expect = check.expect.to_lowercase();
                        view! {
                            <button type="button" class="example" data-testid="example"
                                title=format!("expected: {expect}")
                                on:click=move |_| on_pick.run(form.clone())>
                                <span class=format!("example__expect example__expect--{expect}")></span>
                                {check.name}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        }
    })
}
