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

/// Creates `path` for writing, readable by its owner only, before anything is written in it;
/// an existing file is never opened (`AlreadyExists`): a record is written whole beside it and
/// renamed (`write_private`), a journal gets another name.
pub fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let f = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(f)
}

/// Writes `bytes` as the private file `path` (0600: held plans, records, saved plans, reports),
/// whole or not at all (cli.md): a temporary file in the same folder, synced, then renamed over
/// `path`, and the folder synced. A full disk or a failed write leaves the previous file intact
/// and no temporary behind; a reader never sees half a file.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    // A path a person gave that is not a plain file (`--out /dev/stdout`, a symlink they keep):
    // written through, as asked — a rename would replace the link or the device itself.
    if std::fs::symlink_metadata(path).is_ok_and(|m| !m.file_type().is_file()) {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)?;
        return f.write_all(bytes).and_then(|()| f.flush());
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "record".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let written = create_private(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = renamed {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    // The rename itself made durable (best effort: not every file system syncs a folder).
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

impl Journal {
    /// `journal-<stamp>-<fingerprint>.jsonl` in `dir`, with its `start` line.
    pub fn create(
        dir: &Path,
        stamp: &str,
        fingerprint: &str,
        start: serde_json::Value,
    ) -> std::io::Result<Journal> {
        std::fs::create_dir_all(dir)?;
        // Two runs in the same second with the same plan must not share (and truncate) one
        // journal: the name is taken with create-new, and the second gets `-2`, and so on.
        let mut n = 1;
        loop {
            let path = if n == 1 {
                dir.join(format!("journal-{stamp}-{fingerprint}.jsonl"))
            } else {
                dir.join(format!("journal-{stamp}-{fingerprint}-{n}.jsonl"))
            };
            match create_private(&path) {
                Ok(file) => return Journal::over(Box::new(file), path, fingerprint, start),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 10_000 => n += 1,
                Err(e) => return Err(e),
            }
        }
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
        self.line(&line)
    }

    /// The `end` line: the tally and how the run ended; then the file is synced.
    pub fn finish(&mut self, tally: &Tally, how: &str) -> std::io::Result<()> {
        let line = json!({
            "time": rfc3339(SystemTime::now()),
            "event": "end",
            "fingerprint": self.fingerprint,
            "result": how,
            "tally": tally,
        });
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

#[cfg(test)]
mod record_tests {
    use super::*;

    /// cli.md: a record is written whole or not at all, 0600, and no temporary stays behind.
    #[test]
    fn a_record_is_written_whole_beside_the_old_one_then_renamed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("held-x.json");
        write_private(&path, b"first").unwrap();
        write_private(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["held-x.json"]);
        // A folder that cannot take the new file: an error, the old file intact.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o500)).unwrap();
        let refused = write_private(&path, b"third");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        if !nix::unistd::geteuid().is_root() {
            assert!(refused.is_err());
        }
        if refused.is_err() {
            assert_eq!(std::fs::read(&path).unwrap(), b"second");
        }
        // A journal name is never reused: create-new.
        assert_eq!(
            create_private(&path).unwrap_err().kind(),
            std::io::ErrorKind::AlreadyExists
        );
    }
}
