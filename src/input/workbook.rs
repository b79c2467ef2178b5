//! Workbooks through calamine: xlsx/xlsm/xlsb with its streaming cell readers (memory follows
//! the cells present, whatever the sheet's `<dimension>` claims), xls/ods through its ranges.
//! Visible worksheets only, unless sheets are named in config; formulas read as cached values.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use calamine::{
    Data, DataRef, Ods, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx, open_workbook,
};

use crate::model::{Location, Problem};

use super::ReadError;
use super::sheet::{Cell, RawRow, Sheet};

/// The largest dense grid (rows × columns) accepted from the formats calamine can only read
/// densely (ods, xls): about 100 MB of cells. Beyond it the sheet is refused with a sentence.
const MAX_DENSE_CELLS: u64 = 3_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

/// Sheets of one workbook, plus notes about sheets skipped.
pub struct Workbook {
    pub sheets: Vec<Sheet>,
    pub problems: Vec<Problem>,
}

pub fn read(
    path: &Path,
    kind: Kind,
    location: &Location,
    wanted: &[String],
) -> Result<Workbook, ReadError> {
    let open_err = |e: &dyn std::fmt::Display| ReadError::Damaged(e.to_string());
    match kind {
        Kind::Xlsx => {
            let mut wb: Xlsx<BufReader<File>> = open_workbook(path).map_err(|e| open_err(&e))?;
            read_sheets(&mut wb, location, wanted, |wb, name| {
                let mut reader = wb.worksheet_cells_reader(name).map_err(|e| open_err(&e))?;
                let mut cells = Vec::new();
                while let Some(c) = reader.next_cell().map_err(|e| open_err(&e))? {
                    push_cell(&mut cells, c.get_position(), c.get_value());
                }
                Ok(into_rows(cells))
            })
        }
        Kind::Xlsb => {
            let mut wb: Xlsb<BufReader<File>> = open_workbook(path).map_err(|e| open_err(&e))?;
            read_sheets(&mut wb, location, wanted, |wb, name| {
                let mut reader = wb.worksheet_cells_reader(name).map_err(|e| open_err(&e))?;
                let mut cells = Vec::new();
                while let Some(c) = reader.next_cell().map_err(|e| open_err(&e))? {
                    push_cell(&mut cells, c.get_position(), c.get_value());
                }
                Ok(into_rows(cells))
            })
        }
        Kind::Xls => {
            let mut wb: Xls<BufReader<File>> = open_workbook(path).map_err(|e| open_err(&e))?;
            read_sheets(&mut wb, location, wanted, |wb, name| {
                let range = wb.worksheet_range(name).map_err(|e| open_err(&e))?;
                Ok(range_rows(&range))
            })
        }
        Kind::Ods => {
            super::ods_guard::check(path, MAX_DENSE_CELLS)?;
            let mut wb: Ods<BufReader<File>> = open_workbook(path).map_err(|e| open_err(&e))?;
            read_sheets(&mut wb, location, wanted, |wb, name| {
                let range = wb.worksheet_range(name).map_err(|e| open_err(&e))?;
                Ok(range_rows(&range))
            })
        }
    }
}

fn read_sheets<W: Reader<BufReader<File>>>(
    wb: &mut W,
    location: &Location,
    wanted: &[String],
    mut read_one: impl FnMut(&mut W, &str) -> Result<Vec<RawRow>, ReadError>,
) -> Result<Workbook, ReadError> {
    let meta: Vec<_> = wb.sheets_metadata().to_vec();
    let mut out = Workbook {
        sheets: Vec::new(),
        problems: Vec::new(),
    };
    for (index, sheet) in meta.iter().enumerate() {
        let named = wanted.iter().any(|w| w == &sheet.name);
        if !wanted.is_empty() && !named {
            continue;
        }
        if sheet.typ != SheetType::WorkSheet {
            continue;
        }
        let sheet_location = Location {
            sheet: Some(sheet.name.clone()),
            sheet_index: index as u32,
            ..location.clone()
        };
        if sheet.visible != SheetVisible::Visible && !named {
            out.problems.push(Problem::note(
                sheet_location,
                "hidden sheet skipped",
                "name it in config ([input] sheets = [...]) to read it",
            ));
            continue;
        }
        let rows = read_one(wb, &sheet.name)?;
        out.sheets.push(Sheet {
            location: sheet_location,
            rows,
        });
    }
    for w in wanted {
        if !meta.iter().any(|s| &s.name == w) {
            let names: Vec<_> = meta.iter().map(|s| s.name.as_str()).collect();
            out.problems.push(Problem::warning(
                location.clone(),
                format!("no sheet named {w:?} in this file"),
                format!("its sheets are: {}", names.join(", ")),
            ));
        }
    }
    Ok(out)
}

fn cell_of(value: &DataRef<'_>) -> Option<Cell> {
    Some(match value {
        DataRef::Empty => return None,
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(d) => Cell::Date(d.to_string()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Date(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    })
}

fn cell_of_data(value: &Data) -> Option<Cell> {
    Some(match value {
        Data::Empty => return None,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => Cell::Date(d.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Date(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    })
}

fn push_cell(cells: &mut Vec<(u32, u32, Cell)>, (row, col): (u32, u32), value: &DataRef<'_>) {
    if let Some(c) = cell_of(value) {
        cells.push((row, col, c));
    }
}

/// Sparse cells (0-based row, col) into rows numbered as the spreadsheet shows them.
fn into_rows(mut cells: Vec<(u32, u32, Cell)>) -> Vec<RawRow> {
    // Readers give cells in row order for files written by Excel and LibreOffice, but the
    // format does not promise it.
    cells.sort_by_key(|(r, c, _)| (*r, *c));
    let mut rows: Vec<RawRow> = Vec::new();
    for (r, c, cell) in cells {
        let number = r.saturating_add(1);
        match rows.last_mut() {
            Some(last) if last.number == number => {
                if last.cells.last().is_some_and(|(lc, _)| *lc == c) {
                    continue; // a duplicated cell record: keep the first
                }
                last.cells.push((c, cell));
            }
            _ => rows.push(RawRow {
                number,
                cells: vec![(c, cell)],
            }),
        }
    }
    rows
}

/// A dense calamine range into sparse rows. `Range::start()` is where the data begins (not
/// necessarily A1), so positions are absolute.
fn range_rows(range: &calamine::Range<Data>) -> Vec<RawRow> {
    let Some((row0, col0)) = range.start() else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for (i, r) in range.rows().enumerate() {
        let cells: Vec<(u32, Cell)> = r
            .iter()
            .enumerate()
            .filter_map(|(j, v)| cell_of_data(v).map(|c| (col0 + j as u32, c)))
            .collect();
        if !cells.is_empty() {
            rows.push(RawRow {
                number: row0 + i as u32 + 1,
                cells,
            });
        }
    }
    rows
}
