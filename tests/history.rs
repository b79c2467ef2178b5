//! The history store end to end (issue 25, evidence.md "Runs", "The history store",
//! "`proone-sync history`"): the real binary against the emulator over loopback, each night a
//! day of the clock (Debian's `faketime` runs the binary at that time; `--today` moves the
//! plan's day with it). Three nights with changes made by hand between the second and the
//! third: the person's timeline with every cause, who could see a structure on a day (certain or
//! not), the drift list, the third night's report and its `drift` event, `--verify` holding and
//! then naming the run whose row was edited, no NRN in the database; and a run killed after 5
//! of its 10 grants, credited from its journal.

mod common;
// The command's own cases, on stores built with the library (tests/history/command.rs).
#[path = "history/command.rs"]
mod command;

use std::path::{Path, PathBuf};

use common::*;
use proone_sync::emulator::{Faults, RunningEmulator};
use serde_json::Value;

const ADMIN: &str = "tok-admin-7f3c9a";
/// The seed's Inès Maes (u-000005) and her NRN.
const INES: &str = "ines.maes4@lespetitspas.be";
const INES_NRN: &str = "64050510458";
const LUTINS: &str = "MA-00101";

/// A valid NRN of someone born 15/02/1990, number `n`.
fn nrn(n: u64) -> String {
    let base = 900_215_000 + n * 2 + 1;
    format!("{base:09}{:02}", 97 - base % 97)
}

/// The binary at a given UTC instant (`2026-11-28 02:00:00`), the plan's day that day.
fn at(time: &str, dir: &Path, e: &RunningEmulator, args: &[&str]) -> Run {
    let day = &time[..10];
    let mut cmd = assert_cmd::Command::new("faketime");
    cmd.current_dir(dir)
        .env("TZ", "UTC")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .arg(time)
        .arg(assert_cmd::cargo::cargo_bin!("proone-sync"))
        .args(["--today", day, "--config"])
        .arg(dir.join("proone-sync.toml"))
        .args(args);
    run(&mut cmd)
}

/// The binary now (history questions are read-only: no clock needed).
fn now(dir: &Path, e: &RunningEmulator, args: &[&str]) -> Run {
    run(bin()
        .current_dir(dir)
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .arg("--config")
        .arg(dir.join("proone-sync.toml"))
        .args(args))
}

fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", r.stdout, r.stderr))
}

/// A change made in the portal's web page: the same API, outside any run.
fn by_hand(e: &RunningEmulator, method: reqwest::Method, path: &str) {
    let a = block_on(portal_client(e, ADMIN).call(method, path, None, &[])).unwrap();
    assert_eq!(a.status.as_u16(), 204, "{path}");
}

fn staff(dir: &Path, ines: &str) -> PathBuf {
    write(
        dir,
        "personnel.csv",
        format!(
            "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures\n\
             Aerts;Nouvelle;aerts.nouvelle@lespetitspas.be;{};oui;Bilans;{LUTINS}\n\
             Maes;Inès;{INES};;;{ines}\n",
            nrn(0)
        ),
    )
}

fn observed(e: &RunningEmulator) -> proone_sync::model::ObservedState {
    let day = proone_sync::model::CalendarDate {
        year: 2026,
        month: 11,
        day: 28,
    };
    block_on(proone_sync::portal::fetch_observed(
        &portal_client(e, ADMIN),
        day,
    ))
    .unwrap()
}

/// Who can see Les Lutins in the portal now: holding it with a scoped dossier, or an
/// administrateur (implicit Pré-demandes).
fn lutins_now(e: &RunningEmulator) -> Vec<String> {
    let mut who: Vec<String> = observed(e)
        .users
        .iter()
        .filter(|u| {
            u.admin
                || (u.structures.iter().any(|s| s.as_str() == LUTINS)
                    && u.dossiers.iter().any(|d| d.scoped()))
        })
        .map(|u| u.id.clone())
        .collect();
    who.sort();
    who
}

fn runs(dir: &Path, e: &RunningEmulator) -> Vec<Value> {
    json(&now(dir, e, &["runs", "--format", "json"]))["runs"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn intervals<'a>(person: &'a Value, key: &str, code: &str) -> &'a Vec<Value> {
    person["access"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x[key] == code && x["implicit"] != true))
        .and_then(|x| x["intervals"].as_array())
        .unwrap_or_else(|| panic!("no {key} {code} in {person:#}"))
}

#[test]
fn three_nights_with_changes_by_hand_between_the_second_and_the_third() {
    let dir = Workdir::new();
    let d = dir.path();
    let e = emulator_with(Faults::default());
    config_in(
        d,
        "[notify]\non = [\"drift\"]\ncommand = 'echo \"$PROONE_EVENTS\" >> notified.log; cat > drift-notice.md'\n",
    );
    // Night 1: Aerts created with Bilans on Les Lutins; Inès keeps what she has.
    let first = staff(d, "Mon équipe;MA-00121");
    let r = at(
        "2026-11-28 02:00:00",
        d,
        &e,
        &["apply", "--yes", first.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    // Night 2: Inès gains Pré-demandes and Les Lutins.
    let second = staff(d, "Mon équipe, Pré-demandes;MA-00121, MA-00101");
    let r = at(
        "2026-11-29 02:00:00",
        d,
        &e,
        &["apply", "--yes", second.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let day2 = lutins_now(&e);
    assert!(day2.contains(&"u-000005".to_owned()), "{day2:?}");
    // During day 2, by hand: Les Lutins taken from Inès, given to Paul Peeters (Bilans).
    by_hand(
        &e,
        reqwest::Method::DELETE,
        "/users/u-000005/structures/MA-00101",
    );
    by_hand(
        &e,
        reqwest::Method::PUT,
        "/users/u-000012/structures/MA-00101",
    );
    // Night 3: the staff list still gives Inès Les Lutins: the job grants it again.
    let r = at(
        "2026-11-30 02:00:00",
        d,
        &e,
        &["apply", "--yes", second.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let ids: Vec<String> = runs(d, &e)
        .iter()
        .rev()
        .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(ids[0].starts_with("run-20261128T0200"), "{ids:?}");
    assert!(ids[2].starts_with("run-20261130T0200"), "{ids:?}");
    let (run2, run3) = (ids[1].as_str(), ids[2].as_str());

    // The third night raised `drift`, and its report has the section.
    let told = std::fs::read_to_string(d.join("notified.log")).unwrap_or_default();
    assert_eq!(told.lines().count(), 1, "{told}");
    assert!(told.contains("drift"), "{told}");
    let notice = std::fs::read_to_string(d.join("drift-notice.md")).unwrap_or_default();
    assert!(
        notice.contains("Changed by hand since the last run"),
        "{notice}"
    );
    assert!(
        notice.contains("u-000012") && notice.contains(INES),
        "{notice}"
    );
    // The phase's JSON report lists them, seen at the third run.
    let stamp = run3.strip_prefix("run-").unwrap_or(run3);
    let report = std::fs::read_dir(dir.state(""))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("report-{stamp}-")) && n.ends_with(".json"))
        })
        .unwrap_or_else(|| panic!("no JSON report of {run3}"));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    let drift = report["drift"].as_array().unwrap();
    assert_eq!(drift.len(), 2, "{report:#}");
    assert!(
        drift
            .iter()
            .all(|c| c["seen_at_run"] == run3 && c["after_run"] == run2),
        "{report:#}"
    );

    // Inès's timeline: each interval with its cause.
    let p = json(&now(
        d,
        &e,
        &["history", "--person", INES, "--format", "json"],
    ));
    assert_eq!(p["format"], "proone-sync.history/1");
    let person = &p["people"][0];
    assert_eq!(person["user_id"], "u-000005");
    let lutins = intervals(person, "structure", LUTINS);
    assert_eq!(lutins.len(), 2, "{lutins:#?}");
    assert_eq!(lutins[0]["began"]["by"], "job");
    assert_eq!(lutins[0]["began"]["run"], run2);
    assert_eq!(lutins[0]["began"]["op"], "grant_structure");
    let sources = lutins[0]["began"]["sources"].as_array().unwrap();
    assert!(
        sources
            .iter()
            .any(|s| s.as_str().is_some_and(|s| s.ends_with("personnel.csv:3"))),
        "{sources:?}"
    );
    assert_eq!(
        lutins[0]["ended"],
        serde_json::json!({"by": "hand", "after_run": run2, "seen_at_run": run3})
    );
    assert_eq!(lutins[1]["began"]["by"], "job");
    assert_eq!(lutins[1]["began"]["run"], run3);
    assert!(lutins[1]["until"].is_null());
    let equipe = intervals(person, "dossier", "mon-equipe");
    assert_eq!(equipe.len(), 1);
    assert_eq!(equipe[0]["began"], serde_json::json!({"by": "unknown"}));

    // Who could see Les Lutins on day 2: exactly who the portal showed after night 2, and
    // Paul, whose grant by hand may have come that day (not certain).
    let on = json(&now(
        d,
        &e,
        &[
            "history",
            "--structure",
            LUTINS,
            "--on",
            "2026-11-29",
            "--format",
            "json",
        ],
    ));
    assert_eq!(on["complete"], true, "{on:#}");
    let mut certain: Vec<String> = on["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["certain"] == true)
        .map(|h| h["user_id"].as_str().unwrap_or_default().to_owned())
        .collect();
    certain.sort();
    assert_eq!(certain, day2);
    let uncertain: Vec<&Value> = on["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["certain"] != true)
        .collect();
    assert_eq!(uncertain.len(), 1, "{on:#}");
    assert_eq!(uncertain[0]["user_id"], "u-000012");
    assert!(
        on["people"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["user_id"] == "u-000001" && h["implicit"] == true),
        "the administrateur is listed: {on:#}"
    );
    // Before the first night the answer is incomplete, never "nobody".
    let before = json(&now(
        d,
        &e,
        &[
            "history",
            "--structure",
            LUTINS,
            "--on",
            "2026-11-27",
            "--format",
            "json",
        ],
    ));
    assert_eq!(before["complete"], false, "{before:#}");
    let text = now(
        d,
        &e,
        &["history", "--structure", LUTINS, "--on", "2026-11-27"],
    );
    assert!(
        text.stdout.contains("This answer is not complete"),
        "{}",
        text.stdout
    );

    // The changes by hand, newest first.
    let drift = json(&now(d, &e, &["history", "--drift", "--format", "json"]));
    let changes = drift["changes"].as_array().unwrap();
    let mut seen: Vec<(String, String)> = changes
        .iter()
        .map(|c| {
            assert_eq!(c["after_run"], run2);
            assert_eq!(c["seen_at_run"], run3);
            (
                c["user_id"].as_str().unwrap_or_default().to_owned(),
                c["op"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("u-000005".to_owned(), "revoke_structure".to_owned()),
            ("u-000012".to_owned(), "grant_structure".to_owned())
        ]
    );

    // An NRN on stdin finds Inès through the portal; no NRN is in the database.
    let r = run(bin()
        .current_dir(d)
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .arg("--config")
        .arg(d.join("proone-sync.toml"))
        .args(["history", "--person", "-", "--format", "json"])
        .write_stdin(format!("{INES_NRN}\n")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(json(&r)["people"][0]["user_id"], "u-000005");
    assert!(!r.stdout.contains(INES_NRN) && !r.stderr.contains(INES_NRN));
    let store = dir.state("history.sqlite");
    let dump = std::process::Command::new("sqlite3")
        .arg(&store)
        .arg(".dump")
        .output()
        .unwrap();
    let dump = String::from_utf8_lossy(&dump.stdout);
    assert!(dump.contains("u-000005"), "the dump is read");
    let seed: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("portal-seed.json")).unwrap())
            .unwrap();
    let mut nrns: Vec<String> = seed["users"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["nrn"].as_str().map(str::to_owned))
        .collect();
    nrns.push(nrn(0));
    for n in &nrns {
        assert!(!dump.contains(n.as_str()), "an NRN in the store");
    }
    // The NRN hashed is no better.
    use sha2::Digest;
    for n in &nrns {
        let h: String = sha2::Sha256::digest(n.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(!dump.contains(&h[..16]), "a hashed NRN in the store");
    }

    // The chain holds, anchored in the journals; one row edited breaks it at its run.
    let r = now(d, &e, &["history", "--verify"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(&ids[0]), "{}", r.stdout);
    // A night much later with a short keep_days: what ended before its cut is forgotten, a
    // day before it is said incomplete, and the chain still holds from its checkpoint.
    config_in(d, "[history]\nkeep_days = 3\n");
    let r = at(
        "2026-12-10 02:00:00",
        d,
        &e,
        &["apply", "--yes", second.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let past = json(&now(
        d,
        &e,
        &[
            "history",
            "--structure",
            LUTINS,
            "--on",
            "2026-11-29",
            "--format",
            "json",
        ],
    ));
    assert_eq!(past["complete"], false, "{past:#}");
    let p = json(&now(
        d,
        &e,
        &["history", "--person", INES, "--format", "json"],
    ));
    assert_eq!(
        intervals(&p["people"][0], "structure", LUTINS).len(),
        1,
        "the interval that ended on 30 November is forgotten: {p:#}"
    );
    let r = now(d, &e, &["history", "--verify"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    // One row of the second run edited: the chain breaks there, not at the head.
    let edit = std::process::Command::new("sqlite3")
        .arg(&store)
        .arg(format!(
            "UPDATE changes SET approved_by = 'someone' WHERE run = '{run2}' AND user_id = 'u-000005'"
        ))
        .status()
        .unwrap();
    assert!(edit.success());
    let r = now(d, &e, &["history", "--verify"]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let said = format!("{}{}", r.stdout, r.stderr);
    assert!(said.contains(run2) && !said.contains(run3), "{said}");
}

#[test]
fn a_run_killed_after_5_of_10_grants_is_credited_from_its_journal() {
    let dir = Workdir::new();
    let d = dir.path();
    let e = emulator_with(Faults::default());
    config_in(d, "");
    // A first night observes the portal.
    let empty = write(
        d,
        "vide.csv",
        "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures\n",
    );
    let r = now(d, &e, &["apply", "--yes", empty.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    // Ten people of the seed each gain « Prepacc/Autorisation »: ten grants.
    let o = observed(&e);
    let mut csv = String::from("Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures\n");
    let ten: Vec<_> = o
        .users
        .iter()
        .filter(|u| {
            !u.admin
                && u.dossiers
                    .iter()
                    .all(|d| d.code() != "prepacc-autorisation")
        })
        .take(10)
        .collect();
    for u in &ten {
        csv.push_str(&format!(
            "{};{};{};;;Prepacc/Autorisation;\n",
            u.last_name, u.first_name, u.email
        ));
    }
    let staff = write(d, "staff.csv", csv);
    let mut child = std_bin()
        .current_dir(d)
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .arg("--config")
        .arg(d.join("proone-sync.toml"))
        .args(["apply", "--yes", "--rate-limit", "2", "--concurrency", "1"])
        .arg(&staff)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let journal = loop {
        let done = dir
            .state_files("journal-")
            .into_iter()
            .filter_map(|j| std::fs::read_to_string(&j).ok().map(|t| (j, t)))
            .find(|(_, t)| t.matches("\"status\":\"done\"").count() >= 5);
        if let Some((j, _)) = done {
            child.kill().unwrap();
            break j;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the run never wrote 5 grants"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let _ = child.wait();
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(!text.contains("\"event\":\"end\""), "killed, no end line");
    let killed: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|l| l["status"] == "done")
        .map(|l| {
            (
                l["user_id"].as_str().unwrap_or_default().to_owned(),
                l["dossier"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert!(killed.len() >= 5 && killed.len() < 10, "{killed:?}");
    let killed_id = journal
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix("journal-"))
        .and_then(|n| n.strip_suffix(".jsonl"))
        .unwrap()
        .to_owned();
    // The next run imports the killed run's journal: none of its grants is a change by hand.
    let r = now(d, &e, &["apply", "--yes", staff.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let drift = json(&now(d, &e, &["history", "--drift", "--format", "json"]));
    for (user, dossier) in &killed {
        assert!(
            !drift["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["user_id"] == user.as_str() && c["dossier"] == dossier.as_str()),
            "{user} {dossier} taken for a change by hand: {drift:#}"
        );
        let p = json(&now(
            d,
            &e,
            &["history", "--person", user, "--format", "json"],
        ));
        let i = intervals(&p["people"][0], "dossier", dossier);
        assert_eq!(i[0]["began"]["by"], "job", "{p:#}");
        assert_eq!(i[0]["began"]["run"], killed_id.as_str(), "{p:#}");
    }
    // `runs` lists the three, the killed one as killed.
    let all = runs(d, &e);
    assert_eq!(all.len(), 3, "{all:#?}");
    let k = all.iter().find(|r| r["id"] == killed_id.as_str()).unwrap();
    assert_eq!(k["state"], "killed");
    // The chain holds across the imported run.
    let r = now(d, &e, &["history", "--verify"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
}
