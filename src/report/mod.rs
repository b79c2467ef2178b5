//! Renderers: one per output, over serialisable models. No data logic here.

pub mod apply;
pub mod check;
pub mod html;
pub mod plan;
pub mod problems;
pub mod table;
pub mod workbook;
