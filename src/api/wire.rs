//! The JSON objects of `portal-api.md`, exactly as they travel. Client and emulator share these;
//! each has its own logic on either side.

use serde::{Deserialize, Serialize};

/// `GET /users` items, `GET /users/{id}`, `POST /users` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub last_name: String,
    pub first_name: String,
    pub email: String,
    /// Personal data: never printed by the job (see `model::Nrn`).
    pub nrn: String,
    pub profiles: Vec<String>,
    pub dossiers: Vec<String>,
    pub structures: Vec<String>,
    pub version: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Structure {
    pub id: String,
    pub name: String,
    pub postal_code: String,
    pub city: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierInfo {
    pub code: String,
    pub label: String,
    pub scoped: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: String,
    pub name: String,
}

/// `GET /me`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub profiles: Vec<String>,
    pub organisation: Organisation,
}

/// A page of a paginated collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// `GET /dossiers` (not paginated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Items<T> {
    pub items: Vec<T>,
}

/// `POST /users` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub last_name: String,
    pub first_name: String,
    pub email: String,
    pub nrn: String,
    pub consent: bool,
}

/// RFC 9457 problem details, with the contract's extensions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub errors: Vec<FieldError>,
    /// `user-exists`: which field collided, `email` or `nrn`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub conflict: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub existing_user_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}
