//! Problems found in the inputs and by the plan: data, never panics. Each carries where
//! (`file:sheet:row:column` as Excel shows it), the offending value (NRNs masked), and what it
//! is (`ProblemKind`: a stable code and the arguments of its sentence, described once per kind
//! in `describe.rs`). The sentence and the hint are rendered from that description by
//! `report::messages`, never stored here.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use super::text::column_letters;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        })
    }
}

/// Where in the inputs. Rows are 1-based as the spreadsheet shows them, columns 0-based here and
/// shown as letters. `file_index`/`sheet_index` keep the order the files and sheets were read in.
/// Names are shared (`Arc`): every row of a 50,000-row sheet carries its location.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    pub file: Arc<str>,
    pub sheet: Option<Arc<str>>,
    pub row: Option<u32>,
    pub column: Option<u32>,
    pub file_index: u32,
    pub sheet_index: u32,
}

impl Location {
    pub fn file(file: impl Into<Arc<str>>, file_index: u32) -> Location {
        Location {
            file: file.into(),
            sheet: None,
            row: None,
            column: None,
            file_index,
            sheet_index: 0,
        }
    }

    pub fn with_row(&self, row: u32) -> Location {
        Location {
            row: Some(row),
            column: None,
            ..self.clone()
        }
    }

    pub fn with_column(&self, column: u32) -> Location {
        Location {
            column: Some(column),
            ..self.clone()
        }
    }

    /// The row alone (`file:sheet:row`), as plan actions cite their sources.
    pub fn row_only(&self) -> Location {
        Location {
            column: None,
            ..self.clone()
        }
    }

    fn sort_key(&self) -> (u32, u32, u32, u32) {
        (
            self.file_index,
            self.sheet_index,
            self.row.unwrap_or(0),
            self.column.map_or(0, |c| c + 1),
        )
    }
}

impl Ord for Location {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key()
            .cmp(&other.sort_key())
            .then_with(|| self.file.cmp(&other.file))
            .then_with(|| self.sheet.cmp(&other.sheet))
    }
}
impl PartialOrd for Location {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, ":{sheet}")?;
        }
        if let Some(row) = self.row {
            write!(f, ":{row}")?;
            if let Some(col) = self.column {
                write!(f, ":{}", column_letters(col))?;
            }
        }
        Ok(())
    }
}

impl serde::Serialize for Location {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A problem: what (`kind`, which gives its `code` and its arguments), how grave, where, and the
/// offending value. No sentence is stored: the kind describes its message and hint as ids of the
/// catalogue (`ProblemKind::describe`), which `report::messages` renders in the run's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub location: Location,
    /// The offending cell's value as shown to people (an NRN is masked).
    pub value: Option<String>,
    pub kind: ProblemKind,
}

impl Problem {
    pub fn new(severity: Severity, location: Location, kind: ProblemKind) -> Problem {
        Problem {
            severity,
            location,
            value: None,
            kind,
        }
    }

    pub fn error(location: Location, kind: ProblemKind) -> Self {
        Self::new(Severity::Error, location, kind)
    }

    pub fn warning(location: Location, kind: ProblemKind) -> Self {
        Self::new(Severity::Warning, location, kind)
    }

    pub fn note(location: Location, kind: ProblemKind) -> Self {
        Self::new(Severity::Note, location, kind)
    }

    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// The stable code machines and tests use (inputs.md "Problems"; the others in the README).
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

/// Why a whole file could not be read (`file-unreadable`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReadError {
    /// The system's reason, as it gives it.
    Io(String),
    Empty,
    NotText,
    Encrypted,
    /// The reading library's reason, as it gives it.
    Damaged(String),
    /// An .ods sheet whose values span more cells than the tool reads.
    TooLarge {
        sheet: String,
        rows: u64,
        cols: u64,
    },
    /// A workbook container without the part that makes it one (`xl/workbook.xml`,
    /// `content.xml`, an .xls's `Workbook` stream).
    MissingPart(String),
    /// A part declares more items than its size can hold (an xlsx's shared strings).
    DeclaredTooMany {
        part: String,
        declared: u64,
        room: u64,
    },
    /// An .xls sheet declares dimensions beyond what the tool reads.
    DeclaredTooLarge {
        rows: u64,
        cols: u64,
    },
    /// The extension, with its dot.
    Unsupported(String),
    /// A reading library panicked: what it said, for the report.
    ReaderFailed(String),
    /// Internal: cells not in row order while streaming; read again buffered.
    OutOfOrder,
}

/// What a column of the inputs holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    LastName,
    FirstName,
    Email,
    Nrn,
    Consent,
    Dossiers,
    Structures,
    /// The first day of a row's period (inputs.md "Dates").
    From,
    /// The last day of a row's period.
    Until,
    /// Wide form: one column per dossier, cells marked x/oui/1…
    Dossier(super::Dossier),
}

/// Two rows of one person that disagree on their identity (`identity-conflict`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityClash {
    /// One NRN (masked) with several e-mails.
    NrnWithEmails { nrn: String, emails: Vec<String> },
    /// One e-mail with several NRNs (masked).
    EmailWithNrns { email: String, nrns: Vec<String> },
}

/// Why a returned review sheet's row is not read (`review-row-unknown`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowUnknown {
    /// A person the sheet did not list (a row added).
    Added,
    /// Listed apart (administrateur, the caller): not to decide.
    Apart,
    /// A second row for a person already decided above.
    Twice,
}

/// Every kind of problem, with the arguments its sentence needs. Several kinds may share a code
/// (the NRN's many ways of being invalid are all `nrn-invalid`); each has its own sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProblemKind {
    // Files and sheets.
    FileUnreadable(ReadError),
    LockFileSkipped,
    FolderEmpty,
    SheetHidden,
    SheetMissing {
        sheet: String,
        sheets: Vec<String>,
    },
    NotUtf8,
    NoHeader,
    NothingRead,
    NoData,
    UnknownColumns {
        columns: Vec<(String, String)>,
    },
    ColumnTwice {
        header: String,
        used: String,
    },
    NoIdentityColumn,
    ValuePastHeader {
        value: String,
    },
    // Cells and rows.
    CellError {
        field: Field,
        error: String,
    },
    ValueControlCharacter {
        value: String,
    },
    EmailInvalid {
        email: String,
        reason: super::EmailError,
    },
    ConsentInvalid {
        value: String,
    },
    MarkInvalid {
        value: String,
        dossier: super::Dossier,
    },
    DossierUnknown {
        value: String,
        closest: Option<String>,
    },
    NoPerson,
    NrnInvalid {
        shown: String,
        reason: super::NrnError,
    },
    NrnScientific {
        shown: String,
    },
    NrnDate {
        value: String,
    },
    NrnNotNumber {
        value: String,
    },
    NrnPadded {
        digits: usize,
        read_as: String,
    },
    /// A `from` or `until` cell that is not a day (`value` as shown, see `shown_date_value`).
    DateInvalid {
        field: Field,
        value: String,
        reason: super::DateError,
    },
    /// `until` before `from` (days as `30/06/2027`).
    DateOrder {
        from: String,
        until: String,
    },
    // People across rows.
    IdentityConflict {
        clashes: Vec<IdentityClash>,
        rows: Vec<String>,
    },
    NameConflict {
        this: String,
        first_at: String,
        first: String,
    },
    /// A row ended longer ago than `[dates] end_window_days`: it no longer ends anything (a row
    /// left in the sheet for years does not undo a grant made since).
    AccessEnded {
        until: String,
        days: u32,
    },
    /// An ended row of the person has another e-mail (or NRN) than a row in effect or upcoming
    /// (a name or an address changed since): a warning, not a conflict (inputs.md "Dates").
    EmailChanged {
        ended: String,
        current: String,
        current_at: String,
    },
    // Structures against the portal.
    StructureIdUnknown {
        id: String,
        closest: Option<String>,
    },
    StructureNameUnknown {
        name: String,
        closest: Vec<String>,
    },
    StructureNotThere {
        name: String,
        place: String,
        candidates: Vec<String>,
    },
    StructureAmbiguous {
        name: String,
        candidates: Vec<String>,
        postal_code: String,
        city: String,
    },
    DossierNotOffered {
        dossier: super::Dossier,
    },
    // The plan.
    StructuresUnresolved {
        refs: Vec<String>,
    },
    NrnAndEmailApart {
        nrn: String,
        nrn_user: String,
        nrn_user_email: String,
        email: String,
        email_user: String,
    },
    EmailHasOtherNrn {
        email: String,
        user: String,
        user_nrn: Option<String>,
        nrn: String,
    },
    EmailDiffers {
        portal: String,
        inputs: String,
    },
    NameDiffers {
        user: String,
        portal: String,
        inputs: String,
    },
    PruneWithheld {
        email: String,
        dossiers: usize,
        structures: usize,
    },
    CreateIncomplete {
        person: String,
        missing: Vec<Field>,
    },
    ConsentMissing {
        person: String,
    },
    WiderThanAsked {
        pairs: Vec<(super::Dossier, Vec<super::StructureId>)>,
        rows: Vec<Location>,
    },
    ScopedWithoutStructures {
        dossiers: Vec<super::Dossier>,
    },
    StructuresWithoutScoped,
    /// Authoritative scope, but an input file gave no person: no leaver is revoked.
    ScopeIncomplete {
        leavers: usize,
    },
    /// Authoritative scope, but an input file is damaged (a cell with a NUL or another control
    /// character: a zeroed block may have swallowed whole rows): no leaver is revoked.
    ScopeDamaged {
        leavers: usize,
    },
    GuardRevocations {
        revocations: usize,
        max: usize,
        managed: usize,
        reaction: GuardReaction,
    },
    GuardCreations {
        creations: usize,
        max: usize,
        reaction: GuardReaction,
    },
    // A revert (evidence.md "Revert a run"): see `revert.rs`.
    /// An item the reverted run wrote that someone or a later run changed since: left as it is.
    RevertSuperseded {
        who: String,
        item: super::RevertItem,
        /// The run granted it (else revoked it).
        granted: bool,
        run: String,
        by: super::SupersededBy,
    },
    /// The history store does not cover the reverted run: only its journal and the portal as it
    /// is now are compared. `from`: what the store covers from, when there is one.
    RevertUnrecorded {
        run: String,
        from: Option<String>,
    },
    /// An action of the revert that the next nightly run would undo, at the input row that
    /// asks for it.
    RedoneByInputs {
        who: String,
        item: super::RevertItem,
        /// The revert revokes it (and the inputs give it); else grants it (and they take it).
        revoked: bool,
    },
    /// No inputs to plan: whether the next nightly run would undo the revert is not checked.
    RedoneUnchecked,
    /// The revocation guard of a revert: its base is what the users it touches hold now.
    GuardRevertRevocations {
        revocations: usize,
        max: usize,
        managed: usize,
        reaction: GuardReaction,
    },
    // Access review campaigns (evidence.md): see `review.rs`.
    /// A review sheet (A1 is the review marker) among the staff files: never read as staff.
    ReviewSheetInInputs,
    /// The reviewer's own row on the sheet they decide.
    ReviewSelf {
        email: String,
        structure: String,
    },
    /// A decision on the reviewer's own row of a returned sheet: not taken, the coordinator
    /// decides that row (same code as `ReviewSelf`, said at the decision's cell).
    ReviewSelfDecided {
        value: String,
    },
    /// A returned sheet's decision that is neither keep nor remove.
    ReviewDecisionInvalid {
        value: String,
    },
    /// A row added to a returned sheet, or a person who was not on it; a decision on a row
    /// listed apart, or a second row for one person, is not read either.
    ReviewRowUnknown {
        user: String,
        why: RowUnknown,
    },
    /// A returned sheet of no known campaign (`campaign` empty: no campaign line found), of a
    /// closed one, or of a structure the campaign did not ask.
    ReviewCampaignUnknown {
        campaign: String,
        closed: bool,
    },
    /// A returned sheet with more rows than its campaign listed plus 50: refused whole.
    ReviewSheetTooLarge {
        max: usize,
    },
    /// A returned file far larger than any review sheet could be (an xlsx's shared strings, an
    /// ods or xls grid, a CSV whose first lines do not tell its campaign): refused whole, before
    /// it is loaded.
    ReviewWorkbookTooLarge {
        mib: u64,
    },
    /// A « Remove » for a person whose access to that structure changed since the sheet was
    /// made: left out.
    ReviewStale {
        who: String,
        structure: String,
    },
    /// The review's removals leave a structure with nobody but administrateurs who can see it.
    ReviewStructureOrphaned {
        structure: String,
    },
    /// The revocation guard of a review's plan: its base is what the users it touches hold now.
    GuardReviewRevocations {
        revocations: usize,
        max: usize,
        managed: usize,
        reaction: GuardReaction,
    },
    /// A review's removal that the staff list would grant again the next night, at its row.
    ReviewRedone {
        who: String,
        structure: String,
    },
    /// No inputs to plan: whether the next night would grant the removals again is not checked.
    ReviewRedoneUnchecked,
    /// A returned sheet for a structure whose answers a run already applied: not taken.
    ReviewSheetApplied {
        structure: String,
        run: String,
    },
}

/// What a tripped guard leads to: `--allow-mass-change` lets it pass, `on_trip = "hold"` holds
/// the tripped kind for approval, `"stop"` stops the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuardReaction {
    Allowed,
    Hold,
    Stop,
}

impl ProblemKind {
    /// The stable code of the kind (its description's: `describe.rs` says each kind once).
    pub fn code(&self) -> &'static str {
        self.describe().code
    }
}

/// Problems in input order (file, sheet, row, column), errors before warnings at one place,
/// then by code: an order that is the same in every language. The sort is stable, so problems
/// of one code at one place keep the order they were found in.
pub fn sort_problems(problems: &mut [Problem]) {
    // Each problem's code is taken once (it comes with its description), not at every
    // comparison; this sort keeps the order of equal keys as a stable one does.
    problems.sort_by_cached_key(|p| (p.location.clone(), p.severity, p.code()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_render_as_excel_shows_them() {
        let f = Location::file("staff.xlsx", 0);
        let s = Location {
            sheet: Some(Arc::from("Personnel")),
            ..f.clone()
        };
        assert_eq!(
            s.with_row(4).with_column(2).to_string(),
            "staff.xlsx:Personnel:4:C"
        );
        assert_eq!(s.with_row(4).to_string(), "staff.xlsx:Personnel:4");
        assert_eq!(
            f.with_row(12).with_column(27).to_string(),
            "staff.xlsx:12:AB"
        );
        assert_eq!(f.to_string(), "staff.xlsx");
    }

    #[test]
    fn problems_sort_by_row_then_column() {
        let base = Location::file("a.csv", 0);
        let mut v = vec![
            Problem::warning(base.with_row(10).with_column(0), ProblemKind::NoData),
            Problem::error(base.with_row(2).with_column(3), ProblemKind::NoPerson),
            Problem::warning(base.with_row(2).with_column(1), ProblemKind::NoHeader),
            Problem::error(
                base.with_row(2).with_column(1),
                ProblemKind::NrnDate { value: "x".into() },
            ),
            Problem::error(base.with_row(2).with_column(1), ProblemKind::NoPerson),
            Problem::note(base.clone(), ProblemKind::NotUtf8),
        ];
        sort_problems(&mut v);
        let order: Vec<_> = v.iter().map(|p| p.code()).collect();
        assert_eq!(
            order,
            [
                "encoding-windows-1252",
                "no-person",
                "nrn-invalid",
                "no-header",
                "no-person",
                "no-data"
            ]
        );
    }
}
