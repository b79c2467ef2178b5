//! `plan --review CAMPAIGN` and `apply --review CAMPAIGN` (evidence.md "Access review
//! campaigns"): what a review's plan is made from, as a revert's is (`revert.rs`). The
//! campaign read from the state directory, the « Remove » decisions of each sheet's last
//! returned file with what the sheet listed, the portal read; then the pure
//! `plan::review::review_plan`, and the inputs planned against the portal as the removals would
//! leave it, for what the next night would grant again (`redone-by-inputs`). Nothing here writes.

use crate::model::StructureId;
use crate::plan::review::{Removal, review_plan};
use crate::review::collect::Choice;
use crate::review::{Campaign, Sheet};
use crate::t;

use super::prepare::{Prepared, Wanted, options_of};
use super::{Exit, Settings};

/// The source of a review's plan (cli.md): `review:<campaign>`.
pub fn source_of(campaign: &str) -> String {
    format!("review:{campaign}")
}

/// The « Remove » decisions of `s`'s last returned file not applied yet, each at its row of
/// that file (one a run applied is not planned again; one left out as stale, failed or held is).
fn removals_of(s: &Sheet, index: u32) -> Vec<Removal> {
    let Some(answer) = s.answers.last() else {
        return Vec::new();
    };
    answer
        .decisions
        .iter()
        .filter(|d| d.decision == Choice::Remove && s.applied_to(&d.user_id).is_none())
        .filter_map(|d| {
            let listed = s
                .people
                .iter()
                .find(|p| p.user_id == d.user_id && p.apart.is_none())?;
            Some(Removal {
                user_id: d.user_id.clone(),
                structure: StructureId::from_portal(s.structure.clone()),
                at: crate::review::decision_at(answer, index, d.row),
                listed_dossiers: listed.dossiers.clone(),
            })
        })
        .collect()
}

/// Every removal the campaign's answers decided.
pub fn removals(c: &Campaign) -> Vec<Removal> {
    c.sheets
        .iter()
        .enumerate()
        .flat_map(|(i, s)| removals_of(s, i as u32))
        .collect()
}

/// What the next night would redo, as the campaign records it for HR.
fn redone_of(plan: &crate::plan::Plan) -> Vec<crate::review::Redone> {
    plan.problems
        .iter()
        .filter_map(|p| match &p.kind {
            crate::model::ProblemKind::ReviewRedone { who, structure } => {
                Some(crate::review::Redone {
                    who: who.clone(),
                    structure: structure.clone(),
                    row: p.location.to_string(),
                })
            }
            _ => None,
        })
        .collect()
}

/// The plan of `campaign`'s removals; with `record` (`apply --review`, under the lock), what the
/// staff list would redo is recorded in the campaign for its report. `Err` is the exit of a run
/// that cannot go on (said).
pub fn prepare(
    w: &Wanted<'_>,
    campaign: &str,
    record: bool,
    settings: &Settings,
) -> Result<Prepared, Exit> {
    let c = super::campaign::load(settings, campaign)?;
    let (conn, runtime) = super::connect::open(w.portal, settings, &t!("why-plan"))?;
    let observed = runtime
        .block_on(crate::portal::fetch_observed(
            &conn.client,
            settings.input.today,
        ))
        .map_err(|e| settings.fail_portal(&e))?;
    let options = options_of(w, settings);
    let mut the_plan = review_plan(&removals(&c), &observed, &options);
    let input_problems = super::revert::next_night(w, settings, &observed, &mut the_plan);
    crate::plan::review::as_review(&mut the_plan);
    if record
        && let Err(e) = crate::review::record_redone(
            &settings.config.state_dir,
            &c.campaign,
            redone_of(&the_plan),
        )
    {
        settings.say(
            "WARN",
            crate::msg!("review-record-failed", error = e.message().text()),
            crate::msg!("state-dir-hint"),
        );
    }
    let source = source_of(&c.campaign);
    let mut prepared = Prepared::new(
        runtime,
        conn,
        observed,
        the_plan,
        input_problems,
        0,
        Some(source),
        settings,
    );
    prepared.review = Some(c.campaign);
    Ok(prepared)
}
