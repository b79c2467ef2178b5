//! `history` on a terminal: the question as a title, what the history covers (and, when it
//! did not observe the whole period, a sentence that says so), then the answer — a person's
//! dossiers and structures with each interval and how it began and ended; who could see a
//! structure or held a dossier on a day; the changes made by hand, newest first.

use std::fmt::Write as _;

use crate::history::{Access, DriftChange, Holder, PersonTimeline};
use crate::t;

use super::{Answer, HistoryReport, cause_text, ended_text, holder_dossiers, op_word, when, who};

pub fn render(r: &HistoryReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", r.title());
    for line in r.coverage() {
        let _ = writeln!(out, "{line}");
    }
    if let Some(line) = r.narrowed() {
        let _ = writeln!(out, "{line}");
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
        "\n{}",
        who(&p.first_name, &p.last_name, &p.email, &p.user_id)
    );
    if let Some(nrn) = nrn {
        let _ = writeln!(out, "{}", t!("history-nrn", nrn = nrn));
    }
    if p.access.is_empty() {
        let _ = writeln!(out, "{}", t!("history-person-nothing"));
    }
    for a in &p.access {
        access(out, r, a);
    }
}

fn access(out: &mut String, r: &HistoryReport, a: &Access) {
    let _ = writeln!(out, "\n  {}", r.access_label(a));
    for i in &a.intervals {
        let span = match &i.until {
            Some(until) => t!(
                "history-interval-closed",
                since = when(&i.since),
                until = when(until)
            ),
            None => t!("history-interval-open", since = when(&i.since)),
        };
        let _ = writeln!(out, "    {span}");
        let _ = writeln!(
            out,
            "      {}",
            t!("history-began", how = cause_text(&i.began))
        );
        if i.until.is_some() {
            let _ = writeln!(
                out,
                "      {}",
                t!("history-ended", how = ended_text(i.ended.as_ref()))
            );
        }
    }
}

/// One holder in a line: who, which dossiers, since when, and whether the history is sure.
pub(super) fn holder_line(h: &Holder) -> String {
    let line = t!(
        "history-holder",
        who = who(&h.first_name, &h.last_name, &h.email, &h.user_id),
        dossiers = holder_dossiers(h),
        since = when(&h.since)
    );
    if h.certain {
        line
    } else {
        format!("{line} {}", t!("history-uncertain"))
    }
}

fn on_day(out: &mut String, r: &HistoryReport, people: &[Holder]) {
    let _ = writeln!(out);
    if let Some(none) = r.empty_answer() {
        let _ = writeln!(out, "{none}");
    }
    for h in people {
        let _ = writeln!(out, "  {}", holder_line(h));
    }
}

/// One change by hand in a line: when it was seen, who, what, between which runs.
pub(super) fn change_line(r: &HistoryReport, c: &DriftChange) -> String {
    t!(
        "history-drift-line",
        at = when(&c.at),
        who = who("", "", &c.email, &c.user_id),
        op = op_word(&c.op),
        item = r.change_item(c),
        how = cause_text(&crate::history::Cause::Hand {
            after_run: c.after_run.clone(),
            seen_at_run: c.seen_at_run.clone().unwrap_or_default(),
        })
    )
}

fn drift(out: &mut String, r: &HistoryReport, changes: &[DriftChange]) {
    let _ = writeln!(out);
    if let Some(none) = r.empty_answer() {
        let _ = writeln!(out, "{none}");
    }
    for c in changes {
        let _ = writeln!(out, "  {}", change_line(r, c));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_shows_each_interval_and_how_it_came() {
        let text = render(&super::super::tests::person_report());
        assert!(text.contains("*******3328"), "{text}");
        assert!(text.contains("Bilans"), "{text}");
        assert!(text.contains("still held"), "{text}");
        assert!(text.contains("held before the history began"), "{text}");
        assert!(
            text.contains(
                "by hand in the portal, between run-20261102T023000Z and run-20261103T023000Z"
            ),
            "{text}"
        );
        assert!(!text.contains("incomplete"), "{text}");
    }

    #[test]
    fn an_incomplete_answer_says_so_and_never_nobody() {
        let mut r = super::super::tests::person_report();
        r.complete = false;
        r.answer = Answer::On {
            on: jiff::civil::date(2026, 10, 1),
            subject: crate::history::Subject::Structure("MA-00101".into()),
            people: Vec::new(),
        };
        let text = render(&r);
        assert!(text.contains("cannot say"), "{text}");
        assert!(!text.contains("Nobody"), "{text}");
        r.complete = true;
        assert!(render(&r).contains("Nobody"));
    }
}
