//! What `apply` is asked (its arguments) and what one of its phases is about to apply,
//! whichever way it came: planned from the inputs,
//! or a saved plan (`--plan`, or an approved held plan) read, checked against its fingerprint
//! and against the portal as it is now (cli.md's resume rule), with its approval when it is a
//! held plan. Nothing here writes to the portal.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use std::path::PathBuf;

use clap::Args;

use crate::apply::held::{HeldState, HeldStore, Record};
use crate::apply::lifecycle::Event;
use crate::apply::outcome::rfc3339;
use crate::apply::{Change, Prior, Standing, standing};
use crate::model::{Problem, Severity};
use crate::plan::{Action, Mode, OnTrip, SavedPlan, Summary, Tripped};
use crate::portal::PortalClient;
use crate::report::messages;
use crate::t;

use super::night::Phase;
use super::prepare::{Prepared, Wanted, prepare};
use super::words::{command, state_word};
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
    /// (without it, additive: only what an ended row gave is revoked)
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
    /// Undo what run RUN wrote, where it still stands (`plan --revert RUN` shows it first);
    /// a run of its own, with its journal. The inputs say what the next night would redo.
    #[arg(long, value_name = "RUN", conflicts_with = "plan")]
    pub revert: Option<String>,
    /// Apply the « Retirer / Remove » decisions of review campaign CAMPAIGN (`plan --review
    /// CAMPAIGN` shows them first): a run of its own, with its journal, held like any other
    /// change when a guard trips.
    #[arg(long, value_name = "CAMPAIGN", conflicts_with_all = ["plan", "revert"])]
    pub review: Option<String>,
    /// With --revert: only this phase of the run (1, 2… in the order `runs` lists them).
    #[arg(long, value_name = "N", requires = "revert")]
    pub phase: Option<usize>,
    #[command(flatten)]
    pub portal: PortalArgs,
}

/// What is about to be applied, whichever way it came.
pub(super) struct Work {
    pub(super) runtime: tokio::runtime::Runtime,
    /// The client, and the embedded portal it may talk to (kept alive with it).
    pub(super) conn: super::connect::Connection,
    pub(super) portal: String,
    pub(super) organisation: String,
    pub(super) mode: Mode,
    pub(super) fingerprint: String,
    pub(super) summary: Summary,
    pub(super) actions: Vec<Action>,
    pub(super) prior: HashMap<u32, Prior>,
    pub(super) source: String,
    pub(super) invalid_rows: usize,
    /// The first error-level problems of the plan (shown after the summary), and how many
    /// there are in all.
    pub(super) problems: Vec<Problem>,
    pub(super) error_count: usize,
    /// The guards that tripped and whose kind is held (none unless `on_trip = "hold"`).
    pub(super) hold: Tripped,
    /// The guards' problems, for the held plan's page.
    pub(super) guard_problems: Vec<Problem>,
    /// Rows in effect that end within `[dates] lookahead_days` (the `ending` event).
    pub(super) ending: Vec<crate::plan::DatedRow>,
    /// The plan's leavers (authoritative scope), for the held plan's page.
    pub(super) leavers: Vec<crate::plan::PersonPlan>,
    /// A held plan being applied: its fingerprint and approval (recorded as applied after).
    pub(super) approved: Option<Record>,
    /// The plan's own source (`inputs`, or a saved plan's): a plan it holds keeps it.
    pub(super) plan_source: String,
    /// `listed` or `authoritative`: a held plan keeps it under its fingerprint.
    pub(super) scope: crate::model::ScopeMode,
    /// An input gave no person in authoritative scope.
    pub(super) scope_incomplete: bool,
    /// The portal as this phase read it, for the history store.
    pub(super) seen: Option<crate::history::Snapshot>,
    /// What was changed by hand since the last run (planned from the inputs; none for a saved
    /// plan).
    pub(super) drift: Vec<crate::history::DriftChange>,
}

impl Work {
    pub(super) fn phase<'a>(&'a self, actions: &'a [Action]) -> Phase<'a> {
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
            plan_source: &self.plan_source,
            approved_by: self.approved.as_ref().and_then(|a| a.by.as_deref()),
            start,
            drift: &self.drift,
        }
    }
}

/// `--expect-fingerprint`: the plan must be the one a manager approved.
pub(super) fn expect_fingerprint(
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

/// What `prepare` is asked by `apply`.
fn wanted(args: &ApplyArgs) -> Wanted<'_> {
    Wanted {
        inputs: &args.inputs,
        strict: args.strict,
        prune: args.prune,
        scope: args.scope,
        allow_mass_change: args.allow_mass_change,
        portal: &args.portal,
    }
}

pub(super) fn from_inputs(args: &ApplyArgs, settings: &Settings) -> Result<Work, Exit> {
    from_prepared(prepare(&wanted(args), settings)?, args, settings)
}

/// `apply --revert RUN`: the revert planned, then applied like a plan of the inputs (its
/// source `revert:<run>`, held like any other change when a guard trips).
pub(super) fn from_revert(run: &str, args: &ApplyArgs, settings: &Settings) -> Result<Work, Exit> {
    let p = super::revert::prepare(&wanted(args), run, args.phase, settings)?;
    // What the revert leaves as it is, and what the next night would redo, are said before it
    // is confirmed: the person undoing a run must see them.
    for problem in p.plan.problems.iter().filter(|x| {
        matches!(
            x.code(),
            "revert-superseded" | "redone-by-inputs" | "revert-unrecorded"
        )
    }) {
        settings.say_problem("WARN", problem);
    }
    from_prepared(p, args, settings)
}

/// `apply --review CAMPAIGN`: the review's removals planned, then applied like a plan of the
/// inputs (its source `review:<campaign>`, held like any other change when a guard trips).
pub(super) fn from_review(
    campaign: &str,
    args: &ApplyArgs,
    settings: &Settings,
) -> Result<Work, Exit> {
    let p = super::review_plan::prepare(&wanted(args), campaign, true, settings)?;
    from_prepared(p, args, settings)
}

/// What a plan made now (of the inputs, a revert or a review) is about to apply.
fn from_prepared(p: Prepared, args: &ApplyArgs, settings: &Settings) -> Result<Work, Exit> {
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
        observed,
        organisation,
        invalid_rows,
        drift,
        saved,
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
        // `inputs` or `revert:<run>`: the phase's source is the plan's own.
        source: saved.source.clone(),
        plan_source: saved.source,
        invalid_rows,
        problems,
        error_count,
        hold,
        guard_problems,
        leavers: plan.leavers,
        ending: plan.ending,
        approved: None,
        scope,
        scope_incomplete,
        conn,
        seen: Some(super::recorder::seen(&observed)),
        drift,
    })
}

/// A saved plan read and its actions checked against its fingerprint.
pub(super) fn load_saved(
    path: &Path,
    settings: &Settings,
) -> Result<(SavedPlan, Vec<Action>), Exit> {
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
pub(super) enum Checked {
    Current(Box<Work>),
    /// What changed, the client that read it, and what it read (for the history store).
    Stale(Vec<Change>, Arc<PortalClient>, crate::history::Snapshot),
}

/// Reads the portal and checks the saved plan against it (cli.md's resume rule).
pub(super) fn check_saved(
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
        Standing::Stale(changes) => {
            let seen = super::recorder::seen(&observed);
            return Ok(Checked::Stale(changes, conn.client.clone(), seen));
        }
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
        plan_source: saved.source.clone(),
        invalid_rows: 0,
        problems: Vec::new(),
        error_count: 0,
        hold: Tripped::default(),
        guard_problems: Vec::new(),
        leavers: Vec::new(),
        ending: Vec::new(),
        approved: None,
        scope: saved.scope,
        scope_incomplete: false,
        seen: Some(super::recorder::seen(&observed)),
        conn,
        drift: super::prepare::drift_of(&observed, settings),
    })))
}

/// `apply --plan`: a held plan needs its approval; another plan whose guard tripped is held
/// (`on_trip = "hold"`) or refused (`"stop"`) unless `--allow-mass-change`.
pub(super) fn from_saved(
    path: &Path,
    args: &ApplyArgs,
    settings: &Settings,
    store: &mut HeldStore,
) -> Result<Work, Exit> {
    let (saved, actions) = load_saved(path, settings)?;
    // Before any call: the plan on disk is not the approved one.
    expect_fingerprint(args, &saved.fingerprint, settings)?;
    other_day(&saved, settings);
    let approved = if saved.held {
        Some(approval_of(&saved.fingerprint, path, settings, store)?)
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
        Checked::Stale(changes, _, _) => {
            for c in &changes {
                settings.say_change(c);
            }
            if saved.held {
                let stale = Event::FoundStale {
                    at: rfc3339(SystemTime::now()),
                    changes: changes.clone(),
                };
                if let Err(e) = store.event(&saved.fingerprint, &stale) {
                    settings.say(
                        "ERROR",
                        crate::msg!(
                            "held-record-failed",
                            fingerprint = &saved.fingerprint,
                            state = "stale",
                            error = e.to_string()
                        ),
                        crate::msg!("state-dir-hint"),
                    );
                }
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

/// cli.md: a plan made for another day is said before anything is written (its dated rows were
/// judged on that day).
fn other_day(saved: &SavedPlan, settings: &Settings) {
    let today = settings.input.today.to_string();
    if let Some(day) = saved.today.as_deref().filter(|d| *d != today) {
        settings.say(
            "WARN",
            crate::msg!("plan-other-day", day = day, today = today),
            crate::msg!("plan-other-day-hint", day = day),
        );
    }
}

/// The approval of the held plan `fingerprint` in the state directory, or the refusal to apply
/// it.
fn approval_of(
    fingerprint: &str,
    path: &Path,
    settings: &Settings,
    store: &HeldStore,
) -> Result<Record, Exit> {
    match store.get(fingerprint) {
        Some(e) if e.state == HeldState::Approved => e.approved.clone().ok_or_else(|| {
            settings.fail(
                crate::msg!("held-approval-damaged", fingerprint = fingerprint),
                crate::msg!("held-approval-damaged-hint", fingerprint = fingerprint),
            )
        }),
        Some(e) => Err(settings.fail(
            crate::msg!(
                "held-not-approved",
                path = path.display().to_string(),
                state = state_word(e.state)
            ),
            crate::msg!(
                "held-not-approved-hint",
                command = command(settings, "approve", fingerprint)
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
