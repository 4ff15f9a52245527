//! The source or destination of the packet: a menu of the instances (by name, with their
//! addresses), or any address typed in, with the world's addresses suggested.

use super::packet_form::FieldMessage;
use super::probe_fields::{endpoint_choice, Choice, ADDRESS};
use crate::state::use_app;
use leptos::prelude::*;
use sgplay_core::scenario::ProbeSpec;

/// Which end of the packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    From,
    To,
}

impl End {
    /// The `ProbeSpec` field, as the engine's problems name it.
    pub fn field(self) -> &'static str {
        match self {
            End::From => "from",
            End::To => "to",
        }
    }

    fn label(self) -> &'static str {
        match self {
            End::From => "From",
            End::To => "To",
        }
    }

    fn get(self, probe: &ProbeSpec) -> &str {
        match self {
            End::From => &probe.from,
            End::To => &probe.to,
        }
    }

    fn set(self, probe: &mut ProbeSpec, value: String) {
        match self {
            End::From => probe.from = value,
            End::To => probe.to = value,
        }
    }
}

#[component]
pub fn EndpointField(
    end: End,
    #[prop(into)] instances: Signal<Vec<Choice>>,
    /// The id of the `<datalist>` of known addresses.
    addresses_list: String,
    #[prop(into)] message: Signal<Option<String>>,
    #[prop(into)] on_edit: Callback<()>,
) -> impl IntoView {
    let app = use_app();
    let field = end.field();
    // The address last typed here, brought back when the user returns to "another address".
    let typed = StoredValue::new(String::new());
    let choice = Memo::new(move |_| {
        app.scenario.with(|s| {
            app.probe.with(|p| match s {
                Ok(s) => endpoint_choice(&s.world, end.get(p)),
                Err(_) => ADDRESS.to_string(),
            })
        })
    });
    let is_address = move || choice.with(|c| c == ADDRESS);
    let pick = move |value: String| {
        let next = if value == ADDRESS { typed.get_value() } else { value };
        app.probe.update(|p| end.set(p, next));
        on_edit.run(());
    };
    let type_address = move |value: String| {
        typed.set_value(value.clone());
        app.probe.update(|p| end.set(p, value));
        on_edit.run(());
    };
    // The select shows the choice by its value, set once per change: not a reactive `selected`
    // on each of a large estate's thousand options, all re-run by every change of the packet.
    let select = NodeRef::<leptos::html::Select>::new();
    Effect::new(move |_| {
        instances.track();
        let value = choice.get();
        if let Some(select) = select.get() {
            select.set_value(&value);
        }
    });
    let select_id = format!("probe-{field}");
    let address_id = format!("probe-{field}-address");
    view! {
        <div class="tester__field tester__field--endpoint" class:tester__field--invalid=move || message.with(Option::is_some)>
            <label class="tester__label" for=select_id.clone()>{end.label()}</label>
            <div class="tester__endpoint">
                <select class="tester__input" id=select_id data-testid=format!("probe-{field}") node_ref=select
                    on:change:target=move |ev| pick(ev.target().value())>
                    {move || instances.get().into_iter().map(|c| view! { <option value=c.value>{c.label}</option> }).collect_view()}
                    <option value=ADDRESS>"Another address…"</option>
                </select>
                <Show when=is_address>
                    <input class="tester__input tester__input--address" id=address_id.clone() data-testid=address_id.clone()
                        aria-label=format!("{} address", end.label()) list=addresses_list.clone() autocomplete="off" spellcheck="false"
                        placeholder="IP address, e.g. 203.0.113.10"
                        prop:value=move || app.probe.with(|p| end.get(p).to_string())
                        on:input:target=move |ev| type_address(ev.target().value())/>
                </Show>
            </div>
            <FieldMessage message/>
        </div>
    }
}
