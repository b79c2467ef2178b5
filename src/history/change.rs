//! The store's shared vocabulary (a leaf: every other file of `history` may import it, it
//! imports none of them but `snapshot`): how a change came, a change found and not yet
//! written, a user's latest name, a change made by hand as the questions and the reports see
//! it, and the store's small key–value facts.

use std::collections::HashMap;

use rusqlite::{Transaction, params};
use serde::Serialize;

use super::snapshot::{Item, Kind};

/// How a change came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum By {
    Job,
    Hand,
    /// Held before the store's first observation.
    Unknown,
}

impl By {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            By::Job => "job",
            By::Hand => "hand",
            By::Unknown => "unknown",
        }
    }
}

/// A change found, not written yet.
#[derive(Debug, Clone)]
pub(super) struct NewChange {
    pub at: String,
    pub after: Option<String>,
    pub after_run: Option<String>,
    pub user_id: String,
    pub item: Item,
    pub grant: bool,
    pub by: By,
    pub action: Option<u32>,
    pub job_op: Option<String>,
    pub sources: Vec<String>,
    pub approved_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct UserRow {
    pub email: String,
    pub last_name: String,
    pub first_name: String,
    pub gone: bool,
}

/// A change made by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DriftChange {
    pub user_id: String,
    pub email: String,
    pub op: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dossier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structure: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    pub after_run: Option<String>,
    /// `None` in a plan: seen by this dry run, not yet by a run.
    pub seen_at_run: Option<String>,
    /// When it was seen.
    pub at: String,
}

impl DriftChange {
    /// A change by hand as the drift lists say it: a dossier or a structure (evidence.md's four
    /// ops; a profile changed by hand is kept in the store, shown in the person's timeline).
    pub(super) fn of_new(
        c: &NewChange,
        users: &HashMap<String, UserRow>,
        run: Option<&str>,
    ) -> Option<DriftChange> {
        let code = Some(c.item.code.clone());
        let (dossier, structure) = match c.item.kind {
            Kind::Dossier => (code, None),
            Kind::Structure => (None, code),
            Kind::Profile => return None,
        };
        Some(DriftChange {
            user_id: c.user_id.clone(),
            email: users
                .get(&c.user_id)
                .map(|u| u.email.clone())
                .unwrap_or_default(),
            op: c.item.kind.op(c.grant).to_owned(),
            dossier,
            structure,
            profile: None,
            after_run: c.after_run.clone(),
            seen_at_run: run.map(str::to_owned),
            at: c.at.clone(),
        })
    }
}

pub(super) fn set_meta(tx: &Transaction<'_>, key: &str, value: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = ?2",
        params![key, value],
    )
    .map(|_| ())
}
