//! `plan(&desired, &observed, &options) -> Plan`: what would change, for whom, and why. A pure
//! function of its arguments — no I/O, no clock, no printing — with a deterministic order
//! (actions sorted by person e-mail, operation, item; never by input row order). It imports
//! `model` only.
//!
//! The rules are inputs.md's "What a row means" and cli.md's modes and guards: match by NRN
//! then e-mail; create people the portal does not know (with consent); grant what is missing;
//! with `--prune` revoke what the inputs do not give (people named in the inputs only, never
//! the caller, never a person with an invalid row); the administrateur's Pré-demandes is
//! implicit; "wider than asked" and empty-scope warnings; the mass-change guards.

use std::collections::HashMap;
use std::sync::Arc;

pub mod saved;

pub use saved::{
    PLAN_FORMAT, SavedAction, SavedNewUser, SavedOrganisation, SavedPlan, SavedUser, fingerprint,
    fingerprint_of,
};

use crate::model::{
    Dossier, DossierSet, Field, Location, ObservedState, ObservedUser, Person, Problem,
    ProblemKind, Severity, StructureId, StructureRef, VecSet,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Additive,
    Prune,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanOptions {
    pub mode: Mode,
    pub allow_mass_change: bool,
    pub max_revocations: usize,
    pub max_creations: usize,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            mode: Mode::Additive,
            allow_mass_change: false,
            max_revocations: 25,
            max_creations: 250,
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
    /// A guard tripped: the plan must not be applied (unless `allow_mass_change`).
    pub guard_tripped: bool,
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
}

/// Where plan-level problems (the guards) are located.
pub fn plan_location() -> Location {
    Location::file("(plan)", u32::MAX)
}

/// FNV-1a: the indexes hash 100,000 short keys; SipHash's defence against crafted keys buys
/// nothing here (the keys come from our own portal read) and costs a third of the index time.
#[derive(Default, Clone, Copy)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

struct Index<'o> {
    by_nrn: FastMap<&'o str, usize>,
    by_email: FastMap<&'o str, usize>,
}

fn first_row(person: &Person) -> Location {
    person
        .sources()
        .next()
        .map(Location::row_only)
        .unwrap_or_else(plan_location)
}

/// `Last First` (either may be empty), in one allocation: 100,000 of them in a large plan.
fn full_name(last: &str, first: &str) -> String {
    let (last, first) = (last.trim(), first.trim());
    let mut s = String::with_capacity(last.len() + 1 + first.len());
    s.push_str(last);
    if !last.is_empty() && !first.is_empty() {
        s.push(' ');
    }
    s.push_str(first);
    s
}

/// The plan of `desired` against `observed`. Pure and deterministic.
pub fn plan(
    desired: &crate::model::DesiredState,
    observed: &ObservedState,
    options: &PlanOptions,
) -> Plan {
    // People are independent of one another: halves on two threads, merged in input order
    // (below a few thousand people a thread costs more than it saves).
    let parts = if desired.people.len() >= 2_000 { 2 } else { 1 };
    plan_in(desired, observed, options, parts)
}

/// `plan` with the people split in `parts` chunks, each on its own thread.
fn plan_in(
    desired: &crate::model::DesiredState,
    observed: &ObservedState,
    options: &PlanOptions,
    parts: usize,
) -> Plan {
    // The two identity indexes, each sized once, built side by side.
    let users = &observed.users;
    let (by_nrn, by_email) = std::thread::scope(|scope| {
        let nrn = scope.spawn(|| {
            let mut m: FastMap<&str, usize> =
                FastMap::with_capacity_and_hasher(users.len(), Default::default());
            m.extend(
                users
                    .iter()
                    .enumerate()
                    .filter_map(|(i, u)| u.nrn.as_ref().map(|n| (n.expose(), i))),
            );
            m
        });
        let mut by_email: FastMap<&str, usize> =
            FastMap::with_capacity_and_hasher(users.len(), Default::default());
        by_email.extend(
            users
                .iter()
                .enumerate()
                .map(|(i, u)| (u.email_key.as_str(), i)),
        );
        let by_nrn = match nrn.join() {
            Ok(m) => m,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        (by_nrn, by_email)
    });
    let index = Index { by_nrn, by_email };
    let chunk = desired.people.len().div_ceil(parts.max(1)).max(1);
    let mut acc = Acc::default();
    std::thread::scope(|scope| {
        let index = &index;
        let handles: Vec<_> = desired
            .people
            .chunks(chunk)
            .map(|people| {
                scope.spawn(move || {
                    // Sized once: PersonPlan and Draft are large, and growing means copying.
                    let mut acc = Acc {
                        problems: Vec::with_capacity(people.len()),
                        drafts: Vec::with_capacity(people.len()),
                        people: Vec::with_capacity(people.len()),
                        matched: Vec::with_capacity(people.len()),
                        ..Acc::default()
                    };
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
    let Acc {
        mut problems,
        mut drafts,
        mut people,
        matched,
        implicit,
        managed_grants,
    } = acc;
    let mut is_matched = vec![false; observed.users.len()];
    for i in matched {
        is_matched[i] = true;
    }

    // Deterministic order whatever the input row order: by person, then operation, then item.
    drafts.sort_by(draft_order);
    people.sort_by(person_order);
    let actions = number_actions(&drafts, parts);
    let count = |op: Op| actions.iter().filter(|a| a.op == op).count();
    let mut summary = Summary {
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
    };

    // Guards: a wrong or truncated spreadsheet must not strip or flood the portal.
    let revocations = summary.revoke_dossier + summary.revoke_structure;
    let mut guard_tripped = false;
    let too_many_revocations = revocations > options.max_revocations
        || (revocations > 0 && revocations * 10 > managed_grants);
    if too_many_revocations {
        guard_tripped = true;
        problems.push(guard_problem(
            options,
            ProblemKind::GuardRevocations {
                revocations,
                max: options.max_revocations,
                managed: managed_grants,
                allowed: options.allow_mass_change,
            },
        ));
    }
    if summary.create_user > options.max_creations {
        guard_tripped = true;
        problems.push(guard_problem(
            options,
            ProblemKind::GuardCreations {
                creations: summary.create_user,
                max: options.max_creations,
                allowed: options.allow_mass_change,
            },
        ));
    }
    if options.allow_mass_change {
        guard_tripped = false;
    }

    let unlisted = observed
        .users
        .iter()
        .enumerate()
        .filter(|(i, _)| !is_matched[*i])
        .map(|(_, u)| Unlisted {
            user_id: u.id.clone(),
            name: full_name(&u.last_name, &u.first_name),
            email: u.email.clone(),
            is_caller: u.id == observed.caller.id,
        })
        .collect();

    crate::model::sort_problems(&mut problems);
    summary.warnings = problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .count();
    Plan {
        mode: options.mode,
        actions,
        problems,
        people,
        unlisted,
        summary,
        guard_tripped,
    }
}

/// What the per-person pass gathers; chunks of people fill one each, merged in input order.
#[derive(Default)]
struct Acc<'a> {
    problems: Vec<Problem>,
    drafts: Vec<Draft<'a>>,
    people: Vec<PersonPlan>,
    matched: Vec<usize>,
    implicit: usize,
    managed_grants: usize,
}

impl<'a> Acc<'a> {
    fn merge(&mut self, other: Acc<'a>) {
        self.problems.extend(other.problems);
        self.drafts.extend(other.drafts);
        self.people.extend(other.people);
        self.matched.extend(other.matched);
        self.implicit += other.implicit;
        self.managed_grants += other.managed_grants;
    }
}

/// One person of the inputs against the portal: their problems, actions and before/after.
fn plan_person<'o>(
    person: &'o Person,
    observed: &'o ObservedState,
    index: &Index<'o>,
    options: &PlanOptions,
    acc: &mut Acc<'o>,
) {
    let sources: Arc<[Location]> = person.sources().map(Location::row_only).collect();
    let at = first_row(person);
    // Only what a message or a skipped person needs: computed when needed.
    let email = || person.email.as_ref().map(|e| e.as_str().to_owned());
    let label = || person.label();
    let name = || {
        full_name(
            person.last_name.as_deref().unwrap_or(""),
            person.first_name.as_deref().unwrap_or(""),
        )
    };
    let skipped = |people: &mut Vec<PersonPlan>, user: Option<&ObservedUser>| {
        people.push(PersonPlan {
            email: email().unwrap_or_else(label),
            name: name(),
            user_id: user.map(|u| u.id.clone()),
            outcome: PersonOutcome::Skipped,
            admin: user.is_some_and(|u| u.admin),
            dossiers_before: user.map(|u| u.dossiers).unwrap_or_default(),
            dossiers_after: user.map(|u| u.dossiers).unwrap_or_default(),
            structures_before: user.map(|u| u.structures.clone()).unwrap_or_default(),
            structures_after: user.map(|u| u.structures.clone()).unwrap_or_default(),
            sources: sources.clone(),
        });
    };
    // Structures must be resolved to ids (check/plan resolve them against the portal).
    let mut wanted_structures: VecSet<StructureId> = VecSet::new();
    let mut unresolved = Vec::new();
    for s in person.access.structures.iter() {
        match s {
            StructureRef::Id(id) => {
                wanted_structures.insert(id.clone());
            }
            other => unresolved.push(other.to_string()),
        }
    }
    if !unresolved.is_empty() {
        acc.problems.push(Problem::error(
            at.clone(),
            ProblemKind::StructuresUnresolved { refs: unresolved },
        ));
        skipped(&mut acc.people, None);
        return;
    }
    let by_nrn = person
        .nrn
        .as_ref()
        .and_then(|n| index.by_nrn.get(n.expose()).copied());
    let by_email = person
        .email
        .as_ref()
        .and_then(|e| index.by_email.get(e.key()).copied());
    let user_index = match (by_nrn, by_email) {
        (Some(u), Some(v)) if u != v => {
            let (a, b) = (&observed.users[u], &observed.users[v]);
            acc.problems.push(Problem::error(
                at.clone(),
                ProblemKind::NrnAndEmailApart {
                    nrn: person.nrn.as_ref().map(|n| n.masked()).unwrap_or_default(),
                    nrn_user: a.id.clone(),
                    nrn_user_email: a.email.clone(),
                    email: email().unwrap_or_default(),
                    email_user: b.id.clone(),
                },
            ));
            skipped(&mut acc.people, None);
            return;
        }
        (Some(u), _) => Some(u),
        (None, Some(v)) => {
            let u = &observed.users[v];
            if let Some(n) = &person.nrn
                && u.nrn.as_ref() != Some(n)
            {
                acc.problems.push(Problem::error(
                    at.clone(),
                    ProblemKind::EmailHasOtherNrn {
                        email: u.email.clone(),
                        user: u.id.clone(),
                        user_nrn: u.nrn.as_ref().map(|n| n.masked()),
                        nrn: n.masked(),
                    },
                ));
                skipped(&mut acc.people, Some(u));
                return;
            }
            Some(v)
        }
        (None, None) => None,
    };
    let wanted_dossiers = person.access.dossiers;
    match user_index {
        Some(ui) => {
            let user = &observed.users[ui];
            acc.matched.push(ui);
            acc.managed_grants += user.dossiers.len() + user.structures.len();
            if let Some(e) = &person.email
                && e.key() != user.email_key
            {
                acc.problems.push(Problem::warning(
                    at.clone(),
                    ProblemKind::EmailDiffers {
                        portal: user.email.clone(),
                        inputs: e.to_string(),
                    },
                ));
            }
            let names_differ = |a: &Option<String>, b: &str| {
                a.as_ref().is_some_and(|x| {
                    if x.is_ascii() && b.is_ascii() {
                        !x.eq_ignore_ascii_case(b)
                    } else {
                        x.to_lowercase() != b.to_lowercase()
                    }
                })
            };
            if names_differ(&person.last_name, &user.last_name)
                || names_differ(&person.first_name, &user.first_name)
            {
                acc.problems.push(Problem::warning(
                    at.clone(),
                    ProblemKind::NameDiffers {
                        user: user.id.clone(),
                        portal: full_name(&user.last_name, &user.first_name),
                        inputs: name(),
                    },
                ));
            }
            let mut d = Draft::new(
                &user.email,
                &user.email_key,
                Some(&user.id),
                sources.clone(),
            );
            let mut after_dossiers = user.dossiers;
            for dossier in wanted_dossiers.iter() {
                if user.dossiers.contains(dossier) {
                    continue;
                }
                if dossier == Dossier::PreDemandes && user.admin {
                    acc.implicit += 1;
                    continue;
                }
                d.push(Op::GrantDossier, Some(dossier), None);
                after_dossiers.insert(dossier);
            }
            let mut after_structures = user.structures.clone();
            for s in wanted_structures.iter() {
                if !user.structures.contains(s) {
                    d.push(Op::GrantStructure, None, Some(s.clone()));
                    after_structures.insert(s.clone());
                }
            }
            let prune = options.mode == Mode::Prune && user.id != observed.caller.id;
            // Only pruning needs them (an empty Vec does not allocate).
            let revocable_d: Vec<Dossier> = if prune {
                user.dossiers
                    .iter()
                    .filter(|x| !wanted_dossiers.contains(*x))
                    .collect()
            } else {
                Vec::new()
            };
            let revocable_s: Vec<StructureId> = if prune {
                user.structures
                    .iter()
                    .filter(|x| !wanted_structures.contains(x))
                    .cloned()
                    .collect()
            } else {
                Vec::new()
            };
            if prune
                && person.has_invalid_row
                && !(revocable_d.is_empty() && revocable_s.is_empty())
            {
                acc.problems.push(Problem::warning(
                    at.clone(),
                    ProblemKind::PruneWithheld {
                        email: user.email.clone(),
                        dossiers: revocable_d.len(),
                        structures: revocable_s.len(),
                    },
                ));
            } else if prune {
                for x in revocable_d {
                    d.push(Op::RevokeDossier, Some(x), None);
                    after_dossiers.remove(x);
                }
                for x in revocable_s {
                    after_structures = after_structures
                        .iter()
                        .filter(|s| **s != x)
                        .cloned()
                        .collect();
                    d.push(Op::RevokeStructure, None, Some(x));
                }
            }
            scope_warnings(
                person,
                &at,
                user.admin,
                user.dossiers,
                &user.structures,
                after_dossiers,
                &after_structures,
                &mut acc.problems,
            );
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
                dossiers_after: after_dossiers,
                structures_before: user.structures.clone(),
                structures_after: after_structures,
                sources: sources.clone(),
            });
            acc.drafts.push(d);
        }
        None => {
            let mut missing = Vec::new();
            if person.last_name.is_none() {
                missing.push(Field::LastName);
            }
            if person.first_name.is_none() {
                missing.push(Field::FirstName);
            }
            if person.email.is_none() {
                missing.push(Field::Email);
            }
            if person.nrn.is_none() {
                missing.push(Field::Nrn);
            }
            if !missing.is_empty() {
                acc.problems.push(Problem::error(
                    at.clone(),
                    ProblemKind::CreateIncomplete {
                        person: label(),
                        missing,
                    },
                ));
                skipped(&mut acc.people, None);
                return;
            }
            if !person.consent {
                acc.problems.push(Problem::error(
                    at.clone(),
                    ProblemKind::ConsentMissing { person: label() },
                ));
                skipped(&mut acc.people, None);
                return;
            }
            let (Some(e), Some(n), Some(last), Some(first)) = (
                &person.email,
                &person.nrn,
                &person.last_name,
                &person.first_name,
            ) else {
                return;
            };
            let mut d = Draft::new(e.as_str(), e.key(), None, sources.clone());
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
            for s in wanted_structures.iter() {
                d.push(Op::GrantStructure, None, Some(s.clone()));
            }
            scope_warnings(
                person,
                &at,
                false,
                DossierSet::new(),
                &VecSet::new(),
                wanted_dossiers,
                &wanted_structures,
                &mut acc.problems,
            );
            acc.people.push(PersonPlan {
                email: e.as_str().to_owned(),
                name: name(),
                user_id: None,
                outcome: PersonOutcome::Create,
                admin: false,
                dossiers_before: DossierSet::new(),
                dossiers_after: wanted_dossiers,
                structures_before: VecSet::new(),
                structures_after: wanted_structures.clone(),
                sources: sources.clone(),
            });
            acc.drafts.push(d);
        }
    }
}

fn guard_problem(options: &PlanOptions, kind: ProblemKind) -> Problem {
    let severity = if options.allow_mass_change {
        Severity::Warning
    } else {
        Severity::Error
    };
    Problem::new(severity, plan_location(), kind)
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

/// The actions of sorted drafts (ops sorted too), numbered from 1 in that order; built in
/// `parts` slices on as many threads, each knowing its first id.
fn number_actions(drafts: &[Draft<'_>], parts: usize) -> Vec<Action> {
    let mut first = Vec::with_capacity(drafts.len());
    let mut next = 1u32;
    for d in drafts {
        first.push(next);
        next += d.ops.len() as u32;
    }
    let build = |drafts: &[Draft<'_>], first: &[u32]| -> Vec<Action> {
        let mut actions = Vec::with_capacity(drafts.iter().map(|d| d.ops.len()).sum());
        for (d, start) in drafts.iter().zip(first) {
            let mut create_id = None;
            for (k, (op, dossier, structure)) in d.ops.iter().enumerate() {
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
                });
            }
        }
        actions
    };
    if parts < 2 || drafts.len() < 2 {
        return build(drafts, &first);
    }
    let mid = drafts.len() / 2;
    std::thread::scope(|scope| {
        let right = scope.spawn(|| build(&drafts[mid..], &first[mid..]));
        let mut actions = build(&drafts[..mid], &first[..mid]);
        match right.join() {
            Ok(rest) => actions.extend(rest),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        actions
    })
}

/// The actions of one person before they get ids.
struct Draft<'a> {
    /// The lower-case e-mail, borrowed from the portal user or the person.
    key: &'a str,
    email: Arc<str>,
    user_id: Option<Arc<str>>,
    sources: Arc<[Location]>,
    new_user: Option<NewUser>,
    ops: Vec<(Op, Option<Dossier>, Option<StructureId>)>,
}

impl<'a> Draft<'a> {
    fn new(email: &str, key: &'a str, user_id: Option<&str>, sources: Arc<[Location]>) -> Self {
        Draft {
            key,
            email: Arc::from(email),
            user_id: user_id.map(Arc::from),
            sources,
            new_user: None,
            ops: Vec::with_capacity(4),
        }
    }

    fn push(&mut self, op: Op, dossier: Option<Dossier>, structure: Option<StructureId>) {
        self.ops.push((op, dossier, structure));
    }
}

/// inputs.md: one structure set per user, so every scoped dossier applies to every structure.
/// Pairs the person will hold that they do not hold now and no row asked for are "wider than
/// asked" (one warning per person); after the plan, a scoped dossier without structures, or
/// structures without a scoped dossier, give access to nothing.
#[expect(
    clippy::too_many_arguments,
    reason = "the before and after of one person, each a value: a struct would only rename them"
)]
fn scope_warnings(
    person: &Person,
    at: &Location,
    admin: bool,
    dossiers_now: DossierSet,
    structures_now: &VecSet<StructureId>,
    dossiers_after: DossierSet,
    structures_after: &VecSet<StructureId>,
    problems: &mut Vec<Problem>,
) {
    let scoped = |d: DossierSet, implicit: bool| -> DossierSet {
        let mut v: DossierSet = d.iter().filter(|x| x.scoped()).collect();
        if implicit {
            v.insert(Dossier::PreDemandes);
        }
        v
    };
    // A person holds a handful of dossiers and structures: plain vectors beat sets here.
    let scoped_now = scoped(dossiers_now, false);
    let held_now =
        |d: Dossier, s: &StructureId| scoped_now.contains(d) && structures_now.contains(s);
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
    let mut wider: Vec<(Dossier, Vec<StructureId>)> = Vec::new();
    for d in scoped(dossiers_after, false).iter() {
        // The administrateur already has Pré-demandes on every structure.
        if admin && d == Dossier::PreDemandes {
            continue;
        }
        let extra: Vec<StructureId> = structures_after
            .iter()
            .filter(|s| !held_now(d, s) && !asked(d, s))
            .cloned()
            .collect();
        if !extra.is_empty() {
            wider.push((d, extra));
        }
    }
    if !wider.is_empty() {
        // Located at the first row; the others are named when there are others.
        let rows = if person.rows.len() > 1 {
            person.sources().map(Location::row_only).collect()
        } else {
            Vec::new()
        };
        problems.push(Problem::warning(
            at.clone(),
            ProblemKind::WiderThanAsked { pairs: wider, rows },
        ));
    }
    let scoped_after = scoped(dossiers_after, admin);
    // The administrateur's Pré-demandes covers every structure: it needs none of theirs.
    let mut needs_structures = scoped(dossiers_after, false);
    if admin {
        needs_structures.remove(Dossier::PreDemandes);
    }
    if !needs_structures.is_empty() && structures_after.is_empty() {
        problems.push(Problem::warning(
            at.clone(),
            ProblemKind::ScopedWithoutStructures {
                dossiers: needs_structures.iter().collect(),
            },
        ));
    }
    if scoped_after.is_empty() && !structures_after.is_empty() {
        problems.push(Problem::warning(
            at.clone(),
            ProblemKind::StructuresWithoutScoped,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Access, Caller, DesiredState, Email, Nrn, ObservedUser, OrganisationInfo, RowRequest,
        StructureInfo, TEST_TODAY, check_digits,
    };

    fn nrn(first9: u64) -> Nrn {
        Nrn::parse_strict(
            &format!("{first9:09}{:02}", check_digits(first9, false)),
            TEST_TODAY,
        )
        .unwrap()
    }

    fn sid(s: &str) -> StructureId {
        StructureId::from_portal(s)
    }

    fn access(dossiers: &[Dossier], structures: &[&str]) -> Access {
        Access {
            dossiers: dossiers.iter().copied().collect(),
            structures: structures
                .iter()
                .map(|s| StructureRef::Id(sid(s)))
                .collect(),
        }
    }

    /// A person with one row per access given.
    fn person(email: &str, n: Option<u64>, rows: &[Access]) -> Person {
        let mut p = Person {
            nrn: n.map(nrn),
            email: Some(Email::parse(email).unwrap()),
            last_name: Some("Dupont".into()),
            first_name: Some("Marie".into()),
            consent: true,
            access: Access::default(),
            rows: Vec::new(),
            has_invalid_row: false,
        };
        for (i, a) in rows.iter().enumerate() {
            p.access.extend(a);
            p.rows.push(RowRequest {
                source: Location::file("staff.xlsx", 0).with_row(i as u32 + 2),
                access: a.clone(),
                structures_column: Some(6),
            });
        }
        p
    }

    fn user(
        id: &str,
        email: &str,
        n: Option<u64>,
        dossiers: &[Dossier],
        structures: &[&str],
    ) -> ObservedUser {
        ObservedUser {
            id: id.into(),
            last_name: "Dupont".into(),
            first_name: "Marie".into(),
            email: email.into(),
            email_key: email.to_lowercase(),
            nrn: n.map(nrn),
            admin: false,
            user_admin: false,
            dossiers: dossiers.iter().copied().collect(),
            other_dossiers: Vec::new(),
            structures: structures.iter().map(|s| sid(s)).collect(),
            version: 3,
        }
    }

    fn observed(users: Vec<ObservedUser>) -> ObservedState {
        ObservedState {
            caller: Caller {
                id: "u-000001".into(),
                email: "admin@x.be".into(),
                admin: true,
                user_admin: false,
            },
            organisation: OrganisationInfo {
                id: "org".into(),
                name: "Org".into(),
            },
            dossiers: Dossier::ALL.into_iter().collect(),
            structures: ["MA-1", "MA-2", "MA-3"]
                .iter()
                .map(|s| StructureInfo {
                    id: sid(s),
                    name: (*s).into(),
                    postal_code: "5000".into(),
                    city: "Namur".into(),
                })
                .collect(),
            users,
        }
    }

    fn desired(people: Vec<Person>) -> DesiredState {
        DesiredState {
            people,
            withheld: Default::default(),
        }
    }

    /// (id, op, dossier code, structure id, depends_on)
    type Row<'a> = (u32, Op, Option<&'a str>, Option<&'a str>, Vec<u32>);

    fn ops(p: &Plan) -> Vec<Row<'_>> {
        p.actions
            .iter()
            .map(|a| {
                (
                    a.id,
                    a.op,
                    a.dossier.map(|d| d.code()),
                    a.structure.as_ref().map(|s| s.as_str()),
                    a.depends_on.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn grants_what_is_missing_and_nothing_else_in_additive_mode() {
        let d = desired(vec![person(
            "marie@x.be",
            Some(850_730_033),
            &[access(
                &[Dossier::Bilans, Dossier::MonEquipe],
                &["MA-1", "MA-2"],
            )],
        )]);
        let o = observed(vec![user(
            "u-000004",
            "marie@x.be",
            Some(850_730_033),
            &[Dossier::MonEquipe, Dossier::TousLesProjets],
            &["MA-1", "MA-3"],
        )]);
        let p = plan(&d, &o, &PlanOptions::default());
        assert_eq!(
            ops(&p),
            vec![
                (1, Op::GrantDossier, Some("bilans"), None, vec![]),
                (2, Op::GrantStructure, None, Some("MA-2"), vec![])
            ]
        );
        assert_eq!(p.actions[0].user_id.as_deref(), Some("u-000004"));
        assert_eq!(p.actions[0].sources[0].to_string(), "staff.xlsx:2");
        assert_eq!(p.people[0].outcome, PersonOutcome::Update);
        // Bilans will apply to MA-3 too, which no row asked for and she does not hold now.
        assert!(
            p.problems
                .iter()
                .any(|x| matches!(&x.kind, ProblemKind::WiderThanAsked { pairs, .. }
                    if pairs.iter().any(|(d, ss)| *d == Dossier::Bilans && ss.contains(&sid("MA-3"))))),
            "{:?}",
            p.problems
        );
    }

    #[test]
    fn prune_revokes_what_the_inputs_do_not_give_but_never_the_caller_nor_an_invalid_person() {
        let mut marie = person(
            "marie@x.be",
            Some(850_730_033),
            &[access(&[Dossier::Bilans], &["MA-1"])],
        );
        let o = observed(vec![
            user(
                "u-000001",
                "admin@x.be",
                Some(700_101_001),
                &[Dossier::MonEquipe],
                &["MA-1"],
            ),
            user(
                "u-000004",
                "marie@x.be",
                Some(850_730_033),
                &[Dossier::Bilans, Dossier::MonEquipe],
                &["MA-1", "MA-3"],
            ),
            user(
                "u-000009",
                "other@x.be",
                Some(700_101_002),
                &[Dossier::MonEquipe],
                &["MA-2"],
            ),
        ]);
        let admin = person("admin@x.be", None, &[access(&[], &[])]);
        let options = PlanOptions {
            mode: Mode::Prune,
            allow_mass_change: true,
            ..PlanOptions::default()
        };
        let p = plan(&desired(vec![marie.clone(), admin.clone()]), &o, &options);
        assert_eq!(
            ops(&p),
            vec![
                (1, Op::RevokeDossier, Some("mon-equipe"), None, vec![]),
                (2, Op::RevokeStructure, None, Some("MA-3"), vec![])
            ]
        );
        assert!(
            p.actions
                .iter()
                .all(|a| a.user_id.as_deref() == Some("u-000004")),
            "not the caller, not u-000009"
        );
        assert_eq!(
            p.unlisted
                .iter()
                .map(|u| u.user_id.as_str())
                .collect::<Vec<_>>(),
            vec!["u-000009"]
        );
        marie.has_invalid_row = true;
        let p = plan(&desired(vec![marie]), &o, &options);
        assert!(p.actions.is_empty());
        assert!(p.problems.iter().any(
            |x| matches!(&x.kind, ProblemKind::PruneWithheld { email, .. } if email == "marie@x.be")
        ));
        // Additive never revokes.
        let p = plan(
            &desired(vec![person("marie@x.be", None, &[access(&[], &[])])]),
            &o,
            &PlanOptions::default(),
        );
        assert!(p.actions.is_empty());
    }

    #[test]
    fn creates_with_consent_and_grants_depend_on_the_create() {
        let d = desired(vec![person(
            "new@x.be",
            Some(900_215_124),
            &[access(&[Dossier::PreDemandes, Dossier::Bilans], &["MA-2"])],
        )]);
        let p = plan(&d, &observed(vec![]), &PlanOptions::default());
        assert_eq!(
            ops(&p),
            vec![
                (1, Op::CreateUser, None, None, vec![]),
                (2, Op::GrantDossier, Some("pre-demandes"), None, vec![1]),
                (3, Op::GrantDossier, Some("bilans"), None, vec![1]),
                (4, Op::GrantStructure, None, Some("MA-2"), vec![1]),
            ]
        );
        let new = p.actions[0].new_user.as_ref().unwrap();
        assert_eq!(
            (new.email.as_str(), &new.nrn),
            ("new@x.be", d.people[0].nrn.as_ref().unwrap())
        );
        assert_eq!(p.summary.create_user, 1);
        let mut no_consent = d.people[0].clone();
        no_consent.consent = false;
        let p = plan(
            &desired(vec![no_consent]),
            &observed(vec![]),
            &PlanOptions::default(),
        );
        assert!(p.actions.is_empty());
        assert_eq!(
            p.problems[0].kind,
            ProblemKind::ConsentMissing {
                person: "new@x.be".into()
            }
        );
        assert_eq!(p.problems[0].severity, Severity::Error);
    }

    #[test]
    fn identity_conflicts_with_the_portal_do_nothing_for_that_person() {
        let o = observed(vec![
            user("u-000004", "marie@x.be", Some(850_730_033), &[], &[]),
            user("u-000005", "luc@x.be", Some(700_101_002), &[], &[]),
        ]);
        // NRN of one user, e-mail of another.
        let p = plan(
            &desired(vec![person(
                "luc@x.be",
                Some(850_730_033),
                &[access(&[Dossier::Bilans], &["MA-1"])],
            )]),
            &o,
            &PlanOptions::default(),
        );
        assert!(p.actions.is_empty());
        assert!(
            matches!(&p.problems[0].kind, ProblemKind::NrnAndEmailApart { nrn_user, email_user, .. }
                if nrn_user == "u-000004" && email_user == "u-000005"),
            "{:?}",
            p.problems
        );
        // An e-mail whose user has another NRN.
        let p = plan(
            &desired(vec![person(
                "luc@x.be",
                Some(900_215_124),
                &[access(&[Dossier::Bilans], &["MA-1"])],
            )]),
            &o,
            &PlanOptions::default(),
        );
        assert!(p.actions.is_empty());
        assert!(
            matches!(&p.problems[0].kind, ProblemKind::EmailHasOtherNrn { email, user, .. }
                if email == "luc@x.be" && user == "u-000005"),
            "{:?}",
            p.problems
        );
        assert!(!format!("{:?}", p.problems[0]).contains("700101002"));
        // Same NRN, other e-mail: matched by NRN, with a warning.
        let p = plan(
            &desired(vec![person(
                "marie.new@x.be",
                Some(850_730_033),
                &[access(&[Dossier::MonEquipe], &[])],
            )]),
            &o,
            &PlanOptions::default(),
        );
        assert_eq!(p.actions.len(), 1);
        assert_eq!(&*p.actions[0].email, "marie@x.be", "the portal's e-mail");
        assert!(
            p.problems.iter().any(|x| x.severity == Severity::Warning
                && matches!(x.kind, ProblemKind::EmailDiffers { .. })),
            "{:?}",
            p.problems
        );
    }

    #[test]
    fn administrateur_pre_demandes_is_implicit_but_structures_are_still_granted() {
        let mut u = user("u-000006", "chef@x.be", Some(650_606_105), &[], &[]);
        u.admin = true;
        let p = plan(
            &desired(vec![person(
                "chef@x.be",
                None,
                &[access(&[Dossier::PreDemandes, Dossier::Bilans], &["MA-1"])],
            )]),
            &observed(vec![u]),
            &PlanOptions::default(),
        );
        assert_eq!(
            ops(&p),
            vec![
                (1, Op::GrantDossier, Some("bilans"), None, vec![]),
                (2, Op::GrantStructure, None, Some("MA-1"), vec![])
            ]
        );
        assert_eq!(p.summary.implicit, 1);
    }

    #[test]
    fn guards_trip_on_mass_revocation_and_creation() {
        let o = observed(vec![user(
            "u-000004",
            "marie@x.be",
            None,
            &[Dossier::MonEquipe, Dossier::Bilans],
            &["MA-1", "MA-2", "MA-3"],
        )]);
        let prune = PlanOptions {
            mode: Mode::Prune,
            ..PlanOptions::default()
        };
        let p = plan(
            &desired(vec![person(
                "marie@x.be",
                None,
                &[access(&[Dossier::Bilans], &["MA-1", "MA-2", "MA-3"])],
            )]),
            &o,
            &prune,
        );
        // 1 revocation of 5 managed grants: 20 % > 10 %.
        assert!(p.guard_tripped);
        assert!(p.problems.iter().any(|x| x.severity == Severity::Error
            && matches!(x.kind, ProblemKind::GuardRevocations { revocations: 1, .. })));
        let p = plan(
            &desired(vec![person(
                "marie@x.be",
                None,
                &[access(&[Dossier::Bilans], &["MA-1", "MA-2", "MA-3"])],
            )]),
            &o,
            &PlanOptions {
                allow_mass_change: true,
                ..prune
            },
        );
        assert!(!p.guard_tripped);
        let many: Vec<Person> = (0..3)
            .map(|i| {
                person(
                    &format!("p{i}@x.be"),
                    Some(900_215_100 + i),
                    &[access(&[Dossier::MonEquipe], &[])],
                )
            })
            .collect();
        let p = plan(
            &desired(many),
            &observed(vec![]),
            &PlanOptions {
                max_creations: 2,
                ..PlanOptions::default()
            },
        );
        assert!(p.guard_tripped);
    }

    #[test]
    fn order_does_not_depend_on_input_order_and_applying_the_plan_converges() {
        let a = person(
            "b@x.be",
            Some(900_215_124),
            &[access(&[Dossier::Bilans], &["MA-2"])],
        );
        let b = person("a@x.be", None, &[access(&[Dossier::MonEquipe], &["MA-1"])]);
        let o = observed(vec![user("u-000004", "a@x.be", None, &[], &[])]);
        let p1 = plan(
            &desired(vec![a.clone(), b.clone()]),
            &o,
            &PlanOptions::default(),
        );
        let p2 = plan(&desired(vec![b, a]), &o, &PlanOptions::default());
        assert_eq!(p1.actions, p2.actions);
        assert_eq!(&*p1.actions[0].email, "a@x.be");
    }

    /// What the portal holds after the plan's actions (a model of a successful apply).
    fn applied(o: &ObservedState, p: &Plan) -> ObservedState {
        let mut o = o.clone();
        let mut next = 1000;
        for a in &p.actions {
            let idx = match (&a.user_id, a.op) {
                (_, Op::CreateUser) => {
                    let n = a.new_user.as_ref().unwrap();
                    next += 1;
                    let mut u = user(&format!("u-{next:06}"), &n.email, None, &[], &[]);
                    u.nrn = Some(n.nrn.clone());
                    o.users.push(u);
                    continue;
                }
                (Some(id), _) => o.users.iter().position(|u| *u.id == **id).unwrap(),
                (None, _) => o
                    .users
                    .iter()
                    .position(|u| u.email_key == a.email.to_lowercase())
                    .unwrap(),
            };
            let u = &mut o.users[idx];
            match a.op {
                Op::GrantDossier => {
                    u.dossiers.insert(a.dossier.unwrap());
                }
                Op::RevokeDossier => {
                    u.dossiers.remove(a.dossier.unwrap());
                }
                Op::GrantStructure => {
                    u.structures.insert(a.structure.clone().unwrap());
                }
                Op::RevokeStructure => {
                    let s = a.structure.clone().unwrap();
                    u.structures = u.structures.iter().filter(|x| **x != s).cloned().collect();
                }
                Op::CreateUser => {}
            }
        }
        o
    }

    #[test]
    fn an_administrateurs_pre_demandes_needs_no_structure_of_theirs() {
        let mut admin = user("u-000009", "chef@x.be", Some(700_101_009), &[], &[]);
        admin.admin = true;
        let o = observed(vec![admin]);
        let warnings = |rows: &[Access]| -> Vec<Vec<Dossier>> {
            let d = desired(vec![person("chef@x.be", Some(700_101_009), rows)]);
            plan(&d, &o, &PlanOptions::default())
                .problems
                .into_iter()
                .filter_map(|p| match p.kind {
                    ProblemKind::ScopedWithoutStructures { dossiers } => Some(dossiers),
                    _ => None,
                })
                .collect()
        };
        // Pré-demandes asked for, implicit: no structure needed.
        assert!(warnings(&[access(&[Dossier::PreDemandes], &[])]).is_empty());
        // Bilans does need them; the message names Bilans only.
        assert_eq!(
            warnings(&[access(&[Dossier::PreDemandes, Dossier::Bilans], &[])]),
            [vec![Dossier::Bilans]]
        );
    }

    #[test]
    fn two_threads_plan_exactly_what_one_does() {
        // 3,000 people: existing ones (some by NRN only, some prune-worthy), new ones, and
        // problems on both halves.
        let users: Vec<ObservedUser> = (0..2_000u64)
            .map(|i| {
                user(
                    &format!("u-{i:06}"),
                    &format!("p{i}@x.be"),
                    Some(700_101_000 + i),
                    &[Dossier::ALL[(i % 7) as usize]],
                    &[["MA-1", "MA-2", "MA-3"][(i % 3) as usize]],
                )
            })
            .collect();
        let o = observed(users);
        let people: Vec<Person> = (0..3_000u64)
            .map(|i| {
                let a = access(
                    &[Dossier::ALL[((i * 5) % 7) as usize]],
                    &[["MA-1", "MA-2", "MA-3"][((i * 2) % 3) as usize]],
                );
                if i < 2_000 {
                    person(
                        &format!("p{i}@x.be"),
                        (i % 2 == 0).then_some(700_101_000 + i),
                        &[a],
                    )
                } else {
                    let mut p = person(&format!("new{i}@x.be"), Some(900_215_000 + i), &[a]);
                    p.consent = i % 5 != 0;
                    p
                }
            })
            .collect();
        let d = desired(people);
        for mode in [Mode::Additive, Mode::Prune] {
            let options = PlanOptions {
                mode,
                allow_mass_change: true,
                ..PlanOptions::default()
            };
            let one = plan_in(&d, &o, &options, 1);
            let two = plan_in(&d, &o, &options, 2);
            assert!(one.actions.len() > 3_000 && !one.problems.is_empty());
            assert_eq!(one, two);
            assert_eq!(plan(&d, &o, &options), one);
        }
    }

    use proptest::prelude::*;

    fn arb_access() -> impl Strategy<Value = Access> {
        (
            proptest::collection::vec(0usize..7, 0..4),
            proptest::collection::vec(0usize..3, 0..3),
        )
            .prop_map(|(d, s)| {
                let names = ["MA-1", "MA-2", "MA-3"];
                access(
                    &d.into_iter().map(|i| Dossier::ALL[i]).collect::<Vec<_>>(),
                    &s.into_iter().map(|i| names[i]).collect::<Vec<_>>(),
                )
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn planning_again_after_applying_gives_nothing(
            wanted in proptest::collection::vec((any::<bool>(), proptest::collection::vec(arb_access(), 1..3)), 1..5),
            held in proptest::collection::vec((arb_access(), any::<bool>()), 5),
            prune in any::<bool>(),
            reversed in any::<bool>(),
        ) {
            let users: Vec<ObservedUser> = held.iter().enumerate().map(|(i, (a, admin))| {
                let mut u = user(&format!("u-{:06}", i + 10), &format!("p{i}@x.be"), Some(700_101_000 + i as u64), &[], &[]);
                u.dossiers = a.dossiers;
                u.structures = a.structures.iter().map(|s| match s { StructureRef::Id(id) => id.clone(), _ => unreachable!() }).collect();
                u.admin = *admin;
                u
            }).collect();
            let o = observed(users);
            // People 0..n: even ones exist on the portal (by e-mail), odd ones are new.
            let mut people: Vec<Person> = wanted.iter().enumerate().map(|(i, (by_nrn, rows))| {
                let email = if i % 2 == 0 { format!("p{i}@x.be") } else { format!("new{i}@x.be") };
                let n = if i % 2 == 0 { by_nrn.then_some(700_101_000 + i as u64) } else { Some(900_215_000 + i as u64) };
                person(&email, n, rows)
            }).collect();
            if reversed {
                people.reverse();
            }
            let options = PlanOptions {
                mode: if prune { Mode::Prune } else { Mode::Additive },
                allow_mass_change: true,
                ..PlanOptions::default()
            };
            let d = desired(people.clone());
            let p = plan(&d, &o, &options);
            // Additive never revokes; prune touches only people of the inputs.
            if !prune {
                prop_assert!(p.actions.iter().all(|a| !matches!(a.op, Op::RevokeDossier | Op::RevokeStructure)));
            }
            let named: std::collections::BTreeSet<String> = people.iter().filter_map(|x| x.email.as_ref().map(|e| e.key().to_owned())).collect();
            prop_assert!(p.actions.iter().all(|a| named.contains(&a.email.to_lowercase())));
            // Input order does not matter.
            let mut other = people.clone();
            other.reverse();
            prop_assert_eq!(&plan(&desired(other), &o, &options).actions, &p.actions);
            // Applying, then planning again: nothing left to do.
            let after = applied(&o, &p);
            let again = plan(&d, &after, &options);
            prop_assert!(again.actions.is_empty(), "{:?}", again.actions);
        }
    }
}
