//! `check --report FILE.xlsx|.csv`: the problems as a spreadsheet a person works through — file,
//! sheet, row, column (as the spreadsheet shows them), severity, value (NRN masked), code,
//! message, hint — in input order.

use crate::model::Problem;

use super::messages::{hint, message};
use crate::model::text::column_letters;

use super::table::Table;

pub fn table(problems: &[Problem]) -> Table {
    let headers = [
        "Fichier",
        "Feuille",
        "Ligne",
        "Colonne",
        "Gravité",
        "Valeur",
        "Code",
        "Problème",
        "Comment corriger",
    ];
    let rows = problems
        .iter()
        .map(|p| {
            let l = &p.location;
            vec![
                l.file.to_string(),
                l.sheet.as_deref().unwrap_or("").to_owned(),
                l.row.map(|r| r.to_string()).unwrap_or_default(),
                l.column.map(column_letters).unwrap_or_default(),
                p.severity.to_string(),
                // Values are masked when the problem is made (an NRN shows its last 4 digits).
                p.value.clone().unwrap_or_default(),
                p.code().to_owned(),
                message(p),
                hint(p).into_owned(),
            ]
        })
        .collect();
    Table::new("Problèmes", &headers, rows)
}
