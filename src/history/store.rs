//! Opening the store: `history.sqlite` in the state directory, 0600, WAL. `apply` opens it to
//! write (creating and migrating it, under the lock); every other command opens it read-only
//! and goes on without it when it is missing, older, newer or unreadable (cli.md).

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::schema::{MIGRATIONS, VERSION};

pub const FILE_NAME: &str = "history.sqlite";

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Written by a newer proone-sync: this one neither reads nor writes it.
    #[error("{path}: schema version {found}, this proone-sync knows up to {known}")]
    Newer {
        path: PathBuf,
        found: i64,
        known: i64,
    },
}

/// The store, open.
pub struct Store {
    pub(super) conn: Connection,
    pub path: PathBuf,
}

/// What a read-only open found.
pub enum Opened {
    Ready(Store),
    /// No store yet (no apply has recorded a run).
    Missing(PathBuf),
    /// Written by an older proone-sync: the next apply migrates it.
    Older {
        path: PathBuf,
        found: i64,
    },
    /// Written by a newer proone-sync.
    Newer {
        path: PathBuf,
        found: i64,
    },
    Unreadable(HistoryError),
}

impl Store {
    pub fn path_in(state_dir: &Path) -> PathBuf {
        state_dir.join(FILE_NAME)
    }

    pub(super) fn sql(&self, source: rusqlite::Error) -> HistoryError {
        HistoryError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Opens the store to write, creating it 0600 and migrating it forward (apply only, under
    /// the state directory's lock).
    pub fn open_rw(state_dir: &Path) -> Result<Store, HistoryError> {
        let path = Store::path_in(state_dir);
        let io = |source| HistoryError::Io {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(state_dir).map_err(io)?;
        if !path.exists() {
            // Created 0600 before SQLite opens it: its -wal and -shm take the same mode.
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .mode(0o600)
                .open(&path)
                .map_err(io)?;
        }
        let sql = |source| HistoryError::Sqlite {
            path: path.clone(),
            source,
        };
        let mut conn = Connection::open(&path).map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(sql)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql)?;
        let found: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(sql)?;
        if found > VERSION {
            return Err(HistoryError::Newer {
                path,
                found,
                known: VERSION,
            });
        }
        for (v, step) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = conn.transaction().map_err(sql)?;
            tx.execute_batch(step).map_err(sql)?;
            tx.pragma_update(None, "user_version", v as i64 + 1)
                .map_err(sql)?;
            tx.commit().map_err(sql)?;
        }
        Ok(Store { conn, path })
    }

    /// Opens the store read-only (plan, check, history, runs): never creates or migrates it.
    pub fn open_ro(state_dir: &Path) -> Opened {
        let path = Store::path_in(state_dir);
        if !path.exists() {
            return Opened::Missing(path);
        }
        let conn = match Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ) {
            Ok(c) => c,
            Err(source) => return Opened::Unreadable(HistoryError::Sqlite { path, source }),
        };
        let _ = conn.busy_timeout(std::time::Duration::from_secs(10));
        let found: i64 = match conn.pragma_query_value(None, "user_version", |r| r.get(0)) {
            Ok(v) => v,
            Err(source) => return Opened::Unreadable(HistoryError::Sqlite { path, source }),
        };
        if found > VERSION {
            return Opened::Newer { path, found };
        }
        if found == 0 {
            // Created but never migrated (its first apply stopped on a full disk): nothing in it.
            return Opened::Missing(path);
        }
        if found < VERSION {
            return Opened::Older { path, found };
        }
        // A file that is no SQLite database says so at its first real read.
        if let Err(source) = conn.query_row("SELECT count(*) FROM runs", [], |r| r.get::<_, i64>(0))
        {
            return Opened::Unreadable(HistoryError::Sqlite { path, source });
        }
        Opened::Ready(Store { conn, path })
    }

    pub(super) fn meta(&self, key: &str) -> Result<Option<String>, HistoryError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// Whether the run `id` is recorded (or was, before retention folded it into the
    /// checkpoint).
    pub fn has_run(&self, id: &str) -> Result<bool, HistoryError> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM runs WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .map_err(|e| self.sql(e))?;
        if n > 0 {
            return Ok(true);
        }
        Ok(self
            .meta("checkpoint_run")?
            .is_some_and(|c| c.as_str() >= id))
    }

    /// The newest run recorded (its id), if any.
    pub fn last_run(&self) -> Result<Option<String>, HistoryError> {
        let last = self
            .conn
            .query_row("SELECT id FROM runs ORDER BY seq DESC LIMIT 1", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sql(e))?;
        match last {
            Some(id) => Ok(Some(id)),
            None => self.meta("checkpoint_run"),
        }
    }

    /// The period the store covers: its first observation (or the retention's cut, whichever
    /// is later) and its last one.
    pub fn observed(&self) -> Result<Option<(String, String)>, HistoryError> {
        let first = self.meta("covered_from")?.or(self.meta("first_observed")?);
        let last = self.meta("last_read_at")?;
        Ok(first.zip(last))
    }

    /// The chain's head: the newest run's hash (or the checkpoint's).
    pub fn head(&self) -> Result<Option<String>, HistoryError> {
        let last = self
            .conn
            .query_row("SELECT hash FROM runs ORDER BY seq DESC LIMIT 1", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sql(e))?;
        match last {
            Some(h) => Ok(Some(h)),
            None => self.meta("checkpoint_hash"),
        }
    }
}
