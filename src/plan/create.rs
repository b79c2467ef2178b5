//! A person the portal does not know is created when the rows give last name, first name,
//! e-mail, NRN and consent yes (inputs.md); their grants wait on the creation. Without one of
//! them: an error, and nothing is done for that person.

use crate::model::{DossierSet, Field, Location, Problem, ProblemKind, StructureId, VecSet};

use super::draft::{Acc, Draft, Subject};
use super::scope::{Reach, scope_warnings};
use super::{NewUser, Op, PersonOutcome, PersonPlan};

pub(super) fn plan_new<'o>(
    s: &Subject<'o>,
    wanted_structures: VecSet<StructureId>,
    acc: &mut Acc<'o>,
) {
    let person = s.person;
    let (Some(e), Some(n), Some(last), Some(first)) = (
        &person.email,
        &person.nrn,
        &person.last_name,
        &person.first_name,
    ) else {
        let missing = missing_fields(s);
        // At the cell of the first field missing (the row alone if the sheet has no such column).
        let at = at_field(s, missing.first().copied());
        let kind = ProblemKind::CreateIncomplete {
            person: s.label(),
            missing,
        };
        acc.problems.push(Problem::error(at, kind));
        acc.people.push(s.skipped(None));
        return;
    };
    if !person.consent {
        let kind = ProblemKind::ConsentMissing { person: s.label() };
        let at = at_field(s, Some(Field::Consent));
        acc.problems.push(Problem::error(at, kind));
        acc.people.push(s.skipped(None));
        return;
    }
    let wanted_dossiers = person.access.dossiers;
    let mut d = Draft::new(e.as_str(), e.key(), None, s.sources.clone());
    d.new_user = Some(NewUser {
        last_name: last.clone(),
        first_name: first.clone(),
        email: e.as_str().to_owned(),
        nrn: n.clone(),
    });
    d.push(Op::CreateUser, None, None);
    for dossier in wanted_dossiers.iter() {
        d.push(Op::GrantDossier, Some(dossier), None);
    }
    for st in wanted_structures.iter() {
        d.push(Op::GrantStructure, None, Some(st.clone()));
    }
    let nothing = VecSet::new();
    let reach = Reach {
        admin: false,
        dossiers_now: DossierSet::new(),
        structures_now: &nothing,
        dossiers_after: wanted_dossiers,
        structures_after: &wanted_structures,
    };
    scope_warnings(s, &reach, &mut acc.problems);
    acc.people.push(PersonPlan {
        email: e.as_str().to_owned(),
        name: s.name(),
        user_id: None,
        outcome: PersonOutcome::Create,
        admin: false,
        dossiers_before: DossierSet::new(),
        dossiers_after: wanted_dossiers,
        structures_before: VecSet::new(),
        structures_after: wanted_structures,
        sources: s.sources.clone(),
    });
    acc.drafts.push(d);
}

/// The cell of `field` in the person's first row, or that row when its sheet has no such column.
fn at_field(s: &Subject<'_>, field: Option<Field>) -> Location {
    let column = s.person.all_rows().next().and_then(|r| {
        let c = r.columns;
        match field? {
            Field::LastName => c.last_name,
            Field::FirstName => c.first_name,
            Field::Email => c.email,
            Field::Nrn => c.nrn,
            Field::Consent => c.consent,
            _ => None,
        }
    });
    match column {
        Some(c) => s.at.with_column(c),
        None => s.at.clone(),
    }
}

/// The fields a creation needs that no row of the person gives, in the form's order.
fn missing_fields(s: &Subject<'_>) -> Vec<Field> {
    let p = s.person;
    [
        (p.last_name.is_none(), Field::LastName),
        (p.first_name.is_none(), Field::FirstName),
        (p.email.is_none(), Field::Email),
        (p.nrn.is_none(), Field::Nrn),
    ]
    .into_iter()
    .filter_map(|(missing, f)| missing.then_some(f))
    .collect()
}
