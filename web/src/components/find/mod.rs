//! "Find a packet": a question (from a set of sources, to a set of instances, a protocol, ports,
//! allowed or denied) answered by the engine's exact search (`analysis::find`) with an example
//! packet, one click from the tester, or the proof that none exists. The search is the engine's;
//! the form only reads the fields (`QuestionText::parse`, which names every wrong one at once).
//! On a small world it runs at once; on a large estate in the worker, with progress and Cancel.
//!
//! - [`model`]: defaults, suggestions and the answer's sentences (pure, native tests);
//! - this file: the panel.

pub mod model;

use crate::components::groups::focus_later;
use crate::components::shell::JobStatus;
use crate::components::tester::FieldMessage;
use crate::state::{use_app, AUTO_ANALYSIS_LIMIT};
use crate::worker::lane::Lane;
use crate::worker::protocol::{Job, Outcome};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use model::{choices, default_question, describe, field_key};
use sgplay_core::analysis::find::{find, Answer, QuestionField, QuestionText};
use sgplay_core::{Matcher, Verdict};

/// What the panel shows under the form: the answer, and the verdict that was asked for.
type Shown = (Result<Answer, String>, Verdict);

#[component]
pub fn FindPanel() -> impl IntoView {
    let app = use_app();
    let question = RwSignal::new(app.scenario.with_untracked(|s| default_question(s.as_ref().ok().map(|s| &s.world))));
    let problems = RwSignal::new(Vec::<(QuestionField, String)>::new());
    let shown = RwSignal::new(None::<Shown>);
    let lane = Lane::new();
    // Another scenario: a question about the old one's names would not parse; start afresh.
    let name = Memo::new(move |_| app.doc.with(|d| d.name.clone()));
    Effect::new(move |previous: Option<String>| {
        let now = name.get();
        if previous.is_some_and(|p| p != now) {
            question.set(app.scenario.with_untracked(|s| default_question(s.as_ref().ok().map(|s| &s.world))));
            problems.set(Vec::new());
        }
        now
    });
    // Any edit makes an answer stale: it is withdrawn rather than shown for a world that is gone.
    Effect::new(move |_| {
        app.scenario.with(|_| ());
        shown.set(None);
    });
    lane.on_done(move |outcome, _| {
        if let Outcome::Found { answer } = outcome {
            shown.set(Some((answer.clone(), question.get_untracked().verdict)));
        }
    });

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let asked = question.get_untracked();
        let parsed = app.scenario.with_untracked(|s| match s {
            Ok(s) => Ok(asked.parse(&s.world).map(|q| (q, s.world.instances.len()))),
            Err(_) => Err(()),
        });
        match parsed {
            Err(()) => shown.set(Some((Err("The scenario does not validate: fix its problems first.".into()), asked.verdict))),
            Ok(Err(found)) => {
                problems.set(found);
                shown.set(None);
            }
            Ok(Ok((q, size))) => {
                problems.set(Vec::new());
                if size > AUTO_ANALYSIS_LIMIT {
                    shown.set(None);
                    if let Some(world) = app.scenario.with_untracked(|s| s.as_ref().ok().map(|s| s.world.clone())) {
                        lane.start(Job::Find { world, question: asked });
                    }
                } else {
                    let answer = app.scenario.with_untracked(|s| s.as_ref().ok().map(|s| find(&s.world, &Matcher::build(&s.world), &q)));
                    shown.set(answer.map(|a| (Ok(a), q.verdict)));
                }
            }
        }
    };

    let message = move |field: QuestionField| {
        Signal::derive(move || problems.with(|all| all.iter().find(|(f, _)| *f == field).map(|(_, m)| m.clone())))
    };
    let text_field = move |field: QuestionField, label: &'static str, placeholder: &'static str, list: Option<&'static str>| {
        let key = field_key(field);
        let id = format!("find-{key}");
        let msg = message(field);
        let read = move |q: &QuestionText| match field {
            QuestionField::From => q.from.clone(),
            QuestionField::To => q.to.clone(),
            QuestionField::Protocol => q.protocol.clone(),
            QuestionField::Ports => q.ports.clone(),
        };
        let write = move |text: String| {
            question.update(|q| match field {
                QuestionField::From => q.from = text,
                QuestionField::To => q.to = text,
                QuestionField::Protocol => q.protocol = text,
                QuestionField::Ports => q.ports = text,
            });
            problems.update(|all| all.retain(|(f, _)| *f != field));
        };
        view! {
            <div class=format!("tester__field find__field find__field--{key}") class:tester__field--invalid=move || msg.with(Option::is_some)>
                <label class="tester__label" for=id.clone()>{label}</label>
                <input class="tester__input" id=id.clone() data-testid=id type="text" autocomplete="off" spellcheck="false"
                    placeholder=placeholder list=list
                    prop:value=move || question.with(read)
                    on:input:target=move |ev| write(ev.target().value())/>
                <FieldMessage message=msg/>
            </div>
        }
    };
    // The known addresses, as memos: an edit that leaves them as they were (most do) redraws
    // none of a large estate's two thousand options.
    let known = move |sources: bool| {
        Memo::new(move |_| app.scenario.with(|s| s.as_ref().ok().map(|s| choices(&s.world, sources)).unwrap_or_default()))
    };
    let (sources, destinations) = (known(true), known(false));
    // Filled when the form is first used, not as the page opens (two thousand elements).
    let lists_wanted = RwSignal::new(false);
    let options = move |list: Memo<Vec<(String, String)>>| {
        lists_wanted
            .get()
            .then(|| list.get().into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view())
    };

    let answer_view = move || {
        shown.get().map(|(answer, verdict)| match answer {
            Err(reason) => {
                view! { <p class="find__answer find__answer--error" role="alert" data-testid="find-error">{reason}</p> }.into_any()
            }
            Ok(answer) => {
                let (head, detail) = describe(&answer, verdict);
                let (kind, packet) = match &answer {
                    Answer::Found { packet } => ("found", Some(packet.clone())),
                    Answer::NoneExists { .. } => ("none", None),
                    Answer::NotDecided { .. } => ("undecided", None),
                };
                let open = packet.map(|packet| {
                    let try_it = move |_| {
                        app.try_packet(&packet);
                        focus_later("verdict".into());
                    };
                    view! {
                        <button type="button" class="button button--small" data-testid="find-open" on:click=try_it
                            title="Load this packet into the tester and evaluate it">"Open in the tester"</button>
                    }
                });
                view! {
                    <div class=format!("find__answer find__answer--{kind}") data-testid=format!("find-{kind}")>
                        <p class="find__head">{head}</p>
                        <p class="find__detail"><code>{detail}</code></p>
                        {open}
                    </div>
                }
                .into_any()
            }
        })
    };

    view! {
        <section class="panel find" data-testid="find" aria-labelledby="find-title">
            <h2 class="panel__title" id="find-title" tabindex="-1">"Find a packet"</h2>
            <p class="find__hint">"An example packet with the verdict you ask for, or the proof that none exists, over every packet of the question."</p>
            <form class="tester__form find__form" on:submit=submit on:focusin=move |_| if !lists_wanted.get_untracked() { lists_wanted.set(true) } novalidate>
                <datalist id="find-sources">{move || options(sources)}</datalist>
                <datalist id="find-destinations">{move || options(destinations)}</datalist>
                <div class="tester__row tester__row--ends">
                    {text_field(QuestionField::From, "From", "internet, 10.0.0.0/8, an instance or a group", Some("find-sources"))}
                    <span class="tester__arrow" aria-hidden="true">"→"</span>
                    {text_field(QuestionField::To, "To", "an instance or a group", Some("find-destinations"))}
                </div>
                <div class="tester__row">
                    {text_field(QuestionField::Protocol, "Protocol", "tcp, udp, icmp, gre, any, 0-255", None)}
                    {text_field(QuestionField::Ports, "Ports", "22, 8000-8999, 80,443 (empty: all)", None)}
                    <div class="tester__field find__field find__field--verdict">
                        <label class="tester__label" for="find-verdict">"Verdict"</label>
                        <select class="tester__input" id="find-verdict" data-testid="find-verdict"
                            on:change:target=move |ev| {
                                let verdict = if ev.target().value() == "deny" { Verdict::Deny } else { Verdict::Allow };
                                question.update(|q| q.verdict = verdict);
                            }>
                            <option value="allow" prop:selected=move || question.with(|q| q.verdict == Verdict::Allow)>"allowed"</option>
                            <option value="deny" prop:selected=move || question.with(|q| q.verdict == Verdict::Deny)>"denied"</option>
                        </select>
                    </div>
                </div>
                <div class="find__actions">
                    <button type="submit" class="button" data-testid="find-submit">"Find"</button>
                </div>
            </form>
            <JobStatus lane testid="find-job"/>
            <div class="find__result" aria-live="polite">{answer_view}</div>
        </section>
    }
}
