//! `proone-sync review status [CAMPAIGN] [--format json]` (evidence.md "Access review
//! campaigns"): per sheet of each campaign — reviewer, sent, answered (when, how many keep and
//! remove, the file's hash), overdue (no answer past the due day of an open campaign), and the
//! coordinator. `status` is read-only (it never takes the lock); `overdue_once_a_day`, for the
//! nightly `apply` under its lock, keeps the day each overdue sheet was told.

use clap::Args;

use crate::review::collect::Choice;
use crate::review::{Campaign, Sheet};
use crate::t;

use super::campaign::ReviewFormat;
use super::{Exit, Settings};

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// One campaign (`rev-…`); default: every campaign of the state directory.
    pub campaign: Option<String>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = ReviewFormat::Text)]
    pub format: ReviewFormat,
}

/// Whether `s` of `c` is past its due day on `today` (YYYY-MM-DD) with no answer: nothing
/// returned, or a last file whose every decision is blank (a blank decision is no answer, and a
/// later file replaces the earlier answers — the reviewer still owes one).
/// A sheet with nobody its reviewer may decide (no one listed, or only the reviewer's own row)
/// owes no answer and is never overdue.
pub fn overdue(c: &Campaign, s: &Sheet, today: &str) -> bool {
    c.closed.is_none()
        && s.to_decide().any(|p| !p.is_reviewer)
        && s.answers.last().is_none_or(|a| a.decisions.is_empty())
        && today > c.due.as_str()
}

/// The sheets past their due day with no answer (campaign, structure, coordinator) that no run
/// has told yet on this day (Europe/Brussels): `apply` raises `review-overdue` at most once a
/// day per overdue sheet. The day each sheet was last told is kept in the state directory
/// (`review-overdue.json`, `{"<campaign> <structure>": "YYYY-MM-DD"}`); a sheet no longer
/// overdue (answered, closed) is forgotten, so it is told again the day it is overdue again.
pub fn overdue_once_a_day(settings: &Settings) -> Vec<(String, String, Option<String>)> {
    use std::collections::BTreeMap;
    let dir = &settings.config.state_dir;
    let today = settings.input.today.to_string();
    let memory = dir.join("review-overdue.json");
    // An unreadable memory tells again: a reminder twice beats one never sent.
    let told: BTreeMap<String, String> = std::fs::read(&memory)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let mut now = BTreeMap::new();
    let mut found = Vec::new();
    for c in all(dir) {
        for s in c.sheets.iter().filter(|s| overdue(&c, s, &today)) {
            let key = format!("{} {}", c.campaign, s.structure);
            if told.get(&key) != Some(&today) {
                found.push((
                    c.campaign.clone(),
                    s.structure.clone(),
                    c.coordinator.clone(),
                ));
            }
            now.insert(key, today.clone());
        }
    }
    if now != told {
        let bytes = serde_json::to_vec_pretty(&now).unwrap_or_default();
        if let Err(e) = crate::apply::write_private(&memory, &bytes) {
            settings.say(
                "WARN",
                crate::msg!("review-record-failed", error = e.to_string()),
                crate::msg!("state-dir-hint"),
            );
        }
    }
    found
}

/// Every campaign recorded in `dir`, by id.
pub fn all(dir: &std::path::Path) -> Vec<Campaign> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let id = name.strip_prefix("review-")?.strip_suffix(".json")?;
            crate::review::is_campaign_id(id).then(|| id.to_owned())
        })
        .collect();
    ids.sort();
    ids.iter()
        .filter_map(|id| crate::review::load(dir, id).ok())
        .collect()
}

fn sheet_json(c: &Campaign, s: &Sheet, today: &str) -> serde_json::Value {
    let answered = s.answers.last().map(|a| {
        let keep = a
            .decisions
            .iter()
            .filter(|d| d.decision == Choice::Keep)
            .count();
        serde_json::json!({
            "at": a.at,
            "keep": keep,
            "remove": a.decisions.len() - keep,
            "file_sha256": a.file_sha256,
        })
    });
    serde_json::json!({
        "structure": s.structure,
        "reviewer": s.reviewer,
        "sent": s.sent,
        "answered": answered,
        "overdue": overdue(c, s, today),
        "coordinator": c.coordinator,
    })
}

fn text_of(c: &Campaign, today: &str) -> String {
    let mut out = format!(
        "{}\n",
        t!(
            "review-status-campaign",
            campaign = c.campaign.as_str(),
            started = crate::report::history::when(&c.started),
            due = c.due.as_str(),
            closed = if c.closed.is_some() { "yes" } else { "no" }
        )
    );
    for s in &c.sheets {
        let reviewer = s
            .reviewer
            .clone()
            .unwrap_or_else(|| t!("review-no-reviewer"));
        let state = match s.answers.last() {
            Some(a) if overdue(c, s, today) => t!(
                "review-status-blank-overdue",
                day = a.day.as_str(),
                coordinator = crate::review::coordinator_named(c.coordinator.as_deref())
            ),
            Some(a) => {
                let keep = a
                    .decisions
                    .iter()
                    .filter(|d| d.decision == Choice::Keep)
                    .count();
                t!(
                    "review-status-answered",
                    day = a.day.as_str(),
                    keep = keep,
                    remove = a.decisions.len() - keep
                )
            }
            None if overdue(c, s, today) => t!(
                "review-status-overdue",
                coordinator = crate::review::coordinator_named(c.coordinator.as_deref())
            ),
            None if s.sent => t!("review-status-sent"),
            None => t!("review-status-waiting"),
        };
        let line = t!(
            "review-status-line",
            structure = s.structure.as_str(),
            reviewer = reviewer,
            state = state
        );
        out.push_str(&format!("  {line}\n"));
    }
    out
}

pub fn status(args: &StatusArgs, settings: &Settings) -> Exit {
    let dir = &settings.config.state_dir;
    let campaigns = match &args.campaign {
        Some(id) => match super::campaign::load(settings, id) {
            Ok(c) => vec![c],
            Err(exit) => return exit,
        },
        None => all(dir),
    };
    let today = settings.input.today.to_string();
    let text = match args.format {
        ReviewFormat::Json => {
            let list: Vec<serde_json::Value> = campaigns
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "campaign": c.campaign,
                        "started": c.started,
                        "due": c.due,
                        "sheets": c.sheets.iter().map(|s| sheet_json(c, s, &today)).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let v = serde_json::json!({ "campaigns": list });
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
        ReviewFormat::Text if campaigns.is_empty() => format!("{}\n", t!("review-status-none")),
        ReviewFormat::Text => campaigns.iter().map(|c| text_of(c, &today)).collect(),
    };
    match settings.out(&text) {
        Ok(()) => Exit::Success,
        Err(exit) => exit,
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The campaign (`rev-…`).
    pub campaign: String,
    /// Where to write the evidence: .xlsx, .html or .md (readable by its owner only).
    #[arg(long = "report", value_name = "FILE", required = true)]
    pub reports: Vec<std::path::PathBuf>,
}

/// `review report CAMPAIGN --report FILE`: what was asked of whom, who answered what and when
/// (the files' hashes), which run applied it.
pub fn report(args: &ReportArgs, settings: &Settings) -> Exit {
    use super::ReportKind::{self, Html, Markdown, Xlsx};
    let reports = match ReportKind::of_all(
        &args.reports,
        &[Xlsx, Html, Markdown],
        &t!("review-report-extensions"),
    ) {
        Ok(r) => r,
        Err((message, hint)) => return settings.fail(message, &hint),
    };
    let c = match super::campaign::load(settings, &args.campaign) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let (title, lines) = crate::review::evidence::heading(&c);
    let (sheets, decisions, files, hr) = (
        crate::review::evidence::sheets(&c),
        crate::review::evidence::decisions(&c),
        crate::review::evidence::files(&c),
        crate::review::evidence::for_hr(&c),
    );
    let tables = [&sheets, &decisions, &files, &hr];
    use crate::report::campaign as render;
    for (path, kind) in reports {
        let bytes = match kind {
            Xlsx => match render::xlsx(&title, &lines, &tables) {
                Ok(b) => b,
                Err(e) => {
                    return settings.fail(
                        crate::msg!(
                            "cannot-build-workbook",
                            path = path.display().to_string(),
                            error = e.to_string()
                        ),
                        "",
                    );
                }
            },
            Html => render::html(&title, &lines, &tables).into_bytes(),
            _ => render::markdown(&title, &lines, &tables).into_bytes(),
        };
        if let Err(e) = crate::apply::write_private(path, &bytes) {
            return settings.fail(
                crate::msg!(
                    "cannot-write-file",
                    path = path.display().to_string(),
                    error = e.to_string()
                ),
                "",
            );
        }
    }
    Exit::Success
}
