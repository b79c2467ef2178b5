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
    if person.rows.is_empty() && (!person.upcoming.is_empty() || !person.ended.is_empty()) {
        plan_dated_only(&s, observed, index, options, acc);
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

/// inputs.md "Dates": a person none of whose rows is in effect today. One whose rows all start
/// later is matched (no leaver) and nothing is done for them yet — an incomplete creation is a
/// warning until the first day; one with an ended row whose end still acts has their portal
/// access planned with nothing asked (the ends, and under `--prune` the rest); one whose ends
/// are all past the window is only noted. Never created.
fn plan_dated_only<'o>(
    s: &Subject<'o>,
    observed: &'o ObservedState,
    index: &Index<'o>,
    options: &PlanOptions,
    acc: &mut Acc<'o>,
) {
    let person = s.person;
    let acting = person
        .ended
        .iter()
        .any(|r| r.period.until.is_some_and(|u| options.dates.acts(u)));
    match identity::match_user(s, observed, index) {
        Match::Mismatch(problem, user) => {
            acc.problems.push(*problem);
            acc.people.push(s.skipped(user));
        }
        Match::New => {
            if person.only_upcoming() {
                let mut probe = Acc::default();
                create::plan_new(s, VecSet::new(), &mut probe);
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
        }
        Match::User(ui) => {
            acc.matched.push(ui);
            let user = &observed.users[ui];
            if acting {
                let caller = user.id == observed.caller.id;
                let asked = access::Asked {
                    structures: VecSet::new(),
                    prune: options.mode == super::Mode::Prune && !caller,
                    caller,
                    dates: &options.dates,
                };
                access::plan_user(s, user, asked, acc);
            } else {
                access::old_ends(person, &options.dates, &mut acc.problems);
                let mut p = s.skipped(Some(user));
                p.outcome = super::PersonOutcome::Unchanged;
                acc.people.push(p);
            }
        }
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
