//! The life of a held plan as data (cli.md "Held changes"): its states, the events that move
//! it, and one pure transition function — (state, event) → what to record, or why the event is
//! refused there. Nothing here reads or writes a file: the store (`held.rs`) asks this function
//! and does what it answers, so every rule of the lifecycle is unit-tested state by state.

use serde::Serialize;

use super::saved::Change;

/// Where a held plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HeldState {
    Pending,
    Approved,
    Applied,
    /// Approved and applied, but some of its actions did not end done, adopted or in effect.
    Partial,
    Rejected,
    Superseded,
    Stale,
}

impl HeldState {
    pub const ALL: [HeldState; 7] = [
        HeldState::Pending,
        HeldState::Approved,
        HeldState::Applied,
        HeldState::Partial,
        HeldState::Rejected,
        HeldState::Superseded,
        HeldState::Stale,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HeldState::Pending => "pending",
            HeldState::Approved => "approved",
            HeldState::Applied => "applied",
            HeldState::Partial => "partial",
            HeldState::Rejected => "rejected",
            HeldState::Superseded => "superseded",
            HeldState::Stale => "stale",
        }
    }

    /// Its actions still wait (counted by the `held_actions` metric, kept by retention).
    pub fn waiting(self) -> bool {
        matches!(self, HeldState::Pending | HeldState::Approved)
    }
}

/// The record kinds, by file-name prefix (`approved-<fingerprint>.json`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Approved,
    Rejected,
    Applied,
    Partial,
    Stale,
    Superseded,
    Notified,
}

impl Kind {
    /// Every record kind (retention governs their files).
    pub const ALL: [Kind; 7] = [
        Kind::Approved,
        Kind::Rejected,
        Kind::Applied,
        Kind::Partial,
        Kind::Stale,
        Kind::Superseded,
        Kind::Notified,
    ];

    /// The records cleared when a plan that ended is held again from scratch: the approval and
    /// notice of its earlier life (a fresh approval is asked), then its ending. In that order:
    /// a removal that fails halfway leaves the plan ended, never approved again.
    pub const CLEARED_WHEN_HELD_AGAIN: [Kind; 5] = [
        Kind::Approved,
        Kind::Notified,
        Kind::Applied,
        Kind::Stale,
        Kind::Superseded,
    ];

    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Approved => "approved",
            Kind::Rejected => "rejected",
            Kind::Applied => "applied",
            Kind::Partial => "partial",
            Kind::Stale => "stale",
            Kind::Superseded => "superseded",
            Kind::Notified => "notified",
        }
    }
}

/// What happened to a held plan, when, and by whom or why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Record {
    pub fingerprint: String,
    /// RFC 3339.
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// For `stale`: what changed, as the stale check found it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// For `superseded`: the held plan that took its place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
    /// For `applied` and `partial`: the run that applied it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
    /// For `applied`: the run's journal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<String>,
    /// For `partial`: the held plan's actions that did not end done, adopted or in effect.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<u32>,
}

impl Record {
    pub fn new(fingerprint: &str, at: String) -> Record {
        Record {
            fingerprint: fingerprint.to_owned(),
            at,
            by: None,
            changes: Vec::new(),
            superseded_by: None,
            run: None,
            journal: None,
            failed: Vec::new(),
        }
    }
}

/// What can happen to a held plan. `at` is the time of the event (RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A run holds actions that give this fingerprint.
    Held {
        at: String,
    },
    /// A person approves it (after the read-only check against the portal).
    Approve {
        by: Option<String>,
        at: String,
    },
    Reject {
        by: Option<String>,
        at: String,
    },
    /// A run applied it: `failed` are its actions that did not end done, adopted or in effect.
    Applied {
        at: String,
        run: Option<String>,
        failed: Vec<u32>,
    },
    /// The check against the portal found it stale (at approval, or before a run applies it).
    FoundStale {
        at: String,
        changes: Vec<Change>,
    },
    /// A newer held plan of the same source took its place.
    SupersededBy {
        at: String,
        by: String,
    },
    /// Its notice was sent (new, or a reminder).
    Told {
        at: String,
    },
}

/// What the store must do for an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write (or replace) this record.
    Write(Kind, Record),
    /// Remove these records (an absent one is nothing to do).
    Clear(Vec<Kind>),
    /// Save the held plan itself (with its page and ticket): it is held from scratch.
    SavePlan,
}

/// The answer to an event: the state after it and what to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The event moves (or keeps) the plan in `to`, by these effects, in order.
    To { to: HeldState, effects: Vec<Effect> },
    /// A run held it again but it was rejected (same actions, same fingerprint): left out, with
    /// no notice.
    LeftOutRejected,
    /// A run held it again after it was applied with failed actions: stays `partial`.
    LeftOutPartial,
    /// Already held and waiting: kept as it is (its approval too).
    Kept,
    /// The event is not possible in this state (a person's command is refused).
    Refused(HeldState),
}

/// The lifecycle. `state` is `None` for a fingerprint that is not held yet.
pub fn transition(state: Option<HeldState>, event: &Event) -> Step {
    use HeldState as S;
    let write = |kind: Kind, r: Record, to: HeldState| Step::To {
        to,
        effects: vec![Effect::Write(kind, r)],
    };
    match (state, event) {
        (None, Event::Held { .. }) => Step::To {
            to: S::Pending,
            effects: vec![Effect::SavePlan],
        },
        (Some(S::Pending | S::Approved), Event::Held { .. }) => Step::Kept,
        (Some(S::Rejected), Event::Held { .. }) => Step::LeftOutRejected,
        (Some(S::Partial), Event::Held { .. }) => Step::LeftOutPartial,
        // Applied, stale or superseded, and held again: held from scratch, pending a fresh
        // approval.
        (Some(S::Applied | S::Stale | S::Superseded), Event::Held { .. }) => Step::To {
            to: S::Pending,
            effects: vec![
                Effect::Clear(Kind::CLEARED_WHEN_HELD_AGAIN.to_vec()),
                Effect::SavePlan,
            ],
        },
        (Some(S::Pending), Event::Approve { by, at }) => write(
            Kind::Approved,
            Record {
                by: by.clone(),
                ..Record::new("", at.clone())
            },
            S::Approved,
        ),
        (Some(S::Pending | S::Approved), Event::Reject { by, at }) => write(
            Kind::Rejected,
            Record {
                by: by.clone(),
                ..Record::new("", at.clone())
            },
            S::Rejected,
        ),
        (Some(S::Approved), Event::Applied { at, run, failed }) => {
            let r = Record {
                run: run.clone(),
                failed: failed.clone(),
                ..Record::new("", at.clone())
            };
            if failed.is_empty() {
                write(Kind::Applied, r, S::Applied)
            } else {
                write(Kind::Partial, r, S::Partial)
            }
        }
        (Some(S::Pending | S::Approved), Event::FoundStale { at, changes }) => write(
            Kind::Stale,
            Record {
                changes: changes.clone(),
                ..Record::new("", at.clone())
            },
            S::Stale,
        ),
        (Some(S::Pending), Event::SupersededBy { at, by }) => write(
            Kind::Superseded,
            Record {
                superseded_by: Some(by.clone()),
                ..Record::new("", at.clone())
            },
            S::Superseded,
        ),
        (Some(S::Pending), Event::Told { at }) => {
            write(Kind::Notified, Record::new("", at.clone()), S::Pending)
        }
        (Some(s), _) => Step::Refused(s),
        // Nothing but holding it can happen to a plan that is not held.
        (None, _) => Step::Refused(S::Pending),
    }
}

/// The state its records give: the one place the records are read as a state.
pub fn state_of(has: impl Fn(Kind) -> bool) -> HeldState {
    if has(Kind::Applied) {
        HeldState::Applied
    } else if has(Kind::Partial) {
        HeldState::Partial
    } else if has(Kind::Stale) {
        HeldState::Stale
    } else if has(Kind::Rejected) {
        HeldState::Rejected
    } else if has(Kind::Superseded) {
        HeldState::Superseded
    } else if has(Kind::Approved) {
        HeldState::Approved
    } else {
        HeldState::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use HeldState as S;

    const AT: &str = "2026-12-04T02:30:00.000Z";

    fn all_events() -> Vec<Event> {
        vec![
            Event::Held { at: AT.into() },
            Event::Approve {
                by: Some("ana".into()),
                at: AT.into(),
            },
            Event::Reject {
                by: None,
                at: AT.into(),
            },
            Event::Applied {
                at: AT.into(),
                run: Some("run-20261204T023000Z".into()),
                failed: vec![],
            },
            Event::Applied {
                at: AT.into(),
                run: None,
                failed: vec![3],
            },
            Event::FoundStale {
                at: AT.into(),
                changes: vec![],
            },
            Event::SupersededBy {
                at: AT.into(),
                by: "ffff0000ffff0000".into(),
            },
            Event::Told { at: AT.into() },
        ]
    }

    /// The state the effects lead to, replayed through `state_of` over a set of records.
    fn replay(before: &[Kind], effects: &[Effect]) -> Vec<Kind> {
        let mut have: Vec<Kind> = before.to_vec();
        for e in effects {
            match e {
                Effect::Write(k, _) => {
                    if !have.contains(k) {
                        have.push(*k)
                    }
                }
                Effect::Clear(ks) => have.retain(|k| !ks.contains(k)),
                Effect::SavePlan => {}
            }
        }
        have
    }

    /// The records that give each state (the shortest history that leads there).
    fn records_of(s: HeldState) -> Vec<Kind> {
        match s {
            S::Pending => vec![],
            S::Approved => vec![Kind::Approved],
            S::Applied => vec![Kind::Approved, Kind::Applied],
            S::Partial => vec![Kind::Approved, Kind::Partial],
            S::Rejected => vec![Kind::Rejected],
            S::Superseded => vec![Kind::Superseded],
            S::Stale => vec![Kind::Approved, Kind::Stale],
        }
    }

    #[test]
    fn the_records_of_each_state_read_as_that_state() {
        for s in S::ALL {
            let have = records_of(s);
            assert_eq!(state_of(|k| have.contains(&k)), s, "{s:?}");
        }
    }

    /// Every (state, event) pair: where cli.md says it goes, and that its records, replayed,
    /// read as that state.
    #[test]
    fn every_event_in_every_state_goes_where_cli_md_says() {
        for s in S::ALL {
            for e in all_events() {
                let step = transition(Some(s), &e);
                let expected: Option<HeldState> = match (s, &e) {
                    (S::Pending | S::Approved, Event::Held { .. }) => None, // kept
                    (S::Rejected | S::Partial, Event::Held { .. }) => None, // left out
                    (_, Event::Held { .. }) => Some(S::Pending),
                    (S::Pending, Event::Approve { .. }) => Some(S::Approved),
                    (S::Pending | S::Approved, Event::Reject { .. }) => Some(S::Rejected),
                    (S::Approved, Event::Applied { failed, .. }) if failed.is_empty() => {
                        Some(S::Applied)
                    }
                    (S::Approved, Event::Applied { .. }) => Some(S::Partial),
                    (S::Pending | S::Approved, Event::FoundStale { .. }) => Some(S::Stale),
                    (S::Pending, Event::SupersededBy { .. }) => Some(S::Superseded),
                    (S::Pending, Event::Told { .. }) => Some(S::Pending),
                    _ => {
                        assert_eq!(step, Step::Refused(s), "{s:?} {e:?}");
                        continue;
                    }
                };
                match (expected, &step) {
                    (Some(to), Step::To { to: got, effects }) => {
                        assert_eq!(*got, to, "{s:?} {e:?}");
                        let have = replay(&records_of(s), effects);
                        assert_eq!(state_of(|k| have.contains(&k)), to, "{s:?} {e:?} {have:?}");
                    }
                    (None, Step::Kept) => assert!(s.waiting()),
                    (None, Step::LeftOutRejected) => assert_eq!(s, S::Rejected),
                    (None, Step::LeftOutPartial) => assert_eq!(s, S::Partial),
                    _ => panic!("{s:?} {e:?}: {step:?}"),
                }
            }
        }
    }

    #[test]
    fn a_new_fingerprint_is_saved_pending_and_nothing_else_happens_to_it() {
        assert_eq!(
            transition(None, &Event::Held { at: AT.into() }),
            Step::To {
                to: S::Pending,
                effects: vec![Effect::SavePlan]
            }
        );
        for e in all_events().into_iter().skip(1) {
            assert!(matches!(transition(None, &e), Step::Refused(_)), "{e:?}");
        }
    }

    #[test]
    fn an_applied_plan_with_failed_actions_is_partial_and_names_them() {
        let step = transition(
            Some(S::Approved),
            &Event::Applied {
                at: AT.into(),
                run: Some("run-x".into()),
                failed: vec![3, 7],
            },
        );
        match step {
            Step::To {
                to: S::Partial,
                effects,
            } => match effects.as_slice() {
                [Effect::Write(Kind::Partial, r)] => {
                    assert_eq!(
                        (r.failed.clone(), r.run.as_deref()),
                        (vec![3, 7], Some("run-x"))
                    )
                }
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn held_again_after_its_end_clears_the_ending_before_saving() {
        for s in [S::Applied, S::Stale, S::Superseded] {
            match transition(Some(s), &Event::Held { at: AT.into() }) {
                Step::To { effects, .. } => {
                    assert_eq!(
                        effects[0],
                        Effect::Clear(Kind::CLEARED_WHEN_HELD_AGAIN.to_vec())
                    );
                    assert_eq!(effects[1], Effect::SavePlan);
                }
                other => panic!("{s:?}: {other:?}"),
            }
        }
        // Partial is not an ending that is cleared: the plan stays partial.
        assert!(!Kind::CLEARED_WHEN_HELD_AGAIN.contains(&Kind::Partial));
    }
}
