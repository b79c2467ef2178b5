//! A row's period (inputs.md "Dates"): the days its access holds, `from` and `until` both
//! included, each open when its cell is empty, in Europe/Brussels days; where a given day stands
//! (upcoming, in effect, ended); and a day as people type it in a cell — day first, four-digit
//! year, never month first — or why it is not one (`DateError`). Pure: the day to judge on is
//! an argument, never read here from the clock.

use super::CalendarDate;

/// The days a row's access holds, both included; `None` is open on that side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Period {
    pub from: Option<CalendarDate>,
    pub until: Option<CalendarDate>,
}

/// Where a day stands against a row's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowTime {
    /// `day` < `from`: the row has not started yet.
    Upcoming,
    /// `from` ≤ `day` ≤ `until` (an open side always holds).
    InEffect,
    /// `until` < `day`: the row's last day has passed.
    Ended,
}

impl Period {
    /// A period without dates: in effect on every day (every row of a sheet without dates).
    pub const OPEN: Period = Period {
        from: None,
        until: None,
    };

    /// Whether neither side has a day.
    pub fn is_open(&self) -> bool {
        self.from.is_none() && self.until.is_none()
    }

    /// Where `day` (a Brussels day, see `CalendarDate::in_brussels`) stands.
    pub fn state_on(&self, day: CalendarDate) -> RowTime {
        if self.from.is_some_and(|from| day < from) {
            RowTime::Upcoming
        } else if self.until.is_some_and(|until| day > until) {
            RowTime::Ended
        } else {
            RowTime::InEffect
        }
    }

    /// `from` ≤ `day` ≤ `until`.
    pub fn in_effect(&self, day: CalendarDate) -> bool {
        self.state_on(day) == RowTime::InEffect
    }
}

/// Why a `from` or `until` cell is not a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DateError {
    /// Not one of the written forms (`dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`,
    /// `yyyy-mm-dd`).
    Shape,
    /// A year of two digits (`30/06/27`): which century is a guess, so none is made.
    TwoDigitYear,
    /// A month beyond 12: most likely written month first (`04/31/2026`).
    NoSuchMonth(u32),
    /// A day the month does not have (`31/04/2026`, `29/02/2027`, `00/06/2026`).
    NoSuchDay,
    /// A bare number (a CSV's `46203`, a number cell not formatted as a date).
    Number,
    /// A date cell that holds a time of day or a duration, no day.
    NoDay,
}

/// A day as people write it: `dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy` (one
/// separator, the same twice) or ISO `yyyy-mm-dd`; day first, four-digit year.
pub fn parse_day(text: &str) -> Result<CalendarDate, DateError> {
    let t = text.trim();
    if !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        // `46203` or `46203,5`: a serial number without its date format.
        if t.chars().filter(|c| *c == '.').count() != 2 {
            return Err(DateError::Number);
        }
    }
    let sep = t
        .chars()
        .find(|c| matches!(c, '/' | '-' | '.'))
        .ok_or(DateError::Shape)?;
    let parts: Vec<&str> = t.split(sep).collect();
    let [a, b, c] = parts[..] else {
        return Err(DateError::Shape);
    };
    let digits = |s: &str, max: usize| {
        (!s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (day, month, year) = if a.len() == 4 {
        // ISO: year first, then month and day; only with dashes.
        if sep != '-' {
            return Err(DateError::Shape);
        }
        let year = digits(a, 4).ok_or(DateError::Shape)?;
        (digits(c, 2), digits(b, 2), year)
    } else {
        let year = match digits(c, 4) {
            Some(y) if c.len() == 4 => y,
            Some(_) if c.len() == 2 => return Err(DateError::TwoDigitYear),
            _ => return Err(DateError::Shape),
        };
        (digits(a, 2), digits(b, 2), year)
    };
    let (Some(day), Some(month)) = (day, month) else {
        return Err(DateError::Shape);
    };
    if !(1..=12).contains(&month) {
        return Err(DateError::NoSuchMonth(month));
    }
    CalendarDate::new(year as i32, month, day).ok_or(DateError::NoSuchDay)
}

/// A cell value quoted in a date problem: as typed when it has the shape of a date (at most
/// three runs of at most four digits, eight digits in all), else redacted like any value that
/// could hold an NRN (`85.07.30-033.28` typed in the wrong column is never shown whole).
pub fn shown_date_value(value: &str) -> String {
    let runs: Vec<usize> = value
        .split(|c: char| !c.is_ascii_digit())
        .filter(|r| !r.is_empty())
        .map(str::len)
        .collect();
    let datelike =
        runs.len() <= 3 && runs.iter().all(|n| *n <= 4) && runs.iter().sum::<usize>() <= 8;
    if datelike {
        value.to_owned()
    } else {
        super::redact(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> CalendarDate {
        CalendarDate::new(y, m, d).unwrap()
    }

    #[test]
    fn every_written_form_is_read_day_first() {
        let june = day(2027, 6, 30);
        for s in [
            "30/06/2027",
            " 30/06/2027 ",
            "30-06-2027",
            "30.06.2027",
            "2027-06-30",
        ] {
            assert_eq!(parse_day(s), Ok(june), "{s:?}");
        }
        assert_eq!(parse_day("1/7/2026"), Ok(day(2026, 7, 1)));
        assert_eq!(parse_day("2026-7-1"), Ok(day(2026, 7, 1)));
        // Day first, never month first: 04/05 is the 4th of May.
        assert_eq!(parse_day("04/05/2026"), Ok(day(2026, 5, 4)));
        assert_eq!(parse_day("29/02/2028"), Ok(day(2028, 2, 29)));
    }

    #[test]
    fn what_is_not_a_day_says_why() {
        for (s, why) in [
            ("04/31/2026", DateError::NoSuchMonth(31)),
            ("2026-13-01", DateError::NoSuchMonth(13)),
            ("31/04/2026", DateError::NoSuchDay),
            ("29/02/2027", DateError::NoSuchDay),
            ("00/06/2026", DateError::NoSuchDay),
            ("30/06/27", DateError::TwoDigitYear),
            ("30/06/202", DateError::Shape),
            ("46203", DateError::Number),
            ("46203,5", DateError::Number),
            ("30/06-2027", DateError::Shape),
            ("30 juin 2027", DateError::Shape),
            ("demain", DateError::Shape),
            ("30/06/2027/1", DateError::Shape),
            ("30/06/20270", DateError::Shape),
            ("2027-06-30T12:00", DateError::Shape),
            ("30//2027", DateError::Shape),
            ("2027/06/30", DateError::Shape),
            ("", DateError::Shape),
        ] {
            assert_eq!(parse_day(s), Err(why), "{s:?}");
        }
    }

    #[test]
    fn a_period_includes_both_days_and_an_empty_side_is_open() {
        let p = Period {
            from: Some(day(2026, 4, 1)),
            until: Some(day(2026, 6, 30)),
        };
        assert_eq!(p.state_on(day(2026, 3, 31)), RowTime::Upcoming);
        assert_eq!(p.state_on(day(2026, 4, 1)), RowTime::InEffect);
        assert_eq!(p.state_on(day(2026, 6, 30)), RowTime::InEffect);
        assert_eq!(p.state_on(day(2026, 7, 1)), RowTime::Ended);
        assert!(p.in_effect(day(2026, 5, 15)));
        assert!(!p.in_effect(day(2026, 7, 1)));
        assert!(Period::OPEN.is_open());
        assert!(Period::OPEN.in_effect(day(1970, 1, 1)));
        assert!(Period::OPEN.in_effect(day(9999, 12, 31)));
        let from_only = Period {
            from: Some(day(2026, 12, 7)),
            until: None,
        };
        assert_eq!(from_only.state_on(day(2026, 12, 6)), RowTime::Upcoming);
        assert_eq!(from_only.state_on(day(2099, 1, 1)), RowTime::InEffect);
        let until_only = Period {
            from: None,
            until: Some(day(2026, 6, 30)),
        };
        assert_eq!(until_only.state_on(day(2000, 1, 1)), RowTime::InEffect);
    }

    /// Issue 24: the instant 2026-06-30T22:30Z is already 1 July in Brussels (UTC+2 in
    /// summer), so a row until 30/06 has ended on that instant's day.
    #[test]
    fn a_row_until_30_june_has_ended_at_22_30_utc_that_evening() {
        let until_june = Period {
            from: None,
            until: Some(day(2026, 6, 30)),
        };
        let instant: jiff::Timestamp = "2026-06-30T22:30:00Z".parse().unwrap();
        let today = CalendarDate::in_brussels(instant);
        assert_eq!(today, day(2026, 7, 1));
        assert_eq!(until_june.state_on(today), RowTime::Ended);
        // An hour and a half earlier it is still 30 June there: the last day, in effect.
        let before: jiff::Timestamp = "2026-06-30T21:30:00Z".parse().unwrap();
        assert_eq!(
            until_june.state_on(CalendarDate::in_brussels(before)),
            RowTime::InEffect
        );
    }

    #[test]
    fn a_date_value_is_shown_as_typed_and_an_nrn_never() {
        assert_eq!(shown_date_value("31/04/2026"), "31/04/2026");
        assert_eq!(shown_date_value("2026-13-01"), "2026-13-01");
        assert_eq!(shown_date_value("46203"), "46203");
        assert_eq!(shown_date_value("85.07.30-033.28"), "**.**.**-*33.28");
        assert_eq!(shown_date_value("85073003328"), "*******3328");
    }
}
