//! How the problems of an access review campaign are said (evidence.md "Access review
//! campaigns"), as a family of `describe.rs`: a review sheet dropped among the staff files, and
//! a reviewer's own row on the sheet they decide, and what `review collect` finds in a returned
//! sheet.

use super::description::{Description, d};
use super::message::escaped as q;
use super::problem::{GuardReaction, ProblemKind, RowUnknown};
use crate::message;

/// The review's problems, said (a family of `ProblemKind::describe`).
pub(super) fn describe(k: &ProblemKind) -> Option<Description> {
    sheets(k).or_else(|| plan(k))
}

/// What `review plan` and `apply --review` find.
fn plan(k: &ProblemKind) -> Option<Description> {
    use ProblemKind::*;
    Some(match k {
        ReviewStale { who, structure } => d(
            "review-stale",
            message!(
                "problem-review-stale",
                who = q(who),
                structure = structure.as_str()
            ),
            message!("hint-review-stale"),
        ),
        ReviewStructureOrphaned { structure } => d(
            "review-structure-orphaned",
            message!(
                "problem-review-structure-orphaned",
                structure = structure.as_str()
            ),
            message!("hint-review-structure-orphaned"),
        ),
        ReviewRedone { who, structure } => d(
            "redone-by-inputs",
            message!(
                "problem-review-redone",
                who = who,
                structure = structure.as_str()
            ),
            message!("hint-review-redone"),
        ),
        ReviewRedoneUnchecked => d(
            "redone-unchecked",
            message!("problem-review-redone-unchecked"),
            message!("hint-review-redone-unchecked"),
        ),
        GuardReviewRevocations {
            revocations,
            max,
            managed,
            reaction,
        } => d(
            "guard-revocations",
            message!(
                "problem-guard-review",
                revocations = *revocations,
                max = *max,
                managed = *managed
            ),
            match reaction {
                GuardReaction::Allowed => message!("hint-guard-allowed"),
                GuardReaction::Hold => message!("hint-guard-review-hold"),
                GuardReaction::Stop => message!("hint-guard-review-stop"),
            },
        ),
        _ => return None,
    })
}

/// What `review start` and `review collect` find, and the input reader.
fn sheets(k: &ProblemKind) -> Option<Description> {
    use ProblemKind::*;
    Some(match k {
        ReviewSheetInInputs => d(
            "review-sheet-in-inputs",
            message!("problem-review-sheet-in-inputs"),
            message!("hint-review-sheet-in-inputs"),
        ),
        ReviewSelf { email, structure } => d(
            "review-self",
            message!(
                "problem-review-self",
                email = q(email),
                structure = structure.as_str()
            ),
            message!("hint-review-self"),
        ),
        ReviewSelfDecided { value } => d(
            "review-self",
            message!("problem-review-self-decided", value = q(value)),
            message!("hint-review-self-decided"),
        ),
        ReviewDecisionInvalid { value } => d(
            "review-decision-invalid",
            message!("problem-review-decision-invalid", value = q(value)),
            message!("hint-review-decision-invalid"),
        ),
        ReviewRowUnknown { user, why } => d(
            "review-row-unknown",
            match why {
                RowUnknown::Added => message!("problem-review-row-unknown", user = q(user)),
                RowUnknown::Apart => message!("problem-review-row-apart", user = q(user)),
                RowUnknown::Twice => message!("problem-review-row-twice", user = q(user)),
            },
            match why {
                RowUnknown::Added => message!("hint-review-row-unknown"),
                RowUnknown::Apart => message!("hint-review-row-apart"),
                RowUnknown::Twice => message!("hint-review-row-twice"),
            },
        ),
        ReviewCampaignUnknown { campaign, closed } => d(
            "review-campaign-unknown",
            match (campaign.is_empty(), closed) {
                (true, _) => message!("problem-review-no-campaign"),
                (false, true) => message!("problem-review-campaign-closed", campaign = campaign),
                (false, false) => message!("problem-review-campaign-unknown", campaign = campaign),
            },
            message!("hint-review-campaign-unknown"),
        ),
        ReviewSheetTooLarge { max } => d(
            "review-sheet-too-large",
            message!("problem-review-sheet-too-large", max = *max),
            message!("hint-review-sheet-too-large"),
        ),
        ReviewWorkbookTooLarge { mib } => d(
            "review-sheet-too-large",
            message!("problem-review-workbook-too-large", mib = *mib),
            message!("hint-review-sheet-too-large"),
        ),
        ReviewSheetApplied { structure, run } => d(
            "review-sheet-applied",
            message!(
                "problem-review-sheet-applied",
                structure = structure.as_str(),
                run = run.as_str()
            ),
            message!("hint-review-sheet-applied"),
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_review_kind_is_described_with_its_code_and_a_hint() {
        use ProblemKind::*;
        let kinds = [
            (ReviewSheetInInputs, "review-sheet-in-inputs"),
            (
                ReviewSelf {
                    email: "a@x.be".into(),
                    structure: "MA-00101".into(),
                },
                "review-self",
            ),
            (
                ReviewSelfDecided {
                    value: "Retirer".into(),
                },
                "review-self",
            ),
            (
                ReviewDecisionInvalid {
                    value: "peut-être".into(),
                },
                "review-decision-invalid",
            ),
            (
                ReviewRowUnknown {
                    user: "u-9".into(),
                    why: RowUnknown::Added,
                },
                "review-row-unknown",
            ),
            (
                ReviewCampaignUnknown {
                    campaign: String::new(),
                    closed: false,
                },
                "review-campaign-unknown",
            ),
            (ReviewSheetTooLarge { max: 60 }, "review-sheet-too-large"),
            (ReviewWorkbookTooLarge { mib: 16 }, "review-sheet-too-large"),
            (
                ReviewRedone {
                    who: "a@x.be".into(),
                    structure: "MA-00101".into(),
                },
                "redone-by-inputs",
            ),
            (ReviewRedoneUnchecked, "redone-unchecked"),
            (
                GuardReviewRevocations {
                    revocations: 3,
                    max: 25,
                    managed: 5,
                    reaction: GuardReaction::Hold,
                },
                "guard-revocations",
            ),
            (
                ReviewStale {
                    who: "a@x.be".into(),
                    structure: "MA-00101".into(),
                },
                "review-stale",
            ),
            (
                ReviewStructureOrphaned {
                    structure: "MA-00101".into(),
                },
                "review-structure-orphaned",
            ),
            (
                ReviewSheetApplied {
                    structure: "MA-00101".into(),
                    run: "run-1".into(),
                },
                "review-sheet-applied",
            ),
        ];
        for (kind, code) in kinds {
            let d = kind.describe();
            assert_eq!(d.code, code, "{kind:?}");
            assert!(d.hint.is_some(), "{kind:?}");
        }
    }
}
