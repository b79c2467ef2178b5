//! Renderers: one per output, over serialisable models. No data logic here. The outputs of a
//! run for machines and people beyond the terminal sit here too: the metrics file and the
//! notify command, which the CLI calls after the run (design.md), never apply.

pub mod apply;
pub mod campaign;
pub mod check;
pub mod drift;
pub mod history;
pub mod html;
pub mod i18n;
pub mod messages;
pub mod metrics;
pub mod notify;
pub mod outcomes;
pub mod plan;
pub mod problems;
pub mod revert;
pub mod table;
pub mod workbook;

/// Text safe in a Markdown table cell: `|` escaped, line breaks flattened.
pub(crate) fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// `&`, `<`, `>`, `"` and `'` as entities: safe in text and in quoted attributes.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
