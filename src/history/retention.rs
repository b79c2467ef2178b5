//! `[history] keep_days` (default 730): an interval that ended more than that long ago is
//! deleted with the two changes it is made of (their hashes kept in `retired`), a user left
//! with no interval who is gone from the portal with their name and e-mail, a structure gone
//! as long; a prefix of runs left with no live change is folded into the checkpoint (the last
//! deleted run and its hash), from which `history --verify` walks.

use rusqlite::{OptionalExtension, Transaction, params};

use super::change::set_meta;

/// The default of `[history] keep_days`.
pub const DEFAULT_KEEP_DAYS: u32 = 730;

/// The instant before which an ended interval is forgotten.
pub fn cutoff(keep_days: u32, now: jiff::Timestamp) -> jiff::Timestamp {
    now.checked_sub(jiff::SignedDuration::from_hours(24 * i64::from(keep_days)))
        .unwrap_or(jiff::Timestamp::MIN)
}

/// Deletes what is older than `keep_days`, in the transaction of the run `by`; the hashes of
/// the changes it retired, in order (the run's hash covers them).
pub(super) fn sweep(
    tx: &Transaction<'_>,
    keep_days: u32,
    now: jiff::Timestamp,
    by: &str,
) -> rusqlite::Result<Vec<String>> {
    let cut = super::stamp(cutoff(keep_days, now));
    let old: Vec<(i64, i64, i64)> = {
        let mut st = tx.prepare(
            "SELECT i.id, i.began, i.ended FROM intervals i JOIN changes e ON e.seq = i.ended
             WHERE e.at < ?1",
        )?;
        st.query_map([&cut], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?
    };
    let mut seqs: Vec<i64> = Vec::with_capacity(old.len() * 2);
    for (id, began, ended) in &old {
        seqs.extend([*began, *ended]);
        tx.execute("DELETE FROM intervals WHERE id = ?1", [id])?;
    }
    seqs.sort_unstable();
    let mut swept = Vec::with_capacity(seqs.len());
    for seq in seqs {
        let hash: Option<String> = tx
            .query_row("SELECT hash FROM changes WHERE seq = ?1", [seq], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(hash) = hash {
            tx.execute(
                "INSERT OR IGNORE INTO retired (change_seq, run, hash, swept_by)
                 SELECT seq, run, hash, ?2 FROM changes WHERE seq = ?1",
                params![seq, by],
            )?;
            tx.execute("DELETE FROM changes WHERE seq = ?1", [seq])?;
            swept.push(hash);
        }
    }
    if !old.is_empty() {
        tx.execute(
            "DELETE FROM users WHERE gone_at IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM intervals i WHERE i.user_id = users.user_id)",
            [],
        )?;
    }
    tx.execute(
        "DELETE FROM structures WHERE last_seen < ?1
         AND NOT EXISTS (SELECT 1 FROM intervals i WHERE i.kind = 'structure' AND i.item = structures.id)",
        [&cut],
    )?;
    fold(tx, &cut)?;
    let first: Option<String> = tx
        .query_row(
            "SELECT value FROM meta WHERE key = 'first_observed'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let covered: Option<String> = tx
        .query_row(
            "SELECT value FROM meta WHERE key = 'covered_from'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    // Never backwards: a keep_days raised later does not bring back what was deleted.
    if first.is_some_and(|f| f < cut) && covered.as_ref().is_none_or(|c| *c < cut) {
        set_meta(tx, "covered_from", &cut)?;
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('keep_days', ?1)
         ON CONFLICT(key) DO UPDATE SET value = ?1",
        params![keep_days.to_string()],
    )?;
    Ok(swept)
}

/// The oldest runs started before the cut with no live change left fold into the checkpoint,
/// in chain order: the last one folded and its hash.
fn fold(tx: &Transaction<'_>, cut: &str) -> rusqlite::Result<()> {
    loop {
        let first: Option<(i64, String, String, String)> = tx
            .query_row(
                "SELECT seq, id, started, hash FROM runs ORDER BY seq LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((seq, id, started, hash)) = first else {
            break;
        };
        let live: i64 =
            tx.query_row("SELECT count(*) FROM changes WHERE run = ?1", [&id], |r| {
                r.get(0)
            })?;
        // The run being recorded is not in the table yet: it becomes the head whatever folds.
        if started.as_str() >= cut || live > 0 {
            break;
        }
        // Its sweep's records go with it: its hash, now the checkpoint, covered them.
        tx.execute("DELETE FROM retired WHERE swept_by = ?1", [&id])?;
        tx.execute("DELETE FROM runs WHERE seq = ?1", [seq])?;
        set_meta(tx, "checkpoint_run", &id)?;
        set_meta(tx, "checkpoint_hash", &hash)?;
    }
    Ok(())
}
