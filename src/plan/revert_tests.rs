//! The revert plan's rules pinned one by one (evidence.md "Revert a run"): what is undone, what
//! is left and listed, who is a created user, the guards' base, and what the next night redoes.

use super::*;
use crate::model::{
    Caller, Dossier, ObservedUser, OrganisationInfo, StructureId, StructureInfo, SupersededBy,
};
use crate::plan::{Action, Op, Plan, PlanOptions};

fn sid(s: &str) -> StructureId {
    StructureId::from_portal(s)
}

fn user(id: &str, dossiers: &[Dossier], structures: &[&str]) -> ObservedUser {
    ObservedUser {
        id: id.into(),
        last_name: "Dupont".into(),
        first_name: id.into(),
        email: format!("{id}@x.be"),
        email_key: format!("{id}@x.be"),
        nrn: None,
        admin: false,
        user_admin: false,
        dossiers: dossiers.iter().copied().collect(),
        other_dossiers: Vec::new(),
        structures: structures.iter().map(|s| sid(s)).collect(),
        version: 3,
    }
}

fn observed(users: Vec<ObservedUser>) -> ObservedState {
    ObservedState {
        caller: Caller {
            id: "u-admin".into(),
            email: "admin@x.be".into(),
            admin: true,
            user_admin: false,
        },
        organisation: OrganisationInfo {
            id: "org".into(),
            name: "Org".into(),
        },
        dossiers: Dossier::ALL.into_iter().collect(),
        structures: ["MA-1", "MA-2"]
            .iter()
            .map(|s| StructureInfo {
                id: sid(s),
                name: (*s).into(),
                postal_code: "5000".into(),
                city: "Namur".into(),
            })
            .collect(),
        users,
    }
}

/// A write of the run at journal line `line`.
fn w(line: u32, op: Op, status: WriteStatus, user: &str, item: Option<RevertItem>) -> RunWrite {
    RunWrite {
        at: Location::file("journal-run-1.jsonl", 0).with_row(line),
        op,
        status,
        user_id: user.into(),
        email: format!("{user}@x.be"),
        item,
        names: (op == Op::CreateUser).then(|| ("Dupont".to_owned(), user.to_owned())),
    }
}

fn d(x: Dossier) -> Option<RevertItem> {
    Some(RevertItem::Dossier(x))
}

fn s(x: &str) -> Option<RevertItem> {
    Some(RevertItem::Structure(sid(x)))
}

fn allowed() -> PlanOptions {
    PlanOptions {
        allow_mass_change: true,
        ..PlanOptions::default()
    }
}

/// (op, user, item code) of each action, in order.
fn ops(p: &Plan) -> Vec<(Op, String, String)> {
    p.actions
        .iter()
        .map(|a| {
            (
                a.op,
                a.user_id.as_deref().unwrap_or_default().to_owned(),
                a.dossier
                    .map(|d| d.code().to_owned())
                    .or_else(|| a.structure.as_ref().map(|s| s.as_str().to_owned()))
                    .unwrap_or_default(),
            )
        })
        .collect()
}

/// (code, location) of each problem but the guards' (allowed here: a revert's base is what
/// the touched users hold, so nearly any revert trips the 10 % rule; its own test pins that).
fn codes(p: &Plan) -> Vec<(&'static str, String)> {
    p.problems
        .iter()
        .filter(|x| !x.code().starts_with("guard-"))
        .map(|x| (x.code(), x.location.to_string()))
        .collect()
}

use WriteStatus::{Adopted, Done, InEffect};

/// A run that created u-new (Bilans, MA-1), adopted u-old (Bilans), granted u-a Mon équipe,
/// revoked u-b's MA-2, and found u-c's Bilans already there.
fn run_writes() -> Vec<RunWrite> {
    vec![
        w(2, Op::CreateUser, Done, "u-new", None),
        w(3, Op::GrantDossier, Done, "u-new", d(Dossier::Bilans)),
        w(4, Op::GrantStructure, Done, "u-new", s("MA-1")),
        w(5, Op::CreateUser, Adopted, "u-old", None),
        w(6, Op::GrantDossier, Done, "u-old", d(Dossier::Bilans)),
        w(7, Op::GrantDossier, Done, "u-a", d(Dossier::MonEquipe)),
        w(8, Op::RevokeStructure, Done, "u-b", s("MA-2")),
        w(9, Op::GrantDossier, InEffect, "u-c", d(Dossier::Bilans)),
    ]
}

#[test]
fn what_the_run_wrote_and_still_stands_is_undone_and_its_created_users_listed() {
    let writes = run_writes();
    let portal = observed(vec![
        // Given Pré-demandes by hand since: kept.
        user("u-new", &[Dossier::Bilans, Dossier::PreDemandes], &["MA-1"]),
        user("u-old", &[Dossier::Bilans], &[]),
        user("u-a", &[Dossier::MonEquipe, Dossier::Bilans], &["MA-1"]),
        user("u-b", &[Dossier::Bilans], &["MA-1"]),
        user("u-c", &[Dossier::Bilans], &[]),
    ]);
    let answers = vec![Standing::Unchanged; net_writes(&writes).len()];
    let none = HashSet::new();
    let of = RevertOf {
        run: "run-1",
        writes: &writes,
        coverage: Coverage::Store(&answers),
        undone: &none,
    };
    let (plan, info) = revert_plan(&of, &portal, &allowed());
    assert_eq!(plan.mode, Mode::Revert);
    assert_eq!(
        ops(&plan),
        [
            (Op::RevokeDossier, "u-a".into(), "mon-equipe".into()),
            (Op::GrantStructure, "u-b".into(), "MA-2".into()),
            (Op::RevokeDossier, "u-new".into(), "bilans".into()),
            (Op::RevokeStructure, "u-new".into(), "MA-1".into()),
            (Op::RevokeDossier, "u-old".into(), "bilans".into()),
        ]
    );
    // Each action cites the journal line it undoes, and is numbered 1…n.
    assert_eq!(
        plan.actions[1].sources[0].to_string(),
        "journal-run-1.jsonl:8"
    );
    assert_eq!(
        plan.actions.iter().map(|a| a.id).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
    // Only the created user is listed (not the adopted one), keeping what was given by hand.
    assert_eq!(info.created.len(), 1);
    let c = &info.created[0];
    assert_eq!((c.user_id.as_str(), c.gone), ("u-new", false));
    assert_eq!(
        c.keeps_dossiers.iter().collect::<Vec<_>>(),
        [Dossier::PreDemandes]
    );
    assert!(c.keeps_structures.is_empty());
    assert!(info.history && info.superseded == 0);
    assert!(codes(&plan).is_empty(), "{:?}", plan.problems);
    assert_eq!(plan.summary.revoke_dossier, 3);
    assert_eq!(plan.summary.grant_structure, 1);
    // One person per touched user, before → after.
    let b = plan
        .people
        .iter()
        .find(|p| p.user_id.as_deref() == Some("u-b"));
    assert!(b.is_some_and(|b| b.structures_after.contains(&sid("MA-2"))));
}

#[test]
fn an_item_changed_since_is_left_as_it_is_and_said_whoever_changed_it() {
    let writes = vec![
        w(2, Op::GrantDossier, Done, "u-a", d(Dossier::Bilans)),
        w(3, Op::GrantDossier, Done, "u-a", d(Dossier::MonEquipe)),
        w(4, Op::RevokeDossier, Done, "u-a", d(Dossier::PreDemandes)),
        w(5, Op::GrantStructure, Done, "u-a", s("MA-1")),
        w(6, Op::GrantStructure, Done, "u-gone", s("MA-1")),
    ];
    // Bilans taken by hand and seen by a run; Mon équipe taken in the portal today (the store
    // has not seen it); Pré-demandes revoked, then given back by a later run; MA-1 untouched.
    let portal = observed(vec![user("u-a", &[Dossier::PreDemandes], &["MA-1"])]);
    let answers = vec![
        Standing::Changed(SupersededBy::Hand {
            after_run: Some("run-1".into()),
            seen_at_run: "run-2".into(),
        }),
        Standing::Unchanged,
        Standing::Changed(SupersededBy::Run {
            run: "run-3".into(),
        }),
        Standing::Unchanged,
        Standing::Unchanged,
    ];
    let none = HashSet::new();
    let of = RevertOf {
        run: "run-1",
        writes: &writes,
        coverage: Coverage::Store(&answers),
        undone: &none,
    };
    let (plan, info) = revert_plan(&of, &portal, &allowed());
    assert_eq!(
        ops(&plan),
        [(Op::RevokeStructure, "u-a".into(), "MA-1".into())]
    );
    assert_eq!(info.superseded, 4);
    let by: Vec<(String, SupersededBy)> = plan
        .problems
        .iter()
        .filter_map(|p| match &p.kind {
            ProblemKind::RevertSuperseded { by, .. } => Some((p.location.to_string(), by.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        by,
        [
            (
                "journal-run-1.jsonl:2".to_owned(),
                SupersededBy::Hand {
                    after_run: Some("run-1".into()),
                    seen_at_run: "run-2".into()
                }
            ),
            ("journal-run-1.jsonl:3".to_owned(), SupersededBy::Portal),
            (
                "journal-run-1.jsonl:4".to_owned(),
                SupersededBy::Run {
                    run: "run-3".into()
                }
            ),
            ("journal-run-1.jsonl:6".to_owned(), SupersededBy::UserGone),
        ]
    );
    assert!(
        plan.problems
            .iter()
            .all(|p| p.severity == Severity::Warning)
    );
}

#[test]
fn writes_that_cancel_out_or_did_not_change_anything_are_not_the_run_s() {
    let writes = vec![
        // Revoked in the held phase, granted again by the inputs: as it was before the run.
        w(2, Op::RevokeDossier, Done, "u-a", d(Dossier::Bilans)),
        w(9, Op::GrantDossier, Done, "u-a", d(Dossier::Bilans)),
        w(10, Op::GrantDossier, InEffect, "u-a", d(Dossier::MonEquipe)),
        w(11, Op::GrantDossier, Done, "u-a", d(Dossier::PreDemandes)),
        w(12, Op::RevokeDossier, Done, "u-a", d(Dossier::PreDemandes)),
    ];
    let net = net_writes(&writes);
    assert!(net.is_empty(), "{net:?}");
}

#[test]
fn a_run_the_store_does_not_cover_is_compared_by_journal_and_portal_and_says_so() {
    let writes = vec![
        w(2, Op::GrantDossier, Done, "u-a", d(Dossier::Bilans)),
        w(3, Op::GrantDossier, Done, "u-a", d(Dossier::MonEquipe)),
    ];
    let portal = observed(vec![user("u-a", &[Dossier::Bilans], &[])]);
    let none = HashSet::new();
    let of = RevertOf {
        run: "run-1",
        writes: &writes,
        coverage: Coverage::Unrecorded {
            from: Some("2026-12-01T02:00:00.000Z".into()),
        },
        undone: &none,
    };
    let (plan, info) = revert_plan(&of, &portal, &allowed());
    assert!(!info.history);
    assert_eq!(
        ops(&plan),
        [(Op::RevokeDossier, "u-a".into(), "bilans".into())]
    );
    assert_eq!(
        codes(&plan),
        [
            ("revert-superseded", "journal-run-1.jsonl:3".to_owned()),
            ("revert-unrecorded", "(plan)".to_owned()),
        ]
    );
}

#[test]
fn what_an_earlier_revert_of_the_run_put_back_is_not_written_again() {
    let writes = vec![
        w(2, Op::GrantDossier, Done, "u-a", d(Dossier::Bilans)),
        w(3, Op::GrantDossier, Done, "u-a", d(Dossier::MonEquipe)),
    ];
    // A revert killed after its first write: Bilans is gone, Mon équipe still there.
    let portal = observed(vec![user("u-a", &[Dossier::MonEquipe], &[])]);
    let answers = [
        Standing::Changed(SupersededBy::Run {
            run: "run-2".into(),
        }),
        Standing::Unchanged,
    ];
    let undone: HashSet<(String, RevertItem)> =
        [("u-a".to_owned(), RevertItem::Dossier(Dossier::Bilans))].into();
    let of = RevertOf {
        run: "run-1",
        writes: &writes,
        coverage: Coverage::Store(&answers),
        undone: &undone,
    };
    let (plan, info) = revert_plan(&of, &portal, &allowed());
    assert_eq!(
        ops(&plan),
        [(Op::RevokeDossier, "u-a".into(), "mon-equipe".into())]
    );
    assert_eq!((info.already_undone, info.superseded), (1, 0));
    assert!(codes(&plan).is_empty(), "{:?}", plan.problems);
}

#[test]
fn the_guards_count_against_what_the_touched_users_hold_now() {
    let writes: Vec<RunWrite> = (0..3)
        .map(|i| {
            w(
                i + 2,
                Op::GrantDossier,
                Done,
                &format!("u-{i}"),
                d(Dossier::Bilans),
            )
        })
        .collect();
    // Each touched user holds 20 items: 3 revocations of 60 is 5 %, under the guard.
    let many: Vec<&str> = vec!["MA-1"];
    let portal = |n: usize| {
        observed(
            (0..3)
                .map(|i| {
                    let mut u = user(&format!("u-{i}"), &[Dossier::Bilans], &many);
                    for k in 0..n {
                        u.structures.insert(sid(&format!("MA-{}", 100 + k)));
                    }
                    u
                })
                .collect(),
        )
    };
    let answers = vec![Standing::Unchanged; 3];
    let none = HashSet::new();
    let of = RevertOf {
        run: "run-1",
        writes: &writes,
        coverage: Coverage::Store(&answers),
        undone: &none,
    };
    let (plan, _) = revert_plan(&of, &portal(18), &PlanOptions::default());
    assert!(!plan.guard_tripped, "{:?}", plan.problems);
    // Each holds 2: 3 of 6 is more than 10 %: held for approval under on_trip = "hold".
    let (plan, _) = revert_plan(&of, &portal(0), &PlanOptions::default());
    assert!(plan.guard_tripped && plan.tripped.revocations);
    assert_eq!(plan.summary.held, 3);
    let guards: Vec<&str> = plan.problems.iter().map(|p| p.code()).collect();
    assert_eq!(guards, ["guard-revocations"]);
}

#[test]
fn each_action_the_next_night_would_undo_is_redone_by_inputs_at_its_row() {
    let writes = vec![
        w(2, Op::GrantDossier, Done, "u-a", d(Dossier::Bilans)),
        w(3, Op::GrantStructure, Done, "u-a", s("MA-1")),
    ];
    let portal = observed(vec![user("u-a", &[Dossier::Bilans], &["MA-1"])]);
    let answers = vec![Standing::Unchanged; 2];
    let none = HashSet::new();
    let of = RevertOf {
        run: "run-1",
        writes: &writes,
        coverage: Coverage::Store(&answers),
        undone: &none,
    };
    let (mut plan, _) = revert_plan(&of, &portal, &allowed());
    let after = observed_after(&portal, &plan.actions);
    let u = &after.users[0];
    assert!(u.dossiers.is_empty() && u.structures.is_empty());
    // The staff list still gives u-a Bilans (row 4): the night grants it again.
    let row = Location::file("staff.csv", 0).with_row(4);
    let nightly = Plan {
        actions: vec![Action {
            id: 1,
            op: Op::GrantDossier,
            email: Arc::from("u-a@x.be"),
            user_id: Some(Arc::from("u-a")),
            dossier: Some(Dossier::Bilans),
            structure: None,
            depends_on: Vec::new(),
            sources: Arc::from(vec![row.with_column(5)]),
            new_user: None,
            ended: None,
        }],
        ..plan.clone()
    };
    redone_by_inputs(&mut plan, &nightly);
    assert_eq!(
        codes(&plan),
        [("redone-by-inputs", "staff.csv:4".to_owned())]
    );
    // With the allowed guard's warning.
    assert_eq!(plan.summary.warnings, 2);
    redone_unchecked(&mut plan);
    assert!(plan.problems.iter().any(|p| p.code() == "redone-unchecked"));
}
