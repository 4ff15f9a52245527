//! The cloud profile in a real browser (headless Chromium via wasm-bindgen-test-runner): the
//! toolbar's switch is an undoable edit that the engine rebuilds (a packet whose verdict
//! depends on Alibaba's aggregated order changes with it), the rules table and the verdict
//! speak the profile's words, the gallery's Alibaba examples open under the Alibaba profile,
//! and an Alibaba group's type is edited on its card, with the engine's refusals shown.
//!
//! Run with scripts/test.sh, or:
//! `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//!  cargo test --target wasm32-unknown-unknown -p sgplay-web --test profile`

#![cfg(target_arch = "wasm32")]

use common::Panels;
use leptos::prelude::*;
use sgplay_web::components::groups::GroupsPanel;
use sgplay_web::components::shell::Header;
use sgplay_web::components::tester::TesterPanel;
use sgplay_web::gallery;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Event, HtmlSelectElement};

mod common;

wasm_bindgen_test_configure!(run_in_browser);

/// An ENI in two groups; its first check (SSH from 203.0.113.5) is dropped by the second
/// group's Drop at priority 10 under Alibaba, accepted by the first group under Huawei.
const AGGREGATED: &str = "alibaba/alibaba-aggregated-order";
/// Basic groups, one isolated; instance `both` is in `sg-iso` and `sg-app`.
const INNER_POLICY: &str = "alibaba/alibaba-inner-access-policy";

/// The masthead (cloud switch, badge, gallery, undo), the groups and the tester over `slug`.
async fn open(slug: &str) -> Panels {
    common::mount_panels(slug, |_| view! { <Header/> <GroupsPanel/> <TesterPanel/> }).await
}

fn select_value(page: &Panels, testid: &str) -> String {
    page.find(testid).unchecked_into::<HtmlSelectElement>().value()
}

/// Picks `value` in a select, as a user does: the value changes, then `change` fires.
async fn choose(page: &Panels, testid: &str, value: &str) {
    let select = page.find(testid).unchecked_into::<HtmlSelectElement>();
    select.set_value(value);
    select.dispatch_event(&Event::new("change").unwrap()).unwrap();
    Panels::settle().await;
}

/// Sends the tester's packet and reads the verdict badge.
async fn verdict(page: &Panels) -> String {
    page.click("send").await;
    page.text("verdict")
}

/// The badge and the switch both say `label` (`value` in the select).
#[track_caller]
fn assert_profile(page: &Panels, label: &str, value: &str) {
    assert_eq!(page.text("cloud-profile-badge"), label);
    assert_eq!(select_value(page, "cloud-profile"), value);
}

/// The aggregated example under Alibaba: its first check is dropped by the second group's rule.
async fn assert_alibaba_drops_the_first_check(page: &Panels) {
    assert_profile(page, "Alibaba Cloud", "alibaba");
    assert_eq!(verdict(page).await, "DROP", "the second group's Drop at priority 10 beats the first group's Accept at 50");
}

#[wasm_bindgen_test]
async fn switching_the_profile_changes_a_verdict_that_depends_on_the_aggregated_order_and_undo_restores_it() {
    let page = open(AGGREGATED).await;
    assert_alibaba_drops_the_first_check(&page).await;

    choose(&page, "cloud-profile", "huawei").await;
    assert_profile(&page, "Huawei Cloud", "huawei");
    assert_eq!(verdict(&page).await, "ALLOW", "Huawei: the first group's Accept decides, the second group is not consulted");
    assert_eq!(page.find("undo").get_attribute("title").unwrap_or_default(), "Undo switch to Huawei Cloud");

    page.click("undo").await;
    assert_alibaba_drops_the_first_check(&page).await;
}

#[wasm_bindgen_test]
async fn the_rules_table_speaks_the_profile_words() {
    let page = open(AGGREGATED).await;
    let table = page.text("rules-table");
    for words in ["Policy", "Protocol & PortRange", "Authorization object"] {
        assert!(table.contains(words), "{words:?} in {table}");
    }
    let ssh = page.text("rule-row-web-ssh-any");
    assert!(ssh.contains("Accept") && ssh.contains("TCP PortRange 22/22"), "{ssh}");
    let implicit = page.text("rule-row-implicit-inner-ipv4");
    assert!(implicit.contains("ALL PortRange -1/-1"), "the engine's implicit rule of a basic group: {implicit}");

    let expect = page.text("check-expect");
    assert!(expect.contains("expect drop by block-office-ssh"), "the tester's check in Alibaba's words: {expect}");

    choose(&page, "cloud-profile", "huawei").await;
    assert!(page.text("check-expect").contains("expect deny by block-office-ssh"));
    let table = page.text("rules-table");
    assert!(table.contains("Action") && table.contains("Source") && !table.contains("Authorization object"), "{table}");
    let ssh = page.text("rule-row-web-ssh-any");
    assert!(ssh.contains("Allow") && ssh.contains("tcp: 22"), "{ssh}");
    assert!(page.try_find("rule-row-implicit-inner-ipv4").is_none(), "Huawei groups have no implicit rules");
}

#[wasm_bindgen_test]
async fn a_gallery_example_of_the_alibaba_section_opens_under_the_alibaba_profile() {
    let page = open(gallery::DEFAULT_SLUG).await;
    assert_profile(&page, "Huawei Cloud", "huawei");
    page.click("gallery-open").await;
    let titles = page.text("gallery");
    assert!(titles.contains("Alibaba Cloud"), "the gallery has an Alibaba Cloud section");

    page.click("gallery-item-alibaba-alibaba-aggregated-order").await;
    assert_alibaba_drops_the_first_check(&page).await;
}

#[wasm_bindgen_test]
async fn an_alibaba_group_type_is_edited_on_its_card_and_the_engine_refusals_are_shown() {
    let page = open(INNER_POLICY).await;
    assert_eq!(select_value(&page, "group-type"), "basic");
    assert_eq!(select_value(&page, "group-inner-access-policy"), "Accept");

    // `both` is in sg-iso (basic) and sg-app: sg-app cannot become an enterprise group.
    choose(&page, "group-type", "enterprise").await;
    let message = page.text("group-message");
    assert!(message.contains("mixes basic security groups"), "{message}");
    assert_eq!(select_value(&page, "group-type"), "basic", "the refused edit leaves the card as it was");

    choose(&page, "group-inner-access-policy", "Drop").await;
    assert_eq!(select_value(&page, "group-inner-access-policy"), "Drop");
    assert!(page.try_find("rule-row-implicit-inner-ipv4").is_none(), "an isolated group has no implicit inner rule");
    page.click("undo").await;
    assert_eq!(select_value(&page, "group-inner-access-policy"), "Accept");

    choose(&page, "cloud-profile", "huawei").await;
    assert!(page.try_find("group-kind").is_none(), "Huawei groups have no type");
}
