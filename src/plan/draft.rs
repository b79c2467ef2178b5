//! The types every rule of the plan shares, and nothing else: a person being planned
//! (`Subject`), the actions of one person before they get ids (`Draft`) and what the pass over
//! a chunk of people gathers (`Acc`), with the two small helpers they are built with
//! (`full_name`, `first_row`). A leaf: it imports `model` and the plan's own types only, so
//! the rule files import it without importing one another.

use std::sync::Arc;

use crate::model::{CalendarDate, Dossier, Location, ObservedUser, Person, Problem, StructureId};

use super::{NewUser, Op, PersonOutcome, PersonPlan};

/// An op with its dossier or structure and, for the end of a dated row, that row's `until`.
pub(super) type DraftOp = (
    Op,
    Option<Dossier>,
    Option<StructureId>,
    Option<CalendarDate>,
);

/// The actions of one person before they get ids.
pub(super) struct Draft<'a> {
    /// The lower-case e-mail, borrowed from the portal user or the person.
    pub key: &'a str,
    pub email: Arc<str>,
    pub user_id: Option<Arc<str>>,
    pub sources: Arc<[Location]>,
    pub new_user: Option<NewUser>,
    pub ops: Vec<DraftOp>,
}

impl<'a> Draft<'a> {
    pub fn new(email: &str, key: &'a str, user_id: Option<&str>, sources: Arc<[Location]>) -> Self {
        Draft {
            key,
            email: Arc::from(email),
            user_id: user_id.map(Arc::from),
            sources,
            new_user: None,
            ops: Vec::with_capacity(4),
        }
    }

    pub fn push(&mut self, op: Op, dossier: Option<Dossier>, structure: Option<StructureId>) {
        self.ops.push((op, dossier, structure, None));
    }

    /// A revocation because a row ended on `until`.
    pub fn push_ended(
        &mut self,
        op: Op,
        dossier: Option<Dossier>,
        structure: Option<StructureId>,
        until: CalendarDate,
    ) {
        self.ops.push((op, dossier, structure, Some(until)));
    }
}

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
    pub fn new(person: &'o Person) -> Subject<'o> {
        Subject {
            person,
            // The rows in effect; an ended row too, whose end a revocation is.
            sources: person
                .sources()
                .chain(person.ended.iter().map(|r| &r.source))
                .map(Location::row_only)
                .collect(),
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

/// `Last First` (either may be empty), in one allocation: 100,000 of them in a large plan.
pub(super) fn full_name(last: &str, first: &str) -> String {
    let (last, first) = (last.trim(), first.trim());
    let mut s = String::with_capacity(last.len() + 1 + first.len());
    s.push_str(last);
    if !last.is_empty() && !first.is_empty() {
        s.push(' ');
    }
    s.push_str(first);
    s
}

/// The person's first row, where problems about the person are located.
pub(super) fn first_row(person: &Person) -> Location {
    person
        .all_rows()
        .next()
        .map(|r| r.source.row_only())
        .unwrap_or_else(super::plan_location)
}

#[cfg(test)]
mod tests {
    use super::full_name;

    /// One space between the two names, none when either is missing (a mutant that put a
    /// space whenever one is there survived the plan's tests).
    #[test]
    fn a_full_name_has_a_space_only_between_two_names() {
        assert_eq!(full_name(" Dupont ", "Marie"), "Dupont Marie");
        assert_eq!(full_name("Dupont", ""), "Dupont");
        assert_eq!(full_name("", " Marie"), "Marie");
        assert_eq!(full_name("", ""), "");
    }
}
