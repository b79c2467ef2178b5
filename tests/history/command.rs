//! `proone-sync history` driven as a person would (evidence.md "`proone-sync history`"): a
//! store built with the library's own API in a test's state directory — three nightly runs,
//! with a change by the job (its rows and approver) and two changes by hand — then the real
//! binary asked each question in each format and language, its reports read back, its chain
//! verified and broken, an NRN resolved through the emulator from stdin.

use std::path::Path;

use proone_sync::history::{Event, Item, JobWrite, Kind, RunEntry, SnapUser, Snapshot, Store};
use serde_json::{Value, json};

use super::common::{Run, Workdir, bin, emulator_with, run};

const RUN1: &str = "run-20261101T013000Z";
const RUN2: &str = "run-20261102T013000Z";
const RUN3: &str = "run-20261103T013000Z";
const MARIE: &str = "marie.dupont@lespetitspas.be";
/// Marie Dupont's NRN in fixtures/portal-seed.json (u-000004).
const MARIE_NRN: &str = "85073003328";
const ADMIN_TOKEN: &str = "tok-admin-7f3c9a";

fn at(s: &str) -> jiff::Timestamp {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// Items written `d:bilans s:MA-00101 p:administrateur` (dossier, structure, profile).
fn items(spec: &str) -> Vec<Item> {
    spec.split_whitespace()
        .map(|i| match i.split_once(':') {
            Some(("d", code)) => (Kind::Dossier, code),
            Some(("s", code)) => (Kind::Structure, code),
            Some(("p", code)) => (Kind::Profile, code),
            _ => panic!("item {i:?}"),
        })
        .map(|(kind, code)| Item {
            kind,
            code: code.to_owned(),
        })
        .collect()
}

/// The portal as a night read it: everyone's items, Marie's and Jean's as given.
fn read(when: &str, marie: &str, jean: &str) -> Snapshot {
    let people = [
        "u-000001;sylvie.admin@lespetitspas.be;Administratrice;Sylvie;p:administrateur".to_owned(),
        format!("u-000004;{MARIE};Dupont;Marie;{marie}"),
        format!("u-000020;jean.martin@lespetitspas.be;Martin;Jean;{jean}"),
        "u-000021;jean.martin2@lespetitspas.be;Martin;Jean;".to_owned(),
        // What Excel would run as formulas, from the portal.
        "u-000030;@evil@lespetitspas.be;=1+2;+cmd;d:bilans s:MA-00101".to_owned(),
    ];
    let structure = |id: &str, name: &str, city: &str| (id.into(), name.into(), city.into());
    Snapshot {
        at: at(when),
        users: people
            .iter()
            .map(|p| {
                let f: Vec<&str> = p.split(';').collect();
                SnapUser {
                    id: f[0].into(),
                    email: f[1].into(),
                    last_name: f[2].into(),
                    first_name: f[3].into(),
                    items: items(f[4]),
                }
            })
            .collect(),
        structures: vec![
            structure("MA-00101", "Crèche Les Lutins", "Namur"),
            structure("MA-00102", "Les Petits Loups", "Namur"),
            structure("MA-00103", "Les Petits Loups", "Liège"),
        ],
    }
}

/// The job's grant of Pré-demandes to Marie in the second run, from a held plan ana approved.
fn marie_pre_demandes() -> JobWrite {
    JobWrite {
        line: 2,
        at: at("2026-11-02T01:31:00Z"),
        action: 1,
        op: "grant_dossier".into(),
        status: "done".into(),
        user_id: Some("u-000004".into()),
        email: MARIE.into(),
        dossier: Some("pre-demandes".into()),
        structure: None,
        names: None,
        sources: vec!["staff.xlsx:Personnel:4".into()],
        approved_by: Some("ana".into()),
    }
}

/// The state directory of `dir` with three nights recorded — the first read, the job's
/// grant, then Marie losing MA-00101 and Jean getting it by hand — each run's journal ending
/// with the chain's head, as apply writes it. Returns the config file.
fn three_nights(dir: &Workdir) -> std::path::PathBuf {
    let cfg = dir.config("");
    let state = dir.join("state");
    let mut store = Store::open_rw(&state).unwrap_or_else(|e| panic!("open_rw: {e}"));
    let (marie, jean) = ("d:bilans s:MA-00101", "d:pre-demandes s:MA-00102");
    let nights = [
        (RUN1, read("2026-11-01T01:30:00Z", marie, jean), None),
        (
            RUN2,
            read("2026-11-02T01:30:00Z", marie, jean),
            Some(marie_pre_demandes()),
        ),
        (
            RUN3,
            read(
                "2026-11-03T01:30:00Z",
                "d:bilans d:pre-demandes",
                "d:pre-demandes s:MA-00102 s:MA-00101",
            ),
            None,
        ),
    ];
    for (id, snapshot, wrote) in nights {
        let started = snapshot.at;
        let mut events = vec![Event::Read(snapshot)];
        events.extend(wrote.map(Event::Wrote));
        let entry = RunEntry {
            id: id.into(),
            started,
            imported: false,
            events,
        };
        let (head, _) = store
            .record(&entry, 730)
            .unwrap_or_else(|e| panic!("record {id}: {e}"));
        journal(&state, id, &head);
    }
    cfg
}

fn journal(state: &Path, id: &str, head: &str) {
    let lines = [
        serde_json::json!({"event": "start", "time": "2026-11-01T01:30:00Z", "source": "inputs"}),
        serde_json::json!({"event": "end", "time": "2026-11-01T01:32:00Z", "history_head": head}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(state.join(format!("journal-{id}.jsonl")), text)
        .unwrap_or_else(|e| panic!("journal {id}: {e}"));
}

fn history(cfg: &Path, args: &[&str]) -> Run {
    run(bin().arg("--config").arg(cfg).arg("history").args(args))
}

fn json(cfg: &Path, args: &[&str]) -> Value {
    let r = history(cfg, &[args, &["--format", "json"]].concat());
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

/// Every one of `wanted` is in `text`.
fn says(text: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(text.contains(w), "{w:?} not in\n{text}");
    }
}

/// Exit 0; the stdout.
fn answered(r: Run) -> String {
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    r.stdout
}

/// Exit 1, saying each of `wanted` on stderr; the stdout.
fn refused(r: Run, wanted: &[&str]) -> String {
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    says(&r.stderr, wanted);
    r.stdout
}

/// The test's store edited behind the job's back.
fn tamper(dir: &Workdir, sql: &str) {
    let conn = rusqlite::Connection::open(dir.state("history.sqlite")).unwrap();
    conn.execute_batch(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// The ids of the people of an answer, sorted.
fn ids(v: &Value) -> Vec<String> {
    let people = v["people"].as_array().unwrap_or_else(|| panic!("{v}"));
    let mut ids: Vec<String> = people.iter().map(|p| p["user_id"].to_string()).collect();
    ids.sort();
    ids.iter().map(|i| i.trim_matches('"').to_owned()).collect()
}

#[test]
fn a_persons_timeline_says_how_each_start_and_end_came() {
    let dir = Workdir::new();
    let cfg = three_nights(&dir);
    let v = json(&cfg, &["--person", MARIE]);
    assert_eq!(v["format"], "proone-sync.history/1");
    let observed = json!({"first": "2026-11-01T01:30:00.000Z", "last": "2026-11-03T01:30:00.000Z"});
    assert_eq!((&v["observed"], &v["complete"]), (&observed, &json!(true)));
    let p = &v["people"][0];
    assert_eq!(p["user_id"], "u-000004");
    let access = p["access"].as_array().unwrap();
    let find = |k: &str, code: &str| {
        let a = access.iter().find(|a| a[k] == code);
        a.unwrap_or_else(|| panic!("no {k} {code}: {p}"))["intervals"][0].clone()
    };
    let bilans = find("dossier", "bilans");
    assert_eq!(bilans["began"], json!({"by": "unknown"}));
    assert_eq!(bilans["until"], Value::Null);
    let job = json!({"by": "job", "run": RUN2, "op": "grant_dossier",
                     "sources": ["staff.xlsx:Personnel:4"], "approved_by": "ana"});
    assert_eq!(find("dossier", "pre-demandes")["began"], job);
    let lutins = find("structure", "MA-00101");
    let hand = json!({"by": "hand", "after_run": RUN2, "seen_at_run": RUN3});
    assert_eq!(lutins["ended"], hand);
    assert_eq!(lutins["until"], "2026-11-03T01:30:00.000Z");
    // By name, either order, any case or accent, and by user id: the same person.
    for x in ["Marie Dupont", "dupont MARIE", "u-000004"] {
        assert_eq!(ids(&json(&cfg, &["--person", x])), ["u-000004"]);
    }
    // --until narrows: Pré-demandes came later.
    let early = json(&cfg, &["--person", MARIE, "--until", "2026-11-01"]);
    let items = early["people"][0]["access"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{early}");
    assert!(items.iter().all(|a| a["dossier"] != "pre-demandes"));
}

#[test]
fn the_person_in_text_csv_and_both_languages() {
    let dir = Workdir::new();
    let cfg = three_nights(&dir);
    let en = answered(history(&cfg, &["--person", MARIE]));
    says(
        &en,
        &[
            "Access of Marie Dupont",
            "The history covers 01/11/2026 02:30 to 03/11/2026 02:30.",
            "by the job in run-20261102T013000Z (dossier granted), input rows staff.xlsx:Personnel:4, approved by ana",
            "MA-00101 — Crèche Les Lutins (Namur)",
            "by hand in the portal, between run-20261102T013000Z and run-20261103T013000Z",
            "held before the history began",
        ],
    );
    assert!(!en.contains("not complete"), "{en}");
    let fr = answered(history(&cfg, &["--lang", "fr", "--person", MARIE]));
    says(
        &fr,
        &[
            "Accès de Marie Dupont",
            "L'historique couvre la période du 01/11/2026 02:30 au 03/11/2026 02:30.",
            "par la synchronisation lors de run-20261102T013000Z (dossier accordé)",
            "à la main dans le portail, entre run-20261102T013000Z et run-20261103T013000Z",
            "déjà détenu avant le début de l'historique",
        ],
    );
    let csv = answered(history(&cfg, &["--person", MARIE, "--format", "csv"]));
    assert!(csv.starts_with('\u{feff}'), "{csv}");
    let rows = csv_rows(&csv);
    assert_eq!(rows.len(), 4, "header and three intervals: {rows:?}");
    assert!(rows[1..].iter().all(|r| r[0] == "u-000004"), "{rows:?}");
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn who_could_see_a_structure_on_a_day_over_includes_what_is_not_certain() {
    let dir = Workdir::new();
    let cfg = three_nights(&dir);
    // Every question of this test is about 2 November.
    let ask = |s: &str, extra: &[&str]| {
        history(
            &cfg,
            &[&["--structure", s, "--on", "2026-11-02"], extra].concat(),
        )
    };
    let v: Value = serde_json::from_str(&answered(ask("MA-00101", &["--format", "json"]))).unwrap();
    assert_eq!(v["structure"], "MA-00101");
    assert_eq!(v["complete"], true);
    // Jean got MA-00101 by hand between the 2nd and the 3rd night: perhaps already that day.
    assert_eq!(ids(&v), ["u-000001", "u-000004", "u-000020", "u-000030"]);
    let people = v["people"].as_array().unwrap();
    let by = |id: &str| people.iter().find(|p| p["user_id"] == id).unwrap();
    assert_eq!(by("u-000020")["certain"], false);
    assert_eq!(by("u-000004")["certain"], true);
    assert_eq!(by("u-000001")["implicit"], true);
    assert_eq!(by("u-000001")["dossiers"], json!(["pre-demandes"]));
    // By its name (unique), the same answer; « Les Petits Loups » names two structures.
    says(
        &answered(ask("crèche les lutins", &["--format", "json"])),
        &["\"MA-00101\""],
    );
    refused(ask("Les Petits Loups", &[]), &["MA-00102", "MA-00103"]);
    // Text: the uncertain one is said so.
    let text = answered(ask("MA-00101", &[]));
    says(
        &text,
        &["the structure MA-00101 — Crèche Les Lutins (Namur) on 02/11/2026"],
    );
    says(&text, &["(not certain"]);
}

#[test]
fn a_day_the_history_did_not_observe_is_never_answered_nobody() {
    let dir = Workdir::new();
    let cfg = three_nights(&dir);
    // Before the first run, and after the last one (the tests' today, 2026-11-28).
    for day in ["2026-10-15", "2026-11-28"] {
        let v = json(&cfg, &["--structure", "MA-00102", "--on", day]);
        assert_eq!(v["complete"], false, "{day}: {v}");
        let people = v["people"].as_array().unwrap();
        assert!(people.iter().all(|p| p["certain"] == false), "{day}: {v}");
    }
    // The default day is today.
    let v = json(&cfg, &["--dossier", "bilans"]);
    assert_eq!(v["on"], "2026-11-28");
    assert_eq!(v["complete"], false);
    says(
        &answered(history(&cfg, &["--dossier", "Bilans"])),
        &["This answer is not complete"],
    );
    // A day that was observed and where nobody held it: nobody, completely.
    let v = json(&cfg, &["--dossier", "mon-equipe", "--on", "2026-11-02"]);
    assert_eq!(v["complete"], true);
    assert_eq!(v["people"], json!([]));
    let text = answered(history(
        &cfg,
        &["--dossier", "mon-equipe", "--on", "2026-11-02"],
    ));
    says(&text, &["Nobody could see it that day."]);
}

#[test]
fn who_held_a_dossier_on_a_day() {
    let dir = Workdir::new();
    let cfg = three_nights(&dir);
    let v = json(&cfg, &["--dossier", "bilans", "--on", "2026-11-02"]);
    assert_eq!(v["dossier"], "bilans");
    assert_eq!(ids(&v), ["u-000004", "u-000030"], "{v}");
    // Pré-demandes: the administrateur too (implicit), and Marie only from the 2nd night.
    let v = json(&cfg, &["--dossier", "pre-demandes", "--on", "2026-11-01"]);
    assert_eq!(ids(&v), ["u-000001", "u-000020"], "{v}");
    refused(
        history(&cfg, &["--dossier", "bilan-de-sante"]),
        &["no such dossier"],
    );
}

#[test]
fn drift_lists_the_changes_by_hand_newest_first_and_since_narrows() {
    let dir = Workdir::new();
    let cfg = three_nights(&dir);
    let v = json(&cfg, &["--drift"]);
    assert_eq!(v["complete"], true);
    let line = |c: &Value| format!("{} {} {}", c["user_id"], c["op"], c["seen_at_run"]);
    let mut seen: Vec<String> = v["changes"].as_array().unwrap().iter().map(line).collect();
    seen.sort();
    let hand = |who: &str, op: &str| format!("\"{who}\" \"{op}\" \"{RUN3}\"");
    assert_eq!(
        seen,
        [
            hand("u-000004", "revoke_structure"),
            hand("u-000020", "grant_structure")
        ]
    );
    assert!(
        v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["after_run"] == RUN2)
    );
    // After the last observation: nothing seen, and not complete — never "no change".
    let later = json(&cfg, &["--drift", "--since", "2026-11-04"]);
    assert_eq!(later["changes"], json!([]));
    assert_eq!(later["complete"], false);
    let r = history(
        &cfg,
        &["--drift", "--since", "2026-11-04", "--format", "json"],
    );
    says(&r.stderr, &["not complete"]);
    let text = answered(history(&cfg, &["--drift"]));
    says(
        &text,
        &["structure removed: MA-00101 — Crèche Les Lutins (Namur)"],
    );
}

#[test]
fn csv_cells_that_excel_would_run_are_written_as_text() {
    let dir = Workdir::new();
    let cfg = three_nights(&dir);
    let ask = |extra: &[&str]| {
        history(
            &cfg,
            &[&["--structure", "MA-00101", "--on", "2026-11-02"], extra].concat(),
        )
    };
    let rows = csv_rows(&answered(ask(&["--format", "csv"])));
    let evil = rows
        .iter()
        .find(|row| row.iter().any(|c| c == "u-000030"))
        .unwrap_or_else(|| panic!("{rows:?}"));
    for cell in ["'=1+2", "'+cmd", "'@evil@lespetitspas.be"] {
        assert!(evil.contains(&cell.to_owned()), "{cell} not in {evil:?}");
    }
    for cell in rows.iter().flatten() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@']),
            "{cell:?} in {rows:?}"
        );
    }
    // The same in a --report file.
    let out = dir.join("holders.csv");
    answered(ask(&["--report", out.to_str().unwrap()]));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains(";'=1+2;") && !text.contains(";=1+2"),
        "{text}"
    );
}

/// Every cell of every sheet, as text.
fn xlsx_cells(path: &Path) -> Vec<String> {
    use calamine::{Reader, open_workbook_auto};
    let mut book = open_workbook_auto(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        out.extend(range.cells().map(|(_, _, c)| c.to_string()));
    }
    out
}

fn has_cells(cells: &[String], wanted: &[&str]) {
    for w in wanted {
        assert!(
            cells.iter().any(|c| c.contains(w)),
            "{w:?} not in {cells:?}"
        );
    }
}

#[test]
fn each_report_format_is_written_and_the_xlsx_answers_an_access_request() {
    let dir = Workdir::new();
    let cfg = three_nights(&dir);
    let paths: Vec<_> = ["answer.xlsx", "answer.csv", "answer.html", "answer.md"]
        .map(|n| dir.join(n))
        .into();
    let mut args = vec!["--lang", "fr", "--person", MARIE];
    for p in &paths {
        args.extend(["--report", p.to_str().unwrap()]);
    }
    answered(history(&cfg, &args));
    for p in &paths {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", p.display());
    }
    has_cells(
        &xlsx_cells(&paths[0]),
        &[
            "Réponse à une demande d'accès (RGPD, article 15) : accès au portail PRO.ONE",
            "Personne : Marie Dupont, e-mail marie.dupont@lespetitspas.be, identifiant d'utilisateur du portail u-000004.",
            "L'historique couvre la période du 01/11/2026 02:30 au 03/11/2026 02:30.",
            "Bilans",
            "MA-00101",
            "Crèche Les Lutins (Namur)",
            "2026-11-02 02:31",
            "approuvé par ana",
            "toujours en cours",
        ],
    );
    let html = std::fs::read_to_string(&paths[2]).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    says(&html, &["lang=\"fr\"", "approuvé par ana"]);
    let md = std::fs::read_to_string(&paths[3]).unwrap();
    assert!(md.starts_with("# Accès de Marie Dupont"), "{md}");
    says(&md, &["| Bilans |"]);
    // A drift workbook is the table under the same heading.
    let drift = dir.join("drift.xlsx");
    answered(history(
        &cfg,
        &["--drift", "--report", drift.to_str().unwrap()],
    ));
    has_cells(
        &xlsx_cells(&drift),
        &["revoke_structure", "Changes made by hand in the portal"],
    );
    // An extension with no history report is refused before anything is read.
    refused(
        history(
            &cfg,
            &["--drift", "--report", dir.join("x.json").to_str().unwrap()],
        ),
        &["use .xlsx, .csv, .html or .md"],
    );
}

#[test]
fn an_ambiguous_name_lists_the_candidates_and_an_unknown_person_is_said() {
    let dir = Workdir::new();
    let cfg = three_nights(&dir);
    let out = refused(
        history(&cfg, &["--person", "Jean Martin"]),
        &[
            "\"Jean Martin\" names 2 people",
            "jean.martin@lespetitspas.be> (u-000020)",
            "jean.martin2@lespetitspas.be> (u-000021)",
        ],
    );
    assert!(out.is_empty(), "{out}");
    refused(
        history(&cfg, &["--person", "Nobody Here"]),
        &["nobody in the history matches \"Nobody Here\""],
    );
    // Exactly one question per call.
    refused(
        history(&cfg, &["--drift", "--person", MARIE]),
        &["cannot be used with"],
    );
    refused(history(&cfg, &["--on", "2026-11-02"]), &["--structure"]);
}

#[test]
fn a_missing_store_is_a_note_and_an_incomplete_answer_never_nobody() {
    let dir = Workdir::new();
    let cfg = dir.config("");
    let v = json(&cfg, &["--structure", "MA-00101", "--on", "2026-11-02"]);
    assert_eq!(v["observed"], Value::Null);
    assert_eq!(v["complete"], false);
    assert_eq!(v["people"], json!([]));
    let r = history(&cfg, &["--drift"]);
    says(&r.stderr, &["no apply has recorded the history yet"]);
    let text = answered(r);
    says(&text, &["The history has observed nothing yet"]);
    assert!(!text.contains("No change"), "{text}");
    // Read-only: asking never creates it.
    assert!(!dir.state("history.sqlite").exists());
    let verified = answered(history(&cfg, &["--verify"]));
    says(&verified, &["nothing to verify"]);
}

#[test]
fn a_store_of_another_version_or_not_a_store_is_said_and_the_answer_is_incomplete() {
    // cli.md: history goes on without a store it cannot read (a note); --verify refuses it.
    let dir = Workdir::new();
    let cfg = three_nights(&dir);
    tamper(&dir, "PRAGMA user_version = 99;");
    let r = history(&cfg, &["--drift", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    says(
        &r.stderr,
        &["was written by a newer proone-sync (schema 99)"],
    );
    let v: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    assert_eq!(v["complete"], false, "{v}");
    assert_eq!(v["changes"], serde_json::json!([]), "{v}");
    refused(
        history(&cfg, &["--verify"]),
        &["was written by a newer proone-sync (schema 99)"],
    );
    let other = Workdir::new();
    let cfg = other.config("");
    std::fs::create_dir_all(other.join("state")).unwrap();
    std::fs::write(other.state("history.sqlite"), "not SQLite ".repeat(99)).unwrap();
    let r = history(&cfg, &["--structure", "MA-00101", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    says(&r.stderr, &["cannot read the history store"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    assert_eq!(v["complete"], false, "{v}");
    refused(
        history(&cfg, &["--verify"]),
        &["cannot read the history store"],
    );
}

#[test]
fn verify_holds_then_breaks_where_the_store_was_edited() {
    let dir = Workdir::new();
    let cfg = three_nights(&dir);
    let en = answered(history(&cfg, &["--verify"]));
    assert_eq!(
        en.trim(),
        format!("verified from {RUN1} (3 runs, 3 journal anchors)")
    );
    let fr = answered(history(&cfg, &["--lang", "fr", "--verify"]));
    assert_eq!(
        fr.trim(),
        format!("vérifié depuis {RUN1} (3 exécutions, 3 ancres de journaux)")
    );
    // Someone makes the job the author of a change made by hand.
    tamper(
        &dir,
        &format!("UPDATE changes SET by = 'job' WHERE run = '{RUN3}' AND user_id = 'u-000020';"),
    );
    let out = refused(history(&cfg, &["--verify"]), &[]);
    assert_eq!(
        out.trim(),
        format!("the history breaks at run {RUN3} (a change it recorded was edited)")
    );
    assert_eq!(broken(&cfg), (RUN3.to_owned(), "row-edited".to_owned()));
}

/// `--verify --format json` of a store that does not hold (exit 1): its verdict.
fn broken(cfg: &Path) -> (String, String) {
    let out = refused(history(cfg, &["--verify", "--format", "json"]), &[]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(v["verified"], false, "{v}");
    let text = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
    (text("run"), text("why"))
}

#[test]
fn verify_sees_a_run_deleted_whole_and_an_interval_reopened() {
    // Every trace of the third night in the database — its run, its changes, the intervals it
    // began, the ends it wrote: only its journal's anchor is left to tell.
    let dir = Workdir::new();
    let cfg = three_nights(&dir);
    let of_run3 = format!("(SELECT seq FROM changes WHERE run = '{RUN3}')");
    tamper(
        &dir,
        &format!(
            "DELETE FROM intervals WHERE began IN {of_run3};
         UPDATE intervals SET ended = NULL WHERE ended IN {of_run3};
         DELETE FROM changes WHERE run = '{RUN3}'; DELETE FROM runs WHERE id = '{RUN3}';"
        ),
    );
    assert_eq!(broken(&cfg), (RUN3.to_owned(), "run-missing".to_owned()));
    says(
        &refused(history(&cfg, &["--verify"]), &[]),
        &["no longer holds it"],
    );
    // Marie's MA-00101 made to look still held: its end cleared, the change row left alone.
    let dir = Workdir::new();
    let cfg = three_nights(&dir);
    tamper(
        &dir,
        "UPDATE intervals SET ended = NULL WHERE item = 'MA-00101' AND user_id = 'u-000004';",
    );
    assert_eq!(
        broken(&cfg),
        (RUN3.to_owned(), "interval-inconsistent".to_owned())
    );
}

#[test]
fn an_nrn_on_stdin_is_resolved_through_the_portal_and_never_shown_whole() {
    let dir = Workdir::new();
    let cfg = three_nights(&dir);
    let e = emulator_with(Default::default());
    let answer = dir.join("answer.xlsx");
    let ask = |stdin: &str, extra: &[&str]| {
        let mut cmd = bin();
        cmd.arg("--config")
            .arg(&cfg)
            .env("PROONE_URL", e.base_url())
            .env("PROONE_TOKEN", ADMIN_TOKEN);
        run(cmd
            .args(["history", "--person", "-"])
            .args(extra)
            .write_stdin(stdin.to_owned()))
    };
    // Written as people do, with separators.
    let r = ask(
        "85.07.30-033.28\n",
        &["--format", "json", "--report", answer.to_str().unwrap()],
    );
    let both = format!("{}{}", r.stdout, r.stderr);
    assert!(
        !both.contains(MARIE_NRN) && !both.contains("85.07.30"),
        "{both}"
    );
    let v: Value = serde_json::from_str(&answered(r)).unwrap();
    assert_eq!(v["people"][0]["user_id"], "u-000004");
    let cells = xlsx_cells(&answer);
    has_cells(&cells, &["*******3328", "u-000004"]);
    assert!(cells.iter().all(|c| !c.contains(MARIE_NRN)), "{cells:?}");
    says(
        &answered(ask(MARIE_NRN, &[])),
        &["National register number: *******3328"],
    );
    // Someone in the portal the history knows nothing about.
    refused(
        ask("62030310264", &[]),
        &["the history holds nothing about the portal user u-000003"],
    );
    // A valid NRN nobody in the portal has, and one that is no NRN: said masked, exit 1.
    refused(
        ask("90010112395", &[]),
        &["no current portal user has the NRN *******2395"],
    );
    let r = ask("00010110006", &[]);
    assert!(!r.stderr.contains("00010110006"), "{}", r.stderr);
    refused(r, &["*******0006 is not a valid national register number"]);
    // The store never holds an NRN.
    let db = std::fs::read(dir.state("history.sqlite")).unwrap();
    assert!(!db.windows(11).any(|w| w == MARIE_NRN.as_bytes()));
}
