//! inputs.md: one structure set per user, so every scoped dossier applies to every structure.
//! Pairs the person will hold that they do not hold now and no row asked for are "wider than
//! asked" (one warning per person, at their first row); after the plan, a scoped dossier without
//! structures, or structures without a scoped dossier, give access to nothing.

use crate::model::{
    Dossier, DossierSet, Location, Person, Problem, ProblemKind, StructureId, StructureRef, VecSet,
};

use super::draft::Subject;

/// One person's access before and after the plan.
pub(super) struct Reach<'a> {
    pub admin: bool,
    pub dossiers_now: DossierSet,
    pub structures_now: &'a VecSet<StructureId>,
    pub dossiers_after: DossierSet,
    pub structures_after: &'a VecSet<StructureId>,
}

/// The scoped dossiers of `d`, with the administrateur's implicit ones when `admin`.
fn scoped(d: DossierSet, admin: bool) -> DossierSet {
    let mut v: DossierSet = d.iter().filter(|x| x.scoped()).collect();
    if admin {
        for x in Dossier::ADMINISTRATEUR_IMPLICIT {
            v.insert(x);
        }
    }
    v
}

pub(super) fn scope_warnings(s: &Subject<'_>, reach: &Reach<'_>, problems: &mut Vec<Problem>) {
    let wider = wider_than_asked(s.person, reach);
    if !wider.is_empty() {
        // Located at the first row; the others are named when there are others.
        let rows = if s.person.rows.len() > 1 {
            s.person.sources().map(Location::row_only).collect()
        } else {
            Vec::new()
        };
        let kind = ProblemKind::WiderThanAsked { pairs: wider, rows };
        problems.push(Problem::warning(s.at.clone(), kind));
    }
    let scoped_after = scoped(reach.dossiers_after, reach.admin);
    // The administrateur's Pré-demandes covers every structure: it needs none of theirs.
    let mut needs_structures = scoped(reach.dossiers_after, false);
    if reach.admin {
        for x in Dossier::ADMINISTRATEUR_IMPLICIT {
            needs_structures.remove(x);
        }
    }
    if !needs_structures.is_empty() && reach.structures_after.is_empty() {
        let kind = ProblemKind::ScopedWithoutStructures {
            dossiers: needs_structures.iter().collect(),
        };
        problems.push(Problem::warning(s.at.clone(), kind));
    }
    if scoped_after.is_empty() && !reach.structures_after.is_empty() {
        problems.push(Problem::warning(
            s.at.clone(),
            ProblemKind::StructuresWithoutScoped,
        ));
    }
}

/// For each scoped dossier after the plan, the structures it will reach that the person does
/// not reach with it now and that no row asked for with it.
fn wider_than_asked(person: &Person, reach: &Reach<'_>) -> Vec<(Dossier, Vec<StructureId>)> {
    // A person holds a handful of dossiers and structures: plain vectors beat sets here.
    let scoped_now = scoped(reach.dossiers_now, false);
    let held_now =
        |d: Dossier, s: &StructureId| scoped_now.contains(d) && reach.structures_now.contains(s);
    // A row asks for each of its scoped dossiers on each of its structures (a person has a row
    // or two: looked up in place, nothing collected).
    let asked = |d: Dossier, s: &StructureId| {
        person.rows.iter().any(|row| {
            row.access.dossiers.contains(d)
                && row
                    .access
                    .structures
                    .iter()
                    .any(|x| matches!(x, StructureRef::Id(id) if id == s))
        })
    };
    let mut wider = Vec::new();
    for d in scoped(reach.dossiers_after, false).iter() {
        // The administrateur already has Pré-demandes on every structure.
        if reach.admin && d.implicit_for_administrateur() {
            continue;
        }
        let extra: Vec<StructureId> = reach
            .structures_after
            .iter()
            .filter(|s| !held_now(d, s) && !asked(d, s))
            .cloned()
            .collect();
        if !extra.is_empty() {
            wider.push((d, extra));
        }
    }
    wider
}
