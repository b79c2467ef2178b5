//! A campaign's evidence as tables for `review report` (evidence.md "Access review campaigns"):
//! what was asked of whom (each sheet: structure, reviewer, sent, how many people), who answered
//! what and when (each decision with the file's SHA-256 and the day), which run applied it,
//! every file returned (the replaced ones too), and the staff rows HR must change.
//! The tables are rendered by `report::campaign` in the run's language.

use super::Campaign;
use super::collect::Choice;
use crate::report::table::Table;
use crate::t;

/// The report's title and the lines under it.
pub fn heading(c: &Campaign) -> (String, Vec<String>) {
    let title = t!("review-report-title", campaign = c.campaign.as_str());
    let mut lines = vec![t!(
        "review-report-dates",
        started = crate::report::history::when(&c.started),
        due = c.due.as_str()
    )];
    if let Some(closed) = &c.closed {
        lines.push(t!("review-report-closed", closed = closed.as_str()));
    }
    if let Some(coordinator) = &c.coordinator {
        lines.push(t!(
            "review-report-coordinator",
            coordinator = coordinator.as_str()
        ));
    }
    (title, lines)
}

/// Each sheet: what was asked of whom, and its last answer.
pub fn sheets(c: &Campaign) -> Table {
    let headers = [
        t!("review-col-structure"),
        t!("review-col-name"),
        t!("review-col-reviewer"),
        t!("review-col-sent"),
        t!("review-col-people"),
        t!("review-col-answered"),
        t!("review-col-file-sha256"),
        t!("review-col-applied-by"),
    ];
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let rows = c
        .sheets
        .iter()
        .map(|s| {
            let last = s.answers.last();
            vec![
                s.structure.clone(),
                s.name.clone(),
                s.reviewer.clone().unwrap_or_default(),
                if s.sent {
                    t!("review-yes")
                } else {
                    t!("review-no")
                },
                s.to_decide().count().to_string(),
                last.map(|a| a.at.clone()).unwrap_or_default(),
                last.map(|a| a.file_sha256.clone()).unwrap_or_default(),
                last.and_then(|a| a.applied_by.clone()).unwrap_or_default(),
            ]
        })
        .collect();
    Table::new(&t!("review-report-sheets"), &headers, rows)
}

/// Each person listed to decide, with the decision of the last answer (blank: none).
pub fn decisions(c: &Campaign) -> Table {
    let headers = [
        t!("review-col-structure"),
        t!("review-col-user"),
        t!("review-col-email"),
        t!("review-col-decision"),
        t!("review-col-comment"),
        t!("review-col-file-sha256"),
        t!("review-col-day"),
        t!("review-col-applied-by"),
    ];
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut rows = Vec::new();
    for s in &c.sheets {
        let last = s.answers.last();
        for p in s.people.iter().filter(|p| p.apart.is_none()) {
            let d = last.and_then(|a| a.decisions.iter().find(|d| d.user_id == p.user_id));
            let said = match d.map(|d| d.decision) {
                Some(Choice::Keep) => t!("review-keep"),
                Some(Choice::Remove) => t!("review-remove"),
                None => String::new(),
            };
            let applied = match (d.map(|d| d.decision), last) {
                (Some(Choice::Remove), Some(_)) => {
                    s.applied_to(&p.user_id).unwrap_or_default().to_owned()
                }
                _ => String::new(),
            };
            rows.push(vec![
                s.structure.clone(),
                p.user_id.clone(),
                p.email.clone(),
                said,
                d.map(|d| d.comment.clone()).unwrap_or_default(),
                last.filter(|_| d.is_some())
                    .map(|a| a.file_sha256.clone())
                    .unwrap_or_default(),
                last.filter(|_| d.is_some())
                    .map(|a| a.day.clone())
                    .unwrap_or_default(),
                applied,
            ]);
        }
    }
    Table::new(&t!("review-report-decisions"), &headers, rows)
}

/// Every file returned, the replaced ones too, in the order collected: when, its SHA-256, what
/// it answered, and whether its answers stand (the last of its sheet) or were replaced.
pub fn files(c: &Campaign) -> Table {
    let headers = [
        t!("review-col-structure"),
        t!("review-col-answered"),
        t!("review-col-file"),
        t!("review-col-file-sha256"),
        t!("review-col-keep"),
        t!("review-col-remove"),
        t!("review-col-none"),
        t!("review-col-standing"),
        t!("review-col-applied-by"),
    ];
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut rows = Vec::new();
    for s in &c.sheets {
        for (i, a) in s.answers.iter().enumerate() {
            let keep = a
                .decisions
                .iter()
                .filter(|d| d.decision == Choice::Keep)
                .count();
            let standing = if i + 1 == s.answers.len() {
                t!("review-yes")
            } else {
                t!("review-replaced")
            };
            let mut runs: Vec<&str> = a.applied.iter().map(|x| x.run.as_str()).collect();
            runs.dedup();
            rows.push(vec![
                s.structure.clone(),
                a.at.clone(),
                a.file.display().to_string(),
                a.file_sha256.clone(),
                keep.to_string(),
                (a.decisions.len() - keep).to_string(),
                a.none.to_string(),
                standing,
                runs.join(", "),
            ]);
        }
    }
    Table::new(&t!("review-report-files"), &headers, rows)
}

/// What the staff list would grant again the next night, as `apply --review` found it: the rows
/// HR must change.
pub fn for_hr(c: &Campaign) -> Table {
    let headers = [
        t!("review-col-email"),
        t!("review-col-structure"),
        t!("review-col-staff-row"),
    ];
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let rows = c
        .redone
        .iter()
        .map(|r| vec![r.who.clone(), r.structure.clone(), r.row.clone()])
        .collect();
    Table::new(&t!("review-report-for-hr"), &headers, rows)
}
