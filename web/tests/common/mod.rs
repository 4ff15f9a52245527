//! What every browser test file needs: a root element of its own (so tests do not see each
//! other's pages) and the playground mounted on it, autosave off.

use leptos::prelude::*;
use sgplay_web::components::Playground;
use sgplay_web::state::boot::Start;
use sgplay_web::state::route::Embed;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

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
