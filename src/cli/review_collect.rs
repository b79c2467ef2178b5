//! `proone-sync review collect FILE|DIR…` and `review close CAMPAIGN` (evidence.md "Access
//! review campaigns"): returned sheets read (`review::collect`), each one's answers recorded in
//! its campaign with the file's SHA-256 and the day — a later file for a structure replacing the
//! earlier answers — under the state directory's lock; a closed campaign takes no more answers.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args;

use crate::model::{Problem, Severity};
use crate::review::collect::{Choice, read_returned};
use crate::review::{self, Answer, Campaign};
use crate::{msg, t};

use super::campaign::{ReviewFormat, load, lock, save};
use super::{Exit, Settings};

#[derive(Debug, Args)]
pub struct CollectArgs {
    /// Returned sheets (.xlsx, .ods, .csv), or folders of them.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = ReviewFormat::Text)]
    pub format: ReviewFormat,
}

#[derive(Debug, Args)]
pub struct CloseArgs {
    /// The campaign (`rev-…`).
    pub campaign: String,
}

/// One file's answers as recorded.
struct Taken {
    campaign: String,
    structure: String,
    answer: Answer,
}

pub fn collect(args: &CollectArgs, settings: &Settings) -> Exit {
    let _lock = match lock(settings, "review collect") {
        Ok(l) => l,
        Err(exit) => return exit,
    };
    let dir = settings.config.state_dir.clone();
    let mut campaigns: BTreeMap<String, Option<Campaign>> = BTreeMap::new();
    let mut problems: Vec<Problem> = Vec::new();
    let mut taken: Vec<Taken> = Vec::new();
    let now = jiff::Timestamp::now();
    let files = crate::input::expand_paths(&args.paths);
    for (i, path) in files.iter().enumerate() {
        if crate::input::is_lock_file(path) {
            continue;
        }
        let mut lookup = |id: &str| {
            campaigns
                .entry(id.to_owned())
                .or_insert_with(|| review::load(&dir, id).ok())
                .clone()
        };
        let read = read_returned(path, i as u32, &mut lookup);
        problems.extend(read.problems);
        let Some(r) = read.returned else { continue };
        let sha = match crate::review::sha256_of(path) {
            Ok(s) => s,
            Err(e) => {
                return settings.fail(
                    msg!(
                        "review-file-unreadable",
                        path = path.display().to_string(),
                        error = e.to_string()
                    ),
                    "",
                );
            }
        };
        taken.push(Taken {
            campaign: r.campaign,
            structure: r.structure,
            answer: Answer {
                at: crate::history::stamp(now),
                day: crate::model::CalendarDate::in_brussels(now).to_string(),
                // Whole, so the answer names its file wherever the next command runs.
                file: std::path::absolute(path).unwrap_or_else(|_| path.clone()),
                sheet: r.sheet,
                file_sha256: sha,
                decisions: r.decisions,
                none: r.none,
                applied_by: None,
                applied: Vec::new(),
            },
        });
    }
    refuse_applied(&mut taken, &mut problems, settings);
    if let Err(exit) = record(&taken, settings) {
        return exit;
    }
    for p in &problems {
        settings.say_problem(
            if p.severity == Severity::Error {
                "ERROR"
            } else {
                "WARN"
            },
            p,
        );
    }
    let exit = if problems.iter().any(|p| p.severity == Severity::Error) {
        Exit::InvalidRows
    } else {
        Exit::Success
    };
    match print(&taken, &problems, args.format, settings) {
        Ok(()) => exit,
        Err(e) => e,
    }
}

/// A file for a sheet whose answers a run already applied is not taken (said at the file).
fn refuse_applied(taken: &mut Vec<Taken>, problems: &mut Vec<Problem>, settings: &Settings) {
    let dir = &settings.config.state_dir;
    taken.retain(|t| {
        let applied = review::load(dir, &t.campaign).ok().and_then(|c| {
            c.sheets
                .iter()
                .find(|s| s.structure == t.structure)
                .and_then(|s| s.answers.last())
                .and_then(|a| a.applied_by.clone())
        });
        let Some(run) = applied else { return true };
        let at = crate::model::Location::file(t.answer.file.to_string_lossy().as_ref(), 0);
        problems.push(Problem::error(
            at,
            crate::model::ProblemKind::ReviewSheetApplied {
                structure: t.structure.clone(),
                run,
            },
        ));
        false
    });
}

/// Each file's answers appended to its sheet in its campaign's record.
fn record(taken: &[Taken], settings: &Settings) -> Result<(), Exit> {
    let mut by_campaign: BTreeMap<&str, Vec<&Taken>> = BTreeMap::new();
    for t in taken {
        by_campaign.entry(t.campaign.as_str()).or_default().push(t);
    }
    for (id, list) in by_campaign {
        let mut c = load(settings, id)?;
        for t in list {
            // The very file already standing for the sheet (a folder collected again) adds no
            // answer: it would only be a second copy to credit.
            if let Some(s) = c.sheets.iter_mut().find(|s| s.structure == t.structure)
                && s.answers.last().map(|a| &a.file_sha256) != Some(&t.answer.file_sha256)
            {
                s.answers.push(t.answer.clone());
            }
        }
        save(settings, &c)?;
    }
    Ok(())
}

fn counts(a: &Answer) -> (usize, usize) {
    let keep = a
        .decisions
        .iter()
        .filter(|d| d.decision == Choice::Keep)
        .count();
    (keep, a.decisions.len() - keep)
}

fn print(
    taken: &[Taken],
    problems: &[Problem],
    format: ReviewFormat,
    settings: &Settings,
) -> Result<(), Exit> {
    let (mut keep, mut remove, mut none) = (0, 0, 0);
    for t in taken {
        let (k, r) = counts(&t.answer);
        keep += k;
        remove += r;
        none += t.answer.none;
    }
    let text = match format {
        ReviewFormat::Json => {
            let sheets: Vec<serde_json::Value> = taken
                .iter()
                .map(|t| {
                    let (k, r) = counts(&t.answer);
                    serde_json::json!({
                        "campaign": t.campaign,
                        "structure": t.structure,
                        "file": t.answer.file.display().to_string(),
                        "file_sha256": t.answer.file_sha256,
                        "keep": k, "remove": r, "none": t.answer.none,
                    })
                })
                .collect();
            let v = serde_json::json!({
                "campaign": taken.first().map(|t| t.campaign.clone()),
                "sheets": sheets,
                "decisions": {"keep": keep, "remove": remove, "none": none},
                "problems": crate::report::messages::views(problems),
            });
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
        ReviewFormat::Text if settings.quiet => return Ok(()),
        ReviewFormat::Text => {
            let mut out = String::new();
            for t in taken {
                let (k, r) = counts(&t.answer);
                out.push_str(&format!(
                    "{}\n",
                    t!(
                        "review-collected",
                        campaign = t.campaign.as_str(),
                        structure = t.structure.as_str(),
                        keep = k,
                        remove = r,
                        none = t.answer.none,
                        file = t.answer.file.display().to_string()
                    )
                ));
            }
            out
        }
    };
    settings.out(&text)
}

pub fn close(args: &CloseArgs, settings: &Settings) -> Exit {
    let _lock = match lock(settings, "review close") {
        Ok(l) => l,
        Err(exit) => return exit,
    };
    let mut c = match load(settings, &args.campaign) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    if c.closed.is_none() {
        c.closed = Some(crate::history::stamp(jiff::Timestamp::now()));
        if let Err(exit) = save(settings, &c) {
            return exit;
        }
    }
    if !settings.quiet
        && let Err(exit) = settings.out(&format!(
            "{}\n",
            t!("review-closed", campaign = c.campaign.as_str())
        ))
    {
        return exit;
    }
    Exit::Success
}
