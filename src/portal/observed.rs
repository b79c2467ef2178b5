//! Reading the portal as it is: the caller, the dossier catalogue, the organisation's structures and
//! users with their explicit grants. Read with `GET /me` first (a caller without the profile
//! stops here, as the procedure says), then the collections walked to their end.

use std::collections::BTreeSet;

use crate::model::{
    CalendarDate, Caller, Dossier, DossierSet, Email, Nrn, ObservedState, ObservedUser,
    OrganisationInfo, StructureId, StructureInfo,
};

use super::client::PortalClient;
use super::error::PortalError;
use crate::api::{self as wire, DossierInfo, Items, Me, PROFILE_ADMIN, PROFILE_USER_ADMIN, paths};

/// A wire user in domain terms.
pub fn observed_user(u: wire::User, today: CalendarDate) -> ObservedUser {
    let mut dossiers = DossierSet::new();
    let mut other_dossiers = Vec::new();
    for code in u.dossiers {
        match Dossier::from_code(&code) {
            Some(d) => {
                dossiers.insert(d);
            }
            None => other_dossiers.push(code),
        }
    }
    let email_key = Email::parse(&u.email)
        .map(|e| e.key().to_owned())
        .unwrap_or_else(|_| u.email.to_lowercase());
    ObservedUser {
        nrn: Nrn::parse_strict(&u.nrn, today).ok(),
        admin: u.profiles.iter().any(|p| p == PROFILE_ADMIN),
        user_admin: u.profiles.iter().any(|p| p == PROFILE_USER_ADMIN),
        structures: u
            .structures
            .into_iter()
            .map(StructureId::from_portal)
            .collect(),
        id: u.id,
        last_name: u.last_name,
        first_name: u.first_name,
        email: u.email,
        email_key,
        dossiers,
        other_dossiers,
        version: u.version,
    }
}

/// What `check` needs of the portal (read-only): the caller, the catalogue, the structures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalCatalogue {
    pub me: Me,
    pub dossiers: Vec<DossierInfo>,
    pub structures: Vec<StructureInfo>,
}

impl PortalCatalogue {
    /// Catalogue dossiers this portal does not offer (v1's catalogue is fixed, but say so if not).
    pub fn missing_dossiers(&self) -> BTreeSet<Dossier> {
        Dossier::ALL
            .into_iter()
            .filter(|d| !self.dossiers.iter().any(|i| i.code == d.code()))
            .collect()
    }
}

/// `GET /me`: the token works and its account may manage users.
pub async fn who_am_i(client: &PortalClient) -> Result<Me, PortalError> {
    let me: Me = client.get_json(paths::ME).await?;
    if !me
        .profiles
        .iter()
        .any(|p| p == PROFILE_ADMIN || p == PROFILE_USER_ADMIN)
    {
        return Err(PortalError::MissingProfile { email: me.email });
    }
    Ok(me)
}

fn structure_info(s: wire::Structure) -> StructureInfo {
    StructureInfo {
        id: StructureId::from_portal(s.id),
        name: s.name,
        postal_code: s.postal_code,
        city: s.city,
    }
}

pub async fn fetch_catalogue(client: &PortalClient) -> Result<PortalCatalogue, PortalError> {
    let me = who_am_i(client).await?;
    let (dossiers, structures) = tokio::try_join!(
        client.get_json::<Items<DossierInfo>>(paths::DOSSIERS),
        client.walk::<wire::Structure>(paths::STRUCTURES),
    )?;
    Ok(PortalCatalogue {
        me,
        dossiers: dossiers.items,
        structures: structures.into_iter().map(structure_info).collect(),
    })
}

/// The whole observed state: `2 + pages of structures + pages of users` calls.
pub async fn fetch_observed(
    client: &PortalClient,
    today: CalendarDate,
) -> Result<ObservedState, PortalError> {
    let me = who_am_i(client).await?;
    let (dossiers, structures, users) = tokio::try_join!(
        client.get_json::<Items<DossierInfo>>(paths::DOSSIERS),
        client.walk::<wire::Structure>(paths::STRUCTURES),
        client.walk::<wire::User>(paths::USERS),
    )?;
    Ok(ObservedState {
        caller: Caller {
            admin: me.profiles.iter().any(|p| p == PROFILE_ADMIN),
            user_admin: me.profiles.iter().any(|p| p == PROFILE_USER_ADMIN),
            id: me.id,
            email: me.email,
        },
        organisation: OrganisationInfo {
            id: me.organisation.id,
            name: me.organisation.name,
        },
        dossiers: dossiers
            .items
            .iter()
            .filter_map(|d| Dossier::from_code(&d.code))
            .collect(),
        structures: structures.into_iter().map(structure_info).collect(),
        users: users.into_iter().map(|u| observed_user(u, today)).collect(),
    })
}
