//! `history --report FILE.html`: the answer as one self-contained page (no network, no
//! script, printable) — the question, what the history covers and whether it observed the
//! whole period, then a table per person, or of the holders on a day, or of the changes made
//! by hand. Everything from the store is HTML-escaped; NRNs arrive masked.

use std::fmt::Write as _;

use crate::history::{DriftChange, Holder, PersonTimeline};
use crate::report::html::escape;
use crate::t;

use super::{
    Answer, HistoryReport, cause_text, ended_text, holder_dossiers, op_word, until_text, when, who,
    yes_no,
};

const STYLE: &str = "
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#202124}
main{max-width:1100px;margin:0 auto;padding:12px 16px}
h1{font-size:1.35em} h2{font-size:1.15em;border-bottom:1px solid #dadce0;padding-bottom:.2em}
.meta{color:#5f6368} .incomplete{color:#b06000;font-weight:600}
table{border-collapse:collapse;width:100%;font-size:.92em;margin:8px 0 16px}
th,td{text-align:left;border-bottom:1px solid #dadce0;padding:4px 6px;vertical-align:top;overflow-wrap:anywhere}
.uncertain{color:#b06000}
@media print{a{color:inherit}}
";

pub fn render(r: &HistoryReport) -> String {
    let mut out = String::new();
    let lang = crate::report::i18n::language().code();
    let title = escape(&r.title());
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n"
    );
    let coverage = r.coverage();
    for (n, line) in coverage.iter().enumerate() {
        let class = if n > 0 || r.observed.is_none() {
            "incomplete"
        } else {
            "meta"
        };
        let _ = writeln!(out, "<p class=\"{class}\">{}</p>", escape(line));
    }
    if let Some(line) = r.narrowed() {
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", escape(&line));
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
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn row(out: &mut String, cells: &[String], tag: &str) {
    out.push_str("<tr>");
    for c in cells {
        let _ = write!(out, "<{tag}>{}</{tag}>", escape(c));
    }
    out.push_str("</tr>\n");
}

fn person(out: &mut String, r: &HistoryReport, p: &PersonTimeline, nrn: Option<&str>) {
    let _ = writeln!(
        out,
        "<h2>{}</h2>",
        escape(&who(&p.first_name, &p.last_name, &p.email, &p.user_id))
    );
    if let Some(nrn) = nrn {
        let _ = writeln!(out, "<p>{}</p>", escape(&t!("history-nrn", nrn = nrn)));
    }
    if p.access.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(&t!("history-person-nothing")));
        return;
    }
    out.push_str("<table>\n");
    row(
        out,
        &[
            t!("history-col-label"),
            t!("history-col-since"),
            t!("history-col-until"),
            t!("history-col-began"),
            t!("history-col-ended"),
        ],
        "th",
    );
    for a in &p.access {
        for i in &a.intervals {
            let ended = if i.until.is_some() {
                ended_text(i.ended.as_ref())
            } else {
                String::new()
            };
            row(
                out,
                &[
                    r.access_label(a),
                    when(&i.since),
                    until_text(i.until.as_deref()),
                    cause_text(&i.began),
                    ended,
                ],
                "td",
            );
        }
    }
    out.push_str("</table>\n");
}

fn on_day(out: &mut String, r: &HistoryReport, people: &[Holder]) {
    if let Some(none) = r.empty_answer() {
        let _ = writeln!(out, "<p>{}</p>", escape(&none));
    }
    if people.is_empty() {
        return;
    }
    out.push_str("<table>\n");
    row(
        out,
        &[
            t!("history-col-person"),
            t!("history-col-dossiers"),
            t!("history-col-since"),
            t!("history-col-certain"),
        ],
        "th",
    );
    for h in people {
        row(
            out,
            &[
                who(&h.first_name, &h.last_name, &h.email, &h.user_id),
                holder_dossiers(h),
                when(&h.since),
                yes_no(h.certain),
            ],
            "td",
        );
    }
    out.push_str("</table>\n");
    if people.iter().any(|h| !h.certain) {
        let _ = writeln!(
            out,
            "<p class=\"uncertain\">{}</p>",
            escape(&t!("history-uncertain-note"))
        );
    }
}

fn drift(out: &mut String, r: &HistoryReport, changes: &[DriftChange]) {
    if let Some(none) = r.empty_answer() {
        let _ = writeln!(out, "<p>{}</p>", escape(&none));
    }
    if changes.is_empty() {
        return;
    }
    out.push_str("<table>\n");
    row(
        out,
        &[
            t!("history-col-seen"),
            t!("history-col-person"),
            t!("history-col-change"),
            t!("history-col-item"),
            t!("history-col-how"),
        ],
        "th",
    );
    for c in changes {
        let how = cause_text(&crate::history::Cause::Hand {
            after_run: c.after_run.clone(),
            seen_at_run: c.seen_at_run.clone().unwrap_or_default(),
        });
        row(
            out,
            &[
                when(&c.at),
                who("", "", &c.email, &c.user_id),
                op_word(&c.op),
                r.change_item(c),
                how,
            ],
            "td",
        );
    }
    out.push_str("</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_is_whole_and_escaped() {
        let mut r = super::super::tests::person_report();
        if let Answer::Person { people, .. } = &mut r.answer {
            people[0].last_name = "<script>x</script>".into();
        }
        let page = render(&r);
        assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
        assert!(page.ends_with("</html>\n"), "{page}");
        assert!(!page.contains("<script>"), "{page}");
        assert!(page.contains("&lt;script&gt;"), "{page}");
        assert!(!page.contains("http"), "no external asset: {page}");
    }
}
