//! The sentences of problems: every message and hint a person reads about a problem is rendered
//! here, from its kind's description (`ProblemKind::describe`: code, message and hint ids with
//! their arguments), through the message catalogue (`locales/<lang>/problems.ftl`) in the run's
//! language, and nowhere else. Also the one serialisable view of a problem (`ProblemView`) that
//! the JSON outputs and the sheets share, and the sentences of the portal's, the lock's and a
//! saved plan's refusals.

use std::borrow::Cow;

use crate::apply::LockError;
use crate::model::{Description, Location, Problem, Severity, escaped as q};
use crate::plan::SavedPlanError;
use crate::portal::PortalError;
use crate::report::i18n::{Msg, render_message};
use crate::{msg, t};

use serde::Serialize;

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
        let d = p.kind.describe();
        ProblemView {
            severity: p.severity,
            code: d.code,
            location: &p.location,
            value: p.value.as_deref(),
            message: render_message(&d.message),
            hint: hint_of(&d),
        }
    }
}

/// The views of `problems`, in their order.
pub fn views(problems: &[Problem]) -> Vec<ProblemView<'_>> {
    problems.iter().map(ProblemView::of).collect()
}

/// The sentence of a problem.
pub fn message(p: &Problem) -> String {
    render_message(&p.kind.describe().message)
}

/// How to fix it: one sentence, or empty.
pub fn hint(p: &Problem) -> Cow<'static, str> {
    hint_of(&p.kind.describe())
}

fn hint_of(d: &Description) -> Cow<'static, str> {
    Cow::Owned(d.hint.as_ref().map(render_message).unwrap_or_default())
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
