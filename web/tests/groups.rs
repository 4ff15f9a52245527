//! The groups and instances panels in a real browser (headless Chromium via
//! wasm-bindgen-test-runner): edit rules cell by cell, add rules, split comma-separated sources,
//! refuse deleting a group in use, reorder an instance's groups, follow the tester's step.
//! Run with:
//! `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//!  cargo test --target wasm32-unknown-unknown -p sgplay-web --test groups`

#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos::task::tick;
use sgplay_core::scenario::{ProbeSpec, ScenarioSpec};
use sgplay_core::Verdict;
use sgplay_web::components::groups::GroupsPanel;
use sgplay_web::components::instances::InstancesPanel;
use sgplay_web::gallery;
use sgplay_web::state::boot::{first_check_probe, Start};
use sgplay_web::state::route::{Embed, Panel};
use sgplay_web::state::AppState;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, HtmlButtonElement, HtmlElement, HtmlInputElement, HtmlSelectElement};

mod common;

wasm_bindgen_test_configure!(run_in_browser);

fn sg_a_sg_b() -> ScenarioSpec {
    gallery::load(gallery::DEFAULT_SLUG).expect("the default example")
}

fn start(scenario: ScenarioSpec) -> Start {
    let probe = first_check_probe(&scenario);
    Start::fresh(scenario, probe)
}

/// A page mounted on an element of its own, so tests do not see each other's pages.
struct Page {
    root: Element,
    /// The root state, when the test mounted the panels over a state it holds.
    app: Option<AppState>,
}

impl Page {
    fn root() -> Element {
        common::fresh_root(None).into()
    }

    /// The whole playground, as the page shows it (autosave off).
    async fn playground(embed: Option<Embed>) -> Page {
        let root = Page::root();
        common::mount_playground(root.unchecked_ref(), start(sg_a_sg_b()), embed);
        tick().await;
        Page { root, app: None }
    }

    /// Just the two panels over a root state the test can read.
    async fn panels() -> Page {
        let root = Page::root();
        let slot: Rc<RefCell<Option<AppState>>> = Rc::default();
        let out = slot.clone();
        let scenario = sg_a_sg_b();
        leptos::mount::mount_to(root.clone().unchecked_into(), move || {
            let probe = first_check_probe(&scenario);
            let app = AppState::provide(scenario, probe, None, None);
            *out.borrow_mut() = Some(app);
            view! { <GroupsPanel/> <InstancesPanel/> }
        })
        .forget();
        tick().await;
        let app = slot.borrow_mut().take();
        Page { root, app }
    }

    /// Lets the views and their effects catch up (a redrawn part sets its inputs' values in
    /// effects of its own, one turn later).
    async fn settle() {
        for _ in 0..3 {
            tick().await;
        }
    }

    fn app(&self) -> AppState {
        self.app.expect("mounted with Page::panels")
    }

    fn try_find(&self, testid: &str) -> Option<Element> {
        self.root.query_selector(&format!("[data-testid='{testid}']")).unwrap()
    }

    fn find(&self, testid: &str) -> Element {
        self.try_find(testid).unwrap_or_else(|| panic!("no element with data-testid `{testid}`"))
    }

    fn text(&self, testid: &str) -> String {
        self.find(testid).text_content().unwrap_or_default()
    }

    async fn click(&self, testid: &str) {
        self.find(testid).unchecked_into::<HtmlElement>().click();
        Page::settle().await;
    }

    /// Types into an input as a user would: set the value, fire `input`.
    async fn fill(&self, testid: &str, value: &str) {
        let input: HtmlInputElement = self.find(testid).unchecked_into();
        input.set_value(value);
        input.dispatch_event(&Event::new("input").unwrap()).unwrap();
        Page::settle().await;
    }

    /// Picks an option: set the value, fire `change`.
    async fn choose(&self, testid: &str, value: &str) {
        let select: HtmlSelectElement = self.find(testid).unchecked_into();
        select.set_value(value);
        select.dispatch_event(&Event::new("change").unwrap()).unwrap();
        Page::settle().await;
    }

    fn disabled(&self, testid: &str) -> bool {
        self.find(testid).unchecked_into::<HtmlButtonElement>().disabled()
    }

    /// The data-testids starting with `prefix`, in document order.
    fn testids(&self, prefix: &str) -> Vec<String> {
        let list = self.root.query_selector_all(&format!("[data-testid^='{prefix}']")).unwrap();
        (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.unchecked_into::<Element>().get_attribute("data-testid")).collect()
    }
}

/// The verdict for a packet in the page's current document, from the engine.
fn verdict(app: AppState, probe: &ProbeSpec) -> Verdict {
    let world = app.doc.with_untracked(|d| d.build()).expect("the document validates").world;
    sgplay_core::decide(&world, &probe.resolve(&world).expect("the packet resolves"))
}

#[wasm_bindgen_test]
async fn a_reversed_port_range_shows_the_engines_message_and_cannot_be_saved() {
    let page = Page::playground(None).await;
    page.click("rule-edit-A01").await;
    page.fill("cell-port", "30-22").await;
    let message = page.text("cell-error-multiport");
    assert!(message.contains("22-30"), "{message}");
    assert!(page.disabled("save-rule"));
    // Enter in a cell submits the form: still refused.
    let form = page.find("save-rule").closest("form").unwrap().unwrap();
    form.dispatch_event(&Event::new("submit").unwrap()).unwrap();
    tick().await;
    assert!(page.try_find("save-rule").is_some(), "the editor stays open with the draft");
    assert_eq!(page.find("cell-port").unchecked_into::<HtmlInputElement>().value(), "30-22");
    // Fixing it clears the message; cancelling leaves the rule as it was.
    page.fill("cell-port", "22-30").await;
    assert_eq!(page.text("cell-error-multiport"), "");
    assert!(!page.disabled("save-rule"));
    page.click("cancel-rule").await;
    assert!(page.text("rule-row-A01").contains("tcp: 22"), "{}", page.text("rule-row-A01"));
    assert!(!page.text("rule-row-A01").contains("22-30"));
}

#[wasm_bindgen_test]
async fn the_document_is_unchanged_while_a_cell_is_wrong() {
    let page = Page::panels().await;
    let before = page.app().doc.get_untracked();
    page.click("rule-edit-A01").await;
    page.fill("cell-port", "30-22").await;
    page.fill("cell-priority", "101").await;
    assert!(page.text("cell-error-priority").contains("1 to 100"), "{}", page.text("cell-error-priority"));
    page.click("save-rule").await;
    assert_eq!(page.app().doc.get_untracked(), before);
    assert_eq!(page.app().history.with_untracked(|h| h.undo_label().map(str::to_string)), None);
}

#[wasm_bindgen_test]
async fn adding_an_inbound_allow_rule_changes_the_verdict() {
    let page = Page::panels().await;
    let app = page.app();
    // "Sg-A does not admit Sg-B": ECS-B01 cannot SSH into ECS-A01.
    let ssh = ProbeSpec { from: "ecs-b01".into(), to: "ecs-a01".into(), protocol: "tcp".into(), port: Some(22), ..Default::default() };
    assert_eq!(verdict(app, &ssh), Verdict::Deny);

    page.click("group-item-sg-a").await;
    page.click("direction-ingress").await;
    page.click("add-rule").await;
    page.choose("cell-remote-kind", "group").await;
    page.fill("cell-remote", "sg-b").await;
    page.fill("cell-port", "22").await;
    page.fill("cell-description", "SSH from Sg-B").await;
    assert!(!page.disabled("save-rule"), "{}", page.text("cell-error-remote_group_id"));
    page.click("save-rule").await;

    assert!(page.try_find("rule-row-sg-a-in-1").is_some(), "{:?}", page.testids("rule-row-"));
    assert!(page.text("rule-row-sg-a-in-1").contains("security group Sg-B"), "{}", page.text("rule-row-sg-a-in-1"));
    assert_eq!(verdict(app, &ssh), Verdict::Allow);
    // The simulator follows the document too.
    assert!(app.sim.with_untracked(|s| s.world().group("sg-a").unwrap().rules.iter().any(|r| r.id == "sg-a-in-1")));
}

#[wasm_bindgen_test]
async fn comma_separated_sources_become_separate_rows() {
    let page = Page::panels().await;
    page.click("add-rule").await;
    page.fill("cell-port", "443").await;
    page.fill("cell-remote", "10.0.0.0/24, 10.0.1.0/24,10.0.2.0/24").await;
    assert!(page.text("rule-preview").contains("3 sources"), "{}", page.text("rule-preview"));
    page.click("save-rule").await;
    let rows = page.testids("rule-row-sg-a-in-1");
    assert_eq!(rows, ["rule-row-sg-a-in-1", "rule-row-sg-a-in-1-2", "rule-row-sg-a-in-1-3"]);
    assert!(page.text("rules-status").contains("3 sources → 3 rules"), "{}", page.text("rules-status"));
    let written =
        page.app().doc.with_untracked(|d| d.security_groups[0].rules.iter().filter_map(|r| r.remote_ip_prefix.clone()).collect::<Vec<_>>());
    assert!(written.contains(&"10.0.2.0/24".to_string()), "one rule per address in the document: {written:?}");
    assert!(!written.iter().any(|p| p.contains(',')));
}

#[wasm_bindgen_test]
async fn deleting_a_group_in_use_is_refused_with_who_uses_it() {
    let page = Page::playground(None).await;
    page.click("group-item-sg-a").await;
    page.click("group-delete").await;
    let message = page.text("group-message");
    assert!(message.contains("cannot be deleted"), "{message}");
    assert!(message.contains("ECS-A01") && message.contains("ECS-A02"), "{message}");
    assert!(message.contains("B01"), "the rule of Sg-B that refers to it: {message}");
    assert!(page.try_find("group-item-sg-a").is_some());

    // A new, unused group goes.
    page.click("new-group").await;
    assert!(page.try_find("group-item-sg-3").is_some(), "{:?}", page.testids("group-item-"));
    page.click("group-delete").await;
    assert!(page.try_find("group-item-sg-3").is_none());
}

#[wasm_bindgen_test]
async fn a_group_from_a_template_shows_the_templates_rules() {
    let page = Page::panels().await;
    page.choose("new-group-template", "Sys-WebServer").await;
    assert!(page.try_find("group-item-sg-sys-webserver").is_some(), "{:?}", page.testids("group-item-"));
    assert!(page.try_find("rule-row-sg-sys-webserver-in-ssh").is_some(), "{:?}", page.testids("rule-row-"));
    // Deleting one template rule spells the template out and keeps the others.
    page.click("rule-delete-sg-sys-webserver-in-rdp").await;
    assert!(page.try_find("rule-row-sg-sys-webserver-in-rdp").is_none());
    assert!(page.try_find("rule-row-sg-sys-webserver-in-ssh").is_some());
}

#[wasm_bindgen_test]
async fn an_instances_groups_are_reordered_with_the_keyboard_buttons() {
    let page = Page::panels().await;
    page.click("instance-edit-ecs-a01").await;
    page.choose("associate-group", "sg-b").await;
    page.click("associate").await;
    assert_eq!(page.testids("sequence-item-"), ["sequence-item-sg-a", "sequence-item-sg-b"]);
    let up = page.find("move-up-sg-b");
    assert_eq!(up.get_attribute("aria-label").as_deref(), Some("move Sg-B up"));
    assert!(page.disabled("move-up-sg-a"), "the first group cannot go up");

    page.click("move-up-sg-b").await;
    assert_eq!(page.testids("sequence-item-"), ["sequence-item-sg-b", "sequence-item-sg-a"]);
    let numbers = page.find("group-sequence").text_content().unwrap_or_default();
    assert!(numbers.find("Sg-B") < numbers.find("Sg-A"), "{numbers}");
    assert!(page.text("instance-row-ecs-a01").find("Sg-B") < page.text("instance-row-ecs-a01").find("Sg-A"));
    let groups = page.app().doc.with_untracked(|d| d.instances[0].security_groups.clone());
    assert_eq!(groups, ["sg-b", "sg-a"]);

    page.click("move-down-sg-b").await;
    assert_eq!(page.testids("sequence-item-"), ["sequence-item-sg-a", "sequence-item-sg-b"]);
    page.click("dissociate-sg-b").await;
    assert_eq!(page.testids("sequence-item-"), ["sequence-item-sg-a"]);
}

#[wasm_bindgen_test]
async fn an_address_the_engine_refuses_is_shown_at_its_field() {
    let page = Page::panels().await;
    page.click("instance-edit-ecs-a01").await;
    page.fill("instance-ip", "192.168.0.999").await;
    assert!(page.text("instance-error-ip").contains("not an IP address"), "{}", page.text("instance-error-ip"));
    assert!(page.disabled("instance-save"));
    page.fill("instance-ip", "192.168.0.20").await;
    page.fill("instance-virtual_ips", "192.168.0.100").await;
    assert!(!page.disabled("instance-save"));
    page.click("instance-save").await;
    let spec = page.app().doc.with_untracked(|d| d.instances[0].clone());
    assert_eq!((spec.ip.as_deref(), spec.virtual_ips.as_slice()), (Some("192.168.0.20"), ["192.168.0.100".to_string()].as_slice()));
}

#[wasm_bindgen_test]
async fn the_testers_current_step_selects_and_highlights_its_rule() {
    let page = Page::panels().await;
    let app = page.app();
    app.probe.set(ProbeSpec { from: "ecs-a01".into(), to: "ecs-b01".into(), protocol: "tcp".into(), port: Some(80), ..Default::default() });
    app.send_probe().expect("the packet resolves");
    let at = app.sent.with_untracked(|s| s.as_ref().unwrap().steps.iter().position(|s| s.rule_id.as_deref() == Some("B01"))).unwrap();
    app.cursor.set(at + 1);
    tick().await;
    tick().await;
    let row = page.find("rule-row-B01");
    assert_eq!(row.get_attribute("data-current").as_deref(), Some("true"));
    assert!(row.class_name().contains("rules-table__row--missed"), "{}", row.class_name());
    assert_eq!(page.find("group-item-sg-b").get_attribute("aria-pressed").as_deref(), Some("true"));
    assert!(page.try_find("rule-row-B02").unwrap().get_attribute("data-current").is_none());
}

#[wasm_bindgen_test]
async fn an_embed_shows_the_tables_without_editing_controls() {
    let page = Page::playground(Some(Embed { panels: vec![Panel::Groups, Panel::Instances] })).await;
    assert!(page.try_find("rules-table").is_some());
    assert!(page.try_find("rule-row-A01").is_some());
    assert!(page.try_find("instances-table").is_some());
    for control in
        ["add-rule", "new-group", "rule-edit-A01", "rule-delete-A01", "new-instance", "instance-edit-ecs-a01", "new-address-group"]
    {
        assert!(page.try_find(control).is_none(), "{control} is shown in read-only mode");
    }
}

#[wasm_bindgen_test]
async fn an_ip_address_group_is_validated_by_the_engine() {
    let page = Page::panels().await;
    page.click("new-address-group").await;
    page.fill("address-group-entries", "10.0.0.1\n10.0.0.9-10.0.0.1").await;
    let errors = page.text("address-group-error");
    assert!(errors.contains("10.0.0.1-10.0.0.9"), "{errors}");
    assert!(page.disabled("address-group-save"));
    page.fill("address-group-entries", "10.0.0.1\n10.0.0.1-10.0.0.9, 172.16.0.0/16").await;
    page.click("address-group-save").await;
    // The row shows the first two entries and counts the rest; its tooltip lists them all.
    let row = page.text("address-group-row-ipg-1");
    assert!(row.contains("10.0.0.1-10.0.0.9") && row.contains("and 1 more") && !row.contains("172.16.0.0/16"), "{row}");
    let all = page.find("address-group-entries-ipg-1").get_attribute("title").unwrap_or_default();
    assert_eq!(all, "10.0.0.1, 10.0.0.1-10.0.0.9, 172.16.0.0/16");
}

#[wasm_bindgen_test]
async fn an_instance_without_groups_gets_the_engines_default_group_which_can_be_written_out() {
    let page = Page::panels().await;
    page.click("new-instance").await;
    assert_eq!(page.find("instance-id").unchecked_into::<HtmlInputElement>().value(), "ecs-5");
    page.click("instance-save").await;
    assert!(page.text("instance-row-ecs-5").contains("default"), "{}", page.text("instance-row-ecs-5"));
    page.click("group-item-default").await;
    assert!(page.try_find("rule-row-default-in-ipv4-self").is_some(), "{:?}", page.testids("rule-row-"));
    assert!(page.try_find("rule-edit-default-in-ipv4-self").is_none(), "not in the document yet: read-only");
    page.click("group-adopt").await;
    assert!(page.app().doc.with_untracked(|d| d.security_groups.iter().any(|g| g.id == "default")));
    assert!(page.try_find("rule-edit-default-in-ipv4-self").is_some());
}
