//! The rules of one group and direction, with the console's columns (in the cloud profile's
//! words: Allow/Deny or Accept/Drop, `tcp: 22` or `TCP PortRange 22/22`) and each rule's
//! position in evaluation order; per-row Modify / Duplicate / Delete; "Add rule"; the row of
//! the tester's current step highlighted.

use super::draft::{fresh_rule_id, RuleDraft};
use super::icons::{icon, Icon};
use super::ops;
use super::paths::{below, index_of, sentence};
use super::rows::{self, current_step, order_tooltip, Origin, Row};
use super::rule_editor::RuleEditor;
use crate::components::findings::model::RuleMark;
use crate::state::use_app;
use leptos::prelude::*;
use sgplay_core::model::{Action, Direction, SecurityGroup};
use sgplay_core::profile::CloudProfile;
use sgplay_core::scenario::RuleSpec;
use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

/// What the open editor will do on Save.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Modify(Origin),
    /// A new rule at the end of the group.
    Add,
    /// A new rule right after the row's rule, prefilled with it.
    Duplicate(Origin),
}

/// The open editor: what it does, the row it replaces or follows, its direction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Editing {
    pub target: Target,
    pub anchor: Option<String>,
    pub direction: Direction,
}

/// One line of the table's body.
struct Line {
    key: LineKey,
    view: LineView,
}

enum LineView {
    Rule(Row, Option<Vec<String>>, Option<RuleMark>),
    Editor(Editing),
    Empty(Direction),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum LineKey {
    /// A rule's row: its id and a fingerprint of everything it shows but its position.
    Rule {
        id: String,
        content: u64,
    },
    Editor {
        anchor: Option<String>,
        target: &'static str,
    },
    Empty(Direction),
}

impl LineKey {
    fn editor(e: &Editing) -> LineKey {
        let target = match e.target {
            Target::Add => "add",
            Target::Modify(_) => "modify",
            Target::Duplicate(_) => "duplicate",
        };
        LineKey::Editor { anchor: e.anchor.clone(), target }
    }
}

/// What a rule's row shows, apart from its position (read by id, so that a row survives the
/// rules before it changing): the rule, its remote cell, its kind of origin, the engine's
/// advice, its finding mark, the cloud's words.
fn row_fingerprint(row: &Row, notes: &Option<Vec<String>>, mark: &Option<RuleMark>, words: CloudProfile) -> u64 {
    let mut h = DefaultHasher::new();
    row.rule.hash(&mut h);
    row.remote.hash(&mut h);
    match row.origin {
        Origin::Template { .. } => 0u8.hash(&mut h),
        Origin::Spec { part, parts, .. } => (1u8, part, parts).hash(&mut h),
        Origin::Engine => 2u8.hash(&mut h),
    }
    notes.hash(&mut h);
    mark.as_ref().map(|m| (m.label, &m.note)).hash(&mut h);
    words.hash(&mut h);
    h.finish()
}

#[component]
pub fn RulesTable(
    gid: StoredValue<String>,
    group: Memo<Option<SecurityGroup>>,
    world_index: Memo<Option<usize>>,
    direction: Memo<Direction>,
) -> impl IntoView {
    let app = use_app();
    let editable = !app.read_only();
    let by_evaluation = RwSignal::new(true);
    let editing = RwSignal::new(None::<Editing>);
    let draft = RwSignal::new(RuleDraft::new_rule(String::new(), Direction::Ingress));
    let status = RwSignal::new(None::<String>);
    // Whose words the headers and cells speak.
    let profile = Memo::new(move |_| app.cloud_profile());

    let origins =
        Memo::new(move |_| app.scenario.with(|s| s.as_ref().map(|s| gid.with_value(|id| rows::origins(s, id))).unwrap_or_default()));
    let rows = Memo::new(move |_| {
        let (dir, by) = (direction.get(), by_evaluation.get());
        origins.with(|o| {
            group.with(|g| {
                app.scenario.with(|s| match (g, s) {
                    (Some(g), Ok(s)) => rows::rows(&s.world, g, o, dir, by),
                    _ => Vec::new(),
                })
            })
        })
    });
    // The tester's current step, when it is about a rule of this group and direction.
    let current = Memo::new(move |_| {
        let cursor = app.cursor.get();
        let step = app.sent.with(|s| s.as_ref().and_then(|s| current_step(s, cursor)))?;
        let here = gid.with_value(|id| &step.group_id == id) && step.direction == direction.get();
        here.then_some((step.rule_id?, step.matched))
    });
    // The engine's advice per rule (by index in the validated group).
    let advice = Memo::new(move |_| {
        let Some(w) = world_index.get() else { return BTreeMap::new() };
        let prefix = format!("security_groups[{w}].rules");
        let mut out: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        app.scenario.with(|s| {
            for p in s.as_ref().map(|s| s.notices.as_slice()).unwrap_or_default() {
                if let Some(i) = below(&p.path, &prefix).and_then(index_of) {
                    out.entry(i).or_default().push(sentence(p));
                }
            }
        });
        out
    });

    // Shadowed, redundant and matches-nothing rules, from the findings of the whole scenario.
    let findings = crate::components::findings::use_findings();
    let marks = Memo::new(move |_| {
        let Some(all) = findings else { return BTreeMap::new() };
        let name_of = |id: &str| {
            app.scenario
                .with_untracked(|s| {
                    s.as_ref().ok().and_then(|s| s.world.group(id)).map(|g| if g.name.is_empty() { g.id.clone() } else { g.name.clone() })
                })
                .unwrap_or_else(|| id.to_string())
        };
        all.with(|f| gid.with_value(|g| crate::components::findings::model::rule_marks(f, g, name_of)))
    });

    let busy = move || editing.with(Option::is_some);
    if let Some(open) = use_context::<super::DraftOpen>() {
        Effect::new(move |_| open.0.set(busy()));
        on_cleanup(move || open.0.set(false));
    }
    let ids =
        move || group.with_untracked(|g| g.as_ref().map(|g| g.rules.iter().map(|r| r.id.clone()).collect::<Vec<_>>()).unwrap_or_default());
    let open = move |e: Editing, d: RuleDraft| {
        draft.set(d);
        status.set(None);
        editing.set(Some(e));
    };
    let add = move |_| {
        let dir = direction.get_untracked();
        let id = fresh_rule_id(&gid.get_value(), dir, &ids());
        open(Editing { target: Target::Add, anchor: None, direction: dir }, RuleDraft::new_rule(id, dir));
    };
    let group_name = move || group.with_untracked(|g| g.as_ref().map(|g| g.name.clone()).unwrap_or_default());

    // Where each rule stands now (evaluation position, document origin), by id: a row is kept
    // while its rule is unchanged, and rules before it can come and go.
    let places = Memo::new(move |_| rows.with(|rs| rs.iter().map(|r| (r.rule.id.clone(), (r.order, r.origin))).collect::<HashMap<_, _>>()));
    let row_view = move |row: Row, notes: Option<Vec<String>>, mark: Option<RuleMark>| {
        let Row { rule, origin, remote, .. } = row;
        let id = rule.id.clone();
        let origin_now = {
            let id = id.clone();
            move || places.with_untracked(|p| p.get(&id).map_or(origin, |&(_, o)| o))
        };
        let order = {
            let id = id.clone();
            move || places.with(|p| p.get(&id).map_or(0, |&(o, _)| o))
        };
        let dir = rule.direction;
        let is_current = {
            let id = id.clone();
            move || current.with(|c| c.as_ref().filter(|(r, _)| *r == id).map(|(_, matched)| *matched))
        };
        let class = {
            let is_current = is_current.clone();
            let id = id.clone();
            move || {
                let base = match is_current() {
                    Some(true) => "rules-table__row rules-table__row--current rules-table__row--matched",
                    Some(false) => "rules-table__row rules-table__row--current rules-table__row--missed",
                    None => "rules-table__row",
                };
                let spotlit = app.spotlight.with(|s| s.as_ref().is_some_and(|(g, r)| *r == id && gid.with_value(|own| own == g)));
                if spotlit {
                    format!("{base} rules-table__row--spotlight")
                } else {
                    base.to_string()
                }
            }
        };
        let mark_view = mark.map(|m| {
            let modifier = m.label.replace(' ', "-");
            view! {
                <span class=format!("rules-table__mark rules-table__mark--{modifier}") data-testid=format!("rule-mark-{id}") title=m.note.clone()>
                    {m.label}
                    <span class="rules-table__mark-note">": " {m.note.clone()}</span>
                </span>
            }
        });
        let words = profile.get_untracked();
        let action_word = words.action_word(rule.action);
        let action_class = match rule.action {
            Action::Allow => "action action--allow",
            Action::Deny => "action action--deny",
        };
        let origin_tag = match origin {
            Origin::Template { .. } => Some(("template".to_string(), "From the group's template".to_string())),
            Origin::Spec { part, parts, .. } if parts > 1 => Some((
                format!("source {} of {parts}", part + 1),
                "Written as one rule with comma-separated sources: the console makes one rule per source".to_string(),
            )),
            _ => None,
        };
        let actions = (editable && origin != Origin::Engine).then(|| {
            let (modify_id, duplicate_id, delete_id) = (id.clone(), id.clone(), id.clone());
            let duplicate_rule = rule.clone();
            let (origin_for_modify, origin_for_duplicate, origin_for_delete) = (origin_now.clone(), origin_now.clone(), origin_now);
            let modify = move |_| {
                let origin = origin_for_modify();
                let Some(spec) = app.doc.with_untracked(|d| gid.with_value(|g| ops::rule_spec(d, g, origin))) else { return };
                open(Editing { target: Target::Modify(origin), anchor: Some(modify_id.clone()), direction: dir }, RuleDraft::from_spec(&spec, dir));
            };
            let duplicate = move |_| {
                let fresh = fresh_rule_id(&gid.get_value(), dir, &ids());
                let spec = RuleSpec { id: Some(fresh), security_group_id: None, ..RuleSpec::from_rule(&duplicate_rule, &gid.get_value()) };
                open(Editing { target: Target::Duplicate(origin_for_duplicate()), anchor: Some(duplicate_id.clone()), direction: dir }, RuleDraft::from_spec(&spec, dir));
            };
            let delete = move |_| {
                let label = format!("delete rule {delete_id} of {}", group_name());
                let origin = origin_for_delete();
                match app.edit(&label, |doc| {
                    gid.with_value(|g| ops::delete_rule(doc, g, origin));
                }) {
                    Ok(()) => status.set(Some(format!("Deleted rule {delete_id}. Undo brings it back."))),
                    Err(problems) => status.set(Some(problems.first().map(sentence).unwrap_or_else(|| "the rule could not be deleted".into()))),
                }
            };
            view! {
                <td class="rules-table__actions">
                    <button type="button" class="icon-button" title="Modify" aria-label=format!("Modify rule {id}") data-testid=format!("rule-edit-{id}") disabled=busy on:click=modify>{icon(Icon::Edit)}</button>
                    <button type="button" class="icon-button" title="Duplicate" aria-label=format!("Duplicate rule {id}") data-testid=format!("rule-duplicate-{id}") disabled=busy on:click=duplicate>{icon(Icon::Copy)}</button>
                    <button type="button" class="icon-button icon-button--danger" title="Delete" aria-label=format!("Delete rule {id}") data-testid=format!("rule-delete-{id}") disabled=busy on:click=delete>{icon(Icon::Delete)}</button>
                </td>
            }
        });
        let note_text = notes.map(|n| n.join("\n"));
        let order_title = {
            let order = order.clone();
            move || order_tooltip(order(), words)
        };
        view! {
            <tr class=class data-testid=format!("rule-row-{id}") tabindex="-1" data-current=move || is_current().map(|_| "true")>
                <td class="rules-table__order" title=order_title>
                    {move || format!("#{}", order())}
                    {note_text.map(|t| view! { <span class="rules-table__advice" title=t.clone() aria-label=t>"!"</span> })}
                </td>
                <td class="table__number">{rule.priority}</td>
                <td><span class=action_class>{action_word}</span></td>
                <td class="rules-table__type">{rule.ethertype.to_string()}</td>
                <td class="rules-table__protocol">
                    {words.protocol_and_port(&rule)}
                    <span class="rules-table__inline-type">{rule.ethertype.to_string()}</span>
                </td>
                <td class="rules-table__remote">
                    {remote}
                    {(!rule.description.is_empty()).then(|| view! { <span class="rules-table__inline-description">{rule.description.clone()}</span> })}
                    {mark_view}
                </td>
                <td class="rules-table__description">
                    {rule.description.clone()}
                    {origin_tag.map(|(tag, title)| view! { <span class="rules-table__tag" title=title>{tag}</span> })}
                </td>
                {actions}
            </tr>
        }
        .into_any()
    };

    let columns = if editable { 8 } else { 7 };
    let editor_row = move |e: Editing| {
        view! {
            <tr class="rules-table__editor-row" data-testid="rule-editor">
                <td colspan=columns>
                    <RuleEditor gid target=e.target draft editing status group origins/>
                </td>
            </tr>
        }
        .into_any()
    };
    // The body's lines, keyed: an edit re-renders the rows it changes (and removes or adds
    // its own), not the whole table, which at a large estate's 120 rules is most of an edit's
    // time. A rule's row is keyed by what it shows apart from its position.
    let lines = move || {
        let dir = direction.get();
        let words = profile.get();
        let open_editor = editing.get().filter(|e| e.direction == dir);
        let notes = advice.get();
        let marks = marks.get();
        let rows = rows.get();
        let empty = rows.is_empty() && open_editor.is_none();
        let mut out = Vec::new();
        let editor_line = |e: Editing| Line { key: LineKey::editor(&e), view: LineView::Editor(e) };
        if let Some(e) = open_editor.clone().filter(|e| e.target == Target::Add) {
            out.push(editor_line(e));
        }
        for row in rows {
            let anchored = open_editor.clone().filter(|e| e.anchor.as_deref() == Some(row.rule.id.as_str()));
            if let Some(e) = anchored.clone().filter(|e| matches!(e.target, Target::Modify(_))) {
                out.push(editor_line(e));
                continue;
            }
            let n = notes.get(&row.index).cloned();
            let m = marks.get(&row.rule.id).cloned();
            let key = LineKey::Rule { id: row.rule.id.clone(), content: row_fingerprint(&row, &n, &m, words) };
            out.push(Line { key, view: LineView::Rule(row, n, m) });
            if let Some(e) = anchored {
                out.push(editor_line(e));
            }
        }
        if empty {
            out.push(Line { key: LineKey::Empty(dir), view: LineView::Empty(dir) });
        }
        out
    };
    let line_view = move |line: Line| match line.view {
        LineView::Rule(row, notes, mark) => row_view(row, notes, mark),
        LineView::Editor(e) => editor_row(e),
        LineView::Empty(dir) => {
            let text = match dir {
                Direction::Ingress => "No inbound rules: this group lets nothing in by itself.",
                Direction::Egress => "No outbound rules: this group lets nothing out by itself.",
            };
            view! { <tr class="rules-table__empty"><td colspan=columns>{text}</td></tr> }.into_any()
        }
    };
    let order_button = move |evaluation: bool, label: &'static str, testid: &'static str| {
        view! {
            <button
                type="button"
                class=move || if by_evaluation.get() == evaluation { "segmented__button segmented__button--on" } else { "segmented__button" }
                aria-pressed=move || if by_evaluation.get() == evaluation { "true" } else { "false" }
                data-testid=testid
                on:click=move |_| by_evaluation.set(evaluation)
            >
                {label}
            </button>
        }
    };

    let caption = move || {
        let name = group.with(|g| g.as_ref().map(|g| if g.name.is_empty() { g.id.clone() } else { g.name.clone() }).unwrap_or_default());
        let side = if direction.get() == Direction::Ingress { "Inbound" } else { "Outbound" };
        let order = if by_evaluation.get() { "in evaluation order" } else { "in written order" };
        format!("{side} rules of {name}, {order}")
    };
    view! {
        <div class="rules">
            <div class="rules__toolbar">
                {editable.then(|| view! {
                    <button type="button" class="button button--small" data-testid="add-rule" disabled=busy on:click=add>"+ Add rule"</button>
                })}
                <div class="segmented" role="group" aria-label="Row order">
                    {order_button(true, "Evaluation order", "order-evaluation")}
                    {order_button(false, "Written order", "order-written")}
                </div>
            </div>
            <div class="table-scroll">
                <table class="table rules-table" data-testid="rules-table">
                    <caption class="visually-hidden">{caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col" title=move || format!("Position in evaluation order{}", rows::order_rule(profile.get()))>"#"</th>
                            <th scope="col" class="table__number">"Priority"</th>
                            <th scope="col">{move || profile.get().action_heading()}</th>
                            <th scope="col" class="rules-table__type">"Type"</th>
                            <th scope="col">{move || profile.get().ports_heading()}</th>
                            <th scope="col">{move || profile.get().remote_heading(direction.get())}</th>
                            <th scope="col" class="rules-table__description">"Description"</th>
                            {editable.then(|| view! { <th scope="col"><span class="visually-hidden">"Operation"</span></th> })}
                        </tr>
                    </thead>
                    <tbody><For each=lines key=|line| line.key.clone() children=line_view/></tbody>
                </table>
            </div>
            <p class="rules__status" role="status" data-testid="rules-status">{move || status.get()}</p>
        </div>
    }
}
