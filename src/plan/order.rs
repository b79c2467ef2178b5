//! The pass over the people and the plan's deterministic order. People are independent of one
//! another: above a few thousand they are planned in two halves on two threads, each half
//! sorting its own drafts, people and problems so that the sorts after the join only merge two
//! runs. Actions are sorted by person (e-mail, then user id), then operation, then item, and
//! numbered from 1 in that order — never by input row order.

use crate::model::{DesiredState, ObservedState, ScopeMode};

use super::draft::{Acc, Draft};
use super::identity::{Index, unlisted};
use super::person::plan_person;
use super::{Action, Op, PersonOutcome, PersonPlan, Plan, PlanOptions, Summary, guards};

/// `plan` with the people split in `parts` chunks, each on its own thread.
pub(super) fn plan_in(
    desired: &DesiredState,
    observed: &ObservedState,
    options: &PlanOptions,
    parts: usize,
) -> Plan {
    let index = Index::new(&observed.users);
    let Acc {
        mut problems,
        mut drafts,
        mut people,
        matched,
        implicit,
        managed_grants,
    } = pass(desired, observed, &index, options, parts);
    let (leavers, managed_grants) =
        if options.mode == super::Mode::Prune && options.scope.mode == ScopeMode::Authoritative {
            let found = super::leavers::leavers(desired, observed, &matched, &options.scope);
            problems.extend(found.problems);
            drafts.extend(found.drafts);
            (found.people, found.managed_grants)
        } else {
            (Vec::new(), managed_grants)
        };
    drafts.sort_by(draft_order);
    people.sort_by(person_order);
    let actions = number_actions(&drafts, parts);
    let mut summary = summarise(&actions, &people, implicit);
    let (guard_problems, tripped) = guards::check(&summary, managed_grants, options);
    problems.extend(guard_problems);
    if options.on_trip == super::OnTrip::Hold {
        summary.held = actions.iter().filter(|a| tripped.holds(a)).count();
    }
    let (upcoming, ending) = super::dates::dated_rows(desired, &options.dates);
    crate::model::sort_problems(&mut problems);
    summary.warnings = problems
        .iter()
        .filter(|p| p.severity == crate::model::Severity::Warning)
        .count();
    Plan {
        mode: options.mode,
        actions,
        problems,
        people,
        unlisted: unlisted(observed, &matched),
        summary,
        guard_tripped: tripped.any(),
        tripped,
        on_trip: options.on_trip,
        scope: options.scope.mode,
        leaver_ids: leavers.iter().filter_map(|l| l.user_id.clone()).collect(),
        leavers,
        upcoming,
        ending,
    }
}

/// Every person planned, `parts` chunks on as many threads, merged in input order.
fn pass<'o>(
    desired: &'o DesiredState,
    observed: &'o ObservedState,
    index: &Index<'o>,
    options: &PlanOptions,
    parts: usize,
) -> Acc<'o> {
    let chunk = desired.people.len().div_ceil(parts.max(1)).max(1);
    let mut acc = Acc::default();
    std::thread::scope(|scope| {
        let handles: Vec<_> = desired
            .people
            .chunks(chunk)
            .map(|people| {
                scope.spawn(move || {
                    let mut acc = Acc::with_capacity(people.len());
                    for person in people {
                        plan_person(person, observed, index, options, &mut acc);
                    }
                    // Each part sorted here: the sorts after the merge only join sorted runs.
                    acc.drafts.sort_by(draft_order);
                    for d in &mut acc.drafts {
                        d.ops.sort();
                    }
                    acc.people.sort_by(person_order);
                    crate::model::sort_problems(&mut acc.problems);
                    acc
                })
            })
            .collect();
        for h in handles {
            match h.join() {
                Ok(part) => acc.merge(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    acc
}

/// The counts of the plan (`warnings` is set once the guards have spoken).
fn summarise(actions: &[Action], people: &[PersonPlan], implicit: usize) -> Summary {
    let count = |op: Op| actions.iter().filter(|a| a.op == op).count();
    Summary {
        held: 0,
        create_user: count(Op::CreateUser),
        grant_dossier: count(Op::GrantDossier),
        grant_structure: count(Op::GrantStructure),
        revoke_dossier: count(Op::RevokeDossier),
        revoke_structure: count(Op::RevokeStructure),
        implicit,
        unchanged_people: people
            .iter()
            .filter(|p| p.outcome == PersonOutcome::Unchanged)
            .count(),
        invalid_rows: 0,
        warnings: 0,
    }
}

fn draft_order(a: &Draft<'_>, b: &Draft<'_>) -> std::cmp::Ordering {
    a.key.cmp(b.key).then_with(|| a.user_id.cmp(&b.user_id))
}

/// By e-mail, case-insensitively, without a lower-cased copy per person.
fn person_order(a: &PersonPlan, b: &PersonPlan) -> std::cmp::Ordering {
    a.email
        .bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.email.bytes().map(|c| c.to_ascii_lowercase()))
}

/// The actions of `drafts`, the first of each numbered as `first` says.
fn build_actions(drafts: &[Draft<'_>], first: &[u32]) -> Vec<Action> {
    let mut actions = Vec::with_capacity(drafts.iter().map(|d| d.ops.len()).sum());
    for (d, start) in drafts.iter().zip(first) {
        let mut create_id = None;
        for (k, (op, dossier, structure, ended)) in d.ops.iter().enumerate() {
            let id = start + k as u32;
            if *op == Op::CreateUser {
                create_id = Some(id);
            }
            actions.push(Action {
                id,
                op: *op,
                email: d.email.clone(),
                user_id: d.user_id.clone(),
                dossier: *dossier,
                structure: structure.clone(),
                depends_on: match (op, create_id) {
                    (Op::CreateUser, _) | (_, None) => Vec::new(),
                    (_, Some(c)) => vec![c],
                },
                sources: d.sources.clone(),
                new_user: if *op == Op::CreateUser {
                    d.new_user.clone()
                } else {
                    None
                },
                ended: *ended,
            });
        }
    }
    actions
}

/// The actions of sorted drafts (ops sorted too), numbered from 1 in that order; built in
/// `parts` slices on as many threads, each knowing its first id.
fn number_actions(drafts: &[Draft<'_>], parts: usize) -> Vec<Action> {
    let mut first = Vec::with_capacity(drafts.len());
    let mut next = 1u32;
    for d in drafts {
        first.push(next);
        next += d.ops.len() as u32;
    }
    if parts < 2 || drafts.len() < 2 {
        return build_actions(drafts, &first);
    }
    let mid = drafts.len() / 2;
    std::thread::scope(|scope| {
        let right = scope.spawn(|| build_actions(&drafts[mid..], &first[mid..]));
        let mut actions = build_actions(&drafts[..mid], &first[..mid]);
        match right.join() {
            Ok(rest) => actions.extend(rest),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        actions
    })
}
