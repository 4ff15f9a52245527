//! The suite in headless Chromium: `scripts/bench-wasm.sh` (release build, wasm-bindgen-test).
//! Prints the same table as the native run; asserts nothing about speed.

#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_suite_in_the_browser() {
    let performance = web_sys::window().and_then(|w| w.performance()).expect("the page has a performance clock");
    let now = move || performance.now();
    let figures = sgplay_bench_wasm::suite(&now);
    assert!(!figures.is_empty());
    for line in sgplay_bench_wasm::render(&figures).lines() {
        web_sys::console::log_1(&format!("bench: {line}").into());
    }
}
