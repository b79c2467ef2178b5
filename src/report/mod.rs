//! Renderers: one per output, over serialisable models. No data logic here.

pub mod apply;
pub mod check;
pub mod html;
pub mod messages;
pub mod plan;
pub mod problems;
pub mod table;
pub mod workbook;

/// Text safe in a Markdown table cell: `|` escaped, line breaks flattened.
pub(crate) fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
