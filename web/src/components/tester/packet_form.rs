//! The packet form: source, destination, protocol and what the protocol uses (ports, ICMP type
//! and code, TCP flags), "new connection", the scenario's checks, and Evaluate. Every input
//! writes `AppState::probe`; the engine's problems come back at the field they name. A number
//! cell that does not read keeps the user's text and says why, and the packet is not sent.

use super::check_menu::CheckMenu;
use super::endpoint_field::{End, EndpointField};
use super::probe_fields::{self as fields, Choice, Inputs, Stash, CUSTOM, FLAG_SETS, NUMBER, PROTOCOLS};
use crate::state::use_app;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use sgplay_core::scenario::{ProbeSpec, Problem};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A number cell's text that did not read, and the value the probe held then: the message
/// shows while the probe still holds that value (a check picked since replaces the text).
#[derive(Clone, Debug, PartialEq, Eq)]
struct CellError {
    field: &'static str,
    message: String,
    under: Option<u32>,
}

/// One number input of the probe.
#[derive(Clone, Copy)]
struct NumberCell {
    field: &'static str,
    label: &'static str,
    /// "a port", for the message.
    what: &'static str,
    max: u32,
    placeholder: &'static str,
    get: fn(&ProbeSpec) -> Option<u32>,
    set: fn(&mut ProbeSpec, Option<u32>),
    /// Is the cell on the form for a protocol using `Inputs`?
    shown: fn(Inputs) -> bool,
}

const PORT: NumberCell = NumberCell {
    field: "port",
    label: "Port",
    what: "a port",
    max: 65535,
    placeholder: "1-65535",
    get: |p| p.port.map(u32::from),
    set: |p, v| p.port = v.and_then(|v| u16::try_from(v).ok()),
    shown: |uses| uses.ports,
};

const SOURCE_PORT: NumberCell = NumberCell {
    field: "src_port",
    label: "Source port",
    what: "a port",
    max: 65535,
    placeholder: "auto",
    get: |p| p.src_port.map(u32::from),
    set: |p, v| p.src_port = v.and_then(|v| u16::try_from(v).ok()),
    shown: |uses| uses.ports,
};

const ICMP_TYPE: NumberCell = NumberCell {
    field: "icmp_type",
    label: "ICMP type",
    what: "an ICMP type",
    max: 255,
    placeholder: "echo request",
    get: |p| p.icmp_type.map(u32::from),
    set: |p, v| p.icmp_type = v.and_then(|v| u8::try_from(v).ok()),
    shown: |uses| uses.icmp,
};

const ICMP_CODE: NumberCell = NumberCell {
    field: "icmp_code",
    label: "Code",
    what: "an ICMP code",
    max: 255,
    placeholder: "0",
    get: |p| p.icmp_code.map(u32::from),
    set: |p, v| p.icmp_code = v.and_then(|v| u8::try_from(v).ok()),
    shown: |uses| uses.icmp,
};

/// A unique id for the addresses `<datalist>` of each mounted form.
fn datalist_id() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!("tester-addresses-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The message under a field, or an empty line kept for it (no jump when one appears).
#[component]
pub fn FieldMessage(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="tester__message" role="alert" data-testid="field-problem" class:tester__message--empty=move || message.with(Option::is_none)>
            {move || message.get()}
        </p>
    }
}

#[component]
pub fn PacketForm(problems: RwSignal<Vec<Problem>>, #[prop(into)] on_send: Callback<()>) -> impl IntoView {
    let app = use_app();
    let cell_errors = RwSignal::new(Vec::<CellError>::new());
    let stash = StoredValue::new(Stash::default());
    // The protocol number and custom flags last typed, brought back by their menu entries.
    let typed_number = StoredValue::new(String::from("50"));
    let typed_flags = StoredValue::new(String::from("rst,ack"));
    let addresses_list = datalist_id();
    // The known addresses fill their list when the form is first used, not as the page opens:
    // a large estate's are a thousand elements no one sees until they type an address.
    let lists_wanted = RwSignal::new(false);

    let world_choices = Memo::new(move |_| {
        app.scenario.with(|s| match s {
            Ok(s) => (fields::instance_choices(&s.world), fields::address_choices(&s.world)),
            Err(_) => (Vec::new(), Vec::new()),
        })
    });
    let instances = Signal::derive(move || world_choices.with(|(i, _)| i.clone()));
    let uses = Memo::new(move |_| app.probe.with(|p| fields::inputs(&p.protocol)));

    // The live cell errors: those whose cell is on the form and still shows the text that failed.
    let live_errors = Memo::new(move |_| {
        let errors = cell_errors.get();
        let shown = uses.get();
        app.probe.with(|p| {
            errors
                .into_iter()
                .filter(|e| cell_by_field(e.field).is_some_and(|c| (c.shown)(shown) && (c.get)(p) == e.under))
                .collect::<Vec<_>>()
        })
    });
    // The message at a field: its unreadable text first, then the engine's problems.
    let message = move |field: &'static str| {
        Signal::derive(move || {
            if let Some(e) = live_errors.with(|all| all.iter().find(|e| e.field == field).map(|e| e.message.clone())) {
                return Some(e);
            }
            let texts: Vec<String> = problems.with(|all| all.iter().filter(|p| p.field == field).map(fields::problem_text).collect());
            (!texts.is_empty()).then(|| texts.join("; "))
        })
    };
    // Editing a field retires the engine's complaints about it.
    let edited = move |field: &'static str| problems.update(|all| all.retain(|p| p.field != field));
    let on_edit = move |field: &'static str| Callback::new(move |()| edited(field));

    let set_protocol = move |text: String| {
        let next = app.probe.with_untracked(|p| stash.try_update_value(|s| fields::switch_protocol(p, s, &text)));
        if let Some(next) = next {
            // A cell leaving the form takes its unread text with it.
            let uses = fields::inputs(&next.protocol);
            cell_errors.update(|all| all.retain(|e| cell_by_field(e.field).is_some_and(|c| (c.shown)(uses))));
            app.probe.set(next);
        }
        for f in ["protocol", "port", "src_port", "flags", "icmp_type", "icmp_code"] {
            edited(f);
        }
    };
    let pick_protocol = move |value: String| {
        if value == NUMBER {
            set_protocol(typed_number.get_value());
        } else {
            set_protocol(value);
        }
    };
    let pick_flags = move |value: String| {
        let flags = match value.as_str() {
            "syn" => None,
            v if v == CUSTOM => Some(typed_flags.get_value()),
            v => Some(v.to_string()),
        };
        app.probe.update(|p| p.flags = flags);
        edited("flags");
    };
    let protocol_choice = Memo::new(move |_| app.probe.with(|p| fields::protocol_choice(&p.protocol)));
    let flags_choice = Memo::new(move |_| app.probe.with(|p| fields::flags_choice(p.flags.as_deref())));
    let show_family = Memo::new(move |_| {
        let applies = app.scenario.with(|s| s.as_ref().is_ok_and(|s| app.probe.with(|p| fields::family_applies(&s.world, p))));
        applies || app.probe.with(|p| p.family.is_some()) || problems.with(|all| all.iter().any(|p| p.field == "family"))
    });

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if live_errors.with_untracked(Vec::is_empty) {
            on_send.run(());
        }
    };
    let unplaced = move || problems.with(|all| fields::unplaced(all).into_iter().map(fields::problem_text).collect::<Vec<_>>());

    let cell = move |c: NumberCell| {
        let input = move |text: String| match fields::parse_number(&text, c.what, c.max) {
            Ok(v) => {
                cell_errors.update(|all| all.retain(|e| e.field != c.field));
                app.probe.update(|p| (c.set)(p, v));
                edited(c.field);
            }
            Err(message) => {
                let under = app.probe.with_untracked(|p| (c.get)(p));
                cell_errors.update(|all| {
                    all.retain(|e| e.field != c.field);
                    all.push(CellError { field: c.field, message, under });
                });
            }
        };
        let id = format!("probe-{}", c.field.replace('_', "-"));
        let msg = message(c.field);
        view! {
            <div class=format!("tester__field tester__field--{}", c.field.replace('_', "-")) class:tester__field--invalid=move || msg.with(Option::is_some)>
                <label class="tester__label" for=id.clone()>{c.label}</label>
                <input class="tester__input" id=id.clone() data-testid=id type="text" inputmode="numeric" autocomplete="off"
                    placeholder=c.placeholder
                    prop:value=move || app.probe.with(|p| (c.get)(p).map(|v| v.to_string()).unwrap_or_default())
                    on:input:target=move |ev| input(ev.target().value())/>
                <FieldMessage message=msg/>
            </div>
        }
    };

    let protocol_message = message("protocol");
    let flags_message = message("flags");
    let family_message = message("family");
    view! {
        <form class="tester__form" on:submit=submit on:focusin=move |_| if !lists_wanted.get_untracked() { lists_wanted.set(true) } novalidate>
            <CheckMenu on_pick=Callback::new(move |()| {
                problems.set(Vec::new());
                cell_errors.set(Vec::new());
            })/>
            <datalist id=addresses_list.clone()>
                {move || lists_wanted.get().then(|| {
                    world_choices.with(|(_, a)| a.clone()).into_iter().map(|Choice { value, label }| view! { <option value=value>{label}</option> }).collect_view()
                })}
            </datalist>
            <div class="tester__row tester__row--ends">
                <EndpointField end=End::From instances addresses_list=addresses_list.clone() message=message("from") on_edit=on_edit("from")/>
                <span class="tester__arrow" aria-hidden="true">"→"</span>
                <EndpointField end=End::To instances addresses_list message=message("to") on_edit=on_edit("to")/>
            </div>
            <div class="tester__row">
                <div class="tester__field tester__field--protocol" class:tester__field--invalid=move || protocol_message.with(Option::is_some)>
                    <label class="tester__label" for="probe-protocol">"Protocol"</label>
                    <div class="tester__pair">
                        <select class="tester__input" id="probe-protocol" data-testid="probe-protocol"
                            on:change:target=move |ev| pick_protocol(ev.target().value())>
                            {PROTOCOLS.map(|p| view! { <option value=p prop:selected=move || protocol_choice.get() == p>{p}</option> }).collect_view()}
                            <option value=NUMBER prop:selected=move || protocol_choice.get() == NUMBER>"number…"</option>
                        </select>
                        <Show when=move || protocol_choice.get() == NUMBER>
                            <input class="tester__input tester__input--short" data-testid="probe-protocol-number" aria-label="Protocol number"
                                type="text" inputmode="numeric" autocomplete="off" placeholder="0-255"
                                prop:value=move || app.probe.with(|p| p.protocol.clone())
                                on:input:target=move |ev| {
                                    let text = ev.target().value();
                                    typed_number.set_value(text.clone());
                                    set_protocol(text);
                                }/>
                        </Show>
                    </div>
                    <FieldMessage message=protocol_message/>
                </div>
                <Show when=move || uses.get().ports>{move || view! { {cell(PORT)} {cell(SOURCE_PORT)} }}</Show>
                <Show when=move || uses.get().icmp>{move || view! { {cell(ICMP_TYPE)} {cell(ICMP_CODE)} }}</Show>
                <Show when=move || uses.get().flags>
                    <div class="tester__field tester__field--flags" class:tester__field--invalid=move || flags_message.with(Option::is_some)>
                        <label class="tester__label" for="probe-flags">"TCP flags"</label>
                        <div class="tester__pair">
                            <select class="tester__input" id="probe-flags" data-testid="probe-flags"
                                on:change:target=move |ev| pick_flags(ev.target().value())>
                                {FLAG_SETS.map(|f| view! { <option value=f prop:selected=move || flags_choice.get() == f>{f}</option> }).collect_view()}
                                <option value=CUSTOM prop:selected=move || flags_choice.get() == CUSTOM>"custom…"</option>
                            </select>
                            <Show when=move || flags_choice.get() == CUSTOM>
                                <input class="tester__input tester__input--short" data-testid="probe-flags-custom" aria-label="Custom TCP flags"
                                    autocomplete="off" spellcheck="false" placeholder="e.g. psh,ack"
                                    prop:value=move || app.probe.with(|p| p.flags.clone().unwrap_or_default())
                                    on:input:target=move |ev| {
                                        let text = ev.target().value();
                                        typed_flags.set_value(text.clone());
                                        app.probe.update(|p| p.flags = Some(text));
                                        edited("flags");
                                    }/>
                            </Show>
                        </div>
                        <FieldMessage message=flags_message/>
                    </div>
                </Show>
                <Show when=move || show_family.get()>
                    <div class="tester__field tester__field--family" class:tester__field--invalid=move || family_message.with(Option::is_some)>
                        <label class="tester__label" for="probe-family">"Family"</label>
                        <select class="tester__input" id="probe-family" data-testid="probe-family"
                            on:change:target=move |ev| {
                                let v = ev.target().value();
                                app.probe.update(|p| p.family = (!v.is_empty()).then_some(v));
                                edited("family");
                            }>
                            {[("", "auto"), ("IPv4", "IPv4"), ("IPv6", "IPv6")].map(|(value, label)| view! {
                                <option value=value prop:selected=move || app.probe.with(|p| p.family.as_deref().unwrap_or("") == value)>{label}</option>
                            }).collect_view()}
                        </select>
                        <FieldMessage message=family_message/>
                    </div>
                </Show>
            </div>
            <div class="tester__row tester__row--send">
                <label class="tester__check">
                    <input type="checkbox" data-testid="new-connection"
                        prop:checked=move || app.new_connection.get()
                        on:change:target=move |ev| app.new_connection.set(ev.target().checked())/>
                    <span>
                        "New connection"
                        <span class="tester__hint">
                            {move || if app.probe.with(|p| p.src_port.is_some() && fields::inputs(&p.protocol).ports) {
                                "the source port is fixed, so packets share one connection"
                            } else if app.new_connection.get() {
                                "each send uses a fresh source port, so the rules decide"
                            } else {
                                "sends reuse one source port, so an existing entry can decide"
                            }}
                        </span>
                    </span>
                </label>
                <button class="button tester__send" type="submit" data-testid="send">"Evaluate"</button>
            </div>
            <Show when=move || !unplaced().is_empty()>
                <ul class="tester__problems" role="alert" data-testid="probe-problems">
                    {move || unplaced().into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                </ul>
            </Show>
        </form>
    }
}

fn cell_by_field(field: &str) -> Option<NumberCell> {
    [PORT, SOURCE_PORT, ICMP_TYPE, ICMP_CODE].into_iter().find(|c| c.field == field)
}
