//! The topology canvas in a real browser (headless Chromium via wasm-bindgen-test-runner):
//! nodes and containers for the world, zoom, selecting, dragging (one undo step per drag),
//! collapsing, read-only embeds, and the packet's path after a send. Run with:
//! `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//!  cargo test --target wasm32-unknown-unknown -p sgplay-web --test topology`

#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos::task::tick;
use sgplay_core::eval::StepKind;
use sgplay_core::scenario::{ProbeSpec, ScenarioSpec};
use sgplay_web::components::topology::CanvasPanel;
use sgplay_web::gallery;
use sgplay_web::state::boot::{first_check_probe, Start};
use sgplay_web::state::route::{Embed, Panel};
use sgplay_web::state::AppState;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

mod common;

wasm_bindgen_test_configure!(run_in_browser);

const EXAMPLE: &str = "huawei/overview-sg-a-sg-b";

/// Wide enough for the canvas to have a size, as on a laptop.
fn fresh_root() -> HtmlElement {
    common::fresh_root(Some("width: 900px"))
}

/// A page of its own, so tests do not see each other's elements.
struct Page {
    root: Element,
    /// The root state, when the test mounted the canvas over a state of its own.
    app: Option<AppState>,
}

impl Page {
    /// The whole playground on a gallery example, autosave off.
    fn playground(slug: &str) -> Page {
        let scenario = gallery::load(slug).unwrap();
        let probe = first_check_probe(&scenario);
        let root = fresh_root();
        common::mount_playground(&root, Start::fresh(scenario, probe), None);
        Page { root: root.into(), app: None }
    }

    /// The canvas alone over a root state the test holds (to set the probe and send).
    fn canvas(spec: ScenarioSpec, embed: Option<Embed>) -> Page {
        let slot: Rc<Cell<Option<AppState>>> = Rc::new(Cell::new(None));
        let out = slot.clone();
        let probe = first_check_probe(&spec);
        let root = fresh_root();
        leptos::mount::mount_to(root.clone(), move || {
            out.set(Some(AppState::provide(spec, probe, None, embed)));
            view! { <CanvasPanel/> }
        })
        .forget();
        Page { root: root.into(), app: slot.get() }
    }

    fn app(&self) -> AppState {
        self.app.expect("mounted with Page::canvas")
    }

    fn query(&self, testid: &str) -> Option<Element> {
        self.root.query_selector(&format!("[data-testid='{testid}']")).unwrap()
    }

    fn find(&self, testid: &str) -> Element {
        self.query(testid).unwrap_or_else(|| panic!("no element with data-testid `{testid}`"))
    }

    fn count(&self, selector: &str) -> u32 {
        self.root.query_selector_all(selector).unwrap().length()
    }

    /// Clicks element `testid` (HTML or SVG: SVG elements have no `click()`).
    async fn click(&self, testid: &str) {
        let ev = js_sys::eval("new MouseEvent('click', {bubbles: true, cancelable: true})").unwrap();
        self.find(testid).dispatch_event(ev.unchecked_ref()).unwrap();
        tick().await;
    }

    fn view_box(&self) -> Vec<f64> {
        let v = self.find("canvas").get_attribute("viewBox").unwrap();
        v.split(' ').map(|n| n.parse().unwrap()).collect()
    }

    /// Fires a pointer event of `kind` at client point (`x`, `y`) on `target`.
    fn pointer(&self, target: &Element, kind: &str, x: f64, y: f64) {
        let ev = js_sys::eval(&format!("new PointerEvent('{kind}', {{bubbles: true, cancelable: true, button: 0, pointerId: 7, clientX: {x}, clientY: {y}}})")).unwrap();
        target.dispatch_event(ev.unchecked_ref()).unwrap();
    }

    /// Presses on element `testid`, moves by (`dx`, `dy`) pixels in steps, releases.
    async fn drag(&self, testid: &str, dx: f64, dy: f64) {
        let el = self.find(testid);
        let r = el.get_bounding_client_rect();
        let (x, y) = (r.left() + 20.0, r.top() + 20.0);
        let svg = self.find("canvas");
        self.pointer(&el, "pointerdown", x, y);
        for i in 1..=4 {
            let k = f64::from(i) / 4.0;
            self.pointer(&svg, "pointermove", x + dx * k, y + dy * k);
        }
        self.pointer(&svg, "pointerup", x + dx, y + dy);
        tick().await;
    }
}

fn example() -> ScenarioSpec {
    gallery::load(EXAMPLE).unwrap()
}

/// `subnets` subnets of `per` instances each.
fn big(subnets: usize, per: usize) -> ScenarioSpec {
    let subnet_specs: Vec<String> = (0..subnets).map(|s| format!(r#"{{"id":"subnet-{s}","name":"Subnet-{s}","cidr":"10.{s}.0.0/16"}}"#)).collect();
    let instances: Vec<String> = (0..subnets)
        .flat_map(|s| (0..per).map(move |i| format!(r#"{{"id":"ecs-{s}-{i}","subnet_id":"subnet-{s}","ip":"10.{s}.0.{}","security_groups":["web"]}}"#, i + 1)))
        .collect();
    ScenarioSpec::parse(&format!(
        r#"{{"vpcs":[{{"id":"vpc","cidr":"10.0.0.0/8","subnets":[{}]}}],"security_groups":[{{"id":"web","rules":[]}}],"instances":[{}]}}"#,
        subnet_specs.join(","),
        instances.join(",")
    ))
    .unwrap()
}

#[wasm_bindgen_test]
async fn the_playground_draws_every_instance_and_container() {
    let page = Page::playground(EXAMPLE);
    tick().await;
    page.find("canvas");
    page.find("node-internet");
    for id in ["ecs-a01", "ecs-a02", "ecs-b01", "ecs-b02"] {
        let node = page.find(&format!("node-{id}"));
        assert!(node.text_content().unwrap().contains(&id.to_uppercase()), "{id}: {:?}", node.text_content());
    }
    for id in ["vpc-a", "subnet-a", "subnet-b"] {
        page.find(&format!("container-{id}"));
    }
    // Group badges, in sequence order.
    assert!(page.find("node-ecs-b01").text_content().unwrap().contains("Sg-B"));
}

#[wasm_bindgen_test]
async fn zoom_buttons_change_the_view_box_and_fit_restores_it() {
    let page = Page::playground(EXAMPLE);
    tick().await;
    let fitted = page.view_box();
    page.click("zoom-in").await;
    let zoomed_in = page.view_box();
    assert!(zoomed_in[2] < fitted[2], "{zoomed_in:?} vs {fitted:?}");
    page.click("zoom-out").await;
    page.click("zoom-out").await;
    assert!(page.view_box()[2] > fitted[2]);
    page.click("zoom-fit").await;
    assert_eq!(page.view_box(), fitted);
}

#[wasm_bindgen_test]
async fn the_tester_send_button_draws_the_path_on_the_canvas() {
    // The example's first check: SSH from the office to ECS-A01, allowed by A01.
    let page = Page::playground(EXAMPLE);
    tick().await;
    assert!(page.query("path").is_none());
    page.find("send").unchecked_into::<HtmlElement>().click();
    tick().await;
    let path = page.find("path");
    assert_eq!(path.get_attribute("data-verdict").as_deref(), Some("allow"));
    assert!(path.text_content().unwrap().contains("172.16.0.8"), "the Internet address is written by the Internet node");
}

#[wasm_bindgen_test]
async fn a_sent_packet_draws_its_path_with_the_engine_verdict() {
    let page = Page::canvas(example(), None);
    let app = page.app();
    tick().await;
    assert!(page.query("path").is_none(), "nothing sent yet");

    app.probe.set(ProbeSpec { from: "ecs-a01".into(), to: "ecs-b01".into(), protocol: "tcp".into(), port: Some(22), ..Default::default() });
    app.send_probe().unwrap();
    tick().await;
    assert_eq!(page.find("path").get_attribute("data-verdict").as_deref(), Some("allow"));
    assert!(page.query("path-stop").is_none());
    assert!(page.find("path").text_content().unwrap().contains("B01"), "the deciding rule is written on the path");

    app.probe.update(|p| p.port = Some(80));
    app.send_probe().unwrap();
    tick().await;
    assert_eq!(page.find("path").get_attribute("data-verdict").as_deref(), Some("deny"));
    page.find("path-stop");

    // Stepping back to the first decision: the source's rules are being looked at.
    let first_decision = app.sent.with_untracked(|s| s.as_ref().unwrap().steps.iter().position(|s| s.kind == StepKind::Decision).unwrap());
    app.cursor.set(first_decision);
    tick().await;
    assert!(page.query("path-stop").is_none(), "the deny is not shown before its step");
    let focus = page.find("path-focus");
    let node = page.find("node-ecs-a01").get_bounding_client_rect();
    let ring = focus.get_bounding_client_rect();
    assert!(ring.left() <= node.left() && ring.right() >= node.right(), "the ring surrounds ECS-A01");
}

#[wasm_bindgen_test]
async fn a_click_selects_an_instance_and_offers_it_to_the_tester() {
    let page = Page::canvas(example(), None);
    let app = page.app();
    tick().await;
    assert!(page.query("use-as-source").is_none());
    let node = page.find("node-ecs-b02");
    let r = node.get_bounding_client_rect();
    page.pointer(&node, "pointerdown", r.left() + 10.0, r.top() + 10.0);
    page.pointer(&page.find("canvas"), "pointerup", r.left() + 11.0, r.top() + 10.0);
    tick().await;
    assert_eq!(app.selection.with_untracked(|s| s.instance_id.clone()).as_deref(), Some("ecs-b02"));
    assert!(node.get_attribute("class").unwrap().contains("topo-node--selected"));
    assert_eq!(app.history.with_untracked(|h| h.undo_label().map(str::to_string)), None, "a click saves nothing");

    page.click("use-as-source").await;
    assert_eq!(app.probe.with_untracked(|p| p.from.clone()), "ecs-b02");
    page.click("use-as-destination").await;
    assert_eq!(app.probe.with_untracked(|p| p.to.clone()), "ecs-b02");
}

#[wasm_bindgen_test]
async fn a_drag_saves_one_position_as_one_undo_step() {
    let page = Page::canvas(example(), None);
    let app = page.app();
    tick().await;
    let before = page.find("node-ecs-a01").get_bounding_client_rect();
    page.drag("node-ecs-a01", 120.0, 60.0).await;
    let saved = app.doc.with_untracked(|d| d.layout.get("ecs-a01").copied()).expect("the position is saved");
    assert!(saved.x > 0.0 && saved.y > 0.0);
    assert_eq!(app.doc.with_untracked(|d| d.layout.len()), 1, "only the dragged node");
    assert_eq!(app.history.with_untracked(|h| h.undo_label().map(str::to_string)).as_deref(), Some("move ECS-A01"));
    let after = page.find("node-ecs-a01").get_bounding_client_rect();
    assert!(after.left() > before.left() && after.top() > before.top(), "the node moved right and down");

    app.undo();
    tick().await;
    assert!(app.doc.with_untracked(|d| d.layout.is_empty()), "one undo takes the whole drag back");
    assert_eq!(app.history.with_untracked(|h| h.undo_label().map(str::to_string)), None);
}

#[wasm_bindgen_test]
async fn dragging_the_background_pans_without_editing() {
    let page = Page::canvas(example(), None);
    let app = page.app();
    tick().await;
    let before = page.view_box();
    let svg = page.find("canvas");
    let r = svg.get_bounding_client_rect();
    let (x, y) = (r.left() + 5.0, r.top() + 5.0);
    page.pointer(&svg, "pointerdown", x, y);
    page.pointer(&svg, "pointermove", x + 50.0, y + 30.0);
    page.pointer(&svg, "pointerup", x + 50.0, y + 30.0);
    tick().await;
    let after = page.view_box();
    assert!(after[0] < before[0] && after[1] < before[1], "{after:?} vs {before:?}");
    assert_eq!(after[2], before[2], "panning does not zoom");
    assert!(app.doc.with_untracked(|d| d.layout.is_empty()));
}

#[wasm_bindgen_test]
async fn big_subnets_start_collapsed_and_expand_on_demand() {
    let page = Page::canvas(big(4, 50), None);
    tick().await;
    assert_eq!(page.count(".topo-node--summary"), 4);
    assert!(page.query("node-ecs-1-7").is_none());
    assert!(page.find("container-subnet-1").text_content().unwrap().contains("50 instances"));
    page.click("collapse-subnet-1").await;
    page.find("node-ecs-1-7");
    assert_eq!(page.count(".topo-node--summary"), 3);
    assert_eq!(page.count(".topo-node--ecs"), 50);
    // And back.
    page.click("collapse-subnet-1").await;
    assert!(page.query("node-ecs-1-7").is_none());
}

#[wasm_bindgen_test]
async fn an_embed_pans_and_zooms_but_nothing_moves() {
    let page = Page::canvas(example(), Some(Embed { panels: vec![Panel::Canvas] }));
    let app = page.app();
    tick().await;
    page.drag("node-ecs-a01", 120.0, 60.0).await;
    assert!(app.doc.with_untracked(|d| d.layout.is_empty()), "read-only: no position saved");
    let before = page.view_box();
    page.click("zoom-in").await;
    assert!(page.view_box()[2] < before[2]);
}
