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

/// Everything but RFC 3986's unreserved characters.
const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A path segment with everything outside RFC 3986's unreserved characters percent-encoded
/// (ids come from the portal; one with a `/` must not change the route).
pub fn segment(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, RESERVED).to_string()
}

/// A query value, encoded the same way: an opaque cursor may hold `+`, `/`, `=` or `&`.
pub fn query_value(s: &str) -> String {
    segment(s)
}

/// `GET {collection}?limit=500[&cursor=…]`, the cursor encoded.
pub fn page(collection: &str, limit: usize, cursor: Option<&str>) -> String {
    match cursor {
        Some(c) => format!("{collection}?limit={limit}&cursor={}", query_value(c)),
        None => format!("{collection}?limit={limit}"),
    }
}

/// A query value as it was sent (percent-decoding; `+` is a plus, as RFC 3986 has it).
pub fn decode_query_value(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
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
        assert_eq!(segment("é"), "%C3%A9");
        let cursor = "dS0wMDAwNDI+/w==&next=1";
        let p = page("/users", 500, Some(cursor));
        assert_eq!(
            p,
            "/users?limit=500&cursor=dS0wMDAwNDI%2B%2Fw%3D%3D%26next%3D1"
        );
        let sent = p.rsplit_once("cursor=").unwrap().1;
        assert_eq!(decode_query_value(sent).as_deref(), Some(cursor));
    }
}
