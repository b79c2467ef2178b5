//! The journal of a run: JSON Lines in the state directory, created 0600, one line per action
//! outcome (time, plan fingerprint, action id, op, target with the NRN masked, status, HTTP
//! status, attempts, duration), written and flushed as each outcome arrives, so a run killed
//! halfway still says what it did. A `start` line opens it (synced to disk before any write to
//! the portal) and an `end` line closes it. It counts its lines, so a journal that cannot be
//! written any more (a full disk) can say where it stops.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde_json::json;

use super::outcome::{Outcome, Tally, rfc3339};
use super::record::create_private;

pub struct Journal {
    file: Box<dyn Sink>,
    pub path: PathBuf,
    fingerprint: String,
    /// Lines written whole so far.
    pub lines: usize,
}

/// Where journal lines go: a file, or in tests a writer that fails on cue.
pub trait Sink: Write + Send {
    /// Makes what was written durable.
    fn sync(&mut self) -> std::io::Result<()>;
}

impl Sink for File {
    fn sync(&mut self) -> std::io::Result<()> {
        self.sync_all()
    }
}

impl Journal {
    /// The journal `name` (`journal-<run id>.jsonl`) in `dir`, with its `start` line; created
    /// with create-new (a run's id is its own, so an existing file is never reused).
    pub fn create(
        dir: &Path,
        name: &str,
        fingerprint: &str,
        start: serde_json::Value,
    ) -> std::io::Result<Journal> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(name);
        let file = create_private(&path)?;
        Journal::over(Box::new(file), path, fingerprint, start)
    }

    /// A journal over any sink; its `start` line written and synced before it is handed out:
    /// no call to the portal is made unless the journal can say so.
    pub fn over(
        file: Box<dyn Sink>,
        path: PathBuf,
        fingerprint: &str,
        start: serde_json::Value,
    ) -> std::io::Result<Journal> {
        let mut j = Journal {
            file,
            path,
            fingerprint: fingerprint.to_owned(),
            lines: 0,
        };
        let mut line = json!({"time": rfc3339(SystemTime::now()), "event": "start", "fingerprint": fingerprint});
        merge(&mut line, start);
        j.line(&line)?;
        j.file.sync()?;
        Ok(j)
    }

    /// Another phase of the same run (an approved held plan, then the inputs): its own `start`
    /// line, synced, and the lines after it carry its fingerprint.
    pub fn phase(&mut self, fingerprint: &str, start: serde_json::Value) -> std::io::Result<()> {
        self.fingerprint = fingerprint.to_owned();
        let mut line = json!({"time": rfc3339(SystemTime::now()), "event": "start", "fingerprint": fingerprint});
        merge(&mut line, start);
        self.line(&line)?;
        self.file.sync()
    }

    fn line(&mut self, v: &serde_json::Value) -> std::io::Result<()> {
        let mut s = serde_json::to_string(v).map_err(std::io::Error::other)?;
        s.push('\n');
        // One write per line, straight to the file: a killed run loses at most the line being
        // written, never a buffer of them.
        self.file.write_all(s.as_bytes())?;
        self.lines += 1;
        Ok(())
    }

    pub fn outcome(&mut self, o: &Outcome) -> std::io::Result<()> {
        let mut line = json!({
            "time": rfc3339(SystemTime::now()),
            "event": "action",
            "fingerprint": self.fingerprint,
        });
        merge(
            &mut line,
            serde_json::to_value(o).map_err(std::io::Error::other)?,
        );
        if !o.sources.is_empty() {
            let sources: Vec<String> = o.sources.iter().map(ToString::to_string).collect();
            merge(&mut line, json!({ "sources": sources }));
        }
        self.line(&line)
    }

    /// The `end` line: the tally, how the run ended and the history chain's head after this
    /// run (the anchor `history --verify` compares, outside the database); then the file is
    /// synced.
    pub fn finish(
        &mut self,
        tally: &Tally,
        how: &str,
        history_head: Option<&str>,
    ) -> std::io::Result<()> {
        let mut line = json!({
            "time": rfc3339(SystemTime::now()),
            "event": "end",
            "fingerprint": self.fingerprint,
            "result": how,
            "tally": tally,
        });
        if let Some(head) = history_head {
            merge(&mut line, json!({ "history_head": head }));
        }
        self.line(&line)?;
        self.file.sync()
    }
}

fn merge(into: &mut serde_json::Value, from: serde_json::Value) {
    if let (Some(a), serde_json::Value::Object(b)) = (into.as_object_mut(), from) {
        for (k, v) in b {
            a.insert(k, v);
        }
    }
}
