//! The reasons a problem's sentence quotes, said as messages of the catalogue: why a file, an
//! e-mail address or an NRN is refused (each with its hint), an identity clash, a field's name,
//! what a tripped guard leads to. Parts of the descriptions of `describe.rs`, which alone uses
//! them.

use super::message::{Message, Value, escaped as q};
use super::problem::{Field, GuardReaction, IdentityClash, ReadError};
use super::{DateError, EmailError, NrnError};
use crate::message;

/// Why a file is unreadable, and the hint for that.
pub(super) fn unreadable(e: &ReadError) -> (Message, Message) {
    match e {
        ReadError::Io(why) => (
            message!("unreadable-io", why = why),
            message!("hint-unreadable-io"),
        ),
        ReadError::Empty => (
            message!("unreadable-empty"),
            message!("hint-unreadable-empty"),
        ),
        ReadError::NotText => (
            message!("unreadable-not-text"),
            message!("hint-unreadable-not-text"),
        ),
        ReadError::Encrypted => (
            message!("unreadable-encrypted"),
            message!("hint-unreadable-encrypted"),
        ),
        ReadError::Damaged(why) => (
            message!("unreadable-damaged", why = why),
            message!("hint-unreadable-damaged"),
        ),
        ReadError::TooLarge { sheet, rows, cols } => (
            message!(
                "unreadable-too-large",
                sheet = q(sheet),
                rows = *rows,
                cols = *cols,
                cells = rows.saturating_mul(*cols)
            ),
            message!("hint-unreadable-too-large"),
        ),
        ReadError::Unsupported(ext) => (
            message!("unreadable-unsupported", ext = q(ext)),
            message!("hint-unreadable-unsupported"),
        ),
        ReadError::MissingPart(part) => (
            message!("unreadable-missing-part", part = part),
            message!("hint-unreadable-damaged"),
        ),
        ReadError::DeclaredTooMany {
            part,
            declared,
            room,
        } => (
            message!(
                "unreadable-declared-too-many",
                part = part,
                declared = *declared,
                room = *room
            ),
            message!("hint-unreadable-damaged"),
        ),
        ReadError::DeclaredTooLarge { rows, cols } => (
            message!(
                "unreadable-declared-too-large",
                rows = *rows,
                cols = *cols,
                cells = rows.saturating_mul(*cols)
            ),
            message!("hint-unreadable-too-large"),
        ),
        ReadError::ReaderFailed(why) => (
            message!("unreadable-reader-failed", why = why),
            message!("hint-unreadable-damaged"),
        ),
        ReadError::OutOfOrder => (
            message!("unreadable-out-of-order"),
            message!("hint-unreadable-damaged"),
        ),
    }
}

pub(super) fn email_reason(e: &EmailError) -> Message {
    match e {
        EmailError::NoAt => message!("email-no-at"),
        EmailError::SeveralAt => message!("email-several-at"),
        EmailError::EmptyLocal => message!("email-empty-local"),
        EmailError::BadDomain(d) => message!("email-bad-domain", domain = q(d)),
        EmailError::BadCharacter(c) => message!("email-bad-character", char = q(&c.to_string())),
        EmailError::TooLong => message!("email-too-long"),
    }
}

/// An invalid NRN: why, and the hint for that.
pub(super) fn nrn_reason(e: &NrnError) -> (Message, Message) {
    match e {
        NrnError::BadCharacter(c) => (
            message!("nrn-bad-character", char = q(&c.to_string())),
            message!("hint-nrn-bad-character"),
        ),
        NrnError::Length(n) => (
            message!("nrn-length", digits = *n),
            message!("hint-nrn-length"),
        ),
        NrnError::Zero => (message!("nrn-zero"), message!("hint-nrn-not-whole")),
        NrnError::Checksum => (message!("nrn-checksum"), message!("hint-nrn-checksum")),
        NrnError::Month(m) => (
            message!("nrn-month", month = format!("{m:02}")),
            message!("hint-nrn-checksum"),
        ),
        NrnError::NotWhole(v) => (
            message!("nrn-not-whole", value = v.to_string()),
            message!("hint-nrn-not-whole"),
        ),
    }
}

/// A `from` or `until` cell that is not a day: why, and the hint for that (each shows the
/// expected form, « 30/06/2027 »).
pub(super) fn date_reason(e: &DateError) -> (Message, Message) {
    match e {
        DateError::Shape => (message!("date-shape"), message!("hint-date-invalid")),
        DateError::TwoDigitYear => (
            message!("date-two-digit-year"),
            message!("hint-date-two-digit-year"),
        ),
        DateError::NoSuchMonth(m) => (
            message!("date-no-such-month", month = *m),
            message!("hint-date-day-first"),
        ),
        DateError::NoSuchDay => (
            message!("date-no-such-day"),
            message!("hint-date-no-such-day"),
        ),
        DateError::Number => (message!("date-number"), message!("hint-date-number")),
        DateError::NoDay => (message!("date-no-day"), message!("hint-date-number")),
    }
}

pub(super) fn clash(c: &IdentityClash) -> Message {
    match c {
        IdentityClash::NrnWithEmails { nrn, emails } => message!(
            "clash-nrn-with-emails",
            nrn = nrn,
            count = emails.len(),
            emails = emails.join(", ")
        ),
        IdentityClash::EmailWithNrns { email, nrns } => message!(
            "clash-email-with-nrns",
            email = email,
            count = nrns.len(),
            nrns = nrns.join(", ")
        ),
    }
}

pub(super) fn guard_hint(reaction: GuardReaction) -> Message {
    match reaction {
        GuardReaction::Allowed => message!("hint-guard-allowed"),
        GuardReaction::Hold => message!("hint-guard-hold"),
        GuardReaction::Stop => message!("hint-guard-stop"),
    }
}

impl Field {
    /// The name of a field in the person's language (a dossier's is the portal's own label).
    pub fn name(self) -> Value {
        match self {
            Field::LastName => message!("field-last-name").into(),
            Field::FirstName => message!("field-first-name").into(),
            Field::Email => message!("field-email").into(),
            Field::Nrn => message!("field-nrn").into(),
            Field::Consent => message!("field-consent").into(),
            Field::Dossiers => message!("field-dossiers").into(),
            Field::Structures => message!("field-structures").into(),
            Field::From => message!("field-from").into(),
            Field::Until => message!("field-until").into(),
            Field::Dossier(d) => d.label().into(),
        }
    }
}
