//! The `check` report: problems grouped by file and sorted by row, then a summary; or the JSON
//! object of cli.md (`{"summary": {...}, "problems": [...]}`).

use std::fmt::Write as _;

use crate::input::ReadStats;
use crate::model::{Problem, Severity};
use crate::t;

use super::messages::{ProblemView, hint, message, views};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct CheckSummary {
    pub files: usize,
    pub sheets: usize,
    pub rows: usize,
    pub people: usize,
    pub invalid_rows: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl CheckSummary {
    pub fn new(stats: &ReadStats, problems: &[Problem]) -> CheckSummary {
        let count = |s: Severity| problems.iter().filter(|p| p.severity == s).count();
        CheckSummary {
            files: stats.files,
            sheets: stats.sheets,
            rows: stats.rows,
            people: stats.people,
            invalid_rows: stats.invalid_rows,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
        }
    }
}

#[derive(serde::Serialize)]
struct CheckJson<'a> {
    summary: CheckSummary,
    problems: Vec<ProblemView<'a>>,
}

pub fn json(summary: &CheckSummary, problems: &[Problem]) -> String {
    let doc = CheckJson {
        summary: *summary,
        problems: views(problems),
    };
    // Serialising plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// A severity in the run's language (JSON keeps `error`, `warning`, `note`).
pub fn severity_word(s: Severity) -> String {
    match s {
        Severity::Error => t!("severity-error"),
        Severity::Warning => t!("severity-warning"),
        Severity::Note => t!("severity-note"),
    }
}

pub fn text(summary: &CheckSummary, problems: &[Problem]) -> String {
    let mut out = String::new();
    let mut current_file: Option<&str> = None;
    let width = problems
        .iter()
        .map(|p| place(p).chars().count())
        .max()
        .unwrap_or(0);
    let sev_width = [Severity::Error, Severity::Warning, Severity::Note]
        .iter()
        .map(|s| severity_word(*s).chars().count())
        .max()
        .unwrap_or(7);
    for p in problems {
        if current_file != Some(&*p.location.file) {
            if current_file.is_some() {
                out.push('\n');
            }
            let _ = writeln!(out, "{}", p.location.file);
            current_file = Some(&p.location.file);
        }
        let _ = writeln!(
            out,
            "  {:<width$}  {:<sev_width$} {}",
            place(p),
            severity_word(p.severity),
            message(p)
        );
        let hint = hint(p);
        if !hint.is_empty() {
            let _ = writeln!(
                out,
                "  {:<width$}  {:<sev_width$} {}",
                "",
                "",
                t!("hint-line", hint = hint.into_owned())
            );
        }
    }
    if !problems.is_empty() {
        out.push('\n');
    }
    let s = summary;
    let mut line = t!(
        "check-summary",
        files = s.files,
        sheets = s.sheets,
        rows = s.rows,
        people = s.people,
        errors = s.errors,
        warnings = s.warnings,
        notes = s.notes
    );
    if s.invalid_rows > 0 {
        line.push(' ');
        line.push_str(&t!("check-invalid-skipped", count = s.invalid_rows));
    }
    let _ = writeln!(out, "{line}");
    out
}

/// The file is the group's title; each line keeps sheet:row:column.
fn place(p: &Problem) -> String {
    let full = p.location.to_string();
    full.strip_prefix(&*p.location.file)
        .map(|s| s.trim_start_matches(':').to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| t!("place-file"))
}
