//! The sentences of apply's outcomes: what an action changed and why it ended as it did,
//! rendered from the journal's fields and reason codes in the run's language.

use crate::apply::{Outcome, Reason};
use crate::t;

/// `dossier pre-demandes`, `structure MA-00101`, `user Dupont Marie, NRN *******3328`.
pub fn target(o: &Outcome) -> String {
    if let Some(code) = o.dossier {
        return t!("target-dossier", code = code);
    }
    if let Some(id) = &o.structure {
        return t!("target-structure", id = id);
    }
    match &o.person {
        Some(p) => t!(
            "target-user",
            name = format!("{} {}", p.last_name, p.first_name),
            nrn = &p.nrn
        ),
        None => t!("target-user-plain"),
    }
}

/// Why it ended so, in a sentence.
pub fn reason(r: &Reason) -> String {
    match r {
        Reason::InternalError { detail } => t!("reason-internal-error", detail = detail),
        Reason::AlreadyInEffect => t!("reason-already-in-effect"),
        Reason::AlreadyExists { user_id } => t!("reason-already-exists", user = user_id),
        Reason::DependencyCycle => t!("reason-dependency-cycle"),
        Reason::DependencyFailed { action } => t!("reason-dependency-failed", action = *action),
        Reason::NoUserId => t!("reason-no-user-id"),
        Reason::NoPersonData => t!("reason-no-person-data"),
        Reason::BadIdempotencyKey => t!("reason-bad-idempotency-key"),
        Reason::NoItem => t!("reason-no-item"),
        Reason::InterruptedBeforeSent => t!("reason-interrupted-before-sent"),
        Reason::InterruptedBetweenTries => t!("reason-interrupted-between-tries"),
        Reason::CreatedUnreadable { detail } => t!("reason-created-unreadable", detail = detail),
        Reason::ConflictWithoutUser { detail } => {
            t!("reason-conflict-without-user", detail = detail)
        }
        Reason::AdoptedSameNrn { user_id, conflict } => t!(
            "reason-adopted-same-nrn",
            user = user_id,
            conflict = conflict
        ),
        Reason::EmailOfAnother {
            email,
            user_id,
            nrn,
        } => t!(
            "reason-email-of-another",
            email = email,
            user = user_id,
            nrn = nrn
        ),
        Reason::ConflictUnreadable {
            conflict,
            user_id,
            detail,
        } => t!(
            "reason-conflict-unreadable",
            conflict = conflict,
            user = user_id,
            detail = detail
        ),
        Reason::Refused { status, detail } => {
            t!(
                "reason-refused",
                status = u64::from(*status),
                detail = detail
            )
        }
        Reason::Portal { error, detail } => match *error {
            "unreachable" => t!("reason-portal-unreachable", detail = detail),
            "bad-answer" => t!("reason-portal-bad-answer", detail = detail),
            "certificate" => t!("reason-portal-certificate", detail = detail),
            "interrupted" => t!("reason-portal-interrupted"),
            _ => t!("reason-portal-client", detail = detail),
        },
    }
}

/// The reason of an outcome, or nothing.
pub fn reason_of(o: &Outcome) -> String {
    o.reason.as_ref().map(reason).unwrap_or_default()
}
