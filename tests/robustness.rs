//! The job never panics on an input file, however broken: the real fixtures mutated (bit flips,
//! truncations, bit flips inside the cell XML with a stated share reaching the sheet parser, zip
//! entries swapped, dropped or garbled inside a valid zip) and arbitrary text as CSV, each read
//! through the library. Every outcome is a located problem or a clear
//! "cannot read"; the spreadsheet readers never panic on them (which `read_inputs` would only
//! report as a `file-unreadable` problem of kind `ReadError::ReaderFailed`, which is what the
//! property asserts against: data, not a sentence of the catalogue).
//! Deterministic (a fixed seed), so a failure here is reproducible, not a flaky CI.

mod common;

use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use proone_sync::input::{HeaderAliases, InputOptions, Inputs, read_inputs};
use proone_sync::model::{CalendarDate, ProblemKind, ReadError, Severity};
use proone_sync::report::messages::{hint, message};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn options() -> InputOptions {
    InputOptions {
        sheets: Vec::new(),
        aliases: HeaderAliases::default(),
        today: CalendarDate {
            year: 2026,
            month: 11,
            day: 28,
        },
    }
}

fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]))
}

/// Reads `bytes` saved under `name` and checks the outcome is well-formed.
fn read_checked(dir: &Path, name: &str, bytes: &[u8]) -> Result<Inputs, TestCaseError> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let inputs = read_inputs(std::slice::from_ref(&path), &options());
    let shown = path.to_string_lossy().into_owned();
    for p in &inputs.problems {
        prop_assert_eq!(&*p.location.file, shown.as_str());
        prop_assert!(!message(p).is_empty() && !hint(p).is_empty(), "{:?}", p);
        prop_assert!(
            !matches!(
                p.kind,
                ProblemKind::FileUnreadable(ReadError::ReaderFailed(_))
            ),
            "a reader panicked on a mutated {}: {:?}",
            name,
            p
        );
    }
    if inputs.stats.unreadable_files > 0 {
        prop_assert!(
            inputs
                .problems
                .iter()
                .any(|p| p.severity == Severity::Error && p.code() == "file-unreadable")
        );
    }
    Ok(inputs)
}

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(common::fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

const WORKBOOKS: [&str; 4] = [
    "personnel.xlsx",
    "acces-grille.xlsx",
    "debut-b3.xlsx",
    "toegang-nl.ods",
];

#[test]
fn bit_flips_and_truncations_of_every_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let mut names: Vec<&str> = WORKBOOKS.to_vec();
    names.push("nouveaux-cp1252.csv");
    for name in names {
        let original = fixture_bytes(name);
        let len = original.len();
        let strategy = (
            proptest::collection::vec((0..len, 0u8..8), 1..6),
            prop_oneof![Just(len), 0..len],
        );
        runner(60)
            .run(&strategy, |(flips, cut)| {
                let mut bytes = original.clone();
                for (at, bit) in flips {
                    bytes[at] ^= 1 << bit;
                }
                bytes.truncate(cut);
                read_checked(dir.path(), name, &bytes).map(|_| ())
            })
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// Bit flips inside the XML of the parts that hold the cells (the worksheets, the shared
/// strings, an .ods's content), mostly in the values, the zip rebuilt around them: unlike flips
/// of the compressed bytes, at least half of these must reach the sheet parser (rows read), so
/// this test cannot quietly stop at the zip layer.
#[test]
fn bit_flips_inside_the_cell_xml_reach_the_sheet_parser() {
    let dir = tempfile::tempdir().unwrap();
    let (reached, total) = (AtomicUsize::new(0), AtomicUsize::new(0));
    for name in WORKBOOKS {
        let original = entries(&fixture_bytes(name));
        let cells: Vec<usize> = original
            .iter()
            .enumerate()
            .filter(|(_, (n, _))| {
                n.starts_with("xl/worksheets/") || n == "xl/sharedStrings.xml" || n == "content.xml"
            })
            .map(|(i, _)| i)
            .collect();
        assert!(!cells.is_empty(), "{name}: no cell part");
        let strategy = (
            0..cells.len(),
            proptest::collection::vec((any::<usize>(), 0u8..8), 1..6),
        );
        // Where the values are: letters and digits between a tag's end and the next tag.
        let values: Vec<Vec<usize>> = cells
            .iter()
            .map(|&i| {
                let mut in_text = false;
                let mut at = Vec::new();
                for (k, b) in original[i].1.iter().enumerate() {
                    match b {
                        b'>' => in_text = true,
                        b'<' => in_text = false,
                        b if in_text && b.is_ascii_alphanumeric() => at.push(k),
                        _ => {}
                    }
                }
                at
            })
            .collect();
        runner(40)
            .run(&strategy, |(part, flips)| {
                let mut e = original.clone();
                let data = &mut e[cells[part]].1;
                let places = &values[part];
                for (at, bit) in flips {
                    // Most flips land in a value, in its low bits (a typo, not a broken
                    // encoding); one in four anywhere in the part, any bit.
                    if at % 4 == 0 || places.is_empty() {
                        let at = at % data.len();
                        data[at] ^= 1 << bit;
                    } else {
                        data[places[at % places.len()]] ^= 1 << (bit % 4);
                    }
                }
                let inputs = read_checked(dir.path(), name, &rezip(&e))?;
                total.fetch_add(1, Ordering::Relaxed);
                if inputs.stats.rows > 0 {
                    reached.fetch_add(1, Ordering::Relaxed);
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let (r, t) = (reached.into_inner(), total.into_inner());
    eprintln!("cell-XML flips: {r} of {t} reached the sheet parser");
    assert!(
        r * 2 >= t,
        "only {r} of {t} mutated files reached the sheet parser"
    );
}

/// The entries of a zip, in order.
fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().map(|n| n.into_owned()).unwrap_or_default(), data)
        })
        .collect()
}

fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[derive(Debug, Clone)]
enum ZipMutation {
    Swap(usize, usize),
    Drop(usize),
    /// Garble the (decompressed) XML of one entry: flips, a cut, or a span duplicated.
    Garble {
        entry: usize,
        at: usize,
        cut: usize,
        dup: bool,
    },
}

#[test]
fn valid_zips_with_swapped_dropped_or_garbled_entries() {
    let dir = tempfile::tempdir().unwrap();
    let (readable, refused) = (AtomicUsize::new(0), AtomicUsize::new(0));
    for name in WORKBOOKS {
        let original = entries(&fixture_bytes(name));
        let n = original.len();
        let strategy = prop_oneof![
            (0..n, 0..n).prop_map(|(a, b)| ZipMutation::Swap(a, b)),
            (0..n).prop_map(ZipMutation::Drop),
            (0..n, any::<usize>(), any::<usize>(), any::<bool>()).prop_map(
                |(entry, at, cut, dup)| {
                    ZipMutation::Garble {
                        entry,
                        at,
                        cut,
                        dup,
                    }
                }
            ),
        ];
        runner(80)
            .run(&strategy, |m| {
                let mut e = original.clone();
                match m {
                    ZipMutation::Swap(a, b) => {
                        let (da, db) = (e[a].1.clone(), e[b].1.clone());
                        e[a].1 = db;
                        e[b].1 = da;
                    }
                    ZipMutation::Drop(i) => {
                        e.remove(i);
                    }
                    ZipMutation::Garble {
                        entry,
                        at,
                        cut,
                        dup,
                    } => {
                        let data = &mut e[entry].1;
                        if !data.is_empty() {
                            let at = at % data.len();
                            if dup {
                                let span: Vec<u8> = data[at..].iter().take(200).copied().collect();
                                data.splice(at..at, span);
                            } else {
                                data[at] = data[at].wrapping_add(1 + (cut % 250) as u8);
                                let keep = at + cut % (data.len() - at + 1);
                                data.truncate(keep.max(at + 1));
                            }
                        }
                    }
                }
                let inputs = read_checked(dir.path(), name, &rezip(&e))?;
                let counter = if inputs.stats.unreadable_files == 0 {
                    &readable
                } else {
                    &refused
                };
                counter.fetch_add(1, Ordering::Relaxed);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    // The mutations reach past the zip layer: some files still read, others are refused.
    let (r, f) = (readable.into_inner(), refused.into_inner());
    assert!(r > 20 && f > 20, "readable {r}, refused {f}");
}

#[test]
fn arbitrary_text_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    // Plain arbitrary text, and text made of the characters that matter to a CSV reader.
    let csvish = proptest::collection::vec(
        prop_oneof![
            Just(";".to_owned()),
            Just(",".to_owned()),
            Just("\t".to_owned()),
            Just("\"".to_owned()),
            Just("\r\n".to_owned()),
            Just("\n".to_owned()),
            Just("Nom".to_owned()),
            Just("Email".to_owned()),
            Just("NRN".to_owned()),
            Just("Bilans".to_owned()),
            Just("x".to_owned()),
            Just("85.07.30-033.28".to_owned()),
            Just("a@b.be".to_owned()),
            "\\PC{0,8}",
        ],
        0..80,
    )
    .prop_map(|parts| parts.concat());
    let strategy = prop_oneof![
        any::<String>(),
        csvish,
        proptest::collection::vec(any::<u8>(), 0..400)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned())
    ];
    runner(400)
        .run(&strategy, |text| {
            read_checked(dir.path(), "fuzz.csv", text.as_bytes()).map(|_| ())
        })
        .unwrap();
    // Raw bytes too (Windows-1252 fallback, NUL detection).
    runner(200)
        .run(&proptest::collection::vec(any::<u8>(), 0..600), |bytes| {
            read_checked(dir.path(), "fuzz.csv", &bytes).map(|_| ())
        })
        .unwrap();
}

#[test]
fn a_header_and_valid_rows_survive_arbitrary_neighbours() {
    // The reader still finds the valid rows when garbage surrounds them.
    let dir = tempfile::tempdir().unwrap();
    runner(150)
        .run(&("\\PC{0,60}", "\\PC{0,60}"), |(before, after)| {
            let before = before.replace(['\r', '\n', '"', ';'], " ");
            let after = after.replace(['\r', '\n', '"', ';'], " ");
            let text = format!("{before}\nNom;Email\nDupont;marie@x.be\n{after}\n");
            let inputs = read_checked(dir.path(), "mixed.csv", text.as_bytes())?;
            prop_assert!(
                inputs
                    .desired
                    .people
                    .iter()
                    .any(|p| p.label() == "marie@x.be")
            );
            Ok(())
        })
        .unwrap();
}

/// Rows written out of order (the format allows it; Excel and LibreOffice never do) and a
/// damaged `<dimension>` read exactly like the ordered original.
#[test]
fn rows_out_of_order_and_a_wrong_dimension_read_like_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let original = fixture_bytes("debut-b3.xlsx");
    let mut e = entries(&original);
    let sheet = e
        .iter_mut()
        .find(|(n, _)| n == "xl/worksheets/sheet1.xml")
        .unwrap();
    let xml = String::from_utf8(sheet.1.clone()).unwrap();
    let row = |r: u32| {
        let start = xml.find(&format!("<row r=\"{r}\"")).unwrap();
        let end = start + xml[start..].find("</row>").unwrap() + "</row>".len();
        xml[start..end].to_owned()
    };
    let (r4, r6) = (row(4), row(6));
    let shuffled = xml
        .replacen(&r4, "@@4@@", 1)
        .replacen(&r6, &r4, 1)
        .replacen("@@4@@", &r6, 1)
        .replace(
            "<dimension ref=\"B3:E6\"/>",
            "<dimension ref=\"A1:XFD1048576\"/>",
        );
    assert_ne!(shuffled, xml);
    sheet.1 = shuffled.into_bytes();
    let want = read_checked(dir.path(), "debut-b3.xlsx", &original).unwrap();
    let got = read_checked(dir.path(), "debut-b3.xlsx", &rezip(&e)).unwrap();
    let key = |i: &Inputs| {
        i.problems
            .iter()
            .map(|p| (p.location.to_string(), message(p)))
            .collect::<Vec<_>>()
    };
    assert_eq!(key(&got), key(&want));
    assert_eq!(key(&want).len(), 2);
    assert_eq!(got.stats, want.stats);
}

/// Counts a file declares are never trusted for memory, and a container without its workbook
/// part is refused — through the binary, so an abort (exit 134) would show: each mutation is
/// `file-unreadable` (exit 1) with a sentence saying what is wrong; an empty folder is
/// `folder-empty`.
#[test]
fn declared_counts_and_missing_parts_are_refused_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = entries(&fixture_bytes("personnel.xlsx"));
    let ods = entries(&fixture_bytes("toegang-nl.ods"));
    let edit = |from: &[(String, Vec<u8>)], part: &str, f: &dyn Fn(&str) -> String| {
        let e: Vec<(String, Vec<u8>)> = from
            .iter()
            .map(|(n, d)| {
                let d = if n == part {
                    f(&String::from_utf8_lossy(d)).into_bytes()
                } else {
                    d.clone()
                };
                (n.clone(), d)
            })
            .collect();
        rezip(&e)
    };
    let without = |from: &[(String, Vec<u8>)], part: &str| {
        rezip(
            &from
                .iter()
                .filter(|(n, _)| n != part)
                .cloned()
                .collect::<Vec<_>>(),
        )
    };
    let unique = |xml: &str| {
        let start = xml.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
        let end = start + xml[start..].find('"').unwrap();
        format!("{}2147483647{}", &xml[..start], &xml[end..])
    };
    // An .xls whose BIFF stream declares a sheet of 2^31 rows × 256 columns.
    let xls = {
        let mut cfb = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        let mut s = cfb.create_stream("/Workbook").unwrap();
        let mut biff = vec![0x09, 0x08, 4, 0, 0x00, 0x06, 0x10, 0x00]; // BOF (BIFF8, worksheet)
        biff.extend([0x00, 0x02, 14, 0]); // DIMENSIONS, 14 bytes
        biff.extend(0u32.to_le_bytes());
        biff.extend(0x7FFF_FFFFu32.to_le_bytes());
        biff.extend(0u16.to_le_bytes());
        biff.extend(256u16.to_le_bytes());
        biff.extend(0u16.to_le_bytes());
        s.write_all(&biff).unwrap();
        drop(s);
        cfb.into_inner().into_inner()
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "unique.xlsx",
            edit(&xlsx, "xl/sharedStrings.xml", &unique),
            "xl/sharedStrings.xml declares 2147483647 items",
        ),
        (
            "sans-classeur.xlsx",
            without(&xlsx, "xl/workbook.xml"),
            "the workbook has no xl/workbook.xml",
        ),
        (
            "sans-contenu.ods",
            without(&ods, "content.xml"),
            "the workbook has no content.xml",
        ),
        (
            "dimensions.xls",
            xls,
            "a sheet declares 2147483647 rows × 256 columns",
        ),
    ];
    for (name, bytes, sentence) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let (code, v) = common::check_json(&["--offline", path.to_str().unwrap()]);
        assert_eq!(code, 1, "{name}: {v}");
        let p = &v["problems"][0];
        assert_eq!(p["code"], "file-unreadable", "{name}: {v}");
        assert!(
            p["message"].as_str().unwrap().contains(sentence),
            "{name}: {v}"
        );
    }
    // The `count` of references may rightly exceed the part's size: not refused.
    let count = |xml: &str| xml.replacen(" count=\"", " count=\"2147483647", 1);
    let path = dir.path().join("count.xlsx");
    std::fs::write(&path, edit(&xlsx, "xl/sharedStrings.xml", &count)).unwrap();
    let (code, v) = common::check_json(&["--offline", path.to_str().unwrap()]);
    assert_eq!(code, 3, "{v}");
    // A folder without a spreadsheet.
    let empty = dir.path().join("vide");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(empty.join("lisez-moi.pdf"), b"%PDF").unwrap();
    let (code, v) = common::check_json(&["--offline", empty.to_str().unwrap()]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["problems"][0]["code"], "folder-empty", "{v}");
    assert_eq!(v["problems"][0]["location"], empty.to_str().unwrap());
}
