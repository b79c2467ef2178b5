//! Held plans in the state directory (cli.md "Held changes"): `held-<fingerprint>.json` (a saved
//! plan), its `.html` page and `.md` ticket, and one small record per thing that happened to it —
//! `approved-`, `rejected-`, `applied-`, `partial-`, `stale-`, `superseded-`,
//! `notified-<fingerprint>.json` —
//! all 0600. A plan's state is read from the records it has, never stored twice.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::plan::SavedPlan;

use super::write_private;

/// Where a held plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HeldState {
    Pending,
    Approved,
    Applied,
    /// Approved and applied, but some of its actions did not end done, adopted or in effect.
    Partial,
    Rejected,
    Superseded,
    Stale,
}

impl HeldState {
    pub fn as_str(self) -> &'static str {
        match self {
            HeldState::Pending => "pending",
            HeldState::Approved => "approved",
            HeldState::Applied => "applied",
            HeldState::Partial => "partial",
            HeldState::Rejected => "rejected",
            HeldState::Superseded => "superseded",
            HeldState::Stale => "stale",
        }
    }

    /// Its actions still wait (counted by the `held_actions` metric, kept by retention).
    pub fn waiting(self) -> bool {
        matches!(self, HeldState::Pending | HeldState::Approved)
    }
}

/// The record kinds, by file-name prefix.
pub mod kind {
    pub const APPROVED: &str = "approved";
    pub const REJECTED: &str = "rejected";
    pub const APPLIED: &str = "applied";
    pub const PARTIAL: &str = "partial";
    pub const STALE: &str = "stale";
    pub const SUPERSEDED: &str = "superseded";
    pub const NOTIFIED: &str = "notified";
    /// Every record kind (retention governs their files).
    pub const ALL: [&str; 7] = [
        APPROVED, REJECTED, APPLIED, PARTIAL, STALE, SUPERSEDED, NOTIFIED,
    ];
}

/// What happened to a held plan, when, and by whom or why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub fingerprint: String,
    /// RFC 3339.
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// For `stale`: what changed, as the stale check found it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<super::Change>,
    /// For `superseded`: the held plan that took its place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
    /// For `applied`: the run's journal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<String>,
    /// For `partial`: the held plan's actions that did not end done, adopted or in effect.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<u32>,
}

impl Record {
    pub fn new(fingerprint: &str, at: String) -> Record {
        Record {
            fingerprint: fingerprint.to_owned(),
            at,
            by: None,
            changes: Vec::new(),
            superseded_by: None,
            journal: None,
            failed: Vec::new(),
        }
    }
}

/// A held plan of the state directory, with its state.
#[derive(Debug, Clone)]
pub struct HeldEntry {
    pub fingerprint: String,
    pub created: String,
    pub state: HeldState,
    pub approved: Option<Record>,
    /// For a `partial` plan: the record naming its failed actions.
    pub partial: Option<Record>,
    pub notified: Option<Record>,
    pub path: PathBuf,
    pub plan: SavedPlan,
}

impl HeldEntry {
    /// Actions by op (`revoke_dossier` → 19), for `held`.
    pub fn counts(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for a in &self.plan.actions {
            let op = serde_json::to_value(a.op)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            *counts.entry(op).or_insert(0) += 1;
        }
        counts
    }

    /// The review page beside it.
    pub fn html_path(&self) -> PathBuf {
        self.path.with_extension("html")
    }
}

pub fn plan_path(dir: &Path, fingerprint: &str) -> PathBuf {
    dir.join(format!("held-{fingerprint}.json"))
}

fn record_path(dir: &Path, kind: &str, fingerprint: &str) -> PathBuf {
    dir.join(format!("{kind}-{fingerprint}.json"))
}

/// Writes a record (0600), replacing one of the same kind.
pub fn record(dir: &Path, kind: &str, r: &Record) -> std::io::Result<()> {
    let body = serde_json::to_string_pretty(r).map_err(std::io::Error::other)? + "\n";
    write_private(&record_path(dir, kind, &r.fingerprint), body.as_bytes())
}

/// The record of that kind, if there is a readable one.
pub fn read_record(dir: &Path, kind: &str, fingerprint: &str) -> Option<Record> {
    let text = std::fs::read_to_string(record_path(dir, kind, fingerprint)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Removes the records that say a plan ended (it is held again from scratch).
/// A record that cannot be removed is an error (the plan would keep its old ending); one that
/// is not there is nothing to do.
pub fn clear_ending(dir: &Path, fingerprint: &str) -> std::io::Result<()> {
    for k in [kind::APPLIED, kind::STALE, kind::SUPERSEDED] {
        match std::fs::remove_file(record_path(dir, k, fingerprint)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// Saves a held plan with its page and ticket, all 0600.
pub fn save(dir: &Path, plan: &SavedPlan, html: &str, markdown: &str) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = plan_path(dir, &plan.fingerprint);
    let json = plan.to_json().map_err(std::io::Error::other)?;
    write_private(&path.with_extension("html"), html.as_bytes())?;
    write_private(&path.with_extension("md"), markdown.as_bytes())?;
    // The plan last: a held plan on disk always has its page.
    write_private(&path, json.as_bytes())?;
    Ok(path)
}

/// The state of the held plan `fingerprint` from its records.
fn state_of(dir: &Path, fingerprint: &str) -> (HeldState, Option<Record>) {
    let has = |k: &str| record_path(dir, k, fingerprint).is_file();
    let approved = read_record(dir, kind::APPROVED, fingerprint);
    let state = if has(kind::APPLIED) {
        HeldState::Applied
    } else if has(kind::PARTIAL) {
        HeldState::Partial
    } else if has(kind::STALE) {
        HeldState::Stale
    } else if has(kind::REJECTED) {
        HeldState::Rejected
    } else if has(kind::SUPERSEDED) {
        HeldState::Superseded
    } else if approved.is_some() {
        HeldState::Approved
    } else {
        HeldState::Pending
    };
    (state, approved)
}

/// The held plans of `dir`, oldest first; a file that is not a readable held plan is passed
/// over (and said at debug level). A missing directory holds none.
pub fn list(dir: &Path) -> std::io::Result<Vec<HeldEntry>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !(name.starts_with("held-") && name.ends_with(".json")) {
            continue;
        }
        let plan = match std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|t| SavedPlan::parse(&t).map_err(|e| e.to_string()))
        {
            Ok(p) if p.held => p,
            Ok(_) => continue,
            Err(e) => {
                // A damaged held plan never shows in `held`: said, so someone looks at it.
                tracing::warn!("{}: cannot read this held plan: {e}", path.display());
                continue;
            }
        };
        let fingerprint = plan.fingerprint.clone();
        let (state, approved) = state_of(dir, &fingerprint);
        out.push(HeldEntry {
            partial: (state == HeldState::Partial)
                .then(|| read_record(dir, kind::PARTIAL, &fingerprint))
                .flatten(),
            created: plan.created.clone().unwrap_or_default(),
            notified: read_record(dir, kind::NOTIFIED, &fingerprint),
            fingerprint,
            state,
            approved,
            path,
            plan,
        });
    }
    out.sort_by(|a, b| {
        a.created
            .cmp(&b.created)
            .then(a.fingerprint.cmp(&b.fingerprint))
    });
    Ok(out)
}

/// Why a fingerprint given by a person names no held plan.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FindError {
    #[error("{0:?}: a fingerprint prefix has at least 8 characters")]
    TooShort(String),
    #[error("{0}: no held plan has this fingerprint")]
    Unknown(String),
    #[error("{given}: more than one held plan starts so: {}", matches.join(", "))]
    Ambiguous { given: String, matches: Vec<String> },
}

/// The held plan whose fingerprint is `given` or starts with it (8 characters at least).
pub fn find(entries: &[HeldEntry], given: &str) -> Result<usize, FindError> {
    let given = given.trim().to_ascii_lowercase();
    if given.len() < 8 {
        return Err(FindError::TooShort(given));
    }
    let matches: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].fingerprint.starts_with(&given))
        .collect();
    match matches.as_slice() {
        [] => Err(FindError::Unknown(given)),
        [one] => Ok(*one),
        many => Err(FindError::Ambiguous {
            given,
            matches: many
                .iter()
                .map(|&i| entries[i].fingerprint.clone())
                .collect(),
        }),
    }
}

/// The fingerprints retention must keep: held plans whose actions still wait.
pub fn waiting(dir: &Path) -> HashSet<String> {
    list(dir)
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e.state.waiting())
        .map(|e| e.fingerprint)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(fp: &str) -> HeldEntry {
        HeldEntry {
            fingerprint: fp.into(),
            created: String::new(),
            state: HeldState::Pending,
            approved: None,
            partial: None,
            notified: None,
            path: PathBuf::new(),
            plan: SavedPlan {
                format: crate::plan::PLAN_FORMAT.into(),
                saved: true,
                fingerprint: fp.into(),
                mode: crate::plan::Mode::Prune,
                scope: crate::model::ScopeMode::Listed,
                portal_url: String::new(),
                organisation: crate::plan::SavedOrganisation {
                    id: String::new(),
                    name: String::new(),
                },
                guard_tripped: true,
                tripped: vec![],
                held: true,
                created: None,
                summary: None,
                actions: vec![],
                users: vec![],
            },
        }
    }

    #[test]
    fn a_fingerprint_is_found_by_a_unique_prefix_of_eight() {
        let all = [entry("0123456789abcdef"), entry("01234567ffffffff")];
        assert_eq!(find(&all, "0123456789ABCDEF"), Ok(0));
        assert_eq!(find(&all, "012345678"), Ok(0));
        assert_eq!(find(&all, "01234567f"), Ok(1));
        assert!(matches!(find(&all, "0123456"), Err(FindError::TooShort(_))));
        assert!(matches!(
            find(&all, "01234567"),
            Err(FindError::Ambiguous { .. })
        ));
        assert!(matches!(find(&all, "fedcba98"), Err(FindError::Unknown(_))));
    }

    #[test]
    fn the_state_comes_from_the_records() {
        let dir = tempfile::tempdir().unwrap();
        let fp = "00112233aabbccdd";
        let at = || "2026-12-01T02:30:00.000Z".to_owned();
        assert_eq!(state_of(dir.path(), fp).0, HeldState::Pending);
        record(
            dir.path(),
            kind::APPROVED,
            &Record {
                by: Some("ana".into()),
                ..Record::new(fp, at())
            },
        )
        .unwrap();
        let (state, approved) = state_of(dir.path(), fp);
        assert_eq!(
            (state, approved.and_then(|r| r.by)),
            (HeldState::Approved, Some("ana".into()))
        );
        record(dir.path(), kind::APPLIED, &Record::new(fp, at())).unwrap();
        assert_eq!(state_of(dir.path(), fp).0, HeldState::Applied);
        clear_ending(dir.path(), fp).unwrap();
        assert_eq!(state_of(dir.path(), fp).0, HeldState::Approved);
        // Approved, then applied with failed actions: partial, and it stays so.
        let partial = Record {
            failed: vec![3, 7],
            ..Record::new(fp, at())
        };
        record(dir.path(), kind::PARTIAL, &partial).unwrap();
        assert_eq!(state_of(dir.path(), fp).0, HeldState::Partial);
        clear_ending(dir.path(), fp).unwrap();
        assert_eq!(state_of(dir.path(), fp).0, HeldState::Partial);
        assert_eq!(
            read_record(dir.path(), kind::PARTIAL, fp).map(|r| r.failed),
            Some(vec![3, 7])
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(record_path(dir.path(), kind::APPROVED, fp))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
