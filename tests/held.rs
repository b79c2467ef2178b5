//! Held changes end to end (issue 15, cli.md "Held changes" and "Notification and
//! monitoring"): the real binary against the emulator over loopback. A prune that trips the
//! revocation guard holds the revocations and applies the rest (exit 5), with the held plan,
//! its page and ticket, one notification and the metrics file; the same run again keeps the
//! same held plan quietly; `approve` then `apply` applies it; a human change makes an approved
//! plan stale; `reject` leaves the held actions out; a notify command that fails or hangs
//! changes nothing but a log line.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use proone_sync::emulator::{Faults, RunningEmulator};
use proone_sync::model::CalendarDate;
use serde_json::Value;

const ADMIN: &str = "tok-admin-7f3c9a";
const DATE: CalendarDate = CalendarDate {
    year: 2026,
    month: 11,
    day: 28,
};

/// The seed's users u-000005 … u-000014 (ten people, 28 explicit grants between them).
const LISTED: std::ops::RangeInclusive<u32> = 5..=14;

/// A valid NRN of someone born 15/02/1990, number `n`.
fn nrn(n: u64) -> String {
    let base = 900_215_000 + n * 2 + 1;
    format!("{base:09}{:02}", 97 - base % 97)
}

/// The staff list: ten of the portal's people listed with no access (under `--prune` each loses
/// every grant: more than the guard allows) and three new people with their access.
fn staff(dir: &Path, e: &RunningEmulator) -> PathBuf {
    let o = observed(e);
    let mut csv = String::from("Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures\n");
    for id in LISTED {
        let u = o
            .users
            .iter()
            .find(|u| u.id == format!("u-{id:06}"))
            .unwrap();
        csv.push_str(&format!(
            "{};{};{};;;;\n",
            u.last_name, u.first_name, u.email
        ));
    }
    for (i, name) in ["Aerts", "Baert", "Cools"].iter().enumerate() {
        csv.push_str(&format!(
            "{name};Nouvelle;{}.nouvelle@lespetitspas.be;{};oui;Bilans;MA-00101\n",
            name.to_lowercase(),
            nrn(i as u64)
        ));
    }
    write(dir, "personnel.csv", csv)
}

/// The config: state in `dir/state`, a notify command that keeps what it was given, metrics.
/// Mode 0644 whatever the umask: a command is only run from a file others cannot write.
fn config(dir: &Path, extra: &str) -> PathBuf {
    config_in(
        dir,
        &format!(
            "metrics_file = \"metrics/proone-sync.prom\"\n{extra}\n\
             [notify]\non = [\"held\", \"failed\", \"error\"]\n\
             command = 'n=$(ls notified | wc -l); cat > notified/$n.md; env > notified/$n.env; \
             echo \"$PROONE_EVENTS|$PROONE_EXIT|$PROONE_HELD|$PROONE_HELD_HTML|$PROONE_REPORT\" >> notified/log'\n"
        ),
    )
}

/// A fresh case: its folder, the emulator, the staff list; `config` writes the config.
fn case(config: impl FnOnce(&Path)) -> (Workdir, RunningEmulator, PathBuf) {
    let dir = Workdir::new();
    let e = emulator_with(Faults::default());
    let staff = staff(dir.path(), &e);
    config(dir.path());
    (dir, e, staff)
}

/// A config of `text` alone (no notify command, no metrics).
fn plain(text: &'static str) -> impl FnOnce(&Path) {
    move |d: &Path| {
        config_in(d, text);
    }
}

fn proone(dir: &Path, e: &RunningEmulator, args: &[&str]) -> Run {
    run(&mut proone_cmd(dir, e, args))
}

/// The command `proone` runs, for a test that changes its environment first.
fn proone_cmd(dir: &Path, e: &RunningEmulator, args: &[&str]) -> assert_cmd::Command {
    let _ = std::fs::create_dir_all(dir.join("notified"));
    let _ = std::fs::create_dir_all(dir.join("metrics"));
    let mut cmd = bin();
    cmd.current_dir(dir)
        .arg("--config")
        .arg(dir.join("proone-sync.toml"))
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .args(args);
    cmd
}

fn apply(dir: &Path, e: &RunningEmulator, staff: &Path) -> Run {
    proone(
        dir,
        e,
        &["apply", "--yes", "--prune", staff.to_str().unwrap()],
    )
}

fn observed(e: &RunningEmulator) -> proone_sync::model::ObservedState {
    block_on(proone_sync::portal::fetch_observed(
        &portal_client(e, ADMIN),
        DATE,
    ))
    .unwrap()
}

/// Explicit grants the listed users hold now.
fn listed_grants(e: &RunningEmulator) -> usize {
    observed(e)
        .users
        .iter()
        .filter(|u| LISTED.clone().any(|id| u.id == format!("u-{id:06}")))
        .map(|u| u.dossiers.len() + u.structures.len())
        .sum()
}

fn held_json(dir: &Path, e: &RunningEmulator) -> Vec<Value> {
    let r = proone(dir, e, &["held", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    v["held"].as_array().unwrap().clone()
}

fn notifications(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("notified/log"))
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn state(dir: &Path, name: &str) -> PathBuf {
    dir.join("state").join(name)
}

fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .unwrap_or_else(|err| panic!("{}: {err}", p.display()))
        .permissions()
        .mode()
        & 0o777
}

/// The metrics file, checked by Prometheus's own parser (`promtool check metrics`) unless
/// `PROONE_SKIP_PROMTOOL` is set (a machine without Debian's `prometheus`).
fn metrics(dir: &Path) -> String {
    let path = dir.join("metrics/proone-sync.prom");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(mode(&path), 0o644);
    if std::env::var_os("PROONE_SKIP_PROMTOOL").is_none() {
        let out = std::process::Command::new("promtool")
            .args(["check", "metrics"])
            .stdin(std::fs::File::open(&path).unwrap())
            .output()
            .unwrap_or_else(|err| {
                panic!("promtool (Debian's prometheus; PROONE_SKIP_PROMTOOL=1 skips): {err}")
            });
        assert!(
            out.status.success(),
            "promtool check metrics:\n{}{}\n{text}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    text
}

fn metric(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series).and_then(|v| v.strip_prefix(' ')))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {series} in\n{text}"))
}

fn journal_lines(dir: &Path) -> Vec<Value> {
    let mut journals: Vec<PathBuf> = std::fs::read_dir(dir.join("state"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().contains("/journal-"))
        .collect();
    // The newest (two runs in one second share a stamp: the time of the file decides).
    journals.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    let last = journals.last().unwrap();
    std::fs::read_to_string(last)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn the_night_holds_the_revocations_applies_the_rest_and_the_morning_approves_them() {
    let (dir, e, staff) = case(|d| {
        config(d, "");
    });
    let d = dir.path();
    let grants = listed_grants(&e);
    assert!(
        grants > 25,
        "the test needs more than max_revocations: {grants}"
    );

    // Night 1: exit 5, the three created and granted, no revocation sent.
    let r = apply(d, &e, &staff);
    assert_eq!(r.code, 5, "{}\n{}", r.stdout, r.stderr);
    let o = observed(&e);
    for name in ["aerts", "baert", "cools"] {
        let u = o
            .users
            .iter()
            .find(|u| u.email == format!("{name}.nouvelle@lespetitspas.be"))
            .unwrap_or_else(|| panic!("{name} not created"));
        assert_eq!(
            u.dossier_codes().into_iter().collect::<Vec<_>>(),
            ["bilans"]
        );
        assert_eq!(u.structures.len(), 1);
    }
    assert_eq!(listed_grants(&e), grants, "no revocation was sent");
    let held = held_json(d, &e);
    assert_eq!(held.len(), 1, "{held:?}");
    let fp = held[0]["fingerprint"].as_str().unwrap().to_owned();
    assert_eq!(held[0]["state"], "pending");
    assert_eq!(held[0]["approved"], Value::Null);
    let counts = &held[0]["counts"];
    let counted = counts["revoke_dossier"].as_u64().unwrap_or(0)
        + counts["revoke_structure"].as_u64().unwrap_or(0);
    assert_eq!(counted as usize, grants, "{counts}");
    assert!(counts.get("create_user").is_none());
    for ext in ["json", "html", "md"] {
        assert_eq!(mode(&state(d, &format!("held-{fp}.{ext}"))), 0o600, "{ext}");
    }
    let ticket = std::fs::read_to_string(state(d, &format!("held-{fp}.md"))).unwrap();
    assert!(
        ticket.contains(&fp) && ticket.contains(&format!("approve {fp}")),
        "{ticket}"
    );
    assert!(r.stdout.contains(&format!("approve {fp}")), "{}", r.stdout);
    // Told once, with the report on stdin, the held plan named, and nothing secret.
    let told = notifications(d);
    assert_eq!(told.len(), 1, "{told:?}");
    let fields: Vec<&str> = told[0].split('|').collect();
    // Every event raised is said (`changes` too: the three were created), `held` among them.
    assert_eq!(fields[0], "held,changes");
    assert_eq!((fields[1], fields[2]), ("5", fp.as_str()));
    assert!(fields[3].ends_with(&format!("held-{fp}.html")) && Path::new(fields[3]).is_file());
    assert!(
        Path::new(fields[4]).is_file(),
        "PROONE_REPORT {}",
        fields[4]
    );
    let stdin = std::fs::read_to_string(d.join("notified/0.md")).unwrap();
    assert!(
        stdin.contains("Held for approval") && stdin.contains(&fp),
        "{stdin}"
    );
    assert!(!stdin.contains(&nrn(0)), "a whole NRN in the notification");
    let env = std::fs::read_to_string(d.join("notified/0.env")).unwrap();
    assert!(
        !env.contains(ADMIN) && !env.contains("PROONE_TOKEN") && !env.contains("PROONE_URL"),
        "{env}"
    );
    // The metrics: a real parser reads them; they say 5 and the held count.
    let m = metrics(d);
    assert_eq!(metric(&m, "proone_sync_exit_status"), 5.0);
    assert_eq!(metric(&m, "proone_sync_held_actions"), grants as f64);
    assert_eq!(
        metric(
            &m,
            "proone_sync_actions{op=\"create_user\",status=\"done\"}"
        ),
        3.0
    );
    assert!(metric(&m, "proone_sync_portal_requests{class=\"2xx\"}") > 0.0);
    let first_success = metric(&m, "proone_sync_last_success_timestamp_seconds");
    assert!(first_success > 1.7e9);
    // The journal logs each held action with status `held`.
    let lines = journal_lines(d);
    let held_lines = lines.iter().filter(|l| l["status"] == "held").count();
    assert_eq!(held_lines, grants);

    // Night 2: the same held plan, kept, not told again.
    let r = apply(d, &e, &staff);
    assert_eq!(r.code, 5, "{}\n{}", r.stdout, r.stderr);
    let held = held_json(d, &e);
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0]["fingerprint"], fp.as_str());
    assert_eq!(notifications(d).len(), 1, "no second notification");

    // Morning: the director approves (by a prefix of 8), the next run applies it first.
    let r = proone(d, &e, &["approve", &fp[..8], "--by", "Directrice Lambert"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(mode(&state(d, &format!("approved-{fp}.json"))), 0o600);
    assert_eq!(held_json(d, &e)[0]["state"], "approved");
    assert_eq!(held_json(d, &e)[0]["approved"]["by"], "Directrice Lambert");
    // The same approval again is refused: only a pending plan is approved.
    let again = proone(d, &e, &["approve", &fp, "--by", "someone else"]);
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(
        again
            .stderr
            .contains(&format!("the held plan {fp} is approved: not approved")),
        "{}",
        again.stderr
    );
    assert_eq!(held_json(d, &e)[0]["approved"]["by"], "Directrice Lambert");
    let r = apply(d, &e, &staff);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(
        listed_grants(&e),
        0,
        "the approved revocations were applied"
    );
    let lines = journal_lines(d);
    let starts: Vec<&Value> = lines.iter().filter(|l| l["event"] == "start").collect();
    assert_eq!(starts[0]["held_plan"], fp.as_str());
    assert_eq!(starts[0]["approved_by"], "Directrice Lambert");
    assert_eq!(held_json(d, &e)[0]["state"], "applied");
    let m = metrics(d);
    assert_eq!(metric(&m, "proone_sync_exit_status"), 0.0);
    assert_eq!(metric(&m, "proone_sync_held_actions"), 0.0);

    // A third run has nothing to do.
    let r = apply(d, &e, &staff);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("Nothing to change"), "{}", r.stdout);
    assert_eq!(notifications(d).len(), 1);
}

#[test]
fn a_human_change_makes_the_approved_plan_stale_and_the_night_goes_on() {
    let (dir, e, staff) = case(|d| {
        config(d, "");
    });
    let d = dir.path();
    assert_eq!(apply(d, &e, &staff).code, 5);
    let fp = held_json(d, &e)[0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(proone(d, &e, &["approve", &fp, "--by", "ana"]).code, 0);
    // Someone ticks « Pré-demandes » for u-000005 in the portal meanwhile.
    let human = |user: &str, code: &str| {
        let a = block_on(portal_client(&e, ADMIN).call(
            reqwest::Method::PUT,
            &format!("/users/{user}/dossiers/{code}"),
            None,
            &[],
        ))
        .unwrap();
        assert_eq!(a.status.as_u16(), 204);
    };
    human("u-000005", "pre-demandes");
    let grants = listed_grants(&e);
    let r = apply(d, &e, &staff);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("stale") && r.stderr.contains("u-000005"),
        "{}",
        r.stderr
    );
    assert_eq!(
        listed_grants(&e),
        grants,
        "nothing of the stale plan was written"
    );
    // The human change is also seen as a change by hand since the last run (`drift`).
    let told = notifications(d);
    assert!(
        told.last().unwrap().starts_with("held,error,drift|1|"),
        "{told:?}"
    );
    let held = held_json(d, &e);
    let stale = held
        .iter()
        .find(|h| h["fingerprint"] == fp.as_str())
        .unwrap();
    assert_eq!(stale["state"], "stale");
    // What the run held again is a new plan, pending, that includes the new grant's revocation.
    let new: Vec<&Value> = held.iter().filter(|h| h["state"] == "pending").collect();
    assert_eq!(new.len(), 1, "{held:?}");
    let new_fp = new[0]["fingerprint"].as_str().unwrap().to_owned();
    assert_ne!(new_fp, fp);
    // The stale plan can no longer be approved; a change before approval is refused too.
    let approval = std::fs::read(state(d, &format!("approved-{fp}.json"))).unwrap();
    let r = proone(d, &e, &["approve", &fp, "--by", "someone else"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("is stale: not approved"), "{}", r.stderr);
    assert_eq!(
        std::fs::read(state(d, &format!("approved-{fp}.json"))).unwrap(),
        approval,
        "the old approval is not rewritten"
    );
    human("u-000006", "pre-demandes");
    let r = proone(d, &e, &["approve", &new_fp]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("u-000006") && r.stderr.contains("stale"),
        "{}",
        r.stderr
    );
    let held = held_json(d, &e);
    let refused = held
        .iter()
        .find(|h| h["fingerprint"] == new_fp.as_str())
        .unwrap();
    assert_eq!(refused["state"], "stale");
    // A new night holds a new plan and supersedes nothing that still waits.
    assert_eq!(apply(d, &e, &staff).code, 5);
    assert_eq!(
        held_json(d, &e)
            .iter()
            .filter(|h| h["state"] == "pending")
            .count(),
        1
    );
}

#[test]
fn a_rejected_plan_is_left_out_and_a_new_one_supersedes_a_pending_one() {
    // The notify command fails, then (below) hangs: neither changes the exit status.
    let (dir, e, staff) = case(plain("[notify]\ncommand = \"echo boom >&2; exit 7\"\n"));
    let d = dir.path();
    let r = apply(d, &e, &staff);
    assert_eq!(r.code, 5, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("notify command failed"), "{}", r.stderr);
    let fp = held_json(d, &e)[0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    // Another list (one person fewer): another held plan, which supersedes the first.
    let shorter: String = std::fs::read_to_string(&staff)
        .unwrap()
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let shorter = write(d, "shorter.csv", shorter);
    write(
        d,
        "proone-sync.toml",
        "state_dir = \"state\"\n[notify]\ncommand = \"sleep 120\"\n",
    );
    let started = std::time::Instant::now();
    let r = run(bin()
        .current_dir(d)
        .args(["--config", "proone-sync.toml", "apply", "--yes", "--prune"])
        .arg(&shorter)
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .env("PROONE_NOTIFY_TIMEOUT_SECS", "1"));
    assert_eq!(r.code, 5, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("notify command was stopped"),
        "{}",
        r.stderr
    );
    assert!(
        started.elapsed().as_secs() < 100,
        "the sleeping command was not waited for"
    );
    let held = held_json(d, &e);
    let old = held
        .iter()
        .find(|h| h["fingerprint"] == fp.as_str())
        .unwrap();
    assert_eq!(old["state"], "superseded");
    let new_fp = held.iter().find(|h| h["state"] == "pending").unwrap()["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        proone(d, &e, &["approve", &fp]).code,
        1,
        "a superseded plan"
    );
    // Rejected: the same held actions are left out, not held nor told again.
    let r = proone(d, &e, &["reject", &new_fp, "--by", "ana"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    write(
        d,
        "proone-sync.toml",
        "state_dir = \"state\"\n[notify]\ncommand = \"echo told >> told.log\"\n",
    );
    let grants = listed_grants(&e);
    let r = proone(
        d,
        &e,
        &["apply", "--yes", "--prune", shorter.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("rejected by ana"), "{}", r.stderr);
    assert_eq!(listed_grants(&e), grants);
    assert!(
        !d.join("told.log").exists(),
        "a rejected plan is not notified"
    );
    let held = held_json(d, &e);
    assert_eq!(
        held.iter()
            .find(|h| h["fingerprint"] == new_fp.as_str())
            .unwrap()["state"],
        "rejected"
    );
    // An unknown fingerprint, a short prefix: refused.
    let r = proone(d, &e, &["reject", "ffffffffffffffff"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("ffffffffffffffff: no held plan has this fingerprint"),
        "{}",
        r.stderr
    );
    let r = proone(d, &e, &["approve", "abc"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("a fingerprint prefix has at least 8 characters"),
        "{}",
        r.stderr
    );
    assert!(!state(d, "rejected-ffffffffffffffff.json").exists());
}

#[test]
fn apply_of_a_saved_plan_whose_guard_trips_holds_too_and_a_held_plan_needs_its_approval() {
    let (dir, e, staff) = case(plain(""));
    let d = dir.path();
    let saved = d.join("plan.json");
    let r = proone(
        d,
        &e,
        &[
            "plan",
            "--prune",
            "--out",
            saved.to_str().unwrap(),
            staff.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let grants = listed_grants(&e);
    let r = proone(
        d,
        &e,
        &["apply", "--yes", "--plan", saved.to_str().unwrap()],
    );
    assert_eq!(r.code, 5, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(listed_grants(&e), grants, "the revocations are held");
    assert_eq!(
        observed(&e)
            .users
            .iter()
            .filter(|u| u.email.ends_with(".nouvelle@lespetitspas.be"))
            .count(),
        3
    );
    let fp = held_json(d, &e)[0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    let held_plan = state(d, &format!("held-{fp}.json"));
    // A held plan applied by hand needs its approval first.
    let r = proone(
        d,
        &e,
        &["apply", "--yes", "--plan", held_plan.to_str().unwrap()],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("pending, not approved"), "{}", r.stderr);
    assert_eq!(listed_grants(&e), grants);
    assert_eq!(proone(d, &e, &["approve", &fp]).code, 0);
    let r = proone(
        d,
        &e,
        &["apply", "--yes", "--plan", held_plan.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(listed_grants(&e), 0);
    assert_eq!(held_json(d, &e)[0]["state"], "applied");
}

#[test]
fn the_creation_guard_holds_the_creations_and_their_grants() {
    let (dir, e, staff) = case(plain("max_creations = 2\n"));
    let d = dir.path();
    let r = proone(d, &e, &["apply", "--yes", staff.to_str().unwrap()]);
    assert_eq!(r.code, 5, "{}\n{}", r.stdout, r.stderr);
    assert!(
        observed(&e)
            .users
            .iter()
            .all(|u| !u.email.ends_with(".nouvelle@lespetitspas.be"))
    );
    let held = held_json(d, &e);
    let counts = &held[0]["counts"];
    assert_eq!(
        (
            &counts["create_user"],
            &counts["grant_dossier"],
            &counts["grant_structure"]
        ),
        (&Value::from(3), &Value::from(3), &Value::from(3)),
        "{counts}"
    );
    let fp = held[0]["fingerprint"].as_str().unwrap().to_owned();
    assert_eq!(proone(d, &e, &["approve", &fp]).code, 0);
    let r = proone(d, &e, &["apply", "--yes", staff.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let o = observed(&e);
    let created: Vec<_> = o
        .users
        .iter()
        .filter(|u| u.email.ends_with(".nouvelle@lespetitspas.be"))
        .collect();
    assert_eq!(created.len(), 3);
    assert!(created.iter().all(|u| u.structures.len() == 1));
}

/// Issue 22: a value outside a closed set is refused with its line and the accepted values;
/// a config that others may write is not obeyed when it names a command to run (cli.md), and
/// nothing runs or is written; the same file, writable by its owner alone, is obeyed.
#[test]
fn closed_sets_and_a_config_others_can_write_are_refused_with_their_line() {
    let (dir, e, staff) = case(plain(""));
    let d = dir.path();
    for (text, line, key, accepted) in [
        (
            "[guards]\non_trip = \"Hold\"\n",
            3,
            "guards.on_trip",
            "hold, stop",
        ),
        (
            "[notify]\ncommand = \"true\"\non = [\"held\",\n  \"faild\"]\n",
            5,
            "notify.on",
            "held, failed, error, invalid-rows, changes",
        ),
        (
            "[scope]\nmode = \"Authoritative\"\n",
            3,
            "scope.mode",
            "listed, authoritative",
        ),
        ("language = \"fr_BE\"\n", 2, "language", "en, fr"),
    ] {
        write(
            d,
            "proone-sync.toml",
            format!("state_dir = \"state\"\n{text}"),
        );
        let r = proone(d, &e, &["plan", staff.to_str().unwrap()]);
        assert_eq!(r.code, 1, "{text}: {}", r.stderr);
        let said = format!("proone-sync.toml: line {line}: {key}");
        assert!(
            r.stderr.contains(&said) && r.stderr.contains(accepted),
            "{text}: want «{said}» and «{accepted}»: {}",
            r.stderr
        );
        // cli.md: the accepted values in the hint.
        assert!(
            r.stderr
                .contains(&format!("  hint: write one of: {accepted}")),
            "{}",
            r.stderr
        );
    }
    let p = config(d, "");
    set_mode(&p, 0o666);
    let r = apply(d, &e, &staff);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("proone-sync.toml: line 6: notify.command")
            && r.stderr.contains("0666"),
        "{}",
        r.stderr
    );
    assert!(notifications(d).is_empty(), "a notification ran");
    assert!(
        !state(d, "").exists() || journal_lines(d).is_empty(),
        "nothing was applied"
    );
    let before = listed_grants(&e);
    // Writable by its owner alone: obeyed (the guard holds, the command is told).
    set_mode(&p, 0o600);
    let r = apply(d, &e, &staff);
    assert_eq!(r.code, 5, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(notifications(d).len(), 1);
    assert_eq!(listed_grants(&e), before);
    // A config without a command may be anyone's to write (a shared drop folder of settings).
    write(d, "proone-sync.toml", "state_dir = \"state\"\n");
    set_mode(&d.join("proone-sync.toml"), 0o666);
    let r = proone(d, &e, &["held"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// Issue 22: French `held` says ages and an approver nobody named in French — no `d`, `h`,
/// `min` or `unknown`.
#[test]
fn french_held_says_its_ages_and_an_unnamed_approver_in_french() {
    let (dir, e, staff) = case(plain(""));
    let d = dir.path();
    let r = apply(d, &e, &staff);
    assert_eq!(r.code, 5, "{}\n{}", r.stdout, r.stderr);
    let fp = held_json(d, &e)[0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = run(proone_cmd(d, &e, &["approve", &fp])
        .env_remove("SUDO_USER")
        .env_remove("LOGNAME")
        .env_remove("USER"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = proone(d, &e, &["--lang", "fr", "held"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Words as written (« d'accueil » is one), their punctuation aside.
    let words: Vec<&str> = r
        .stdout
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, ',' | ':' | ';' | '(' | ')' | '.')))
        .collect();
    for english in ["d", "h", "min", "unknown"] {
        assert!(!words.contains(&english), "«{english}» in: {}", r.stdout);
    }
    assert!(
        r.stdout.contains("minute") && r.stdout.contains("(inconnu)"),
        "{}",
        r.stdout
    );
    // The actions by operation in French too, not as codes.
    assert!(!r.stdout.contains("revoke_"), "{}", r.stdout);
    assert!(r.stdout.contains("dossiers à retirer"), "{}", r.stdout);
}

/// cli.md (issue 23's part done with issue 22's session): `approve` and `reject` take the state
/// directory's lock — another run holding it makes them exit 1 naming the holder, and they
/// write no record; an approved held plan one of whose actions fails is `partial`, its failed
/// action named, and not held again as pending.
#[test]
fn approve_and_reject_wait_for_no_run_and_a_plan_with_a_failed_action_is_partial() {
    use proone_sync::plan::{Op, SavedPlan};
    let (dir, e, staff) = case(plain(""));
    let d = dir.path();
    let r = apply(d, &e, &staff);
    assert_eq!(r.code, 5, "{}\n{}", r.stdout, r.stderr);
    let fp = held_json(d, &e)[0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    let records = || -> Vec<String> {
        std::fs::read_dir(d.join("state"))
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("approved-") || n.starts_with("rejected-"))
            .collect()
    };
    {
        let _held =
            proone_sync::apply::acquire(&d.join("state"), "2026-11-28T03:00:00.000Z", "apply")
                .unwrap();
        for verb in ["approve", "reject"] {
            let r = proone(d, &e, &[verb, &fp]);
            assert_eq!(r.code, 1, "{verb}: {}", r.stderr);
            assert!(
                r.stderr
                    .contains(&format!("pid {} (apply)", std::process::id())),
                "{verb}: {}",
                r.stderr
            );
            assert!(records().is_empty(), "{verb} wrote {:?}", records());
        }
    }
    assert_eq!(held_json(d, &e)[0]["state"], "pending");
    // The held plan with one action the portal refuses (a structure it does not have).
    let path = state(d, &format!("held-{fp}.json"));
    let mut saved = SavedPlan::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut bad = saved
        .actions
        .iter()
        .find(|a| a.op == Op::RevokeStructure)
        .unwrap()
        .clone();
    bad.id = saved.actions.len() as u32 + 1;
    bad.op = Op::GrantStructure;
    bad.structure = Some("MA-99999".into());
    saved.actions.push(bad.clone());
    saved.fingerprint = saved.recompute_fingerprint();
    let fp2 = saved.fingerprint.clone();
    std::fs::remove_file(&path).unwrap();
    std::fs::write(
        state(d, &format!("held-{fp2}.json")),
        saved.to_json().unwrap(),
    )
    .unwrap();
    let r = proone(d, &e, &["approve", &fp2, "--by", "ana"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = apply(d, &e, &staff);
    assert_eq!(r.code, 4, "a failed action: {}\n{}", r.stdout, r.stderr);
    let listed = held_json(d, &e);
    let entry = listed
        .iter()
        .find(|h| h["fingerprint"] == fp2.as_str())
        .unwrap();
    assert_eq!(entry["state"], "partial", "{listed:?}");
    let text = proone(d, &e, &["held"]);
    assert!(
        text.stdout.contains("partial")
            && text
                .stdout
                .contains(&format!("its action {} did not end done", bad.id)),
        "{}",
        text.stdout
    );
    assert!(
        r.stdout.contains(&format!(
            "Applying the held plan {fp2} approved by ana first"
        )),
        "{}",
        r.stdout
    );
    // The same approval is not applied again; it stays partial.
    let r = apply(d, &e, &staff);
    assert!(!r.stdout.contains("Applying the held plan"), "{}", r.stdout);
    let listed = held_json(d, &e);
    let entry = listed
        .iter()
        .find(|h| h["fingerprint"] == fp2.as_str())
        .unwrap();
    assert_eq!(entry["state"], "partial", "{listed:?}");
}

/// The journal of the newest run whose start line has `field`, once there is one.
fn wait_for_start_line(dir: &Path, field: &str, child: &mut std::process::Child) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let found = std::fs::read_dir(dir.join("state"))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().contains("/journal-"))
            .any(|p| {
                std::fs::read_to_string(&p)
                    .unwrap_or_default()
                    .lines()
                    .any(|l| {
                        serde_json::from_str::<Value>(l)
                            .is_ok_and(|v| v["event"] == "start" && !v[field].is_null())
                    })
            });
        if found {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the apply ended ({status}) before its journal said {field}");
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no start line with {field}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// cli.md: `approve` and `reject` take the lock. While a real apply applies the approved plan
/// it has loaded (the emulator answers slowly), both exit 1 naming that apply's pid, write no
/// record, and the plan ends `applied` — not rejected after the fact.
#[test]
fn reject_and_approve_during_an_apply_that_loaded_the_approved_plan_are_refused() {
    let dir = Workdir::new();
    let d = dir.path();
    let e = emulator_with(Faults {
        latency_ms: 150,
        ..Faults::default()
    });
    let staff = staff(d, &e);
    plain("")(d);
    let r = apply(d, &e, &staff);
    assert_eq!(r.code, 5, "{}\n{}", r.stdout, r.stderr);
    let fp = held_json(d, &e)[0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = proone(d, &e, &["approve", &fp, "--by", "ana"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut night = std::process::Command::new(std_bin_path())
        .current_dir(d)
        .args(["--config", "proone-sync.toml", "apply", "--yes", "--prune"])
        .arg(&staff)
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .args(["--today", TODAY])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // It has read the approved plan and checked it against the portal: it is applying it.
    wait_for_start_line(d, "held_plan", &mut night);
    let holder = format!("pid {} (apply)", night.id());
    for verb in ["reject", "approve"] {
        let r = proone(d, &e, &[verb, &fp, "--by", "marc"]);
        assert_eq!(r.code, 1, "{verb}: {}", r.stderr);
        assert!(
            r.stderr.contains("another run holds the state directory")
                && r.stderr.contains(&holder),
            "{verb} names the holder: {}",
            r.stderr
        );
    }
    let status = night.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(!state(d, &format!("rejected-{fp}.json")).exists());
    let listed = held_json(d, &e);
    let entry = listed
        .iter()
        .find(|h| h["fingerprint"] == fp.as_str())
        .unwrap();
    assert_eq!(entry["state"], "applied", "{listed:?}");
    assert_eq!(
        entry["approved"]["by"], "ana",
        "the approval was not rewritten"
    );
}

fn std_bin_path() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_proone-sync"))
}

/// A held plan of another source (a revert's) stays pending when the night holds its own, and
/// `held --format json` says each one's source (cli.md).
#[test]
fn a_held_plan_of_another_source_is_not_superseded_by_the_nights() {
    use proone_sync::plan::SavedPlan;
    let (dir, e, staff) = case(plain(""));
    let d = dir.path();
    assert_eq!(apply(d, &e, &staff).code, 5);
    let night = held_json(d, &e)[0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    // The same held actions as a revert's: another source, so another fingerprint.
    let mut revert = SavedPlan::parse(
        &std::fs::read_to_string(state(d, &format!("held-{night}.json"))).unwrap(),
    )
    .unwrap();
    revert.source = "revert:run-20261127T023000Z".into();
    revert.created = Some("2026-11-27T02:30:00.000Z".into());
    revert.fingerprint = revert.recompute_fingerprint();
    assert_ne!(
        revert.fingerprint, night,
        "the source is under the fingerprint"
    );
    std::fs::write(
        state(d, &format!("held-{}.json", revert.fingerprint)),
        revert.to_json().unwrap(),
    )
    .unwrap();
    // A shorter list: the night holds another plan of its own, superseding its first.
    let shorter: String = std::fs::read_to_string(&staff)
        .unwrap()
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let shorter = write(d, "shorter.csv", shorter);
    assert_eq!(apply(d, &e, &shorter).code, 5);
    let listed = held_json(d, &e);
    let by_fp = |fp: &str| {
        listed
            .iter()
            .find(|h| h["fingerprint"] == fp)
            .unwrap_or_else(|| panic!("{fp} not in {listed:?}"))
            .clone()
    };
    assert_eq!(by_fp(&night)["state"], "superseded");
    assert_eq!(by_fp(&night)["source"], "inputs");
    let kept = by_fp(&revert.fingerprint);
    assert_eq!(
        (kept["state"].as_str(), kept["source"].as_str()),
        (Some("pending"), Some("revert:run-20261127T023000Z"))
    );
    let newest = listed.last().unwrap();
    assert_eq!(
        (newest["state"].as_str(), newest["source"].as_str()),
        (Some("pending"), Some("inputs"))
    );
    // Both still approvable on their own.
    let r = proone(d, &e, &["approve", &revert.fingerprint, "--by", "ana"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// A held plan written before the canonical form was versioned (kept as a fixture, written by
/// the main of 2026-12-06) still verifies: its fingerprint is recomputed under form 1.
#[test]
fn a_held_plan_saved_under_the_first_canonical_form_keeps_verifying() {
    use proone_sync::plan::SavedPlan;
    let text = std::fs::read_to_string(fixture("held-v1/held-a9f083e089e6495f.json")).unwrap();
    assert!(
        !text.contains("\"canonical\""),
        "the fixture is of the first form"
    );
    let saved = SavedPlan::parse(&text).unwrap();
    assert_eq!((saved.canonical, saved.source.as_str()), (1, "inputs"));
    assert_eq!(saved.recompute_fingerprint(), "a9f083e089e6495f");
    assert_eq!(saved.actions(DATE).unwrap().len(), 26);
    // Edited, it is refused under its own form too.
    let mut edited = saved.clone();
    edited.actions.pop();
    assert!(edited.actions(DATE).is_err());
    // Re-read and re-written by this version, it keeps its form and its fingerprint.
    let again = SavedPlan::parse(&saved.to_json().unwrap()).unwrap();
    assert_eq!(again.recompute_fingerprint(), "a9f083e089e6495f");
    // Through the binary: listed by `held` with its source, approved (its fingerprint checked,
    // then the portal it was made against, on the port it was made on), then applied.
    let dir = Workdir::new();
    std::fs::create_dir_all(dir.join("state")).unwrap();
    std::fs::copy(
        fixture("held-v1/held-a9f083e089e6495f.json"),
        dir.state("held-a9f083e089e6495f.json"),
    )
    .unwrap();
    plain("")(dir.path());
    let mut c = proone_sync::emulator::EmulatorConfig::local(fixture("portal-seed.json"));
    c.listen = "127.0.0.1:18555".parse().unwrap();
    c.today = DATE;
    let e = RunningEmulator::start(c).unwrap_or_else(|err| panic!("emulator on :18555: {err}"));
    let listed = held_json(dir.path(), &e);
    assert_eq!(
        (
            listed[0]["fingerprint"].as_str(),
            listed[0]["source"].as_str(),
            listed[0]["state"].as_str()
        ),
        (Some("a9f083e089e6495f"), Some("inputs"), Some("pending"))
    );
    let r = proone(dir.path(), &e, &["approve", "a9f083e0", "--by", "ana"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let held = dir.state("held-a9f083e089e6495f.json");
    let r = proone(
        dir.path(),
        &e,
        &["apply", "--yes", "--plan", held.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("26 done"), "{}", r.stdout);
    assert_eq!(held_json(dir.path(), &e)[0]["state"], "applied");
    // A form-1 plan that says another source was edited: its fingerprint no longer holds.
    let mut other = SavedPlan::parse(&text).unwrap();
    other.source = "revert:run-20261127T023000Z".into();
    assert!(matches!(
        other.actions(DATE),
        Err(proone_sync::plan::SavedPlanError::Edited { .. })
    ));
    // A form this version does not know is refused, said so.
    let mut future = saved;
    future.canonical = 99;
    match future.actions(DATE) {
        Err(proone_sync::plan::SavedPlanError::UnknownForm(99)) => {}
        other => panic!("{other:?}"),
    }
}

fn runs_json(dir: &Path, e: &RunningEmulator) -> Vec<Value> {
    let r = proone(dir, e, &["runs", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    v["runs"].as_array().unwrap().clone()
}

/// evidence.md "Runs": every apply is a run — one with nothing to do and one that fails before
/// any write included — listed newest first with its state, exit and phases, its journal
/// named after it.
#[test]
fn runs_lists_a_nothing_to_do_apply_a_failed_one_and_a_night_with_two_phases() {
    let (dir, e, staff) = case(plain(""));
    let d = dir.path();
    assert_eq!(apply(d, &e, &staff).code, 5);
    let fp = held_json(d, &e)[0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(proone(d, &e, &["approve", &fp, "--by", "ana"]).code, 0);
    // The night: the approved plan, then the inputs.
    assert_eq!(apply(d, &e, &staff).code, 0);
    // Nothing to do.
    let r = apply(d, &e, &staff);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A portal that is not there: fails before any write.
    let r = run(proone_cmd(
        d,
        &e,
        &["apply", "--yes", "--prune", staff.to_str().unwrap()],
    )
    .env("PROONE_URL", "http://127.0.0.1:9/api/v1"));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let runs = runs_json(d, &e);
    assert_eq!(runs.len(), 4, "{runs:#?}");
    let (failed, idle, night, first) = (&runs[0], &runs[1], &runs[2], &runs[3]);
    assert_eq!(
        (failed["state"].as_str(), failed["exit"].as_i64()),
        (Some("failed"), Some(1))
    );
    assert!(failed["ended"].is_string());
    assert_eq!(
        (idle["state"].as_str(), idle["exit"].as_i64()),
        (Some("completed"), Some(0))
    );
    let phases = idle["phases"].as_array().unwrap();
    assert_eq!(phases.len(), 1, "{idle:#}");
    assert_eq!(phases[0]["source"], "inputs");
    assert_eq!(phases[0]["counts"], serde_json::json!({}));
    // Its journal exists, named after it, with a start and an end.
    let id = idle["id"].as_str().unwrap();
    let journal = std::fs::read_to_string(state(d, &format!("journal-{id}.jsonl"))).unwrap();
    assert!(journal.lines().next().unwrap().contains("\"start\""));
    assert!(journal.lines().last().unwrap().contains("\"end\""));
    // The night: a phase for the held plan, approved by ana, then one for its inputs.
    let phases = night["phases"].as_array().unwrap();
    assert_eq!(phases.len(), 2, "{night:#}");
    assert_eq!(phases[0]["source"], format!("held:{fp}").as_str());
    assert_eq!(phases[0]["fingerprint"], fp.as_str());
    assert_eq!(phases[0]["approved_by"], "ana");
    let revoked = phases[0]["counts"]["revoke_dossier"]["done"]
        .as_u64()
        .unwrap_or(0)
        + phases[0]["counts"]["revoke_structure"]["done"]
            .as_u64()
            .unwrap_or(0);
    assert_eq!(revoked, 26, "{:#}", phases[0]);
    assert_eq!(phases[1]["source"], "inputs");
    // The first run held its revocations: counted as held, exit 5.
    assert_eq!(first["exit"], 5);
    assert!(
        first["phases"][0]["counts"]["revoke_dossier"]["held"]
            .as_u64()
            .unwrap()
            > 0
    );
    // Newest first, ids by time.
    let ids: Vec<&str> = runs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.iter().all(|i| i.starts_with("run-")), "{ids:?}");
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    assert_eq!(runs_json(d, &e).len(), 4);
    // Text, in French too.
    let r = proone(d, &e, &["--lang", "fr", "runs"]);
    assert!(
        r.stdout.contains("échouée") && r.stdout.contains("approuvé par ana"),
        "{}",
        r.stdout
    );
    let r = proone(d, &e, &["runs", "--since", "2999-01-01"]);
    assert!(r.stdout.contains("No run in"), "{}", r.stdout);
}

/// Every file of the state directory but the lock (whose line says who holds it), by name.
fn state_files_bytes(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir.join("state"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| n != "apply.lock" && n != "filler")
        .map(|(n, p)| (n, std::fs::read(p).unwrap()))
        .collect()
}

/// cli.md: a record that cannot be written is an error said at once, the previous file intact.
/// The state directory on a real tmpfs (mounted by the test, as root, as CI runs), filled to
/// the last byte: `approve`, `reject` and `apply` each exit 1 with their sentence, and every
/// file of the directory is as it was, with no temporary left behind.
#[test]
fn on_a_full_state_directory_each_record_that_cannot_be_written_is_exit_1_and_nothing_changes() {
    let dir = Workdir::new();
    let d = dir.path();
    let state_dir = d.join("state");
    let Some(_tmpfs) = Tmpfs::mount(&state_dir, "2m") else {
        return;
    };
    let e = emulator_with(Faults::default());
    let staff = staff(d, &e);
    plain("")(d);
    assert_eq!(apply(d, &e, &staff).code, 5);
    let fp = held_json(d, &e)[0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    // Fill the tmpfs to its last byte.
    {
        use std::io::Write as _;
        let mut filler = std::fs::File::create(state_dir.join("filler")).unwrap();
        let block = vec![0u8; 4096];
        while filler.write_all(&block).is_ok() {}
        while filler.write_all(&[0]).is_ok() {}
        let _ = filler.sync_all();
    }
    let before = state_files_bytes(d);
    let writes = || stats(&e)["callers"]["u-000001"]["writes"].clone();
    let written = writes();
    for (args, said) in [
        (
            vec!["approve", fp.as_str(), "--by", "ana"],
            "cannot record the approval",
        ),
        (vec!["reject", fp.as_str()], "cannot record the rejection"),
        (
            vec!["apply", "--yes", "--prune", staff.to_str().unwrap()],
            "cannot create the run's record",
        ),
    ] {
        let r = proone(d, &e, &args);
        assert_eq!(r.code, 1, "{args:?}: {}\n{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains(said),
            "{args:?} says {said:?}: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains("No space left on device"),
            "{args:?} says why: {}",
            r.stderr
        );
        assert_eq!(
            state_files_bytes(d),
            before,
            "{args:?} changed the state directory"
        );
    }
    assert_eq!(
        writes(),
        written,
        "the refused apply wrote nothing to the portal"
    );
    // Room again: the approval is recorded.
    std::fs::remove_file(state_dir.join("filler")).unwrap();
    assert_eq!(proone(d, &e, &["approve", &fp, "--by", "ana"]).code, 0);
    assert_eq!(held_json(d, &e)[0]["state"], "approved");
}

/// cli.md: a SIGTERM stops the run cleanly wherever it comes — here between its two phases,
/// once the approved held plan is applied and while the inputs are being planned (a slow
/// portal): no new phase starts, nothing of the inputs is written, exit 130, and the run is
/// listed `interrupted` with its journal's end.
#[test]
fn a_sigterm_between_the_approved_plan_and_the_inputs_stops_the_run_cleanly() {
    let d = Workdir::new();
    let e = emulator_with(Faults {
        latency_ms: 200,
        ..Faults::default()
    });
    let staff = staff(d.path(), &e);
    plain("")(d.path());
    assert_eq!(apply(d.path(), &e, &staff).code, 5);
    let fp = held_json(d.path(), &e)[0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(proone(d.path(), &e, &["approve", &fp]).code, 0);
    // One more person for the inputs phase to create, were it to start.
    let mut text = std::fs::read_to_string(&staff).unwrap();
    text.push_str(&format!(
        "Dewit;Nouvelle;dewit.nouvelle@lespetitspas.be;{};oui;Bilans;MA-00101\n",
        nrn(7)
    ));
    std::fs::write(&staff, text).unwrap();
    let mut night = std::process::Command::new(std_bin_path())
        .current_dir(d.path())
        .args(["--config", "proone-sync.toml", "apply", "--yes", "--prune"])
        .arg(&staff)
        .args(["--today", TODAY])
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The approved plan's 26 actions are all journaled: its phase is over.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let journals = d.state_files("journal-");
        let actions = journals
            .iter()
            .map(|j| {
                std::fs::read_to_string(j)
                    .unwrap_or_default()
                    .lines()
                    .filter(|l| l.contains("\"event\":\"action\""))
                    .count()
            })
            .sum::<usize>();
        // The first night's journal has its 26 held lines; the night's, 26 more.
        if actions >= 52 {
            break;
        }
        assert!(night.try_wait().unwrap().is_none(), "the run ended first");
        assert!(std::time::Instant::now() < deadline, "{actions} journaled");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &night.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert_eq!(night.wait().unwrap().code(), Some(130));
    let runs = {
        let r = proone(d.path(), &e, &["runs", "--format", "json"]);
        serde_json::from_str::<Value>(&r.stdout).unwrap()["runs"].clone()
    };
    let last = &runs[0];
    assert_eq!(
        (last["state"].as_str(), last["exit"].as_i64()),
        (Some("interrupted"), Some(130))
    );
    assert_eq!(last["phases"].as_array().unwrap().len(), 1, "{last:#}");
    let journal = std::fs::read_to_string(d.state(last["journal"].as_str().unwrap())).unwrap();
    assert!(
        journal.lines().last().unwrap().contains("\"interrupted\""),
        "{journal}"
    );
    assert!(
        !observed(&e).users.iter().any(|u| u.email.contains("dewit")),
        "the inputs phase wrote nothing"
    );
}
