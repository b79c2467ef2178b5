//! What the inputs ask for: people (identified by NRN and/or e-mail), their access, and the rows
//! that asked for it. Built by `input`, read by `plan`.

use std::collections::BTreeSet;

use super::{DossierSet, Email, Location, Nrn, Period, StructureRef, VecSet};

/// One structure set shared by every scoped dossier (portal-api.md), plus the dossiers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    pub dossiers: DossierSet,
    pub structures: VecSet<StructureRef>,
}

impl Access {
    pub fn is_empty(&self) -> bool {
        self.dossiers.is_empty() && self.structures.is_empty()
    }

    pub fn extend(&mut self, other: &Access) {
        self.dossiers = self.dossiers.union(&other.dossiers);
        self.structures.extend(other.structures.iter().cloned());
    }
}

/// What one valid row asked for, kept so the plan can tell "asked" from "wider than asked",
/// and for which days (`period`: `Period::OPEN` for a row without dates; the plan asks
/// `period.state_on(today)` whether the row is upcoming, in effect or ended).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowRequest {
    pub source: Location,
    pub access: Access,
    /// The row's `from` and `until` days, both included (an empty cell is open).
    pub period: Period,
    /// Where that row's sheet has each field, to locate problems at their cell.
    pub columns: Columns,
}

/// The column of each field in a sheet (0-based), where the sheet has one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Columns {
    pub last_name: Option<u32>,
    pub first_name: Option<u32>,
    pub email: Option<u32>,
    pub nrn: Option<u32>,
    pub consent: Option<u32>,
    pub structures: Option<u32>,
    /// The `from` and `until` columns (inputs.md "Dates").
    pub from: Option<u32>,
    pub until: Option<u32>,
}

/// A person of the inputs, merged over all their rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub nrn: Option<Nrn>,
    pub email: Option<Email>,
    pub last_name: Option<String>,
    pub first_name: Option<String>,
    /// A yes on any row is enough.
    pub consent: bool,
    /// Union of the access of every row in effect on the plan's day.
    pub access: Access,
    /// The rows in effect on the plan's day (every row of a sheet without dates).
    pub rows: Vec<RowRequest>,
    /// The rows that start after the plan's day (inputs.md "Dates"): they ask for nothing yet
    /// and never act; they still name the person (no leaver).
    pub upcoming: Vec<RowRequest>,
    /// The rows whose `until` has passed: they ask for nothing (an explicit end).
    pub ended: Vec<RowRequest>,
    /// Some row that names this person was invalid and skipped: never prune them.
    pub has_invalid_row: bool,
}

impl Person {
    /// How the person is named in messages: e-mail, else the masked NRN.
    pub fn label(&self) -> String {
        match (&self.email, &self.nrn) {
            (Some(e), _) => e.to_string(),
            (None, Some(n)) => n.masked(),
            (None, None) => "(unnamed)".into(),
        }
    }

    pub fn sources(&self) -> impl Iterator<Item = &Location> {
        self.rows.iter().map(|r| &r.source)
    }

    /// Every row of theirs, whatever its period: in effect, upcoming, ended.
    pub fn all_rows(&self) -> impl Iterator<Item = &RowRequest> {
        self.rows.iter().chain(&self.upcoming).chain(&self.ended)
    }

    /// Only upcoming rows: nothing is done for them yet (not created, nothing granted nor
    /// pruned), and they are no leaver.
    pub fn only_upcoming(&self) -> bool {
        self.rows.is_empty() && self.ended.is_empty() && !self.upcoming.is_empty()
    }
}

/// Everything the inputs ask for, in a deterministic order (first row of each person).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DesiredState {
    pub people: Vec<Person>,
    /// Identities (NRN digits / lower-case e-mail) seen on invalid rows whose person has no valid
    /// row at all: still "in the inputs" for the prune rule, so they are never pruned either.
    pub withheld: BTreeSet<IdentityKey>,
    /// Every full name a row gives, valid row or not (`name_key`): in authoritative scope a
    /// portal user a row names is no leaver (names protect, never act).
    pub names: BTreeSet<String>,
    /// Input files from which no person at all was read (an emptied export, a sheet of notes):
    /// in authoritative scope they withhold every leaver revocation (`scope-incomplete`).
    pub files_without_people: Vec<super::Location>,
    /// Input files with a damaged cell (`value-control-character`: a NUL run from a zeroed
    /// block may have swallowed whole rows, and with them who they named): in authoritative
    /// scope they withhold every leaver revocation too.
    pub damaged_files: Vec<super::Location>,
}

/// A full name as a comparable key: last and first name, case-, accent-, space- and
/// punctuation-insensitive; `None` without both parts.
pub fn name_key(last: &str, first: &str) -> Option<String> {
    let (last, first) = (super::text::fold(last), super::text::fold(first));
    (!last.is_empty() && !first.is_empty()).then(|| format!("{last}|{first}"))
}

/// A person's identity as a key: the NRN or the case-folded e-mail.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IdentityKey {
    Nrn(Nrn),
    Email(String),
}
