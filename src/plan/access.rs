//! A person the portal knows: grant what the inputs give and the user does not hold (the
//! administrateur's Pré-demandes is implicit: no call), and with `--prune` revoke what the
//! inputs do not give — never for the caller, and never for a person with an invalid row (those
//! revocations are withheld, with a warning). In every mode, what an ended row gave and no row
//! in effect asks for is revoked during `[dates] end_window_days` (inputs.md "Dates"), marked
//! with the row's `until`.

use crate::model::{
    CalendarDate, Dossier, DossierSet, ObservedUser, Person, Problem, ProblemKind, StructureId,
    StructureRef, VecSet,
};

use super::draft::{Acc, Draft, Subject, full_name};
use super::identity::identity_warnings;
use super::scope::{Reach, scope_warnings};
use super::{DateOptions, Op, PersonOutcome, PersonPlan};

/// What a matched person is asked: the structures wanted, whether revocations are wanted
/// (`prune`: prune mode, and the user is not the caller), whether the user is the caller (an
/// end never touches their account), and the plan's day for the ends of dated rows.
pub(super) struct Asked<'a> {
    pub structures: VecSet<StructureId>,
    pub prune: bool,
    pub caller: bool,
    pub dates: &'a DateOptions,
}

/// The actions and before/after of a matched person.
pub(super) fn plan_user<'o>(
    s: &Subject<'o>,
    user: &'o ObservedUser,
    asked: Asked<'_>,
    acc: &mut Acc<'o>,
) {
    let Asked {
        structures: wanted_structures,
        prune,
        caller,
        dates,
    } = asked;
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
    let ends = Ends::of(s.person, wanted_dossiers, &wanted_structures, dates);
    old_ends(s.person, dates, &mut acc.problems);
    if prune || (!caller && !ends.is_empty()) {
        let mut revocable = Revocable::of(user, wanted_dossiers, &wanted_structures);
        if !prune {
            // Additive: only what ended rows gave.
            revocable.keep_only(&ends);
        }
        if s.person.has_invalid_row && !revocable.is_empty() {
            let kind = ProblemKind::PruneWithheld {
                email: user.email.clone(),
                dossiers: revocable.dossiers.len(),
                structures: revocable.structures.len(),
            };
            acc.problems.push(Problem::warning(s.at.clone(), kind));
        } else {
            revocable.revoke(&mut d, &mut dossiers_after, &mut structures_after, &ends);
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

    /// Only the items an ended row gave.
    fn keep_only(&mut self, ends: &Ends) {
        self.dossiers.retain(|x| ends.dossier(*x).is_some());
        self.structures.retain(|x| ends.structure(x).is_some());
    }

    /// The revocations, each marked with the `until` of the row whose end it is, if any.
    fn revoke(
        self,
        d: &mut Draft<'_>,
        dossiers_after: &mut DossierSet,
        structures_after: &mut VecSet<StructureId>,
        ends: &Ends,
    ) {
        for x in self.dossiers {
            match ends.dossier(x) {
                Some(until) => d.push_ended(Op::RevokeDossier, Some(x), None, until),
                None => d.push(Op::RevokeDossier, Some(x), None),
            }
            dossiers_after.remove(x);
        }
        for x in self.structures {
            *structures_after = structures_after
                .iter()
                .filter(|s| **s != x)
                .cloned()
                .collect();
            match ends.structure(&x) {
                Some(until) => d.push_ended(Op::RevokeStructure, None, Some(x), until),
                None => d.push(Op::RevokeStructure, None, Some(x)),
            }
        }
    }
}

/// What the person's ended rows gave that no row in effect asks for, each with the latest
/// `until` of the rows that gave it; only rows whose end still acts on the plan's day.
struct Ends {
    dossiers: Vec<(Dossier, CalendarDate)>,
    structures: Vec<(StructureId, CalendarDate)>,
}

impl Ends {
    fn of(
        person: &Person,
        wanted_dossiers: DossierSet,
        wanted_structures: &VecSet<StructureId>,
        dates: &DateOptions,
    ) -> Ends {
        let mut ends = Ends {
            dossiers: Vec::new(),
            structures: Vec::new(),
        };
        for row in &person.ended {
            let Some(until) = row.period.until.filter(|u| dates.acts(*u)) else {
                continue;
            };
            for x in row.access.dossiers.iter() {
                if !wanted_dossiers.contains(x) {
                    keep_latest(&mut ends.dossiers, x, until);
                }
            }
            for r in row.access.structures.iter() {
                if let StructureRef::Id(id) = r
                    && !wanted_structures.contains(id)
                {
                    keep_latest(&mut ends.structures, id.clone(), until);
                }
            }
        }
        ends
    }

    fn is_empty(&self) -> bool {
        self.dossiers.is_empty() && self.structures.is_empty()
    }

    fn dossier(&self, x: Dossier) -> Option<CalendarDate> {
        self.dossiers.iter().find(|(d, _)| *d == x).map(|(_, u)| *u)
    }

    fn structure(&self, x: &StructureId) -> Option<CalendarDate> {
        self.structures
            .iter()
            .find(|(s, _)| s == x)
            .map(|(_, u)| *u)
    }
}

/// `access-ended` (a note) for each ended row past the window: it ends nothing any more.
pub(super) fn old_ends(person: &Person, dates: &DateOptions, problems: &mut Vec<Problem>) {
    let Some(today) = dates.today else {
        return;
    };
    for row in &person.ended {
        if let Some(until) = row.period.until.filter(|u| !dates.acts(*u) && *u < today) {
            let at = match row.columns.until {
                Some(c) => row.source.with_column(c),
                None => row.source.clone(),
            };
            let kind = ProblemKind::AccessEnded {
                until: until.day_first(),
                days: dates.end_window_days,
            };
            problems.push(Problem::note(at, kind));
        }
    }
}

fn keep_latest<T: PartialEq>(v: &mut Vec<(T, CalendarDate)>, item: T, until: CalendarDate) {
    match v.iter_mut().find(|(x, _)| *x == item) {
        Some((_, u)) => *u = (*u).max(until),
        None => v.push((item, until)),
    }
}
