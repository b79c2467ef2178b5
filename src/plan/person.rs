//! One person of the inputs, start to end: their structures must be resolved, then they are
//! matched (`identity`) and either planned as a portal user (`access`) or as a new one
//! (`create`). What the pass gathers for a chunk of people is an `Acc`.

use std::sync::Arc;

use crate::model::{
    Location, ObservedState, ObservedUser, Person, Problem, ProblemKind, StructureId, StructureRef,
    VecSet,
};

use super::identity::{self, Index, Match, first_row, full_name};
use super::order::Draft;
use super::{PersonOutcome, PersonPlan, PlanOptions, access, create};

/// What the per-person pass gathers; chunks of people fill one each, merged in input order.
#[derive(Default)]
pub(super) struct Acc<'a> {
    pub problems: Vec<Problem>,
    pub drafts: Vec<Draft<'a>>,
    pub people: Vec<PersonPlan>,
    /// Positions of the portal users some person was matched to.
    pub matched: Vec<usize>,
    /// Administrateurs' Pré-demandes asked for and already held implicitly.
    pub implicit: usize,
    /// Grants held by the matched users (the revocation guard's denominator).
    pub managed_grants: usize,
}

impl<'a> Acc<'a> {
    /// Sized once: PersonPlan and Draft are large, and growing means copying.
    pub fn with_capacity(people: usize) -> Acc<'a> {
        Acc {
            problems: Vec::with_capacity(people),
            drafts: Vec::with_capacity(people),
            people: Vec::with_capacity(people),
            matched: Vec::with_capacity(people),
            ..Acc::default()
        }
    }

    pub fn merge(&mut self, other: Acc<'a>) {
        self.problems.extend(other.problems);
        self.drafts.extend(other.drafts);
        self.people.extend(other.people);
        self.matched.extend(other.matched);
        self.implicit += other.implicit;
        self.managed_grants += other.managed_grants;
    }
}

/// The person being planned, with what every rule asks of them: where their problems go and
/// the rows their actions cite.
pub(super) struct Subject<'o> {
    pub person: &'o Person,
    /// The rows that ask for access (`file:sheet:row`), shared by the person's actions.
    pub sources: Arc<[Location]>,
    /// The first row: where problems about the person are located.
    pub at: Location,
}

impl<'o> Subject<'o> {
    fn new(person: &'o Person) -> Subject<'o> {
        Subject {
            person,
            sources: person.sources().map(Location::row_only).collect(),
            at: first_row(person),
        }
    }

    // Only what a message or a skipped person needs: computed when needed.
    pub fn email(&self) -> Option<String> {
        self.person.email.as_ref().map(|e| e.as_str().to_owned())
    }

    pub fn label(&self) -> String {
        self.person.label()
    }

    pub fn name(&self) -> String {
        full_name(
            self.person.last_name.as_deref().unwrap_or(""),
            self.person.first_name.as_deref().unwrap_or(""),
        )
    }

    /// Nothing is done for this person (an error-level problem): as they are, or as nobody.
    pub fn skipped(&self, user: Option<&ObservedUser>) -> PersonPlan {
        PersonPlan {
            email: self.email().unwrap_or_else(|| self.label()),
            name: self.name(),
            user_id: user.map(|u| u.id.clone()),
            outcome: PersonOutcome::Skipped,
            admin: user.is_some_and(|u| u.admin),
            dossiers_before: user.map(|u| u.dossiers).unwrap_or_default(),
            dossiers_after: user.map(|u| u.dossiers).unwrap_or_default(),
            structures_before: user.map(|u| u.structures.clone()).unwrap_or_default(),
            structures_after: user.map(|u| u.structures.clone()).unwrap_or_default(),
            sources: self.sources.clone(),
        }
    }
}

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
        if let Match::User(ui) = identity::match_user(&s, observed, index) {
            acc.matched.push(ui);
            let user = &observed.users[ui];
            if person.only_upcoming() {
                let mut p = s.skipped(Some(user));
                p.outcome = super::PersonOutcome::Unchanged;
                acc.people.push(p);
            } else {
                let prune = options.mode == super::Mode::Prune && user.id != observed.caller.id;
                access::plan_user(&s, user, VecSet::new(), prune, acc);
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
            let prune = options.mode == super::Mode::Prune && user.id != observed.caller.id;
            access::plan_user(&s, user, wanted_structures, prune, acc);
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
