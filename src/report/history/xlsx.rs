//! `history --report FILE.xlsx`. For `--person` it is the answer to that person's access
//! request (GDPR article 15), in the run's language: who they are (name, e-mail, portal user
//! id, the NRN masked when they were named by it), what the history covers, how to read it,
//! then each dossier and structure they could see with since, until and why (the run, its
//! input rows and approver; or by hand between two runs; or held before the history began).
//! For the other questions, the CSV's table under the same heading lines. Cells are written
//! as text (`report::table`), so nothing from the portal can run as a formula.

use rust_xlsxwriter::XlsxError;

use crate::history::PersonTimeline;
use crate::report::table::{Table, xlsx_bytes};
use crate::t;

use super::{Answer, HistoryReport, csv};

pub fn render(r: &HistoryReport) -> Result<Vec<u8>, XlsxError> {
    match &r.answer {
        Answer::Person { people, nrn } => access_request(r, people, nrn.as_deref()),
        Answer::On { people, .. } => {
            let mut table = csv::table(r);
            table.preamble = heading(r);
            if people.iter().any(|h| !h.certain) {
                table.preamble.push(t!("history-uncertain-note"));
            }
            table.preamble.extend(r.empty_answer());
            table.preamble.push(String::new());
            xlsx_bytes(&[&table])
        }
        Answer::Drift { .. } => {
            let mut table = csv::table(r);
            table.preamble = heading(r);
            table.preamble.extend(r.empty_answer());
            table.preamble.push(String::new());
            xlsx_bytes(&[&table])
        }
    }
}

/// The title, what the history covers, and how the answer was narrowed.
fn heading(r: &HistoryReport) -> Vec<String> {
    let mut lines = vec![r.title()];
    lines.extend(r.coverage());
    lines.extend(r.narrowed());
    lines
}

/// One sheet per person (there is one): who they are, what the history covers and how to
/// read it above the table of their intervals.
fn access_request(
    r: &HistoryReport,
    people: &[PersonTimeline],
    nrn: Option<&str>,
) -> Result<Vec<u8>, XlsxError> {
    let mut sheets = Vec::new();
    for p in people {
        sheets.push(person_sheet(r, p, nrn));
    }
    if sheets.is_empty() {
        // No person: the store holds nothing yet; the sheet says so rather than nothing.
        let mut t = Table::new(&t!("history-sheet-answer"), &[], Vec::new());
        t.preamble = vec![t!("history-art15-title")];
        t.preamble.extend(heading(r));
        sheets.push(t);
    }
    let refs: Vec<&Table> = sheets.iter().collect();
    xlsx_bytes(&refs)
}

fn person_sheet(r: &HistoryReport, p: &PersonTimeline, nrn: Option<&str>) -> Table {
    let mut preamble = vec![
        t!("history-art15-title"),
        t!(
            "history-art15-day",
            day = r.today.strftime("%d/%m/%Y").to_string()
        ),
        t!(
            "history-art15-who",
            name = super::full_name(p),
            email = p.email.as_str(),
            id = p.user_id.as_str()
        ),
    ];
    if let Some(nrn) = nrn {
        preamble.push(t!("history-nrn", nrn = nrn));
    }
    preamble.extend(r.coverage());
    preamble.extend(r.narrowed());
    preamble.push(t!("history-art15-what"));
    preamble.push(t!("history-art15-why"));
    if p.access.is_empty() {
        preamble.push(t!("history-person-nothing"));
    }
    preamble.push(String::new());
    let words = [
        t!("history-col-kind"),
        t!("history-col-item"),
        t!("history-col-label"),
        t!("history-col-since"),
        t!("history-col-until"),
        t!("history-col-began"),
        t!("history-col-ended"),
    ];
    let headers: Vec<&str> = words.iter().map(String::as_str).collect();
    let mut rows = Vec::new();
    for a in &p.access {
        for i in &a.intervals {
            let full = csv::interval_row(r, p, a, i);
            rows.push(full.get(4..11).map(<[String]>::to_vec).unwrap_or_default());
        }
    }
    let mut t = Table::new(&t!("history-sheet-answer"), &headers, rows);
    t.preamble = preamble;
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_access_request_reads_back() {
        use calamine::{Reader, Xlsx};
        let bytes = render(&super::super::tests::person_report()).unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let name = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&name).unwrap();
        let cells: Vec<String> = range.cells().map(|(_, _, c)| c.to_string()).collect();
        assert!(cells.iter().any(|c| c.contains("*******3328")), "{cells:?}");
        assert!(cells.iter().any(|c| c.contains("u-000010")), "{cells:?}");
        assert!(cells.iter().any(|c| c == "Bilans"), "{cells:?}");
        assert!(
            cells
                .iter()
                .any(|c| c.contains("held before the history began")),
            "{cells:?}"
        );
    }
}
