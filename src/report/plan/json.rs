//! The plan report as cli.md's `plan --format json`: codes and ids, the same in every language
//! (NRNs masked: only in problems, and masked there).

use serde::Serialize;

use crate::plan::{Action, Op, Plan, Summary};
use crate::report::messages::{ProblemView, views};

use super::{PLAN_FORMAT, PlanFormatter, PlanReport};

pub struct Json;

impl PlanFormatter for Json {
    fn format(&self, r: &PlanReport<'_>) -> Result<String, csv::Error> {
        Ok(self.render(r))
    }
}

#[derive(Serialize)]
struct JsonAction<'a> {
    id: u32,
    op: Op,
    email: &'a str,
    user_id: Option<&'a str>,
    dossier: Option<&'static str>,
    structure: Option<&'a str>,
    depends_on: &'a [u32],
    sources: Vec<String>,
    /// `apply` would hold it for approval (a guard tripped under `on_trip = "hold"`).
    held: bool,
    /// Revoked because the person left (authoritative scope); always false in `listed`.
    leaver: bool,
    /// Revoked because a row's period ended: its `until` (inputs.md "Dates").
    #[serde(skip_serializing_if = "Option::is_none")]
    ended: Option<String>,
}

impl<'a> JsonAction<'a> {
    fn of(a: &'a Action, plan: &Plan) -> Self {
        JsonAction {
            held: plan.holds(a),
            leaver: plan.is_leaver(a),
            id: a.id,
            op: a.op,
            email: &a.email,
            user_id: a.user_id.as_deref(),
            dossier: a.dossier.map(|d| d.code()),
            structure: a.structure.as_ref().map(|s| s.as_str()),
            depends_on: &a.depends_on,
            sources: a.sources.iter().map(ToString::to_string).collect(),
            ended: a.ended.map(|d| d.to_string()),
        }
    }
}

#[derive(Serialize)]
struct JsonUnlisted<'a> {
    user_id: &'a str,
    name: &'a str,
    email: &'a str,
}

#[derive(Serialize)]
struct JsonPlan<'a> {
    format: &'static str,
    mode: crate::plan::Mode,
    /// `inputs` or `revert:<run>` (cli.md).
    source: String,
    fingerprint: &'a str,
    organisation: &'a str,
    scope: crate::model::ScopeMode,
    summary: Summary,
    actions: Vec<JsonAction<'a>>,
    problems: Vec<ProblemView<'a>>,
    unlisted_users: Vec<JsonUnlisted<'a>>,
    /// Authoritative scope: each leaver with what they lose (codes and ids).
    leavers: Vec<JsonLeaver<'a>>,
    /// Rows starting within `[dates] lookahead_days` (inputs.md "Dates").
    upcoming: Vec<JsonDated<'a>>,
    /// Rows in effect whose `until` falls within the same window.
    ending: Vec<JsonDated<'a>>,
    /// The changes made by hand since the last run (evidence.md), as `history --drift`
    /// says them; `seen_at_run` is null: this dry run saw them, no run yet.
    drift: &'a [crate::history::DriftChange],
    /// A revert plan: the run, the phase, how it was compared, the users the run created.
    #[serde(skip_serializing_if = "Option::is_none")]
    revert: Option<crate::report::revert::JsonRevert<'a>>,
}

#[derive(Serialize)]
struct JsonDated<'a> {
    person: &'a str,
    email: &'a str,
    dossiers: Vec<&'static str>,
    structures: &'a [String],
    /// The first day (upcoming) or the last day (ending), YYYY-MM-DD.
    day: String,
    source: String,
}

impl<'a> JsonDated<'a> {
    fn of(d: &'a crate::plan::DatedRow) -> Self {
        JsonDated {
            person: &d.name,
            email: &d.email,
            dossiers: d.dossiers.iter().map(|x| x.code()).collect(),
            structures: &d.structures,
            day: d.day.to_string(),
            source: d.source.to_string(),
        }
    }
}

#[derive(Serialize)]
struct JsonLeaver<'a> {
    user_id: Option<&'a str>,
    name: &'a str,
    email: &'a str,
    dossiers: Vec<&'static str>,
    structures: Vec<&'a str>,
}

impl Json {
    pub fn render(&self, r: &PlanReport<'_>) -> String {
        let doc = JsonPlan {
            format: PLAN_FORMAT,
            mode: r.plan.mode,
            source: r.source(),
            fingerprint: &r.fingerprint,
            organisation: &r.organisation,
            scope: r.plan.scope,
            leavers: r
                .plan
                .leavers
                .iter()
                .map(|l| JsonLeaver {
                    user_id: l.user_id.as_deref(),
                    name: &l.name,
                    email: &l.email,
                    dossiers: l.dossiers_before.iter().map(|d| d.code()).collect(),
                    structures: l.structures_before.iter().map(|s| s.as_str()).collect(),
                })
                .collect(),
            upcoming: r.plan.upcoming.iter().map(JsonDated::of).collect(),
            ending: r.plan.ending.iter().map(JsonDated::of).collect(),
            drift: r.drift,
            revert: r.revert.map(crate::report::revert::json),
            summary: r.summary,
            actions: r
                .plan
                .actions
                .iter()
                .map(|a| JsonAction::of(a, r.plan))
                .collect(),
            problems: views(&r.problems),
            unlisted_users: r
                .plan
                .unlisted
                .iter()
                .map(|u| JsonUnlisted {
                    user_id: &u.user_id,
                    name: &u.name,
                    email: &u.email,
                })
                .collect(),
        };
        serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
    }
}
