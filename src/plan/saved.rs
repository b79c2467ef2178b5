//! The saved plan (`plan --out`, `proone-sync.plan/1`) and the plan's fingerprint: facts of the
//! plan, read and written by `apply` and the renderers alike. A saved plan holds what `apply
//! --plan` needs — the actions with whole NRNs for creations, the portal and organisation it was
//! made against, each touched user's planned-from access and `version` — and its actions are
//! only handed out when they still give the fingerprint it was saved (and approved) under.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use sha2::{Digest, Sha256};

use crate::model::{CalendarDate, Dossier, Location, Nrn, ObservedState, ScopeMode, StructureId};

use super::{Action, Mode, NewUser, Op, Plan, Summary};

pub const PLAN_FORMAT: &str = "proone-sync.plan/1";

/// Why a file is not a saved plan this version applies, or why its actions are refused (data:
/// the reports say it in the run's language).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SavedPlanError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("format {0:?}: this version applies {PLAN_FORMAT} only")]
    OtherFormat(String),
    #[error("not a proone-sync plan (no \"format\")")]
    NoFormat,
    #[error("this is a report of a plan, not a saved plan: save one with `plan --out PLAN`")]
    Report,
    #[error("damaged: {0}")]
    Damaged(String),
    #[error(
        "its content does not give its fingerprint {saved} (it gives {recomputed}): the plan was changed after it was saved"
    )]
    Edited { saved: String, recomputed: String },
    #[error("canonical form {0}: this version knows forms 1 to {CANONICAL}")]
    UnknownForm(u32),
    #[error("action {action}: unknown dossier {code:?}")]
    UnknownDossier { action: u32, code: String },
    #[error("action {0}: the NRN is not valid")]
    BadNrn(u32),
    #[error("action {0}: a creation without its person")]
    NoPerson(u32),
}

/// The version of the canonical form new plans are fingerprinted under (cli.md: versioned, so
/// a plan saved under an older form keeps verifying with that form after an upgrade).
/// 1: the form of the first saved plans (no `canonical`, no `source`).
/// 2: `canonical` and `source` lead the form.
pub const CANONICAL: u32 = 2;

/// A saved plan with no `canonical` was fingerprinted under the first form.
fn first_form() -> u32 {
    1
}

/// Where a plan comes from (cli.md): the inputs, unless said.
pub const SOURCE_INPUTS: &str = "inputs";

fn inputs() -> String {
    SOURCE_INPUTS.to_owned()
}

/// What the fingerprint is computed over: everything `apply` sends or trusts, in a fixed order,
/// and nothing for people only (`sources`, `summary`). The README documents this form so an
/// auditor can recompute a fingerprint from a saved plan.
#[derive(Serialize)]
struct Canonical<'a> {
    /// From form 2 on: the form's version, then the plan's source.
    #[serde(skip_serializing_if = "Option::is_none")]
    canonical: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    format: &'static str,
    portal: &'a str,
    organisation: &'a SavedOrganisation,
    mode: Mode,
    scope: ScopeMode,
    guard_tripped: bool,
    /// Which guards tripped; left out when none did (the form of plans saved before).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tripped: &'a [String],
    /// A held plan (it needs an approval to be applied); left out for any other.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    held: bool,
    actions: Vec<CanonicalAction<'a>>,
    users: &'a [SavedUser],
}

#[derive(Serialize)]
struct CanonicalAction<'a> {
    id: u32,
    op: Op,
    email: &'a str,
    user_id: Option<&'a str>,
    dossier: Option<&'a str>,
    structure: Option<&'a str>,
    depends_on: &'a [u32],
    new_user: Option<&'a SavedNewUser>,
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
    /// A revocation because a row's period ended: that row's `until` (YYYY-MM-DD). For people,
    /// as `sources`: not under the fingerprint (what apply sends is the revocation itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<String>,
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
    /// The version of the canonical form its fingerprint is computed over.
    #[serde(default = "first_form")]
    pub canonical: u32,
    /// `inputs`, `revert:<run>`, `review:<campaign>` (under the fingerprint from form 2 on).
    #[serde(default = "inputs")]
    pub source: String,
    pub mode: Mode,
    /// `listed` when absent (cli.md "Modes"). Under the fingerprint.
    #[serde(default)]
    pub scope: ScopeMode,
    /// The portal it was planned against: its base URL, or `embedded:<state file>`.
    pub portal_url: String,
    pub organisation: SavedOrganisation,
    #[serde(default)]
    pub guard_tripped: bool,
    /// Which guards tripped (`"revocations"`, `"creations"`): what apply holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tripped: Vec<String>,
    /// The held actions of a run, saved for approval (`held-<fingerprint>.json`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub held: bool,
    /// When it was first held (RFC 3339); not under the fingerprint, which must stay the same
    /// from night to night.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// The plan's day (YYYY-MM-DD, cli.md): `apply --plan` on another day says so before it
    /// writes. For people, not under the fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub today: Option<String>,
    #[serde(default)]
    pub summary: Option<Summary>,
    pub actions: Vec<SavedAction>,
    pub users: Vec<SavedUser>,
}

impl SavedPlan {
    /// The plan as `apply --plan` will read it, with its fingerprint.
    pub fn new(p: &Plan, portal: &str, observed: &ObservedState) -> SavedPlan {
        let touched: BTreeSet<&str> = p
            .actions
            .iter()
            .filter_map(|a| a.user_id.as_deref())
            .collect();
        let mut saved = SavedPlan {
            format: PLAN_FORMAT.to_owned(),
            saved: true,
            fingerprint: String::new(),
            canonical: CANONICAL,
            source: SOURCE_INPUTS.to_owned(),
            mode: p.mode,
            scope: p.scope,
            portal_url: portal.to_owned(),
            organisation: SavedOrganisation {
                id: observed.organisation.id.clone(),
                name: observed.organisation.name.clone(),
            },
            guard_tripped: p.guard_tripped,
            tripped: p.tripped.names(),
            held: false,
            created: None,
            today: None,
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
                    ended: a.ended.map(|d| d.to_string()),
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
        };
        saved.fingerprint = saved.recompute_fingerprint();
        saved
    }

    /// The held plan of a run (`plan` is `hold::held_plan`'s), made at `created`.
    pub fn held(plan: &Plan, portal: &str, after: &ObservedState, created: String) -> SavedPlan {
        let mut saved = SavedPlan::new(plan, portal, after);
        saved.held = true;
        saved.created = Some(created);
        saved.fingerprint = saved.recompute_fingerprint();
        saved
    }

    /// The guards that tripped when it was made.
    pub fn tripped(&self) -> super::Tripped {
        super::Tripped::from_names(&self.tripped, self.guard_tripped)
    }

    /// A plan with nothing in it (for tests and as a base to build one).
    pub fn empty() -> SavedPlan {
        SavedPlan {
            format: PLAN_FORMAT.to_owned(),
            saved: true,
            fingerprint: String::new(),
            canonical: CANONICAL,
            source: SOURCE_INPUTS.to_owned(),
            mode: Mode::Additive,
            scope: crate::model::ScopeMode::Listed,
            portal_url: String::new(),
            organisation: SavedOrganisation {
                id: String::new(),
                name: String::new(),
            },
            guard_tripped: false,
            tripped: Vec::new(),
            held: false,
            created: None,
            today: None,
            summary: None,
            actions: Vec::new(),
            users: Vec::new(),
        }
    }

    /// The start (16 hex digits) of the SHA-256 of the canonical serialisation of its form
    /// (`canonical`): compact JSON of `{canonical, source, format, portal, organisation, mode,
    /// scope, guard_tripped, tripped, held, actions: [{id, op, email, user_id, dossier,
    /// structure, depends_on, new_user}], users}`, keys in that order (`canonical` and `source`
    /// from form 2 on, `tripped` only when a guard tripped, `held` only for a held plan). `None`
    /// for a form this version does not know.
    pub fn fingerprint_of_form(&self) -> Option<String> {
        let (canonical, source) = match self.canonical {
            // Form 1 knew one source: a form-1 plan that says another one was edited, and its
            // source (which decides what it supersedes) no longer gives its fingerprint.
            1 if self.source == SOURCE_INPUTS => (None, None),
            1 => (None, Some(self.source.as_str())),
            2 => (Some(2), Some(self.source.as_str())),
            _ => return None,
        };
        let canonical = Canonical {
            canonical,
            source,
            format: PLAN_FORMAT,
            portal: &self.portal_url,
            organisation: &self.organisation,
            mode: self.mode,
            scope: self.scope,
            guard_tripped: self.guard_tripped,
            tripped: &self.tripped,
            held: self.held,
            actions: self
                .actions
                .iter()
                .map(|a| CanonicalAction {
                    id: a.id,
                    op: a.op,
                    email: &a.email,
                    user_id: a.user_id.as_deref(),
                    dossier: a.dossier.as_deref(),
                    structure: a.structure.as_deref(),
                    depends_on: &a.depends_on,
                    new_user: a.new_user.as_ref(),
                })
                .collect(),
            users: &self.users,
        };
        let mut h = Sha256::new();
        // Writing into a hasher cannot fail; a value serde cannot write is not in this form.
        let _ = serde_json::to_writer(HashWriter(&mut h), &canonical);
        Some(
            h.finalize()
                .iter()
                .take(8)
                .map(|b| format!("{b:02x}"))
                .collect(),
        )
    }

    /// The fingerprint its content gives under its own form (empty for an unknown form, which
    /// then never matches: `actions` refuses it).
    pub fn recompute_fingerprint(&self) -> String {
        self.fingerprint_of_form().unwrap_or_default()
    }

    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        Ok(serde_json::to_string_pretty(self)? + "\n")
    }

    /// Reads a saved plan, refusing anything that is not one (or one this version cannot read).
    pub fn parse(text: &str) -> Result<SavedPlan, SavedPlanError> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| SavedPlanError::NotJson(e.to_string()))?;
        match v.get("format").and_then(|f| f.as_str()) {
            Some(PLAN_FORMAT) => {}
            Some(other) => return Err(SavedPlanError::OtherFormat(other.to_owned())),
            None => return Err(SavedPlanError::NoFormat),
        }
        if v.get("saved").and_then(|s| s.as_bool()) != Some(true) {
            return Err(SavedPlanError::Report);
        }
        serde_json::from_value(v).map_err(|e| SavedPlanError::Damaged(e.to_string()))
    }

    /// The plan's actions in domain terms, once the fingerprint recomputed from them is the
    /// saved one: a plan edited after review is refused.
    pub fn actions(&self, today: CalendarDate) -> Result<Vec<Action>, SavedPlanError> {
        let Some(recomputed) = self.fingerprint_of_form() else {
            return Err(SavedPlanError::UnknownForm(self.canonical));
        };
        if recomputed != self.fingerprint {
            return Err(SavedPlanError::Edited {
                saved: self.fingerprint.clone(),
                recomputed,
            });
        }
        self.parse_actions(today)
    }

    /// The actions as written, unchecked (for `actions` and for tests that build a plan).
    pub fn parse_actions(&self, today: CalendarDate) -> Result<Vec<Action>, SavedPlanError> {
        let mut out = Vec::with_capacity(self.actions.len());
        let mut emails: HashMap<String, Arc<str>> = HashMap::new();
        for a in &self.actions {
            let email = emails
                .entry(a.email.clone())
                .or_insert_with(|| Arc::from(a.email.as_str()))
                .clone();
            let dossier = match &a.dossier {
                Some(code) => Some(Dossier::from_code(code).ok_or_else(|| {
                    SavedPlanError::UnknownDossier {
                        action: a.id,
                        code: code.clone(),
                    }
                })?),
                None => None,
            };
            let new_user = match &a.new_user {
                Some(n) => Some(NewUser {
                    last_name: n.last_name.clone(),
                    first_name: n.first_name.clone(),
                    email: n.email.clone(),
                    nrn: Nrn::parse_strict(&n.nrn, today)
                        .map_err(|_| SavedPlanError::BadNrn(a.id))?,
                }),
                None => None,
            };
            if a.op == Op::CreateUser && new_user.is_none() {
                return Err(SavedPlanError::NoPerson(a.id));
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
                ended: a.ended.as_deref().and_then(CalendarDate::parse),
            });
        }
        Ok(out)
    }
}

/// Feeds serde_json's output straight into the hash: no copy of a large plan's JSON.
struct HashWriter<'h>(&'h mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
