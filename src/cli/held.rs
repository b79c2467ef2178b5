//! `proone-sync held`, `approve FINGERPRINT`, `reject FINGERPRINT` (cli.md "Held changes"):
//! the held plans of the state directory listed with their state; one approved after a
//! read-only check against the portal, or rejected. Both write as the owner of the state
//! directory only, so the service user can still read what they record.

use std::path::Path;
use std::time::SystemTime;

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::apply::held::{self, HeldEntry, HeldState, Record, kind};
use crate::apply::outcome::rfc3339;
use crate::apply::{Standing, standing};

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

fn entries(settings: &Settings) -> Result<Vec<HeldEntry>, Exit> {
    let dir = &settings.config.state_dir;
    held::list(dir).map_err(|e| {
        settings.fail(
            format!("{}: cannot read the state directory: {e}", dir.display()),
            "check state_dir in the config (and that you may read it: sudo -u <its owner>)",
        )
    })
}

/// `3 d`, `5 h`, `12 min`: how long ago an RFC 3339 time was.
fn age(at: &str, now: SystemTime) -> String {
    let Ok(then) = at.parse::<jiff::Timestamp>() else {
        return "?".into();
    };
    let now = jiff::Timestamp::try_from(now).unwrap_or(then);
    let secs = (now.as_second() - then.as_second()).max(0);
    match secs {
        s if s >= 86_400 => format!("{} d", s / 86_400),
        s if s >= 3_600 => format!("{} h", s / 3_600),
        s => format!("{} min", s / 60),
    }
}

pub fn list(args: &HeldArgs, settings: &Settings) -> Exit {
    let all = match entries(settings) {
        Ok(e) => e,
        Err(exit) => return exit,
    };
    let text = match args.format {
        HeldFormat::Json => {
            let held: Vec<JsonHeld<'_>> = all
                .iter()
                .map(|e| JsonHeld {
                    fingerprint: &e.fingerprint,
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
        HeldFormat::Text => text(&all, settings),
    };
    match settings.out(&text) {
        Ok(()) => Exit::Success,
        Err(exit) => exit,
    }
}

fn text(all: &[HeldEntry], settings: &Settings) -> String {
    use std::fmt::Write as _;
    if all.is_empty() {
        return format!("No held plan in {}.\n", settings.config.state_dir.display());
    }
    let now = SystemTime::now();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<16}  {:<10}  {:<24}  {:>6}  actions",
        "fingerprint", "state", "held at", "age"
    );
    for e in all {
        let counts: Vec<String> = e
            .counts()
            .iter()
            .map(|(op, n)| format!("{n} {op}"))
            .collect();
        let _ = writeln!(
            out,
            "{:<16}  {:<10}  {:<24}  {:>6}  {}",
            e.fingerprint,
            e.state.as_str(),
            e.created,
            age(&e.created, now),
            counts.join(", ")
        );
        if let Some(a) = &e.approved {
            let _ = writeln!(
                out,
                "{:<16}  approved by {} at {}",
                "",
                a.by.as_deref().unwrap_or("?"),
                a.at
            );
        }
    }
    if let Some(p) = all.iter().find(|e| e.state == HeldState::Pending) {
        let _ = writeln!(
            out,
            "\nReview a pending plan's page ({}), then: {}",
            p.html_path().display(),
            super::hold::command(settings, "approve", &p.fingerprint)
        );
    }
    out
}

/// Who approves or rejects: `--by`, else the person behind sudo, else the login.
fn who(by: &Option<String>) -> String {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    by.clone()
        .filter(|b| !b.trim().is_empty())
        .or_else(|| env("SUDO_USER"))
        .or_else(|| env("LOGNAME"))
        .or_else(|| env("USER"))
        .unwrap_or_else(|| "unknown".into())
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
                format!(
                    "{}: the state directory belongs to {name}: {verb} as that user",
                    dir.display()
                ),
                &format!(
                    "sudo -u {name} {}",
                    super::hold::command(settings, verb, fingerprint)
                ),
            ));
        }
    }
    let _ = (dir, verb, fingerprint, settings);
    Ok(())
}

/// The one held plan `given` names, in a state `accept` takes.
fn pick(
    given: &str,
    verb: &str,
    accept: &[HeldState],
    settings: &Settings,
) -> Result<HeldEntry, Exit> {
    owner_only(&settings.config.state_dir, verb, given, settings)?;
    let all = entries(settings)?;
    let i = held::find(&all, given).map_err(|e| {
        settings.fail(
            e,
            "proone-sync held lists the held plans and their fingerprints",
        )
    })?;
    let e = all[i].clone();
    if !accept.contains(&e.state) {
        let hint = match e.state {
            HeldState::Superseded | HeldState::Stale => {
                "a newer held plan takes its place: proone-sync held"
            }
            _ => "proone-sync held says where each plan stands",
        };
        return Err(settings.fail(
            format!(
                "the held plan {} is {}: not {verb}d",
                e.fingerprint,
                e.state.as_str()
            ),
            hint,
        ));
    }
    Ok(e)
}

pub fn approve(args: &ApproveArgs, settings: &Settings) -> Exit {
    match approve_or_exit(args, settings) {
        Ok(()) => Exit::Success,
        Err(exit) => exit,
    }
}

fn approve_or_exit(args: &ApproveArgs, settings: &Settings) -> Result<(), Exit> {
    let e = pick(
        &args.fingerprint,
        "approve",
        &[HeldState::Pending],
        settings,
    )?;
    let actions = e.plan.actions(settings.input.today).map_err(|why| {
        settings.fail(
            format!("{}: {why}", e.path.display()),
            "a held plan is never edited: let the next apply hold it again",
        )
    })?;
    let (conn, runtime) = super::connect::open(
        &args.portal,
        settings,
        "a held plan is checked against the portal before it is approved",
    )?;
    let observed = runtime
        .block_on(crate::portal::fetch_observed(
            &conn.client,
            settings.input.today,
        ))
        .map_err(|err| settings.fail(&err, err.details()))?;
    let dir = &settings.config.state_dir;
    let now = rfc3339(SystemTime::now());
    if let Standing::Stale(changes) = standing(&e.plan, &actions, &observed, &conn.portal) {
        for c in &changes {
            settings.say_line("ERROR", &format!("  changed: {c}"));
        }
        let r = Record {
            changes: changes.clone(),
            ..Record::new(&e.fingerprint, now)
        };
        if let Err(err) = held::record(dir, kind::STALE, &r) {
            tracing::warn!("{}: {err}", dir.display());
        }
        return Err(settings.fail(
            format!(
                "the held plan {} is stale ({} change(s) above since it was held): not approved",
                e.fingerprint,
                changes.len()
            ),
            "the next apply holds what is still to do as a new plan to review",
        ));
    }
    let by = who(&args.by);
    let r = Record {
        by: Some(by.clone()),
        ..Record::new(&e.fingerprint, now)
    };
    held::record(dir, kind::APPROVED, &r).map_err(|err| {
        settings.fail(
            format!("{}: cannot record the approval: {err}", dir.display()),
            "",
        )
    })?;
    if !settings.quiet {
        settings.out(&format!(
            "Approved the held plan {} ({} action(s)) as {by}: the next apply applies it first.\n",
            e.fingerprint,
            e.plan.actions.len()
        ))?;
    }
    Ok(())
}

pub fn reject(args: &RejectArgs, settings: &Settings) -> Exit {
    let e = match pick(
        &args.fingerprint,
        "reject",
        &[HeldState::Pending, HeldState::Approved],
        settings,
    ) {
        Ok(e) => e,
        Err(exit) => return exit,
    };
    let by = who(&args.by);
    let r = Record {
        by: Some(by.clone()),
        ..Record::new(&e.fingerprint, rfc3339(SystemTime::now()))
    };
    if let Err(err) = held::record(&settings.config.state_dir, kind::REJECTED, &r) {
        return settings.fail(format!("cannot record the rejection: {err}"), "");
    }
    if !settings.quiet
        && let Err(exit) = settings.out(&format!(
            "Rejected the held plan {} as {by}: its actions are left out, and not held or notified again while the portal stays as it is.\n",
            e.fingerprint
        ))
    {
        return exit;
    }
    Exit::Success
}
