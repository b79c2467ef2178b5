//! One data row → what it asks for and for which days (its period), or the located problems
//! that make it invalid. An invalid row is skipped whole: none of its cells is used.

use std::borrow::Cow;

use crate::model::text::{Mark, clean, mark};
use crate::model::{
    Access, CalendarDate, Columns, DateError, Dossier, Email, IdentityKey, Location, Nrn,
    NrnRepair, Period, Problem, ProblemKind, StructureRef, mask_raw, parse_day, redact,
    shown_date_value,
};

use super::columns::{ColumnMap, Field};
use super::sheet::{Cell, RawRow, number_text};

/// A valid row.
#[derive(Debug, Clone)]
pub struct RowRecord {
    /// `file:sheet:row`
    pub source: Location,
    pub nrn: Option<Nrn>,
    pub email: Option<Email>,
    /// Where the identity cells are, to locate merge conflicts.
    pub identity_column: Option<u32>,
    pub last_name: Option<String>,
    pub first_name: Option<String>,
    pub consent: Option<bool>,
    pub access: Access,
    /// The days the row holds (`Period::OPEN` without dates).
    pub period: Period,
    pub columns: Columns,
}

#[derive(Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "Valid is the common case and moves straight into a Vec; a Box would cost an allocation per row"
)]
pub enum RowOutcome {
    /// No known cell holds anything: ignored.
    Blank,
    Valid(RowRecord),
    /// Skipped; the identities it names (where they could be read) and its full name are kept
    /// so that person is never pruned, nor taken for a leaver.
    Invalid(Vec<IdentityKey>, Option<String>),
}

struct RowParser<'a> {
    row: &'a RawRow,
    base: Location,
    problems: &'a mut Vec<Problem>,
    errors: usize,
    /// An invalid e-mail's near reading (`near_email`): it still names its person, so that
    /// a typo never turns them into a leaver.
    near_email: Option<String>,
}

impl<'a> RowParser<'a> {
    fn at(&self, col: u32) -> Location {
        self.base.with_column(col)
    }

    /// `value` and the kind's arguments must already be redacted (see `model::redact`).
    fn error(&mut self, col: u32, value: String, kind: ProblemKind) {
        self.errors += 1;
        let p = Problem::error(self.at(col), kind).with_value(value);
        self.problems.push(p);
    }

    fn warning(&mut self, col: u32, value: String, kind: ProblemKind) {
        let p = Problem::warning(self.at(col), kind).with_value(value);
        self.problems.push(p);
    }

    /// A text-like cell (borrowed from the row where it is text), or an error for the wrong
    /// kind of cell.
    fn text(&mut self, col: u32, field: Field) -> Option<Cow<'a, str>> {
        let row: &'a RawRow = self.row;
        match row.get(col)? {
            Cell::Text(s) if s.chars().any(is_control) => {
                let value = redact(&shown_with_controls(s));
                self.error(
                    col,
                    value.clone(),
                    ProblemKind::ValueControlCharacter { value },
                );
                None
            }
            Cell::Text(s) => Some(Cow::Borrowed(s.as_str())),
            Cell::Number(n) => Some(Cow::Owned(number_text(*n))),
            Cell::Bool(b) => Some(Cow::Borrowed(if *b { "TRUE" } else { "FALSE" })),
            Cell::Date { shown, .. } => Some(Cow::Borrowed(shown.as_str())),
            Cell::Error(e) => {
                let e = e.clone();
                self.error(col, e.clone(), ProblemKind::CellError { field, error: e });
                None
            }
        }
    }

    /// An e-mail cell: the address, or an error (blank: nothing).
    fn email(&mut self, col: u32) -> Option<Email> {
        let t = self
            .text(col, Field::Email)
            .filter(|t| !t.trim().is_empty())?;
        match Email::parse(&t) {
            Ok(e) => Some(e),
            Err(reason) => {
                self.near_email = near_email(&t);
                let email = redact(t.trim());
                self.error(
                    col,
                    email.clone(),
                    ProblemKind::EmailInvalid { email, reason },
                );
                None
            }
        }
    }

    /// A name cell, cleaned (blank: nothing).
    fn name(&mut self, col: u32, field: Field) -> Option<String> {
        self.text(col, field)
            .map(|t| clean(&t))
            .filter(|t| !t.is_empty())
    }

    /// A consent or wide-form dossier cell: yes, no, or (blank or an error) nothing.
    fn mark(&mut self, col: u32, field: Field) -> Option<bool> {
        let t = self.text(col, field)?;
        match mark(&t) {
            Mark::Yes => Some(true),
            Mark::No => Some(false),
            Mark::Unknown => {
                let value = redact(t.trim());
                let kind = match field {
                    Field::Dossier(dossier) => ProblemKind::MarkInvalid {
                        value: value.clone(),
                        dossier,
                    },
                    _ => ProblemKind::ConsentInvalid {
                        value: value.clone(),
                    },
                };
                self.error(col, value, kind);
                None
            }
        }
    }

    /// A `from` or `until` cell: a date cell's day, or day-first text (blank: open).
    fn date(&mut self, col: u32, field: Field) -> Option<CalendarDate> {
        let row: &'a RawRow = self.row;
        let reason = match row.get(col)? {
            Cell::Date { day: Some(d), .. } => return Some(*d),
            Cell::Date { day: None, .. } => DateError::NoDay,
            Cell::Number(_) => DateError::Number,
            Cell::Text(t) if t.trim().is_empty() => return None,
            Cell::Text(t) if !t.chars().any(is_control) => match parse_day(t) {
                Ok(d) => return Some(d),
                Err(e) => e,
            },
            Cell::Bool(_) => DateError::Shape,
            // A control character or a formula error: said by `text`.
            Cell::Text(_) | Cell::Error(_) => {
                self.text(col, field);
                return None;
            }
        };
        let value = shown_date_value(row.get(col).map(Cell::display).unwrap_or_default().trim());
        self.error(
            col,
            value.clone(),
            ProblemKind::DateInvalid {
                field,
                value,
                reason,
            },
        );
        None
    }

    /// `until` before `from`: an error at the `until` cell.
    fn period_order(&mut self, period: &Period, columns: &Columns) {
        if let (Some(from), Some(until), Some(col)) = (period.from, period.until, columns.until)
            && until < from
        {
            let (from, until) = (from.day_first(), until.day_first());
            let value = self.row.get(col).map(Cell::display).unwrap_or_default();
            self.error(col, value, ProblemKind::DateOrder { from, until });
        }
    }

    /// A list of dossiers (codes or labels): each one recognised, or an error with the closest.
    fn dossiers(&mut self, col: u32, into: &mut crate::model::DossierSet) {
        let Some(t) = self.text(col, Field::Dossiers) else {
            return;
        };
        for item in split_list(&t) {
            match Dossier::recognise(item) {
                Some(d) => {
                    into.insert(d);
                }
                None => {
                    let closest = Dossier::closest(item).first().map(|c| c.to_string());
                    let value = redact(item);
                    self.error(
                        col,
                        value.clone(),
                        ProblemKind::DossierUnknown { value, closest },
                    );
                }
            }
        }
    }
}

/// The value as a person can see it: each control character as its Unicode picture (␀ for a
/// NUL), at most 60 characters.
fn shown_with_controls(s: &str) -> String {
    let mut shown: String = s
        .chars()
        .map(|c| match u32::from(c) {
            n @ 0..=0x1F if is_control(c) => char::from_u32(0x2400 + n).unwrap_or('\u{FFFD}'),
            0x7F => '\u{2421}',
            _ if is_control(c) => '\u{FFFD}',
            _ => c,
        })
        .take(60)
        .collect();
    if s.chars().count() > 60 {
        shown.push('…');
    }
    shown
}

/// A character no one types in a cell: a NUL or another control character (tabs and line
/// breaks are text: Excel keeps them in cells).
fn is_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

pub fn parse_row(
    row: &RawRow,
    map: &ColumnMap,
    sheet: &Location,
    today: CalendarDate,
    problems: &mut Vec<Problem>,
) -> RowOutcome {
    let known_filled = map
        .known
        .iter()
        .any(|(c, _)| row.get(*c).is_some_and(|cell| !cell.is_blank()));
    if !known_filled {
        return RowOutcome::Blank;
    }
    let mut p = RowParser {
        row,
        base: sheet.with_row(row.number),
        problems,
        errors: 0,
        near_email: None,
    };
    let mut record = RowRecord {
        source: sheet.with_row(row.number),
        nrn: None,
        email: None,
        identity_column: map.column_of(Field::Email).or(map.column_of(Field::Nrn)),
        last_name: None,
        first_name: None,
        consent: None,
        access: Access::default(),
        period: Period::OPEN,
        columns: columns_of(map),
    };
    for &(col, field) in &map.known {
        match field {
            Field::Nrn => record.nrn = parse_nrn(&mut p, col, today),
            Field::Email => record.email = p.email(col).or(record.email.take()),
            Field::LastName => record.last_name = p.name(col, field),
            Field::FirstName => record.first_name = p.name(col, field),
            Field::Consent => match p.mark(col, field) {
                Some(true) => record.consent = Some(true),
                Some(false) => record.consent = record.consent.or(Some(false)),
                None => {}
            },
            Field::Dossier(d) => {
                if p.mark(col, field) == Some(true) {
                    record.access.dossiers.insert(d);
                }
            }
            Field::Dossiers => p.dossiers(col, &mut record.access.dossiers),
            Field::Structures => {
                if let Some(t) = p.text(col, field) {
                    for item in split_list(&t) {
                        if let Some(s) = StructureRef::parse(item) {
                            record.access.structures.insert(s);
                        }
                    }
                }
            }
            Field::From => record.period.from = p.date(col, field),
            Field::Until => record.period.until = p.date(col, field),
        }
    }
    p.period_order(&record.period, &record.columns);
    if record.nrn.is_none() && record.email.is_none() && p.errors == 0 {
        let col = record.identity_column.unwrap_or_else(|| map.known[0].0);
        p.error(col, String::new(), ProblemKind::NoPerson);
    }
    if p.errors > 0 {
        let mut keys = Vec::new();
        keys.extend(record.nrn.map(IdentityKey::Nrn));
        keys.extend(record.email.map(|e| IdentityKey::Email(e.key().to_owned())));
        keys.extend(p.near_email.take().map(IdentityKey::Email));
        let name = crate::model::name_key(
            record.last_name.as_deref().unwrap_or(""),
            record.first_name.as_deref().unwrap_or(""),
        );
        return RowOutcome::Invalid(keys, name);
    }
    RowOutcome::Valid(record)
}

/// Where the sheet has each field, kept with the row to locate later problems at their cell.
fn columns_of(map: &ColumnMap) -> Columns {
    Columns {
        last_name: map.column_of(Field::LastName),
        first_name: map.column_of(Field::FirstName),
        email: map.column_of(Field::Email),
        nrn: map.column_of(Field::Nrn),
        consent: map.column_of(Field::Consent),
        structures: map.column_of(Field::Structures),
        from: map.column_of(Field::From),
        until: map.column_of(Field::Until),
    }
}

/// The address an invalid e-mail cell most likely means, as a lower-case key — spaces and
/// invisible characters anywhere dropped, `mailto:`, angle brackets, quotes and trailing dots
/// or commas around it removed — if that is a valid address. Used only to protect (an invalid
/// row names its person for the leavers rule), never to act.
fn near_email(t: &str) -> Option<String> {
    let kept: String = t
        .chars()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
        })
        .collect();
    let lower = kept.to_lowercase();
    let bare = lower.strip_prefix("mailto:").unwrap_or(&lower);
    let bare = bare.trim_matches(|c: char| matches!(c, '<' | '>' | '"' | '\'' | '.' | ',' | ';'));
    Email::parse(bare).ok().map(|e| e.key().to_owned())
}

/// List cells split on `;` `,` `|` and line breaks.
pub fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split([';', ',', '|', '\n', '\r'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
}

fn parse_nrn(p: &mut RowParser<'_>, col: u32, today: CalendarDate) -> Option<Nrn> {
    match p.row.get(col)? {
        Cell::Number(n) => match Nrn::from_number(*n, today) {
            Ok(nrn) => Some(nrn),
            Err(e) => {
                let shown = mask_raw(&number_text(*n));
                p.error(
                    col,
                    shown.clone(),
                    ProblemKind::NrnInvalid { shown, reason: e },
                );
                None
            }
        },
        Cell::Text(t) if t.trim().is_empty() => None,
        Cell::Text(t) => {
            let shown = mask_raw(t.trim());
            if t.contains("E+") || t.contains("e+") {
                p.error(col, shown.clone(), ProblemKind::NrnScientific { shown });
                return None;
            }
            match Nrn::parse_text(t, today) {
                Ok((nrn, None)) => Some(nrn),
                Ok((nrn, Some(NrnRepair::PaddedText { digits }))) => {
                    p.warning(
                        col,
                        shown,
                        ProblemKind::NrnPadded {
                            digits,
                            read_as: nrn.to_string(),
                        },
                    );
                    Some(nrn)
                }
                Err(e) => {
                    p.error(
                        col,
                        shown.clone(),
                        ProblemKind::NrnInvalid { shown, reason: e },
                    );
                    None
                }
            }
        }
        Cell::Date { shown, .. } => {
            let d = redact(shown);
            p.error(col, d.clone(), ProblemKind::NrnDate { value: d });
            None
        }
        Cell::Bool(_) | Cell::Error(_) => {
            let v = p
                .row
                .get(col)
                .map(|c| redact(&c.display()))
                .unwrap_or_default();
            p.error(col, v.clone(), ProblemKind::NrnNotNumber { value: v });
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::columns::{HeaderAliases, find_header};
    use crate::model::Severity;

    const TODAY: CalendarDate = crate::model::TEST_TODAY;

    fn parse(header: &[&str], cells: Vec<(u32, Cell)>) -> (RowOutcome, Vec<Problem>) {
        let head = RawRow {
            number: 1,
            cells: header
                .iter()
                .enumerate()
                .map(|(i, h)| (i as u32, Cell::Text((*h).to_owned())))
                .collect(),
        };
        let (_, map) = find_header([&head], &HeaderAliases::default()).unwrap();
        let row = RawRow { number: 2, cells };
        let mut problems = Vec::new();
        let out = parse_row(
            &row,
            &map,
            &Location::file("f.xlsx", 0),
            TODAY,
            &mut problems,
        );
        (out, problems)
    }

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    #[test]
    fn numeric_nrn_cell_with_dropped_zero_and_list_cells() {
        let n = format!(
            "030512101{:02}",
            crate::model::check_digits(30_512_101, true)
        );
        let (out, problems) = parse(
            &["Email", "NRN", "Dossiers", "Structures"],
            vec![
                (0, t("a@x.be")),
                (1, Cell::Number(n.parse().unwrap())),
                (2, t("Bilans | pré-demande\nMon équipe")),
                (3, t("MA-00101; ma-00102")),
            ],
        );
        assert!(problems.is_empty(), "{problems:?}");
        let RowOutcome::Valid(r) = out else {
            panic!("{out:?}")
        };
        assert_eq!(r.nrn.unwrap().expose(), n);
        assert_eq!(r.access.dossiers.len(), 3);
        assert_eq!(r.access.structures.len(), 2);
    }

    #[test]
    fn wide_form_marks() {
        let (out, problems) = parse(
            &["Email", "Pré-demandes", "Bilans", "Mon équipe"],
            vec![
                (0, t("a@x.be")),
                (1, t("✓")),
                (2, t("non")),
                (3, Cell::Number(1.0)),
            ],
        );
        assert!(problems.is_empty());
        let RowOutcome::Valid(r) = out else { panic!() };
        assert_eq!(
            r.access.dossiers.iter().collect::<Vec<_>>(),
            vec![Dossier::MonEquipe, Dossier::PreDemandes]
        );
    }

    #[test]
    fn every_bad_cell_is_reported_and_the_row_is_skipped_whole() {
        let (out, problems) = parse(
            &["Email", "NRN", "Consentement", "Dossiers"],
            vec![
                (0, t("a@x.be")),
                (1, t("85.07.30-033.29")),
                (2, t("bof")),
                (3, t("Bilans, Cigognes")),
            ],
        );
        let RowOutcome::Invalid(keys, _) = out else {
            panic!()
        };
        assert_eq!(keys, vec![IdentityKey::Email("a@x.be".into())]);
        let at: Vec<String> = problems.iter().map(|p| p.location.to_string()).collect();
        assert_eq!(at, ["f.xlsx:2:B", "f.xlsx:2:C", "f.xlsx:2:D"]);
        assert!(problems.iter().all(|p| p.severity == Severity::Error));
        assert_eq!(problems[0].value.as_deref(), Some("**.**.**-*33.29"));
        assert!(
            crate::report::messages::hint(&problems[2]).contains("Appel à projets Cigogne +5200"),
            "{:?}",
            problems[2]
        );
    }

    #[test]
    fn an_invalid_email_still_names_the_address_it_most_likely_means() {
        for (typed, means) in [
            (
                "sophie.martin9 @lespetitspas.be",
                Some("sophie.martin9@lespetitspas.be"),
            ),
            (
                "Sophie.Martin9@LesPetitsPas.be.",
                Some("sophie.martin9@lespetitspas.be"),
            ),
            (
                "sophie\u{200B}.martin9@lespetitspas.be",
                Some("sophie.martin9@lespetitspas.be"),
            ),
            ("<mailto:a@b.be>", Some("a@b.be")),
            ("not an address", None),
            ("a@@b.be", None),
        ] {
            assert_eq!(near_email(typed).as_deref(), means, "{typed:?}");
        }
    }

    #[test]
    fn a_row_without_nrn_or_email_names_nobody() {
        let (out, problems) = parse(
            &["Nom", "Email", "Dossiers"],
            vec![(0, t("Dupont")), (2, t("Bilans"))],
        );
        assert!(matches!(out, RowOutcome::Invalid(..)));
        assert_eq!(problems[0].location.to_string(), "f.xlsx:2:B");
    }

    #[test]
    fn a_row_whose_known_cells_are_empty_is_ignored() {
        let (out, problems) = parse(&["Nom", "Email"], vec![(0, t("  ")), (5, t("note"))]);
        assert!(matches!(out, RowOutcome::Blank));
        assert!(problems.is_empty());
    }

    #[test]
    fn nrn_in_scientific_notation_is_explained() {
        let (_, problems) = parse(
            &["Email", "NRN"],
            vec![(0, t("a@x.be")), (1, t("8,50730E+10"))],
        );
        assert!(crate::report::messages::message(&problems[0]).contains("scientific notation"));
    }
}

#[cfg(test)]
mod dates {
    use super::*;
    use crate::input::columns::{HeaderAliases, find_header};

    fn parse(cells: Vec<(u32, Cell)>) -> (RowOutcome, Vec<Problem>) {
        let head = RawRow {
            number: 1,
            cells: ["Email", "Bilans", "Du", "Au"]
                .iter()
                .enumerate()
                .map(|(i, h)| (i as u32, Cell::Text((*h).to_owned())))
                .collect(),
        };
        let (_, map) = find_header([&head], &HeaderAliases::default()).unwrap();
        let mut cells = cells;
        cells.insert(0, (0, Cell::Text("a@x.be".into())));
        let row = RawRow { number: 7, cells };
        let mut problems = Vec::new();
        let at = Location::file("f.xlsx", 0);
        let out = parse_row(&row, &map, &at, crate::model::TEST_TODAY, &mut problems);
        (out, problems)
    }

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    fn day(s: &str) -> CalendarDate {
        CalendarDate::parse(s).unwrap()
    }

    #[test]
    fn a_row_keeps_its_period_from_text_or_date_cells_and_its_columns() {
        let (out, problems) = parse(vec![
            (2, t("01/04/2026")),
            (
                3,
                Cell::Date {
                    day: Some(day("2026-06-30")),
                    shown: "2026-06-30 17:00:00".into(),
                },
            ),
        ]);
        assert!(problems.is_empty(), "{problems:?}");
        let RowOutcome::Valid(r) = out else {
            panic!("{out:?}")
        };
        assert_eq!(r.period.from, Some(day("2026-04-01")));
        assert_eq!(r.period.until, Some(day("2026-06-30")));
        assert_eq!((r.columns.from, r.columns.until), (Some(2), Some(3)));
        // Empty cells: open on both sides, as a sheet without the columns.
        let (out, _) = parse(vec![(1, t("x")), (2, t("  "))]);
        let RowOutcome::Valid(r) = out else {
            panic!("{out:?}")
        };
        assert_eq!(r.period, Period::OPEN);
    }

    #[test]
    fn a_cell_that_is_not_a_day_is_date_invalid_at_that_cell_and_the_row_is_skipped() {
        for (from, until, at, reason) in [
            (t("31/04/2026"), None, "f.xlsx:7:C", DateError::NoSuchDay),
            (
                t("04/31/2026"),
                None,
                "f.xlsx:7:C",
                DateError::NoSuchMonth(31),
            ),
            (
                t("01/04/2026"),
                Some(t("30/06/27")),
                "f.xlsx:7:D",
                DateError::TwoDigitYear,
            ),
            (
                t("2026-13-01"),
                None,
                "f.xlsx:7:C",
                DateError::NoSuchMonth(13),
            ),
            (Cell::Number(46203.0), None, "f.xlsx:7:C", DateError::Number),
            (
                Cell::Date {
                    day: None,
                    shown: "14:30:00".into(),
                },
                None,
                "f.xlsx:7:C",
                DateError::NoDay,
            ),
        ] {
            let mut cells = vec![(2, from.clone())];
            cells.extend(until.map(|u| (3, u)));
            let (out, problems) = parse(cells);
            assert!(matches!(out, RowOutcome::Invalid(..)), "{from:?}");
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].code(), "date-invalid");
            assert_eq!(problems[0].location.to_string(), at);
            assert!(
                matches!(problems[0].kind, ProblemKind::DateInvalid { reason: r, .. } if r == reason),
                "{:?}",
                problems[0]
            );
            assert!(
                crate::report::messages::hint(&problems[0]).contains("« 30/06/2027 »"),
                "{:?}",
                problems[0]
            );
        }
    }

    #[test]
    fn until_before_from_is_date_order_at_the_until_cell() {
        let (out, problems) = parse(vec![(2, t("15/03/2026")), (3, t("01/03/2026"))]);
        assert!(matches!(out, RowOutcome::Invalid(..)));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].code(), "date-order");
        assert_eq!(problems[0].location.to_string(), "f.xlsx:7:D");
        assert_eq!(problems[0].value.as_deref(), Some("01/03/2026"));
        assert_eq!(
            crate::report::messages::message(&problems[0]),
            "the end date 01/03/2026 is before the start date 15/03/2026"
        );
        // One day long is a period.
        let (out, problems) = parse(vec![(2, t("15/03/2026")), (3, t("2026-03-15"))]);
        assert!(problems.is_empty() && matches!(out, RowOutcome::Valid(_)));
    }
}
