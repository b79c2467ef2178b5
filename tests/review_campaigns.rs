//! Access review campaigns end to end (issue 27, evidence.md "Access review campaigns"): the
//! real binary against the emulator over loopback. `review start` over three structures with
//! reviewers for two (one in English) and a coordinator: three workbooks whose decision rows are
//! exactly the people who can see each structure (the administrateur and the caller apart), the
//! marker in A1 and the campaign above the header, the campaign recorded in the state
//! directory; `send` ran once per sheet with its variables and never the token; the reviewer's
//! own row is `review-self`; a review sheet among the staff files is `review-sheet-in-inputs`;
//! a send command in a file others may write is refused; `review send` sends one sheet again.

mod common;
mod revert_support;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use revert_support::*;
use serde_json::Value;

/// Every row of the first sheet of `path` as text cells, by calamine.
fn rows(path: &Path) -> Vec<Vec<String>> {
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let names = wb.sheet_names().to_vec();
    let range = wb.worksheet_range(&names[0]).unwrap();
    // calamine's range starts at the first used cell: the marker is A1.
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

fn sheet_names(path: &Path) -> Vec<String> {
    use calamine::{Reader, open_workbook_auto};
    open_workbook_auto(path).unwrap().sheet_names().to_vec()
}

/// User ids of the rows under the header up to the first blank row (the people to decide).
fn to_decide(rows: &[Vec<String>]) -> BTreeSet<String> {
    rows.iter()
        .skip(3)
        .take_while(|r| r.iter().any(|c| !c.is_empty()))
        .map(|r| r[0].clone())
        .collect()
}

const REVIEWERS: &str = "[review]\ncoordinator = \"it@lespetitspas.be\"\ndue_days = 10\n";

/// `[review]` with reviewers for MA-00101 (French, the default) and MA-00102 (English), the
/// coordinator for the others, and `more` keys of `[review]`.
fn review_config(more: &str) -> String {
    format!(
        "{REVIEWERS}{more}[review.reviewers]\n\"MA-00101\" = \"directrice.lutins@lespetitspas.be\"\n\
         \"MA-00102\" = {{ email = \"director.b@lespetitspas.be\", lang = \"en\" }}\n"
    )
}

fn start(dir: &Path, e: &proone_sync::emulator::RunningEmulator, code: i32) -> Run {
    ok(
        dir,
        e,
        code,
        &[
            "--lang",
            "fr",
            "review",
            "start",
            "--structure",
            "MA-00101",
            "--structure",
            "MA-00102",
            "--structure",
            "MA-00112",
            "--out",
            "revue",
            "--format",
            "json",
        ],
    )
}

#[test]
fn a_campaign_over_three_structures_lists_exactly_who_can_see_each_and_sends_each_sheet() {
    let send = "send = \"env > sent-$PROONE_STRUCTURE.env\"\n";
    let (dir, e, _) = case(&review_config(send));
    let r = start(dir.path(), &e, 0);
    let v = json(&r);
    let campaign = v["campaign"].as_str().unwrap().to_owned();
    assert!(
        campaign.starts_with("rev-2026-11-28-") && campaign.len() == 23,
        "{campaign}"
    );
    assert_eq!(v["due"], "2026-12-08");
    let sheets = v["sheets"].as_array().unwrap();
    let got: Vec<(String, Value, u64, bool)> = sheets
        .iter()
        .map(|s| {
            (
                s["structure"].as_str().unwrap().to_owned(),
                s["reviewer"].clone(),
                s["people"].as_u64().unwrap(),
                s["sent"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "MA-00101".into(),
                "directrice.lutins@lespetitspas.be".into(),
                3,
                true
            ),
            (
                "MA-00102".into(),
                "director.b@lespetitspas.be".into(),
                2,
                true
            ),
            ("MA-00112".into(), "it@lespetitspas.be".into(), 2, true),
        ]
    );
    // The workbooks: named by the structure's id, marker, campaign line, the people.
    let lutins = dir.join("revue/MA-00101.xlsx");
    let r101 = rows(&lutins);
    assert_eq!(r101[0][0], "proone-sync : revue d'accès");
    assert!(
        r101[1][0].contains(&campaign) && r101[1][0].contains("MA-00101"),
        "{:?}",
        r101[1]
    );
    assert!(
        r101[1][0].contains("Les Lutins") && r101[1][0].contains("Namur"),
        "{:?}",
        r101[1]
    );
    assert!(r101[2].contains(&"Décision".to_owned()), "{:?}", r101[2]);
    assert_eq!(
        to_decide(&r101),
        BTreeSet::from(["u-000004", "u-000009", "u-000033"].map(String::from))
    );
    let apart: Vec<&Vec<String>> = r101.iter().filter(|r| r[0] == "u-000057").collect();
    assert_eq!(apart.len(), 1, "the administrateur is listed apart");
    assert_eq!(sheet_names(&lutins), vec!["Revue", "Instructions"]);
    // The English reviewer's sheet is in English.
    let b = rows(&dir.join("revue/MA-00102.xlsx"));
    assert!(b[2].contains(&"Decision".to_owned()), "{:?}", b[2]);
    assert_eq!(
        to_decide(&b),
        BTreeSet::from(["u-000015", "u-000039"].map(String::from))
    );
    assert_eq!(
        sheet_names(&dir.join("revue/MA-00102.xlsx")),
        vec!["Review", "Instructions"]
    );
    // The send command: once per sheet, its variables, never the token.
    for (sid, reviewer) in [
        ("MA-00101", "directrice.lutins@lespetitspas.be"),
        ("MA-00102", "director.b@lespetitspas.be"),
        ("MA-00112", "it@lespetitspas.be"),
    ] {
        let env = std::fs::read_to_string(dir.join(&format!("sent-{sid}.env"))).unwrap();
        for line in [
            format!("PROONE_STRUCTURE={sid}"),
            format!("PROONE_REVIEWER={reviewer}"),
            format!("PROONE_CAMPAIGN={campaign}"),
            "PROONE_REVIEW_DUE=2026-12-08".to_owned(),
        ] {
            assert!(env.lines().any(|l| l == line), "{line} in {env}");
        }
        let file = env
            .lines()
            .find_map(|l| l.strip_prefix("PROONE_REVIEW_FILE="))
            .unwrap();
        assert!(
            file.ends_with(&format!("revue/{sid}.xlsx")) && Path::new(file).is_file(),
            "{file}"
        );
        assert!(
            !env.contains(ADMIN) && !env.contains("PROONE_TOKEN"),
            "{env}"
        );
    }
    // The campaign is recorded with exactly what each sheet listed.
    let record: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.state(&format!("review-{campaign}.json"))).unwrap(),
    )
    .unwrap();
    let listed: BTreeSet<String> = record["sheets"][0]["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["user_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        listed,
        BTreeSet::from(["u-000004", "u-000009", "u-000033", "u-000057"].map(String::from))
    );
    assert!(
        record["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["sent"] == true)
    );
}

#[test]
fn without_send_the_sheets_wait_and_review_send_sends_one_again() {
    let (dir, e, _) = case(&review_config(""));
    let v = json(&start(dir.path(), &e, 0));
    assert!(
        v["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["sent"] == false)
    );
    let campaign = v["campaign"].as_str().unwrap().to_owned();
    // No send command: `review send` says so.
    let r = ok(
        dir.path(),
        &e,
        1,
        &["review", "send", &campaign, "--structure", "MA-00102"],
    );
    assert!(r.stderr.contains("send"), "{}", r.stderr);
    config_in(
        dir.path(),
        &review_config("send = \"echo $PROONE_STRUCTURE >> sent.txt\"\n"),
    );
    ok(
        dir.path(),
        &e,
        0,
        &["review", "send", &campaign, "--structure", "MA-00102"],
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("sent.txt")).unwrap(),
        "MA-00102\n"
    );
    let record: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.state(&format!("review-{campaign}.json"))).unwrap(),
    )
    .unwrap();
    let sent: Vec<bool> = record["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["sent"].as_bool().unwrap())
        .collect();
    assert_eq!(sent, vec![false, true, false]);
    // An unknown campaign or structure is refused.
    ok(
        dir.path(),
        &e,
        1,
        &["review", "send", &campaign, "--structure", "MA-00999"],
    );
    ok(
        dir.path(),
        &e,
        1,
        &[
            "review",
            "send",
            "rev-2026-11-28-00000000",
            "--structure",
            "MA-00102",
        ],
    );
}

#[test]
fn the_reviewers_own_row_is_marked_review_self() {
    let (dir, e, _) =
        case("[review]\n[review.reviewers]\n\"MA-00101\" = \"Eva.Willems8@lespetitspas.be\"\n");
    let r = ok(
        dir.path(),
        &e,
        0,
        &[
            "--lang",
            "en",
            "review",
            "start",
            "--structure",
            "MA-00101",
            "--out",
            "revue",
        ],
    );
    assert!(
        r.stderr.contains("Eva.Willems8") || r.stderr.contains("eva.willems8"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("MA-00101.xlsx:Review:6"), "{}", r.stderr);
    let rows = rows(&dir.join("revue/MA-00101.xlsx"));
    let eva = rows.iter().find(|r| r[0] == "u-000009").unwrap();
    assert!(eva[8].contains("this is you"), "{eva:?}");
}

#[test]
fn a_review_sheet_among_the_staff_files_is_refused() {
    let (dir, e, _) = case(&review_config(""));
    start(dir.path(), &e, 0);
    let sheet = dir.join("revue/MA-00101.xlsx");
    let r = proone(
        dir.path(),
        &e,
        &[
            "check",
            "--offline",
            "--format",
            "json",
            sheet.to_str().unwrap(),
        ],
    );
    let v = json(&r);
    let codes: Vec<(String, String)> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_owned(),
                p["location"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(codes.len(), 1, "{codes:?}");
    assert!(
        codes
            .iter()
            .any(|(c, l)| c == "review-sheet-in-inputs" && l.ends_with("MA-00101.xlsx:Revue:1:A")),
        "{codes:?}"
    );
    assert_ne!(r.code, 0);
}

#[test]
fn a_send_command_in_a_file_others_may_write_is_refused() {
    let (dir, e, _) = case(&review_config("send = \"touch pwned\"\n"));
    set_mode(&dir.join("proone-sync.toml"), 0o666);
    let r = ok(dir.path(), &e, 1, &["review", "start", "--out", "revue"]);
    assert!(r.stderr.contains("review.send"), "{}", r.stderr);
    assert!(!dir.join("pwned").exists());
}

#[test]
fn an_unknown_structure_is_refused_before_anything_is_written() {
    let (dir, e, _) = case(&review_config(""));
    let r = ok(
        dir.path(),
        &e,
        1,
        &[
            "review",
            "start",
            "--structure",
            "MA-99999",
            "--out",
            "revue",
        ],
    );
    assert!(r.stderr.contains("MA-99999"), "{}", r.stderr);
    assert!(dir.state_files("review-").is_empty());
}
