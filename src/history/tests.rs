//! The store's rules, unit by unit: what an observation records and how (unknown at the first
//! read, by hand between two reads, by the job from its journal, an `in_effect` write as a hand
//! change), a user gone, the queries' causes and certainty, the chain's verification and where
//! it breaks, retention's checkpoint, and journals imported once.

use super::*;

fn t(s: &str) -> jiff::Timestamp {
    s.parse().unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

fn user(id: &str, items: &[(Kind, &str)]) -> SnapUser {
    SnapUser {
        id: id.into(),
        email: format!("{id}@example.org"),
        last_name: format!("Last{id}"),
        first_name: "Anne".into(),
        items: items
            .iter()
            .map(|(kind, code)| Item {
                kind: *kind,
                code: (*code).into(),
            })
            .collect(),
    }
}

fn read(at: &str, users: Vec<SnapUser>) -> Event {
    Event::Read(Snapshot {
        at: t(at),
        users,
        structures: vec![("MA-1".into(), "Les Lutins".into(), "Namur".into())],
    })
}

fn write(at: &str, op: &str, user: &str, item: &str, status: &str) -> Event {
    let dossier = op.ends_with("dossier").then(|| item.to_owned());
    let structure = op.ends_with("structure").then(|| item.to_owned());
    Event::Wrote(JobWrite {
        line: 1,
        at: t(at),
        action: 7,
        op: op.into(),
        status: status.into(),
        user_id: Some(user.into()),
        email: format!("{user}@example.org"),
        dossier,
        structure,
        names: None,
        sources: vec!["staff.xlsx:Personnel:4".into()],
        approved_by: Some("ana".into()),
    })
}

fn run(id: &str, started: &str, events: Vec<Event>) -> RunEntry {
    RunEntry {
        id: id.into(),
        started: t(started),
        imported: false,
        events,
    }
}

const D: Kind = Kind::Dossier;
const S: Kind = Kind::Structure;
const P: Kind = Kind::Profile;

/// Three nights: the first read, a grant by the job on night 2, a hand revocation and a hand
/// grant seen on night 3.
fn three_nights(dir: &std::path::Path) -> Store {
    let mut s = Store::open_rw(dir).unwrap();
    let u1 = |items: &[(Kind, &str)]| user("u-1", items);
    s.record(
        &run(
            "run-20261001T020000Z",
            "2026-10-01T02:00:00Z",
            vec![read(
                "2026-10-01T02:00:01Z",
                vec![
                    u1(&[(D, "bilans"), (S, "MA-1")]),
                    user("u-9", &[(P, "administrateur")]),
                ],
            )],
        ),
        730,
    )
    .unwrap();
    s.record(
        &run(
            "run-20261002T020000Z",
            "2026-10-02T02:00:00Z",
            vec![
                read(
                    "2026-10-02T02:00:01Z",
                    vec![
                        u1(&[(D, "bilans"), (S, "MA-1")]),
                        user("u-9", &[(P, "administrateur")]),
                    ],
                ),
                write(
                    "2026-10-02T02:00:02Z",
                    "grant_dossier",
                    "u-1",
                    "pre-demandes",
                    "done",
                ),
            ],
        ),
        730,
    )
    .unwrap();
    let (_, drift) = s
        .record(
            &run(
                "run-20261003T020000Z",
                "2026-10-03T02:00:00Z",
                vec![read(
                    "2026-10-03T02:00:01Z",
                    vec![
                        u1(&[(D, "pre-demandes"), (S, "MA-1"), (S, "MA-2")]),
                        user("u-9", &[(P, "administrateur")]),
                    ],
                )],
            ),
            730,
        )
        .unwrap();
    let ops: Vec<(&str, Option<&str>)> = drift
        .iter()
        .map(|c| (c.op.as_str(), c.after_run.as_deref()))
        .collect();
    assert_eq!(
        ops,
        vec![
            ("grant_structure", Some("run-20261002T020000Z")),
            ("revoke_dossier", Some("run-20261002T020000Z")),
        ]
    );
    s
}

#[test]
fn the_first_read_is_of_unknown_cause_and_later_differences_are_by_hand_or_by_the_job() {
    let dir = tempfile::tempdir().unwrap();
    let s = three_nights(dir.path());
    let p = s.person("u-1", None, None).unwrap().unwrap();
    let by = |code: &str| {
        p.access
            .iter()
            .find(|a| a.dossier.as_deref() == Some(code) || a.structure.as_deref() == Some(code))
            .map(|a| a.intervals.clone())
            .unwrap_or_default()
    };
    let bilans = by("bilans");
    assert_eq!(bilans.len(), 1);
    assert_eq!(bilans[0].began, Cause::Unknown);
    assert_eq!(bilans[0].until.as_deref(), Some("2026-10-03T02:00:01.000Z"));
    assert_eq!(
        bilans[0].ended,
        Some(Cause::Hand {
            after_run: Some("run-20261002T020000Z".into()),
            seen_at_run: "run-20261003T020000Z".into()
        })
    );
    let pre = by("pre-demandes");
    assert_eq!(
        pre[0].began,
        Cause::Job {
            run: "run-20261002T020000Z".into(),
            op: "grant_dossier".into(),
            sources: vec!["staff.xlsx:Personnel:4".into()],
            approved_by: Some("ana".into()),
        }
    );
    assert_eq!(pre[0].until, None);
    // The administrateur's implicit Pré-demandes are their profile's interval.
    let admin = s.person("u-9", None, None).unwrap().unwrap();
    assert_eq!(admin.access.len(), 1);
    assert!(admin.access[0].implicit);
    assert_eq!(admin.access[0].dossier.as_deref(), Some("pre-demandes"));
    // The hand changes, newest first.
    let drift = s.drift(None, None).unwrap();
    assert_eq!(drift.len(), 2);
    assert!(
        drift
            .iter()
            .all(|c| c.seen_at_run.as_deref() == Some("run-20261003T020000Z"))
    );
}

#[test]
fn a_dry_run_sees_the_drift_a_run_would_record_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = three_nights(dir.path());
    let snap = Snapshot {
        at: t("2026-10-04T10:00:00Z"),
        users: vec![user("u-1", &[(D, "pre-demandes"), (S, "MA-1")])],
        structures: vec![],
    };
    let drift = s.drift_of(&snap, dir.path()).unwrap();
    let ops: Vec<&str> = drift.iter().map(|c| c.op.as_str()).collect();
    // MA-2 revoked by hand; u-9 gone ends their profile, which the store keeps but the drift
    // lists leave out (evidence.md's four ops).
    assert_eq!(ops, vec!["revoke_structure"]);
    assert!(drift.iter().all(|c| c.seen_at_run.is_none()));
    assert_eq!(s.drift(None, None).unwrap().len(), 2, "nothing written");
}

#[test]
fn a_write_found_in_effect_is_a_hand_change_and_a_gone_user_ends_everything() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = three_nights(dir.path());
    let (_, drift) = s
        .record(
            &run(
                "run-20261004T020000Z",
                "2026-10-04T02:00:00Z",
                vec![
                    read(
                        "2026-10-04T02:00:01Z",
                        vec![user(
                            "u-1",
                            &[(D, "pre-demandes"), (S, "MA-1"), (S, "MA-2")],
                        )],
                    ),
                    write(
                        "2026-10-04T02:00:03Z",
                        "grant_dossier",
                        "u-1",
                        "bilans",
                        "in_effect",
                    ),
                ],
            ),
            730,
        )
        .unwrap();
    let ops: Vec<&str> = drift.iter().map(|c| c.op.as_str()).collect();
    assert_eq!(ops, vec!["grant_dossier"]);
    let p = s.person("u-1", None, None).unwrap().unwrap();
    let bilans: Vec<_> = p
        .access
        .iter()
        .filter(|a| a.dossier.as_deref() == Some("bilans"))
        .flat_map(|a| a.intervals.clone())
        .collect();
    assert_eq!(bilans.len(), 2);
    assert!(matches!(bilans[1].began, Cause::Hand { .. }));
}

#[test]
fn who_could_see_a_structure_on_a_day_includes_administrateurs_and_says_what_is_uncertain() {
    let dir = tempfile::tempdir().unwrap();
    let s = three_nights(dir.path());
    let day = |d: &str| d.parse::<jiff::civil::Date>().unwrap();
    let on = s
        .on_day(&Subject::Structure("MA-1".into()), day("2026-10-02"))
        .unwrap();
    assert!(on.complete);
    let who: Vec<(&str, bool, bool)> = on
        .people
        .iter()
        .map(|h| (h.user_id.as_str(), h.implicit, h.certain))
        .collect();
    assert_eq!(who, vec![("u-1", false, true), ("u-9", true, true)]);
    assert_eq!(on.people[0].dossiers, vec!["bilans", "pre-demandes"]);
    // MA-2 began by hand between the runs of 2 and 3 October: on the 2nd only perhaps.
    let on = s
        .on_day(&Subject::Structure("MA-2".into()), day("2026-10-02"))
        .unwrap();
    let who: Vec<(&str, bool)> = on
        .people
        .iter()
        .filter(|h| !h.implicit)
        .map(|h| (h.user_id.as_str(), h.certain))
        .collect();
    assert_eq!(who, vec![("u-1", false)]);
    // Before the first run the answer is incomplete, never "nobody".
    let on = s
        .on_day(&Subject::Dossier("bilans".into()), day("2026-09-30"))
        .unwrap();
    assert!(!on.complete);
    assert_eq!(on.people.len(), 1);
    assert!(!on.people[0].certain);
}

#[test]
fn verify_holds_then_names_the_run_whose_row_was_edited() {
    let dir = tempfile::tempdir().unwrap();
    let s = three_nights(dir.path());
    assert_eq!(
        s.verify(dir.path()).unwrap(),
        Verified::Holds {
            from: Some("run-20261001T020000Z".into()),
            runs: 3,
            anchors: 0
        }
    );
    s.conn
        .execute(
            "UPDATE changes SET by = 'job' WHERE run = 'run-20261003T020000Z' AND item = 'MA-2'",
            [],
        )
        .unwrap();
    assert_eq!(
        s.verify(dir.path()).unwrap(),
        Verified::Breaks {
            run: "run-20261003T020000Z".into(),
            why: "row-edited"
        }
    );
}

#[test]
fn verify_compares_the_journals_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let s = three_nights(dir.path());
    std::fs::write(
        dir.path().join("journal-run-20261002T020000Z.jsonl"),
        "{\"event\":\"end\",\"history_head\":\"00\"}\n",
    )
    .unwrap();
    assert_eq!(
        s.verify(dir.path()).unwrap(),
        Verified::Breaks {
            run: "run-20261002T020000Z".into(),
            why: "anchor-differs"
        }
    );
}

#[test]
fn retention_forgets_old_intervals_and_keeps_a_checkpoint_the_chain_verifies_from() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_rw(dir.path()).unwrap();
    // Retention's clock is the real one: September 2026 is more than 30 days before any day
    // this test runs on.
    let nights = [
        ("run-20260901T020000Z", vec![user("u-5", &[(D, "bilans")])]),
        ("run-20260902T020000Z", vec![]),
    ];
    for (id, users) in nights {
        let at = format!("{}-{}-{}T02:00:00Z", &id[4..8], &id[8..10], &id[10..12]);
        s.record(&run(id, &at, vec![read(&at, users)]), 730)
            .unwrap();
    }
    assert_eq!(s.drift(None, None).unwrap().len(), 1);
    let now = jiff::Timestamp::now();
    let id = format!("run-{}", now.strftime("%Y%m%dT%H%M%SZ"));
    let at = super::stamp(now);
    s.record(
        &run(&id, &at, vec![read(&at, vec![user("u-1", &[(S, "MA-1")])])]),
        30,
    )
    .unwrap();
    let count = |sql: &str| s.conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(
        count("SELECT count(*) FROM intervals WHERE item = 'bilans'"),
        0
    );
    assert_eq!(
        count("SELECT count(*) FROM users WHERE user_id = 'u-5'"),
        0,
        "name forgotten"
    );
    assert_eq!(count("SELECT count(*) FROM runs"), 1, "the old runs folded");
    assert_eq!(
        s.meta("checkpoint_run").unwrap().as_deref(),
        Some("run-20260902T020000Z")
    );
    assert!(s.has_run("run-20260901T020000Z").unwrap());
    assert_eq!(
        s.verify(dir.path()).unwrap(),
        Verified::Holds {
            from: Some(id.clone()),
            runs: 1,
            anchors: 0
        }
    );
    // The question reaching past keep_days is incomplete.
    let old = s
        .on_day(
            &Subject::Dossier("bilans".into()),
            "2026-09-01".parse().unwrap(),
        )
        .unwrap();
    assert!(!old.complete);
    // A checkpoint edited breaks the chain at the first run kept.
    s.conn
        .execute(
            "UPDATE meta SET value = 'ff' WHERE key = 'checkpoint_hash'",
            [],
        )
        .unwrap();
    assert_eq!(
        s.verify(dir.path()).unwrap(),
        Verified::Breaks {
            run: id,
            why: "chain-broken"
        }
    );
}

#[test]
fn a_killed_runs_journal_is_imported_once_and_its_writes_are_the_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = three_nights(dir.path());
    let journal = [
        r#"{"time":"2026-10-04T02:00:00.000Z","event":"start","source":"inputs","fingerprint":"f"}"#,
        r#"{"time":"2026-10-04T02:00:01.000Z","event":"action","action":3,"op":"grant_structure","email":"u-1@example.org","user_id":"u-1","structure":"MA-3","status":"done","sources":["a.xlsx:S:2"]}"#,
        r#"{"time":"2026-10-04T02:00:02.000Z","event":"action","action":4,"op":"grant_dossier","email":"u-1@example.org","user_id":"u-1","dossier":"bil"#,
    ]
    .join("\n");
    std::fs::write(
        dir.path().join("journal-run-20261004T020000Z.jsonl"),
        journal,
    )
    .unwrap();
    // Before it is imported, a dry run replays it: its grant is no change by hand.
    let later = Snapshot {
        at: t("2026-10-04T12:00:00Z"),
        users: vec![
            user(
                "u-1",
                &[(D, "pre-demandes"), (S, "MA-1"), (S, "MA-2"), (S, "MA-3")],
            ),
            user("u-9", &[(P, "administrateur")]),
        ],
        structures: vec![],
    };
    assert_eq!(s.drift_of(&later, dir.path()).unwrap(), vec![]);
    let (ids, drift) = s
        .import_journals(dir.path(), "run-20261005T020000Z", 730)
        .unwrap();
    assert_eq!(ids, vec!["run-20261004T020000Z"]);
    assert!(drift.is_empty());
    assert!(
        s.import_journals(dir.path(), "run-20261005T020000Z", 730)
            .unwrap()
            .0
            .is_empty()
    );
    let (_, drift) = s
        .record(
            &run(
                "run-20261005T020000Z",
                "2026-10-05T02:00:00Z",
                vec![read(
                    "2026-10-05T02:00:01Z",
                    vec![
                        user(
                            "u-1",
                            &[(D, "pre-demandes"), (S, "MA-1"), (S, "MA-2"), (S, "MA-3")],
                        ),
                        user("u-9", &[(P, "administrateur")]),
                    ],
                )],
            ),
            730,
        )
        .unwrap();
    assert!(drift.is_empty(), "{drift:?}");
    let p = s.person("u-1", None, None).unwrap().unwrap();
    let ma3 = p
        .access
        .iter()
        .find(|a| a.structure.as_deref() == Some("MA-3"))
        .unwrap();
    assert!(
        matches!(&ma3.intervals[0].began, Cause::Job { run, .. } if run == "run-20261004T020000Z")
    );
}

#[test]
fn a_person_is_found_by_e_mail_or_name_in_either_order_and_a_shared_name_is_ambiguous() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_rw(dir.path()).unwrap();
    let mut a = user("u-1", &[]);
    a.last_name = "Dupont".into();
    a.first_name = "Éloïse".into();
    let mut b = user("u-2", &[]);
    b.last_name = "Dupont".into();
    b.first_name = "Eloise".into();
    s.record(
        &run(
            "run-20261001T020000Z",
            "2026-10-01T02:00:00Z",
            vec![read("2026-10-01T02:00:01Z", vec![a, b])],
        ),
        730,
    )
    .unwrap();
    assert_eq!(
        s.resolve_person("U-1@EXAMPLE.ORG").unwrap(),
        UserMatch::One("u-1".into())
    );
    assert_eq!(
        s.resolve_person("u-2").unwrap(),
        UserMatch::One("u-2".into())
    );
    assert!(
        matches!(s.resolve_person("dupont eloise").unwrap(), UserMatch::Many(v) if v.len() == 2)
    );
    assert_eq!(s.resolve_person("Nobody Here").unwrap(), UserMatch::None);
}

#[test]
fn a_store_is_created_private_and_a_newer_one_is_never_written() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open_rw(dir.path()).unwrap());
    let path = dir.path().join(FILE_NAME);
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let c = rusqlite::Connection::open(&path).unwrap();
    c.pragma_update(None, "user_version", 99).unwrap();
    drop(c);
    assert!(matches!(
        Store::open_rw(dir.path()),
        Err(HistoryError::Newer { found: 99, .. })
    ));
    assert!(matches!(
        Store::open_ro(dir.path()),
        Opened::Newer { found: 99, .. }
    ));
    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(Store::open_ro(empty.path()), Opened::Missing(_)));
}

#[test]
fn a_killed_runs_write_that_undid_a_change_by_hand_records_both() {
    // Between night 3 and a killed run, someone gives u-1 « Bilans » back and takes MA-1 away
    // by hand; the killed run (whose read was never recorded) revokes Bilans and grants MA-1:
    // both hand changes are recorded, then the job's writes.
    let dir = tempfile::tempdir().unwrap();
    let mut s = three_nights(dir.path());
    let journal = [
        r#"{"time":"2026-10-04T02:00:00.000Z","event":"start","source":"inputs","fingerprint":"f"}"#,
        r#"{"time":"2026-10-04T02:00:01.000Z","event":"action","action":1,"op":"revoke_dossier","email":"u-1@example.org","user_id":"u-1","dossier":"bilans","status":"done"}"#,
        r#"{"time":"2026-10-04T02:00:02.000Z","event":"action","action":2,"op":"grant_structure","email":"u-1@example.org","user_id":"u-1","structure":"MA-1","status":"done"}"#,
    ]
    .join("\n");
    std::fs::write(
        dir.path().join("journal-run-20261004T020000Z.jsonl"),
        journal,
    )
    .unwrap();
    let (_, drift) = s
        .import_journals(dir.path(), "run-20261005T020000Z", 730)
        .unwrap();
    let ops: Vec<&str> = drift.iter().map(|c| c.op.as_str()).collect();
    assert_eq!(ops, vec!["grant_dossier", "revoke_structure"]);
    let p = s.person("u-1", None, None).unwrap().unwrap();
    let bilans: Vec<_> = p
        .access
        .iter()
        .filter(|a| a.dossier.as_deref() == Some("bilans"))
        .flat_map(|a| a.intervals.clone())
        .collect();
    assert_eq!(bilans.len(), 2, "{bilans:#?}");
    assert!(matches!(bilans[1].began, Cause::Hand { .. }));
    assert!(
        matches!(&bilans[1].ended, Some(Cause::Job { run, .. }) if run == "run-20261004T020000Z")
    );
}

#[test]
fn a_change_moved_into_the_retired_table_by_hand_breaks_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let s = three_nights(dir.path());
    // Someone erases the Bilans interval, making it look like retention's work.
    s.conn
        .execute_batch(
            "INSERT INTO retired (change_seq, run, hash, swept_by)
               SELECT seq, run, hash, 'run-20261003T020000Z' FROM changes WHERE item = 'bilans';
             DELETE FROM intervals WHERE item = 'bilans';
             DELETE FROM changes WHERE item = 'bilans';",
        )
        .unwrap();
    assert!(matches!(
        s.verify(dir.path()).unwrap(),
        Verified::Breaks { .. }
    ));
    // Claimed by no run at all, it is no better.
    s.conn
        .execute_batch("UPDATE retired SET swept_by = 'run-20200101T000000Z'")
        .unwrap();
    assert!(matches!(
        s.verify(dir.path()).unwrap(),
        Verified::Breaks { .. }
    ));
}

#[test]
fn raising_keep_days_later_does_not_make_a_deleted_period_complete_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_rw(dir.path()).unwrap();
    let at = |d: &str| format!("{d}T02:00:00Z");
    s.record(
        &run(
            "run-20260901T020000Z",
            &at("2026-09-01"),
            vec![read(&at("2026-09-01"), vec![user("u-5", &[(D, "bilans")])])],
        ),
        730,
    )
    .unwrap();
    s.record(
        &run(
            "run-20260902T020000Z",
            &at("2026-09-02"),
            vec![read(&at("2026-09-02"), vec![])],
        ),
        730,
    )
    .unwrap();
    let now = jiff::Timestamp::now();
    let stamp = super::stamp(now);
    s.record(
        &run(
            &format!("run-{}", now.strftime("%Y%m%dT%H%M%SZ")),
            &stamp,
            vec![read(&stamp, vec![])],
        ),
        10,
    )
    .unwrap();
    let later = now.checked_add(jiff::SignedDuration::from_secs(1)).unwrap();
    let stamp = super::stamp(later);
    s.record(
        &run(
            &format!("run-{}-2", now.strftime("%Y%m%dT%H%M%SZ")),
            &stamp,
            vec![read(&stamp, vec![])],
        ),
        3650,
    )
    .unwrap();
    let on = s
        .on_day(
            &Subject::Dossier("bilans".into()),
            "2026-09-01".parse().unwrap(),
        )
        .unwrap();
    assert!(
        !on.complete,
        "the Bilans of 1 September was deleted: not complete"
    );
    assert!(matches!(
        s.verify(dir.path()).unwrap(),
        Verified::Holds { .. }
    ));
}
