//! French and English (issue 16) through the binary: the language is chosen by `--lang`, then
//! `language` in the config, then `LC_ALL`/`LC_MESSAGES`/`LANG`; a French run of `check` on every
//! fixture says no English sentence; `check` and `plan` JSON are the same in both languages but
//! for `message` and `hint`; `apply` speaks the language too.

mod common;

use common::*;
use proone_sync::emulator::Faults;
use serde_json::Value;

const ADMIN: &str = "tok-admin-7f3c9a";

/// Words that mean an English sentence reached French output.
const ENGLISH: &[&str] = &[
    "the", "cannot", "missing", "row", "rows", "not", "is", "and", "with", "has", "file", "sheet",
    "error", "warning", "hint", "skipped", "invalid", "people", "person",
];

/// `text` with what comes from the spreadsheets or the portal taken out: quoted values
/// (« … », "…"), the given values and locations, paths, e-mails, codes and ids.
fn sentences_only(text: &str, values: &[String]) -> String {
    let mut t = text.to_owned();
    for v in values.iter().filter(|v| !v.is_empty()) {
        t = t.replace(v.as_str(), " ");
    }
    let mut out = String::new();
    let mut depth = 0;
    for c in t.chars() {
        match c {
            '«' => depth += 1,
            '»' => depth = (depth - 1).max(0),
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out.split_whitespace()
        .filter(|w| !(w.contains('@') || w.contains('/') || w.contains('.') || w.contains('-')))
        .collect::<Vec<_>>()
        .join(" ")
}

fn english_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| ENGLISH.contains(&w.to_lowercase().as_str()))
        .map(str::to_owned)
        .collect()
}

/// Values and locations of a check/plan JSON's problems.
fn given(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for p in v["problems"].as_array().into_iter().flatten() {
        for k in ["value", "location", "code"] {
            if let Some(s) = p[k].as_str() {
                out.push(s.to_owned());
            }
        }
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out
}

fn without_sentences(mut v: Value) -> Value {
    for p in v["problems"].as_array_mut().into_iter().flatten() {
        p["message"] = Value::Null;
        p["hint"] = Value::Null;
    }
    v
}

#[test]
fn a_french_check_of_every_fixture_says_no_english_sentence_and_the_same_json() {
    for f in FIXTURES {
        let fr = run(bin().args(["--lang", "fr", "check", "--offline", "--format", "json", f]));
        let en = run(bin().args(["check", "--offline", "--format", "json", f]));
        assert_eq!(fr.code, en.code, "{f}");
        let fr_json: Value = serde_json::from_str(&fr.stdout).unwrap();
        let en_json: Value = serde_json::from_str(&en.stdout).unwrap();
        let values = given(&fr_json);
        for p in fr_json["problems"].as_array().unwrap() {
            for k in ["message", "hint"] {
                let said = sentences_only(p[k].as_str().unwrap_or(""), &values);
                let words = english_words(&said);
                assert!(words.is_empty(), "{f}: English {words:?} in {k}: {}", p[k]);
            }
        }
        assert_eq!(
            without_sentences(fr_json.clone()),
            without_sentences(en_json.clone()),
            "{f}: the JSON differs beyond message and hint"
        );
        if !values.is_empty() {
            assert_ne!(fr_json, en_json, "{f}: French and English are the same");
        }
        // The text run too: summary, severities, hints.
        let text = run(bin().args(["--lang", "fr", "check", "--offline", f]));
        let mut said = String::new();
        for line in text.stdout.lines() {
            said.push_str(&sentences_only(line, &values));
            said.push('\n');
        }
        let words = english_words(&said);
        assert!(
            words.is_empty(),
            "{f}: English {words:?} in\n{}",
            text.stdout
        );
    }
}

#[test]
fn the_language_comes_from_the_flag_then_the_config_then_the_locale() {
    let f = "fixtures/personnel.xlsx";
    let says_french = |r: &Run| r.stdout.contains("lignes invalides ignorées");
    let says_english = |r: &Run| r.stdout.contains("invalid rows skipped");
    assert!(says_french(&run(bin().env("LANG", "fr_BE.UTF-8").args([
        "check",
        "--offline",
        f
    ]))));
    assert!(says_french(&run(bin()
        .env("LC_MESSAGES", "fr_FR")
        .env("LANG", "en_US")
        .args(["check", "--offline", f]))));
    // LC_ALL beats the others; an empty one counts as unset.
    assert!(says_english(&run(bin()
        .env("LC_ALL", "C.UTF-8")
        .env("LANG", "fr_BE.UTF-8")
        .args(["check", "--offline", f]))));
    assert!(says_french(&run(bin()
        .env("LC_ALL", "")
        .env("LANG", "fr_BE.UTF-8")
        .args(["check", "--offline", f]))));
    assert!(says_english(&run(bin().env("LANG", "fr_BE.UTF-8").args([
        "--lang",
        "en",
        "check",
        "--offline",
        f
    ]))));
    assert!(says_english(&run(bin().args(["check", "--offline", f]))));
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(dir.path(), "c.toml", "language = \"fr\"\n");
    let with_config = |extra: &[&str]| {
        run(bin()
            .arg("--config")
            .arg(&cfg)
            .args(extra)
            .args(["check", "--offline", f]))
    };
    assert!(says_french(&with_config(&[])));
    assert!(says_english(&with_config(&["--lang", "en"])));
    let bad = write(dir.path(), "bad.toml", "language = \"nl\"\n");
    let r = run(bin()
        .arg("--config")
        .arg(&bad)
        .args(["check", "--offline", f]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "line 1: language: \"nl\" is not one of its values; the accepted values are en, fr"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn plan_says_french_and_its_json_is_the_same_but_for_sentences() {
    let e = emulator_with(Faults::default());
    let plan = |lang: &str, format: &str| {
        run(bin()
            .env("PROONE_URL", e.base_url())
            .env("PROONE_TOKEN", ADMIN)
            .args(["--lang", lang, "plan", "--prune", "--format", format])
            .args(["fixtures/personnel.xlsx", "fixtures/toegang-nl.ods"]))
    };
    let (fr, en) = (plan("fr", "json"), plan("en", "json"));
    assert_eq!(fr.code, en.code);
    let fr: Value = serde_json::from_str(&fr.stdout).unwrap();
    let en: Value = serde_json::from_str(&en.stdout).unwrap();
    assert_eq!(without_sentences(fr), without_sentences(en));
    let text = plan("fr", "text");
    for said in [
        "Plan ",
        "mode élagage",
        "utilisateurs à créer",
        "nouvel utilisateur",
        "Problèmes :",
    ] {
        assert!(text.stdout.contains(said), "{said} in\n{}", text.stdout);
    }
    let english = english_words(&sentences_only(&text.stdout, &[]));
    // Names of people and structures are data; the words of the sentences are French.
    assert!(
        english.is_empty(),
        "English {english:?} in\n{}",
        text.stdout
    );
}

#[test]
fn apply_speaks_french_and_its_journal_is_the_same_in_both() {
    let run_in = |lang: &str| {
        let e = emulator_with(Faults::default());
        let dir = tempfile::tempdir().unwrap();
        let cfg = write(dir.path(), "c.toml", "state_dir = \"state\"\n");
        let r = run(bin()
            .env("PROONE_URL", e.base_url())
            .env("PROONE_TOKEN", ADMIN)
            .arg("--config")
            .arg(&cfg)
            .args([
                "--lang",
                lang,
                "apply",
                "--yes",
                "fixtures/nouveaux-cp1252.csv",
            ]));
        let journal: Vec<Value> = std::fs::read_dir(dir.path().join("state"))
            .unwrap()
            .filter_map(|f| f.ok().map(|f| f.path()))
            .filter(|p| p.to_string_lossy().ends_with(".jsonl"))
            .flat_map(|p| {
                std::fs::read_to_string(p)
                    .unwrap()
                    .lines()
                    .map(|l| serde_json::from_str::<Value>(l).unwrap())
                    .collect::<Vec<_>>()
            })
            .collect();
        (r, journal)
    };
    let (fr, fr_journal) = run_in("fr");
    let (en, en_journal) = run_in("en");
    assert_eq!(fr.code, 3, "{}\n{}", fr.stdout, fr.stderr);
    assert_eq!(fr.code, en.code);
    assert!(
        fr.stdout.contains("appliqué à") && fr.stdout.contains("appels au portail"),
        "{}",
        fr.stdout
    );
    assert!(en.stdout.contains("Applied plan"), "{}", en.stdout);
    let english = english_words(&sentences_only(&fr.stdout, &[]));
    assert!(english.is_empty(), "English {english:?} in\n{}", fr.stdout);
    // The journal: codes and fields, the same keys and values in both languages (times,
    // durations, the fingerprint, which names the emulator's port, and the history's chain head,
    // which hashes the times, aside).
    // Actions run concurrently: compared in action order, without the ids the portal gave.
    let strip = |j: &[Value]| -> Vec<Value> {
        let mut v: Vec<Value> = j
            .iter()
            .map(|l| {
                let mut l = l.clone();
                for k in [
                    "time",
                    "duration_ms",
                    "fingerprint",
                    "portal",
                    "user_id",
                    "history_head",
                ] {
                    l[k] = Value::Null;
                }
                l
            })
            .collect();
        v.sort_by_key(|l| (l["event"].as_str().map(str::to_owned), l["action"].as_u64()));
        v
    };
    assert!(!fr_journal.is_empty());
    assert_eq!(strip(&fr_journal), strip(&en_journal));
}

#[test]
fn json_logs_carry_codes_and_fields_never_sentences() {
    // No portal configured: plan refuses; the cron log gets the code and its fields.
    for lang in ["fr", "en"] {
        let r = run(bin().args([
            "--lang",
            lang,
            "--log-format",
            "json",
            "plan",
            "fixtures/personnel.xlsx",
        ]));
        assert_eq!(r.code, 1, "{}", r.stderr);
        let line: Value = serde_json::from_str(r.stderr.lines().last().unwrap()).unwrap();
        assert_eq!(line["level"], "ERROR");
        assert_eq!(line["fields"]["code"], "no-portal", "{line}");
        assert_eq!(line["fields"]["hint"], "no-portal-hint", "{line}");
        assert!(
            line["fields"].get("message").is_none(),
            "a sentence: {line}"
        );
        assert!(line["fields"]["why"].is_string(), "{line}");
    }
}
