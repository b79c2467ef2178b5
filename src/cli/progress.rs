//! What an apply shows while it runs and records as it goes: the journal line of every outcome,
//! an indicatif bar on a terminal (done/total, rate, ETA, failures), a progress line at least
//! every 10 s otherwise (text or JSON, for cron logs), each failure as an error. `-q` silences
//! the bar and the lines, never a failure nor the journal.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::apply::{Journal, Observer, Outcome, Status, Tally};

use super::LogFormat;

/// The pace of progress lines without a terminal (cli.md: at least every 10 s).
pub const EVERY: Duration = Duration::from_secs(10);

pub struct Progress {
    pub journal: Option<Journal>,
    /// The first journal write error, reported once at the end.
    pub journal_error: Option<std::io::Error>,
    bar: Option<ProgressBar>,
    lines: Option<LogFormat>,
    total: usize,
    started: Instant,
    last_line: Instant,
    every: Duration,
}

/// The `code` of a reason, as the journal has it (for the log line's fields).
fn json_code(r: &crate::apply::Reason) -> String {
    serde_json::to_value(r)
        .ok()
        .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_owned))
        .unwrap_or_default()
}

impl Progress {
    /// `every`: how often a progress line comes without a terminal (`EVERY`, unless a test
    /// asks for another pace).
    pub fn new(
        journal: Option<Journal>,
        total: usize,
        quiet: bool,
        format: LogFormat,
        every: Duration,
    ) -> Progress {
        let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
        let bar = (!quiet && terminal && format == LogFormat::Text).then(|| {
            let bar = ProgressBar::with_draw_target(
                Some(total as u64),
                ProgressDrawTarget::stderr_with_hz(4),
            );
            let style = ProgressStyle::with_template(
                "{bar:30.cyan/blue} {pos}/{len} {rate} ETA {eta} {msg}",
            )
            .map(|s| {
                s.with_key(
                    "rate",
                    |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{:.1}/s", state.per_sec());
                    },
                )
            })
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        let lines = (!quiet && bar.is_none()).then_some(format);
        let now = Instant::now();
        Progress {
            journal,
            journal_error: None,
            bar,
            lines,
            total,
            started: now,
            last_line: now,
            every,
        }
    }

    fn line(&mut self, tally: &Tally, force: bool) {
        let Some(format) = self.lines else { return };
        if !force && self.last_line.elapsed() < self.every {
            return;
        }
        self.last_line = Instant::now();
        let finished = tally.finished();
        let secs = self.started.elapsed().as_secs_f64();
        let rate = if secs > 0.0 {
            finished as f64 / secs
        } else {
            0.0
        };
        let left = self.total.saturating_sub(finished);
        let eta = if rate > 0.0 {
            left as f64 / rate
        } else {
            f64::NAN
        };
        match format {
            LogFormat::Json => eprintln!(
                "{}",
                super::say::json_line(
                    "INFO",
                    serde_json::json!({"message": "progress", "finished": finished, "total": self.total,
                        "failed": tally.failed, "skipped": tally.skipped,
                        "rate_per_sec": (rate * 10.0).round() / 10.0,
                        "eta_secs": if eta.is_finite() { Some(eta.round()) } else { None }})
                )
            ),
            LogFormat::Text => {
                let eta = if eta.is_finite() {
                    format!("{:.0} s", eta)
                } else {
                    "?".to_owned()
                };
                eprintln!(
                    "{}",
                    crate::t!(
                        "progress-line",
                        finished = finished,
                        total = self.total,
                        percent =
                            format!("{:.0}", 100.0 * finished as f64 / self.total.max(1) as f64),
                        failed = tally.failed,
                        rate = format!("{rate:.1}"),
                        eta = eta
                    )
                );
            }
        }
    }

    /// The last line (or the bar cleared) once everything has an outcome.
    pub fn finish(&mut self, tally: &Tally) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        self.line(tally, true);
    }
}

impl Observer for Progress {
    fn outcome(&mut self, o: &Outcome, tally: &Tally) {
        if self.journal_error.is_none()
            && let Some(j) = &mut self.journal
            && let Err(e) = j.outcome(o)
        {
            self.journal_error = Some(e);
        }
        if self.journal_error.is_some() {
            // No line in the journal for it: said here, so no change goes unrecorded.
            tracing::error!(
                action = o.action,
                op = ?o.op,
                email = %o.email,
                dossier = o.dossier,
                structure = o.structure.as_deref(),
                status = ?o.status,
                "not in the journal (it cannot be written)"
            );
        }
        if o.status == Status::Failed {
            // An error, not a warning: `-q` hides progress and summaries, never a failure.
            let say = || {
                tracing::error!(
                    action = o.action,
                    email = %o.email,
                    dossier = o.dossier,
                    structure = o.structure.as_deref(),
                    http_status = o.http_status,
                    reason = o.reason.as_ref().map(json_code),
                    "{}",
                    crate::t!(
                        "progress-failed",
                        target = crate::report::outcomes::target(o),
                        reason = crate::report::outcomes::reason_of(o)
                    )
                )
            };
            match &self.bar {
                Some(bar) => bar.suspend(say),
                None => say(),
            }
        }
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if tally.failed > 0 {
                bar.set_message(crate::t!("progress-bar-failed", failed = tally.failed));
            }
        }
        self.line(tally, false);
    }

    fn tick(&mut self, tally: &Tally) {
        self.line(tally, false);
    }

    fn keep_going(&self) -> bool {
        self.journal_error.is_none()
    }
}
