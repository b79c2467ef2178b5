//! What can go wrong talking to the portal, each with the URL (never the token), the last
//! answer, and a hint for the person running the job.

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

impl PortalError {
    /// What the person can do about it.
    pub fn details(&self) -> &'static str {
        match self {
            PortalError::NoToken { .. } => {
                "export the API token in that variable (or name another with --token-env); it is never read from a flag"
            }
            PortalError::TokenFile { .. } => {
                "the file must hold the token alone and be readable by its owner only, as ssh wants a key: chmod 600 it"
            }
            PortalError::BadUrl { .. } => {
                "set portal.url in the config file, PROONE_URL, or --portal-url, e.g. https://portal.example/api/v1"
            }
            PortalError::Unauthorized { .. } => {
                "the token is missing, mistyped or revoked: ask for a new one"
            }
            PortalError::MissingProfile { .. } => {
                "an administrator of the organisation gives this account one of the two profiles in Administration › Utilisateurs"
            }
            PortalError::Forbidden { .. } => "check the profiles of the token's account",
            PortalError::Unreachable { .. } => {
                "check the URL and the network; the job retried with backoff before giving up"
            }
            PortalError::Status { .. } | PortalError::BadAnswer { .. } => {
                "run again with -v to see the calls; report it if it persists"
            }
            PortalError::Interrupted { .. } => {
                "run again: every change is idempotent, the next run finishes the job"
            }
            PortalError::Client(_) => "report it: this is a setup problem of the tool",
            PortalError::Certificate { .. } => {
                "if the organisation uses its own certificate authority (a corporate proxy), add it to the system's store, point SSL_CERT_FILE at a PEM bundle, or set [portal] ca_file"
            }
            PortalError::CaFile { .. } => {
                "ca_file names a PEM file of one or more CA certificates (-----BEGIN CERTIFICATE-----)"
            }
        }
    }
}
