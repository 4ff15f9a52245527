//! The simulated clock and its controls: +1 s, +30 s, +10 min or any duration, and the timeout
//! profile. Moving the clock is not editing the scenario, so it works in read-only embeds too.

use super::clock::{clock_label, parse_advance, profile_label, profile_summary};
use crate::state::use_app;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use sgplay_core::conntrack::Profile;

#[component]
pub fn ClockBar() -> impl IntoView {
    let app = use_app();
    let now = Memo::new(move |_| app.sim.with(|s| s.now()));
    let profile = Memo::new(move |_| app.sim.with(|s| s.profile()));
    let custom = RwSignal::new(String::from("90"));
    let custom_error = RwSignal::new(None::<String>);
    let advance_custom = move |ev: SubmitEvent| {
        ev.prevent_default();
        match parse_advance(&custom.get_untracked()) {
            Ok(secs) => {
                custom_error.set(None);
                app.advance(secs);
            }
            Err(message) => custom_error.set(Some(message)),
        }
    };
    let pick_profile = move |value: String| {
        if let Ok(p) = Profile::parse(&value) {
            if p != profile.get_untracked() {
                app.set_profile(p);
            }
        }
    };
    let step = move |secs: u64, label: &'static str, testid: &'static str| {
        view! {
            <button class="button button--small button--quiet connections__button" type="button" data-testid=testid on:click=move |_| app.advance(secs)>{label}</button>
        }
    };
    view! {
        <div class="connections__clock-bar">
            <span class="connections__clock" data-testid="clock" aria-live="polite" title="The simulated clock: it moves only when you advance it">
                {move || clock_label(now.get())}
            </span>
            <div class="connections__advance" role="group" aria-label="Advance the clock">
                {step(1, "+1 s", "advance-1")}
                {step(30, "+30 s", "advance-30")}
                {step(600, "+10 min", "advance-600")}
                <form class="connections__custom" on:submit=advance_custom novalidate>
                    <input class="connections__input" data-testid="advance-seconds" aria-label="Advance by (seconds, or with a unit: 10m, 2h, 1d)"
                        autocomplete="off" spellcheck="false" placeholder="seconds"
                        class:connections__input--invalid=move || custom_error.with(Option::is_some)
                        prop:value=move || custom.get()
                        on:input:target=move |ev| {
                            custom.set(ev.target().value());
                            custom_error.set(None);
                        }/>
                    <button class="button button--small button--quiet connections__button" type="submit" data-testid="advance-custom">"Advance"</button>
                </form>
            </div>
        </div>
        <p class="connections__error" role="alert" data-testid="advance-error" class:connections__error--empty=move || custom_error.with(Option::is_none)>
            {move || custom_error.get()}
        </p>
        <div class="connections__profile-bar">
            <label class="connections__profile">
                <span class="connections__label">"Timeouts"</span>
                <select class="connections__input" data-testid="profile" on:change:target=move |ev| pick_profile(ev.target().value())>
                    {Profile::ALL.map(|p| view! {
                        <option value=p.name() prop:selected=move || profile.get() == p>{profile_label(p)}</option>
                    }).collect_view()}
                </select>
            </label>
            <p class="connections__profile-note" data-testid="profile-note">
                {move || profile_summary(profile.get())}
                ". Switching profile restarts the simulation: connections, clock and log start afresh."
            </p>
        </div>
    }
}
