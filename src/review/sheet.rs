//! A campaign's workbook for one structure, in its reviewer's language: the decision sheet (A1
//! the review marker, the campaign and the structure on the line above the header, one row per
//! person to decide with a Décision dropdown and a comment column, then those listed apart) and
//! an instructions sheet that reading skips (the reference-sheet marker of inputs.md).

use rust_xlsxwriter::{DataValidation, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use super::{Apart, Campaign, HEADER_ROW, Sheet};
use crate::input::{REFERENCE_MARK, REVIEW_MARK};
use crate::model::{Dossier, Lang};
use crate::msg;

/// The decision's two words in `lang`: keep, remove.
pub fn decision_words(lang: Lang) -> (String, String) {
    (
        msg!("review-keep").text_in(lang),
        msg!("review-remove").text_in(lang),
    )
}

/// The headers of the decision sheet in `lang`.
pub fn headers(lang: Lang) -> Vec<String> {
    [
        msg!("review-col-user"),
        msg!("review-col-last-name"),
        msg!("review-col-first-name"),
        msg!("review-col-email"),
        msg!("review-col-dossiers"),
        msg!("review-col-since"),
        msg!("review-col-decision"),
        msg!("review-col-comment"),
        msg!("review-col-note"),
    ]
    .iter()
    .map(|m| m.text_in(lang))
    .collect()
}

/// The line above the header: the campaign and the structure (id, name, city). `collect` finds
/// both ids in it, whatever the language, even in a `;` CSV of this sheet alone.
pub fn campaign_line(c: &Campaign, s: &Sheet, lang: Lang) -> String {
    msg!(
        "review-campaign-line",
        campaign = c.campaign.as_str(),
        structure = s.structure.as_str(),
        name = s.name.as_str(),
        city = s.city.as_str()
    )
    .text_in(lang)
}

/// A day of the history store (RFC 3339) as people read it, in Brussels: `before …` when it is
/// only the store's first observation.
fn shown_since(p: &super::Person, lang: Lang) -> String {
    let Some(day) = p
        .since
        .as_deref()
        .and_then(crate::history::parse_stamp)
        .map(|t| crate::model::CalendarDate::in_brussels(t).day_first())
    else {
        return String::new();
    };
    if p.held_before {
        msg!("review-since-before", day = day.as_str()).text_in(lang)
    } else {
        day
    }
}

fn person_cells(p: &super::Person, lang: Lang) -> Vec<String> {
    let note = match (p.apart, p.is_reviewer) {
        (Some(Apart::Caller), _) => msg!("review-note-caller").text_in(lang),
        (Some(Apart::Administrateur), _) => msg!("review-note-admin").text_in(lang),
        (None, true) => msg!("review-note-self").text_in(lang),
        (None, false) => String::new(),
    };
    let labels: Vec<&str> = p
        .dossiers
        .iter()
        .map(|c| Dossier::from_code(c).map_or(c.as_str(), |d| d.label()))
        .collect();
    vec![
        p.user_id.clone(),
        p.last_name.clone(),
        p.first_name.clone(),
        p.email.clone(),
        labels.join(", "),
        shown_since(p, lang),
        String::new(),
        String::new(),
        note,
    ]
}

/// Text cells, with formulas' first characters made harmless (a name from the portal).
fn write_row(ws: &mut Worksheet, row: u32, cells: &[String], f: &Format) -> Result<(), XlsxError> {
    for (c, v) in cells.iter().enumerate() {
        if !v.is_empty() {
            let safe = crate::report::table::safe_cell(v);
            ws.write_string_with_format(row, c as u16, &safe, f)?;
        }
    }
    Ok(())
}

fn decision_sheet(
    ws: &mut Worksheet,
    c: &Campaign,
    s: &Sheet,
    lang: Lang,
) -> Result<(), XlsxError> {
    ws.set_name(msg!("review-sheet-name").text_in(lang))?;
    let note = Format::new().set_italic().set_font_color("#595959");
    let bold = Format::new().set_bold();
    let header = Format::new()
        .set_bold()
        .set_background_color("#E7E6E6")
        .set_border_bottom(FormatBorder::Thin);
    let text = Format::new().set_num_format("@");
    let marked = Format::new()
        .set_num_format("@")
        .set_background_color("#FFF2CC");
    ws.write_string_with_format(0, 0, REVIEW_MARK, &note)?;
    ws.write_string_with_format(1, 0, campaign_line(c, s, lang), &bold)?;
    let top = HEADER_ROW - 1;
    write_row(ws, top, &headers(lang), &header)?;
    for p in s.to_decide() {
        let f = if p.is_reviewer { &marked } else { &text };
        write_row(ws, p.row - 1, &person_cells(p, lang), f)?;
    }
    let decide = s.to_decide().count() as u32;
    if decide > 0 {
        let (keep, remove) = decision_words(lang);
        let list = DataValidation::new()
            .allow_list_strings(&[keep, remove])?
            .set_input_message(msg!("review-decision-input").text_in(lang))?
            .set_error_message(msg!("review-decision-error").text_in(lang))?;
        ws.add_data_validation(top + 1, 6, top + decide, 6, &list)?;
    }
    let apart: Vec<_> = s.people.iter().filter(|p| p.apart.is_some()).collect();
    if let Some(first) = apart.first() {
        let title = msg!("review-apart-title").text_in(lang);
        ws.write_string_with_format(first.row - 2, 0, title, &bold)?;
        for p in &apart {
            write_row(ws, p.row - 1, &person_cells(p, lang), &note)?;
        }
    }
    for (col, width) in [
        (0, 14),
        (1, 18),
        (2, 16),
        (3, 32),
        (4, 26),
        (5, 12),
        (6, 12),
        (7, 36),
        (8, 40),
    ] {
        ws.set_column_width(col, width)?;
    }
    ws.set_freeze_panes(HEADER_ROW, 0)?;
    Ok(())
}

fn instructions(c: &Campaign, s: &Sheet, lang: Lang) -> Vec<String> {
    let (keep, remove) = decision_words(lang);
    let due = crate::model::CalendarDate::parse(&c.due).map_or(c.due.clone(), |d| d.day_first());
    vec![
        REFERENCE_MARK.to_owned(),
        msg!(
            "review-instructions-title",
            structure = s.structure.as_str(),
            name = s.name.as_str()
        )
        .text_in(lang),
        String::new(),
        msg!("review-instructions-1").text_in(lang),
        msg!(
            "review-instructions-2",
            keep = keep.as_str(),
            remove = remove.as_str()
        )
        .text_in(lang),
        msg!("review-instructions-3").text_in(lang),
        msg!("review-instructions-4").text_in(lang),
        msg!("review-instructions-5", due = due.as_str()).text_in(lang),
        msg!("review-instructions-6", campaign = c.campaign.as_str()).text_in(lang),
    ]
}

/// The workbook of `s` in campaign `c`.
pub fn workbook(c: &Campaign, s: &Sheet) -> Result<Vec<u8>, XlsxError> {
    let lang = Lang::parse(&s.lang).unwrap_or(Lang::Fr);
    let mut wb = Workbook::new();
    decision_sheet(wb.add_worksheet(), c, s, lang)?;
    let ws = wb.add_worksheet();
    ws.set_name(msg!("review-instructions-sheet").text_in(lang))?;
    let note = Format::new().set_italic().set_font_color("#595959");
    let title = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap();
    ws.set_column_width(0, 110)?;
    for (r, line) in instructions(c, s, lang).iter().enumerate() {
        let f = match r {
            0 => &note,
            1 => &title,
            _ => &wrap,
        };
        if !line.is_empty() {
            ws.write_string_with_format(r as u32, 0, line, f)?;
        }
    }
    wb.save_to_buffer()
}
