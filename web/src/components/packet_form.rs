//! The packet form: from, to, protocol and port, each bound to a field of the draft probe;
//! "Evaluate" submits it.

use crate::probe::{uses_ports, ProbeForm, ProbeFormStoreFields, PROTOCOLS};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use reactive_stores::Store;
use sgplay_core::model::World;

/// A suggestion for the from/to fields: an instance id or one of its addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaceOption {
    pub value: String,
    pub label: String,
}

impl PlaceOption {
    /// Every instance by id, then each of its addresses (private, virtual, EIP).
    pub fn from_world(world: &World) -> Vec<PlaceOption> {
        let ids = world.instances.iter().map(|i| PlaceOption { value: i.id.clone(), label: i.display_name().to_string() });
        let addresses = world.instances.iter().flat_map(|i| {
            let private = i.private_ips.iter().map(|a| (a, "private IP"));
            let virtuals = i.virtual_ips.iter().map(|a| (a, "virtual IP"));
            let eip = i.eip.iter().map(|a| (a, "EIP"));
            private.chain(virtuals).chain(eip).map(move |(addr, kind)| PlaceOption {
                value: addr.to_string(),
                label: format!("{} {kind}", i.display_name()),
            })
        });
        ids.chain(addresses).collect()
    }
}

#[component]
pub fn PacketForm(
    draft: Store<ProbeForm>,
    places: Vec<PlaceOption>,
    #[prop(into)] on_evaluate: Callback<()>,
) -> impl IntoView {
    let no_port = move || !uses_ports(&draft.protocol().read());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        on_evaluate.run(());
    };

    view! {
        <form class="packet-form" on:submit=submit>
            <datalist id="places">
                {places.into_iter().map(|p| view! { <option value=p.value>{p.label}</option> }).collect_view()}
            </datalist>
            <label class="field">
                <span class="field__label">"From"</span>
                <input class="field__input" data-testid="probe-from" list="places" autocomplete="off"
                    spellcheck="false" placeholder="instance id or IP" bind:value=draft.from()/>
            </label>
            <label class="field">
                <span class="field__label">"To"</span>
                <input class="field__input" data-testid="probe-to" list="places" autocomplete="off"
                    spellcheck="false" placeholder="instance id or IP" bind:value=draft.to()/>
            </label>
            <label class="field">
                <span class="field__label">"Protocol"</span>
                <select class="field__input" data-testid="probe-protocol" bind:value=draft.protocol()>
                    {PROTOCOLS.map(|p| view! { <option value=p>{p}</option> }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span class="field__label">"Port"</span>
                <input class="field__input" data-testid="probe-port" type="number" min="1" max="65535"
                    prop:disabled=no_port placeholder=move || if no_port() { "none" } else { "1-65535" }
                    bind:value=draft.port()/>
            </label>
            <button class="button" type="submit" data-testid="evaluate">"Evaluate"</button>
        </form>
    }
}
