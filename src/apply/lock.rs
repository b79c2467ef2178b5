//! One run at a time per state directory — `apply`, and `approve` / `reject` (cli.md: a plan is
//! never approved or rejected while a run reads or applies it): an advisory lock on `apply.lock`
//! (`File::try_lock`, released by the OS when the process ends — killed or not — so a stale
//! lock never blocks the next run). The file says who holds it, for the second run's message.

use std::fs::{File, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LockError {
    #[error("another run holds the state directory {dir}: {holder}")]
    Held { dir: String, holder: String },
    #[error("{path}: cannot take the lock: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Held while alive.
#[derive(Debug)]
pub struct StateLock {
    _file: File,
    pub path: PathBuf,
}

/// Takes the lock for `command` (said to a second run: `pid 4242 (apply) since …`).
pub fn acquire(dir: &Path, started: &str, command: &str) -> Result<StateLock, LockError> {
    let path = dir.join("apply.lock");
    let io = |source| LockError::Io {
        path: path.display().to_string(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    // Not truncated on open: the holder's line must survive a second run's attempt.
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            return Err(LockError::Held {
                dir: dir.display().to_string(),
                holder: if holder.is_empty() {
                    "a process that has not written its name yet".to_owned()
                } else {
                    holder.to_owned()
                },
            });
        }
        Err(TryLockError::Error(e)) => return Err(io(e)),
    }
    let line = format!("pid {} ({command}) since {started}\n", std::process::id());
    file.set_len(0).map_err(io)?;
    file.rewind().map_err(io)?;
    file.write_all(line.as_bytes()).map_err(io)?;
    file.flush().map_err(io)?;
    Ok(StateLock { _file: file, path })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_names_the_holder_and_a_dropped_one_frees_the_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = acquire(dir.path(), "2026-11-28T18:00:00.000Z", "apply").expect("first");
        match acquire(dir.path(), "later", "approve") {
            Err(LockError::Held { holder, .. }) => {
                assert!(
                    holder.contains(&format!("pid {}", std::process::id())),
                    "{holder}"
                );
                assert!(
                    holder.contains("(apply) since 2026-11-28T18:00:00.000Z"),
                    "{holder}"
                );
            }
            other => panic!("expected Held, got {other:?}"),
        }
        drop(first);
        let again = acquire(dir.path(), "later", "approve").expect("free again");
        drop(again);
    }
}
