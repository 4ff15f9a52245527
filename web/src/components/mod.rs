//! The Leptos views. [`App`] starts the page and lays out the panels; each folder is one area
//! of the page with its components, thin views over the root state (`crate::state`).

mod app;
pub mod baseline;
pub mod connections;
pub mod find;
pub mod findings;
pub mod groups;
pub mod instances;
pub mod list_filter;
pub mod matrix;
pub mod shell;
pub mod tester;
pub mod topology;

pub use app::{App, Playground};

/// The CSS selector of the element with `data-testid` = `testid`. Test ids carry scenario ids,
/// which are a stranger's text: quoted as a CSS string, so a `'` or `\` cannot end it.
pub fn testid_selector(testid: &str) -> String {
    let mut quoted = String::with_capacity(testid.len() + 16);
    for c in testid.chars() {
        match c {
            '\'' | '\\' => {
                quoted.push('\\');
                quoted.push(c);
            }
            // A line break cannot be escaped with a backslash in CSS; validation refuses it in ids.
            c if c.is_control() => quoted.push_str(&format!("\\{:x} ", c as u32)),
            c => quoted.push(c),
        }
    }
    format!("[data-testid='{quoted}']")
}

#[cfg(test)]
mod tests {
    #[test]
    fn testid_selectors_quote_what_could_end_them() {
        assert_eq!(super::testid_selector("group-item-sg"), "[data-testid='group-item-sg']");
        assert_eq!(super::testid_selector("r'] *, x['"), "[data-testid='r\\'] *, x[\\'']");
        assert_eq!(super::testid_selector("a\\b"), "[data-testid='a\\\\b']");
    }
}
