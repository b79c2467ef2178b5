//! The rules of `plan()` pinned one by one, and the two-thread pass against the one-thread one.

use super::order::plan_in;
use super::*;
use crate::model::{
    Access, Caller, Email, Nrn, ObservedUser, OrganisationInfo, Person, ProblemKind, RowRequest,
    Severity, StructureInfo, StructureRef, TEST_TODAY, check_digits,
};

fn nrn(first9: u64) -> Nrn {
    Nrn::parse_strict(
        &format!("{first9:09}{:02}", check_digits(first9, false)),
        TEST_TODAY,
    )
    .unwrap()
}

fn sid(s: &str) -> StructureId {
    StructureId::from_portal(s)
}

fn access(dossiers: &[Dossier], structures: &[&str]) -> Access {
    Access {
        dossiers: dossiers.iter().copied().collect(),
        structures: structures
            .iter()
            .map(|s| StructureRef::Id(sid(s)))
            .collect(),
    }
}

/// A person with one row per access given.
fn person(email: &str, n: Option<u64>, rows: &[Access]) -> Person {
    let mut p = Person {
        nrn: n.map(nrn),
        email: Some(Email::parse(email).unwrap()),
        last_name: Some("Dupont".into()),
        first_name: Some("Marie".into()),
        consent: true,
        access: Access::default(),
        rows: Vec::new(),
        upcoming: Vec::new(),
        ended: Vec::new(),
        has_invalid_row: false,
    };
    for (i, a) in rows.iter().enumerate() {
        p.access.extend(a);
        p.rows.push(RowRequest {
            source: Location::file("staff.xlsx", 0).with_row(i as u32 + 2),
            access: a.clone(),
            period: crate::model::Period::OPEN,
            columns: crate::model::Columns {
                structures: Some(6),
                ..Default::default()
            },
        });
    }
    p
}

fn user(
    id: &str,
    email: &str,
    n: Option<u64>,
    dossiers: &[Dossier],
    structures: &[&str],
) -> ObservedUser {
    ObservedUser {
        id: id.into(),
        last_name: "Dupont".into(),
        first_name: "Marie".into(),
        email: email.into(),
        email_key: email.to_lowercase(),
        nrn: n.map(nrn),
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
            id: "u-000001".into(),
            email: "admin@x.be".into(),
            admin: true,
            user_admin: false,
        },
        organisation: OrganisationInfo {
            id: "org".into(),
            name: "Org".into(),
        },
        dossiers: Dossier::ALL.into_iter().collect(),
        structures: ["MA-1", "MA-2", "MA-3"]
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

fn desired(people: Vec<Person>) -> DesiredState {
    DesiredState {
        people,
        withheld: Default::default(),
        ..Default::default()
    }
}

/// (id, op, dossier code, structure id, depends_on)
type Row<'a> = (u32, Op, Option<&'a str>, Option<&'a str>, Vec<u32>);

fn ops(p: &Plan) -> Vec<Row<'_>> {
    p.actions
        .iter()
        .map(|a| {
            (
                a.id,
                a.op,
                a.dossier.map(|d| d.code()),
                a.structure.as_ref().map(|s| s.as_str()),
                a.depends_on.clone(),
            )
        })
        .collect()
}

#[test]
fn grants_what_is_missing_and_nothing_else_in_additive_mode() {
    let d = desired(vec![person(
        "marie@x.be",
        Some(850_730_033),
        &[access(
            &[Dossier::Bilans, Dossier::MonEquipe],
            &["MA-1", "MA-2"],
        )],
    )]);
    let o = observed(vec![user(
        "u-000004",
        "marie@x.be",
        Some(850_730_033),
        &[Dossier::MonEquipe, Dossier::TousLesProjets],
        &["MA-1", "MA-3"],
    )]);
    let p = plan(&d, &o, &PlanOptions::default());
    assert_eq!(
        ops(&p),
        vec![
            (1, Op::GrantDossier, Some("bilans"), None, vec![]),
            (2, Op::GrantStructure, None, Some("MA-2"), vec![])
        ]
    );
    assert_eq!(p.actions[0].user_id.as_deref(), Some("u-000004"));
    assert_eq!(p.actions[0].sources[0].to_string(), "staff.xlsx:2");
    assert_eq!(p.people[0].outcome, PersonOutcome::Update);
    // Bilans will apply to MA-3 too, which no row asked for and she does not hold now.
    assert!(
        p.problems.iter().any(
            |x| matches!(&x.kind, ProblemKind::WiderThanAsked { pairs, .. }
                if pairs.iter().any(|(d, ss)| *d == Dossier::Bilans && ss.contains(&sid("MA-3"))))
        ),
        "{:?}",
        p.problems
    );
}

#[test]
fn prune_revokes_what_the_inputs_do_not_give_but_never_the_caller_nor_an_invalid_person() {
    let mut marie = person(
        "marie@x.be",
        Some(850_730_033),
        &[access(&[Dossier::Bilans], &["MA-1"])],
    );
    let o = observed(vec![
        user(
            "u-000001",
            "admin@x.be",
            Some(700_101_001),
            &[Dossier::MonEquipe],
            &["MA-1"],
        ),
        user(
            "u-000004",
            "marie@x.be",
            Some(850_730_033),
            &[Dossier::Bilans, Dossier::MonEquipe],
            &["MA-1", "MA-3"],
        ),
        user(
            "u-000009",
            "other@x.be",
            Some(700_101_002),
            &[Dossier::MonEquipe],
            &["MA-2"],
        ),
    ]);
    let admin = person("admin@x.be", None, &[access(&[], &[])]);
    let options = PlanOptions {
        mode: Mode::Prune,
        allow_mass_change: true,
        ..PlanOptions::default()
    };
    let p = plan(&desired(vec![marie.clone(), admin.clone()]), &o, &options);
    assert_eq!(
        ops(&p),
        vec![
            (1, Op::RevokeDossier, Some("mon-equipe"), None, vec![]),
            (2, Op::RevokeStructure, None, Some("MA-3"), vec![])
        ]
    );
    assert!(
        p.actions
            .iter()
            .all(|a| a.user_id.as_deref() == Some("u-000004")),
        "not the caller, not u-000009"
    );
    assert_eq!(
        p.unlisted
            .iter()
            .map(|u| u.user_id.as_str())
            .collect::<Vec<_>>(),
        vec!["u-000009"]
    );
    marie.has_invalid_row = true;
    let p = plan(&desired(vec![marie]), &o, &options);
    assert!(p.actions.is_empty());
    assert!(p.problems.iter().any(
        |x| matches!(&x.kind, ProblemKind::PruneWithheld { email, .. } if email == "marie@x.be")
    ));
    // Additive never revokes.
    let p = plan(
        &desired(vec![person("marie@x.be", None, &[access(&[], &[])])]),
        &o,
        &PlanOptions::default(),
    );
    assert!(p.actions.is_empty());
}

#[test]
fn creates_with_consent_and_grants_depend_on_the_create() {
    let d = desired(vec![person(
        "new@x.be",
        Some(900_215_124),
        &[access(&[Dossier::PreDemandes, Dossier::Bilans], &["MA-2"])],
    )]);
    let p = plan(&d, &observed(vec![]), &PlanOptions::default());
    assert_eq!(
        ops(&p),
        vec![
            (1, Op::CreateUser, None, None, vec![]),
            (2, Op::GrantDossier, Some("pre-demandes"), None, vec![1]),
            (3, Op::GrantDossier, Some("bilans"), None, vec![1]),
            (4, Op::GrantStructure, None, Some("MA-2"), vec![1]),
        ]
    );
    let new = p.actions[0].new_user.as_ref().unwrap();
    assert_eq!(
        (new.email.as_str(), &new.nrn),
        ("new@x.be", d.people[0].nrn.as_ref().unwrap())
    );
    assert_eq!(p.summary.create_user, 1);
    let mut no_consent = d.people[0].clone();
    no_consent.consent = false;
    let p = plan(
        &desired(vec![no_consent]),
        &observed(vec![]),
        &PlanOptions::default(),
    );
    assert!(p.actions.is_empty());
    assert_eq!(
        p.problems[0].kind,
        ProblemKind::ConsentMissing {
            person: "new@x.be".into()
        }
    );
    assert_eq!(p.problems[0].severity, Severity::Error);
}

#[test]
fn identity_conflicts_with_the_portal_do_nothing_for_that_person() {
    let o = observed(vec![
        user("u-000004", "marie@x.be", Some(850_730_033), &[], &[]),
        user("u-000005", "luc@x.be", Some(700_101_002), &[], &[]),
    ]);
    // NRN of one user, e-mail of another.
    let p = plan(
        &desired(vec![person(
            "luc@x.be",
            Some(850_730_033),
            &[access(&[Dossier::Bilans], &["MA-1"])],
        )]),
        &o,
        &PlanOptions::default(),
    );
    assert!(p.actions.is_empty());
    assert!(
        matches!(&p.problems[0].kind, ProblemKind::NrnAndEmailApart { nrn_user, email_user, .. }
            if nrn_user == "u-000004" && email_user == "u-000005"),
        "{:?}",
        p.problems
    );
    // An e-mail whose user has another NRN.
    let p = plan(
        &desired(vec![person(
            "luc@x.be",
            Some(900_215_124),
            &[access(&[Dossier::Bilans], &["MA-1"])],
        )]),
        &o,
        &PlanOptions::default(),
    );
    assert!(p.actions.is_empty());
    assert!(
        matches!(&p.problems[0].kind, ProblemKind::EmailHasOtherNrn { email, user, .. }
            if email == "luc@x.be" && user == "u-000005"),
        "{:?}",
        p.problems
    );
    assert!(!format!("{:?}", p.problems[0]).contains("700101002"));
    // Same NRN, other e-mail: matched by NRN, with a warning.
    let p = plan(
        &desired(vec![person(
            "marie.new@x.be",
            Some(850_730_033),
            &[access(&[Dossier::MonEquipe], &[])],
        )]),
        &o,
        &PlanOptions::default(),
    );
    assert_eq!(p.actions.len(), 1);
    assert_eq!(&*p.actions[0].email, "marie@x.be", "the portal's e-mail");
    assert!(
        p.problems.iter().any(|x| x.severity == Severity::Warning
            && matches!(x.kind, ProblemKind::EmailDiffers { .. })),
        "{:?}",
        p.problems
    );
}

#[test]
fn administrateur_pre_demandes_is_implicit_but_structures_are_still_granted() {
    let mut u = user("u-000006", "chef@x.be", Some(650_606_105), &[], &[]);
    u.admin = true;
    let p = plan(
        &desired(vec![person(
            "chef@x.be",
            None,
            &[access(&[Dossier::PreDemandes, Dossier::Bilans], &["MA-1"])],
        )]),
        &observed(vec![u]),
        &PlanOptions::default(),
    );
    assert_eq!(
        ops(&p),
        vec![
            (1, Op::GrantDossier, Some("bilans"), None, vec![]),
            (2, Op::GrantStructure, None, Some("MA-1"), vec![])
        ]
    );
    assert_eq!(p.summary.implicit, 1);
}

#[test]
fn guards_trip_on_mass_revocation_and_creation() {
    let o = observed(vec![user(
        "u-000004",
        "marie@x.be",
        None,
        &[Dossier::MonEquipe, Dossier::Bilans],
        &["MA-1", "MA-2", "MA-3"],
    )]);
    let prune = PlanOptions {
        mode: Mode::Prune,
        ..PlanOptions::default()
    };
    let p = plan(
        &desired(vec![person(
            "marie@x.be",
            None,
            &[access(&[Dossier::Bilans], &["MA-1", "MA-2", "MA-3"])],
        )]),
        &o,
        &prune,
    );
    // 1 revocation of 5 managed grants: 20 % > 10 %. Under "hold" (the default) a warning, the
    // revocation marked held, the plan not stopped.
    assert!(p.guard_tripped && !p.stops());
    assert!(p.problems.iter().any(|x| x.severity == Severity::Warning
        && matches!(x.kind, ProblemKind::GuardRevocations { revocations: 1, .. })));
    assert_eq!(p.summary.held, 1);
    assert!(
        p.actions
            .iter()
            .all(|a| p.holds(a) == (a.op == Op::RevokeDossier))
    );
    let stop = plan(
        &desired(vec![person(
            "marie@x.be",
            None,
            &[access(&[Dossier::Bilans], &["MA-1", "MA-2", "MA-3"])],
        )]),
        &o,
        &PlanOptions {
            on_trip: OnTrip::Stop,
            ..prune.clone()
        },
    );
    assert!(stop.stops());
    assert_eq!(stop.summary.held, 0);
    assert!(stop.problems.iter().any(|x| x.severity == Severity::Error
        && matches!(x.kind, ProblemKind::GuardRevocations { revocations: 1, .. })));
    let p = plan(
        &desired(vec![person(
            "marie@x.be",
            None,
            &[access(&[Dossier::Bilans], &["MA-1", "MA-2", "MA-3"])],
        )]),
        &o,
        &PlanOptions {
            allow_mass_change: true,
            ..prune
        },
    );
    assert!(!p.guard_tripped);
    assert_eq!(p.summary.held, 0);
    let many: Vec<Person> = (0..3)
        .map(|i| {
            person(
                &format!("p{i}@x.be"),
                Some(900_215_100 + i),
                &[access(&[Dossier::MonEquipe], &[])],
            )
        })
        .collect();
    let p = plan(
        &desired(many),
        &observed(vec![]),
        &PlanOptions {
            max_creations: 2,
            ..PlanOptions::default()
        },
    );
    assert!(p.guard_tripped);
    // The creation guard holds every creation and the grants that depend on one: here all.
    assert!(p.tripped.creations && !p.tripped.revocations);
    assert_eq!(p.summary.held, p.actions.len());
    assert!(p.actions.iter().all(|a| p.holds(a)));
}

#[test]
fn held_actions_become_a_plan_numbered_from_one_against_the_portal_after() {
    // Marie keeps Bilans and MA-1, loses Mon équipe and MA-2; Paul is new with Bilans.
    let o = observed(vec![user(
        "u-000004",
        "marie@x.be",
        None,
        &[Dossier::MonEquipe, Dossier::Bilans],
        &["MA-1", "MA-2"],
    )]);
    let p = plan(
        &desired(vec![
            person("marie@x.be", None, &[access(&[Dossier::Bilans], &["MA-1"])]),
            person(
                "paul@x.be",
                Some(900_215_124),
                &[access(&[Dossier::Bilans], &[])],
            ),
        ]),
        &o,
        &PlanOptions {
            mode: Mode::Prune,
            max_revocations: 1,
            ..PlanOptions::default()
        },
    );
    assert!(p.tripped.revocations);
    let (rest, held) = hold::split(p.actions.clone(), p.tripped);
    assert!(
        rest.iter()
            .all(|a| !matches!(a.op, Op::RevokeDossier | Op::RevokeStructure))
    );
    assert_eq!(held.len(), 2);
    assert_eq!(rest.len(), 2, "Paul's creation and grant");
    assert!(rest.iter().any(|a| a.id == 4), "ids kept by split");
    // The portal after the rest: unchanged for Marie (her revocations were held).
    let from = hold::HeldFrom {
        mode: p.mode,
        tripped: p.tripped,
        problems: &p.problems,
        scope: p.scope,
        leavers: &p.leavers,
    };
    let h = hold::held_plan(held.clone(), &from, &o);
    assert_eq!(
        h.actions.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(h.summary.held, 2);
    assert_eq!(
        (h.summary.revoke_dossier, h.summary.revoke_structure),
        (1, 1)
    );
    assert_eq!(h.people.len(), 1);
    let marie = &h.people[0];
    assert!(marie.dossiers_before.contains(Dossier::MonEquipe));
    assert!(!marie.dossiers_after.contains(Dossier::MonEquipe));
    assert_eq!(marie.structures_after.len(), 1);
    assert!(h.problems.iter().all(|x| x.code() == "guard-revocations"));
    // Same held actions, same portal: the same plan (and so the same fingerprint).
    assert_eq!(h, hold::held_plan(held.clone(), &from, &o));
    // What is already in effect after is left out.
    let gone = observed(vec![user(
        "u-000004",
        "marie@x.be",
        None,
        &[Dossier::Bilans],
        &["MA-1", "MA-2"],
    )]);
    let h = hold::held_plan(held, &from, &gone);
    assert_eq!(h.actions.len(), 1);
    assert_eq!((h.actions[0].id, h.actions[0].op), (1, Op::RevokeStructure));
}

#[test]
fn renumbering_follows_dependencies() {
    let p = plan(
        &desired(vec![person(
            "paul@x.be",
            Some(900_215_124),
            &[access(&[Dossier::Bilans], &["MA-1"])],
        )]),
        &observed(vec![]),
        &PlanOptions {
            max_creations: 0,
            ..PlanOptions::default()
        },
    );
    let shifted: Vec<Action> = p
        .actions
        .iter()
        .cloned()
        .map(|mut a| {
            a.id += 10;
            a.depends_on = a.depends_on.iter().map(|d| d + 10).collect();
            a
        })
        .collect();
    let again = hold::renumber(shifted);
    assert_eq!(again, p.actions);
}

#[test]
fn order_does_not_depend_on_input_order_and_applying_the_plan_converges() {
    let a = person(
        "b@x.be",
        Some(900_215_124),
        &[access(&[Dossier::Bilans], &["MA-2"])],
    );
    let b = person("a@x.be", None, &[access(&[Dossier::MonEquipe], &["MA-1"])]);
    let o = observed(vec![user("u-000004", "a@x.be", None, &[], &[])]);
    let p1 = plan(
        &desired(vec![a.clone(), b.clone()]),
        &o,
        &PlanOptions::default(),
    );
    let p2 = plan(&desired(vec![b, a]), &o, &PlanOptions::default());
    assert_eq!(p1.actions, p2.actions);
    assert_eq!(&*p1.actions[0].email, "a@x.be");
}

/// What the portal holds after the plan's actions (a model of a successful apply).
fn applied(o: &ObservedState, p: &Plan) -> ObservedState {
    let mut o = o.clone();
    let mut next = 1000;
    for a in &p.actions {
        let idx = match (&a.user_id, a.op) {
            (_, Op::CreateUser) => {
                let n = a.new_user.as_ref().unwrap();
                next += 1;
                let mut u = user(&format!("u-{next:06}"), &n.email, None, &[], &[]);
                u.nrn = Some(n.nrn.clone());
                o.users.push(u);
                continue;
            }
            (Some(id), _) => o.users.iter().position(|u| *u.id == **id).unwrap(),
            (None, _) => o
                .users
                .iter()
                .position(|u| u.email_key == a.email.to_lowercase())
                .unwrap(),
        };
        let u = &mut o.users[idx];
        match a.op {
            Op::GrantDossier => {
                u.dossiers.insert(a.dossier.unwrap());
            }
            Op::RevokeDossier => {
                u.dossiers.remove(a.dossier.unwrap());
            }
            Op::GrantStructure => {
                u.structures.insert(a.structure.clone().unwrap());
            }
            Op::RevokeStructure => {
                let s = a.structure.clone().unwrap();
                u.structures = u.structures.iter().filter(|x| **x != s).cloned().collect();
            }
            Op::CreateUser => {}
        }
    }
    o
}

#[test]
fn an_administrateurs_pre_demandes_needs_no_structure_of_theirs() {
    let mut admin = user("u-000009", "chef@x.be", Some(700_101_009), &[], &[]);
    admin.admin = true;
    let o = observed(vec![admin]);
    let warnings = |rows: &[Access]| -> Vec<Vec<Dossier>> {
        let d = desired(vec![person("chef@x.be", Some(700_101_009), rows)]);
        plan(&d, &o, &PlanOptions::default())
            .problems
            .into_iter()
            .filter_map(|p| match p.kind {
                ProblemKind::ScopedWithoutStructures { dossiers } => Some(dossiers),
                _ => None,
            })
            .collect()
    };
    // Pré-demandes asked for, implicit: no structure needed.
    assert!(warnings(&[access(&[Dossier::PreDemandes], &[])]).is_empty());
    // Bilans does need them; the message names Bilans only.
    assert_eq!(
        warnings(&[access(&[Dossier::PreDemandes, Dossier::Bilans], &[])]),
        [vec![Dossier::Bilans]]
    );
}

#[test]
fn two_threads_plan_exactly_what_one_does() {
    // 3,000 people: existing ones (some by NRN only, some prune-worthy), new ones, and
    // problems on both halves.
    let users: Vec<ObservedUser> = (0..2_000u64)
        .map(|i| {
            user(
                &format!("u-{i:06}"),
                &format!("p{i}@x.be"),
                Some(700_101_000 + i),
                &[Dossier::ALL[(i % 7) as usize]],
                &[["MA-1", "MA-2", "MA-3"][(i % 3) as usize]],
            )
        })
        .collect();
    let o = observed(users);
    let people: Vec<Person> = (0..3_000u64)
        .map(|i| {
            let a = access(
                &[Dossier::ALL[((i * 5) % 7) as usize]],
                &[["MA-1", "MA-2", "MA-3"][((i * 2) % 3) as usize]],
            );
            if i < 2_000 {
                person(
                    &format!("p{i}@x.be"),
                    (i % 2 == 0).then_some(700_101_000 + i),
                    &[a],
                )
            } else {
                let mut p = person(&format!("new{i}@x.be"), Some(900_215_000 + i), &[a]);
                p.consent = i % 5 != 0;
                p
            }
        })
        .collect();
    let d = desired(people);
    for mode in [Mode::Additive, Mode::Prune] {
        let options = PlanOptions {
            mode,
            allow_mass_change: true,
            ..PlanOptions::default()
        };
        let one = plan_in(&d, &o, &options, 1);
        let two = plan_in(&d, &o, &options, 2);
        assert!(one.actions.len() > 3_000 && !one.problems.is_empty());
        assert_eq!(one, two);
        assert_eq!(plan(&d, &o, &options), one);
    }
}

use proptest::prelude::*;

fn arb_access() -> impl Strategy<Value = Access> {
    (
        proptest::collection::vec(0usize..7, 0..4),
        proptest::collection::vec(0usize..3, 0..3),
    )
        .prop_map(|(d, s)| {
            let names = ["MA-1", "MA-2", "MA-3"];
            access(
                &d.into_iter().map(|i| Dossier::ALL[i]).collect::<Vec<_>>(),
                &s.into_iter().map(|i| names[i]).collect::<Vec<_>>(),
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn planning_again_after_applying_gives_nothing(
        wanted in proptest::collection::vec((any::<bool>(), proptest::collection::vec(arb_access(), 1..3)), 1..5),
        held in proptest::collection::vec((arb_access(), any::<bool>()), 5),
        prune in any::<bool>(),
        reversed in any::<bool>(),
    ) {
        let users: Vec<ObservedUser> = held.iter().enumerate().map(|(i, (a, admin))| {
            let mut u = user(&format!("u-{:06}", i + 10), &format!("p{i}@x.be"), Some(700_101_000 + i as u64), &[], &[]);
            u.dossiers = a.dossiers;
            u.structures = a.structures.iter().map(|s| match s { StructureRef::Id(id) => id.clone(), _ => unreachable!() }).collect();
            u.admin = *admin;
            u
        }).collect();
        let o = observed(users);
        // People 0..n: even ones exist on the portal (by e-mail), odd ones are new.
        let mut people: Vec<Person> = wanted.iter().enumerate().map(|(i, (by_nrn, rows))| {
            let email = if i % 2 == 0 { format!("p{i}@x.be") } else { format!("new{i}@x.be") };
            let n = if i % 2 == 0 { by_nrn.then_some(700_101_000 + i as u64) } else { Some(900_215_000 + i as u64) };
            person(&email, n, rows)
        }).collect();
        if reversed {
            people.reverse();
        }
        let options = PlanOptions {
            mode: if prune { Mode::Prune } else { Mode::Additive },
            allow_mass_change: true,
            ..PlanOptions::default()
        };
        let d = desired(people.clone());
        let p = plan(&d, &o, &options);
        // Additive never revokes; prune touches only people of the inputs.
        if !prune {
            prop_assert!(p.actions.iter().all(|a| !matches!(a.op, Op::RevokeDossier | Op::RevokeStructure)));
        }
        let named: std::collections::BTreeSet<String> = people.iter().filter_map(|x| x.email.as_ref().map(|e| e.key().to_owned())).collect();
        prop_assert!(p.actions.iter().all(|a| named.contains(&a.email.to_lowercase())));
        // Input order does not matter.
        let mut other = people.clone();
        other.reverse();
        prop_assert_eq!(&plan(&desired(other), &o, &options).actions, &p.actions);
        // Applying, then planning again: nothing left to do.
        let after = applied(&o, &p);
        let again = plan(&d, &after, &options);
        prop_assert!(again.actions.is_empty(), "{:?}", again.actions);
    }
}

#[test]
fn authoritative_scope_takes_leavers_but_names_protect_and_an_empty_file_withholds() {
    let mut lefevre = user(
        "u-000007",
        "anais@x.be",
        None,
        &[Dossier::Bilans],
        &["MA-1"],
    );
    lefevre.last_name = "Lefèvre".into();
    lefevre.first_name = "Anaïs".into();
    let mut boss = user("u-000008", "boss@x.be", None, &[Dossier::MonEquipe], &[]);
    boss.admin = true;
    let o = observed(vec![
        user(
            "u-000004",
            "marie@x.be",
            None,
            &[Dossier::Bilans],
            &["MA-1"],
        ),
        user(
            "u-000005",
            "gone@x.be",
            None,
            &[Dossier::MonEquipe],
            &["MA-2"],
        ),
        user("u-000006", "kept@x.be", None, &[Dossier::MonEquipe], &[]),
        lefevre,
        boss,
    ]);
    let options = PlanOptions {
        mode: Mode::Prune,
        scope: Scope {
            mode: ScopeMode::Authoritative,
            keep: vec!["KEPT@x.be".into()],
            ..Scope::default()
        },
        ..PlanOptions::default()
    };
    let mut d = desired(vec![person(
        "marie@x.be",
        None,
        &[access(&[Dossier::Bilans], &["MA-1"])],
    )]);
    // Named by a name only (another case, no accents): protected, never revoked.
    d.names
        .insert(crate::model::name_key("LEFEVRE", "anais").unwrap());
    let p = plan(&d, &o, &options);
    assert_eq!(p.scope, ScopeMode::Authoritative);
    assert_eq!(
        ops(&p),
        vec![
            (1, Op::RevokeDossier, Some("mon-equipe"), None, vec![]),
            (2, Op::RevokeStructure, None, Some("MA-2"), vec![])
        ]
    );
    assert!(p.actions.iter().all(|a| p.is_leaver(a)));
    assert_eq!(p.leavers.len(), 1);
    assert!(p.problems.iter().any(
        |x| matches!(&x.kind, ProblemKind::PruneWithheld { email, .. } if email == "anais@x.be")
    ));
    // Listed scope: nobody outside the inputs.
    let listed = plan(
        &d,
        &o,
        &PlanOptions {
            scope: Scope::default(),
            ..options.clone()
        },
    );
    assert!(listed.actions.is_empty() && listed.leavers.is_empty());
    // A file that gave nobody: no leaver, scope-incomplete at that file.
    d.files_without_people.push(Location::file("it.csv", 1));
    let p = plan(&d, &o, &options);
    assert!(p.actions.is_empty());
    assert!(p.scope_incomplete());
    assert!(p.problems.iter().any(|x| x.code() == "scope-incomplete"
        && x.severity == Severity::Error
        && x.location.file.as_ref() == "it.csv"));
}

/// The three mistyped-row shapes of issue 22, each with a surname changed (so no name
/// protects): A's e-mail with B's NRN, C's NRN with D's e-mail, E's e-mail in capitals with an
/// NRN nobody has. Each row is an identity error, and none of A–E is a leaver.
#[test]
fn a_row_names_every_user_its_identifiers_point_to_so_none_is_a_leaver() {
    let grant = |id: &str, email: &str, n: u64| {
        let mut u = user(id, email, Some(n), &[Dossier::Bilans], &["MA-1"]);
        u.last_name = format!("Nom{n}");
        u
    };
    let o = observed(vec![
        grant("u-000010", "a@x.be", 700_101_010),
        grant("u-000011", "b@x.be", 700_101_011),
        grant("u-000012", "c@x.be", 700_101_012),
        grant("u-000013", "d@x.be", 700_101_013),
        grant("u-000014", "e@x.be", 700_101_014),
        grant("u-000015", "gone@x.be", 700_101_015),
    ]);
    let wants = [access(&[Dossier::Bilans], &["MA-1"])];
    let d = desired(vec![
        person("a@x.be", Some(700_101_011), &wants),
        person("d@x.be", Some(700_101_012), &wants),
        person("E@X.BE", Some(900_215_099), &wants),
    ]);
    let options = PlanOptions {
        mode: Mode::Prune,
        allow_mass_change: true,
        scope: Scope {
            mode: ScopeMode::Authoritative,
            ..Scope::default()
        },
        ..PlanOptions::default()
    };
    let p = plan(&d, &o, &options);
    let leavers: Vec<_> = p.leavers.iter().filter_map(|l| l.user_id.clone()).collect();
    assert_eq!(leavers, vec!["u-000015".to_owned()], "{:?}", p.problems);
    let mismatches = p
        .problems
        .iter()
        .filter(|x| x.severity == Severity::Error)
        .count();
    assert_eq!(mismatches, 3, "{:?}", p.problems);
    for email in ["a@x.be", "b@x.be", "c@x.be", "d@x.be", "e@x.be"] {
        assert!(
            p.problems.iter().any(|x| matches!(&x.kind,
                ProblemKind::PruneWithheld { email: e, .. } if e == email)),
            "{email} is not said withheld: {:?}",
            p.problems
        );
    }
    assert!(
        p.actions
            .iter()
            .all(|a| a.user_id.as_deref() == Some("u-000015")),
        "{:?}",
        p.actions
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    /// Each generated row: an NRN and an e-mail, each a portal user's (by position), someone
    /// else's, or none; the e-mail maybe in capitals; the row valid or not.
    #[test]
    fn no_user_a_row_points_to_is_ever_a_leaver(
        users in 1usize..8,
        rows in proptest::collection::vec(
            (proptest::option::of(0usize..10), proptest::option::of(0usize..10), any::<bool>(), any::<bool>()),
            0..7,
        ),
    ) {
        let o = observed((0..users).map(|i| {
            let mut u = user(&format!("u-{:06}", i + 10), &format!("p{i}@x.be"), Some(700_101_000 + i as u64), &[Dossier::Bilans], &["MA-1"]);
            u.last_name = format!("Portail{i}");
            u
        }).collect());
        let mut d = desired(Vec::new());
        let mut pointed = std::collections::BTreeSet::new();
        for (k, (n, e, caps, valid)) in rows.iter().copied().enumerate() {
            // An index past the portal's users is someone the portal does not know.
            let nrn = n.map(|i| if i < users { 700_101_000 + i as u64 } else { 900_215_000 + i as u64 });
            let email = e.map(|i| if i < users { format!("p{i}@x.be") } else { format!("new{i}-{k}@x.be") });
            let Some(email_or_nrn) = email.clone().or_else(|| nrn.map(|_| format!("row{k}@nowhere.be"))) else { continue };
            pointed.extend(n.filter(|i| *i < users));
            pointed.extend(e.filter(|i| *i < users));
            let shown = if caps { email_or_nrn.to_uppercase() } else { email_or_nrn };
            if valid {
                let mut p = person(&shown, nrn, &[access(&[Dossier::Bilans], &["MA-1"])]);
                if email.is_none() {
                    p.email = None;
                }
                p.last_name = Some(format!("Ligne{k}"));
                d.people.push(p);
            } else {
                d.withheld.extend(nrn.map(|x| crate::model::IdentityKey::Nrn(super::tests::nrn(x))));
                if email.is_some() {
                    d.withheld.insert(crate::model::IdentityKey::Email(shown.to_lowercase()));
                }
            }
        }
        let options = PlanOptions {
            mode: Mode::Prune,
            allow_mass_change: true,
            scope: Scope { mode: ScopeMode::Authoritative, ..Scope::default() },
            ..PlanOptions::default()
        };
        let p = plan(&d, &o, &options);
        let leavers: std::collections::BTreeSet<String> = p.leavers.iter().filter_map(|l| l.user_id.clone()).collect();
        for i in 0..users {
            let id = format!("u-{:06}", i + 10);
            // Named by a row: never a leaver. Named by none: a leaver (the rule still acts).
            prop_assert_eq!(leavers.contains(&id), !pointed.contains(&i), "{} {:?}", id, p.problems);
        }
    }
}

/// `keep_profiles` keeps exactly the profiles it names: a gestion-utilisateurs user with grants
/// is kept by `[GestionUtilisateurs]` and is a leaver under the default (administrateur only);
/// an administrateur likewise the other way round.
#[test]
fn keep_profiles_keep_exactly_the_profiles_they_name() {
    use crate::model::Profile;
    let mut manager = user(
        "u-000020",
        "gestion@x.be",
        None,
        &[Dossier::Bilans],
        &["MA-1"],
    );
    manager.user_admin = true;
    let mut admin = user("u-000021", "admin2@x.be", None, &[Dossier::MonEquipe], &[]);
    admin.admin = true;
    let o = observed(vec![manager, admin]);
    let d = desired(Vec::new());
    let leavers_with = |keep: Vec<Profile>| -> Vec<String> {
        let options = PlanOptions {
            mode: Mode::Prune,
            allow_mass_change: true,
            scope: Scope {
                mode: ScopeMode::Authoritative,
                keep_profiles: keep,
                ..Scope::default()
            },
            ..PlanOptions::default()
        };
        plan(&d, &o, &options)
            .leavers
            .iter()
            .filter_map(|l| l.user_id.clone())
            .collect()
    };
    assert_eq!(leavers_with(vec![Profile::Administrateur]), ["u-000020"]);
    assert_eq!(
        leavers_with(vec![Profile::GestionUtilisateurs]),
        ["u-000021"]
    );
    assert!(leavers_with(Profile::ALL.to_vec()).is_empty());
    assert_eq!(leavers_with(Vec::new()), ["u-000020", "u-000021"]);
}

/// Each kind of action is in effect exactly when the user already holds what it wants (a
/// grant) or no longer holds it (a revocation); a creation never is.
#[test]
fn an_action_is_in_effect_when_the_user_already_has_what_it_wants() {
    let action = |op: Op, dossier: Option<Dossier>, structure: Option<&str>| Action {
        id: 1,
        op,
        email: Arc::from("marie@x.be"),
        user_id: Some(Arc::from("u-000004")),
        dossier,
        structure: structure.map(sid),
        depends_on: Vec::new(),
        sources: Arc::from([]),
        new_user: None,
        ended: None,
    };
    let cases = [
        (action(Op::GrantDossier, Some(Dossier::Bilans), None), true),
        (
            action(Op::RevokeDossier, Some(Dossier::Bilans), None),
            false,
        ),
        (action(Op::GrantStructure, None, Some("MA-1")), true),
        (action(Op::RevokeStructure, None, Some("MA-1")), false),
    ];
    for (a, when_held) in &cases {
        assert_eq!(a.in_effect(|_| true, |_| true), *when_held, "{:?}", a.op);
        assert_eq!(a.in_effect(|_| false, |_| false), !*when_held, "{:?}", a.op);
    }
    // The predicate asked is the one of the action's item, with its code or id.
    let grant = action(Op::GrantDossier, Some(Dossier::Bilans), None);
    assert!(grant.in_effect(|d| d == "bilans", |_| false));
    assert!(!grant.in_effect(|d| d != "bilans", |_| true));
    let revoke = action(Op::RevokeStructure, None, Some("MA-1"));
    assert!(revoke.in_effect(|_| true, |s| s != "MA-1"));
    assert!(!revoke.in_effect(|_| false, |s| s == "MA-1"));
    let create = action(Op::CreateUser, None, None);
    assert!(!create.in_effect(|_| true, |_| true) && !create.in_effect(|_| false, |_| false));
}

#[test]
fn a_plan_is_empty_exactly_when_it_has_no_action() {
    let o = observed(vec![user(
        "u-000004",
        "marie@x.be",
        None,
        &[Dossier::Bilans],
        &["MA-1"],
    )]);
    let same = person("marie@x.be", None, &[access(&[Dossier::Bilans], &["MA-1"])]);
    assert!(plan(&desired(vec![same]), &o, &PlanOptions::default()).is_empty());
    let more = person(
        "marie@x.be",
        None,
        &[access(&[Dossier::Bilans], &["MA-1", "MA-2"])],
    );
    assert!(!plan(&desired(vec![more]), &o, &PlanOptions::default()).is_empty());
}

/// cli.md: "more than" is strict for each guard — at its bound a guard does not trip, one past
/// it trips; and 10 % of the managed grants exactly does not trip either.
#[test]
fn each_guard_trips_one_past_its_bound_and_not_at_it() {
    let options = PlanOptions {
        max_revocations: 4,
        max_creations: 3,
        ..PlanOptions::default()
    };
    let summary = |revoke_dossier: usize, revoke_structure: usize, create_user: usize| Summary {
        revoke_dossier,
        revoke_structure,
        create_user,
        ..Summary::default()
    };
    let tripped = |s: Summary, managed: usize| guards::check(&s, managed, &options).1;
    // Revocations against `max_revocations` (managed grants many: 10 % never reached).
    assert!(
        !tripped(summary(2, 2, 0), 1_000).revocations,
        "4 of at most 4"
    );
    assert!(
        tripped(summary(3, 2, 0), 1_000).revocations,
        "5 of at most 4"
    );
    assert!(
        tripped(summary(0, 5, 0), 1_000).revocations,
        "structures count too"
    );
    // Revocations against 10 % of the managed grants (under `max_revocations`).
    assert!(!tripped(summary(1, 2, 0), 30).revocations, "3 of 30: 10 %");
    assert!(
        tripped(summary(1, 2, 0), 29).revocations,
        "3 of 29: more than 10 %"
    );
    assert!(
        !tripped(summary(0, 0, 0), 0).revocations,
        "nothing revoked of nothing"
    );
    // Creations against `max_creations`.
    assert!(!tripped(summary(0, 0, 3), 0).creations, "3 of at most 3");
    assert!(tripped(summary(0, 0, 4), 0).creations, "4 of at most 3");
    let (problems, t) = guards::check(&summary(0, 0, 3), 0, &options);
    assert!(problems.is_empty() && !t.any());
    let (problems, t) = guards::check(&summary(5, 0, 4), 1_000, &options);
    assert!(t.revocations && t.creations);
    assert_eq!(problems.len(), 2);
    // Allowed: said as warnings, nothing tripped.
    let allowed = PlanOptions {
        allow_mass_change: true,
        ..options.clone()
    };
    let (problems, t) = guards::check(&summary(5, 0, 4), 1_000, &allowed);
    assert!(!t.any());
    assert_eq!(problems.len(), 2);
    assert!(problems.iter().all(|p| p.severity == Severity::Warning));
}

/// A withheld row (invalid, so it cannot act) protects the portal user whose NRN it gives, and
/// the one whose e-mail it gives, each by that identifier alone.
#[test]
fn a_withheld_rows_nrn_alone_or_email_alone_protects_a_user_from_being_a_leaver() {
    let grant = |id: &str, email: &str, n: u64| {
        let mut u = user(id, email, Some(n), &[Dossier::Bilans], &["MA-1"]);
        u.last_name = format!("Nom{n}");
        u
    };
    let o = observed(vec![
        grant("u-000030", "by-nrn@x.be", 700_101_030),
        grant("u-000031", "by-email@x.be", 700_101_031),
        grant("u-000032", "gone@x.be", 700_101_032),
    ]);
    let mut d = desired(Vec::new());
    d.withheld
        .insert(crate::model::IdentityKey::Nrn(nrn(700_101_030)));
    d.withheld
        .insert(crate::model::IdentityKey::Email("by-email@x.be".into()));
    let options = PlanOptions {
        mode: Mode::Prune,
        allow_mass_change: true,
        scope: Scope {
            mode: ScopeMode::Authoritative,
            ..Scope::default()
        },
        ..PlanOptions::default()
    };
    let p = plan(&d, &o, &options);
    let leavers: Vec<_> = p.leavers.iter().filter_map(|l| l.user_id.clone()).collect();
    assert_eq!(leavers, ["u-000032"], "{:?}", p.problems);
    for email in ["by-nrn@x.be", "by-email@x.be"] {
        assert!(
            p.problems.iter().any(|x| matches!(&x.kind,
                ProblemKind::PruneWithheld { email: e, dossiers: 1, structures: 1 } if e == email)),
            "{email}: {:?}",
            p.problems
        );
    }
}

/// The revocation guard of an authoritative plan counts the grants of every user in scope,
/// dossiers and structures: ten users of two grants each are 20, so a leaver's 2 revocations
/// are 10 % exactly and do not trip it; a leaver more does.
#[test]
fn the_leavers_guard_counts_every_grant_of_the_users_in_scope() {
    let users: Vec<ObservedUser> = (0..10)
        .map(|i| {
            let mut u = user(
                &format!("u-{:06}", 40 + i),
                &format!("p{i}@x.be"),
                None,
                &[Dossier::Bilans],
                &["MA-1"],
            );
            u.last_name = format!("Nom{i}");
            u
        })
        .collect();
    let o = observed(users);
    let staying = |n: usize| {
        desired(
            (0..n)
                .map(|i| {
                    person(
                        &format!("p{i}@x.be"),
                        None,
                        &[access(&[Dossier::Bilans], &["MA-1"])],
                    )
                })
                .collect(),
        )
    };
    let options = PlanOptions {
        mode: Mode::Prune,
        scope: Scope {
            mode: ScopeMode::Authoritative,
            ..Scope::default()
        },
        ..PlanOptions::default()
    };
    let p = plan(&staying(9), &o, &options);
    assert_eq!(p.leavers.len(), 1);
    assert_eq!(p.summary.revoke_dossier + p.summary.revoke_structure, 2);
    assert!(!p.guard_tripped, "{:?}", p.problems);
    let p = plan(&staying(8), &o, &options);
    assert_eq!(p.leavers.len(), 2);
    assert!(p.tripped.revocations);
    assert!(p.problems.iter().any(|x| matches!(
        x.kind,
        ProblemKind::GuardRevocations {
            revocations: 4,
            managed: 20,
            ..
        }
    )));
}

/// Names are compared case-insensitively, accented letters too, and either name differing is
/// said.
#[test]
fn a_name_that_differs_from_the_portals_is_said_whichever_name_and_whatever_its_case() {
    let o = observed(vec![{
        let mut u = user("u-000004", "marie@x.be", None, &[Dossier::Bilans], &[]);
        u.last_name = "Lefèvre".into();
        u.first_name = "Anaïs".into();
        u
    }]);
    let named = |last: &str, first: &str| {
        let mut p = person("marie@x.be", None, &[access(&[Dossier::Bilans], &[])]);
        p.last_name = Some(last.into());
        p.first_name = Some(first.into());
        plan(&desired(vec![p]), &o, &PlanOptions::default())
            .problems
            .iter()
            .filter(|x| matches!(x.kind, ProblemKind::NameDiffers { .. }))
            .count()
    };
    assert_eq!(named("Lefèvre", "Anaïs"), 0);
    assert_eq!(named("LEFÈVRE", "ANAÏS"), 0, "the same, in capitals");
    assert_eq!(named("Lefèvre", "Anais"), 1, "the first name alone differs");
    assert_eq!(named("Lefevre", "Anaïs"), 1, "the last name alone differs");
    assert_eq!(named("Dupont", "Marie"), 1);
}

#[test]
fn the_unlisted_users_say_which_one_is_the_caller() {
    let o = observed(vec![
        user("u-000001", "admin@x.be", None, &[Dossier::MonEquipe], &[]),
        user("u-000002", "other@x.be", None, &[Dossier::MonEquipe], &[]),
    ]);
    let p = plan(&desired(Vec::new()), &o, &PlanOptions::default());
    let seen: Vec<(&str, bool)> = p
        .unlisted
        .iter()
        .map(|u| (u.user_id.as_str(), u.is_caller))
        .collect();
    assert_eq!(seen, [("u-000001", true), ("u-000002", false)]);
}

/// A portal user holding Bilans on MA-1 whose row asks Pré-demandes on MA-2: after the plan
/// they reach Pré-demandes on MA-1 and Bilans on MA-2, which no row asked for. With one row the
/// warning names no row (its location is that row); with two it names both.
#[test]
fn wider_than_asked_names_exactly_the_pairs_no_row_asked_for_and_the_rows_when_several() {
    let o = observed(vec![user(
        "u-000004",
        "marie@x.be",
        None,
        &[Dossier::Bilans],
        &["MA-1"],
    )]);
    let wider = |rows: &[Access]| {
        let p = plan(
            &desired(vec![person("marie@x.be", None, rows)]),
            &o,
            &PlanOptions::default(),
        );
        let found: Vec<_> = p
            .problems
            .iter()
            .filter_map(|x| match &x.kind {
                ProblemKind::WiderThanAsked { pairs, rows } => Some((pairs.clone(), rows.len())),
                _ => None,
            })
            .collect();
        found
    };
    let pairs = vec![
        (Dossier::PreDemandes, vec![sid("MA-1")]),
        (Dossier::Bilans, vec![sid("MA-2")]),
    ];
    let asks = access(&[Dossier::PreDemandes], &["MA-2"]);
    assert_eq!(wider(std::slice::from_ref(&asks)), [(pairs.clone(), 0)]);
    assert_eq!(wider(&[asks, access(&[], &[])]), [(pairs, 2)]);
    // Asked for on every structure: nothing wider.
    let all = access(&[Dossier::PreDemandes, Dossier::Bilans], &["MA-1", "MA-2"]);
    assert!(wider(&[all]).is_empty());
}

/// The revocation guard of a listed prune counts the grants the matched users hold, dossiers
/// and structures: 8 and 2 are 10, so one revocation is 10 % exactly and does not trip it.
#[test]
fn the_prune_guard_counts_every_grant_of_the_matched_users() {
    let o = observed(vec![
        user("u-000004", "marie@x.be", None, &Dossier::ALL, &["MA-1"]),
        user("u-000005", "paul@x.be", None, &[Dossier::Bilans], &["MA-2"]),
    ]);
    let all_but_mon_equipe: Vec<Dossier> = Dossier::ALL
        .into_iter()
        .filter(|d| *d != Dossier::MonEquipe)
        .collect();
    let d = desired(vec![
        person(
            "marie@x.be",
            None,
            &[access(&all_but_mon_equipe, &["MA-1"])],
        ),
        person("paul@x.be", None, &[access(&[Dossier::Bilans], &["MA-2"])]),
    ]);
    let prune = PlanOptions {
        mode: Mode::Prune,
        ..PlanOptions::default()
    };
    let p = plan(&d, &o, &prune);
    assert_eq!(
        ops(&p),
        [(1, Op::RevokeDossier, Some("mon-equipe"), None, vec![])]
    );
    assert!(!p.guard_tripped, "{:?}", p.problems);
    // Without Paul, Marie's 8 grants: one revocation is more than 10 %.
    let p = plan(&desired(d.people[..1].to_vec()), &o, &prune);
    assert!(p.problems.iter().any(|x| matches!(
        x.kind,
        ProblemKind::GuardRevocations {
            revocations: 1,
            managed: 8,
            ..
        }
    )));
}

/// A creation that cannot be made is located at the cell of the first field it lacks (or of
/// the consent), and says every field missing in the form's order.
#[test]
fn an_incomplete_creation_is_located_at_the_first_missing_fields_cell() {
    use crate::model::Field;
    let complete = || {
        let mut p = person(
            "new@x.be",
            Some(900_215_124),
            &[access(&[Dossier::Bilans], &["MA-2"])],
        );
        p.rows[0].columns = crate::model::Columns {
            last_name: Some(1),
            first_name: Some(2),
            email: Some(3),
            nrn: Some(4),
            consent: Some(5),
            structures: Some(6),
            ..Default::default()
        };
        p
    };
    let refused = |p: Person| {
        let plan = plan(
            &desired(vec![p]),
            &observed(vec![]),
            &PlanOptions::default(),
        );
        assert!(plan.actions.is_empty());
        let x = &plan.problems[0];
        let missing = match &x.kind {
            ProblemKind::CreateIncomplete { missing, .. } => missing.clone(),
            _ => Vec::new(),
        };
        (x.location.column, missing)
    };
    let mut p = complete();
    p.last_name = None;
    assert_eq!(refused(p), (Some(1), vec![Field::LastName]));
    let mut p = complete();
    p.first_name = None;
    p.nrn = None;
    assert_eq!(refused(p), (Some(2), vec![Field::FirstName, Field::Nrn]));
    let mut p = complete();
    p.email = None;
    assert_eq!(refused(p), (Some(3), vec![Field::Email]));
    let mut p = complete();
    p.nrn = None;
    assert_eq!(refused(p), (Some(4), vec![Field::Nrn]));
    let mut p = complete();
    p.consent = false;
    assert_eq!(refused(p), (Some(5), Vec::new()));
    // A sheet without the column: the row itself.
    let mut p = complete();
    p.rows[0].columns.nrn = None;
    p.nrn = None;
    assert_eq!(refused(p), (None, vec![Field::Nrn]));
}

/// The creation guard's held plan: the creation and the grants waiting on it, renumbered, and
/// the person to create shown from nothing to what the grants give; an authoritative plan's
/// held leaver stays a leaver, apart from the people.
#[test]
fn a_held_plan_shows_its_creations_and_its_leavers_as_the_plan_did() {
    let paul = person(
        "paul@x.be",
        Some(900_215_124),
        &[access(&[Dossier::Bilans], &["MA-1"])],
    );
    let o = observed(vec![]);
    let p = plan(
        &desired(vec![paul]),
        &o,
        &PlanOptions {
            max_creations: 0,
            ..PlanOptions::default()
        },
    );
    let (rest, held) = hold::split(p.actions.clone(), p.tripped);
    assert!(rest.is_empty() && held.len() == 3);
    let from = hold::HeldFrom {
        mode: p.mode,
        tripped: p.tripped,
        problems: &p.problems,
        scope: p.scope,
        leavers: &p.leavers,
    };
    let h = hold::held_plan(held, &from, &o);
    let s = h.summary;
    assert_eq!(
        (s.create_user, s.grant_dossier, s.grant_structure, s.held),
        (1, 1, 1, 3)
    );
    assert_eq!(
        (s.revoke_dossier, s.revoke_structure, s.warnings),
        (0, 0, 1)
    );
    assert_eq!(h.problems.len(), 1);
    assert_eq!(ops(&h), ops(&p));
    assert_eq!(h.people.len(), 1);
    let new = &h.people[0];
    assert_eq!(new.outcome, PersonOutcome::Create);
    assert_eq!(
        (new.email.as_str(), new.name.as_str()),
        ("paul@x.be", "Dupont Marie")
    );
    assert!(new.dossiers_before.is_empty() && new.structures_before.is_empty());
    assert!(new.dossiers_after.contains(Dossier::Bilans));
    assert!(new.structures_after.contains(&sid("MA-1")));
    assert!(h.tripped.creations && h.guard_tripped && h.on_trip == OnTrip::Hold);

    // A leaver's revocations held: on the held plan a leaver, not one of its people.
    let o = observed(vec![user(
        "u-000005",
        "gone@x.be",
        None,
        &[Dossier::MonEquipe],
        &["MA-2"],
    )]);
    let p = plan(
        &desired(Vec::new()),
        &o,
        &PlanOptions {
            mode: Mode::Prune,
            scope: Scope {
                mode: ScopeMode::Authoritative,
                ..Scope::default()
            },
            ..PlanOptions::default()
        },
    );
    let (_, held) = hold::split(p.actions.clone(), p.tripped);
    assert_eq!(held.len(), 2);
    let from = hold::HeldFrom {
        mode: p.mode,
        tripped: p.tripped,
        problems: &p.problems,
        scope: p.scope,
        leavers: &p.leavers,
    };
    let h = hold::held_plan(held, &from, &o);
    assert_eq!(h.scope, ScopeMode::Authoritative);
    assert!(h.people.is_empty(), "{:?}", h.people);
    assert_eq!(h.leavers.len(), 1);
    assert!(h.actions.iter().all(|a| h.is_leaver(a)));
    assert_eq!(
        (h.summary.revoke_dossier, h.summary.revoke_structure),
        (1, 1)
    );
}

/// A person with an invalid row keeps what the inputs do not give, said once with what is
/// withheld — a dossier alone, a structure alone — and not said when nothing would be revoked.
/// A valid person loses exactly it, and Pré-demandes is granted to whoever is no
/// administrateur.
#[test]
fn revocations_withheld_for_an_invalid_row_are_said_with_what_they_would_take() {
    let o = observed(vec![user(
        "u-000004",
        "marie@x.be",
        None,
        &[Dossier::Bilans, Dossier::MonEquipe],
        &["MA-1", "MA-3"],
    )]);
    let prune = PlanOptions {
        mode: Mode::Prune,
        allow_mass_change: true,
        ..PlanOptions::default()
    };
    let withheld = |dossiers: &[Dossier], structures: &[&str]| {
        let mut p = person("marie@x.be", None, &[access(dossiers, structures)]);
        p.has_invalid_row = true;
        let plan = plan(&desired(vec![p]), &o, &prune);
        assert!(plan.actions.is_empty(), "{:?}", plan.actions);
        plan.problems
            .iter()
            .filter_map(|x| match x.kind {
                ProblemKind::PruneWithheld {
                    dossiers,
                    structures,
                    ..
                } => Some((dossiers, structures)),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let all = [Dossier::Bilans, Dossier::MonEquipe];
    assert_eq!(withheld(&all, &["MA-1", "MA-3"]), []);
    assert_eq!(withheld(&[Dossier::Bilans], &["MA-1", "MA-3"]), [(1, 0)]);
    assert_eq!(withheld(&all, &["MA-1"]), [(0, 1)]);
    assert_eq!(withheld(&[], &[]), [(2, 2)]);
    // Valid: the revocations, and the person after them.
    let p = plan(
        &desired(vec![person(
            "marie@x.be",
            None,
            &[access(&[Dossier::Bilans, Dossier::PreDemandes], &["MA-1"])],
        )]),
        &o,
        &prune,
    );
    assert_eq!(
        ops(&p),
        [
            (1, Op::GrantDossier, Some("pre-demandes"), None, vec![]),
            (2, Op::RevokeDossier, Some("mon-equipe"), None, vec![]),
            (3, Op::RevokeStructure, None, Some("MA-3"), vec![]),
        ]
    );
    assert_eq!(p.summary.implicit, 0);
    let marie = &p.people[0];
    assert_eq!(
        marie.dossiers_after.iter().collect::<Vec<_>>(),
        [Dossier::PreDemandes, Dossier::Bilans]
    );
    assert_eq!(
        marie.structures_after.iter().collect::<Vec<_>>(),
        [&sid("MA-1")]
    );
}

/// The plan's people are in e-mail order, case-insensitively, whatever the input order.
#[test]
fn people_are_in_email_order_whatever_the_input_order() {
    let o = observed(vec![]);
    let people = || {
        ["c@x.be", "B@x.be", "a@x.be"]
            .map(|e| person(e, None, &[access(&[Dossier::MonEquipe], &["MA-1"])]))
    };
    for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
        let all = people();
        let d = desired(order.iter().map(|i| all[*i].clone()).collect());
        let p = plan(&d, &o, &PlanOptions::default());
        let emails: Vec<&str> = p.people.iter().map(|x| x.email.as_str()).collect();
        assert_eq!(emails, ["a@x.be", "B@x.be", "c@x.be"]);
    }
}

/// Names are compared by Unicode's lower case, not ASCII's alone, when either is not ASCII: a
/// Kelvin sign (U+212A) is a capital K.
#[test]
fn a_name_with_a_non_ascii_capital_is_the_same_name_in_lower_case() {
    let o = observed(vec![{
        let mut u = user("u-000004", "karl@x.be", None, &[Dossier::Bilans], &[]);
        u.first_name = "Karl".into();
        u
    }]);
    let mut p = person("karl@x.be", None, &[access(&[Dossier::Bilans], &[])]);
    p.first_name = Some("\u{212A}arl".into());
    let plan = plan(&desired(vec![p]), &o, &PlanOptions::default());
    assert!(
        !plan
            .problems
            .iter()
            .any(|x| matches!(x.kind, ProblemKind::NameDiffers { .. })),
        "{:?}",
        plan.problems
    );
}

/// Authoritative scope: a user matched to a row is planned by the row (no leaver, nothing said
/// of them as withheld), and a portal user holding nothing is no leaver.
#[test]
fn a_matched_user_and_one_holding_nothing_are_neither_leavers_nor_withheld() {
    let o = observed(vec![
        user(
            "u-000004",
            "marie@x.be",
            None,
            &[Dossier::Bilans],
            &["MA-1"],
        ),
        user("u-000005", "empty@x.be", None, &[], &[]),
        user("u-000006", "gone@x.be", None, &[Dossier::Bilans], &[]),
    ]);
    let d = desired(vec![person(
        "marie@x.be",
        None,
        &[access(&[Dossier::Bilans], &["MA-1"])],
    )]);
    let options = PlanOptions {
        mode: Mode::Prune,
        allow_mass_change: true,
        scope: Scope {
            mode: ScopeMode::Authoritative,
            ..Scope::default()
        },
        ..PlanOptions::default()
    };
    let p = plan(&d, &o, &options);
    let leavers: Vec<_> = p.leavers.iter().filter_map(|l| l.user_id.clone()).collect();
    assert_eq!(leavers, ["u-000006"]);
    assert!(
        !p.problems
            .iter()
            .any(|x| matches!(x.kind, ProblemKind::PruneWithheld { .. })),
        "{:?}",
        p.problems
    );
    assert_eq!(
        ops(&p),
        [(1, Op::RevokeDossier, Some("bilans"), None, vec![])]
    );
}
