//! The saved plan (`plan --out`, `proone-sync.plan/1`) and the plan's fingerprint: facts of the
//! plan, read and written by `apply` and the renderers alike. A saved plan holds what `apply
//! --plan` needs — the actions with whole NRNs for creations, the portal and organisation it was
//! made against, each touched user's planned-from access and `version` — and its actions are
//! only handed out when they still give the fingerprint it was saved (and approved) under.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use sha2::{Digest, Sha256};

use crate::model::{CalendarDate, Dossier, Location, Nrn, ObservedState, StructureId};

use super::{Action, Mode, NewUser, Op, Plan, Summary};

pub const PLAN_FORMAT: &str = "proone-sync.plan/1";

/// SHA-256 over the actions as the portal will see them (no NRN: a hash of a number with so
/// few possibilities would give it away), first 16 hex digits.
pub fn fingerprint(plan: &Plan) -> String {
    fingerprint_of(plan.mode, &plan.actions)
}

/// The fingerprint of a mode and its actions (a saved plan is checked with it).
pub fn fingerprint_of(mode: Mode, actions: &[Action]) -> String {
    let mut h = Sha256::new();
    h.update(format!("{mode:?}\n").as_bytes());
    for a in actions {
        h.update(
            format!(
                "{}|{:?}|{}|{}|{}|{}|{:?}\n",
                a.id,
                a.op,
                a.email.to_lowercase(),
                a.user_id.as_deref().unwrap_or(""),
                a.dossier.map(|d| d.code()).unwrap_or(""),
                a.structure.as_ref().map(|s| s.as_str()).unwrap_or(""),
                a.depends_on
            )
            .as_bytes(),
        );
    }
    h.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

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
                    dossiers: u.dossier_codes().into_iter().collect(),
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
        let recomputed = fingerprint_of(self.mode, &actions);
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
