//! `proone-sync apply INPUT…` / `apply --plan PLAN`: plans (or loads and checks a reviewed plan),
//! shows the summary and fingerprint, asks on a terminal, then applies under the state
//! directory's lock with a journal, progress, a clean stop on Ctrl-C / SIGTERM, and a final
//! report. Exit status as cli.md says: 130, 1, 4, 3 in that precedence.

use std::collections::HashMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use clap::Args;

use crate::apply::outcome::{compact_stamp, rfc3339};
use crate::apply::{
    Execution, Journal, LockError, Prior, Standing, acquire, execute, standing, write_private,
};
use crate::model::Severity;
use crate::plan::{Action, Mode, SavedPlan, Summary};
use crate::portal::PortalClient;
use crate::report::apply::{APPLY_FORMAT, ApplyReport};
use crate::report::messages;
use crate::report::plan::summary_text;

use super::plan::{Prepared, Wanted, prepare};
use super::progress::Progress;
use super::{Exit, PortalArgs, Settings};

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Spreadsheets or folders to read (default: `inputs` of the config file).
    #[arg(value_name = "INPUT", conflicts_with = "plan")]
    pub inputs: Vec<PathBuf>,
    /// Apply exactly this saved plan (`plan --out`), after checking it against the portal; a
    /// partly applied one is resumed.
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<PathBuf>,
    /// Do not ask for confirmation (required without a terminal, e.g. in cron).
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// Refuse to apply unless the plan's fingerprint is this one (the one a manager approved).
    #[arg(long, value_name = "HEX")]
    pub expect_fingerprint: Option<String>,
    /// Also revoke, from the people named in the inputs, what the inputs do not give them.
    #[arg(long, conflicts_with = "plan")]
    pub prune: bool,
    /// Any error-level problem in the inputs stops the run before any write (exit 1).
    #[arg(long)]
    pub strict: bool,
    /// Go past the mass-change guards (max_revocations, 10 % of the managed grants,
    /// max_creations).
    #[arg(long)]
    pub allow_mass_change: bool,
    #[command(flatten)]
    pub portal: PortalArgs,
}

/// What is about to be applied, whichever way it came.
struct Work {
    runtime: tokio::runtime::Runtime,
    /// The client, and the embedded portal it may talk to (kept alive with it).
    conn: super::connect::Connection,
    portal: String,
    organisation: String,
    mode: Mode,
    fingerprint: String,
    summary: Summary,
    actions: Vec<Action>,
    prior: HashMap<u32, Prior>,
    source: String,
    invalid_rows: usize,
    /// Error-level problems of the plan, as lines (shown after the summary).
    problems: Vec<String>,
}

pub fn run(args: &ApplyArgs, settings: &Settings) -> Exit {
    let started = SystemTime::now();
    let state_dir = settings.config.state_dir.clone();
    let _lock = match acquire(&state_dir, &rfc3339(started)) {
        Ok(l) => l,
        Err(e @ LockError::Held { .. }) => {
            return settings.fail(
                e,
                "wait for that run to end; a lock left by a process that died frees itself",
            );
        }
        Err(e) => return settings.fail(e, "check the state directory (state_dir in the config)"),
    };
    sweep_old_files(settings, started);
    let work = match &args.plan {
        Some(path) => from_saved(path, args, settings),
        None => from_inputs(args, settings),
    };
    let work = match work {
        Ok(w) => w,
        Err(exit) => return exit,
    };
    if let Err(exit) = expect_fingerprint(args, &work.fingerprint, settings) {
        return exit;
    }
    let to_send = work.actions.len() - work.prior.len().min(work.actions.len());
    let pending_exit = if work.invalid_rows > 0 {
        Exit::InvalidRows
    } else {
        Exit::Success
    };
    if to_send == 0 {
        if !settings.quiet
            && let Err(exit) =
                settings.out("Nothing to change: the portal already has what the plan asks for.\n")
        {
            return exit;
        }
        show_problems(&work, settings);
        return pending_exit;
    }
    if !settings.quiet
        && let Err(exit) = show_summary(&work, settings)
    {
        return exit;
    }
    // Errors, so shown under -q too.
    show_problems(&work, settings);
    if !args.yes
        && let Err(exit) = confirm(&work, to_send, settings)
    {
        return exit;
    }
    execute_work(work, settings, started, &state_dir, pending_exit)
}

/// `--expect-fingerprint`: the plan must be the one a manager approved.
fn expect_fingerprint(
    args: &ApplyArgs,
    fingerprint: &str,
    settings: &Settings,
) -> Result<(), Exit> {
    match &args.expect_fingerprint {
        Some(expected) if !expected.eq_ignore_ascii_case(fingerprint) => Err(settings.fail(
            format!(
                "the plan's fingerprint is {fingerprint}, not the approved {expected}: nothing applied"
            ),
            "review the plan again (proone-sync plan), or apply the approved one with --plan",
        )),
        _ => Ok(()),
    }
}

/// Retention: journals, reports and saved plans older than `retention_days` go.
fn sweep_old_files(settings: &Settings, now: SystemTime) {
    let state_dir = &settings.config.state_dir;
    match crate::apply::retention::sweep(state_dir, settings.config.retention_days, now) {
        Ok(gone) if !gone.is_empty() => tracing::info!(
            deleted = gone.len(),
            "retention: deleted files older than {} days from {}",
            settings.config.retention_days,
            state_dir.display()
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!("retention in {}: {e}", state_dir.display()),
    }
}

/// The plan's summary and fingerprint, and the portal.
fn show_summary(work: &Work, settings: &Settings) -> Result<(), Exit> {
    let already = if work.prior.is_empty() {
        String::new()
    } else {
        format!(
            " ({} of the plan's actions already in effect)",
            work.prior.len()
        )
    };
    let summary = summary_text(
        &work.fingerprint,
        work.mode,
        &work.organisation,
        &work.summary,
    );
    settings.out(&format!("{summary}  portal: {}{already}\n", work.portal))
}

/// The plan's error-level problems (the first ten).
fn show_problems(work: &Work, settings: &Settings) {
    for p in work.problems.iter().take(10) {
        settings.say_line("WARN", p);
    }
    if work.problems.len() > 10 {
        settings.say_line(
            "WARN",
            &format!(
                "… and {} more problem(s): `proone-sync plan` lists them all",
                work.problems.len() - 10
            ),
        );
    }
}

/// Asks on the terminal; `Err` is the exit of a run that must not go on (no terminal, or not
/// a yes).
fn confirm(work: &Work, to_send: usize, settings: &Settings) -> Result<(), Exit> {
    if !std::io::stdin().is_terminal() {
        return Err(settings.fail(
            "no terminal to confirm on: nothing applied",
            "review the plan (proone-sync plan), then run apply with --yes",
        ));
    }
    eprint!(
        "Apply {to_send} change(s) to {}? Type yes to go on: ",
        work.organisation
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    if matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "o" | "oui"
    ) {
        Ok(())
    } else {
        eprintln!("Nothing applied.");
        Err(Exit::Failed)
    }
}

fn execute_work(
    work: Work,
    settings: &Settings,
    started: SystemTime,
    state_dir: &Path,
    pending_exit: Exit,
) -> Exit {
    let stamp = compact_stamp(started);
    let journal = match open_journal(&work, state_dir, &stamp) {
        Ok(j) => j,
        Err(e) => {
            return settings.fail(
                format!(
                    "{}: cannot create the journal: {e}: nothing applied",
                    state_dir.display()
                ),
                "check the state directory (state_dir in the config)",
            );
        }
    };
    let journal_path = journal.path.display().to_string();
    let mut progress = Progress::new(
        Some(journal),
        work.actions.len(),
        settings.quiet,
        settings.log_format,
    );
    let execution = run_actions(&work, &mut progress, settings);
    progress.finish(&execution.tally);
    let result = if progress.journal_error.is_some() {
        "journal unwritable"
    } else {
        result_of(&execution)
    };
    if let Some(j) = &mut progress.journal
        && let Err(e) = j.finish(&execution.tally, result)
        && progress.journal_error.is_none()
    {
        progress.journal_error = Some(e);
    }
    let (interrupted, portal_down) = (execution.interrupted, execution.portal_down.clone());
    let report = apply_report(&work, execution, started, journal_path, result);
    let mut exit = pending_exit;
    if !write_reports(&report, state_dir, &stamp, settings) {
        exit = Exit::Failed;
    }
    if let Some(e) = &progress.journal_error {
        let lines = progress.journal.as_ref().map_or(0, |j| j.lines);
        settings.say(
            "ERROR",
            &format!(
                "the journal {journal_file} could not be written after its line {lines}: {e}; no new call was started, and what finished after that line is on stderr above",
                journal_file = report.journal.as_deref().unwrap_or("")
            ),
            "free space in the state directory; the next run converges from what the portal holds",
        );
        exit = Exit::Failed;
    }
    if !settings.quiet && settings.out(&crate::report::apply::text(&report)).is_err() {
        exit = Exit::Failed;
    }
    if interrupted {
        return Exit::Interrupted;
    }
    if let Some(why) = &portal_down {
        return settings.fail(
            format!(
                "the portal stopped answering ({} actions in a row could not reach it; {} not started): {why}",
                crate::apply::executor::DOWN_AFTER,
                report.tally.not_run
            ),
            "run again once the portal answers: what was done stays done, the rest converges",
        );
    }
    if exit == Exit::Failed {
        return exit;
    }
    if report.tally.failed > 0 {
        return Exit::ActionsFailed;
    }
    exit
}

/// The run's journal, its start line saying what is applied, against what, from where.
fn open_journal(work: &Work, state_dir: &Path, stamp: &str) -> std::io::Result<Journal> {
    Journal::create(
        state_dir,
        stamp,
        &work.fingerprint,
        serde_json::json!({
            "portal": work.portal, "organisation": work.organisation, "mode": work.mode,
            "source": work.source, "actions": work.actions.len(),
            "already_in_effect": work.prior.len(),
        }),
    )
}

/// The plan's actions through the portal, Ctrl-C and SIGTERM listened to meanwhile.
fn run_actions(work: &Work, progress: &mut Progress, settings: &Settings) -> Execution {
    let client = work.conn.client.clone();
    let watcher = work
        .runtime
        .spawn(stop_on_signal(client.clone(), settings.log_format));
    let concurrency = client.concurrency();
    let execution = work.runtime.block_on(execute(
        client,
        &work.actions,
        &work.prior,
        &work.fingerprint,
        concurrency,
        progress,
    ));
    watcher.abort();
    execution
}

/// The journal's and the report's word for how the run ended.
fn result_of(execution: &Execution) -> &'static str {
    if execution.interrupted {
        "interrupted"
    } else if execution.portal_down.is_some() {
        "portal unreachable"
    } else {
        "completed"
    }
}

fn apply_report(
    work: &Work,
    execution: Execution,
    started: SystemTime,
    journal_path: String,
    result: &'static str,
) -> ApplyReport {
    use std::sync::atomic::Ordering::Relaxed;
    let stats = &work.conn.client.stats;
    ApplyReport {
        format: APPLY_FORMAT,
        fingerprint: work.fingerprint.clone(),
        mode: work.mode,
        portal: work.portal.clone(),
        organisation: work.organisation.clone(),
        source: work.source.clone(),
        started: rfc3339(started),
        finished: rfc3339(SystemTime::now()),
        elapsed_secs: (execution.elapsed.as_secs_f64() * 10.0).round() / 10.0,
        result,
        actions: work.actions.len(),
        tally: execution.tally,
        requests: stats.requests.load(Relaxed),
        retries: stats.retries.load(Relaxed),
        rate_limited: stats.rate_limited.load(Relaxed),
        journal: Some(journal_path),
        outcomes: execution.outcomes,
    }
}

/// The final report as Markdown and JSON beside the journal; `false` if one could not be
/// written (said).
fn write_reports(report: &ApplyReport, state_dir: &Path, stamp: &str, settings: &Settings) -> bool {
    let mut ok = true;
    for (ext, body) in [
        ("md", crate::report::apply::markdown(report)),
        ("json", crate::report::apply::json(report)),
    ] {
        let path = state_dir.join(format!("report-{stamp}-{}.{ext}", report.fingerprint));
        if let Err(e) = write_private(&path, body.as_bytes()) {
            settings.say(
                "ERROR",
                &format!("{}: cannot write the report: {e}", path.display()),
                "",
            );
            ok = false;
        }
    }
    ok
}

/// Ctrl-C or SIGTERM: no new call starts, calls in flight finish. A second one quits at once.
async fn stop_on_signal(client: Arc<PortalClient>, log_format: super::LogFormat) {
    let mut shutdown = super::signals::Shutdown::listen();
    shutdown.recv().await;
    client.interrupt();
    super::say::say(
        log_format,
        "WARN",
        "interrupted: finishing the calls in flight, then writing the journal (Ctrl-C again quits at once)",
        "",
    );
    shutdown.recv().await;
    std::process::exit(Exit::Interrupted as i32);
}

fn from_inputs(args: &ApplyArgs, settings: &Settings) -> Result<Work, Exit> {
    let p = prepare(
        &Wanted {
            inputs: &args.inputs,
            strict: args.strict,
            prune: args.prune,
            allow_mass_change: args.allow_mass_change,
            portal: &args.portal,
        },
        settings,
    )?;
    let report = p.report();
    let errors: Vec<_> = report
        .problems
        .iter()
        .filter(|x| x.severity == Severity::Error)
        .collect();
    let problems: Vec<String> = errors
        .iter()
        .map(|e| format!("{}: {}", e.location, messages::message(e)))
        .collect();
    if p.plan.guard_tripped {
        for e in errors.iter().filter(|e| e.code().starts_with("guard-")) {
            settings.say_line("ERROR", &messages::message(e));
        }
        return Err(settings.fail(
            "a mass-change guard tripped (above): nothing applied",
            "check that the spreadsheet is complete and right; if the change is intended, run again with --allow-mass-change (max_revocations and max_creations are in the config)",
        ));
    }
    if args.strict && !errors.is_empty() {
        return Err(settings.fail(
            "--strict: the plan has errors: nothing applied",
            "fix the problems above and run again",
        ));
    }
    let fingerprint = report.fingerprint.clone();
    let summary = report.summary;
    drop(report);
    let Prepared {
        runtime,
        conn,
        plan,
        organisation,
        invalid_rows,
        ..
    } = p;
    Ok(Work {
        runtime,
        portal: conn.portal.clone(),
        organisation,
        mode: plan.mode,
        fingerprint,
        summary,
        actions: plan.actions,
        prior: HashMap::new(),
        source: "inputs".into(),
        invalid_rows,
        problems,
        conn,
    })
}

fn from_saved(path: &Path, args: &ApplyArgs, settings: &Settings) -> Result<Work, Exit> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| settings.fail(format!("{}: cannot read the plan: {e}", path.display()), ""))?;
    let saved = SavedPlan::parse(&text).map_err(|e| {
        settings.fail(
            format!("{}: {e}", path.display()),
            "save a plan with `proone-sync plan --out PLAN`",
        )
    })?;
    let actions = saved.actions(settings.input.today).map_err(|e| {
        settings.fail(
            format!("{}: {e}; nothing applied", path.display()),
            "make and review a new plan",
        )
    })?;
    // Before any call: the plan on disk is not the approved one.
    expect_fingerprint(args, &saved.fingerprint, settings)?;
    if saved.guard_tripped && !args.allow_mass_change {
        return Err(settings.fail(
            format!(
                "{}: this plan tripped a mass-change guard when it was made: nothing applied",
                path.display()
            ),
            "if the change is intended, run again with --allow-mass-change",
        ));
    }
    let (conn, runtime) = super::connect::open(
        &args.portal,
        settings,
        "a saved plan is checked against the portal",
    )?;
    let observed = runtime
        .block_on(crate::portal::fetch_observed(
            &conn.client,
            settings.input.today,
        ))
        .map_err(|e| settings.fail(&e, e.details()))?;
    let prior = match standing(&saved, &actions, &observed, &conn.portal) {
        Standing::Current(prior) => prior,
        Standing::Stale(changes) => {
            for c in &changes {
                settings.say_line("ERROR", &format!("  changed: {c}"));
            }
            return Err(settings.fail(
                format!(
                    "{}: the plan is stale ({} change(s) above since it was made): nothing applied",
                    path.display(),
                    changes.len()
                ),
                "make and review a new plan against the portal as it is now",
            ));
        }
    };
    Ok(Work {
        runtime,
        portal: conn.portal.clone(),
        organisation: format!(
            "{} ({})",
            observed.organisation.name, observed.organisation.id
        ),
        mode: saved.mode,
        fingerprint: saved.fingerprint.clone(),
        summary: saved.summary.unwrap_or_default(),
        actions,
        prior,
        source: format!("saved plan {}", path.display()),
        invalid_rows: 0,
        problems: Vec::new(),
        conn,
    })
}
