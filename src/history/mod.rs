//! The history store (evidence.md "The history store"): a SQLite database in the state
//! directory that remembers, for years, who held which dossier, structure and profile when, and
//! how each start and end came — by the job (its run, action, input rows, approver) or by hand
//! (between two observations). Only `apply` writes it, one transaction per run; every other
//! command opens it read-only. No NRN is ever stored.
//!
//! The store keeps only changes, never a copy of each night's read: an observation that matches
//! the open intervals adds nothing, which is what keeps three years of nightly runs small.

mod chain;
mod change;
mod journal;
mod query;
mod record;
mod retention;
mod revert;
mod schema;
mod snapshot;
mod store;

pub use chain::Verified;
pub use journal::{JobWrite, JournalPhase, ReadJournal, read_journal, run_of};
pub use query::{
    Access, Cause, DriftChange, Holder, Interval, OnDay, PersonTimeline, Subject, UserMatch,
};
pub use record::{Event, RunEntry};
pub use retention::DEFAULT_KEEP_DAYS;
pub use revert::{Asked, RevertAnswers, Since};
pub use snapshot::{Item, Kind, SnapUser, Snapshot};
pub use store::{FILE_NAME, HistoryError, Opened, Store};

/// Days are Europe/Brussels days (evidence.md): the UTC instants a day starts and ends.
pub fn day_bounds(day: jiff::civil::Date) -> (jiff::Timestamp, jiff::Timestamp) {
    let tz = brussels();
    let start = tz
        .to_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let end = day
        .tomorrow()
        .ok()
        .and_then(|d| {
            tz.to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                .ok()
        })
        .unwrap_or(jiff::Timestamp::MAX);
    (start, end)
}

/// The Europe/Brussels time zone (bundled, so a container without tzdata agrees).
pub fn brussels() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Europe/Brussels").unwrap_or(jiff::tz::TimeZone::UTC)
}

/// An instant as the store writes it: RFC 3339 in UTC with milliseconds, fixed width, so that
/// text order is time order.
pub fn stamp(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// An instant the store or a journal wrote (`None` for one that does not read).
pub fn parse_stamp(s: &str) -> Option<jiff::Timestamp> {
    s.parse().ok()
}

/// Lower-case hex of a digest.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests;
