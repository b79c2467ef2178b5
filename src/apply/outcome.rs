//! What happened to each action of a plan: an outcome per action (lychee's `Status` habit — a
//! result is data, not an error), the whole run's tally, and UTC timestamps for the journal.

use std::sync::Arc;

use serde::Serialize;

use crate::plan::{Action, Op};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The portal confirmed the change.
    Done,
    /// `create_user`: the person already existed with the planned NRN, and was taken over.
    Adopted,
    /// Already in effect before this run sent anything (a resumed plan), or found in effect
    /// after a 412.
    InEffect,
    /// The portal refused it for good (its answer is the reason).
    Failed,
    /// Not sent: an action it depends on failed.
    Skipped,
    /// Stopped by Ctrl-C / SIGTERM before it could be sent, or between two tries: whether it
    /// took effect is unknown; the next run converges.
    Interrupted,
    /// Not sent: a guard tripped and it waits in a held plan for approval.
    Held,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Adopted => "adopted",
            Status::InEffect => "in_effect",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
            Status::Interrupted => "interrupted",
            Status::Held => "held",
        }
    }

    pub const ALL: [Status; 7] = [
        Status::Done,
        Status::Adopted,
        Status::InEffect,
        Status::Failed,
        Status::Skipped,
        Status::Interrupted,
        Status::Held,
    ];

    /// The wanted state holds after it.
    pub fn is_success(self) -> bool {
        matches!(self, Status::Done | Status::Adopted | Status::InEffect)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub action: u32,
    pub op: Op,
    pub email: Arc<str>,
    /// The user the action applied to (for a creation: the id the portal gave or the adopted
    /// one).
    pub user_id: Option<Arc<str>>,
    /// What was changed, as fields (the journal carries no sentence): the dossier's code, the
    /// structure's id, or for a creation the person with the NRN masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dossier: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structure: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonFields>,
    pub status: Status,
    /// The last HTTP status the portal answered, if any.
    pub http_status: Option<u16>,
    pub attempts: u32,
    pub duration_ms: u64,
    /// Why it failed, was skipped or adopted: a code and its data (the portal's own `detail`
    /// included), rendered in the run's language by the reports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// Failed because the portal could not be reached after every retry (not a refusal).
    #[serde(skip)]
    pub portal_down: bool,
    /// The input rows the action came from: written in the journal line (the history store's
    /// cause of a change by the job), not in the reports, which list them per person.
    #[serde(skip)]
    pub sources: Arc<[crate::model::Location]>,
}

/// The person a creation is for, NRN masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonFields {
    pub last_name: String,
    pub first_name: String,
    pub nrn: String,
}

/// Why an action ended as it did: a code (`code` in JSON) and its data, never a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum Reason {
    /// A task of the run failed unexpectedly.
    InternalError {
        detail: String,
    },
    /// Already in effect before this run sent anything.
    AlreadyInEffect,
    /// The person already existed with the plan's NRN and e-mail (a resumed plan).
    AlreadyExists {
        user_id: String,
    },
    /// Its dependencies wait on each other (a saved plan with a cycle).
    DependencyCycle,
    /// An action it depends on failed.
    DependencyFailed {
        action: u32,
    },
    /// Neither a user id nor a creation to take one from.
    NoUserId,
    NoPersonData,
    BadIdempotencyKey,
    /// The action names no dossier or structure.
    NoItem,
    InterruptedBeforeSent,
    InterruptedBetweenTries,
    /// The portal created the user, but its answer could not be read.
    CreatedUnreadable {
        detail: String,
    },
    /// A 409 that names no existing user.
    ConflictWithoutUser {
        detail: String,
    },
    /// A 409 whose user shows the planned NRN: taken over.
    AdoptedSameNrn {
        user_id: String,
        conflict: String,
    },
    /// A 409 on an e-mail that belongs to someone else (NRN masked).
    EmailOfAnother {
        email: String,
        user_id: String,
        nrn: String,
    },
    /// A 409 whose user could not be read.
    ConflictUnreadable {
        conflict: String,
        user_id: String,
        detail: String,
    },
    /// The portal answered with an error status; `detail` is its own words.
    Refused {
        status: u16,
        detail: String,
    },
    /// The call could not be made or finished: `error` is the kind (`unreachable`,
    /// `certificate`, `bad-answer`…), `detail` the data.
    Portal {
        error: &'static str,
        detail: String,
    },
}

impl Reason {
    /// The portal accepted the call's connections and answered none of its tries in time.
    pub fn is_no_answer(&self) -> bool {
        matches!(
            self,
            Reason::Portal {
                error: "no-answer",
                ..
            }
        )
    }

    /// A failed call as a reason.
    pub fn of(e: &crate::portal::PortalError) -> Reason {
        use crate::portal::PortalError as E;
        let (error, detail) = match e {
            E::Unreachable { last, .. } => ("unreachable", last.clone()),
            E::NoAnswer { timeout_secs, .. } => ("no-answer", format!("{timeout_secs}")),
            E::TooLarge { limit_mib, .. } => ("too-large", format!("{limit_mib}")),
            E::Status { status, detail, .. } => {
                return Reason::Refused {
                    status: *status,
                    detail: detail.clone(),
                };
            }
            E::Forbidden { detail, .. } => {
                return Reason::Refused {
                    status: 403,
                    detail: detail.clone(),
                };
            }
            E::Unauthorized { .. } => {
                return Reason::Refused {
                    status: 401,
                    detail: String::new(),
                };
            }
            E::BadAnswer { detail, .. } => ("bad-answer", detail.clone()),
            E::Certificate { why, .. } => ("certificate", why.clone()),
            E::Interrupted { .. } => ("interrupted", String::new()),
            other => ("client", other.to_string()),
        };
        Reason::Portal { error, detail }
    }
}

impl Outcome {
    /// The outcome of `a` before anything happened to it (failed, until told otherwise).
    pub fn of(a: &Action, user_id: Option<Arc<str>>) -> Outcome {
        let (dossier, structure, person) = target_of(a);
        Outcome {
            action: a.id,
            op: a.op,
            email: a.email.clone(),
            user_id,
            dossier,
            structure,
            person,
            status: Status::Failed,
            http_status: None,
            attempts: 0,
            duration_ms: 0,
            reason: None,
            portal_down: false,
            sources: a.sources.clone(),
        }
    }
}

/// The fields of what `a` changes.
pub fn target_of(a: &Action) -> (Option<&'static str>, Option<String>, Option<PersonFields>) {
    match a.op {
        Op::CreateUser => (
            None,
            None,
            a.new_user.as_ref().map(|n| PersonFields {
                last_name: n.last_name.clone(),
                first_name: n.first_name.clone(),
                nrn: n.nrn.masked().to_string(),
            }),
        ),
        Op::GrantDossier | Op::RevokeDossier => (a.dossier.map(|d| d.code()), None, None),
        Op::GrantStructure | Op::RevokeStructure => (
            None,
            a.structure.as_ref().map(|s| s.as_str().to_owned()),
            None,
        ),
    }
}

/// Counts by status, for progress and the final summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub done: usize,
    pub adopted: usize,
    pub in_effect: usize,
    pub failed: usize,
    pub skipped: usize,
    pub interrupted: usize,
    /// Never started (the run was interrupted first).
    pub not_run: usize,
    /// Held for approval (a guard tripped): not sent.
    pub held: usize,
}

impl Tally {
    pub fn add(&mut self, s: Status) {
        match s {
            Status::Done => self.done += 1,
            Status::Adopted => self.adopted += 1,
            Status::InEffect => self.in_effect += 1,
            Status::Failed => self.failed += 1,
            Status::Skipped => self.skipped += 1,
            Status::Interrupted => self.interrupted += 1,
            Status::Held => self.held += 1,
        }
    }

    /// Actions with an outcome.
    pub fn finished(&self) -> usize {
        self.done + self.adopted + self.in_effect + self.failed + self.skipped + self.interrupted
    }
}

/// `2026-11-28T18:30:48.123Z`: UTC, milliseconds, as the journal and the logs carry times.
pub fn rfc3339(t: std::time::SystemTime) -> String {
    stamp(t, "%Y-%m-%dT%H:%M:%S%.3fZ")
}

/// `20261128T183048Z`, for file names that sort by time.
pub fn compact_stamp(t: std::time::SystemTime) -> String {
    stamp(t, "%Y%m%dT%H%M%SZ")
}

/// `t` in UTC as `format` says (a clock before 1970 or past 9999 shows as the epoch).
fn stamp(t: std::time::SystemTime, format: &str) -> String {
    jiff::Timestamp::try_from(t)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .strftime(format)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn timestamps_are_utc_and_sortable() {
        let t = UNIX_EPOCH + Duration::from_millis(1_795_890_648_123);
        assert_eq!(rfc3339(t), "2026-11-28T18:30:48.123Z");
        assert_eq!(compact_stamp(t), "20261128T183048Z");
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
    }
}
