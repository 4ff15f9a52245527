//! The page: start-up (share link, deep link, autosave), the root state, autosave, and the
//! layout of the panels, or the compact read-only embed view.

use super::baseline::BaselinePanel;
use super::connections::ConnectionsPanel;
use super::find::FindPanel;
use super::findings::{provide_findings, FindingsPanel};
use super::groups::GroupsPanel;
use super::instances::InstancesPanel;
use super::matrix::MatrixPanel;
use super::shell::{EmbedFooter, Header, Notices, SkipLinks};
use super::tester::TesterPanel;
use super::topology::CanvasPanel;
use crate::gallery;
use crate::state::boot::{self, SaveFate, Start};
use crate::state::route::{self, Embed, Panel, Route};
use crate::state::{autosave, persist, AppState, NoticeKind};
use leptos::prelude::*;

/// The whole page, as the browser opens it. A deep link to an example that is not embedded in
/// the wasm (the release page embeds only the default one) fetches it first, saying so.
#[component]
pub fn App() -> impl IntoView {
    let location = window().location();
    let route = route::parse(&location.search().unwrap_or_default(), &location.hash().unwrap_or_default());
    let Some(slug) = route.example.clone().filter(|slug| gallery::needs_fetch(slug)) else {
        return begin(route).into_any();
    };
    let fetched = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        // A failure is kept by the gallery; `boot::start` turns it into an error notice.
        let _ = gallery::fetch(&slug).await;
        fetched.set(true);
    });
    let route = StoredValue::new(route);
    view! {
        <Show
            when=move || fetched.get()
            fallback=|| view! { <main class="boot-loading"><p role="status" data-testid="boot-loading">"Opening the example…"</p></main> }
        >
            {move || begin(route.get_value())}
        </Show>
    }
    .into_any()
}

/// Start-up once every linked example is at hand.
fn begin(route: Route) -> impl IntoView {
    let location = window().location();
    let saved = if route.embed.is_none() { persist::read() } else { None };
    let mut start = boot::start(&route, saved.as_deref());
    let mut autosave = route.embed.is_none();
    if let Some(raw) = &saved {
        match &start.save {
            SaveFate::Use => {}
            SaveFate::Keep => autosave = false,
            SaveFate::SetAside(reason) => match persist::set_aside_raw(raw) {
                Some(key) => start.notices.push((NoticeKind::Warning, boot::set_aside_notice(reason, &key))),
                None => {
                    // Storage is full: the save stays where it is, and nothing overwrites it.
                    autosave = false;
                    let reason = format!("Your saved work could not be opened ({reason}) nor moved aside (storage is full)");
                    start.notices.push((NoticeKind::Warning, boot::kept_in_place_notice(&reason)));
                }
            },
        }
        if start.previous.is_some() {
            let kept = persist::keep_copy(persist::BEFORE_LINK_KEY, raw);
            start.notices.push((NoticeKind::Info, boot::linked_notice(kept.as_deref())));
        }
    }
    // The link has been read: drop it from the address bar, so a reload reopens the autosave
    // (the user's edits) rather than the link.
    if route.embed.is_none() && (route.shared.is_some() || route.example.is_some()) {
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&location.pathname().unwrap_or_default()));
        }
    }
    view! { <Playground start embed=route.embed autosave/> }
}

/// The playground over `start`. Tests mount it directly, with `autosave` off.
#[component]
pub fn Playground(start: Start, #[prop(default = None)] embed: Option<Embed>, #[prop(optional)] autosave: bool) -> impl IntoView {
    let Start { scenario, probe, simulator, previous, notices, .. } = start;
    let app = AppState::provide(scenario, probe, simulator, embed.clone());
    provide_findings(app);
    if let Some(previous) = previous {
        app.history.update(|h| h.record("open the linked scenario", previous));
    }
    for (kind, text) in notices {
        app.notify(kind, text);
    }
    if autosave {
        autosave::start(app);
    }
    // A large estate's panels are drawn only while in sight (style/main.css, `.app--large`).
    let large = Memo::new(move |_| app.is_large_estate());
    match embed {
        Some(embed) => view! { <EmbedView embed/> }.into_any(),
        None => view! {
            <div class="app" class:app--large=move || large.get()>
                <SkipLinks/>
                <Header/>
                <Notices/>
                <main class="workspace">
                    <div class="workspace__column workspace__column--edit">
                        <GroupsPanel/>
                        <BaselinePanel/>
                        <InstancesPanel/>
                        <FindingsPanel/>
                    </div>
                    <div class="workspace__column workspace__column--run">
                        <CanvasPanel/>
                        <TesterPanel/>
                        <FindPanel/>
                        <ConnectionsPanel/>
                        <MatrixPanel/>
                    </div>
                </main>
            </div>
        }
        .into_any(),
    }
}

/// The compact read-only view for an iframe: the author's panels, in a fixed order.
#[component]
fn EmbedView(embed: Embed) -> impl IntoView {
    let panels = Panel::ALL
        .into_iter()
        .filter(|p| embed.shows(*p))
        .map(|p| match p {
            Panel::Groups => view! { <GroupsPanel/> }.into_any(),
            Panel::Instances => view! { <InstancesPanel/> }.into_any(),
            Panel::Canvas => view! { <CanvasPanel/> }.into_any(),
            Panel::Tester => view! { <TesterPanel/> }.into_any(),
            Panel::Connections => view! { <ConnectionsPanel/> }.into_any(),
        })
        .collect_view();
    view! {
        <div class="app app--embed" data-testid="embed">
            <Notices/>
            <main class="embed">{panels}</main>
            <EmbedFooter/>
        </div>
    }
}
