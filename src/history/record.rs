//! Recording a run: its reads and the job's writes, in the order they happened, compared with
//! the open intervals; every difference is a change — by the job when one of its `done` or
//! `adopted` outcomes explains it, else by hand between the item's previous observation and
//! this one — written with its interval in one transaction, chained (`chain.rs`), then
//! retention (`retention.rs`). The same comparison, without writing, is the drift a `plan`
//! shows.

use std::collections::{HashMap, HashSet};

use rusqlite::{Transaction, params};

use super::change::{By, DriftChange, NewChange, UserRow, set_meta};
use super::journal::JobWrite;
use super::snapshot::{Item, Kind, Snapshot};
use super::store::{HistoryError, Store};

/// What happened during a run, in order.
#[derive(Debug, Clone)]
#[expect(
    clippy::large_enum_variant,
    reason = "a run has a few reads and its writes: boxing each write buys nothing measurable"
)]
pub enum Event {
    /// A read of the portal (the main read, a held phase's stale check, the re-read after it).
    Read(Snapshot),
    /// One write of the job that took effect, from the run's journal.
    Wrote(JobWrite),
}

/// A run to record.
#[derive(Debug, Clone)]
pub struct RunEntry {
    pub id: String,
    pub started: jiff::Timestamp,
    /// Imported from its journal at a later start (it was killed before recording itself).
    pub imported: bool,
    pub events: Vec<Event>,
}

type Key = (String, Item);

/// The store's present as the comparison needs it: the open items, the previous observation,
/// the users' latest names.
pub(super) struct Ledger {
    /// Open items → (interval id, the instant its start was seen, the run that saw it).
    open: HashMap<Key, (i64, String, String)>,
    /// Items by user, for the users a read no longer returns.
    by_user: HashMap<String, HashSet<Item>>,
    last_read: Option<(String, String)>,
    pub(super) users: HashMap<String, UserRow>,
    run: String,
}

impl Ledger {
    pub(super) fn load(store: &Store, run: &str) -> Result<Ledger, HistoryError> {
        let sql = |e| store.sql(e);
        let mut open = HashMap::new();
        let mut by_user: HashMap<String, HashSet<Item>> = HashMap::new();
        let mut st = store
            .conn
            .prepare(
                "SELECT i.id, i.user_id, i.kind, i.item, c.at, c.run FROM intervals i
                 JOIN changes c ON c.seq = i.began WHERE i.ended IS NULL",
            )
            .map_err(sql)?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .map_err(sql)?;
        for row in rows {
            let (id, user, kind, code, at, run) = row.map_err(sql)?;
            let Some(kind) = Kind::parse(&kind) else {
                continue;
            };
            let item = Item { kind, code };
            by_user
                .entry(user.clone())
                .or_default()
                .insert(item.clone());
            open.insert((user, item), (id, at, run));
        }
        drop(st);
        let mut users = HashMap::new();
        let mut st = store
            .conn
            .prepare("SELECT user_id, email, last_name, first_name, gone_at FROM users")
            .map_err(sql)?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    UserRow {
                        email: r.get(1)?,
                        last_name: r.get(2)?,
                        first_name: r.get(3)?,
                        gone: r.get::<_, Option<String>>(4)?.is_some(),
                    },
                ))
            })
            .map_err(sql)?;
        for row in rows {
            let (id, u) = row.map_err(sql)?;
            users.insert(id, u);
        }
        drop(st);
        let last_read = store
            .meta("last_read_at")?
            .zip(store.meta("last_read_run")?);
        Ok(Ledger {
            open,
            by_user,
            last_read,
            users,
            run: run.to_owned(),
        })
    }

    /// The previous observation of an item: the last read, or the item's own last change when
    /// that is later.
    fn previous(&self, key: &Key) -> (Option<String>, Option<String>) {
        let mut best = self.last_read.clone();
        if let Some((_, at, run)) = self.open.get(key)
            && best.as_ref().is_none_or(|(b, _)| at > b)
        {
            best = Some((at.clone(), run.clone()));
        }
        match best {
            Some((at, run)) => (Some(at), Some(run)),
            None => (None, None),
        }
    }

    fn change(&mut self, key: Key, grant: bool, at: &str, by: By) -> NewChange {
        let (after, after_run) = match by {
            By::Hand => self.previous(&key),
            _ => (None, None),
        };
        if grant {
            self.by_user
                .entry(key.0.clone())
                .or_default()
                .insert(key.1.clone());
            // The interval's id is given when it is written.
            self.open
                .insert(key.clone(), (0, at.to_owned(), self.run.clone()));
        } else {
            if let Some(items) = self.by_user.get_mut(&key.0) {
                items.remove(&key.1);
            }
            self.open.remove(&key);
        }
        NewChange {
            at: at.to_owned(),
            after,
            after_run,
            user_id: key.0,
            item: key.1,
            grant,
            by,
            action: None,
            job_op: None,
            sources: Vec::new(),
            approved_by: None,
        }
    }

    /// A read: every item of every user it returns observed; what differs is a change by hand
    /// (or of unknown cause at the store's very first read). A user it no longer returns ends
    /// all their intervals and is marked gone.
    pub(super) fn read(&mut self, snap: &Snapshot) -> Vec<NewChange> {
        let at = super::stamp(snap.at);
        let by = if self.last_read.is_none() {
            By::Unknown
        } else {
            By::Hand
        };
        let mut out = Vec::new();
        let mut seen = HashSet::with_capacity(snap.users.len());
        for u in &snap.users {
            seen.insert(u.id.as_str());
            let row = UserRow {
                email: u.email.clone(),
                last_name: u.last_name.clone(),
                first_name: u.first_name.clone(),
                gone: false,
            };
            if self.users.get(&u.id) != Some(&row) {
                self.users.insert(u.id.clone(), row);
            }
            let held = self.by_user.get(&u.id).cloned().unwrap_or_default();
            for item in &u.items {
                if !held.contains(item) {
                    out.push(self.change((u.id.clone(), item.clone()), true, &at, by));
                }
            }
            let now: HashSet<&Item> = u.items.iter().collect();
            let mut gone: Vec<&Item> = held.iter().filter(|i| !now.contains(i)).collect();
            gone.sort();
            for item in gone {
                out.push(self.change((u.id.clone(), item.clone()), false, &at, By::Hand));
            }
        }
        let mut missing: Vec<String> = self
            .by_user
            .iter()
            .filter(|(id, items)| !items.is_empty() && !seen.contains(id.as_str()))
            .map(|(id, _)| id.clone())
            .collect();
        missing.sort();
        for id in missing {
            let mut items: Vec<Item> = self
                .by_user
                .get(&id)
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default();
            items.sort();
            for item in items {
                out.push(self.change((id.clone(), item), false, &at, By::Hand));
            }
        }
        for (id, u) in self.users.iter_mut() {
            if !seen.contains(id.as_str()) {
                u.gone = true;
            }
        }
        self.last_read = Some((at, self.run.clone()));
        out
    }

    /// One write of the job: a change by the job when the store did not have the item as the
    /// write left it; an `in_effect` write that finds it otherwise means someone made it so by
    /// hand between the read and the write. A `done` write that finds the item already as it
    /// leaves it means the job saw it otherwise: someone changed it by hand after the previous
    /// observation (a run whose reads were never recorded — killed, imported from its journal
    /// — is how that happens), then the job changed it back: both are recorded.
    pub(super) fn wrote(&mut self, w: &JobWrite) -> Vec<NewChange> {
        self.wrote_one(w).unwrap_or_default()
    }

    fn wrote_one(&mut self, w: &JobWrite) -> Option<Vec<NewChange>> {
        let at = super::stamp(w.at);
        let user = w.user_id.clone()?;
        if w.op == "create_user" {
            let (last_name, first_name) = w.names.clone().unwrap_or_default();
            let known = self.users.get(&user).cloned();
            self.users.insert(
                user,
                UserRow {
                    email: w.email.clone(),
                    last_name: known.as_ref().map_or(last_name, |k| k.last_name.clone()),
                    first_name: known.map_or(first_name, |k| k.first_name),
                    gone: false,
                },
            );
            return Some(Vec::new());
        }
        let (item, grant) = match w.op.as_str() {
            "grant_dossier" => (Kind::Dossier, true),
            "revoke_dossier" => (Kind::Dossier, false),
            "grant_structure" => (Kind::Structure, true),
            "revoke_structure" => (Kind::Structure, false),
            _ => return None,
        };
        let code = match item {
            Kind::Structure => w.structure.clone()?,
            _ => w.dossier.clone()?,
        };
        let key = (user, Item { kind: item, code });
        let mut out = Vec::new();
        if self.open.contains_key(&key) == grant {
            if w.status == "in_effect" {
                return Some(out);
            }
            out.push(self.change(key.clone(), !grant, &at, By::Hand));
        }
        let by = if w.status == "in_effect" {
            By::Hand
        } else {
            By::Job
        };
        let mut c = self.change(key, grant, &at, by);
        if by == By::Job {
            c.action = Some(w.action);
            c.job_op = Some(w.op.clone());
            c.sources = w.sources.clone();
            c.approved_by = w.approved_by.clone();
        }
        out.push(c);
        Some(out)
    }
}

impl Store {
    /// What a read would record as changed by hand, without writing anything: the drift a
    /// plan shows (evidence.md). The journals of `state_dir` the store does not hold yet (a
    /// killed run's; during an apply, its own earlier phases') are replayed first, so the job's
    /// own writes are never shown as changes by hand. Empty before the store's first
    /// observation.
    pub fn drift_of(
        &self,
        snap: &Snapshot,
        state_dir: &std::path::Path,
    ) -> Result<Vec<DriftChange>, HistoryError> {
        let mut ledger = Ledger::load(self, "")?;
        if ledger.last_read.is_none() {
            return Ok(Vec::new());
        }
        let mut found = Vec::new();
        for (id, j) in self.unrecorded(state_dir, None)? {
            ledger.run = id;
            for w in &j.writes {
                found.extend(ledger.wrote(w));
            }
        }
        ledger.run = String::new();
        found.extend(ledger.read(snap));
        Ok(found
            .iter()
            .filter(|c| c.by == By::Hand)
            .filter_map(|c| DriftChange::of_new(c, &ledger.users, None))
            .collect())
    }

    /// The writes that took effect of every journal the store does not hold yet (a killed
    /// run's; one whose store write failed), oldest first, with their run: what a dry run
    /// must count as done although the store does not say it yet.
    pub fn unrecorded_writes(
        &self,
        state_dir: &std::path::Path,
    ) -> Result<Vec<(String, JobWrite)>, HistoryError> {
        Ok(self
            .unrecorded(state_dir, None)?
            .into_iter()
            .flat_map(|(id, j)| j.writes.into_iter().map(move |w| (id.clone(), w)))
            .collect())
    }

    /// The journals of `state_dir` newer than the store's last run and not recorded, oldest
    /// first (`except` the importing run's own). One that cannot be read is passed over.
    fn unrecorded(
        &self,
        state_dir: &std::path::Path,
        except: Option<&str>,
    ) -> Result<Vec<(String, super::journal::ReadJournal)>, HistoryError> {
        let last = self.last_run()?;
        let mut ids: Vec<String> = match std::fs::read_dir(state_dir) {
            Ok(dir) => dir
                .filter_map(|e| e.ok())
                .filter_map(|e| {
                    super::journal::run_of(&e.file_name().to_string_lossy()).map(str::to_owned)
                })
                .filter(|id| Some(id.as_str()) != except && last.as_ref().is_none_or(|l| id > l))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(source) => {
                return Err(HistoryError::Io {
                    path: state_dir.to_path_buf(),
                    source,
                });
            }
        };
        ids.sort();
        let mut out = Vec::new();
        for id in ids {
            if self.has_run(&id)? {
                continue;
            }
            let path = state_dir.join(format!("journal-{id}.jsonl"));
            if let Ok(j) = super::journal::read_journal(&path) {
                out.push((id, j));
            }
        }
        Ok(out)
    }

    /// Records a run in one transaction: its changes and intervals, the users' latest names,
    /// the structures, its chained record, then retention. Returns the chain's new head and
    /// the changes by hand it found.
    pub fn record(
        &mut self,
        run: &RunEntry,
        keep_days: u32,
    ) -> Result<(String, Vec<DriftChange>), HistoryError> {
        let mut ledger = Ledger::load(self, &run.id)?;
        let before_users = ledger.users.clone();
        let mut found = Vec::new();
        let mut reads = 0;
        let (mut first, mut last) = (None, None);
        let mut structures = Vec::new();
        for e in &run.events {
            match e {
                Event::Read(s) => {
                    reads += 1;
                    let at = super::stamp(s.at);
                    first.get_or_insert_with(|| at.clone());
                    last = Some(at.clone());
                    structures.push((at, &s.structures));
                    found.extend(ledger.read(s));
                }
                Event::Wrote(w) => found.extend(ledger.wrote(w)),
            }
        }
        let path = self.path.clone();
        let sql = |source| HistoryError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let mut seq: i64 = tx
            .query_row(
                "SELECT max(coalesce((SELECT max(seq) FROM changes), 0),
                            coalesce((SELECT max(change_seq) FROM retired), 0),
                            coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'last_seq'), 0))",
                [],
                |r| r.get(0),
            )
            .map_err(sql)?;
        let mut hashes = Vec::with_capacity(found.len());
        for c in &found {
            seq += 1;
            hashes.push(write_change(&tx, seq, &run.id, c).map_err(sql)?);
        }
        set_meta(&tx, "last_seq", &seq.to_string()).map_err(sql)?;
        write_users(&tx, &before_users, &ledger.users, &run.id, &run.events).map_err(sql)?;
        for (at, list) in structures {
            for (id, name, city) in list.iter() {
                tx.execute(
                    "INSERT INTO structures (id, name, city, first_seen, last_seen)
                     VALUES (?1, ?2, ?3, ?4, ?4)
                     ON CONFLICT(id) DO UPDATE SET name = ?2, city = ?3, last_seen = ?4",
                    params![id, name, city, at],
                )
                .map_err(sql)?;
            }
        }
        let prev = super::chain::head_in(&tx).map_err(sql)?;
        let record = super::chain::RunRow {
            id: run.id.clone(),
            started: super::stamp(run.started),
            observed_first: first.clone(),
            observed_last: last.clone(),
            reads,
            imported: run.imported,
        };
        let swept = super::retention::sweep(&tx, keep_days, jiff::Timestamp::now(), &run.id)
            .map_err(sql)?;
        let hash = super::chain::run_hash(&prev, &record, &hashes, &swept);
        tx.execute(
            "INSERT INTO runs (id, started, observed_first, observed_last, reads, imported, prev, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                record.id,
                record.started,
                record.observed_first,
                record.observed_last,
                record.reads,
                record.imported,
                prev,
                hash
            ],
        )
        .map_err(sql)?;
        if let Some(first) = &first {
            set_meta_if_absent(&tx, "first_observed", first).map_err(sql)?;
        }
        if let Some(last) = &last {
            set_meta(&tx, "last_read_at", last).map_err(sql)?;
            set_meta(&tx, "last_read_run", &run.id).map_err(sql)?;
        }
        tx.commit().map_err(sql)?;
        let drift = found
            .iter()
            .filter(|c| c.by == By::Hand)
            .filter_map(|c| DriftChange::of_new(c, &ledger.users, Some(&run.id)))
            .collect();
        Ok((hash, drift))
    }
}

fn set_meta_if_absent(tx: &Transaction<'_>, key: &str, value: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES (?1, ?2)",
        params![key, value],
    )
    .map(|_| ())
}

/// A change row and its interval; the row's hash.
fn write_change(
    tx: &Transaction<'_>,
    seq: i64,
    run: &str,
    c: &NewChange,
) -> rusqlite::Result<String> {
    let sources = if c.sources.is_empty() {
        None
    } else {
        serde_json::to_string(&c.sources).ok()
    };
    let row = super::chain::ChangeRow {
        seq,
        run: run.to_owned(),
        at: c.at.clone(),
        after: c.after.clone(),
        after_run: c.after_run.clone(),
        user_id: c.user_id.clone(),
        kind: c.item.kind.as_str().to_owned(),
        item: c.item.code.clone(),
        op: if c.grant { "grant" } else { "revoke" }.to_owned(),
        by: c.by.as_str().to_owned(),
        action: c.action.map(i64::from),
        job_op: c.job_op.clone(),
        sources,
        approved_by: c.approved_by.clone(),
    };
    let hash = row.hash();
    tx.execute(
        "INSERT INTO changes (seq, run, at, after, after_run, user_id, kind, item, op, by, action,
                              job_op, sources, approved_by, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            row.seq,
            row.run,
            row.at,
            row.after,
            row.after_run,
            row.user_id,
            row.kind,
            row.item,
            row.op,
            row.by,
            row.action,
            row.job_op,
            row.sources,
            row.approved_by,
            hash
        ],
    )?;
    if c.grant {
        tx.execute(
            "INSERT INTO intervals (user_id, kind, item, began) VALUES (?1, ?2, ?3, ?4)",
            params![row.user_id, row.kind, row.item, seq],
        )?;
    } else {
        tx.execute(
            "UPDATE intervals SET ended = ?4
             WHERE user_id = ?1 AND kind = ?2 AND item = ?3 AND ended IS NULL",
            params![row.user_id, row.kind, row.item, seq],
        )?;
    }
    Ok(hash)
}

/// The users whose latest name, e-mail or presence changed.
fn write_users(
    tx: &Transaction<'_>,
    before: &HashMap<String, UserRow>,
    after: &HashMap<String, UserRow>,
    run: &str,
    events: &[Event],
) -> rusqlite::Result<()> {
    let gone_at = events
        .iter()
        .rev()
        .find_map(|e| match e {
            Event::Read(s) => Some(super::stamp(s.at)),
            Event::Wrote(_) => None,
        })
        .unwrap_or_default();
    let created: HashSet<&str> = events
        .iter()
        .filter_map(|e| match e {
            Event::Wrote(w) if w.op == "create_user" && w.status == "done" => w.user_id.as_deref(),
            _ => None,
        })
        .collect();
    for (id, u) in after {
        let was = before.get(id);
        if was == Some(u) {
            continue;
        }
        let gone = if u.gone { Some(gone_at.as_str()) } else { None };
        let created_run = created.contains(id.as_str()).then_some(run);
        tx.execute(
            "INSERT INTO users (user_id, email, last_name, first_name, gone_at, created_run)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(user_id) DO UPDATE SET email = ?2, last_name = ?3, first_name = ?4,
                 gone_at = CASE WHEN ?5 IS NULL THEN NULL ELSE coalesce(gone_at, ?5) END,
                 created_run = coalesce(created_run, ?6)",
            params![id, u.email, u.last_name, u.first_name, gone, created_run],
        )?;
    }
    Ok(())
}

impl Store {
    /// The write-ahead rule (evidence.md): every journal of the state directory newer than the
    /// store's last run and not recorded yet (a run killed before its transaction committed,
    /// or whose store could not be written) is recorded from its journal, oldest first, so
    /// that the job's own writes are never taken for changes by hand. `current` is the run
    /// importing them. Returns the runs imported and the changes by hand their writes show.
    pub fn import_journals(
        &mut self,
        state_dir: &std::path::Path,
        current: &str,
        keep_days: u32,
    ) -> Result<(Vec<String>, Vec<DriftChange>), HistoryError> {
        let mut imported = Vec::new();
        let mut drift = Vec::new();
        for (id, j) in self.unrecorded(state_dir, Some(current))? {
            let started = j
                .started
                .or_else(|| j.writes.first().map(|w| w.at))
                .unwrap_or_else(jiff::Timestamp::now);
            let entry = RunEntry {
                id: id.clone(),
                started,
                imported: true,
                events: j.writes.into_iter().map(Event::Wrote).collect(),
            };
            drift.extend(self.record(&entry, keep_days)?.1);
            imported.push(id);
        }
        Ok((imported, drift))
    }
}
