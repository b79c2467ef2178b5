//! The store's schema, versioned by SQLite's `user_version` and migrated forward one step at a
//! time inside a transaction. A store newer than this binary is never written.
//!
//! `changes` and `runs` are the append-only record (each change and each run carries a
//! SHA-256; a run's chains to the previous one). `retired` keeps the hash of each change that
//! retention deleted and the run whose sweep deleted it (that run's hash covers it). `intervals` and `users` are what the queries
//! read: derived, kept in step by the same transaction.

/// The schema this binary writes.
pub const VERSION: i64 = 1;

/// Migration `i` takes a store from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 0 → 1
    "
    CREATE TABLE runs (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        started TEXT NOT NULL,
        observed_first TEXT,
        observed_last TEXT,
        reads INTEGER NOT NULL,
        imported INTEGER NOT NULL,
        prev TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE TABLE changes (
        seq INTEGER PRIMARY KEY,
        run TEXT NOT NULL,
        at TEXT NOT NULL,
        after TEXT,
        after_run TEXT,
        user_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        item TEXT NOT NULL,
        op TEXT NOT NULL,
        by TEXT NOT NULL,
        action INTEGER,
        job_op TEXT,
        sources TEXT,
        approved_by TEXT,
        hash TEXT NOT NULL
    );
    CREATE INDEX changes_run ON changes(run);
    CREATE INDEX changes_hand ON changes(by, at);
    CREATE TABLE intervals (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        item TEXT NOT NULL,
        began INTEGER NOT NULL,
        ended INTEGER
    );
    CREATE INDEX intervals_item ON intervals(kind, item);
    CREATE INDEX intervals_user ON intervals(user_id);
    CREATE UNIQUE INDEX intervals_open ON intervals(user_id, kind, item) WHERE ended IS NULL;
    CREATE TABLE users (
        user_id TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        last_name TEXT NOT NULL,
        first_name TEXT NOT NULL,
        gone_at TEXT,
        created_run TEXT
    );
    CREATE TABLE structures (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        city TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
    );
    CREATE TABLE retired (
        change_seq INTEGER PRIMARY KEY,
        run TEXT NOT NULL,
        hash TEXT NOT NULL,
        swept_by TEXT NOT NULL
    );
    CREATE INDEX retired_run ON retired(run);
    CREATE INDEX retired_swept ON retired(swept_by);
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    ",
];
