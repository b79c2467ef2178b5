//! Reading a returned review sheet (xlsx, ods or `;` CSV, as a reviewer saves it; headers in
//! either language) into its answers: the campaign and structure found on the line above the
//! header, each row's decision by user id, and every problem located at its cell. A sheet with
//! more rows than its campaign allows is refused whole (`review-sheet-too-large`) without being
//! read into memory: a CSV larger than such a sheet can be is refused from its first rows, and
//! any other stops the reader at the first batch of rows past the allowance. A decision on the
//! reviewer's own row is not taken (`review-self`): their access stays as it is.

use std::ops::ControlFlow;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Campaign, Sheet, is_campaign_id};
use crate::input::REVIEW_MARK;
use crate::input::sheet::{Cell, Event, RawRow};
use crate::model::{Lang, Location, Problem, ProblemKind, ReadError, RowUnknown, Severity};
use crate::msg;

/// At most this many problems are reported per file.
pub const MAX_PROBLEMS: usize = 100;
/// A returned sheet may hold this many rows more than its campaign listed.
pub const SLACK_ROWS: usize = 50;

/// A returned CSV larger than this is judged by its first whole lines within it before the rest
/// is read: the marker, the campaign line and the header come first and take a few hundred
/// bytes, so 64 KiB holds them with room to spare (and is cheap to hold).
const HEAD_BYTES: usize = 64 * 1024;

/// What one row of a returned CSV may take on average before the file is refused unread. A row
/// of a decision sheet is nine short cells — user id, names, e-mail, dossiers, a day, the
/// decision, a comment, a note — a few hundred bytes even in UTF-16. 8 KiB a row, counted over
/// the slack rows too, leaves room for a long comment on every row: a sheet within its row
/// allowance is refused by its size only if its rows average thousands of characters, while a
/// file too large for any such sheet is refused before it is read (a sheet listing 30 people
/// may take (30 + 50 + 16) × 8 KiB + 64 KiB = 832 KiB; 50 MB is refused from its first lines).
const ROW_BYTES: u64 = 8 * 1024;

/// Rows of a decision sheet besides its people and the slack: the marker, the campaign line,
/// the header, the title of those listed apart, and room for a few lines typed above the header.
const OTHER_ROWS: u64 = 16;

/// The largest size of a returned CSV whose sheet may hold `allowed` rows (see `ROW_BYTES`;
/// the head's size on top, for a BOM, long lines above the header and the last line break).
fn csv_bound(allowed: usize) -> u64 {
    (allowed as u64 + OTHER_ROWS) * ROW_BYTES + HEAD_BYTES as u64
}

/// The rows the `sheet`-th sheet of `campaign` may hold: the people it listed and the slack.
fn allowed(campaign: &Campaign, sheet: usize) -> usize {
    campaign.sheets.get(sheet).map_or(0, |s| s.people.len()) + SLACK_ROWS
}

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
    /// The decision sheet's name (none in a CSV): where each decision's row is.
    pub sheet: Option<String>,
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
    /// The decision sheet's name, once its header was found.
    sheet_name: Option<String>,
}

impl<'a> Collector<'a> {
    fn new(lookup: &'a mut dyn FnMut(&str) -> Option<Campaign>, location: Location) -> Self {
        Collector {
            lookup,
            state: State::Skipping,
            location,
            decisions: Vec::new(),
            problems: Vec::new(),
            too_large: None,
            finished: None,
            sheet_name: None,
        }
    }

    fn problem(&mut self, p: Problem) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(p);
        }
    }

    /// Takes what the reader hands over; `Break` once nothing more of the file can change its
    /// answers: the decision sheet read or refused, or past its allowance (refused whole).
    fn event(&mut self, e: Event) -> ControlFlow<()> {
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
            Event::Rows(rows) => {
                for r in &rows {
                    self.row(r);
                    if self.too_large.is_some() {
                        break;
                    }
                }
            }
            Event::Problem(p) => self.problem(p),
        }
        if self.too_large.is_some() || matches!(self.state, State::Done) {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
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
            Some((campaign, sheet)) => {
                self.sheet_name = self.location.sheet.as_deref().map(str::to_owned);
                State::Reading {
                    campaign,
                    sheet,
                    columns,
                    rows: 0,
                }
            }
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
        let max = allowed(&campaign, sheet);
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
            // The reviewer does not decide their own access: whatever they wrote is set aside
            // (no answer for that row), said at the cell; a change to it is asked of the coordinator.
            Some(p) if p.apart.is_none() && p.is_reviewer => {
                if !said.is_empty() {
                    let kind = ProblemKind::ReviewSelfDecided {
                        value: said.clone(),
                    };
                    let p =
                        Problem::warning(at.with_column(columns.decision), kind).with_value(said);
                    self.problem(p);
                }
            }
            Some(p) if p.apart.is_none() && !seen => {
                self.decide(row, &at, columns, p.user_id.clone(), &said);
            }
            Some(p) if p.apart.is_some() && said.is_empty() => {}
            found => {
                let why = match found {
                    None => RowUnknown::Added,
                    Some(p) if p.apart.is_some() => RowUnknown::Apart,
                    Some(_) => RowUnknown::Twice,
                };
                let kind = ProblemKind::ReviewRowUnknown {
                    user: user.clone(),
                    why,
                };
                self.problem(Problem::error(at.with_column(columns.user), kind).with_value(user));
            }
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
    if let Some(decided) = from_head(path, &location, lookup) {
        return decided;
    }
    if let Some(mib) = shared_strings_too_large(path).or_else(|| dense_too_large(path)) {
        let kind = ProblemKind::ReviewWorkbookTooLarge { mib };
        return FileRead {
            returned: None,
            problems: vec![Problem::error(location, kind)],
        };
    }
    let mut c = Collector::new(lookup, location.clone());
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

/// The most text an xlsx's shared strings may hold (uncompressed, as its zip says): calamine
/// loads the whole table when it opens the workbook, before the first row — at about twice its
/// size in memory — so a workbook past this is refused unread. A review sheet of 1,000 people
/// holds well under 1 MiB of strings; 16 MiB keeps the process far below 200 MB.
const SHARED_STRINGS_MIB: u64 = 16;

/// `Some(limit in MiB)` when `path` is an xlsx whose shared strings are past
/// `SHARED_STRINGS_MIB`; anything else (another format, an unreadable zip) is left to the
/// reader, which says what is wrong with it.
fn shared_strings_too_large(path: &Path) -> Option<u64> {
    let file = std::fs::File::open(path).ok()?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).ok()?;
    let part = archive.by_name("xl/sharedStrings.xml").ok()?;
    (part.size() > SHARED_STRINGS_MIB * 1024 * 1024).then_some(SHARED_STRINGS_MIB)
}

/// The most cells a returned ods or xls sheet may span (rows × columns): calamine builds those
/// formats as whole grids before the first row is seen, about 120 bytes a cell. A review sheet
/// of 1,000 people spans some 10,000; 200,000 keeps the grid under 30 MB.
const DENSE_CELLS: u64 = 200_000;

/// The largest CSV read whole when its first lines did not tell its campaign (the header past
/// `HEAD_BYTES`, no line break in it, a damaged head): decoding holds about four times its size.
const TEXT_MIB: u64 = 16;

/// `Some(MiB)` when `path` is an ods or xls past `DENSE_CELLS`, said as its size in MiB.
fn dense_too_large(path: &Path) -> Option<u64> {
    match crate::input::dense_within(path, DENSE_CELLS) {
        Err(ReadError::TooLarge { .. } | ReadError::DeclaredTooLarge { .. }) => Some(
            std::fs::metadata(path)
                .map_or(0, |m| m.len())
                .div_ceil(1024 * 1024),
        ),
        _ => None,
    }
}

/// `Some(TEXT_MIB)` when `path` is delimited text larger than `TEXT_MIB`.
fn text_too_large(path: &Path, size: u64) -> Option<u64> {
    (crate::input::is_text(path) && size > TEXT_MIB * 1024 * 1024).then_some(TEXT_MIB)
}

/// A returned CSV larger than `HEAD_BYTES`, judged by its first whole lines before the rest is
/// read: `Some` when they decide the file's answer. Once the header is reached the campaign and
/// its allowance are known, and a file larger than `csv_bound` of it is refused whole, unread. A
/// CSV is one sheet, so a first row that is not the marker, or a campaign refused above the
/// header, decides it too: nothing further in the file could be taken. `None`: not a CSV, no
/// line within the head, or a marker whose header lies past it — the whole read decides.
fn from_head(
    path: &Path,
    location: &Location,
    lookup: &mut dyn FnMut(&str) -> Option<Campaign>,
) -> Option<FileRead> {
    let size = std::fs::metadata(path).ok()?.len();
    if size <= HEAD_BYTES as u64 {
        return None;
    }
    let mut head = Collector::new(lookup, location.clone());
    let read = crate::input::read_text_head(path, location, HEAD_BYTES, &mut |e| head.event(e));
    // Undecided by its head, a large text file would be read whole: refused past `TEXT_MIB`.
    let unread = |mib| FileRead {
        returned: None,
        problems: vec![Problem::error(
            location.clone(),
            ProblemKind::ReviewWorkbookTooLarge { mib },
        )],
    };
    // An error is the whole read's to say (it meets it too, at the same place or sooner).
    if !matches!(read, Ok(true)) {
        return text_too_large(path, size).map(unread);
    }
    let decided = match &head.state {
        _ if head.too_large.is_some() => true,
        State::Reading {
            campaign, sheet, ..
        } => {
            let max = allowed(campaign, *sheet);
            if size > csv_bound(max) {
                head.too_large = Some((head.location.clone(), max));
            }
            head.too_large.is_some()
        }
        State::Skipping | State::Done => true,
        State::Seeking(_) => false,
    };
    if !decided {
        return text_too_large(path, size).map(unread);
    }
    Some(finish(head, location.clone()))
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
            sheet: c.sheet_name,
        }),
        None => {
            // A note of the reader (a CSV read as Windows-1252) does not say why nothing was
            // taken: the file still gets its error.
            if !problems.iter().any(|p| p.severity == Severity::Error) {
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
    fn a_second_row_for_one_person_and_an_unlisted_one_are_not_read_and_say_why() {
        let c = campaign(3);
        let rows = vec![
            ("u-1".to_owned(), "Retirer"),
            ("u-1".to_owned(), "Garder"),
            ("u-99".to_owned(), "Retirer"),
        ];
        let got = read(&csv(&rows), &c);
        let whys: Vec<RowUnknown> = got
            .problems
            .iter()
            .filter_map(|p| match p.kind {
                ProblemKind::ReviewRowUnknown { why, .. } => Some(why),
                _ => None,
            })
            .collect();
        assert_eq!(whys, [RowUnknown::Twice, RowUnknown::Added]);
        let returned = got.returned.expect("read");
        assert_eq!(returned.decisions.len(), 1);
        assert_eq!(returned.decisions[0].decision, Choice::Remove);
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

    /// `read` of raw bytes, the file named `name`.
    fn read_bytes(name: &str, bytes: &[u8], c: &Campaign) -> FileRead {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("written");
        read_returned(&path, 1, &mut |id| (id == c.campaign).then(|| c.clone()))
    }

    fn codes(got: &FileRead) -> Vec<&'static str> {
        got.problems.iter().map(Problem::code).collect()
    }

    #[test]
    fn a_csv_larger_than_its_sheet_may_be_is_refused_from_its_first_rows() {
        let c = campaign(3);
        // Three rows, each with a long comment: past the head, within what three people and the
        // slack may take — read, and the answers taken.
        let long = "x".repeat(30 * 1024);
        let mut text = csv(&[]);
        for i in 1..=3 {
            text.push_str(&format!("u-{i};Retirer;{long}\n"));
        }
        assert!(text.len() > HEAD_BYTES && (text.len() as u64) < csv_bound(3 + SLACK_ROWS));
        let got = read_bytes("retour.csv", text.as_bytes(), &c);
        assert!(got.problems.is_empty(), "{:?}", got.problems);
        let returned = got.returned.expect("read");
        assert_eq!(returned.decisions.len(), 3);
        assert_eq!(returned.decisions[2].comment.len(), long.len());
        // Past what the sheet may take, in UTF-16 as Excel's « Unicode text » writes it: refused
        // whole though it has only its three rows — its rows were never read.
        let huge = "x".repeat(csv_bound(3 + SLACK_ROWS) as usize / 2);
        let mut text = csv(&[]);
        text.push_str("u-1;Garder;\n");
        text.push_str(&format!("u-2;Retirer;{huge}\n"));
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let got = read_bytes("retour.txt", &utf16, &c);
        assert!(got.returned.is_none());
        assert_eq!(codes(&got), vec!["review-sheet-too-large"]);
        assert!(matches!(
            got.problems[0].kind,
            ProblemKind::ReviewSheetTooLarge { max: 53 }
        ));
    }

    #[test]
    fn a_csv_that_is_no_review_sheet_is_refused_even_read_as_windows_1252() {
        let c = campaign(3);
        // A staff list in Windows-1252 (é = 0xE9), small and large: the note on its encoding,
        // and the error that says why nothing was taken.
        let mut text = b"Nom;Pr\xe9nom;Email\n".to_vec();
        for i in 0..3000 {
            text.extend_from_slice(format!("Dupont{i};Ren").as_bytes());
            text.extend_from_slice(b"\xe9e;r@x.be\n");
        }
        for len in [40, text.len()] {
            let got = read_bytes("personnel.csv", &text[..len], &c);
            assert!(got.returned.is_none());
            let mut codes = codes(&got);
            codes.sort_unstable();
            assert_eq!(
                codes,
                vec!["encoding-windows-1252", "review-campaign-unknown"],
                "{len}"
            );
        }
    }

    #[test]
    fn a_decision_on_the_reviewers_own_row_is_not_taken_and_said_at_its_cell() {
        let mut c = campaign(3);
        c.sheets[0].people[1].is_reviewer = true;
        for said in ["Retirer", "peut-être"] {
            let rows = [
                ("u-1".to_owned(), "Garder"),
                ("u-2".to_owned(), said),
                ("u-3".to_owned(), ""),
            ];
            let got = read(&csv(&rows), &c);
            assert_eq!(codes(&got), vec!["review-self"], "{said}");
            let p = &got.problems[0];
            assert_eq!(p.severity, Severity::Warning);
            assert_eq!((p.location.row, p.location.column), (Some(5), Some(1)));
            let returned = got.returned.expect("read");
            let taken: Vec<&str> = returned
                .decisions
                .iter()
                .map(|d| d.user_id.as_str())
                .collect();
            assert_eq!(taken, vec!["u-1"]);
            assert_eq!(returned.none, 2);
        }
        // Left blank, as asked: nothing to say.
        let rows = [("u-1".to_owned(), "Garder"), ("u-2".to_owned(), "")];
        assert!(read(&csv(&rows), &c).problems.is_empty());
    }

    #[test]
    fn a_workbook_past_its_allowance_is_not_read_to_its_end() {
        // 5,000 rows past a sheet of three, then a cell that cannot be read: the reader stops at
        // the allowance and never meets it.
        let c = campaign(3);
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let lines = [
            REVIEW_MARK,
            "Campagne rev-2026-11-28-0a1b2c3d · structure MA-00101",
        ];
        for (r, text) in lines.iter().enumerate() {
            ws.write_string(r as u32, 0, *text).expect("cell");
        }
        for (col, text) in ["Id utilisateur", "Décision"].iter().enumerate() {
            ws.write_string(2, col as u16, *text).expect("cell");
        }
        for r in 3..5003u32 {
            ws.write_string(r, 0, format!("u-{r}")).expect("cell");
            ws.write_string(r, 1, "Garder").expect("cell");
        }
        ws.write_string(5003, 0, "la dernière").expect("cell");
        let bytes = wb.save_to_buffer().expect("xlsx");
        let damaged = damage_last_shared_string(&bytes);
        // The damage is real: read to its end, the file cannot be read.
        let whole = read_bytes("retour.xlsx", &damaged, &campaign(6000));
        assert_eq!(codes(&whole), vec!["file-unreadable"]);
        let got = read_bytes("retour.xlsx", &damaged, &c);
        assert_eq!(codes(&got), vec!["review-sheet-too-large"]);
    }

    /// The xlsx `bytes` with its sheet's last shared-string cell pointing past the string table.
    fn damage_last_shared_string(bytes: &[u8]) -> Vec<u8> {
        use std::io::{Read, Write};
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for i in 0..archive.len() {
            let mut part = archive.by_index(i).expect("part");
            let name = part.name().expect("its name").to_string();
            let mut content = Vec::new();
            part.read_to_end(&mut content).expect("read");
            if name == "xl/worksheets/sheet1.xml" {
                let text = String::from_utf8(content).expect("xml");
                let at = text.rfind("<v>").expect("a value") + 3;
                let end = at + text[at..].find('<').expect("its end");
                content = format!("{}999999{}", &text[..at], &text[end..]).into_bytes();
            }
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("part");
            out.write_all(&content).expect("written");
        }
        out.finish().expect("zip").into_inner()
    }
}
