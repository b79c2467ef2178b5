//! How a try of a call failed, and when a call gives up on a portal that misbehaves: what a
//! transport error was (timed out, connected or not, the words without the URL), a TLS
//! certificate the client does not trust, and the bounds of cli.md — a few tries without an
//! answer, a budget of the call's own time — that no portal can stretch.

use std::time::Duration;

use super::error::PortalError;

/// Tries that got no answer within the timeout before a call gives up (or `max_attempts`, if
/// fewer): with the default 20 s a hung portal is told in about a minute, while one that takes
/// 8 s to answer is never cut off.
pub const NO_ANSWER_TRIES: u32 = 3;

/// A call's own time (its tries and its sleeps) is at most this many `timeout_secs`: 140 s
/// with the default 20 s, so that with the defaults every command gives up within 3 minutes
/// on a portal that accepts and fails slowly (cli.md), while a minute of fast 503s (a portal
/// restarting: about 65 s of backoff) is still ridden out.
pub const CALL_BUDGET: u32 = 7;

/// A try that got no (whole) answer.
#[derive(Debug, Clone)]
pub(super) struct Failure {
    /// What happened, without the URL or any header.
    pub(super) text: String,
    /// Our timer ran out (connecting, or waiting for the answer).
    pub(super) timed_out: bool,
    /// The connection was made: the portal is there but did not answer.
    pub(super) connected: bool,
}

impl Failure {
    pub(super) fn of(e: &reqwest::Error, answered: bool) -> Failure {
        Failure {
            text: without_url(e),
            timed_out: e.is_timeout(),
            connected: answered || !e.is_connect(),
        }
    }
}

/// The error of a call whose every try failed: "does not answer" when the last try timed out
/// on an open connection, "cannot be reached" otherwise.
pub(super) fn gave_up(
    url: String,
    attempts: u32,
    last: String,
    no_answer: bool,
    timeout: Duration,
) -> PortalError {
    if no_answer {
        PortalError::NoAnswer {
            url,
            attempts,
            timeout_secs: timeout.as_secs_f64(),
        }
    } else {
        PortalError::Unreachable {
            url,
            attempts,
            last,
        }
    }
}

/// What is wrong with the portal's certificate, when a call failed for that: a permanent
/// failure (a retry meets the same certificate). A code (`untrusted-issuer`, `expired`,
/// `wrong-host`) the reports say in the run's language, else rustls' own word.
pub(super) fn certificate_problem(e: &reqwest::Error) -> Option<String> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = source {
        let tls = s.downcast_ref::<rustls::Error>().or_else(|| {
            s.downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        });
        if let Some(rustls::Error::InvalidCertificate(c)) = tls {
            return Some(match c {
                rustls::CertificateError::UnknownIssuer => "untrusted-issuer".to_owned(),
                rustls::CertificateError::Expired
                | rustls::CertificateError::ExpiredContext { .. } => "expired".to_owned(),
                rustls::CertificateError::NotValidForName
                | rustls::CertificateError::NotValidForNameContext { .. } => {
                    "wrong-host".to_owned()
                }
                other => format!("{other:?}"),
            });
        }
        // The connector may hold the TLS error in a type of its own: its sentence says it.
        let text = s.to_string();
        if let Some(rest) = text.split("invalid peer certificate: ").nth(1) {
            let what = rest.trim_end_matches(')');
            return Some(match what {
                "UnknownIssuer" => "untrusted-issuer".to_owned(),
                w if w.starts_with("Expired") => "expired".to_owned(),
                w if w.starts_with("NotValidForName") => "wrong-host".to_owned(),
                w => w.to_owned(),
            });
        }
        source = s.source();
    }
    None
}

/// reqwest's error text without the URL (it is said once, by us) and never a header.
pub(super) fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "the answer was cut off"
    } else if e.is_request() {
        "connection dropped"
    } else {
        "request failed"
    };
    let mut source = std::error::Error::source(e);
    let mut inner = String::new();
    while let Some(s) = source {
        inner = s.to_string();
        source = s.source();
    }
    if inner.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind} ({inner})")
    }
}
