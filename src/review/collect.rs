//! Reading a returned review sheet (xlsx, ods or `;` CSV, as a reviewer saves it; headers in
//! either language) into its answers: the campaign and structure found on the line above the
//! header, each row's decision by user id, and every problem located at its cell. Rows are taken
//! as the reader hands them over and dropped once a sheet has more than its campaign allows, so
//! a huge file is refused whole (`review-sheet-too-large`) without being held in memory.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Campaign, Sheet, is_campaign_id};
use crate::input::REVIEW_MARK;
use crate::input::sheet::{Cell, Event, RawRow};
use crate::model::{Lang, Location, Problem, ProblemKind};
use crate::msg;

/// At most this many problems are reported per file.
pub const MAX_PROBLEMS: usize = 100;
/// A returned sheet may hold this many rows more than its campaign listed.
pub const SLACK_ROWS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    Keep,
    Remove,
}

/// One person's answer on a returned sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub user_id: String,
    pub decision: Choice,
    pub comment: String,
    pub row: u32,
}

/// What a returned file answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Returned {
    pub campaign: String,
    pub structure: String,
    pub decisions: Vec<Decision>,
    /// People to decide the file gave no answer for.
    pub none: usize,
}

/// A file read: its answers when it was a sheet of an open campaign, and its problems.
#[derive(Debug, Default)]
pub struct FileRead {
    pub returned: Option<Returned>,
    pub problems: Vec<Problem>,
}

/// The columns of a decision sheet's header.
#[derive(Debug, Clone, Copy)]
struct Columns {
    user: u32,
    decision: u32,
    comment: Option<u32>,
}

enum State {
    /// Before the first sheet, or a sheet that is not the decision sheet.
    Skipping,
    /// After the marker: looking for the campaign line, then the header.
    Seeking(Option<(Campaign, usize)>),
    Reading {
        campaign: Campaign,
        sheet: usize,
        columns: Columns,
        rows: usize,
    },
    /// The decision sheet was read (or refused): the file's other sheets are not.
    Done,
}

/// Every word a header or a decision may be, in both languages (lower case).
fn words(id: fn() -> crate::report::i18n::Msg) -> Vec<String> {
    Lang::ALL
        .into_iter()
        .map(|l| id().text_in(l).trim().to_lowercase())
        .collect()
}

fn text(c: &Cell) -> String {
    c.display().trim().to_owned()
}

/// The campaign id a row names, and the cell it is in.
fn campaign_in(row: &RawRow) -> Option<(String, u32)> {
    row.cells.iter().find_map(|(col, c)| {
        let t = text(c);
        t.match_indices("rev-")
            .filter_map(|(i, _)| t.get(i..i + 23))
            .find(|id| is_campaign_id(id))
            .map(|id| (id.to_owned(), *col))
    })
}

struct Collector<'a> {
    lookup: &'a mut dyn FnMut(&str) -> Option<Campaign>,
    state: State,
    location: Location,
    decisions: Vec<Decision>,
    problems: Vec<Problem>,
    too_large: Option<(Location, usize)>,
    /// The decision sheet, once read to its end.
    finished: Option<(Campaign, usize)>,
}

impl Collector<'_> {
    fn problem(&mut self, p: Problem) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(p);
        }
    }

    fn event(&mut self, e: Event) {
        match e {
            Event::Sheet(l) => {
                self.state = match std::mem::replace(&mut self.state, State::Done) {
                    State::Reading {
                        campaign, sheet, ..
                    } => {
                        self.finished = Some((campaign, sheet));
                        State::Done
                    }
                    State::Done => State::Done,
                    _ => State::Skipping,
                };
                self.location = l;
            }
            Event::Rows(rows) => rows.iter().for_each(|r| self.row(r)),
            Event::Problem(p) => self.problem(p),
        }
    }

    fn row(&mut self, row: &RawRow) {
        let state = std::mem::replace(&mut self.state, State::Done);
        self.state = match state {
            State::Skipping if row.number == 1 => match row.get(0).map(text) {
                Some(t) if t == REVIEW_MARK => State::Seeking(None),
                _ => State::Skipping,
            },
            State::Seeking(found) => self.seek(row, found),
            State::Reading {
                campaign,
                sheet,
                columns,
                rows,
            } => self.read(row, campaign, sheet, columns, rows),
            other => other,
        };
    }

    /// Above the header: the campaign's line, then the header.
    fn seek(&mut self, row: &RawRow, found: Option<(Campaign, usize)>) -> State {
        let at = self.location.with_row(row.number);
        if found.is_none()
            && let Some((id, col)) = campaign_in(row)
        {
            let unknown = |closed| ProblemKind::ReviewCampaignUnknown {
                campaign: id.clone(),
                closed,
            };
            let Some(c) = (self.lookup)(&id) else {
                self.problem(Problem::error(at.with_column(col), unknown(false)));
                return State::Done;
            };
            if c.closed.is_some() {
                self.problem(Problem::error(at.with_column(col), unknown(true)));
                return State::Done;
            }
            let line: Vec<String> = row.cells.iter().map(|(_, c)| text(c)).collect();
            let named = |s: &Sheet| {
                line.iter().any(|t| {
                    t.split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '-'))
                        .any(|w| w == s.structure)
                })
            };
            let Some(i) = c.sheets.iter().position(named) else {
                self.problem(Problem::error(at.with_column(col), unknown(false)));
                return State::Done;
            };
            return State::Seeking(Some((c, i)));
        }
        let Some(columns) = header(row) else {
            return State::Seeking(found);
        };
        match found {
            Some((campaign, sheet)) => State::Reading {
                campaign,
                sheet,
                columns,
                rows: 0,
            },
            None => {
                let kind = ProblemKind::ReviewCampaignUnknown {
                    campaign: String::new(),
                    closed: false,
                };
                self.problem(Problem::error(at, kind));
                State::Done
            }
        }
    }

    fn read(
        &mut self,
        row: &RawRow,
        campaign: Campaign,
        sheet: usize,
        columns: Columns,
        rows: usize,
    ) -> State {
        let at = self.location.with_row(row.number);
        let user = row.get(columns.user).map(text).unwrap_or_default();
        let said = row.get(columns.decision).map(text).unwrap_or_default();
        let title = words(|| msg!("review-apart-title"));
        if row.is_blank() || title.contains(&user.to_lowercase()) {
            return State::Reading {
                campaign,
                sheet,
                columns,
                rows,
            };
        }
        let rows = rows + 1;
        let max = campaign.sheets.get(sheet).map_or(0, |s| s.people.len()) + SLACK_ROWS;
        if rows > max || self.too_large.is_some() {
            self.too_large.get_or_insert((self.location.clone(), max));
            return State::Reading {
                campaign,
                sheet,
                columns,
                rows,
            };
        }
        let listed = campaign
            .sheets
            .get(sheet)
            .and_then(|s| s.people.iter().find(|p| p.user_id == user));
        let seen = self.decisions.iter().any(|d| d.user_id == user);
        match listed {
            Some(p) if p.apart.is_none() && !seen => {
                self.decide(row, &at, columns, p.user_id.clone(), &said);
            }
            Some(p) if p.apart.is_some() && said.is_empty() => {}
            _ => self.problem(
                Problem::error(
                    at.with_column(columns.user),
                    ProblemKind::ReviewRowUnknown { user: user.clone() },
                )
                .with_value(user),
            ),
        }
        State::Reading {
            campaign,
            sheet,
            columns,
            rows,
        }
    }

    fn decide(
        &mut self,
        row: &RawRow,
        at: &Location,
        columns: Columns,
        user_id: String,
        said: &str,
    ) {
        let lower = said.to_lowercase();
        let choice = if said.is_empty() {
            return;
        } else if words(|| msg!("review-keep")).contains(&lower) {
            Choice::Keep
        } else if words(|| msg!("review-remove")).contains(&lower) {
            Choice::Remove
        } else {
            let kind = ProblemKind::ReviewDecisionInvalid {
                value: said.to_owned(),
            };
            let p = Problem::error(at.with_column(columns.decision), kind).with_value(said);
            self.problem(p);
            return;
        };
        let comment = columns
            .comment
            .and_then(|c| row.get(c))
            .map(text)
            .unwrap_or_default();
        self.decisions.push(Decision {
            user_id,
            decision: choice,
            comment,
            row: row.number,
        });
    }
}

/// The decision sheet's header: the user id and decision columns (either language), and the
/// comment's.
fn header(row: &RawRow) -> Option<Columns> {
    let find = |id: fn() -> crate::report::i18n::Msg| {
        let w = words(id);
        row.cells
            .iter()
            .find(|(_, c)| w.contains(&text(c).to_lowercase()))
            .map(|(col, _)| *col)
    };
    Some(Columns {
        user: find(|| msg!("review-col-user"))?,
        decision: find(|| msg!("review-col-decision"))?,
        comment: find(|| msg!("review-col-comment")),
    })
}

/// Reads the returned file `path` (the `index`-th given), its campaign found by `lookup`.
pub fn read_returned(
    path: &Path,
    index: u32,
    lookup: &mut dyn FnMut(&str) -> Option<Campaign>,
) -> FileRead {
    let location = Location::file(path.to_string_lossy().as_ref(), index);
    let mut c = Collector {
        lookup,
        state: State::Skipping,
        location: location.clone(),
        decisions: Vec::new(),
        problems: Vec::new(),
        too_large: None,
        finished: None,
    };
    let read = {
        let c = std::cell::RefCell::new(&mut c);
        crate::input::read_raw(
            path,
            &location,
            &mut || {
                let mut c = c.borrow_mut();
                c.state = State::Skipping;
                c.decisions.clear();
                c.problems.clear();
                c.too_large = None;
                c.finished = None;
            },
            &mut |e| c.borrow_mut().event(e),
        )
    };
    if let Err(e) = read {
        return FileRead {
            returned: None,
            problems: vec![Problem::error(location, ProblemKind::FileUnreadable(e))],
        };
    }
    finish(c, location)
}

fn finish(c: Collector<'_>, location: Location) -> FileRead {
    let mut problems = c.problems;
    if let Some((at, max)) = c.too_large {
        // Refused whole: no answer of it is taken, and its other problems do not matter.
        return FileRead {
            returned: None,
            problems: vec![Problem::error(at, ProblemKind::ReviewSheetTooLarge { max })],
        };
    }
    let read = match c.state {
        State::Reading {
            campaign, sheet, ..
        } => Some((campaign, sheet)),
        _ => c.finished,
    };
    let returned = match read {
        Some((campaign, sheet)) => campaign.sheets.get(sheet).map(|s| Returned {
            campaign: campaign.campaign.clone(),
            structure: s.structure.clone(),
            none: s.to_decide().count().saturating_sub(c.decisions.len()),
            decisions: c.decisions,
        }),
        None => {
            if problems.is_empty() {
                let kind = ProblemKind::ReviewCampaignUnknown {
                    campaign: String::new(),
                    closed: false,
                };
                problems.push(Problem::error(location, kind));
            }
            None
        }
    };
    FileRead { returned, problems }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::{Person, Sheet};

    /// A campaign of one sheet (MA-00101) listing `n` people to decide, `u-1` … `u-n`.
    fn campaign(n: u32) -> Campaign {
        let people = (1..=n)
            .map(|i| Person {
                user_id: format!("u-{i}"),
                last_name: "Nom".into(),
                first_name: "Prénom".into(),
                email: format!("p{i}@example.be"),
                dossiers: vec!["bilans".into()],
                since: None,
                held_before: false,
                row: 3 + i,
                apart: None,
                is_reviewer: false,
            })
            .collect();
        Campaign {
            campaign: "rev-2026-11-28-0a1b2c3d".into(),
            started: "2026-11-28T10:00:00.000Z".into(),
            due: "2026-12-12".into(),
            organisation: "org".into(),
            caller: "u-admin".into(),
            coordinator: None,
            closed: None,
            sheets: vec![Sheet {
                structure: "MA-00101".into(),
                name: "Crèche Les Lutins".into(),
                postal_code: "5000".into(),
                city: "Namur".into(),
                reviewer: None,
                lang: "fr".into(),
                by_coordinator: false,
                file: "MA-00101.xlsx".into(),
                sent: false,
                workbook_sha256: None,
                people,
                answers: Vec::new(),
            }],
            redone: Vec::new(),
        }
    }

    /// The decision sheet as a `;` CSV: the marker, the campaign line, the header, then one row
    /// per `(user id, decision)`.
    fn csv(rows: &[(String, &str)]) -> String {
        let mut out = format!(
            "{REVIEW_MARK};;\nCampagne rev-2026-11-28-0a1b2c3d · structure MA-00101;;\n\
             Id utilisateur;Décision;Commentaire\n"
        );
        for (user, said) in rows {
            out.push_str(&format!("{user};{said};\n"));
        }
        out
    }

    fn read(text: &str, c: &Campaign) -> FileRead {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("retour.csv");
        std::fs::write(&path, text).expect("written");
        read_returned(&path, 1, &mut |id| (id == c.campaign).then(|| c.clone()))
    }

    #[test]
    fn at_most_a_hundred_problems_are_reported_per_file_and_the_good_rows_still_count() {
        let c = campaign(180);
        let mut rows: Vec<(String, &str)> =
            (1..=150).map(|i| (format!("u-{i}"), "peut-être")).collect();
        rows.extend((151..=180).map(|i| (format!("u-{i}"), "Retirer")));
        let got = read(&csv(&rows), &c);
        assert_eq!(got.problems.len(), MAX_PROBLEMS);
        assert!(
            got.problems
                .iter()
                .all(|p| matches!(p.kind, ProblemKind::ReviewDecisionInvalid { .. }))
        );
        // The first problem is at the first row under the header (row 4), column Décision (B).
        assert_eq!(got.problems[0].location.row, Some(4));
        let returned = got.returned.expect("answers taken");
        assert_eq!(returned.decisions.len(), 30);
        assert!(
            returned
                .decisions
                .iter()
                .all(|d| d.decision == Choice::Remove)
        );
        assert_eq!(returned.none, 150);
    }

    #[test]
    fn a_sheet_past_its_slack_is_refused_whole_with_one_problem() {
        let c = campaign(3);
        let rows: Vec<(String, &str)> = (1..=(3 + SLACK_ROWS as u32 + 1))
            .map(|i| (format!("u-{i}"), "Garder"))
            .collect();
        let got = read(&csv(&rows), &c);
        assert!(got.returned.is_none());
        assert_eq!(got.problems.len(), 1);
        assert!(matches!(
            got.problems[0].kind,
            ProblemKind::ReviewSheetTooLarge { max: 53 }
        ));
        // Exactly at the slack: read, the unknown rows located.
        let rows: Vec<(String, &str)> = (1..=(3 + SLACK_ROWS as u32))
            .map(|i| (format!("u-{i}"), "Garder"))
            .collect();
        let got = read(&csv(&rows), &c);
        assert_eq!(got.returned.expect("read").decisions.len(), 3);
        assert_eq!(got.problems.len(), SLACK_ROWS);
    }
}
