//! "Find a packet" in a real browser (headless Chromium via wasm-bindgen-test-runner): a
//! question answered with a packet that opens in the tester, a proof that none exists, every
//! wrong field named at once, and an answer withdrawn by the next edit. Run with:
//! `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//!  cargo test --target wasm32-unknown-unknown -p sgplay-web --test find`

#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use sgplay_core::Verdict;
use sgplay_web::components::find::FindPanel;
use sgplay_web::components::tester::TesterPanel;
use sgplay_web::gallery;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Event, HtmlInputElement};

mod common;

wasm_bindgen_test_configure!(run_in_browser);

async fn mount() -> common::Panels {
    common::mount_panels(gallery::DEFAULT_SLUG, |_| view! { <FindPanel/> <TesterPanel/> }).await
}

async fn ask(panels: &common::Panels, from: &str, to: &str, protocol: &str, ports: &str) {
    for (field, value) in [("find-from", from), ("find-to", to), ("find-protocol", protocol), ("find-ports", ports)] {
        let input: HtmlInputElement = panels.find(field).unchecked_into();
        input.set_value(value);
        input.dispatch_event(&Event::new("input").unwrap()).unwrap();
    }
    common::Panels::settle().await;
    panels.click("find-submit").await;
}

#[wasm_bindgen_test]
async fn a_found_packet_opens_in_the_tester_with_the_verdict_asked_for() {
    let panels = mount().await;
    // Sg-B admits SSH from the members of Sg-A.
    ask(&panels, "sg-a", "ECS-B01", "tcp", "22").await;
    assert!(panels.try_find("find-found").is_some(), "{}", panels.text("find"));
    panels.click("find-open").await;
    let (verdict, packet) = panels.app.sent.with_untracked(|s| {
        let s = s.as_ref().expect("the answer was sent");
        (s.delivery.evaluation.verdict, s.delivery.evaluation.packet.clone())
    });
    assert_eq!(verdict, Verdict::Allow);
    assert_eq!((packet.dst.to_string(), packet.dst_port), ("192.168.1.10".to_string(), 22));
}

#[wasm_bindgen_test]
async fn none_exists_is_said_as_a_proof() {
    let panels = mount().await;
    // Nothing outside the VPC reaches Sg-B's members on any port.
    ask(&panels, "internet", "ECS-B01", "tcp", "").await;
    assert!(panels.try_find("find-none").is_some(), "{}", panels.text("find"));
    assert!(panels.text("find-none").contains("A proof, not a sample"), "{}", panels.text("find-none"));
    // Denied, though, exists.
    let select: web_sys::HtmlSelectElement = panels.find("find-verdict").unchecked_into();
    select.set_value("deny");
    select.dispatch_event(&Event::new("change").unwrap()).unwrap();
    panels.click("find-submit").await;
    assert!(panels.text("find-found").starts_with("Found a denied packet"), "{}", panels.text("find"));
}

#[wasm_bindgen_test]
async fn every_wrong_field_is_named_and_no_answer_is_shown() {
    let panels = mount().await;
    ask(&panels, "nowhere", "ECS-B01", "icmp", "30-20").await;
    let messages: Vec<String> = {
        let all = panels.root.query_selector_all("[data-testid='find'] [data-testid='field-problem']").unwrap();
        (0..all.length()).filter_map(|i| all.item(i)?.text_content()).filter(|t| !t.is_empty()).collect()
    };
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].contains("`nowhere`"), "{messages:?}");
    assert!(messages[1].contains("reversed"), "{messages:?}");
    assert!(panels.try_find("find-found").is_none() && panels.try_find("find-none").is_none());
    // Typing in a field clears its message.
    let from: HtmlInputElement = panels.find("find-from").unchecked_into();
    from.set_value("internet");
    from.dispatch_event(&Event::new("input").unwrap()).unwrap();
    common::Panels::settle().await;
    assert!(!panels.text("find").contains("`nowhere`"));
}

#[wasm_bindgen_test]
async fn an_edit_withdraws_the_answer() {
    let panels = mount().await;
    ask(&panels, "sg-a", "ECS-B01", "tcp", "22").await;
    assert!(panels.try_find("find-found").is_some());
    panels
        .app
        .edit("delete Sg-B's SSH rule", |doc| {
            let sg_b = doc.security_groups.iter_mut().find(|g| g.id == "sg-b").expect("Sg-B");
            sg_b.rules.remove(0);
        })
        .expect("a valid edit");
    common::Panels::settle().await;
    assert!(panels.try_find("find-found").is_none(), "{}", panels.text("find"));
    // Asked again, the proof: nothing from Sg-A reaches ECS-B01 on SSH now.
    panels.click("find-submit").await;
    assert!(panels.try_find("find-none").is_some(), "{}", panels.text("find"));
}

#[wasm_bindgen_test]
async fn an_edit_marks_the_last_verdict_as_the_old_worlds_until_it_is_evaluated_again() {
    let panels = mount().await;
    ask(&panels, "sg-a", "ECS-B01", "tcp", "22").await;
    panels.click("find-open").await;
    assert!(panels.try_find("sent-stale").is_none(), "a fresh verdict is not stale");
    panels
        .app
        .edit("delete Sg-B's SSH rule", |doc| {
            doc.security_groups.iter_mut().find(|g| g.id == "sg-b").expect("Sg-B").rules.remove(0);
        })
        .expect("a valid edit");
    common::Panels::settle().await;
    assert!(panels.text("sent-stale").contains("changed since this packet was sent"), "{}", panels.text("tester"));
    panels.click("send-again").await;
    assert!(panels.try_find("sent-stale").is_none(), "evaluated again in the new world");
    let verdict = panels.app.sent.with_untracked(|s| s.as_ref().expect("sent").delivery.evaluation.verdict);
    assert_eq!(verdict, Verdict::Deny, "without Sg-B's SSH rule the packet is denied");
}
