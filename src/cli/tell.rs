//! What a run tells at its end (cli.md "Notification and monitoring"): the events it raised, the
//! run report's header, the notify command with the run's Markdown, the metrics file, and the
//! records that keep a notice from being told twice (a held plan's `notified`, the ends of
//! dated rows). Methods of `Night`, kept apart from the phases so each file reads in one go.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::apply::endings::{self, End};
use crate::apply::lifecycle::Event;
use crate::apply::outcome::rfc3339;
use crate::report::metrics::RunMetrics;
use crate::report::notify::{self, Notice, Ran};
use crate::t;

use super::Exit;
use super::night::{Night, env_secs};

impl Night<'_> {
    /// The rows ending soon that no earlier run told (inputs.md "Dates": once per person, end
    /// day and items).
    pub fn ends_within_window(&mut self, rows: &[crate::plan::DatedRow]) {
        let ends: Vec<End> = rows
            .iter()
            .map(|d| End {
                person: d.email.to_lowercase(),
                until: d.day.to_string(),
                items: d
                    .dossiers
                    .iter()
                    .map(|x| x.code().to_owned())
                    .chain(d.structures.iter().cloned())
                    .collect(),
            })
            .collect();
        let untold: Vec<End> = endings::untold(self.state_dir(), &ends)
            .into_iter()
            .cloned()
            .collect();
        // The notice says which rows end, so a director can extend them in time.
        let told: Vec<String> = rows
            .iter()
            .zip(&ends)
            .filter(|(_, e)| untold.contains(e))
            .map(|(d, _)| {
                let mut what: Vec<String> =
                    d.dossiers.iter().map(|x| x.label().to_owned()).collect();
                what.extend(d.structures.iter().cloned());
                let who = if d.name.is_empty() {
                    format!("<{}>", d.email)
                } else {
                    format!("{} <{}>", d.name, d.email)
                };
                t!(
                    "plan-ending-line",
                    who = who,
                    what = what.join(", "),
                    day = d.day.day_first(),
                    source = d.source.to_string()
                )
            })
            .collect();
        if !told.is_empty() {
            let mut md = format!("## {}\n\n", t!("plan-ending", count = told.len()));
            for l in &told {
                md.push_str(&format!("- {}\n", crate::report::md_escape(l)));
            }
            self.markdown(&md);
        }
        self.ends = untold;
    }

    /// The ends told by this run's `ending` event, recorded so they are told once.
    pub(super) fn record_ends(&mut self) {
        if self.ends.is_empty() {
            return;
        }
        let ends: Vec<&End> = self.ends.iter().collect();
        if let Err(e) = endings::tell(self.state_dir(), &ends, &rfc3339(SystemTime::now())) {
            self.settings.say(
                "ERROR",
                crate::msg!(
                    "ending-cannot-record",
                    dir = self.state_dir().display().to_string(),
                    error = e.to_string()
                ),
                crate::msg!("state-dir-hint"),
            );
            self.failed = true;
        }
    }

    /// A held plan told now: the next reminder is `remind_days` from here, whether or not a
    /// command is configured to carry it.
    pub(super) fn record_told(&mut self) {
        let Some(h) = self.held.as_ref().filter(|h| h.tell) else {
            return;
        };
        let told = Event::Told {
            at: rfc3339(SystemTime::now()),
        };
        let fingerprint = h.fingerprint.clone();
        if let Err(e) = self.store.event(&fingerprint, &told) {
            self.settings.say(
                "ERROR",
                crate::msg!(
                    "held-record-failed",
                    fingerprint = &fingerprint,
                    state = "notified",
                    error = e.to_string()
                ),
                crate::msg!("state-dir-hint"),
            );
            self.failed = true;
        }
    }

    /// The first lines of the run's Markdown: when, how it ended, what it raised.
    pub(super) fn header(&self, exit: Exit) -> String {
        let events = self.events(exit);
        let mut h = format!(
            "# {}{}\n\n",
            t!(
                "md-run-title",
                time = rfc3339(self.started),
                exit = exit as i32 as i64
            ),
            if events.is_empty() {
                String::new()
            } else {
                format!(" {}", t!("md-run-events", events = events.join(", ")))
            }
        );
        if self.invalid_rows > 0 {
            h.push_str(&format!(
                "{}\n\n",
                t!("md-run-invalid", count = self.invalid_rows)
            ));
        }
        h
    }

    /// The events the run raised, in cli.md's order.
    pub(super) fn events(&self, exit: Exit) -> Vec<&'static str> {
        let mut events = Vec::new();
        if self.held.as_ref().is_some_and(|h| h.tell) {
            events.push("held");
        }
        if self.tally.failed > 0 {
            events.push("failed");
        }
        if exit == Exit::Failed {
            events.push("error");
        }
        if self.invalid_rows > 0 || self.scope_incomplete {
            events.push("invalid-rows");
        }
        if self.tally.done + self.tally.adopted > 0 {
            events.push("changes");
        }
        if !self.ends.is_empty() {
            events.push("ending");
        }
        // Recorded now, so told once: the next run compares with this one.
        if !self.history.drift.is_empty() {
            events.push("drift");
        }
        if !self.review_overdue.is_empty() {
            events.push("review-overdue");
        }
        events
    }

    /// Runs the notify command if the run raised one of its events; `false` when it was to run
    /// and failed or was stopped (what it was to tell was not told).
    pub(super) fn notify(&self, exit: Exit, report: Option<PathBuf>) -> bool {
        let events = self.events(exit);
        let Some(config) = &self.settings.config.notify else {
            return true;
        };
        let notice = Notice {
            events,
            exit: exit as i32,
            fingerprint: self.last_fingerprint.clone(),
            markdown: self.markdown.clone(),
            report,
            held: self
                .held
                .as_ref()
                .map(|h| (h.fingerprint.clone(), h.html.clone())),
        };
        if !notify::wanted(&notice, &config.on) {
            return true;
        }
        let dir = match self.settings.config.path.as_deref().and_then(Path::parent) {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let timeout = env_secs("PROONE_NOTIFY_TIMEOUT_SECS").unwrap_or(notify::TIMEOUT);
        match notify::run(&config.command, &dir, &notice, timeout) {
            Ran::Succeeded => {
                tracing::info!(events = %notice.events.join(","), "notify command ran");
                true
            }
            Ran::Failed(why) => {
                self.settings.say(
                    "WARN",
                    crate::msg!("notify-failed", why = why, exit = exit as i32 as i64),
                    crate::msg!("notify-failed-hint"),
                );
                false
            }
            Ran::TimedOut => {
                self.settings.say(
                    "WARN",
                    crate::msg!(
                        "notify-stopped",
                        secs = format!("{}", timeout.as_secs_f64()),
                        exit = exit as i32 as i64
                    ),
                    crate::msg!("notify-stopped-hint"),
                );
                false
            }
        }
    }

    pub(super) fn metrics(&self, exit: Exit) {
        let Some(path) = &self.settings.config.metrics_file else {
            return;
        };
        let held_actions = self.store.waiting_actions();
        let mut requests: Vec<(&'static str, u64)> = crate::portal::client::CLASSES
            .iter()
            .map(|c| (*c, 0))
            .collect();
        for c in &self.clients {
            for (i, (_, n)) in c.stats.classes().into_iter().enumerate() {
                if let Some(r) = requests.get_mut(i) {
                    r.1 += n;
                }
            }
        }
        let m = RunMetrics {
            started: Some(self.started),
            finished: Some(SystemTime::now()),
            exit: exit as i32,
            actions: self.by_op.clone(),
            held_actions,
            invalid_rows: self.invalid_rows,
            requests,
        };
        if let Err(e) = crate::report::metrics::write(path, &m) {
            self.settings.say(
                "WARN",
                crate::msg!(
                    "metrics-unwritable",
                    path = path.display().to_string(),
                    error = e.to_string()
                ),
                crate::msg!("metrics-unwritable-hint"),
            );
        }
    }
}
