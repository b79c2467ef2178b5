//! Checking a saved plan against the portal before it is applied (cli.md): a partly applied plan
//! resumes, anything else is stale and names what changed. The saved plan's format is
//! `crate::plan::saved`.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::model::{ObservedState, ObservedUser};
use crate::plan::{Action, Op, SavedPlan, SavedUser};

use super::executor::Prior;

/// How the plan stands against the portal now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Apply it: these actions are already in effect or adopted.
    Current(HashMap<u32, Prior>),
    /// Do not: what changed, one line per user or reason.
    Stale(Vec<String>),
}

/// One kind of item (dossiers or structures) of one user: is `now` reachable from `from` by
/// some of the plan's own grants and revocations? Returns the plan actions in effect and the
/// changes made outside the plan.
fn compare_items(
    what: &str,
    from: &BTreeSet<String>,
    now: &BTreeSet<String>,
    grants: &BTreeSet<&str>,
    revokes: &BTreeSet<&str>,
) -> (usize, Vec<String>) {
    let mut applied = 0;
    let mut foreign = Vec::new();
    for x in from.union(now) {
        match (from.contains(x), now.contains(x)) {
            (false, true) if grants.contains(x.as_str()) => applied += 1,
            (true, false) if revokes.contains(x.as_str()) => applied += 1,
            (false, true) => foreign.push(format!("{what} {x} added outside the plan")),
            (true, false) => foreign.push(format!("{what} {x} removed outside the plan")),
            _ => {}
        }
    }
    (applied, foreign)
}

/// cli.md's rule: a touched user whose access is the planned-from access plus some of the
/// plan's own actions (and whose version grew by no more than those) is not stale; a person
/// the plan creates who now exists with the plan's NRN and e-mail is adopted; anything else —
/// another change to a touched user, another portal or organisation — is stale.
pub fn standing(
    saved: &SavedPlan,
    actions: &[Action],
    observed: &ObservedState,
    portal: &str,
) -> Standing {
    let stale = elsewhere(saved, observed, portal);
    if !stale.is_empty() {
        return Standing::Stale(stale);
    }
    let mut state = Tracking::default();
    touched_users(saved, actions, observed, &mut state);
    creations(actions, observed, &mut state);
    if state.stale.is_empty() {
        Standing::Current(state.prior)
    } else {
        Standing::Stale(state.stale)
    }
}

/// What the check has found so far: actions already in effect, and why the plan is stale.
#[derive(Default)]
struct Tracking {
    prior: HashMap<u32, Prior>,
    stale: Vec<String>,
}

/// Another portal or another organisation than the plan was made for.
fn elsewhere(saved: &SavedPlan, observed: &ObservedState, portal: &str) -> Vec<String> {
    let mut stale = Vec::new();
    if saved.portal_url != portal {
        stale.push(format!(
            "the plan was made against the portal {}, this run talks to {portal}",
            saved.portal_url
        ));
    }
    if saved.organisation.id != observed.organisation.id {
        stale.push(format!(
            "the plan was made for the organisation {} ({}), the token acts for {} ({})",
            saved.organisation.name,
            saved.organisation.id,
            observed.organisation.name,
            observed.organisation.id
        ));
    }
    stale
}

fn structure_ids(u: &ObservedUser) -> BTreeSet<String> {
    u.structures.iter().map(|s| s.as_str().to_owned()).collect()
}

/// Each user the plan touches, as it was planned from and as it is now.
fn touched_users(
    saved: &SavedPlan,
    actions: &[Action],
    observed: &ObservedState,
    state: &mut Tracking,
) {
    let users: HashMap<&str, &ObservedUser> =
        observed.users.iter().map(|u| (u.id.as_str(), u)).collect();
    let mut by_user: HashMap<&str, Vec<&Action>> = HashMap::new();
    for a in actions {
        if let Some(u) = a.user_id.as_deref() {
            by_user.entry(u).or_default().push(a);
        }
    }
    for su in &saved.users {
        let Some(now) = users.get(su.user_id.as_str()) else {
            state
                .stale
                .push(format!("{}: no longer on the portal", su.user_id));
            continue;
        };
        let mine: &[&Action] = by_user.get(su.user_id.as_str()).map_or(&[], Vec::as_slice);
        let foreign = changes_outside(su, now, mine);
        if !foreign.is_empty() {
            state.stale.push(format!(
                "{} ({}): {}",
                su.user_id,
                now.email,
                foreign.join("; ")
            ));
            continue;
        }
        let (now_d, now_s) = (now.dossier_codes(), structure_ids(now));
        for a in mine.iter().copied() {
            if a.in_effect(|d| now_d.contains(d), |s| now_s.contains(s)) {
                state.prior.insert(a.id, Prior::InEffect);
            }
        }
    }
}

/// What changed on a touched user that the plan's own actions (`mine`) do not explain.
fn changes_outside(su: &SavedUser, now: &ObservedUser, mine: &[&Action]) -> Vec<String> {
    let codes = |op: Op| -> BTreeSet<&str> {
        mine.iter()
            .filter(|a| a.op == op)
            .filter_map(|a| {
                a.dossier
                    .map(|d| d.code())
                    .or_else(|| a.structure.as_ref().map(|s| s.as_str()))
            })
            .collect()
    };
    let from_d: BTreeSet<String> = su.dossiers.iter().cloned().collect();
    let from_s: BTreeSet<String> = su.structures.iter().cloned().collect();
    let (ad, mut foreign) = compare_items(
        "dossier",
        &from_d,
        &now.dossier_codes(),
        &codes(Op::GrantDossier),
        &codes(Op::RevokeDossier),
    );
    let (as_, fs) = compare_items(
        "structure",
        &from_s,
        &structure_ids(now),
        &codes(Op::GrantStructure),
        &codes(Op::RevokeStructure),
    );
    foreign.extend(fs);
    let applied = (ad + as_) as u64;
    if now.version < su.version || now.version - su.version > applied {
        foreign.push(format!(
            "version {} → {} for {applied} of the plan's changes (something else changed: name, e-mail or profile)",
            su.version, now.version
        ));
    }
    foreign
}

/// Each creation of the plan: still to do, done already (adopted, with its grants in effect),
/// or its NRN or e-mail now somebody else's.
fn creations(actions: &[Action], observed: &ObservedState, state: &mut Tracking) {
    let by_nrn: HashMap<&str, &ObservedUser> = observed
        .users
        .iter()
        .filter_map(|u| u.nrn.as_ref().map(|n| (n.expose(), u)))
        .collect();
    let by_email: HashMap<&str, &ObservedUser> = observed
        .users
        .iter()
        .map(|u| (u.email_key.as_str(), u))
        .collect();
    for a in actions.iter().filter(|a| a.op == Op::CreateUser) {
        let Some(n) = &a.new_user else { continue };
        let key = n.email.to_lowercase();
        let same_nrn = by_nrn.get(n.nrn.expose()).copied();
        let same_email = by_email.get(key.as_str()).copied();
        match (same_nrn, same_email) {
            (None, None) => {}
            (Some(x), Some(y)) if x.id == y.id => {
                state
                    .prior
                    .insert(a.id, Prior::Adopted(Arc::from(x.id.as_str())));
                let (now_d, now_s) = (x.dossier_codes(), structure_ids(x));
                for d in actions.iter().filter(|d| d.depends_on.contains(&a.id)) {
                    if d.in_effect(|c| now_d.contains(c), |s| now_s.contains(s)) {
                        state.prior.insert(d.id, Prior::InEffect);
                    }
                }
            }
            (x, y) => {
                let mut who = Vec::new();
                if let Some(x) = x {
                    who.push(format!(
                        "its NRN ({}) now belongs to {}",
                        n.nrn.masked(),
                        x.id
                    ));
                }
                if let Some(y) = y {
                    who.push(format!("its e-mail {} now belongs to {}", n.email, y.id));
                }
                state.stale.push(format!(
                    "{} {} (to be created): {}",
                    n.last_name,
                    n.first_name,
                    who.join(" and ")
                ));
            }
        }
    }
}
