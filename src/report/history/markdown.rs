//! `history --report FILE.md`: the answer for a ticket or an e-mail — the question as a
//! title, what the history covers (and whether it observed the whole period), then a table:
//! a person's intervals, who could see a structure or held a dossier on a day, the changes
//! made by hand. Everything from the portal is escaped for a table cell.

use std::fmt::Write as _;

use crate::history::{DriftChange, Holder, PersonTimeline};
use crate::report::md_escape;
use crate::t;

use super::{
    Answer, HistoryReport, cause_text, ended_text, holder_dossiers, op_word, until_text, when, who,
    yes_no,
};

pub fn render(r: &HistoryReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md_escape(&r.title()));
    for line in r.coverage() {
        let _ = writeln!(out, "{}\n", md_escape(&line));
    }
    if let Some(line) = r.narrowed() {
        let _ = writeln!(out, "{}\n", md_escape(&line));
    }
    match &r.answer {
        Answer::Person { people, nrn } => {
            for p in people {
                person(&mut out, r, p, nrn.as_deref());
            }
        }
        Answer::On { people, .. } => on_day(&mut out, r, people),
        Answer::Drift { changes } => drift(&mut out, r, changes),
    }
    out
}

fn person(out: &mut String, r: &HistoryReport, p: &PersonTimeline, nrn: Option<&str>) {
    let _ = writeln!(
        out,
        "## {}\n",
        md_escape(&who(&p.first_name, &p.last_name, &p.email, &p.user_id))
    );
    if let Some(nrn) = nrn {
        let _ = writeln!(out, "{}\n", t!("history-nrn", nrn = nrn));
    }
    if p.access.is_empty() {
        let _ = writeln!(out, "{}\n", t!("history-person-nothing"));
        return;
    }
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
        t!("history-col-label"),
        t!("history-col-since"),
        t!("history-col-until"),
        t!("history-col-began"),
        t!("history-col-ended"),
    );
    for a in &p.access {
        for i in &a.intervals {
            let ended = if i.until.is_some() {
                ended_text(i.ended.as_ref())
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                md_escape(&r.access_label(a)),
                when(&i.since),
                until_text(i.until.as_deref()),
                md_escape(&cause_text(&i.began)),
                md_escape(&ended),
            );
        }
    }
    let _ = writeln!(out);
}

fn on_day(out: &mut String, r: &HistoryReport, people: &[Holder]) {
    if let Some(none) = r.empty_answer() {
        let _ = writeln!(out, "{none}");
    }
    if people.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} |\n|---|---|---|---|",
        t!("history-col-person"),
        t!("history-col-dossiers"),
        t!("history-col-since"),
        t!("history-col-certain"),
    );
    for h in people {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            md_escape(&who(&h.first_name, &h.last_name, &h.email, &h.user_id)),
            md_escape(&holder_dossiers(h)),
            when(&h.since),
            yes_no(h.certain),
        );
    }
    if people.iter().any(|h| !h.certain) {
        let _ = writeln!(out, "\n{}", t!("history-uncertain-note"));
    }
}

fn drift(out: &mut String, r: &HistoryReport, changes: &[DriftChange]) {
    if let Some(none) = r.empty_answer() {
        let _ = writeln!(out, "{none}");
    }
    if changes.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
        t!("history-col-seen"),
        t!("history-col-person"),
        t!("history-col-change"),
        t!("history-col-item"),
        t!("history-col-how"),
    );
    for c in changes {
        let how = cause_text(&crate::history::Cause::Hand {
            after_run: c.after_run.clone(),
            seen_at_run: c.seen_at_run.clone().unwrap_or_default(),
        });
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            when(&c.at),
            md_escape(&who("", "", &c.email, &c.user_id)),
            op_word(&c.op),
            md_escape(&r.change_item(c)),
            md_escape(&how),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_is_one_table_row_per_interval() {
        let md = render(&super::super::tests::person_report());
        assert!(md.starts_with("# "), "{md}");
        let rows = md.lines().filter(|l| l.starts_with("| ")).count();
        // The header and two intervals.
        assert_eq!(rows, 3, "{md}");
        assert!(md.contains("*******3328"), "{md}");
    }
}
