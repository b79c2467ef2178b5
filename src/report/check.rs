//! The `check` report: problems grouped by file and sorted by row, then a summary; or the JSON
//! object of cli.md (`{"summary": {...}, "problems": [...]}`).

use std::fmt::Write as _;

use crate::input::ReadStats;
use crate::model::{Problem, Severity};

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

pub fn text(summary: &CheckSummary, problems: &[Problem]) -> String {
    let mut out = String::new();
    let mut current_file: Option<&str> = None;
    let width = problems
        .iter()
        .map(|p| place(p).chars().count())
        .max()
        .unwrap_or(0);
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
            "  {:<width$}  {:<7} {}",
            place(p),
            p.severity,
            message(p)
        );
        let hint = hint(p);
        if !hint.is_empty() {
            let _ = writeln!(out, "  {:<width$}  {:<7} hint: {hint}", "", "");
        }
    }
    if !problems.is_empty() {
        out.push('\n');
    }
    let s = summary;
    let _ = writeln!(
        out,
        "{} file{}, {} sheet{}, {} row{}, {} {}: {} error{}, {} warning{}, {} note{}{}",
        s.files,
        plural(s.files),
        s.sheets,
        plural(s.sheets),
        s.rows,
        plural(s.rows),
        s.people,
        if s.people == 1 { "person" } else { "people" },
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings),
        s.notes,
        plural(s.notes),
        if s.invalid_rows > 0 {
            format!(
                " ({} invalid row{} skipped)",
                s.invalid_rows,
                plural(s.invalid_rows)
            )
        } else {
            String::new()
        }
    );
    out
}

/// The file is the group's title; each line keeps sheet:row:column.
fn place(p: &Problem) -> String {
    let full = p.location.to_string();
    full.strip_prefix(&*p.location.file)
        .map(|s| s.trim_start_matches(':').to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "(file)".to_owned())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
