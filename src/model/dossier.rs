//! The dossier catalogue (the access modules ticked in Administration › Utilisateurs) and the
//! matching of what people write for them: code, label, singular or plural, any case or accent.

use std::fmt;
use std::sync::LazyLock;

use super::text::{closest, fold};

/// One entry of the fixed v1 catalogue (portal-api.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(into = "&'static str")]
pub enum Dossier {
    AccueilPetiteEnfance,
    MonEquipe,
    AppelProjetsCigogne5200,
    TousLesProjets,
    PrepaccAutorisation,
    PreDemandes,
    Bilans,
}

impl Dossier {
    /// What an administrateur holds on every structure without a grant (portal-api.md): the
    /// plan makes no call for it and needs no structure of theirs for it; reports show it as
    /// implicit. The one place this rule is written.
    pub const ADMINISTRATEUR_IMPLICIT: [Dossier; 1] = [Dossier::PreDemandes];

    /// Whether an administrateur holds this dossier implicitly.
    pub fn implicit_for_administrateur(self) -> bool {
        Self::ADMINISTRATEUR_IMPLICIT.contains(&self)
    }

    pub const ALL: [Dossier; 7] = [
        Dossier::AccueilPetiteEnfance,
        Dossier::MonEquipe,
        Dossier::AppelProjetsCigogne5200,
        Dossier::TousLesProjets,
        Dossier::PrepaccAutorisation,
        Dossier::PreDemandes,
        Dossier::Bilans,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Dossier::AccueilPetiteEnfance => "accueil-petite-enfance",
            Dossier::MonEquipe => "mon-equipe",
            Dossier::AppelProjetsCigogne5200 => "appel-projets-cigogne-5200",
            Dossier::TousLesProjets => "tous-les-projets",
            Dossier::PrepaccAutorisation => "prepacc-autorisation",
            Dossier::PreDemandes => "pre-demandes",
            Dossier::Bilans => "bilans",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Dossier::AccueilPetiteEnfance => "Accueil petite enfance",
            Dossier::MonEquipe => "Mon équipe",
            Dossier::AppelProjetsCigogne5200 => "Appel à projets Cigogne +5200",
            Dossier::TousLesProjets => "Tous les projets",
            Dossier::PrepaccAutorisation => "Prepacc/Autorisation",
            Dossier::PreDemandes => "Pré-demandes",
            Dossier::Bilans => "Bilans",
        }
    }

    /// Scoped dossiers apply to the user's structures only (« pour les milieux d'accueil cochés »).
    pub fn scoped(self) -> bool {
        matches!(self, Dossier::PreDemandes | Dossier::Bilans)
    }

    pub fn from_code(code: &str) -> Option<Dossier> {
        Dossier::ALL.into_iter().find(|d| d.code() == code)
    }

    /// Code or label, matched like headers, singular or plural (« Pré-demande », « bilan »).
    pub fn recognise(s: &str) -> Option<Dossier> {
        // Folded singular forms of every code and label, computed once.
        static FORMS: LazyLock<Vec<(String, Dossier)>> = LazyLock::new(|| {
            Dossier::ALL
                .into_iter()
                .flat_map(|d| [(d.code(), d), (d.label(), d)])
                .map(|(s, d)| (singular(&fold(s)).to_owned(), d))
                .collect()
        });
        let folded = fold(s);
        let wanted = singular(&folded);
        if wanted.is_empty() {
            return None;
        }
        FORMS.iter().find(|(f, _)| f == wanted).map(|(_, d)| *d)
    }

    /// The closest catalogue labels, for an "unknown dossier" hint.
    pub fn closest(s: &str) -> Vec<&'static str> {
        closest(s, Dossier::ALL.iter().map(|d| d.label()))
    }
}

/// Folded text without a trailing plural `s` (French and English plurals of the catalogue).
fn singular(folded: &str) -> &str {
    folded.strip_suffix('s').unwrap_or(folded)
}

impl From<Dossier> for &'static str {
    fn from(d: Dossier) -> Self {
        d.code()
    }
}

impl fmt::Display for Dossier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_labels_singulars_and_plurals() {
        assert_eq!(
            Dossier::recognise("Pré-demande"),
            Some(Dossier::PreDemandes)
        );
        assert_eq!(
            Dossier::recognise("PRE DEMANDES"),
            Some(Dossier::PreDemandes)
        );
        assert_eq!(
            Dossier::recognise("pre-demandes"),
            Some(Dossier::PreDemandes)
        );
        assert_eq!(Dossier::recognise("bilan"), Some(Dossier::Bilans));
        assert_eq!(Dossier::recognise("Mon equipe"), Some(Dossier::MonEquipe));
        assert_eq!(
            Dossier::recognise("prepacc / autorisation"),
            Some(Dossier::PrepaccAutorisation)
        );
        assert_eq!(
            Dossier::recognise("Appel à projets Cigogne +5200"),
            Some(Dossier::AppelProjetsCigogne5200)
        );
        assert_eq!(Dossier::recognise("Tout les projets"), None);
        assert_eq!(Dossier::recognise(""), None);
    }

    #[test]
    fn unknown_dossiers_get_the_closest_label() {
        assert_eq!(
            Dossier::closest("Tout les projets").first(),
            Some(&"Tous les projets")
        );
        assert_eq!(Dossier::closest("Prédemandes"), vec!["Pré-demandes"]);
    }

    #[test]
    fn only_pre_demandes_and_bilans_are_scoped() {
        let scoped: Vec<_> = Dossier::ALL.into_iter().filter(|d| d.scoped()).collect();
        assert_eq!(scoped, vec![Dossier::PreDemandes, Dossier::Bilans]);
    }
}
