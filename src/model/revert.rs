//! The values a revert's problems carry (evidence.md "Revert a run"): the item a run wrote, who
//! or what changed it since, and how each of the revert's problems is said — `revert-superseded`,
//! the run the history store does not cover, `redone-by-inputs` — as a family of `describe.rs`.

use super::description::{Description, d};
use super::message::Message;
use super::problem::{GuardReaction, ProblemKind};
use super::{Dossier, StructureId};
use crate::message;

/// A dossier or a structure a run granted or revoked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RevertItem {
    Dossier(Dossier),
    Structure(StructureId),
}

impl RevertItem {
    /// The dossier's code or the structure's id, as the journal and the history store write it.
    pub fn code(&self) -> &str {
        match self {
            RevertItem::Dossier(d) => d.code(),
            RevertItem::Structure(s) => s.as_str(),
        }
    }

    /// `dossier Bilans`, `structure MA-00101`.
    fn said(&self) -> Message {
        match self {
            RevertItem::Dossier(d) => message!("revert-item-dossier", label = d.label()),
            RevertItem::Structure(s) => message!("revert-item-structure", id = s.as_str()),
        }
    }
}

/// Who or what changed an item since the reverted run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SupersededBy {
    /// By hand in the portal, between the observation of `after_run` and `seen_at_run`'s.
    Hand {
        after_run: Option<String>,
        seen_at_run: String,
    },
    /// By a later run of the job.
    Run { run: String },
    /// On the portal since the last run: this read sees it, no run has yet.
    Portal,
    /// The user is no longer on the portal.
    UserGone,
}

impl SupersededBy {
    fn said(&self) -> Message {
        match self {
            SupersededBy::Hand {
                after_run: Some(after),
                seen_at_run,
            } => message!("revert-by-hand", after = after, seen = seen_at_run),
            SupersededBy::Hand {
                after_run: None,
                seen_at_run,
            } => message!("revert-by-hand-seen", seen = seen_at_run),
            SupersededBy::Run { run } => message!("revert-by-run", run = run),
            SupersededBy::Portal => message!("revert-by-portal"),
            SupersededBy::UserGone => message!("revert-by-user-gone"),
        }
    }
}

/// The revert's problems, said (a family of `ProblemKind::describe`).
pub(super) fn describe(k: &ProblemKind) -> Option<Description> {
    use ProblemKind::*;
    Some(match k {
        RevertSuperseded {
            who,
            item,
            granted,
            run,
            by,
        } => d(
            "revert-superseded",
            if *granted {
                message!(
                    "problem-revert-superseded-grant",
                    who = who,
                    item = item.said(),
                    run = run,
                    by = by.said()
                )
            } else {
                message!(
                    "problem-revert-superseded-revoke",
                    who = who,
                    item = item.said(),
                    run = run,
                    by = by.said()
                )
            },
            message!("hint-revert-superseded"),
        ),
        RevertUnrecorded { run, from } => d(
            "revert-unrecorded",
            match from {
                Some(from) => message!("problem-revert-unrecorded", run = run, from = from),
                None => message!("problem-revert-no-history", run = run),
            },
            message!("hint-revert-unrecorded"),
        ),
        RedoneByInputs { who, item, revoked } => d(
            "redone-by-inputs",
            if *revoked {
                message!("problem-redone-grant", who = who, item = item.said())
            } else {
                message!("problem-redone-revoke", who = who, item = item.said())
            },
            if *revoked {
                message!("hint-redone-grant")
            } else {
                message!("hint-redone-revoke")
            },
        ),
        RedoneUnchecked => d(
            "redone-unchecked",
            message!("problem-redone-unchecked"),
            message!("hint-redone-unchecked"),
        ),
        GuardRevertRevocations {
            revocations,
            max,
            managed,
            reaction,
        } => d(
            "guard-revocations",
            message!(
                "problem-guard-revert",
                revocations = *revocations,
                max = *max,
                managed = *managed
            ),
            match reaction {
                GuardReaction::Allowed => message!("hint-guard-allowed"),
                GuardReaction::Hold => message!("hint-guard-revert-hold"),
                GuardReaction::Stop => message!("hint-guard-revert-stop"),
            },
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_revert_kind_is_described_with_its_code_and_a_hint() {
        use ProblemKind::*;
        let item = RevertItem::Structure(StructureId::from_portal("MA-00101".to_owned()));
        let kinds = [
            (
                RevertSuperseded {
                    who: "a@x.be".into(),
                    item: item.clone(),
                    granted: true,
                    run: "run-1".into(),
                    by: SupersededBy::Portal,
                },
                "revert-superseded",
            ),
            (
                RevertUnrecorded {
                    run: "run-1".into(),
                    from: None,
                },
                "revert-unrecorded",
            ),
            (
                RedoneByInputs {
                    who: "a@x.be".into(),
                    item,
                    revoked: true,
                },
                "redone-by-inputs",
            ),
            (RedoneUnchecked, "redone-unchecked"),
            (
                GuardRevertRevocations {
                    revocations: 3,
                    max: 25,
                    managed: 5,
                    reaction: GuardReaction::Stop,
                },
                "guard-revocations",
            ),
        ];
        for (kind, code) in kinds {
            let d = kind.describe();
            assert_eq!(d.code, code, "{kind:?}");
            assert!(d.hint.is_some(), "{kind:?}");
        }
        assert_eq!(
            RevertItem::Dossier(Dossier::Bilans).code(),
            Dossier::Bilans.code()
        );
    }
}
