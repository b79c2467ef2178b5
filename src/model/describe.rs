//! What each kind of problem is, said once: its stable code, its message and its hint (ids of
//! the catalogue with their arguments) in one arm per kind of `ProblemKind::describe`, so that
//! adding a kind is one arm here and its two sentences in each `problems.ftl`. No language
//! here: `report::messages` renders the description in the run's.

use super::description::{Description, d};
use super::message::{Value, escaped as q};
use super::problem::{Location, ProblemKind};
use super::reasons::{clash, date_reason, email_reason, guard_hint, nrn_reason, unreadable};
use super::{Dossier, StructureId};
use crate::message;

fn list(items: &[String]) -> String {
    items.join(", ")
}

impl ProblemKind {
    /// The kind's code, sentence and hint. Every kind is sent to its family here (the compiler
    /// keeps this match whole); the family says it.
    pub fn describe(&self) -> Description {
        use ProblemKind::*;
        let family: fn(&ProblemKind) -> Option<Description> = match self {
            FileUnreadable(_)
            | LockFileSkipped
            | FolderEmpty
            | SheetHidden
            | SheetMissing { .. }
            | NotUtf8
            | NoHeader
            | NothingRead
            | NoData
            | UnknownColumns { .. }
            | ColumnTwice { .. }
            | NoIdentityColumn
            | ValuePastHeader { .. } => files,
            CellError { .. }
            | ValueControlCharacter { .. }
            | EmailInvalid { .. }
            | ConsentInvalid { .. }
            | MarkInvalid { .. }
            | DossierUnknown { .. }
            | NoPerson
            | NrnInvalid { .. }
            | NrnScientific { .. }
            | NrnDate { .. }
            | NrnNotNumber { .. }
            | NrnPadded { .. }
            | DateInvalid { .. }
            | DateOrder { .. } => cells,
            IdentityConflict { .. }
            | NameConflict { .. }
            | StructureIdUnknown { .. }
            | StructureNameUnknown { .. }
            | StructureNotThere { .. }
            | StructureAmbiguous { .. }
            | DossierNotOffered { .. } => people,
            StructuresUnresolved { .. }
            | NrnAndEmailApart { .. }
            | EmailHasOtherNrn { .. }
            | EmailDiffers { .. }
            | NameDiffers { .. }
            | PruneWithheld { .. }
            | CreateIncomplete { .. }
            | ConsentMissing { .. } => plan,
            WiderThanAsked { .. }
            | ScopedWithoutStructures { .. }
            | StructuresWithoutScoped
            | ScopeIncomplete { .. }
            | ScopeDamaged { .. }
            | GuardRevocations { .. }
            | GuardCreations { .. } => scope,
            EmailChanged { .. } | AccessEnded { .. } => dates,
            RevertSuperseded { .. }
            | RevertUnrecorded { .. }
            | RedoneByInputs { .. }
            | RedoneUnchecked
            | GuardRevertRevocations { .. } => super::revert::describe,
            ReviewSheetInInputs
            | ReviewSelf { .. }
            | ReviewSelfDecided { .. }
            | ReviewDecisionInvalid { .. }
            | ReviewRowUnknown { .. }
            | ReviewCampaignUnknown { .. }
            | ReviewSheetTooLarge { .. }
            | ReviewWorkbookTooLarge { .. }
            | ReviewStale { .. }
            | ReviewStructureOrphaned { .. }
            | ReviewSheetApplied { .. }
            | GuardReviewRevocations { .. }
            | ReviewRedone { .. }
            | ReviewRedoneUnchecked => super::review::describe,
        };
        // A kind sent to a family that does not say it is a slip of this file (the unit test
        // of every kind catches it); it is still reported, by its debug form, never a panic.
        family(self).unwrap_or_else(|| Description {
            code: "undescribed",
            message: message!("problem-undescribed", kind = format!("{self:?}")),
            hint: None,
        })
    }
}

/// Rows across their periods (inputs.md "Dates").
fn dates(k: &ProblemKind) -> Option<Description> {
    use ProblemKind::*;
    Some(match k {
        AccessEnded { until, days } => d(
            "access-ended",
            message!("problem-access-ended", until = until, days = *days),
            message!("hint-access-ended"),
        ),
        EmailChanged {
            ended,
            current,
            current_at,
        } => d(
            "email-differs",
            message!(
                "problem-email-changed",
                ended = q(ended),
                current = q(current),
                current_at = current_at
            ),
            message!("hint-email-changed"),
        ),
        _ => return None,
    })
}

/// Files and sheets.
fn files(k: &ProblemKind) -> Option<Description> {
    use ProblemKind::*;
    Some(match k {
        FileUnreadable(e) => {
            let (reason, hint) = unreadable(e);
            d(
                "file-unreadable",
                message!("problem-file-unreadable", reason = reason),
                hint,
            )
        }
        LockFileSkipped => d(
            "lock-file-skipped",
            message!("problem-lock-file-skipped"),
            message!("hint-lock-file-skipped"),
        ),
        FolderEmpty => d(
            "folder-empty",
            message!("problem-folder-empty"),
            message!("hint-folder-empty"),
        ),
        SheetHidden => d(
            "sheet-hidden",
            message!("problem-sheet-hidden"),
            message!("hint-sheet-hidden"),
        ),
        SheetMissing { sheet, sheets } => d(
            "sheet-missing",
            message!("problem-sheet-missing", sheet = q(sheet)),
            message!("hint-sheet-missing", sheets = list(sheets)),
        ),
        NotUtf8 => d(
            "encoding-windows-1252",
            message!("problem-not-utf8"),
            message!("hint-not-utf8"),
        ),
        NoHeader => d(
            "no-header",
            message!("problem-no-header"),
            message!("hint-no-header"),
        ),
        NothingRead => d(
            "nothing-read",
            message!("problem-nothing-read"),
            message!("hint-nothing-read"),
        ),
        NoData => d(
            "no-data",
            message!("problem-no-data"),
            message!("hint-no-data"),
        ),
        UnknownColumns { columns } => unknown_columns(columns),
        ColumnTwice { header, used } => d(
            "column-twice",
            message!("problem-column-twice", header = header, used = used),
            message!("hint-column-twice"),
        ),
        NoIdentityColumn => d(
            "no-identity-column",
            message!("problem-no-identity-column"),
            message!("hint-no-identity-column"),
        ),
        ValuePastHeader { value } => d(
            "value-past-header",
            message!("problem-value-past-header", value = q(value)),
            message!("hint-value-past-header"),
        ),
        _ => return None,
    })
}

/// Cells and rows.
fn cells(k: &ProblemKind) -> Option<Description> {
    use ProblemKind::*;
    Some(match k {
        CellError { field, error } => d(
            "cell-error",
            message!("problem-cell-error", field = field.name(), error = error),
            message!("hint-cell-error"),
        ),
        ValueControlCharacter { value } => d(
            "value-control-character",
            message!("problem-value-control-character", value = value),
            message!("hint-value-control-character"),
        ),
        EmailInvalid { email, reason } => d(
            "email-invalid",
            message!(
                "problem-email-invalid",
                email = q(email),
                reason = email_reason(reason)
            ),
            message!("hint-email-invalid"),
        ),
        ConsentInvalid { value } => d(
            "consent-invalid",
            message!("problem-consent-invalid", value = q(value)),
            message!("hint-consent-invalid"),
        ),
        MarkInvalid { value, dossier } => d(
            "mark-invalid",
            message!(
                "problem-mark-invalid",
                value = q(value),
                dossier = dossier.label()
            ),
            message!("hint-mark-invalid"),
        ),
        DossierUnknown { value, closest } => dossier_unknown(value, closest.as_deref()),
        NoPerson => d(
            "no-person",
            message!("problem-no-person"),
            message!("hint-no-person"),
        ),
        NrnInvalid { shown, reason } => {
            let (reason, hint) = nrn_reason(reason);
            d(
                "nrn-invalid",
                message!("problem-nrn-invalid", shown = shown, reason = reason),
                hint,
            )
        }
        NrnScientific { shown } => d(
            "nrn-invalid",
            message!("problem-nrn-scientific", shown = shown),
            message!("hint-nrn-scientific"),
        ),
        NrnDate { value } => d(
            "nrn-invalid",
            message!("problem-nrn-date", value = value),
            message!("hint-nrn-date"),
        ),
        NrnNotNumber { value } => d(
            "nrn-invalid",
            message!("problem-nrn-not-number", value = value),
            message!("hint-nrn-not-number"),
        ),
        NrnPadded { digits, read_as } => d(
            "nrn-padded",
            message!(
                "problem-nrn-padded",
                digits = *digits,
                read_as = read_as,
                added = 11usize.saturating_sub(*digits)
            ),
            message!("hint-nrn-padded"),
        ),
        DateInvalid {
            field,
            value,
            reason,
        } => {
            let (reason, hint) = date_reason(reason);
            d(
                "date-invalid",
                message!(
                    "problem-date-invalid",
                    field = field.name(),
                    value = q(value),
                    reason = reason
                ),
                hint,
            )
        }
        DateOrder { from, until } => d(
            "date-order",
            message!("problem-date-order", from = from, until = until),
            message!("hint-date-order"),
        ),
        _ => return None,
    })
}

/// People across rows, and structures against the portal.
fn people(k: &ProblemKind) -> Option<Description> {
    use ProblemKind::*;
    Some(match k {
        IdentityConflict { clashes, rows } => d(
            "identity-conflict",
            message!(
                "problem-identity-conflict",
                clashes = Value::list(clashes.iter().map(clash), "; "),
                rows = list(rows)
            ),
            message!("hint-identity-conflict"),
        ),
        NameConflict {
            this,
            first_at,
            first,
        } => d(
            "name-conflict",
            message!(
                "problem-name-conflict",
                this = q(this),
                first_at = first_at,
                first = q(first)
            ),
            message!("hint-name-conflict"),
        ),
        StructureIdUnknown { id, closest } => d(
            "structure-unknown",
            message!("problem-structure-id-unknown", id = id),
            match closest {
                Some(c) => message!("hint-structure-id-closest", closest = c),
                None => message!("hint-structure-id-unknown"),
            },
        ),
        StructureNameUnknown { name, closest } => d(
            "structure-unknown",
            message!("problem-structure-name-unknown", name = q(name)),
            if closest.is_empty() {
                message!("hint-structure-name-unknown")
            } else {
                message!(
                    "hint-structure-name-closest",
                    closest = Value::list(closest, message!("or"))
                )
            },
        ),
        StructureNotThere {
            name,
            place,
            candidates,
        } => d(
            "structure-unknown",
            message!("problem-structure-not-there", name = name, place = place),
            message!(
                "hint-structure-not-there",
                name = name,
                candidates = list(candidates)
            ),
        ),
        StructureAmbiguous {
            name,
            candidates,
            postal_code,
            city,
        } => d(
            "structure-ambiguous",
            message!(
                "problem-structure-ambiguous",
                name = name,
                count = candidates.len(),
                candidates = list(candidates)
            ),
            message!(
                "hint-structure-ambiguous",
                name = name,
                postal_code = postal_code,
                city = city
            ),
        ),
        DossierNotOffered { dossier } => d(
            "dossier-not-offered",
            message!(
                "problem-dossier-not-offered",
                dossier = dossier.label(),
                code = dossier.code()
            ),
            message!("hint-dossier-not-offered"),
        ),
        _ => return None,
    })
}

/// The plan's own problems.
fn plan(k: &ProblemKind) -> Option<Description> {
    use ProblemKind::*;
    Some(match k {
        StructuresUnresolved { refs } => d(
            "structures-unresolved",
            message!("problem-structures-unresolved", refs = list(refs)),
            message!("hint-structures-unresolved"),
        ),
        NrnAndEmailApart {
            nrn,
            nrn_user,
            nrn_user_email,
            email,
            email_user,
        } => d(
            "identity-mismatch",
            message!(
                "problem-nrn-and-email-apart",
                nrn = nrn,
                nrn_user = nrn_user,
                nrn_user_email = nrn_user_email,
                email = email,
                email_user = email_user
            ),
            message!("hint-nrn-and-email-apart"),
        ),
        EmailHasOtherNrn {
            email,
            user,
            user_nrn,
            nrn,
        } => d(
            "identity-mismatch",
            match user_nrn {
                Some(user_nrn) => message!(
                    "problem-email-has-other-nrn",
                    email = email,
                    user = user,
                    user_nrn = user_nrn,
                    nrn = nrn
                ),
                None => message!(
                    "problem-email-has-other-nrn-invalid",
                    email = email,
                    user = user,
                    nrn = nrn
                ),
            },
            message!("hint-email-has-other-nrn"),
        ),
        EmailDiffers { portal, inputs } => d(
            "email-differs",
            message!("problem-email-differs", portal = portal, inputs = inputs),
            message!("hint-email-differs"),
        ),
        NameDiffers {
            user,
            portal,
            inputs,
        } => d(
            "name-differs",
            message!(
                "problem-name-differs",
                user = user,
                portal = portal,
                inputs = inputs
            ),
            message!("hint-name-differs"),
        ),
        PruneWithheld {
            email,
            dossiers,
            structures,
        } => d(
            "prune-withheld",
            message!(
                "problem-prune-withheld",
                email = email,
                dossiers = *dossiers,
                structures = *structures
            ),
            message!("hint-prune-withheld"),
        ),
        CreateIncomplete { person, missing } => d(
            "create-incomplete",
            message!(
                "problem-create-incomplete",
                person = person,
                missing = Value::list(missing.iter().map(|f| f.name()), ", ")
            ),
            message!("hint-create-incomplete"),
        ),
        ConsentMissing { person } => d(
            "consent-missing",
            message!("problem-consent-missing", person = person),
            message!("hint-consent-missing"),
        ),
        _ => return None,
    })
}

/// Scope and guards.
fn scope(k: &ProblemKind) -> Option<Description> {
    use ProblemKind::*;
    Some(match k {
        WiderThanAsked { pairs, rows } => wider_than_asked(pairs, rows),
        ScopedWithoutStructures { dossiers } => d(
            "scoped-without-structures",
            message!(
                "problem-scoped-without-structures",
                dossiers = labels(dossiers)
            ),
            message!("hint-scoped-without-structures"),
        ),
        StructuresWithoutScoped => d(
            "structures-without-scoped",
            message!("problem-structures-without-scoped"),
            message!("hint-structures-without-scoped"),
        ),
        ScopeIncomplete { leavers } => d(
            "scope-incomplete",
            message!("problem-scope-incomplete", leavers = *leavers),
            message!("hint-scope-incomplete"),
        ),
        ScopeDamaged { leavers } => d(
            "scope-incomplete",
            message!("problem-scope-damaged", leavers = *leavers),
            message!("hint-scope-damaged"),
        ),
        GuardRevocations {
            revocations,
            max,
            managed,
            reaction,
        } => d(
            "guard-revocations",
            message!(
                "problem-guard-revocations",
                revocations = *revocations,
                max = *max,
                managed = *managed
            ),
            guard_hint(*reaction),
        ),
        GuardCreations {
            creations,
            max,
            reaction,
        } => d(
            "guard-creations",
            message!(
                "problem-guard-creations",
                creations = *creations,
                max = *max
            ),
            guard_hint(*reaction),
        ),
        _ => return None,
    })
}

fn unknown_columns(columns: &[(String, String)]) -> Description {
    let shown: Vec<String> = columns.iter().map(|(h, c)| format!("{h} ({c})")).collect();
    d(
        "unknown-column",
        message!("problem-unknown-columns", columns = list(&shown)),
        message!("hint-unknown-columns"),
    )
}

fn dossier_unknown(value: &str, closest: Option<&str>) -> Description {
    d(
        "dossier-unknown",
        message!("problem-dossier-unknown", value = q(value)),
        match closest {
            Some(c) => message!("hint-dossier-closest", closest = c),
            None => message!(
                "hint-dossier-list",
                dossiers = Dossier::ALL.map(|d| d.label()).join(", ")
            ),
        },
    )
}

fn labels(dossiers: &[Dossier]) -> String {
    dossiers
        .iter()
        .map(|d| d.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Located at the first row; the others are named when there are others.
fn wider_than_asked(pairs: &[(Dossier, Vec<StructureId>)], rows: &[Location]) -> Description {
    let pairs = Value::list(
        pairs.iter().map(|(d, ss)| {
            let structures: Vec<&str> = ss.iter().map(|s| s.as_str()).collect();
            message!(
                "wider-pair",
                dossier = d.label(),
                structures = structures.join(", ")
            )
        }),
        "; ",
    );
    let message = if rows.is_empty() {
        message!("problem-wider-than-asked", pairs = pairs)
    } else {
        let rows: Vec<String> = rows.iter().map(ToString::to_string).collect();
        message!(
            "problem-wider-than-asked-rows",
            pairs = pairs,
            rows = list(&rows)
        )
    };
    d(
        "wider-than-asked",
        message,
        message!("hint-wider-than-asked"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EmailError, Field, GuardReaction, NrnError, ReadError};

    /// One of every kind, with the code inputs.md and the README give it: each is said by the
    /// family `describe` sends it to (none falls to `undescribed`), with a hint.
    #[test]
    fn every_kind_is_described_with_its_code_and_a_hint() {
        use ProblemKind::*;
        let s = || String::from("x");
        let at = Location::file("a.csv", 0);
        let kinds = [
            (FileUnreadable(ReadError::Empty), "file-unreadable"),
            (LockFileSkipped, "lock-file-skipped"),
            (FolderEmpty, "folder-empty"),
            (SheetHidden, "sheet-hidden"),
            (
                SheetMissing {
                    sheet: s(),
                    sheets: vec![s()],
                },
                "sheet-missing",
            ),
            (NotUtf8, "encoding-windows-1252"),
            (NoHeader, "no-header"),
            (NothingRead, "nothing-read"),
            (NoData, "no-data"),
            (
                UnknownColumns {
                    columns: vec![(s(), s())],
                },
                "unknown-column",
            ),
            (
                ColumnTwice {
                    header: s(),
                    used: s(),
                },
                "column-twice",
            ),
            (NoIdentityColumn, "no-identity-column"),
            (ValuePastHeader { value: s() }, "value-past-header"),
            (
                CellError {
                    field: Field::Email,
                    error: s(),
                },
                "cell-error",
            ),
            (
                ValueControlCharacter { value: s() },
                "value-control-character",
            ),
            (
                EmailInvalid {
                    email: s(),
                    reason: EmailError::NoAt,
                },
                "email-invalid",
            ),
            (ConsentInvalid { value: s() }, "consent-invalid"),
            (
                MarkInvalid {
                    value: s(),
                    dossier: Dossier::ALL[0],
                },
                "mark-invalid",
            ),
            (
                DossierUnknown {
                    value: s(),
                    closest: None,
                },
                "dossier-unknown",
            ),
            (NoPerson, "no-person"),
            (
                NrnInvalid {
                    shown: s(),
                    reason: NrnError::Zero,
                },
                "nrn-invalid",
            ),
            (NrnScientific { shown: s() }, "nrn-invalid"),
            (NrnDate { value: s() }, "nrn-invalid"),
            (NrnNotNumber { value: s() }, "nrn-invalid"),
            (
                NrnPadded {
                    digits: 10,
                    read_as: s(),
                },
                "nrn-padded",
            ),
            (
                DateInvalid {
                    field: Field::Until,
                    value: s(),
                    reason: crate::model::DateError::NoSuchDay,
                },
                "date-invalid",
            ),
            (
                DateOrder {
                    from: s(),
                    until: s(),
                },
                "date-order",
            ),
            (
                IdentityConflict {
                    clashes: vec![],
                    rows: vec![],
                },
                "identity-conflict",
            ),
            (
                NameConflict {
                    this: s(),
                    first_at: s(),
                    first: s(),
                },
                "name-conflict",
            ),
            (
                EmailChanged {
                    ended: s(),
                    current: s(),
                    current_at: s(),
                },
                "email-differs",
            ),
            (
                AccessEnded {
                    until: s(),
                    days: 30,
                },
                "access-ended",
            ),
            (
                StructureIdUnknown {
                    id: s(),
                    closest: None,
                },
                "structure-unknown",
            ),
            (
                StructureNameUnknown {
                    name: s(),
                    closest: vec![],
                },
                "structure-unknown",
            ),
            (
                StructureNotThere {
                    name: s(),
                    place: s(),
                    candidates: vec![],
                },
                "structure-unknown",
            ),
            (
                StructureAmbiguous {
                    name: s(),
                    candidates: vec![],
                    postal_code: s(),
                    city: s(),
                },
                "structure-ambiguous",
            ),
            (
                DossierNotOffered {
                    dossier: Dossier::ALL[0],
                },
                "dossier-not-offered",
            ),
            (
                StructuresUnresolved { refs: vec![] },
                "structures-unresolved",
            ),
            (
                NrnAndEmailApart {
                    nrn: s(),
                    nrn_user: s(),
                    nrn_user_email: s(),
                    email: s(),
                    email_user: s(),
                },
                "identity-mismatch",
            ),
            (
                EmailHasOtherNrn {
                    email: s(),
                    user: s(),
                    user_nrn: None,
                    nrn: s(),
                },
                "identity-mismatch",
            ),
            (
                EmailDiffers {
                    portal: s(),
                    inputs: s(),
                },
                "email-differs",
            ),
            (
                NameDiffers {
                    user: s(),
                    portal: s(),
                    inputs: s(),
                },
                "name-differs",
            ),
            (
                PruneWithheld {
                    email: s(),
                    dossiers: 1,
                    structures: 0,
                },
                "prune-withheld",
            ),
            (
                CreateIncomplete {
                    person: s(),
                    missing: vec![Field::Nrn],
                },
                "create-incomplete",
            ),
            (ConsentMissing { person: s() }, "consent-missing"),
            (
                WiderThanAsked {
                    pairs: vec![],
                    rows: vec![at],
                },
                "wider-than-asked",
            ),
            (
                ScopedWithoutStructures { dossiers: vec![] },
                "scoped-without-structures",
            ),
            (StructuresWithoutScoped, "structures-without-scoped"),
            (ScopeIncomplete { leavers: 1 }, "scope-incomplete"),
            (ScopeDamaged { leavers: 1 }, "scope-incomplete"),
            (
                GuardRevocations {
                    revocations: 30,
                    max: 25,
                    managed: 100,
                    reaction: GuardReaction::Hold,
                },
                "guard-revocations",
            ),
            (
                GuardCreations {
                    creations: 300,
                    max: 250,
                    reaction: GuardReaction::Stop,
                },
                "guard-creations",
            ),
        ];
        for (kind, code) in kinds {
            let d = kind.describe();
            assert_eq!(d.code, code, "{kind:?}");
            assert_eq!(kind.code(), code, "{kind:?}");
            assert!(d.hint.is_some(), "{kind:?}");
            assert!(!d.message.id.is_empty(), "{kind:?}");
        }
    }
}
