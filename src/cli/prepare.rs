//! What `plan` and `apply` (from the inputs, or as a revert) start from: the inputs read, the
//! portal read, the structures resolved, the plan made, and what was changed by hand since the
//! last run (the history store opened read-only, the journals it does not hold yet replayed).

use std::path::PathBuf;

use crate::history::{DriftChange, HistoryError, Opened, Snapshot, Store};
use crate::input::{read_inputs, resolve_structures};
use crate::model::Severity;
use crate::plan::SavedPlan;
use crate::plan::{Mode, Plan, PlanOptions, plan};
use crate::report::plan::PlanReport;
use crate::t;

use super::connect::{Connection, open};
use super::{Exit, PortalArgs, Settings};

/// What both `plan` and `apply` start from: the inputs read, the portal read, the plan made.
pub struct Prepared {
    pub runtime: tokio::runtime::Runtime,
    pub conn: Connection,
    pub observed: crate::model::ObservedState,
    pub plan: Plan,
    /// The inputs' problems (the plan's own are in `plan.problems`).
    pub input_problems: Vec<crate::model::Problem>,
    pub invalid_rows: usize,
    pub organisation: String,
    /// The plan as `apply --plan` reads it, and its fingerprint.
    pub saved: SavedPlan,
    /// What was changed by hand since the last run (evidence.md), from the history store as it
    /// stands; empty without one.
    pub drift: Vec<DriftChange>,
    /// A revert plan's run, phase and created users (`plan --revert`).
    pub revert: Option<crate::plan::revert::RevertInfo>,
    /// A review plan's campaign (`plan --review`).
    pub review: Option<String>,
}

impl Prepared {
    /// The plan `the_plan` made against `observed`, saved as `apply --plan` reads it (under
    /// `source` when it is not the inputs': a revert's, a review's), with the drift the history
    /// store sees.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        runtime: tokio::runtime::Runtime,
        conn: Connection,
        observed: crate::model::ObservedState,
        the_plan: Plan,
        input_problems: Vec<crate::model::Problem>,
        invalid_rows: usize,
        source: Option<String>,
        settings: &Settings,
    ) -> Prepared {
        let organisation = format!(
            "{} ({})",
            observed.organisation.name, observed.organisation.id
        );
        let mut saved = SavedPlan::new(&the_plan, &conn.portal, &observed);
        saved.today = Some(settings.input.today.to_string());
        if let Some(source) = source {
            saved.source = source;
            saved.fingerprint = saved.recompute_fingerprint();
        }
        let drift = drift_of(&observed, settings);
        Prepared {
            runtime,
            conn,
            observed,
            plan: the_plan,
            input_problems,
            invalid_rows,
            organisation,
            saved,
            drift,
            revert: None,
            review: None,
        }
    }

    /// The report model every rendering (and `apply`'s summary) is made from.
    pub fn report(&self) -> PlanReport<'_> {
        PlanReport::new(
            &self.plan,
            &self.saved.fingerprint,
            &self.input_problems,
            self.invalid_rows,
            &self.observed.structures,
            &self.organisation,
        )
        .with_drift(&self.drift)
        .with_revert(self.revert.as_ref())
        .with_review(self.review.as_deref())
    }
}

/// What `prepare` needs from the command line.
pub struct Wanted<'a> {
    pub inputs: &'a [PathBuf],
    pub strict: bool,
    pub prune: bool,
    pub scope: Option<crate::config::ScopeMode>,
    pub allow_mass_change: bool,
    pub portal: &'a PortalArgs,
}

/// The plan's options: the mode and scope asked (flags, else the config), the guards, the day.
pub(super) fn options_of(w: &Wanted<'_>, settings: &Settings) -> PlanOptions {
    PlanOptions {
        mode: if w.prune || settings.config.prune {
            Mode::Prune
        } else {
            Mode::Additive
        },
        allow_mass_change: w.allow_mass_change,
        max_revocations: settings.config.max_revocations,
        max_creations: settings.config.max_creations,
        on_trip: settings.config.on_trip,
        scope: match w.scope {
            Some(mode) => crate::plan::Scope {
                mode,
                ..settings.config.scope.clone()
            },
            None => settings.config.scope.clone(),
        },
        dates: crate::plan::DateOptions {
            today: Some(settings.input.today),
            end_window_days: settings.config.dates.end_window_days,
            lookahead_days: settings.config.dates.lookahead_days,
        },
    }
}

/// Reads the inputs and the portal, resolves structures, plans. `Err` is the exit status of
/// a run that cannot go on (its reason already printed).
pub fn prepare(w: &Wanted<'_>, settings: &Settings) -> Result<Prepared, Exit> {
    let given = if w.inputs.is_empty() {
        settings.config.inputs.clone()
    } else {
        w.inputs.to_vec()
    };
    if given.is_empty() {
        return Err(settings.fail(crate::msg!("no-input"), ""));
    }
    let mut inputs = read_inputs(&given, &settings.input);
    let input_errors = inputs
        .problems
        .iter()
        .any(|p| p.severity == Severity::Error);
    if inputs.stats.unreadable_files > 0 || (w.strict && input_errors) {
        // Nothing is planned from incomplete inputs: show why.
        let summary = crate::report::check::CheckSummary::new(&inputs.stats, &inputs.problems);
        if settings.json_logs() {
            for p in &inputs.problems {
                settings.say_problem("WARN", p);
            }
        } else {
            eprint!("{}", crate::report::check::text(&summary, &inputs.problems));
        }
        return Err(settings.fail(
            if inputs.stats.unreadable_files > 0 {
                t!("input-unreadable")
            } else {
                t!("strict-inputs")
            },
            crate::msg!("fix-and-rerun"),
        ));
    }
    let (conn, runtime) = open(w.portal, settings, &t!("why-plan"))?;
    let observed = runtime
        .block_on(crate::portal::fetch_observed(
            &conn.client,
            settings.input.today,
        ))
        .map_err(|e| settings.fail_portal(&e))?;
    let invalid = resolve_structures(
        &mut inputs.desired,
        &observed.structures,
        &mut inputs.problems,
    );
    inputs.stats.invalid_rows += invalid;
    let the_plan = plan(&inputs.desired, &observed, &options_of(w, settings));
    // inputs.md: a row with any error is skipped whole and the exit status says so — the
    // plan's errors too (an identity mismatch, a creation that cannot be made).
    inputs.stats.invalid_rows += the_plan.skipped_rows();
    Ok(Prepared::new(
        runtime,
        conn,
        observed,
        the_plan,
        inputs.problems,
        inputs.stats.invalid_rows,
        None,
        settings,
    ))
}

/// The changes made by hand since the last run: the portal as just read, compared with the
/// history store as it stands (read-only: a dry run writes nothing). The store never fails the
/// plan: without one there is nothing to say; one this proone-sync cannot read is said (a
/// warning) and left out.
pub(super) fn drift_of(
    observed: &crate::model::ObservedState,
    settings: &Settings,
) -> Vec<DriftChange> {
    let unreadable = |e: &HistoryError| {
        settings.say(
            "WARN",
            crate::msg!("drift-store-unreadable", error = e.to_string()),
            "",
        );
    };
    let store = match Store::open_ro(&settings.config.state_dir) {
        Opened::Ready(store) => store,
        Opened::Missing(path) => {
            // The first nights: nothing recorded yet, so nothing can have drifted from it.
            tracing::info!(
                "no history store yet at {}: no changes by hand to show",
                path.display()
            );
            return Vec::new();
        }
        Opened::Older { path, found } => {
            let path = path.display().to_string();
            settings.say(
                "WARN",
                crate::msg!("drift-store-older", path = path, found = found),
                "",
            );
            return Vec::new();
        }
        Opened::Newer { path, found } => {
            let path = path.display().to_string();
            settings.say(
                "WARN",
                crate::msg!("drift-store-newer", path = path, found = found),
                "",
            );
            return Vec::new();
        }
        Opened::Unreadable(e) => {
            unreadable(&e);
            return Vec::new();
        }
    };
    store
        .drift_of(
            &Snapshot::of(observed, jiff::Timestamp::now()),
            &settings.config.state_dir,
        )
        .unwrap_or_else(|e| {
            unreadable(&e);
            Vec::new()
        })
}
