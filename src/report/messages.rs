//! The sentences of problems: every message and hint a person reads about a problem is rendered
//! here, from its kind (code and arguments), through the message catalogue
//! (`locales/<lang>/problems.ftl`) in the run's language, and nowhere else. Also the one
//! serialisable view of a problem (`ProblemView`) that the JSON outputs and the sheets share.

use std::borrow::Cow;

use crate::apply::LockError;
use crate::config::{ConfigError, Issue};
use crate::plan::SavedPlanError;
use crate::portal::PortalError;
use crate::report::i18n::Msg;
use crate::{msg, t};

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

/// A value as Rust's `{:?}` escapes it, without the quotes (a control character or a quote in a
/// cell is shown, not obeyed), for the catalogue to quote in its language.
fn q(v: &str) -> String {
    let d = format!("{v:?}");
    d.get(1..d.len().saturating_sub(1)).unwrap_or("").to_owned()
}

/// The name of a field in the run's language (a dossier's is the portal's own label).
pub fn field_name(f: Field) -> String {
    match f {
        Field::LastName => t!("field-last-name"),
        Field::FirstName => t!("field-first-name"),
        Field::Email => t!("field-email"),
        Field::Nrn => t!("field-nrn"),
        Field::Consent => t!("field-consent"),
        Field::Dossiers => t!("field-dossiers"),
        Field::Structures => t!("field-structures"),
        Field::Dossier(d) => d.label().to_owned(),
    }
}

fn unreadable(e: &ReadError) -> String {
    match e {
        ReadError::Io(why) => t!("unreadable-io", why = why),
        ReadError::Empty => t!("unreadable-empty"),
        ReadError::NotText => t!("unreadable-not-text"),
        ReadError::Encrypted => t!("unreadable-encrypted"),
        ReadError::Damaged(why) => t!("unreadable-damaged", why = why),
        ReadError::TooLarge { sheet, rows, cols } => t!(
            "unreadable-too-large",
            sheet = q(sheet),
            rows = *rows,
            cols = *cols,
            cells = rows.saturating_mul(*cols)
        ),
        ReadError::Unsupported(ext) => t!("unreadable-unsupported", ext = q(ext)),
        ReadError::MissingPart(part) => t!("unreadable-missing-part", part = part),
        ReadError::DeclaredTooMany {
            part,
            declared,
            room,
        } => t!(
            "unreadable-declared-too-many",
            part = part,
            declared = *declared,
            room = *room
        ),
        ReadError::DeclaredTooLarge { rows, cols } => t!(
            "unreadable-declared-too-large",
            rows = *rows,
            cols = *cols,
            cells = rows.saturating_mul(*cols)
        ),
        ReadError::ReaderFailed(why) => t!("unreadable-reader-failed", why = why),
        ReadError::OutOfOrder => t!("unreadable-out-of-order"),
    }
}

fn unreadable_hint(e: &ReadError) -> String {
    match e {
        ReadError::Io(_) => t!("hint-unreadable-io"),
        ReadError::Empty => t!("hint-unreadable-empty"),
        ReadError::NotText => t!("hint-unreadable-not-text"),
        ReadError::Encrypted => t!("hint-unreadable-encrypted"),
        ReadError::Damaged(_)
        | ReadError::ReaderFailed(_)
        | ReadError::OutOfOrder
        | ReadError::MissingPart(_)
        | ReadError::DeclaredTooMany { .. } => t!("hint-unreadable-damaged"),
        ReadError::TooLarge { .. } | ReadError::DeclaredTooLarge { .. } => {
            t!("hint-unreadable-too-large")
        }
        ReadError::Unsupported(_) => t!("hint-unreadable-unsupported"),
    }
}

fn email_reason(e: &EmailError) -> String {
    match e {
        EmailError::NoAt => t!("email-no-at"),
        EmailError::SeveralAt => t!("email-several-at"),
        EmailError::EmptyLocal => t!("email-empty-local"),
        EmailError::BadDomain(d) => t!("email-bad-domain", domain = q(d)),
        EmailError::BadCharacter(c) => t!("email-bad-character", char = q(&c.to_string())),
        EmailError::TooLong => t!("email-too-long"),
    }
}

fn nrn_reason(e: &NrnError) -> String {
    match e {
        NrnError::BadCharacter(c) => t!("nrn-bad-character", char = q(&c.to_string())),
        NrnError::Length(n) => t!("nrn-length", digits = *n),
        NrnError::Zero => t!("nrn-zero"),
        NrnError::Checksum => t!("nrn-checksum"),
        NrnError::Month(m) => t!("nrn-month", month = format!("{m:02}")),
        NrnError::NotWhole(v) => t!("nrn-not-whole", value = v.to_string()),
    }
}

fn nrn_hint(e: &NrnError) -> String {
    match e {
        NrnError::BadCharacter(_) => t!("hint-nrn-bad-character"),
        NrnError::Length(_) => t!("hint-nrn-length"),
        NrnError::Zero | NrnError::NotWhole(_) => t!("hint-nrn-not-whole"),
        NrnError::Checksum | NrnError::Month(_) => t!("hint-nrn-checksum"),
    }
}

fn clash(c: &IdentityClash) -> String {
    match c {
        IdentityClash::NrnWithEmails { nrn, emails } => t!(
            "clash-nrn-with-emails",
            nrn = nrn,
            count = emails.len(),
            emails = list(emails)
        ),
        IdentityClash::EmailWithNrns { email, nrns } => t!(
            "clash-email-with-nrns",
            email = email,
            count = nrns.len(),
            nrns = list(nrns)
        ),
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
    let pairs: Vec<String> = pairs
        .iter()
        .map(|(d, ss)| {
            let structures: Vec<&str> = ss.iter().map(|s| s.as_str()).collect();
            t!(
                "wider-pair",
                dossier = d.label(),
                structures = structures.join(", ")
            )
        })
        .collect();
    let pairs = pairs.join("; ");
    // Located at the first row; the others are named when there are others.
    if rows.is_empty() {
        t!("problem-wider-than-asked", pairs = pairs)
    } else {
        let rows: Vec<String> = rows.iter().map(ToString::to_string).collect();
        t!(
            "problem-wider-than-asked-rows",
            pairs = pairs,
            rows = list(&rows)
        )
    }
}

/// The sentence of a problem.
pub fn message(p: &Problem) -> String {
    use ProblemKind::*;
    match &p.kind {
        FileUnreadable(e) => t!("problem-file-unreadable", reason = unreadable(e)),
        LockFileSkipped => t!("problem-lock-file-skipped"),
        FolderEmpty => t!("problem-folder-empty"),
        SheetHidden => t!("problem-sheet-hidden"),
        SheetMissing { sheet, .. } => t!("problem-sheet-missing", sheet = q(sheet)),
        NotUtf8 => t!("problem-not-utf8"),
        NoHeader => t!("problem-no-header"),
        NothingRead => t!("problem-nothing-read"),
        NoData => t!("problem-no-data"),
        UnknownColumns { columns } => {
            let shown: Vec<String> = columns.iter().map(|(h, c)| format!("{h} ({c})")).collect();
            t!("problem-unknown-columns", columns = list(&shown))
        }
        ColumnTwice { header, used } => {
            t!("problem-column-twice", header = header, used = used)
        }
        NoIdentityColumn => t!("problem-no-identity-column"),
        ValuePastHeader { value } => t!("problem-value-past-header", value = q(value)),
        CellError { field, error } => {
            t!(
                "problem-cell-error",
                field = field_name(*field),
                error = error
            )
        }
        ValueControlCharacter { value } => {
            t!("problem-value-control-character", value = value)
        }
        EmailInvalid { email, reason } => t!(
            "problem-email-invalid",
            email = q(email),
            reason = email_reason(reason)
        ),
        ConsentInvalid { value } => t!("problem-consent-invalid", value = q(value)),
        MarkInvalid { value, dossier } => t!(
            "problem-mark-invalid",
            value = q(value),
            dossier = dossier.label()
        ),
        DossierUnknown { value, .. } => t!("problem-dossier-unknown", value = q(value)),
        NoPerson => t!("problem-no-person"),
        NrnInvalid { shown, reason } => t!(
            "problem-nrn-invalid",
            shown = shown,
            reason = nrn_reason(reason)
        ),
        NrnScientific { shown } => t!("problem-nrn-scientific", shown = shown),
        NrnDate { value } => t!("problem-nrn-date", value = value),
        NrnNotNumber { value } => t!("problem-nrn-not-number", value = value),
        NrnPadded { digits, read_as } => t!(
            "problem-nrn-padded",
            digits = *digits,
            read_as = read_as,
            added = 11usize.saturating_sub(*digits)
        ),
        IdentityConflict { clashes, rows } => {
            let described: Vec<String> = clashes.iter().map(clash).collect();
            t!(
                "problem-identity-conflict",
                clashes = described.join("; "),
                rows = list(rows)
            )
        }
        NameConflict {
            this,
            first_at,
            first,
        } => t!(
            "problem-name-conflict",
            this = q(this),
            first_at = first_at.to_string(),
            first = q(first)
        ),
        StructureIdUnknown { id, .. } => t!("problem-structure-id-unknown", id = id),
        StructureNameUnknown { name, .. } => t!("problem-structure-name-unknown", name = q(name)),
        StructureNotThere { name, place, .. } => {
            t!("problem-structure-not-there", name = name, place = place)
        }
        StructureAmbiguous {
            name, candidates, ..
        } => t!(
            "problem-structure-ambiguous",
            name = name,
            count = candidates.len(),
            candidates = list(candidates)
        ),
        DossierNotOffered { dossier } => t!(
            "problem-dossier-not-offered",
            dossier = dossier.label(),
            code = dossier.code()
        ),
        StructuresUnresolved { refs } => t!("problem-structures-unresolved", refs = list(refs)),
        NrnAndEmailApart {
            nrn,
            nrn_user,
            nrn_user_email,
            email,
            email_user,
        } => t!(
            "problem-nrn-and-email-apart",
            nrn = nrn,
            nrn_user = nrn_user,
            nrn_user_email = nrn_user_email,
            email = email,
            email_user = email_user
        ),
        EmailHasOtherNrn {
            email,
            user,
            user_nrn,
            nrn,
        } => match user_nrn {
            Some(user_nrn) => t!(
                "problem-email-has-other-nrn",
                email = email,
                user = user,
                user_nrn = user_nrn,
                nrn = nrn
            ),
            None => t!(
                "problem-email-has-other-nrn-invalid",
                email = email,
                user = user,
                nrn = nrn
            ),
        },
        EmailDiffers { portal, inputs } => {
            t!("problem-email-differs", portal = portal, inputs = inputs)
        }
        NameDiffers {
            user,
            portal,
            inputs,
        } => t!(
            "problem-name-differs",
            user = user,
            portal = portal,
            inputs = inputs
        ),
        PruneWithheld {
            email,
            dossiers,
            structures,
        } => t!(
            "problem-prune-withheld",
            email = email,
            dossiers = *dossiers,
            structures = *structures
        ),
        CreateIncomplete { person, missing } => {
            let names: Vec<String> = missing.iter().map(|f| field_name(*f)).collect();
            t!(
                "problem-create-incomplete",
                person = person,
                missing = names.join(", ")
            )
        }
        ConsentMissing { person } => t!("problem-consent-missing", person = person),
        WiderThanAsked { pairs, rows } => wider_than_asked(pairs, rows),
        ScopedWithoutStructures { dossiers } => {
            t!(
                "problem-scoped-without-structures",
                dossiers = labels(dossiers)
            )
        }
        StructuresWithoutScoped => t!("problem-structures-without-scoped"),
        ScopeIncomplete { leavers } => t!("problem-scope-incomplete", leavers = *leavers),
        ScopeDamaged { leavers } => t!("problem-scope-damaged", leavers = *leavers),
        GuardRevocations {
            revocations,
            max,
            managed,
            ..
        } => t!(
            "problem-guard-revocations",
            revocations = *revocations,
            max = *max,
            managed = *managed
        ),
        GuardCreations { creations, max, .. } => t!(
            "problem-guard-creations",
            creations = *creations,
            max = *max
        ),
    }
}

/// How to fix it: one sentence, or empty.
pub fn hint(p: &Problem) -> Cow<'static, str> {
    use ProblemKind::*;
    let s = match &p.kind {
        FileUnreadable(e) => unreadable_hint(e),
        LockFileSkipped => t!("hint-lock-file-skipped"),
        FolderEmpty => t!("hint-folder-empty"),
        SheetHidden => t!("hint-sheet-hidden"),
        SheetMissing { sheets, .. } => t!("hint-sheet-missing", sheets = list(sheets)),
        NotUtf8 => t!("hint-not-utf8"),
        NoHeader => t!("hint-no-header"),
        NothingRead => t!("hint-nothing-read"),
        NoData => t!("hint-no-data"),
        UnknownColumns { .. } => t!("hint-unknown-columns"),
        ColumnTwice { .. } => t!("hint-column-twice"),
        NoIdentityColumn => t!("hint-no-identity-column"),
        ValuePastHeader { .. } => t!("hint-value-past-header"),
        CellError { .. } => t!("hint-cell-error"),
        ValueControlCharacter { .. } => t!("hint-value-control-character"),
        EmailInvalid { .. } => t!("hint-email-invalid"),
        ConsentInvalid { .. } => t!("hint-consent-invalid"),
        MarkInvalid { .. } => t!("hint-mark-invalid"),
        DossierUnknown { closest, .. } => match closest {
            Some(c) => t!("hint-dossier-closest", closest = c),
            None => t!(
                "hint-dossier-list",
                dossiers = Dossier::ALL.map(|d| d.label()).join(", ")
            ),
        },
        NoPerson => t!("hint-no-person"),
        NrnInvalid { reason, .. } => nrn_hint(reason),
        NrnScientific { .. } => t!("hint-nrn-scientific"),
        NrnDate { .. } => t!("hint-nrn-date"),
        NrnNotNumber { .. } => t!("hint-nrn-not-number"),
        NrnPadded { .. } => t!("hint-nrn-padded"),
        IdentityConflict { .. } => t!("hint-identity-conflict"),
        NameConflict { .. } => t!("hint-name-conflict"),
        StructureIdUnknown { closest, .. } => match closest {
            Some(c) => t!("hint-structure-id-closest", closest = c),
            None => t!("hint-structure-id-unknown"),
        },
        StructureNameUnknown { closest, .. } => {
            if closest.is_empty() {
                t!("hint-structure-name-unknown")
            } else {
                t!(
                    "hint-structure-name-closest",
                    closest = closest.join(&t!("or"))
                )
            }
        }
        StructureNotThere {
            name, candidates, ..
        } => t!(
            "hint-structure-not-there",
            name = name,
            candidates = list(candidates)
        ),
        StructureAmbiguous {
            name,
            postal_code,
            city,
            ..
        } => t!(
            "hint-structure-ambiguous",
            name = name,
            postal_code = postal_code,
            city = city
        ),
        DossierNotOffered { .. } => t!("hint-dossier-not-offered"),
        StructuresUnresolved { .. } => t!("hint-structures-unresolved"),
        NrnAndEmailApart { .. } => t!("hint-nrn-and-email-apart"),
        EmailHasOtherNrn { .. } => t!("hint-email-has-other-nrn"),
        EmailDiffers { .. } => t!("hint-email-differs"),
        NameDiffers { .. } => t!("hint-name-differs"),
        PruneWithheld { .. } => t!("hint-prune-withheld"),
        CreateIncomplete { .. } => t!("hint-create-incomplete"),
        ConsentMissing { .. } => t!("hint-consent-missing"),
        WiderThanAsked { .. } => t!("hint-wider-than-asked"),
        ScopedWithoutStructures { .. } => t!("hint-scoped-without-structures"),
        StructuresWithoutScoped => t!("hint-structures-without-scoped"),
        ScopeIncomplete { .. } => t!("hint-scope-incomplete"),
        ScopeDamaged { .. } => t!("hint-scope-damaged"),
        GuardRevocations { reaction, .. } | GuardCreations { reaction, .. } => match reaction {
            GuardReaction::Allowed => t!("hint-guard-allowed"),
            GuardReaction::Hold => t!("hint-guard-hold"),
            GuardReaction::Stop => t!("hint-guard-stop"),
        },
    };
    Cow::Owned(s)
}

/// A refusal of the portal (or of the way to it), as a message (`to_string` says it).
pub fn portal_error(e: &PortalError) -> Msg {
    use PortalError as E;
    match e {
        E::NoToken { var } => msg!("portal-no-token", var = var),
        E::TokenFile { path, why } => msg!("portal-token-file", path = path, why = why),
        E::BadUrl { url } => msg!("portal-bad-url", url = q(url)),
        E::Unauthorized { url } => msg!("portal-unauthorized", url = url),
        E::MissingProfile { email } => msg!("portal-missing-profile", email = email),
        E::Forbidden { url, detail } => msg!("portal-forbidden", url = url, detail = detail),
        E::Unreachable {
            url,
            attempts,
            last,
        } => msg!(
            "portal-unreachable",
            url = url,
            attempts = *attempts,
            last = last
        ),
        E::NoAnswer {
            url,
            attempts,
            timeout_secs,
        } => msg!(
            "portal-no-answer",
            url = url,
            attempts = *attempts,
            secs = *timeout_secs
        ),
        E::TooLarge { url, limit_mib } => {
            msg!("portal-too-large", url = url, limit = *limit_mib)
        }
        E::Status {
            url,
            status,
            detail,
        } => msg!(
            "portal-status",
            url = url,
            status = u64::from(*status),
            detail = detail
        ),
        E::BadAnswer { url, detail } => msg!("portal-bad-answer", url = url, detail = detail),
        E::Interrupted { url, attempts } => {
            msg!("portal-interrupted", url = url, attempts = *attempts)
        }
        E::Certificate { url, why } => msg!(
            "portal-certificate",
            url = url,
            why = certificate_reason(why)
        ),
        E::CaFile { path, why } => msg!("portal-ca-file", path = path, why = why),
        E::Client(detail) => msg!("portal-client", detail = detail),
    }
}

/// The client's code for a certificate it does not trust, said; rustls' own word otherwise.
pub fn certificate_reason(code: &str) -> String {
    match code {
        "untrusted-issuer" => t!("cert-untrusted-issuer"),
        "expired" => t!("cert-expired"),
        "wrong-host" => t!("cert-wrong-host"),
        other => other.to_owned(),
    }
}

/// What the person can do about a portal refusal.
pub fn portal_hint(e: &PortalError) -> Msg {
    use PortalError as E;
    match e {
        E::NoToken { .. } => msg!("hint-portal-no-token"),
        E::TokenFile { .. } => msg!("hint-portal-token-file"),
        E::BadUrl { .. } => msg!("hint-portal-bad-url"),
        E::Unauthorized { .. } => msg!("hint-portal-unauthorized"),
        E::MissingProfile { .. } => msg!("hint-portal-missing-profile"),
        E::Forbidden { .. } => msg!("hint-portal-forbidden"),
        E::Unreachable { .. } => msg!("hint-portal-unreachable"),
        E::NoAnswer { .. } => msg!("hint-portal-no-answer"),
        E::TooLarge { .. } => msg!("hint-portal-too-large"),
        E::Status { .. } | E::BadAnswer { .. } => msg!("hint-portal-status"),
        E::Interrupted { .. } => msg!("hint-portal-interrupted"),
        E::Client(_) => msg!("hint-portal-client"),
        E::Certificate { .. } => msg!("hint-portal-certificate"),
        E::CaFile { .. } => msg!("hint-portal-ca-file"),
    }
}

/// Why the state directory's lock was not taken.
pub fn lock_error(e: &LockError) -> Msg {
    match e {
        LockError::Held { dir, holder } => msg!("lock-held", dir = dir, holder = holder),
        LockError::Io { path, source } => {
            msg!("lock-io", path = path, error = source.to_string())
        }
    }
}

/// Why a saved plan is refused.
pub fn saved_plan_error(e: &SavedPlanError) -> String {
    use SavedPlanError as E;
    match e {
        E::NotJson(detail) => t!("saved-not-json", detail = detail),
        E::OtherFormat(format) => t!(
            "saved-other-format",
            format = q(format),
            supported = crate::plan::PLAN_FORMAT
        ),
        E::NoFormat => t!("saved-no-format"),
        E::Report => t!("saved-report"),
        E::Damaged(detail) => t!("saved-damaged", detail = detail),
        E::Edited { saved, recomputed } => {
            t!("saved-edited", saved = saved, recomputed = recomputed)
        }
        E::UnknownDossier { action, code } => {
            t!("saved-unknown-dossier", action = *action, code = q(code))
        }
        E::BadNrn(action) => t!("saved-bad-nrn", action = *action),
        E::NoPerson(action) => t!("saved-no-person", action = *action),
        E::UnknownForm(form) => t!(
            "saved-unknown-form",
            form = *form,
            known = crate::plan::saved::CANONICAL
        ),
    }
}

/// What to write instead, for a refusal that has a closed set of answers (cli.md: the
/// accepted values in the hint).
pub fn config_hint(e: &ConfigError) -> Option<String> {
    match e {
        ConfigError::Invalid {
            issue: Issue::NotInSet { accepted, .. },
            ..
        } => Some(t!("hint-config-accepted", accepted = accepted)),
        _ => None,
    }
}

/// Why the config file is refused, with its path and line.
pub fn config_error(e: &ConfigError) -> String {
    match e {
        ConfigError::Read { path, source } => {
            t!("config-unreadable", path = path, error = source.to_string())
        }
        ConfigError::Invalid { path, line, issue } => {
            let issue = config_issue(issue);
            match line {
                Some(line) => t!(
                    "config-invalid-line",
                    path = path,
                    line = *line,
                    issue = issue
                ),
                None => t!("config-invalid", path = path, issue = issue),
            }
        }
    }
}

fn config_issue(i: &Issue) -> String {
    match i {
        Issue::Toml(detail) => t!("config-toml", detail = detail),
        Issue::WholeNumber { key, min, max } => t!(
            "config-whole-number",
            key = key,
            min = min.to_string(),
            max = max.to_string()
        ),
        Issue::RateLimit { key } => t!("config-rate-limit", key = key),
        Issue::Timeout => t!("config-timeout"),
        Issue::UnknownField { key, fields } => {
            t!("config-unknown-field", key = q(key), fields = fields)
        }
        Issue::NotInSet {
            key,
            value,
            accepted,
        } => t!(
            "config-not-in-set",
            key = key,
            value = q(value),
            accepted = accepted
        ),
        Issue::UnsafeCommand { key, owner, mode } => t!(
            "config-unsafe-command",
            key = key,
            owner = owner,
            mode = format!("{mode:04o}")
        ),
        Issue::UnsafeFolder {
            key,
            folder,
            owner,
            mode,
        } => t!(
            "config-unsafe-folder",
            key = key,
            folder = folder,
            owner = owner,
            mode = format!("{mode:04o}")
        ),
    }
}
