//! The portal as the job saw it, in domain terms: the caller, the organisation, its structures,
//! its users with their explicit grants. Built by `portal`, read by `plan`.

use super::{DossierSet, Nrn, StructureId, StructureInfo, VecSet};

/// The account the token acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub id: String,
    pub email: String,
    pub admin: bool,
    pub user_admin: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationInfo {
    pub id: String,
    pub name: String,
}

/// A portal user with their explicit access (the administrateur's Pré-demandes is implicit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedUser {
    pub id: String,
    pub last_name: String,
    pub first_name: String,
    /// As the portal has it.
    pub email: String,
    /// Lower-case, for matching.
    pub email_key: String,
    /// `None` when the portal holds a number that is not a valid NRN (it cannot be matched).
    pub nrn: Option<Nrn>,
    pub admin: bool,
    pub user_admin: bool,
    pub dossiers: DossierSet,
    /// Codes outside the v1 catalogue, kept so nothing is silently lost.
    pub other_dossiers: Vec<String>,
    pub structures: VecSet<StructureId>,
    pub version: u64,
}

/// A portal profile (portal-api.md's codes), as `[scope] keep_profiles` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Profile {
    Administrateur,
    GestionUtilisateurs,
}

impl Profile {
    pub const ALL: [Profile; 2] = [Profile::Administrateur, Profile::GestionUtilisateurs];

    /// The portal's code: `administrateur`, `gestion-utilisateurs`.
    pub fn code(self) -> &'static str {
        match self {
            Profile::Administrateur => "administrateur",
            Profile::GestionUtilisateurs => "gestion-utilisateurs",
        }
    }

    /// Exactly a code of portal-api.md: a capital or an English word is no profile, and the
    /// config refuses it rather than protect nobody.
    pub fn from_code(s: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.code() == s)
    }
}

impl ObservedUser {
    /// Whether the user has this profile.
    pub fn has_profile(&self, profile: Profile) -> bool {
        match profile {
            Profile::Administrateur => self.admin,
            Profile::GestionUtilisateurs => self.user_admin,
        }
    }

    /// Every dossier code the user holds explicitly, catalogue or not, in code order.
    pub fn dossier_codes(&self) -> std::collections::BTreeSet<String> {
        self.dossiers
            .iter()
            .map(|d| d.code().to_owned())
            .chain(self.other_dossiers.iter().cloned())
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedState {
    pub caller: Caller,
    pub organisation: OrganisationInfo,
    /// The catalogue dossiers the portal offers.
    pub dossiers: DossierSet,
    pub structures: Vec<StructureInfo>,
    /// In id order.
    pub users: Vec<ObservedUser>,
}
