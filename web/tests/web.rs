//! The playground's frame in a real browser (headless Chromium via wasm-bindgen-test-runner):
//! undo and redo, share links, the gallery, import, notices and embed mode. Each test mounts
//! its own `Playground` on a fresh element, from a gallery scenario, with autosave off, then
//! clicks and types as a user would and reads the page back.
//!
//! Run with scripts/test.sh, or:
//! `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//!  cargo test --target wasm32-unknown-unknown -p sgplay-web --test web`

#![cfg(target_arch = "wasm32")]

use leptos::task::tick;
use sgplay_core::scenario::ScenarioSpec;
use sgplay_web::gallery;
use sgplay_web::state::boot::{self, Start};
use sgplay_web::state::route::{self, Embed, Panel};
use sgplay_web::state::share::{self, Shared};
use sgplay_web::state::transfer;
use sgplay_web::state::NoticeKind;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, Event, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

mod common;

wasm_bindgen_test_configure!(run_in_browser);

const FTP: &str = "huawei/examples-ftp";

/// A rule with a reversed port range and a misspelt field: two problems, nothing loadable.
const BROKEN: &str = r#"{
  "name": "broken",
  "security_groups": [{"id": "sg", "rules": [
    {"id": "R1", "direction": "ingress", "protocol": "tcp", "multiport": "30-22", "remot_ip_prefix": "10.0.0.0/8"}
  ]}],
  "instances": [{"id": "a", "ip": "10.0.0.1", "security_groups": ["sg"]}]
}"#;

/// One mounted playground, on an element of its own so tests do not see each other's pages.
struct Page {
    root: Element,
}

impl Page {
    /// The start-up the page would make for `#example=<slug>` with nothing saved.
    fn example(slug: &str) -> Start {
        boot::start(&route::parse("", &format!("#example={slug}")), None)
    }

    async fn open(start: Start, embed: Option<Embed>) -> Page {
        let root = common::fresh_root(None);
        common::mount_playground(&root, start, embed);
        tick().await;
        Page { root: root.into() }
    }

    fn try_find(&self, testid: &str) -> Option<Element> {
        self.root.query_selector(&format!("[data-testid='{testid}']")).unwrap()
    }

    fn find(&self, testid: &str) -> Element {
        self.try_find(testid).unwrap_or_else(|| panic!("no element with data-testid `{testid}`"))
    }

    fn count(&self, testid: &str) -> u32 {
        self.root.query_selector_all(&format!("[data-testid='{testid}']")).unwrap().length()
    }

    /// Is any element's test id starting with `prefix` on the page?
    fn has_prefix(&self, prefix: &str) -> bool {
        self.root.query_selector(&format!("[data-testid^='{prefix}']")).unwrap().is_some()
    }

    fn text(&self, testid: &str) -> String {
        self.find(testid).text_content().unwrap_or_default()
    }

    fn input_value(&self, testid: &str) -> String {
        let element = self.find(testid);
        match element.dyn_ref::<HtmlInputElement>() {
            Some(input) => input.value(),
            None => element.unchecked_into::<HtmlTextAreaElement>().value(),
        }
    }

    fn name(&self) -> String {
        self.input_value("scenario-name")
    }

    async fn click(&self, testid: &str) {
        self.find(testid).unchecked_into::<HtmlElement>().click();
        settle().await;
    }

    /// Types into an input or a textarea, then fires `input` and (as leaving the field does)
    /// `change`.
    async fn fill(&self, testid: &str, value: &str) {
        let element = self.find(testid);
        match element.dyn_ref::<HtmlInputElement>() {
            Some(input) => input.set_value(value),
            None => element.unchecked_ref::<HtmlTextAreaElement>().set_value(value),
        }
        element.dispatch_event(&Event::new("input").unwrap()).unwrap();
        element.dispatch_event(&Event::new("change").unwrap()).unwrap();
        settle().await;
    }

    fn disabled(&self, testid: &str) -> bool {
        self.find(testid).has_attribute("disabled")
    }

    fn title(&self, testid: &str) -> String {
        self.find(testid).get_attribute("title").unwrap_or_default()
    }

    fn dialog_open(&self, testid: &str) -> bool {
        self.find(testid).has_attribute("open")
    }

    /// Presses a key with Ctrl (or Shift too) on `target`, as the keyboard would.
    async fn press(&self, target: &Element, key: &str, shift: bool) {
        let fire = js_sys::Function::new_with_args(
            "target, key, shift",
            "target.dispatchEvent(new KeyboardEvent('keydown', {key, ctrlKey: true, shiftKey: shift, bubbles: true, cancelable: true}))",
        );
        fire.call3(&JsValue::NULL, target, &JsValue::from_str(key), &JsValue::from_bool(shift)).unwrap();
        tick().await;
    }
}

/// Lets the reactive system run what an event set off: effects that open dialogs, then the
/// views built inside them.
async fn settle() {
    for _ in 0..3 {
        tick().await;
    }
}

fn gallery_name(slug: &str) -> String {
    gallery::load(slug).unwrap().name
}

#[wasm_bindgen_test]
async fn undo_and_redo_follow_an_edit_and_say_what_they_would_do() {
    let page = Page::open(Page::example(FTP), None).await;
    let original = gallery_name(FTP);
    assert_eq!(page.name(), original);
    assert!(page.disabled("undo") && page.disabled("redo"), "nothing to undo or redo at start");

    page.fill("scenario-name", "My FTP server").await;
    assert_eq!(page.name(), "My FTP server");
    assert!(!page.disabled("undo"));
    assert_eq!(page.title("undo"), "Undo rename scenario");
    assert!(page.disabled("redo"));

    page.click("undo").await;
    assert_eq!(page.name(), original);
    assert!(page.disabled("undo"));
    assert!(!page.disabled("redo"));
    assert_eq!(page.title("redo"), "Redo rename scenario");

    page.click("redo").await;
    assert_eq!(page.name(), "My FTP server");
    assert!(!page.disabled("undo") && page.disabled("redo"));
}

#[wasm_bindgen_test]
async fn ctrl_z_undoes_except_while_typing_in_a_field() {
    let page = Page::open(Page::example(FTP), None).await;
    let original = gallery_name(FTP);
    page.fill("scenario-name", "Renamed").await;

    // In the name field, Ctrl+Z belongs to the field.
    page.press(&page.find("scenario-name"), "z", false).await;
    assert_eq!(page.name(), "Renamed");

    // Elsewhere it undoes, and Ctrl+Shift+Z redoes.
    page.press(&page.find("undo"), "z", false).await;
    assert_eq!(page.name(), original);
    page.press(&page.find("redo"), "Z", true).await;
    assert_eq!(page.name(), "Renamed");
}

#[wasm_bindgen_test]
async fn the_share_link_carries_the_scenario_and_opens_it() {
    let page = Page::open(Page::example(FTP), None).await;
    page.fill("scenario-name", "Shared FTP").await;
    page.click("share").await;
    assert!(page.dialog_open("share-dialog"));

    let link = page.input_value("share-link");
    let hash = &link[link.find('#').expect("the link has a fragment")..];
    let value = share::fragment_value(hash, share::FRAGMENT_KEY).expect("the fragment is a share link");
    let shared = share::decode(value).unwrap();
    let expected = ScenarioSpec { name: "Shared FTP".into(), ..gallery::load(FTP).unwrap() };
    assert_eq!(shared.scenario, expected);
    assert!(shared.probe.is_some(), "the tester's inputs travel with the link");
    assert!(page.try_find("share-warning").is_none(), "a gallery scenario makes a comfortable link");

    // The embed snippet points at the same scenario, with the panels picked.
    assert!(page.input_value("embed-snippet").contains(&format!("?embed=canvas,tester#s={value}")));
    page.click("embed-panel-connections").await;
    assert!(page.input_value("embed-snippet").contains("?embed=canvas,tester,connections#s="));

    // Opening the link starts on that scenario.
    let start = boot::start(&route::parse("", hash), None);
    assert_eq!(start.scenario, expected);
    let opened = Page::open(start, None).await;
    assert_eq!(opened.name(), "Shared FTP");
}

#[wasm_bindgen_test]
async fn a_share_link_longer_than_is_comfortable_is_warned_about() {
    // Descriptions nothing can compress: a link far past `COMFORTABLE_LENGTH`.
    let mut start = Page::example(FTP);
    let mut seed: u64 = 7;
    let rules = &mut start.scenario.security_groups[0].rules;
    for n in 0..300 {
        let description: String = (0..60)
            .map(|_| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                char::from(b'a' + (seed >> 59) as u8 % 26)
            })
            .collect();
        let mut rule = rules[0].clone();
        rule.id = Some(format!("bulk-{n}"));
        rule.description = Some(description);
        rules.push(rule);
    }
    let page = Page::open(start, None).await;
    page.click("share").await;
    assert!(page.input_value("share-link").len() > share::COMFORTABLE_LENGTH);
    assert!(page.text("share-warning").contains("characters long"), "{}", page.text("share-warning"));
}

#[wasm_bindgen_test]
async fn share_links_round_trip_every_gallery_scenario() {
    for entry in gallery::entries() {
        let scenario = gallery::load(entry.slug).unwrap();
        let probe = boot::first_check_probe(&scenario);
        let shared = Shared { scenario, probe: Some(probe) };
        assert_eq!(share::decode(&share::encode(&shared)).as_ref(), Ok(&shared), "{}", entry.slug);
    }
}

#[wasm_bindgen_test]
async fn the_gallery_opens_an_example_undoably() {
    let page = Page::open(Page::example(gallery::DEFAULT_SLUG), None).await;
    let before = page.name();
    page.click("gallery-open").await;
    assert!(page.dialog_open("gallery"));
    assert_eq!(page.count("gallery-search"), 1);
    assert!(page.try_find("gallery-item-huawei-overview-sg-a-sg-b").is_some());

    page.click("gallery-item-huawei-examples-ftp").await;
    assert_eq!(page.name(), gallery_name(FTP));
    assert!(!page.dialog_open("gallery"), "the gallery closes once an example is open");
    assert_eq!(page.title("undo"), format!("Undo open example {}", gallery_name(FTP)));

    page.click("undo").await;
    assert_eq!(page.name(), before);
}

#[wasm_bindgen_test]
async fn the_gallery_filters_by_what_is_typed() {
    let page = Page::open(Page::example(gallery::DEFAULT_SLUG), None).await;
    page.click("gallery-open").await;
    page.fill("gallery-search", "ftp").await;
    assert!(page.try_find("gallery-item-huawei-examples-ftp").is_some());
    assert!(page.try_find("gallery-item-huawei-overview-sg-a-sg-b").is_none());
    page.click("gallery-close").await;
    assert!(!page.dialog_open("gallery"));
}

#[wasm_bindgen_test]
async fn a_broken_import_lists_every_problem_and_changes_nothing() {
    let page = Page::open(Page::example(FTP), None).await;
    page.click("import").await;
    assert!(page.dialog_open("import-dialog"));
    page.fill("import-text", BROKEN).await;
    page.click("import-apply").await;

    let error = page.text("import-error");
    assert!(error.contains("30-22"), "{error}");
    assert!(error.contains("remot_ip_prefix"), "{error}");
    assert_eq!(page.count("import-problem"), 2, "{error}");
    assert!(page.dialog_open("import-dialog"), "the problems stay in view");
    assert_eq!(page.name(), gallery_name(FTP), "the current scenario is untouched");
    assert!(page.disabled("undo"), "nothing was loaded");
}

#[wasm_bindgen_test]
async fn a_good_import_replaces_the_scenario_and_undo_brings_it_back() {
    let page = Page::open(Page::example(FTP), None).await;
    let ipv6 = gallery::load("huawei/ipv6").unwrap();
    page.click("import").await;
    page.fill("import-text", "{ not json").await;
    page.click("import-apply").await;
    assert_eq!(page.count("import-problem"), 1);

    page.fill("import-text", &transfer::export_text(&ipv6)).await;
    page.click("import-apply").await;
    assert_eq!(page.name(), ipv6.name);
    assert!(!page.dialog_open("import-dialog"));
    assert_eq!(page.title("undo"), format!("Undo import {}", ipv6.name));
    page.click("undo").await;
    assert_eq!(page.name(), gallery_name(FTP));
}

#[wasm_bindgen_test]
async fn notices_show_and_can_be_dismissed() {
    let mut start = Page::example(FTP);
    start.notices.push((NoticeKind::Warning, "Your saved work is kept under `sgplay.autosave.set-aside`.".into()));
    start.notices.push((NoticeKind::Info, "Opened the linked scenario. Your previous work is one Undo away.".into()));
    let page = Page::open(start, None).await;
    assert_eq!(page.count("notice"), 2);
    let first = page.find("notice");
    assert_eq!(first.query_selector("code").unwrap().and_then(|c| c.text_content()).as_deref(), Some("sgplay.autosave.set-aside"));
    page.click("notice-dismiss").await;
    assert_eq!(page.count("notice"), 1);
    assert!(page.text("notice").contains("one Undo away"));
}

#[wasm_bindgen_test]
async fn embed_mode_has_no_header_no_editing_and_a_way_out() {
    let embed = Embed { panels: vec![Panel::Groups, Panel::Instances, Panel::Tester] };
    let start = boot::start(&route::parse("?embed=groups,instances,tester", &format!("#example={FTP}")), None);
    let page = Page::open(start, Some(embed)).await;
    assert!(page.try_find("embed").is_some());
    for absent in ["gallery-open", "scenario-name", "undo", "redo", "share", "export", "import", "import-file"] {
        assert!(page.try_find(absent).is_none(), "`{absent}` is shown in embed mode");
    }
    for editing in ["add-rule", "new-group", "new-instance", "rule-edit-", "rule-delete-", "save-rule"] {
        assert!(!page.has_prefix(editing), "the editing control `{editing}` is shown in embed mode");
    }
    let open = page.find("embed-open");
    assert_eq!(open.get_attribute("target").as_deref(), Some("_blank"));
    let href = open.get_attribute("href").unwrap();
    assert!(!href.contains("embed="), "the way out opens the full page: {href}");
    let value = share::fragment_value(&href[href.find('#').unwrap()..], share::FRAGMENT_KEY).unwrap();
    assert_eq!(share::decode(value).unwrap().scenario, gallery::load(FTP).unwrap());
}
