//! The plan report as Markdown for a ticket: the summary, what was changed by hand since the
//! last run, the changes, the leavers, the problems with their codes, the portal users no input
//! names.

use std::fmt::Write as _;

use crate::plan::{Action, Op};
use crate::report::check::severity_word;
use crate::report::md_escape;
use crate::report::messages::{hint, message};
use crate::t;

use super::{PlanFormatter, PlanReport, dossiers_text, mode_word};

pub struct Markdown;

impl PlanFormatter for Markdown {
    fn format(&self, r: &PlanReport<'_>) -> Result<String, csv::Error> {
        Ok(self.render(r))
    }
}

impl Markdown {
    pub fn render(&self, r: &PlanReport<'_>) -> String {
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
                organisation = md_escape(&r.organisation),
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
        out.push_str(&crate::report::revert::markdown(r));
        let drift = crate::report::drift::markdown_with(r.drift, &|id| r.structure_name(id));
        if !drift.is_empty() {
            let _ = writeln!(out, "{drift}");
        }
        if !r.plan.actions.is_empty() {
            let _ = writeln!(out, "## {}\n", t!("md-changes"));
            let _ = writeln!(out, "{}", t!("md-changes-header"));
            let _ = writeln!(out, "|---|---|---|---|");
            for a in &r.plan.actions {
                let mut what = markdown_change(r, a);
                what.push_str(&super::ended_mark(a));
                if r.plan.holds(a) {
                    what.push(' ');
                    what.push_str(&t!("plan-held-mark"));
                }
                let rows: Vec<String> = a.sources.iter().map(ToString::to_string).collect();
                let _ = writeln!(
                    out,
                    "| {} | {} {} | {} | {} |",
                    a.id,
                    md_escape(&a.email),
                    a.user_id
                        .as_deref()
                        .map_or_else(|| t!("md-new"), |u| u.to_string()),
                    md_escape(&what),
                    md_escape(&rows.join(", "))
                );
            }
            out.push('\n');
        }
        markdown_leavers(r, &mut out);
        for (title, lines) in super::dated_sections(r) {
            let _ = writeln!(out, "## {}\n", md_escape(&title));
            for l in lines {
                let _ = writeln!(out, "- {}", md_escape(&l));
            }
            out.push('\n');
        }
        markdown_problems(r, &mut out);
        let unlisted: Vec<_> = r.plan.unlisted.iter().filter(|u| !u.is_caller).collect();
        if !unlisted.is_empty() {
            let _ = writeln!(out, "## {}\n", t!("md-unlisted", count = unlisted.len()));
            for u in unlisted {
                let _ = writeln!(
                    out,
                    "- {} <{}> {}",
                    md_escape(&u.name),
                    md_escape(&u.email),
                    u.user_id
                );
            }
        }
        out
    }
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
            md_escape(&l.name),
            md_escape(&l.email),
            l.user_id.as_deref().unwrap_or(""),
            md_escape(&dossiers_text(l.dossiers_before, false)),
            md_escape(&r.structures_text(&l.structures_before))
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
                md_escape(&p.location.to_string()),
                md_escape(&message(p)),
                md_escape(&hint(p))
            );
        }
        out.push('\n');
    }
}
