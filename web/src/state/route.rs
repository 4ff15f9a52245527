//! What the page's address asks for: a share link (`#s=…`), a gallery example
//! (`#example=huawei/overview-sg-a-sg-b`), and embed mode (`?embed=tester,canvas`).
//! Pure parsing, tested natively.

use super::share::{fragment_value, FRAGMENT_KEY};

/// The panels an embedding page can pick.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Panel {
    Groups,
    Instances,
    Canvas,
    Tester,
    Connections,
}

impl Panel {
    pub const ALL: [Panel; 5] = [Panel::Groups, Panel::Instances, Panel::Canvas, Panel::Tester, Panel::Connections];

    pub fn key(self) -> &'static str {
        match self {
            Panel::Groups => "groups",
            Panel::Instances => "instances",
            Panel::Canvas => "canvas",
            Panel::Tester => "tester",
            Panel::Connections => "connections",
        }
    }

    pub fn parse(text: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|p| p.key() == text.trim())
    }
}

/// Embed mode: a compact read-only view with the panels the author picked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Embed {
    pub panels: Vec<Panel>,
}

impl Embed {
    pub fn shows(&self, panel: Panel) -> bool {
        self.panels.contains(&panel)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Route {
    pub embed: Option<Embed>,
    /// The share link's value, still encoded.
    pub shared: Option<String>,
    pub example: Option<String>,
}

/// `search` is `location.search` (`?embed=…`), `hash` is `location.hash` (`#s=…`).
pub fn parse(search: &str, hash: &str) -> Route {
    let embed = search.trim_start_matches('?').split('&').find_map(|pair| {
        let value = pair.strip_prefix("embed")?;
        let value = value.strip_prefix('=').unwrap_or("");
        let panels: Vec<Panel> = value.split(',').filter_map(Panel::parse).collect();
        // `?embed` or `?embed=1` alone: the tester and the canvas, the common documentation case.
        Some(Embed { panels: if panels.is_empty() { vec![Panel::Canvas, Panel::Tester] } else { panels } })
    });
    Route {
        embed,
        shared: fragment_value(hash, FRAGMENT_KEY).map(str::to_string),
        example: fragment_value(hash, "example").map(|s| s.replace("%2F", "/")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embed_panels() {
        let r = parse("?embed=tester,groups,bogus", "");
        assert_eq!(r.embed, Some(Embed { panels: vec![Panel::Tester, Panel::Groups] }));
        assert_eq!(parse("?embed=1", "").embed.map(|e| e.panels.len()), Some(2));
        assert_eq!(parse("", "").embed, None);
    }

    #[test]
    fn fragments() {
        assert_eq!(parse("", "#s=1.abc").shared.as_deref(), Some("1.abc"));
        assert_eq!(parse("", "#example=huawei%2Fipv6").example.as_deref(), Some("huawei/ipv6"));
    }
}
