//! Workbooks through calamine: xlsx/xlsm/xlsb with its streaming cell readers (memory follows
//! the cells present, whatever the sheet's `<dimension>` claims), xls/ods through its ranges.
//! Visible worksheets only, unless sheets are named in config; formulas read as cached values.
//! Date cells become their calendar day here, in the workbook's own date system (1900 or 1904).
//! Rows go to the sink in batches; a sink that has read enough (`ControlFlow::Break`) stops the
//! reading at the next batch, and the sheets after it are not opened.

use std::fs::File;
use std::io::BufReader;
use std::ops::ControlFlow;
use std::path::Path;

use calamine::{
    Data, DataRef, ExcelDateTime, Ods, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx,
    open_workbook,
};

use crate::model::{CalendarDate, Location, Problem, ProblemKind};

use super::ReadError;
use super::sheet::{Cell, Event, RawRow};

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

/// Reads the wanted sheets of a workbook into `sink`, sheet by sheet, rows in order. With
/// `stream`, xlsx/xlsb rows go out in batches as they complete (so parsing runs beside the
/// reading); a file whose cells are not in row order then gives `ReadError::OutOfOrder`, and the
/// caller reads it again without `stream` (the whole sheet buffered and sorted).
pub fn read(
    path: &Path,
    kind: Kind,
    location: &Location,
    wanted: &[String],
    stream: bool,
    sink: &mut dyn FnMut(Event) -> ControlFlow<()>,
) -> Result<(), ReadError> {
    let open_err = |e: &dyn std::fmt::Display| ReadError::Damaged(e.to_string());
    // xlsx and xlsb have streaming cell readers of different types with the same methods.
    macro_rules! stream_cells {
        ($wb:expr) => {
            read_sheets($wb, location, wanted, sink, |wb, name, sink| {
                let mut reader = wb.worksheet_cells_reader(name).map_err(|e| open_err(&e))?;
                let mut rows = RowBuilder::new(stream);
                while let Some(c) = reader.next_cell().map_err(|e| open_err(&e))? {
                    if rows.push(c.get_position(), c.get_value(), sink)?.is_break() {
                        return Ok(ControlFlow::Break(()));
                    }
                }
                Ok(rows.finish(sink))
            })
        };
    }
    match kind {
        Kind::Xlsx => {
            super::parts::check_ooxml(path, false)?;
            let mut wb: Xlsx<BufReader<File>> = open_workbook(path).map_err(|e| open_err(&e))?;
            stream_cells!(&mut wb)
        }
        Kind::Xlsb => {
            super::parts::check_ooxml(path, true)?;
            let mut wb: Xlsb<BufReader<File>> = open_workbook(path).map_err(|e| open_err(&e))?;
            stream_cells!(&mut wb)
        }
        Kind::Xls => {
            super::parts::check_xls(path, MAX_DENSE_CELLS)?;
            let wb: Xls<BufReader<File>> = open_workbook(path).map_err(|e| open_err(&e))?;
            dense_sheets(wb, location, wanted, sink)
        }
        Kind::Ods => {
            super::parts::check_ods(path)?;
            super::ods_guard::check(path, MAX_DENSE_CELLS)?;
            let wb: Ods<BufReader<File>> = open_workbook(path).map_err(|e| open_err(&e))?;
            dense_sheets(wb, location, wanted, sink)
        }
    }
}

/// The formats calamine only reads as whole ranges (xls, ods).
fn dense_sheets<W: Reader<BufReader<File>>>(
    mut wb: W,
    location: &Location,
    wanted: &[String],
    sink: &mut dyn FnMut(Event) -> ControlFlow<()>,
) -> Result<(), ReadError>
where
    W::Error: std::fmt::Display,
{
    read_sheets(&mut wb, location, wanted, sink, |wb, name, sink| {
        let range = wb
            .worksheet_range(name)
            .map_err(|e| ReadError::Damaged(e.to_string()))?;
        Ok(range_rows(&range, sink))
    })
}

/// The sheets in order, each read by `read_one` (`Break`: the sink has read enough, and the
/// sheets after it are not read).
fn read_sheets<W: Reader<BufReader<File>>>(
    wb: &mut W,
    location: &Location,
    wanted: &[String],
    sink: &mut dyn FnMut(Event) -> ControlFlow<()>,
    mut read_one: impl FnMut(
        &mut W,
        &str,
        &mut dyn FnMut(Event) -> ControlFlow<()>,
    ) -> Result<ControlFlow<()>, ReadError>,
) -> Result<(), ReadError> {
    let meta: Vec<_> = wb.sheets_metadata().to_vec();
    for (index, sheet) in meta.iter().enumerate() {
        let named = wanted.iter().any(|w| w == &sheet.name);
        if !wanted.is_empty() && !named {
            continue;
        }
        if sheet.typ != SheetType::WorkSheet {
            continue;
        }
        let sheet_location = Location {
            sheet: Some(sheet.name.as_str().into()),
            sheet_index: index as u32,
            ..location.clone()
        };
        let told = if sheet.visible != SheetVisible::Visible && !named {
            sink(Event::Problem(Problem::note(
                sheet_location,
                ProblemKind::SheetHidden,
            )))
        } else if sink(Event::Sheet(sheet_location)).is_break() {
            ControlFlow::Break(())
        } else {
            read_one(wb, &sheet.name, sink)?
        };
        if told.is_break() {
            return Ok(());
        }
    }
    for w in wanted {
        if !meta.iter().any(|s| &s.name == w) {
            let missing = Problem::warning(
                location.clone(),
                ProblemKind::SheetMissing {
                    sheet: w.clone(),
                    sheets: meta.iter().map(|s| s.name.clone()).collect(),
                },
            );
            if sink(Event::Problem(missing)).is_break() {
                return Ok(());
            }
        }
    }
    Ok(())
}

fn cell_of(value: &DataRef<'_>) -> Option<Cell> {
    Some(match value {
        DataRef::Empty => return None,
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(d) => excel_date(d),
        DataRef::DateTimeIso(s) => iso_date(s),
        DataRef::DurationIso(s) => Cell::Date {
            day: None,
            shown: s.clone(),
        },
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
        Data::DateTime(d) => excel_date(d),
        Data::DateTimeIso(s) => iso_date(s),
        Data::DurationIso(s) => Cell::Date {
            day: None,
            shown: s.clone(),
        },
        Data::Error(e) => Cell::Error(e.to_string()),
    })
}

/// An Excel or xls serial date-time, counted in the workbook's date system (calamine carries
/// the 1904 flag with the value), as its calendar day: a date-time keeps its day. A serial
/// below 1 is a time of day (Excel shows 0 as 00/01/1900) and a duration has no day either.
fn excel_date(d: &ExcelDateTime) -> Cell {
    let (year, month, day, h, m, s, _) = d.to_ymd_hms_milli();
    // A NaN serial has no day either.
    let serial = d.as_f64();
    if d.is_duration() || serial.is_nan() || serial < 1.0 {
        let shown = if d.is_duration() {
            d.as_f64().to_string()
        } else {
            format!("{h:02}:{m:02}:{s:02}")
        };
        return Cell::Date { day: None, shown };
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    Cell::Date {
        // Excel's 29/02/1900, which never was, has no day.
        day: CalendarDate::new(year.into(), month.into(), day.into()),
        shown: if (h, m, s) == (0, 0, 0) {
            date
        } else {
            format!("{date} {h:02}:{m:02}:{s:02}")
        },
    }
}

/// An .ods date or date-time value (`2026-06-30`, `2026-06-30T14:30:00`): its day.
fn iso_date(s: &str) -> Cell {
    Cell::Date {
        day: s.get(..10).and_then(CalendarDate::parse),
        shown: s.replacen('T', " ", 1),
    }
}

/// Rows built as cells stream in (0-based row, col), numbered as the spreadsheet shows them.
struct RowBuilder {
    rows: Vec<RawRow>,
    in_order: bool,
    /// Send completed rows in batches instead of keeping the sheet.
    stream: bool,
}

/// Rows per batch sent to the parser: large enough to make the channel cheap, small enough to
/// keep memory flat.
const BATCH: usize = 4096;

impl RowBuilder {
    fn new(stream: bool) -> Self {
        RowBuilder {
            rows: Vec::new(),
            in_order: true,
            stream,
        }
    }

    /// Adds a cell; `Break` once the sink, handed a batch of complete rows, has read enough.
    fn push(
        &mut self,
        (row, col): (u32, u32),
        value: &DataRef<'_>,
        sink: &mut dyn FnMut(Event) -> ControlFlow<()>,
    ) -> Result<ControlFlow<()>, ReadError> {
        let Some(cell) = cell_of(value) else {
            return Ok(ControlFlow::Continue(()));
        };
        let mut told = ControlFlow::Continue(());
        let number = row.saturating_add(1);
        match self.rows.last_mut() {
            Some(last) if last.number == number => {
                if last.cells.last().is_some_and(|(lc, _)| *lc >= col) {
                    self.in_order = false;
                }
                last.cells.push((col, cell));
            }
            last => {
                if last.is_some_and(|l| l.number > number) {
                    self.in_order = false;
                }
                if self.stream && self.rows.len() > BATCH {
                    // Everything but the row still being filled is complete.
                    let open = self.rows.pop();
                    told = sink(Event::Rows(std::mem::take(&mut self.rows)));
                    self.rows.extend(open);
                }
                self.rows.push(RawRow {
                    number,
                    cells: vec![(col, cell)],
                });
            }
        }
        if self.stream && !self.in_order {
            return Err(ReadError::OutOfOrder);
        }
        Ok(told)
    }

    /// Excel and LibreOffice write cells in row order, but the format does not promise it:
    /// out-of-order files are sorted and merged here, duplicated cells keep the first.
    fn finish(mut self, sink: &mut dyn FnMut(Event) -> ControlFlow<()>) -> ControlFlow<()> {
        if self.in_order {
            return sink(Event::Rows(self.rows));
        }
        let mut cells: Vec<(u32, u32, Cell)> = self
            .rows
            .drain(..)
            .flat_map(|r| r.cells.into_iter().map(move |(c, v)| (r.number, c, v)))
            .collect();
        cells.sort_by_key(|(r, c, _)| (*r, *c));
        let mut rows: Vec<RawRow> = Vec::new();
        for (number, c, cell) in cells {
            match rows.last_mut() {
                Some(last) if last.number == number => {
                    if last.cells.last().is_none_or(|(lc, _)| *lc != c) {
                        last.cells.push((c, cell));
                    }
                }
                _ => rows.push(RawRow {
                    number,
                    cells: vec![(c, cell)],
                }),
            }
        }
        sink(Event::Rows(rows))
    }
}

/// A dense calamine range into sparse rows, sent in batches so that the range is not held
/// twice (as cells and as rows) and a sink that has read enough stops the copying.
/// `Range::start()` is where the data begins (not necessarily A1), so positions are absolute.
fn range_rows(
    range: &calamine::Range<Data>,
    sink: &mut dyn FnMut(Event) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let Some((row0, col0)) = range.start() else {
        return sink(Event::Rows(Vec::new()));
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
            if rows.len() >= BATCH {
                sink(Event::Rows(std::mem::take(&mut rows)))?;
            }
        }
    }
    sink(Event::Rows(rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_out_of_order_are_sorted_and_duplicates_keep_the_first() {
        let mut b = RowBuilder::new(false);
        let mut ignore = |_: Event| ControlFlow::Continue(());
        for (pos, v) in [((2, 1), 21), ((0, 3), 3), ((0, 0), 0), ((0, 0), 99)] {
            assert!(
                b.push(pos, &DataRef::Int(v), &mut ignore)
                    .unwrap()
                    .is_continue()
            );
        }
        assert!(
            b.push((2, 0), &DataRef::Empty, &mut ignore)
                .unwrap()
                .is_continue()
        );
        let mut rows = Vec::new();
        let _ = b.finish(&mut |e| {
            if let Event::Rows(r) = e {
                rows.extend(r);
            }
            ControlFlow::Continue(())
        });
        let flat: Vec<(u32, Vec<u32>)> = rows
            .iter()
            .map(|r| (r.number, r.cells.iter().map(|(c, _)| *c).collect()))
            .collect();
        assert_eq!(flat, vec![(1, vec![0, 3]), (3, vec![1])]);
        assert_eq!(rows[0].cells[0].1, Cell::Number(0.0));
        // Streaming cannot reorder: it says so, and the caller reads again buffered.
        let mut b = RowBuilder::new(true);
        assert!(
            b.push((2, 1), &DataRef::Int(21), &mut ignore)
                .unwrap()
                .is_continue()
        );
        assert_eq!(
            b.push((0, 3), &DataRef::Int(3), &mut ignore),
            Err(ReadError::OutOfOrder)
        );
    }

    #[test]
    fn a_sink_that_has_read_enough_stops_the_streaming_at_its_batch() {
        let mut b = RowBuilder::new(true);
        let mut batches = 0;
        let mut enough = |e: Event| {
            if matches!(e, Event::Rows(_)) {
                batches += 1;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        };
        let mut told = ControlFlow::Continue(());
        let mut row = 0;
        while told.is_continue() && row < 3 * BATCH as u32 {
            told = b.push((row, 0), &DataRef::Int(1), &mut enough).unwrap();
            row += 1;
        }
        // The first batch went out with the row after it: there the reading stops.
        assert!(told.is_break());
        assert_eq!((batches, row), (1, BATCH as u32 + 2));
    }

    #[test]
    fn date_cells_keep_their_day_in_either_date_system() {
        use calamine::ExcelDateTimeType::{DateTime, TimeDelta};
        let day = |c: Cell| match c {
            Cell::Date { day, shown } => (day.map(|d| d.to_string()), shown),
            other => panic!("{other:?}"),
        };
        // 46203 is 30/06/2026 counted from 1900, and 01/07/2030 counted from 1904 (1,462 days on).
        let in_1900 = ExcelDateTime::new(46203.0, DateTime, false);
        let in_1904 = ExcelDateTime::new(46203.0, DateTime, true);
        assert_eq!(
            day(excel_date(&in_1900)),
            (Some("2026-06-30".into()), "2026-06-30".into())
        );
        assert_eq!(day(excel_date(&in_1904)).0.as_deref(), Some("2030-07-01"));
        // A date-time keeps its day, evening included.
        let evening = ExcelDateTime::new(46203.9375, DateTime, false);
        assert_eq!(
            day(excel_date(&evening)),
            (Some("2026-06-30".into()), "2026-06-30 22:30:00".into())
        );
        // A time of day or a duration has no day.
        assert_eq!(
            day(excel_date(&ExcelDateTime::new(0.5, DateTime, false))).0,
            None
        );
        assert_eq!(
            day(excel_date(&ExcelDateTime::new(3.5, TimeDelta, false))).0,
            None
        );
        assert_eq!(
            day(iso_date("2026-06-30T14:30:00")),
            (Some("2026-06-30".into()), "2026-06-30 14:30:00".into())
        );
        assert_eq!(day(iso_date("PT14H")).0, None);
    }
}
