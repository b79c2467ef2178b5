//! The emulator's store: one SQLite file (WAL, `synchronous=NORMAL`) or `:memory:`, seeded from
//! the JSON of portal-api.md, surviving restarts. Every write is one transaction: a write that
//! fails leaves nothing half done. A page of users costs three queries (keyset page, then that
//! page's dossiers and structures by id range), never one per user.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Deserialize;

use crate::api::{Organisation, Structure, User};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("state database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("seed: {0}")]
    Seed(String),
}

/// The seed file (portal-api.md, "What the emulator adds"). More fields are accepted, never
/// required beyond these.
#[derive(Debug, Clone, Deserialize)]
pub struct Seed {
    pub organisation: Organisation,
    pub tokens: HashMap<String, String>,
    #[serde(default)]
    pub structures: Vec<Structure>,
    #[serde(default)]
    pub users: Vec<SeedUser>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SeedUser {
    pub id: String,
    pub last_name: String,
    pub first_name: String,
    pub email: String,
    pub nrn: String,
    #[serde(default)]
    pub profiles: Vec<String>,
    #[serde(default)]
    pub dossiers: Vec<String>,
    #[serde(default)]
    pub structures: Vec<String>,
    #[serde(default = "one")]
    pub version: u64,
}

fn one() -> u64 {
    1
}

/// What a grant or revoke did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    /// The user's version after the call (unchanged when nothing changed).
    Done {
        version: u64,
        changed: bool,
    },
    NoUser,
    NoStructure,
    /// `If-Match` did not match: nothing changed.
    VersionMismatch {
        current: u64,
    },
}

/// Why a create did not create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateConflict {
    Email(String),
    Nrn(String),
}

/// A stored answer to an `Idempotency-Key` request.
#[derive(Debug, Clone)]
pub struct StoredAnswer {
    pub body_json: String,
    pub status: u16,
    pub answer: String,
}

pub struct Store {
    conn: Connection,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, user_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS structures (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, postal_code TEXT NOT NULL, city TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, last_name TEXT NOT NULL, first_name TEXT NOT NULL,
    email TEXT NOT NULL, email_key TEXT NOT NULL UNIQUE, nrn TEXT NOT NULL UNIQUE,
    profiles TEXT NOT NULL, version INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS user_dossiers (
    user_id TEXT NOT NULL, code TEXT NOT NULL, PRIMARY KEY (user_id, code)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS user_structures (
    user_id TEXT NOT NULL, structure_id TEXT NOT NULL, PRIMARY KEY (user_id, structure_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS idempotency (
    token TEXT NOT NULL, key TEXT NOT NULL, body_json TEXT NOT NULL, status INTEGER NOT NULL,
    answer TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (token, key)
) WITHOUT ROWID;
";

impl Store {
    /// `None`: in memory. A file keeps its state across restarts.
    pub fn open(path: Option<&Path>) -> Result<Store, StoreError> {
        let conn = match path {
            Some(p) => Connection::open(p)?,
            None => Connection::open_in_memory()?,
        };
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Store { conn })
    }

    /// True before any seed was loaded.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        let org: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'organisation'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(org.is_none())
    }

    /// Loads a seed in one transaction with prepared statements.
    pub fn load_seed(&mut self, seed: &Seed) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let org = serde_json::to_string(&seed.organisation)
            .map_err(|e| StoreError::Seed(e.to_string()))?;
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('organisation', ?1)",
            [org],
        )?;
        {
            let mut st = tx.prepare(
                "INSERT INTO structures (id, name, postal_code, city) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for s in &seed.structures {
                st.execute(params![s.id, s.name, s.postal_code, s.city])
                    .map_err(|e| StoreError::Seed(format!("structure {}: {e}", s.id)))?;
            }
            let mut user = tx.prepare(
                "INSERT INTO users (id, last_name, first_name, email, email_key, nrn, profiles, version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let mut dossier =
                tx.prepare("INSERT OR IGNORE INTO user_dossiers (user_id, code) VALUES (?1, ?2)")?;
            let mut structure = tx.prepare(
                "INSERT OR IGNORE INTO user_structures (user_id, structure_id) VALUES (?1, ?2)",
            )?;
            let known: std::collections::HashSet<&str> =
                seed.structures.iter().map(|s| s.id.as_str()).collect();
            let mut max_number = 0u64;
            for u in &seed.users {
                for p in &u.profiles {
                    if p != crate::api::PROFILE_ADMIN && p != crate::api::PROFILE_USER_ADMIN {
                        return Err(StoreError::Seed(format!(
                            "user {}: unknown profile {p:?}",
                            u.id
                        )));
                    }
                }
                user.execute(params![
                    u.id,
                    u.last_name,
                    u.first_name,
                    u.email,
                    u.email.to_lowercase(),
                    u.nrn,
                    u.profiles.join(","),
                    u.version as i64
                ])
                .map_err(|e| StoreError::Seed(format!("user {}: {e}", u.id)))?;
                for d in &u.dossiers {
                    if crate::model::Dossier::from_code(d).is_none() {
                        return Err(StoreError::Seed(format!(
                            "user {}: unknown dossier {d:?}",
                            u.id
                        )));
                    }
                    dossier.execute(params![u.id, d])?;
                }
                for s in &u.structures {
                    if !known.contains(s.as_str()) {
                        return Err(StoreError::Seed(format!(
                            "user {}: unknown structure {s:?}",
                            u.id
                        )));
                    }
                    structure.execute(params![u.id, s])?;
                }
                if let Some(n) = u.id.rsplit('-').next().and_then(|n| n.parse::<u64>().ok()) {
                    max_number = max_number.max(n);
                }
            }
            let mut token =
                tx.prepare("INSERT OR REPLACE INTO tokens (token, user_id) VALUES (?1, ?2)")?;
            for (t, u) in &seed.tokens {
                token.execute(params![t, u])?;
            }
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('next_user', ?1)",
                [(max_number + 1).to_string()],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn organisation(&self) -> Result<Organisation, StoreError> {
        let text: String = self.conn.query_row(
            "SELECT value FROM meta WHERE key = 'organisation'",
            [],
            |r| r.get(0),
        )?;
        serde_json::from_str(&text).map_err(|e| StoreError::Seed(e.to_string()))
    }

    pub fn tokens(&self) -> Result<HashMap<String, String>, StoreError> {
        let mut st = self.conn.prepare("SELECT token, user_id FROM tokens")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
        let profiles: String = r.get(6)?;
        Ok(User {
            id: r.get(0)?,
            last_name: r.get(1)?,
            first_name: r.get(2)?,
            email: r.get(3)?,
            nrn: r.get(4)?,
            version: r.get::<_, i64>(5)? as u64,
            profiles: profiles
                .split(',')
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
            dossiers: Vec::new(),
            structures: Vec::new(),
        })
    }

    const USER_COLUMNS: &'static str = "id, last_name, first_name, email, nrn, version, profiles";

    pub fn user(&self, id: &str) -> Result<Option<User>, StoreError> {
        let sql = format!("SELECT {} FROM users WHERE id = ?1", Self::USER_COLUMNS);
        let mut st = self.conn.prepare_cached(&sql)?;
        let Some(mut user) = st.query_row([id], Self::user_row).optional()? else {
            return Ok(None);
        };
        let mut d = self
            .conn
            .prepare_cached("SELECT code FROM user_dossiers WHERE user_id = ?1 ORDER BY code")?;
        user.dossiers = d.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        let mut s = self.conn.prepare_cached(
            "SELECT structure_id FROM user_structures WHERE user_id = ?1 ORDER BY structure_id",
        )?;
        user.structures = s.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(Some(user))
    }

    /// Users with `id > after`, ordered by id, at most `limit`; and whether more exist.
    pub fn users_page(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> Result<(Vec<User>, bool), StoreError> {
        let sql = format!(
            "SELECT {} FROM users WHERE id > ?1 ORDER BY id LIMIT ?2",
            Self::USER_COLUMNS
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut users: Vec<User> = st
            .query_map(
                params![after.unwrap_or(""), (limit + 1) as i64],
                Self::user_row,
            )?
            .collect::<Result<_, _>>()?;
        let more = users.len() > limit;
        users.truncate(limit);
        let (Some(first), Some(last)) = (
            users.first().map(|u| u.id.clone()),
            users.last().map(|u| u.id.clone()),
        ) else {
            return Ok((users, more));
        };
        let index: HashMap<String, usize> = users
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id.clone(), i))
            .collect();
        let mut d = self.conn.prepare_cached(
            "SELECT user_id, code FROM user_dossiers WHERE user_id BETWEEN ?1 AND ?2 ORDER BY user_id, code",
        )?;
        let mut rows = d.query(params![first, last])?;
        while let Some(r) = rows.next()? {
            let uid: String = r.get(0)?;
            if let Some(&i) = index.get(&uid) {
                users[i].dossiers.push(r.get(1)?);
            }
        }
        let mut s = self.conn.prepare_cached(
            "SELECT user_id, structure_id FROM user_structures WHERE user_id BETWEEN ?1 AND ?2 \
             ORDER BY user_id, structure_id",
        )?;
        let mut rows = s.query(params![first, last])?;
        while let Some(r) = rows.next()? {
            let uid: String = r.get(0)?;
            if let Some(&i) = index.get(&uid) {
                users[i].structures.push(r.get(1)?);
            }
        }
        Ok((users, more))
    }

    pub fn structures_page(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> Result<(Vec<Structure>, bool), StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, name, postal_code, city FROM structures WHERE id > ?1 ORDER BY id LIMIT ?2",
        )?;
        let mut items: Vec<Structure> = st
            .query_map(params![after.unwrap_or(""), (limit + 1) as i64], |r| {
                Ok(Structure {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    postal_code: r.get(2)?,
                    city: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let more = items.len() > limit;
        items.truncate(limit);
        Ok((items, more))
    }

    /// Grants (`grant`) or revokes a dossier, checking `If-Match` inside the transaction.
    pub fn set_dossier(
        &mut self,
        user_id: &str,
        code: &str,
        grant: bool,
        if_match: Option<u64>,
    ) -> Result<WriteOutcome, StoreError> {
        let sql = if grant {
            "INSERT OR IGNORE INTO user_dossiers (user_id, code) VALUES (?1, ?2)"
        } else {
            "DELETE FROM user_dossiers WHERE user_id = ?1 AND code = ?2"
        };
        self.write_access(user_id, if_match, |tx| {
            Ok(tx.execute(sql, params![user_id, code])? > 0)
        })
    }

    /// Grants or revokes a structure; `sid` must be a structure of the organisation.
    pub fn set_structure(
        &mut self,
        user_id: &str,
        sid: &str,
        grant: bool,
        if_match: Option<u64>,
    ) -> Result<WriteOutcome, StoreError> {
        let exists: bool = self
            .conn
            .prepare_cached("SELECT EXISTS(SELECT 1 FROM structures WHERE id = ?1)")?
            .query_row([sid], |r| r.get(0))?;
        let user_exists = self.version_of(user_id)?.is_some();
        if !user_exists {
            return Ok(WriteOutcome::NoUser);
        }
        if !exists {
            return Ok(WriteOutcome::NoStructure);
        }
        let sql = if grant {
            "INSERT OR IGNORE INTO user_structures (user_id, structure_id) VALUES (?1, ?2)"
        } else {
            "DELETE FROM user_structures WHERE user_id = ?1 AND structure_id = ?2"
        };
        self.write_access(user_id, if_match, |tx| {
            Ok(tx.execute(sql, params![user_id, sid])? > 0)
        })
    }

    fn version_of(&self, user_id: &str) -> Result<Option<u64>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT version FROM users WHERE id = ?1")?;
        Ok(st
            .query_row([user_id], |r| r.get::<_, i64>(0))
            .optional()?
            .map(|v| v as u64))
    }

    fn write_access(
        &mut self,
        user_id: &str,
        if_match: Option<u64>,
        change: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<bool, StoreError>,
    ) -> Result<WriteOutcome, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: Option<i64> = tx
            .prepare_cached("SELECT version FROM users WHERE id = ?1")?
            .query_row([user_id], |r| r.get(0))
            .optional()?;
        let Some(current) = current.map(|v| v as u64) else {
            return Ok(WriteOutcome::NoUser);
        };
        if let Some(expected) = if_match
            && expected != current
        {
            return Ok(WriteOutcome::VersionMismatch { current });
        }
        let changed = change(&tx)?;
        let version = if changed {
            tx.prepare_cached("UPDATE users SET version = version + 1 WHERE id = ?1")?
                .execute([user_id])?;
            current + 1
        } else {
            current
        };
        tx.commit()?;
        Ok(WriteOutcome::Done { version, changed })
    }

    /// Runs `f` inside one immediate transaction (create + idempotency record together).
    pub fn in_transaction<T>(
        &mut self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut t = Tx { tx };
        let out = f(&mut t)?;
        t.tx.commit()?;
        Ok(out)
    }
}

/// Operations that must happen together with others in one transaction.
pub struct Tx<'c> {
    tx: rusqlite::Transaction<'c>,
}

impl Tx<'_> {
    pub fn stored_answer(
        &self,
        token: &str,
        key: &str,
    ) -> Result<Option<StoredAnswer>, StoreError> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT body_json, status, answer FROM idempotency WHERE token = ?1 AND key = ?2",
            )?
            .query_row([token, key], |r| {
                Ok(StoredAnswer {
                    body_json: r.get(0)?,
                    status: r.get::<_, i64>(1)? as u16,
                    answer: r.get(2)?,
                })
            })
            .optional()?)
    }

    pub fn store_answer(
        &self,
        token: &str,
        key: &str,
        a: &StoredAnswer,
        now: u64,
    ) -> Result<(), StoreError> {
        self.tx.prepare_cached(
            "INSERT OR REPLACE INTO idempotency (token, key, body_json, status, answer, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![token, key, a.body_json, a.status as i64, a.answer, now as i64])?;
        Ok(())
    }

    /// An existing user with this e-mail (case-insensitively) or NRN, e-mail first.
    pub fn conflict(&self, email: &str, nrn: &str) -> Result<Option<CreateConflict>, StoreError> {
        let by_email: Option<String> = self
            .tx
            .prepare_cached("SELECT id FROM users WHERE email_key = ?1")?
            .query_row([email.to_lowercase()], |r| r.get(0))
            .optional()?;
        if let Some(id) = by_email {
            return Ok(Some(CreateConflict::Email(id)));
        }
        let by_nrn: Option<String> = self
            .tx
            .prepare_cached("SELECT id FROM users WHERE nrn = ?1")?
            .query_row([nrn], |r| r.get(0))
            .optional()?;
        Ok(by_nrn.map(CreateConflict::Nrn))
    }

    /// A new user: no profile, no dossier, no structure, version 1.
    pub fn create_user(
        &self,
        last_name: &str,
        first_name: &str,
        email: &str,
        nrn: &str,
    ) -> Result<User, StoreError> {
        let next: String = self
            .tx
            .query_row("SELECT value FROM meta WHERE key = 'next_user'", [], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or_else(|| "1".into());
        let mut n: u64 = next.parse().unwrap_or(1);
        // Skip numbers a seed already used in another shape.
        let id = loop {
            let id = format!("u-{n:06}");
            let taken: bool = self
                .tx
                .prepare_cached("SELECT EXISTS(SELECT 1 FROM users WHERE id = ?1)")?
                .query_row([&id], |r| r.get(0))?;
            if !taken {
                break id;
            }
            n += 1;
        };
        self.tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('next_user', ?1)",
            [(n + 1).to_string()],
        )?;
        self.tx.prepare_cached(
            "INSERT INTO users (id, last_name, first_name, email, email_key, nrn, profiles, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', 1)",
        )?
        .execute(params![id, last_name, first_name, email, email.to_lowercase(), nrn])?;
        Ok(User {
            id,
            last_name: last_name.to_owned(),
            first_name: first_name.to_owned(),
            email: email.to_owned(),
            nrn: nrn.to_owned(),
            profiles: Vec::new(),
            dossiers: Vec::new(),
            structures: Vec::new(),
            version: 1,
        })
    }
}
