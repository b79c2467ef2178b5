//! The routes of `portal-api.md`, relative to the base URL (`…/api/v1`): as templates for the
//! emulator's router, and as builders with every segment percent-encoded for the client.

/// Where the API lives below the portal's address.
pub const API_PREFIX: &str = "/api/v1";

pub const ME: &str = "/me";
pub const DOSSIERS: &str = "/dossiers";
pub const STRUCTURES: &str = "/structures";
pub const USERS: &str = "/users";
/// Router templates (axum's `{name}` syntax).
pub const USER: &str = "/users/{id}";
pub const USER_DOSSIER: &str = "/users/{id}/dossiers/{code}";
pub const USER_STRUCTURE: &str = "/users/{id}/structures/{sid}";

/// Every route of the contract: (method, path below `/api/v1`). The emulator's router is built
/// from this list and its OpenAPI test checks the document against it.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", ME),
    ("GET", DOSSIERS),
    ("GET", STRUCTURES),
    ("GET", USERS),
    ("POST", USERS),
    ("GET", USER),
    ("PUT", USER_DOSSIER),
    ("DELETE", USER_DOSSIER),
    ("PUT", USER_STRUCTURE),
    ("DELETE", USER_STRUCTURE),
];

/// `/users/{id}`
pub fn user(id: &str) -> String {
    format!("/users/{}", segment(id))
}

/// `/users/{id}/dossiers/{code}`
pub fn user_dossier(id: &str, code: &str) -> String {
    format!("/users/{}/dossiers/{}", segment(id), segment(code))
}

/// `/users/{id}/structures/{sid}`
pub fn user_structure(id: &str, sid: &str) -> String {
    format!("/users/{}/structures/{}", segment(id), segment(sid))
}

/// A path segment with everything outside RFC 3986's unreserved characters percent-encoded
/// (ids come from the portal; one with a `/` must not change the route).
pub fn segment(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_cannot_change_the_route() {
        assert_eq!(user("u-1/../x"), "/users/u-1%2F..%2Fx");
        assert_eq!(
            user_structure("u 1", "MA-00101"),
            "/users/u%201/structures/MA-00101"
        );
        assert_eq!(user_dossier("u-1", "bilans"), "/users/u-1/dossiers/bilans");
    }
}
