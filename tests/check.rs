//! `proone-sync check` through the real binary: every fixture's problems, locations included,
//! exactly; exit codes; masking; config; folders and lock files.

mod common;

use common::*;

fn p(severity: &str, location: &str, message: &str) -> (String, String, String) {
    (severity.into(), location.into(), message.into())
}

fn summary(v: &serde_json::Value) -> Vec<(String, u64)> {
    let s = v["summary"]
        .as_object()
        .unwrap_or_else(|| panic!("no summary: {v}"));
    [
        "files",
        "sheets",
        "rows",
        "people",
        "invalid_rows",
        "errors",
        "warnings",
        "notes",
    ]
    .iter()
    .map(|k| ((*k).to_owned(), s[*k].as_u64().unwrap_or(u64::MAX)))
    .collect()
}

/// files, sheets, rows, people, invalid_rows, errors, warnings, notes
fn counts(values: [u64; 8]) -> Vec<(String, u64)> {
    let names = [
        "files",
        "sheets",
        "rows",
        "people",
        "invalid_rows",
        "errors",
        "warnings",
        "notes",
    ];
    names
        .iter()
        .zip(values)
        .map(|(k, v)| ((*k).to_owned(), v))
        .collect()
}

#[test]
fn personnel_xlsx_title_rows_french_headers_numbers_merges_and_conflicts() {
    let (code, v) = check_json(&["fixtures/personnel.xlsx"]);
    assert_eq!(code, 3);
    let f = "fixtures/personnel.xlsx";
    assert_eq!(
        problems(&v),
        vec![
            p(
                "note",
                &format!("{f}:Personnel:4"),
                "columns ignored: Fonction (H)"
            ),
            p(
                "error",
                &format!("{f}:Personnel:8:C"),
                "e-mail \"sophie.leroy@lespetitspas\" has a domain that is not a domain name (\"lespetitspas\")"
            ),
            p(
                "error",
                &format!("{f}:Personnel:9:D"),
                "NRN **.**.**-*17.59 has check digits that do not match (a mistyped digit?)"
            ),
            p(
                "error",
                &format!("{f}:Personnel:10:F"),
                "unknown dossier \"Tout les projets\""
            ),
            p(
                "error",
                &format!("{f}:Personnel:13:C"),
                "identity conflict: NRN *******7759 comes with 2 e-mails (h.lambert@lespetitspas.be, hugo.lambert@lespetitspas.be) (rows Personnel:13, Personnel:14)"
            ),
            p(
                "error",
                &format!("{f}:Personnel:14:C"),
                "identity conflict: NRN *******7759 comes with 2 e-mails (h.lambert@lespetitspas.be, hugo.lambert@lespetitspas.be) (rows Personnel:13, Personnel:14)"
            ),
            p(
                "error",
                &format!("{f}:Personnel:15:E"),
                "consent \"peut-être\" is neither yes nor no"
            ),
            p(
                "note",
                &format!("{f}:Listes"),
                "no header row: sheet skipped"
            ),
            p("note", &format!("{f}:Archive 2024"), "hidden sheet skipped"),
        ]
    );
    // Rows 5 and 11 (Dupont, e-mail in capitals on 11) are one person; 6, 7 and 16 are valid
    // (dotted NRN, numeric NRN of a person born in 2003, e-mail from a formula's cached value).
    assert_eq!(summary(&v), counts([1, 1, 11, 4, 6, 6, 0, 3]));
    assert_eq!(
        v["problems"][3]["hint"],
        "did you mean « Tous les projets »?"
    );
}

#[test]
fn wide_form_grid_of_marks() {
    let (code, v) = check_json(&["fixtures/acces-grille.xlsx"]);
    assert_eq!(code, 3);
    assert_eq!(
        problems(&v),
        vec![p(
            "error",
            "fixtures/acces-grille.xlsx:Accès:4:E",
            "\"?\" in the « Bilans » column is not a mark"
        )]
    );
    assert_eq!(summary(&v), counts([1, 1, 4, 3, 1, 1, 0, 0]));
}

#[test]
fn data_starting_at_b3_is_located_as_excel_shows_it() {
    let (code, v) = check_json(&["fixtures/debut-b3.xlsx"]);
    assert_eq!(code, 3);
    assert_eq!(
        problems(&v),
        vec![
            p(
                "error",
                "fixtures/debut-b3.xlsx:Feuil1:5:D",
                "e-mail \"tom.maes(at)lespetitspas.be\" holds '(', which an e-mail address cannot contain"
            ),
            p(
                "error",
                "fixtures/debut-b3.xlsx:Feuil1:6:E",
                "unknown dossier \"Bilan annuel\""
            ),
        ]
    );
    assert_eq!(v["problems"][1]["hint"], "did you mean « Bilans »?");
}

#[test]
fn a_stray_cell_at_xfd1048576_does_not_allocate_the_used_range() {
    // A dense grid would be 17 billion cells: the process would be killed long before this.
    let (code, v) = check_json(&["fixtures/cellule-isolee.xlsx"]);
    assert_eq!(code, 0);
    assert_eq!(problems(&v), vec![]);
    assert_eq!(summary(&v), counts([1, 1, 1, 1, 0, 0, 0, 0]));
}

#[test]
fn ods_with_dutch_headers() {
    let (code, v) = check_json(&["fixtures/toegang-nl.ods"]);
    assert_eq!(code, 3);
    assert_eq!(
        problems(&v),
        vec![p(
            "error",
            "fixtures/toegang-nl.ods:Medewerkers:4:E",
            "consent \"misschien\" is neither yes nor no"
        )]
    );
    assert_eq!(summary(&v), counts([1, 1, 3, 2, 1, 1, 0, 0]));
}

#[test]
fn windows_1252_semicolon_csv_with_blank_lines_and_a_quoted_line_break() {
    let (code, v) = check_json(&["fixtures/nouveaux-cp1252.csv"]);
    assert_eq!(code, 3);
    let f = "fixtures/nouveaux-cp1252.csv";
    // Row numbers are Excel's: the title is 1, a blank line 2, the header 3; the quoted line
    // break of row 4 does not start a row; the blank line after row 5 is row 6.
    assert_eq!(
        problems(&v),
        vec![
            p(
                "note",
                f,
                "not UTF-8: read as Windows-1252 (Excel's \"CSV\" save)"
            ),
            p(
                "warning",
                &format!("{f}:5:D"),
                "NRN had 10 digits: read as *******2277 with 1 leading zero added"
            ),
            p(
                "error",
                &format!("{f}:8:D"),
                "NRN **.**.**-*89.00 has check digits that do not match (a mistyped digit?)"
            ),
            p(
                "error",
                &format!("{f}:9:C"),
                "the row names nobody: it has no NRN and no e-mail"
            ),
        ]
    );
    assert_eq!(summary(&v), counts([1, 1, 5, 3, 2, 2, 1, 1]));
}

#[test]
fn broken_files_each_get_one_sentence_and_exit_1() {
    let cases = [
        (
            "vide.xlsx",
            "cannot read this file: the file is empty (0 bytes)",
        ),
        (
            "charabia.xlsx",
            "cannot read this file: it is not a readable spreadsheet (damaged or truncated?): Zip error: invalid Zip archive: Could not find EOCD",
        ),
        (
            "tronque.xlsx",
            "cannot read this file: it is not a readable spreadsheet (damaged or truncated?): Zip error: invalid Zip archive: Could not find EOCD",
        ),
        (
            "chiffre.xlsx",
            "cannot read this file: it is password-protected (encrypted), or an old .xls file renamed",
        ),
        (
            "cellule-isolee.ods",
            "cannot read this file: sheet \"Personnel\" has values spread over 1048576 rows × 16384 columns (17179869184 cells), more than this tool reads from an .ods sheet",
        ),
    ];
    for (name, message) in cases {
        let path = format!("fixtures/broken/{name}");
        let (code, v) = check_json(&[&path]);
        assert_eq!(code, 1, "{name}");
        assert_eq!(problems(&v), vec![p("error", &path, message)], "{name}");
        // Also in text mode: a sentence, never a backtrace.
        let r = run(bin().args(["check", &path]));
        assert_eq!(r.code, 1);
        assert!(r.stdout.contains(message), "{name}: {}", r.stdout);
        assert!(
            !r.stderr.contains("panicked") && !r.stderr.contains("RUST_BACKTRACE"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn a_sheet_without_header_and_a_csv_with_ragged_rows() {
    let (code, v) = check_json(&["fixtures/broken/sans-entete.xlsx"]);
    assert_eq!(
        code, 0,
        "a sheet without header is a note, the empty file a warning"
    );
    let (_, v2) = check_json(&["fixtures/broken/lignes-inegales.csv"]);
    let mut all = problems(&v);
    all.extend(problems(&v2));
    let r = "fixtures/broken/lignes-inegales.csv";
    assert_eq!(
        all,
        vec![
            p(
                "warning",
                "fixtures/broken/sans-entete.xlsx",
                "nothing was read from this file: no sheet has a header row"
            ),
            p(
                "note",
                "fixtures/broken/sans-entete.xlsx:Feuil1",
                "no header row: sheet skipped"
            ),
            p("error", &format!("{r}:4:C"), "e-mail \"Anne\" has no @"),
            p(
                "error",
                &format!("{r}:4:D"),
                "unknown dossier \"sophie.leroy@lespetitspas.be\""
            ),
            p(
                "warning",
                &format!("{r}:4:E"),
                "a value (\"Bilans\") past the last column of the header: the row may be shifted"
            ),
        ]
    );
}

#[test]
fn missing_file_and_unknown_type_exit_1() {
    let (code, v) = check_json(&["fixtures/absent.xlsx", "Cargo.toml"]);
    assert_eq!(code, 1);
    let got = problems(&v);
    assert_eq!(got.len(), 2);
    assert!(
        got[0]
            .2
            .starts_with("cannot read this file: cannot open it:"),
        "{got:?}"
    );
    assert_eq!(
        got[1].2,
        "cannot read this file: \".toml\" is not a spreadsheet type this tool reads"
    );
}

#[test]
fn people_merge_across_files_and_conflict_across_files() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.csv",
        "Email;NRN;Dossiers\nmarie.dupont@lespetitspas.be;85073003328;Bilans\n",
    );
    write(
        dir.path(),
        "b.csv",
        "Email;Dossiers;Structures\nMarie.Dupont@LesPetitsPas.be;Mon équipe;MA-00101\nz@x.be;Bilans;\n",
    );
    write(dir.path(), "c.csv", "Email;NRN\nautre@x.be;85073003328\n");
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    let (code, v) = check_json(&[a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["people"], 2);
    let c = dir.path().join("c.csv");
    let (code, v) = check_json(&[a.to_str().unwrap(), c.to_str().unwrap()]);
    assert_eq!(code, 3);
    let got = problems(&v);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got[0].1.ends_with("a.csv:2:A") && got[1].1.ends_with("c.csv:2:A"),
        "{got:?}"
    );
    // Across files, the other row is named with its file.
    assert!(got[0].2.contains("c.csv:2"), "{got:?}");
    assert_eq!(v["summary"]["people"], 0);
}

#[test]
fn no_whole_nrn_in_any_output() {
    let all = [
        "fixtures/personnel.xlsx",
        "fixtures/acces-grille.xlsx",
        "fixtures/toegang-nl.ods",
        "fixtures/nouveaux-cp1252.csv",
        "fixtures/broken/lignes-inegales.csv",
    ];
    for format in ["text", "json"] {
        let r = run(bin().args(["check", "--format", format]).args(all));
        let digits: Vec<&str> = r
            .stdout
            .split(|c: char| !c.is_ascii_digit())
            .filter(|d| d.len() >= 9)
            .collect();
        assert!(digits.is_empty(), "{format}: {digits:?}");
        assert!(
            r.stdout.contains("*******"),
            "{format}: masked NRNs are shown"
        );
    }
}

#[test]
fn strict_makes_any_error_a_failure() {
    let r = run(bin().args(["check", "--strict", "fixtures/acces-grille.xlsx"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("--strict: 1 error in the inputs"),
        "{}",
        r.stderr
    );
    let r = run(bin().args(["check", "--strict", "fixtures/cellule-isolee.xlsx"]));
    assert_eq!(r.code, 0);
    // Under --log-format json every refusal on stderr is a JSON object.
    let r = run(bin().args([
        "--log-format",
        "json",
        "check",
        "--strict",
        "--report",
        "x.pdf",
        "fixtures/acces-grille.xlsx",
    ]));
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert!(!lines.is_empty());
    for l in lines {
        let v: serde_json::Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
        assert_eq!(v["level"], "ERROR", "{l}");
        assert!(
            v["fields"]["message"].as_str().unwrap().contains("x.pdf"),
            "{l}"
        );
    }
}

#[test]
fn bad_arguments_and_bad_config_exit_1_with_a_sentence() {
    let r = run(bin().args(["check", "--no-such-flag"]));
    assert_eq!(r.code, 1);
    let r = run(bin().args(["check"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no input"), "{}", r.stderr);
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(dir.path(), "bad.toml", "[input]\nsheets = \"Personnel\"\n");
    let r = run(bin()
        .arg("--config")
        .arg(&cfg)
        .args(["check", "fixtures/personnel.xlsx"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("bad.toml: line 2:"), "{}", r.stderr);
    let r = run(bin().args(["--help"]));
    assert_eq!(r.code, 0);
    // --version says the commit it was built from (or "unknown" outside git).
    let r = run(bin().args(["--version"]));
    assert_eq!(r.code, 0);
    let v = r.stdout.trim();
    let commit = v
        .strip_prefix(concat!(
            "proone-sync ",
            env!("CARGO_PKG_VERSION"),
            " (commit "
        ))
        .and_then(|c| c.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{v}"));
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.bytes().all(|b| b.is_ascii_hexdigit())),
        "{v}"
    );
}

#[test]
fn config_names_sheets_adds_aliases_and_gives_inputs_relative_to_itself() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "staff.csv",
        "Nom;Adresse professionnelle;Accès\nDupont;marie@x.be;Bilans\n",
    );
    let cfg = write(
        dir.path(),
        "proone-sync.toml",
        "inputs = [\"staff.csv\"]\n[input.aliases]\nemail = [\"Adresse professionnelle\"]\n",
    );
    let (code, v) = {
        let r = run(bin()
            .arg("--config")
            .arg(&cfg)
            .args(["check", "--format", "json"]));
        (
            r.code,
            serde_json::from_str::<serde_json::Value>(&r.stdout).unwrap(),
        )
    };
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["people"], 1);
    // The hidden sheet is read once named.
    let cfg = write(
        dir.path(),
        "sheets.toml",
        "[input]\nsheets = [\"Archive 2024\"]\n",
    );
    let r = run(bin().arg("--config").arg(&cfg).args([
        "check",
        "--format",
        "json",
        "fixtures/personnel.xlsx",
    ]));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        problems(&v),
        vec![p(
            "error",
            "fixtures/personnel.xlsx:Archive 2024:2:B",
            "e-mail \"pas-une-adresse\" has no @"
        )]
    );
}

#[test]
fn a_folder_is_read_whole_and_office_lock_files_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("acces-grille.xlsx"), dir.path().join("acces.xlsx")).unwrap();
    write(dir.path(), "~$acces.xlsx", "lock");
    write(dir.path(), ".~lock.acces.xlsx#", "lock");
    write(dir.path(), "notes.docx", "not ours");
    let (_, v) = check_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(v["summary"]["files"], 1);
    // Named explicitly, a lock file is still not read.
    let lock = dir.path().join("~$acces.xlsx");
    let (code, v) = check_json(&[lock.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(problems(&v)[0].2, "office lock file skipped");
}

#[test]
fn text_output_groups_by_file_and_ends_with_a_summary() {
    let r = run(bin().args([
        "check",
        "fixtures/debut-b3.xlsx",
        "fixtures/acces-grille.xlsx",
    ]));
    assert_eq!(r.code, 3);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], "fixtures/debut-b3.xlsx");
    assert!(
        lines[1].starts_with("  Feuil1:5:D  error   e-mail"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("\nfixtures/acces-grille.xlsx\n"));
    assert_eq!(
        lines.last().copied(),
        Some(
            "2 files, 2 sheets, 7 rows, 4 people: 3 errors, 0 warnings, 0 notes (3 invalid rows skipped)"
        )
    );
}

/// One damaged cell does not cost the whole file: a NUL in a name is an error at that cell
/// (the other rows are read), and an Excel CSV with 100 zeroed bytes mid-file is still text.
#[test]
fn a_control_character_is_an_error_at_its_cell_not_a_binary_file() {
    let dir = tempfile::tempdir().unwrap();
    let header = "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures\r\n";
    let marie = "Dupont;Marie;marie.dupont@lespetitspas.be;;oui;Bilans;MA-00101\r\n";
    let lucas = "Martin;Lucas;lucas.martin@lespetitspas.be;;oui;Bilans;MA-00101\r\n";
    let mut nul = format!("{header}{marie}").into_bytes();
    nul[header.len() + 3] = 0; // "Dup\0nt"
    nul.extend(lucas.as_bytes());
    let path = write(dir.path(), "nul.csv", &nul);
    let (code, v) = check_json(&["--offline", path.to_str().unwrap()]);
    assert_eq!(code, 3, "{v}");
    let p = &v["problems"][0];
    assert_eq!(p["code"], "value-control-character", "{v}");
    assert_eq!(p["value"], "Dup␀nt", "{v}");
    assert!(
        p["location"].as_str().unwrap().ends_with("nul.csv:2:A"),
        "{v}"
    );
    assert_eq!(v["summary"]["people"], 1, "the other row is read: {v}");
    // 100 zeroed bytes in the middle of a longer file (a damaged copy): read, the damage said.
    let mut body = header.as_bytes().to_vec();
    for i in 0..40 {
        body.extend(format!("Nom{i};Prénom;p{i}@lespetitspas.be;;oui;Bilans;MA-00101\r\n").bytes());
    }
    let mid = body.len() / 2;
    body[mid..mid + 100].fill(0);
    let path = write(dir.path(), "zeros.csv", &body);
    let (code, v) = check_json(&["--offline", path.to_str().unwrap()]);
    assert_eq!(code, 3, "{v}");
    assert!(
        v["problems"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["code"] != "file-unreadable"),
        "{v}"
    );
    // The zeros span two rows' worth of bytes: those are damaged, the 37 others read.
    assert!(v["summary"]["people"].as_u64().unwrap() >= 37, "{v}");
    // Issue 22: a short file (488 bytes, as measured) with 100 bytes zeroed — a fifth of it —
    // is still text: the rows around the damage read, the damaged one flagged at its cell.
    let mut small = header.as_bytes().to_vec();
    for i in 0..8 {
        small
            .extend(format!("Nom{i};Prénom;p{i}@lespetitspas.be;;oui;Bilans;MA-00101\r\n").bytes());
    }
    assert_eq!(small.len(), 488);
    small[200..300].fill(0);
    let path = write(dir.path(), "abime.csv", &small);
    let (code, v) = check_json(&["--offline", path.to_str().unwrap()]);
    assert_eq!(code, 3, "{v}");
    let problems = v["problems"].as_array().unwrap();
    assert!(
        problems.iter().all(|p| p["code"] != "file-unreadable"),
        "{v}"
    );
    let damaged: Vec<&serde_json::Value> = problems
        .iter()
        .filter(|p| p["code"] == "value-control-character")
        .collect();
    assert!(!damaged.is_empty(), "{v}");
    assert!(damaged.iter().all(|p| p["severity"] == "error"), "{v}");
    // The zeros fall in the rows of Nom2, Nom3 and Nom4 (and their line breaks): one damaged
    // row, flagged; the five others read whole.
    assert_eq!(v["summary"]["people"], 5, "{v}");
    // Excel's "Unicode text" (UTF-16 with its BOM) is text, though half its bytes are NULs.
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        format!("{header}{marie}")
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    let path = write(dir.path(), "unicode.txt", &utf16);
    let (code, v) = check_json(&["--offline", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["people"], 1, "{v}");
}

/// Issue 22 (cli.md): every CSV written for people starts a cell that Excel would run with an
/// apostrophe — a name typed `=HYPERLINK("x")` in a spreadsheet, or held by the portal, opens
/// as text in the problems sheet and the export.
#[test]
fn a_name_typed_as_a_formula_opens_as_text_in_every_csv() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let e = emulator_with(proone_sync::emulator::Faults::default());
    let staff = write(
        d,
        "staff.csv",
        "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures\n\
         =HYPERLINK(\"x\");+cmd|' /C calc'!A0;formule@lespetitspas.be;90021500195;oui;Bilans;MA-00101\n\
         @SUM(1);Marie;=HYPERLINK(\"y\");;oui;Bilans;MA-00101\n",
    );
    let cli = |args: &[&str]| {
        run(bin()
            .current_dir(d)
            .env("PROONE_URL", e.base_url())
            .env("PROONE_TOKEN", "tok-admin-7f3c9a")
            .args(args))
    };
    // Cells of a CSV as Excel reads them (`;`, quotes); the BOM aside.
    let cells = |path: &std::path::Path| -> Vec<String> {
        let text = std::fs::read_to_string(path).unwrap();
        csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
            .records()
            .flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
            .collect()
    };
    let runs = |c: &String| c.starts_with(['=', '+', '-', '@', '\t', '\r']);
    // The problems sheet: the invalid row's values.
    let problems = d.join("problems.csv");
    let r = cli(&[
        "check",
        "--offline",
        "--report",
        problems.to_str().unwrap(),
        staff.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let sheet = cells(&problems);
    assert!(
        sheet.contains(&"'=HYPERLINK(\"y\")".to_owned()),
        "{sheet:?}"
    );
    assert!(!sheet.iter().any(runs), "{sheet:?}");
    // Applied, the portal holds the name as typed; the export writes it back as text.
    let r = cli(&["apply", "--yes", staff.to_str().unwrap()]);
    assert_eq!(r.code, 3, "{}\n{}", r.stdout, r.stderr);
    let export = d.join("export.csv");
    let r = cli(&["export", "--out", export.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let exported = cells(&export);
    assert!(
        exported.contains(&"'=HYPERLINK(\"x\")".to_owned())
            && exported.contains(&"'+cmd|' /C calc'!A0".to_owned()),
        "{exported:?}"
    );
    assert!(!exported.iter().any(runs), "{exported:?}");
}

/// The days of every valid row of `file`, in input order: (e-mail, from, until), each day as
/// `YYYY-MM-DD` or `-` for an open side; read through the library (check's JSON has no place for
/// periods).
fn periods(file: &str) -> Vec<(String, String, String)> {
    use proone_sync::input::{InputOptions, read_inputs};
    let options = InputOptions {
        sheets: Vec::new(),
        aliases: Default::default(),
        today: day("2026-11-28"),
    };
    let inputs = read_inputs(&[root().join(file)], &options);
    let mut rows: Vec<_> = inputs
        .desired
        .people
        .iter()
        .flat_map(|p| p.all_rows().map(move |r| (p, r)))
        .collect();
    rows.sort_by_key(|(_, r)| r.source.clone());
    let shown =
        |d: Option<proone_sync::model::CalendarDate>| d.map_or("-".into(), |d| d.to_string());
    rows.iter()
        .map(|(p, r)| (p.label(), shown(r.period.from), shown(r.period.until)))
        .collect()
}

fn day(s: &str) -> proone_sync::model::CalendarDate {
    proone_sync::model::CalendarDate::parse(s).unwrap()
}

fn period(email: &str, from: &str, until: &str) -> (String, String, String) {
    (email.into(), from.into(), until.into())
}

/// The dated rows of fixtures/src/periodes.fods, as LibreOffice saved them in xlsx, ods and xls:
/// date cells, date-time cells (each keeps its day, 23:30 included), text typed day first, ISO
/// text; the mistakes located at their cells.
#[test]
fn dated_rows_from_libreoffice_xlsx_ods_and_xls_keep_their_days() {
    for f in [
        "fixtures/dates/periodes.xlsx",
        "fixtures/dates/periodes.ods",
        "fixtures/dates/periodes.xls",
    ] {
        assert_eq!(
            periods(f),
            [
                period("lea.martin@lespetitspas.be", "2026-09-01", "2027-06-30"),
                period("jan.peeters@lespetitspas.be", "2026-11-30", "2027-03-31"),
                period("emma.dubois@lespetitspas.be", "2026-12-01", "2027-03-31"),
                period("lucas.janssens@lespetitspas.be", "2026-12-07", "-"),
                period("chloe.lambert@lespetitspas.be", "-", "2026-06-30"),
                period("arthur.maes@lespetitspas.be", "-", "-"),
            ],
            "{f}"
        );
        let (code, v) = check_json(&["--offline", f]);
        assert_eq!(code, 3, "{f}");
        let at = |cell: &str| format!("{f}:Personnel:{cell}");
        assert_eq!(
            problems(&v),
            [
                p(
                    "error",
                    &at("7:F"),
                    "start date \"31/04/2026\" is a day that does not exist"
                ),
                p(
                    "error",
                    &at("8:G"),
                    "the end date 01/03/2027 is before the start date 15/03/2027"
                ),
                p(
                    "error",
                    &at("10:G"),
                    "end date \"30/06/27\" has a two-digit year"
                ),
                p(
                    "error",
                    &at("11:F"),
                    "start date \"04/31/2026\" has no month 31 (the day comes first, then the month)"
                ),
            ],
            "{f}"
        );
        let codes: Vec<&str> = v["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            ["date-invalid", "date-order", "date-invalid", "date-invalid"]
        );
        assert!(
            v["problems"]
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["hint"].as_str().unwrap().contains("« 30/06/2027 »")),
            "{f}: every hint shows the expected form"
        );
        assert_eq!(summary(&v), counts([1, 1, 10, 6, 4, 4, 0, 0]), "{f}");
    }
}

/// An xlsx in the 1904 date system (LibreOffice's null date 1904-01-01): the same serial is
/// another day there, and the days read are the ones the sheet shows.
#[test]
fn an_xlsx_in_the_1904_date_system_gives_the_days_it_shows() {
    let f = "fixtures/dates/periodes-1904.xlsx";
    let mut workbook = String::new();
    let zip = std::fs::File::open(root().join(f)).unwrap();
    std::io::Read::read_to_string(
        &mut zip::ZipArchive::new(zip)
            .unwrap()
            .by_name("xl/workbook.xml")
            .unwrap(),
        &mut workbook,
    )
    .unwrap();
    assert!(workbook.contains("date1904=\"true\""), "{workbook}");
    assert_eq!(
        periods(f),
        [
            period("lea.martin@lespetitspas.be", "2026-09-01", "2027-06-30"),
            period("jan.peeters@lespetitspas.be", "2026-11-30", "2027-03-31"),
            period("chloe.lambert@lespetitspas.be", "-", "2026-06-30"),
        ]
    );
    let (code, v) = check_json(&["--offline", f]);
    assert_eq!(code, 0);
    assert_eq!(v["problems"], serde_json::json!([]));
}

/// The `;` CSV a French-locale LibreOffice saves (cells as shown: dates dd/mm/yyyy): text days,
/// and a number where a day belongs is no day.
#[test]
fn a_french_libreoffice_csv_reads_its_days_as_text_day_first() {
    let f = "fixtures/dates/periodes-fr.csv";
    assert_eq!(
        periods(f),
        [
            period("lea.martin@lespetitspas.be", "2026-09-01", "2027-06-30"),
            period("jan.peeters@lespetitspas.be", "2026-11-30", "-"),
            period("emma.dubois@lespetitspas.be", "2026-12-01", "-"),
            period("arthur.maes@lespetitspas.be", "-", "-"),
        ]
    );
    let (code, v) = check_json(&["--offline", f]);
    assert_eq!(code, 3);
    assert_eq!(
        problems(&v),
        [
            p(
                "error",
                &format!("{f}:5:E"),
                "start date \"46203\" is a number, not a date"
            ),
            p(
                "error",
                &format!("{f}:6:F"),
                "the end date 01/03/2027 is before the start date 15/03/2027"
            ),
            p(
                "error",
                &format!("{f}:7:F"),
                "end date \"31/04/2026\" is a day that does not exist"
            ),
        ]
    );
    // In French too, the hint shows the form to type.
    let r = run(bin().args(["--lang", "fr", "check", "--offline", f]));
    assert!(
        r.stdout
            .contains("la date de début « 46203 » est un nombre, pas une date")
            && r.stdout
                .contains("tapez le jour sous la forme « 30/06/2027 »"),
        "{}",
        r.stdout
    );
}

/// Where the day stands for each row of the fixture on the tests' day (28/11/2026): what the
/// plan will ask of `RowRequest::period`.
#[test]
fn each_dated_row_is_upcoming_in_effect_or_ended_on_a_given_day() {
    use proone_sync::input::{InputOptions, read_inputs};
    use proone_sync::model::RowTime;
    let options = InputOptions {
        sheets: Vec::new(),
        aliases: Default::default(),
        today: day("2026-11-28"),
    };
    let inputs = read_inputs(&[fixture("dates/periodes.xlsx")], &options);
    let state = |email: &str, on: &str| {
        let person = inputs
            .desired
            .people
            .iter()
            .find(|p| p.label() == email)
            .unwrap_or_else(|| panic!("{email}"));
        person.all_rows().next().unwrap().period.state_on(day(on))
    };
    assert_eq!(
        state("lea.martin@lespetitspas.be", "2026-11-28"),
        RowTime::InEffect
    );
    assert_eq!(
        state("jan.peeters@lespetitspas.be", "2026-11-28"),
        RowTime::Upcoming
    );
    assert_eq!(
        state("jan.peeters@lespetitspas.be", "2026-11-30"),
        RowTime::InEffect
    );
    assert_eq!(
        state("chloe.lambert@lespetitspas.be", "2026-06-30"),
        RowTime::InEffect
    );
    assert_eq!(
        state("chloe.lambert@lespetitspas.be", "2026-07-01"),
        RowTime::Ended
    );
    assert_eq!(
        state("arthur.maes@lespetitspas.be", "2026-11-28"),
        RowTime::InEffect
    );
    // Where the sheet has the two columns, for problems located later (F and G).
    let lea = inputs.desired.people[0].all_rows().next().unwrap();
    assert_eq!((lea.columns.from, lea.columns.until), (Some(5), Some(6)));
}

/// `[input.aliases] from/until` name other headers for the two columns.
#[test]
fn config_aliases_name_the_period_columns() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = write(
        dir.path(),
        "stagiaires.csv",
        "Nom;Email;Premier jour;Dernier jour\nMartin;lea.martin@lespetitspas.be;01/02/2027;31/01/2027\n",
    );
    let config = config_in(
        dir.path(),
        "[input.aliases]\nfrom = [\"Premier jour\"]\nuntil = [\"Dernier jour\"]\n",
    );
    let (code, v) = check_json(&[
        "--config",
        config.to_str().unwrap(),
        "--offline",
        sheet.to_str().unwrap(),
    ]);
    assert_eq!(code, 3, "{v}");
    let found = problems(&v);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.ends_with("stagiaires.csv:2:D"), "{found:?}");
    assert_eq!(v["problems"][0]["code"], "date-order");
}
