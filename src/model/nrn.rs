//! The Belgian national register number (NRN, « numéro de registre national ») and its BIS
//! variant: parsing from what people type or Excel stores, validation, and masking.
//!
//! Validity is exactly python-stdnum's `stdnum.be.nn` or `stdnum.be.bis` (the reference for every
//! edge, see `tests/data/nrn_cases.tsv`). It depends on today's year (a number whose 2000s check
//! digits match is only accepted once that year has come), so the date is an argument, never read
//! here from the clock. An `Nrn` is personal data: `Display` and `Debug` show `*******3328`; the
//! whole number is only reachable through [`Nrn::expose`].

use std::fmt;

/// A calendar day, no time zone, no clock: the NRN's birth-date rules, and the days of a row's
/// period (`model::period`), which are days in Europe/Brussels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl CalendarDate {
    /// Today in Brussels (the portal's day), from the system clock. Call it once at the edge
    /// (the CLI) and pass it down.
    pub fn today() -> CalendarDate {
        Self::in_brussels(jiff::Timestamp::now())
    }

    /// The day `t` falls on in Europe/Brussels: between 23:00 and midnight UTC in winter (22:00
    /// in summer) that is already the next day.
    pub fn in_brussels(t: jiff::Timestamp) -> CalendarDate {
        // The database is bundled into the binary (Cargo.toml): the lookup cannot fail on a
        // machine without tzdata; UTC is only the fallback of a broken build.
        let tz = jiff::tz::TimeZone::get("Europe/Brussels").unwrap_or(jiff::tz::TimeZone::UTC);
        let d = tz.to_datetime(t).date();
        CalendarDate {
            year: i32::from(d.year()),
            month: d.month().unsigned_abs().into(),
            day: d.day().unsigned_abs().into(),
        }
    }

    /// The day `year`-`month`-`day` if it exists (no 31 April, no 29 February of 2027).
    pub fn new(year: i32, month: u32, day: u32) -> Option<CalendarDate> {
        let (y, m, d) = (
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
        );
        jiff::civil::Date::new(y, m, d).ok()?;
        Some(CalendarDate { year, month, day })
    }

    /// `30/06/2027`: the day as people in Belgium write it (messages and hints).
    pub fn day_first(&self) -> String {
        format!("{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }

    /// `YYYY-MM-DD`, a day that exists.
    pub fn parse(s: &str) -> Option<CalendarDate> {
        let mut it = s.trim().splitn(3, '-');
        let year: i16 = it.next()?.parse().ok()?;
        let month: i8 = it.next()?.parse().ok()?;
        let day: i8 = it.next()?.parse().ok()?;
        jiff::civil::Date::new(year, month, day).ok()?;
        Some(CalendarDate {
            year: year.into(),
            month: month.unsigned_abs().into(),
            day: day.unsigned_abs().into(),
        })
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Why a value is not a national register number. Messages never repeat the whole number. Its
/// `Display` is the emulator's API wording; the job's own sentences are in `report::messages`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NrnError {
    #[error("holds {0:?}, which is not a digit or a separator (space . - /)")]
    BadCharacter(char),
    #[error("has {0} digits; a national register number has 11")]
    Length(usize),
    #[error("is all zeros")]
    Zero,
    #[error("has check digits that do not match (a mistyped digit?)")]
    Checksum,
    #[error(
        "has month {0:02}, which is not a possible birth month (01-12, +20 or +40 for a BIS number)"
    )]
    Month(u32),
    #[error("is not a whole number ({0})")]
    NotWhole(String),
}

/// What had to be done to a value to read it as an NRN, worth telling the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NrnRepair {
    /// Fewer than 11 digits as text: zeros were added in front (Excel drops them in CSV).
    PaddedText { digits: usize },
}

/// A valid national register number or BIS number: 11 digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nrn(String);

impl Nrn {
    /// Strict form, as the portal's API takes it: exactly 11 bare digits, valid.
    pub fn parse_strict(s: &str, today: CalendarDate) -> Result<Nrn, NrnError> {
        if let Some(c) = s.chars().find(|c| !c.is_ascii_digit()) {
            return Err(NrnError::BadCharacter(c));
        }
        if s.len() != 11 {
            return Err(NrnError::Length(s.len()));
        }
        validate(s, today)?;
        Ok(Nrn(s.to_owned()))
    }

    /// Lenient form, as people type it in a spreadsheet: separators space . - / dropped; fewer
    /// than 11 digits are left-padded with zeros (reported as a repair).
    pub fn parse_text(s: &str, today: CalendarDate) -> Result<(Nrn, Option<NrnRepair>), NrnError> {
        let mut digits = String::with_capacity(11);
        for c in s.trim().chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '.' | '-' | '/' | '\u{a0}' | '\u{2010}'..='\u{2015}' => {}
                other => return Err(NrnError::BadCharacter(other)),
            }
        }
        if digits.is_empty() || digits.len() > 11 {
            return Err(NrnError::Length(digits.len()));
        }
        let repair = (digits.len() < 11).then_some(NrnRepair::PaddedText {
            digits: digits.len(),
        });
        let padded = format!("{digits:0>11}");
        validate(&padded, today)?;
        Ok((Nrn(padded), repair))
    }

    /// A numeric spreadsheet cell: written without decimals and left-padded to 11 digits
    /// (Excel drops the leading zeros of people born in 2000–2009).
    pub fn from_number(n: f64, today: CalendarDate) -> Result<Nrn, NrnError> {
        if !n.is_finite() || n.fract() != 0.0 || n < 0.0 {
            return Err(NrnError::NotWhole(mask_raw(&n.to_string())));
        }
        if n >= 1e11 {
            return Err(NrnError::Length(format!("{n:.0}").len()));
        }
        let digits = format!("{:011}", n as u64);
        validate(&digits, today)?;
        Ok(Nrn(digits))
    }

    /// The whole number. Only for the portal's API and a saved plan; never for people to read.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `*******3328`
    pub fn masked(&self) -> String {
        format!("*******{}", &self.0[7..])
    }
}

impl fmt::Display for Nrn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for Nrn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nrn({})", self.masked())
    }
}

/// Masks a value that was meant to be an NRN but is not valid: every digit but the last four
/// becomes `*`, so a typo can be found without the number being shown.
pub fn mask_raw(s: &str) -> String {
    let total = s.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    s.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen + 4 <= total { '*' } else { c }
            } else {
                c
            }
        })
        .collect()
}

/// The two check digits for the first nine digits of a number, for people born before 2000 or
/// from 2000 on. For generators of test data and seeds; validation is [`Nrn::parse_strict`].
pub fn check_digits(first9: u64, born_2000s: bool) -> u64 {
    let base = if born_2000s {
        2_000_000_000 + first9
    } else {
        first9
    };
    97 - base % 97
}

/// A cell value safe to show people: anything that could hold an NRN (six digits or more) is
/// masked with [`mask_raw`]. Used for every value quoted in a problem.
pub fn redact(s: &str) -> String {
    if s.chars().filter(char::is_ascii_digit).count() >= 6 {
        mask_raw(s)
    } else {
        s.to_owned()
    }
}

/// stdnum's `nn.is_valid(d) or bis.is_valid(d)` for 11 ASCII digits.
fn validate(d: &str, today: CalendarDate) -> Result<(), NrnError> {
    let num = |r: std::ops::Range<usize>| -> u64 {
        d[r].bytes()
            .fold(0, |acc, b| acc * 10 + u64::from(b - b'0'))
    };
    if num(0..11) == 0 {
        return Err(NrnError::Zero);
    }
    let yy = num(0..2) as i32;
    let first9 = num(0..9);
    let check = num(9..11);
    let century = if 97 - first9 % 97 == check {
        1900
    } else if yy + 2000 <= today.year && 97 - (2_000_000_000 + first9) % 97 == check {
        2000
    } else {
        return Err(NrnError::Checksum);
    };
    let _ = century; // the day is not checked (stdnum accepts an unknown day), so only the month matters
    let mm = num(2..4) as u32;
    let unknown_date = matches!(&d[0..6], "000001" | "002001" | "004001");
    if !unknown_date && mm % 20 > 12 {
        return Err(NrnError::Month(mm));
    }
    // nn takes months 0..=12, bis 20..=32 and 40..=52.
    if mm <= 12 || (20..=32).contains(&mm) || (40..=52).contains(&mm) {
        Ok(())
    } else {
        Err(NrnError::Month(mm))
    }
}

/// The date unit tests judge NRNs on (that of `tests/data/nrn_cases.tsv`).
#[cfg(test)]
pub(crate) const TEST_TODAY: CalendarDate = CalendarDate {
    year: 2026,
    month: 11,
    day: 28,
};

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: CalendarDate = TEST_TODAY;

    #[test]
    fn the_spec_example_in_every_shape() {
        for s in [
            "85073003328",
            "85.07.30-033.28",
            "850730 033 28",
            " 85/07/30-033-28 ",
        ] {
            let (n, repair) = Nrn::parse_text(s, TODAY).unwrap();
            assert_eq!(n.expose(), "85073003328");
            assert_eq!(repair, None);
        }
        assert_eq!(
            Nrn::from_number(85073003328.0, TODAY).unwrap().expose(),
            "85073003328"
        );
    }

    #[test]
    fn display_and_debug_are_masked() {
        let n = Nrn::parse_strict("85073003328", TODAY).unwrap();
        assert_eq!(n.to_string(), "*******3328");
        assert!(!format!("{n:?}").contains("850730"));
        assert_eq!(mask_raw("85.07.30-033.29"), "**.**.**-*33.29");
    }

    #[test]
    fn born_in_2000s_uses_the_2_prefix_and_survives_a_dropped_zero() {
        // 2003-07-30, sequence 033: check = 97 - (2_030_730_033 % 97).
        let check = 97 - (2_030_730_033u64 % 97);
        let whole = format!("030730033{check:02}");
        assert!(Nrn::parse_strict(&whole, TODAY).is_ok());
        // Excel stored it as a number and dropped the zero.
        let n: f64 = whole.parse().unwrap();
        assert_eq!(Nrn::from_number(n, TODAY).unwrap().expose(), whole);
        // An Excel-saved CSV holds "30730033xx": padded, with a repair to warn about.
        let (nrn, repair) = Nrn::parse_text(&whole[1..], TODAY).unwrap();
        assert_eq!(nrn.expose(), whole);
        assert_eq!(repair, Some(NrnRepair::PaddedText { digits: 10 }));
    }

    #[test]
    fn a_2000s_number_from_a_year_still_to_come_is_refused() {
        // Year 27 in the 2000s is only valid from 2027 on: the date is an input.
        let check = 97 - (2_270_101_001u64 % 97);
        let n = format!("270101001{check:02}");
        assert_eq!(Nrn::parse_strict(&n, TODAY), Err(NrnError::Checksum));
        let later = CalendarDate {
            year: 2027,
            month: 1,
            day: 1,
        };
        assert!(Nrn::parse_strict(&n, later).is_ok());
    }

    #[test]
    fn bis_months_and_bad_months() {
        let make = |first9: u64| format!("{first9:09}{:02}", 97 - first9 % 97);
        assert!(Nrn::parse_strict(&make(852_730_033), TODAY).is_ok()); // BIS +20
        assert!(Nrn::parse_strict(&make(854_730_033), TODAY).is_ok()); // BIS +40
        assert!(Nrn::parse_strict(&make(850_030_033), TODAY).is_ok()); // month unknown
        assert_eq!(
            Nrn::parse_strict(&make(851_330_033), TODAY),
            Err(NrnError::Month(13))
        );
        assert_eq!(
            Nrn::parse_strict(&make(856_030_033), TODAY),
            Err(NrnError::Month(60))
        );
    }

    #[test]
    fn bad_shapes() {
        assert_eq!(
            Nrn::parse_text("85073003329", TODAY),
            Err(NrnError::Checksum)
        );
        assert_eq!(
            Nrn::parse_text("85O73003328", TODAY),
            Err(NrnError::BadCharacter('O'))
        );
        assert_eq!(
            Nrn::parse_text("850730033281", TODAY),
            Err(NrnError::Length(12))
        );
        assert_eq!(
            Nrn::parse_strict("85.07.30-033.28", TODAY),
            Err(NrnError::BadCharacter('.'))
        );
        assert_eq!(Nrn::parse_text("00000000000", TODAY), Err(NrnError::Zero));
        assert!(matches!(
            Nrn::from_number(8507300332.5, TODAY),
            Err(NrnError::NotWhole(_))
        ));
    }

    #[test]
    fn calendar() {
        let at = |s: &str| CalendarDate::in_brussels(s.parse().unwrap());
        assert_eq!(at("2026-11-28T12:00:00Z"), TODAY);
        // Brussels is an hour ahead in winter, two in summer: its day starts before UTC's.
        assert_eq!(at("2026-11-27T23:30:00Z"), TODAY);
        assert_eq!(at("2026-11-28T22:59:59Z"), TODAY);
        assert_eq!(at("2026-11-28T23:00:00Z").to_string(), "2026-11-29");
        assert_eq!(at("2026-06-30T22:30:00Z").to_string(), "2026-07-01");
        assert_eq!(at("1970-01-01T00:00:00Z").to_string(), "1970-01-01");
        assert_eq!(CalendarDate::parse("2026-11-28"), Some(TODAY));
        assert_eq!(CalendarDate::parse("2026-02-30"), None);
        assert_eq!(CalendarDate::parse("2028-02-29").map(|d| d.day), Some(29));
        assert_eq!(CalendarDate::parse("2026-13-01"), None);
    }
}

/// Every verdict of python-stdnum in `tests/data/nrn_cases.tsv` (made by `make_nrn_cases.py`
/// beside it, with the date in its first line) is ours too.
#[cfg(test)]
mod reference {
    use super::*;

    #[test]
    fn agrees_with_python_stdnum_on_every_committed_case() {
        let data = include_str!("../../tests/data/nrn_cases.tsv");
        let mut lines = data.lines();
        let header = lines.next().unwrap();
        let date = header
            .split_whitespace()
            .find_map(|w| w.strip_prefix("today="))
            .and_then(CalendarDate::parse)
            .unwrap();
        let mut checked = 0;
        let mut disagreements = Vec::new();
        for line in lines {
            let (number, verdict) = line.split_once('\t').unwrap();
            let ours = Nrn::parse_strict(number, date).is_ok();
            if ours != (verdict == "1") {
                disagreements.push(format!("{number}: stdnum {verdict}, ours {ours}"));
            }
            checked += 1;
        }
        assert!(checked >= 1000, "only {checked} cases");
        assert!(disagreements.is_empty(), "{disagreements:#?}");
    }
}
