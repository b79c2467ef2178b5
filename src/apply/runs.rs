//! Runs (evidence.md "Runs"): every `apply` is one, from the nightly run with nothing to do to
//! one that fails before any write. Its record `run-<UTC stamp>[-n].json` is created with
//! create-new semantics under the lock, before the portal is read; its id is that name, its
//! journal is named after it, and the record is rewritten whole at each phase and at the end.
//! A record with no end is a run still going or killed: `runs` tells them apart by the lock.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::outcome::{compact_stamp, rfc3339};
use super::record::create_whole;
use super::write_private;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunState {
    Completed,
    Failed,
    /// Stopped by a signal, with its `end` written.
    Interrupted,
    /// Its journal has no `end`: the process was killed (or the machine stopped).
    Killed,
    /// No end yet, and its process still holds the lock.
    Running,
}

/// One phase of a run: an approved held plan, then the inputs (or a saved plan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunPhase {
    /// `inputs`, `plan:<path>`, `held:<fingerprint>`, `revert:<run>`, `review:<campaign>`.
    pub source: String,
    pub fingerprint: String,
    /// Outcomes by op and status: `{"grant_dossier": {"done": 3}}`.
    pub counts: BTreeMap<String, BTreeMap<String, u64>>,
    pub approved_by: Option<String>,
}

/// A run's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRecord {
    pub id: String,
    /// RFC 3339.
    pub started: String,
    pub ended: Option<String>,
    /// `None` until it ends (read back as `killed` or `running`).
    pub state: Option<RunState>,
    pub exit: Option<i32>,
    /// Its journal's file name, once a phase opened it.
    #[serde(default)]
    pub journal: Option<String>,
    #[serde(default)]
    pub phases: Vec<RunPhase>,
}

impl RunRecord {
    /// The stamp of its id (`20261204T023012Z`, `20261204T023012Z-2`), for the names of the
    /// files it writes.
    pub fn stamp(&self) -> &str {
        self.id.strip_prefix("run-").unwrap_or(&self.id)
    }

    /// `journal-<run id>.jsonl`.
    pub fn journal_name(&self) -> String {
        format!("journal-{}.jsonl", self.id)
    }
}

fn path_of(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.json"))
}

/// Creates the record of a run started at `started`: the first free `run-<stamp>[-n]`, taken
/// with create-new, written whole (the name taken empty, then the record renamed over it).
pub fn create(dir: &Path, started: SystemTime) -> std::io::Result<RunRecord> {
    std::fs::create_dir_all(dir)?;
    let stamp = compact_stamp(started);
    for n in 1..10_000u32 {
        let id = if n == 1 {
            format!("run-{stamp}")
        } else {
            format!("run-{stamp}-{n}")
        };
        let record = RunRecord {
            id,
            started: rfc3339(started),
            ended: None,
            state: None,
            exit: None,
            journal: None,
            phases: Vec::new(),
        };
        let body = serde_json::to_string_pretty(&record).map_err(std::io::Error::other)? + "\n";
        match create_whole(&path_of(dir, &record.id), body.as_bytes()) {
            Ok(()) => return Ok(record),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free run name in this second"))
}

/// Writes the record whole over the previous one.
pub fn save(dir: &Path, record: &RunRecord) -> std::io::Result<()> {
    let body = serde_json::to_string_pretty(record).map_err(std::io::Error::other)? + "\n";
    write_private(&path_of(dir, &record.id), body.as_bytes())
}

/// The runs of `dir`, newest first; a record that does not read is passed over (said). A run
/// with no end is `running` when `running` names it (its process holds the lock), else
/// `killed`.
pub fn list(dir: &Path, running: Option<&str>) -> std::io::Result<Vec<RunRecord>> {
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
        if !(name.starts_with("run-") && name.ends_with(".json")) {
            continue;
        }
        let read = std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<RunRecord>(&t).map_err(|e| e.to_string()));
        match read {
            Ok(mut r) => {
                if r.state.is_none() {
                    r.state = Some(if running == Some(r.id.as_str()) {
                        RunState::Running
                    } else {
                        RunState::Killed
                    });
                    // What it did is in its journal, the write-ahead record.
                    if let Some(phases) = phases_of_journal(&dir.join(r.journal_name())) {
                        r.phases = phases;
                    }
                }
                out.push(r);
            }
            // One unreadable record does not hide the others (said, for someone to look).
            Err(e) => tracing::warn!("{}: cannot read this run record: {e}", path.display()),
        }
    }
    // Ids sort by time; `-10` after `-9` by their number.
    out.sort_by_key(|r| std::cmp::Reverse(sort_key(&r.id)));
    Ok(out)
}

/// The phases a journal says: a phase per `start` line, its outcomes by op and status (what a
/// killed run did, which its record had no time to say). `None` without a readable journal.
fn phases_of_journal(path: &Path) -> Option<Vec<RunPhase>> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut phases: Vec<RunPhase> = Vec::new();
    // A killed run's last line may be cut: only whole lines count.
    for line in text.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let text_of = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
        match v.get("event").and_then(|e| e.as_str()) {
            Some("start") => phases.push(RunPhase {
                source: text_of("source").unwrap_or_default(),
                fingerprint: text_of("fingerprint").unwrap_or_default(),
                counts: BTreeMap::new(),
                approved_by: text_of("approved_by"),
            }),
            Some("action") => {
                if let (Some(phase), Some(op), Some(status)) =
                    (phases.last_mut(), text_of("op"), text_of("status"))
                {
                    *phase
                        .counts
                        .entry(op)
                        .or_default()
                        .entry(status)
                        .or_insert(0) += 1;
                }
            }
            _ => {}
        }
    }
    Some(phases)
}

fn sort_key(id: &str) -> (String, u32) {
    match id.rsplit_once('-') {
        Some((head, n)) if head.starts_with("run-") && head.len() > 4 => match n.parse() {
            Ok(n) if head.contains('T') => (head.to_owned(), n),
            _ => (id.to_owned(), 1),
        },
        _ => (id.to_owned(), 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn runs_in_the_same_second_get_their_own_names_and_list_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        // 2026-12-04T02:30:12Z.
        let t = UNIX_EPOCH + Duration::from_secs(1_796_351_412);
        let a = create(dir.path(), t).unwrap();
        let b = create(dir.path(), t).unwrap();
        let mut c = create(dir.path(), t + Duration::from_secs(1)).unwrap();
        assert_eq!(a.id, "run-20261204T023012Z");
        assert_eq!(b.id, "run-20261204T023012Z-2");
        assert_eq!(b.journal_name(), "journal-run-20261204T023012Z-2.jsonl");
        assert_eq!(b.stamp(), "20261204T023012Z-2");
        c.ended = Some("2026-12-04T02:30:14.000Z".into());
        c.state = Some(RunState::Completed);
        c.exit = Some(0);
        save(dir.path(), &c).unwrap();
        let listed = list(dir.path(), Some(&b.id)).unwrap();
        let ids: Vec<&str> = listed.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, [c.id.as_str(), b.id.as_str(), a.id.as_str()]);
        let states: Vec<Option<RunState>> = listed.iter().map(|r| r.state).collect();
        assert_eq!(
            states,
            [
                Some(RunState::Completed),
                Some(RunState::Running),
                Some(RunState::Killed)
            ]
        );
        let mut ten: Vec<&str> = vec!["run-20261204T023012Z-10", "run-20261204T023012Z-9"];
        ten.sort_by_key(|id| std::cmp::Reverse(sort_key(id)));
        assert_eq!(ten, ["run-20261204T023012Z-10", "run-20261204T023012Z-9"]);
    }
}
