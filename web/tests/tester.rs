//! The packet tester and the connections panel in a real browser (headless Chromium via
//! wasm-bindgen-test-runner): send, read the verdict, step through the engine's steps, send the
//! reply, advance the clock until entries expire, switch the timeout profile. Each test mounts
//! its own `Playground` on a fresh element, from a gallery scenario, with autosave off.
//!
//! Run with scripts/test.sh, or:
//! `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//!  cargo test --target wasm32-unknown-unknown -p sgplay-web --test tester`

#![cfg(target_arch = "wasm32")]

use leptos::task::tick;
use sgplay_core::conntrack::Profile;
use sgplay_core::eval::steps;
use sgplay_core::sim::Simulator;
use sgplay_core::scenario::{ProbeSpec, ScenarioSpec};
use sgplay_web::gallery;
use sgplay_web::state::boot::{self, Start};
use sgplay_web::state::route::{Embed, Panel};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, Event, HtmlElement, HtmlInputElement, HtmlSelectElement};

mod common;

wasm_bindgen_test_configure!(run_in_browser);

const OVERVIEW: &str = "huawei/overview-sg-a-sg-b";
/// The overview's checks, by index.
const SSH_A01_TO_B01: usize = 3;
const HTTP_A01_TO_B01: usize = 4;
const PING_B02_TO_B01: usize = 5;

fn scenario() -> ScenarioSpec {
    gallery::load(OVERVIEW).unwrap()
}

fn check(index: usize) -> ProbeSpec {
    scenario().checks[index].packet.clone()
}

/// One mounted playground, on an element of its own so tests do not see each other's pages.
struct Page {
    root: Element,
}

impl Page {
    async fn open(probe: ProbeSpec, embed: Option<Embed>) -> Page {
        let scenario = scenario();
        assert_eq!(boot::first_check_probe(&scenario), scenario.checks[0].packet);
        let root = common::fresh_root(None);
        common::mount_playground(&root, Start::fresh(scenario, probe), embed);
        tick().await;
        Page { root: root.into() }
    }

    /// An element of the tester or the connections panel (other panels may reuse test ids).
    fn try_find(&self, testid: &str) -> Option<Element> {
        let selector = format!("[data-testid='tester'] [data-testid='{testid}'], [data-testid='connections'] [data-testid='{testid}']");
        self.root.query_selector(&selector).unwrap()
    }

    fn find(&self, testid: &str) -> Element {
        self.try_find(testid).unwrap_or_else(|| panic!("no element with data-testid `{testid}`"))
    }

    fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<Element>().ok()).collect()
    }

    fn text(&self, testid: &str) -> String {
        self.find(testid).text_content().unwrap_or_default()
    }

    async fn click(&self, testid: &str) {
        self.find(testid).unchecked_into::<HtmlElement>().click();
        tick().await;
    }

    async fn choose(&self, testid: &str, value: &str) {
        let select: HtmlSelectElement = self.find(testid).unchecked_into();
        select.set_value(value);
        select.dispatch_event(&Event::new("change").unwrap()).unwrap();
        tick().await;
    }

    async fn fill(&self, testid: &str, value: &str) {
        let input: HtmlInputElement = self.find(testid).unchecked_into();
        input.set_value(value);
        input.dispatch_event(&Event::new("input").unwrap()).unwrap();
        tick().await;
    }

    async fn press(&self, testid: &str, key: &str) {
        let fire = js_sys::Function::new_with_args(
            "target, key",
            "target.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true, cancelable: true}))",
        );
        fire.call2(&JsValue::NULL, &self.find(testid), &JsValue::from_str(key)).unwrap();
        tick().await;
    }

    /// The sentence of the current step.
    fn current_step(&self) -> String {
        let current = self.find("current-step");
        current.query_selector(".stepper__text").unwrap().and_then(|e| e.text_content()).unwrap_or_default()
    }

    fn step_count(&self) -> usize {
        self.all("[data-testid='tester'] [data-testid='steps'] > li").len()
    }

    fn steps_height(&self) -> f64 {
        self.find("steps").get_bounding_client_rect().height()
    }

    /// The ids of the rows of the conntrack table.
    fn conn_rows(&self) -> Vec<String> {
        self.all("[data-testid='conntrack-table'] tr[data-testid^='conn-row-']")
            .into_iter()
            .filter_map(|e| e.get_attribute("data-testid"))
            .collect()
    }
}

/// The engine's steps for `probe`, sent as the first packet of a fresh simulator with the
/// source port the tester picks for its first new connection.
fn engine_steps(probe: &ProbeSpec) -> Vec<String> {
    let world = scenario().build().unwrap().world;
    let mut sim = Simulator::new(world, Profile::Huawei);
    let probe = ProbeSpec { src_port: Some(sgplay_core::scenario::probe::DEFAULT_SOURCE_PORT), ..probe.clone() };
    let packet = probe.resolve(sim.world()).unwrap();
    steps(&sim.send(&packet).evaluation).into_iter().map(|s| s.sentence).collect()
}

#[wasm_bindgen_test]
async fn stepping_forward_and_back_walks_the_engines_steps() {
    let probe = check(SSH_A01_TO_B01);
    let expected = engine_steps(&probe);
    let n = expected.len();
    assert!(n > 5, "{expected:#?}");
    let page = Page::open(probe, None).await;
    assert!(page.try_find("outcome").is_none());

    page.click("send").await;
    // Every step is shown, the last one current.
    assert_eq!(page.step_count(), n);
    assert_eq!(page.current_step(), expected[n - 1]);
    assert_eq!(page.text("step-position"), format!("step {n} of {n}"));
    let height = page.steps_height();

    page.click("step-reset").await;
    assert_eq!(page.current_step(), expected[0]);
    assert_eq!(page.text("step-position"), format!("step 1 of {n}"));
    assert_eq!(page.all("[data-testid='tester'] .stepper__step--future").len(), n - 1, "later steps are hidden");

    for _ in 0..3 {
        page.click("step-forward").await;
    }
    assert_eq!(page.current_step(), expected[3]);
    assert_eq!(page.text("step-position"), format!("step 4 of {n}"));

    page.click("step-back").await;
    assert_eq!(page.current_step(), expected[2]);
    assert_eq!(page.text("step-position"), format!("step 3 of {n}"));
    // Every step keeps its room: nothing moves while stepping.
    assert_eq!(page.step_count(), n);
    assert_eq!(page.steps_height(), height);

    // Back stops at the first step.
    for _ in 0..5 {
        page.click("step-back").await;
    }
    assert_eq!(page.current_step(), expected[0]);
}

#[wasm_bindgen_test]
async fn the_keyboard_steps_when_the_tester_has_focus() {
    let probe = check(SSH_A01_TO_B01);
    let expected = engine_steps(&probe);
    let page = Page::open(probe, None).await;
    page.click("send").await;

    page.press("steps", "Home").await;
    assert_eq!(page.current_step(), expected[0]);
    page.press("steps", "ArrowRight").await;
    page.press("steps", "ArrowRight").await;
    assert_eq!(page.current_step(), expected[2]);
    page.press("steps", "ArrowLeft").await;
    assert_eq!(page.current_step(), expected[1]);
    page.press("steps", "End").await;
    assert_eq!(page.current_step(), expected[expected.len() - 1]);

    // In a text field the arrows belong to the field.
    page.press("steps", "Home").await;
    page.press("probe-port", "ArrowRight").await;
    assert_eq!(page.current_step(), expected[0]);
}

#[wasm_bindgen_test]
async fn a_denied_packet_shows_deny_and_an_allowed_one_allow() {
    let page = Page::open(check(0), None).await;

    page.choose("check-picker", &HTTP_A01_TO_B01.to_string()).await;
    assert!(page.text("check-expect").contains("expect deny"), "{}", page.text("check-expect"));
    page.click("send").await;
    assert_eq!(page.text("verdict"), "DENY");
    assert!(page.text("headline").contains("ECS-B01 inbound: no rule matched"), "{}", page.text("headline"));

    page.choose("check-picker", &SSH_A01_TO_B01.to_string()).await;
    page.click("send").await;
    assert_eq!(page.text("verdict"), "ALLOW");
    assert!(page.text("headline").contains("allowed by rule B01"), "{}", page.text("headline"));
    assert_eq!(page.text("sent-kind"), "packet");
}

#[wasm_bindgen_test]
async fn the_reply_passes_on_the_connection() {
    let page = Page::open(check(SSH_A01_TO_B01), None).await;
    page.click("send").await;
    assert_eq!(page.text("verdict"), "ALLOW");
    assert!(page.try_find("tracked").is_none(), "a new connection is decided by the rules");

    page.click("send-reply").await;
    assert_eq!(page.text("sent-kind"), "reply");
    assert_eq!(page.text("verdict"), "ALLOW");
    let tracked = page.text("tracked");
    assert!(tracked.contains("passed on connection #"), "{tracked}");
    assert!(tracked.contains("replies pass regardless of the rules"), "{tracked}");
    assert!(page.current_step().contains("ALLOW"));
}

#[wasm_bindgen_test]
async fn problems_show_at_the_field_they_name() {
    let page = Page::open(check(SSH_A01_TO_B01), None).await;

    // A port that does not read keeps the text, says why, and nothing is sent.
    page.fill("probe-port", "ssh").await;
    page.click("send").await;
    let port = page.find("probe-port").parent_element().unwrap().text_content().unwrap_or_default();
    assert!(port.contains("`ssh` is not a port"), "{port}");
    assert_eq!(page.find("probe-port").unchecked_into::<HtmlInputElement>().value(), "ssh");
    assert!(page.try_find("outcome").is_none());

    // An unknown destination: the engine's message, at the To field.
    page.fill("probe-port", "22").await;
    page.choose("probe-to", "").await;
    page.fill("probe-to-address", "ecs-x").await;
    page.click("send").await;
    let to = page.find("probe-to").parent_element().unwrap().parent_element().unwrap().text_content().unwrap_or_default();
    assert!(to.contains("`ecs-x` is neither an IP address nor an instance id"), "{to}");
    assert!(page.try_find("outcome").is_none());

    // Fixed, it goes.
    page.fill("probe-to-address", "192.168.1.10").await;
    page.click("send").await;
    assert_eq!(page.text("verdict"), "ALLOW");
}

#[wasm_bindgen_test]
async fn advancing_the_clock_past_the_timeout_empties_the_table() {
    let page = Page::open(check(PING_B02_TO_B01), None).await;
    assert!(page.conn_rows().is_empty());
    assert!(page.try_find("conntrack-empty").is_some());

    page.click("send").await;
    assert_eq!(page.text("verdict"), "ALLOW");
    // ICMP: an entry on ECS-B02 (opened outbound) and one on ECS-B01 (opened inbound), 30 s each.
    assert_eq!(page.conn_rows().len(), 2, "{:?}", page.conn_rows());
    assert_eq!(page.text("clock"), "t = 0 s");

    page.click("advance-1").await;
    assert_eq!(page.text("clock"), "t = 1 s");
    assert_eq!(page.conn_rows().len(), 2);
    assert!(page.text("conntrack-table").contains("29 s"));

    page.fill("advance-seconds", "29").await;
    page.click("advance-custom").await;
    assert_eq!(page.text("clock"), "t = 30 s");
    assert!(page.conn_rows().is_empty(), "{:?}", page.conn_rows());
    let log = page.text("event-log");
    assert!(log.contains("expired"), "{log}");
    // Newest first: the expiry comes before the opening.
    assert!(log.find("expired").unwrap() < log.find("opened").unwrap(), "{log}");

    // A duration that does not read says why and leaves the clock alone.
    page.fill("advance-seconds", "soon").await;
    page.click("advance-custom").await;
    assert!(page.text("advance-error").contains("`soon` is not a duration"));
    assert_eq!(page.text("clock"), "t = 30 s");

    page.click("advance-600").await;
    assert_eq!(page.text("clock"), "t = 630 s (10 min 30 s)");
}

#[wasm_bindgen_test]
async fn switching_profile_restarts_the_connections_with_its_timeouts() {
    let page = Page::open(check(SSH_A01_TO_B01), None).await;
    page.click("send").await;
    page.click("advance-30").await;
    page.click("send").await;
    assert_eq!(page.conn_rows().len(), 2, "the first SYN's entries expired at t=30");
    assert!(page.text("conntrack-table").contains("30 s"));

    page.choose("profile", "linux").await;
    assert_eq!(page.find("profile").unchecked_into::<HtmlSelectElement>().value(), "linux");
    assert!(page.conn_rows().is_empty());
    assert_eq!(page.text("clock"), "t = 0 s");
    assert!(page.text("profile-note").contains("432000 s"));

    page.click("send").await;
    // Linux keeps an opening TCP connection (SYN_SENT) 120 s.
    let table = page.text("conntrack-table");
    assert!(table.contains("120 s (2 min)"), "{table}");
}

#[wasm_bindgen_test]
async fn a_read_only_embed_still_sends_steps_and_moves_the_clock() {
    let embed = Some(Embed { panels: vec![Panel::Tester, Panel::Connections] });
    let page = Page::open(check(PING_B02_TO_B01), embed).await;
    page.click("send").await;
    assert_eq!(page.text("verdict"), "ALLOW");
    page.click("step-reset").await;
    assert_eq!(page.text("step-position").split_whitespace().nth(1), Some("1"));
    assert_eq!(page.conn_rows().len(), 2);
    page.click("advance-30").await;
    assert!(page.conn_rows().is_empty());
}

#[wasm_bindgen_test]
async fn switching_protocol_brings_the_port_back() {
    let page = Page::open(check(SSH_A01_TO_B01), None).await;
    page.choose("probe-protocol", "icmp").await;
    assert!(page.try_find("probe-port").is_none());
    assert!(page.try_find("probe-icmp-type").is_some());
    page.choose("probe-protocol", "tcp").await;
    // The port cell comes back with the protocol; its value is set on the next tick.
    tick().await;
    assert_eq!(page.find("probe-port").unchecked_into::<HtmlInputElement>().value(), "22");
    // The menu shows the scenario check the form holds again.
    assert!(page.text("check-expect").contains("expect allow by B01"));
}

#[wasm_bindgen_test]
async fn an_unread_cell_of_another_protocol_does_not_block_sending() {
    let page = Page::open(check(PING_B02_TO_B01), None).await;
    page.fill("probe-icmp-type", "300").await;
    page.click("send").await;
    assert!(page.try_find("outcome").is_none(), "`300` is not an ICMP type: nothing is sent");

    page.choose("probe-protocol", "number").await;
    page.fill("probe-protocol-number", "47").await;
    page.click("send").await;
    assert!(page.try_find("verdict").is_some(), "the ICMP cell left the form with its text");
    assert!(page.current_step().contains("ALLOW"), "{}", page.current_step());
}
