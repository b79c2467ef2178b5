//! How the problems of an access review campaign are said (evidence.md "Access review
//! campaigns"), as a family of `describe.rs`: a review sheet dropped among the staff files, and
//! a reviewer's own row on the sheet they decide.

use super::description::{Description, d};
use super::message::escaped as q;
use super::problem::ProblemKind;
use crate::message;

/// The review's problems, said (a family of `ProblemKind::describe`).
pub(super) fn describe(k: &ProblemKind) -> Option<Description> {
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
        ];
        for (kind, code) in kinds {
            let d = kind.describe();
            assert_eq!(d.code, code, "{kind:?}");
            assert!(d.hint.is_some(), "{kind:?}");
        }
    }
}
