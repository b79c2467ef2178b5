//! The plan of an access review's « Retirer / Remove » decisions (evidence.md "Access review
//! campaigns"), a pure function of the decisions (with what each sheet listed) and the portal as
//! it is now: each removal becomes the revocation of that structure from that person, unless
//! their access to it changed since the sheet was made (left out and listed, `review-stale`);
//! the caller is never revoked; a structure left with nobody who can see it but administrateurs
//! is a warning (`review-structure-orphaned`). Its guards count against what the users it
//! touches hold now, as a revert's do (`revert::finish`).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::model::{Location, ObservedState, ObservedUser, Problem, ProblemKind, StructureId};

use super::{Action, Mode, Op, Plan, PlanOptions};

/// One « Remove » decision: the person, the structure, where it was said (the returned file's
/// row), and the scoped dossiers the sheet listed for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    pub user_id: String,
    pub structure: StructureId,
    pub at: Location,
    pub listed_dossiers: Vec<String>,
}

/// The scoped dossiers `u` holds now (codes, sorted), an administrateur's implicit ones
/// included: what a review sheet lists.
pub fn scoped_codes(u: &ObservedUser) -> Vec<String> {
    let mut codes: Vec<&'static str> = u
        .dossiers
        .iter()
        .filter(|d| d.scoped())
        .map(|d| d.code())
        .collect();
    if u.admin {
        codes.extend(
            crate::model::Dossier::ADMINISTRATEUR_IMPLICIT
                .iter()
                .filter(|d| d.scoped())
                .map(|d| d.code()),
        );
    }
    codes.sort_unstable();
    codes.dedup();
    codes.into_iter().map(str::to_owned).collect()
}

/// The revocation of `r` from `u`.
fn revoke(u: &ObservedUser, r: &Removal) -> Action {
    Action {
        id: 0,
        op: Op::RevokeStructure,
        email: Arc::from(u.email.as_str()),
        user_id: Some(Arc::from(u.id.as_str())),
        dossier: None,
        structure: Some(r.structure.clone()),
        depends_on: Vec::new(),
        sources: Arc::from(vec![r.at.clone()]),
        new_user: None,
        ended: None,
    }
}

/// The plan of `removals` against `observed`.
pub fn review_plan(removals: &[Removal], observed: &ObservedState, options: &PlanOptions) -> Plan {
    let users: HashMap<&str, &ObservedUser> =
        observed.users.iter().map(|u| (u.id.as_str(), u)).collect();
    let mut problems = Vec::new();
    let mut actions: Vec<Action> = Vec::new();
    for r in removals {
        let Some(u) = users.get(r.user_id.as_str()).copied() else {
            problems.push(stale(r, &r.user_id));
            continue;
        };
        if u.id == observed.caller.id {
            continue;
        }
        let still =
            u.structures.iter().any(|s| s == &r.structure) && scoped_codes(u) == r.listed_dossiers;
        if !still {
            problems.push(stale(r, &u.email));
            continue;
        }
        let dup = actions.iter().any(|a| {
            a.user_id.as_deref() == Some(u.id.as_str())
                && a.structure.as_ref() == Some(&r.structure)
        });
        if !dup {
            actions.push(revoke(u, r));
        }
    }
    problems.extend(orphaned(&actions, observed));
    actions.sort_by(|a, b| {
        let key = |a: &Action| {
            (
                a.email.to_lowercase(),
                a.user_id.clone(),
                a.structure.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    for (n, a) in actions.iter_mut().enumerate() {
        a.id = n as u32 + 1;
    }
    super::revert::finish(actions, problems, &users, options, Mode::Review)
}

fn stale(r: &Removal, who: &str) -> Problem {
    Problem::warning(
        r.at.clone(),
        ProblemKind::ReviewStale {
            who: who.to_owned(),
            structure: r.structure.as_str().to_owned(),
        },
    )
}

/// Each structure the removals leave with nobody but administrateurs who can see it.
fn orphaned(actions: &[Action], observed: &ObservedState) -> Vec<Problem> {
    let touched: BTreeSet<&StructureId> = actions
        .iter()
        .filter_map(|a| a.structure.as_ref())
        .collect();
    touched
        .into_iter()
        .filter(|s| {
            !observed.users.iter().any(|u| {
                !u.admin
                    && u.structures.iter().any(|x| x == *s)
                    && !scoped_codes(u).is_empty()
                    && !actions.iter().any(|a| {
                        a.user_id.as_deref() == Some(u.id.as_str())
                            && a.structure.as_ref() == Some(*s)
                    })
            })
        })
        .map(|s| {
            Problem::warning(
                super::plan_location(),
                ProblemKind::ReviewStructureOrphaned {
                    structure: s.as_str().to_owned(),
                },
            )
        })
        .collect()
}
