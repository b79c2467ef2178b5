//! The dry-run report: one serialisable model of a plan (actions, people before → after,
//! problems of the inputs and of the plan, the fingerprint), and its renderers — terminal text
//! and the JSON of cli.md. Codes and ids in JSON; labels, names and cities for people.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::model::{Dossier, DossierSet, Problem, Severity, StructureId, StructureInfo, VecSet};
use crate::plan::{Action, Op, Plan, Summary};

use super::check::severity_word;
use super::messages::{ProblemView, hint, message, views};
use crate::t;

pub use crate::plan::PLAN_FORMAT;

/// Everything a renderer needs, computed once.
pub struct PlanReport<'a> {
    pub plan: &'a Plan,
    /// The inputs' problems and the plan's, sorted.
    pub problems: Vec<Problem>,
    pub summary: Summary,
    pub fingerprint: String,
    pub structures: HashMap<&'a StructureId, &'a StructureInfo>,
    pub organisation: String,
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
        }
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

#[derive(Serialize)]
struct JsonAction<'a> {
    id: u32,
    op: Op,
    email: &'a str,
    user_id: Option<&'a str>,
    dossier: Option<&'static str>,
    structure: Option<&'a str>,
    depends_on: &'a [u32],
    sources: Vec<String>,
    /// `apply` would hold it for approval (a guard tripped under `on_trip = "hold"`).
    held: bool,
    /// Revoked because the person left (authoritative scope); always false in `listed`.
    leaver: bool,
}

impl<'a> JsonAction<'a> {
    fn of(a: &'a Action, plan: &Plan) -> Self {
        JsonAction {
            held: plan.holds(a),
            leaver: plan.is_leaver(a),
            id: a.id,
            op: a.op,
            email: &a.email,
            user_id: a.user_id.as_deref(),
            dossier: a.dossier.map(|d| d.code()),
            structure: a.structure.as_ref().map(|s| s.as_str()),
            depends_on: &a.depends_on,
            sources: a.sources.iter().map(ToString::to_string).collect(),
        }
    }
}

#[derive(Serialize)]
struct JsonUnlisted<'a> {
    user_id: &'a str,
    name: &'a str,
    email: &'a str,
}

#[derive(Serialize)]
struct JsonPlan<'a> {
    format: &'static str,
    mode: crate::plan::Mode,
    fingerprint: &'a str,
    organisation: &'a str,
    scope: crate::model::ScopeMode,
    summary: Summary,
    actions: Vec<JsonAction<'a>>,
    problems: Vec<ProblemView<'a>>,
    unlisted_users: Vec<JsonUnlisted<'a>>,
    /// Authoritative scope: each leaver with what they lose (codes and ids).
    leavers: Vec<JsonLeaver<'a>>,
}

#[derive(Serialize)]
struct JsonLeaver<'a> {
    user_id: Option<&'a str>,
    name: &'a str,
    email: &'a str,
    dossiers: Vec<&'static str>,
    structures: Vec<&'a str>,
}

/// cli.md's `plan --format json` (NRNs masked: only in problems, and masked there).
pub fn json(r: &PlanReport<'_>) -> String {
    let doc = JsonPlan {
        format: PLAN_FORMAT,
        mode: r.plan.mode,
        fingerprint: &r.fingerprint,
        organisation: &r.organisation,
        scope: r.plan.scope,
        leavers: r
            .plan
            .leavers
            .iter()
            .map(|l| JsonLeaver {
                user_id: l.user_id.as_deref(),
                name: &l.name,
                email: &l.email,
                dossiers: l.dossiers_before.iter().map(|d| d.code()).collect(),
                structures: l.structures_before.iter().map(|s| s.as_str()).collect(),
            })
            .collect(),
        summary: r.summary,
        actions: r
            .plan
            .actions
            .iter()
            .map(|a| JsonAction::of(a, r.plan))
            .collect(),
        problems: views(&r.problems),
        unlisted_users: r
            .plan
            .unlisted
            .iter()
            .map(|u| JsonUnlisted {
                user_id: &u.user_id,
                name: &u.name,
                email: &u.email,
            })
            .collect(),
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
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
    }
}

/// The summary lines every plan rendering starts with (also shown by `apply` before it asks).
pub fn summary_text(
    fingerprint: &str,
    mode: crate::plan::Mode,
    organisation: &str,
    s: &Summary,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        t!(
            "plan-title",
            fingerprint = fingerprint,
            mode = mode_word(mode),
            organisation = organisation
        )
    );
    let _ = writeln!(
        out,
        "  {}",
        t!(
            "plan-counts",
            create = s.create_user,
            grant_dossier = s.grant_dossier,
            grant_structure = s.grant_structure,
            revoke_dossier = s.revoke_dossier,
            revoke_structure = s.revoke_structure
        )
    );
    let _ = writeln!(
        out,
        "  {}",
        t!(
            "plan-counts-more",
            implicit = s.implicit,
            unchanged = s.unchanged_people,
            invalid = s.invalid_rows,
            warnings = s.warnings
        )
    );
    if s.held > 0 {
        let _ = writeln!(out, "  {}", t!("plan-held", held = s.held));
    }
    out
}

/// Terminal text: the summary first, then each person with changes (before → after), the
/// problems, the portal users no input names. `color`: ANSI colours (a terminal, no NO_COLOR).
pub fn text(r: &PlanReport<'_>, color: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    };
    let mut out = summary_text(&r.fingerprint, r.plan.mode, &r.organisation, &r.summary);
    for (p, actions) in r.people_with_actions() {
        let who = match &p.user_id {
            Some(id) => format!("{} <{}> {id}", p.name, p.email),
            None => format!(
                "{} <{}> {}",
                p.name,
                p.email,
                paint("32", &t!("plan-new-user"))
            ),
        };
        let _ = writeln!(out, "\n{who}");
        let _ = writeln!(
            out,
            "  {}",
            t!(
                "plan-dossiers",
                before = dossiers_text(p.dossiers_before, p.admin),
                after = dossiers_text(p.dossiers_after, p.admin)
            )
        );
        let _ = writeln!(
            out,
            "  {}",
            t!(
                "plan-structures",
                before = r.structures_text(&p.structures_before),
                after = r.structures_text(&p.structures_after)
            )
        );
        for a in actions {
            let (sign, code) = match a.op {
                Op::RevokeDossier | Op::RevokeStructure => ("-", "31"),
                _ => ("+", "32"),
            };
            let what = r.item_of(a).unwrap_or_else(|| t!("plan-create-user"));
            let sources: Vec<String> = a.sources.iter().map(ToString::to_string).collect();
            let held = if r.plan.holds(a) {
                paint("33", &format!(" {}", t!("plan-held-mark")))
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  {} #{} {what}{held}   [{}]",
                paint(code, sign),
                a.id,
                sources.join(", ")
            );
        }
    }
    if !r.problems.is_empty() {
        let _ = writeln!(out, "\n{}", t!("plan-problems"));
        let width = [Severity::Error, Severity::Warning, Severity::Note]
            .iter()
            .map(|s| severity_word(*s).chars().count())
            .max()
            .unwrap_or(7);
        for p in &r.problems {
            let word = format!("{:<width$}", severity_word(p.severity));
            let sev = match p.severity {
                Severity::Error => paint("31", &word),
                Severity::Warning => paint("33", &word),
                Severity::Note => word,
            };
            let _ = writeln!(out, "  {sev} {}  {}", p.location, message(p));
            let hint = hint(p);
            if !hint.is_empty() {
                let _ = writeln!(
                    out,
                    "  {:<width$} {}",
                    "",
                    t!("hint-line", hint = hint.into_owned())
                );
            }
        }
    }
    let unlisted: Vec<_> = r.plan.unlisted.iter().filter(|u| !u.is_caller).collect();
    if !unlisted.is_empty() {
        let _ = writeln!(out, "\n{}", t!("plan-unlisted", count = unlisted.len()));
        // The JSON report lists them all; a terminal shows the first ones.
        const SHOWN: usize = 20;
        for u in unlisted.iter().take(SHOWN) {
            let _ = writeln!(out, "  {} <{}> {}", u.name, u.email, u.user_id);
        }
        if unlisted.len() > SHOWN {
            let _ = writeln!(
                out,
                "  {}",
                t!("plan-unlisted-more", count = unlisted.len() - SHOWN)
            );
        }
    }
    if !r.plan.leavers.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            t!("plan-leavers", count = r.plan.leavers.len())
        );
        for l in &r.plan.leavers {
            let _ = writeln!(out, "  {}", leaver_line(r, l));
        }
    }
    if r.plan.actions.is_empty() {
        let _ = writeln!(out, "\n{}", t!("plan-no-changes"));
    }
    out
}

/// A leaver and what they lose, on one line.
fn leaver_line(r: &PlanReport<'_>, l: &crate::plan::PersonPlan) -> String {
    t!(
        "plan-leaver",
        name = &l.name,
        email = &l.email,
        user = l.user_id.as_deref().unwrap_or(""),
        dossiers = dossiers_text(l.dossiers_before, false),
        structures = r.structures_text(&l.structures_before)
    )
}

/// CSV for Excel in Belgium: `;`, UTF-8 with BOM, one line per action.
pub fn csv(r: &PlanReport<'_>) -> Result<String, csv::Error> {
    let headers = [
        t!("csv-fingerprint"),
        t!("csv-id"),
        t!("csv-op"),
        t!("csv-email"),
        t!("csv-user-id"),
        t!("csv-dossier"),
        t!("csv-dossier-label"),
        t!("csv-structure"),
        t!("csv-structure-name"),
        t!("csv-city"),
        t!("csv-depends-on"),
        t!("csv-sources"),
        t!("csv-leaver"),
    ];
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let rows = r
        .plan
        .actions
        .iter()
        .map(|a| {
            let info = a.structure.as_ref().and_then(|s| r.structures.get(s));
            vec![
                r.fingerprint.clone(),
                a.id.to_string(),
                format!("{:?}", a.op),
                a.email.to_string(),
                a.user_id.as_deref().unwrap_or_default().to_owned(),
                a.dossier.map(|d| d.code().to_owned()).unwrap_or_default(),
                a.dossier.map(|d| d.label().to_owned()).unwrap_or_default(),
                a.structure
                    .as_ref()
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
                info.map(|s| s.name.clone()).unwrap_or_default(),
                info.map(|s| s.city.clone()).unwrap_or_default(),
                a.depends_on
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" "),
                a.sources
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" "),
                if r.plan.is_leaver(a) {
                    t!("csv-yes")
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    super::table::csv_text(&super::table::Table::new("Plan", &headers, rows))
}

/// Markdown for a ticket: the summary, the changes per person, the problems.
pub fn markdown(r: &PlanReport<'_>) -> String {
    let s = &r.summary;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n",
        t!("md-plan-title", fingerprint = &r.fingerprint)
    );
    let _ = writeln!(
        out,
        "{}\n",
        t!(
            "md-organisation",
            organisation = super::md_escape(&r.organisation),
            mode = mode_word(r.plan.mode)
        )
    );
    let _ = writeln!(out, "{}", t!("md-summary-header"));
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
        s.create_user,
        s.grant_dossier,
        s.grant_structure,
        s.revoke_dossier,
        s.revoke_structure,
        s.implicit,
        s.unchanged_people,
        s.invalid_rows,
        s.warnings
    );
    if s.held > 0 {
        let _ = writeln!(out, "{}\n", t!("md-held", held = s.held));
    }
    if !r.plan.actions.is_empty() {
        let _ = writeln!(out, "## {}\n", t!("md-changes"));
        let _ = writeln!(out, "{}", t!("md-changes-header"));
        let _ = writeln!(out, "|---|---|---|---|");
        for a in &r.plan.actions {
            let mut what = markdown_change(r, a);
            if r.plan.holds(a) {
                what.push(' ');
                what.push_str(&t!("plan-held-mark"));
            }
            let rows: Vec<String> = a.sources.iter().map(ToString::to_string).collect();
            let _ = writeln!(
                out,
                "| {} | {} {} | {} | {} |",
                a.id,
                super::md_escape(&a.email),
                a.user_id
                    .as_deref()
                    .map_or_else(|| t!("md-new"), |u| u.to_string()),
                super::md_escape(&what),
                super::md_escape(&rows.join(", "))
            );
        }
        out.push('\n');
    }
    markdown_leavers(r, &mut out);
    markdown_problems(r, &mut out);
    let unlisted: Vec<_> = r.plan.unlisted.iter().filter(|u| !u.is_caller).collect();
    if !unlisted.is_empty() {
        let _ = writeln!(out, "## {}\n", t!("md-unlisted", count = unlisted.len()));
        for u in unlisted {
            let _ = writeln!(
                out,
                "- {} <{}> {}",
                super::md_escape(&u.name),
                super::md_escape(&u.email),
                u.user_id
            );
        }
    }
    out
}

/// One action as the Markdown's change column says it.
fn markdown_change(r: &PlanReport<'_>, a: &Action) -> String {
    let structure = || {
        a.structure
            .as_ref()
            .map(|x| r.structure_label(x))
            .unwrap_or_default()
    };
    match a.op {
        Op::CreateUser => t!("plan-create-user"),
        Op::GrantDossier => format!("+ {}", a.dossier.map(|d| d.label()).unwrap_or("")),
        Op::RevokeDossier => format!("− {}", a.dossier.map(|d| d.label()).unwrap_or("")),
        Op::GrantStructure => format!("+ {}", structure()),
        Op::RevokeStructure => format!("− {}", structure()),
    }
}

/// The leavers, each with what they lose.
fn markdown_leavers(r: &PlanReport<'_>, out: &mut String) {
    if r.plan.leavers.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "## {}\n\n{}\n",
        t!("md-leavers", count = r.plan.leavers.len()),
        t!("md-leavers-intro")
    );
    let _ = writeln!(out, "{}", t!("md-leavers-header"));
    let _ = writeln!(out, "|---|---|---|---|");
    for l in &r.plan.leavers {
        let _ = writeln!(
            out,
            "| {} <{}> | {} | {} | {} |",
            super::md_escape(&l.name),
            super::md_escape(&l.email),
            l.user_id.as_deref().unwrap_or(""),
            super::md_escape(&dossiers_text(l.dossiers_before, false)),
            super::md_escape(&r.structures_text(&l.structures_before))
        );
    }
    out.push('\n');
}

/// The problems table, with each problem's code.
fn markdown_problems(r: &PlanReport<'_>, out: &mut String) {
    if !r.problems.is_empty() {
        let _ = writeln!(out, "## {}\n", t!("md-problems"));
        let _ = writeln!(out, "{}", t!("md-problems-header"));
        let _ = writeln!(out, "|---|---|---|---|---|");
        for p in &r.problems {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} |",
                severity_word(p.severity),
                p.code(),
                super::md_escape(&p.location.to_string()),
                super::md_escape(&message(p)),
                super::md_escape(&hint(p))
            );
        }
        out.push('\n');
    }
}
