//! A table of text written as a spreadsheet people open: `.xlsx` (rust_xlsxwriter: bold frozen
//! header, autofilter, column widths) or Excel-in-Belgium `.csv` (`;`, UTF-8 with BOM). Shared by
//! `check --report`, `export` and the plan's CSV. A cell that Excel would run as a formula is
//! written as text.

use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet, XlsxError};

/// A sheet of text cells under one header row.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub sheet: String,
    /// Lines above the header (the header row then comes after them; xlsx only).
    pub preamble: Vec<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(sheet: &str, headers: &[&str], rows: Vec<Vec<String>>) -> Table {
        Table {
            sheet: sheet.to_owned(),
            preamble: Vec::new(),
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows,
        }
    }

    /// The 0-based row of the header in the xlsx sheet.
    pub fn header_row(&self) -> u32 {
        self.preamble.len() as u32
    }
}

/// `=…`, `+…`, `-…`, `@…` would be a formula in Excel, and a leading tab or carriage return
/// hides one from a quick look (cli.md): written as text with a leading apostrophe (CSV), so a
/// name like `=HYPERLINK(…)` from a spreadsheet or the portal cannot run.
pub fn safe_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// `;`-separated, UTF-8 with a BOM (so Excel in Belgium opens it as such).
pub fn csv_text(t: &Table) -> Result<String, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    w.write_record(t.headers.iter().map(|h| safe_cell(h)))?;
    for r in &t.rows {
        w.write_record(r.iter().map(|c| safe_cell(c)))?;
    }
    let body = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    let mut out = String::from("\u{feff}");
    out.push_str(&String::from_utf8_lossy(&body));
    Ok(out)
}

/// The header row bold on grey, frozen, with an autofilter; widths from the content (capped).
pub fn write_sheet(ws: &mut Worksheet, t: &Table) -> Result<(), XlsxError> {
    ws.set_name(&t.sheet)?;
    let header = Format::new()
        .set_bold()
        .set_background_color("#E7E6E6")
        .set_border_bottom(FormatBorder::Thin);
    let text = Format::new().set_num_format("@");
    let note = Format::new().set_italic().set_font_color("#595959");
    for (r, line) in t.preamble.iter().enumerate() {
        ws.write_string_with_format(r as u32, 0, line, &note)?;
    }
    let top = t.header_row();
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, h, &header)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                // Strings, always: an NRN or a postal code must keep its leading zeros.
                ws.write_string_with_format(top + r as u32 + 1, c as u16, v, &text)?;
            }
        }
    }
    for c in 0..t.headers.len() {
        let longest = std::iter::once(&t.headers[c])
            .chain(t.rows.iter().filter_map(|r| r.get(c)))
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(8);
        ws.set_column_width(c as u16, (longest as f64 + 2.0).clamp(8.0, 60.0))?;
    }
    ws.set_freeze_panes(top + 1, 0)?;
    if !t.rows.is_empty() && !t.headers.is_empty() {
        ws.autofilter(
            top,
            0,
            top + t.rows.len() as u32,
            t.headers.len() as u16 - 1,
        )?;
    }
    Ok(())
}

/// A workbook of these tables, as bytes.
pub fn xlsx_bytes(tables: &[&Table]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    for t in tables {
        let ws = wb.add_worksheet();
        write_sheet(ws, t)?;
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_excel_belgian_and_formula_safe() {
        let t = Table::new(
            "S",
            &["Nom", "Valeur"],
            vec![vec!["=1+1".into(), "a;b".into()]],
        );
        assert_eq!(csv_text(&t).unwrap(), "\u{feff}Nom;Valeur\n'=1+1;\"a;b\"\n");
        for start in ["=", "+", "-", "@", "\t", "\r"] {
            let v = format!("{start}cmd|' /C calc'!A0");
            assert_eq!(safe_cell(&v), format!("'{v}"), "{start:?}");
        }
        for plain in ["Dupont", " =x", "a=b", "'quoted", ""] {
            assert_eq!(safe_cell(plain), plain);
        }
    }
}
