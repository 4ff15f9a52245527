//! The worker's side: read each request, run its job, post progress and the outcome. Jobs run
//! one at a time, to the end; the page cancels by terminating the worker.

use super::jobs::run;
use super::protocol::{Reply, Request};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn post(scope: &DedicatedWorkerGlobalScope, reply: &Reply) {
    if let Ok(text) = serde_json::to_string(reply) {
        // Fails only when the page is gone: nobody to tell.
        let _ = scope.post_message(&JsValue::from_str(&text));
    }
}

/// Installs the message handler and says it is ready: the whole of `sgplay-worker`'s `main`.
pub fn serve() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let answering = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let text = event.data().as_string().unwrap_or_default();
        let request = match serde_json::from_str::<Request>(&text) {
            Ok(request) => request,
            Err(e) => {
                let id = serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|v| v["id"].as_u64()).unwrap_or(0);
                post(&answering, &Reply::Failed { id, message: format!("the worker could not read the request: {e}") });
                return;
            }
        };
        let started = js_sys::Date::now();
        let id = request.id;
        let outcome = run(&request.job, &mut |progress| post(&answering, &Reply::Progress { id, progress }));
        post(&answering, &Reply::Done { id, outcome, millis: js_sys::Date::now() - started });
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the handler: keep it.
    on_message.forget();
    post(&scope, &Reply::Ready);
}
