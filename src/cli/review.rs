//! `proone-sync review start|send` (evidence.md "Access review campaigns"): a campaign opened
//! over the organisation's structures — one workbook per structure in its reviewer's language,
//! the campaign recorded in the state directory under its lock — and each sheet handed to the
//! `[review] send` command. No business logic here: what a sheet lists is `review::build`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use crate::model::{Location, ObservedState, Problem, ProblemKind};
use crate::report::notify::{self, Ran};
use crate::review::{self, Campaign, Sheet};
use crate::{msg, t};

use super::campaign::{ReviewFormat, lock};
use super::{Exit, PortalArgs, Settings};

#[derive(Debug, Args)]
pub struct ReviewArgs {
    #[command(subcommand)]
    pub command: ReviewCommand,
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Open a campaign: one workbook per structure (named by its id) in DIR, in its reviewer's
    /// language, with who can see the structure and a Décision column to fill.
    ///
    /// Example: proone-sync review start --structure MA-00101 --due 10 --out revue/
    Start(StartArgs),
    /// Hand one sheet of a campaign to the `[review] send` command again.
    ///
    /// Example: proone-sync review send rev-2026-11-28-1a2b3c4d --structure MA-00101
    Send(SendArgs),
    /// Read returned sheets (.xlsx, .ods or `;` CSV; headers in either language) and record
    /// each decision with the file's SHA-256 and the day. A blank decision is no answer.
    ///
    /// Example: proone-sync review collect retour/
    Collect(super::review_collect::CollectArgs),
    /// Close a campaign: no more answers are taken, no more reminders.
    ///
    /// Example: proone-sync review close rev-2026-11-28-1a2b3c4d
    Close(super::review_collect::CloseArgs),
    /// Per sheet: reviewer, sent, answered (when, how many keep and remove), overdue, and the
    /// coordinator. Read-only.
    ///
    /// Example: proone-sync review status --format json
    Status(super::review_status::StatusArgs),
    /// Write a campaign's evidence (.xlsx, .html, .md): what was asked of whom, who answered
    /// what and when (the files' SHA-256), which run applied it.
    ///
    /// Example: proone-sync review report rev-2026-11-28-1a2b3c4d --report revue.html
    Report(super::review_status::ReportArgs),
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// Only these structures (ids); default: every structure of the organisation.
    #[arg(long = "structure", value_name = "ID")]
    pub structures: Vec<String>,
    /// Days the reviewers have (default `[review] due_days`, else 14).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub due: Option<u32>,
    /// The folder the workbooks are written to.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = ReviewFormat::Text)]
    pub format: ReviewFormat,
    #[command(flatten)]
    pub portal: PortalArgs,
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// The campaign (`rev-…`).
    pub campaign: String,
    /// The structure whose sheet is sent.
    #[arg(long, value_name = "ID")]
    pub structure: String,
}

pub fn run(args: &ReviewArgs, settings: &Settings) -> Exit {
    match &args.command {
        ReviewCommand::Start(a) => start(a, settings),
        ReviewCommand::Send(a) => send_again(a, settings),
        ReviewCommand::Collect(a) => super::review_collect::collect(a, settings),
        ReviewCommand::Close(a) => super::review_collect::close(a, settings),
        ReviewCommand::Status(a) => super::review_status::status(a, settings),
        ReviewCommand::Report(a) => super::review_status::report(a, settings),
    }
}

/// (structure, user id) → since when, from the history store when it knows (and whether that
/// is only its first observation: held before).
fn since_map(
    settings: &Settings,
    observed: &ObservedState,
) -> BTreeMap<(String, String), (String, bool)> {
    use crate::history::{Cause, Opened, Store};
    let mut out = BTreeMap::new();
    let Opened::Ready(store) = Store::open_ro(&settings.config.state_dir) else {
        return out;
    };
    for u in observed.users.iter().filter(|u| !u.structures.is_empty()) {
        let Ok(Some(timeline)) = store.person(&u.id, None, None) else {
            continue;
        };
        for a in timeline.access {
            let Some(sid) = a.structure else { continue };
            // The interval still open: since when they hold it now.
            if let Some(i) = a.intervals.iter().rev().find(|i| i.until.is_none()) {
                let before = i.began == Cause::Unknown;
                out.insert((sid, u.id.clone()), (i.since.clone(), before));
            }
        }
    }
    out
}

/// The due day: `days` after `today`.
fn due_day(today: crate::model::CalendarDate, days: u32) -> String {
    jiff::civil::Date::new(
        i16::try_from(today.year).unwrap_or(i16::MAX),
        i8::try_from(today.month).unwrap_or(1),
        i8::try_from(today.day).unwrap_or(1),
    )
    .ok()
    .and_then(|d| d.checked_add(jiff::Span::new().days(i64::from(days))).ok())
    .map_or_else(|| today.to_string(), |d| d.to_string())
}

fn start(args: &StartArgs, settings: &Settings) -> Exit {
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        return settings.fail(
            msg!(
                "cannot-write-file",
                path = args.out.display().to_string(),
                error = e.to_string()
            ),
            "",
        );
    }
    let (conn, rt) = match super::connect::open(&args.portal, settings, &t!("why-review")) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let today = settings.input.today;
    let observed = match rt.block_on(crate::portal::fetch_observed(&conn.client, today)) {
        Ok(o) => o,
        Err(e) => return settings.fail_portal(&e),
    };
    let _lock = match lock(settings, "review start") {
        Ok(l) => l,
        Err(exit) => return exit,
    };
    let config = &settings.config.review;
    let lang = settings
        .config
        .language
        .unwrap_or_else(crate::report::i18n::language);
    say_unknown_reviewers(&observed, settings);
    let since = since_map(settings, &observed);
    let sheets =
        match review::build_sheets(&observed, &args.structures, config, lang, &since, &args.out) {
            Ok(s) => s,
            Err(unknown) => {
                return settings.fail(
                    msg!("review-structure-unknown", structures = unknown.join(", ")),
                    msg!("review-structure-unknown-hint"),
                );
            }
        };
    let started = crate::history::stamp(jiff::Timestamp::now());
    let day = today.to_string();
    let mut campaign = Campaign {
        campaign: review::campaign_id(&day, &started, &observed.organisation.id),
        started,
        due: due_day(today, args.due.unwrap_or(config.due_days)),
        organisation: observed.organisation.id.clone(),
        caller: observed.caller.id.clone(),
        coordinator: config.coordinator.clone(),
        closed: None,
        sheets,
        redone: Vec::new(),
    };
    if let Err(exit) = write_sheets(&mut campaign, settings) {
        return exit;
    }
    if let Err(e) = review::record_new(&settings.config.state_dir, &campaign) {
        remove_sheets(&campaign);
        return settings.fail(
            msg!("review-record-failed", error = e.message().text()),
            msg!("state-dir-hint"),
        );
    }
    say_self(&campaign, settings);
    let mut exit = Exit::Success;
    if settings.config.review.send.is_some() {
        for i in 0..campaign.sheets.len() {
            if campaign.sheets[i].reviewer.is_none() {
                // Said, not a failure: it waits in its folder for IT to hand out.
                say_nobody(&campaign.sheets[i], settings);
                continue;
            }
            if !send(&campaign, &campaign.sheets[i], settings) {
                exit = Exit::Failed;
                continue;
            }
            campaign.sheets[i].sent = true;
        }
        if let Err(e) = review::record_update(&settings.config.state_dir, &campaign) {
            return settings.fail(
                msg!("review-record-failed", error = e.message().text()),
                msg!("state-dir-hint"),
            );
        }
    }
    match print_started(&campaign, args.format, settings) {
        Ok(()) => exit,
        Err(e) => e,
    }
}

/// A reviewer named for a structure the portal does not have (a typo, a structure closed)
/// would review nothing, silently: said.
fn say_unknown_reviewers(observed: &crate::model::ObservedState, settings: &Settings) {
    for structure in settings.config.review.reviewers.keys() {
        if !observed
            .structures
            .iter()
            .any(|s| s.id.as_str() == structure)
        {
            settings.say(
                "WARN",
                msg!("review-reviewer-unknown", structure = structure.as_str()),
                msg!("review-structure-unknown-hint"),
            );
        }
    }
}

/// Each sheet's workbook, whole (a sheet lists people: readable by its owner only), its hash
/// kept for `send`. A file already there (a sheet of an earlier campaign in the same folder) is
/// refused before anything is written: replacing it would send one campaign's sheet as
/// another's.
fn write_sheets(c: &mut Campaign, settings: &Settings) -> Result<(), Exit> {
    if let Some(s) = c.sheets.iter().find(|s| s.file.symlink_metadata().is_ok()) {
        return Err(settings.fail(
            msg!("review-sheet-exists", path = s.file.display().to_string()),
            msg!("review-sheet-exists-hint"),
        ));
    }
    let mut hashes = Vec::new();
    for s in &c.sheets {
        let fail = |error: String| {
            // No campaign without its sheets, no sheets without their campaign: what this
            // start wrote goes, so that it can be run again into the same folder.
            remove_sheets(c);
            settings.fail(
                msg!(
                    "cannot-write-file",
                    path = s.file.display().to_string(),
                    error = error
                ),
                "",
            )
        };
        let bytes = review::sheet::workbook(c, s).map_err(|e| fail(e.to_string()))?;
        crate::apply::write_private(&s.file, &bytes).map_err(|e| fail(e.to_string()))?;
        let sha = review::sha256_of(&s.file).map_err(|e| fail(e.to_string()))?;
        hashes.push(sha);
    }
    for (s, sha) in c.sheets.iter_mut().zip(hashes) {
        s.workbook_sha256 = Some(sha);
    }
    Ok(())
}

/// Removes the workbooks of `c` that are there (a start that could not finish).
fn remove_sheets(c: &Campaign) {
    for s in &c.sheets {
        let _ = std::fs::remove_file(&s.file);
    }
}

/// `review-self`: a reviewer's own row on the sheet they decide, said as a warning.
fn say_self(c: &Campaign, settings: &Settings) {
    for s in &c.sheets {
        for p in s.to_decide().filter(|p| p.is_reviewer) {
            let file = s.file.display().to_string();
            let mut at = Location::file(file.as_str(), 0);
            let lang = crate::model::Lang::parse(&s.lang).unwrap_or_default();
            at.sheet = Some(msg!("review-sheet-name").text_in(lang).into());
            let problem = Problem::warning(
                at.with_row(p.row),
                ProblemKind::ReviewSelf {
                    email: p.email.clone(),
                    structure: s.structure.clone(),
                },
            );
            settings.say_problem("WARN", &problem);
        }
    }
}

/// A sheet with nobody to send it to (no reviewer, no coordinator).
fn say_nobody(s: &Sheet, settings: &Settings) {
    settings.say(
        "WARN",
        msg!("review-send-nobody", structure = s.structure.as_str()),
        msg!("review-send-nobody-hint"),
    );
}

/// Runs `[review] send` for one sheet; `false` when it failed or was stopped (said).
fn send(c: &Campaign, s: &Sheet, settings: &Settings) -> bool {
    let Some(command) = &settings.config.review.send else {
        return false;
    };
    let dir = match settings.config.path.as_deref().and_then(Path::parent) {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Some(reviewer) = s.reviewer.clone() else {
        say_nobody(s, settings);
        return false;
    };
    // The file sent is the one this campaign wrote, not one put in its place since.
    let now = crate::review::sha256_of(&s.file).ok();
    if s.workbook_sha256.is_some() && now != s.workbook_sha256 {
        settings.say(
            "WARN",
            msg!(
                "review-sheet-changed",
                path = s.file.display().to_string(),
                campaign = c.campaign.as_str()
            ),
            msg!("review-sheet-changed-hint"),
        );
        return false;
    }
    let file = std::fs::canonicalize(&s.file).unwrap_or_else(|_| s.file.clone());
    let vars = [
        ("PROONE_REVIEW_FILE", file.into_os_string()),
        ("PROONE_REVIEWER", reviewer.into()),
        ("PROONE_STRUCTURE", s.structure.clone().into()),
        ("PROONE_REVIEW_DUE", c.due.clone().into()),
        ("PROONE_CAMPAIGN", c.campaign.clone().into()),
    ];
    match notify::run_with(command, &dir, &vars, "", notify::TIMEOUT) {
        Ran::Succeeded => true,
        Ran::Failed(why) => {
            settings.say(
                "WARN",
                msg!(
                    "review-send-failed",
                    structure = s.structure.as_str(),
                    why = why
                ),
                msg!(
                    "review-send-hint",
                    campaign = c.campaign.as_str(),
                    structure = s.structure.as_str()
                ),
            );
            false
        }
        Ran::TimedOut => {
            settings.say(
                "WARN",
                msg!(
                    "review-send-stopped",
                    structure = s.structure.as_str(),
                    secs = notify::TIMEOUT.as_secs()
                ),
                msg!(
                    "review-send-hint",
                    campaign = c.campaign.as_str(),
                    structure = s.structure.as_str()
                ),
            );
            false
        }
    }
}

fn print_started(c: &Campaign, format: ReviewFormat, settings: &Settings) -> Result<(), Exit> {
    let text = match format {
        ReviewFormat::Json => {
            let sheets: Vec<serde_json::Value> = c
                .sheets
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "structure": s.structure,
                        "reviewer": s.reviewer,
                        "file": s.file.display().to_string(),
                        "people": s.to_decide().count(),
                        "sent": s.sent,
                    })
                })
                .collect();
            let v = serde_json::json!({"campaign": c.campaign, "due": c.due, "sheets": sheets});
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
        ReviewFormat::Text if settings.quiet => return Ok(()),
        ReviewFormat::Text => {
            let mut out = format!(
                "{}\n",
                t!(
                    "review-started",
                    campaign = c.campaign.as_str(),
                    sheets = c.sheets.len(),
                    due = c.due.as_str()
                )
            );
            for s in &c.sheets {
                let reviewer = s
                    .reviewer
                    .clone()
                    .unwrap_or_else(|| t!("review-no-reviewer"));
                out.push_str(&format!(
                    "  {}\n",
                    t!(
                        "review-sheet-line",
                        structure = s.structure.as_str(),
                        people = s.to_decide().count(),
                        reviewer = reviewer,
                        file = s.file.display().to_string()
                    )
                ));
            }
            out
        }
    };
    settings.out(&text)
}

fn send_again(args: &SendArgs, settings: &Settings) -> Exit {
    if settings.config.review.send.is_none() {
        return settings.fail(msg!("review-no-send"), msg!("review-no-send-hint"));
    }
    let _lock = match lock(settings, "review send") {
        Ok(l) => l,
        Err(exit) => return exit,
    };
    let mut campaign = match super::campaign::load(settings, &args.campaign) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    if let Some(closed) = &campaign.closed {
        return settings.fail(
            msg!(
                "review-send-closed",
                campaign = campaign.campaign.as_str(),
                closed = closed.as_str()
            ),
            "",
        );
    }
    let Some(i) = campaign
        .sheets
        .iter()
        .position(|s| s.structure == args.structure)
    else {
        return settings.fail(
            msg!(
                "review-structure-unknown",
                structures = args.structure.as_str()
            ),
            msg!("review-structure-unknown-hint"),
        );
    };
    if !send(&campaign, &campaign.sheets[i], settings) {
        return Exit::Failed;
    }
    campaign.sheets[i].sent = true;
    if let Err(exit) = super::campaign::save(settings, &campaign) {
        return exit;
    }
    if !settings.quiet
        && let Err(exit) = settings.out(&format!(
            "{}\n",
            t!(
                "review-sent",
                campaign = campaign.campaign.as_str(),
                structure = args.structure.as_str()
            )
        ))
    {
        return exit;
    }
    Exit::Success
}
