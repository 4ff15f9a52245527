//! Work that must not hold up the frame it follows: [`after_next_paint`] runs a closure once
//! the browser has painted what the current change rendered (a task queued from the next
//! animation frame runs after that frame's paint). An edit re-renders, is painted, and only
//! then is its slower follow-up (the worker's request, a large diff) prepared.

use leptos::prelude::*;
use std::time::Duration;

pub fn after_next_paint(f: impl FnOnce() + 'static) {
    request_animation_frame(move || set_timeout(f, Duration::ZERO));
}
