//! Why a config file is refused, as data (its path, the line, what is wrong there), and the
//! description of each refusal as messages of the catalogue (`config-*`), which the CLI has
//! rendered in the run's language. `Display` is the English form, for logs and tests.

use crate::message;
use crate::model::{Message, escaped as q};

/// Why a config file is refused: its path, the line, and what is wrong there as data (the CLI
/// says it in the run's language; `Display` is the English form, for logs and tests).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("{path}: cannot read it: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {}{issue}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    Invalid {
        path: String,
        line: Option<usize>,
        issue: Issue,
    },
}

/// What is wrong with a value of the config file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Issue {
    /// The TOML parser's own words (a syntax error, an unknown key, a wrong type).
    #[error("{0}")]
    Toml(String),
    #[error("{key} must be a whole number from {min} to {max}")]
    WholeNumber { key: String, min: i64, max: i64 },
    #[error("{key} must be a number of requests per second, 0 or more")]
    RateLimit { key: String },
    #[error("portal.timeout_secs must be a number of seconds above 0")]
    Timeout,
    #[error("[input.aliases] {key:?} is not a field; the fields are {fields}")]
    UnknownField { key: String, fields: String },
    /// A value outside a closed set (a profile, an event, a mode, a language).
    #[error("{key}: {value:?} is not one of its values: {accepted}")]
    NotInSet {
        key: String,
        value: String,
        accepted: String,
    },
    /// A command to run (`[notify] command`) in a file others may write: cli.md's ownership rule.
    #[error(
        "{key} is not run from a file that {owner} owns with mode {mode:o}: it must be owned by the caller or root and writable by its owner alone"
    )]
    UnsafeCommand {
        key: String,
        owner: String,
        mode: u32,
    },
    /// The same, for the folder the command runs in.
    #[error(
        "{key} is not run in {folder}, which {owner} owns with mode {mode:o}: it must be owned by the caller or root and writable by its owner alone"
    )]
    UnsafeFolder {
        key: String,
        folder: String,
        owner: String,
        mode: u32,
    },
}

impl ConfigError {
    /// Why the config file is refused, with its path and line.
    pub fn message(&self) -> Message {
        match self {
            ConfigError::Read { path, source } => {
                message!("config-unreadable", path = path, error = source.to_string())
            }
            ConfigError::Invalid { path, line, issue } => {
                let issue = issue.message();
                match line {
                    Some(line) => message!(
                        "config-invalid-line",
                        path = path,
                        line = *line,
                        issue = issue
                    ),
                    None => message!("config-invalid", path = path, issue = issue),
                }
            }
        }
    }

    /// What to write instead, for a refusal that has a closed set of answers (cli.md: the
    /// accepted values in the hint).
    pub fn hint(&self) -> Option<Message> {
        match self {
            ConfigError::Invalid {
                issue: Issue::NotInSet { accepted, .. },
                ..
            } => Some(message!("hint-config-accepted", accepted = accepted)),
            _ => None,
        }
    }
}

impl Issue {
    pub fn message(&self) -> Message {
        match self {
            Issue::Toml(detail) => message!("config-toml", detail = detail),
            Issue::WholeNumber { key, min, max } => message!(
                "config-whole-number",
                key = key,
                min = min.to_string(),
                max = max.to_string()
            ),
            Issue::RateLimit { key } => message!("config-rate-limit", key = key),
            Issue::Timeout => message!("config-timeout"),
            Issue::UnknownField { key, fields } => {
                message!("config-unknown-field", key = q(key), fields = fields)
            }
            Issue::NotInSet {
                key,
                value,
                accepted,
            } => message!(
                "config-not-in-set",
                key = key,
                value = q(value),
                accepted = accepted
            ),
            Issue::UnsafeCommand { key, owner, mode } => message!(
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
            } => message!(
                "config-unsafe-folder",
                key = key,
                folder = folder,
                owner = owner,
                mode = format!("{mode:04o}")
            ),
        }
    }
}
