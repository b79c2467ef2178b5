//! The plan report as CSV for Excel in Belgium (`;`, UTF-8 with BOM), one line per action, then
//! one line per change made by hand since the last run (none: the CSV is as before).

use crate::model::{Dossier, StructureId};
use crate::report::table::{Table, csv_text};
use crate::t;

use super::{PlanFormatter, PlanReport};

pub struct Csv;

impl PlanFormatter for Csv {
    fn format(&self, r: &PlanReport<'_>) -> Result<String, csv::Error> {
        self.render(r)
    }
}

impl Csv {
    pub fn render(&self, r: &PlanReport<'_>) -> Result<String, csv::Error> {
        let headers = [
            t!("csv-fingerprint"),
            t!("csv-id"),
            t!("csv-op"),
            t!("csv-email"),
            t!("csv-user-id"),
            t!("csv-dossier"),
            t!("csv-dossier-label"),
            t!("csv-structure"),
            t!("csv-structure-name"),
            t!("csv-city"),
            t!("csv-depends-on"),
            t!("csv-sources"),
            t!("csv-leaver"),
            t!("csv-ended"),
        ];
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        let mut rows: Vec<Vec<String>> = r
            .plan
            .actions
            .iter()
            .map(|a| {
                let info = a.structure.as_ref().and_then(|s| r.structures.get(s));
                vec![
                    r.fingerprint.clone(),
                    a.id.to_string(),
                    format!("{:?}", a.op),
                    a.email.to_string(),
                    a.user_id.as_deref().unwrap_or_default().to_owned(),
                    a.dossier.map(|d| d.code().to_owned()).unwrap_or_default(),
                    a.dossier.map(|d| d.label().to_owned()).unwrap_or_default(),
                    a.structure
                        .as_ref()
                        .map(|s| s.to_string())
                        .unwrap_or_default(),
                    info.map(|s| s.name.clone()).unwrap_or_default(),
                    info.map(|s| s.city.clone()).unwrap_or_default(),
                    a.depends_on
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" "),
                    a.sources
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" "),
                    if r.plan.is_leaver(a) {
                        t!("csv-yes")
                    } else {
                        String::new()
                    },
                    a.ended.map(|d| d.day_first()).unwrap_or_default(),
                ]
            })
            .collect();
        rows.extend(crate::report::revert::csv_rows(r));
        rows.extend(r.drift.iter().map(|c| drift_row(r, c)));
        csv_text(&Table::new("Plan", &headers, rows))
    }
}

/// A change made by hand since the last run, as a row of its own under the same header: no
/// action number but the word `by hand` in its place (so a filter on that column sets them
/// apart), the op as an action's, the person, the item with its label, name and city, and
/// between which runs it was made where an action cites its rows. A profile is named in the
/// label column (it has no column of its own).
fn drift_row(r: &PlanReport<'_>, c: &crate::history::DriftChange) -> Vec<String> {
    use crate::report::drift;
    let info = c
        .structure
        .as_ref()
        .and_then(|s| r.structures.get(&StructureId::from_portal(s.clone())));
    let label = match (&c.dossier, &c.profile) {
        (Some(code), _) => Dossier::from_code(code)
            .map(|d| d.label().to_owned())
            .unwrap_or_default(),
        (None, Some(_)) => drift::item(c, &|_| None),
        (None, None) => String::new(),
    };
    vec![
        r.fingerprint.clone(),
        t!("drift-csv-mark"),
        drift::csv_op(&c.op),
        c.email.clone(),
        c.user_id.clone(),
        c.dossier.clone().unwrap_or_default(),
        label,
        c.structure.clone().unwrap_or_default(),
        info.map(|s| s.name.clone()).unwrap_or_default(),
        info.map(|s| s.city.clone()).unwrap_or_default(),
        String::new(),
        drift::when(c),
        String::new(),
        String::new(),
    ]
}
