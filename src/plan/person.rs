//! One person of the inputs, start to end: their structures must be resolved, then they are
//! matched (`identity`) and either planned as a portal user (`access`) or as a new one
//! (`create`).

use crate::model::{
    ObservedState, Person, Problem, ProblemKind, StructureId, StructureRef, VecSet,
};

use super::draft::{Acc, Subject};
use super::identity::{self, Index, Match};
use super::{PlanOptions, access, create};

/// One person of the inputs against the portal: their problems, actions and before/after.
pub(super) fn plan_person<'o>(
    person: &'o Person,
    observed: &'o ObservedState,
    index: &Index<'o>,
    options: &PlanOptions,
    acc: &mut Acc<'o>,
) {
    let s = Subject::new(person);
    let Some(wanted_structures) = resolved_structures(&s, &mut acc.problems) else {
        acc.people.push(s.skipped(None));
        return;
    };
    // inputs.md "Dates": only the rows in effect today ask for anything. A person whose rows
    // all start later is matched (no leaver) and nothing is done for them yet; one whose rows
    // have all ended is never created (their portal access is planned with nothing asked).
    if person.only_upcoming() || (person.rows.is_empty() && !person.ended.is_empty()) {
        let found = identity::match_user(&s, observed, index);
        if let (Match::New, true) = (&found, person.only_upcoming()) {
            // inputs.md: an upcoming row's missing consent or creation field is a warning
            // until its first day (an error from that day, when the creation is asked).
            let mut probe = Acc::default();
            create::plan_new(&s, VecSet::new(), &mut probe);
            acc.problems.extend(
                probe
                    .problems
                    .into_iter()
                    .filter(|p| p.severity == crate::model::Severity::Error)
                    .map(|mut p| {
                        p.severity = crate::model::Severity::Warning;
                        p
                    }),
            );
        }
        if let Match::User(ui) = found {
            acc.matched.push(ui);
            let user = &observed.users[ui];
            if person.only_upcoming() {
                let mut p = s.skipped(Some(user));
                p.outcome = super::PersonOutcome::Unchanged;
                acc.people.push(p);
            } else {
                let caller = user.id == observed.caller.id;
                let asked = access::Asked {
                    structures: VecSet::new(),
                    prune: options.mode == super::Mode::Prune && !caller,
                    caller,
                    dates: &options.dates,
                };
                access::plan_user(&s, user, asked, acc);
            }
        }
        return;
    }
    match identity::match_user(&s, observed, index) {
        Match::Mismatch(problem, user) => {
            acc.problems.push(*problem);
            acc.people.push(s.skipped(user));
        }
        Match::User(ui) => {
            acc.matched.push(ui);
            let user = &observed.users[ui];
            let caller = user.id == observed.caller.id;
            let asked = access::Asked {
                structures: wanted_structures,
                prune: options.mode == super::Mode::Prune && !caller,
                caller,
                dates: &options.dates,
            };
            access::plan_user(&s, user, asked, acc);
        }
        Match::New => create::plan_new(&s, wanted_structures, acc),
    }
}

/// The person's structures as ids (check and plan resolve names against the portal first); an
/// error, and `None`, if any is still a name.
fn resolved_structures(
    s: &Subject<'_>,
    problems: &mut Vec<Problem>,
) -> Option<VecSet<StructureId>> {
    let mut wanted = VecSet::new();
    let mut unresolved = Vec::new();
    for r in s.person.access.structures.iter() {
        match r {
            StructureRef::Id(id) => {
                wanted.insert(id.clone());
            }
            other => unresolved.push(other.to_string()),
        }
    }
    if unresolved.is_empty() {
        return Some(wanted);
    }
    let kind = ProblemKind::StructuresUnresolved { refs: unresolved };
    problems.push(Problem::error(s.at.clone(), kind));
    None
}
