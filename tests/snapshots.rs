//! Snapshots of the reports a reviewer reads: the text, Markdown and CSV plan reports
//! (`plan --report`) and the check reports (`check`'s text on stdout, `check --report …csv`) of
//! every fixture, in English and in French, through the real binary against the emulator,
//! compared byte for byte with the plain files of `tests/snapshots/`. A change of wording or
//! layout shows here as a diff to read.
//!
//! After an intended change: `PROONE_BLESS=1 cargo test --test snapshots`, then read the diff
//! (`git diff tests/snapshots`) before committing. CI never accepts: with `CI` set, blessing is
//! refused, and a missing snapshot is a failure like a different one.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::*;

const ADMIN: &str = "tok-admin-7f3c9a";

/// The demo's inputs together (as tests/golden.rs).
const ALL: &[&str] = &[
    "fixtures/personnel.xlsx",
    "fixtures/acces-grille.xlsx",
    "fixtures/toegang-nl.ods",
    "fixtures/nouveaux-cp1252.csv",
];

const RULES: &str = "tests/golden/inputs/regles.csv";

const LANGS: [&str; 2] = ["en", "fr"];

/// The place every reading of `fingerprint` takes in a snapshot: the fingerprint covers the
/// portal's address (an ephemeral port here); its content is pinned by the saved-plan tests.
const FINGERPRINT: &str = "<fingerprint>";

fn snapshots() -> PathBuf {
    root().join("tests/snapshots")
}

fn blessing() -> bool {
    let bless = std::env::var_os("PROONE_BLESS").is_some_and(|v| !v.is_empty() && v != "0");
    assert!(
        !(bless && std::env::var_os("CI").is_some()),
        "PROONE_BLESS is refused under CI: snapshots are accepted by a person, not by CI"
    );
    bless
}

/// The first line where `want` and `got` part, both shown, for the failure message.
fn first_difference(name: &str, want: &str, got: &str) -> String {
    let line = want
        .split('\n')
        .zip(got.split('\n'))
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| want.split('\n').count().min(got.split('\n').count()));
    format!(
        "{name}: differs from line {}:\n  snapshot: {:?}\n  now:      {:?}",
        line + 1,
        want.split('\n').nth(line),
        got.split('\n').nth(line)
    )
}

/// Compares `got` (`None`: the report was not written) with the stored snapshot `name`, or
/// writes it when blessing; the mismatch, if any, so one run lists every case that differs.
fn compare(name: &str, got: Option<&str>, bless: bool) -> Option<String> {
    let path = snapshots().join(name);
    if bless {
        match got {
            Some(got) => std::fs::write(&path, got)
                .unwrap_or_else(|e| panic!("write {}: {e}", path.display())),
            None if path.exists() => std::fs::remove_file(&path)
                .unwrap_or_else(|e| panic!("remove {}: {e}", path.display())),
            None => {}
        }
        return None;
    }
    let want = match std::fs::read(&path) {
        Ok(bytes) => Some(String::from_utf8(bytes).unwrap_or_else(|e| panic!("{name}: {e}"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("{}: {e}", path.display()),
    };
    match (want.as_deref(), got) {
        (Some(want), Some(got)) if want == got => None,
        (None, None) => None,
        (Some(want), Some(got)) => Some(first_difference(name, want, got)),
        (None, Some(_)) => Some(format!(
            "{name}: no snapshot (PROONE_BLESS=1 writes it, outside CI)"
        )),
        (Some(_), None) => Some(format!(
            "{name}: the snapshot exists, the report was not written"
        )),
    }
}

/// `personnel.xlsx`, `broken-vide.xlsx`, `regles.csv`: a case's name from its file.
fn file_name(file: &str) -> String {
    file.trim_start_matches("fixtures/")
        .trim_start_matches("tests/golden/inputs/")
        .replace('/', "-")
}

fn read(path: &Path) -> Option<String> {
    match std::fs::read(path) {
        Ok(bytes) => Some(String::from_utf8(bytes).unwrap_or_else(|e| panic!("{e}"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

/// The reports of one `plan` run, the fingerprint masked (read from the JSON report written by
/// the same run).
fn plan_reports(
    url: &str,
    lang: &str,
    args: &[&str],
    dir: &Path,
) -> Vec<(&'static str, Option<String>)> {
    let path = |ext: &str| dir.join(format!("report.{ext}"));
    for ext in ["txt", "md", "csv", "json"] {
        let _ = std::fs::remove_file(path(ext));
    }
    let mut cmd = bin();
    cmd.env("PROONE_URL", url)
        .env("PROONE_TOKEN", ADMIN)
        .args(["--lang", lang, "plan"])
        .args(args);
    for ext in ["txt", "md", "csv", "json"] {
        cmd.arg("--report").arg(path(ext));
    }
    let r = run(&mut cmd);
    assert!(
        [0, 1, 3].contains(&r.code),
        "plan {args:?}: exit {}\n{}",
        r.code,
        r.stderr
    );
    let fingerprint = read(&path("json")).map(|json| {
        let v: serde_json::Value =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("plan {args:?}: {e}"));
        let fp = v["fingerprint"].as_str().unwrap_or_default().to_owned();
        assert!(
            fp.len() == 16 && fp.bytes().all(|b| b.is_ascii_hexdigit()),
            "{fp}"
        );
        fp
    });
    ["txt", "md", "csv"]
        .into_iter()
        .map(|ext| {
            let got = read(&path(ext)).map(|s| match &fingerprint {
                Some(fp) => s.replace(fp.as_str(), FINGERPRINT),
                None => s,
            });
            (ext, got)
        })
        .collect()
}

/// The plan cases of tests/golden.rs: every fixture, the demo's inputs together, pruned, past
/// the guard, and every rule of the plan at once.
fn plan_cases() -> Vec<(String, Vec<&'static str>)> {
    let mut cases: Vec<(String, Vec<&str>)> =
        FIXTURES.iter().map(|f| (file_name(f), vec![*f])).collect();
    let with = |extra: &[&'static str], files: &[&'static str]| {
        extra.iter().chain(files).copied().collect::<Vec<_>>()
    };
    cases.push(("all".into(), ALL.to_vec()));
    cases.push(("all-prune".into(), with(&["--prune"], ALL)));
    cases.push((
        "all-prune-allowed".into(),
        with(&["--prune", "--allow-mass-change"], ALL),
    ));
    cases.push(("regles-prune".into(), with(&["--prune"], &[RULES])));
    cases.push((
        "regles-prune-allowed".into(),
        with(&["--prune", "--allow-mass-change"], &[RULES]),
    ));
    cases
}

/// Every file of the snapshot folder is one a case produced: a snapshot left from a case that
/// is gone fails too (and is removed when blessing).
fn leftovers(made: &BTreeSet<String>, prefix: &str, bless: bool) -> Vec<String> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(snapshots()).unwrap_or_else(|e| panic!("tests/snapshots: {e}"));
    for e in entries {
        let name = e.unwrap_or_else(|e| panic!("{e}")).file_name();
        let name = name.to_string_lossy().into_owned();
        if name.starts_with(prefix) && !made.contains(&name) {
            if bless {
                let _ = std::fs::remove_file(snapshots().join(&name));
            } else {
                out.push(format!("{name}: a snapshot no case makes"));
            }
        }
    }
    out
}

#[test]
fn plan_reports_of_every_fixture_in_both_languages_are_unchanged() {
    let bless = blessing();
    let e = emulator_with(proone_sync::emulator::Faults::default());
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (mut diffs, mut made) = (Vec::new(), BTreeSet::new());
    for (case, args) in plan_cases() {
        for lang in LANGS {
            for (ext, got) in plan_reports(&e.base_url(), lang, &args, dir.path()) {
                let name = format!("plan-{case}.{lang}.{ext}");
                diffs.extend(compare(&name, got.as_deref(), bless));
                if got.is_some() {
                    made.insert(name);
                }
            }
        }
    }
    diffs.extend(leftovers(&made, "plan-", bless));
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn check_reports_of_every_fixture_in_both_languages_are_unchanged() {
    let bless = blessing();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let csv = dir.path().join("problems.csv");
    let mut cases: Vec<(String, Vec<&str>)> =
        FIXTURES.iter().map(|f| (file_name(f), vec![*f])).collect();
    cases.push(("all".into(), ALL.to_vec()));
    let (mut diffs, mut made) = (Vec::new(), BTreeSet::new());
    for (case, files) in cases {
        for lang in LANGS {
            let _ = std::fs::remove_file(&csv);
            let r = run(bin()
                .args(["--lang", lang, "check", "--report"])
                .arg(&csv)
                .args(&files));
            assert!(
                [0, 1, 3].contains(&r.code),
                "check {files:?}: exit {}\n{}",
                r.code,
                r.stderr
            );
            for (ext, got) in [("txt", Some(r.stdout)), ("csv", read(&csv))] {
                let name = format!("check-{case}.{lang}.{ext}");
                diffs.extend(compare(&name, got.as_deref(), bless));
                if got.is_some() {
                    made.insert(name);
                }
            }
        }
    }
    diffs.extend(leftovers(&made, "check-", bless));
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
