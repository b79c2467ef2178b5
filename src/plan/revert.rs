//! The plan that undoes a run (evidence.md "Revert a run"), a pure function of what the run
//! wrote (its journal's outcomes, read by the CLI), what the history store says became of each
//! item since (or nothing, for a run it does not cover) and the portal as it is now: each grant
//! the run made that is still as it left it becomes a revocation, each revocation a grant; an
//! item changed since — by hand, by a later run, or seen changed on the portal now — is left as
//! it is and listed (`revert-superseded`); the users the run created are listed (the portal
//! cannot delete a user; an adopted one is not a created one). Its guards count against what
//! the users it touches hold now. Then `redone_by_inputs` finds, in the plan of the inputs
//! against the portal as the revert would leave it, each action the next night would undo.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::model::{
    DossierSet, Location, ObservedState, ObservedUser, Problem, ProblemKind, RevertItem, ScopeMode,
    Severity, StructureId, SupersededBy, VecSet,
};

use super::{Action, Mode, OnTrip, Op, PersonOutcome, PersonPlan, Plan, PlanOptions, Summary};

/// How a write of the run ended, as its journal says (only these took effect).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteStatus {
    Done,
    /// A creation that took over an existing user with the same NRN: not a created user.
    Adopted,
    /// Already as wanted when the run wrote: someone else made it so.
    InEffect,
}

/// One write of the run being reverted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunWrite {
    /// Its journal line (`journal-run-….jsonl:17`): the revert's action cites it as its source.
    pub at: Location,
    pub op: Op,
    pub status: WriteStatus,
    pub user_id: String,
    pub email: String,
    /// `None` for a creation.
    pub item: Option<RevertItem>,
    /// A creation's last and first name.
    pub names: Option<(String, String)>,
}

impl RunWrite {
    fn grants(&self) -> bool {
        matches!(self.op, Op::GrantDossier | Op::GrantStructure)
    }
}

/// What the history store says became of one item since the run's change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// As the run left it, by the run.
    Unchanged,
    /// Changed since (the latest change, by whom).
    Changed(SupersededBy),
    /// The store holds no change of the run for it: the portal alone tells.
    NotRecorded,
}

/// Whether the history store covers the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage<'a> {
    /// One standing per item of `net_writes`, in its order.
    Store(&'a [Standing]),
    /// Not covered (older than the store, or no store): journal and portal only. `from`: what
    /// the store covers from, when there is one.
    Unrecorded { from: Option<String> },
}

/// What is reverted.
pub struct RevertOf<'a> {
    pub run: &'a str,
    /// The run's writes (of the phase asked, or of every phase), in journal order.
    pub writes: &'a [RunWrite],
    pub coverage: Coverage<'a>,
    /// Items (user id, item) an earlier revert of the same run already put back: not
    /// superseded, done (a killed revert applied again writes none of them twice).
    pub undone: &'a HashSet<(String, RevertItem)>,
}

/// A user the run created: the portal cannot delete a user, so they stay, with what they hold
/// once the revert is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedUser {
    pub user_id: String,
    pub email: String,
    pub name: String,
    /// No longer on the portal.
    pub gone: bool,
    pub keeps_dossiers: DossierSet,
    pub keeps_structures: VecSet<StructureId>,
}

/// A revert plan's source (cli.md `revert:<run>`; one phase: `revert:<run>#<N>`).
pub fn source_of(run: &str, phase: Option<usize>) -> String {
    match phase {
        Some(n) => format!("revert:{run}#{n}"),
        None => format!("revert:{run}"),
    }
}

/// What a revert plan says beyond its actions and problems, for the reports.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RevertInfo {
    pub run: String,
    /// The phase reverted (1-based), or every phase.
    pub phase: Option<usize>,
    /// Compared with the history store (else with the journal and the portal only).
    pub history: bool,
    pub created: Vec<CreatedUser>,
    /// Items left as they are (`revert-superseded`).
    pub superseded: usize,
    /// Items an earlier revert of the run already put back.
    pub already_undone: usize,
}

/// The item of each grant or revocation the run made whose effect is still the run's to undo:
/// the last write of each (user, item), when the run's writes to it changed it (a revocation
/// then a grant of the same item in two phases leaves it as it was). In journal order; the
/// history store is asked about these, in this order.
pub fn net_writes(writes: &[RunWrite]) -> Vec<&RunWrite> {
    let mut first: HashMap<(&str, &RevertItem), bool> = HashMap::new();
    let mut last: HashMap<(&str, &RevertItem), usize> = HashMap::new();
    for (i, w) in writes.iter().enumerate() {
        let (WriteStatus::Done, Some(item)) = (w.status, &w.item) else {
            continue;
        };
        let key = (w.user_id.as_str(), item);
        first.entry(key).or_insert(w.grants());
        last.insert(key, i);
    }
    let mut out: Vec<usize> = last
        .iter()
        // Held before the run unless its first write granted it; changed when its last write
        // left it otherwise.
        .filter(|(key, i)| first.get(*key).is_none_or(|g| *g == writes[**i].grants()))
        .map(|(_, i)| *i)
        .collect();
    out.sort_unstable();
    out.into_iter().map(|i| &writes[i]).collect()
}

fn holds(u: &ObservedUser, item: &RevertItem) -> bool {
    match item {
        RevertItem::Dossier(d) => u.dossiers.contains(*d),
        RevertItem::Structure(s) => u.structures.contains(s),
    }
}

/// The op that undoes `w`.
fn inverse(op: Op) -> Op {
    match op {
        Op::GrantDossier => Op::RevokeDossier,
        Op::RevokeDossier => Op::GrantDossier,
        Op::GrantStructure => Op::RevokeStructure,
        Op::RevokeStructure => Op::GrantStructure,
        Op::CreateUser => Op::CreateUser,
    }
}

fn item_of(a: &Action) -> Option<RevertItem> {
    a.dossier
        .map(RevertItem::Dossier)
        .or_else(|| a.structure.clone().map(RevertItem::Structure))
}

/// What the revert does about one item: undo it, leave it (superseded, by whom), or nothing
/// (an earlier revert of the run put it back already).
enum Decision {
    Undo,
    Leave(SupersededBy),
    AlreadyUndone,
}

fn decide(
    w: &RunWrite,
    item: &RevertItem,
    user: Option<&ObservedUser>,
    standing: &Standing,
    undone: &HashSet<(String, RevertItem)>,
) -> Decision {
    let Some(user) = user else {
        return Decision::Leave(SupersededBy::UserGone);
    };
    if holds(user, item) != w.grants() {
        if undone.contains(&(w.user_id.clone(), item.clone())) {
            return Decision::AlreadyUndone;
        }
        return Decision::Leave(match standing {
            Standing::Changed(by) => by.clone(),
            _ => SupersededBy::Portal,
        });
    }
    match standing {
        // As the run left it, but not by the run any more (changed, then changed back).
        Standing::Changed(by) => Decision::Leave(by.clone()),
        Standing::Unchanged | Standing::NotRecorded => Decision::Undo,
    }
}

/// The plan that undoes `of.run` against `observed`, and what the reports say of it besides.
/// `options` gives the guards (`max_revocations`, `on_trip`, `--allow-mass-change`).
pub fn revert_plan(
    of: &RevertOf<'_>,
    observed: &ObservedState,
    options: &PlanOptions,
) -> (Plan, RevertInfo) {
    let users: HashMap<&str, &ObservedUser> =
        observed.users.iter().map(|u| (u.id.as_str(), u)).collect();
    let mut info = RevertInfo {
        run: of.run.to_owned(),
        history: matches!(of.coverage, Coverage::Store(_)),
        ..RevertInfo::default()
    };
    let mut problems = Vec::new();
    if let Coverage::Unrecorded { from } = &of.coverage {
        problems.push(Problem::note(
            super::plan_location(),
            ProblemKind::RevertUnrecorded {
                run: of.run.to_owned(),
                from: from.clone(),
            },
        ));
    }
    let mut actions = Vec::new();
    for (i, w) in net_writes(of.writes).into_iter().enumerate() {
        let Some(item) = &w.item else { continue };
        let standing = match &of.coverage {
            Coverage::Store(s) => s.get(i).cloned().unwrap_or(Standing::NotRecorded),
            Coverage::Unrecorded { .. } => Standing::NotRecorded,
        };
        let user = users.get(w.user_id.as_str()).copied();
        match decide(w, item, user, &standing, of.undone) {
            Decision::AlreadyUndone => info.already_undone += 1,
            Decision::Leave(by) => {
                info.superseded += 1;
                problems.push(Problem::warning(
                    w.at.clone(),
                    ProblemKind::RevertSuperseded {
                        who: user.map_or_else(|| w.email.clone(), |u| u.email.clone()),
                        item: item.clone(),
                        granted: w.grants(),
                        run: of.run.to_owned(),
                        by,
                    },
                ));
            }
            Decision::Undo => {
                let email = user.map_or(w.email.as_str(), |u| u.email.as_str());
                actions.push(undo(w, item, email));
            }
        }
    }
    actions.sort_by(|a, b| {
        let key = |a: &Action| (a.email.to_lowercase(), a.user_id.clone(), a.op, item_of(a));
        key(a).cmp(&key(b))
    });
    for (n, a) in actions.iter_mut().enumerate() {
        a.id = n as u32 + 1;
    }
    info.created = created(of.writes, &users, &actions);
    let plan = finish(actions, problems, &users, options, Mode::Revert);
    (plan, info)
}

/// The action that undoes `w` on `item` for the user of `email`.
fn undo(w: &RunWrite, item: &RevertItem, email: &str) -> Action {
    let (dossier, structure) = match item {
        RevertItem::Dossier(d) => (Some(*d), None),
        RevertItem::Structure(s) => (None, Some(s.clone())),
    };
    Action {
        id: 0,
        op: inverse(w.op),
        email: Arc::from(email),
        user_id: Some(Arc::from(w.user_id.as_str())),
        dossier,
        structure,
        depends_on: Vec::new(),
        sources: Arc::from(vec![w.at.clone()]),
        new_user: None,
        ended: None,
    }
}

/// The users the run created (not adopted), with what they keep once the revert is applied.
fn created(
    writes: &[RunWrite],
    users: &HashMap<&str, &ObservedUser>,
    actions: &[Action],
) -> Vec<CreatedUser> {
    let mut out: Vec<CreatedUser> = writes
        .iter()
        .filter(|w| w.op == Op::CreateUser && w.status == WriteStatus::Done)
        .map(|w| {
            let user = users.get(w.user_id.as_str()).copied();
            let mut person = person_of(user, &w.email, &w.user_id, Arc::from(Vec::new()));
            for a in actions
                .iter()
                .filter(|a| a.user_id.as_deref() == Some(&*w.user_id))
            {
                person.apply(a);
            }
            let name = match (&w.names, user) {
                (_, Some(u)) => super::draft::full_name(&u.last_name, &u.first_name),
                (Some((last, first)), None) => super::draft::full_name(last, first),
                (None, None) => String::new(),
            };
            CreatedUser {
                user_id: w.user_id.clone(),
                email: person.email,
                name,
                gone: user.is_none(),
                keeps_dossiers: person.dossiers_after,
                keeps_structures: person.structures_after,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (a.email.to_lowercase(), &a.user_id).cmp(&(b.email.to_lowercase(), &b.user_id))
    });
    out.dedup_by(|a, b| a.user_id == b.user_id);
    out
}

/// A touched user before the revert (their portal access now).
fn person_of(
    user: Option<&ObservedUser>,
    email: &str,
    id: &str,
    sources: Arc<[Location]>,
) -> PersonPlan {
    let dossiers = user.map(|u| u.dossiers).unwrap_or_default();
    let structures = user.map(|u| u.structures.clone()).unwrap_or_default();
    PersonPlan {
        email: user.map_or(email, |u| u.email.as_str()).to_owned(),
        name: user.map_or_else(String::new, |u| {
            super::draft::full_name(&u.last_name, &u.first_name)
        }),
        user_id: Some(id.to_owned()),
        outcome: PersonOutcome::Update,
        admin: user.is_some_and(|u| u.admin),
        dossiers_before: dossiers,
        dossiers_after: dossiers,
        structures_before: structures.clone(),
        structures_after: structures,
        sources,
    }
}

/// The plan (of `mode`: a revert's, a review's) of the sorted, numbered `actions`: each touched
/// person before → after, the counts, the guards against what the touched users hold now.
pub(super) fn finish(
    actions: Vec<Action>,
    mut problems: Vec<Problem>,
    users: &HashMap<&str, &ObservedUser>,
    options: &PlanOptions,
    mode: Mode,
) -> Plan {
    let mut people: Vec<PersonPlan> = Vec::new();
    for a in &actions {
        let id = a.user_id.as_deref().unwrap_or_default();
        if people
            .last()
            .is_none_or(|p| p.user_id.as_deref() != Some(id))
        {
            let sources: Vec<Location> = actions
                .iter()
                .filter(|b| b.user_id.as_deref() == Some(id))
                .flat_map(|b| b.sources.iter().cloned())
                .collect();
            people.push(person_of(
                users.get(id).copied(),
                &a.email,
                id,
                sources.into(),
            ));
        }
        if let Some(p) = people.last_mut() {
            p.apply(a);
        }
    }
    // The guards' base: what the users the revert touches hold now (evidence.md).
    let managed: usize = people
        .iter()
        .map(|p| p.dossiers_before.len() + p.structures_before.len())
        .sum();
    let count = |op: Op| actions.iter().filter(|a| a.op == op).count();
    let mut summary = Summary {
        create_user: 0,
        grant_dossier: count(Op::GrantDossier),
        grant_structure: count(Op::GrantStructure),
        revoke_dossier: count(Op::RevokeDossier),
        revoke_structure: count(Op::RevokeStructure),
        ..Summary::default()
    };
    let (guard_problems, tripped) = super::guards::check(&summary, managed, options);
    problems.extend(guard_problems.into_iter().map(|mut p| {
        // Said as a revert's: its base is the touched users', and no input is to check.
        if let ProblemKind::GuardRevocations {
            revocations,
            max,
            managed,
            reaction,
        } = p.kind
        {
            p.kind = ProblemKind::GuardRevertRevocations {
                revocations,
                max,
                managed,
                reaction,
            };
        }
        p
    }));
    if options.on_trip == OnTrip::Hold {
        summary.held = actions.iter().filter(|a| tripped.holds(a)).count();
    }
    crate::model::sort_problems(&mut problems);
    summary.warnings = problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .count();
    Plan {
        mode,
        actions,
        problems,
        people,
        unlisted: Vec::new(),
        summary,
        guard_tripped: tripped.any(),
        tripped,
        on_trip: options.on_trip,
        scope: ScopeMode::Listed,
        leavers: Vec::new(),
        leaver_ids: Default::default(),
        upcoming: Vec::new(),
        ending: Vec::new(),
    }
}

/// The portal as it would stand once `actions` are applied (what the next night reads).
pub fn observed_after(observed: &ObservedState, actions: &[Action]) -> ObservedState {
    let mut after = observed.clone();
    let index: HashMap<String, usize> = after
        .users
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.clone(), i))
        .collect();
    for a in actions {
        let Some(u) = a
            .user_id
            .as_deref()
            .and_then(|id| index.get(id))
            .and_then(|i| after.users.get_mut(*i))
        else {
            continue;
        };
        match (a.op, a.dossier, &a.structure) {
            (Op::GrantDossier, Some(d), _) => {
                u.dossiers.insert(d);
            }
            (Op::RevokeDossier, Some(d), _) => {
                u.dossiers.remove(d);
            }
            (Op::GrantStructure, _, Some(s)) => {
                u.structures.insert(s.clone());
            }
            (Op::RevokeStructure, _, Some(s)) => {
                u.structures.remove(s);
            }
            _ => {}
        }
    }
    after
}

/// Each action of `revert` that `nightly` (the inputs planned against the portal as the revert
/// leaves it) would undo: a warning `redone-by-inputs` at the input row that asks for it.
pub fn redone_by_inputs(revert: &mut Plan, nightly: &Plan) {
    let key = |a: &Action| (a.user_id.clone(), a.op, item_of(a));
    let undoes: HashMap<_, &Action> = nightly.actions.iter().map(|a| (key(a), a)).collect();
    let mut found = Vec::new();
    for a in &revert.actions {
        let (Some(item), Some(n)) = (
            item_of(a),
            undoes.get(&(a.user_id.clone(), inverse(a.op), item_of(a))),
        ) else {
            continue;
        };
        let at = n
            .sources
            .first()
            .map_or_else(super::plan_location, Location::row_only);
        found.push(Problem::warning(
            at,
            ProblemKind::RedoneByInputs {
                who: a.email.to_string(),
                item,
                revoked: matches!(a.op, Op::RevokeDossier | Op::RevokeStructure),
            },
        ));
    }
    revert.problems.extend(found);
    crate::model::sort_problems(&mut revert.problems);
    revert.summary.warnings = revert
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .count();
}

/// No inputs to plan: the revert plan says that the next night is not checked.
pub fn redone_unchecked(revert: &mut Plan) {
    revert.problems.push(Problem::note(
        super::plan_location(),
        ProblemKind::RedoneUnchecked,
    ));
}

#[cfg(test)]
#[path = "revert_tests.rs"]
mod tests;
