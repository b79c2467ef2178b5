//! The plan report's section "changed by hand since the last run" in every format and both
//! languages: two changes are said (text, Markdown, CSV rows of their own, the JSON `drift`
//! list), and a report without any reads exactly as before.

use super::*;
use crate::model::{Caller, Lang, ObservedState, OrganisationInfo};
use crate::report::drift::tests::{in_lang, sample};

/// An empty plan over a portal of two structures (Les Petits Loups is MA-00102).
pub(crate) fn quiet_portal() -> (Plan, ObservedState) {
    let observed = ObservedState {
        caller: Caller {
            id: "u-000001".into(),
            email: "admin@lespetitspas.be".into(),
            admin: true,
            user_admin: false,
        },
        organisation: OrganisationInfo {
            id: "org-0042".into(),
            name: "ASBL Les Petits Pas".into(),
        },
        dossiers: Dossier::ALL.into_iter().collect(),
        structures: [
            ("MA-00101", "Crèche Les Lutins"),
            ("MA-00102", "Les Petits Loups"),
        ]
        .iter()
        .map(|(id, name)| StructureInfo {
            id: StructureId::from_portal(*id),
            name: (*name).into(),
            postal_code: "5000".into(),
            city: "Namur".into(),
        })
        .collect(),
        users: Vec::new(),
    };
    let plan = crate::plan::plan(
        &crate::model::DesiredState::default(),
        &observed,
        &crate::plan::PlanOptions::default(),
    );
    (plan, observed)
}

/// Text, Markdown, CSV and JSON of the report, with and without the sample's drift.
fn rendered(lang: Lang) -> ([String; 4], [String; 4]) {
    let (plan, observed) = quiet_portal();
    let drift = sample();
    let render = |r: &PlanReport<'_>| {
        [
            text(r, false),
            markdown(r),
            csv(r).unwrap_or_default(),
            json(r),
        ]
    };
    in_lang(lang, || {
        let none = PlanReport::new(&plan, "0011223344556677", &[], 0, &observed.structures, "O");
        let with = PlanReport::new(&plan, "0011223344556677", &[], 0, &observed.structures, "O")
            .with_drift(&drift);
        (render(&with), render(&none))
    })
}

#[test]
fn two_changes_by_hand_are_said_in_every_format_in_english() {
    let ([txt, md, csv, json], _) = rendered(Lang::En);
    assert!(
        txt.contains(
            "\nChanged by hand since the last run (2):\n  \
             marie.dupont@lespetitspas.be (u-000004): dossier Bilans revoked by hand, since run-20261127T020000Z\n  \
             lotte.janssens@lespetitspas.be (u-000007): structure MA-00102 — Les Petits Loups (Namur) granted by hand, since run-20261127T020000Z\n"
        ),
        "{txt}"
    );
    assert!(
        md.contains("## Changed by hand since the last run\n\n"),
        "{md}"
    );
    assert!(md.contains("| person | change | when |\n|---|---|---|\n| marie.dupont@lespetitspas.be (u-000004) | dossier Bilans revoked by hand | since run-20261127T020000Z |\n"), "{md}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert_eq!(
        lines[1],
        "0011223344556677;by hand;RevokeDossier;marie.dupont@lespetitspas.be;u-000004;bilans;Bilans;;;;;since run-20261127T020000Z;;"
    );
    assert_eq!(
        lines[2],
        "0011223344556677;by hand;GrantStructure;lotte.janssens@lespetitspas.be;u-000007;;;MA-00102;Les Petits Loups;Namur;;since run-20261127T020000Z;;"
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(
        v["drift"],
        serde_json::json!([
            {"user_id": "u-000004", "email": "marie.dupont@lespetitspas.be", "op": "revoke_dossier",
             "dossier": "bilans", "after_run": "run-20261127T020000Z", "seen_at_run": null,
             "at": "2026-11-28T08:00:00.000Z"},
            {"user_id": "u-000007", "email": "lotte.janssens@lespetitspas.be", "op": "grant_structure",
             "structure": "MA-00102", "after_run": "run-20261127T020000Z", "seen_at_run": null,
             "at": "2026-11-28T08:00:00.000Z"}
        ])
    );
}

#[test]
fn two_changes_by_hand_are_said_in_every_format_in_french() {
    let ([txt, md, csv, json], _) = rendered(Lang::Fr);
    assert!(
        txt.contains("\nModifié à la main depuis la dernière exécution (2) :\n  marie.dupont@lespetitspas.be (u-000004) : dossier Bilans retiré à la main, depuis l'exécution run-20261127T020000Z\n"),
        "{txt}"
    );
    assert!(
        md.contains("## Modifié à la main depuis la dernière exécution\n\n"),
        "{md}"
    );
    assert!(
        md.contains("| lotte.janssens@lespetitspas.be (u-000007) | milieu d'accueil MA-00102 — Les Petits Loups (Namur) donné à la main | depuis l'exécution run-20261127T020000Z |"),
        "{md}"
    );
    assert!(
        csv.contains("\n0011223344556677;à la main;RevokeDossier;marie.dupont@lespetitspas.be;u-000004;bilans;Bilans;;;;;depuis l'exécution run-20261127T020000Z;;\n"),
        "{csv}"
    );
    // JSON is the same in every language.
    let en = rendered(Lang::En).0[3].clone();
    assert_eq!(json, en);
}

#[test]
fn without_changes_by_hand_nothing_is_said_and_the_section_is_all_that_drift_adds() {
    let (plan, observed) = quiet_portal();
    let drift = sample();
    for lang in [Lang::En, Lang::Fr] {
        let ([txt, md, csv, json], [txt0, md0, csv0, json0]) = rendered(lang);
        for without in [&txt0, &md0, &csv0] {
            assert!(!without.contains("by hand") && !without.contains("à la main"));
        }
        // The section, cut out, leaves the report as it was.
        let (block, md_block) = in_lang(lang, || {
            let r = PlanReport::new(&plan, "0011223344556677", &[], 0, &observed.structures, "O");
            let name = |id: &str| r.structure_name(id);
            (
                crate::report::drift::text_with(&drift, &name),
                crate::report::drift::markdown_with(&drift, &name),
            )
        });
        assert_eq!(txt.replacen(&format!("\n{block}"), "", 1), txt0);
        assert_eq!(md.replacen(&format!("{md_block}\n"), "", 1), md0);
        let first = csv.lines().next().unwrap_or_default();
        assert_eq!(format!("{first}\n"), csv0);
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        let v0: serde_json::Value = serde_json::from_str(&json0).unwrap_or_default();
        assert_eq!(v0["drift"], serde_json::json!([]));
        v["drift"] = serde_json::json!([]);
        assert_eq!(v, v0);
    }
}
