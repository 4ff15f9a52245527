//! The findings panel: the engine's lint of the current scenario (quotas, high-risk ports,
//! shadowed, redundant and matches-nothing rules as exact proofs, unused objects), grouped by
//! severity. Each finding names its objects as links (a rule opens its group's table with the
//! row marked, an instance is selected), says the risk in the engine's sentence, and offers its
//! fix as an ordinary undoable edit where there is one. The rules table marks the same rules
//! (`rule_marks`).
//!
//! - [`model`]: lint → findings, marks and fixes (pure, native tests);
//! - this file: the context that holds the findings of the current scenario, and the views.

pub mod model;

use super::groups::{focus_later, ops};
use crate::components::list_filter::PAGE;
use crate::components::shell::JobStatus;
use crate::state::{use_app, AppState, AUTO_ANALYSIS_LIMIT};
use crate::worker::lane::{Lane, LaneState};
use crate::worker::protocol::{Job, Outcome};
use leptos::prelude::*;
use model::{counts, fix_label, Finding, FixEdit, Target};
use sgplay_core::diagnostic::Severity;
use sgplay_core::model::Direction;

/// The findings of the current scenario: after every edit on a small one; on a large one
/// (more than `AUTO_ANALYSIS_LIMIT` instances) when asked, in the worker, marked stale by the
/// next edit.
#[derive(Clone, Copy)]
pub struct Findings {
    /// Computed on request (a large estate).
    pub manual: Memo<bool>,
    /// On request: nothing computed yet, or the scenario changed since.
    pub stale: RwSignal<bool>,
    requested: RwSignal<Vec<Finding>>,
    auto: Memo<Vec<Finding>>,
    /// The worker computing the requested findings.
    pub lane: Lane,
    /// Counts the scenario's changes: an answer for an older one is shown but stays stale.
    generation: RwSignal<u64>,
    asked_at: StoredValue<u64>,
    app: AppState,
}

impl Findings {
    /// Reads the findings shown (tracked): the automatic ones, or the requested ones on a
    /// large estate. Read in place, never copied: a large estate has thousands.
    pub fn with<R>(&self, f: impl FnOnce(&[Finding]) -> R) -> R {
        if self.manual.get() {
            self.requested.with(|v| f(v))
        } else {
            self.auto.with(|v| f(v))
        }
    }

    /// Computes the findings of the scenario as it is now, in the worker (the large-estate
    /// "Analyse"); they replace the list when they come.
    pub fn compute(&self) {
        let Some(world) = self.app.scenario.with_untracked(|s| s.as_ref().ok().map(|s| s.world.clone())) else { return };
        self.asked_at.set_value(self.generation.get_untracked());
        self.lane.start(Job::Findings { world });
    }
}

/// Puts the findings of `app`'s scenario in context (the panel and the rules table read them).
pub fn provide_findings(app: AppState) {
    let manual = Memo::new(move |_| app.is_large_estate());
    let auto = Memo::new(move |_| {
        if manual.get() {
            return Vec::new();
        }
        app.scenario.with(|s| s.as_ref().map(|s| model::findings(&s.world)).unwrap_or_default())
    });
    let requested = RwSignal::new(Vec::new());
    let stale = RwSignal::new(true);
    let generation = RwSignal::new(0u64);
    let asked_at = StoredValue::new(0u64);
    // Any change of the scenario makes requested findings stale.
    Effect::new(move |_| {
        app.scenario.track();
        generation.update(|g| *g += 1);
        stale.set(true);
    });
    let lane = Lane::new();
    lane.on_done(move |outcome, _| {
        if let Outcome::Findings { findings } = outcome {
            requested.set(findings.clone());
            stale.set(asked_at.get_value() != generation.get_untracked());
        }
    });
    provide_context(Findings { manual, stale, requested, auto, lane, generation, asked_at, app });
}

pub fn use_findings() -> Option<Findings> {
    use_context::<Findings>()
}

/// Shows `target` in the page: a rule's group and direction with the row marked and focused,
/// a group, an instance selected, an address group's row.
pub fn show(app: AppState, target: &Target) {
    match target {
        Target::Rule { group, rule, direction } => {
            app.selection.update(|s| {
                s.group_id = Some(group.clone());
                s.direction = *direction;
            });
            app.spotlight.set(Some((group.clone(), rule.clone())));
            focus_later(format!("rule-row-{rule}"));
        }
        Target::Group { id } => {
            app.selection.update(|s| s.group_id = Some(id.clone()));
            focus_later(format!("group-item-{id}"));
        }
        Target::Instance { id } => {
            app.selection.update(|s| s.instance_id = Some(id.clone()));
            focus_later(format!("instance-select-{id}"));
        }
        Target::AddressGroup { id } => focus_later(format!("address-group-edit-{id}")),
    }
}

/// The words of a link to `target`.
fn target_label(app: AppState, target: &Target) -> String {
    let group_name = |id: &str| {
        app.scenario
            .with_untracked(|s| {
                s.as_ref().ok().and_then(|s| s.world.group(id)).map(|g| if g.name.is_empty() { g.id.clone() } else { g.name.clone() })
            })
            .unwrap_or_else(|| id.to_string())
    };
    match target {
        Target::Rule { group, rule, direction } => {
            let side = if *direction == Direction::Ingress { "inbound" } else { "outbound" };
            format!("{rule} in {}, {side}", group_name(group))
        }
        Target::Group { id } => group_name(id),
        Target::Instance { id } => app
            .scenario
            .with_untracked(|s| s.as_ref().ok().and_then(|s| s.world.instance(id)).map(|i| i.display_name().to_string()))
            .unwrap_or_else(|| id.clone()),
        Target::AddressGroup { id } => id.clone(),
    }
}

/// Applies `fix` as one undoable edit; says what happened.
fn apply(app: AppState, fix: &FixEdit) -> String {
    let label = fix_label(fix);
    let result = match fix.clone() {
        FixEdit::DeleteRule { group, rule } => {
            let origin = app.scenario.with_untracked(|s| {
                let s = s.as_ref().ok()?;
                let index = s.world.group(&group)?.rules.iter().position(|r| r.id == rule)?;
                super::groups::rows::origins(s, &group).get(index).copied()
            });
            match origin {
                Some(origin) => app.edit(&label.to_lowercase(), |doc| {
                    ops::delete_rule(doc, &group, origin);
                }),
                None => return format!("Rule {rule} is no longer there."),
            }
        }
        FixEdit::DeleteGroup { id } => app.edit(&label.to_lowercase(), |doc| doc.security_groups.retain(|g| g.id != id)),
        FixEdit::DeleteAddressGroup { id } => app.edit(&label.to_lowercase(), |doc| doc.address_groups.retain(|g| g.id != id)),
    };
    match result {
        Ok(()) => format!("{label}: done. Undo brings it back."),
        Err(problems) => match problems.first() {
            Some(p) => format!("{label} was refused: {}", p.message),
            None => format!("{label} was refused."),
        },
    }
}

fn severity_words(s: Severity) -> (&'static str, &'static str) {
    match s {
        Severity::Error => ("error", "Errors"),
        Severity::Warning => ("warning", "Warnings"),
        Severity::Advice => ("advice", "Advice"),
    }
}

#[component]
pub fn FindingsPanel() -> impl IntoView {
    let Some(ctx) = use_findings() else { return ().into_any() };
    let findings = ctx;
    let status = RwSignal::new(None::<String>);
    let summary = move || {
        if ctx.manual.get() && ctx.stale.get() {
            return format!(
                "This estate has more than {AUTO_ANALYSIS_LIMIT} instances: the findings are computed when you ask, in the background{}.",
                if findings.with(<[Finding]>::is_empty) { "" } else { " (the list below is from before your last edit)" }
            );
        }
        let (e, w, a) = findings.with(counts);
        if e + w + a == 0 {
            "Nothing to report: every rule takes effect, no quota is exceeded, no high-risk port is open to everyone.".to_string()
        } else {
            let mut parts = Vec::new();
            for (n, one, many) in [(e, "error", "errors"), (w, "warning", "warnings"), (a, "piece of advice", "pieces of advice")] {
                if n > 0 {
                    parts.push(format!("{n} {}", if n == 1 { one } else { many }));
                }
            }
            parts.join(", ")
        }
    };
    let sections = move || {
        [Severity::Error, Severity::Warning, Severity::Advice]
            .into_iter()
            .filter_map(|severity| {
                let list: Vec<Finding> = findings.with(|f| f.iter().filter(|x| x.severity == severity).cloned().collect());
                if list.is_empty() {
                    return None;
                }
                let (modifier, heading) = severity_words(severity);
                let count = list.len();
                let limit = RwSignal::new(PAGE);
                let items = move || list.iter().take(limit.get()).cloned().map(|f| view! { <FindingItem finding=f status/> }).collect_view();
                Some(view! {
                    <section class=format!("findings__section findings__section--{modifier}") data-testid=format!("findings-{modifier}")>
                        <h3 class="findings__heading">{format!("{heading} ({count})")}</h3>
                        <ul class="findings__list">{items}</ul>
                        {move || (count > limit.get()).then(|| view! {
                            <button type="button" class="button button--small button--quiet findings__more" data-testid=format!("findings-more-{modifier}")
                                on:click=move |_| limit.update(|l| *l += PAGE)>{move || format!("Show {} more", (count - limit.get()).min(PAGE))}</button>
                        })}
                    </section>
                })
            })
            .collect_view()
    };
    view! {
        <section class="panel findings" data-testid="findings-panel" aria-labelledby="findings-title">
            <div class="findings__bar">
                <h2 class="panel__title" id="findings-title" tabindex="-1">"Findings"</h2>
                {move || ctx.manual.get().then(|| view! {
                    <button type="button" class="button button--small" data-testid="findings-compute" on:click=move |_| ctx.compute()
                        disabled=move || ctx.lane.state.with(LaneState::is_running)>
                        {move || if ctx.stale.get() { "Analyse" } else { "Analyse again" }}
                    </button>
                })}
            </div>
            {move || ctx.manual.get().then(|| view! { <JobStatus lane=ctx.lane testid="findings-job"/> })}
            <p class="findings__summary" data-testid="findings-summary">{summary}</p>
            {sections}
            <p class="findings__status" role="status" data-testid="findings-status">{move || status.get()}</p>
        </section>
    }
    .into_any()
}

#[component]
fn FindingItem(finding: Finding, status: RwSignal<Option<String>>) -> impl IntoView {
    let app = use_app();
    let link = move |target: Target| {
        let label = target_label(app, &target);
        let testid = match &target {
            Target::Rule { rule, .. } => format!("finding-link-rule-{rule}"),
            Target::Group { id } => format!("finding-link-group-{id}"),
            Target::Instance { id } => format!("finding-link-instance-{id}"),
            Target::AddressGroup { id } => format!("finding-link-address-group-{id}"),
        };
        view! { <button type="button" class="link-button findings__link" data-testid=testid on:click=move |_| show(app, &target)>{label}</button> }
    };
    let targets = finding.targets.clone().into_iter().map(link).collect_view();
    let covered = (!finding.covered_by.is_empty()).then(|| {
        let links = finding.covered_by.clone().into_iter().map(link).collect_view();
        view! { <span class="findings__covered">"covered by " {links}</span> }
    });
    let fix = finding.fix.clone().filter(|_| !app.read_only()).map(|fix| {
        let label = fix_label(&fix);
        view! {
            <button type="button" class="button button--small button--quiet findings__fix" data-testid=format!("finding-fix-{}", finding.key)
                title="An ordinary edit: Undo brings it back"
                on:click=move |_| status.set(Some(apply(app, &fix)))>{label}</button>
        }
    });
    let (modifier, _) = severity_words(finding.severity);
    view! {
        <li class=format!("findings__item findings__item--{modifier}") data-testid=format!("finding-{}", finding.key) data-kind=format!("{:?}", finding.kind)>
            <p class="findings__title"><strong>{finding.title()}</strong> " " {targets}</p>
            <p class="findings__sentence">{super::shell::rich_text(&finding.sentence)}</p>
            <div class="findings__actions">{covered}{fix}</div>
        </li>
    }
}
