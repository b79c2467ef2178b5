//! The saved plan (`plan --out`, `proone-sync.plan/1`): what `apply --plan` needs — the actions
//! with whole NRNs for creations, the portal and organisation it was made against, each touched
//! user's planned-from access and `version` — and checking it against the portal before it is
//! applied (cli.md): a partly applied plan resumes, anything else is stale and names what
//! changed.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::{
    CalendarDate, Dossier, Location, Nrn, ObservedState, ObservedUser, StructureId,
};
use crate::plan::{Action, Mode, NewUser, Op, Plan, Summary};

use super::executor::Prior;

pub use crate::report::plan::PLAN_FORMAT;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedOrganisation {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedNewUser {
    pub last_name: String,
    pub first_name: String,
    pub email: String,
    /// Whole: the saved plan is the one place it is kept (the file is 0600).
    pub nrn: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedAction {
    pub id: u32,
    pub op: Op,
    pub email: String,
    pub user_id: Option<String>,
    pub dossier: Option<String>,
    pub structure: Option<String>,
    #[serde(default)]
    pub depends_on: Vec<u32>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub new_user: Option<SavedNewUser>,
}

/// A touched user as the plan found them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedUser {
    pub user_id: String,
    pub version: u64,
    pub dossiers: Vec<String>,
    pub structures: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedPlan {
    pub format: String,
    pub saved: bool,
    pub fingerprint: String,
    pub mode: Mode,
    /// The portal it was planned against: its base URL, or `embedded:<state file>`.
    pub portal_url: String,
    pub organisation: SavedOrganisation,
    #[serde(default)]
    pub guard_tripped: bool,
    #[serde(default)]
    pub summary: Option<Summary>,
    pub actions: Vec<SavedAction>,
    pub users: Vec<SavedUser>,
}

impl SavedPlan {
    pub fn new(p: &Plan, fingerprint: &str, portal: &str, observed: &ObservedState) -> SavedPlan {
        let touched: BTreeSet<&str> = p
            .actions
            .iter()
            .filter_map(|a| a.user_id.as_deref())
            .collect();
        SavedPlan {
            format: PLAN_FORMAT.to_owned(),
            saved: true,
            fingerprint: fingerprint.to_owned(),
            mode: p.mode,
            portal_url: portal.to_owned(),
            organisation: SavedOrganisation {
                id: observed.organisation.id.clone(),
                name: observed.organisation.name.clone(),
            },
            guard_tripped: p.guard_tripped,
            summary: Some(p.summary),
            actions: p
                .actions
                .iter()
                .map(|a| SavedAction {
                    id: a.id,
                    op: a.op,
                    email: a.email.to_string(),
                    user_id: a.user_id.as_deref().map(str::to_owned),
                    dossier: a.dossier.map(|d| d.code().to_owned()),
                    structure: a.structure.as_ref().map(|s| s.as_str().to_owned()),
                    depends_on: a.depends_on.clone(),
                    sources: a.sources.iter().map(ToString::to_string).collect(),
                    new_user: a.new_user.as_ref().map(|n| SavedNewUser {
                        last_name: n.last_name.clone(),
                        first_name: n.first_name.clone(),
                        email: n.email.clone(),
                        nrn: n.nrn.expose().to_owned(),
                    }),
                })
                .collect(),
            users: observed
                .users
                .iter()
                .filter(|u| touched.contains(u.id.as_str()))
                .map(|u| SavedUser {
                    user_id: u.id.clone(),
                    version: u.version,
                    dossiers: dossier_codes(u).into_iter().collect(),
                    structures: u.structures.iter().map(|s| s.as_str().to_owned()).collect(),
                })
                .collect(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Reads a saved plan, refusing anything that is not one (or one this version cannot read).
    pub fn parse(text: &str) -> Result<SavedPlan, String> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        match v.get("format").and_then(|f| f.as_str()) {
            Some(PLAN_FORMAT) => {}
            Some(other) => {
                return Err(format!(
                    "format {other:?}: this version applies {PLAN_FORMAT} only"
                ));
            }
            None => return Err("not a proone-sync plan (no \"format\")".into()),
        }
        if v.get("saved").and_then(|s| s.as_bool()) != Some(true) {
            return Err(
                "this is a report of a plan, not a saved plan: save one with `plan --out PLAN`"
                    .into(),
            );
        }
        serde_json::from_value(v).map_err(|e| format!("damaged: {e}"))
    }

    /// The plan's actions in domain terms, once the fingerprint recomputed from them is the
    /// saved one: a plan edited after review is refused.
    pub fn actions(&self, today: CalendarDate) -> Result<Vec<Action>, String> {
        let actions = self.parse_actions(today)?;
        let recomputed = crate::report::plan::fingerprint_of(self.mode, &actions);
        if recomputed != self.fingerprint {
            return Err(format!(
                "its actions do not match its fingerprint {} (they give {recomputed}): the plan was changed after it was saved",
                self.fingerprint
            ));
        }
        Ok(actions)
    }

    /// The actions as written, unchecked (for `actions` and for tests that build a plan).
    pub fn parse_actions(&self, today: CalendarDate) -> Result<Vec<Action>, String> {
        let mut out = Vec::with_capacity(self.actions.len());
        let mut emails: HashMap<String, Arc<str>> = HashMap::new();
        for a in &self.actions {
            let email = emails
                .entry(a.email.clone())
                .or_insert_with(|| Arc::from(a.email.as_str()))
                .clone();
            let dossier = match &a.dossier {
                Some(code) => Some(
                    Dossier::from_code(code)
                        .ok_or_else(|| format!("action {}: unknown dossier {code:?}", a.id))?,
                ),
                None => None,
            };
            let new_user = match &a.new_user {
                Some(n) => Some(NewUser {
                    last_name: n.last_name.clone(),
                    first_name: n.first_name.clone(),
                    email: n.email.clone(),
                    nrn: Nrn::parse_strict(&n.nrn, today)
                        .map_err(|_| format!("action {}: the NRN is not valid", a.id))?,
                }),
                None => None,
            };
            if a.op == Op::CreateUser && new_user.is_none() {
                return Err(format!("action {}: a creation without its person", a.id));
            }
            let sources: Vec<Location> = a
                .sources
                .iter()
                .map(|s| Location::file(s.as_str(), 0))
                .collect();
            out.push(Action {
                id: a.id,
                op: a.op,
                email,
                user_id: a.user_id.as_deref().map(Arc::from),
                dossier,
                structure: a.structure.clone().map(StructureId::from_portal),
                depends_on: a.depends_on.clone(),
                sources: sources.into(),
                new_user,
            });
        }
        Ok(out)
    }
}

fn dossier_codes(u: &ObservedUser) -> BTreeSet<String> {
    u.dossiers
        .iter()
        .map(|d| d.code().to_owned())
        .chain(u.other_dossiers.iter().cloned())
        .collect()
}

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
    if !stale.is_empty() {
        return Standing::Stale(stale);
    }
    let users: HashMap<&str, &ObservedUser> =
        observed.users.iter().map(|u| (u.id.as_str(), u)).collect();
    let mut prior = HashMap::new();
    let mut by_user: HashMap<&str, Vec<&Action>> = HashMap::new();
    for a in actions {
        if let Some(u) = a.user_id.as_deref() {
            by_user.entry(u).or_default().push(a);
        }
    }
    for su in &saved.users {
        let Some(now) = users.get(su.user_id.as_str()) else {
            stale.push(format!("{}: no longer on the portal", su.user_id));
            continue;
        };
        let mine: &[&Action] = by_user.get(su.user_id.as_str()).map_or(&[], Vec::as_slice);
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
        let now_d = dossier_codes(now);
        let now_s: BTreeSet<String> = now
            .structures
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect();
        let (ad, mut foreign) = compare_items(
            "dossier",
            &from_d,
            &now_d,
            &codes(Op::GrantDossier),
            &codes(Op::RevokeDossier),
        );
        let (as_, fs) = compare_items(
            "structure",
            &from_s,
            &now_s,
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
        if !foreign.is_empty() {
            stale.push(format!(
                "{} ({}): {}",
                su.user_id,
                now.email,
                foreign.join("; ")
            ));
            continue;
        }
        for a in mine.iter().copied() {
            if in_effect(a, &now_d, &now_s) {
                prior.insert(a.id, Prior::InEffect);
            }
        }
    }
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
                prior.insert(a.id, Prior::Adopted(Arc::from(x.id.as_str())));
                let now_d = dossier_codes(x);
                let now_s: BTreeSet<String> =
                    x.structures.iter().map(|s| s.as_str().to_owned()).collect();
                for d in actions.iter().filter(|d| d.depends_on.contains(&a.id)) {
                    if in_effect(d, &now_d, &now_s) {
                        prior.insert(d.id, Prior::InEffect);
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
                stale.push(format!(
                    "{} {} (to be created): {}",
                    n.last_name,
                    n.first_name,
                    who.join(" and ")
                ));
            }
        }
    }
    if stale.is_empty() {
        Standing::Current(prior)
    } else {
        Standing::Stale(stale)
    }
}

fn in_effect(a: &Action, dossiers: &BTreeSet<String>, structures: &BTreeSet<String>) -> bool {
    let d = a.dossier.map(|d| dossiers.contains(d.code()));
    let s = a
        .structure
        .as_ref()
        .map(|s| structures.contains(s.as_str()));
    match a.op {
        Op::GrantDossier => d == Some(true),
        Op::RevokeDossier => d == Some(false),
        Op::GrantStructure => s == Some(true),
        Op::RevokeStructure => s == Some(false),
        Op::CreateUser => false,
    }
}
