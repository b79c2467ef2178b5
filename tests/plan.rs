//! `proone-sync plan` through the real binary against the emulator over loopback: the exact
//! JSON of a dry run, never a write, the embedded demo, saved plans (0600, whole NRNs only
//! there), reports with no whole NRN and no token, exit codes.

mod common;

use common::*;
use proone_sync::emulator::{Faults, RunningEmulator};
use serde_json::Value;

const ADMIN: &str = "tok-admin-7f3c9a";

fn emulator() -> RunningEmulator {
    emulator_with(Faults::default())
}

fn plan_cmd(e: &RunningEmulator, args: &[&str]) -> Run {
    run(bin()
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .arg("plan")
        .args(args))
}

fn ops(v: &Value) -> Vec<(String, String, String, String)> {
    v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let s = |k: &str| a[k].as_str().unwrap_or("").to_owned();
            (s("op"), s("email"), s("dossier"), s("structure"))
        })
        .collect()
}

#[test]
fn a_dry_run_is_exact_and_never_writes() {
    let e = emulator();
    let dir = tempfile::tempdir().unwrap();
    let staff = write(
        dir.path(),
        "staff.csv",
        "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures\n\
         Dupont;Marie;marie.dupont@lespetitspas.be;;;Bilans;Crèche Les Lutins\n\
         Lefèvre;Anaïs;anais.lefevre@lespetitspas.be;90.02.15-124.69;oui;Pré-demandes;MA-00110\n",
    );
    let r = plan_cmd(&e, &["--format", "json", staff.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["format"], "proone-sync.plan/1");
    assert_eq!(v["mode"], "additive");
    assert_eq!(
        v["summary"],
        serde_json::json!({"create_user": 1, "grant_dossier": 2, "grant_structure": 1, "revoke_dossier": 0,
            "revoke_structure": 0, "implicit": 0, "unchanged_people": 0, "invalid_rows": 0, "warnings": 0, "held": 0})
    );
    let s = |a: &str| a.to_owned();
    assert_eq!(
        ops(&v),
        vec![
            (
                s("create_user"),
                s("anais.lefevre@lespetitspas.be"),
                s(""),
                s("")
            ),
            (
                s("grant_dossier"),
                s("anais.lefevre@lespetitspas.be"),
                s("pre-demandes"),
                s("")
            ),
            (
                s("grant_structure"),
                s("anais.lefevre@lespetitspas.be"),
                s(""),
                s("MA-00110")
            ),
            (
                s("grant_dossier"),
                s("marie.dupont@lespetitspas.be"),
                s("bilans"),
                s("")
            ),
        ]
    );
    let a = &v["actions"];
    assert_eq!(a[1]["depends_on"], serde_json::json!([1]));
    assert_eq!(a[3]["user_id"], "u-000004");
    assert!(a[0]["user_id"].is_null());
    assert!(
        a[3]["sources"][0]
            .as_str()
            .unwrap()
            .ends_with("staff.csv:2")
    );
    assert_eq!(v["fingerprint"].as_str().unwrap().len(), 16);
    // Read calls only: /me, /dossiers, one page of structures, one of users.
    let st = stats(&e);
    let me = &st["callers"]["u-000001"];
    assert_eq!(
        (me["writes"].clone(), me["requests"].clone()),
        (serde_json::json!(0), serde_json::json!(4))
    );
    // The same inputs in another order: the same plan.
    let reordered = write(
        dir.path(),
        "staff2.csv",
        "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures\n\
         Lefèvre;Anaïs;anais.lefevre@lespetitspas.be;90.02.15-124.69;oui;Pré-demandes;MA-00110\n\
         Dupont;Marie;marie.dupont@lespetitspas.be;;;Bilans;Crèche Les Lutins\n",
    );
    let r2 = plan_cmd(&e, &["--format", "json", reordered.to_str().unwrap()]);
    let v2: Value = serde_json::from_str(&r2.stdout).unwrap();
    assert_eq!(v2["fingerprint"], v["fingerprint"]);
    // --detailed-exitcode: 2 with changes.
    let r = plan_cmd(&e, &["--detailed-exitcode", staff.to_str().unwrap()]);
    assert_eq!(r.code, 2);
}

#[test]
fn saved_plans_are_private_and_only_they_hold_whole_nrns() {
    let e = emulator();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan.json");
    let reports: Vec<std::path::PathBuf> = ["r.json", "r.md", "r.csv", "r.txt"]
        .iter()
        .map(|n| dir.path().join(n))
        .collect();
    let mut args: Vec<String> = vec!["--out".into(), out.to_str().unwrap().into()];
    for r in &reports {
        args.push("--report".into());
        args.push(r.to_str().unwrap().into());
    }
    args.extend(
        [
            "fixtures/personnel.xlsx",
            "fixtures/nouveaux-cp1252.csv",
            "fixtures/toegang-nl.ods",
        ]
        .map(String::from),
    );
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = plan_cmd(&e, &argv);
    assert_eq!(r.code, 3, "{}", r.stderr);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(saved["format"], "proone-sync.plan/1");
    assert_eq!(saved["organisation"]["id"], "org-0042");
    assert_eq!(saved["portal_url"], e.base_url());
    let creates: Vec<&Value> = saved["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["op"] == "create_user")
        .collect();
    assert!(!creates.is_empty());
    let nrns: Vec<&str> = creates
        .iter()
        .map(|a| a["new_user"]["nrn"].as_str().unwrap())
        .collect();
    assert!(
        nrns.iter()
            .all(|n| n.len() == 11 && n.bytes().all(|b| b.is_ascii_digit()))
    );
    assert!(
        saved["users"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["user_id"] == "u-000004" && u["version"] == 3)
    );
    // Everything else: no whole NRN, no token.
    let mut texts = vec![r.stdout.clone(), r.stderr.clone()];
    for p in &reports {
        texts.push(std::fs::read_to_string(p).unwrap());
    }
    for (i, t) in texts.iter().enumerate() {
        for n in &nrns {
            assert!(!t.contains(n), "output {i} holds a whole NRN");
        }
        assert!(!t.contains(ADMIN), "output {i} holds the token");
        // The fingerprint is hex, and may hold a long run of digits by chance.
        let fingerprint = saved["fingerprint"].as_str().unwrap();
        let long_digits = t
            .replace(fingerprint, "")
            .split(|c: char| !c.is_ascii_digit())
            .filter(|d| d.len() >= 9)
            .count();
        assert_eq!(long_digits, 0, "output {i}");
    }
    let csv = std::fs::read_to_string(&reports[2]).unwrap();
    assert!(csv.starts_with('\u{feff}') && csv.lines().next().unwrap().contains(";op;"));
    let md = std::fs::read_to_string(&reports[1]).unwrap();
    assert!(md.starts_with("# proone-sync plan `"));
    let json_report: Value =
        serde_json::from_str(&std::fs::read_to_string(&reports[0]).unwrap()).unwrap();
    assert_eq!(json_report["fingerprint"], saved["fingerprint"]);
}

#[test]
fn the_embedded_demo_runs_with_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let root = root();
    let cfg = write(
        dir.path(),
        "demo.toml",
        format!(
            "inputs = [\"{}\", \"{}\"]\n[portal.emulator]\nseed = \"{}\"\ntoken = \"{ADMIN}\"\n",
            root.join("fixtures/personnel.xlsx").display(),
            root.join("fixtures/acces-grille.xlsx").display(),
            root.join("fixtures/portal-seed.json").display()
        ),
    );
    let r = run(bin()
        .env_remove("PROONE_URL")
        .arg("--config")
        .arg(&cfg)
        .args(["plan", "--format", "json"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v["summary"]["create_user"].as_u64().unwrap() >= 2);
    assert!(
        dir.path().join(".proone-sync/portal.sqlite").exists(),
        "its state is in the state directory"
    );
    // Deterministic: the same plan again.
    let r2 = run(bin()
        .env_remove("PROONE_URL")
        .arg("--config")
        .arg(&cfg)
        .args(["plan", "--format", "json"]));
    let v2: Value = serde_json::from_str(&r2.stdout).unwrap();
    assert_eq!(v["fingerprint"], v2["fingerprint"]);
}

#[test]
fn guards_strict_and_failures_exit_1() {
    let e = emulator();
    let dir = tempfile::tempdir().unwrap();
    // Marie holds pre-demandes + MA-00101; pruning them both is 100 % of her grants.
    let staff = write(
        dir.path(),
        "staff.csv",
        "Email;Dossiers\nmarie.dupont@lespetitspas.be;Mon équipe\n",
    );
    // Under on_trip = "hold" (the default): a warning, what apply would hold marked, exit 0.
    let r = plan_cmd(
        &e,
        &["--prune", "--format", "json", staff.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        problems(&v)
            .iter()
            .any(|(s, _, m)| s == "warning" && m.starts_with("guard: 2 revocations"))
    );
    assert_eq!(v["summary"]["held"], 2);
    for a in v["actions"].as_array().unwrap() {
        let revocation = a["op"].as_str().unwrap().starts_with("revoke_");
        assert_eq!(a["held"], revocation, "{a}");
        assert_eq!(a["leaver"], false);
    }
    assert_eq!(v["scope"], "listed");
    // Under "stop": an error, exit 1.
    let cfg = write(dir.path(), "stop.toml", "[guards]\non_trip = \"stop\"\n");
    let r = run(bin()
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .args([
            "--config",
            cfg.to_str().unwrap(),
            "plan",
            "--prune",
            "--format",
            "json",
        ])
        .arg(&staff));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        problems(&v)
            .iter()
            .any(|(s, _, m)| s == "error" && m.starts_with("guard: 2 revocations"))
    );
    assert_eq!(v["summary"]["held"], 0);
    let r = plan_cmd(
        &e,
        &[
            "--prune",
            "--allow-mass-change",
            "--format",
            "json",
            staff.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        (
            v["summary"]["revoke_dossier"].clone(),
            v["summary"]["revoke_structure"].clone()
        ),
        (serde_json::json!(1), serde_json::json!(1))
    );
    let r = plan_cmd(&e, &["--strict", "fixtures/acces-grille.xlsx"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("--strict: the inputs have errors"),
        "{}",
        r.stderr
    );
    let r = plan_cmd(&e, &["fixtures/broken/vide.xlsx"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("the file is empty") && r.stderr.contains("cannot be read"),
        "{}",
        r.stderr
    );
    let r = plan_cmd(&e, &["--report", "x.pdf", "fixtures/acces-grille.xlsx"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("--report x.pdf: no report format for that extension"),
        "{}",
        r.stderr
    );
    let r = run(bin()
        .env("PROONE_TOKEN", ADMIN)
        .env_remove("PROONE_URL")
        .args(["plan", "fixtures/acces-grille.xlsx"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no portal configured"), "{}", r.stderr);
}

#[test]
fn check_reaches_the_embedded_portal_like_plan() {
    let dir = tempfile::tempdir().unwrap();
    let root = root();
    let staff = write(
        dir.path(),
        "staff.csv",
        "Email;Structures\nmarie@x.be;Les Petits Loups\n",
    );
    let cfg = write(
        dir.path(),
        "demo.toml",
        format!(
            "[portal.emulator]\nseed = \"{}\"\ntoken = \"{ADMIN}\"\n",
            root.join("fixtures/portal-seed.json").display()
        ),
    );
    let r = run(bin()
        .env_remove("PROONE_URL")
        .arg("--config")
        .arg(&cfg)
        .args(["check", "--format", "json"])
        .arg(&staff));
    assert_eq!(r.code, 3, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        problems(&v)[0]
            .2
            .starts_with("« Les Petits Loups » names 2 structures"),
        "{v}"
    );
}

#[test]
fn colour_follows_the_color_flag_and_no_color() {
    let e = emulator();
    let staff = fixture("personnel.xlsx");
    let staff = staff.to_str().unwrap();
    // Not a terminal: no colour by default.
    assert!(!plan_cmd(&e, &[staff]).stdout.contains("\x1b["));
    let r = run(bin()
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .args(["--color", "always", "plan", staff]));
    assert!(r.stdout.contains("\x1b[31m"), "{}", r.stdout);
    let r = run(bin()
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .args(["--color", "never", "plan", staff]));
    assert!(!r.stdout.contains("\x1b["));
    // On a terminal (util-linux's `script` gives one), auto colours unless NO_COLOR is set.
    let on_a_terminal = |no_color: bool| {
        let bin = assert_cmd::cargo::cargo_bin!("proone-sync");
        let mut cmd = std::process::Command::new("script");
        cmd.current_dir(root())
            .env("PROONE_URL", e.base_url())
            .env("PROONE_TOKEN", ADMIN)
            .env_remove("NO_COLOR")
            .args(["-qec"])
            .arg(format!("{} --today {TODAY} plan {staff}", bin.display()))
            .arg("/dev/null");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let out = cmd.output().expect("util-linux script");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let coloured = on_a_terminal(false);
    assert!(coloured.contains("\x1b[31m"), "{coloured}");
    let plain = on_a_terminal(true);
    assert!(
        plain.contains("Plan ") && !plain.contains("\x1b[3"),
        "{plain}"
    );
}

/// A full disk is said and fails the run: the JSON on stdout and the saved plan (`/dev/full`
/// answers every write with ENOSPC).
#[test]
fn a_full_disk_fails_the_plan_with_a_sentence() {
    let e = emulator();
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin!("proone-sync"))
        .current_dir(root())
        .args(["--today", TODAY])
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .args(["plan", "--format", "json", "fixtures/personnel.xlsx"])
        .stdout(full())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write the output"), "{stderr}");
    let r = plan_cmd(&e, &["--out", "/dev/full", "fixtures/personnel.xlsx"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("cannot save the plan"), "{}", r.stderr);
}

/// The history store as one earlier run left it: the portal as the emulator serves it, except
/// that Marie Dupont (u-000004) also held Bilans — so the portal now lacks it, revoked by hand.
fn store_after_one_run(state: &std::path::Path, e: &RunningEmulator) {
    use proone_sync::history::{Event, Item, Kind, RunEntry, Snapshot, Store};
    let observed = block_on(proone_sync::portal::fetch_observed(
        &portal_client(e, ADMIN),
        proone_sync::model::CalendarDate {
            year: 2026,
            month: 11,
            day: 28,
        },
    ))
    .unwrap();
    let started: jiff::Timestamp = "2026-11-27T02:00:00Z".parse().unwrap();
    let mut snap = Snapshot::of(&observed, started);
    let marie = snap.users.iter_mut().find(|u| u.id == "u-000004").unwrap();
    assert!(!marie.items.iter().any(|i| i.code == "bilans"));
    marie.items.push(Item {
        kind: Kind::Dossier,
        code: "bilans".into(),
    });
    let mut store = Store::open_rw(state).unwrap();
    store
        .record(
            &RunEntry {
                id: "run-20261127T020000Z".into(),
                started,
                imported: false,
                events: vec![Event::Read(snap)],
            },
            730,
        )
        .unwrap();
}

#[test]
fn a_change_made_by_hand_since_the_last_run_is_in_the_plan() {
    let e = emulator();
    let dir = Workdir::new();
    let cfg = dir.config("");
    let staff = dir.write(
        "staff.csv",
        "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures\n\
         Dupont;Marie;marie.dupont@lespetitspas.be;;;Pré-demandes;Crèche Les Lutins\n",
    );
    let plan = |args: &[&str]| {
        run(bin()
            .arg("--config")
            .arg(&cfg)
            .env("PROONE_URL", e.base_url())
            .env("PROONE_TOKEN", ADMIN)
            .arg("plan")
            .args(args)
            .arg(&staff))
    };
    // No store yet: nothing to say, and nothing said.
    let r = plan(&["--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["drift"], serde_json::json!([]));
    assert!(!r.stderr.contains("history"), "{}", r.stderr);
    assert!(!dir.state(proone_sync::history::FILE_NAME).exists());

    store_after_one_run(&dir.join("state"), &e);
    let r = plan(&["--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let at = v["drift"][0]["at"].as_str().unwrap_or_default().to_owned();
    assert!(at.parse::<jiff::Timestamp>().is_ok(), "{at}");
    assert_eq!(
        v["drift"],
        serde_json::json!([{"user_id": "u-000004", "email": "marie.dupont@lespetitspas.be",
            "op": "revoke_dossier", "dossier": "bilans", "after_run": "run-20261127T020000Z",
            "seen_at_run": null, "at": at}])
    );
    // The plan itself is the same: the inputs decide, the drift is only said.
    assert!(v["actions"].as_array().unwrap().is_empty(), "{v}");

    let r = plan(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "\nChanged by hand since the last run (1):\n  \
             marie.dupont@lespetitspas.be (u-000004): dossier Bilans revoked by hand, since run-20261127T020000Z\n"
        ),
        "{}",
        r.stdout
    );
    let r = run(bin()
        .args(["--lang", "fr", "--config"])
        .arg(&cfg)
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .arg("plan")
        .arg(&staff));
    assert!(
        r.stdout
            .contains("\nModifié à la main depuis la dernière exécution (1) :\n"),
        "{}",
        r.stdout
    );

    // A store this proone-sync cannot read is said, and the plan goes on without it.
    std::fs::write(
        dir.state(proone_sync::history::FILE_NAME),
        "not a database, not at all",
    )
    .unwrap();
    let r = plan(&["--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["drift"], serde_json::json!([]));
    assert!(
        r.stderr.contains("the history store cannot be read"),
        "{}",
        r.stderr
    );
}
