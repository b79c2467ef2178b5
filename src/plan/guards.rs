//! cli.md's mass-change guards: a wrong or truncated spreadsheet must not strip or flood the
//! portal. More revocations than `max_revocations`, or than 10 % of the grants the people of the
//! inputs hold, or more creations than `max_creations`, trips a guard: an error at `(plan)` and
//! a plan that must not be applied — a warning instead under `--allow-mass-change`.

use crate::model::{Problem, ProblemKind, Severity};

use super::{PlanOptions, Summary, plan_location};

/// The guards' problems for a plan of `summary`, and whether one tripped (`false` when
/// allowed).
pub(super) fn check(
    summary: &Summary,
    managed_grants: usize,
    options: &PlanOptions,
) -> (Vec<Problem>, bool) {
    let allowed = options.allow_mass_change;
    let mut kinds = Vec::new();
    let revocations = summary.revoke_dossier + summary.revoke_structure;
    if revocations > options.max_revocations
        || (revocations > 0 && revocations * 10 > managed_grants)
    {
        kinds.push(ProblemKind::GuardRevocations {
            revocations,
            max: options.max_revocations,
            managed: managed_grants,
            allowed,
        });
    }
    if summary.create_user > options.max_creations {
        kinds.push(ProblemKind::GuardCreations {
            creations: summary.create_user,
            max: options.max_creations,
            allowed,
        });
    }
    let severity = if allowed {
        Severity::Warning
    } else {
        Severity::Error
    };
    let tripped = !kinds.is_empty() && !allowed;
    let problems = kinds
        .into_iter()
        .map(|k| Problem::new(severity, plan_location(), k))
        .collect();
    (problems, tripped)
}
