//! The addresses the shell hands out: share links, embed URLs and their `<iframe>` snippet,
//! gallery deep links. Plain string functions over the page's base address, tested natively.

use crate::state::route::Panel;
use crate::state::share::FRAGMENT_KEY;

/// The page's address without its query and fragment: `http://host/sgplay/?embed=x#s=…` →
/// `http://host/sgplay/`.
pub fn page_base(href: &str) -> &str {
    let end = href.find(['?', '#']).unwrap_or(href.len());
    &href[..end]
}

/// The full page opening the shared scenario: `{base}#s={value}`.
pub fn share_url(base: &str, value: &str) -> String {
    format!("{base}#{FRAGMENT_KEY}={value}")
}

/// The compact read-only view with `panels`, in the page's own panel order:
/// `{base}?embed=canvas,tester#s={value}`. No panel picked means the embed default.
pub fn embed_url(base: &str, panels: &[Panel], value: &str) -> String {
    let keys: Vec<&str> = Panel::ALL.into_iter().filter(|p| panels.contains(p)).map(Panel::key).collect();
    let embed = if keys.is_empty() { "1".to_string() } else { keys.join(",") };
    format!("{base}?embed={embed}#{FRAGMENT_KEY}={value}")
}

/// A gallery example's deep link: `{base}#example=huawei/ipv6`.
pub fn example_url(base: &str, slug: &str) -> String {
    format!("{base}#example={slug}")
}

/// The `<iframe>` an author pastes into documentation. Taller when more panels are shown.
pub fn iframe_snippet(src: &str, title: &str, panels: usize) -> String {
    let height = 160 + 320 * panels.clamp(1, 5);
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{height}\" style=\"border:1px solid #dde1e8;border-radius:8px\" loading=\"lazy\"></iframe>",
        attribute(src),
        attribute(title)
    )
}

/// Text made safe inside a double-quoted HTML attribute.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The test id suffix of a gallery slug: `huawei/overview-sg-a-sg-b` → `huawei-overview-sg-a-sg-b`.
pub fn slug_testid(slug: &str) -> String {
    slug.replace('/', "-")
}

/// The panel's name in the embed picker.
pub fn panel_label(panel: Panel) -> &'static str {
    match panel {
        Panel::Groups => "Security groups",
        Panel::Instances => "Instances",
        Panel::Canvas => "Topology",
        Panel::Tester => "Packet tester",
        Panel::Connections => "Connections",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_drops_query_and_fragment() {
        assert_eq!(page_base("http://h/a/?embed=x#s=1.y"), "http://h/a/");
        assert_eq!(page_base("http://h/a/index.html#example=z"), "http://h/a/index.html");
        assert_eq!(page_base("http://h/"), "http://h/");
    }

    #[test]
    fn share_and_example_links() {
        assert_eq!(share_url("http://h/", "1.abc"), "http://h/#s=1.abc");
        assert_eq!(example_url("http://h/", "huawei/ipv6"), "http://h/#example=huawei/ipv6");
    }

    #[test]
    fn embed_urls_list_panels_in_page_order_and_round_trip_through_the_router() {
        let url = embed_url("http://h/", &[Panel::Tester, Panel::Canvas], "1.abc");
        assert_eq!(url, "http://h/?embed=canvas,tester#s=1.abc");
        let (search, hash) = (&url[url.find('?').unwrap()..url.find('#').unwrap()], &url[url.find('#').unwrap()..]);
        let route = crate::state::route::parse(search, hash);
        assert_eq!(route.embed.map(|e| e.panels), Some(vec![Panel::Canvas, Panel::Tester]));
        assert_eq!(route.shared.as_deref(), Some("1.abc"));
        assert_eq!(embed_url("http://h/", &[], "1.abc"), "http://h/?embed=1#s=1.abc");
    }

    #[test]
    fn the_snippet_escapes_what_it_quotes() {
        let s = iframe_snippet("http://h/?embed=tester#s=1.a", "Web \"prod\" <1>", 2);
        assert!(s.starts_with("<iframe src=\"http://h/?embed=tester#s=1.a\""), "{s}");
        assert!(s.contains("title=\"Web &quot;prod&quot; &lt;1&gt;\""), "{s}");
        assert!(s.contains("height=\"800\""), "{s}");
    }

    #[test]
    fn gallery_test_ids() {
        assert_eq!(slug_testid("huawei/overview-sg-a-sg-b"), "huawei-overview-sg-a-sg-b");
    }
}
