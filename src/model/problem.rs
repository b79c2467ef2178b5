//! Problems found in the inputs (and later by the plan): data, never panics. Each carries where
//! (`file:sheet:row:column` as Excel shows it), the offending value (NRNs masked), a plain
//! sentence and a hint saying how to fix it.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use super::text::column_letters;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        })
    }
}

/// Where in the inputs. Rows are 1-based as the spreadsheet shows them, columns 0-based here and
/// shown as letters. `file_index`/`sheet_index` keep the order the files and sheets were read in.
/// Names are shared (`Arc`): every row of a 50,000-row sheet carries its location.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    pub file: Arc<str>,
    pub sheet: Option<Arc<str>>,
    pub row: Option<u32>,
    pub column: Option<u32>,
    pub file_index: u32,
    pub sheet_index: u32,
}

impl Location {
    pub fn file(file: impl Into<Arc<str>>, file_index: u32) -> Location {
        Location {
            file: file.into(),
            sheet: None,
            row: None,
            column: None,
            file_index,
            sheet_index: 0,
        }
    }

    pub fn with_row(&self, row: u32) -> Location {
        Location {
            row: Some(row),
            column: None,
            ..self.clone()
        }
    }

    pub fn with_column(&self, column: u32) -> Location {
        Location {
            column: Some(column),
            ..self.clone()
        }
    }

    /// The row alone (`file:sheet:row`), as plan actions cite their sources.
    pub fn row_only(&self) -> Location {
        Location {
            column: None,
            ..self.clone()
        }
    }

    fn sort_key(&self) -> (u32, u32, u32, u32) {
        (
            self.file_index,
            self.sheet_index,
            self.row.unwrap_or(0),
            self.column.map_or(0, |c| c + 1),
        )
    }
}

impl Ord for Location {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key()
            .cmp(&other.sort_key())
            .then_with(|| self.file.cmp(&other.file))
            .then_with(|| self.sheet.cmp(&other.sheet))
    }
}
impl PartialOrd for Location {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, ":{sheet}")?;
        }
        if let Some(row) = self.row {
            write!(f, ":{row}")?;
            if let Some(col) = self.column {
                write!(f, ":{}", column_letters(col))?;
            }
        }
        Ok(())
    }
}

impl serde::Serialize for Location {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub location: Location,
    /// The offending cell's value as shown to people (an NRN is masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    pub message: String,
    /// Most hints are fixed sentences: borrowed, not copied into every problem.
    pub hint: std::borrow::Cow<'static, str>,
}

impl Problem {
    pub fn new(
        severity: Severity,
        location: Location,
        message: impl Into<String>,
        hint: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Problem {
        Problem {
            severity,
            location,
            value: None,
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn error(
        location: Location,
        message: impl Into<String>,
        hint: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Self {
        Self::new(Severity::Error, location, message, hint)
    }

    pub fn warning(
        location: Location,
        message: impl Into<String>,
        hint: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Self {
        Self::new(Severity::Warning, location, message, hint)
    }

    pub fn note(
        location: Location,
        message: impl Into<String>,
        hint: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Self {
        Self::new(Severity::Note, location, message, hint)
    }

    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }
}

/// Problems in input order (file, sheet, row, column), errors before warnings at one place.
pub fn sort_problems(problems: &mut [Problem]) {
    problems.sort_by(|a, b| {
        a.location
            .cmp(&b.location)
            .then_with(|| a.severity.cmp(&b.severity))
            .then_with(|| a.message.cmp(&b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_render_as_excel_shows_them() {
        let f = Location::file("staff.xlsx", 0);
        let s = Location {
            sheet: Some(Arc::from("Personnel")),
            ..f.clone()
        };
        assert_eq!(
            s.with_row(4).with_column(2).to_string(),
            "staff.xlsx:Personnel:4:C"
        );
        assert_eq!(s.with_row(4).to_string(), "staff.xlsx:Personnel:4");
        assert_eq!(
            f.with_row(12).with_column(27).to_string(),
            "staff.xlsx:12:AB"
        );
        assert_eq!(f.to_string(), "staff.xlsx");
    }

    #[test]
    fn problems_sort_by_row_then_column() {
        let base = Location::file("a.csv", 0);
        let mut v = vec![
            Problem::warning(base.with_row(10).with_column(0), "w", ""),
            Problem::error(base.with_row(2).with_column(3), "e2", ""),
            Problem::error(base.with_row(2).with_column(1), "e1", ""),
            Problem::note(base.clone(), "n", ""),
        ];
        sort_problems(&mut v);
        let order: Vec<_> = v.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(order, ["n", "e1", "e2", "w"]);
    }
}
