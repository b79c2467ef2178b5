//! cli.md's authoritative scope: the inputs are the whole staff list, so under `--prune` every
//! portal user no row names — valid row or invalid, by NRN, by e-mail or by full name — loses
//! every explicit dossier and structure, except the caller, users with a profile in
//! `keep_profiles` and users in `keep`. A row names every user any of its identifiers points
//! to, whatever else is wrong with it: a row with A's e-mail and B's NRN protects both A and B,
//! matched or not. Names protect, never act. An input file that gave no person, or one with a
//! damaged cell (a zeroed block may have swallowed the rows of people), withholds every leaver
//! revocation (`scope-incomplete`): a truncated export must not look like a company that lost
//! its staff.

use std::collections::HashSet;
use std::sync::Arc;

use crate::model::{
    DesiredState, IdentityKey, ObservedState, ObservedUser, Problem, ProblemKind, name_key,
};

use super::draft::{Draft, full_name};
use super::{Op, PersonOutcome, PersonPlan, Scope};

/// What the scope adds to a plan.
#[derive(Default)]
pub(super) struct Leavers<'a> {
    pub drafts: Vec<Draft<'a>>,
    pub people: Vec<PersonPlan>,
    pub problems: Vec<Problem>,
    /// Grants every user in scope holds: the revocation guard's denominator.
    pub managed_grants: usize,
}

/// Whether `u` is in scope: not the caller, not kept by profile or by name.
fn in_scope(u: &ObservedUser, observed: &ObservedState, scope: &Scope) -> bool {
    u.id != observed.caller.id
        && !scope.keep_profiles.iter().any(|p| u.has_profile(*p))
        && !scope
            .keep
            .iter()
            .any(|k| k == &u.id || k.eq_ignore_ascii_case(&u.email))
}

/// Every identity a row of the inputs gives: the NRN digits and the lower-case e-mail of each
/// person (valid rows, whether or not the plan could match them: a row whose NRN is B's and
/// whose e-mail is A's is an `identity-mismatch` and names both), and those of invalid rows.
struct RowIdentities<'d> {
    nrns: HashSet<&'d str>,
    emails: HashSet<&'d str>,
}

impl<'d> RowIdentities<'d> {
    fn of(desired: &'d DesiredState) -> RowIdentities<'d> {
        let mut ids = RowIdentities {
            nrns: HashSet::with_capacity(desired.people.len() + desired.withheld.len()),
            emails: HashSet::with_capacity(desired.people.len() + desired.withheld.len()),
        };
        for p in &desired.people {
            ids.nrns.extend(p.nrn.as_ref().map(|n| n.expose()));
            ids.emails.extend(p.email.as_ref().map(|e| e.key()));
        }
        for k in &desired.withheld {
            match k {
                IdentityKey::Nrn(n) => ids.nrns.insert(n.expose()),
                IdentityKey::Email(e) => ids.emails.insert(e.as_str()),
            };
        }
        ids
    }

    fn name(&self, u: &ObservedUser) -> bool {
        u.nrn
            .as_ref()
            .is_some_and(|n| self.nrns.contains(n.expose()))
            || self.emails.contains(u.email_key.as_str())
    }
}

/// Whether a row of the inputs names `u` other than as a matched person: by an NRN or e-mail of
/// any row (an invalid row, or a valid one the plan could not match to `u`), or by name.
fn protected(u: &ObservedUser, rows: &RowIdentities<'_>, desired: &DesiredState) -> bool {
    let by_identity = rows.name(u);
    // Both orders: a sheet with the two name columns swapped still protects.
    let by_name = [
        name_key(&u.last_name, &u.first_name),
        name_key(&u.first_name, &u.last_name),
    ]
    .into_iter()
    .flatten()
    .any(|k| desired.names.contains(&k));
    by_identity || by_name
}

/// The leavers of an authoritative, pruning plan and their revocations.
pub(super) fn leavers<'o>(
    desired: &DesiredState,
    observed: &'o ObservedState,
    matched: &[usize],
    scope: &Scope,
) -> Leavers<'o> {
    let matched: HashSet<usize> = matched.iter().copied().collect();
    let rows = RowIdentities::of(desired);
    let mut out = Leavers::default();
    let mut found = Vec::new();
    for (i, u) in observed.users.iter().enumerate() {
        if !in_scope(u, observed, scope) {
            continue;
        }
        out.managed_grants += u.dossiers.len() + u.structures.len();
        let holds_something = !(u.dossiers.is_empty() && u.structures.is_empty());
        if !holds_something || matched.contains(&i) {
            continue;
        }
        if protected(u, &rows, desired) {
            // Named by a row that could not act for them, or by name: not a leaver, said so.
            out.problems.push(Problem::warning(
                super::plan_location(),
                ProblemKind::PruneWithheld {
                    email: u.email.clone(),
                    dossiers: u.dossiers.len(),
                    structures: u.structures.len(),
                },
            ));
        } else {
            found.push(u);
        }
    }
    if !(desired.files_without_people.is_empty() && desired.damaged_files.is_empty()) {
        let leavers = found.len();
        for at in &desired.files_without_people {
            let kind = ProblemKind::ScopeIncomplete { leavers };
            out.problems.push(Problem::error(at.clone(), kind));
        }
        for at in &desired.damaged_files {
            let kind = ProblemKind::ScopeDamaged { leavers };
            out.problems.push(Problem::error(at.clone(), kind));
        }
        return out;
    }
    for u in found {
        let mut d = Draft::new(&u.email, &u.email_key, Some(&u.id), Arc::from([]));
        for dossier in u.dossiers.iter() {
            d.push(Op::RevokeDossier, Some(dossier), None);
        }
        for s in u.structures.iter() {
            d.push(Op::RevokeStructure, None, Some(s.clone()));
        }
        d.ops.sort();
        out.drafts.push(d);
        out.people.push(PersonPlan {
            email: u.email.clone(),
            name: full_name(&u.last_name, &u.first_name),
            user_id: Some(u.id.clone()),
            outcome: PersonOutcome::Update,
            admin: u.admin,
            dossiers_before: u.dossiers,
            dossiers_after: Default::default(),
            structures_before: u.structures.clone(),
            structures_after: Default::default(),
            sources: Arc::from([]),
        });
    }
    out
}
