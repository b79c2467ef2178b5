//! The workbooks written for people to fill or edit, in the input format of inputs.md:
//! `export` (the portal's users and access, one row per person) and `template` (a blank sheet
//! with dropdowns: consent, an x per dossier, the organisation's structures, and the « Du » and
//! « Au » days of a row's period as Excel dates shown dd/mm/yyyy). Both carry a
//! reference sheet of the structures and, for the template, French instructions; those sheets
//! start with `REFERENCE_MARK`, so reading them back skips them without a note.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format, Formula,
    Workbook, Worksheet, XlsxError,
};

use crate::input::REFERENCE_MARK;
use crate::model::{Dossier, ObservedState, StructureInfo};

use super::table::{Table, write_sheet};
use crate::t;

/// The people sheet's name in the run's language.
pub fn people_sheet() -> String {
    t!("sheet-people")
}

/// The structures reference sheet's name in the run's language (reading skips it by its A1
/// marker, the same in every language).
pub fn structures_sheet() -> String {
    t!("sheet-structures")
}

/// One row per portal user: Nom, Prénom, Email, [NRN,] Dossiers (labels), Structures (ids),
/// Du, Au (empty: the portal does not know a row's period). Sorted by name. Dossiers outside the v1 catalogue cannot be written back: returned apart.
pub fn people_table(observed: &ObservedState, with_nrn: bool) -> (Table, Vec<String>) {
    let mut headers = vec![t!("col-last-name"), t!("col-first-name"), t!("col-email")];
    if with_nrn {
        headers.push(t!("col-nrn"));
    }
    headers.extend([
        t!("col-dossiers"),
        t!("col-structures"),
        t!("col-from"),
        t!("col-until"),
    ]);
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut users: Vec<_> = observed.users.iter().collect();
    users.sort_by(|a, b| {
        (
            a.last_name.to_lowercase(),
            a.first_name.to_lowercase(),
            &a.email_key,
        )
            .cmp(&(
                b.last_name.to_lowercase(),
                b.first_name.to_lowercase(),
                &b.email_key,
            ))
    });
    let mut unknown = Vec::new();
    let rows = users
        .iter()
        .map(|u| {
            for code in &u.other_dossiers {
                unknown.push(format!("{} ({}): {code}", u.email, u.id));
            }
            let mut row = vec![u.last_name.clone(), u.first_name.clone(), u.email.clone()];
            if with_nrn {
                row.push(
                    u.nrn
                        .as_ref()
                        .map(|n| n.expose().to_owned())
                        .unwrap_or_default(),
                );
            }
            row.push(
                u.dossiers
                    .iter()
                    .map(|d| d.label())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            row.push(
                u.structures
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            row.extend([String::new(), String::new()]);
            row
        })
        .collect();
    (Table::new(&people_sheet(), &headers, rows), unknown)
}

/// The organisation's structures, as a reference sheet reading skips.
pub fn structures_table(structures: &[StructureInfo]) -> Table {
    let mut list: Vec<&StructureInfo> = structures.iter().collect();
    list.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
    let mut t = Table::new(
        &structures_sheet(),
        &[
            &t!("col-structure-id"),
            &t!("col-structure-name"),
            &t!("col-postal-code"),
            &t!("col-city"),
        ],
        list.iter()
            .map(|s| {
                vec![
                    s.id.as_str().to_owned(),
                    s.name.clone(),
                    s.postal_code.clone(),
                    s.city.clone(),
                ]
            })
            .collect(),
    );
    t.preamble = vec![REFERENCE_MARK.to_owned(), t!("structures-note")];
    t
}

/// `export --out FILE.xlsx`.
pub fn export_xlsx(people: &Table, structures: &Table) -> Result<Vec<u8>, XlsxError> {
    super::table::xlsx_bytes(&[people, structures])
}

const TEMPLATE_ROWS: u32 = 1000;

/// The instructions sheet: the reference mark first (reading skips the sheet), then the title.
fn instructions() -> Vec<String> {
    let (sheet, reference) = (people_sheet(), structures_sheet());
    vec![
        REFERENCE_MARK.to_owned(),
        t!("instructions-title"),
        String::new(),
        t!("instructions-1", sheet = &sheet),
        t!("instructions-2"),
        t!("instructions-3"),
        t!("instructions-4"),
        t!("instructions-5", reference = &reference),
        t!("instructions-6"),
        t!("instructions-dates"),
        t!("instructions-7"),
        t!("instructions-8"),
        String::new(),
        t!("instructions-nrn"),
    ]
}

/// The « Du » and « Au » columns from `first`: Excel dates shown dd/mm/yyyy, with a date
/// validation; cells of `rows` (under the header, from row `top`) that hold a day as people
/// type it are written as the date cell Excel makes of it.
fn date_columns(
    ws: &mut Worksheet,
    first: u16,
    top: u32,
    rows: &[Vec<String>],
) -> Result<(), XlsxError> {
    let day = Format::new().set_num_format("dd/mm/yyyy");
    let rule = DataValidationRule::Between(
        ExcelDateTime::from_ymd(2000, 1, 1)?,
        ExcelDateTime::from_ymd(2099, 12, 31)?,
    );
    let dates = DataValidation::new()
        .allow_date(rule)
        .set_input_title(t!("date-title"))?
        .set_input_message(t!("date-input"))?
        .set_error_message(t!("date-error"))?;
    ws.add_data_validation(1, first, TEMPLATE_ROWS, first + 1, &dates)?;
    for c in [first, first + 1] {
        ws.set_column_format(c, &day)?;
        ws.set_column_width(c, 12)?;
        for (r, row) in rows.iter().enumerate() {
            let typed = row.get(usize::from(c)).map(String::as_str).unwrap_or("");
            if let Ok(d) = crate::model::parse_day(typed) {
                let cell = ExcelDateTime::from_ymd(
                    u16::try_from(d.year).unwrap_or(1900),
                    u8::try_from(d.month).unwrap_or(1),
                    u8::try_from(d.day).unwrap_or(1),
                )?;
                ws.write_datetime_with_format(top + r as u32, c, &cell, &day)?;
            }
        }
    }
    Ok(())
}

/// `template --out FILE.xlsx`: the people sheet with its dropdowns, the instructions and the
/// structures. `rows` are written under the header (empty for a blank template; tests and
/// examples fill it the way a person would).
pub fn template_xlsx(
    structures: &[StructureInfo],
    dossiers: &[Dossier],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, XlsxError> {
    let mut headers: Vec<String> = vec![
        t!("col-last-name"),
        t!("col-first-name"),
        t!("col-email"),
        t!("col-nrn"),
        t!("col-consent"),
    ];
    headers.extend(dossiers.iter().map(|d| d.label().to_owned()));
    headers.extend([t!("col-structures"), t!("col-from"), t!("col-until")]);
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let people = Table::new(&people_sheet(), &headers, rows.to_vec());
    let reference = structures_table(structures);
    let mut wb = Workbook::new();
    {
        let ws = wb.add_worksheet();
        write_sheet(ws, &people)?;
        let last = TEMPLATE_ROWS;
        let text = Format::new().set_num_format("@");
        // NRN as text: Excel must not turn it into a number and drop leading zeros.
        ws.set_column_format(3, &text)?;
        ws.set_column_width(3, 16)?;
        ws.set_column_width(4, 14)?;
        let consent = DataValidation::new()
            .allow_list_strings(&[t!("consent-yes"), t!("consent-no")])?
            .set_input_title(t!("consent-title"))?
            .set_input_message(t!("consent-input"))?
            .set_error_message(t!("consent-error"))?;
        ws.add_data_validation(1, 4, last, 4, &consent)?;
        let mark = DataValidation::new()
            .allow_list_strings(&["x"])?
            .set_input_message(t!("mark-input"))?
            .set_error_message(t!("mark-error"))?;
        let first_dossier = 5u16;
        let last_dossier = first_dossier + dossiers.len() as u16 - 1;
        if !dossiers.is_empty() {
            ws.add_data_validation(1, first_dossier, last, last_dossier, &mark)?;
        }
        for c in first_dossier..=last_dossier {
            ws.set_column_width(c, 14)?;
        }
        let structures_col = last_dossier + 1;
        ws.set_column_width(structures_col, 24)?;
        if !structures.is_empty() {
            let top = reference.header_row() + 2; // 1-based first data row
            let bottom = reference.header_row() + 1 + structures.len() as u32;
            let list = DataValidation::new()
                .allow_list_formula(Formula::new(format!(
                    "='{}'!$A${top}:$A${bottom}",
                    structures_sheet()
                )))
                .set_input_message(t!("structure-input"))?
                .set_error_message(t!("structure-error"))?
                // A list of several ids is allowed after a warning.
                .set_error_style(DataValidationErrorStyle::Warning);
            ws.add_data_validation(1, structures_col, last, structures_col, &list)?;
        }
        date_columns(ws, structures_col + 1, people.header_row() + 1, rows)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(t!("sheet-instructions"))?;
        let title = Format::new().set_bold().set_font_size(14);
        let note = Format::new().set_italic().set_font_color("#595959");
        let wrap = Format::new().set_text_wrap();
        ws.set_column_width(0, 110)?;
        for (r, line) in instructions().iter().enumerate() {
            let f = match r {
                0 => &note,
                1 => &title,
                _ => &wrap,
            };
            if !line.is_empty() {
                ws.write_string_with_format(r as u32, 0, line, f)?;
            }
        }
    }
    {
        let ws = wb.add_worksheet();
        write_sheet(ws, &reference)?;
    }
    wb.save_to_buffer()
}
