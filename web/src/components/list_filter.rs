//! Finding things in long lists (a 1,000-instance estate has 200 groups and 1,000 instances):
//! a query matched against an item's words, and pages, so a list renders only what is shown
//! (pure, tested natively), and the two small views every such list shows: its search box and
//! its footer ("Showing 30 of 200 groups", "Show 30 more"). The group list and the instances
//! table use them.

use leptos::prelude::*;

/// Items shown at first, and added by each "Show more".
pub const PAGE: usize = 30;

/// Does every word of `query` appear (case-insensitively) in one of `fields`? An empty query
/// matches everything.
pub fn matches(query: &str, fields: &[&str]) -> bool {
    let fields: Vec<String> = fields.iter().map(|f| f.to_lowercase()).collect();
    query.split_whitespace().all(|word| {
        let word = word.to_lowercase();
        fields.iter().any(|f| f.contains(&word))
    })
}

/// The first `limit` of `items`, and how many are left out.
pub fn page<T>(mut items: Vec<T>, limit: usize) -> (Vec<T>, usize) {
    let hidden = items.len().saturating_sub(limit);
    items.truncate(limit);
    (items, hidden)
}

/// "Showing 30 of 200 groups", "3 of 200 groups match", "" when everything is shown.
pub fn status(shown: usize, matching: usize, total: usize, what: &str) -> String {
    match (matching == total, shown == matching) {
        (true, true) => String::new(),
        (true, false) => format!("Showing {shown} of {total} {what}"),
        (false, true) => format!("{matching} of {total} {what} match"),
        (false, false) => format!("Showing {shown} of the {matching} matching {what} ({total} in all)"),
    }
}

/// The search box of a long list: typing starts again from the first page.
#[component]
pub fn SearchBox(
    query: RwSignal<String>,
    limit: RwSignal<usize>,
    /// For screen readers: what the box finds and by what.
    #[prop(into)]
    label: String,
    #[prop(into)] placeholder: String,
    #[prop(into)] testid: String,
) -> impl IntoView {
    view! {
        <label class="list-search">
            <span class="visually-hidden">{label}</span>
            <input type="search" class="field__input list-search__input" data-testid=testid placeholder=placeholder
                prop:value=move || query.get()
                on:input=move |ev| {
                    query.set(event_target_value(&ev));
                    limit.set(PAGE);
                }/>
        </label>
    }
}

/// Under a long list: how much of it is shown (`{prefix}-list-status`) and "Show N more"
/// (`{prefix}-more`). `shown`: (shown, hidden, matching); `total` items in all.
#[component]
pub fn PageFooter(
    shown: Signal<(usize, usize, usize)>,
    total: Signal<usize>,
    limit: RwSignal<usize>,
    /// "groups", "instances".
    what: &'static str,
    prefix: &'static str,
) -> impl IntoView {
    view! {
        <p class="list-search__status" role="status" data-testid=format!("{prefix}-list-status")>
            {move || shown.with(|(n, _, matching)| status(*n, *matching, total.get(), what))}
        </p>
        {move || (shown.with(|s| s.1) > 0).then(|| view! {
            <button type="button" class="button button--small button--quiet" data-testid=format!("{prefix}-more")
                on:click=move |_| limit.update(|l| *l += PAGE)>{move || format!("Show {} more", shown.with(|s| s.1.min(PAGE)))}</button>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_must_appear_in_some_field() {
        assert!(matches("", &["anything"]));
        assert!(matches("web", &["web-12", "sg-0042"]));
        assert!(matches("WEB 0042", &["web-12", "sg-0042"]));
        assert!(!matches("web db", &["web-12", "sg-0042"]));
        assert!(matches("10.1.2", &["ecs-1", "10.1.2.3"]));
    }

    #[test]
    fn pages_and_status() {
        assert_eq!(page((0..100).collect::<Vec<_>>(), PAGE), ((0..30).collect::<Vec<_>>(), 70));
        assert_eq!(page(vec![1, 2], PAGE), (vec![1, 2], 0));
        assert_eq!(status(4, 4, 4, "groups"), "");
        assert_eq!(status(30, 200, 200, "groups"), "Showing 30 of 200 groups");
        assert_eq!(status(3, 3, 200, "groups"), "3 of 200 groups match");
        assert_eq!(status(30, 45, 200, "groups"), "Showing 30 of the 45 matching groups (200 in all)");
    }
}
