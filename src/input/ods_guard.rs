//! Sizing an OpenDocument sheet before calamine reads it. calamine builds an .ods sheet as a
//! dense grid from its first to its last non-empty cell, so one stray value far away (a damaged
//! file, a note typed at the bottom right) would allocate billions of cells. This streams
//! `content.xml` once, counts the extent of real values, and refuses such a sheet with a sentence.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::ReadError;

#[derive(Default)]
struct Extent {
    rows: u64,
    cols: u64,
}

pub fn check(path: &Path, max_cells: u64) -> Result<(), ReadError> {
    let file = File::open(path).map_err(|e| ReadError::Io(e.to_string()))?;
    let mut archive = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| ReadError::Damaged(e.to_string()))?;
    let entry = archive
        .by_name("content.xml")
        .map_err(|e| ReadError::Damaged(format!("content.xml: {e}")))?;
    scan(BufReader::new(entry), max_cells)
}

fn repeat(e: &BytesStart<'_>, name: &str) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
}

fn has_value(e: &BytesStart<'_>) -> bool {
    e.attributes()
        .flatten()
        .any(|a| a.key.as_ref() == "office:value-type" || a.key.as_ref() == "table:formula")
}

fn scan<R: Read + std::io::BufRead>(input: R, max_cells: u64) -> Result<(), ReadError> {
    let mut reader = Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut table: Option<(String, Extent)> = None;
    let (mut row, mut col, mut row_repeat, mut row_has_value) = (0u64, 0u64, 1u64, false);
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| ReadError::Damaged(format!("content.xml: {e}")))?;
        let is_empty = matches!(event, Event::Empty(_));
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" if !is_empty => {
                    let name = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == "table:name")
                        .map(|a| a.value.into_owned())
                        .unwrap_or_default();
                    table = Some((name, Extent::default()));
                    row = 0;
                }
                "table:table-row" => {
                    row_repeat = repeat(e, "table:number-rows-repeated");
                    col = 0;
                    row_has_value = false;
                    if is_empty {
                        row = row.saturating_add(row_repeat);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let n = repeat(e, "table:number-columns-repeated");
                    // A cell with content (text:p) but no value type is text too.
                    if has_value(e) || !is_empty {
                        if let Some((_, ext)) = table.as_mut() {
                            ext.cols = ext.cols.max(col.saturating_add(n));
                        }
                        row_has_value |= has_value(e) || !is_empty;
                    }
                    col = col.saturating_add(n);
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" => {
                    if row_has_value && let Some((_, ext)) = table.as_mut() {
                        ext.rows = ext.rows.max(row.saturating_add(row_repeat));
                    }
                    row = row.saturating_add(row_repeat);
                }
                "table:table" => {
                    if let Some((name, ext)) = table.take() {
                        let cells = ext.rows.saturating_mul(ext.cols);
                        if cells > max_cells {
                            return Err(ReadError::TooLarge {
                                sheet: name,
                                rows: ext.rows,
                                cols: ext.cols,
                            });
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> String {
        format!(
            r#"<office:document-content><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"#
        )
    }

    #[test]
    fn ordinary_sheet_passes() {
        let xml = doc(
            r#"<table:table table:name="A"><table:table-row><table:table-cell office:value-type="string"><text:p>Nom</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1020"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>"#,
        );
        assert!(scan(xml.as_bytes(), 1000).is_ok());
    }

    #[test]
    fn stray_far_cell_is_refused() {
        let xml = doc(
            r#"<table:table table:name="A"><table:table-row><table:table-cell office:value-type="string"><text:p>Nom</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16383"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>"#,
        );
        let err = scan(xml.as_bytes(), 3_000_000).unwrap_err();
        assert!(
            matches!(
                err,
                ReadError::TooLarge {
                    rows: 1_048_576,
                    cols: 16_384,
                    ..
                }
            ),
            "{err:?}"
        );
    }
}
