//! The dry-run report: one serialisable model of a plan (actions, people before → after,
//! problems of the inputs and of the plan, the fingerprint, what was changed by hand since the
//! last run — `report::drift` says it), and one renderer per format behind one small trait, as
//! lychee's `StatsFormatter`: terminal text (`text.rs`), Markdown for a ticket (`markdown.rs`),
//! CSV for Excel (`csv.rs`) and the JSON of cli.md (`json.rs`); the factory is
//! `Format::formatter`. Codes and ids in JSON; labels, names and cities for people.

use std::collections::HashMap;

use crate::history::DriftChange;
use crate::model::{Dossier, DossierSet, Problem, Severity, StructureId, StructureInfo, VecSet};
use crate::plan::{Action, Op, Plan, Summary};
use crate::t;

mod csv;
mod json;
mod markdown;
#[cfg(test)]
pub(crate) mod tests;
mod text;

pub use crate::plan::PLAN_FORMAT;
pub use text::summary_text;

/// Everything a renderer needs, computed once.
pub struct PlanReport<'a> {
    pub plan: &'a Plan,
    /// The inputs' problems and the plan's, sorted.
    pub problems: Vec<Problem>,
    pub summary: Summary,
    pub fingerprint: String,
    pub structures: HashMap<&'a StructureId, &'a StructureInfo>,
    pub organisation: String,
    /// The changes made by hand since the last run (evidence.md), from the history store as
    /// it stands; empty without a store.
    pub drift: &'a [DriftChange],
    /// A revert plan's run, phase and created users (`report::revert` says them).
    pub revert: Option<&'a crate::plan::revert::RevertInfo>,
    /// A review plan's campaign (`plan --review`).
    pub review: Option<&'a str>,
}

impl<'a> PlanReport<'a> {
    /// `fingerprint`: the saved plan's (`SavedPlan::new`), which covers what the report does
    /// not show.
    pub fn new(
        plan: &'a Plan,
        fingerprint: &str,
        input_problems: &[Problem],
        invalid_rows: usize,
        structures: &'a [StructureInfo],
        organisation: &str,
    ) -> PlanReport<'a> {
        let mut problems: Vec<Problem> = input_problems
            .iter()
            .cloned()
            .chain(plan.problems.iter().cloned())
            .collect();
        crate::model::sort_problems(&mut problems);
        let mut summary = plan.summary;
        summary.invalid_rows = invalid_rows;
        summary.warnings = problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
            .count();
        PlanReport {
            plan,
            problems,
            summary,
            fingerprint: fingerprint.to_owned(),
            structures: structures.iter().map(|s| (&s.id, s)).collect(),
            organisation: organisation.to_owned(),
            drift: &[],
            revert: None,
            review: None,
        }
    }

    /// The report of a revert plan (evidence.md "Revert a run").
    pub fn with_revert(
        mut self,
        info: Option<&'a crate::plan::revert::RevertInfo>,
    ) -> PlanReport<'a> {
        self.revert = info;
        self
    }

    /// The report of a review plan (evidence.md "Access review campaigns").
    pub fn with_review(mut self, campaign: Option<&'a str>) -> PlanReport<'a> {
        self.review = campaign;
        self
    }

    /// Where the plan comes from (cli.md): `inputs`, `revert:<run>` or `review:<campaign>`.
    pub fn source(&self) -> String {
        match (self.revert, self.review) {
            (Some(info), _) => crate::plan::revert::source_of(&info.run, info.phase),
            (None, Some(campaign)) => format!("review:{campaign}"),
            (None, None) => crate::plan::saved::SOURCE_INPUTS.to_owned(),
        }
    }

    /// The report with the changes made by hand since the last run.
    pub fn with_drift(mut self, drift: &'a [DriftChange]) -> PlanReport<'a> {
        self.drift = drift;
        self
    }

    /// A structure's name and city by its id as the history store writes it, when the portal
    /// listed it.
    pub(crate) fn structure_name(&self, id: &str) -> Option<String> {
        self.structures
            .get(&StructureId::from_portal(id.to_owned()))
            .map(|s| format!("{} ({})", s.name, s.city))
    }

    /// The people with changes, in the plan's order, each with their actions.
    pub(crate) fn people_with_actions(
        &self,
    ) -> Vec<(&'a crate::plan::PersonPlan, Vec<&'a Action>)> {
        let mut by_person: HashMap<&str, Vec<&Action>> = HashMap::new();
        for a in &self.plan.actions {
            by_person.entry(&*a.email).or_default().push(a);
        }
        self.plan
            .people
            .iter()
            .filter_map(|p| by_person.remove(p.email.as_str()).map(|a| (p, a)))
            .collect()
    }

    /// `Crèche Les Lutins (Namur), …`, or `—` for none.
    pub(crate) fn structures_text(&self, v: &VecSet<StructureId>) -> String {
        if v.is_empty() {
            "—".to_owned()
        } else {
            v.iter()
                .map(|s| self.structure_label(s))
                .collect::<Vec<_>>()
                .join(", ")
        }
    }

    /// What an action is about, for people: the dossier's label, or `MA-00101 — name (city)`;
    /// `None` for a creation.
    pub(crate) fn item_of(&self, a: &Action) -> Option<String> {
        match a.op {
            Op::CreateUser => None,
            Op::GrantDossier | Op::RevokeDossier => a.dossier.map(|d| d.label().to_owned()),
            Op::GrantStructure | Op::RevokeStructure => a
                .structure
                .as_ref()
                .map(|s| format!("{s} — {}", self.structure_label(s))),
        }
    }

    pub(crate) fn structure_label(&self, id: &StructureId) -> String {
        match self.structures.get(id) {
            Some(s) => format!("{} ({})", s.name, s.city),
            None => id.to_string(),
        }
    }
}

/// ` (ended 27/11/2026)` after an action that ends a dated row, else nothing.
pub(crate) fn ended_mark(a: &Action) -> String {
    a.ended.map_or_else(String::new, |d| {
        format!(" {}", t!("plan-ended-mark", day = d.day_first()))
    })
}

/// The two dated sections (inputs.md "Dates") as lines for people: the title of each non-empty
/// one, then one line per row — who, what, from or until which day, which row.
pub(crate) fn dated_sections(r: &PlanReport<'_>) -> Vec<(String, Vec<String>)> {
    let line = |d: &crate::plan::DatedRow, upcoming: bool| {
        let mut what: Vec<String> = d.dossiers.iter().map(|x| x.label().to_owned()).collect();
        what.extend(d.structures.iter().map(|s| {
            match r.structures.get(&StructureId::from_portal(s.clone())) {
                Some(info) => format!("{} ({})", info.name, info.city),
                None => s.clone(),
            }
        }));
        let what = if what.is_empty() {
            "—".to_owned()
        } else {
            what.join(", ")
        };
        let who = if d.name.is_empty() {
            format!("<{}>", d.email)
        } else {
            format!("{} <{}>", d.name, d.email)
        };
        let day = d.day.day_first();
        let source = d.source.to_string();
        if upcoming {
            t!(
                "plan-upcoming-line",
                who = who,
                what = what,
                day = day,
                source = source
            )
        } else {
            t!(
                "plan-ending-line",
                who = who,
                what = what,
                day = day,
                source = source
            )
        }
    };
    let mut out = Vec::new();
    if !r.plan.upcoming.is_empty() {
        out.push((
            t!("plan-upcoming", count = r.plan.upcoming.len()),
            r.plan.upcoming.iter().map(|d| line(d, true)).collect(),
        ));
    }
    if !r.plan.ending.is_empty() {
        out.push((
            t!("plan-ending", count = r.plan.ending.len()),
            r.plan.ending.iter().map(|d| line(d, false)).collect(),
        ));
    }
    out
}

pub(crate) fn dossiers_text(d: DossierSet, admin: bool) -> String {
    let mut v: Vec<String> = d.iter().map(|x| x.label().to_owned()).collect();
    if admin {
        for x in Dossier::ADMINISTRATEUR_IMPLICIT {
            if !d.contains(x) {
                v.push(t!("implicit-mark", dossier = x.label()));
            }
        }
    }
    if v.is_empty() {
        "—".into()
    } else {
        v.join(", ")
    }
}

/// The mode in the run's language.
pub fn mode_word(mode: crate::plan::Mode) -> String {
    match mode {
        crate::plan::Mode::Additive => t!("mode-additive"),
        crate::plan::Mode::Prune => t!("mode-prune"),
        crate::plan::Mode::Revert => t!("mode-revert"),
        crate::plan::Mode::Review => t!("mode-review"),
    }
}

/// A renderer of the plan report in one format. Only the CSV writer can fail.
pub trait PlanFormatter {
    fn format(&self, r: &PlanReport<'_>) -> Result<String, ::csv::Error>;
}

/// The formats of the plan report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `color`: ANSI colours (a terminal, no NO_COLOR).
    Text {
        color: bool,
    },
    Markdown,
    Csv,
    Json,
}

impl Format {
    /// The one renderer of the format.
    pub fn formatter(self) -> Box<dyn PlanFormatter> {
        match self {
            Format::Text { color } => Box::new(text::Text { color }),
            Format::Markdown => Box::new(markdown::Markdown),
            Format::Csv => Box::new(csv::Csv),
            Format::Json => Box::new(json::Json),
        }
    }
}

/// Terminal text: the summary first, then each person with changes (before → after), the
/// problems, the portal users no input names.
pub fn text(r: &PlanReport<'_>, color: bool) -> String {
    text::Text { color }.render(r)
}

/// Markdown for a ticket: the summary, the changes per person, the problems.
pub fn markdown(r: &PlanReport<'_>) -> String {
    markdown::Markdown.render(r)
}

/// CSV for Excel in Belgium: `;`, UTF-8 with BOM, one line per action.
pub fn csv(r: &PlanReport<'_>) -> Result<String, ::csv::Error> {
    csv::Csv.render(r)
}

/// cli.md's `plan --format json` (NRNs masked: only in problems, and masked there).
pub fn json(r: &PlanReport<'_>) -> String {
    json::Json.render(r)
}
