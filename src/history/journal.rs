//! A run's journal read back as the history store needs it: the job's writes that took effect
//! (`done`, `adopted`, `in_effect`) with their time, target, input rows and approver, and the
//! chain head its `end` line anchors. The journal is the write-ahead record: a run killed before
//! its transaction committed is imported from it at the next apply's start.

use std::io::BufRead;
use std::path::Path;

/// One write of the job as its journal line tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobWrite {
    /// The journal line's index (0-based), to order it against the run's reads.
    pub line: usize,
    pub at: jiff::Timestamp,
    pub action: u32,
    /// `create_user`, `grant_dossier`…
    pub op: String,
    /// `done`, `adopted` or `in_effect`.
    pub status: String,
    pub user_id: Option<String>,
    pub email: String,
    pub dossier: Option<String>,
    pub structure: Option<String>,
    /// A creation's names.
    pub names: Option<(String, String)>,
    pub sources: Vec<String>,
    /// Who approved the held plan of this phase.
    pub approved_by: Option<String>,
}

/// A journal read back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadJournal {
    /// The run's first `start` time.
    pub started: Option<jiff::Timestamp>,
    pub writes: Vec<JobWrite>,
    /// The phases' sources, in order.
    pub sources: Vec<String>,
    /// The phases, in order: where each `start` line is, and what it names (a revert reads a
    /// run phase by phase).
    pub phases: Vec<JournalPhase>,
    /// The `end` line's `history_head`, when the run recorded itself.
    pub head: Option<String>,
    pub ended: bool,
    /// Lines that did not read (the last one of a killed run may be cut).
    pub unreadable: usize,
}

/// One phase of a run as its `start` line says it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalPhase {
    /// The `start` line's index (0-based): the writes after it, up to the next one, are its.
    pub line: usize,
    /// `inputs`, `plan:<path>`, `held:<fingerprint>`, `revert:<run>`…
    pub source: String,
    /// The source of the plan a `plan:` or `held:` phase applied (`revert:<run>`…), when the
    /// line says it.
    pub origin: Option<String>,
    pub fingerprint: String,
}

impl ReadJournal {
    /// The phase (0-based, in the order of the `start` lines) a write of this journal belongs
    /// to.
    pub fn phase_of(&self, w: &JobWrite) -> usize {
        self.phases
            .iter()
            .rposition(|p| p.line < w.line)
            .unwrap_or(0)
    }
}

fn text(v: &serde_json::Value, key: &str) -> Option<String> {
    v.get(key).and_then(|x| x.as_str()).map(str::to_owned)
}

/// Reads a journal; a line that does not read is counted and passed over (a killed run's last
/// line may be cut in the middle).
pub fn read_journal(path: &Path) -> std::io::Result<ReadJournal> {
    let file = std::fs::File::open(path)?;
    let mut out = ReadJournal::default();
    let mut approved_by: Option<String> = None;
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line?;
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
            out.unreadable += 1;
            continue;
        };
        let at = text(&v, "time").and_then(|t| super::parse_stamp(&t));
        match v.get("event").and_then(|e| e.as_str()) {
            Some("start") => {
                if out.started.is_none() {
                    out.started = at;
                }
                approved_by = text(&v, "approved_by");
                out.sources.push(text(&v, "source").unwrap_or_default());
                out.phases.push(JournalPhase {
                    line: i,
                    source: text(&v, "source").unwrap_or_default(),
                    origin: text(&v, "origin"),
                    fingerprint: text(&v, "fingerprint").unwrap_or_default(),
                });
            }
            Some("action") => {
                let status = text(&v, "status").unwrap_or_default();
                if !matches!(status.as_str(), "done" | "adopted" | "in_effect") {
                    continue;
                }
                let (Some(at), Some(action), Some(op)) =
                    (at, v.get("action").and_then(|a| a.as_u64()), text(&v, "op"))
                else {
                    out.unreadable += 1;
                    continue;
                };
                let names = v
                    .get("person")
                    .and_then(|p| Some((text(p, "last_name")?, text(p, "first_name")?)));
                let sources = v
                    .get("sources")
                    .and_then(|s| s.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                out.writes.push(JobWrite {
                    line: i,
                    at,
                    action: u32::try_from(action).unwrap_or(u32::MAX),
                    op,
                    status,
                    user_id: text(&v, "user_id"),
                    email: text(&v, "email").unwrap_or_default(),
                    dossier: text(&v, "dossier"),
                    structure: text(&v, "structure"),
                    names,
                    sources,
                    approved_by: approved_by.clone(),
                });
            }
            Some("end") => {
                out.ended = true;
                out.head = text(&v, "history_head");
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The run id of a journal's file name (`journal-run-20261204T023012Z.jsonl`).
pub fn run_of(file_name: &str) -> Option<&str> {
    file_name
        .strip_prefix("journal-")?
        .strip_suffix(".jsonl")
        .filter(|id| id.starts_with("run-"))
}
