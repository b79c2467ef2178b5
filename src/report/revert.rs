//! The section every report of a revert plan gains (evidence.md "Revert a run"): which run (and
//! phase) it undoes, whether it was compared with the history store or only with the run's
//! journal and the portal, how many items it leaves as they are or found put back already, and
//! the users that run created — listed because the portal cannot delete a user: each stays,
//! with what the revert does not take. The items left as they are and the rows that would undo
//! the revert are problems, said with the others. The pieces each renderer shares sit here.

use std::fmt::Write as _;

use serde::Serialize;

use crate::plan::revert::{CreatedUser, RevertInfo};
use crate::t;

use super::md_escape;
use super::plan::{PlanReport, dossiers_text};

/// The section's first line: `Revert of run-… (every phase), compared with the history store`.
pub(crate) fn title(info: &RevertInfo) -> String {
    let phases = match info.phase {
        Some(n) => t!("revert-phase", phase = n),
        None => t!("revert-every-phase"),
    };
    let against = if info.history {
        t!("revert-against-history")
    } else {
        t!("revert-against-journal")
    };
    t!(
        "revert-title",
        run = info.run.as_str(),
        phases = phases,
        against = against
    )
}

/// What it leaves and what was put back already.
pub(crate) fn counts(info: &RevertInfo) -> String {
    t!(
        "revert-counts",
        superseded = info.superseded,
        undone = info.already_undone
    )
}

/// A created user on one line: who, and what they keep (or that they are gone).
pub(crate) fn created_line(r: &PlanReport<'_>, c: &CreatedUser) -> String {
    if c.gone {
        return t!(
            "revert-created-gone",
            name = c.name.as_str(),
            email = c.email.as_str(),
            user = c.user_id.as_str()
        );
    }
    t!(
        "revert-created-line",
        name = c.name.as_str(),
        email = c.email.as_str(),
        user = c.user_id.as_str(),
        dossiers = dossiers_text(c.keeps_dossiers, false),
        structures = r.structures_text(&c.keeps_structures)
    )
}

/// The section as terminal text; empty for a plan that is no revert.
pub(crate) fn text(r: &PlanReport<'_>) -> String {
    let Some(info) = r.revert else {
        return String::new();
    };
    let mut out = format!("\n{}\n  {}\n", title(info), counts(info));
    if !info.created.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            t!("revert-created-title", count = info.created.len())
        );
        for c in &info.created {
            let _ = writeln!(out, "  {}", created_line(r, c));
        }
    }
    out
}

/// The section as Markdown; empty for a plan that is no revert.
pub(crate) fn markdown(r: &PlanReport<'_>) -> String {
    let Some(info) = r.revert else {
        return String::new();
    };
    let mut out = format!(
        "## {}\n\n{}. {}.\n\n",
        t!("md-revert-title", run = info.run.as_str()),
        md_escape(&title(info)),
        md_escape(&counts(info))
    );
    if !info.created.is_empty() {
        let _ = writeln!(
            out,
            "## {}\n\n{}\n\n{}\n|---|---|---|---|",
            t!("md-revert-created", count = info.created.len()),
            t!("md-revert-created-intro"),
            t!("md-revert-created-header")
        );
        for c in &info.created {
            let (dossiers, structures) = if c.gone {
                (t!("revert-gone"), String::new())
            } else {
                (
                    dossiers_text(c.keeps_dossiers, false),
                    r.structures_text(&c.keeps_structures),
                )
            };
            let _ = writeln!(
                out,
                "| {} <{}> | {} | {} | {} |",
                md_escape(&c.name),
                md_escape(&c.email),
                md_escape(&c.user_id),
                md_escape(&dossiers),
                md_escape(&structures)
            );
        }
        out.push('\n');
    }
    out
}

/// The section as HTML, everything escaped; empty for a plan that is no revert.
pub(crate) fn html(r: &PlanReport<'_>) -> String {
    use super::html_escape as escape;
    let Some(info) = r.revert else {
        return String::new();
    };
    let mut out = format!(
        "<section class=\"revert\" id=\"revert\"><h2>{}</h2><p class=\"meta\">{}. {}.</p>",
        escape(&t!("md-revert-title", run = info.run.as_str())),
        escape(&title(info)),
        escape(&counts(info))
    );
    if !info.created.is_empty() {
        let _ = write!(
            out,
            "<h3>{}</h3><p class=\"meta\">{}</p><ul>",
            escape(&t!("md-revert-created", count = info.created.len())),
            escape(&t!("md-revert-created-intro"))
        );
        for c in &info.created {
            let _ = write!(out, "<li>{}</li>", escape(&created_line(r, c)));
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
    out
}

/// The created users as rows of the plan's CSV (under its header): the word `created by the
/// run` in the id column, the op `CreateUser`, the person, and what they keep in the dossier
/// and structure columns.
pub(crate) fn csv_rows(r: &PlanReport<'_>) -> Vec<Vec<String>> {
    let Some(info) = r.revert else {
        return Vec::new();
    };
    info.created
        .iter()
        .map(|c| {
            let codes: Vec<&str> = c.keeps_dossiers.iter().map(|d| d.code()).collect();
            let labels: Vec<&str> = c.keeps_dossiers.iter().map(|d| d.label()).collect();
            let structures: Vec<&str> = c.keeps_structures.iter().map(|s| s.as_str()).collect();
            vec![
                r.fingerprint.clone(),
                t!("revert-csv-created"),
                "CreateUser".to_owned(),
                c.email.clone(),
                c.user_id.clone(),
                codes.join(" "),
                labels.join(", "),
                structures.join(" "),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]
        })
        .collect()
}

/// The section in the plan's JSON: codes and ids, the same in every language.
#[derive(Serialize)]
pub(crate) struct JsonRevert<'a> {
    run: &'a str,
    /// The phase reverted (1-based), `null` for every phase.
    phase: Option<usize>,
    /// `history` (the history store's answers) or `journal` (its journal and the portal only).
    compared: &'static str,
    superseded: usize,
    already_undone: usize,
    /// The users the run created: they stay (the portal cannot delete a user).
    created: Vec<JsonCreated<'a>>,
}

#[derive(Serialize)]
struct JsonCreated<'a> {
    user_id: &'a str,
    email: &'a str,
    name: &'a str,
    /// No longer on the portal.
    gone: bool,
    /// What they keep once the revert is applied.
    dossiers: Vec<&'static str>,
    structures: Vec<&'a str>,
}

pub(crate) fn json(info: &RevertInfo) -> JsonRevert<'_> {
    JsonRevert {
        run: &info.run,
        phase: info.phase,
        compared: if info.history { "history" } else { "journal" },
        superseded: info.superseded,
        already_undone: info.already_undone,
        created: info
            .created
            .iter()
            .map(|c| JsonCreated {
                user_id: &c.user_id,
                email: &c.email,
                name: &c.name,
                gone: c.gone,
                dossiers: c.keeps_dossiers.iter().map(|d| d.code()).collect(),
                structures: c.keeps_structures.iter().map(|s| s.as_str()).collect(),
            })
            .collect(),
    }
}
