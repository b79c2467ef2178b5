//! `proone-sync held`, `approve FINGERPRINT`, `reject FINGERPRINT` (cli.md "Held changes"):
//! the held plans of the state directory listed with their state; one approved after a
//! read-only check against the portal, or rejected. Both write as the owner of the state
//! directory only, so the service user can still read what they record.

use std::path::Path;
use std::time::SystemTime;

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::apply::held::{FindError, HeldEntry, HeldState, HeldStore};
use crate::apply::lifecycle::{Event, Step, transition};
use crate::apply::outcome::rfc3339;
use crate::apply::{LockError, Standing, StateLock, acquire, standing};
use crate::t;

use super::words::{approver, command, state_word};
use super::{Exit, PortalArgs, Settings};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HeldFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct HeldArgs {
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = HeldFormat::Text)]
    pub format: HeldFormat,
}

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// The held plan's fingerprint (or a unique prefix of at least 8 characters).
    #[arg(value_name = "FINGERPRINT")]
    pub fingerprint: String,
    /// Who approves (default: SUDO_USER, else LOGNAME or USER).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    #[command(flatten)]
    pub portal: PortalArgs,
}

#[derive(Debug, Args)]
pub struct RejectArgs {
    /// The held plan's fingerprint (or a unique prefix of at least 8 characters).
    #[arg(value_name = "FINGERPRINT")]
    pub fingerprint: String,
    /// Who rejects (default: SUDO_USER, else LOGNAME or USER).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
}

#[derive(Serialize)]
struct JsonHeld<'a> {
    fingerprint: &'a str,
    source: &'a str,
    created: &'a str,
    counts: std::collections::BTreeMap<String, usize>,
    state: HeldState,
    approved: Option<JsonApproval<'a>>,
}

#[derive(Serialize)]
struct JsonApproval<'a> {
    by: &'a str,
    at: &'a str,
}

fn open_store(settings: &Settings) -> Result<HeldStore, Exit> {
    let dir = &settings.config.state_dir;
    HeldStore::open(dir).map_err(|e| {
        settings.fail(
            crate::msg!(
                "state-dir-unreadable",
                dir = dir.display().to_string(),
                error = e.to_string()
            ),
            crate::msg!("state-dir-unreadable-hint"),
        )
    })
}

/// How long ago an RFC 3339 time was, in the run's language (« 3 jours », « 1 heure »).
fn age(at: &str, now: SystemTime) -> String {
    let Ok(then) = at.parse::<jiff::Timestamp>() else {
        return t!("held-age-unknown");
    };
    let now = jiff::Timestamp::try_from(now).unwrap_or(then);
    let secs = (now.as_second() - then.as_second()).max(0);
    match secs {
        s if s >= 86_400 => t!("held-age-days", count = s / 86_400),
        s if s >= 3_600 => t!("held-age-hours", count = s / 3_600),
        s => t!("held-age-minutes", count = s / 60),
    }
}

pub fn list(args: &HeldArgs, settings: &Settings) -> Exit {
    let store = match open_store(settings) {
        Ok(s) => s,
        Err(exit) => return exit,
    };
    let all = store.entries();
    let text = match args.format {
        HeldFormat::Json => {
            let held: Vec<JsonHeld<'_>> = all
                .iter()
                .map(|e| JsonHeld {
                    fingerprint: &e.fingerprint,
                    source: e.source(),
                    created: &e.created,
                    counts: e.counts(),
                    state: e.state,
                    approved: e.approved.as_ref().map(|a| JsonApproval {
                        by: a.by.as_deref().unwrap_or(""),
                        at: &a.at,
                    }),
                })
                .collect();
            serde_json::to_string_pretty(&serde_json::json!({ "held": held })).unwrap_or_default()
                + "\n"
        }
        HeldFormat::Text => text(all, settings),
    };
    match settings.out(&text) {
        Ok(()) => Exit::Success,
        Err(exit) => exit,
    }
}

fn text(all: &[HeldEntry], settings: &Settings) -> String {
    use std::fmt::Write as _;
    if all.is_empty() {
        return format!(
            "{}\n",
            t!(
                "held-none",
                dir = settings.config.state_dir.display().to_string()
            )
        );
    }
    let now = SystemTime::now();
    // A revert's source (`revert:run-…`) is longer than `inputs`: the column fits the longest.
    let w = all
        .iter()
        .map(|e| e.source().chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<16}  {:<12}  {:<w$}  {:<24}  {:>11}  {}",
        t!("held-header-fingerprint"),
        t!("held-header-state"),
        t!("held-header-source"),
        t!("held-header-created"),
        t!("held-header-age"),
        t!("held-header-actions")
    );
    for e in all {
        let counts: Vec<String> = e
            .counts()
            .iter()
            .map(|(op, n)| t!("held-op-count", count = *n, op = op.as_str()))
            .collect();
        let _ = writeln!(
            out,
            "{:<16}  {:<12}  {:<w$}  {:<24}  {:>11}  {}",
            e.fingerprint,
            state_word(e.state),
            e.source(),
            e.created,
            age(&e.created, now),
            counts.join(", ")
        );
        if let Some(p) = &e.partial {
            let ids: Vec<String> = p.failed.iter().map(u32::to_string).collect();
            let _ = writeln!(
                out,
                "{:<16}  {}",
                "",
                t!(
                    "held-partial-failed",
                    count = p.failed.len(),
                    actions = ids.join(", ")
                )
            );
        }
        if let Some(a) = &e.approved {
            let _ = writeln!(
                out,
                "{:<16}  {}",
                "",
                t!(
                    "held-approved-by",
                    by = approver(a.by.as_deref()),
                    at = &a.at
                )
            );
        }
    }
    if let Some(p) = all.iter().find(|e| e.state == HeldState::Pending) {
        let _ = writeln!(
            out,
            "\n{}",
            t!(
                "held-review-then",
                page = p.html_path().display().to_string(),
                command = command(settings, "approve", &p.fingerprint)
            )
        );
    }
    out
}

/// Who approves or rejects: `--by`, else the person behind sudo, else the login; `None` when
/// nothing says (recorded as such, said in the reader's language).
fn who(by: &Option<String>) -> Option<String> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    by.clone()
        .filter(|b| !b.trim().is_empty())
        .or_else(|| env("SUDO_USER"))
        .or_else(|| env("LOGNAME"))
        .or_else(|| env("USER"))
}

/// Refuses a caller who is not the state directory's owner: what they would write could not
/// be read by the service (records are 0600), or could not be written at all.
fn owner_only(dir: &Path, verb: &str, fingerprint: &str, settings: &Settings) -> Result<(), Exit> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(meta) = std::fs::metadata(dir) else {
            return Ok(());
        };
        let owner = nix::unistd::Uid::from_raw(meta.uid());
        if owner != nix::unistd::geteuid() {
            let name = nix::unistd::User::from_uid(owner)
                .ok()
                .flatten()
                .map_or_else(|| owner.to_string(), |u| u.name);
            return Err(settings.fail(
                crate::msg!(
                    "held-owner",
                    dir = dir.display().to_string(),
                    owner = &name,
                    verb = verb
                ),
                format!("sudo -u {name} {}", command(settings, verb, fingerprint)),
            ));
        }
    }
    let _ = (dir, verb, fingerprint, settings);
    Ok(())
}

/// The one held plan `given` names, read under the lock, if `event` can happen to it now
/// (asked of the lifecycle); the lock is held until the caller records the event.
fn pick(
    given: &str,
    verb: &str,
    event: &Event,
    settings: &Settings,
) -> Result<(StateLock, HeldStore, HeldEntry), Exit> {
    owner_only(&settings.config.state_dir, verb, given, settings)?;
    // Under the lock from here to the record: no apply reads or applies the plan meanwhile.
    let lock = acquire(
        &settings.config.state_dir,
        &rfc3339(SystemTime::now()),
        verb,
    )
    .map_err(|e| {
        let hint = match e {
            LockError::Held { .. } => crate::msg!("lock-held-hint"),
            _ => crate::msg!("state-dir-hint"),
        };
        settings.fail(crate::report::messages::lock_error(&e), hint)
    })?;
    let store = open_store(settings)?;
    let e = store
        .find(given)
        .map_err(|e| {
            let said = match &e {
                FindError::TooShort(given) => t!("held-find-short", given = given),
                FindError::Unknown(given) => t!("held-find-unknown", given = given),
                FindError::Ambiguous { given, matches } => t!(
                    "held-find-ambiguous",
                    given = given,
                    matches = matches.join(", ")
                ),
            };
            settings.fail(said, crate::msg!("held-find-hint"))
        })?
        .clone();
    if let Step::Refused(state) = transition(Some(e.state), event) {
        let hint = match state {
            HeldState::Superseded | HeldState::Stale => t!("held-newer-hint"),
            _ => t!("held-states-hint"),
        };
        return Err(settings.fail(
            crate::msg!(
                "held-not-now",
                fingerprint = &e.fingerprint,
                state = state_word(state),
                verb = verb
            ),
            &hint,
        ));
    }
    Ok((lock, store, e))
}

/// Records `event` for the held plan `fingerprint`; a record that cannot be written is the
/// command's failure (`id` says which), the previous file intact.
fn record(
    store: &mut HeldStore,
    fingerprint: &str,
    event: &Event,
    said: impl Fn(String, String) -> crate::report::i18n::Msg,
    settings: &Settings,
) -> Result<(), Exit> {
    let dir = settings.config.state_dir.display().to_string();
    match store.event(fingerprint, event) {
        Ok(Step::Refused(state)) => Err(settings.fail(
            crate::msg!(
                "held-not-now",
                fingerprint = fingerprint,
                state = state_word(state),
                verb = ""
            ),
            crate::msg!("held-states-hint"),
        )),
        Ok(_) => Ok(()),
        Err(err) => Err(settings.fail(said(dir, err.to_string()), crate::msg!("state-dir-hint"))),
    }
}

pub fn approve(args: &ApproveArgs, settings: &Settings) -> Exit {
    match approve_or_exit(args, settings) {
        Ok(()) => Exit::Success,
        Err(exit) => exit,
    }
}

fn approve_or_exit(args: &ApproveArgs, settings: &Settings) -> Result<(), Exit> {
    let by = who(&args.by);
    let approve = Event::Approve {
        by: by.clone(),
        at: String::new(),
    };
    let (_lock, mut store, e) = pick(&args.fingerprint, "approve", &approve, settings)?;
    let actions = e.plan.actions(settings.input.today).map_err(|why| {
        settings.fail(
            crate::msg!(
                "plan-not-saved",
                path = e.path.display().to_string(),
                error = crate::report::messages::saved_plan_error(&why)
            ),
            crate::msg!("held-edited-hint"),
        )
    })?;
    let (conn, runtime) = super::connect::open(&args.portal, settings, &t!("why-approve"))?;
    let observed = runtime
        .block_on(crate::portal::fetch_observed(
            &conn.client,
            settings.input.today,
        ))
        .map_err(|err| settings.fail_portal(&err))?;
    let now = rfc3339(SystemTime::now());
    if let Standing::Stale(changes) = standing(&e.plan, &actions, &observed, &conn.portal) {
        for c in &changes {
            settings.say_change(c);
        }
        let stale = Event::FoundStale {
            at: now,
            changes: changes.clone(),
        };
        record(
            &mut store,
            &e.fingerprint,
            &stale,
            |dir, error| crate::msg!("stale-cannot-record", dir = dir, error = error),
            settings,
        )?;
        return Err(settings.fail(
            crate::msg!(
                "approve-stale",
                fingerprint = &e.fingerprint,
                count = changes.len()
            ),
            crate::msg!("approve-stale-hint"),
        ));
    }
    let approve = Event::Approve {
        by: by.clone(),
        at: now,
    };
    record(
        &mut store,
        &e.fingerprint,
        &approve,
        |dir, error| crate::msg!("approve-cannot-record", dir = dir, error = error),
        settings,
    )?;
    if !settings.quiet {
        settings.out(&format!(
            "{}\n",
            t!(
                "approved",
                fingerprint = &e.fingerprint,
                count = e.plan.actions.len(),
                by = approver(by.as_deref())
            )
        ))?;
    }
    Ok(())
}

pub fn reject(args: &RejectArgs, settings: &Settings) -> Exit {
    match reject_or_exit(args, settings) {
        Ok(()) => Exit::Success,
        Err(exit) => exit,
    }
}

fn reject_or_exit(args: &RejectArgs, settings: &Settings) -> Result<(), Exit> {
    let by = who(&args.by);
    let reject = Event::Reject {
        by: by.clone(),
        at: rfc3339(SystemTime::now()),
    };
    let (_lock, mut store, e) = pick(&args.fingerprint, "reject", &reject, settings)?;
    record(
        &mut store,
        &e.fingerprint,
        &reject,
        |_, error| crate::msg!("reject-cannot-record", error = error),
        settings,
    )?;
    if !settings.quiet {
        settings.out(&format!(
            "{}\n",
            t!(
                "rejected",
                fingerprint = &e.fingerprint,
                by = approver(by.as_deref())
            )
        ))?;
    }
    Ok(())
}
