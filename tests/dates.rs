//! Access that starts and ends on its day (inputs.md "Dates"), through the real binary against
//! the emulator over loopback, with the plan's day fixed by `--today`: only the rows in effect
//! that day ask for anything — a row from next Monday creates and grants nothing before Monday,
//! and does on Monday; a person whose rows have all ended is never created.

mod common;

use common::*;
use proone_sync::emulator::{Faults, RunningEmulator};
use serde_json::Value;

const ADMIN: &str = "tok-admin-7f3c9a";

/// A valid NRN of someone born 15/02/1990, number `n`.
fn nrn(n: u64) -> String {
    let base = 900_215_000 + n * 2 + 1;
    format!("{base:09}{:02}", 97 - base % 97)
}

fn cli(dir: &Workdir, e: &RunningEmulator, today: &str, args: &[&str]) -> Run {
    run(bin()
        .current_dir(dir.path())
        .arg("--config")
        .arg(dir.join("proone-sync.toml"))
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .args(["--today", today])
        .args(args))
}

fn plan(dir: &Workdir, e: &RunningEmulator, today: &str, staff: &std::path::Path) -> Value {
    let r = cli(
        dir,
        e,
        today,
        &["plan", "--format", "json", staff.to_str().unwrap()],
    );
    serde_json::from_str(&r.stdout).unwrap_or_else(|err| panic!("{err}\n{}", r.stderr))
}

/// (op, email, dossier or structure) of each action.
fn ops(v: &Value) -> Vec<(String, String, String)> {
    v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let s = |k: &str| a[k].as_str().unwrap_or("").to_owned();
            let item = if a["dossier"].is_string() {
                s("dossier")
            } else {
                s("structure")
            };
            (s("op"), s("email"), item)
        })
        .collect()
}

/// Monday 7 December 2026 is the first day of a new colleague's row: on Friday 4 nothing is
/// planned for them, nothing is written by apply; on Monday they are created and granted.
#[test]
fn a_row_from_next_monday_creates_and_grants_nothing_before_monday_and_everything_on_it() {
    let dir = Workdir::new();
    dir.config("");
    let e = emulator_with(Faults::default());
    let staff = dir.write(
        "personnel.csv",
        format!(
            "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures;Du;Au\n\
             Lambert;Julie;julie.lambert@lespetitspas.be;{};oui;Bilans;MA-00101;07/12/2026;\n",
            nrn(1)
        ),
    );
    let friday = plan(&dir, &e, "2026-12-04", &staff);
    assert_eq!(ops(&friday), vec![], "{friday:#}");
    assert_eq!(friday["summary"]["create_user"], 0);
    // The plan lists the row as upcoming (within [dates] lookahead_days, 14).
    assert_eq!(
        friday["upcoming"],
        serde_json::json!([{"person": "Lambert Julie", "email": "julie.lambert@lespetitspas.be",
            "dossiers": ["bilans"], "structures": ["MA-00101"], "day": "2026-12-07",
            "source": staff.display().to_string() + ":2"}]),
        "{friday:#}"
    );
    assert_eq!(friday["ending"], serde_json::json!([]));
    for (lang, said) in [("en", "Upcoming (1)"), ("fr", "À venir (1)")] {
        let r = cli(
            &dir,
            &e,
            "2026-12-04",
            &["--lang", lang, "plan", staff.to_str().unwrap()],
        );
        assert!(
            r.stdout.contains(said) && r.stdout.contains("07/12/2026"),
            "{lang}: {}",
            r.stdout
        );
    }
    // A month before, it is not yet in the window.
    let early = plan(&dir, &e, "2026-11-04", &staff);
    assert_eq!(early["upcoming"], serde_json::json!([]));
    let r = cli(
        &dir,
        &e,
        "2026-12-04",
        &["apply", "--yes", staff.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let writes = stats(&e)["callers"]["u-000001"]["writes"]
        .as_u64()
        .unwrap_or(0);
    assert_eq!(writes, 0, "nothing written before Monday");
    let monday = plan(&dir, &e, "2026-12-07", &staff);
    let julie = "julie.lambert@lespetitspas.be".to_owned();
    assert_eq!(
        ops(&monday),
        vec![
            ("create_user".into(), julie.clone(), String::new()),
            ("grant_dossier".into(), julie.clone(), "bilans".into()),
            ("grant_structure".into(), julie.clone(), "MA-00101".into()),
        ],
        "{monday:#}"
    );
    let r = cli(
        &dir,
        &e,
        "2026-12-07",
        &["apply", "--yes", staff.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(stats(&e)["callers"]["u-000001"]["creates"], 1);
}

/// A row whose period has passed asks for nothing: its person is not created; a person with a
/// row in effect and an ended one is granted only what the row in effect gives.
#[test]
fn an_ended_row_asks_for_nothing_and_creates_nobody() {
    let dir = Workdir::new();
    dir.config("");
    let e = emulator_with(Faults::default());
    let staff = dir.write(
        "personnel.csv",
        format!(
            "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures;Du;Au\n\
             Stagiaire;Léa;lea.stagiaire@lespetitspas.be;{};oui;Bilans;MA-00101;01/09/2026;30/11/2026\n\
             Remplaçante;Zoé;zoe.remplacante@lespetitspas.be;{};oui;Bilans;MA-00101;01/09/2026;30/11/2026\n\
             Remplaçante;Zoé;zoe.remplacante@lespetitspas.be;{};oui;Pré-demandes;MA-00101;01/12/2026;\n",
            nrn(2),
            nrn(3),
            nrn(3)
        ),
    );
    let v = plan(&dir, &e, "2026-12-04", &staff);
    let zoe = "zoe.remplacante@lespetitspas.be".to_owned();
    assert_eq!(
        ops(&v),
        vec![
            ("create_user".into(), zoe.clone(), String::new()),
            ("grant_dossier".into(), zoe.clone(), "pre-demandes".into()),
            ("grant_structure".into(), zoe.clone(), "MA-00101".into()),
        ],
        "{v:#}"
    );
    // The same sheet on 30/11: her first row is in effect (Bilans), her second still upcoming.
    let v = plan(&dir, &e, "2026-11-30", &staff);
    let grants: Vec<String> = ops(&v)
        .into_iter()
        .filter(|(op, email, _)| op == "grant_dossier" && *email == zoe)
        .map(|(_, _, d)| d)
        .collect();
    assert_eq!(grants, vec!["bilans".to_owned()], "{v:#}");
}

/// Marie Dupont (u-000004) holds Bilans; her account stays whatever happens.
fn marie_holds(e: &RunningEmulator) -> (Vec<String>, Vec<String>) {
    let o = block_on(proone_sync::portal::fetch_observed(
        &portal_client(e, ADMIN),
        proone_sync::model::CalendarDate {
            year: 2026,
            month: 12,
            day: 4,
        },
    ))
    .unwrap();
    let u = o.users.iter().find(|u| u.id == "u-000004").unwrap();
    (
        u.dossier_codes().into_iter().collect(),
        u.structures.iter().map(|s| s.as_str().to_owned()).collect(),
    )
}

/// A row until last Friday, in additive mode: what it gave is revoked (`ended`), what another
/// row in effect still asks for is kept, and the account stays. A replacement extended by a
/// second row (until 31/03, then from 01/04) loses nothing on 1 April.
#[test]
fn an_ended_row_revokes_what_it_gave_in_additive_mode_and_an_extension_keeps_it() {
    let dir = Workdir::new();
    dir.config("");
    let e = emulator_with(Faults::default());
    let kept_structure = "MA-00101".to_owned();
    // Row 2 ended on Friday 27 November with Bilans and a structure; row 3 is in effect and
    // asks for Pré-demandes (Marie holds it) and another structure.
    let staff = dir.write(
        "personnel.csv",
        format!(
            "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures;Du;Au\n\
             Dupont;Marie;marie.dupont@lespetitspas.be;;;Bilans;MA-00110;01/09/2026;27/11/2026\n\
             Dupont;Marie;marie.dupont@lespetitspas.be;;;Pré-demandes;{kept_structure};01/09/2026;\n"
        ),
    );
    // While both rows are in effect, what they give is granted.
    let r = cli(
        &dir,
        &e,
        "2026-11-20",
        &["apply", "--yes", staff.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let (dossiers, structures) = marie_holds(&e);
    assert!(dossiers.contains(&"bilans".to_owned()), "{dossiers:?}");
    assert!(
        structures.contains(&"MA-00110".to_owned()),
        "{structures:?}"
    );
    // Friday 4 December: the first row has ended.
    let v = plan(&dir, &e, "2026-12-04", &staff);
    let ended: Vec<(String, String, String)> = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["op"].as_str().unwrap().to_owned(),
                a["dossier"]
                    .as_str()
                    .or(a["structure"].as_str())
                    .unwrap_or("")
                    .to_owned(),
                a["ended"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        ended,
        vec![
            (
                "revoke_dossier".into(),
                "bilans".into(),
                "2026-11-27".into()
            ),
            (
                "revoke_structure".into(),
                "MA-00110".into(),
                "2026-11-27".into()
            ),
        ],
        "{v:#}"
    );
    assert_eq!(v["mode"], "additive");
    // The guards count the ends like every revocation: two of Marie's four grants is more
    // than 10 % of the managed grants, held for approval.
    let r = cli(
        &dir,
        &e,
        "2026-12-04",
        &["apply", "--yes", staff.to_str().unwrap()],
    );
    assert_eq!(r.code, 5, "{}\n{}", r.stdout, r.stderr);
    let r = cli(
        &dir,
        &e,
        "2026-12-04",
        &[
            "apply",
            "--yes",
            "--allow-mass-change",
            staff.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let (dossiers, structures) = marie_holds(&e);
    assert!(!dossiers.contains(&"bilans".to_owned()), "{dossiers:?}");
    assert!(
        dossiers.contains(&"pre-demandes".to_owned()),
        "the row in effect keeps its dossier"
    );
    assert!(!structures.contains(&"MA-00110".to_owned()));
    assert!(
        structures.contains(&kept_structure),
        "the row in effect keeps its structure"
    );
    // Past `end_window_days` (30 by default) the end no longer acts.
    let late = plan(&dir, &e, "2027-01-15", &staff);
    assert!(late["actions"].as_array().unwrap().is_empty(), "{late:#}");

    // A replacement extended: until 31/03, then from 01/04 until 30/06, with the same access.
    let staff = dir.write(
        "remplacement.csv",
        format!(
            "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures;Du;Au\n\
             Dupont;Marie;marie.dupont@lespetitspas.be;;;;{kept_structure};01/01/2027;31/03/2027\n\
             Dupont;Marie;marie.dupont@lespetitspas.be;;;;{kept_structure};01/04/2027;30/06/2027\n"
        ),
    );
    // A week before the first period ends, it is ending soon (a director may extend it).
    let soon = plan(&dir, &e, "2027-03-25", &staff);
    assert_eq!(soon["ending"][0]["day"], "2027-03-31", "{soon:#}");
    assert_eq!(soon["ending"][0]["email"], "marie.dupont@lespetitspas.be");
    let april = plan(&dir, &e, "2027-04-01", &staff);
    assert!(april["actions"].as_array().unwrap().is_empty(), "{april:#}");
    // And on 1 July both have ended: the structure goes.
    let july = plan(&dir, &e, "2027-07-01", &staff);
    let ops: Vec<&str> = july["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["op"].as_str().unwrap())
        .collect();
    assert_eq!(ops, ["revoke_structure"], "{july:#}");
    assert_eq!(july["actions"][0]["ended"], "2027-06-30");
    // Marked as such in the reports, in both languages.
    for (lang, said) in [
        ("en", "(ended 30/06/2027)"),
        ("fr", "(ligne terminée le 30/06/2027)"),
    ] {
        let r = cli(
            &dir,
            &e,
            "2027-07-01",
            &["--lang", lang, "plan", staff.to_str().unwrap()],
        );
        assert!(r.stdout.contains(said), "{lang}: {}", r.stdout);
    }
}

/// The `ending` event (cli.md): raised once per person, end day and items, so a director can
/// extend a replacement before it lapses — not again the next night, nor when a line is
/// inserted above the row; again when its `until` changes. The notice names the row.
#[test]
fn the_ending_event_is_raised_once_per_row_and_end_day() {
    let dir = Workdir::new();
    std::fs::create_dir_all(dir.join("told")).unwrap();
    dir.config(
        "[notify]\non = [\"ending\"]\n\
         command = 'n=$(ls told | wc -l); cat > told/$n.md; echo \"$PROONE_EVENTS\" >> told/log'\n",
    );
    let e = emulator_with(Faults::default());
    let row = |until: &str| {
        format!("Dupont;Marie;marie.dupont@lespetitspas.be;;;;MA-00101;01/01/2027;{until}\n")
    };
    let header = "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures;Du;Au\n";
    let staff = dir.write("personnel.csv", format!("{header}{}", row("31/03/2027")));
    let night = |day: &str| {
        let r = cli(&dir, &e, day, &["apply", "--yes", staff.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{day}: {}\n{}", r.stdout, r.stderr);
        std::fs::read_to_string(dir.join("told/log"))
            .unwrap_or_default()
            .lines()
            .count()
    };
    // Far from the end: nothing.
    assert_eq!(night("2027-02-01"), 0);
    // Within the 14 days: told, with the row in the notice.
    assert_eq!(night("2027-03-20"), 1);
    let notice = std::fs::read_to_string(dir.join("told/0.md")).unwrap();
    assert!(
        notice.contains("marie.dupont@lespetitspas.be") && notice.contains("31/03/2027"),
        "{notice}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("told/log"))
            .unwrap()
            .trim(),
        "ending"
    );
    // The next night: not again.
    assert_eq!(night("2027-03-21"), 1);
    // A line inserted above the row: the same end, not again.
    std::fs::write(
        &staff,
        format!(
            "{header}Claes;Paul;paul.claes51@lespetitspas.be;;;;;;\n{}",
            row("31/03/2027")
        ),
    )
    .unwrap();
    assert_eq!(night("2027-03-22"), 1);
    // Extended by a few days: a new end, told.
    std::fs::write(&staff, format!("{header}{}", row("03/04/2027"))).unwrap();
    assert_eq!(night("2027-03-23"), 2);
    assert!(!dir.state_files("ending-").is_empty());
}

fn codes(v: &Value) -> Vec<(String, String)> {
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_owned(),
                p["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Authoritative scope: a returning employee with only an upcoming row loses nothing (the row
/// names her: no leaver); a row that ended 40 days ago ends nothing and is only noted.
#[test]
fn an_upcoming_row_protects_from_the_leavers_rule_and_an_old_end_is_only_noted() {
    let dir = Workdir::new();
    dir.config("[scope]\nmode = \"authoritative\"\n");
    let e = emulator_with(Faults::default());
    let staff = dir.write(
        "personnel.csv",
        "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures;Du;Au\n\
         Dupont;Marie;marie.dupont@lespetitspas.be;;;Bilans;MA-00101;04/01/2027;\n",
    );
    let r = cli(
        &dir,
        &e,
        "2026-12-04",
        &[
            "plan",
            "--prune",
            "--format",
            "json",
            staff.to_str().unwrap(),
        ],
    );
    let v: Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|err| panic!("{err}\n{}", r.stderr));
    assert_eq!(v["scope"], "authoritative");
    let marie = |a: &Value| a["email"] == "marie.dupont@lespetitspas.be";
    assert!(!v["actions"].as_array().unwrap().iter().any(marie), "{v:#}");
    assert!(!v["leavers"].as_array().unwrap().iter().any(marie), "{v:#}");
    assert!(
        !v["leavers"].as_array().unwrap().is_empty(),
        "others are leavers"
    );
    // Her row ended on 25 October: 40 days before 4 December, past the 30-day window.
    let staff = dir.write(
        "ancien.csv",
        "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures;Du;Au\n\
         Dupont;Marie;marie.dupont@lespetitspas.be;;;Pré-demandes;;01/09/2026;25/10/2026\n",
    );
    let v = plan(&dir, &e, "2026-12-04", &staff);
    assert!(v["actions"].as_array().unwrap().is_empty(), "{v:#}");
    assert!(
        codes(&v).contains(&("access-ended".into(), "note".into())),
        "{:?}",
        codes(&v)
    );
    // Within the window, the same row ends what it gave.
    let v = plan(&dir, &e, "2026-11-20", &staff);
    assert_eq!(v["actions"][0]["op"], "revoke_dossier", "{v:#}");
    assert_eq!(v["actions"][0]["ended"], "2026-10-25");
}

/// A married colleague: an ended row with her old e-mail and a current row with the same NRN
/// and a new e-mail is a warning (`email-differs`), not an identity conflict; the current row
/// is applied.
#[test]
fn an_ended_row_with_an_old_email_is_a_warning_and_the_current_row_is_applied() {
    let dir = Workdir::new();
    dir.config("");
    let e = emulator_with(Faults::default());
    let n = nrn(5);
    let staff = dir.write(
        "personnel.csv",
        format!(
            "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures;Du;Au\n\
             Peeters;Léa;lea.peeters@lespetitspas.be;{n};oui;Bilans;MA-00101;01/01/2026;31/08/2026\n\
             Janssens;Léa;lea.janssens@lespetitspas.be;{n};oui;Bilans;MA-00101;01/09/2026;\n"
        ),
    );
    let v = plan(&dir, &e, "2026-12-04", &staff);
    let found = codes(&v);
    assert!(
        found.contains(&("email-differs".into(), "warning".into())),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(c, _)| c == "identity-conflict"),
        "{found:?}"
    );
    let lea = "lea.janssens@lespetitspas.be".to_owned();
    assert_eq!(
        ops(&v),
        vec![
            ("create_user".into(), lea.clone(), String::new()),
            ("grant_dossier".into(), lea.clone(), "bilans".into()),
            ("grant_structure".into(), lea.clone(), "MA-00101".into()),
        ],
        "{v:#}"
    );
    // Both rows in effect the same day would be a conflict.
    let both = dir.write(
        "deux.csv",
        format!(
            "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures\n\
             Peeters;Léa;lea.peeters@lespetitspas.be;{n};oui;Bilans;MA-00101\n\
             Janssens;Léa;lea.janssens@lespetitspas.be;{n};oui;Bilans;MA-00101\n"
        ),
    );
    let v = plan(&dir, &e, "2026-12-04", &both);
    assert!(codes(&v).iter().any(|(c, _)| c == "identity-conflict"));
}

/// Thirty students whose rows all end on 30 June: on 1 July their ends are more revocations
/// than the guard allows; under `hold` they are held for approval while the rest of the night
/// goes on (a new colleague is created).
#[test]
fn thirty_ends_on_the_same_day_trip_the_guard_and_are_held_while_the_night_goes_on() {
    let dir = Workdir::new();
    dir.config("");
    let e = emulator_with(Faults::default());
    let mut csv = String::from("Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures;Du;Au\n");
    for i in 0..30 {
        csv.push_str(&format!(
            "Étudiant{i};Stage;etudiant{i}@lespetitspas.be;{};oui;Bilans;MA-00101;01/02/2027;30/06/2027\n",
            nrn(100 + i)
        ));
    }
    csv.push_str(&format!(
        "Nouvelle;Collègue;nouvelle.collegue@lespetitspas.be;{};oui;Bilans;MA-00101;01/07/2027;\n",
        nrn(200)
    ));
    let staff = dir.write("personnel.csv", csv);
    let apply = |day: &str| {
        cli(
            &dir,
            &e,
            day,
            &[
                "apply",
                "--yes",
                "--rate-limit",
                "0",
                staff.to_str().unwrap(),
            ],
        )
    };
    let r = apply("2027-03-01");
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(stats(&e)["callers"]["u-000001"]["creates"], 30);
    let r = apply("2027-07-01");
    assert_eq!(r.code, 5, "held: {}\n{}", r.stdout, r.stderr);
    // The new colleague was created meanwhile; the sixty ends wait in a held plan.
    assert_eq!(stats(&e)["callers"]["u-000001"]["creates"], 31);
    let held = cli(&dir, &e, "2027-07-01", &["held", "--format", "json"]);
    let held: Value = serde_json::from_str(&held.stdout).unwrap();
    assert_eq!(held["held"][0]["state"], "pending");
    assert_eq!(held["held"][0]["counts"]["revoke_dossier"], 30);
    assert_eq!(held["held"][0]["counts"]["revoke_structure"], 30);
}

/// cli.md: a saved plan says its day; `apply --plan` on another day says so before it writes.
#[test]
fn a_saved_plan_keeps_its_day_and_apply_on_another_day_says_so() {
    let dir = Workdir::new();
    dir.config("");
    let e = emulator_with(Faults::default());
    let staff = dir.write(
        "personnel.csv",
        "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures\n\
         Dupont;Marie;marie.dupont@lespetitspas.be;;;Bilans;\n",
    );
    let saved = dir.join("plan.json");
    let r = cli(
        &dir,
        &e,
        "2026-12-04",
        &[
            "plan",
            "--out",
            saved.to_str().unwrap(),
            staff.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text: Value = serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    assert_eq!(text["today"], "2026-12-04");
    let r = cli(
        &dir,
        &e,
        "2026-12-07",
        &["apply", "--yes", "--plan", saved.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("this plan was made for 2026-12-04, and today is 2026-12-07"),
        "{}",
        r.stderr
    );
    // The journal's start line says the day it ran.
    let journal = std::fs::read_to_string(&dir.state_files("journal-")[0]).unwrap();
    assert!(
        journal
            .lines()
            .next()
            .unwrap()
            .contains("\"today\":\"2026-12-07\""),
        "{journal}"
    );
}

/// inputs.md: an upcoming row's missing consent is a warning until its first day, and an
/// error from that day (the creation is asked then, and cannot be made).
#[test]
fn an_upcoming_row_without_consent_is_a_warning_until_its_first_day() {
    let dir = Workdir::new();
    dir.config("");
    let e = emulator_with(Faults::default());
    let staff = dir.write(
        "personnel.csv",
        format!(
            "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures;Du;Au\n\
             Lambert;Julie;julie.lambert@lespetitspas.be;{};;Bilans;MA-00101;07/12/2026;\n",
            nrn(9)
        ),
    );
    let friday = plan(&dir, &e, "2026-12-04", &staff);
    assert!(
        codes(&friday).contains(&("consent-missing".into(), "warning".into())),
        "{:?}",
        codes(&friday)
    );
    let monday = plan(&dir, &e, "2026-12-07", &staff);
    assert!(
        codes(&monday).contains(&("consent-missing".into(), "error".into())),
        "{:?}",
        codes(&monday)
    );
    assert!(monday["actions"].as_array().unwrap().is_empty());
}

/// Review findings: under `--prune` (authoritative) a row that ended long ago ends nothing and
/// is only noted; an end cites its ended row; an identity error on a dated row is said; a
/// notice whose command failed is told again the next night.
#[test]
fn old_ends_under_prune_sources_of_ends_identity_errors_and_failed_notices() {
    let dir = Workdir::new();
    dir.config("[scope]\nmode = \"authoritative\"\n");
    let e = emulator_with(Faults::default());
    let old = dir.write(
        "ancien.csv",
        "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures;Du;Au\n\
         Dupont;Marie;marie.dupont@lespetitspas.be;;;Pré-demandes;;01/09/2026;25/10/2026\n",
    );
    let r = cli(
        &dir,
        &e,
        "2026-12-04",
        &["plan", "--prune", "--format", "json", old.to_str().unwrap()],
    );
    let v: Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|err| panic!("{err}\n{}", r.stderr));
    let marie = |a: &&Value| a["email"] == "marie.dupont@lespetitspas.be";
    assert_eq!(
        v["actions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(marie)
            .count(),
        0,
        "{v:#}"
    );
    assert!(codes(&v).contains(&("access-ended".into(), "note".into())));
    // Within the window the end acts, and its actions cite the ended row.
    let v = plan(&dir, &e, "2026-11-20", &old);
    assert_eq!(v["actions"][0]["ended"], "2026-10-25");
    assert_eq!(
        v["actions"][0]["sources"],
        serde_json::json!([format!("{}:2", old.display())])
    );
    // An upcoming row whose NRN is another user's than its e-mail's: the mismatch is said.
    let export = dir.join("export.csv");
    let r = cli(
        &dir,
        &e,
        "2026-12-04",
        &["export", "--with-nrn", "--out", export.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&export).unwrap();
    let rows: Vec<Vec<String>> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|l| l.split(';').map(str::to_owned).collect())
        .filter(|f: &Vec<String>| f.len() > 3 && f[3].len() == 11)
        .collect();
    let (a, b) = (&rows[0], &rows[1]);
    let mixed = dir.write(
        "mixed.csv",
        format!(
            "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures;Du;Au\n\
             {};{};{};{};oui;Bilans;;04/01/2027;\n",
            a[0], a[1], a[2], b[3]
        ),
    );
    let v = plan(&dir, &e, "2026-12-04", &mixed);
    assert!(
        codes(&v)
            .iter()
            .any(|(c, s)| c == "identity-mismatch" && s == "error"),
        "{:?}",
        codes(&v)
    );
}

/// A notice whose command failed leaves its ends untold: told again the next night.
#[test]
fn an_ending_notice_that_did_not_go_out_is_told_again() {
    let dir = Workdir::new();
    std::fs::create_dir_all(dir.join("told")).unwrap();
    dir.config(
        "[notify]\non = [\"ending\"]\n\
         command = 'echo \"$PROONE_EVENTS\" >> told/log; exit 7'\n",
    );
    let e = emulator_with(Faults::default());
    let staff = dir.write(
        "personnel.csv",
        "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures;Du;Au\n\
         Dupont;Marie;marie.dupont@lespetitspas.be;;;;MA-00101;01/01/2027;31/03/2027\n",
    );
    for day in ["2027-03-20", "2027-03-21"] {
        let r = cli(&dir, &e, day, &["apply", "--yes", staff.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let told = std::fs::read_to_string(dir.join("told/log")).unwrap();
    assert_eq!(told.lines().count(), 2, "{told}");
    assert!(dir.state_files("ending-").is_empty());
}
