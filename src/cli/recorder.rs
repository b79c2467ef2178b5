//! The history side of one apply (evidence.md "The history store"): the store opened to write
//! under the lock, the journals of runs that never recorded themselves imported first; each
//! read of the portal kept in order with the journal; at the end, the run recorded from its
//! reads and its own journal in one transaction, whose chain head the journal's `end` line
//! carries. A store that cannot be written fails the run (exit 1) after its writes: they are in
//! the journal, and the next run imports them.

use std::path::Path;

use crate::history::{DriftChange, Event, RunEntry, Snapshot, Store, read_journal};

use super::Settings;

pub struct Recorder {
    store: Option<Store>,
    /// The error that kept the store from being opened or written (said at the end).
    broken: Option<String>,
    /// Reads of this run, each with the number of journal lines written before it.
    reads: Vec<(usize, Snapshot)>,
    /// The changes by hand this run recorded.
    pub drift: Vec<DriftChange>,
    /// The changes by hand found while importing the journals of unrecorded runs.
    imported_drift: Vec<DriftChange>,
}

/// A read of the portal as the history keeps it, stamped now (just after the read).
pub fn seen(observed: &crate::model::ObservedState) -> Snapshot {
    Snapshot::of(observed, jiff::Timestamp::now())
}

impl Recorder {
    /// Opens the store to write and imports the journals it lacks. A store that cannot be opened
    /// does not stop the run: its failure is said at the end.
    pub fn open(settings: &Settings, run_id: &str) -> Recorder {
        let dir = &settings.config.state_dir;
        let keep = settings.config.history_keep_days;
        let mut r = Recorder {
            store: None,
            broken: None,
            reads: Vec::new(),
            drift: Vec::new(),
            imported_drift: Vec::new(),
        };
        // A store that does not exist yet is created at the end, after the run's writes: its
        // first pages must not take the room the journal needs.
        if Store::path_in(dir).exists() {
            r.open_and_import(dir, run_id, keep);
        }
        r
    }

    /// Opens (creating and migrating) the store and imports the journals it lacks.
    fn open_and_import(&mut self, dir: &Path, run_id: &str, keep: u32) {
        match Store::open_rw(dir) {
            Ok(mut store) => {
                match store.import_journals(dir, run_id, keep) {
                    Ok((ids, drift)) => {
                        if !ids.is_empty() {
                            tracing::info!(runs = %ids.join(","), "history: imported from their journals");
                        }
                        // Changes by hand their writes revealed: told by this run.
                        self.imported_drift = drift;
                    }
                    Err(e) => self.broken = Some(e.to_string()),
                }
                self.store = Some(store);
            }
            Err(e) => self.broken = Some(e.to_string()),
        }
    }

    /// A read of the portal, after `journal_lines` lines of the run's journal.
    pub fn observed(&mut self, snap: Snapshot, journal_lines: usize) {
        self.reads.push((journal_lines, snap));
    }

    /// Records the run: its reads and the writes its journal says, in order. Returns the
    /// chain's head, or `Err` with the sentence's data when the store cannot be written.
    pub fn record(
        &mut self,
        settings: &Settings,
        run_id: &str,
        started: std::time::SystemTime,
        journal: Option<&Path>,
    ) -> Result<Option<String>, String> {
        if self.store.is_none() && self.broken.is_none() {
            let dir = &settings.config.state_dir;
            self.open_and_import(dir, run_id, settings.config.history_keep_days);
        }
        if let Some(e) = self.broken.take() {
            return Err(e);
        }
        let Some(store) = self.store.as_mut() else {
            return Ok(None);
        };
        let writes = match journal {
            Some(p) => {
                read_journal(p)
                    .map_err(|e| format!("{}: {e}", p.display()))?
                    .writes
            }
            None => Vec::new(),
        };
        let mut events = Vec::with_capacity(self.reads.len() + writes.len());
        let mut reads = std::mem::take(&mut self.reads).into_iter().peekable();
        for w in writes {
            while let Some((_, snap)) = reads.next_if(|(line, _)| *line <= w.line) {
                events.push(Event::Read(snap));
            }
            events.push(Event::Wrote(w));
        }
        events.extend(reads.map(|(_, snap)| Event::Read(snap)));
        let entry = RunEntry {
            id: run_id.to_owned(),
            started: jiff::Timestamp::try_from(started).unwrap_or_else(|_| jiff::Timestamp::now()),
            imported: false,
            events,
        };
        let (head, drift) = store
            .record(&entry, settings.config.history_keep_days)
            .map_err(|e| e.to_string())?;
        self.drift = std::mem::take(&mut self.imported_drift);
        self.drift.extend(drift);
        Ok(Some(head))
    }
}
