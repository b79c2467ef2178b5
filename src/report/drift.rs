//! The section **changed by hand since the last run** (evidence.md: drift) that every report of
//! `plan` and `apply` gains when there is any: each change the history store finds between the
//! portal as it is now and its last observation, said for people — who (e-mail, user id), what
//! (a dossier's label, a structure, a profile; granted or revoked by hand) and when (since run A
//! in a plan, between run A and run B once a run saw it). The pieces every renderer shares sit
//! here; JSON serialises `DriftChange` as it is. No change, no section: every function gives an
//! empty string for an empty list, so a report without drift reads as before.

use std::fmt::Write as _;

use crate::history::DriftChange;
use crate::model::Dossier;
use crate::t;

use super::md_escape;

/// A structure's words for people (`Crèche Les Lutins (Namur)`), when the renderer knows it.
pub(crate) type StructureName<'a> = &'a dyn Fn(&str) -> Option<String>;

fn no_name(_: &str) -> Option<String> {
    None
}

/// The change is a grant (`grant_dossier`…), else a revocation.
pub(crate) fn granted(c: &DriftChange) -> bool {
    c.op.starts_with("grant_")
}

/// What changed: `dossier Bilans`, `structure MA-00101 — Crèche Les Lutins (Namur)`, `profile
/// administrateur`.
pub(crate) fn item(c: &DriftChange, name: StructureName<'_>) -> String {
    if let Some(code) = &c.dossier {
        let label = Dossier::from_code(code).map_or(code.as_str(), |d| d.label());
        return t!("drift-dossier", label = label);
    }
    if let Some(id) = &c.structure {
        let structure = match name(id) {
            Some(n) => format!("{id} — {n}"),
            None => id.clone(),
        };
        return t!("drift-structure", structure = structure);
    }
    t!(
        "drift-profile",
        profile = c.profile.as_deref().unwrap_or_default()
    )
}

/// `dossier Bilans granted by hand`.
pub(crate) fn change(c: &DriftChange, name: StructureName<'_>) -> String {
    let item = item(c, name);
    if granted(c) {
        t!("drift-granted", item = item)
    } else {
        t!("drift-revoked", item = item)
    }
}

/// Between which observations: `since run A` (a plan: this dry run saw it), `between run A and
/// run B` (run B saw it).
pub(crate) fn when(c: &DriftChange) -> String {
    match (&c.after_run, &c.seen_at_run) {
        (Some(after), Some(seen)) => t!("drift-between", after = after, seen = seen),
        (Some(after), None) => t!("drift-since", after = after),
        (None, Some(seen)) => t!("drift-before", seen = seen),
        (None, None) => t!("drift-seen-at", at = &c.at),
    }
}

/// The person: `marie.dupont@lespetitspas.be (u-000004)`, the id alone for a user the store
/// no longer names.
pub(crate) fn who(c: &DriftChange) -> String {
    if c.email.is_empty() {
        c.user_id.clone()
    } else {
        format!("{} ({})", c.email, c.user_id)
    }
}

/// One change on one line, for a terminal or a list.
pub(crate) fn line(c: &DriftChange, name: StructureName<'_>) -> String {
    t!(
        "drift-line",
        who = who(c),
        change = change(c, name),
        when = when(c)
    )
}

/// The section as terminal text: its title, then one indented line per change; empty when no
/// change.
pub fn text(changes: &[DriftChange]) -> String {
    text_with(changes, &no_name)
}

/// `text`, with the structures' names the renderer knows.
pub(crate) fn text_with(changes: &[DriftChange], name: StructureName<'_>) -> String {
    if changes.is_empty() {
        return String::new();
    }
    let mut out = format!("{}\n", t!("drift-text-title", count = changes.len()));
    for c in changes {
        let _ = writeln!(out, "  {}", line(c, name));
    }
    out
}

/// The section as Markdown: a `##` title, a sentence, a table (person, change, when); empty
/// when no change.
pub fn markdown(changes: &[DriftChange]) -> String {
    markdown_with(changes, &no_name)
}

/// `markdown`, with the structures' names the renderer knows.
pub(crate) fn markdown_with(changes: &[DriftChange], name: StructureName<'_>) -> String {
    if changes.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "## {}\n\n{}\n\n{}\n|---|---|---|\n",
        t!("drift-title"),
        t!("drift-intro"),
        t!("drift-md-header")
    );
    for c in changes {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            md_escape(&who(c)),
            md_escape(&change(c, name)),
            md_escape(&when(c))
        );
    }
    out
}

/// The section as HTML (a title, a sentence, a table), everything escaped; empty when no
/// change.
pub(crate) fn html(changes: &[DriftChange], name: StructureName<'_>) -> String {
    use super::html_escape as escape;
    if changes.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<section class=\"drift\" id=\"drift\"><h2>{}</h2><p class=\"meta\">{}</p>\
         <table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        escape(&t!("drift-title")),
        escape(&t!("drift-intro")),
        escape(&t!("drift-col-person")),
        escape(&t!("drift-col-change")),
        escape(&t!("drift-col-when"))
    );
    for c in changes {
        let class = if granted(c) { "grant" } else { "revoke" };
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"{class}\">{}</td><td class=\"src\">{}</td></tr>",
            escape(&who(c)),
            escape(&change(c, name)),
            escape(&when(c))
        );
    }
    out.push_str("</tbody></table></section>");
    out
}

/// The op as the plan's CSV writes an action's (`RevokeDossier`).
pub(crate) fn csv_op(op: &str) -> String {
    op.split('_')
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|f| f.to_uppercase().chain(cs).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    //! Two changes (a dossier revoked, a structure granted) said in both languages; none says
    //! nothing. The other renderers' tests use the same sample and `in_lang`.

    use super::*;
    use crate::model::Lang;

    /// The process's language is global: tests that switch it take turns, and leave English.
    static LANG: std::sync::Mutex<()> = std::sync::Mutex::new(());

    pub(crate) fn in_lang<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
        let _turn = LANG.lock().unwrap_or_else(|e| e.into_inner());
        crate::report::i18n::set_language(lang);
        let out = f();
        crate::report::i18n::set_language(Lang::En);
        out
    }

    /// Bilans revoked from Marie by hand, MA-00102 granted to Lotte by hand, since one run (as
    /// a plan sees them).
    pub(crate) fn sample() -> Vec<DriftChange> {
        let base = DriftChange {
            user_id: "u-000004".into(),
            email: "marie.dupont@lespetitspas.be".into(),
            op: "revoke_dossier".into(),
            dossier: Some("bilans".into()),
            structure: None,
            profile: None,
            after_run: Some("run-20261127T020000Z".into()),
            seen_at_run: None,
            at: "2026-11-28T08:00:00.000Z".into(),
        };
        vec![
            base.clone(),
            DriftChange {
                user_id: "u-000007".into(),
                email: "lotte.janssens@lespetitspas.be".into(),
                op: "grant_structure".into(),
                dossier: None,
                structure: Some("MA-00102".into()),
                ..base
            },
        ]
    }

    #[test]
    fn two_changes_are_said_in_text_and_markdown_in_both_languages() {
        let d = sample();
        let (en_text, en_md) = in_lang(Lang::En, || (text(&d), markdown(&d)));
        assert_eq!(
            en_text,
            "Changed by hand since the last run (2):\n  \
             marie.dupont@lespetitspas.be (u-000004): dossier Bilans revoked by hand, since run-20261127T020000Z\n  \
             lotte.janssens@lespetitspas.be (u-000007): structure MA-00102 granted by hand, since run-20261127T020000Z\n"
        );
        assert!(
            en_md.starts_with("## Changed by hand since the last run\n\n"),
            "{en_md}"
        );
        assert!(en_md.contains(
            "| marie.dupont@lespetitspas.be (u-000004) | dossier Bilans revoked by hand | since run-20261127T020000Z |\n"
        ), "{en_md}");
        let (fr_text, fr_md) = in_lang(Lang::Fr, || (text(&d), markdown(&d)));
        assert!(
            fr_text.starts_with("Modifié à la main depuis la dernière exécution (2) :\n"),
            "{fr_text}"
        );
        assert!(fr_text.contains(
            "lotte.janssens@lespetitspas.be (u-000007) : milieu d'accueil MA-00102 donné à la main, depuis l'exécution run-20261127T020000Z"
        ), "{fr_text}");
        assert!(
            fr_md.starts_with("## Modifié à la main depuis la dernière exécution\n\n"),
            "{fr_md}"
        );
        assert!(
            fr_md.contains("| dossier Bilans retiré à la main |"),
            "{fr_md}"
        );
    }

    #[test]
    fn a_change_a_run_saw_is_between_two_runs_and_a_structure_has_its_name() {
        let mut d = sample();
        d[1].seen_at_run = Some("run-20261128T020000Z".into());
        let name = |id: &str| (id == "MA-00102").then(|| "Les Petits Loups (Namur)".to_owned());
        let said = in_lang(Lang::En, || text_with(&d, &name));
        assert!(said.contains(
            "structure MA-00102 — Les Petits Loups (Namur) granted by hand, between run-20261127T020000Z and run-20261128T020000Z"
        ), "{said}");
    }

    #[test]
    fn no_change_says_nothing() {
        assert_eq!(text(&[]), "");
        assert_eq!(markdown(&[]), "");
        assert_eq!(html(&[], &no_name), "");
    }

    #[test]
    fn html_is_escaped_and_ops_read_as_the_plan_csv_s() {
        let mut d = sample();
        d[0].email = "<b>x</b>@x.be".into();
        let page = in_lang(Lang::En, || html(&d, &no_name));
        assert!(page.contains("&lt;b&gt;x&lt;/b&gt;@x.be"), "{page}");
        assert!(page.contains("<h2>Changed by hand since the last run</h2>"));
        assert_eq!(csv_op("revoke_dossier"), "RevokeDossier");
        assert_eq!(csv_op("grant_profile"), "GrantProfile");
    }
}
