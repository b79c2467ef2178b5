//! Held plans in the state directory (cli.md "Held changes"), as a store: `held-<fingerprint>.json`
//! (a saved plan), its `.html` page and `.md` ticket, and one small record per thing that
//! happened to it (`approved-`, `rejected-`, `applied-`, `partial-`, `stale-`, `superseded-`,
//! `notified-<fingerprint>.json`), all 0600 and each written whole or not at all. The store
//! reads the directory once, asks `lifecycle::transition` what an event means, and does what it
//! answers: no state change is written anywhere else.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::plan::SavedPlan;

use super::lifecycle::{Effect, Event, Kind, Step, state_of, transition};
pub use super::lifecycle::{HeldState, Record};
use super::write_private;

/// A held plan of the state directory, with its state and records.
#[derive(Debug, Clone)]
pub struct HeldEntry {
    pub fingerprint: String,
    pub created: String,
    pub state: HeldState,
    pub approved: Option<Record>,
    pub rejected: Option<Record>,
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

    /// Where it came from (`inputs`, `revert:<run>`, `review:<campaign>`).
    pub fn source(&self) -> &str {
        &self.plan.source
    }

    fn slot(&mut self, kind: Kind) -> Option<&mut Option<Record>> {
        match kind {
            Kind::Approved => Some(&mut self.approved),
            Kind::Rejected => Some(&mut self.rejected),
            Kind::Partial => Some(&mut self.partial),
            Kind::Notified => Some(&mut self.notified),
            _ => None,
        }
    }
}

pub fn plan_path(dir: &Path, fingerprint: &str) -> PathBuf {
    dir.join(format!("held-{fingerprint}.json"))
}

fn record_path(dir: &Path, kind: Kind, fingerprint: &str) -> PathBuf {
    dir.join(format!("{}-{fingerprint}.json", kind.prefix()))
}

fn read_record(dir: &Path, kind: Kind, fingerprint: &str) -> Option<Record> {
    let text = std::fs::read_to_string(record_path(dir, kind, fingerprint)).ok()?;
    serde_json::from_str(&text).ok()
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

/// What holding a plan came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holding {
    /// Saved now (new, or held again after it ended); these pending plans of its source were
    /// superseded by it.
    New { superseded: Vec<String> },
    /// The same plan is already held and waits.
    Kept,
    /// The same plan was rejected: left out, with who rejected it.
    Rejected(Record),
    /// The same plan was applied with failed actions: it stays `partial`.
    Partial,
}

/// The held plans of one state directory, read once.
#[derive(Debug)]
pub struct HeldStore {
    dir: PathBuf,
    entries: Vec<HeldEntry>,
}

impl HeldStore {
    /// Reads the held plans of `dir`; a file that is not a readable held plan is passed over
    /// (and said). A missing directory holds none.
    pub fn open(dir: &Path) -> std::io::Result<HeldStore> {
        let mut store = HeldStore {
            dir: dir.to_path_buf(),
            entries: Vec::new(),
        };
        store.reload()?;
        Ok(store)
    }

    /// Reads the directory again (under the lock, before each phase of a run).
    pub fn reload(&mut self) -> std::io::Result<()> {
        self.entries = list(&self.dir)?;
        Ok(())
    }

    /// Oldest first.
    pub fn entries(&self) -> &[HeldEntry] {
        &self.entries
    }

    pub fn get(&self, fingerprint: &str) -> Option<&HeldEntry> {
        self.entries.iter().find(|e| e.fingerprint == fingerprint)
    }

    /// The held plan whose fingerprint is `given` or starts with it (8 characters at least).
    pub fn find(&self, given: &str) -> Result<&HeldEntry, FindError> {
        find(&self.entries, given).map(|i| &self.entries[i])
    }

    /// The fingerprints retention must keep: held plans whose actions still wait.
    pub fn waiting(&self) -> HashSet<String> {
        self.entries
            .iter()
            .filter(|e| e.state.waiting())
            .map(|e| e.fingerprint.clone())
            .collect()
    }

    /// The actions of the held plans that still wait (the `held_actions` metric).
    pub fn waiting_actions(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.state.waiting())
            .map(|e| e.plan.actions.len())
            .sum()
    }

    /// What `event` does to the held plan `fingerprint`: its records written or the refusal
    /// (`Step::Refused`, nothing written). A record that cannot be written is an error, the
    /// previous one intact.
    pub fn event(&mut self, fingerprint: &str, event: &Event) -> std::io::Result<Step> {
        let state = self.get(fingerprint).map(|e| e.state);
        let step = transition(state, event);
        if let Step::To { to, effects } = &step {
            for effect in effects {
                self.effect(fingerprint, effect)?;
            }
            if let Some(e) = self
                .entries
                .iter_mut()
                .find(|e| e.fingerprint == fingerprint)
            {
                e.state = *to;
            }
        }
        Ok(step)
    }

    fn effect(&mut self, fingerprint: &str, effect: &Effect) -> std::io::Result<()> {
        let dir = self.dir.clone();
        let entry = self
            .entries
            .iter_mut()
            .find(|e| e.fingerprint == fingerprint);
        match effect {
            Effect::Write(kind, r) => {
                let r = Record {
                    fingerprint: fingerprint.to_owned(),
                    ..r.clone()
                };
                let body = serde_json::to_string_pretty(&r).map_err(std::io::Error::other)? + "\n";
                write_private(&record_path(&dir, *kind, fingerprint), body.as_bytes())?;
                if let Some(slot) = entry.and_then(|e| e.slot(*kind)) {
                    *slot = Some(r);
                }
            }
            Effect::Clear(kinds) => {
                for k in kinds {
                    match std::fs::remove_file(record_path(&dir, *k, fingerprint)) {
                        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                        _ => {}
                    }
                }
                if let Some(e) = entry {
                    for k in kinds {
                        if let Some(slot) = e.slot(*k) {
                            *slot = None;
                        }
                    }
                }
            }
            // Saved by `hold`, which has the plan and its pages.
            Effect::SavePlan => {}
        }
        Ok(())
    }

    /// A run holds `plan` (with its review page and ticket): saved when new or held again after
    /// it ended — then the other pending plans of its source are superseded by it — kept when
    /// it already waits, left out when it was rejected or is partial.
    pub fn hold(
        &mut self,
        plan: &SavedPlan,
        html: &str,
        markdown: &str,
    ) -> std::io::Result<Holding> {
        let fingerprint = plan.fingerprint.clone();
        let at = plan.created.clone().unwrap_or_default();
        let state = self.get(&fingerprint).map(|e| e.state);
        match transition(state, &Event::Held { at: at.clone() }) {
            Step::Kept => return Ok(Holding::Kept),
            Step::LeftOutPartial => return Ok(Holding::Partial),
            Step::LeftOutRejected => {
                let r = self.get(&fingerprint).and_then(|e| e.rejected.clone());
                return Ok(Holding::Rejected(
                    r.unwrap_or_else(|| Record::new(&fingerprint, at)),
                ));
            }
            Step::Refused(_) => return Ok(Holding::Kept),
            Step::To { effects, .. } => {
                for effect in &effects {
                    if *effect == Effect::SavePlan {
                        self.save(plan, html, markdown)?;
                    } else {
                        self.effect(&fingerprint, effect)?;
                    }
                }
            }
        }
        let others: Vec<String> = self
            .entries
            .iter()
            .filter(|e| {
                e.fingerprint != fingerprint
                    && e.state == HeldState::Pending
                    && e.source() == plan.source
            })
            .map(|e| e.fingerprint.clone())
            .collect();
        for other in &others {
            self.event(
                other,
                &Event::SupersededBy {
                    at: at.clone(),
                    by: fingerprint.clone(),
                },
            )?;
        }
        Ok(Holding::New { superseded: others })
    }

    /// `held-<fingerprint>.json` with its page and ticket, all 0600, the plan last: a held plan
    /// on disk always has its page.
    fn save(&mut self, plan: &SavedPlan, html: &str, markdown: &str) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let path = plan_path(&self.dir, &plan.fingerprint);
        let json = plan.to_json().map_err(std::io::Error::other)?;
        write_private(&path.with_extension("html"), html.as_bytes())?;
        write_private(&path.with_extension("md"), markdown.as_bytes())?;
        write_private(&path, json.as_bytes())?;
        self.entries.retain(|e| e.fingerprint != plan.fingerprint);
        self.entries.push(HeldEntry {
            fingerprint: plan.fingerprint.clone(),
            created: plan.created.clone().unwrap_or_default(),
            state: HeldState::Pending,
            approved: None,
            rejected: None,
            partial: None,
            notified: None,
            path,
            plan: plan.clone(),
        });
        Ok(())
    }
}

/// The held plans of `dir`, oldest first.
fn list(dir: &Path) -> std::io::Result<Vec<HeldEntry>> {
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
        let fp = plan.fingerprint.clone();
        let has = |k: Kind| record_path(dir, k, &fp).is_file();
        let state = state_of(has);
        out.push(HeldEntry {
            created: plan.created.clone().unwrap_or_default(),
            approved: read_record(dir, Kind::Approved, &fp),
            rejected: read_record(dir, Kind::Rejected, &fp),
            partial: read_record(dir, Kind::Partial, &fp),
            notified: read_record(dir, Kind::Notified, &fp),
            fingerprint: fp,
            state,
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

fn find(entries: &[HeldEntry], given: &str) -> Result<usize, FindError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(fp: &str, source: &str) -> SavedPlan {
        SavedPlan {
            fingerprint: fp.into(),
            source: source.into(),
            held: true,
            created: Some("2026-12-01T02:30:00.000Z".into()),
            ..SavedPlan::empty()
        }
    }

    #[test]
    fn a_fingerprint_is_found_by_a_unique_prefix_of_eight() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = HeldStore::open(dir.path()).unwrap();
        for fp in ["0123456789abcdef", "01234567ffffffff"] {
            s.save(&plan(fp, "inputs"), "", "").unwrap();
        }
        let fp = |r: Result<&HeldEntry, FindError>| r.map(|e| e.fingerprint.clone());
        assert_eq!(fp(s.find("0123456789ABCDEF")).unwrap(), "0123456789abcdef");
        assert_eq!(fp(s.find("01234567f")).unwrap(), "01234567ffffffff");
        assert!(matches!(s.find("0123456"), Err(FindError::TooShort(_))));
        assert!(matches!(
            s.find("01234567"),
            Err(FindError::Ambiguous { .. })
        ));
        assert!(matches!(s.find("fedcba98"), Err(FindError::Unknown(_))));
    }

    /// The store does what the transition says, and a second store reading the directory
    /// sees the same states (the records are the state).
    #[test]
    fn events_are_records_and_a_new_plan_supersedes_only_its_own_source() {
        let dir = tempfile::tempdir().unwrap();
        let at = || "2026-12-01T02:30:00.000Z".to_owned();
        let mut s = HeldStore::open(dir.path()).unwrap();
        let new = |s: &mut HeldStore, fp: &str, src: &str| s.hold(&plan(fp, src), "", "").unwrap();
        assert_eq!(
            new(&mut s, "00000000000000aa", "inputs"),
            Holding::New { superseded: vec![] }
        );
        assert_eq!(
            new(&mut s, "00000000000000bb", "revert:run-20261201T023000Z"),
            Holding::New { superseded: vec![] }
        );
        assert_eq!(new(&mut s, "00000000000000aa", "inputs"), Holding::Kept);
        assert_eq!(
            new(&mut s, "00000000000000cc", "inputs"),
            Holding::New {
                superseded: vec!["00000000000000aa".into()]
            }
        );
        let again = HeldStore::open(dir.path()).unwrap();
        let state = |s: &HeldStore, fp: &str| s.get(fp).map(|e| e.state);
        assert_eq!(
            state(&again, "00000000000000aa"),
            Some(HeldState::Superseded)
        );
        assert_eq!(state(&again, "00000000000000bb"), Some(HeldState::Pending));
        assert_eq!(
            again.get("00000000000000bb").map(HeldEntry::source),
            Some("revert:run-20261201T023000Z")
        );
        // Approved, then applied with a failed action: partial, named; held again: stays so.
        let approve = Event::Approve {
            by: Some("ana".into()),
            at: at(),
        };
        assert!(matches!(
            s.event("00000000000000cc", &approve).unwrap(),
            Step::To { .. }
        ));
        assert!(matches!(
            s.event("00000000000000cc", &approve).unwrap(),
            Step::Refused(HeldState::Approved)
        ));
        let applied = Event::Applied {
            at: at(),
            run: Some("run-20261202T023000Z".into()),
            failed: vec![4],
        };
        s.event("00000000000000cc", &applied).unwrap();
        let again = HeldStore::open(dir.path()).unwrap();
        let e = again.get("00000000000000cc").unwrap();
        assert_eq!(e.state, HeldState::Partial);
        assert_eq!(e.partial.as_ref().map(|r| r.failed.clone()), Some(vec![4]));
        assert_eq!(
            e.approved.as_ref().and_then(|r| r.by.as_deref()),
            Some("ana")
        );
        assert_eq!(new(&mut s, "00000000000000cc", "inputs"), Holding::Partial);
        // Rejected, held again: left out with who rejected it.
        s.event(
            "00000000000000bb",
            &Event::Reject {
                by: Some("marc".into()),
                at: at(),
            },
        )
        .unwrap();
        match new(&mut s, "00000000000000bb", "revert:run-20261201T023000Z") {
            Holding::Rejected(r) => assert_eq!(r.by.as_deref(), Some("marc")),
            other => panic!("{other:?}"),
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let p = record_path(dir.path(), Kind::Approved, "00000000000000cc");
            let mode = std::fs::metadata(p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    /// An applied plan held again is pending again: its ending and old approval cleared.
    #[test]
    fn a_plan_held_again_after_it_was_applied_asks_a_fresh_approval() {
        let dir = tempfile::tempdir().unwrap();
        let at = || "2026-12-01T02:30:00.000Z".to_owned();
        let mut s = HeldStore::open(dir.path()).unwrap();
        let fp = "00112233aabbccdd";
        s.hold(&plan(fp, "inputs"), "", "").unwrap();
        s.event(fp, &Event::Approve { by: None, at: at() }).unwrap();
        s.event(
            fp,
            &Event::Applied {
                at: at(),
                run: None,
                failed: vec![],
            },
        )
        .unwrap();
        assert_eq!(
            HeldStore::open(dir.path()).unwrap().get(fp).unwrap().state,
            HeldState::Applied
        );
        s.hold(&plan(fp, "inputs"), "", "").unwrap();
        let again = HeldStore::open(dir.path()).unwrap();
        assert_eq!(again.get(fp).unwrap().state, HeldState::Pending);
        assert!(again.get(fp).unwrap().approved.is_none());
    }
}
