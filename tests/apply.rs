//! `proone-sync apply` through the real binary against the emulator over loopback: convergence
//! under 503s, dropped answers, 429s and latency (no duplicate user, no lost grant, no more
//! creations than planned); the guards; confirmation; each exit status; and, in-process, the
//! executor's 409 rules against the same emulator (adopt only the same NRN).

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::*;
use proone_sync::emulator::{EmulatorConfig, Faults, RunningEmulator};
use proone_sync::model::CalendarDate;
use serde_json::Value;

#[path = "../benches/support/seed.rs"]
mod seed;

const ADMIN: &str = "tok-admin-7f3c9a";
const DATE: CalendarDate = CalendarDate {
    year: 2026,
    month: 11,
    day: 28,
};

/// An emulator seeded with `users` × `structures` from the generator.
fn generated_emulator(dir: &Path, users: u64, structures: u64, faults: Faults) -> RunningEmulator {
    let seed_path = write(
        dir,
        "seed.json",
        serde_json::to_vec(&seed::seed_of(users, structures)).unwrap(),
    );
    let mut c = EmulatorConfig::local(seed_path);
    c.faults = faults;
    c.today = DATE;
    RunningEmulator::start(c).unwrap_or_else(|e| panic!("emulator: {e}"))
}

/// A config in `dir` whose state directory is `dir/state` (nothing lands in the repository).
fn config(dir: &Path, extra: &str) -> PathBuf {
    write(
        dir,
        "proone-sync.toml",
        format!("state_dir = \"state\"\n{extra}"),
    )
}

fn apply(cfg: &Path, url: &str, token: &str, args: &[&str]) -> Run {
    run(bin()
        .arg("--config")
        .arg(cfg)
        .env("PROONE_URL", url)
        .env("PROONE_TOKEN", token)
        .arg("apply")
        .args(args))
}

fn plan_json(cfg: &Path, url: &str, token: &str, args: &[&str]) -> Value {
    let r = run(bin()
        .arg("--config")
        .arg(cfg)
        .env("PROONE_URL", url)
        .env("PROONE_TOKEN", token)
        .args(["plan", "--format", "json"])
        .args(args));
    serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("plan json: {e}\n{}\n{}", r.stdout, r.stderr))
}

fn stats(e: &RunningEmulator) -> Value {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(emulator_stats(e))
}

fn client(e: &RunningEmulator, token: &str) -> proone_sync::portal::PortalClient {
    proone_sync::portal::PortalClient::new(proone_sync::portal::ClientSettings {
        url: e.base_url(),
        token: secrecy::SecretString::from(token.to_owned()),
        rate_limit: None,
        concurrency: 4,
        timeout: std::time::Duration::from_secs(10),
        retry: proone_sync::portal::RetryPolicy::default(),
    })
    .unwrap()
}

fn observed(e: &RunningEmulator, token: &str) -> proone_sync::model::ObservedState {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(proone_sync::portal::fetch_observed(&client(e, token), DATE))
        .unwrap()
}

fn state_files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir.join("state"))
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
    });
    v.sort();
    v
}

fn journal_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn over_a_faulty_portal_a_thousand_actions_converge_in_one_apply() {
    let dir = tempfile::tempdir().unwrap();
    let faults = Faults {
        rate_limit: Some((200.0, 20)),
        fail_rate: 0.10,
        drop_rate: 0.03,
        latency_ms: 4,
        jitter_ms: 3,
        random_seed: 7,
        ..Faults::default()
    };
    let e = generated_emulator(dir.path(), 300, 60, faults);
    let input = write(
        dir.path(),
        "staff.csv",
        seed::input_csv(299, 240, 0, 60).into_bytes(),
    );
    let cfg = config(dir.path(), "");
    let input = input.to_str().unwrap();
    let before = plan_json(&cfg, &e.base_url(), seed::TOKEN, &[input]);
    let planned = before["actions"].as_array().unwrap().len();
    let creations = before["summary"]["create_user"].as_u64().unwrap();
    assert!(planned >= 1000, "{planned} actions");
    assert_eq!(creations, 240);

    let r = apply(
        &cfg,
        &e.base_url(),
        seed::TOKEN,
        &["--yes", "--rate-limit", "200", input],
    );
    assert_eq!(r.code, 0, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains(&format!("{planned} done")),
        "{}",
        r.stdout
    );

    // Converged: nothing left to do, nobody twice, no more creations than planned.
    let after = plan_json(&cfg, &e.base_url(), seed::TOKEN, &[input]);
    assert_eq!(
        after["actions"],
        serde_json::json!([]),
        "second plan not empty"
    );
    let st = stats(&e);
    let me = &st["callers"]["u-000001"];
    assert_eq!(me["creates"].as_u64(), Some(creations), "{me}");
    assert!(
        me["faults_unavailable"].as_u64().unwrap() > 0,
        "no 503 was injected: {me}"
    );
    assert!(
        me["faults_dropped"].as_u64().unwrap() > 0,
        "no drop was injected: {me}"
    );
    let o = observed(&e, seed::TOKEN);
    assert_eq!(o.users.len(), 300 + 240);
    let mut nrns: Vec<&str> = o
        .users
        .iter()
        .filter_map(|u| u.nrn.as_ref().map(|n| n.expose()))
        .collect();
    nrns.sort();
    nrns.dedup();
    assert_eq!(nrns.len(), 540, "a person exists twice");

    // The journal has one line per action, between its start and end lines, with the plan's
    // fingerprint on each, and no whole NRN anywhere in the state directory's text.
    let journals = state_files(dir.path(), "journal-");
    assert_eq!(journals.len(), 1);
    let lines = journal_lines(&journals[0]);
    assert_eq!(lines.first().unwrap()["event"], "start");
    assert_eq!(lines.last().unwrap()["event"], "end");
    let actions: Vec<&Value> = lines.iter().filter(|l| l["event"] == "action").collect();
    assert_eq!(actions.len(), planned);
    assert!(
        actions
            .iter()
            .all(|l| l["fingerprint"] == before["fingerprint"])
    );
    assert!(actions.iter().all(|l| l["status"] == "done"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&journals[0])
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let text: String = std::fs::read_dir(dir.path().join("state"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_name().to_string_lossy().ends_with(".lock"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    for n in nrns.iter().take(600) {
        assert!(!text.contains(n), "a whole NRN in the state directory");
    }
    assert!(!text.contains(seed::TOKEN));

    // A second apply has nothing to do and says so.
    let r = apply(&cfg, &e.base_url(), seed::TOKEN, &["--yes", input]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Nothing to change"), "{}", r.stdout);
}

#[test]
fn without_a_terminal_apply_needs_yes_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let e = emulator_with(Faults::default());
    let cfg = config(dir.path(), "");
    let input = fixture("nouveaux-cp1252.csv");
    let r = apply(&cfg, &e.base_url(), ADMIN, &[input.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("--yes"), "{}", r.stderr);
    assert_eq!(stats(&e)["callers"]["u-000001"]["writes"], 0);
}

#[test]
fn each_guard_stops_apply_before_any_write() {
    let dir = tempfile::tempdir().unwrap();
    let e = emulator_with(Faults::default());
    let staff = fixture("personnel.xlsx");
    let staff = staff.to_str().unwrap();
    // Creations above max_creations.
    let cfg = config(dir.path(), "max_creations = 1\n");
    let r = apply(&cfg, &e.base_url(), ADMIN, &["--yes", staff]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("max_creations (1)"), "{}", r.stderr);
    assert!(r.stderr.contains("--allow-mass-change"), "{}", r.stderr);
    // Revocations above max_revocations (prune: Marie Dupont loses what the row does not give).
    let input = write(
        dir.path(),
        "marie.csv",
        "Nom;Prénom;Email;Dossiers;Structures\nDupont;Marie;marie.dupont@lespetitspas.be;;\n",
    );
    let cfg = config(dir.path(), "max_revocations = 0\n");
    let r = apply(
        &cfg,
        &e.base_url(),
        ADMIN,
        &["--yes", "--prune", input.to_str().unwrap()],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("max_revocations (0)"), "{}", r.stderr);
    assert_eq!(stats(&e)["callers"]["u-000001"]["writes"], 0);
    // --allow-mass-change lets the same prune through.
    let r = apply(
        &cfg,
        &e.base_url(),
        ADMIN,
        &[
            "--yes",
            "--prune",
            "--allow-mass-change",
            input.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let o = observed(&e, ADMIN);
    let marie = o.users.iter().find(|u| u.id == "u-000004").unwrap();
    assert!(marie.dossiers.is_empty() && marie.structures.is_empty());
}

#[test]
fn invalid_rows_exit_3_after_applying_the_valid_ones() {
    let dir = tempfile::tempdir().unwrap();
    let e = emulator_with(Faults::default());
    let cfg = config(dir.path(), "");
    let staff = fixture("personnel.xlsx");
    let r = apply(
        &cfg,
        &e.base_url(),
        ADMIN,
        &["--yes", staff.to_str().unwrap()],
    );
    assert_eq!(r.code, 3, "{}\n{}", r.stdout, r.stderr);
    let after = plan_json(&cfg, &e.base_url(), ADMIN, &[staff.to_str().unwrap()]);
    assert_eq!(after["actions"], serde_json::json!([]));
    assert!(after["summary"]["invalid_rows"].as_u64().unwrap() > 0);
    // The approved fingerprint is checked: a different one applies nothing.
    let r = apply(
        &cfg,
        &e.base_url(),
        ADMIN,
        &[
            "--yes",
            "--expect-fingerprint",
            "0000000000000000",
            staff.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not the approved"), "{}", r.stderr);
}

/// A saved plan made by hand (with a consistent fingerprint) granting a structure the
/// organisation does not have: the portal refuses that one action (422), the rest is done.
#[test]
fn a_permanent_failure_exits_4_and_the_rest_is_done() {
    use proone_sync::apply::SavedPlan;
    let dir = tempfile::tempdir().unwrap();
    let e = emulator_with(Faults::default());
    let cfg = config(dir.path(), "");
    // Start from a real saved plan, then add the impossible action.
    let input = write(
        dir.path(),
        "marie.csv",
        "Nom;Prénom;Email;Dossiers;Structures\nDupont;Marie;marie.dupont@lespetitspas.be;Bilans;\n",
    );
    let saved_path = dir.path().join("plan.json");
    let r = run(bin()
        .arg("--config")
        .arg(&cfg)
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .args(["plan", "--out"])
        .arg(&saved_path)
        .arg(&input));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut saved = SavedPlan::parse(&std::fs::read_to_string(&saved_path).unwrap()).unwrap();
    assert_eq!(saved.actions.len(), 1);
    let mut bad = saved.actions[0].clone();
    bad.id = 2;
    bad.op = proone_sync::plan::Op::GrantStructure;
    bad.dossier = None;
    bad.structure = Some("MA-99999".into());
    saved.actions.push(bad);
    let actions = saved.actions(DATE).unwrap();
    saved.fingerprint = proone_sync::report::plan::fingerprint(&proone_sync::plan::Plan {
        mode: saved.mode,
        actions,
        problems: vec![],
        people: vec![],
        unlisted: vec![],
        summary: Default::default(),
        guard_tripped: false,
    });
    std::fs::write(&saved_path, saved.to_json()).unwrap();
    let r = apply(
        &cfg,
        &e.base_url(),
        ADMIN,
        &["--yes", "--plan", saved_path.to_str().unwrap()],
    );
    assert_eq!(r.code, 4, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("1 done") && r.stdout.contains("1 failed"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("unknown-structure"), "{}", r.stdout);
    let o = observed(&e, ADMIN);
    let marie = o.users.iter().find(|u| u.id == "u-000004").unwrap();
    assert!(marie.dossiers.contains(proone_sync::model::Dossier::Bilans));
}

/// The executor against the emulator: a 409 on the e-mail of another person is a failure of
/// that person (its grants skipped with the reason), a 409 on the same NRN is adopted, and
/// everything else carries on.
#[test]
fn a_409_is_adopted_only_with_the_planned_nrn() {
    use proone_sync::apply::{Observer, Outcome, Status, Tally, execute};
    use proone_sync::model::{Dossier, Location, Nrn};
    use proone_sync::plan::{Action, NewUser, Op};
    struct Quiet;
    impl Observer for Quiet {
        fn outcome(&mut self, _: &Outcome, _: &Tally) {}
    }
    let e = emulator_with(Faults::default());
    let src: Arc<[Location]> = Arc::from(vec![Location::file("t.csv", 0)]);
    let person = |id: u32, email: &str, nrn: &str| Action {
        id,
        op: Op::CreateUser,
        email: Arc::from(email),
        user_id: None,
        dossier: None,
        structure: None,
        depends_on: vec![],
        sources: src.clone(),
        new_user: Some(NewUser {
            last_name: "Dupont".into(),
            first_name: "Marie".into(),
            email: email.into(),
            nrn: Nrn::parse_strict(nrn, DATE).unwrap(),
        }),
    };
    let grant = |id: u32, on: u32, email: &str| Action {
        id,
        op: Op::GrantDossier,
        email: Arc::from(email),
        user_id: None,
        dossier: Some(Dossier::Bilans),
        structure: None,
        depends_on: vec![on],
        sources: src.clone(),
        new_user: None,
    };
    // Marie Dupont's e-mail with someone else's NRN; Marie's own NRN with a new e-mail; and an
    // unrelated new person with a grant.
    let actions = vec![
        person(1, "marie.dupont@lespetitspas.be", "85073003427"),
        grant(2, 1, "marie.dupont@lespetitspas.be"),
        person(3, "m.dupont@ailleurs.be", "85073003328"),
        grant(4, 3, "m.dupont@ailleurs.be"),
        person(5, "nouvelle@lespetitspas.be", "90020212372"),
        grant(6, 5, "nouvelle@lespetitspas.be"),
    ];
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let c = Arc::new(client(&e, ADMIN));
    let run = rt.block_on(execute(
        c,
        &actions,
        &Default::default(),
        "test0000test0000",
        4,
        &mut Quiet,
    ));
    let by: std::collections::HashMap<u32, &Outcome> =
        run.outcomes.iter().map(|o| (o.action, o)).collect();
    assert_eq!(by.len(), 6);
    let refused = by[&1];
    assert_eq!(refused.status, Status::Failed);
    assert_eq!(refused.http_status, Some(409));
    let why = refused.reason.as_deref().unwrap();
    assert!(
        why.contains("belongs to another person") && why.contains("u-000004"),
        "{why}"
    );
    assert!(
        !why.contains("85073003328"),
        "a whole NRN in a reason: {why}"
    );
    assert_eq!(by[&2].status, Status::Skipped);
    assert!(
        by[&2]
            .reason
            .as_deref()
            .unwrap()
            .contains("belongs to another person")
    );
    assert_eq!(by[&3].status, Status::Adopted);
    assert_eq!(by[&3].user_id.as_deref(), Some("u-000004"));
    assert_eq!(by[&4].status, Status::Done);
    assert_eq!(by[&4].user_id.as_deref(), Some("u-000004"));
    assert_eq!(by[&5].status, Status::Done);
    assert_eq!(by[&6].status, Status::Done);
    assert_eq!(by[&6].user_id, by[&5].user_id);
    assert_eq!(
        (
            run.tally.done,
            run.tally.adopted,
            run.tally.failed,
            run.tally.skipped
        ),
        (3, 1, 1, 1)
    );
    let o = observed(&e, ADMIN);
    let marie = o.users.iter().find(|u| u.id == "u-000004").unwrap();
    assert!(
        marie.dossiers.contains(Dossier::Bilans),
        "the adopted user got the grant"
    );
    assert_eq!(marie.email, "marie.dupont@lespetitspas.be");
    assert!(
        o.users
            .iter()
            .all(|u| u.nrn.as_ref().map(|n| n.expose()) != Some("85073003427"))
    );
    assert_eq!(stats(&e)["callers"]["u-000001"]["creates"], 1);
}
