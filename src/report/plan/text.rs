//! The plan report as terminal text (and `--report FILE.txt`): the summary first, then what
//! was changed by hand since the last run, each person with changes (before → after), the
//! problems, the portal users no input names, the leavers.

use std::fmt::Write as _;

use crate::model::Severity;
use crate::plan::{Op, Summary};
use crate::report::check::severity_word;
use crate::report::messages::{hint, message};
use crate::t;

use super::{PlanFormatter, PlanReport, dossiers_text, mode_word};

/// `color`: ANSI colours (a terminal, no NO_COLOR).
pub struct Text {
    pub color: bool,
}

impl PlanFormatter for Text {
    fn format(&self, r: &PlanReport<'_>) -> Result<String, csv::Error> {
        Ok(self.render(r))
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

impl Text {
    pub fn render(&self, r: &PlanReport<'_>) -> String {
        let mut out = summary_text(&r.fingerprint, r.plan.mode, &r.organisation, &r.summary);
        out.push_str(&crate::report::revert::text(r));
        let drift = crate::report::drift::text_with(r.drift, &|id| r.structure_name(id));
        if !drift.is_empty() {
            let _ = write!(out, "\n{drift}");
        }
        self.people(r, &mut out);
        self.problems(r, &mut out);
        unlisted(r, &mut out);
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
        for (title, lines) in super::dated_sections(r) {
            let _ = writeln!(out, "\n{title}");
            for l in lines {
                let _ = writeln!(out, "  {l}");
            }
        }
        if r.plan.actions.is_empty() {
            let none = if r.revert.is_some() {
                t!("revert-no-changes")
            } else if r.plan.mode == crate::plan::Mode::Review {
                t!("review-no-changes")
            } else {
                t!("plan-no-changes")
            };
            let _ = writeln!(out, "\n{none}");
        }
        out
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    /// Each person with changes: before → after, then the actions.
    fn people(&self, r: &PlanReport<'_>, out: &mut String) {
        for (p, actions) in r.people_with_actions() {
            let who = match &p.user_id {
                Some(id) => format!("{} <{}> {id}", p.name, p.email),
                None => format!(
                    "{} <{}> {}",
                    p.name,
                    p.email,
                    self.paint("32", &t!("plan-new-user"))
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
                    self.paint("33", &format!(" {}", t!("plan-held-mark")))
                } else {
                    String::new()
                };
                let _ = writeln!(
                    out,
                    "  {} #{} {what}{}{held}   [{}]",
                    self.paint(code, sign),
                    a.id,
                    super::ended_mark(a),
                    sources.join(", ")
                );
            }
        }
    }

    /// The problems, each with its hint under it.
    fn problems(&self, r: &PlanReport<'_>, out: &mut String) {
        if r.problems.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n{}", t!("plan-problems"));
        let width = [Severity::Error, Severity::Warning, Severity::Note]
            .iter()
            .map(|s| severity_word(*s).chars().count())
            .max()
            .unwrap_or(7);
        for p in &r.problems {
            let word = format!("{:<width$}", severity_word(p.severity));
            let sev = match p.severity {
                Severity::Error => self.paint("31", &word),
                Severity::Warning => self.paint("33", &word),
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
}

/// The portal users no input names (not the caller).
fn unlisted(r: &PlanReport<'_>, out: &mut String) {
    let unlisted: Vec<_> = r.plan.unlisted.iter().filter(|u| !u.is_caller).collect();
    if unlisted.is_empty() {
        return;
    }
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
