//! cli.md's mass-change guards: a wrong or truncated spreadsheet must not strip or flood the
//! portal. More revocations than `max_revocations`, or than 10 % of the grants the people of the
//! inputs hold, or more creations than `max_creations`, trips a guard ("more than" is strict).
//! Under `on_trip = "stop"` it is an error at `(plan)` and a plan that must not be applied;
//! under `"hold"` a warning, and apply holds the tripped kind for approval; under
//! `--allow-mass-change` a warning and nothing is held.

use crate::model::{GuardReaction, Problem, ProblemKind, Severity};

use super::{OnTrip, PlanOptions, Summary, Tripped, plan_location};

/// The guards' problems for a plan of `summary`, and which guards tripped (none when
/// allowed).
pub(super) fn check(
    summary: &Summary,
    managed_grants: usize,
    options: &PlanOptions,
) -> (Vec<Problem>, Tripped) {
    let reaction = match (options.allow_mass_change, options.on_trip) {
        (true, _) => GuardReaction::Allowed,
        (false, OnTrip::Hold) => GuardReaction::Hold,
        (false, OnTrip::Stop) => GuardReaction::Stop,
    };
    let mut kinds = Vec::new();
    let mut tripped = Tripped::default();
    let revocations = summary.revoke_dossier + summary.revoke_structure;
    if revocations > options.max_revocations
        || (revocations > 0 && revocations * 10 > managed_grants)
    {
        tripped.revocations = true;
        kinds.push(ProblemKind::GuardRevocations {
            revocations,
            max: options.max_revocations,
            managed: managed_grants,
            reaction,
        });
    }
    if summary.create_user > options.max_creations {
        tripped.creations = true;
        kinds.push(ProblemKind::GuardCreations {
            creations: summary.create_user,
            max: options.max_creations,
            reaction,
        });
    }
    let severity = if reaction == GuardReaction::Stop {
        Severity::Error
    } else {
        Severity::Warning
    };
    if reaction == GuardReaction::Allowed {
        tripped = Tripped::default();
    }
    let problems = kinds
        .into_iter()
        .map(|k| Problem::new(severity, plan_location(), k))
        .collect();
    (problems, tripped)
}
