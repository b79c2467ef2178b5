//! The one shape every source is read into: a sheet of sparse rows, each row the non-empty
//! cells it really has. Memory follows the cells present, never a sheet's claimed used range
//! (one stray cell at XFD1048576 costs one entry, not a dense 17-billion-cell grid).

use crate::model::{CalendarDate, Location, Problem};

/// A non-empty cell value, as the spreadsheet stored it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date, date-time, time or duration cell of a workbook: the calendar day it falls on
    /// (a date-time keeps its day; `None` for a time of day or a duration), and the value as
    /// shown to people (ISO 8601: `2026-06-30`, `2026-06-30 14:30:00`, `14:30:00`).
    Date {
        day: Option<CalendarDate>,
        shown: String,
    },
    /// A formula error such as `#N/A`.
    Error(String),
}

impl Cell {
    /// The cell as text, the way a person sees it (whole numbers without decimals).
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) | Cell::Date { shown: s, .. } | Cell::Error(s) => s.clone(),
            Cell::Number(n) => number_text(*n),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        }
    }

    pub fn is_blank(&self) -> bool {
        matches!(self, Cell::Text(s) if s.trim().is_empty())
    }
}

pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

/// One spreadsheet row: its number as the spreadsheet shows it (1-based) and its cells by
/// 0-based column, in column order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawRow {
    pub number: u32,
    pub cells: Vec<(u32, Cell)>,
}

impl RawRow {
    pub fn get(&self, column: u32) -> Option<&Cell> {
        self.cells
            .binary_search_by_key(&column, |(c, _)| *c)
            .ok()
            .map(|i| &self.cells[i].1)
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|(_, c)| c.is_blank())
    }
}

/// What a reader sends to the parser, in order: a sheet begins (its location prefixes its
/// problems), rows of that sheet in row order, or a problem about the file or a sheet.
#[derive(Debug)]
pub enum Event {
    Sheet(Location),
    Rows(Vec<RawRow>),
    Problem(Problem),
}
