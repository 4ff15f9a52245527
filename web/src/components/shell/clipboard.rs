//! Copying text: the asynchronous Clipboard API where the browser offers it; otherwise the
//! caller selects the text so the user can press Ctrl+C.

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{spawn_local, JsFuture};

/// Copies `text`, then calls `done(true)`, or `done(false)` when the browser refused (no
/// Clipboard API on a plain-HTTP page, permission denied).
pub fn copy(text: String, done: impl FnOnce(bool) + 'static) {
    let Some(window) = web_sys::window() else { return done(false) };
    let navigator = window.navigator();
    let has_clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !has_clipboard {
        return done(false);
    }
    let promise = navigator.clipboard().write_text(&text);
    spawn_local(async move {
        done(JsFuture::from(promise).await.is_ok());
    });
}
