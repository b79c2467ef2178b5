//! Leavers under the authoritative scope (issue 18, cli.md "Modes") through the binary: the
//! staff list is the portal's own export minus some people; only the ordinary ones of them lose
//! their access (marked as leavers), never the caller, an administrateur or a kept user; a row
//! with a mistyped NRN but the person's name protects them; an emptied file withholds every
//! leaver revocation (`scope-incomplete`) while the rest goes on; half the staff missing trips
//! the guard and the leavers' revocations are held while new staff are created.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use proone_sync::emulator::{Faults, RunningEmulator};
use serde_json::Value;

const ADMIN: &str = "tok-admin-7f3c9a";

/// u-000005, u-000007, u-000008: ordinary users with access; u-000006: an administrateur;
/// u-000009: kept by the config; u-000001: the caller.
const LEAVERS: [&str; 3] = [
    "ines.maes4@lespetitspas.be",
    "theo.laurent6@lespetitspas.be",
    "lotte.vandenberg7@lespetitspas.be",
];
const ADMINISTRATEUR: &str = "chloe.desmet5@lespetitspas.be";
const KEPT: &str = "eva.willems8@lespetitspas.be";
const CALLER: &str = "sylvie.admin@lespetitspas.be";

fn cli(dir: &Path, e: &RunningEmulator, args: &[&str]) -> Run {
    run(bin()
        .current_dir(dir)
        .args(["--config", "proone-sync.toml"])
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .args(args))
}

/// The portal's export as CSV lines (header first), without the rows of `without`.
fn staff_list(dir: &Path, e: &RunningEmulator, without: &[&str]) -> Vec<String> {
    export_lines(dir, e, without, &[])
}

fn export_lines(dir: &Path, e: &RunningEmulator, without: &[&str], extra: &[&str]) -> Vec<String> {
    let out = dir.join("export.csv");
    let mut args = vec!["export", "--out", out.to_str().unwrap()];
    args.extend(extra);
    let r = cli(dir, e, &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::read_to_string(&out)
        .unwrap()
        .trim_start_matches('\u{feff}')
        .lines()
        .filter(|l| !without.iter().any(|w| l.contains(w)))
        .map(str::to_owned)
        .collect()
}

fn config(dir: &Path, extra: &str) {
    config_in(dir, &format!("{extra}\n[scope]\nkeep = [\"{KEPT}\"]\n"));
}

fn plan(dir: &Path, e: &RunningEmulator, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["plan", "--prune", "--format", "json"];
    all.extend(args);
    let r = cli(dir, e, &all);
    let v = serde_json::from_str(&r.stdout).unwrap_or_else(|err| panic!("{err}\n{}", r.stderr));
    (r.code, v)
}

/// (email, op, item) of the plan's actions.
fn actions(v: &Value) -> Vec<(String, String, String, bool)> {
    v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let item = a["dossier"]
                .as_str()
                .or(a["structure"].as_str())
                .unwrap_or("");
            (
                a["email"].as_str().unwrap().to_owned(),
                a["op"].as_str().unwrap().to_owned(),
                item.to_owned(),
                a["leaver"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// What `email` holds on the portal now: explicit dossier codes and structure ids.
fn holds(e: &RunningEmulator, email: &str) -> Vec<String> {
    let o = block_on(proone_sync::portal::fetch_observed(
        &portal_client(e, ADMIN),
        proone_sync::model::CalendarDate {
            year: 2026,
            month: 11,
            day: 28,
        },
    ))
    .unwrap();
    let u = o.users.iter().find(|u| u.email == email).unwrap();
    let mut v: Vec<String> = u.dossier_codes().into_iter().collect();
    v.extend(u.structures.iter().map(|s| s.as_str().to_owned()));
    v
}

fn staff_file(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    write(dir, name, lines.join("\n") + "\n")
}

#[test]
fn authoritative_scope_revokes_exactly_the_ordinary_leavers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let e = emulator_with(Faults::default());
    config(d, "");
    let mut gone: Vec<&str> = LEAVERS.to_vec();
    gone.extend([ADMINISTRATEUR, KEPT, CALLER]);
    let list = staff_file(d, "staff.csv", &staff_list(d, &e, &gone));
    let (code, v) = plan(d, &e, &["--scope", "authoritative", list.to_str().unwrap()]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["scope"], "authoritative");
    let planned = actions(&v);
    assert!(!planned.is_empty());
    for (email, op, item, leaver) in &planned {
        assert!(LEAVERS.contains(&email.as_str()), "{email} {op} {item}");
        assert!(op.starts_with("revoke_") && *leaver, "{email} {op} {item}");
    }
    // Exactly what each leaver holds, every explicit dossier and structure.
    for leaver in LEAVERS {
        let mut expected = holds(&e, leaver);
        let mut got: Vec<String> = planned
            .iter()
            .filter(|a| a.0 == leaver)
            .map(|a| a.2.clone())
            .collect();
        expected.sort();
        got.sort();
        assert_eq!(got, expected, "{leaver}");
    }
    let listed: Vec<&str> = v["leavers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["email"].as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 3, "{listed:?}");
    // Listed scope (the default): nobody outside the inputs is touched.
    let (code, v) = plan(d, &e, &[list.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(v["scope"], "listed");
    assert_eq!(v["actions"], serde_json::json!([]), "{}", v["actions"]);
    // The scope is under the fingerprint.
    let (_, a) = plan(d, &e, &["--scope", "authoritative", list.to_str().unwrap()]);
    assert_ne!(a["fingerprint"], v["fingerprint"]);

    // A row with a mistyped NRN but the person's name: not a leaver, and said.
    // (Beside a valid row: a file that gives no person at all would withhold every leaver.)
    let typo = write(
        d,
        "nrn.csv",
        "Nom;Prénom;Email;NRN\nGestionnaire;Marc;marc.gestion@lespetitspas.be;\nMaes;Inès;;64050510459\n",
    );
    let (code, v) = plan(
        d,
        &e,
        &[
            "--scope",
            "authoritative",
            list.to_str().unwrap(),
            typo.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 3, "an invalid row: {v}");
    assert!(
        actions(&v).iter().all(|a| a.0 != LEAVERS[0]),
        "{}",
        v["actions"]
    );
    assert!(actions(&v).iter().any(|a| a.0 == LEAVERS[1]));
    assert!(
        v["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "prune-withheld"
                && p["message"].as_str().unwrap().contains(LEAVERS[0])),
        "{}",
        v["problems"]
    );

    // Applied: the leavers lose their access, the others keep theirs; a second run has nothing.
    let list = staff_file(d, "staff.csv", &staff_list(d, &e, &gone));
    let before_admin = holds(&e, ADMINISTRATEUR);
    let before_kept = holds(&e, KEPT);
    let r = cli(
        d,
        &e,
        &[
            "apply",
            "--yes",
            "--prune",
            "--scope",
            "authoritative",
            list.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    for leaver in LEAVERS {
        assert!(holds(&e, leaver).is_empty(), "{leaver}");
    }
    assert_eq!(holds(&e, ADMINISTRATEUR), before_admin);
    assert_eq!(holds(&e, KEPT), before_kept);
    let (_, again) = plan(d, &e, &["--scope", "authoritative", list.to_str().unwrap()]);
    assert_eq!(again["actions"], serde_json::json!([]));
}

#[test]
fn an_emptied_file_withholds_every_leaver_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let e = emulator_with(Faults::default());
    // The nightly unit's way: prune and scope from the config.
    config(d, "prune = true");
    std::fs::write(
        d.join("proone-sync.toml"),
        std::fs::read_to_string(d.join("proone-sync.toml"))
            .unwrap()
            .replace("[scope]\n", "[scope]\nmode = \"authoritative\"\n"),
    )
    .unwrap();
    let folder = d.join("rh");
    std::fs::create_dir(&folder).unwrap();
    let mut lines = staff_list(d, &e, &LEAVERS);
    lines.push("Aerts;Nouvelle;aerts.nouvelle@lespetitspas.be;;Bilans;MA-00101".into());
    // A new person needs an NRN and consent: in a file of the new staff.
    staff_file(&folder, "personnel.csv", &lines);
    write(
        &folder,
        "nouveaux.csv",
        "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures\nBaert;Nouveau;baert.nouveau@lespetitspas.be;90021500195;oui;Bilans;MA-00101\n",
    );
    // The IT list, emptied by a failed export: its header is all that is left.
    write(&folder, "it.csv", "Nom;Prénom;Email;Dossiers;Structures\n");
    let (code, v) = plan(d, &e, &[folder.to_str().unwrap()]);
    assert_eq!(code, 3, "scope-incomplete makes it at least 3: {v}");
    assert!(
        actions(&v).iter().all(|a| !a.3),
        "no leaver: {}",
        v["actions"]
    );
    let incomplete: Vec<&Value> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] == "scope-incomplete")
        .collect();
    assert_eq!(incomplete.len(), 1, "{}", v["problems"]);
    assert!(
        incomplete[0]["location"]
            .as_str()
            .unwrap()
            .ends_with("it.csv")
    );
    assert_eq!(incomplete[0]["severity"], "error");
    let r = cli(d, &e, &["apply", "--yes", folder.to_str().unwrap()]);
    assert_eq!(r.code, 3, "{}\n{}", r.stdout, r.stderr);
    assert!(
        !holds(&e, "baert.nouveau@lespetitspas.be").is_empty(),
        "the new person was created"
    );
    for leaver in LEAVERS {
        assert!(!holds(&e, leaver).is_empty(), "{leaver} lost access");
    }
    // An unreadable input stops the run as it always did.
    write(&folder, "it.csv", "");
    write(&folder, "abime.xlsx", "not a workbook");
    let r = cli(d, &e, &["plan", folder.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn half_the_staff_missing_holds_the_leavers_while_new_staff_are_created() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let e = emulator_with(Faults::default());
    config(d, "");
    // Every second person of the export is missing.
    let all = staff_list(d, &e, &[]);
    let half: Vec<String> = all
        .iter()
        .enumerate()
        .filter(|(i, _)| *i == 0 || i % 2 == 1)
        .map(|(_, l)| l.clone())
        .collect();
    let list = staff_file(d, "staff.csv", &half);
    write(
        d,
        "nouveaux.csv",
        "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures\nBaert;Nouveau;baert.nouveau@lespetitspas.be;90021500195;oui;Bilans;MA-00101\n",
    );
    let news = d.join("nouveaux.csv");
    let (_, v) = plan(
        d,
        &e,
        &[
            "--scope",
            "authoritative",
            list.to_str().unwrap(),
            news.to_str().unwrap(),
        ],
    );
    let leaver_actions: Vec<&Value> = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["leaver"] == true)
        .collect();
    assert!(leaver_actions.len() > 25, "{}", leaver_actions.len());
    assert!(leaver_actions.iter().all(|a| a["held"] == true));
    let r = cli(
        d,
        &e,
        &[
            "apply",
            "--yes",
            "--prune",
            "--scope",
            "authoritative",
            list.to_str().unwrap(),
            news.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 5, "{}\n{}", r.stdout, r.stderr);
    assert!(!holds(&e, "baert.nouveau@lespetitspas.be").is_empty());
    let some_leaver = leaver_actions[0]["email"].as_str().unwrap();
    assert!(
        !holds(&e, some_leaver).is_empty(),
        "a leaver's revocation was sent"
    );
    let held = cli(d, &e, &["held", "--format", "json"]);
    let held: Value = serde_json::from_str(&held.stdout).unwrap();
    assert_eq!(held["held"][0]["state"], "pending");
    // The held plan's page shows them as leavers, for the person who approves.
    let fp = held["held"][0]["fingerprint"].as_str().unwrap();
    let page = std::fs::read_to_string(d.join("state").join(format!("held-{fp}.html"))).unwrap();
    assert!(
        page.contains("class=\"person leaver\""),
        "no leaver on the held page"
    );
    assert!(page.contains(some_leaver));
}

/// Users of the seed the mistyped rows below name: (e-mail, NRN).
const A: (&str, &str) = ("sophie.martin9@lespetitspas.be", "03101010944");
const B: (&str, &str) = ("theo.claes26@lespetitspas.be", "86032712618");
const C: (&str, &str) = ("claire.dubois23@lespetitspas.be", "83122412314");
const D: (&str, &str) = ("eva.dubois48@lespetitspas.be", "73012114883");
const E: (&str, &str) = ("chloe.dupont25@lespetitspas.be", "85022612521");

/// Issue 22: the whole staff list (the export with NRNs) where the rows of `named` are replaced
/// by one row with a small mistake and a surname changed (after a marriage), so that no name
/// protects anyone. The row is an identity error; every user it names keeps every grant, said
/// `prune-withheld`; an ordinary leaver (also off the list) still loses access — the rule acts.
fn mistyped_row_names_everyone_it_points_to(named: &[(&str, &str)], row: &str) {
    mistyped_row_protects(named, row, "identity-mismatch");
}

fn mistyped_row_protects(named: &[(&str, &str)], row: &str, error: &str) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let e = emulator_with(Faults::default());
    config(d, "prune = true\n[guards]\non_trip = \"stop\"");
    let mut off: Vec<&str> = named.iter().map(|u| u.0).collect();
    off.push(LEAVERS[2]);
    let mut lines = export_lines(d, &e, &off, &["--with-nrn"]);
    lines.push(row.to_owned());
    let list = staff_file(d, "staff.csv", &lines);
    let before: Vec<Vec<String>> = named.iter().map(|u| holds(&e, u.0)).collect();
    let (code, v) = plan(
        d,
        &e,
        &[
            "--scope",
            "authoritative",
            "--allow-mass-change",
            list.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 3, "the mistyped row is an error: {v}");
    let problems = v["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["code"] == error && p["severity"] == "error"),
        "{}",
        v["problems"]
    );
    let planned = actions(&v);
    for (email, _) in named {
        assert!(
            planned.iter().all(|a| a.0 != *email),
            "{email} would lose access: {}",
            v["actions"]
        );
        assert!(
            problems
                .iter()
                .any(|p| p["code"] == "prune-withheld"
                    && p["message"].as_str().unwrap().contains(email)),
            "{email} not said withheld: {}",
            v["problems"]
        );
    }
    assert!(
        planned.iter().any(|a| a.0 == LEAVERS[2] && a.3),
        "the ordinary leaver is still one: {}",
        v["actions"]
    );
    // Applied, nobody the row names lost anything.
    let r = cli(
        d,
        &e,
        &[
            "apply",
            "--yes",
            "--scope",
            "authoritative",
            "--allow-mass-change",
            list.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 3, "{}\n{}", r.stdout, r.stderr);
    for (u, was) in named.iter().zip(&before) {
        assert_eq!(&holds(&e, u.0), was, "{}", u.0);
    }
    assert!(holds(&e, LEAVERS[2]).is_empty());
}

#[test]
fn a_row_with_one_users_email_and_anothers_nrn_names_both() {
    mistyped_row_names_everyone_it_points_to(
        &[A, B],
        &format!("Nouveaunom;Sophie;{};{};Bilans;MA-00111", A.0, B.1),
    );
}

#[test]
fn a_row_with_one_users_nrn_and_anothers_email_names_both() {
    mistyped_row_names_everyone_it_points_to(
        &[C, D],
        &format!("Nouveaunom;Claire;{};{};Bilans;MA-00107", D.0, C.1),
    );
}

/// Review of issue 22: an e-mail with a typo (a space inside, a trailing dot) is invalid, yet
/// it still names the person it most likely means: never a leaver for a typo.
#[test]
fn a_row_whose_email_has_a_typo_still_names_its_person() {
    mistyped_row_protects(
        &[A],
        &format!(
            "Nouveaunom;Sophie;{};90021500195;Bilans;MA-00111",
            A.0.replace('@', " @")
        ),
        "email-invalid",
    );
    mistyped_row_protects(
        &[C],
        &format!("Nouveaunom;Claire;{}.;;Bilans;MA-00107", C.0),
        "email-invalid",
    );
}

#[test]
fn a_row_with_a_users_email_in_capitals_and_an_nrn_nobody_has_names_them() {
    mistyped_row_names_everyone_it_points_to(
        &[E],
        &format!(
            "Nouveaunom;Chloé;{};90021500195;Mon équipe;MA-00106",
            E.0.to_uppercase()
        ),
    );
}

/// `keep_profiles` holds portal-api.md's codes: a capital, the English word or an unknown
/// profile is refused with its line and the accepted values (never an empty protection), and
/// an administrateur off the list keeps every grant under the default.
#[test]
fn keep_profiles_are_portal_codes_and_anything_else_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let e = emulator_with(Faults::default());
    config(d, "");
    let list = staff_file(
        d,
        "staff.csv",
        &staff_list(d, &e, &[ADMINISTRATEUR, LEAVERS[0]]),
    );
    for bad in ["Administrateur", "administrator", "gestion"] {
        write(
            d,
            "proone-sync.toml",
            format!(
                "state_dir = \"state\"\n\n[scope]\nmode = \"authoritative\"\nkeep_profiles = [\"{bad}\"]\n"
            ),
        );
        let r = cli(d, &e, &["plan", "--prune", list.to_str().unwrap()]);
        assert_eq!(r.code, 1, "{bad}: {}", r.stderr);
        assert!(
            r.stderr
                .contains("proone-sync.toml: line 5: scope.keep_profiles")
                && r.stderr.contains(bad)
                && r.stderr.contains("administrateur, gestion-utilisateurs"),
            "{bad}: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "nothing planned: {}", r.stdout);
    }
    // The default keeps the administrateur off the list; the ordinary leaver goes.
    config(d, "");
    let (code, v) = plan(d, &e, &["--scope", "authoritative", list.to_str().unwrap()]);
    assert_eq!(code, 0, "{v}");
    let planned = actions(&v);
    assert!(
        planned.iter().all(|a| a.0 != ADMINISTRATEUR),
        "{}",
        v["actions"]
    );
    assert!(planned.iter().any(|a| a.0 == LEAVERS[0] && a.3));
    // Only gestion-utilisateurs kept: the administrateur is a leaver like anyone else.
    write(
        d,
        "proone-sync.toml",
        "state_dir = \"state\"\n[scope]\nkeep_profiles = [\"gestion-utilisateurs\"]\n",
    );
    let (_, v) = plan(d, &e, &["--scope", "authoritative", list.to_str().unwrap()]);
    assert!(
        actions(&v).iter().any(|a| a.0 == ADMINISTRATEUR && a.3),
        "{}",
        v["actions"]
    );
}

/// Issue 22 (review): a block of the staff list zeroed by disk damage is read around the
/// damage — and in authoritative scope it withholds every leaver revocation, since the rows it
/// swallowed could be anyone's (here Marie Dupont's, who would otherwise lose her access).
#[test]
fn a_zeroed_block_in_the_staff_list_withholds_every_leaver() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let e = emulator_with(Faults::default());
    config(d, "prune = true");
    let lines = staff_list(d, &e, &[LEAVERS[0]]);
    let mut bytes = (lines.join("\n") + "\n").into_bytes();
    let marie = String::from_utf8_lossy(&bytes)
        .find("marie.dupont@")
        .unwrap();
    // From the row before Marie's to the row after hers.
    let (from, to) = (marie - 60, marie + 90);
    bytes[from..to].fill(0);
    let list = write(d, "staff.csv", &bytes);
    let (code, v) = plan(d, &e, &["--scope", "authoritative", list.to_str().unwrap()]);
    assert_eq!(code, 3, "{v}");
    assert!(
        actions(&v).iter().all(|a| !a.3),
        "no leaver: {}",
        v["actions"]
    );
    let problems = v["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["code"] == "value-control-character"),
        "{}",
        v["problems"]
    );
    let withheld: Vec<&Value> = problems
        .iter()
        .filter(|p| p["code"] == "scope-incomplete")
        .collect();
    assert_eq!(withheld.len(), 1, "{}", v["problems"]);
    assert!(
        withheld[0]["location"]
            .as_str()
            .unwrap()
            .ends_with("staff.csv")
    );
    assert!(
        withheld[0]["message"].as_str().unwrap().contains("damaged"),
        "{}",
        withheld[0]
    );
    // The same list undamaged: the ordinary leaver goes, Marie stays.
    let list = staff_file(d, "staff.csv", &lines);
    let (_, v) = plan(d, &e, &["--scope", "authoritative", list.to_str().unwrap()]);
    let planned = actions(&v);
    assert!(
        planned.iter().any(|a| a.0 == LEAVERS[0] && a.3),
        "{}",
        v["actions"]
    );
    assert!(planned.iter().all(|a| !a.0.starts_with("marie.dupont")));
}
