//! The answers of `proone-sync history` (evidence.md "`proone-sync history`") for people and
//! machines: one model, `HistoryReport`, and one renderer per format — terminal text
//! (`text.rs`), the JSON of evidence.md (`json.rs`), `;` CSV for Excel (`csv.rs`), Markdown for
//! a ticket (`markdown.rs`), a self-contained HTML page (`html.rs`) and the workbook
//! (`xlsx.rs`; for `--person`, the answer to that person's access request, GDPR article 15).
//! What every format says the same way lives here: how an interval began or ended, a dossier's
//! label, a structure's name, an instant as a Brussels clock shows it, and what the history
//! covers. No data logic: the store has answered already; NRNs arrive masked.

use std::collections::BTreeMap;

use crate::history::{Access, Cause, DriftChange, Holder, PersonTimeline, Subject};
use crate::model::Dossier;
use crate::t;

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod text;
pub mod xlsx;

/// The `format` of `history --format json`.
pub const HISTORY_FORMAT: &str = "proone-sync.history/1";

/// What was asked, and what the store answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// `--person`: their timeline (one person; none when the store is missing). `nrn`: the
    /// NRN they were named by, masked, when they were.
    Person {
        people: Vec<PersonTimeline>,
        nrn: Option<String>,
    },
    /// `--structure` / `--dossier` with `--on`.
    On {
        on: jiff::civil::Date,
        subject: Subject,
        people: Vec<Holder>,
    },
    /// `--drift`: the changes made by hand, newest first.
    Drift { changes: Vec<DriftChange> },
}

/// Everything a renderer needs, computed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryReport {
    /// The period the store covers (RFC 3339, its first and last observation); `None` when it
    /// observed nothing yet (or is missing).
    pub observed: Option<(String, String)>,
    /// Whether the store observed the whole period asked about.
    pub complete: bool,
    /// `--since` and `--until`, the Brussels days that narrowed the answer.
    pub since: Option<jiff::civil::Date>,
    pub until: Option<jiff::civil::Date>,
    /// The day the answer was given (the run's today).
    pub today: jiff::civil::Date,
    pub answer: Answer,
    /// Structure id → (name, city), as the store last saw them.
    pub structures: BTreeMap<String, (String, String)>,
}

impl HistoryReport {
    /// `MA-00101 — Crèche Les Lutins (Namur)`, or the id alone when the store never saw its
    /// name.
    pub fn structure_label(&self, id: &str) -> String {
        match self.structures.get(id) {
            Some((name, city)) => format!("{id} — {name} ({city})"),
            None => id.to_owned(),
        }
    }

    /// The structure's name and city alone (for a column of its own), or nothing.
    pub fn structure_name(&self, id: &str) -> String {
        self.structures
            .get(id)
            .map(|(name, city)| format!("{name} ({city})"))
            .unwrap_or_default()
    }

    /// What an item of a person's timeline is, for people: the dossier's label (marked
    /// implicit for an administrateur's Pré-demandes), or the structure's id, name and city.
    pub fn access_label(&self, a: &Access) -> String {
        match (&a.dossier, &a.structure) {
            (Some(code), _) if a.implicit => {
                t!("history-implicit", dossier = dossier_label(code))
            }
            (Some(code), _) => dossier_label(code),
            (None, Some(id)) => self.structure_label(id),
            (None, None) => String::new(),
        }
    }

    /// What `--on` asked about, for people.
    pub fn subject_label(&self, s: &Subject) -> String {
        match s {
            Subject::Structure(id) => t!(
                "history-subject-structure",
                structure = self.structure_label(id)
            ),
            Subject::Dossier(code) => t!("history-subject-dossier", dossier = dossier_label(code)),
        }
    }

    /// What a change by hand was about: the dossier's label, the structure, or the profile.
    pub fn change_item(&self, c: &DriftChange) -> String {
        match (&c.dossier, &c.structure, &c.profile) {
            (Some(code), _, _) => dossier_label(code),
            (_, Some(id), _) => self.structure_label(id),
            (_, _, Some(p)) => t!("history-profile", profile = p.as_str()),
            _ => String::new(),
        }
    }

    /// The period the store covers, in a sentence; and when the answer is not complete, why
    /// it cannot be.
    pub fn coverage(&self) -> Vec<String> {
        let mut out = Vec::new();
        match &self.observed {
            Some((first, last)) => {
                out.push(t!("history-covers", first = when(first), last = when(last)));
                if !self.complete {
                    out.push(t!(
                        "history-incomplete",
                        first = when(first),
                        last = when(last)
                    ));
                }
            }
            None => out.push(t!("history-nothing-observed")),
        }
        out
    }

    /// What an empty list of holders or changes means, in a sentence: nobody (or no change)
    /// when the history observed the whole period; that it cannot say, when it did not. `None`
    /// when the list is not empty, or when the history observed nothing at all (`coverage`
    /// says so already).
    pub fn empty_answer(&self) -> Option<String> {
        self.observed.as_ref()?;
        match &self.answer {
            Answer::On { people, .. } if people.is_empty() => Some(if self.complete {
                t!("history-on-nobody")
            } else {
                t!("history-on-unknown")
            }),
            Answer::Drift { changes } if changes.is_empty() => Some(if self.complete {
                t!("history-drift-none")
            } else {
                t!("history-drift-unknown")
            }),
            _ => None,
        }
    }

    /// `--since` / `--until` in a sentence, when either was given.
    pub fn narrowed(&self) -> Option<String> {
        let day = |d: jiff::civil::Date| d.strftime("%d/%m/%Y").to_string();
        match (self.since, self.until) {
            (Some(s), Some(u)) => Some(t!("history-between", since = day(s), until = day(u))),
            (Some(s), None) => Some(t!("history-from", since = day(s))),
            (None, Some(u)) => Some(t!("history-to", until = day(u))),
            (None, None) => None,
        }
    }

    /// The title of the answer, for people.
    pub fn title(&self) -> String {
        match &self.answer {
            Answer::Person { people, .. } => match people.first() {
                Some(p) => t!("history-title-person", name = full_name(p)),
                None => t!("history-title-person-unknown"),
            },
            Answer::On { on, subject, .. } => t!(
                "history-title-on",
                subject = self.subject_label(subject),
                day = on.strftime("%d/%m/%Y").to_string()
            ),
            Answer::Drift { .. } => t!("history-title-drift"),
        }
    }
}

/// `Marie Dupont`, or the e-mail when the store has no name.
pub fn full_name(p: &PersonTimeline) -> String {
    let name = format!("{} {}", p.first_name, p.last_name);
    match name.trim() {
        "" => p.email.clone(),
        n => n.to_owned(),
    }
}

/// `Marie Dupont <marie.dupont@…> (u-000010)`.
pub fn who(first: &str, last: &str, email: &str, id: &str) -> String {
    let name = format!("{first} {last}");
    match (name.trim(), email) {
        ("", "") => id.to_owned(),
        ("", e) => format!("<{e}> ({id})"),
        (n, "") => format!("{n} ({id})"),
        (n, e) => format!("{n} <{e}> ({id})"),
    }
}

/// A dossier's catalogue label, or its code when it is outside the catalogue.
pub fn dossier_label(code: &str) -> String {
    Dossier::from_code(code).map_or_else(|| code.to_owned(), |d| d.label().to_owned())
}

/// An instant the store wrote, as a Brussels clock shows it: `28/11/2026 02:30`.
pub fn when(stamp: &str) -> String {
    shown(stamp, "%d/%m/%Y %H:%M")
}

/// The same instant sortable, for spreadsheets: `2026-11-28 02:30`.
pub fn when_sortable(stamp: &str) -> String {
    shown(stamp, "%Y-%m-%d %H:%M")
}

fn shown(stamp: &str, format: &str) -> String {
    match crate::history::parse_stamp(stamp) {
        Some(t) => crate::history::brussels()
            .to_datetime(t)
            .strftime(format)
            .to_string(),
        None => stamp.to_owned(),
    }
}

/// An op of the job or of a change by hand, for people.
pub fn op_word(op: &str) -> String {
    t!("history-op", op = op)
}

/// How a start or an end came, in a sentence: the job's run, op, input rows and approver; by
/// hand between two runs; or held before the history began.
pub fn cause_text(c: &Cause) -> String {
    match c {
        Cause::Job {
            run,
            op,
            sources,
            approved_by,
        } => {
            let mut parts = vec![t!("history-by-job", run = run.as_str(), op = op_word(op))];
            if !sources.is_empty() {
                parts.push(t!("history-rows", rows = sources.join(", ")));
            }
            if let Some(by) = approved_by.as_deref().filter(|b| !b.trim().is_empty()) {
                parts.push(t!("history-approved-by", by = by));
            }
            parts.join(", ")
        }
        Cause::Hand {
            after_run: Some(after),
            seen_at_run,
        } => t!(
            "history-by-hand-between",
            after = after.as_str(),
            seen = seen_at_run.as_str()
        ),
        Cause::Hand {
            after_run: None,
            seen_at_run,
        } => t!("history-by-hand-seen", seen = seen_at_run.as_str()),
        Cause::Unknown => t!("history-before-history"),
    }
}

/// The ended side of an interval: how it ended, or that it is still held.
pub fn ended_text(c: Option<&Cause>) -> String {
    c.map_or_else(|| t!("history-still-held"), cause_text)
}

/// An interval's end for people: the instant, or « still held ».
pub fn until_text(until: Option<&str>) -> String {
    until.map_or_else(|| t!("history-still-held"), when)
}

/// `Bilans, Pré-demandes` (labels), the implicit ones marked.
pub fn holder_dossiers(h: &Holder) -> String {
    let implicit: Vec<&str> = Dossier::ADMINISTRATEUR_IMPLICIT
        .iter()
        .map(|d| d.code())
        .collect();
    let words: Vec<String> = h
        .dossiers
        .iter()
        .map(|code| {
            if h.implicit && implicit.contains(&code.as_str()) {
                t!("history-implicit", dossier = dossier_label(code))
            } else {
                dossier_label(code)
            }
        })
        .collect();
    words.join(", ")
}

/// Yes or no in the run's language, for a column.
pub fn yes_no(b: bool) -> String {
    if b {
        t!("history-yes")
    } else {
        t!("history-no")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::history::Interval;

    /// A report of one person with a dossier granted by the job and a structure held before
    /// the history began and removed by hand.
    pub fn person_report() -> HistoryReport {
        let job = Cause::Job {
            run: "run-20261102T023000Z".into(),
            op: "grant_dossier".into(),
            sources: vec!["staff.xlsx:Personnel:4".into()],
            approved_by: Some("ana".into()),
        };
        let hand = Cause::Hand {
            after_run: Some("run-20261102T023000Z".into()),
            seen_at_run: "run-20261103T023000Z".into(),
        };
        let interval = |since: &str, until: Option<&str>, began, ended| Interval {
            since: since.into(),
            until: until.map(str::to_owned),
            began,
            ended,
            since_earliest: None,
            until_surely: None,
        };
        HistoryReport {
            observed: Some((
                "2026-11-01T01:30:00.000Z".into(),
                "2026-11-03T01:30:00.000Z".into(),
            )),
            complete: true,
            since: None,
            until: None,
            today: jiff::civil::date(2026, 11, 28),
            answer: Answer::Person {
                nrn: Some("*******3328".into()),
                people: vec![PersonTimeline {
                    user_id: "u-000010".into(),
                    email: "marie.dupont@lespetitspas.be".into(),
                    last_name: "Dupont".into(),
                    first_name: "=Marie".into(),
                    access: vec![
                        Access {
                            dossier: Some("bilans".into()),
                            structure: None,
                            implicit: false,
                            intervals: vec![interval("2026-11-02T01:30:00.000Z", None, job, None)],
                        },
                        Access {
                            dossier: None,
                            structure: Some("MA-00101".into()),
                            implicit: false,
                            intervals: vec![interval(
                                "2026-11-01T01:30:00.000Z",
                                Some("2026-11-03T01:30:00.000Z"),
                                Cause::Unknown,
                                Some(hand),
                            )],
                        },
                    ],
                }],
            },
            structures: [(
                "MA-00101".to_owned(),
                ("Crèche Les Lutins".to_owned(), "Namur".to_owned()),
            )]
            .into_iter()
            .collect(),
        }
    }

    #[test]
    fn causes_are_said_with_their_run_rows_and_approver() {
        // The process's language is English unless a test sets it (none does: it is global).
        let r = person_report();
        let Answer::Person { people, .. } = &r.answer else {
            panic!("a person");
        };
        let bilans = &people[0].access[0].intervals[0];
        let said = cause_text(&bilans.began);
        assert!(said.contains("run-20261102T023000Z"), "{said}");
        assert!(said.contains("staff.xlsx:Personnel:4"), "{said}");
        assert!(said.contains("ana"), "{said}");
        let structure = &people[0].access[1].intervals[0];
        assert!(
            ended_text(structure.ended.as_ref()).contains("between run-20261102T023000Z and"),
            "{}",
            ended_text(structure.ended.as_ref())
        );
        assert_eq!(
            r.access_label(&people[0].access[1]),
            "MA-00101 — Crèche Les Lutins (Namur)"
        );
        // 01:30 UTC is 02:30 in Brussels in November.
        assert_eq!(when("2026-11-02T01:30:00.000Z"), "02/11/2026 02:30");
        assert_eq!(
            when_sortable("2026-07-02T01:30:00.000Z"),
            "2026-07-02 03:30"
        );
    }
}
