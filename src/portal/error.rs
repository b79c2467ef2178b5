//! What can go wrong talking to the portal, each with the URL (never the token) and the last
//! answer, as data. `Display` is for logs; people read it, with a hint, in their language
//! (`report::messages::portal_error`).

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PortalError {
    #[error(
        "no portal token: the environment variable {var} is not set, no token_file is configured, and systemd gave no proone-token credential"
    )]
    NoToken { var: String },
    #[error("the token file {path} cannot be used: {why}")]
    TokenFile { path: String, why: String },
    #[error("the portal URL {url:?} is not a valid http(s) URL")]
    BadUrl { url: String },
    #[error("the portal refused the token (401) at {url}")]
    Unauthorized { url: String },
    #[error(
        "the account of this token ({email}) has neither the profile « Administrateur » nor « Gestion des utilisateurs » on PRO.ONE"
    )]
    MissingProfile { email: String },
    #[error("the portal answered 403 (forbidden) at {url}: {detail}")]
    Forbidden { url: String, detail: String },
    #[error("the portal could not be reached at {url} after {attempts} tries: {last}")]
    Unreachable {
        url: String,
        attempts: u32,
        last: String,
    },
    /// The connection was made (or tried) but no answer came within the per-try timeout, as
    /// many times as the budget allows: the portal is up but not answering.
    #[error(
        "the portal accepted the connection at {url} but did not answer within {timeout_secs} s, {attempts} times"
    )]
    NoAnswer {
        url: String,
        attempts: u32,
        timeout_secs: f64,
    },
    /// The answer's body is larger than `[portal] max_body_mib`: not read further, not retried.
    #[error("the portal's answer at {url} is larger than {limit_mib} MiB: not read")]
    TooLarge { url: String, limit_mib: u64 },
    #[error("the portal answered {status} at {url}: {detail}")]
    Status {
        url: String,
        status: u16,
        detail: String,
    },
    #[error("the portal's answer at {url} is not what the API promises: {detail}")]
    BadAnswer { url: String, detail: String },
    #[error("interrupted before the call to {url} could be (re)sent (after {attempts} tries)")]
    Interrupted { url: String, attempts: u32 },
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
    #[error("the portal's TLS certificate is not trusted at {url}: {why}")]
    Certificate { url: String, why: String },
    #[error("the CA bundle {path} (ca_file) cannot be used: {why}")]
    CaFile { path: String, why: String },
}
