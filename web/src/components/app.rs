//! The page: a header, the packet tester (checks menu, form, trace) and the scenario it runs against.

use super::{CheckPicker, PacketForm, PlaceOption, TraceView, WorldSummary};
use crate::probe::{self, ProbeForm};
use crate::sample;
use leptos::prelude::*;
use reactive_stores::Store;
use sgplay_core::spec::{Problem, Scenario};

/// The whole page, opened on the embedded sample scenario.
#[component]
pub fn App() -> impl IntoView {
    let body = match sample::scenario() {
        Ok(scenario) => view! { <Playground scenario/> }.into_any(),
        Err(problems) => view! { <ScenarioProblems problems/> }.into_any(),
    };
    view! {
        <header class="masthead">
            <h1 class="masthead__title">"sgplay"</h1>
            <p class="masthead__tagline">"Will this packet get through a security group, and why?"</p>
        </header>
        <main class="page">{body}</main>
    }
}

/// The tester beside the scenario. The form edits `draft`; "Evaluate" copies it to `submitted`,
/// and the outcome is derived from `submitted` alone.
#[component]
fn Playground(scenario: Scenario) -> impl IntoView {
    let Scenario { name, description, world, checks, .. } = scenario;
    let places = PlaceOption::from_world(&world);
    let draft = Store::new(sample::probe());
    let submitted = RwSignal::new(sample::probe());
    let world = StoredValue::new(world);
    let outcome = Memo::new(move |_| world.with_value(|w| probe::evaluate(w, &submitted.read())));
    let pick = move |form: ProbeForm| {
        draft.set(form.clone());
        submitted.set(form);
    };

    view! {
        <section class="panel tester" aria-labelledby="tester-title">
            <h2 id="tester-title" class="panel__title">"Send a packet"</h2>
            <CheckPicker checks on_pick=pick/>
            <PacketForm draft places on_evaluate=move || submitted.set(draft.get())/>
            <TraceView outcome/>
        </section>
        <section class="panel scenario" aria-labelledby="scenario-title" data-testid="scenario">
            <h2 id="scenario-title" class="panel__title">{name}</h2>
            <p class="scenario__description">{description}</p>
            <WorldSummary world/>
        </section>
    }
}

/// Shown instead of the playground if the embedded scenario does not validate (a build mistake).
#[component]
fn ScenarioProblems(problems: Vec<Problem>) -> impl IntoView {
    view! {
        <section class="panel problems">
            <h2 class="panel__title">"The sample scenario does not load"</h2>
            <ul>{problems.iter().map(|p| view! { <li>{p.to_string()}</li> }).collect_view()}</ul>
        </section>
    }
}
