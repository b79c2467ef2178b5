//! Review and round-trip, through the binary against the emulator: `export` then `plan` of the
//! export changes nothing (xlsx and csv, with and without NRNs), an edit plans exactly what it
//! says; the template, filled, reads back with no problem; `check --report` as a spreadsheet;
//! completions and the man page; the HTML report (escaping, and a look in headless Chromium).

mod common;

use std::io::Read;
use std::path::Path;

use common::*;
use proone_sync::emulator::{Faults, RunningEmulator};
use serde_json::Value;

const ADMIN: &str = "tok-admin-7f3c9a";

fn with_portal(e: &RunningEmulator, args: &[&str]) -> Run {
    run(bin()
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .args(args))
}

fn plan_of(e: &RunningEmulator, input: &Path) -> Value {
    let r = with_portal(e, &["plan", "--format", "json", input.to_str().unwrap()]);
    serde_json::from_str(&r.stdout)
        .unwrap_or_else(|err| panic!("{err}\n{}\n{}", r.stdout, r.stderr))
}

/// The text of a zip entry of an xlsx (sheet XML).
fn xlsx_entry(path: &Path, name: &str) -> String {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// Every cell of a sheet as text, by calamine (what a reader of the file sees).
fn sheet_cells(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn an_export_plans_no_change_and_an_edit_plans_exactly_itself() {
    let dir = tempfile::tempdir().unwrap();
    let e = emulator_with(Faults::default());
    let users = 60;
    for (name, extra) in [
        ("acces.xlsx", None),
        ("acces.csv", None),
        ("acces-nrn.xlsx", Some("--with-nrn")),
        ("acces-nrn.csv", Some("--with-nrn")),
    ] {
        let out = dir.path().join(name);
        // For the HR assistant who edits it: in French.
        let mut args = vec!["--lang", "fr", "export", "--out", out.to_str().unwrap()];
        args.extend(extra);
        let r = with_portal(&e, &args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout.contains(&format!("{users} utilisateurs")),
            "{}",
            r.stdout
        );
        let v = plan_of(&e, &out);
        assert_eq!(
            v["actions"],
            serde_json::json!([]),
            "{name}: the export plans changes"
        );
        assert_eq!(v["summary"]["invalid_rows"], 0, "{name}");
        assert_eq!(v["summary"]["unchanged_people"], users, "{name}");
        assert!(
            !v["problems"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["severity"] == "error"),
            "{name}: {}",
            v["problems"]
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
            if extra.is_some() {
                assert_eq!(mode, 0o600, "{name}");
            }
        }
    }
    // Whole NRNs only with --with-nrn (Marie Dupont's here).
    let csv = std::fs::read_to_string(dir.path().join("acces.csv")).unwrap();
    assert!(
        csv.lines().next() == Some("\u{feff}Nom;Prénom;Email;Dossiers;Structures;Du;Au"),
        "{csv}"
    );
    assert!(!csv.contains("85073003328"));
    let with = std::fs::read_to_string(dir.path().join("acces-nrn.csv")).unwrap();
    assert_eq!(
        with.lines().next(),
        Some("\u{feff}Nom;Prénom;Email;NRN;Dossiers;Structures;Du;Au")
    );
    // The portal does not know a row's period: the export leaves Du and Au empty.
    assert!(csv.lines().skip(1).all(|l| l.ends_with(";;")), "{csv}");
    assert!(with.contains("85073003328"));
    // In English otherwise, and it reads back just the same.
    let english = dir.path().join("access.csv");
    let r = with_portal(&e, &["export", "--out", english.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(" users of "), "{}", r.stdout);
    let text = std::fs::read_to_string(&english).unwrap();
    assert!(
        text.lines().next()
            == Some("\u{feff}Last name;First name;Email;Dossiers;Structures;From;Until"),
        "{text}"
    );
    let v = plan_of(&e, &english);
    assert_eq!(
        v["actions"],
        serde_json::json!([]),
        "the English export plans changes"
    );
    // Accents kept; the reference sheet lists both « Les Petits Loups » with their ids.
    let xlsx = dir.path().join("acces.xlsx");
    let people = sheet_cells(&xlsx, "Personnel");
    assert_eq!(
        people[0],
        [
            "Nom",
            "Prénom",
            "Email",
            "Dossiers",
            "Structures",
            "Du",
            "Au"
        ]
    );
    assert!(people.iter().any(|r| r[0] == "Lefèvre"), "accents lost");
    let reference = sheet_cells(&xlsx, "Structures (référence)");
    let loups: Vec<(&str, &str)> = reference
        .iter()
        .filter(|r| r.get(1).is_some_and(|n| n == "Les Petits Loups"))
        .map(|r| (r[0].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(loups, [("MA-00102", "Namur"), ("MA-00103", "Liège")]);
    // Frozen header.
    assert!(xlsx_entry(&xlsx, "xl/worksheets/sheet1.xml").contains("<pane ySplit=\"1\""));

    // An edit — Bilans and Les Petits Loups of Liège for Marie Dupont — plans exactly that.
    let edited = csv
        .lines()
        .map(|l| {
            if l.contains("marie.dupont@lespetitspas.be") {
                let mut cells: Vec<String> = l.split(';').map(str::to_owned).collect();
                cells[3] = format!("{}, Bilans", cells[3]);
                cells[4] = format!("{}, MA-00103", cells[4]);
                cells.join(";")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    let edited_path = write(dir.path(), "edited.csv", edited);
    let v = plan_of(&e, &edited_path);
    let ops: Vec<(String, String, String, String)> = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let s = |k: &str| a[k].as_str().unwrap_or("").to_owned();
            (s("op"), s("user_id"), s("dossier"), s("structure"))
        })
        .collect();
    assert_eq!(
        ops,
        [
            (
                "grant_dossier".into(),
                "u-000004".into(),
                "bilans".into(),
                String::new()
            ),
            (
                "grant_structure".into(),
                "u-000004".into(),
                String::new(),
                "MA-00103".into()
            ),
        ]
    );
}

#[test]
fn the_template_has_dropdowns_and_reads_back_filled_with_no_problem() {
    let dir = tempfile::tempdir().unwrap();
    let e = emulator_with(Faults::default());
    let blank = dir.path().join("modele.xlsx");
    let r = with_portal(
        &e,
        &["--lang", "fr", "template", "--out", blank.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let header = &sheet_cells(&blank, "Personnel")[0];
    assert_eq!(
        header,
        &[
            "Nom",
            "Prénom",
            "Email",
            "NRN",
            "Consentement",
            "Accueil petite enfance",
            "Mon équipe",
            "Appel à projets Cigogne +5200",
            "Tous les projets",
            "Prepacc/Autorisation",
            "Pré-demandes",
            "Bilans",
            "Structures",
            "Du",
            "Au"
        ]
    );
    let sheet = xlsx_entry(&blank, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<dataValidations count=\"4\""), "{sheet}");
    // Du and Au (N, O): Excel's date validation, and a French day format on both columns.
    assert!(
        sheet.contains("type=\"date\"") && sheet.contains("sqref=\"N2:O1001\""),
        "{sheet}"
    );
    let styles = xlsx_entry(&blank, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"dd/mm/yyyy\""), "{styles}");
    assert!(
        sheet.contains("&quot;oui,non&quot;") || sheet.contains("\"oui,non\""),
        "consent list"
    );
    assert!(
        sheet.contains("'Structures (référence)'!$A$4:$A$43"),
        "the structures dropdown points at the 40 structures"
    );
    let instructions = sheet_cells(&blank, "Instructions");
    assert!(
        instructions
            .iter()
            .flatten()
            .any(|c| c.contains("Une ligne par personne"))
    );
    // Filled the way a person would (the same writer, with rows), it reads back clean; both
    // rows are in effect on the tests' day (28/11/2026).
    let structures = block_on(proone_sync::portal::fetch_catalogue(&portal_client(
        &e, ADMIN,
    )))
    .unwrap()
    .structures;
    let row = |cells: &[&str]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
    let rows = vec![
        row(&[
            "Nouvelle",
            "Aline",
            "aline.nouvelle@lespetitspas.be",
            "90.02.02-123.72",
            "oui",
            "",
            "x",
            "",
            "",
            "",
            "x",
            "x",
            "MA-00102",
            "01/11/2026",
            "30/06/2027",
        ]),
        row(&[
            "",
            "",
            "marie.dupont@lespetitspas.be",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "x",
            "MA-00101",
            "",
            "31/12/2026",
        ]),
    ];
    let bytes = proone_sync::report::workbook::template_xlsx(
        &structures,
        &proone_sync::model::Dossier::ALL,
        &rows,
    )
    .unwrap();
    let filled = write(dir.path(), "rempli.xlsx", bytes);
    let r = with_portal(&e, &["check", "--format", "json", filled.to_str().unwrap()]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(v["problems"], serde_json::json!([]), "{}", v["problems"]);
    assert_eq!(v["summary"]["people"], 2);
    // The days were written as Excel writes a typed day: date cells, read back as their days.
    let inputs = proone_sync::input::read_inputs(
        std::slice::from_ref(&filled),
        &proone_sync::input::InputOptions {
            sheets: Vec::new(),
            aliases: Default::default(),
            today: proone_sync::model::CalendarDate::parse("2026-11-28").unwrap(),
        },
    );
    let periods: Vec<(Option<String>, Option<String>)> = inputs
        .desired
        .people
        .iter()
        .flat_map(|p| p.all_rows())
        .map(|r| {
            let day = |d: Option<proone_sync::model::CalendarDate>| d.map(|d| d.to_string());
            (day(r.period.from), day(r.period.until))
        })
        .collect();
    assert_eq!(
        periods,
        [
            (Some("2026-11-01".into()), Some("2027-06-30".into())),
            (None, Some("2026-12-31".into()))
        ]
    );
    let sheet = proone_sync::report::workbook::people_sheet();
    let du = calamine::open_workbook_auto(&filled)
        .ok()
        .and_then(|mut wb| calamine::Reader::worksheet_range(&mut wb, &sheet).ok())
        .and_then(|r| r.get_value((1, 13)).cloned());
    assert!(matches!(du, Some(calamine::Data::DateTime(_))), "{du:?}");
    let p = plan_of(&e, &filled);
    assert_eq!(p["summary"]["create_user"], 1);
}

#[test]
fn check_writes_the_problems_as_a_spreadsheet_with_nrns_masked() {
    let dir = tempfile::tempdir().unwrap();
    let staff = fixture("personnel.xlsx");
    let csv = dir.path().join("problemes.csv");
    let xlsx = dir.path().join("problemes.xlsx");
    // For the HR assistant who fixes the sheet: French, the codes as they are.
    let r = run(bin().args([
        "--lang",
        "fr",
        "check",
        "--offline",
        staff.to_str().unwrap(),
        "--report",
        csv.to_str().unwrap(),
        "--report",
        xlsx.to_str().unwrap(),
    ]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    let (_, v) = check_json(&["--offline", staff.to_str().unwrap()]);
    let expected = v["problems"].as_array().unwrap().len();
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "\u{feff}Fichier;Feuille;Ligne;Colonne;Gravité;Valeur;Code;Problème;Comment corriger"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), expected);
    let nrn_row = rows.iter().find(|l| l.contains(";9;D;")).unwrap();
    assert!(nrn_row.contains(";erreur;"), "{nrn_row}");
    assert!(
        nrn_row.contains("chiffres de contrôle"),
        "the sentence in French: {nrn_row}"
    );
    assert!(
        nrn_row.contains(";nrn-invalid;"),
        "the code beside the sentence: {nrn_row}"
    );
    assert!(nrn_row.contains("*"), "the NRN is masked: {nrn_row}");
    let cells = sheet_cells(&xlsx, "Problèmes");
    assert_eq!(cells.len(), expected + 1);
    // In input order: rows ascending within the sheet.
    let numbers: Vec<u32> = cells[1..]
        .iter()
        .filter(|r| r[1] == "Personnel")
        .filter_map(|r| r[2].parse().ok())
        .collect();
    assert!(numbers.windows(2).all(|w| w[0] <= w[1]), "{numbers:?}");
    // No whole NRN of the fixture anywhere.
    for n in ["85073003328", "85073003427"] {
        assert!(!text.contains(n));
    }
    // In English otherwise, codes and cells the same.
    let en = dir.path().join("problems.csv");
    let r = run(bin().args([
        "check",
        "--offline",
        staff.to_str().unwrap(),
        "--report",
        en.to_str().unwrap(),
    ]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    let english = std::fs::read_to_string(&en).unwrap();
    assert_eq!(
        english.lines().next().unwrap(),
        "\u{feff}File;Sheet;Row;Column;Severity;Value;Code;Problem;How to fix it"
    );
    let codes = |t: &str| -> Vec<String> {
        t.lines()
            .skip(1)
            .map(|l| {
                l.split(';')
                    .take(7)
                    .collect::<Vec<_>>()
                    .join(";")
                    .replace(";erreur;", ";error;")
            })
            .collect()
    };
    assert_eq!(codes(&english).len(), codes(&text).len());
}

#[test]
fn completions_and_the_man_page_come_from_the_command_line_definition() {
    let r = run(bin().args(["completions", "bash"]));
    assert_eq!(r.code, 0);
    for word in [
        "apply",
        "export",
        "template",
        "--expect-fingerprint",
        "--with-nrn",
    ] {
        assert!(
            r.stdout.contains(word),
            "{word} missing from the completions"
        );
    }
    let r = run(bin().arg("man"));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains(".TH proone-sync 1"));
    assert!(r.stdout.contains(".TH proone-sync-apply 1"));
    assert!(r.stdout.contains("expect\\-fingerprint"));
}

/// Debian's Chromium, if installed (`.ci/run` installs it).
fn chromium() -> Option<std::path::PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.exists())
}

/// Headless Chromium with the flags this machine needs, a fresh profile and a time limit.
fn headless(browser: &Path, profile: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("timeout")
        .arg("90")
        .arg(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_html_report_escapes_everything_and_shows_its_figures_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let e = emulator_with(Faults::default());
    let staff = fixture("personnel.xlsx");
    let odd = write(
        dir.path(),
        "odd.csv",
        "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures\n\
         <script>alert(1)</script>;Ève & \"Co\";eve@lespetitspas.be;90020212372;oui;Bilans;MA-00101\n",
    );
    let page = dir.path().join("plan.html");
    let json = dir.path().join("plan.json");
    let r = with_portal(
        &e,
        &[
            "--lang",
            "fr",
            "plan",
            staff.to_str().unwrap(),
            odd.to_str().unwrap(),
            "--report",
            page.to_str().unwrap(),
            "--report",
            json.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 3, "{}", r.stderr);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<html lang=\"fr\">"));
    // The page follows the language: in English without a French locale.
    let en_page = dir.path().join("plan-en.html");
    let en = with_portal(
        &e,
        &[
            "plan",
            staff.to_str().unwrap(),
            "--report",
            en_page.to_str().unwrap(),
        ],
    );
    assert_eq!(en.code, 3, "{}", en.stderr);
    let en_html = std::fs::read_to_string(&en_page).unwrap();
    assert!(en_html.contains("<html lang=\"en\">") && en_html.contains("People created"));
    assert!(!en_html.contains("Personnes créées"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Ève &amp; &quot;Co&quot;"));
    assert!(
        !html.contains("<script>alert"),
        "an input name became markup"
    );
    // Self-contained: nothing fetched from anywhere.
    for external in ["http://", "https://", "src=\"", "<link"] {
        assert!(!html.contains(external), "{external} in the page");
    }
    assert!(!html.contains("90020212372") && !html.contains("85073003328"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let s = &v["summary"];

    let Some(browser) = chromium() else {
        // A skip is a choice someone makes out loud, never a silent pass.
        assert!(
            std::env::var("PROONE_SKIP_BROWSER").as_deref() == Ok("1"),
            "no Chromium (/usr/bin/chromium): install Debian's chromium (.ci/run does), or set \
             PROONE_SKIP_BROWSER=1 to skip rendering the HTML report"
        );
        return;
    };
    let url = format!("file://{}", page.display());
    let dom = headless(&browser, &dir.path().join("p1"), &["--dump-dom", &url]);
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    for (figure, label) in [
        (&s["create_user"], "Personnes créées"),
        (&s["grant_dossier"], "Dossiers attribués"),
        (&s["grant_structure"], "Milieux d'accueil attribués"),
        (&s["invalid_rows"], "Lignes invalides"),
        (&s["warnings"], "Avertissements"),
    ] {
        assert!(
            dom.contains(&format!("<b>{figure}</b>{label}")),
            "{label} {figure} not on the page"
        );
    }
    // The filters' script ran: the form is shown and counted the people.
    assert!(
        dom.contains("id=\"filters\" class=\"filters\""),
        "the filter script did not run"
    );
    // …in French plurals, chosen in the browser (0 and 1 are singular in French).
    let counted = dom
        .split("id=\"f-count\"")
        .nth(1)
        .and_then(|rest| rest.split('>').nth(1))
        .and_then(|text| text.split('<').next())
        .unwrap_or_default();
    let (n, unit) = counted.split_once(' ').unwrap_or_default();
    let n: u64 = n.parse().unwrap_or_else(|_| panic!("count «{counted}»"));
    assert_eq!(
        unit,
        if n <= 1 { "personne" } else { "personnes" },
        "«{counted}»"
    );
    let shot = dir.path().join("plan.png");
    let out = headless(
        &browser,
        &dir.path().join("p2"),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1200,2000",
            &url,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "{} bytes",
        png.len()
    );
    // Kept for a person to look at: target/review/plan.png.
    let keep = root().join("target").join("review");
    let _ = std::fs::create_dir_all(&keep);
    let _ = std::fs::copy(&shot, keep.join("plan.png"));
}
