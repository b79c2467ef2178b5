//! A review campaign's evidence (`review report CAMPAIGN --report FILE`) rendered from its
//! tables: Markdown, a self-contained HTML page, or a workbook (one sheet per table, the title
//! and its lines above the first). No data logic here: the tables are made in `review::evidence`.

use super::table::Table;
use super::{html_escape, md_escape};

/// The report as Markdown.
pub fn markdown(title: &str, lines: &[String], tables: &[&Table]) -> String {
    let mut out = format!("# {}\n\n", md_escape(title));
    for l in lines {
        out.push_str(&format!("{}\n\n", md_escape(l)));
    }
    for t in tables {
        out.push_str(&format!("## {}\n\n", md_escape(&t.sheet)));
        let cells = |row: &[String]| {
            row.iter()
                .map(|c| md_escape(c))
                .collect::<Vec<_>>()
                .join(" | ")
        };
        out.push_str(&format!("| {} |\n", cells(&t.headers)));
        out.push_str(&format!("|{}\n", " --- |".repeat(t.headers.len())));
        for r in &t.rows {
            out.push_str(&format!("| {} |\n", cells(r)));
        }
        out.push('\n');
    }
    out
}

/// The report as one HTML page, every text escaped.
pub fn html(title: &str, lines: &[String], tables: &[&Table]) -> String {
    let lang = crate::report::i18n::language().code();
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{0}</title>\
         <style>body{{font-family:sans-serif}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid #bbb;padding:2px 6px;text-align:left}}</style></head><body>\n<h1>{0}</h1>\n",
        html_escape(title)
    );
    for l in lines {
        out.push_str(&format!("<p>{}</p>\n", html_escape(l)));
    }
    for t in tables {
        out.push_str(&format!("<h2>{}</h2>\n<table><tr>", html_escape(&t.sheet)));
        for h in &t.headers {
            out.push_str(&format!("<th>{}</th>", html_escape(h)));
        }
        out.push_str("</tr>\n");
        for r in &t.rows {
            out.push_str("<tr>");
            for c in r {
                out.push_str(&format!("<td>{}</td>", html_escape(c)));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
    }
    out.push_str("</body></html>\n");
    out
}

/// The report as a workbook: the title and its lines above the first table.
pub fn xlsx(
    title: &str,
    lines: &[String],
    tables: &[&Table],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut owned: Vec<Table> = tables.iter().map(|t| (*t).clone()).collect();
    if let Some(first) = owned.first_mut() {
        first.preamble = std::iter::once(title.to_owned())
            .chain(lines.iter().cloned())
            .collect();
    }
    let refs: Vec<&Table> = owned.iter().collect();
    super::table::xlsx_bytes(&refs)
}
