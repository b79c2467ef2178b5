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
    /// Do not: what changed, one entry per user or reason.
    Stale(Vec<Change>),
}

/// What makes a saved plan stale, as data (the reports say it in the run's language; a held
/// plan's `stale-` record keeps it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum Change {
    OtherPortal {
        planned: String,
        now: String,
    },
    OtherOrganisation {
        planned_name: String,
        planned_id: String,
        now_name: String,
        now_id: String,
    },
    UserGone {
        user_id: String,
    },
    UserChanged {
        user_id: String,
        email: String,
        items: Vec<ItemChange>,
    },
    /// A person the plan creates whose NRN (masked) or e-mail now belongs to someone else.
    CreationTaken {
        name: String,
        nrn: Option<(String, String)>,
        email: Option<(String, String)>,
    },
}

/// One change to a touched user that the plan does not explain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum ItemChange {
    DossierAdded { item: String },
    DossierRemoved { item: String },
    StructureAdded { item: String },
    StructureRemoved { item: String },
    Version { from: u64, to: u64, applied: u64 },
}

impl Change {
    /// The user it is about, when it is about one.
    pub fn user_id(&self) -> Option<&str> {
        match self {
            Change::UserGone { user_id } | Change::UserChanged { user_id, .. } => Some(user_id),
            _ => None,
        }
    }
}

/// One kind of item (dossiers or structures) of one user: is `now` reachable from `from` by
/// some of the plan's own grants and revocations? Returns the plan actions in effect and the
/// changes made outside the plan.
fn compare_items(
    dossiers: bool,
    from: &BTreeSet<String>,
    now: &BTreeSet<String>,
    grants: &BTreeSet<&str>,
    revokes: &BTreeSet<&str>,
) -> (usize, Vec<ItemChange>) {
    let mut applied = 0;
    let mut foreign = Vec::new();
    for x in from.union(now) {
        let item = x.clone();
        match (from.contains(x), now.contains(x)) {
            (false, true) if grants.contains(x.as_str()) => applied += 1,
            (true, false) if revokes.contains(x.as_str()) => applied += 1,
            (false, true) if dossiers => foreign.push(ItemChange::DossierAdded { item }),
            (false, true) => foreign.push(ItemChange::StructureAdded { item }),
            (true, false) if dossiers => foreign.push(ItemChange::DossierRemoved { item }),
            (true, false) => foreign.push(ItemChange::StructureRemoved { item }),
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
    stale: Vec<Change>,
}

/// Another portal or another organisation than the plan was made for.
fn elsewhere(saved: &SavedPlan, observed: &ObservedState, portal: &str) -> Vec<Change> {
    let mut stale = Vec::new();
    if saved.portal_url != portal {
        stale.push(Change::OtherPortal {
            planned: saved.portal_url.clone(),
            now: portal.to_owned(),
        });
    }
    if saved.organisation.id != observed.organisation.id {
        stale.push(Change::OtherOrganisation {
            planned_name: saved.organisation.name.clone(),
            planned_id: saved.organisation.id.clone(),
            now_name: observed.organisation.name.clone(),
            now_id: observed.organisation.id.clone(),
        });
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
            state.stale.push(Change::UserGone {
                user_id: su.user_id.clone(),
            });
            continue;
        };
        let mine: &[&Action] = by_user.get(su.user_id.as_str()).map_or(&[], Vec::as_slice);
        let foreign = changes_outside(su, now, mine);
        if !foreign.is_empty() {
            state.stale.push(Change::UserChanged {
                user_id: su.user_id.clone(),
                email: now.email.clone(),
                items: foreign,
            });
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
fn changes_outside(su: &SavedUser, now: &ObservedUser, mine: &[&Action]) -> Vec<ItemChange> {
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
        true,
        &from_d,
        &now.dossier_codes(),
        &codes(Op::GrantDossier),
        &codes(Op::RevokeDossier),
    );
    let (as_, fs) = compare_items(
        false,
        &from_s,
        &structure_ids(now),
        &codes(Op::GrantStructure),
        &codes(Op::RevokeStructure),
    );
    foreign.extend(fs);
    let applied = (ad + as_) as u64;
    if now.version < su.version || now.version - su.version > applied {
        foreign.push(ItemChange::Version {
            from: su.version,
            to: now.version,
            applied,
        });
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
            (x, y) => state.stale.push(Change::CreationTaken {
                name: format!("{} {}", n.last_name, n.first_name),
                nrn: x.map(|x| (n.nrn.masked().to_string(), x.id.clone())),
                email: y.map(|y| (n.email.clone(), y.id.clone())),
            }),
        }
    }
}
