//! The page in a real browser (headless Chromium via wasm-bindgen-test-runner): mount it, fill
//! the packet form, press Evaluate, read the verdict. Run with scripts/test.sh, or:
//! `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//!  cargo test --target wasm32-unknown-unknown -p sgplay-web`

#![cfg(target_arch = "wasm32")]

use leptos::prelude::document;
use leptos::task::tick;
use sgplay_web::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

/// The page mounted on a fresh element of its own, so tests do not see each other's pages.
struct Page {
    root: Element,
}

impl Page {
    fn open() -> Page {
        let root = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&root).unwrap();
        // Kept mounted for the rest of the run, as `mount_to_body` does: the test ends first.
        leptos::mount::mount_to(root.clone().unchecked_into(), App).forget();
        Page { root }
    }

    fn find(&self, testid: &str) -> Element {
        self.root
            .query_selector(&format!("[data-testid='{testid}']"))
            .unwrap()
            .unwrap_or_else(|| panic!("no element with data-testid `{testid}`"))
    }

    fn text(&self, testid: &str) -> String {
        self.find(testid).text_content().unwrap_or_default()
    }

    /// Types `value` into an input, as a user would: set it, then fire `input`.
    fn fill(&self, testid: &str, value: &str) {
        let input: HtmlInputElement = self.find(testid).unchecked_into();
        input.set_value(value);
        input.dispatch_event(&Event::new("input").unwrap()).unwrap();
    }

    /// Picks an option of a select: set it, then fire `change`.
    fn choose(&self, testid: &str, value: &str) {
        let select: HtmlSelectElement = self.find(testid).unchecked_into();
        select.set_value(value);
        select.dispatch_event(&Event::new("change").unwrap()).unwrap();
    }

    async fn evaluate(&self) {
        self.find("evaluate").unchecked_into::<HtmlElement>().click();
        tick().await;
    }

    fn steps(&self) -> Vec<String> {
        let list = self.find("steps").query_selector_all("[data-testid='step']").unwrap();
        (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.text_content()).collect()
    }
}

#[wasm_bindgen_test]
async fn the_prefilled_packet_is_allowed_with_its_reasons() {
    let page = Page::open();
    tick().await;
    assert_eq!(page.text("verdict"), "allow");

    page.evaluate().await;
    assert_eq!(page.text("verdict"), "allow");
    let steps = page.steps();
    assert!(steps.len() >= 4, "too few steps: {steps:#?}");
    assert!(steps.iter().any(|s| s.contains("B01")), "no step names rule B01: {steps:#?}");
    assert!(steps.last().is_some_and(|s| s.contains("ALLOW")), "{steps:#?}");
}

#[wasm_bindgen_test]
async fn a_port_no_rule_opens_is_denied() {
    let page = Page::open();
    page.fill("probe-port", "3306");
    page.evaluate().await;
    assert_eq!(page.text("verdict"), "deny");
    assert!(page.steps().last().is_some_and(|s| s.contains("DENY")), "{:#?}", page.steps());
}

#[wasm_bindgen_test]
async fn the_other_direction_and_protocol_can_be_changed() {
    let page = Page::open();
    page.fill("probe-from", "ecs-b01");
    page.fill("probe-to", "192.168.0.10");
    page.choose("probe-protocol", "icmp");
    page.evaluate().await;
    assert_eq!(page.text("verdict"), "deny");
}

#[wasm_bindgen_test]
async fn an_unknown_instance_is_reported_next_to_the_form() {
    let page = Page::open();
    page.fill("probe-to", "ecs-nowhere");
    page.evaluate().await;
    assert!(page.text("probe-error").contains("ecs-nowhere"), "{}", page.text("probe-error"));
}

#[wasm_bindgen_test]
async fn picking_a_check_fills_the_form_and_evaluates_it() {
    let page = Page::open();
    let picker = page.find("check-picker");
    let options = picker.query_selector_all("option[data-expect]").unwrap();
    assert!(options.length() > 1, "the sample scenario has checks");
    for i in 0..options.length() {
        let option: Element = options.item(i).unwrap().unchecked_into();
        let expect = option.get_attribute("data-expect").unwrap();
        page.choose("check-picker", &option.get_attribute("value").unwrap());
        tick().await;
        assert_eq!(page.text("verdict"), expect, "{}", option.text_content().unwrap_or_default());
    }
    // The form shows the last check's packet, so it can be edited from there.
    let from: HtmlInputElement = page.find("probe-from").unchecked_into();
    assert!(!from.value().is_empty());
}
