//! The report of an apply run: one model (what was applied, by which plan, when, with what
//! outcome), rendered as the one-screen terminal summary, as Markdown and as JSON for the state
//! directory. NRNs appear masked only (the outcomes' targets are already masked).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::apply::{Outcome, Status, Tally};
use crate::plan::Mode;

pub const APPLY_FORMAT: &str = "proone-sync.apply/1";

#[derive(Debug, Clone, Serialize)]
pub struct ApplyReport {
    pub format: &'static str,
    pub fingerprint: String,
    pub mode: Mode,
    pub portal: String,
    pub organisation: String,
    /// `inputs` or `saved plan <file>`.
    pub source: String,
    pub started: String,
    pub finished: String,
    pub elapsed_secs: f64,
    /// `completed`, `interrupted`, `portal unreachable`.
    pub result: &'static str,
    pub actions: usize,
    pub tally: Tally,
    pub requests: u64,
    pub retries: u64,
    pub rate_limited: u64,
    pub journal: Option<String>,
    pub outcomes: Vec<Outcome>,
}

impl ApplyReport {
    /// Failures and skips grouped by reason, most frequent first (what a person acts on).
    pub fn reasons(&self, statuses: &[Status]) -> Vec<(String, usize, Vec<&Outcome>)> {
        let mut by: BTreeMap<String, Vec<&Outcome>> = BTreeMap::new();
        for o in self
            .outcomes
            .iter()
            .filter(|o| statuses.contains(&o.status))
        {
            by.entry(o.reason.clone().unwrap_or_default())
                .or_default()
                .push(o);
        }
        let mut v: Vec<_> = by.into_iter().map(|(r, os)| (r, os.len(), os)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }
}

fn tally_line(t: &Tally) -> String {
    let mut s = format!(
        "{} done, {} already in effect, {} adopted, {} failed, {} skipped",
        t.done, t.in_effect, t.adopted, t.failed, t.skipped
    );
    if t.interrupted + t.not_run > 0 {
        let _ = write!(
            s,
            ", {} interrupted, {} not started",
            t.interrupted, t.not_run
        );
    }
    s
}

/// The one-screen summary at the end of `apply`.
pub fn text(r: &ApplyReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Applied plan {} to {} in {:.1} s: {}",
        r.fingerprint,
        r.organisation,
        r.elapsed_secs,
        tally_line(&r.tally)
    );
    let _ = writeln!(
        out,
        "  {} portal calls ({} retried, {} answered 429)",
        r.requests, r.retries, r.rate_limited
    );
    let failures = r.reasons(&[Status::Failed]);
    if !failures.is_empty() {
        let _ = writeln!(out, "Failed:");
        for (reason, n, os) in failures.iter().take(8) {
            let first = os
                .iter()
                .take(3)
                .map(|o| format!("#{} {} {}", o.action, o.email, o.target))
                .collect::<Vec<_>>()
                .join("; ");
            let more = if *n > 3 {
                format!(" and {} more", n - 3)
            } else {
                String::new()
            };
            let _ = writeln!(out, "  {n} × {reason}\n      {first}{more}");
        }
        if failures.len() > 8 {
            let _ = writeln!(
                out,
                "  … {} other reasons (see the report)",
                failures.len() - 8
            );
        }
    }
    if r.tally.skipped > 0 {
        let _ = writeln!(
            out,
            "Skipped: {} action(s) of people whose creation failed",
            r.tally.skipped
        );
    }
    if r.result == "interrupted" {
        let _ = writeln!(
            out,
            "Interrupted: calls in flight finished; run the same command again to finish (it converges)."
        );
    }
    if let Some(j) = &r.journal {
        let _ = writeln!(out, "Journal: {j}");
    }
    out
}

pub fn markdown(r: &ApplyReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# proone-sync apply of plan `{}`\n", r.fingerprint);
    let _ = writeln!(out, "| | |\n|---|---|");
    for (k, v) in [
        ("Organisation", r.organisation.clone()),
        ("Portal", r.portal.clone()),
        (
            "Mode",
            match r.mode {
                Mode::Additive => "additive".into(),
                Mode::Prune => "prune".into(),
            },
        ),
        ("Source", r.source.clone()),
        ("Started", r.started.clone()),
        ("Finished", r.finished.clone()),
        ("Result", r.result.to_owned()),
        ("Actions", r.actions.to_string()),
        ("Outcomes", tally_line(&r.tally)),
        (
            "Portal calls",
            format!(
                "{} ({} retried, {} answered 429)",
                r.requests, r.retries, r.rate_limited
            ),
        ),
    ] {
        let _ = writeln!(out, "| {k} | {} |", super::md_escape(&v));
    }
    if let Some(j) = &r.journal {
        let _ = writeln!(out, "| Journal | `{}` |", super::md_escape(j));
    }
    for (title, statuses) in [
        ("Failed", &[Status::Failed][..]),
        ("Skipped", &[Status::Skipped][..]),
        ("Adopted", &[Status::Adopted][..]),
        ("Interrupted", &[Status::Interrupted][..]),
    ] {
        let groups = r.reasons(statuses);
        if groups.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {title}\n");
        let _ = writeln!(out, "| action | op | person | target | HTTP | reason |");
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for (_, _, os) in groups {
            for o in os {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    o.action,
                    serde_json::to_value(o.op)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    super::md_escape(&o.email),
                    super::md_escape(&o.target),
                    o.http_status.map(|s| s.to_string()).unwrap_or_default(),
                    super::md_escape(o.reason.as_deref().unwrap_or(""))
                );
            }
        }
    }
    out
}

pub fn json(r: &ApplyReport) -> String {
    serde_json::to_string_pretty(r).unwrap_or_default() + "\n"
}
