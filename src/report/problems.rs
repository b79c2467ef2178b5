//! `check --report FILE.xlsx|.csv`: the problems as a spreadsheet a person works through — file,
//! sheet, row, column (as the spreadsheet shows them), severity, value (NRN masked), code,
//! message, hint — in input order, in the run's language (the code stays as it is).

use crate::model::Problem;
use crate::t;

use super::messages::{hint, message};
use crate::model::text::column_letters;

use super::table::Table;

pub fn table(problems: &[Problem]) -> Table {
    let headers = [
        t!("problems-col-file"),
        t!("problems-col-sheet"),
        t!("problems-col-row"),
        t!("problems-col-column"),
        t!("problems-col-severity"),
        t!("problems-col-value"),
        t!("problems-col-code"),
        t!("problems-col-message"),
        t!("problems-col-hint"),
    ];
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let rows = problems
        .iter()
        .map(|p| {
            let l = &p.location;
            vec![
                l.file.to_string(),
                l.sheet.as_deref().unwrap_or("").to_owned(),
                l.row.map(|r| r.to_string()).unwrap_or_default(),
                l.column.map(column_letters).unwrap_or_default(),
                super::check::severity_word(p.severity),
                // Values are masked when the problem is made (an NRN shows its last 4 digits).
                p.value.clone().unwrap_or_default(),
                p.code().to_owned(),
                message(p),
                hint(p).into_owned(),
            ]
        })
        .collect();
    Table::new(&t!("problems-sheet"), &headers, rows)
}
