//! What every browser test file needs: a root element of its own (so tests do not see each
//! other's pages) and the playground mounted on it, autosave off.

use leptos::prelude::*;
use sgplay_web::components::Playground;
use sgplay_web::state::boot::{first_check_probe, Start};
use sgplay_web::state::route::Embed;
use sgplay_web::state::AppState;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// A fresh element appended to `<body>`; `style` sets its size where a test needs one.
pub fn fresh_root(style: Option<&str>) -> HtmlElement {
    let root = document().create_element("div").unwrap();
    if let Some(style) = style {
        root.set_attribute("style", style).unwrap();
    }
    document().body().unwrap().append_child(&root).unwrap();
    root.unchecked_into()
}

/// The whole playground over `start` on `root`. Kept mounted for the rest of the run, as
/// `mount_to_body` does: the test ends first.
#[allow(dead_code)] // not every test file mounts the whole playground
pub fn mount_playground(root: &HtmlElement, start: Start, embed: Option<Embed>) {
    leptos::mount::mount_to(root.clone(), move || view! { <Playground start embed autosave=false/> }).forget();
}

/// Panels mounted by [`mount_panels`]: their element, the root state, and how a test looks
/// into them.
#[allow(dead_code)] // not every test file mounts panels this way
pub struct Panels {
    pub root: Element,
    pub app: AppState,
}

#[allow(dead_code)]
impl Panels {
    /// Lets the views and their effects catch up.
    pub async fn settle() {
        for _ in 0..4 {
            leptos::task::tick().await;
        }
    }

    pub fn try_find(&self, testid: &str) -> Option<Element> {
        self.root.query_selector(&format!("[data-testid='{testid}']")).unwrap()
    }

    pub fn find(&self, testid: &str) -> Element {
        self.try_find(testid).unwrap_or_else(|| panic!("no element with data-testid `{testid}`"))
    }

    pub fn text(&self, testid: &str) -> String {
        self.find(testid).text_content().unwrap_or_default()
    }

    pub fn count(&self, selector: &str) -> u32 {
        self.root.query_selector_all(selector).unwrap().length()
    }

    /// Clicks and waits for the redraw and the next animation frame (where focus moves).
    pub async fn click(&self, testid: &str) {
        self.find(testid).unchecked_into::<HtmlElement>().click();
        Panels::settle().await;
        sleep_ms(50).await;
    }
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// The gallery example `slug` as a root state, with `panels` mounted over it on an element of
/// their own, for tests that drive a few panels and read the state. `panels` gets the state
/// first, to provide more context (e.g. the findings).
#[allow(dead_code)] // not every test file mounts panels this way
pub async fn mount_panels<V: IntoView + 'static>(slug: &str, panels: impl FnOnce(AppState) -> V + 'static) -> Panels {
    let root: Element = fresh_root(None).into();
    let slot: Rc<RefCell<Option<AppState>>> = Rc::default();
    let out = slot.clone();
    let scenario = sgplay_web::gallery::load(slug).expect("a gallery example");
    leptos::mount::mount_to(root.clone().unchecked_into(), move || {
        let probe = first_check_probe(&scenario);
        let app = AppState::provide(scenario, probe, None, None);
        *out.borrow_mut() = Some(app);
        panels(app)
    })
    .forget();
    Panels::settle().await;
    let app = slot.borrow_mut().take().expect("mounted");
    Panels { root, app }
}
