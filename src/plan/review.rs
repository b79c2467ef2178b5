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
    problems.extend(last_structures(&actions, &users));
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
    let mut plan = super::revert::finish(actions, problems, &users, options, Mode::Review);
    for p in &mut plan.problems {
        // Said as a review's: `finish` words its guard for a revert.
        if let ProblemKind::GuardRevertRevocations {
            revocations,
            max,
            managed,
            reaction,
        } = p.kind
        {
            p.kind = ProblemKind::GuardReviewRevocations {
                revocations,
                max,
                managed,
                reaction,
            };
        }
    }
    plan
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

/// Each person the removals leave with scoped dossiers and no structure: those dossiers now
/// apply to nothing (said at the removal's row).
fn last_structures(actions: &[Action], users: &HashMap<&str, &ObservedUser>) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for a in actions {
        let Some(u) = a.user_id.as_deref().and_then(|id| users.get(id)) else {
            continue;
        };
        if !seen.insert(u.id.as_str()) {
            continue;
        }
        let removed = |s: &StructureId| {
            actions
                .iter()
                .any(|b| b.user_id == a.user_id && b.structure.as_ref() == Some(s))
        };
        let last = u.structures.iter().all(removed);
        let scoped: Vec<crate::model::Dossier> = u.dossiers.iter().filter(|d| d.scoped()).collect();
        if last && !scoped.is_empty() {
            let at = a
                .sources
                .first()
                .cloned()
                .unwrap_or_else(super::plan_location);
            out.push(Problem::warning(
                at,
                ProblemKind::ScopedWithoutStructures { dossiers: scoped },
            ));
        }
    }
    out
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

/// The revert's words for what the next night would redo (`revert::redone_by_inputs`, run on a
/// review's plan) said as a review's: a removal the staff list would grant again, or no inputs
/// to check it against.
pub fn as_review(plan: &mut Plan) {
    for p in &mut plan.problems {
        match &p.kind {
            ProblemKind::RedoneByInputs {
                who,
                item: crate::model::RevertItem::Structure(s),
                revoked: true,
            } => {
                p.kind = ProblemKind::ReviewRedone {
                    who: who.clone(),
                    structure: s.as_str().to_owned(),
                };
            }
            ProblemKind::RedoneUnchecked => p.kind = ProblemKind::ReviewRedoneUnchecked,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Caller, Dossier, OrganisationInfo};

    fn user(id: &str, dossiers: &[Dossier], structures: &[&str], admin: bool) -> ObservedUser {
        ObservedUser {
            id: id.into(),
            last_name: "Dupont".into(),
            first_name: id.into(),
            email: format!("{id}@x.be"),
            email_key: format!("{id}@x.be"),
            nrn: None,
            admin,
            user_admin: false,
            dossiers: dossiers.iter().copied().collect(),
            other_dossiers: Vec::new(),
            structures: structures
                .iter()
                .map(|s| StructureId::from_portal(*s))
                .collect(),
            version: 1,
        }
    }

    fn observed(users: Vec<ObservedUser>) -> ObservedState {
        ObservedState {
            caller: Caller {
                id: "u-caller".into(),
                email: "caller@x.be".into(),
                admin: true,
                user_admin: false,
            },
            organisation: OrganisationInfo {
                id: "org".into(),
                name: "Org".into(),
            },
            dossiers: Dossier::ALL.into_iter().collect(),
            structures: Vec::new(),
            users,
        }
    }

    fn removal(user: &str, structure: &str, listed: &[&str]) -> Removal {
        Removal {
            user_id: user.into(),
            structure: StructureId::from_portal(structure),
            at: Location::file("retour.xlsx", 0).with_row(4),
            listed_dossiers: listed.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn allowed() -> PlanOptions {
        PlanOptions {
            allow_mass_change: true,
            ..PlanOptions::default()
        }
    }

    /// The review's own problems (a guard let past is said too, as a note).
    fn codes(p: &Plan) -> Vec<&'static str> {
        p.problems
            .iter()
            .map(|p| p.code())
            .filter(|c| c.starts_with("review-"))
            .collect()
    }

    #[test]
    fn a_removal_revokes_that_structure_only_while_the_access_is_as_listed() {
        let o = observed(vec![
            user("u-1", &[Dossier::Bilans], &["MA-1", "MA-2"], false),
            user("u-2", &[Dossier::Bilans], &["MA-1"], false),
            user(
                "u-3",
                &[Dossier::Bilans, Dossier::PreDemandes],
                &["MA-1"],
                false,
            ),
        ]);
        let p = review_plan(
            &[
                removal("u-1", "MA-1", &["bilans"]),
                // Listed with Bilans alone: their scoped dossiers changed since.
                removal("u-3", "MA-1", &["bilans"]),
                // No longer holds it.
                removal("u-2", "MA-2", &["bilans"]),
                removal("u-gone", "MA-1", &["bilans"]),
            ],
            &o,
            &allowed(),
        );
        let got: Vec<(Op, Option<&str>, Option<&str>)> = p
            .actions
            .iter()
            .map(|a| {
                (
                    a.op,
                    a.user_id.as_deref(),
                    a.structure.as_ref().map(|s| s.as_str()),
                )
            })
            .collect();
        assert_eq!(got, vec![(Op::RevokeStructure, Some("u-1"), Some("MA-1"))]);
        assert_eq!(p.mode, Mode::Review);
        assert_eq!(codes(&p), vec!["review-stale"; 3]);
        // u-1 keeps MA-2: their Bilans still applies somewhere.
        assert!(
            !p.problems
                .iter()
                .any(|x| x.code() == "scoped-without-structures")
        );
        let last = review_plan(&[removal("u-2", "MA-1", &["bilans"])], &o, &allowed());
        assert!(
            last.problems
                .iter()
                .any(|x| x.code() == "scoped-without-structures" && x.location.row == Some(4))
        );
    }

    #[test]
    fn the_caller_is_never_revoked_and_a_structure_left_to_administrateurs_is_orphaned() {
        let o = observed(vec![
            user("u-caller", &[Dossier::Bilans], &["MA-1"], true),
            user("u-1", &[Dossier::Bilans], &["MA-1"], false),
            user("u-admin", &[], &["MA-1"], true),
        ]);
        let p = review_plan(
            &[
                removal("u-caller", "MA-1", &["bilans", "pre-demandes"]),
                removal("u-1", "MA-1", &["bilans"]),
            ],
            &o,
            &allowed(),
        );
        assert_eq!(p.actions.len(), 1);
        assert_eq!(p.actions[0].user_id.as_deref(), Some("u-1"));
        assert_eq!(codes(&p), vec!["review-structure-orphaned"]);
    }
}
