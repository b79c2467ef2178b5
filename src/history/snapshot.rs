//! One observation of the portal in the store's terms: every user with every explicit dossier,
//! structure and profile they hold (an item), and the organisation's structures — nothing else
//! (no NRN).

use crate::model::{ObservedState, Profile};

/// What an item of access is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Dossier,
    Structure,
    Profile,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Dossier => "dossier",
            Kind::Structure => "structure",
            Kind::Profile => "profile",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "dossier" => Some(Kind::Dossier),
            "structure" => Some(Kind::Structure),
            "profile" => Some(Kind::Profile),
            _ => None,
        }
    }

    /// The job's op for granting (`true`) or revoking this kind (`grant_dossier`…).
    pub fn op(self, grant: bool) -> &'static str {
        match (self, grant) {
            (Kind::Dossier, true) => "grant_dossier",
            (Kind::Dossier, false) => "revoke_dossier",
            (Kind::Structure, true) => "grant_structure",
            (Kind::Structure, false) => "revoke_structure",
            (Kind::Profile, true) => "grant_profile",
            (Kind::Profile, false) => "revoke_profile",
        }
    }
}

/// One item a user may hold: a dossier code, a structure id or a profile code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Item {
    pub kind: Kind,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapUser {
    pub id: String,
    pub email: String,
    pub last_name: String,
    pub first_name: String,
    pub items: Vec<Item>,
}

/// A read of the portal at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub at: jiff::Timestamp,
    pub users: Vec<SnapUser>,
    /// Id, name, city.
    pub structures: Vec<(String, String, String)>,
}

impl Snapshot {
    pub fn of(observed: &ObservedState, at: jiff::Timestamp) -> Snapshot {
        let users =
            observed
                .users
                .iter()
                .map(|u| {
                    let mut items: Vec<Item> =
                        u.dossier_codes()
                            .into_iter()
                            .map(|code| Item {
                                kind: Kind::Dossier,
                                code,
                            })
                            .chain(u.structures.iter().map(|s| Item {
                                kind: Kind::Structure,
                                code: s.to_string(),
                            }))
                            .chain(Profile::ALL.into_iter().filter(|p| u.has_profile(*p)).map(
                                |p| Item {
                                    kind: Kind::Profile,
                                    code: p.code().to_owned(),
                                },
                            ))
                            .collect();
                    items.sort();
                    items.dedup();
                    SnapUser {
                        id: u.id.clone(),
                        email: u.email.clone(),
                        last_name: u.last_name.clone(),
                        first_name: u.first_name.clone(),
                        items,
                    }
                })
                .collect();
        let structures = observed
            .structures
            .iter()
            .map(|s| (s.id.to_string(), s.name.clone(), s.city.clone()))
            .collect();
        Snapshot {
            at,
            users,
            structures,
        }
    }

    /// Now, as the store's instants are.
    pub fn now() -> jiff::Timestamp {
        jiff::Timestamp::now()
    }
}
