//! The reports' two dated sections (inputs.md "Dates"): **upcoming** — rows that start within
//! `[dates] lookahead_days` of the plan's day — and **ending soon** — rows in effect whose
//! `until` falls within the same window, so a director can extend a replacement in time. Pure:
//! the plan's day is an option, and nothing here acts.

use crate::model::{CalendarDate, DesiredState, Dossier, Location, RowRequest, StructureRef};

use super::DateOptions;

/// A dated row for people: who, what, on which day, from which row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedRow {
    pub email: String,
    pub name: String,
    pub dossiers: Vec<Dossier>,
    /// Structure ids (or the references as written, when not resolved).
    pub structures: Vec<String>,
    /// The first day (upcoming) or the last day (ending).
    pub day: CalendarDate,
    pub source: Location,
}

/// The upcoming rows and the rows ending soon, by day then e-mail.
pub(super) fn dated_rows(
    desired: &DesiredState,
    dates: &DateOptions,
) -> (Vec<DatedRow>, Vec<DatedRow>) {
    let (mut upcoming, mut ending) = (Vec::new(), Vec::new());
    let Some(today) = dates.today else {
        return (upcoming, ending);
    };
    let within = |day: CalendarDate| {
        day >= today
            && dates
                .days_from(today, day)
                .is_some_and(|d| d <= dates.lookahead_days)
    };
    for p in &desired.people {
        let email = p
            .email
            .as_ref()
            .map_or_else(|| p.label(), |e| e.to_string());
        let name = format!(
            "{} {}",
            p.last_name.as_deref().unwrap_or(""),
            p.first_name.as_deref().unwrap_or("")
        )
        .trim()
        .to_owned();
        let row = |r: &RowRequest, day: CalendarDate| DatedRow {
            email: email.clone(),
            name: name.clone(),
            dossiers: r.access.dossiers.iter().collect(),
            structures: r
                .access
                .structures
                .iter()
                .map(|s| match s {
                    StructureRef::Id(id) => id.to_string(),
                    other => other.to_string(),
                })
                .collect(),
            day,
            source: r.source.clone(),
        };
        for r in &p.upcoming {
            if let Some(from) = r.period.from.filter(|f| within(*f)) {
                upcoming.push(row(r, from));
            }
        }
        for r in &p.rows {
            if let Some(until) = r.period.until.filter(|u| within(*u)) {
                ending.push(row(r, until));
            }
        }
    }
    let order = |a: &DatedRow, b: &DatedRow| a.day.cmp(&b.day).then_with(|| a.email.cmp(&b.email));
    upcoming.sort_by(order);
    ending.sort_by(order);
    (upcoming, ending)
}
