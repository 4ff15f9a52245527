//! The reachability matrix in a real browser (headless Chromium via wasm-bindgen-test-runner):
//! the grid of the default example, a service picked, a cell that loads its packet into the
//! tester and evaluates it. Run with:
//! `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//!  cargo test --target wasm32-unknown-unknown -p sgplay-web --test matrix`

#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use sgplay_core::Verdict;
use sgplay_web::components::matrix::MatrixPanel;
use sgplay_web::components::tester::TesterPanel;
use sgplay_web::gallery;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Event, HtmlElement, HtmlSelectElement};

mod common;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_cell_loads_its_packet_into_the_tester() {
    let common::Panels { root, app } = common::mount_panels(gallery::DEFAULT_SLUG, |_| view! { <MatrixPanel/> <TesterPanel/> }).await;
    let find = |testid: &str| root.query_selector(&format!("[data-testid='{testid}']")).unwrap().unwrap_or_else(|| panic!("no `{testid}`"));
    // Five ends: four instances and the Internet; an end with itself is not judged.
    assert_eq!(root.query_selector_all("[data-testid^='matrix-cell-']").unwrap().length(), 25);
    assert!(find("matrix-cell-0-0").unchecked_into::<web_sys::HtmlButtonElement>().disabled());
    let select: HtmlSelectElement = find("matrix-service").unchecked_into();
    select.set_value("tcp:22");
    select.dispatch_event(&Event::new("change").unwrap()).unwrap();
    common::Panels::settle().await;
    // ECS-A01 → ECS-B01 on SSH: Sg-B admits SSH from Sg-A.
    assert_eq!(find("matrix-cell-0-2").text_content().unwrap(), "✓");
    find("matrix-cell-0-2").unchecked_into::<HtmlElement>().click();
    common::Panels::settle().await;
    let (verdict, packet) = app.sent.with_untracked(|s| {
        let s = s.as_ref().expect("the cell sent a packet");
        (s.delivery.evaluation.verdict, s.delivery.evaluation.packet.clone())
    });
    assert_eq!(verdict, Verdict::Allow);
    assert_eq!((packet.dst.to_string(), packet.dst_port), ("192.168.1.10".to_string(), 22));
    let probe = app.probe.get_untracked();
    assert_eq!((probe.from.as_str(), probe.to.as_str(), probe.port), ("ecs-a01", "ecs-b01", Some(22)));
}
