//! `plan(&desired, &observed, &options) -> Plan`: what would change, for whom, and why. A pure
//! function of its arguments — no I/O, no clock, no printing — with a deterministic order
//! (actions sorted by person e-mail, operation, item; never by input row order). It imports
//! `model` only.
//!
//! The rules are inputs.md's "What a row means" and cli.md's modes and guards, one file each:
//!
//! | file | rule |
//! |---|---|
//! | `draft.rs` | the types the rules share: the person planned, their draft actions, the pass's gatherings |
//! | `person.rs` | one person of the inputs, start to end: which rule applies to them |
//! | `identity.rs` | matching by NRN then e-mail, identity errors and warnings, unlisted users |
//! | `create.rs` | people the portal does not know: complete and consenting, or an error |
//! | `access.rs` | grants, the administrateur's implicit Pré-demandes, `--prune` revocations |
//! | `scope.rs` | "wider than asked" and the empty-scope warnings |
//! | `guards.rs` | the mass-change guards |
//! | `hold.rs` | what a tripped guard holds, and the held actions as a plan of their own |
//! | `leavers.rs` | the authoritative scope: portal users no row names lose their access |
//! | `order.rs` | the pass over people (on two threads), numbering, deterministic order |
//! | `saved.rs` | the saved plan's format and the fingerprint |
//! | `revert.rs` | the plan that undoes a run, from its writes, the history store's answers and the portal |
//!
//! The files import one another one way only: `order` → `person`, `identity`, `leavers`,
//! `guards`; `revert` → `guards`, `draft`; `person` → `access`, `create`, `identity`; `access`, `create` → `scope`,
//! `identity`; the rules and `hold` → `draft`, which imports none of them. Every file may use
//! `model` and the types of this one, which holds the plan's types and the entry point.

use std::sync::Arc;

mod access;
mod create;
mod dates;
mod draft;
mod guards;
pub mod hold;
mod identity;
mod leavers;
mod order;
mod person;
pub mod revert;
pub mod review;
pub mod saved;
mod scope;
#[cfg(test)]
mod tests;

pub use dates::DatedRow;
pub use hold::{OnTrip, Tripped};
pub use saved::{
    PLAN_FORMAT, SavedAction, SavedNewUser, SavedOrganisation, SavedPlan, SavedPlanError, SavedUser,
};

use crate::model::{
    CalendarDate, DesiredState, Dossier, DossierSet, Location, ObservedState, Problem, ScopeMode,
    StructureId, VecSet,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Additive,
    Prune,
    /// The plan that undoes a run (`plan --revert RUN`, evidence.md "Revert a run").
    Revert,
    /// The removals an access review decided (`plan --review CAMPAIGN`, evidence.md).
    Review,
}

/// cli.md's scope of `--prune`: `listed` (only the people the inputs name) or `authoritative`
/// (the inputs are the whole staff list: leavers lose their access), with who is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub mode: ScopeMode,
    /// Profiles never taken for leavers (default `["administrateur"]`).
    pub keep_profiles: Vec<crate::model::Profile>,
    /// User ids or e-mails never taken for leavers.
    pub keep: Vec<String>,
}

impl Default for Scope {
    fn default() -> Self {
        Scope {
            mode: ScopeMode::Listed,
            keep_profiles: vec![crate::model::Profile::Administrateur],
            keep: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanOptions {
    pub mode: Mode,
    pub allow_mass_change: bool,
    pub max_revocations: usize,
    pub max_creations: usize,
    /// What apply does when a guard trips: decides the guard problems' severity and whether
    /// actions are marked held.
    pub on_trip: OnTrip,
    pub scope: Scope,
    pub dates: DateOptions,
}

/// The plan's day and the windows of inputs.md "Dates".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateOptions {
    /// The plan's day; without one, no ended row revokes anything.
    pub today: Option<CalendarDate>,
    /// An ended row revokes what it gave during this many days after its `until`.
    pub end_window_days: u32,
    /// The upcoming and ending-soon window of the reports and of the `ending` event.
    pub lookahead_days: u32,
}

impl DateOptions {
    /// Whether an end on `until` still acts on the plan's day: after `until`, within the window.
    pub fn acts(&self, until: CalendarDate) -> bool {
        match self.today {
            Some(today) if today > until => self
                .days_from(until, today)
                .is_some_and(|d| d <= self.end_window_days),
            _ => false,
        }
    }

    /// Days from `a` to a later `b` (`None` for an earlier `b` or a day that is none).
    pub fn days_from(&self, a: CalendarDate, b: CalendarDate) -> Option<u32> {
        let (a, b) = (jiff_date(a).ok()?, jiff_date(b).ok()?);
        u32::try_from(b.since(a).ok()?.get_days()).ok()
    }
}

fn jiff_date(d: CalendarDate) -> Result<jiff::civil::Date, jiff::Error> {
    let (Ok(y), Ok(m), Ok(day)) = (
        i16::try_from(d.year),
        i8::try_from(d.month),
        i8::try_from(d.day),
    ) else {
        return jiff::civil::Date::new(0, 0, 0);
    };
    jiff::civil::Date::new(y, m, day)
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            mode: Mode::Additive,
            allow_mass_change: false,
            max_revocations: 25,
            max_creations: 250,
            on_trip: OnTrip::Hold,
            scope: Scope::default(),
            dates: DateOptions::default(),
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    CreateUser,
    GrantDossier,
    GrantStructure,
    RevokeDossier,
    RevokeStructure,
}

/// What a created user is made of (the whole NRN: only a saved plan keeps it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub last_name: String,
    pub first_name: String,
    pub email: String,
    pub nrn: crate::model::Nrn,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub id: u32,
    pub op: Op,
    /// The person's e-mail (the portal's for an existing user). Shared by the person's actions.
    pub email: Arc<str>,
    pub user_id: Option<Arc<str>>,
    pub dossier: Option<Dossier>,
    pub structure: Option<StructureId>,
    pub depends_on: Vec<u32>,
    /// The rows that asked for it (`file:sheet:row`), shared by the person's actions.
    pub sources: Arc<[Location]>,
    /// For `create_user`.
    pub new_user: Option<NewUser>,
    /// A revocation because a row's period ended (inputs.md "Dates"): that row's `until`.
    pub ended: Option<CalendarDate>,
}

/// One person of the inputs: what they hold now and will hold after the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonPlan {
    pub email: String,
    pub name: String,
    pub user_id: Option<String>,
    pub outcome: PersonOutcome,
    pub admin: bool,
    pub dossiers_before: DossierSet,
    pub dossiers_after: DossierSet,
    pub structures_before: VecSet<StructureId>,
    pub structures_after: VecSet<StructureId>,
    pub sources: Arc<[Location]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonOutcome {
    Create,
    Update,
    Unchanged,
    /// An error-level problem: nothing is done for this person.
    Skipped,
}

/// A portal user that no input names: where leavers show up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unlisted {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub is_caller: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub create_user: usize,
    pub grant_dossier: usize,
    pub grant_structure: usize,
    pub revoke_dossier: usize,
    pub revoke_structure: usize,
    pub implicit: usize,
    pub unchanged_people: usize,
    pub invalid_rows: usize,
    pub warnings: usize,
    /// Actions `apply` would hold for approval (a guard tripped under `on_trip = "hold"`).
    #[serde(default)]
    pub held: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub mode: Mode,
    pub actions: Vec<Action>,
    /// The plan's own problems (identity against the portal, consent, warnings, guards).
    pub problems: Vec<Problem>,
    pub people: Vec<PersonPlan>,
    pub unlisted: Vec<Unlisted>,
    pub summary: Summary,
    /// A guard tripped (and `allow_mass_change` was not given): under `on_trip = "stop"` the
    /// plan must not be applied; under `"hold"` the tripped kind is held.
    pub guard_tripped: bool,
    /// Which guards tripped.
    pub tripped: Tripped,
    pub on_trip: OnTrip,
    pub scope: ScopeMode,
    /// Portal users no input names who lose their access (authoritative scope, `--prune`).
    pub leavers: Vec<PersonPlan>,
    /// Their user ids, for `is_leaver` (asked once per action by every renderer).
    pub leaver_ids: std::collections::BTreeSet<String>,
    /// Rows that start within `[dates] lookahead_days` (they ask for nothing yet).
    pub upcoming: Vec<DatedRow>,
    /// Rows in effect whose `until` falls within the same window.
    pub ending: Vec<DatedRow>,
}

impl Action {
    /// Whether a user who holds the dossier codes and structure ids the two predicates say
    /// already has what this action wants (a creation never does). Asked of a user read back
    /// after a 412 and of a saved plan's users before it is applied: one answer for both.
    pub fn in_effect(
        &self,
        has_dossier: impl Fn(&str) -> bool,
        has_structure: impl Fn(&str) -> bool,
    ) -> bool {
        let dossier = self.dossier.map(|d| has_dossier(d.code()));
        let structure = self.structure.as_ref().map(|s| has_structure(s.as_str()));
        match self.op {
            Op::GrantDossier => dossier == Some(true),
            Op::RevokeDossier => dossier == Some(false),
            Op::GrantStructure => structure == Some(true),
            Op::RevokeStructure => structure == Some(false),
            Op::CreateUser => false,
        }
    }
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// A guard tripped under `on_trip = "stop"`: apply writes nothing.
    pub fn stops(&self) -> bool {
        self.guard_tripped && self.on_trip == OnTrip::Stop
    }

    /// Whether `apply` would hold `a` for approval.
    pub fn holds(&self, a: &Action) -> bool {
        self.on_trip == OnTrip::Hold && self.tripped.holds(a)
    }

    /// An input gave no person in authoritative scope: no leaver revoked (exit at least 3).
    pub fn scope_incomplete(&self) -> bool {
        self.problems.iter().any(|p| p.code() == "scope-incomplete")
    }

    /// Rows of the people the plan skips for an error of its own (an identity mismatch, a
    /// creation that cannot be made): invalid rows like the reader's.
    pub fn skipped_rows(&self) -> usize {
        self.people
            .iter()
            .filter(|p| p.outcome == PersonOutcome::Skipped)
            .map(|p| p.sources.len().max(1))
            .sum()
    }

    /// Whether `a` takes access away from a leaver.
    pub fn is_leaver(&self, a: &Action) -> bool {
        a.user_id
            .as_deref()
            .is_some_and(|id| self.leaver_ids.contains(id))
    }
}

/// Where plan-level problems (the guards) are located.
pub fn plan_location() -> Location {
    Location::file("(plan)", u32::MAX)
}

/// The plan of `desired` against `observed`. Pure and deterministic.
pub fn plan(desired: &DesiredState, observed: &ObservedState, options: &PlanOptions) -> Plan {
    // People are independent of one another: halves on two threads, merged in input order
    // (below a few thousand people a thread costs more than it saves).
    let parts = if desired.people.len() >= 2_000 { 2 } else { 1 };
    order::plan_in(desired, observed, options, parts)
}
