//! When the autosave writes: shortly after a change, not during it. Writing a large estate's
//! save (its JSON and `localStorage.setItem`) takes tens of milliseconds, which an edit must
//! not wait for; so a change (after the first save, made as the page opens) only schedules a
//! write, [`AUTOSAVE_DELAY`] later, and the changes made meanwhile go in that one write. Leaving the page (`pagehide`, or the tab hidden) writes
//! at once what is still waiting, so closing or reloading right after an edit loses nothing.
//! What a write does, and how a failed one is reported, is `persist`'s.

use super::{persist, AppState, NoticeKind};
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// How long after a change its save is written.
pub const AUTOSAVE_DELAY: Duration = Duration::from_millis(400);

/// Starts autosaving `app`'s document, tester inputs and simulator.
pub fn start(app: AppState) {
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let warned = StoredValue::new(false);
    let write_now = move || {
        if let Some(timer) = pending.try_update_value(Option::take).flatten() {
            timer.clear();
        }
        let written =
            app.doc.with_untracked(|doc| app.probe.with_untracked(|probe| app.sim.with_untracked(|sim| persist::write(doc, probe, sim))));
        match written {
            Ok(()) => warned.set_value(false),
            Err(error) if !warned.get_value() => {
                warned.set_value(true);
                app.notify(NoticeKind::Warning, failure_notice(error));
            }
            Err(_) => {}
        }
    };
    Effect::new(move |first: Option<()>| {
        app.doc.track();
        app.probe.track();
        app.sim.track();
        // The page as it opened is saved at once: nothing waits when the user leaves early.
        if first.is_none() {
            write_now();
        } else if pending.with_value(Option::is_none) {
            pending.set_value(set_timeout_with_handle(write_now, AUTOSAVE_DELAY).ok());
        }
    });
    // Leaving: what waits is written now, while the page can still write.
    let write_waiting = move || {
        if pending.with_value(Option::is_some) {
            write_now();
        }
    };
    let flush = Closure::<dyn FnMut()>::new(write_waiting);
    let on_hidden = Closure::<dyn FnMut()>::new(move || {
        if document().visibility_state() == web_sys::VisibilityState::Hidden {
            write_waiting();
        }
    });
    let _ = window().add_event_listener_with_callback("pagehide", flush.as_ref().unchecked_ref());
    let _ = document().add_event_listener_with_callback("visibilitychange", on_hidden.as_ref().unchecked_ref());
    // The page autosaves for as long as it lives.
    flush.forget();
    on_hidden.forget();
}

fn failure_notice(error: persist::WriteError) -> String {
    let why = match error {
        persist::WriteError::Unavailable => "this browser does not let the page use localStorage (private mode, or blocked)".to_string(),
        persist::WriteError::Serialize => "the scenario could not be written out".to_string(),
        persist::WriteError::Refused(name) => format!("the browser refused to store it (`{name}`: storage is full or blocked)"),
        persist::WriteError::Newer(v) => {
            format!("a newer sgplay (save format {v}) saved its work here since this page opened, and this page does not overwrite it")
        }
    };
    format!("Autosave failed: {why}. What was saved before is kept as it was; use Export to keep your latest work.")
}
