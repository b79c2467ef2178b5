//! A person the portal knows: grant what the inputs give and the user does not hold (the
//! administrateur's Pré-demandes is implicit: no call), and with `--prune` revoke what the
//! inputs do not give — never for the caller, and never for a person with an invalid row (those
//! revocations are withheld, with a warning).

use crate::model::{Dossier, DossierSet, ObservedUser, Problem, ProblemKind, StructureId, VecSet};

use super::draft::{Acc, Draft, Subject, full_name};
use super::identity::identity_warnings;
use super::scope::{Reach, scope_warnings};
use super::{Op, PersonOutcome, PersonPlan};

/// The actions and before/after of a matched person. `prune`: revocations are wanted (prune
/// mode, and the user is not the caller).
pub(super) fn plan_user<'o>(
    s: &Subject<'o>,
    user: &'o ObservedUser,
    wanted_structures: VecSet<StructureId>,
    prune: bool,
    acc: &mut Acc<'o>,
) {
    acc.managed_grants += user.dossiers.len() + user.structures.len();
    identity_warnings(s, user, &mut acc.problems);
    let mut d = Draft::new(
        &user.email,
        &user.email_key,
        Some(&user.id),
        s.sources.clone(),
    );
    let wanted_dossiers = s.person.access.dossiers;
    let (mut dossiers_after, mut structures_after) = grants(
        user,
        wanted_dossiers,
        &wanted_structures,
        &mut d,
        &mut acc.implicit,
    );
    if prune {
        let revocable = Revocable::of(user, wanted_dossiers, &wanted_structures);
        if s.person.has_invalid_row && !revocable.is_empty() {
            let kind = ProblemKind::PruneWithheld {
                email: user.email.clone(),
                dossiers: revocable.dossiers.len(),
                structures: revocable.structures.len(),
            };
            acc.problems.push(Problem::warning(s.at.clone(), kind));
        } else {
            revocable.revoke(&mut d, &mut dossiers_after, &mut structures_after);
        }
    }
    let reach = Reach {
        admin: user.admin,
        dossiers_now: user.dossiers,
        structures_now: &user.structures,
        dossiers_after,
        structures_after: &structures_after,
    };
    scope_warnings(s, &reach, &mut acc.problems);
    acc.people.push(PersonPlan {
        email: user.email.clone(),
        name: full_name(&user.last_name, &user.first_name),
        user_id: Some(user.id.clone()),
        outcome: if d.ops.is_empty() {
            PersonOutcome::Unchanged
        } else {
            PersonOutcome::Update
        },
        admin: user.admin,
        dossiers_before: user.dossiers,
        dossiers_after,
        structures_before: user.structures.clone(),
        structures_after,
        sources: s.sources.clone(),
    });
    acc.drafts.push(d);
}

/// Grants of what is wanted and not held; returns the dossiers and structures after them.
fn grants(
    user: &ObservedUser,
    wanted_dossiers: DossierSet,
    wanted_structures: &VecSet<StructureId>,
    d: &mut Draft<'_>,
    implicit: &mut usize,
) -> (DossierSet, VecSet<StructureId>) {
    let mut dossiers_after = user.dossiers;
    for dossier in wanted_dossiers.iter() {
        if user.dossiers.contains(dossier) {
            continue;
        }
        // The administrateur already has Pré-demandes everywhere.
        if user.admin && dossier.implicit_for_administrateur() {
            *implicit += 1;
            continue;
        }
        d.push(Op::GrantDossier, Some(dossier), None);
        dossiers_after.insert(dossier);
    }
    let mut structures_after = user.structures.clone();
    for s in wanted_structures.iter() {
        if !user.structures.contains(s) {
            d.push(Op::GrantStructure, None, Some(s.clone()));
            structures_after.insert(s.clone());
        }
    }
    (dossiers_after, structures_after)
}

/// What the user holds explicitly and the inputs do not give.
struct Revocable {
    dossiers: Vec<Dossier>,
    structures: Vec<StructureId>,
}

impl Revocable {
    fn of(
        user: &ObservedUser,
        wanted_dossiers: DossierSet,
        wanted_structures: &VecSet<StructureId>,
    ) -> Revocable {
        Revocable {
            dossiers: user
                .dossiers
                .iter()
                .filter(|x| !wanted_dossiers.contains(*x))
                .collect(),
            structures: user
                .structures
                .iter()
                .filter(|x| !wanted_structures.contains(x))
                .cloned()
                .collect(),
        }
    }

    fn is_empty(&self) -> bool {
        self.dossiers.is_empty() && self.structures.is_empty()
    }

    fn revoke(
        self,
        d: &mut Draft<'_>,
        dossiers_after: &mut DossierSet,
        structures_after: &mut VecSet<StructureId>,
    ) {
        for x in self.dossiers {
            d.push(Op::RevokeDossier, Some(x), None);
            dossiers_after.remove(x);
        }
        for x in self.structures {
            *structures_after = structures_after
                .iter()
                .filter(|s| **s != x)
                .cloned()
                .collect();
            d.push(Op::RevokeStructure, None, Some(x));
        }
    }
}
