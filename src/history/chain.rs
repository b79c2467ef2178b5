//! Tamper evidence (evidence.md): every change row carries the SHA-256 of its content, every
//! run the SHA-256 of the previous run's hash, its own record and its changes' hashes — a chain.
//! Retention keeps the hashes of the rows it deletes (`retired`) and, once a whole prefix of
//! runs is gone, a checkpoint (the last deleted run and its hash). Each run's journal `end` line
//! carries the head, an anchor outside the database. `verify` walks the chain from the
//! checkpoint and compares the heads with the journals still there.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use super::store::{HistoryError, Store};

/// A change row as it is hashed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(super) struct ChangeRow {
    pub seq: i64,
    pub run: String,
    pub at: String,
    pub after: Option<String>,
    pub after_run: Option<String>,
    pub user_id: String,
    pub kind: String,
    pub item: String,
    pub op: String,
    pub by: String,
    pub action: Option<i64>,
    pub job_op: Option<String>,
    pub sources: Option<String>,
    pub approved_by: Option<String>,
}

impl ChangeRow {
    /// The SHA-256 of its canonical form (compact JSON, fields in this order).
    pub fn hash(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        super::hex(&Sha256::digest(json.as_bytes()))
    }

    fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<(ChangeRow, String)> {
        Ok((
            ChangeRow {
                seq: r.get(0)?,
                run: r.get(1)?,
                at: r.get(2)?,
                after: r.get(3)?,
                after_run: r.get(4)?,
                user_id: r.get(5)?,
                kind: r.get(6)?,
                item: r.get(7)?,
                op: r.get(8)?,
                by: r.get(9)?,
                action: r.get(10)?,
                job_op: r.get(11)?,
                sources: r.get(12)?,
                approved_by: r.get(13)?,
            },
            r.get(14)?,
        ))
    }
}

/// A run's own record as it is hashed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(super) struct RunRow {
    pub id: String,
    pub started: String,
    pub observed_first: Option<String>,
    pub observed_last: Option<String>,
    pub reads: i64,
    pub imported: bool,
}

/// SHA-256 of the previous hash, the run's record, its changes' hashes in order and the
/// hashes of the changes its retention sweep deleted.
pub(super) fn run_hash(prev: &str, run: &RunRow, changes: &[String], swept: &[String]) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(serde_json::to_string(run).unwrap_or_default().as_bytes());
    for c in changes {
        h.update(b"\n");
        h.update(c.as_bytes());
    }
    if !swept.is_empty() {
        h.update(b"\nswept");
        for c in swept {
            h.update(b"\n");
            h.update(c.as_bytes());
        }
    }
    super::hex(&h.finalize())
}

/// The head inside a transaction: the newest run's hash, else the checkpoint's, else empty.
pub(super) fn head_in(tx: &Transaction<'_>) -> rusqlite::Result<String> {
    let last: Option<String> = tx
        .query_row("SELECT hash FROM runs ORDER BY seq DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(h) = last {
        return Ok(h);
    }
    Ok(tx
        .query_row(
            "SELECT value FROM meta WHERE key = 'checkpoint_hash'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default())
}

/// What `history --verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    /// The chain holds from this run (the first the store still keeps) to the head; `anchors`
    /// journals agreed with it.
    Holds {
        from: Option<String>,
        runs: usize,
        anchors: usize,
    },
    /// The first run where it breaks, and why (a code: `row-edited`, `run-edited`,
    /// `chain-broken`, `anchor-differs`, `run-missing`, `row-orphaned`,
    /// `interval-inconsistent`).
    Breaks { run: String, why: &'static str },
}

impl Store {
    /// Walks the chain from the checkpoint; compares each run's hash with its journal's `end`
    /// line where the journal is still in `journals`.
    pub fn verify(&self, journals: &Path) -> Result<Verified, HistoryError> {
        let mut prev = self.meta("checkpoint_hash")?.unwrap_or_default();
        let retired = self.retired()?;
        let (mut by_run, mut live) = self.changes_by_run(&retired)?;
        let mut swept = swept_by_run(&retired);
        let runs = self.chain_runs()?;
        let mut anchors = 0;
        for (run, stored_prev, stored_hash) in &runs {
            let mut changes = by_run.remove(&run.id).unwrap_or_default();
            changes.sort_by_key(|(seq, _)| *seq);
            if changes.iter().any(|(_, h)| h.is_err()) {
                return Ok(Verified::Breaks {
                    run: run.id.clone(),
                    why: "row-edited",
                });
            }
            if *stored_prev != prev {
                return Ok(Verified::Breaks {
                    run: run.id.clone(),
                    why: "chain-broken",
                });
            }
            let hashes: Vec<String> = changes.into_iter().filter_map(|(_, h)| h.ok()).collect();
            let mut gone = swept.remove(&run.id).unwrap_or_default();
            gone.sort_by_key(|(seq, _)| *seq);
            let gone: Vec<String> = gone.into_iter().map(|(_, h)| h).collect();
            let h = run_hash(&prev, run, &hashes, &gone);
            if h != *stored_hash {
                return Ok(Verified::Breaks {
                    run: run.id.clone(),
                    why: "run-edited",
                });
            }
            let journal = journals.join(format!("journal-{}.jsonl", run.id));
            if let Ok(j) = super::journal::read_journal(&journal)
                && let Some(anchor) = j.head
            {
                if anchor != h {
                    return Ok(Verified::Breaks {
                        run: run.id.clone(),
                        why: "anchor-differs",
                    });
                }
                anchors += 1;
            }
            prev = h;
        }
        if let Some(run) = self.missing_run(journals, &runs)? {
            return Ok(Verified::Breaks {
                run,
                why: "run-missing",
            });
        }
        // A change whose run is not in the chain was added by someone else; so was a deletion
        // no kept run's sweep made (one folded into the checkpoint takes its records with it).
        let mut orphans: Vec<&String> = by_run.keys().chain(swept.keys()).collect();
        orphans.sort();
        if let Some(run) = orphans.first() {
            return Ok(Verified::Breaks {
                run: (*run).clone(),
                why: "row-orphaned",
            });
        }
        let inconsistent = match self.inconsistent_interval()? {
            Some(run) => Some(run),
            None => self.unexplained_change(&mut live)?,
        };
        if let Some(run) = inconsistent {
            return Ok(Verified::Breaks {
                run,
                why: "interval-inconsistent",
            });
        }
        Ok(Verified::Holds {
            from: runs.first().map(|(r, _, _)| r.id.clone()),
            runs: runs.len(),
            anchors,
        })
    }

    /// A run that a journal still in `journals` anchors (its `end` line carries a head) but
    /// that the chain no longer holds, and retention did not fold into the checkpoint: the
    /// newest runs deleted whole, with their changes and intervals, leave only this trace.
    fn missing_run(
        &self,
        journals: &Path,
        runs: &[(RunRow, String, String)],
    ) -> Result<Option<String>, HistoryError> {
        let folded = self.meta("checkpoint_run")?;
        let kept: std::collections::HashSet<&str> =
            runs.iter().map(|(r, _, _)| r.id.as_str()).collect();
        // No folder to read is no anchor to compare: the walk above already said what it could.
        let Ok(dir) = std::fs::read_dir(journals) else {
            return Ok(None);
        };
        let mut ids: Vec<String> = dir
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                super::journal::run_of(&e.file_name().to_string_lossy()).map(str::to_owned)
            })
            .filter(|id| !kept.contains(id.as_str()))
            .filter(|id| folded.as_deref().is_none_or(|f| id.as_str() > f))
            .collect();
        ids.sort();
        Ok(ids.into_iter().find(|id| {
            super::journal::read_journal(&journals.join(format!("journal-{id}.jsonl")))
                .is_ok_and(|j| j.head.is_some())
        }))
    }

    /// A live change that no interval begins (a grant) or ends (a revocation) with: an
    /// interval deleted, or reopened by clearing its end. The run of the first such change.
    fn unexplained_change(&self, live: &mut [LiveChange]) -> Result<Option<String>, HistoryError> {
        let sql = |e| self.sql(e);
        let mut began = std::collections::HashSet::new();
        let mut ended = std::collections::HashSet::new();
        let mut st = self
            .conn
            .prepare("SELECT began, ended FROM intervals")
            .map_err(sql)?;
        let rows = st
            .query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?))
            })
            .map_err(sql)?;
        for row in rows {
            let (b, e) = row.map_err(sql)?;
            began.insert(b);
            ended.extend(e);
        }
        live.sort_by_key(|(seq, _, _)| *seq);
        Ok(live
            .iter()
            .find(|(seq, _, op)| match op.as_str() {
                "grant" => !began.contains(seq),
                _ => !ended.contains(seq),
            })
            .map(|(_, run, _)| run.clone()))
    }

    /// An interval that no longer matches the changes it is made of (its start no grant of its
    /// item, its end no revocation of it): the run of its start.
    fn inconsistent_interval(&self) -> Result<Option<String>, HistoryError> {
        self.conn
            .query_row(
                "SELECT coalesce(b.run, e.run, '?') FROM intervals i
                 LEFT JOIN changes b ON b.seq = i.began
                 LEFT JOIN changes e ON e.seq = i.ended
                 WHERE b.seq IS NULL OR b.op != 'grant' OR b.user_id != i.user_id
                    OR b.kind != i.kind OR b.item != i.item
                    OR (i.ended IS NOT NULL AND (e.seq IS NULL OR e.op != 'revoke'
                        OR e.user_id != i.user_id OR e.kind != i.kind OR e.item != i.item))
                 LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.sql(e))
    }
}

/// Every change, live or retired, by run (seq, its hash or, when the row no longer gives its
/// stored hash, the hash it gives now), and each live change's (seq, run, op).
type ByRun = HashMap<String, Vec<(i64, Result<String, String>)>>;

/// A row of `retired`: the change's seq, its run, the run whose sweep deleted it, its hash.
type Retired = (i64, String, String, String);

/// The changes each run's retention sweep deleted: run → (seq, hash).
fn swept_by_run(retired: &[Retired]) -> HashMap<String, Vec<(i64, String)>> {
    let mut out: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for (seq, _, by, h) in retired {
        out.entry(by.clone()).or_default().push((*seq, h.clone()));
    }
    out
}

/// A live change as `unexplained_change` checks it: its seq, run and op.
type LiveChange = (i64, String, String);

impl Store {
    fn changes_by_run(
        &self,
        retired: &[Retired],
    ) -> Result<(ByRun, Vec<LiveChange>), HistoryError> {
        let sql = |e| self.sql(e);
        let folded = self.meta("checkpoint_run")?;
        let kept: std::collections::HashSet<String> = self
            .chain_runs()?
            .into_iter()
            .map(|(r, _, _)| r.id)
            .collect();
        let mut by_run: ByRun = HashMap::new();
        let mut live = Vec::new();
        let mut st = self
            .conn
            .prepare(
                "SELECT seq, run, at, after, after_run, user_id, kind, item, op, by, action,
                        job_op, sources, approved_by, hash FROM changes",
            )
            .map_err(sql)?;
        for row in st.query_map([], ChangeRow::read).map_err(sql)? {
            let (row, stored) = row.map_err(sql)?;
            let h = row.hash();
            let v = if h == stored { Ok(h) } else { Err(h) };
            live.push((row.seq, row.run.clone(), row.op.clone()));
            by_run
                .entry(row.run.clone())
                .or_default()
                .push((row.seq, v));
        }
        drop(st);
        for (seq, run, _, h) in retired.iter().cloned() {
            // A change of a run folded into the checkpoint: only its sweep's record is kept.
            if folded.as_deref().is_some_and(|f| run.as_str() <= f) && !kept.contains(&run) {
                continue;
            }
            by_run.entry(run).or_default().push((seq, Ok(h)));
        }
        Ok((by_run, live))
    }

    /// Every row of `retired`, read once: (seq, run, swept by, hash).
    fn retired(&self) -> Result<Vec<Retired>, HistoryError> {
        let sql = |e| self.sql(e);
        let mut st = self
            .conn
            .prepare("SELECT change_seq, run, swept_by, hash FROM retired")
            .map_err(sql)?;
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .map_err(sql)?
            .collect::<Result<_, _>>()
            .map_err(sql)
    }

    /// The runs in chain order: each record, its stored `prev` and `hash`.
    fn chain_runs(&self) -> Result<Vec<(RunRow, String, String)>, HistoryError> {
        let sql = |e| self.sql(e);
        let mut st = self
            .conn
            .prepare(
                "SELECT id, started, observed_first, observed_last, reads, imported, prev, hash
                 FROM runs ORDER BY seq",
            )
            .map_err(sql)?;
        st.query_map([], |r| {
            Ok((
                RunRow {
                    id: r.get(0)?,
                    started: r.get(1)?,
                    observed_first: r.get(2)?,
                    observed_last: r.get(3)?,
                    reads: r.get(4)?,
                    imported: r.get(5)?,
                },
                r.get(6)?,
                r.get(7)?,
            ))
        })
        .map_err(sql)?
        .collect::<Result<_, _>>()
        .map_err(sql)
    }
}
