//! The helpers of `tests/review_campaigns.rs` and `tests/review_plans.rs`: the config of a
//! campaign with reviewers, `review start` over three structures, a workbook's rows read back,
//! a sheet filled as a reviewer would and saved again as xlsx or as a `;` CSV.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::*;
use crate::revert_support::*;
use serde_json::Value;

/// Every row of the first sheet of `path` as text cells, by calamine.
pub fn rows(path: &Path) -> Vec<Vec<String>> {
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

pub fn sheet_names(path: &Path) -> Vec<String> {
    use calamine::{Reader, open_workbook_auto};
    open_workbook_auto(path).unwrap().sheet_names().to_vec()
}

/// User ids of the rows under the header up to the first blank row (the people to decide).
pub fn to_decide(rows: &[Vec<String>]) -> BTreeSet<String> {
    rows.iter()
        .skip(3)
        .take_while(|r| r.iter().any(|c| !c.is_empty()))
        .map(|r| r[0].clone())
        .collect()
}

pub const REVIEWERS: &str = "[review]\ncoordinator = \"it@lespetitspas.be\"\ndue_days = 10\n";

/// `[review]` with reviewers for MA-00101 (French, the default) and MA-00102 (English), the
/// coordinator for the others, and `more` keys of `[review]`.
pub fn review_config(more: &str) -> String {
    format!(
        "{REVIEWERS}{more}[review.reviewers]\n\"MA-00101\" = \"directrice.lutins@lespetitspas.be\"\n\
         \"MA-00102\" = {{ email = \"director.b@lespetitspas.be\", lang = \"en\" }}\n"
    )
}

/// `review start` over MA-00101, MA-00102 and MA-00112 into `revue/`, JSON on stdout.
pub const START: [&str; 14] = [
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
];

pub fn start(dir: &Path, e: &proone_sync::emulator::RunningEmulator, code: i32) -> Run {
    ok(dir, e, code, &START)
}

/// The sheet of `from` as a reviewer fills it: `decisions` (user id → what they typed in the
/// Décision column), and `added` rows appended under the people to decide; written again as a
/// new workbook (what a spreadsheet program's "save" gives: the same cells, not our file).
pub fn filled(from: &Path, decisions: &[(&str, &str)], added: &[&[&str]]) -> Vec<Vec<String>> {
    let mut rows = rows(from);
    for r in rows.iter_mut() {
        if let Some((_, d)) = decisions
            .iter()
            .find(|(u, _)| r.first().is_some_and(|c| c == u))
        {
            r[6] = (*d).to_owned();
        }
    }
    let at = 3 + to_decide(&rows).len();
    for (i, a) in added.iter().enumerate() {
        let mut row: Vec<String> = a.iter().map(|s| (*s).to_owned()).collect();
        row.resize(9, String::new());
        rows.insert(at + i, row);
    }
    rows
}

pub fn save_xlsx(rows: &[Vec<String>], to: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Revue").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, v).unwrap();
            }
        }
    }
    wb.save(to).unwrap();
}

/// A `;` CSV of the decision sheet alone, as LibreOffice saves one (UTF-8, quotes only where
/// needed).
pub fn save_csv(rows: &[Vec<String>], to: &Path) {
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|c| {
                if c.contains(';') || c.contains('"') {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        out.push_str(&cells.join(";"));
        out.push('\n');
    }
    std::fs::write(to, out).unwrap();
}

pub fn problem_codes(v: &Value) -> Vec<(String, String)> {
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
            (s("code"), s("location"))
        })
        .collect()
}

/// The binary at an instant of the clock (`2026-12-08 23:30:00` UTC), under Debian's `faketime`
/// and without `--today`: the campaign's day, its due day, whether a sheet is overdue and the
/// day a reminder was told are all the clock's days in Europe/Brussels. Must exit with `code`.
pub fn at_clock(
    time: &str,
    dir: &Path,
    e: &proone_sync::emulator::RunningEmulator,
    code: i32,
    args: &[&str],
) -> Run {
    let mut cmd = assert_cmd::Command::new("faketime");
    cmd.current_dir(dir)
        .env("TZ", "UTC")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .arg(time)
        .arg(assert_cmd::cargo::cargo_bin!("proone-sync"))
        .arg("--config")
        .arg(dir.join("proone-sync.toml"))
        .args(args);
    let r = run(&mut cmd);
    assert_eq!(r.code, code, "{time} {args:?}\n{}\n{}", r.stdout, r.stderr);
    r
}

/// LibreOffice (`soffice --headless`) turns `from` into `filter` (`xlsx`, `ods`, `fods`, or a
/// filter with options) in `out`, with its own profile under `profile` (a first start makes it).
/// Returns the file written.
pub fn soffice(from: &Path, filter: &str, out: &Path, profile: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(out).unwrap();
    let status = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", filter, "--outdir"])
        .arg(out)
        .arg(from)
        .output()
        .unwrap_or_else(|e| panic!("soffice (LibreOffice, installed by .ci/run): {e}"));
    let ext = filter.split(':').next().unwrap();
    let stem = from.file_stem().unwrap().to_string_lossy();
    let written = out.join(format!("{stem}.{ext}"));
    assert!(
        written.is_file(),
        "soffice wrote no {}: {}\n{}",
        written.display(),
        String::from_utf8_lossy(&status.stdout),
        String::from_utf8_lossy(&status.stderr)
    );
    written
}

/// A `;` CSV of the first sheet alone, as a French LibreOffice saves one (UTF-8, cells as shown).
pub const LO_CSV: &str = "csv:Text - txt - csv (StarCalc):59,34,76,1,,1036,false,false,true";

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn lo_cell(v: &str) -> String {
    if v.is_empty() {
        "<table:table-cell/>".to_owned()
    } else {
        format!(
            "<table:table-cell office:value-type=\"string\" calcext:value-type=\"string\">\
             <text:p>{}</text:p></table:table-cell>",
            xml(v)
        )
    }
}

/// The workbook `review start` wrote at `from`, as a director fills it in LibreOffice: opened,
/// each `(user id, decision, comment)` typed in that person's Décision cell (the dropdown's) and
/// the comment beside it, each of `added` typed as a new row under the people to decide, then
/// saved by LibreOffice as `filter` in `out` (see `soffice`; its profile and the opened copy
/// in `lo/` beside `out`). Returns the file saved.
pub fn filled_in_libreoffice(
    from: &Path,
    decisions: &[(&str, &str, &str)],
    added: &[&[&str]],
    filter: &str,
    out: &Path,
) -> std::path::PathBuf {
    let lo = out.parent().unwrap().join("lo");
    let work = lo.join("work");
    let profile = lo.join("profile");
    let flat = soffice(from, "fods", &work.join("opened"), &profile);
    let mut text = std::fs::read_to_string(&flat).unwrap();
    for (user, said, comment) in decisions {
        let at = text
            .find(&format!("<text:p>{user}</text:p>"))
            .unwrap_or_else(|| panic!("{user} is not on {}", from.display()));
        let open = "<table:table-cell table:content-validation-name=\"";
        let v = at + text[at..].find(open).expect("the decision cell's dropdown");
        let end = v + text[v..].find("/>").unwrap();
        let tag = text[v..end].to_owned();
        let typed = format!(
            "{tag} office:value-type=\"string\" calcext:value-type=\"string\">\
             <text:p>{}</text:p></table:table-cell>",
            xml(said)
        );
        text.replace_range(v..end + 2, &typed);
        if !comment.is_empty() {
            // The cells after the decision: one element repeated to the sheet's last column.
            let rest = v + typed.len();
            let open = "<table:table-cell table:number-columns-repeated=\"";
            let c = rest + text[rest..].find(open).unwrap();
            let n_at = c + open.len();
            let n_end = n_at + text[n_at..].find('"').unwrap();
            let n: u32 = text[n_at..n_end].parse().unwrap();
            let close = n_end + text[n_end..].find("/>").unwrap() + 2;
            let cells = format!(
                "{}<table:table-cell table:number-columns-repeated=\"{}\"/>",
                lo_cell(comment),
                n - 1
            );
            text.replace_range(c..close, &cells);
        }
    }
    if !added.is_empty() {
        // Typed in the first blank row under the header, pushing what follows down.
        let header = text.find("<table:table-row").unwrap();
        let mut at = header;
        loop {
            let start = at + text[at..].find("<table:table-row").unwrap();
            let end = start + text[start..].find("</table:table-row>").unwrap();
            if start > header && !text[start..end].contains("<text:p>") {
                at = start;
                break;
            }
            at = end;
        }
        let rows: String = added
            .iter()
            .map(|r| {
                let cells: String = r.iter().map(|v| lo_cell(v)).collect();
                format!("<table:table-row>{cells}</table:table-row>")
            })
            .collect();
        text.insert_str(at, &rows);
        // The sheet keeps its 1,048,576 rows: the empty ones at its end are fewer.
        let open = "table:number-rows-repeated=\"";
        if let Some(r) = text.rfind(open) {
            let n_at = r + open.len();
            let n_end = n_at + text[n_at..].find('"').unwrap();
            let n: usize = text[n_at..n_end].parse().unwrap();
            if n > added.len() {
                text.replace_range(n_at..n_end, &(n - added.len()).to_string());
            }
        }
    }
    let edited = work.join(flat.file_name().unwrap());
    std::fs::write(&edited, text).unwrap();
    soffice(&edited, filter, out, &profile)
}

/// `rows` as an xlsx whose shared strings also hold unique filler strings until the part is
/// `bytes` long (stored, not deflated: quick to write, and the file is as large as its text).
/// Only the parts calamine needs; the filler is in rows past the sheet's. Written as it is made,
/// never held whole: a child the test forks would inherit a large heap and count it as its own
/// peak (Linux keeps the high-water mark across `exec`).
pub fn save_big_xlsx(rows: &[Vec<String>], to: &Path, bytes: u64) {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    let mut z = zip::ZipWriter::new(std::io::BufWriter::new(std::fs::File::create(to).unwrap()));
    let fixed = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>",
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
        ),
        (
            "xl/workbook.xml",
            "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Revue\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
        ),
        (
            "xl/_rels/workbook.xml.rels",
            "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>",
        ),
    ];
    for (name, text) in fixed {
        z.start_file(name, stored).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    // Every string in order, each with its row and column: the sheet's cells, then the filler
    // (one a row) until the shared strings are `bytes` long. Made twice, once per part.
    let each = |f: &mut dyn FnMut(usize, usize, &str)| {
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
                f(r + 1, c, v);
            }
        }
        let (mut r, mut written) = (rows.len(), 0u64);
        while written < bytes {
            r += 1;
            let filler = format!("u-{r:09} une ligne ajoutée qui n'est sur aucune feuille {r:x}");
            written += filler.len() as u64 + 15;
            f(r, 0, &filler);
        }
    };
    z.start_file("xl/worksheets/sheet1.xml", stored).unwrap();
    z.write_all(b"<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>").unwrap();
    let (mut n, mut open) = (0usize, 0usize);
    each(&mut |r, c, _| {
        if r != open {
            if open != 0 {
                z.write_all(b"</row>").unwrap();
            }
            write!(z, "<row r=\"{r}\">").unwrap();
            open = r;
        }
        let col = (b'A' + c as u8) as char;
        write!(z, "<c r=\"{col}{r}\" t=\"s\"><v>{n}</v></c>").unwrap();
        n += 1;
    });
    z.write_all(b"</row></sheetData></worksheet>").unwrap();
    z.start_file("xl/sharedStrings.xml", stored).unwrap();
    write!(z, "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"{n}\" uniqueCount=\"{n}\">").unwrap();
    each(&mut |_, _, v| write!(z, "<si><t>{}</t></si>", esc(v)).unwrap());
    z.write_all(b"</sst>").unwrap();
    z.finish().unwrap();
}

/// `rows` as an OpenDocument spreadsheet (mimetype and `content.xml`), then `more` rows of nine
/// cells each, written as one repeated row: an .ods a few KB on disk that is a grid of millions
/// of cells once read.
pub fn save_big_ods(rows: &[Vec<String>], to: &Path, more: usize) {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = SimpleFileOptions::default();
    let mut z = zip::ZipWriter::new(std::io::BufWriter::new(std::fs::File::create(to).unwrap()));
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    z.start_file("content.xml", deflated).unwrap();
    z.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.3\"><office:body><office:spreadsheet><table:table table:name=\"Revue\">").unwrap();
    let cell = |v: &str| {
        format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
            esc(v)
        )
    };
    for row in rows {
        let cells: String = row.iter().map(|v| cell(v)).collect();
        write!(z, "<table:table-row>{cells}</table:table-row>").unwrap();
    }
    // One row element repeated, its one cell repeated across nine columns: what a spreadsheet
    // program writes for a value filled down and across.
    write!(
        z,
        "<table:table-row table:number-rows-repeated=\"{more}\"><table:table-cell \
         table:number-columns-repeated=\"9\" office:value-type=\"string\"><text:p>Garder</text:p>\
         </table:table-cell></table:table-row>"
    )
    .unwrap();
    z.write_all(b"</table:table></office:spreadsheet></office:body></office:document-content>")
        .unwrap();
    z.finish().unwrap();
}
