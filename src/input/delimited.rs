//! Delimited text (`.csv .tsv .txt`): encoding (UTF-8 with or without BOM, UTF-16 with BOM,
//! else Windows-1252 as Excel's "CSV" save writes it), delimiter sniffing among `,` `;` TAB, and
//! row numbers as Excel shows them — a quoted line break stays in its row, a blank line is a row.

use std::borrow::Cow;
use std::ops::ControlFlow;

use crate::model::{Location, Problem, ProblemKind};

use super::ReadError;
use super::sheet::{Cell, Event, RawRow};

/// Decoded text and the name of the encoding it was read as.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, &'static str), ReadError> {
    // A BOM says what the bytes are (UTF-16's NULs included); without one, judge the bytes.
    let (text, name) = if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (t, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        (t, enc.name())
    } else if !looks_like_text(bytes) {
        return Err(ReadError::NotText);
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => (Cow::Borrowed(s), "UTF-8"),
            Err(_) => {
                let (t, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
                (t, "windows-1252")
            }
        }
    };
    Ok((text, name))
}

/// Not text: a workbook's container (a zip or OLE signature), UTF-16 without a BOM (every
/// other byte a NUL, each alone between two characters), or binary data (mostly control bytes
/// once runs of NULs are set aside). A run of NULs inside otherwise-text bytes — a block zeroed
/// by disk damage — is not a reason to drop the file: its rows are read and the damaged one is
/// said at its cell (`value-control-character`), as inputs.md asks.
fn looks_like_text(bytes: &[u8]) -> bool {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if bytes.starts_with(ZIP) || bytes.starts_with(OLE) {
        return false;
    }
    // Enough to judge, and bounded: a large file is judged by its first 64 KiB.
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let (mut lone_nuls, mut controls, mut others) = (0usize, 0usize, 0usize);
    for (i, &b) in head.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| head[j]);
        let after = head.get(i + 1).copied();
        match b {
            // A NUL next to another belongs to a run (zeroed bytes): set aside.
            0 if before == Some(0) || after == Some(0) => {}
            0 => lone_nuls += 1,
            b'\t' | b'\n' | b'\r' | 0x0C => others += 1,
            0x01..=0x1F | 0x7F => controls += 1,
            _ => others += 1,
        }
    }
    let judged = lone_nuls + controls + others;
    if judged == 0 {
        // Nothing but NULs.
        return head.is_empty();
    }
    // Mostly NULs (inputs.md), runs included: UTF-32 without a BOM, or a file zeroed but for
    // scraps. A damaged file's readable rows are worth reading only when most of it is there.
    if (head.len() - judged) * 2 > head.len() {
        return false;
    }
    // UTF-16 without a BOM: a lone NUL after every character of Latin text.
    let utf16 = lone_nuls * 4 > judged;
    let binary = (lone_nuls + controls) * 10 > judged;
    !(utf16 || binary)
}

/// How much of `head`, the start of a file, is whole lines: up to the end of its last line
/// break, counted in its encoding's code units (UTF-16 when it starts with that BOM; else bytes,
/// where CR and LF are never part of a UTF-8 or Windows-1252 character, so a cut there splits
/// no character). `None`: no line ends in it.
pub fn whole_lines(head: &[u8]) -> Option<usize> {
    let utf16 = encoding_rs::Encoding::for_bom(head)
        .filter(|(enc, _)| *enc == encoding_rs::UTF_16LE || *enc == encoding_rs::UTF_16BE);
    let Some((enc, bom)) = utf16 else {
        return head
            .iter()
            .rposition(|b| matches!(b, b'\n' | b'\r'))
            .map(|i| i + 1);
    };
    let units = head.get(bom..).unwrap_or_default().chunks_exact(2);
    let breaks = |u: &[u8]| {
        let unit = if enc == encoding_rs::UTF_16LE {
            [u[0], u[1]]
        } else {
            [u[1], u[0]]
        };
        unit == [b'\n', 0] || unit == [b'\r', 0]
    };
    units
        .enumerate()
        .rfind(|(_, u)| breaks(u))
        .map(|(i, _)| bom + 2 * i + 2)
}

/// Byte offsets at which each row starts as Excel shows them: 0, then after every line break
/// (CRLF, LF or CR) outside a quoted field. Blank lines are rows; quoted line breaks are not.
fn row_starts(bytes: &[u8], delimiter: u8) -> Vec<usize> {
    let mut starts = vec![0];
    let (mut in_quotes, mut field_start) = (false, true);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if b == b'"' && field_start {
            in_quotes = true;
        } else if b == b'\n' || b == b'\r' {
            if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            starts.push(i + 1);
            field_start = true;
            i += 1;
            continue;
        }
        field_start = !in_quotes && b == delimiter;
        i += 1;
    }
    starts
}

/// The delimiter that splits the first records most consistently into more than one field.
/// Ties prefer `;` (what Excel writes in Belgium), then TAB, then `,`.
pub fn sniff(text: &str, prefer_tab: bool) -> u8 {
    let mut candidates = vec![b';', b'\t', b','];
    if prefer_tab {
        candidates.swap(0, 1);
    }
    let mut best = (0usize, candidates[0]);
    for d in candidates {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(d)
            .from_reader(text.as_bytes());
        let mut counts: Vec<usize> = Vec::new();
        for record in reader.records().take(50) {
            match record {
                Ok(r) if r.len() > 1 => counts.push(r.len()),
                Ok(_) => {}
                Err(_) => break,
            }
        }
        // Score: records that have the most common field count (> 1), weighted by that count.
        counts.sort_unstable();
        let mut mode = (0usize, 0usize);
        let mut i = 0;
        while i < counts.len() {
            let j = counts[i..].iter().take_while(|c| **c == counts[i]).count();
            if j > mode.0 || (j == mode.0 && counts[i] > mode.1) {
                mode = (j, counts[i]);
            }
            i += j;
        }
        let score = mode.0 * 1000 + mode.1;
        if score > best.0 {
            best = (score, d);
        }
    }
    best.1
}

/// Reads the file into `sink` as one sheet, rows in batches, until the sink says it has read
/// enough (`ControlFlow::Break`: the rest is not parsed).
pub fn read(
    bytes: &[u8],
    location: &Location,
    prefer_tab: bool,
    sink: &mut dyn FnMut(Event) -> ControlFlow<()>,
) -> Result<(), ReadError> {
    let (text, encoding) = decode(bytes)?;
    let delimiter = sniff(&text, prefer_tab);
    if sink(Event::Sheet(location.clone())).is_break() {
        return Ok(());
    }
    if encoding == "windows-1252"
        && sink(Event::Problem(Problem::note(
            location.clone(),
            ProblemKind::NotUtf8,
        )))
        .is_break()
    {
        return Ok(());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let starts = row_starts(text.as_bytes(), delimiter);
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(ReadError::Damaged(format!("CSV: {e}")));
            }
        }
        // The csv crate's record position is where it started looking, before any blank lines
        // it skipped; the record itself starts at the first byte that is not a line break.
        let mut start = record.position().map_or(0, |p| p.byte() as usize);
        while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let row_number = u32::try_from(starts.partition_point(|&s| s <= start)).unwrap_or(u32::MAX);
        let cells: Vec<(u32, Cell)> = record
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.is_empty())
            .map(|(i, f)| (i as u32, Cell::Text(f.to_owned())))
            .collect();
        if !cells.is_empty() {
            rows.push(RawRow {
                number: row_number,
                cells,
            });
            if rows.len() >= 1024 && sink(Event::Rows(std::mem::take(&mut rows))).is_break() {
                return Ok(());
            }
        }
    }
    // The last batch: whether the sink wanted more or not, the file is read.
    let _ = sink(Event::Rows(rows));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<(u32, Vec<(u32, String)>)> {
        let mut all = Vec::new();
        read(
            text.as_bytes(),
            &Location::file("t.csv", 0),
            false,
            &mut |e| {
                if let Event::Rows(r) = e {
                    all.extend(r);
                }
                ControlFlow::Continue(())
            },
        )
        .unwrap();
        all.into_iter()
            .map(|r| {
                (
                    r.number,
                    r.cells.into_iter().map(|(c, v)| (c, v.display())).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn sniffs_semicolon_comma_and_tab() {
        assert_eq!(sniff("Nom;Prénom;Email\nA;B;a@b.be\n", false), b';');
        assert_eq!(sniff("Nom,Prénom,Email\nA,B,a@b.be\n", false), b',');
        assert_eq!(sniff("Nom\tPrénom\tEmail\nA\tB\ta@b.be\n", false), b'\t');
        // A comma inside a quoted field does not fool it.
        assert_eq!(
            sniff(
                "Nom;Accès\n\"Dupont, Marie\";\"bilans, mon-equipe\"\nX;Y\n",
                false
            ),
            b';'
        );
        // Title line with no delimiter above the header.
        assert_eq!(
            sniff("Liste du personnel\n\nNom;Prénom\nA;B\n", false),
            b';'
        );
    }

    #[test]
    fn blank_lines_and_quoted_line_breaks_keep_excel_row_numbers() {
        let text = "Nom;Structures\n\nDupont;\"MA-1\nMA-2\"\nMartin;MA-3\r\n\r\n\r\nLeroy;MA-4\n";
        let got = rows(text);
        let numbers: Vec<u32> = got.iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, vec![1, 3, 4, 7]);
        assert_eq!(got[1].1[1], (1, "MA-1\nMA-2".to_owned()));
    }

    #[test]
    fn a_head_is_cut_after_its_last_whole_line_in_its_encoding() {
        // Bytes: after the last CR or LF, whatever the accents before it.
        assert_eq!(whole_lines(b"Nom;Pr\xe9nom\r\nDup"), Some(12));
        assert_eq!(whole_lines("Nom;Prénom\nLé".as_bytes()), Some(12));
        assert_eq!(whole_lines(b"Mac\rDupont"), Some(4));
        assert_eq!(whole_lines(b"une seule ligne sans fin"), None);
        // UTF-16: after the whole code unit of the line break, never between its two bytes.
        for (bom, le) in [([0xFF, 0xFE], true), ([0xFE, 0xFF], false)] {
            let mut bytes = bom.to_vec();
            for unit in "Nom;Email\nDup".encode_utf16() {
                let b = if le {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                };
                bytes.extend(b);
            }
            assert_eq!(whole_lines(&bytes), Some(2 + 2 * 10), "{bom:?}");
            let (text, _) = decode(&bytes[..2 + 2 * 10]).unwrap();
            assert_eq!(text, "Nom;Email\n");
            // Cut in the middle of a code unit: the whole lines before it.
            assert_eq!(whole_lines(&bytes[..bytes.len() - 1]), Some(22));
            assert_eq!(whole_lines(&bytes[..2 + 2 * 9]), None);
        }
    }

    #[test]
    fn a_sink_that_has_read_enough_stops_the_reading() {
        let text: String = (1..=5000).map(|i| format!("u-{i};Garder\n")).collect();
        let mut batches = Vec::new();
        read(
            text.as_bytes(),
            &Location::file("t.csv", 0),
            false,
            &mut |e| {
                if let Event::Rows(r) = e {
                    batches.push(r.len());
                    return ControlFlow::Break(());
                }
                ControlFlow::Continue(())
            },
        )
        .unwrap();
        assert_eq!(batches, vec![1024]);
    }

    #[test]
    fn windows_1252_and_bom() {
        let cp1252 = b"Nom;Pr\xe9nom\nL\xe9on;Ren\xe9e\n";
        let (t, enc) = decode(cp1252).unwrap();
        assert_eq!(enc, "windows-1252");
        assert!(t.contains("Prénom") && t.contains("Renée"));
        let bom = "\u{feff}Nom;Prénom\n".as_bytes();
        let (t, enc) = decode(bom).unwrap();
        assert_eq!((t.as_ref(), enc), ("Nom;Prénom\n", "UTF-8"));
        assert!(matches!(
            decode(b"PK\x03\x04\0\0\0"),
            Err(ReadError::NotText)
        ));
        // UTF-16 with its BOM (Excel's "Unicode text") is text, NULs and all.
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(
            "Nom;Email\nDupont;a@b.be\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        let (t, enc) = decode(&utf16).unwrap();
        assert_eq!(
            (t.as_ref(), enc),
            ("Nom;Email\nDupont;a@b.be\n", "UTF-16LE")
        );
        // UTF-16 without a BOM: half of it NULs.
        assert!(matches!(
            decode(b"N\0o\0m\0;\0E\0m\0a\0i\0l\0\n\0"),
            Err(ReadError::NotText)
        ));
        // A NUL in a name is a damaged cell, not binary content.
        let (t, _) = decode(b"Nom;Email\nDup\0nt;a@b.be\nMartin;m@b.be\n").unwrap();
        assert!(t.contains("Dup\0nt") && t.contains("Martin"));
        // A block zeroed in the middle (disk damage): a fifth of the file, still text.
        let mut damaged = b"Nom;Email\nDupont;a@b.be\nMartin;m@b.be\nLeroy;l@b.be\n".to_vec();
        damaged[25..37].fill(0);
        assert!(decode(&damaged).is_ok());
        // Binary data, and a file of nothing but NULs, are not text.
        let binary: Vec<u8> = (0..2048u32).map(|i| (i * 7 % 32) as u8).collect();
        assert!(matches!(decode(&binary), Err(ReadError::NotText)));
        assert!(matches!(decode(&[0u8; 300]), Err(ReadError::NotText)));
        // Mostly NULs: a file zeroed but for scraps, or UTF-32 without a BOM.
        let mut scraps = vec![0u8; 400];
        scraps[..40].copy_from_slice(&damaged[..40]);
        assert!(matches!(decode(&scraps), Err(ReadError::NotText)));
        let utf32: Vec<u8> = "Nom;Email\nDupont;a@b.be\n"
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        assert!(matches!(decode(&utf32), Err(ReadError::NotText)));
    }
}
