//! `proone-sync apply INPUT…` / `apply --plan PLAN`: plans (or loads and checks a reviewed plan),
//! shows the summary and fingerprint, asks on a terminal, then applies under the state
//! directory's lock with a journal, progress, a clean stop on Ctrl-C / SIGTERM, and a final
//! report. Exit status as cli.md says: 130, 1, 4, 3 in that precedence.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::time::SystemTime;

use crate::apply::held::{HeldState, HeldStore};
use crate::apply::lifecycle::Event;
use crate::apply::outcome::rfc3339;
use crate::apply::runs::{self, RunState};
use crate::apply::{Change, LockError, acquire};
use crate::plan::hold;
use crate::report::messages;
use crate::report::plan::summary_text;
use crate::t;

use super::night::Night;
use super::words::approver;
pub use super::work::ApplyArgs;
use super::work::{
    Checked, Work, check_saved, expect_fingerprint, from_inputs, from_revert, from_review,
    from_saved, load_saved,
};
use super::{Exit, Settings};

pub fn run(args: &ApplyArgs, settings: &Settings) -> Exit {
    let started = SystemTime::now();
    // Before anything else: a signal during the first planning is a clean stop too.
    let stop = super::stop::RunStop::listen(settings.log_format);
    let state_dir = settings.config.state_dir.clone();
    let _lock = match acquire(&state_dir, &rfc3339(started), "apply") {
        Ok(l) => l,
        Err(e @ LockError::Held { .. }) => {
            return settings.fail(messages::lock_error(&e), crate::msg!("lock-held-hint"));
        }
        Err(e) => return settings.fail(messages::lock_error(&e), crate::msg!("state-dir-hint")),
    };
    // The run exists from here, whatever happens next (evidence.md "Runs").
    let mut run = match runs::create(&state_dir, started) {
        Ok(r) => r,
        Err(e) => {
            return settings.fail(
                crate::msg!(
                    "run-cannot-create",
                    dir = state_dir.display().to_string(),
                    error = e.to_string()
                ),
                crate::msg!("state-dir-hint"),
            );
        }
    };
    let store = match HeldStore::open(&state_dir) {
        Ok(s) => s,
        Err(e) => {
            run.ended = Some(rfc3339(SystemTime::now()));
            run.state = Some(RunState::Failed);
            run.exit = Some(Exit::Failed as i32);
            if let Err(e) = runs::save(&state_dir, &run) {
                settings.say(
                    "ERROR",
                    crate::msg!("run-cannot-record", run = &run.id, error = e.to_string()),
                    crate::msg!("state-dir-hint"),
                );
            }
            return settings.fail(
                crate::msg!(
                    "state-dir-unreadable",
                    dir = state_dir.display().to_string(),
                    error = e.to_string()
                ),
                crate::msg!("state-dir-unreadable-hint"),
            );
        }
    };
    sweep_old_files(settings, started, &store);
    let history = super::recorder::Recorder::open(settings, &run.id);
    let mut night = Night::new(settings, started, run, store, stop, history);
    let returned = phases(args, settings, &mut night);
    night.end(returned)
}

/// The run's phases: an approved held plan first (not for `--plan`), then the inputs or the
/// saved plan. `Err` of a phase is the exit of a run that stops there.
fn phases(args: &ApplyArgs, settings: &Settings, night: &mut Night<'_>) -> Exit {
    // A saved plan or a revert is applied alone: approved held plans wait for the next run.
    if args.plan.is_none()
        && args.revert.is_none()
        && args.review.is_none()
        && let Err(exit) = approved_first(args, settings, night)
    {
        return exit;
    }
    if let Err(exit) = night.go_on() {
        return exit;
    }
    let work = match (&args.plan, &args.revert, &args.review) {
        (Some(path), _, _) => from_saved(path, args, settings, &mut night.store),
        (None, Some(run), _) => from_revert(run, args, settings),
        (None, None, Some(campaign)) => from_review(campaign, args, settings),
        (None, None, None) => from_inputs(args, settings),
    };
    let mut work = match work {
        Ok(w) => w,
        Err(exit) => return exit,
    };
    night.talks_with(&work.conn.client);
    seen_now(&mut work, night);
    night.ends_within_window(&work.ending);
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
        if let Err(exit) = night.nothing_to_do(&work.phase(&work.actions)) {
            return exit;
        }
        mark_applied(&work, night, settings);
        // Every action was found in effect already: a review's removals are applied all the same.
        mark_reviewed(&work, night, settings);
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
        let executed = night.execute(&work.phase(&work.actions));
        // Recorded even when the run cannot go on (interrupted, portal down): what ended is
        // applied, and must not come back as stale in the next review plan.
        mark_reviewed(&work, night, settings);
        if let Err(exit) = executed {
            return exit;
        }
        mark_applied(&work, night, settings);
    }
    if !held.is_empty()
        && let Err(exit) = night
            .go_on()
            .and_then(|()| super::hold::keep(&work_view(&work), held, night, settings))
    {
        return exit;
    }
    Exit::Success
}

/// The phase's read is an observation of this run, and the changes by hand it found are seen at
/// this run.
fn seen_now(work: &mut Work, night: &mut Night<'_>) {
    if let Some(seen) = work.seen.take() {
        night.observed(seen);
    }
    for c in &mut work.drift {
        c.seen_at_run = Some(night.run.id.clone());
    }
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

/// The answers a review's plan applied are recorded with the run (`review report` says which
/// run applied what; a later file no longer replaces them).
fn mark_reviewed(work: &Work, night: &Night<'_>, settings: &Settings) {
    let Some(campaign) = work.plan_source.strip_prefix("review:") else {
        return;
    };
    let done: Vec<crate::review::Done> = work
        .actions
        .iter()
        .filter(|a| night.finished.contains(&a.id) || work.prior.contains_key(&a.id))
        .filter_map(|a| {
            let at = a.sources.first()?;
            Some(crate::review::Done {
                structure: a.structure.as_ref()?.as_str().to_owned(),
                user_id: a.user_id.as_deref()?.to_owned(),
                source: at.to_string(),
            })
        })
        .collect();
    let dir = &settings.config.state_dir;
    if let Err(e) = crate::review::mark_applied(dir, campaign, &done, &night.run.id) {
        settings.say(
            "WARN",
            crate::msg!("review-record-failed", error = e.message().text()),
            crate::msg!("state-dir-hint"),
        );
    }
}

/// A held plan that was applied is recorded so: `applied` when every action ended done,
/// adopted or in effect, else `partial` with the actions that did not (cli.md).
fn mark_applied(work: &Work, night: &mut Night<'_>, settings: &Settings) {
    let Some(a) = &work.approved else {
        return;
    };
    let applied = Event::Applied {
        at: rfc3339(SystemTime::now()),
        run: Some(night.run.id.clone()),
        failed: night.unfinished.clone(),
    };
    if let Err(e) = night.store.event(&a.fingerprint, &applied) {
        let state = if night.unfinished.is_empty() {
            "applied"
        } else {
            "partial"
        };
        settings.say(
            "ERROR",
            crate::msg!(
                "held-record-failed",
                fingerprint = &a.fingerprint,
                state = state,
                error = e.to_string()
            ),
            crate::msg!("state-dir-hint"),
        );
        night.fail();
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
    // Read again under the lock: what was approved up to this moment is applied.
    let state_dir = &settings.config.state_dir;
    night.store.reload().map_err(|e| {
        night.fail();
        settings.fail(
            crate::msg!(
                "state-dir-unreadable",
                dir = state_dir.display().to_string(),
                error = e.to_string()
            ),
            crate::msg!("state-dir-unreadable-hint"),
        )
    })?;
    let approved: Vec<_> = night
        .store
        .entries()
        .iter()
        .filter(|e| e.state == HeldState::Approved)
        .cloned()
        .collect();
    for e in approved {
        night.go_on()?;
        if e.approved.is_none() {
            // Its approval record is there but does not read: not applied on a guess.
            settings.say(
                "ERROR",
                crate::msg!("held-approval-damaged", fingerprint = &e.fingerprint),
                crate::msg!("held-approval-damaged-hint", fingerprint = &e.fingerprint),
            );
            night.fail();
            continue;
        }
        let (saved, actions) = load_saved(&e.path, settings)?;
        match check_saved(&saved, actions, &args.portal, settings)? {
            Checked::Stale(changes, client, seen) => {
                night.talks_with(&client);
                night.observed(seen);
                refuse_stale(&e.fingerprint, &e.path, &changes, night, settings);
            }
            Checked::Current(mut work) => {
                night.talks_with(&work.conn.client);
                seen_now(&mut work, night);
                let by = approver(e.approved.as_ref().and_then(|a| a.by.as_deref()));
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
                let executed = night.execute(&work.phase(&work.actions));
                // An approved held review plan keeps its source: its answers are applied too
                // (what ended, even when the run cannot go on).
                mark_reviewed(&work, night, settings);
                executed?;
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
    let stale = Event::FoundStale {
        at: rfc3339(SystemTime::now()),
        changes: changes.to_vec(),
    };
    if let Err(e) = night.store.event(fingerprint, &stale) {
        settings.say(
            "ERROR",
            crate::msg!(
                "held-record-failed",
                fingerprint = fingerprint,
                state = "stale",
                error = e.to_string()
            ),
            crate::msg!("state-dir-hint"),
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

/// Retention: journals, reports and saved plans older than `retention_days` go.
fn sweep_old_files(settings: &Settings, now: SystemTime, store: &HeldStore) {
    let state_dir = &settings.config.state_dir;
    let keep = store.waiting();
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
