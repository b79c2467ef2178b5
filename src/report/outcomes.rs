//! The sentences of apply's outcomes: what an action changed and why it ended as it did,
//! rendered from the journal's fields and reason codes in the run's language; and what made a
//! saved plan stale.

use crate::apply::{Change, ItemChange, Outcome, Reason};
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
            // The seconds as a number, so French says « 2,5 s ».
            "no-answer" => match detail.parse::<f64>() {
                Ok(secs) => t!("reason-portal-no-answer", secs = secs),
                Err(_) => t!("reason-portal-no-answer", secs = detail),
            },
            "too-large" => t!("reason-portal-too-large", limit = detail),
            "bad-answer" => t!("reason-portal-bad-answer", detail = detail),
            "certificate" => t!(
                "reason-portal-certificate",
                detail = super::messages::certificate_reason(detail)
            ),
            "interrupted" => t!("reason-portal-interrupted"),
            _ => t!("reason-portal-client", detail = detail),
        },
    }
}

/// The reason of an outcome, or nothing.
pub fn reason_of(o: &Outcome) -> String {
    o.reason.as_ref().map(reason).unwrap_or_default()
}

/// What made a saved plan stale, in a sentence.
pub fn change(c: &Change) -> String {
    match c {
        Change::OtherPortal { planned, now } => {
            t!("stale-other-portal", planned = planned, now = now)
        }
        Change::OtherOrganisation {
            planned_name,
            planned_id,
            now_name,
            now_id,
        } => t!(
            "stale-other-organisation",
            planned_name = planned_name,
            planned_id = planned_id,
            now_name = now_name,
            now_id = now_id
        ),
        Change::UserGone { user_id } => t!("stale-user-gone", user = user_id),
        Change::UserChanged {
            user_id,
            email,
            items,
        } => {
            let items: Vec<String> = items.iter().map(item_change).collect();
            t!(
                "stale-user-changed",
                user = user_id,
                email = email,
                items = items.join("; ")
            )
        }
        Change::CreationTaken { name, nrn, email } => {
            let mut who = Vec::new();
            if let Some((nrn, user)) = nrn {
                who.push(t!("stale-nrn-taken", nrn = nrn, user = user));
            }
            if let Some((email, user)) = email {
                who.push(t!("stale-email-taken", email = email, user = user));
            }
            t!(
                "stale-creation-taken",
                name = name,
                who = who.join(&t!("stale-and"))
            )
        }
    }
}

fn item_change(i: &ItemChange) -> String {
    match i {
        ItemChange::DossierAdded { item } => t!("stale-dossier-added", item = item),
        ItemChange::DossierRemoved { item } => t!("stale-dossier-removed", item = item),
        ItemChange::StructureAdded { item } => t!("stale-structure-added", item = item),
        ItemChange::StructureRemoved { item } => t!("stale-structure-removed", item = item),
        ItemChange::Version { from, to, applied } => {
            t!("stale-version", from = *from, to = *to, applied = *applied)
        }
    }
}

/// `  changed: …`, one line per change, as stderr lists them.
pub fn changed_line(c: &Change) -> String {
    format!("  {}", t!("stale-changed", change = change(c)))
}
