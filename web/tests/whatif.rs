//! The what-if panel and Suggest a fix in a real browser (headless Chromium via
//! wasm-bindgen-test-runner): a baseline diff appears after an edit and is gone on undo (the
//! baseline stays), an example packet loads the tester, a suggested fix is applied and undone.
//! Run with:
//! `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//!  cargo test --target wasm32-unknown-unknown -p sgplay-web --test whatif`

#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use sgplay_core::scenario::ProbeSpec;
use sgplay_core::Verdict;
use sgplay_web::components::baseline::BaselinePanel;
use sgplay_web::components::tester::TesterPanel;
use sgplay_web::gallery;
use wasm_bindgen_test::*;

mod common;

wasm_bindgen_test_configure!(run_in_browser);

type Page = common::Panels;

async fn open() -> Page {
    common::mount_panels(gallery::DEFAULT_SLUG, |_| view! { <BaselinePanel/> <TesterPanel/> }).await
}

fn delete_a02(page: &Page) {
    page.app
        .edit("delete rule A02", |d| {
            let sg_a = d.security_groups.iter_mut().find(|g| g.id == "sg-a").unwrap();
            sg_a.rules.retain(|r| r.id.as_deref() != Some("A02"));
        })
        .unwrap();
}

fn verdict(page: &Page) -> Option<Verdict> {
    page.app.sent.with_untracked(|s| s.as_ref().map(|s| s.delivery.evaluation.verdict))
}

#[wasm_bindgen_test]
async fn an_edit_shows_what_it_closed_and_undo_takes_it_back_keeping_the_baseline() {
    let page = open().await;
    assert!(page.try_find("baseline-none").is_some());
    page.click("set-baseline").await;
    assert_eq!(page.text("baseline-summary"), "No verdict differs from the baseline.");
    delete_a02(&page);
    Page::settle().await;
    assert_eq!(page.text("baseline-summary"), "Closes 6 regions, on 2 instances.");
    assert!(page.text("baseline-change-0").contains("closed"));
    page.app.undo();
    Page::settle().await;
    assert_eq!(page.text("baseline-summary"), "No verdict differs from the baseline.");
    assert!(page.app.baseline.with_untracked(Option::is_some), "undo moved the baseline");
    page.app.redo();
    Page::settle().await;
    assert_eq!(page.text("baseline-summary"), "Closes 6 regions, on 2 instances.");
    page.click("clear-baseline").await;
    assert!(page.try_find("baseline-none").is_some());
}

#[wasm_bindgen_test]
async fn an_example_packet_is_one_click_from_the_tester() {
    let page = open().await;
    page.click("set-baseline").await;
    delete_a02(&page);
    Page::settle().await;
    page.click("baseline-try-0").await;
    assert_eq!(verdict(&page), Some(Verdict::Deny), "the region was closed: its packet is denied now");
    let probe = page.app.probe.get_untracked();
    assert_eq!((probe.from.as_str(), probe.to.as_str()), ("ecs-a02", "ecs-a01"));
}

#[wasm_bindgen_test]
async fn a_suggested_fix_is_applied_and_undone() {
    let page = open().await;
    let before = page.app.doc.get_untracked();
    page.app.probe.set(ProbeSpec {
        from: "ecs-a01".into(),
        to: "ecs-b01".into(),
        protocol: "tcp".into(),
        port: Some(3306),
        ..Default::default()
    });
    page.app.send_probe().unwrap();
    Page::settle().await;
    assert_eq!(verdict(&page), Some(Verdict::Deny));
    page.click("suggest-fix").await;
    let steps = page.text("fix-steps");
    assert!(steps.contains("add to sg-b an inbound allow rule"), "{steps}");
    // The rule goes to Sg-B, so it lets the same flow into the group's other member too.
    assert_eq!(page.text("fix-collateral"), "It also changes 1 other region:");
    let others = page.root.query_selector(".fix__others").unwrap().unwrap().text_content().unwrap();
    assert_eq!(others, "tcp 3306 from 192.168.0.10 to ecs-b02 (192.168.1.11): deny → allow");
    page.click("apply-fix").await;
    assert_eq!(verdict(&page), Some(Verdict::Allow), "the packet is sent again after the fix");
    assert_ne!(page.app.doc.get_untracked(), before);
    page.app.undo();
    Page::settle().await;
    assert_eq!(page.app.doc.get_untracked(), before, "undo takes the fix back");
}
