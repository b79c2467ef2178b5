//! One apply run from start to end, across its phases (an approved held plan first, then the
//! inputs): the one journal with a `start` line per phase, what every phase did (tally, outcomes
//! by op and status, portal answers by class), the held plan it leaves, and the end — the
//! journal's `end` line, the run's Markdown report, the exit status by cli.md's precedence, the
//! notify command and the metrics file, which happen whatever the exit status.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::apply::endings::End;
use crate::apply::held::HeldStore;
use crate::apply::outcome::rfc3339;
use crate::apply::runs::{self, RunPhase, RunRecord, RunState};
use crate::apply::{Execution, Journal, Outcome, Status, Tally, execute, write_private};
use crate::plan::{Action, Op};
use crate::portal::PortalClient;
use crate::report::apply::{APPLY_FORMAT, ApplyReport};

use super::progress::Progress;
use super::stop::RunStop;
use super::{Exit, Settings};

/// What a phase applies: the actions, against which portal, from where.
pub struct Phase<'a> {
    pub runtime: &'a tokio::runtime::Runtime,
    pub client: &'a Arc<PortalClient>,
    pub portal: &'a str,
    pub organisation: &'a str,
    pub mode: crate::plan::Mode,
    pub fingerprint: &'a str,
    pub actions: &'a [Action],
    pub prior: &'a std::collections::HashMap<u32, crate::apply::Prior>,
    pub source: &'a str,
    /// The source of the plan itself (`inputs`, `revert:<run>`…): a plan it holds keeps it.
    pub plan_source: &'a str,
    /// Who approved the held plan this phase applies.
    pub approved_by: Option<&'a str>,
    /// More fields of the phase's `start` line (the held plan and who approved it).
    pub start: serde_json::Value,
    /// What was changed by hand since the last run, for the phase's report.
    pub drift: &'a [crate::history::DriftChange],
}

/// The held plan a run leaves, for the notice and the exit status.
pub struct HeldNow {
    pub fingerprint: String,
    pub html: PathBuf,
    /// Told now: new, or a reminder is due.
    pub tell: bool,
}

pub struct Night<'s> {
    pub(super) settings: &'s Settings,
    pub(super) started: SystemTime,
    /// The run's record (evidence.md "Runs"), rewritten at each phase and at the end.
    pub run: RunRecord,
    /// The held plans of the state directory, read under the lock.
    pub store: HeldStore,
    /// Ends of rows within `[dates] lookahead_days` not told yet (the `ending` event).
    pub(super) ends: Vec<End>,
    /// Review sheets past their due day with no answer, when not yet told today (campaign,
    /// structure, coordinator): the `review-overdue` event.
    pub(super) review_overdue: Vec<(String, String, Option<String>)>,
    /// Ctrl-C / SIGTERM for the whole run.
    pub(super) stop: RunStop,
    pub(super) journal: Option<Journal>,
    pub(super) journal_path: Option<String>,
    pub(super) journal_error: bool,
    pub(super) tally: Tally,
    pub(super) by_op: BTreeMap<(Op, Status), u64>,
    pub invalid_rows: usize,
    /// An input gave no person in authoritative scope (cli.md: exit at least 3, `invalid-rows`).
    pub scope_incomplete: bool,
    /// Something failed the run (exit 1): a refused approved plan, a report not written…
    pub(super) failed: bool,
    pub(super) interrupted: bool,
    pub(super) portal_down: bool,
    /// The portal was seen down for not answering in time (not for being out of reach).
    pub(super) portal_silent: bool,
    pub held: Option<HeldNow>,
    /// The last phase's actions that did not end done, adopted or in effect (a held plan with
    /// any is `partial`, not `applied`).
    pub unfinished: Vec<u32>,
    /// The last phase's actions that ended done, adopted or in effect (a review's removals are
    /// recorded applied by these only).
    pub finished: Vec<u32>,
    pub(super) markdown: String,
    pub(super) last_fingerprint: String,
    pub(super) clients: Vec<Arc<PortalClient>>,
    /// The history store's side of the run.
    pub(super) history: super::recorder::Recorder,
    /// A phase's report already showed the changes by hand.
    drift_shown: bool,
}

impl<'s> Night<'s> {
    pub fn new(
        settings: &'s Settings,
        started: SystemTime,
        run: RunRecord,
        store: HeldStore,
        stop: RunStop,
        history: super::recorder::Recorder,
    ) -> Night<'s> {
        Night {
            settings,
            started,
            run,
            store,
            ends: Vec::new(),
            review_overdue: Vec::new(),
            stop,
            journal: None,
            journal_path: None,
            journal_error: false,
            tally: Tally::default(),
            by_op: BTreeMap::new(),
            invalid_rows: 0,
            scope_incomplete: false,
            failed: false,
            interrupted: false,
            portal_down: false,
            portal_silent: false,
            unfinished: Vec::new(),
            finished: Vec::new(),
            held: None,
            markdown: String::new(),
            last_fingerprint: String::new(),
            clients: Vec::new(),
            history,
            drift_shown: false,
        }
    }

    /// A read of the portal this run made (its main read, a held plan's stale check, the
    /// re-read after a held phase): an observation for the history store.
    pub fn observed(&mut self, snap: crate::history::Snapshot) {
        let lines = self.journal.as_ref().map_or(0, |j| j.lines);
        self.history.observed(snap, lines);
    }

    /// The changes by hand the run recorded, in its report and on stdout, when no phase's
    /// report said them (a night with nothing to send, the re-read after a held phase).
    fn tell_drift(&mut self) {
        if self.drift_shown || self.history.drift.is_empty() {
            return;
        }
        let md = crate::report::drift::markdown(&self.history.drift);
        self.markdown(&md);
        if !self.settings.quiet {
            let _ = self
                .settings
                .out(&crate::report::drift::text(&self.history.drift));
        }
    }

    /// Records the run in the history store before the journal's `end` line, which carries
    /// the chain's head; a store that cannot be written fails the run (said).
    fn record_history(&mut self) -> Option<String> {
        let journal = self.journal_path.clone().map(PathBuf::from);
        match self.history.record(
            self.settings,
            &self.run.id,
            self.started,
            journal.as_deref(),
        ) {
            Ok(head) => head,
            Err(error) => {
                self.settings.say(
                    "ERROR",
                    crate::msg!("history-cannot-record", run = &self.run.id, error = error),
                    crate::msg!("history-cannot-record-hint"),
                );
                self.failed = true;
                None
            }
        }
    }

    pub(super) fn state_dir(&self) -> &'s Path {
        &self.settings.config.state_dir
    }

    /// A client whose answers the metrics count.
    pub fn talks_with(&mut self, client: &Arc<PortalClient>) {
        self.stop.watch(client);
        if !self.clients.iter().any(|c| Arc::ptr_eq(c, client)) {
            self.clients.push(client.clone());
        }
    }

    /// A stop signal came: the run starts no new phase (`Err`: exit 130, the end written).
    pub fn go_on(&mut self) -> Result<(), Exit> {
        if self.stop.stopped() {
            self.interrupted = true;
            return Err(Exit::Interrupted);
        }
        Ok(())
    }

    /// Adds a section to the run's Markdown report.
    pub fn markdown(&mut self, text: &str) {
        if !self.markdown.is_empty() {
            self.markdown.push('\n');
        }
        self.markdown.push_str(text);
    }

    /// The run failed (exit 1) for a reason already said.
    pub fn fail(&mut self) {
        self.failed = true;
    }

    /// The journal's `start` line for a phase: the file is created by the first one.
    fn start_phase(&mut self, p: &Phase<'_>) -> Result<(), Exit> {
        let mut start = serde_json::json!({
            "portal": p.portal, "organisation": p.organisation, "mode": p.mode,
            "source": p.source, "actions": p.actions.len(),
            "today": self.settings.input.today.to_string(),
            "already_in_effect": p.prior.len(),
        });
        if let (Some(a), serde_json::Value::Object(b)) = (start.as_object_mut(), &p.start) {
            a.extend(b.clone());
            // A saved or held plan's own source (cli.md: a journal of `apply --plan` records
            // it as `origin`): a later revert of that plan's run finds it by it.
            if p.source != p.plan_source && !p.plan_source.is_empty() {
                a.insert("origin".into(), p.plan_source.into());
            }
        }
        let dir = self.state_dir();
        let opened = match &mut self.journal {
            Some(j) => j.phase(p.fingerprint, start),
            None => Journal::create(dir, &self.run.journal_name(), p.fingerprint, start).map(|j| {
                self.journal_path = Some(j.path.display().to_string());
                self.run.journal = Some(self.run.journal_name());
                self.journal = Some(j);
            }),
        };
        self.last_fingerprint = p.fingerprint.to_owned();
        opened.map_err(|e| {
            self.failed = true;
            self.settings.fail(
                crate::msg!(
                    "journal-cannot-start",
                    dir = dir.display().to_string(),
                    error = e.to_string()
                ),
                crate::msg!("state-dir-hint"),
            )
        })?;
        self.run.phases.push(RunPhase {
            source: p.source.to_owned(),
            fingerprint: p.fingerprint.to_owned(),
            counts: Default::default(),
            approved_by: p.approved_by.map(str::to_owned),
        });
        self.save_run()
    }

    /// The run's record written whole; one that cannot be is the run's failure, said.
    fn save_run(&mut self) -> Result<(), Exit> {
        runs::save(self.state_dir(), &self.run).map_err(|e| {
            self.failed = true;
            self.settings.fail(
                crate::msg!(
                    "run-cannot-record",
                    run = &self.run.id,
                    error = e.to_string()
                ),
                crate::msg!("state-dir-hint"),
            )
        })
    }

    /// A phase with nothing to send: its `start` line, so the run's journal says what it
    /// planned (the commonest night leaves a trace).
    pub fn nothing_to_do(&mut self, p: &Phase<'_>) -> Result<(), Exit> {
        self.finished.clear();
        self.start_phase(p)
    }

    /// Runs a phase's actions through the portal, journaled, with progress; its report is
    /// written and shown. `Err`: the run cannot go on (interrupted, portal down, no journal).
    pub fn execute(&mut self, p: &Phase<'_>) -> Result<(), Exit> {
        // Nothing of an earlier phase counts as this one's.
        self.finished.clear();
        self.go_on()?;
        self.start_phase(p)?;
        self.drift_shown |= !p.drift.is_empty();
        let settings = self.settings;
        let mut progress = Progress::new(
            self.journal.take(),
            p.actions.len(),
            settings.quiet,
            settings.log_format,
            env_secs("PROONE_PROGRESS_EVERY_SECS").unwrap_or(super::progress::EVERY),
        );
        let execution = run_actions(p, &mut progress);
        progress.finish(&execution.tally);
        self.journal = progress.journal.take();
        let result = if progress.journal_error.is_some() {
            "journal-unwritable"
        } else {
            result_of(&execution)
        };
        self.count(&execution);
        self.interrupted |= self.stop.stopped();
        let report = self.report(p, execution, result);
        if !self.write_reports(&report) {
            self.failed = true;
        }
        if let Some(e) = &progress.journal_error {
            let lines = self.journal.as_ref().map_or(0, |j| j.lines);
            settings.say(
                "ERROR",
                crate::msg!(
                    "journal-stopped",
                    journal = self.journal_path.as_deref().unwrap_or(""),
                    lines = lines,
                    error = e.to_string()
                ),
                crate::msg!("journal-stopped-hint"),
            );
            self.journal_error = true;
            self.failed = true;
        }
        if !settings.quiet && settings.out(&crate::report::apply::text(&report)).is_err() {
            self.failed = true;
        }
        self.markdown(&crate::report::apply::markdown(&report));
        if self.interrupted {
            return Err(Exit::Interrupted);
        }
        if self.portal_down {
            let down = crate::apply::executor::DOWN_AFTER;
            let not_run = report.tally.not_run;
            let said = if self.portal_silent {
                crate::msg!("portal-stopped-silent", not_run = not_run)
            } else {
                crate::msg!("portal-stopped", down = down, not_run = not_run)
            };
            return Err(settings.fail(said, crate::msg!("portal-stopped-hint")));
        }
        if self.journal_error {
            return Err(Exit::Failed);
        }
        Ok(())
    }

    /// One outcome of the current phase, in the run's and the phase's counts.
    fn count_one(&mut self, op: Op, status: Status) {
        *self.by_op.entry((op, status)).or_insert(0) += 1;
        if let Some(phase) = self.run.phases.last_mut() {
            let name = |v: serde_json::Result<serde_json::Value>| {
                v.ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            };
            *phase
                .counts
                .entry(name(serde_json::to_value(op)))
                .or_default()
                .entry(name(serde_json::to_value(status)))
                .or_insert(0) += 1;
        }
    }

    fn count(&mut self, e: &Execution) {
        for o in &e.outcomes {
            self.count_one(o.op, o.status);
        }
        let ended =
            |o: &&Outcome| matches!(o.status, Status::Done | Status::Adopted | Status::InEffect);
        self.unfinished = e
            .outcomes
            .iter()
            .filter(|o| !ended(o))
            .map(|o| o.action)
            .collect();
        self.finished = e.outcomes.iter().filter(ended).map(|o| o.action).collect();
        let t = &e.tally;
        for (total, n) in [
            (&mut self.tally.done, t.done),
            (&mut self.tally.adopted, t.adopted),
            (&mut self.tally.in_effect, t.in_effect),
            (&mut self.tally.failed, t.failed),
            (&mut self.tally.skipped, t.skipped),
            (&mut self.tally.interrupted, t.interrupted),
            (&mut self.tally.not_run, t.not_run),
        ] {
            *total += n;
        }
        self.interrupted |= e.interrupted;
        self.portal_down |= e.portal_down.is_some();
        self.portal_silent |= e
            .portal_down
            .as_ref()
            .is_some_and(crate::apply::Reason::is_no_answer);
    }

    fn report(&self, p: &Phase<'_>, execution: Execution, result: &'static str) -> ApplyReport {
        use std::sync::atomic::Ordering::Relaxed;
        let stats = &p.client.stats;
        ApplyReport {
            format: APPLY_FORMAT,
            fingerprint: p.fingerprint.to_owned(),
            mode: p.mode,
            portal: p.portal.to_owned(),
            organisation: p.organisation.to_owned(),
            source: p.source.to_owned(),
            started: rfc3339(self.started),
            finished: rfc3339(SystemTime::now()),
            elapsed_secs: (execution.elapsed.as_secs_f64() * 10.0).round() / 10.0,
            result,
            actions: p.actions.len(),
            tally: execution.tally,
            requests: stats.requests.load(Relaxed),
            retries: stats.retries.load(Relaxed),
            rate_limited: stats.rate_limited.load(Relaxed),
            journal: self.journal_path.clone(),
            outcomes: execution.outcomes,
            drift: p.drift.to_vec(),
        }
    }

    /// The phase's report as Markdown and JSON beside the journal; `false` if one could not be
    /// written (said).
    fn write_reports(&self, report: &ApplyReport) -> bool {
        let mut ok = true;
        for (ext, body) in [
            ("md", crate::report::apply::markdown(report)),
            ("json", crate::report::apply::json(report)),
        ] {
            let path = self.report_path(&report.fingerprint, ext);
            if let Err(e) = write_private(&path, body.as_bytes()) {
                self.report_unwritable(&path, &e);
                ok = false;
            }
        }
        ok
    }

    pub(super) fn report_unwritable(&self, path: &Path, e: &std::io::Error) {
        self.settings.say(
            "ERROR",
            crate::msg!(
                "report-unwritable",
                path = path.display().to_string(),
                error = e.to_string()
            ),
            "",
        );
    }

    pub(super) fn report_path(&self, fingerprint: &str, ext: &str) -> PathBuf {
        self.state_dir()
            .join(format!("report-{}-{fingerprint}.{ext}", self.run.stamp()))
    }

    /// Journals the held actions (status `held`), opening the journal with the phase's `start`
    /// line when nothing was sent before them.
    pub fn journal_held(&mut self, p: &Phase<'_>, held: &[Action]) -> Result<(), Exit> {
        if self.journal.is_none() || self.last_fingerprint != p.fingerprint {
            self.start_phase(p)?;
        }
        for a in held {
            self.tally.held += 1;
            self.count_one(a.op, Status::Held);
            let mut outcome = Outcome::of(a, a.user_id.clone());
            outcome.status = Status::Held;
            if let Some(j) = &mut self.journal
                && let Err(e) = j.outcome(&outcome)
            {
                self.failed = true;
                return Err(self.settings.fail(
                    crate::msg!("journal-cannot-write", error = e.to_string()),
                    crate::msg!("free-space-hint"),
                ));
            }
        }
        Ok(())
    }

    /// The exit status by cli.md's precedence (130, 1, 4, 5, 3), from what the phases did and
    /// how the last one returned.
    fn exit(&self, returned: Exit) -> Exit {
        if returned == Exit::Interrupted || self.interrupted {
            Exit::Interrupted
        } else if returned == Exit::Failed || self.failed {
            Exit::Failed
        } else if self.tally.failed > 0 {
            Exit::ActionsFailed
        } else if self.held.is_some() {
            Exit::Held
        } else if self.invalid_rows > 0 || self.scope_incomplete {
            Exit::InvalidRows
        } else {
            Exit::Success
        }
    }

    /// The end of the run: the journal's `end` line, the notice recorded, the run's record and
    /// Markdown report, then the notify command and the metrics file. Returns the run's exit
    /// status.
    pub fn end(mut self, returned: Exit) -> Exit {
        self.review_overdue = super::review_status::overdue_once_a_day(self.settings);
        for (campaign, structure, coordinator) in &self.review_overdue {
            let line = crate::t!(
                "review-overdue-line",
                campaign = campaign.as_str(),
                structure = structure.as_str(),
                coordinator = crate::review::coordinator_named(coordinator.as_deref())
            );
            self.markdown.push_str(&format!("- {line}\n"));
        }
        let head = self.record_history();
        self.tell_drift();
        let exit = self.exit(returned);
        if let Some(j) = &mut self.journal {
            let result = if self.journal_error {
                "journal-unwritable"
            } else if self.interrupted {
                "interrupted"
            } else if self.portal_down {
                "portal-unreachable"
            } else if exit == Exit::Failed {
                "failed"
            } else {
                "completed"
            };
            if let Err(e) = j.finish(&self.tally, result, head.as_deref())
                && !self.journal_error
            {
                self.settings.say(
                    "ERROR",
                    crate::msg!("journal-end-unwritable", error = e.to_string()),
                    "",
                );
                self.failed = true;
            }
        }
        self.record_told();
        let exit = self.exit(returned);
        let header = self.header(exit);
        self.markdown.insert_str(0, &header);
        // A report that cannot be written fails the run (said), before its record is closed.
        let report = self.run_report();
        let exit = self.close_run(returned);
        // An end is recorded as told once the notice reached its command (or none was to):
        // a command that failed tells it again the next night.
        if self.notify(exit, report) {
            self.record_ends();
        }
        let exit = if self.exit(returned) == exit {
            exit
        } else {
            self.close_run(returned)
        };
        self.metrics(exit);
        exit
    }

    /// The run's record closed with its exit status (a record that cannot be saved is the
    /// run's failure); the exit status.
    fn close_run(&mut self, returned: Exit) -> Exit {
        let exit = self.exit(returned);
        self.run.ended = Some(rfc3339(SystemTime::now()));
        self.run.state = Some(match exit {
            Exit::Interrupted => RunState::Interrupted,
            Exit::Failed => RunState::Failed,
            _ => RunState::Completed,
        });
        self.run.exit = Some(exit as i32);
        match self.save_run() {
            Ok(()) => exit,
            Err(_) => self.exit(returned),
        }
    }

    /// The run's Markdown (every phase, what was refused, what is held), written over the last
    /// phase's Markdown report; its path.
    fn run_report(&mut self) -> Option<PathBuf> {
        if self.markdown.is_empty() {
            return None;
        }
        let fingerprint = if self.last_fingerprint.is_empty() {
            "run"
        } else {
            &self.last_fingerprint
        };
        let path = self.report_path(fingerprint, "md");
        let written = std::fs::create_dir_all(self.state_dir())
            .and_then(|()| write_private(&path, self.markdown.as_bytes()));
        match written {
            Ok(()) => Some(path),
            Err(e) => {
                self.report_unwritable(&path, &e);
                self.failed = true;
                None
            }
        }
    }
}

/// A pace the tests set in seconds (`PROONE_NOTIFY_TIMEOUT_SECS`, `PROONE_PROGRESS_EVERY_SECS`):
/// a positive, finite number, else none (the default holds).
pub(super) fn env_secs(name: &str) -> Option<Duration> {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| *v > 0.0 && v.is_finite())
        .map(Duration::from_secs_f64)
}

/// The journal's and the report's word for how a phase ended.
fn result_of(execution: &Execution) -> &'static str {
    if execution.interrupted {
        "interrupted"
    } else if execution.portal_down.is_some() {
        "portal-unreachable"
    } else {
        "completed"
    }
}

/// A phase's actions through the portal (the run's stop signal interrupts its client).
fn run_actions(p: &Phase<'_>, progress: &mut Progress) -> Execution {
    let client = p.client.clone();
    let concurrency = client.concurrency();
    p.runtime.block_on(execute(
        client,
        p.actions,
        p.prior,
        p.fingerprint,
        concurrency,
        progress,
    ))
}
