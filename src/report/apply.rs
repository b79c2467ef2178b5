//! The report of an apply run: one model (what was applied, by which plan, when, with what
//! outcome, what was changed by hand since the last run), rendered as the one-screen terminal
//! summary, as Markdown and as JSON for the state directory. NRNs appear masked only (the
//! outcomes' targets are already masked).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::apply::{Outcome, Status, Tally};
use crate::history::DriftChange;
use crate::plan::Mode;
use crate::t;

use super::outcomes::{reason_of, target};

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
    /// What was changed by hand since the last run (evidence.md), as `plan` shows it.
    pub drift: Vec<DriftChange>,
}

impl ApplyReport {
    /// Failures and skips grouped by reason (in the run's language), most frequent first (what
    /// a person acts on).
    pub fn reasons(&self, statuses: &[Status]) -> Vec<(String, usize, Vec<&Outcome>)> {
        let mut by: BTreeMap<String, Vec<&Outcome>> = BTreeMap::new();
        for o in self
            .outcomes
            .iter()
            .filter(|o| statuses.contains(&o.status))
        {
            by.entry(reason_of(o)).or_default().push(o);
        }
        let mut v: Vec<_> = by.into_iter().map(|(r, os)| (r, os.len(), os)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }
}

fn tally_line(t: &Tally) -> String {
    let mut s = t!(
        "tally",
        done = t.done,
        in_effect = t.in_effect,
        adopted = t.adopted,
        failed = t.failed,
        skipped = t.skipped
    );
    if t.interrupted + t.not_run > 0 {
        s.push_str(&t!(
            "tally-interrupted",
            interrupted = t.interrupted,
            not_run = t.not_run
        ));
    }
    s
}

/// The one-screen summary at the end of `apply`.
pub fn text(r: &ApplyReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        t!(
            "apply-done",
            fingerprint = &r.fingerprint,
            organisation = &r.organisation,
            secs = format!("{:.1}", r.elapsed_secs),
            tally = tally_line(&r.tally)
        )
    );
    let _ = writeln!(
        out,
        "  {}",
        t!(
            "apply-calls",
            requests = r.requests,
            retries = r.retries,
            limited = r.rate_limited
        )
    );
    let failures = r.reasons(&[Status::Failed]);
    if !failures.is_empty() {
        let _ = writeln!(out, "{}", t!("apply-failed"));
        for (reason, n, os) in failures.iter().take(8) {
            let first = os
                .iter()
                .take(3)
                .map(|o| format!("#{} {} {}", o.action, o.email, target(o)))
                .collect::<Vec<_>>()
                .join("; ");
            let first = if *n > 3 {
                t!("apply-failed-more", first = first, more = n - 3)
            } else {
                first
            };
            let _ = writeln!(
                out,
                "  {}\n      {first}",
                t!("apply-failed-group", count = *n, reason = reason)
            );
        }
        if failures.len() > 8 {
            let _ = writeln!(
                out,
                "  {}",
                t!("apply-other-reasons", count = failures.len() - 8)
            );
        }
    }
    if r.tally.skipped > 0 {
        let _ = writeln!(out, "{}", t!("apply-skipped", count = r.tally.skipped));
    }
    out.push_str(&super::drift::text(&r.drift));
    if r.result == "interrupted" {
        let _ = writeln!(out, "{}", t!("apply-interrupted"));
    }
    if let Some(j) = &r.journal {
        let _ = writeln!(out, "{}", t!("apply-journal", path = j));
    }
    out
}

pub fn markdown(r: &ApplyReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n",
        t!("md-apply-title", fingerprint = &r.fingerprint)
    );
    let _ = writeln!(out, "| | |\n|---|---|");
    for (k, v) in [
        (t!("md-apply-organisation"), r.organisation.clone()),
        (t!("md-apply-portal"), r.portal.clone()),
        (t!("md-apply-mode"), super::plan::mode_word(r.mode)),
        (t!("md-apply-source"), r.source.clone()),
        (t!("md-apply-started"), r.started.clone()),
        (t!("md-apply-finished"), r.finished.clone()),
        (t!("md-apply-result"), r.result.to_owned()),
        (t!("md-apply-actions"), r.actions.to_string()),
        (t!("md-apply-outcomes"), tally_line(&r.tally)),
        (
            t!("md-apply-calls"),
            t!(
                "md-apply-calls-value",
                requests = r.requests,
                retries = r.retries,
                limited = r.rate_limited
            ),
        ),
    ] {
        let _ = writeln!(out, "| {k} | {} |", super::md_escape(&v));
    }
    if let Some(j) = &r.journal {
        let _ = writeln!(
            out,
            "| {} | `{}` |",
            t!("md-apply-journal"),
            super::md_escape(j)
        );
    }
    let drift = super::drift::markdown(&r.drift);
    if !drift.is_empty() {
        let _ = write!(out, "\n{drift}");
    }
    for (title, statuses) in [
        (t!("md-apply-failed"), &[Status::Failed][..]),
        (t!("md-apply-skipped"), &[Status::Skipped][..]),
        (t!("md-apply-adopted"), &[Status::Adopted][..]),
        (t!("md-apply-interrupted"), &[Status::Interrupted][..]),
    ] {
        let groups = r.reasons(statuses);
        if groups.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {title}\n");
        let _ = writeln!(out, "{}", t!("md-apply-outcomes-header"));
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for (reason, _, os) in groups {
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
                    super::md_escape(&target(o)),
                    o.http_status.map(|s| s.to_string()).unwrap_or_default(),
                    super::md_escape(&reason)
                );
            }
        }
    }
    out
}

pub fn json(r: &ApplyReport) -> String {
    serde_json::to_string_pretty(r).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    //! The apply report says what was changed by hand since the last run in its text,
    //! Markdown and JSON, in both languages, and nothing of it when there is none.

    use super::*;
    use crate::model::Lang;
    use crate::report::drift::tests::{in_lang, sample};

    fn report(drift: Vec<DriftChange>) -> ApplyReport {
        ApplyReport {
            format: APPLY_FORMAT,
            fingerprint: "0011223344556677".into(),
            mode: Mode::Additive,
            portal: "https://portal.example".into(),
            organisation: "ASBL Les Petits Pas (org-0042)".into(),
            source: "inputs".into(),
            started: "2026-11-28T02:00:00Z".into(),
            finished: "2026-11-28T02:00:01Z".into(),
            elapsed_secs: 1.0,
            result: "completed",
            actions: 0,
            tally: Tally::default(),
            requests: 4,
            retries: 0,
            rate_limited: 0,
            journal: None,
            outcomes: Vec::new(),
            drift,
        }
    }

    #[test]
    fn changes_by_hand_are_in_text_markdown_and_json() {
        let r = report(sample());
        let (txt, md) = in_lang(Lang::En, || (text(&r), markdown(&r)));
        assert!(
            txt.contains("Changed by hand since the last run (2):\n  marie.dupont@lespetitspas.be (u-000004): dossier Bilans revoked by hand, since run-20261127T020000Z\n"),
            "{txt}"
        );
        assert!(
            md.contains("\n## Changed by hand since the last run\n\n"),
            "{md}"
        );
        assert!(md.contains("| lotte.janssens@lespetitspas.be (u-000007) | structure MA-00102 granted by hand | since run-20261127T020000Z |"), "{md}");
        let (txt, md) = in_lang(Lang::Fr, || (text(&r), markdown(&r)));
        assert!(
            txt.contains("Modifié à la main depuis la dernière exécution (2) :\n"),
            "{txt}"
        );
        assert!(md.contains("| dossier Bilans retiré à la main |"), "{md}");
        let v: serde_json::Value = serde_json::from_str(&json(&r)).unwrap_or_default();
        assert_eq!(v["drift"][0]["op"], "revoke_dossier");
        assert_eq!(v["drift"][1]["structure"], "MA-00102");
        assert_eq!(v["drift"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn without_changes_by_hand_nothing_is_said() {
        for lang in [Lang::En, Lang::Fr] {
            let (with, without) = in_lang(lang, || {
                let (r, r0) = (report(sample()), report(Vec::new()));
                ((text(&r), markdown(&r)), (text(&r0), markdown(&r0)))
            });
            assert!(with.0.starts_with(&without.0) && with.0.len() > without.0.len());
            assert!(with.1.starts_with(&without.1) && with.1.len() > without.1.len());
            for s in [&without.0, &without.1] {
                assert!(!s.contains("by hand") && !s.contains("à la main"), "{s}");
            }
        }
        let v: serde_json::Value =
            serde_json::from_str(&json(&report(Vec::new()))).unwrap_or_default();
        assert_eq!(v["drift"], serde_json::json!([]));
    }
}
