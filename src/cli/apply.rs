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

use crate::apply::held::{self, HeldState, Record, kind};
use crate::apply::outcome::rfc3339;
use crate::apply::{Change, Execution, LockError, Prior, Standing, acquire, execute, standing};
use crate::model::{Problem, Severity};
use crate::plan::{Action, Mode, OnTrip, SavedPlan, Summary, Tripped, hold};
use crate::portal::PortalClient;
use crate::report::messages;
use crate::report::plan::summary_text;
use crate::t;

use super::night::{Night, Phase};
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
    /// Also revoke, from the people named in the inputs, what the inputs do not give them
    /// (`prune = true` in the config does the same).
    #[arg(long, conflicts_with = "plan")]
    pub prune: bool,
    /// The scope of --prune: listed or authoritative (leavers lose their access). Default:
    /// [scope] mode, else listed.
    #[arg(long, value_enum, conflicts_with = "plan")]
    pub scope: Option<crate::config::ScopeMode>,
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
    /// The first error-level problems of the plan (shown after the summary), and how many
    /// there are in all.
    problems: Vec<Problem>,
    error_count: usize,
    /// The guards that tripped and whose kind is held (none unless `on_trip = "hold"`).
    hold: Tripped,
    /// The guards' problems, for the held plan's page.
    guard_problems: Vec<Problem>,
    /// The plan's leavers (authoritative scope), for the held plan's page.
    leavers: Vec<crate::plan::PersonPlan>,
    /// A held plan being applied: its fingerprint and approval (recorded as applied after).
    approved: Option<Record>,
    /// `listed` or `authoritative`: a held plan keeps it under its fingerprint.
    scope: crate::model::ScopeMode,
    /// An input gave no person in authoritative scope.
    scope_incomplete: bool,
}

impl Work {
    fn phase<'a>(&'a self, actions: &'a [Action]) -> Phase<'a> {
        let start = match &self.approved {
            Some(a) => serde_json::json!({
                "held_plan": a.fingerprint, "approved_by": a.by, "approved_at": a.at,
            }),
            None => serde_json::json!({}),
        };
        Phase {
            runtime: &self.runtime,
            client: &self.conn.client,
            portal: &self.portal,
            organisation: &self.organisation,
            mode: self.mode,
            fingerprint: &self.fingerprint,
            actions,
            prior: &self.prior,
            source: &self.source,
            start,
        }
    }
}

pub fn run(args: &ApplyArgs, settings: &Settings) -> Exit {
    let started = SystemTime::now();
    let state_dir = settings.config.state_dir.clone();
    let _lock = match acquire(&state_dir, &rfc3339(started), "apply") {
        Ok(l) => l,
        Err(e @ LockError::Held { .. }) => {
            return settings.fail(messages::lock_error(&e), crate::msg!("lock-held-hint"));
        }
        Err(e) => return settings.fail(messages::lock_error(&e), crate::msg!("state-dir-hint")),
    };
    sweep_old_files(settings, started);
    let mut night = Night::new(settings, started);
    let returned = phases(args, settings, &mut night);
    night.end(returned)
}

/// The run's phases: an approved held plan first (not for `--plan`), then the inputs or the
/// saved plan. `Err` of a phase is the exit of a run that stops there.
fn phases(args: &ApplyArgs, settings: &Settings, night: &mut Night<'_>) -> Exit {
    if args.plan.is_none()
        && let Err(exit) = approved_first(args, settings, night)
    {
        return exit;
    }
    let work = match &args.plan {
        Some(path) => from_saved(path, args, settings),
        None => from_inputs(args, settings),
    };
    let mut work = match work {
        Ok(w) => w,
        Err(exit) => return exit,
    };
    night.talks_with(&work.conn.client);
    night.invalid_rows += work.invalid_rows;
    night.scope_incomplete |= work.scope_incomplete;
    if let Err(exit) = expect_fingerprint(args, &work.fingerprint, settings) {
        return exit;
    }
    let (rest, held) = hold::split(std::mem::take(&mut work.actions), work.hold);
    work.actions = rest;
    let to_send = work.actions.len() - work.prior.len().min(work.actions.len());
    if to_send == 0 && held.is_empty() {
        if !settings.quiet
            && let Err(exit) = settings.out(&format!("{}\n", t!("nothing-to-change")))
        {
            return exit;
        }
        show_problems(&work, settings);
        mark_applied(&work, night, settings);
        return Exit::Success;
    }
    if !settings.quiet
        && let Err(exit) = show_summary(&work, held.len(), settings)
    {
        return exit;
    }
    // Errors, so shown under -q too.
    show_problems(&work, settings);
    if to_send > 0 {
        if !args.yes
            && let Err(exit) = confirm(&work, to_send, settings)
        {
            return exit;
        }
        if let Err(exit) = night.execute(&work.phase(&work.actions)) {
            return exit;
        }
        mark_applied(&work, night, settings);
    }
    if !held.is_empty()
        && let Err(exit) = super::hold::keep(&work_view(&work), held, night, settings)
    {
        return exit;
    }
    Exit::Success
}

/// What the held plan is made from.
fn work_view(work: &Work) -> super::hold::From<'_> {
    super::hold::From {
        phase: work.phase(&[]),
        tripped: work.hold,
        problems: &work.guard_problems,
        scope: work.scope,
        leavers: &work.leavers,
    }
}

/// A held plan that was applied is recorded so: `applied` when every action ended done,
/// adopted or in effect, else `partial` with the actions that did not (cli.md).
fn mark_applied(work: &Work, night: &mut Night<'_>, settings: &Settings) {
    if let Some(a) = &work.approved {
        let mut r = Record::new(&a.fingerprint, rfc3339(SystemTime::now()));
        r.failed = night.unfinished.clone();
        let (which, state) = if r.failed.is_empty() {
            (kind::APPLIED, "applied")
        } else {
            (kind::PARTIAL, "partial")
        };
        if let Err(e) = held::record(&settings.config.state_dir, which, &r) {
            settings.say(
                "ERROR",
                crate::msg!(
                    "held-record-failed",
                    fingerprint = &a.fingerprint,
                    state = state,
                    error = e.to_string()
                ),
                "",
            );
            night.fail();
        }
    }
}

/// Approved held plans of the state directory, oldest first, each applied exactly as `apply
/// --plan` would; a stale one is refused (nothing of it written, recorded `stale`, the run
/// fails at its end) and the run goes on.
fn approved_first(
    args: &ApplyArgs,
    settings: &Settings,
    night: &mut Night<'_>,
) -> Result<(), Exit> {
    let state_dir = &settings.config.state_dir;
    let entries = held::list(state_dir).unwrap_or_else(|e| {
        tracing::warn!("{}: cannot list the held plans: {e}", state_dir.display());
        Vec::new()
    });
    for e in entries
        .into_iter()
        .filter(|e| e.state == HeldState::Approved)
    {
        let (saved, actions) = load_saved(&e.path, settings)?;
        match check_saved(&saved, actions, &args.portal, settings)? {
            Checked::Stale(changes, client) => {
                night.talks_with(&client);
                refuse_stale(&e.fingerprint, &e.path, &changes, night, settings);
            }
            Checked::Current(mut work) => {
                night.talks_with(&work.conn.client);
                let by = super::held::approver(e.approved.as_ref().and_then(|a| a.by.as_deref()));
                // The journal's source is data: the held plan (its approver has fields of its own).
                work.source = format!("held:{}", e.fingerprint);
                work.approved = e.approved.clone();
                if !settings.quiet {
                    settings.out(&format!(
                        "{}\n",
                        t!(
                            "applying-held-first",
                            fingerprint = &e.fingerprint,
                            by = &by
                        )
                    ))?;
                }
                night.execute(&work.phase(&work.actions))?;
                mark_applied(&work, night, settings);
            }
        }
    }
    Ok(())
}

/// An approved plan found stale: said, recorded, in the run's report; the run fails at its end.
fn refuse_stale(
    fingerprint: &str,
    path: &Path,
    changes: &[Change],
    night: &mut Night<'_>,
    settings: &Settings,
) {
    for c in changes {
        settings.say_change(c);
    }
    settings.say(
        "ERROR",
        crate::msg!(
            "approved-stale",
            path = path.display().to_string(),
            fingerprint = fingerprint,
            count = changes.len()
        ),
        crate::msg!("approved-stale-hint"),
    );
    let r = Record {
        changes: changes.to_vec(),
        ..Record::new(fingerprint, rfc3339(SystemTime::now()))
    };
    if let Err(e) = held::record(&settings.config.state_dir, kind::STALE, &r) {
        settings.say(
            "ERROR",
            crate::msg!(
                "held-record-failed",
                fingerprint = fingerprint,
                state = "stale",
                error = e.to_string()
            ),
            "",
        );
    }
    let mut md = format!(
        "# {}\n\n{}\n\n",
        t!("md-approved-stale", fingerprint = fingerprint),
        t!("md-approved-stale-body")
    );
    for c in changes {
        md.push_str(&format!(
            "- {}\n",
            crate::report::md_escape(&crate::report::outcomes::change(c))
        ));
    }
    night.markdown(&md);
    night.fail();
}

/// `--expect-fingerprint`: the plan must be the one a manager approved.
fn expect_fingerprint(
    args: &ApplyArgs,
    fingerprint: &str,
    settings: &Settings,
) -> Result<(), Exit> {
    match &args.expect_fingerprint {
        Some(expected) if !expected.eq_ignore_ascii_case(fingerprint) => Err(settings.fail(
            crate::msg!(
                "fingerprint-mismatch",
                fingerprint = fingerprint,
                expected = expected
            ),
            crate::msg!("fingerprint-mismatch-hint"),
        )),
        _ => Ok(()),
    }
}

/// Retention: journals, reports and saved plans older than `retention_days` go.
fn sweep_old_files(settings: &Settings, now: SystemTime) {
    let state_dir = &settings.config.state_dir;
    let keep = crate::apply::held::waiting(state_dir);
    match crate::apply::retention::sweep(state_dir, settings.config.retention_days, now, &keep) {
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

/// The plan's summary and fingerprint, the portal, and what is held.
fn show_summary(work: &Work, held: usize, settings: &Settings) -> Result<(), Exit> {
    let already = if work.prior.is_empty() {
        String::new()
    } else {
        format!(" {}", t!("already-in-effect", count = work.prior.len()))
    };
    let summary = summary_text(
        &work.fingerprint,
        work.mode,
        &work.organisation,
        &work.summary,
    );
    let mut text = format!(
        "{summary}  {}{already}\n",
        t!("summary-portal", portal = &work.portal)
    );
    if held > 0 {
        text.push_str(&format!("{}\n", t!("held-now", held = held)));
    }
    settings.out(&text)
}

/// The plan's error-level problems (the first ten).
fn show_problems(work: &Work, settings: &Settings) {
    // Warnings of the run: it goes on without these rows.
    for p in &work.problems {
        settings.say_problem("WARN", p);
    }
    if work.error_count > work.problems.len() {
        settings.say(
            "WARN",
            crate::msg!(
                "more-problems",
                count = work.error_count - work.problems.len()
            ),
            "",
        );
    }
}

/// Asks on the terminal; `Err` is the exit of a run that must not go on (no terminal, or not
/// a yes).
fn confirm(work: &Work, to_send: usize, settings: &Settings) -> Result<(), Exit> {
    if !std::io::stdin().is_terminal() {
        return Err(settings.fail(crate::msg!("no-terminal"), crate::msg!("no-terminal-hint")));
    }
    eprint!(
        "{}",
        t!(
            "confirm",
            count = to_send,
            organisation = &work.organisation
        )
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
        eprintln!("{}", t!("nothing-applied"));
        Err(Exit::Failed)
    }
}

/// A phase's actions through the portal, Ctrl-C and SIGTERM listened to meanwhile.
pub(super) fn run_actions(
    p: &Phase<'_>,
    progress: &mut Progress,
    settings: &Settings,
) -> Execution {
    let client = p.client.clone();
    let watcher = p
        .runtime
        .spawn(stop_on_signal(client.clone(), settings.log_format));
    let concurrency = client.concurrency();
    let execution = p.runtime.block_on(execute(
        client,
        p.actions,
        p.prior,
        p.fingerprint,
        concurrency,
        progress,
    ));
    watcher.abort();
    execution
}

/// Ctrl-C or SIGTERM: no new call starts, calls in flight finish. A second one quits at once.
async fn stop_on_signal(client: Arc<PortalClient>, log_format: super::LogFormat) {
    let mut shutdown = super::signals::Shutdown::listen();
    shutdown.recv().await;
    client.interrupt();
    super::say::say(log_format, "WARN", crate::msg!("interrupted-now"), "");
    shutdown.recv().await;
    std::process::exit(Exit::Interrupted as i32);
}

fn from_inputs(args: &ApplyArgs, settings: &Settings) -> Result<Work, Exit> {
    let p = prepare(
        &Wanted {
            inputs: &args.inputs,
            strict: args.strict,
            prune: args.prune,
            scope: args.scope,
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
    // Only the ten shown are kept (and rendered): an input of thousands of bad rows is not
    // said twice.
    let problems: Vec<Problem> = errors.iter().take(10).map(|e| (*e).clone()).collect();
    let error_count = errors.len();
    let guard_problems: Vec<Problem> = report
        .problems
        .iter()
        .filter(|e| e.code().starts_with("guard-"))
        .cloned()
        .collect();
    if p.plan.stops() {
        for e in &guard_problems {
            settings.say_problem("ERROR", e);
        }
        return Err(settings.fail(
            crate::msg!("guard-stopped"),
            crate::msg!("guard-stopped-hint"),
        ));
    }
    if args.strict && !errors.is_empty() {
        return Err(settings.fail(crate::msg!("strict-plan"), crate::msg!("fix-and-rerun")));
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
    let (scope, scope_incomplete) = (plan.scope, plan.scope_incomplete());
    let hold = if plan.on_trip == OnTrip::Hold {
        plan.tripped
    } else {
        Tripped::default()
    };
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
        error_count,
        hold,
        guard_problems,
        leavers: plan.leavers,
        approved: None,
        scope,
        scope_incomplete,
        conn,
    })
}

/// A saved plan read and its actions checked against its fingerprint.
fn load_saved(path: &Path, settings: &Settings) -> Result<(SavedPlan, Vec<Action>), Exit> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        settings.fail(
            crate::msg!(
                "plan-unreadable",
                path = path.display().to_string(),
                error = e.to_string()
            ),
            "",
        )
    })?;
    let saved = SavedPlan::parse(&text).map_err(|e| {
        settings.fail(
            crate::msg!(
                "plan-not-saved",
                path = path.display().to_string(),
                error = messages::saved_plan_error(&e)
            ),
            crate::msg!("plan-not-saved-hint"),
        )
    })?;
    let actions = saved.actions(settings.input.today).map_err(|e| {
        settings.fail(
            crate::msg!(
                "plan-refused",
                path = path.display().to_string(),
                error = messages::saved_plan_error(&e)
            ),
            crate::msg!("plan-refused-hint"),
        )
    })?;
    Ok((saved, actions))
}

/// A saved plan against the portal as it is now.
enum Checked {
    Current(Box<Work>),
    /// What changed, and the client that read it.
    Stale(Vec<Change>, Arc<PortalClient>),
}

/// Reads the portal and checks the saved plan against it (cli.md's resume rule).
fn check_saved(
    saved: &SavedPlan,
    actions: Vec<Action>,
    portal: &PortalArgs,
    settings: &Settings,
) -> Result<Checked, Exit> {
    let (conn, runtime) = super::connect::open(portal, settings, &t!("why-saved-plan"))?;
    let observed = runtime
        .block_on(crate::portal::fetch_observed(
            &conn.client,
            settings.input.today,
        ))
        .map_err(|e| settings.fail_portal(&e))?;
    let prior = match standing(saved, &actions, &observed, &conn.portal) {
        Standing::Current(prior) => prior,
        Standing::Stale(changes) => return Ok(Checked::Stale(changes, conn.client.clone())),
    };
    Ok(Checked::Current(Box::new(Work {
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
        source: String::new(),
        invalid_rows: 0,
        problems: Vec::new(),
        error_count: 0,
        hold: Tripped::default(),
        guard_problems: Vec::new(),
        leavers: Vec::new(),
        approved: None,
        scope: saved.scope,
        scope_incomplete: false,
        conn,
    })))
}

/// `apply --plan`: a held plan needs its approval; another plan whose guard tripped is held
/// (`on_trip = "hold"`) or refused (`"stop"`) unless `--allow-mass-change`.
fn from_saved(path: &Path, args: &ApplyArgs, settings: &Settings) -> Result<Work, Exit> {
    let (saved, actions) = load_saved(path, settings)?;
    // Before any call: the plan on disk is not the approved one.
    expect_fingerprint(args, &saved.fingerprint, settings)?;
    let approved = if saved.held {
        Some(approval_of(&saved.fingerprint, path, settings)?)
    } else {
        None
    };
    let mut hold = Tripped::default();
    if saved.guard_tripped && approved.is_none() && !args.allow_mass_change {
        if settings.config.on_trip == OnTrip::Stop {
            return Err(settings.fail(
                crate::msg!("saved-guard", path = path.display().to_string()),
                crate::msg!("saved-guard-hint"),
            ));
        }
        hold = saved.tripped();
    }
    match check_saved(&saved, actions, &args.portal, settings)? {
        Checked::Current(mut work) => {
            work.source = format!("plan:{}", path.display());
            work.hold = hold;
            work.approved = approved;
            Ok(*work)
        }
        Checked::Stale(changes, _) => {
            for c in &changes {
                settings.say_change(c);
            }
            if saved.held {
                let r = Record {
                    changes: changes.clone(),
                    ..Record::new(&saved.fingerprint, rfc3339(SystemTime::now()))
                };
                let _ = held::record(&settings.config.state_dir, kind::STALE, &r);
            }
            Err(settings.fail(
                crate::msg!(
                    "plan-stale",
                    path = path.display().to_string(),
                    count = changes.len()
                ),
                crate::msg!("plan-stale-hint"),
            ))
        }
    }
}

/// The approval of the held plan `fingerprint` in the state directory, or the refusal to apply
/// it.
fn approval_of(fingerprint: &str, path: &Path, settings: &Settings) -> Result<Record, Exit> {
    let state = held::list(&settings.config.state_dir)
        .unwrap_or_default()
        .into_iter()
        .find(|e| e.fingerprint == fingerprint);
    match state {
        Some(e) if e.state == HeldState::Approved => e.approved.ok_or(Exit::Failed),
        Some(e) => Err(settings.fail(
            crate::msg!(
                "held-not-approved",
                path = path.display().to_string(),
                state = super::held::state_word(e.state)
            ),
            crate::msg!(
                "held-not-approved-hint",
                command = super::hold::command(settings, "approve", fingerprint)
            ),
        )),
        None => Err(settings.fail(
            crate::msg!(
                "held-elsewhere",
                path = path.display().to_string(),
                dir = settings.config.state_dir.display().to_string()
            ),
            crate::msg!("held-elsewhere-hint"),
        )),
    }
}
