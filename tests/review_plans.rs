//! An access review's decisions applied (issue 27, evidence.md "Access review campaigns"),
//! through the real binary against the emulator: the workbooks `review start` wrote, filled in
//! LibreOffice as directors do and saved by it as xlsx, ods and `;` CSV, collected with their
//! problems at their cells; `plan --review` revokes exactly the structures
//! a « Retirer » asked for (source `review:<campaign>`, mode `review`); a person whose access
//! changed after `start` is left out and listed (`review-stale`); `apply --review` applies them
//! with its journal; nobody answering changes nothing; a removal the staff list still asks for
//! is `redone-by-inputs` at its row; a structure left to administrateurs alone is
//! `review-structure-orphaned`; due days and `review-overdue` reminders on days of the clock
//! (Debian's `faketime`, Europe/Brussels days), once a day per overdue sheet.

mod common;
mod revert_support;
mod review_support;

use std::collections::BTreeSet;

use revert_support::*;
use review_support::*;

fn removals(plan: &serde_json::Value) -> BTreeSet<(String, String, String)> {
    actions(plan)
}

#[test]
fn the_removals_are_planned_and_applied_and_a_changed_access_is_left_out() {
    let (dir, e, _) = case(&review_config(""));
    let d = dir.path();
    let campaign = json(&start(d, &e, 0))["campaign"]
        .as_str()
        .unwrap()
        .to_owned();
    let lutins = filled(
        &dir.join("revue/MA-00101.xlsx"),
        &[
            ("u-000009", "Retirer"),
            ("u-000033", "Retirer"),
            ("u-000004", "Garder"),
        ],
        &[],
    );
    save_xlsx(&lutins, &dir.join("MA-00101.xlsx"));
    ok(d, &e, 0, &["review", "collect", "MA-00101.xlsx"]);
    // After the sheet was made, Noah lost Les Lutins by hand.
    by_hand(
        &e,
        reqwest::Method::DELETE,
        "/users/u-000033/structures/MA-00101",
    );
    let plan = json(&ok(
        d,
        &e,
        0,
        &["plan", "--review", &campaign, "--format", "json"],
    ));
    assert_eq!(plan["source"], format!("review:{campaign}").as_str());
    assert_eq!(plan["mode"], "review");
    assert_eq!(
        removals(&plan),
        BTreeSet::from([(
            "revoke_structure".to_owned(),
            "u-000009".to_owned(),
            "MA-00101".to_owned()
        )])
    );
    let found = codes(&plan);
    assert!(
        found
            .iter()
            .any(|(c, l)| c == "review-stale" && l.ends_with("MA-00101.xlsx:Revue:5")),
        "{found:?}"
    );
    // Against what Eva holds now (four items), one revocation trips the 10 % guard, as a
    // revert's would: held for approval, the rest applied (here nothing).
    ok(d, &e, 5, &["apply", "--review", &campaign, "--yes"]);
    let h = held(d, &e)[0].clone();
    assert_eq!(h["source"], format!("review:{campaign}").as_str());
    // Approved, it is applied first by the next apply (of the inputs: here an unchanged list).
    let fp = h["fingerprint"].as_str().unwrap().to_owned();
    ok(d, &e, 0, &["approve", &fp, "--by", "M. Lambert"]);
    let unchanged = dir.write(
        "personnel.csv",
        format!("{HEADER}Dupont;Marie;marie.dupont@lespetitspas.be;;;Pré-demandes;MA-00101\n"),
    );
    ok(d, &e, 0, &["apply", "--yes", unchanged.to_str().unwrap()]);
    let now = access(&e);
    assert!(
        !now["u-000009"].1.contains("MA-00101"),
        "{:?}",
        now["u-000009"]
    );
    assert!(
        now["u-000009"].1.contains("MA-00112"),
        "only that structure"
    );
    assert!(now["u-000004"].1.contains("MA-00101"), "kept");
    let run = last_run(d, &e);
    assert_eq!(
        done(d, &run),
        vec![(
            "revoke_structure".into(),
            "u-000009".into(),
            "MA-00101".into()
        )]
    );
    // The night's first phase is the approved held plan of the review.
    let runs = json(&ok(d, &e, 0, &["runs", "--format", "json"]));
    assert_eq!(
        runs["runs"][0]["phases"][0]["source"],
        format!("held:{fp}").as_str()
    );
    // The answers are recorded as applied by that run; a later file is no longer taken.
    let record: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.state(&format!("review-{campaign}.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(
        record["sheets"][0]["answers"][0]["applied_by"],
        run.as_str()
    );
    let v = json(&ok(
        d,
        &e,
        3,
        &["review", "collect", "MA-00101.xlsx", "--format", "json"],
    ));
    assert_eq!(v["problems"][0]["code"], "review-sheet-applied");
    // Planned again: the removal applied is not (nor shown as changed since the sheet); Noah's,
    // left out as stale, still is listed.
    let again = json(&ok(
        d,
        &e,
        0,
        &["plan", "--review", &campaign, "--format", "json"],
    ));
    assert!(removals(&again).is_empty(), "{again}");
    let stale: Vec<String> = codes(&again)
        .into_iter()
        .filter(|(c, _)| c == "review-stale")
        .map(|(_, l)| l)
        .collect();
    assert_eq!(stale.len(), 1, "{again}");
    assert!(stale[0].ends_with("MA-00101.xlsx:Revue:5"), "{stale:?}");
    // The report names the reviewers and the decisions with the file's hash and the run.
    let sha = record["sheets"][0]["answers"][0]["file_sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(
        d,
        &e,
        0,
        &[
            "--lang", "en", "review", "report", &campaign, "--report", "r.md", "--report",
            "r.html", "--report", "r.xlsx",
        ],
    );
    let md = std::fs::read_to_string(dir.join("r.md")).unwrap();
    for want in [
        "directrice.lutins@lespetitspas.be",
        "director.b@lespetitspas.be",
        &sha,
        &run,
    ] {
        assert!(md.contains(want), "{want} in {md}");
    }
    let eva = md.lines().find(|l| l.contains("u-000009")).unwrap();
    assert!(eva.contains("Remove") && eva.contains(&run), "{eva}");
    let html = std::fs::read_to_string(dir.join("r.html")).unwrap();
    assert!(html.contains(&sha) && html.starts_with("<!DOCTYPE html>"));
    let cells = rows(&dir.join("r.xlsx"));
    assert!(
        cells
            .iter()
            .flatten()
            .any(|c| c == "directrice.lutins@lespetitspas.be")
    );
}

#[test]
fn nobody_answering_changes_nothing_and_one_removal_changes_one_item() {
    let (dir, e, _) = case(&review_config(""));
    let d = dir.path();
    let campaign = json(&start(d, &e, 0))["campaign"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = access(&e);
    let plan = json(&ok(
        d,
        &e,
        0,
        &["plan", "--review", &campaign, "--format", "json"],
    ));
    assert!(removals(&plan).is_empty());
    ok(d, &e, 0, &["apply", "--review", &campaign, "--yes"]);
    assert_eq!(access(&e), before);
    // A blank sheet returned is no answer either.
    let blank = filled(&dir.join("revue/MA-00102.xlsx"), &[], &[]);
    save_csv(&blank, &dir.join("blank.csv"));
    ok(d, &e, 0, &["review", "collect", "blank.csv"]);
    let one = filled(
        &dir.join("revue/MA-00112.xlsx"),
        &[("u-000033", "Retirer")],
        &[],
    );
    save_csv(&one, &dir.join("one.csv"));
    ok(d, &e, 0, &["review", "collect", "one.csv"]);
    ok(
        d,
        &e,
        0,
        &[
            "apply",
            "--review",
            &campaign,
            "--yes",
            "--allow-mass-change",
        ],
    );
    let after = access(&e);
    let changed: Vec<&String> = before.keys().filter(|k| before[*k] != after[*k]).collect();
    assert_eq!(changed, vec!["u-000033"]);
    assert!(!after["u-000033"].1.contains("MA-00112"));
    let runs = json(&ok(d, &e, 0, &["runs", "--format", "json"]));
    assert_eq!(
        runs["runs"][0]["phases"][0]["source"],
        format!("review:{campaign}").as_str()
    );
}

#[test]
fn a_removal_the_staff_list_still_asks_for_is_redone_by_inputs_at_its_row() {
    let (dir, e, staff) = case(&review_config(""));
    let d = dir.path();
    let campaign = json(&start(d, &e, 0))["campaign"]
        .as_str()
        .unwrap()
        .to_owned();
    // Eva is on the staff list with Bilans on Les Lutins (row 7).
    let sheet = filled(
        &dir.join("revue/MA-00101.xlsx"),
        &[("u-000009", "Retirer")],
        &[],
    );
    save_xlsx(&sheet, &dir.join("retour.xlsx"));
    ok(d, &e, 0, &["review", "collect", "retour.xlsx"]);
    let plan = json(&ok(
        d,
        &e,
        0,
        &[
            "plan",
            "--review",
            &campaign,
            "--format",
            "json",
            staff.to_str().unwrap(),
        ],
    ));
    let codes = codes(&plan);
    assert!(
        codes
            .iter()
            .any(|(c, l)| c == "redone-by-inputs" && l.ends_with("personnel.csv:7")),
        "{codes:?}"
    );
    let said = plan["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "redone-by-inputs")
        .unwrap();
    let message = said["message"].as_str().unwrap();
    assert!(
        message.contains("MA-00101") && message.contains("eva.willems8@lespetitspas.be"),
        "{message}"
    );
    assert!(said["hint"].as_str().unwrap().contains("HR"), "{said}");
    // apply --review records it, and the campaign's report lists the row for HR.
    let s = staff.to_str().unwrap();
    let args = [
        "apply",
        "--review",
        &campaign,
        "--yes",
        "--allow-mass-change",
        s,
    ];
    ok(d, &e, 0, &args);
    ok(
        d,
        &e,
        0,
        &["review", "report", &campaign, "--report", "r.md"],
    );
    let md = std::fs::read_to_string(dir.join("r.md")).unwrap();
    let hr = md
        .lines()
        .find(|l| l.contains("personnel.csv:7"))
        .unwrap_or_default();
    assert!(
        hr.contains("eva.willems8@lespetitspas.be") && hr.contains("MA-00101"),
        "{md}"
    );
}

#[test]
fn a_structure_left_to_administrateurs_alone_is_orphaned() {
    let (dir, e, _) = case(&review_config(""));
    let d = dir.path();
    let campaign = json(&start(d, &e, 0))["campaign"]
        .as_str()
        .unwrap()
        .to_owned();
    let sheet = filled(
        &dir.join("revue/MA-00102.xlsx"),
        &[("u-000015", "Remove"), ("u-000039", "Remove")],
        &[],
    );
    save_csv(&sheet, &dir.join("b.csv"));
    ok(d, &e, 0, &["review", "collect", "b.csv"]);
    let plan = json(&ok(
        d,
        &e,
        0,
        &["plan", "--review", &campaign, "--format", "json"],
    ));
    assert_eq!(removals(&plan).len(), 2);
    assert!(
        codes(&plan)
            .iter()
            .any(|(c, _)| c == "review-structure-orphaned"),
        "{:?}",
        codes(&plan)
    );
}

/// What each notice told: its `PROONE_EVENTS` and the structures whose sheet of `campaign` it
/// named overdue (the lines of its Markdown report that name the campaign).
fn notices(dir: &std::path::Path, campaign: &str) -> Vec<(String, BTreeSet<String>)> {
    let told = std::fs::read_to_string(dir.join("told.txt")).unwrap_or_default();
    told.split("== ")
        .filter(|b| !b.is_empty())
        .map(|b| {
            let events = b.lines().next().unwrap_or_default().to_owned();
            let sheets = b
                .lines()
                .filter(|l| l.contains(campaign))
                .filter_map(|l| {
                    ["MA-00101", "MA-00102", "MA-00112"]
                        .into_iter()
                        .find(|s| l.contains(s))
                        .map(str::to_owned)
                })
                .collect();
            (events, sheets)
        })
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn status_shows_the_answered_and_overdue_sheets_and_apply_raises_review_overdue_once_a_day() {
    // Every step at an instant of the clock under faketime, with no --today: in December
    // Brussels is UTC+1, so 23:30 UTC on the 8th is already the 9th there.
    let notify = "[notify]\ncommand = \"echo \\\"== $PROONE_EVENTS\\\" >> told.txt; cat >> told.txt\"\n\
                  on = [\"review-overdue\"]\n";
    let (dir, e, _) = case(&format!("{}{notify}", review_config("")));
    let d = dir.path();
    let started = at_clock("2026-11-28 10:00:00", d, &e, 0, &START);
    let started = json(&started);
    let campaign = started["campaign"].as_str().unwrap().to_owned();
    assert!(campaign.starts_with("rev-2026-11-28-"), "{campaign}");
    // due_days = 10 in the config.
    assert_eq!(started["due"], "2026-12-08");
    let sheet = filled(
        &dir.join("revue/MA-00101.xlsx"),
        &[("u-000009", "Retirer")],
        &[],
    );
    save_xlsx(&sheet, &dir.join("retour.xlsx"));
    at_clock(
        "2026-11-30 09:00:00",
        d,
        &e,
        0,
        &["review", "collect", "retour.xlsx"],
    );
    let status = |time: &str| {
        let r = at_clock(
            time,
            d,
            &e,
            0,
            &["review", "status", &campaign, "--format", "json"],
        );
        json(&r)["campaigns"][0].clone()
    };
    // The due day itself, late in the evening in Brussels: nothing is overdue yet.
    let c = status("2026-12-08 22:30:00");
    assert_eq!(c["campaign"], campaign.as_str());
    assert_eq!(c["due"], "2026-12-08");
    let s = c["sheets"].as_array().unwrap();
    assert!(s.iter().all(|s| s["overdue"] == false), "{c}");
    // Half past midnight in Brussels on the 9th: the two sheets with no answer are overdue.
    let c = status("2026-12-08 23:30:00");
    let s = c["sheets"].as_array().unwrap();
    assert_eq!(s[0]["structure"], "MA-00101");
    assert_eq!(s[0]["answered"]["remove"], 1);
    assert_eq!(s[0]["answered"]["keep"], 0);
    assert!(
        s[0]["answered"]["at"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-30"),
        "{c}"
    );
    assert_eq!(s[0]["answered"]["file_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(s[0]["overdue"], false);
    assert_eq!(s[1]["answered"], serde_json::Value::Null);
    assert_eq!(s[1]["overdue"], true);
    assert_eq!(s[1]["coordinator"], "it@lespetitspas.be");
    assert_eq!(s[2]["overdue"], true);
    assert_eq!(s[2]["reviewer"], "it@lespetitspas.be");
    // The nightly apply on days of the clock.
    let staff = dir.write(
        "personnel.csv",
        format!("{HEADER}Dupont;Marie;marie.dupont@lespetitspas.be;;;Pré-demandes;MA-00101\n"),
    );
    let staff = staff.to_str().unwrap();
    let apply = |time: &str| at_clock(time, d, &e, 0, &["apply", "--yes", staff]);
    apply("2026-12-08 22:30:00");
    assert!(
        notices(d, &campaign).is_empty(),
        "told before the due day passed"
    );
    apply("2026-12-08 23:30:00");
    let told = notices(d, &campaign);
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].0.contains("review-overdue"), "{told:?}");
    assert_eq!(told[0].1, set(&["MA-00102", "MA-00112"]));
    // Later the same Brussels day: not told again.
    apply("2026-12-09 20:00:00");
    assert_eq!(notices(d, &campaign).len(), 1);
    // MA-00102's director answers; the next day only MA-00112 is still overdue, told once.
    let rows = rows(&dir.join("revue/MA-00102.xlsx"));
    let first = to_decide(&rows).into_iter().next().unwrap();
    let keep = filled(
        &dir.join("revue/MA-00102.xlsx"),
        &[(first.as_str(), "Keep")],
        &[],
    );
    save_xlsx(&keep, &dir.join("retour-b.xlsx"));
    at_clock(
        "2026-12-09 21:00:00",
        d,
        &e,
        0,
        &["review", "collect", "retour-b.xlsx"],
    );
    apply("2026-12-10 01:00:00");
    let told = notices(d, &campaign);
    assert_eq!(told.len(), 2, "{told:?}");
    assert_eq!(told[1].1, set(&["MA-00112"]));
    // The director sends the sheet again with the decision erased: a later file replaces the
    // answers, so MA-00102 is overdue again — told that day, once, though MA-00112 was told.
    let blank = filled(&dir.join("revue/MA-00102.xlsx"), &[], &[]);
    save_xlsx(&blank, &dir.join("retour-b2.xlsx"));
    at_clock(
        "2026-12-10 02:00:00",
        d,
        &e,
        0,
        &["review", "collect", "retour-b2.xlsx"],
    );
    apply("2026-12-10 03:00:00");
    apply("2026-12-10 04:00:00");
    let told = notices(d, &campaign);
    assert_eq!(told.len(), 3, "{told:?}");
    assert_eq!(told[2].1, set(&["MA-00102"]));
    // Closed: no more reminders, on any day.
    at_clock(
        "2026-12-10 05:00:00",
        d,
        &e,
        0,
        &["review", "close", &campaign],
    );
    apply("2026-12-11 01:00:00");
    assert_eq!(notices(d, &campaign).len(), 3);
    let c = status("2026-12-11 02:00:00");
    assert!(
        c["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["overdue"] == false),
        "{c}"
    );
}

#[test]
fn sheets_filled_by_directors_and_saved_by_libreoffice_are_collected_planned_and_applied() {
    let (dir, e, _) = case(&review_config(""));
    let d = dir.path();
    let campaign = json(&start(d, &e, 0))["campaign"]
        .as_str()
        .unwrap()
        .to_owned();
    let back = dir.join("retour");
    // Les Lutins (French): Eva « Retirer » with a comment, Marie « peut-être », Noah left
    // blank, a row added under them; saved by LibreOffice as xlsx.
    let lutins = filled_in_libreoffice(
        &dir.join("revue/MA-00101.xlsx"),
        &[
            ("u-000009", "Retirer", "partie en septembre"),
            ("u-000004", "peut-être", ""),
        ],
        &[&[
            "u-099999",
            "Nouveau",
            "Jean",
            "jean.nouveau@lespetitspas.be",
        ]],
        "xlsx",
        &back,
    );
    // MA-00102 (English): its first person "Remove", saved as ods.
    let b = to_decide(&rows(&dir.join("revue/MA-00102.xlsx")));
    let b_first = b.iter().next().unwrap().clone();
    let second = filled_in_libreoffice(
        &dir.join("revue/MA-00102.xlsx"),
        &[(b_first.as_str(), "Remove", "")],
        &[],
        "ods",
        &back,
    );
    // MA-00112 (the coordinator's, French): one « Garder », the decision sheet alone as `;` CSV.
    let c = to_decide(&rows(&dir.join("revue/MA-00112.xlsx")));
    let c_first = c.iter().next().unwrap().clone();
    let third = filled_in_libreoffice(
        &dir.join("revue/MA-00112.xlsx"),
        &[(c_first.as_str(), "Garder", "")],
        &[],
        LO_CSV,
        &back,
    );
    let csv = std::fs::read_to_string(&third).unwrap();
    assert!(csv.starts_with("proone-sync : revue d'accès;"), "{csv}");
    let files = [&lutins, &second, &third].map(|p| p.to_str().unwrap().to_owned());
    let mut args = vec!["review", "collect"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--format", "json"]);
    let v = json(&ok(d, &e, 3, &args));
    assert_eq!(v["campaign"], campaign.as_str());
    let structures: Vec<&str> = v["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["structure"].as_str().unwrap())
        .collect();
    assert_eq!(structures, ["MA-00101", "MA-00102", "MA-00112"], "{v}");
    assert_eq!(
        problem_codes(&v),
        vec![
            (
                "review-decision-invalid".to_owned(),
                format!("{}:Revue:4:G", files[0])
            ),
            (
                "review-row-unknown".to_owned(),
                format!("{}:Revue:7:A", files[0])
            ),
        ]
    );
    let all = |s: &std::collections::BTreeSet<String>| s.len() as u64;
    assert_eq!(v["decisions"]["keep"], 1);
    assert_eq!(v["decisions"]["remove"], 2);
    assert_eq!(
        v["decisions"]["none"].as_u64().unwrap(),
        2 + (all(&b) - 1) + (all(&c) - 1),
        "{v}"
    );
    let record: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.state(&format!("review-{campaign}.json"))).unwrap(),
    )
    .unwrap();
    let eva = &record["sheets"][0]["answers"][0]["decisions"][0];
    assert_eq!(eva["user_id"], "u-000009");
    assert_eq!(eva["comment"], "partie en septembre");
    // Exactly the two structures said « Retirer », planned, then applied.
    let plan = json(&ok(
        d,
        &e,
        0,
        &["plan", "--review", &campaign, "--format", "json"],
    ));
    let two = BTreeSet::from([
        (
            "revoke_structure".to_owned(),
            "u-000009".to_owned(),
            "MA-00101".to_owned(),
        ),
        (
            "revoke_structure".to_owned(),
            b_first.clone(),
            "MA-00102".to_owned(),
        ),
    ]);
    assert_eq!(removals(&plan), two);
    let before = access(&e);
    ok(
        d,
        &e,
        0,
        &[
            "apply",
            "--review",
            &campaign,
            "--yes",
            "--allow-mass-change",
        ],
    );
    let after = access(&e);
    for (user, (dossiers, structures)) in &before {
        let (now_d, now_s) = &after[user];
        assert_eq!(now_d, dossiers, "{user}");
        let mut want = structures.clone();
        for (_, u, s) in &two {
            if u == user {
                want.remove(s);
            }
        }
        assert_eq!(now_s, &want, "{user}");
    }
}

#[test]
fn a_file_collected_while_the_review_plan_is_held_is_not_credited_with_its_removals() {
    let (dir, e, _) = case(&review_config(""));
    // While the removal waits for approval, the director changes her mind on Eva and removes
    // Marie instead: the later file replaces the answers. The approved plan is what was
    // approved: Eva's removal, credited to the first file.
    let (campaign, run) = held_then_later(
        &dir,
        &e,
        &[("u-000009", "Garder"), ("u-000004", "Retirer")],
        false,
    );
    let now = access(&e);
    assert!(!now["u-000009"].1.contains("MA-00101"));
    assert!(now["u-000004"].1.contains("MA-00101"));
    let record: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.state(&format!("review-{campaign}.json"))).unwrap(),
    )
    .unwrap();
    let answers = &record["sheets"][0]["answers"];
    assert_eq!(
        answers[0]["applied"],
        serde_json::json!([{"user_id": "u-000009", "run": run}])
    );
    assert_eq!(answers[0]["applied_by"], run.as_str());
    assert_eq!(answers[1]["applied"], serde_json::json!([]));
    assert_eq!(answers[1]["applied_by"], serde_json::Value::Null);
    // The later file's removal is what a review plan holds now; nothing is stale.
    only_planned(&dir, &e, &campaign, "u-000004");
    // The report's evidence lists both files, the first applied by the run, the later standing.
    let md = report_md(&dir, &e, &campaign);
    let files: Vec<&str> = md
        .lines()
        .filter(|l| l.contains("first.xlsx") || l.contains("later.xlsx"))
        .collect();
    assert_eq!(files.len(), 2, "{md}");
    assert!(
        files[0].contains("first.xlsx") && files[0].contains(&run),
        "{md}"
    );
    assert!(files[0].contains("replaced by a later file"), "{md}");
    assert!(
        files[1].contains("later.xlsx") && !files[1].contains(&run),
        "{md}"
    );
}

#[test]
fn the_callers_own_row_is_apart_and_cannot_be_removed_and_a_last_structure_is_said() {
    // The job acts as Marc (gestion-utilisateurs), who was given Les Lutins and Bilans.
    const GESTION: &str = "tok-gestion-2b81d4";
    let (dir, e, _) = case(&review_config(""));
    let d = dir.path();
    by_hand(
        &e,
        reqwest::Method::PUT,
        "/users/u-000002/structures/MA-00101",
    );
    by_hand(&e, reqwest::Method::PUT, "/users/u-000002/dossiers/bilans");
    let as_marc = |code: i32, args: &[&str]| {
        let r = common::run(
            common::bin()
                .current_dir(d)
                .env("PROONE_URL", e.base_url())
                .env("PROONE_TOKEN", GESTION)
                .arg("--config")
                .arg(d.join("proone-sync.toml"))
                .args(args),
        );
        assert_eq!(r.code, code, "{args:?}\n{}\n{}", r.stdout, r.stderr);
        r
    };
    let started = as_marc(
        0,
        &[
            "--lang",
            "fr",
            "review",
            "start",
            "--structure",
            "MA-00101",
            "--out",
            "revue",
            "--format",
            "json",
        ],
    );
    let campaign = json(&started)["campaign"].as_str().unwrap().to_owned();
    let sheet = rows(&dir.join("revue/MA-00101.xlsx"));
    assert!(
        !to_decide(&sheet).contains("u-000002"),
        "the caller is not to decide"
    );
    let marc = sheet
        .iter()
        .position(|r| r.first().is_some_and(|c| c == "u-000002"))
        .expect("the caller listed apart");
    // « Retirer » typed on the caller's own row, and on Marie's, whose only structure it is.
    let filled = filled(
        &dir.join("revue/MA-00101.xlsx"),
        &[("u-000002", "Retirer"), ("u-000004", "Retirer")],
        &[],
    );
    save_xlsx(&filled, &dir.join("retour.xlsx"));
    let v = json(&as_marc(
        3,
        &["review", "collect", "retour.xlsx", "--format", "json"],
    ));
    assert_eq!(
        problem_codes(&v),
        vec![(
            "review-row-unknown".to_owned(),
            format!("retour.xlsx:Revue:{}:A", marc + 1)
        )],
        "{v}"
    );
    let said = v["problems"][0]["message"].as_str().unwrap();
    assert!(said.contains("listed apart"), "{said}");
    assert_eq!(v["decisions"]["remove"], 1);
    let plan = json(&as_marc(
        0,
        &["plan", "--review", &campaign, "--format", "json"],
    ));
    assert_eq!(
        removals(&plan),
        BTreeSet::from([(
            "revoke_structure".to_owned(),
            "u-000004".to_owned(),
            "MA-00101".to_owned()
        )])
    );
    // Marie's Pré-demandes would apply to no structure: said at her row.
    assert!(
        codes(&plan)
            .iter()
            .any(|(c, l)| c == "scoped-without-structures" && l.ends_with("retour.xlsx:Revue:4")),
        "{:?}",
        codes(&plan)
    );
}

#[test]
fn a_removal_said_again_in_a_later_file_or_found_done_already_is_credited_once_and_not_stale() {
    let (dir, e, _) = case(&review_config(""));
    let d = dir.path();
    // While it is held, the director sends her sheet again: the same « Retirer », and Noah's;
    // collected twice (a folder collected each morning): no second copy of the answers.
    let (campaign, run) = held_then_later(
        &dir,
        &e,
        &[("u-000009", "Retirer"), ("u-000033", "Retirer")],
        true,
    );
    let record = |dir: &common::Workdir| -> serde_json::Value {
        serde_json::from_str(
            &std::fs::read_to_string(dir.state(&format!("review-{campaign}.json"))).unwrap(),
        )
        .unwrap()
    };
    let answers = record(&dir)["sheets"][0]["answers"].clone();
    assert_eq!(answers.as_array().unwrap().len(), 2, "{answers}");
    // Eva's removal is the first file's; the later one asks only Noah's now — not Eva's again,
    // and not as stale.
    only_planned(&dir, &e, &campaign, "u-000033");
    let md = report_md(&dir, &e, &campaign);
    let eva = md
        .lines()
        .find(|l| l.contains("u-000009") && l.contains("Remove"))
        .unwrap();
    assert!(eva.contains(&run), "{eva}");
    // Saved, then found done already (removed by hand) when applied: credited all the same.
    ok(
        d,
        &e,
        0,
        &["plan", "--review", &campaign, "--out", "noah.json"],
    );
    by_hand(
        &e,
        reqwest::Method::DELETE,
        "/users/u-000033/structures/MA-00101",
    );
    ok(
        d,
        &e,
        0,
        &[
            "apply",
            "--plan",
            "noah.json",
            "--yes",
            "--allow-mass-change",
        ],
    );
    let answers = record(&dir)["sheets"][0]["answers"].clone();
    assert_eq!(answers[1]["applied"][0]["user_id"], "u-000033", "{answers}");
    let plan = json(&ok(
        d,
        &e,
        0,
        &["plan", "--review", &campaign, "--format", "json"],
    ));
    assert!(removals(&plan).is_empty() && codes(&plan).iter().all(|(c, _)| c != "review-stale"));
}

/// A campaign whose first returned file (Eva « Retirer » on Les Lutins) was held by the guard
/// at `apply --review`; then a later file with `later` decisions collected (twice with `again`);
/// then the held plan approved and applied by the next night. The campaign and that run.
fn held_then_later(
    dir: &common::Workdir,
    e: &proone_sync::emulator::RunningEmulator,
    later: &[(&str, &str)],
    again: bool,
) -> (String, String) {
    let d = dir.path();
    let campaign = json(&start(d, e, 0))["campaign"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = filled(
        &dir.join("revue/MA-00101.xlsx"),
        &[("u-000009", "Retirer")],
        &[],
    );
    save_xlsx(&first, &dir.join("first.xlsx"));
    ok(d, e, 0, &["review", "collect", "first.xlsx"]);
    ok(d, e, 5, &["apply", "--review", &campaign, "--yes"]);
    let later = filled(&dir.join("revue/MA-00101.xlsx"), later, &[]);
    save_xlsx(&later, &dir.join("later.xlsx"));
    for _ in 0..if again { 2 } else { 1 } {
        ok(d, e, 0, &["review", "collect", "later.xlsx"]);
    }
    let fp = held(d, e)[0]["fingerprint"].as_str().unwrap().to_owned();
    ok(d, e, 0, &["approve", &fp, "--by", "M. Lambert"]);
    let unchanged = dir.write(
        "personnel.csv",
        format!("{HEADER}Dupont;Marie;marie.dupont@lespetitspas.be;;;Pré-demandes;MA-00101\n"),
    );
    ok(d, e, 0, &["apply", "--yes", unchanged.to_str().unwrap()]);
    (campaign, last_run(d, e))
}

/// `plan --review` of `campaign` removes exactly `user` from Les Lutins, and says nothing stale.
fn only_planned(
    dir: &common::Workdir,
    e: &proone_sync::emulator::RunningEmulator,
    campaign: &str,
    user: &str,
) {
    let plan = json(&ok(
        dir.path(),
        e,
        0,
        &["plan", "--review", campaign, "--format", "json"],
    ));
    assert_eq!(
        removals(&plan),
        BTreeSet::from([(
            "revoke_structure".to_owned(),
            user.to_owned(),
            "MA-00101".to_owned()
        )])
    );
    assert!(
        codes(&plan).iter().all(|(c, _)| c != "review-stale"),
        "{plan}"
    );
}

/// The campaign's report in English Markdown.
fn report_md(
    dir: &common::Workdir,
    e: &proone_sync::emulator::RunningEmulator,
    campaign: &str,
) -> String {
    let args = [
        "--lang", "en", "review", "report", campaign, "--report", "r.md",
    ];
    ok(dir.path(), e, 0, &args);
    std::fs::read_to_string(dir.join("r.md")).unwrap()
}
