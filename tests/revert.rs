//! Undoing a run end to end (issue 26, evidence.md "Revert a run"): the real binary against the
//! emulator over loopback. A run that creates three people, grants and (with `--prune`)
//! revokes, then a change by hand: `plan --revert` is exactly the run's inverse but that item
//! (listed superseded) and `apply --revert` puts every other item back; a created user keeps
//! what a person gave them; a held revert and the night's held plan each wait and are approved
//! on their own; each phase of a two-phase run is reverted alone; what the staff list would
//! grant again is `redone-by-inputs` at its row; the revert of a revert gives the run's result
//! back; a revert past the guard is held; a revert killed midway converges when applied again,
//! writing nothing twice; an unknown run, or one whose journal is gone, is refused naming the
//! oldest run that can still be reverted.

mod common;
mod revert_support;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use proone_sync::emulator::{Faults, RunningEmulator};
use revert_support::*;

#[test]
fn the_revert_is_the_run_s_inverse_but_what_a_person_changed_and_puts_the_rest_back() {
    let (dir, e, staff) = case("");
    let d = dir.path();
    let before = access(&e);
    let run = night(d, &e, &staff);
    let wrote = done(d, &run);
    assert!(
        wrote.iter().any(|w| w.0.starts_with("revoke_")) && wrote.len() > 9,
        "{wrote:?}"
    );
    // By hand: the Pré-demandes the run gave Inès is taken away again.
    by_hand(
        &e,
        reqwest::Method::DELETE,
        "/users/u-000005/dossiers/pre-demandes",
    );
    let touched = (
        "grant_dossier".to_owned(),
        "u-000005".to_owned(),
        "pre-demandes".to_owned(),
    );
    let plan = json(&ok(
        d,
        &e,
        0,
        &["plan", "--revert", &run, "--format", "json"],
    ));
    assert_eq!(plan["mode"], "revert");
    assert_eq!(plan["source"], format!("revert:{run}").as_str());
    let expected: BTreeSet<_> = wrote
        .iter()
        .filter(|w| **w != touched)
        .map(|(op, u, i)| (inverse(op), u.clone(), i.clone()))
        .collect();
    assert_eq!(actions(&plan), expected);
    let line = 1 + std::fs::read_to_string(d.join(format!("state/journal-{run}.jsonl")))
        .unwrap()
        .lines()
        .position(|l| l.contains("\"pre-demandes\"") && l.contains("u-000005"))
        .unwrap();
    assert!(
        codes(&plan).contains(&(
            "revert-superseded".into(),
            format!("journal-{run}.jsonl:{line}")
        )),
        "{plan:#}"
    );
    // The three created users are listed: they stay.
    let created = plan["revert"]["created"].as_array().unwrap();
    assert_eq!(created.len(), 3, "{plan:#}");
    assert_eq!(plan["revert"]["compared"], "history");
    every_report_says_it(d, &e, &run);

    ok(
        d,
        &e,
        0,
        &["apply", "--revert", &run, "--yes", "--allow-mass-change"],
    );
    let revert = last_run(d, &e);
    assert!(
        !done(d, &revert)
            .iter()
            .any(|w| w.1 == "u-000005" && w.2 == "pre-demandes")
    );
    let now = access(&e);
    for (id, was) in &before {
        assert_eq!(now.get(id), Some(was), "{id}");
    }
    let new: Vec<_> = now.keys().filter(|id| !before.contains_key(*id)).collect();
    assert_eq!(new.len(), 3, "{new:?}");
    for id in new {
        assert_eq!(
            now[id],
            Default::default(),
            "{id} keeps nothing of the run's"
        );
    }
    // `runs` and the history store show the revert, by the job.
    let runs = json(&ok(d, &e, 0, &["runs", "--format", "json"]));
    assert_eq!(
        runs["runs"][0]["phases"][0]["source"],
        format!("revert:{run}").as_str()
    );
    the_store_credits_the_revert(d, &run, &revert);
}

/// The revert plan of `run` in French, and in every report format.
fn every_report_says_it(d: &Path, e: &RunningEmulator, run: &str) {
    let fr = ok(d, e, 0, &["--lang", "fr", "plan", "--revert", run]);
    assert!(
        fr.stdout.contains(&format!("Annulation de {run}")),
        "{}",
        fr.stdout
    );
    assert!(fr.stdout.contains("laissé tel quel"), "{}", fr.stdout);
    let reports = ["r.md", "r.csv", "r.html", "r.json", "r.txt"].map(|f| d.join(f));
    let mut args = vec!["plan", "--revert", run];
    for r in &reports {
        args.extend(["--report", r.to_str().unwrap()]);
    }
    ok(d, e, 0, &args);
    for r in &reports {
        let text = std::fs::read_to_string(r).unwrap();
        assert!(text.contains("aerts.nouvelle@lespetitspas.be"), "{text}");
    }
    assert!(
        std::fs::read_to_string(&reports[2])
            .unwrap()
            .contains("id=\"revert\"")
    );
    assert!(
        std::fs::read_to_string(&reports[1])
            .unwrap()
            .contains("created by the run")
    );
}

/// The history store has the revert's changes by the job, citing the lines of `run`'s journal
/// they undid (Lotte's MA-00136, revoked by the run, given back by the revert).
fn the_store_credits_the_revert(d: &Path, run: &str, revert: &str) {
    use proone_sync::history::{Cause, Opened, Store};
    let Opened::Ready(store) = Store::open_ro(&d.join("state")) else {
        panic!("no history store");
    };
    let lotte = store.person("u-000008", None, None).unwrap().unwrap();
    let ma = lotte
        .access
        .iter()
        .find(|a| a.structure.as_deref() == Some("MA-00136"))
        .unwrap();
    match &ma.intervals.last().unwrap().began {
        // By the revert's run, citing the line of the run's journal it undid.
        Cause::Job {
            run: by, sources, ..
        } => {
            assert_eq!(by, revert);
            let undone = format!("journal-{run}.jsonl:");
            assert!(sources[0].starts_with(&undone), "{sources:?}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_user_the_run_created_keeps_the_dossier_a_person_gave_them() {
    let (dir, e, staff) = case("");
    let d = dir.path();
    let run = night(d, &e, &staff);
    let now = access(&e);
    let aerts = json(&ok(
        d,
        &e,
        0,
        &["plan", "--revert", &run, "--format", "json"],
    ))["revert"]["created"][0]["user_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(now[&aerts].0, BTreeSet::from(["bilans".to_owned()]));
    by_hand(
        &e,
        reqwest::Method::PUT,
        &format!("/users/{aerts}/dossiers/mon-equipe"),
    );
    let plan = json(&ok(
        d,
        &e,
        0,
        &["plan", "--revert", &run, "--format", "json"],
    ));
    let c = &plan["revert"]["created"][0];
    assert_eq!(c["user_id"], aerts.as_str());
    assert_eq!(c["dossiers"], serde_json::json!(["mon-equipe"]));
    ok(
        d,
        &e,
        0,
        &["apply", "--revert", &run, "--yes", "--allow-mass-change"],
    );
    assert_eq!(
        access(&e)[&aerts],
        (BTreeSet::from(["mon-equipe".to_owned()]), BTreeSet::new())
    );
}

#[test]
fn a_held_revert_and_the_night_s_held_plan_each_wait_and_are_approved_on_their_own() {
    let (dir, e, staff) = case("");
    let d = dir.path();
    let run = night(d, &e, &staff);
    let after_run = access(&e);
    // The revert revokes more than 10 % of what its users hold: held (exit 5), nothing written.
    let r = ok(d, &e, 5, &["apply", "--revert", &run, "--yes"]);
    assert!(r.stdout.contains("held for approval"), "{}", r.stdout);
    // The night's own run holds its revocations too.
    let strip = strip_ten(d, &e, "");
    ok(
        d,
        &e,
        5,
        &["apply", "--yes", "--prune", strip.to_str().unwrap()],
    );
    let both = held(d, &e);
    let sources: BTreeSet<&str> = both.iter().map(|h| h["source"].as_str().unwrap()).collect();
    assert_eq!(
        sources,
        BTreeSet::from(["inputs", format!("revert:{run}").as_str()]),
        "{both:#?}"
    );
    assert!(both.iter().all(|h| h["state"] == "pending"), "{both:#?}");
    for h in &both {
        let fp = h["fingerprint"].as_str().unwrap();
        ok(d, &e, 0, &["approve", fp, "--by", "ana"]);
    }
    // The next night applies both approved plans first, each its own phase.
    ok(
        d,
        &e,
        0,
        &["apply", "--yes", "--prune", strip.to_str().unwrap()],
    );
    let both = held(d, &e);
    assert!(both.iter().all(|h| h["state"] == "applied"), "{both:#?}");
    let runs = json(&ok(d, &e, 0, &["runs", "--format", "json"]));
    let phases = runs["runs"][0]["phases"].as_array().unwrap();
    assert!(phases.len() >= 2, "{phases:#?}");
    // The revert's revocations were applied (the inputs' phase then gave the three their
    // access back: the staff list still asks for it).
    let night = last_run(d, &e);
    let text = std::fs::read_to_string(d.join(format!("state/journal-{night}.jsonl"))).unwrap();
    assert!(
        text.contains(&format!("\"origin\":\"revert:{run}\"")),
        "{text}"
    );
    assert_ne!(after_run, access(&e));
}

#[test]
fn each_phase_of_a_two_phase_run_is_reverted_on_its_own() {
    let (dir, e, _) = case("");
    let d = dir.path();
    // Night A holds the revocations of ten people.
    let strip = strip_ten(d, &e, "");
    ok(
        d,
        &e,
        5,
        &["apply", "--yes", "--prune", strip.to_str().unwrap()],
    );
    let fp = held(d, &e)[0]["fingerprint"].as_str().unwrap().to_owned();
    ok(d, &e, 0, &["approve", &fp, "--by", "ana"]);
    let before = access(&e);
    // Night B: the approved plan (phase 1), then its inputs, which now give Inès Bilans.
    let more = strip_ten(d, &e, "Maes;Inès;ines.maes4@lespetitspas.be;;;Bilans;\n");
    ok(
        d,
        &e,
        0,
        &["apply", "--yes", "--prune", more.to_str().unwrap()],
    );
    let b = last_run(d, &e);
    let phase = |n: &str| {
        json(&ok(
            d,
            &e,
            0,
            &["plan", "--revert", &b, "--phase", n, "--format", "json"],
        ))
    };
    let one = actions(&phase("1"));
    assert!(
        one.len() > 20 && one.iter().all(|a| a.0.starts_with("grant_")),
        "{one:?}"
    );
    assert!(!one.contains(&("grant_dossier".into(), "u-000005".into(), "bilans".into())));
    let two = actions(&phase("2"));
    assert_eq!(
        two,
        BTreeSet::from([("revoke_dossier".into(), "u-000005".into(), "bilans".into())])
    );
    assert_eq!(phase("2")["revert"]["phase"], 2);
    let r = proone(d, &e, &["plan", "--revert", &b, "--phase", "3"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("2 phases"), "{}", r.stderr);
    // Phase 2 alone, then phase 1 alone: the portal as before night B. Phase 2's revocation
    // trips the guard and is held under its own source (a held revert of one phase never
    // supersedes another phase's), approved, then applied.
    ok(
        d,
        &e,
        5,
        &["apply", "--revert", &b, "--phase", "2", "--yes"],
    );
    let pending: Vec<serde_json::Value> = held(d, &e)
        .into_iter()
        .filter(|h| h["state"] == "pending")
        .collect();
    assert_eq!(pending.len(), 1, "{pending:#?}");
    assert_eq!(pending[0]["source"], format!("revert:{b}#2"));
    let fp = pending[0]["fingerprint"].as_str().unwrap().to_owned();
    ok(d, &e, 0, &["approve", &fp, "--by", "ana"]);
    let plan = dir.state(&format!("held-{fp}.json"));
    ok(
        d,
        &e,
        0,
        &["apply", "--yes", "--plan", plan.to_str().unwrap()],
    );
    assert_eq!(access(&e)["u-000005"].0, BTreeSet::new());
    ok(
        d,
        &e,
        0,
        &["apply", "--revert", &b, "--phase", "1", "--yes"],
    );
    assert_eq!(access(&e), before);
}

#[test]
fn each_undone_grant_the_staff_list_still_asks_for_is_redone_by_inputs_at_its_row() {
    let dir = Workdir::new();
    let d = dir.path();
    let e = emulator_with(Faults::default());
    let staff = write(
        d,
        "personnel.csv",
        format!(
            "{HEADER}Aerts;Nouvelle;aerts.nouvelle@lespetitspas.be;{};oui;Bilans;MA-00101\n\
             Maes;Inès;ines.maes4@lespetitspas.be;;;Mon équipe, Bilans;MA-00121\n",
            nrn(0)
        ),
    );
    config_in(d, "inputs = [\"personnel.csv\"]\n");
    ok(d, &e, 0, &["apply", "--yes"]);
    let run = last_run(d, &e);
    let saved = d.join("revert.json");
    let plan = json(&ok(
        d,
        &e,
        0,
        &[
            "plan",
            "--revert",
            &run,
            "--format",
            "json",
            "--out",
            saved.to_str().unwrap(),
        ],
    ));
    let redone: Vec<String> = codes(&plan)
        .into_iter()
        .filter(|c| c.0 == "redone-by-inputs")
        .map(|c| c.1)
        .collect();
    let row = |n: u32| format!("{}:{n}", staff.display());
    assert_eq!(redone, [row(2), row(2), row(3)], "{plan:#}");
    // The saved plan keeps its source under the fingerprint; a change to a touched user since
    // makes it stale.
    let text = std::fs::read_to_string(&saved).unwrap();
    assert!(
        text.contains(&format!("\"source\": \"revert:{run}\"")),
        "{text}"
    );
    by_hand(
        &e,
        reqwest::Method::PUT,
        "/users/u-000005/dossiers/pre-demandes",
    );
    let r = proone(
        d,
        &e,
        &["apply", "--plan", saved.to_str().unwrap(), "--yes"],
    );
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    // Given the staff list on the command line instead, the same rows are named.
    let other = json(&ok(
        d,
        &e,
        0,
        &[
            "plan",
            "--revert",
            &run,
            "--format",
            "json",
            staff.to_str().unwrap(),
        ],
    ));
    assert_eq!(
        codes(&other)
            .iter()
            .filter(|c| c.0 == "redone-by-inputs")
            .count(),
        3
    );
}

#[test]
fn reverting_the_revert_gives_the_run_s_result_back() {
    let (dir, e, staff) = case("");
    let d = dir.path();
    let run = night(d, &e, &staff);
    let result = access(&e);
    ok(
        d,
        &e,
        0,
        &["apply", "--revert", &run, "--yes", "--allow-mass-change"],
    );
    let revert = last_run(d, &e);
    assert_ne!(access(&e), result);
    ok(
        d,
        &e,
        0,
        &["apply", "--revert", &revert, "--yes", "--allow-mass-change"],
    );
    assert_eq!(access(&e), result);
}

#[test]
fn a_revert_past_the_guard_is_held_for_approval_or_stopped() {
    let (dir, e, staff) = case("[guards]\non_trip = \"stop\"\n");
    let d = dir.path();
    let run = night(d, &e, &staff);
    let result = access(&e);
    let r = proone(d, &e, &["apply", "--revert", &run, "--yes"]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(access(&e), result);
    let plan = proone(d, &e, &["plan", "--revert", &run, "--format", "json"]);
    assert_eq!(plan.code, 1);
    assert!(
        codes(&json(&plan))
            .iter()
            .any(|c| c.0 == "guard-revocations")
    );
    // Under on_trip = "hold": held, every revocation marked, nothing revoked.
    config_in(d, "");
    let plan = json(&ok(
        d,
        &e,
        0,
        &["plan", "--revert", &run, "--format", "json"],
    ));
    let revocations = plan["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["op"].as_str().unwrap().starts_with("revoke_"))
        .collect::<Vec<_>>();
    assert!(revocations.iter().all(|a| a["held"] == true), "{plan:#}");
    ok(d, &e, 5, &["apply", "--revert", &run, "--yes"]);
    let h = held(d, &e);
    assert_eq!(h.len(), 1);
    assert_eq!(h[0]["source"], format!("revert:{run}").as_str());
    let fp = h[0]["fingerprint"].as_str().unwrap().to_owned();
    // Its grants were applied; its revocations wait.
    assert!(result.iter().any(|(id, a)| access(&e)[id] != *a));
    ok(d, &e, 0, &["approve", &fp, "--by", "ana"]);
    let path = d.join(format!("state/held-{fp}.json"));
    ok(
        d,
        &e,
        0,
        &["apply", "--plan", path.to_str().unwrap(), "--yes"],
    );
    assert_eq!(held(d, &e)[0]["state"], "applied");
}

#[test]
fn a_revert_killed_midway_converges_when_applied_again_writing_nothing_twice() {
    let dir = Workdir::new();
    let d = dir.path();
    let e = emulator_with(Faults::default());
    config_in(d, "");
    let now = access(&e);
    let o = observed(&e);
    let mut csv = String::from(HEADER);
    for u in o
        .users
        .iter()
        .filter(|u| {
            !u.admin
                && u.dossiers
                    .iter()
                    .all(|d| d.code() != "prepacc-autorisation")
        })
        .take(10)
    {
        csv.push_str(&format!(
            "{};{};{};;;Prepacc/Autorisation;\n",
            u.last_name, u.first_name, u.email
        ));
    }
    let staff = write(d, "staff.csv", csv);
    ok(d, &e, 0, &["apply", "--yes", staff.to_str().unwrap()]);
    let run = last_run(d, &e);
    let mut child = std_bin()
        .current_dir(d)
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .arg("--config")
        .arg(d.join("proone-sync.toml"))
        .args(["apply", "--revert", &run, "--yes", "--allow-mass-change"])
        .args(["--rate-limit", "2", "--concurrency", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let own = format!("journal-{run}.jsonl");
    let killed = loop {
        let found = dir
            .state_files("journal-")
            .into_iter()
            .filter(|j| !j.ends_with(&own))
            .find(|j| {
                std::fs::read_to_string(j)
                    .is_ok_and(|t| t.matches("\"status\":\"done\"").count() >= 3)
            });
        if let Some(j) = found {
            // SIGKILL: no end line, no history recorded.
            child.kill().unwrap();
            break j;
        }
        assert!(started.elapsed().as_secs() < 60, "the revert never wrote 3");
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let _ = child.wait();
    let id = killed.file_name().unwrap().to_string_lossy();
    let first = id
        .strip_prefix("journal-")
        .unwrap()
        .strip_suffix(".jsonl")
        .unwrap()
        .to_owned();
    let first_done = done(d, &first);
    assert!(
        first_done.len() >= 3 && first_done.len() < 10,
        "{first_done:?}"
    );
    // The plan of the second try leaves out what the first put back.
    let plan = json(&ok(
        d,
        &e,
        0,
        &["plan", "--revert", &run, "--format", "json"],
    ));
    assert_eq!(plan["revert"]["already_undone"], first_done.len());
    ok(
        d,
        &e,
        0,
        &["apply", "--revert", &run, "--yes", "--allow-mass-change"],
    );
    let second = last_run(d, &e);
    let second_done = done(d, &second);
    let all: Vec<_> = first_done.iter().chain(&second_done).collect();
    let distinct: BTreeSet<_> = all.iter().collect();
    assert_eq!(all.len(), distinct.len(), "written twice: {all:?}");
    // A write the kill caught in flight took effect unjournaled: the second plan leaves it,
    // listed (never sent twice).
    let caught = plan["revert"]["superseded"].as_u64().unwrap_or(0) as usize;
    assert_eq!(all.len() + caught, 10, "{all:?}");
    assert_eq!(access(&e), now);
}

#[test]
fn an_unknown_run_or_one_whose_journal_is_gone_is_refused_naming_the_oldest_left() {
    let (dir, e, staff) = case("");
    let d = dir.path();
    let first = night(d, &e, &staff);
    let second = night(d, &e, &staff);
    std::fs::remove_file(d.join(format!("state/journal-{first}.jsonl"))).unwrap();
    for (run, said) in [
        ("run-20000101T000000Z", "no such run"),
        (first.as_str(), "is gone"),
        ("../../etc/passwd", "no such run"),
    ] {
        for cmd in [
            ["plan", "--revert", run, ""],
            ["apply", "--revert", run, "--yes"],
        ] {
            let args: Vec<&str> = cmd.into_iter().filter(|a| !a.is_empty()).collect();
            let r = proone(d, &e, &args);
            assert_eq!(r.code, 1, "{args:?}\n{}", r.stderr);
            assert!(r.stderr.contains(said), "{}", r.stderr);
            assert!(
                r.stderr.contains(&format!(
                    "oldest run that can still be reverted is {second}"
                )),
                "{}",
                r.stderr
            );
        }
    }
}
