//! The findings panel in a real browser (headless Chromium via wasm-bindgen-test-runner): the
//! engine's findings listed by severity, a link that opens the right group and direction with
//! the rule's row marked and focused, a fix applied as an undoable edit and undone, and the
//! rules table marking shadowed and redundant rules with their cover. Run with:
//! `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//!  cargo test --target wasm32-unknown-unknown -p sgplay-web --test findings`

#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use sgplay_core::model::Direction;
use sgplay_web::components::findings::{provide_findings, FindingsPanel};
use sgplay_web::components::groups::GroupsPanel;
use sgplay_web::gallery;
use sgplay_web::state::AppState;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

mod common;

wasm_bindgen_test_configure!(run_in_browser);

type Page = common::Panels;

/// The findings and groups panels over `slug`.
async fn open(slug: &str) -> Page {
    common::mount_panels(slug, |app| {
        provide_findings(app);
        view! { <FindingsPanel/> <GroupsPanel/> }
    })
    .await
}

#[wasm_bindgen_test]
async fn a_clean_scenario_says_so() {
    let page = open(gallery::DEFAULT_SLUG).await;
    assert!(page.text("findings-summary").starts_with("Nothing to report"), "{}", page.text("findings-summary"));
    assert_eq!(page.count(".findings__item"), 0);
}

#[wasm_bindgen_test]
async fn findings_are_grouped_and_a_link_opens_the_rule_it_names() {
    let page = open("huawei/matching-order").await;
    assert_eq!(page.text("findings-summary"), "10 pieces of advice");
    assert!(page.try_find("findings-advice").is_some());
    assert!(page.try_find("findings-error").is_none());
    // The default selection is the first group; the link to a rule of another group switches.
    page.app.selection.update(|s| {
        s.group_id = Some("sg-prio".into());
        s.direction = Direction::Egress;
    });
    Page::settle().await;
    page.click("finding-link-rule-T-allow").await;
    let selection = page.app.selection.get_untracked();
    assert_eq!(selection.group_id.as_deref(), Some("sg-tie"));
    assert_eq!(selection.direction, Direction::Ingress);
    let row = page.find("rule-row-T-allow");
    assert!(row.class_name().contains("rules-table__row--spotlight"), "{}", row.class_name());
    let focused = document().active_element().and_then(|e| e.get_attribute("data-testid"));
    assert_eq!(focused.as_deref(), Some("rule-row-T-allow"));
    // The table marks it, naming its cover.
    assert!(page.text("rule-mark-T-allow").starts_with("shadowed: never takes effect: T-deny"), "{}", page.text("rule-mark-T-allow"));
    assert!(page.text("rule-mark-T-allow-web").starts_with("redundant"));
    assert!(page.try_find("rule-mark-T-deny").is_none());
}

/// The test id of the fix button of the finding about `rule`.
fn fix_of(page: &Page, rule: &str) -> String {
    let all = page.root.query_selector_all("[data-testid^='finding-fix-']").unwrap();
    (0..all.length())
        .filter_map(|i| all.item(i).and_then(|n| n.dyn_into::<Element>().ok()))
        .filter(|e| e.text_content().unwrap_or_default() == format!("Delete rule {rule}"))
        .find_map(|e| e.get_attribute("data-testid"))
        .unwrap_or_else(|| panic!("no fix for {rule}"))
}

fn rule_in_doc(app: AppState, rule: &str) -> bool {
    app.doc.with_untracked(|d| d.security_groups.iter().any(|g| g.rules.iter().any(|r| r.id.as_deref() == Some(rule))))
}

#[wasm_bindgen_test]
async fn a_fix_is_an_undoable_edit() {
    let page = open("huawei/matching-order").await;
    page.click(&fix_of(&page, "T-allow")).await;
    assert_eq!(page.text("findings-status"), "Delete rule T-allow: done. Undo brings it back.");
    assert!(!rule_in_doc(page.app, "T-allow"), "the rule is still in the document");
    let fixes = |page: &Page| {
        let all = page.root.query_selector_all("[data-testid^='finding-fix-']").unwrap();
        (0..all.length()).filter_map(|i| all.item(i)).filter_map(|n| n.text_content()).collect::<Vec<_>>()
    };
    assert!(!fixes(&page).contains(&"Delete rule T-allow".to_string()), "{:?}", fixes(&page));
    page.app.undo();
    Page::settle().await;
    assert!(rule_in_doc(page.app, "T-allow"), "undo did not bring the rule back");
    assert!(fixes(&page).contains(&"Delete rule T-allow".to_string()), "{:?}", fixes(&page));
}

/// A check of the scenario expects T-allow-web to decide: deleting it is still allowed (the
/// check then fails, and the scenario says so as a warning).
#[wasm_bindgen_test]
async fn a_fix_that_breaks_a_check_is_applied_and_the_check_is_flagged() {
    let page = open("huawei/matching-order").await;
    page.click(&fix_of(&page, "T-allow-web")).await;
    assert!(!rule_in_doc(page.app, "T-allow-web"));
    assert_eq!(page.text("findings-status"), "Delete rule T-allow-web: done. Undo brings it back.");
    let flagged =
        page.app.scenario.with_untracked(|s| {
            s.as_ref().unwrap().notices.iter().any(|p| {
                p.path.ends_with(".expect_rule") && p.value == "T-allow-web" && p.message.ends_with("this check fails until it does")
            })
        });
    assert!(flagged, "no warning names the check that expects T-allow-web");
}
