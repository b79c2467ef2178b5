//! The sentences of problems: every message and hint a person reads about a problem is rendered
//! here, from its kind (code and arguments), and nowhere else. English for now; the language
//! issue puts the same ids in a catalogue with French beside it. Also the one serialisable view
//! of a problem (`ProblemView`) that the JSON outputs and the sheets share.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::Serialize;

use crate::model::{
    Dossier, EmailError, Field, GuardReaction, IdentityClash, Location, NrnError, Problem,
    ProblemKind, ReadError, Severity,
};

/// A problem as the reports show it: its data and its rendered sentences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProblemView<'a> {
    pub severity: Severity,
    pub code: &'static str,
    pub location: &'a Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<&'a str>,
    pub message: String,
    pub hint: Cow<'static, str>,
}

impl<'a> ProblemView<'a> {
    pub fn of(p: &'a Problem) -> ProblemView<'a> {
        ProblemView {
            severity: p.severity,
            code: p.code(),
            location: &p.location,
            value: p.value.as_deref(),
            message: message(p),
            hint: hint(p),
        }
    }
}

/// The views of `problems`, in their order.
pub fn views(problems: &[Problem]) -> Vec<ProblemView<'_>> {
    problems.iter().map(ProblemView::of).collect()
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

fn field_name(f: Field) -> &'static str {
    match f {
        Field::LastName => "last name",
        Field::FirstName => "first name",
        Field::Email => "e-mail",
        Field::Nrn => "NRN",
        Field::Consent => "consent",
        Field::Dossiers => "dossiers",
        Field::Structures => "structures",
        Field::Dossier(d) => d.label(),
    }
}

fn unreadable(e: &ReadError) -> String {
    match e {
        ReadError::Io(why) => format!("cannot open it: {why}"),
        ReadError::Empty => "the file is empty (0 bytes)".into(),
        ReadError::NotText => "it is not text: binary content in a .csv/.tsv/.txt file".into(),
        ReadError::Encrypted => {
            "it is password-protected (encrypted), or an old .xls file renamed".into()
        }
        ReadError::Damaged(why) => {
            format!("it is not a readable spreadsheet (damaged or truncated?): {why}")
        }
        ReadError::TooLarge { sheet, rows, cols } => format!(
            "sheet {sheet:?} has values spread over {rows} rows × {cols} columns ({} cells), \
             more than this tool reads from an .ods sheet",
            rows.saturating_mul(*cols)
        ),
        ReadError::Unsupported(ext) => format!("{ext:?} is not a spreadsheet type this tool reads"),
        ReadError::MissingPart(part) => {
            format!("the workbook has no {part}: it is damaged, or not a workbook")
        }
        ReadError::DeclaredTooMany {
            part,
            declared,
            room,
        } => format!(
            "{part} declares {declared} items where it has room for at most {room}: the file is damaged"
        ),
        ReadError::DeclaredTooLarge { rows, cols } => format!(
            "a sheet declares {rows} rows × {cols} columns ({} cells), more than this tool reads from an .xls sheet",
            rows.saturating_mul(*cols)
        ),
        ReadError::ReaderFailed(why) => format!(
            "internal error: the spreadsheet reader failed on it ({why}); the file is probably damaged"
        ),
        ReadError::OutOfOrder => "cells are not in row order".into(),
    }
}

fn unreadable_hint(e: &ReadError) -> &'static str {
    match e {
        ReadError::Io(_) => "check the path and that the file is readable",
        ReadError::Empty => "save the spreadsheet again, or remove it from the inputs",
        ReadError::NotText => "a workbook must be named .xlsx/.ods; save as CSV to use .csv",
        ReadError::Encrypted => {
            "remove the password (File › Info › Protect workbook) and save as .xlsx"
        }
        ReadError::Damaged(_)
        | ReadError::ReaderFailed(_)
        | ReadError::OutOfOrder
        | ReadError::MissingPart(_)
        | ReadError::DeclaredTooMany { .. } => {
            "open it in Excel or LibreOffice and save it again as .xlsx"
        }
        ReadError::TooLarge { .. } | ReadError::DeclaredTooLarge { .. } => {
            "delete the stray cells far from the table (Ctrl+End shows them) and save again"
        }
        ReadError::Unsupported(_) => "use .xlsx, .xlsm, .xlsb, .xls, .ods, .csv, .tsv or .txt",
    }
}

fn email_reason(e: &EmailError) -> String {
    match e {
        EmailError::NoAt => "has no @".into(),
        EmailError::SeveralAt => "has more than one @".into(),
        EmailError::EmptyLocal => "has nothing before the @".into(),
        EmailError::BadDomain(d) => format!("has a domain that is not a domain name ({d:?})"),
        EmailError::BadCharacter(c) => {
            format!("holds {c:?}, which an e-mail address cannot contain")
        }
        EmailError::TooLong => "is too long".into(),
    }
}

fn nrn_reason(e: &NrnError) -> String {
    match e {
        NrnError::BadCharacter(c) => {
            format!("holds {c:?}, which is not a digit or a separator (space . - /)")
        }
        NrnError::Length(n) => format!("has {n} digits; a national register number has 11"),
        NrnError::Zero => "is all zeros".into(),
        NrnError::Checksum => "has check digits that do not match (a mistyped digit?)".into(),
        NrnError::Month(m) => format!(
            "has month {m:02}, which is not a possible birth month (01-12, +20 or +40 for a BIS number)"
        ),
        NrnError::NotWhole(v) => format!("is not a whole number ({v})"),
    }
}

fn nrn_hint(e: &NrnError) -> &'static str {
    match e {
        NrnError::BadCharacter(_) => {
            "type the 11 digits, optionally as 85.07.30-033.28; letters are not allowed"
        }
        NrnError::Length(_) => "copy the number again from the identity card (11 digits)",
        NrnError::Zero | NrnError::NotWhole(_) => {
            "type the 11 digits of the identity card, as text"
        }
        NrnError::Checksum | NrnError::Month(_) => {
            "compare every digit with the identity card; the last two are check digits"
        }
    }
}

fn clash(c: &IdentityClash) -> String {
    match c {
        IdentityClash::NrnWithEmails { nrn, emails } => {
            format!(
                "NRN {nrn} comes with {} e-mails ({})",
                emails.len(),
                list(emails)
            )
        }
        IdentityClash::EmailWithNrns { email, nrns } => {
            format!(
                "e-mail {email} comes with {} NRNs ({})",
                nrns.len(),
                list(nrns)
            )
        }
    }
}

fn labels(dossiers: &[Dossier]) -> String {
    dossiers
        .iter()
        .map(|d| d.label())
        .collect::<Vec<_>>()
        .join(", ")
}

fn wider_than_asked(
    pairs: &[(Dossier, Vec<crate::model::StructureId>)],
    rows: &[Location],
) -> String {
    let mut m = String::from(
        "wider than asked: one structure set serves every scoped dossier, so this person will also get ",
    );
    for (i, (d, ss)) in pairs.iter().enumerate() {
        if i > 0 {
            m.push_str("; ");
        }
        m.push_str(d.label());
        m.push_str(" on ");
        for (j, s) in ss.iter().enumerate() {
            if j > 0 {
                m.push_str(", ");
            }
            m.push_str(s.as_str());
        }
    }
    // Located at the first row; the others are named when there are others.
    if !rows.is_empty() {
        m.push_str(" (rows ");
        for (i, l) in rows.iter().enumerate() {
            if i > 0 {
                m.push_str(", ");
            }
            let _ = write!(m, "{l}");
        }
        m.push(')');
    }
    m
}

/// The sentence of a problem.
pub fn message(p: &Problem) -> String {
    use ProblemKind::*;
    match &p.kind {
        FileUnreadable(e) => format!("cannot read this file: {}", unreadable(e)),
        LockFileSkipped => "office lock file skipped".into(),
        FolderEmpty => "this folder holds no spreadsheet: nothing was read from it".into(),
        SheetHidden => "hidden sheet skipped".into(),
        SheetMissing { sheet, .. } => format!("no sheet named {sheet:?} in this file"),
        NotUtf8 => "not UTF-8: read as Windows-1252 (Excel's \"CSV\" save)".into(),
        NoHeader => "no header row: sheet skipped".into(),
        NothingRead => "nothing was read from this file: no sheet has a header row".into(),
        NoData => "a header row but no data under it".into(),
        UnknownColumns { columns } => {
            let shown: Vec<String> = columns.iter().map(|(h, c)| format!("{h} ({c})")).collect();
            format!("columns ignored: {}", list(&shown))
        }
        ColumnTwice { header, used } => {
            format!("a second « {header} » column: ignored, column {used} is used")
        }
        NoIdentityColumn => {
            "this sheet has neither an NRN nor an e-mail column: its rows cannot name anyone".into()
        }
        ValuePastHeader { value } => format!(
            "a value ({value:?}) past the last column of the header: the row may be shifted"
        ),
        CellError { field, error } => {
            format!("{}: the cell shows an error ({error})", field_name(*field))
        }
        ValueControlCharacter { value } => format!(
            "\"{value}\" holds a control character (a NUL or another invisible byte): the cell is damaged"
        ),
        EmailInvalid { email, reason } => format!("e-mail {email:?} {}", email_reason(reason)),
        ConsentInvalid { value } => format!("consent {value:?} is neither yes nor no"),
        MarkInvalid { value, dossier } => {
            format!(
                "{value:?} in the « {} » column is not a mark",
                dossier.label()
            )
        }
        DossierUnknown { value, .. } => format!("unknown dossier {value:?}"),
        NoPerson => "the row names nobody: it has no NRN and no e-mail".into(),
        NrnInvalid { shown, reason } => format!("NRN {shown} {}", nrn_reason(reason)),
        NrnScientific { shown } => {
            format!("NRN {shown} is in scientific notation: digits were lost")
        }
        NrnDate { value } => format!("NRN cell holds a date ({value}), not a number"),
        NrnNotNumber { value } => format!("NRN cell holds {value}, not a number"),
        NrnPadded { digits, read_as } => format!(
            "NRN had {digits} digits: read as {read_as} with {} leading zero(s) added",
            11usize.saturating_sub(*digits)
        ),
        IdentityConflict { clashes, rows } => {
            let described: Vec<String> = clashes.iter().map(clash).collect();
            format!(
                "identity conflict: {} (rows {})",
                described.join("; "),
                list(rows)
            )
        }
        NameConflict {
            this,
            first_at,
            first,
        } => format!(
            "this row names the person {this:?}, but {first_at} names them {first:?}; the first is used"
        ),
        StructureIdUnknown { id, .. } => {
            format!("unknown structure id {id}: no structure of the organisation has it")
        }
        StructureNameUnknown { name, .. } => format!("unknown structure {name:?}"),
        StructureNotThere { name, place, .. } => format!("no structure « {name} » in {place}"),
        StructureAmbiguous {
            name, candidates, ..
        } => format!(
            "« {name} » names {} structures: {}",
            candidates.len(),
            list(candidates)
        ),
        DossierNotOffered { dossier } => format!(
            "the portal does not offer the dossier {} ({})",
            dossier.label(),
            dossier.code()
        ),
        StructuresUnresolved { refs } => {
            format!("structures not resolved against the portal: {}", list(refs))
        }
        NrnAndEmailApart {
            nrn,
            nrn_user,
            nrn_user_email,
            email,
            email_user,
        } => format!(
            "the NRN {nrn} is the portal user {nrn_user} ({nrn_user_email}) but the e-mail {email} is the portal user {email_user}: nothing is done for this person"
        ),
        EmailHasOtherNrn {
            email,
            user,
            user_nrn,
            nrn,
        } => format!(
            "the e-mail {email} is the portal user {user} whose NRN is {}, not {nrn}: nothing is done for this person",
            user_nrn.as_deref().unwrap_or("not a valid NRN")
        ),
        EmailDiffers { portal, inputs } => {
            format!("the portal has this person (by NRN) as {portal}, the inputs say {inputs}")
        }
        NameDiffers {
            user,
            portal,
            inputs,
        } => format!("the portal names {user} « {portal} », the inputs « {inputs} »"),
        PruneWithheld {
            email,
            dossiers,
            structures,
        } => format!(
            "revocations withheld for {email}: a row of this person is invalid ({dossiers} dossier(s), {structures} structure(s) kept)"
        ),
        CreateIncomplete { person, missing } => {
            let names: Vec<&str> = missing.iter().map(|f| field_name(*f)).collect();
            format!(
                "{person} is not on the portal and cannot be created: missing {}",
                names.join(", ")
            )
        }
        ConsentMissing { person } => format!("consent missing: cannot create user {person}"),
        WiderThanAsked { pairs, rows } => wider_than_asked(pairs, rows),
        ScopedWithoutStructures { dossiers } => format!(
            "{} without any structure: it gives access to nothing",
            labels(dossiers)
        ),
        StructuresWithoutScoped => {
            "structures without Pré-demandes or Bilans: they give access to nothing".into()
        }
        GuardRevocations {
            revocations,
            max,
            managed,
            ..
        } => format!(
            "guard: {revocations} revocations, more than max_revocations ({max}) or 10 % of the {managed} grants the people of the inputs hold"
        ),
        GuardCreations { creations, max, .. } => {
            format!("guard: {creations} users to create, more than max_creations ({max})")
        }
    }
}

/// How to fix it: one sentence, or empty.
pub fn hint(p: &Problem) -> Cow<'static, str> {
    use ProblemKind::*;
    let fixed: &'static str = match &p.kind {
        FileUnreadable(e) => unreadable_hint(e),
        LockFileSkipped => "it is not a spreadsheet; it exists while someone has the file open",
        FolderEmpty => "put the spreadsheets (.xlsx, .ods, .csv…) in it, or name the right folder",
        SheetHidden => "name it in config ([input] sheets = [...]) to read it",
        SheetMissing { sheets, .. } => return format!("its sheets are: {}", list(sheets)).into(),
        NotUtf8 => "if accents look wrong, save as \"CSV UTF-8\" instead",
        NoHeader => {
            "a sheet of lists or notes is fine; a sheet of people needs a header row naming at \
             least two columns such as Nom, Prénom, Email, NRN, Dossiers"
        }
        NothingRead => {
            "the header row names at least two columns such as Nom, Prénom, Email, NRN, \
             Dossiers, Structures (or a dossier such as Bilans)"
        }
        NoData => "fill in one row per person under the header",
        UnknownColumns { .. } => {
            "only known columns are read; add an alias in config if one of these should be"
        }
        ColumnTwice { .. } => "delete or rename one of the two columns",
        NoIdentityColumn => "add an Email or NRN column",
        ValuePastHeader { .. } => {
            "check for an extra separator in this row (a ';' inside a name needs quotes)"
        }
        CellError { .. } => "fix the formula or type the value",
        ValueControlCharacter { .. } => "type the value again in that cell",
        EmailInvalid { .. } => "write the whole address, e.g. prenom.nom@organisation.be",
        ConsentInvalid { .. } => "write oui or non (x, 1, yes, ja also mean yes; blank means no)",
        MarkInvalid { .. } => {
            "mark x (or oui, 1) to grant the dossier, leave the cell blank not to"
        }
        DossierUnknown { closest, .. } => {
            return match closest {
                Some(c) => format!("did you mean « {c} »?"),
                None => format!(
                    "the dossiers are: {}",
                    Dossier::ALL.map(|d| d.label()).join(", ")
                ),
            }
            .into();
        }
        NoPerson => "fill in the e-mail or the national register number of the person",
        NrnInvalid { reason, .. } => nrn_hint(reason),
        NrnScientific { .. } => "format the column as Text in Excel and type the numbers again",
        NrnDate { .. } => "format the NRN column as Text and type the 11 digits again",
        NrnNotNumber { .. } => "type the 11 digits of the national register number",
        NrnPadded { .. } => "Excel drops leading zeros: format the NRN column as Text",
        IdentityConflict { .. } => {
            "one person has one NRN and one e-mail: correct the wrong row; nothing is done for \
             this person until then"
        }
        NameConflict { .. } => "make the rows of one person agree on the name",
        StructureIdUnknown { closest, .. } => {
            return match closest {
                Some(c) => format!("did you mean {c}?").into(),
                None => "check the id in PRO.ONE (Administration › Milieux d'accueil)".into(),
            };
        }
        StructureNameUnknown { closest, .. } => {
            if closest.is_empty() {
                "write the structure's id (MA-…) or its name as PRO.ONE shows it"
            } else {
                return format!("did you mean {}?", closest.join(" or ")).into();
            }
        }
        StructureNotThere {
            name, candidates, ..
        } => return format!("« {name} » is {}", list(candidates)).into(),
        StructureAmbiguous {
            name,
            postal_code,
            city,
            ..
        } => {
            return format!("write « {name} ({postal_code}) » or « {name} – {city} », or the id")
                .into();
        }
        DossierNotOffered { .. } => "it cannot be granted there",
        StructuresUnresolved { .. } => {
            "plan resolves structure names against the portal before planning"
        }
        NrnAndEmailApart { .. } => {
            "correct the NRN or the e-mail in the spreadsheet (or the portal)"
        }
        EmailHasOtherNrn { .. } => {
            "one of the two is somebody else's: correct the spreadsheet (or the portal)"
        }
        EmailDiffers { .. } => "v1 cannot change an e-mail: the portal's is kept",
        NameDiffers { .. } => "v1 cannot change a name: the portal's is kept",
        PruneWithheld { .. } => {
            "fix the invalid row; the next run revokes what the inputs do not give"
        }
        CreateIncomplete { .. } => {
            "give last name, first name, e-mail, NRN and consent on a row of this person"
        }
        ConsentMissing { .. } => {
            "the person's consent (« case du consentement ») must be marked oui on a row"
        }
        WiderThanAsked { .. } => {
            "if that is not wanted, give this person the same structures for Pré-demandes and \
             Bilans, or split the access"
        }
        ScopedWithoutStructures { .. } => {
            "add the structures (milieux d'accueil) this person works for"
        }
        StructuresWithoutScoped => "add Pré-demandes or Bilans, or remove the structures",
        GuardRevocations { reaction, .. } | GuardCreations { reaction, .. } => match reaction {
            GuardReaction::Allowed => "allowed by --allow-mass-change",
            GuardReaction::Hold => {
                "apply applies the rest and holds these for approval (proone-sync held, then \
                 approve or reject); check that the inputs are complete"
            }
            GuardReaction::Stop => {
                "check that the inputs are complete (a truncated or wrong spreadsheet?); if this \
                 is intended, run again with --allow-mass-change"
            }
        },
    };
    Cow::Borrowed(fixed)
}
