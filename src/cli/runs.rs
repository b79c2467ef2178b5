//! `proone-sync runs [--since DAY] [--format text|json]` (evidence.md "Runs"): every apply of the
//! state directory, newest first, with its state, exit and phases. Read-only: it never takes
//! the lock (a starting apply must not find it held); a run with no end whose process still
//! holds the lock is shown running, any other one killed.

use clap::{Args, ValueEnum};

use crate::apply::runs::{self, RunRecord, RunState};
use crate::model::CalendarDate;
use crate::t;

use super::{Exit, Settings};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunsFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct RunsArgs {
    /// Only the runs started on this day (Europe/Brussels) or later: YYYY-MM-DD.
    #[arg(long, value_name = "DAY", value_parser = parse_day)]
    pub since: Option<CalendarDate>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = RunsFormat::Text)]
    pub format: RunsFormat,
}

fn parse_day(s: &str) -> Result<CalendarDate, String> {
    CalendarDate::parse(s).ok_or_else(|| t!("bad-today", value = s))
}

/// The run whose process holds the lock now, from the lock file's line (`pid N (apply) since
/// T`): its pid still alive and its start the run's. Read, never taken.
fn running(dir: &std::path::Path, all: &[RunRecord]) -> Option<String> {
    let line = std::fs::read_to_string(dir.join("apply.lock")).ok()?;
    let rest = line.trim().strip_prefix("pid ")?;
    let (pid, rest) = rest.split_once(' ')?;
    let since = rest.strip_prefix("(apply) since ")?;
    let pid: i32 = pid.parse().ok()?;
    // Alive: signal 0 is accepted, or refused for lack of rights (another user's process).
    match nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None) {
        Ok(()) | Err(nix::errno::Errno::EPERM) => {}
        Err(_) => return None,
    }
    all.iter()
        .find(|r| r.ended.is_none() && r.started == since)
        .map(|r| r.id.clone())
}

pub fn run(args: &RunsArgs, settings: &Settings) -> Exit {
    let dir = &settings.config.state_dir;
    let read = runs::list(dir, None).and_then(|all| {
        let now = running(dir, &all);
        runs::list(dir, now.as_deref())
    });
    let mut all = match read {
        Ok(a) => a,
        Err(e) => {
            return settings.fail(
                crate::msg!(
                    "state-dir-unreadable",
                    dir = dir.display().to_string(),
                    error = e.to_string()
                ),
                crate::msg!("state-dir-unreadable-hint"),
            );
        }
    };
    if let Some(day) = args.since {
        all.retain(|r| {
            r.started
                .parse::<jiff::Timestamp>()
                .is_ok_and(|t| CalendarDate::in_brussels(t) >= day)
        });
    }
    let text = match args.format {
        RunsFormat::Json => {
            serde_json::to_string_pretty(&serde_json::json!({ "runs": all })).unwrap_or_default()
                + "\n"
        }
        RunsFormat::Text => text(&all, settings),
    };
    match settings.out(&text) {
        Ok(()) => Exit::Success,
        Err(exit) => exit,
    }
}

fn state_word(s: Option<RunState>) -> String {
    match s {
        Some(RunState::Completed) => t!("runs-state-completed"),
        Some(RunState::Failed) => t!("runs-state-failed"),
        Some(RunState::Interrupted) => t!("runs-state-interrupted"),
        Some(RunState::Running) => t!("runs-state-running"),
        Some(RunState::Killed) | None => t!("runs-state-killed"),
    }
}

/// A phase in a line: its source and fingerprint, then its outcomes by op and status.
fn phase_line(p: &runs::RunPhase) -> String {
    let by_op: Vec<String> = p
        .counts
        .iter()
        .map(|(op, statuses)| {
            let counts: Vec<String> = statuses
                .iter()
                .map(|(status, n)| t!("runs-status-count", count = *n, status = status.as_str()))
                .collect();
            t!(
                "runs-op-counts",
                op = op.as_str(),
                counts = counts.join(", ")
            )
        })
        .collect();
    let counts = if by_op.is_empty() {
        t!("runs-nothing-sent")
    } else {
        by_op.join("; ")
    };
    match &p.approved_by {
        Some(by) => t!(
            "runs-phase-approved",
            source = p.source.as_str(),
            fingerprint = p.fingerprint.as_str(),
            counts = counts,
            by = by.as_str()
        ),
        None => t!(
            "runs-phase",
            source = p.source.as_str(),
            fingerprint = p.fingerprint.as_str(),
            counts = counts
        ),
    }
}

fn text(all: &[RunRecord], settings: &Settings) -> String {
    use std::fmt::Write as _;
    if all.is_empty() {
        return format!(
            "{}\n",
            t!(
                "runs-none",
                dir = settings.config.state_dir.display().to_string()
            )
        );
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<24}  {:<12}  {:>4}  {:<24}",
        t!("runs-header-run"),
        t!("runs-header-state"),
        t!("runs-header-exit"),
        t!("runs-header-started"),
    );
    for r in all {
        let exit = r.exit.map_or_else(|| "-".to_owned(), |e| e.to_string());
        let _ = writeln!(
            out,
            "{:<24}  {:<12}  {:>4}  {:<24}",
            r.id,
            state_word(r.state),
            exit,
            r.started
        );
        for p in &r.phases {
            let _ = writeln!(out, "{:<24}  {}", "", phase_line(p));
        }
    }
    out
}
