//! What a command says to the person or the cron log on stderr, outside the tracing logs:
//! refusals and errors with their hint, as plain lines in the run's language or, under
//! `--log-format json`, one JSON object per line shaped like the log lines, carrying the
//! message's `code` (its catalogue id) and its arguments as fields — no sentence. The choice
//! travels in `Settings`, not in a global.

use crate::report::i18n::Msg;

use super::{Exit, LogFormat, Settings};

/// What is said: a catalogue message (data), a line already rendered (a problem's, a value),
/// or nothing.
pub(crate) enum Said {
    Msg(Msg),
    Text(String),
    Nothing,
}

impl From<Msg> for Said {
    fn from(m: Msg) -> Said {
        Said::Msg(m)
    }
}

impl From<String> for Said {
    fn from(s: String) -> Said {
        if s.is_empty() {
            Said::Nothing
        } else {
            Said::Text(s)
        }
    }
}

impl From<&String> for Said {
    fn from(s: &String) -> Said {
        Said::from(s.clone())
    }
}

impl From<&str> for Said {
    fn from(s: &str) -> Said {
        Said::from(s.to_owned())
    }
}

impl Said {
    fn text(&self) -> String {
        match self {
            Said::Msg(m) => m.text(),
            Said::Text(t) => t.clone(),
            Said::Nothing => String::new(),
        }
    }
}

impl Settings {
    /// Whether stderr lines are JSON objects (`--log-format json`, for cron logs).
    pub(crate) fn json_logs(&self) -> bool {
        self.log_format == LogFormat::Json
    }

    /// A line for the person (or the cron log) on stderr: `proone-sync: message` and its hint,
    /// or with `--log-format json` one JSON object (`timestamp`, `level`, `fields`).
    pub(crate) fn say(&self, level: &str, message: impl Into<Said>, hint: impl Into<Said>) {
        say(self.log_format, level, message, hint);
    }

    /// A line of a list on stderr: `text` for a person, or under `--log-format json` the
    /// `data` it renders (codes and fields, no sentence).
    pub(crate) fn say_data(&self, level: &str, text: &str, data: serde_json::Value) {
        if self.json_logs() {
            eprintln!("{}", json_line(level, data));
        } else {
            eprintln!("{text}");
        }
    }

    /// A problem on stderr: `location: message` for a person; its code, location and value
    /// for cron logs.
    pub(crate) fn say_problem(&self, level: &str, p: &crate::model::Problem) {
        let view = crate::report::messages::ProblemView::of(p);
        self.say_data(
            level,
            &format!("{}: {}", p.location, view.message),
            serde_json::json!({
                "code": view.code, "location": p.location.to_string(), "value": view.value,
            }),
        );
    }

    /// What made a saved plan stale, as a line for a person or its data for cron logs.
    pub(crate) fn say_change(&self, c: &crate::apply::Change) {
        self.say_data(
            "ERROR",
            &crate::report::outcomes::changed_line(c),
            serde_json::to_value(c).unwrap_or_default(),
        );
    }

    /// Writes a command's output on stdout. A full disk or a closed file is said and fails the
    /// command (a truncated JSON must not exit 0); a reader that stopped reading (`| head`) is
    /// not an error.
    pub(crate) fn out(&self, text: &str) -> Result<(), Exit> {
        write_stdout(text.as_bytes()).map_err(|e| {
            self.fail(
                crate::msg!("output-unwritable", error = e.to_string()),
                crate::msg!("output-unwritable-hint"),
            )
        })
    }

    /// A refusal of the portal, said with its hint in the run's language.
    pub(crate) fn fail_portal(&self, e: &crate::portal::PortalError) -> Exit {
        self.fail(
            crate::report::messages::portal_error(e),
            crate::report::messages::portal_hint(e),
        )
    }

    /// Says why the command cannot go on, and gives its exit status.
    pub(crate) fn fail(&self, message: impl Into<Said>, hint: impl Into<Said>) -> Exit {
        self.say("ERROR", message, hint);
        Exit::Failed
    }
}

/// Writes and flushes stdout; a broken pipe (the reader is gone) counts as written.
pub(crate) fn write_stdout(bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// `Settings::say` for a task that outlives the borrow of the settings.
pub(crate) fn say(format: LogFormat, level: &str, message: impl Into<Said>, hint: impl Into<Said>) {
    let (message, hint) = (message.into(), hint.into());
    if format == LogFormat::Json {
        let mut fields = serde_json::Map::new();
        match &message {
            Said::Msg(m) => {
                fields.insert("code".into(), m.id.into());
                fields.extend(m.fields());
            }
            // A line already rendered (a problem's, a change's): it is its own data.
            Said::Text(t) => {
                fields.insert("message".into(), t.as_str().into());
            }
            Said::Nothing => {}
        }
        match &hint {
            Said::Msg(m) => {
                fields.insert("hint".into(), m.id.into());
            }
            Said::Text(t) => {
                fields.insert("hint".into(), t.as_str().into());
            }
            Said::Nothing => {}
        }
        eprintln!("{}", json_line(level, serde_json::Value::Object(fields)));
    } else {
        eprintln!("proone-sync: {}", message.text());
        let hint = hint.text();
        if !hint.is_empty() {
            eprintln!("  {}", crate::t!("hint-prefix", hint = hint));
        }
    }
}

/// One JSON log line, shaped like tracing's JSON lines.
pub(crate) fn json_line(level: &str, fields: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "timestamp": crate::apply::outcome::rfc3339(std::time::SystemTime::now()),
        "level": level,
        "fields": fields,
    })
}
