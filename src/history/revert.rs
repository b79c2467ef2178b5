//! The questions a revert asks the store (evidence.md "Revert a run"): for each grant or
//! revocation a run wrote, is the item still as that run left it — the interval of that user and
//! item still the one the run's change began, or the item still absent since the run's change
//! ended it — or who changed it last since (by hand between two observations, or a later run)? Only
//! answers, as data: `plan::revert` decides what to undo.

use rusqlite::{OptionalExtension, params};

use super::snapshot::Kind;
use super::store::{HistoryError, Store};

/// One item a run wrote, as the revert asks about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    pub user_id: String,
    pub kind: Kind,
    /// The dossier's code or the structure's id.
    pub item: String,
    /// The run granted it (`false`: revoked it).
    pub grant: bool,
}

/// What the store says of one item since the run's change: the latest change, the one that
/// decided how the item stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    /// No change since the run's own: the item is as the run left it, by the run.
    Unchanged,
    /// Changed by hand, made between the observation of `after_run` and `seen_at_run`'s.
    Hand {
        after_run: Option<String>,
        seen_at_run: String,
    },
    /// Changed by the job in a later run, citing `sources` (a revert cites the journal lines it
    /// undoes).
    Job { run: String, sources: Vec<String> },
    /// The store holds no change of the run for the item: it already had the item as the run
    /// left it (only the portal can tell).
    NotRecorded,
}

/// The store's answers for a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevertAnswers {
    /// The store covers the run: one answer per item asked, in the same order.
    Covered(Vec<Since>),
    /// The run is not in the store, or it started before what the store still covers (its
    /// first observation, or retention's cut): `from`, when the store covers anything.
    NotCovered { from: Option<String> },
}

impl Store {
    /// What became of each item `run` wrote. The run is covered when the store recorded it
    /// and it does not start before what the store still covers — its first observation (the
    /// run that made it is covered: its read came before its writes) or retention's cut.
    pub fn since_run(&self, run: &str, asked: &[Asked]) -> Result<RevertAnswers, HistoryError> {
        let from = self.observed()?.map(|(first, _)| first);
        let row: Option<(String, Option<String>)> = self
            .conn
            .query_row(
                "SELECT started, observed_first FROM runs WHERE id = ?1",
                [run],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sql(e))?;
        let covered = match (&row, &from) {
            (Some((started, first_read)), Some(from)) => {
                started >= from || first_read.as_ref().is_some_and(|f| f >= from)
            }
            _ => false,
        };
        if !covered {
            // A run the store never recorded (killed, its store write failed) is said so, not
            // as one older than the store.
            let from = if row.is_none() { None } else { from };
            return Ok(RevertAnswers::NotCovered { from });
        }
        asked
            .iter()
            .map(|a| self.since_one(run, a))
            .collect::<Result<_, _>>()
            .map(RevertAnswers::Covered)
    }

    fn since_one(&self, run: &str, a: &Asked) -> Result<Since, HistoryError> {
        let sql = |e| self.sql(e);
        let op = if a.grant { "grant" } else { "revoke" };
        let own: Option<i64> = self
            .conn
            .query_row(
                "SELECT max(seq) FROM changes
                 WHERE run = ?1 AND user_id = ?2 AND kind = ?3 AND item = ?4 AND op = ?5
                   AND by = 'job'",
                params![run, a.user_id, a.kind.as_str(), a.item, op],
                |r| r.get(0),
            )
            .map_err(sql)?;
        let Some(own) = own else {
            return Ok(Since::NotRecorded);
        };
        let next: Option<(String, String, Option<String>, Option<String>)> = self
            .conn
            .query_row(
                "SELECT by, run, after_run, sources FROM changes
                 WHERE user_id = ?1 AND kind = ?2 AND item = ?3 AND seq > ?4
                 ORDER BY seq DESC LIMIT 1",
                params![a.user_id, a.kind.as_str(), a.item, own],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(sql)?;
        Ok(match next {
            None => Since::Unchanged,
            Some((by, seen, after_run, _)) if by == "hand" => Since::Hand {
                after_run,
                seen_at_run: seen,
            },
            Some((_, run, _, sources)) => Since::Job {
                run,
                sources: sources
                    .and_then(|s| serde_json::from_str(&s).ok())
                    .unwrap_or_default(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{Event, Item, JobWrite, RunEntry, SnapUser, Snapshot};

    fn at(s: &str) -> jiff::Timestamp {
        s.parse().unwrap()
    }

    fn snap(t: &str, dossiers: &[&str]) -> Event {
        Event::Read(Snapshot {
            at: at(t),
            users: vec![SnapUser {
                id: "u-1".into(),
                email: "a@x.be".into(),
                last_name: "A".into(),
                first_name: "B".into(),
                items: dossiers
                    .iter()
                    .map(|d| Item {
                        kind: Kind::Dossier,
                        code: (*d).into(),
                    })
                    .collect(),
            }],
            structures: Vec::new(),
        })
    }

    fn wrote(t: &str, op: &str, dossier: &str, sources: &[&str]) -> Event {
        Event::Wrote(JobWrite {
            line: 1,
            at: at(t),
            action: 1,
            op: op.into(),
            status: "done".into(),
            user_id: Some("u-1".into()),
            email: "a@x.be".into(),
            dossier: Some(dossier.into()),
            structure: None,
            names: None,
            sources: sources.iter().map(|s| (*s).to_owned()).collect(),
            approved_by: None,
        })
    }

    fn record(store: &mut Store, id: &str, started: &str, events: Vec<Event>) {
        let entry = RunEntry {
            id: id.into(),
            started: at(started),
            imported: false,
            events,
        };
        store.record(&entry, 730).unwrap();
    }

    fn asked(item: &str, grant: bool) -> Asked {
        Asked {
            user_id: "u-1".into(),
            kind: Kind::Dossier,
            item: item.into(),
            grant,
        }
    }

    /// A store of three runs: run 2 grants Mon équipe and Pré-demandes and revokes Bilans; by
    /// hand before run 3, Pré-demandes is taken away; run 3 (a revert) revokes Mon équipe.
    fn three_runs(dir: &std::path::Path) -> Store {
        let mut s = Store::open_rw(dir).unwrap();
        record(
            &mut s,
            "run-1",
            "2026-12-01T02:00:00Z",
            vec![snap("2026-12-01T02:00:01Z", &["bilans"])],
        );
        record(
            &mut s,
            "run-2",
            "2026-12-02T02:00:00Z",
            vec![
                snap("2026-12-02T02:00:01Z", &["bilans"]),
                wrote("2026-12-02T02:00:02Z", "grant_dossier", "mon-equipe", &[]),
                wrote("2026-12-02T02:00:03Z", "grant_dossier", "pre-demandes", &[]),
                wrote("2026-12-02T02:00:04Z", "revoke_dossier", "bilans", &[]),
            ],
        );
        record(
            &mut s,
            "run-3",
            "2026-12-03T02:00:00Z",
            vec![
                snap("2026-12-03T02:00:01Z", &["mon-equipe"]),
                wrote(
                    "2026-12-03T02:00:02Z",
                    "revoke_dossier",
                    "mon-equipe",
                    &["journal-run-2.jsonl:2"],
                ),
            ],
        );
        s
    }

    #[test]
    fn each_item_a_run_wrote_is_unchanged_changed_by_hand_or_by_a_later_run() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = three_runs(dir.path());
        let answers = s
            .since_run(
                "run-2",
                &[
                    asked("mon-equipe", true),
                    asked("pre-demandes", true),
                    asked("bilans", false),
                    asked("tous-les-projets", true),
                ],
            )
            .unwrap();
        assert_eq!(
            answers,
            RevertAnswers::Covered(vec![
                Since::Job {
                    run: "run-3".into(),
                    sources: vec!["journal-run-2.jsonl:2".into()]
                },
                Since::Hand {
                    after_run: Some("run-2".into()),
                    seen_at_run: "run-3".into()
                },
                Since::Unchanged,
                Since::NotRecorded,
            ])
        );
        // Run 4 gives Pré-demandes back: the latest change is the one said.
        record(
            &mut s,
            "run-4",
            "2026-12-04T02:00:00Z",
            vec![
                snap("2026-12-04T02:00:01Z", &[]),
                wrote(
                    "2026-12-04T02:00:02Z",
                    "grant_dossier",
                    "pre-demandes",
                    &["s.csv:2"],
                ),
            ],
        );
        assert_eq!(
            s.since_run("run-2", &[asked("pre-demandes", true)])
                .unwrap(),
            RevertAnswers::Covered(vec![Since::Job {
                run: "run-4".into(),
                sources: vec!["s.csv:2".into()]
            }])
        );
        // The run of the first observation is covered; one the store never recorded is not,
        // nor one imported from its journal that ran before the first observation.
        assert!(matches!(
            s.since_run("run-1", &[asked("bilans", true)]).unwrap(),
            RevertAnswers::Covered(_)
        ));
        record(
            &mut s,
            "run-0",
            "2026-11-30T02:00:00Z",
            vec![wrote(
                "2026-11-30T02:00:02Z",
                "grant_dossier",
                "bilans",
                &[],
            )],
        );
        // Older than the store: said with what it covers; never recorded (killed): said so.
        assert_eq!(
            s.since_run("run-0", &[asked("bilans", true)]).unwrap(),
            RevertAnswers::NotCovered {
                from: Some("2026-12-01T02:00:01.000Z".into())
            }
        );
        assert_eq!(
            s.since_run("run-9", &[asked("bilans", true)]).unwrap(),
            RevertAnswers::NotCovered { from: None }
        );
    }

    #[test]
    fn a_journal_says_its_phases_and_which_phase_each_write_is_of() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal-run-20261204T023012Z.jsonl");
        let action = |n: u32, t: &str| {
            format!(
                r#"{{"event":"action","time":"{t}","action":{n},"op":"grant_dossier","status":"done","user_id":"u-1","email":"a@x.be","dossier":"bilans"}}"#
            )
        };
        let text = [
            r#"{"event":"start","time":"2026-12-04T02:30:12.000Z","source":"held:00112233aabbccdd","origin":"revert:run-20261201T023000Z","fingerprint":"00112233aabbccdd","approved_by":"marc"}"#.to_owned(),
            action(1, "2026-12-04T02:30:13.000Z"),
            r#"{"event":"start","time":"2026-12-04T02:30:14.000Z","source":"inputs","fingerprint":"ffeeddccbbaa9988"}"#.to_owned(),
            action(1, "2026-12-04T02:30:15.000Z"),
            action(2, "2026-12-04T02:30:16.000Z"),
        ]
        .join("\n");
        std::fs::write(&path, text).unwrap();
        let j = crate::history::read_journal(&path).unwrap();
        let phases: Vec<(&str, Option<&str>)> = j
            .phases
            .iter()
            .map(|p| (p.source.as_str(), p.origin.as_deref()))
            .collect();
        assert_eq!(
            phases,
            [
                ("held:00112233aabbccdd", Some("revert:run-20261201T023000Z")),
                ("inputs", None)
            ]
        );
        let of: Vec<usize> = j.writes.iter().map(|w| j.phase_of(w)).collect();
        assert_eq!(of, [0, 1, 1]);
        assert_eq!(j.writes[0].approved_by.as_deref(), Some("marc"));
    }
}
