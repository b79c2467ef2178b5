//! The questions the store answers (evidence.md "`proone-sync history`"): a person's timeline,
//! who could see a structure or held a dossier on a day, the changes made by hand — as data,
//! shaped as the JSON of `history --format json`; the renderers say them for people.

use std::collections::BTreeMap;

use rusqlite::params;
use serde::Serialize;

pub use super::change::DriftChange;
use super::change::UserRow;
use super::snapshot::Kind;
use super::store::{HistoryError, Store};

/// How a start or an end of an interval came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "by", rename_all = "lowercase")]
pub enum Cause {
    Job {
        run: String,
        op: String,
        sources: Vec<String>,
        approved_by: Option<String>,
    },
    /// Made in the portal's web page between the observation of `after_run` and `seen_at_run`.
    Hand {
        after_run: Option<String>,
        seen_at_run: String,
    },
    /// Held before the store's first observation.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Interval {
    pub since: String,
    /// `None`: still held.
    pub until: Option<String>,
    pub began: Cause,
    pub ended: Option<Cause>,
    /// The earliest it may have begun (a change by hand happened after the previous
    /// observation; `None`: before the store's first one).
    #[serde(skip)]
    pub since_earliest: Option<String>,
    /// The latest instant it was surely still held (for an end by hand, the observation before).
    #[serde(skip)]
    pub until_surely: Option<String>,
}

/// One item of a person's timeline: `{"dossier": …}` or `{"structure": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Access {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dossier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structure: Option<String>,
    /// An administrateur's Pré-demandes: the intervals are their profile's.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub implicit: bool,
    pub intervals: Vec<Interval>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonTimeline {
    pub user_id: String,
    pub email: String,
    pub last_name: String,
    pub first_name: String,
    pub access: Vec<Access>,
}

/// What `--on` asks about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Structure(String),
    Dossier(String),
}

/// One person who could see the subject that day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holder {
    pub user_id: String,
    pub email: String,
    pub last_name: String,
    pub first_name: String,
    pub dossiers: Vec<String>,
    /// Through the administrateur profile (implicit Pré-demandes).
    pub implicit: bool,
    pub since: String,
    /// `false`: the interval only might cover the day (it began or ended between two
    /// observations around it).
    pub certain: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnDay {
    pub on: jiff::civil::Date,
    pub subject: Subject,
    /// The store observed the whole day's period (not before its first run, not past
    /// `keep_days`).
    pub complete: bool,
    pub people: Vec<Holder>,
}

/// Who `--person X` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserMatch {
    One(String),
    /// An ambiguous name: the candidates (id, e-mail, first and last name).
    Many(Vec<(String, String, String)>),
    None,
}

/// Someone who may have held the subject that day, before people are merged.
struct Candidate {
    user: String,
    dossiers: Vec<String>,
    implicit: bool,
    since: String,
    /// Surely held at some moment of the day.
    surely: bool,
}

struct Row {
    user_id: String,
    kind: String,
    item: String,
    interval: Interval,
}

fn cause(
    by: &str,
    run: String,
    job_op: Option<String>,
    sources: Option<String>,
    approved_by: Option<String>,
    after_run: Option<String>,
) -> Cause {
    match by {
        "job" => Cause::Job {
            run,
            op: job_op.unwrap_or_default(),
            sources: sources
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_default(),
            approved_by,
        },
        "hand" => Cause::Hand {
            after_run,
            seen_at_run: run,
        },
        _ => Cause::Unknown,
    }
}

const INTERVALS: &str = "
    SELECT i.user_id, i.kind, i.item,
           b.at, b.after, b.by, b.run, b.job_op, b.sources, b.approved_by, b.after_run,
           e.at, e.after, e.by, e.run, e.job_op, e.sources, e.approved_by, e.after_run
    FROM intervals i JOIN changes b ON b.seq = i.began LEFT JOIN changes e ON e.seq = i.ended";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let b_by: String = r.get(5)?;
    let b_at: String = r.get(3)?;
    let b_after: Option<String> = r.get(4)?;
    let began = cause(
        &b_by,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
    );
    let since_earliest = match b_by.as_str() {
        "job" => Some(b_at.clone()),
        "hand" => b_after,
        _ => None,
    };
    let e_at: Option<String> = r.get(11)?;
    let (ended, until_surely) = match &e_at {
        Some(at) => {
            let e_by: String = r.get(13)?;
            let e_after: Option<String> = r.get(12)?;
            let surely = match e_by.as_str() {
                "hand" => e_after.or(Some(b_at.clone())),
                _ => Some(at.clone()),
            };
            (
                Some(cause(
                    &e_by,
                    r.get(14)?,
                    r.get(15)?,
                    r.get(16)?,
                    r.get(17)?,
                    r.get(18)?,
                )),
                surely,
            )
        }
        None => (None, None),
    };
    Ok(Row {
        user_id: r.get(0)?,
        kind: r.get(1)?,
        item: r.get(2)?,
        interval: Interval {
            since: b_at,
            until: e_at,
            began,
            ended,
            since_earliest,
            until_surely,
        },
    })
}

/// Whether an interval may overlap `[from, to)`, and whether it surely does.
fn overlap(i: &Interval, from: &str, to: &str) -> (bool, bool) {
    let maybe = i.since_earliest.as_deref().is_none_or(|s| s < to)
        && i.until.as_deref().is_none_or(|u| u > from);
    let surely = i.since.as_str() < to
        && (i.until.is_none() || i.until_surely.as_deref().is_some_and(|u| u > from));
    (maybe, maybe && surely)
}

fn fold(s: &str) -> String {
    crate::model::text::fold(s)
}

impl Store {
    fn rows(&self, filter: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<Row>, HistoryError> {
        let sql = format!("{INTERVALS} WHERE {filter} ORDER BY b.at, i.id");
        let mut st = self.conn.prepare(&sql).map_err(|e| self.sql(e))?;
        st.query_map(args, read_row)
            .map_err(|e| self.sql(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql(e))
    }

    fn user(&self, id: &str) -> Result<Option<UserRow>, HistoryError> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row(
                "SELECT email, last_name, first_name, gone_at FROM users WHERE user_id = ?1",
                [id],
                |r| {
                    Ok(UserRow {
                        email: r.get(0)?,
                        last_name: r.get(1)?,
                        first_name: r.get(2)?,
                        gone: r.get::<_, Option<String>>(3)?.is_some(),
                    })
                },
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// `--person X` by user id, e-mail (any case) or full name (either order, any case or
    /// accent). An NRN is resolved through the portal by the caller, never here.
    pub fn resolve_person(&self, x: &str) -> Result<UserMatch, HistoryError> {
        let x = x.trim();
        if self.user(x)?.is_some() {
            return Ok(UserMatch::One(x.to_owned()));
        }
        let mut st = self
            .conn
            .prepare("SELECT user_id, email, last_name, first_name FROM users ORDER BY user_id")
            .map_err(|e| self.sql(e))?;
        let all: Vec<(String, String, String, String)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .map_err(|e| self.sql(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql(e))?;
        if x.contains('@') {
            let hit: Vec<_> = all.iter().filter(|u| u.1.eq_ignore_ascii_case(x)).collect();
            return Ok(match hit.as_slice() {
                [one] => UserMatch::One(one.0.clone()),
                [] => UserMatch::None,
                many => UserMatch::Many(
                    many.iter()
                        .map(|u| (u.0.clone(), u.1.clone(), format!("{} {}", u.3, u.2)))
                        .collect(),
                ),
            });
        }
        let want = fold(x);
        let hit: Vec<_> = all
            .iter()
            .filter(|u| {
                fold(&format!("{} {}", u.3, u.2)) == want
                    || fold(&format!("{} {}", u.2, u.3)) == want
            })
            .collect();
        Ok(match hit.as_slice() {
            [one] => UserMatch::One(one.0.clone()),
            [] => UserMatch::None,
            many => UserMatch::Many(
                many.iter()
                    .map(|u| (u.0.clone(), u.1.clone(), format!("{} {}", u.3, u.2)))
                    .collect(),
            ),
        })
    }

    /// A person's timeline: each dossier and structure with its intervals (those overlapping
    /// `[since, until)` when given), an administrateur's implicit Pré-demandes as their
    /// profile's intervals.
    pub fn person(
        &self,
        user_id: &str,
        since: Option<&str>,
        until: Option<&str>,
    ) -> Result<Option<PersonTimeline>, HistoryError> {
        let Some(u) = self.user(user_id)? else {
            return Ok(None);
        };
        let rows = self.rows("i.user_id = ?1", &[&user_id])?;
        let mut access: BTreeMap<(u8, String, bool), Vec<Interval>> = BTreeMap::new();
        for r in rows {
            let (lo, hi) = (since.unwrap_or(""), until.unwrap_or("~"));
            if !overlap(&r.interval, lo, hi).0 {
                continue;
            }
            let key = match (r.kind.as_str(), r.item.as_str()) {
                ("dossier", code) => (0, code.to_owned(), false),
                ("structure", id) => (1, id.to_owned(), false),
                ("profile", "administrateur") => (0, "pre-demandes".to_owned(), true),
                _ => continue,
            };
            access.entry(key).or_default().push(r.interval);
        }
        Ok(Some(PersonTimeline {
            user_id: user_id.to_owned(),
            email: u.email,
            last_name: u.last_name,
            first_name: u.first_name,
            access: access
                .into_iter()
                .map(|((k, code, implicit), intervals)| Access {
                    dossier: (k == 0).then(|| code.clone()),
                    structure: (k == 1).then_some(code),
                    implicit,
                    intervals,
                })
                .collect(),
        }))
    }

    /// The organisation's structures the store has seen (id → name, city), for people's
    /// reports: a structure gone from the portal keeps the name it last had.
    pub fn structures(&self) -> Result<BTreeMap<String, (String, String)>, HistoryError> {
        let mut st = self
            .conn
            .prepare("SELECT id, name, city FROM structures ORDER BY id")
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    /// The store's very first observation (before any retention's cut), if any: where a
    /// question without `--since` starts.
    pub fn first_observed(&self) -> Result<Option<String>, HistoryError> {
        self.meta("first_observed")
    }

    /// Whether the store observed all of `[from, …)`: not before its first observation (or
    /// retention's cut).
    pub fn covers(&self, from: &str) -> Result<bool, HistoryError> {
        Ok(match self.observed()? {
            Some((first, _)) => from >= first.as_str(),
            None => false,
        })
    }

    /// Who could see a structure (or held a dossier) on a Europe/Brussels day.
    pub fn on_day(&self, subject: &Subject, day: jiff::civil::Date) -> Result<OnDay, HistoryError> {
        let (d0, d1) = super::day_bounds(day);
        let (from, to) = (super::stamp(d0), super::stamp(d1));
        let last_read = self.meta("last_read_at")?;
        // A day wholly after the last observation: nothing of it was seen.
        let unseen = last_read.as_deref().is_none_or(|l| l < from.as_str());
        // A day the store did not observe to its end (today, before tonight's run; a day after
        // the last run) is not answered in full: its holders are only those it last saw, and
        // nobody is not an answer for it.
        let complete =
            self.covers(&from)? && last_read.as_deref().is_some_and(|l| l >= to.as_str());
        let implicit_codes: Vec<&str> = crate::model::Dossier::ADMINISTRATEUR_IMPLICIT
            .iter()
            .map(|d| d.code())
            .collect();
        let (mut found, with_implicit) = match subject {
            Subject::Structure(sid) => (self.structure_holders(sid, &from, &to)?, true),
            Subject::Dossier(code) => (
                self.dossier_holders(code, &from, &to)?,
                implicit_codes.contains(&code.as_str()),
            ),
        };
        if with_implicit {
            for r in self.rows("i.kind = 'profile' AND i.item = 'administrateur'", &[])? {
                let (maybe, surely) = overlap(&r.interval, &from, &to);
                if maybe {
                    found.push(Candidate {
                        user: r.user_id,
                        dossiers: implicit_codes.iter().map(|s| (*s).to_owned()).collect(),
                        implicit: true,
                        since: r.interval.since,
                        surely,
                    });
                }
            }
        }
        Ok(OnDay {
            on: day,
            subject: subject.clone(),
            complete,
            people: self.holders(found, unseen)?,
        })
    }

    /// People holding the structure that day with at least one scoped dossier.
    fn structure_holders(
        &self,
        sid: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<Candidate>, HistoryError> {
        let mut by_user: BTreeMap<String, (String, bool)> = BTreeMap::new();
        for r in self.rows("i.kind = 'structure' AND i.item = ?1", &[&sid])? {
            let (maybe, surely) = overlap(&r.interval, from, to);
            if maybe {
                let e = by_user
                    .entry(r.user_id.clone())
                    .or_insert((r.interval.since.clone(), surely));
                e.1 |= surely;
            }
        }
        let mut out = Vec::new();
        for (user, (s_since, s_surely)) in by_user {
            let mut c = Candidate {
                user,
                dossiers: Vec::new(),
                implicit: false,
                since: String::new(),
                surely: false,
            };
            for d in self.rows("i.user_id = ?1 AND i.kind = 'dossier'", &[&c.user])? {
                let scoped = crate::model::Dossier::from_code(&d.item).is_some_and(|x| x.scoped());
                let (maybe, sure) = overlap(&d.interval, from, to);
                if scoped && maybe {
                    c.dossiers.push(d.item.clone());
                    c.surely |= sure;
                    if c.since.is_empty() || d.interval.since < c.since {
                        c.since = d.interval.since.clone();
                    }
                }
            }
            if !c.dossiers.is_empty() {
                // They could see it from when they held both.
                c.since = c.since.max(s_since);
                c.surely &= s_surely;
                out.push(c);
            }
        }
        Ok(out)
    }

    /// People holding the dossier that day (explicitly).
    fn dossier_holders(
        &self,
        code: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<Candidate>, HistoryError> {
        let mut out = Vec::new();
        for r in self.rows("i.kind = 'dossier' AND i.item = ?1", &[&code])? {
            let (maybe, surely) = overlap(&r.interval, from, to);
            if maybe {
                out.push(Candidate {
                    user: r.user_id,
                    dossiers: vec![code.to_owned()],
                    implicit: false,
                    since: r.interval.since,
                    surely,
                });
            }
        }
        Ok(out)
    }

    /// The candidates merged per person, with their latest names, in e-mail order; none is
    /// certain on a day the store did not observe.
    fn holders(&self, found: Vec<Candidate>, unseen: bool) -> Result<Vec<Holder>, HistoryError> {
        let mut people: BTreeMap<String, Holder> = BTreeMap::new();
        for c in found {
            let certain = c.surely && !unseen;
            let h = match people.entry(c.user.clone()) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => {
                    let u = self.user(&c.user)?.unwrap_or(UserRow {
                        email: String::new(),
                        last_name: String::new(),
                        first_name: String::new(),
                        gone: true,
                    });
                    e.insert(Holder {
                        user_id: c.user.clone(),
                        email: u.email,
                        last_name: u.last_name,
                        first_name: u.first_name,
                        dossiers: Vec::new(),
                        implicit: c.implicit,
                        since: c.since.clone(),
                        certain,
                    })
                }
            };
            for d in c.dossiers {
                if !h.dossiers.contains(&d) {
                    h.dossiers.push(d);
                }
            }
            h.dossiers.sort();
            h.implicit |= c.implicit;
            h.certain |= certain;
            if c.since < h.since {
                h.since = c.since;
            }
        }
        let mut people: Vec<Holder> = people.into_values().collect();
        people.sort_by(|a, b| {
            a.email
                .to_lowercase()
                .cmp(&b.email.to_lowercase())
                .then(a.user_id.cmp(&b.user_id))
        });
        Ok(people)
    }

    /// Every change made by hand seen within `[since, until)`, newest first.
    pub fn drift(
        &self,
        since: Option<&str>,
        until: Option<&str>,
    ) -> Result<Vec<DriftChange>, HistoryError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT c.user_id, coalesce(u.email, ''), c.kind, c.item, c.op, c.after_run, c.run, c.at
                 FROM changes c LEFT JOIN users u ON u.user_id = c.user_id
                 WHERE c.by = 'hand' AND c.kind != 'profile' AND c.at >= ?1 AND c.at < ?2
                 ORDER BY c.at DESC, c.seq DESC",
            )
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map(params![since.unwrap_or(""), until.unwrap_or("~")], |r| {
                let kind: String = r.get(2)?;
                let item: String = r.get(3)?;
                let op: String = r.get(4)?;
                let k = Kind::parse(&kind).unwrap_or(Kind::Dossier);
                Ok(DriftChange {
                    user_id: r.get(0)?,
                    email: r.get(1)?,
                    op: k.op(op == "grant").to_owned(),
                    dossier: (k == Kind::Dossier).then(|| item.clone()),
                    structure: (k == Kind::Structure).then(|| item.clone()),
                    profile: (k == Kind::Profile).then(|| item.clone()),
                    after_run: r.get(5)?,
                    seen_at_run: Some(r.get(6)?),
                    at: r.get(7)?,
                })
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }
}
