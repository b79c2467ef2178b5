//! `history --format csv` and `--report FILE.csv`: one table per question for Excel in Belgium
//! (`;`, UTF-8 with BOM, every cell through the formula rule of cli.md, `report::table`) — one
//! line per interval of a person, per holder on a day, per change by hand. The same table is
//! the data sheet of the workbook (`xlsx.rs`). Each line says whether the history observed the
//! whole period asked about, so an empty or short answer is never read as complete.

use crate::history::{Access, Holder, Interval, PersonTimeline, Subject};
use crate::report::table::{Table, csv_text};
use crate::t;

use super::{
    Answer, HistoryReport, cause_text, dossier_label, ended_text, holder_dossiers, op_word,
    when_sortable, yes_no,
};

pub fn render(r: &HistoryReport) -> Result<String, csv::Error> {
    csv_text(&table(r))
}

/// The answer as one table, headers in the run's language.
pub fn table(r: &HistoryReport) -> Table {
    match &r.answer {
        Answer::Person { people, .. } => person_table(r, people),
        Answer::On {
            on,
            subject,
            people,
        } => on_table(r, *on, subject, people),
        Answer::Drift { changes } => drift_table(r, changes),
    }
}

fn headers(words: &[String]) -> Vec<&str> {
    words.iter().map(String::as_str).collect()
}

fn person_table(r: &HistoryReport, people: &[PersonTimeline]) -> Table {
    let words = [
        t!("history-col-user-id"),
        t!("history-col-email"),
        t!("history-col-last-name"),
        t!("history-col-first-name"),
        t!("history-col-kind"),
        t!("history-col-item"),
        t!("history-col-label"),
        t!("history-col-since"),
        t!("history-col-until"),
        t!("history-col-began"),
        t!("history-col-ended"),
        t!("history-col-complete"),
    ];
    let mut rows = Vec::new();
    for p in people {
        for a in &p.access {
            for i in &a.intervals {
                rows.push(interval_row(r, p, a, i));
            }
        }
    }
    Table::new(&t!("history-sheet-access"), &headers(&words), rows)
}

/// One interval of one item, as a line: who, what, from when to when, and how.
pub(super) fn interval_row(
    r: &HistoryReport,
    p: &PersonTimeline,
    a: &Access,
    i: &Interval,
) -> Vec<String> {
    let (kind, item) = match (&a.dossier, &a.structure) {
        (Some(d), _) => (t!("history-kind-dossier"), d.clone()),
        (None, Some(s)) => (t!("history-kind-structure"), s.clone()),
        (None, None) => (String::new(), String::new()),
    };
    let label = match (&a.dossier, &a.structure) {
        (Some(_), _) => r.access_label(a),
        (None, Some(s)) => r.structure_name(s),
        (None, None) => String::new(),
    };
    vec![
        p.user_id.clone(),
        p.email.clone(),
        p.last_name.clone(),
        p.first_name.clone(),
        kind,
        item,
        label,
        when_sortable(&i.since),
        i.until.as_deref().map(when_sortable).unwrap_or_default(),
        cause_text(&i.began),
        if i.until.is_some() {
            ended_text(i.ended.as_ref())
        } else {
            t!("history-still-held")
        },
        yes_no(r.complete),
    ]
}

fn on_table(
    r: &HistoryReport,
    on: jiff::civil::Date,
    subject: &Subject,
    people: &[Holder],
) -> Table {
    let words = [
        t!("history-col-day"),
        t!("history-col-subject"),
        t!("history-col-label"),
        t!("history-col-user-id"),
        t!("history-col-email"),
        t!("history-col-last-name"),
        t!("history-col-first-name"),
        t!("history-col-dossiers"),
        t!("history-col-implicit"),
        t!("history-col-since"),
        t!("history-col-certain"),
        t!("history-col-complete"),
    ];
    let (code, label) = match subject {
        Subject::Structure(s) => (s.clone(), r.structure_name(s)),
        Subject::Dossier(d) => (d.clone(), dossier_label(d)),
    };
    let rows = people
        .iter()
        .map(|h| {
            vec![
                on.to_string(),
                code.clone(),
                label.clone(),
                h.user_id.clone(),
                h.email.clone(),
                h.last_name.clone(),
                h.first_name.clone(),
                holder_dossiers(h),
                yes_no(h.implicit),
                when_sortable(&h.since),
                yes_no(h.certain),
                yes_no(r.complete),
            ]
        })
        .collect();
    Table::new(&t!("history-sheet-on"), &headers(&words), rows)
}

fn drift_table(r: &HistoryReport, changes: &[crate::history::DriftChange]) -> Table {
    let words = [
        t!("history-col-seen"),
        t!("history-col-user-id"),
        t!("history-col-email"),
        t!("history-col-op"),
        t!("history-col-change"),
        t!("history-col-item"),
        t!("history-col-label"),
        t!("history-col-after-run"),
        t!("history-col-seen-at-run"),
        t!("history-col-complete"),
    ];
    let rows = changes
        .iter()
        .map(|c| {
            let item = c
                .dossier
                .clone()
                .or_else(|| c.structure.clone())
                .or_else(|| c.profile.clone())
                .unwrap_or_default();
            let label = match (&c.dossier, &c.structure) {
                (Some(d), _) => dossier_label(d),
                (None, Some(s)) => r.structure_name(s),
                (None, None) => r.change_item(c),
            };
            vec![
                when_sortable(&c.at),
                c.user_id.clone(),
                c.email.clone(),
                c.op.clone(),
                op_word(&c.op),
                item,
                label,
                c.after_run.clone().unwrap_or_default(),
                c.seen_at_run.clone().unwrap_or_default(),
                yes_no(r.complete),
            ]
        })
        .collect();
    Table::new(&t!("history-sheet-drift"), &headers(&words), rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_goes_through_the_formula_rule() {
        let csv = render(&super::super::tests::person_report()).unwrap();
        assert!(csv.starts_with('\u{feff}'), "{csv}");
        // The first name `=Marie` is written as text.
        assert!(csv.contains(";'=Marie;"), "{csv}");
        assert!(!csv.contains(";=Marie"), "{csv}");
        assert_eq!(csv.lines().count(), 3, "{csv}");
    }
}
