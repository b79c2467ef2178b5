//! The routes of portal-api.md, served over the store: auth and profiles, the gate that applies
//! faults and counts, pagination, versions and `If-Match` (`POST /users` is `create.rs`).

use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::extract::{Extension, MatchedPath, Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

use crate::api::{DossierInfo, Items, Me, Page, codes, headers as api_headers, paths};
use crate::model::Dossier;

use super::faults::{Quota, retry_after_value};
use super::problem::{self, error};
use super::state::{AppState, Caller, ConnKill, Shared, etag, internal};
use super::store::WriteOutcome;

pub use crate::api::paths::{API_PREFIX, ROUTES};

pub const OPENAPI: &str = include_str!("openapi.json");

pub fn router(shared: AppState) -> Router {
    let mut api = Router::new();
    for (method, path) in ROUTES {
        let handler = match (*method, *path) {
            ("GET", paths::ME) => get(me),
            ("GET", paths::DOSSIERS) => get(dossiers),
            ("GET", paths::STRUCTURES) => get(structures),
            ("GET", paths::USERS) => get(users),
            ("POST", paths::USERS) => axum::routing::post(super::create::create_user),
            ("GET", paths::USER) => get(user),
            ("PUT", paths::USER_DOSSIER) => axum::routing::put(grant_dossier),
            ("DELETE", paths::USER_DOSSIER) => axum::routing::delete(revoke_dossier),
            ("PUT", paths::USER_STRUCTURE) => axum::routing::put(grant_structure),
            ("DELETE", paths::USER_STRUCTURE) => axum::routing::delete(revoke_structure),
            _ => continue,
        };
        api = api.route(path, handler);
    }
    let api = api
        .route_layer(middleware::from_fn_with_state(shared.clone(), gate))
        .route("/openapi.json", get(openapi))
        .fallback(|| async { problem::not_found_route() })
        .method_not_allowed_fallback(|| async { problem::method_not_allowed() });
    Router::new()
        .nest(API_PREFIX, api)
        .route("/_emulator/stats", get(stats))
        .fallback(|| async { problem::not_found_route() })
        .method_not_allowed_fallback(|| async { problem::method_not_allowed() })
        .layer(middleware::map_response(problem::ensure_problem))
        .with_state(shared)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn rate_headers(r: &mut Response, q: &Quota) {
    let h = r.headers_mut();
    let num =
        |n: u64| HeaderValue::from_str(&n.to_string()).unwrap_or(HeaderValue::from_static("0"));
    h.insert(api_headers::RATELIMIT_LIMIT, num(u64::from(q.limit)));
    h.insert(
        api_headers::RATELIMIT_REMAINING,
        num(u64::from(q.remaining)),
    );
    h.insert(api_headers::RATELIMIT_RESET, num(q.reset.ceil() as u64));
}

/// Latency, auth, rate limit, 503s, profiles and counting, in front of every API route.
async fn gate(
    State(s): State<AppState>,
    matched: MatchedPath,
    mut req: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let route = format!(
        "{} {}",
        req.method(),
        matched
            .as_str()
            .strip_prefix(API_PREFIX)
            .unwrap_or(matched.as_str())
    );
    if s.faults.latency_ms > 0 || s.faults.jitter_ms > 0 {
        let (m, j) = (s.faults.latency_ms, s.faults.jitter_ms);
        let ms = s
            .rng
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .between(m.saturating_sub(j), m + j);
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    if s.faults.stall_writes && req.method() != axum::http::Method::GET {
        // Held until the client gives up and closes the connection (which drops this future).
        std::future::pending::<()>().await;
    }
    let now = Instant::now();
    let Some(caller) = bearer(req.headers())
        .and_then(|t| s.callers.get(t))
        .cloned()
    else {
        s.stats.request("unauthenticated", &route, now);
        return error(
            StatusCode::UNAUTHORIZED,
            Some("unauthenticated"),
            "missing or unknown bearer token",
        );
    };
    s.stats.request(&caller.user_id, &route, now);
    let quota = s.limiter.as_ref().map(|l| l.check(&caller.token, now));
    if let Some(q) = quota.filter(|q| !q.allowed) {
        s.stats.rate_limited(&caller.user_id);
        let mut r = error(
            StatusCode::TOO_MANY_REQUESTS,
            Some(codes::RATE_LIMITED),
            "too many requests for this token: wait as Retry-After says",
        );
        let value = retry_after_value(q.retry_after, s.faults.retry_after_date, SystemTime::now());
        if let Ok(v) = HeaderValue::from_str(&value) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        rate_headers(&mut r, &q);
        return r;
    }
    let mut r = if s.chance(s.faults.fail_rate) {
        s.stats.unavailable(&caller.user_id);
        error(
            StatusCode::SERVICE_UNAVAILABLE,
            Some("unavailable"),
            "the portal is busy; try again",
        )
    } else if route != "GET /me" && !caller.may_manage_users() {
        error(
            StatusCode::FORBIDDEN,
            Some("forbidden"),
            "this account needs the profile administrateur or gestion-utilisateurs",
        )
    } else {
        req.extensions_mut().insert(caller.clone());
        next.run(req).await
    };
    if let Some(q) = &quota {
        rate_headers(&mut r, q);
    }
    if s.verbose {
        eprintln!(
            "{route} {} {:?} {}",
            r.status().as_u16(),
            started.elapsed(),
            caller.user_id
        );
    }
    r
}

pub(super) fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => {
            let mut r = (status, body).into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            r
        }
        Err(e) => internal(e),
    }
}

async fn me(State(s): State<AppState>, Extension(c): Extension<Caller>) -> Response {
    json(
        StatusCode::OK,
        &Me {
            id: c.user_id.clone(),
            email: c.email.clone(),
            profiles: c.profiles.clone(),
            organisation: s.organisation.clone(),
        },
    )
}

async fn dossiers() -> Response {
    let items = Dossier::ALL
        .iter()
        .map(|d| DossierInfo {
            code: d.code().to_owned(),
            label: d.label().to_owned(),
            scoped: d.scoped(),
        })
        .collect();
    json(StatusCode::OK, &Items { items })
}

async fn openapi() -> Response {
    let mut r = OPENAPI.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

async fn stats(State(s): State<AppState>) -> Response {
    #[derive(Serialize)]
    struct Doc {
        callers: std::collections::BTreeMap<String, super::stats::CallerStats>,
    }
    json(
        StatusCode::OK,
        &Doc {
            callers: s.stats.snapshot(),
        },
    )
}

/// `?limit=N&cursor=C`: limit 1..=500, default 100; the cursor is opaque (the hex of the last
/// id of the previous page), so keyset paging stays stable while others write.
fn paging(s: &Shared, query: Option<&str>) -> Result<(usize, Option<String>), &'static str> {
    let bad = |d: &'static str| d;
    let mut limit = 100usize;
    let mut after = None;
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "limit" => {
                limit = v
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=500).contains(n))
                    .ok_or_else(|| bad("limit must be a whole number from 1 to 500"))?;
            }
            "cursor" => {
                let decoded = paths::decode_query_value(v);
                let id = decoded.and_then(|c| decode_cursor(s, &c));
                after = Some(id.ok_or_else(|| bad("invalid cursor"))?);
            }
            _ => {}
        }
    }
    Ok((limit, after))
}

/// What `opaque_cursors` adds to every cursor: the characters a client must encode.
const OPAQUE_TAIL: &str = "+/==&more";

fn encode_cursor(s: &Shared, id: &str) -> String {
    let hex: String = id.bytes().map(|b| format!("{b:02x}")).collect();
    if s.faults.opaque_cursors {
        hex + OPAQUE_TAIL
    } else {
        hex
    }
}

fn decode_cursor(s: &Shared, c: &str) -> Option<String> {
    let c = if s.faults.opaque_cursors {
        c.strip_suffix(OPAQUE_TAIL)?
    } else {
        c
    };
    if c.is_empty() || !c.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..c.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(c.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

/// Short pages on demand: fewer items than asked, with a cursor to the rest.
fn page<T>(s: &Shared, mut items: Vec<T>, mut more: bool, id: impl Fn(&T) -> &str) -> Page<T> {
    if s.faults.short_pages && items.len() > 1 {
        let keep = s
            .rng
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .between(1, items.len() as u64 - 1) as usize;
        items.truncate(keep);
        more = true;
    }
    let next_cursor = if more {
        items.last().map(|i| encode_cursor(s, id(i)))
    } else {
        None
    };
    Page { items, next_cursor }
}

async fn structures(State(s): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let (limit, after) = match paging(&s, q.as_deref()) {
        Ok(p) => p,
        Err(d) => return error(StatusCode::BAD_REQUEST, Some("bad-paging"), d),
    };
    let got = s.store().structures_page(after.as_deref(), limit);
    match got {
        Ok((items, more)) => json(StatusCode::OK, &page(&s, items, more, |i| &i.id)),
        Err(e) => internal(e),
    }
}

async fn users(State(s): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let (limit, after) = match paging(&s, q.as_deref()) {
        Ok(p) => p,
        Err(d) => return error(StatusCode::BAD_REQUEST, Some("bad-paging"), d),
    };
    let got = s.store().users_page(after.as_deref(), limit);
    match got {
        Ok((items, more)) => json(StatusCode::OK, &page(&s, items, more, |i| &i.id)),
        Err(e) => internal(e),
    }
}

async fn user(State(s): State<AppState>, Path(id): Path<String>) -> Response {
    let got = s.store().user(&id);
    match got {
        Ok(Some(u)) => {
            let v = u.version;
            let mut r = json(StatusCode::OK, &u);
            etag(&mut r, v);
            r
        }
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            Some("no-such-user"),
            format!("no user {id}"),
        ),
        Err(e) => internal(e),
    }
}

/// `If-Match: "7"` (or `7`, `W/"7"`); `*` matches any existing user; absent: no condition.
/// Anything else is not a version this portal ever sent: 400, nothing changed.
fn if_match(headers: &HeaderMap) -> Result<Option<u64>, String> {
    let Some(raw) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let v = raw.to_str().unwrap_or("").trim();
    if v == "*" {
        return Ok(None);
    }
    let tag = v.strip_prefix("W/").unwrap_or(v);
    let tag = tag
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(tag);
    tag.parse().map(Some).map_err(|_| {
        format!("If-Match {v:?} is not a version: send the ETag of GET /users/{{id}}, e.g. \"7\"")
    })
}

enum Target {
    Dossier,
    Structure,
}

/// One grant or revoke call, as the handlers received it.
struct WriteCall {
    caller: Caller,
    kill: Option<ConnKill>,
    headers: HeaderMap,
    id: String,
    item: String,
}

async fn write_access(s: AppState, call: WriteCall, target: Target, grant: bool) -> Response {
    let WriteCall {
        caller,
        kill,
        headers,
        id,
        item,
    } = call;
    let expected = match if_match(&headers) {
        Ok(e) => e,
        Err(detail) => return error(StatusCode::BAD_REQUEST, Some("bad-if-match"), detail),
    };
    let outcome = match target {
        Target::Dossier => {
            if Dossier::from_code(&item).is_none() {
                // The user is checked first: a missing user is the more useful answer.
                return match s.store().user(&id) {
                    Ok(None) => error(
                        StatusCode::NOT_FOUND,
                        Some("no-such-user"),
                        format!("no user {id}"),
                    ),
                    Ok(Some(_)) => error(
                        StatusCode::NOT_FOUND,
                        Some("no-such-dossier"),
                        format!("no dossier {item:?} in the catalogue"),
                    ),
                    Err(e) => internal(e),
                };
            }
            s.store().set_dossier(&id, &item, grant, expected)
        }
        Target::Structure => s.store().set_structure(&id, &item, grant, expected),
    };
    match outcome {
        Ok(WriteOutcome::Done { version, changed }) => {
            s.stats.write(&caller.user_id, changed, false);
            s.after_write(&caller, kill.as_ref()).await;
            let mut r = StatusCode::NO_CONTENT.into_response();
            etag(&mut r, version);
            r
        }
        Ok(WriteOutcome::NoUser) => error(
            StatusCode::NOT_FOUND,
            Some("no-such-user"),
            format!("no user {id}"),
        ),
        Ok(WriteOutcome::NoStructure) if grant => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(codes::UNKNOWN_STRUCTURE),
            format!("{item:?} is not a structure of the organisation"),
        ),
        Ok(WriteOutcome::NoStructure) => error(
            StatusCode::NOT_FOUND,
            Some(codes::UNKNOWN_STRUCTURE),
            format!("{item:?} is not a structure of the organisation"),
        ),
        Ok(WriteOutcome::VersionMismatch { current }) => {
            let mut r = error(
                StatusCode::PRECONDITION_FAILED,
                Some(codes::VERSION_MISMATCH),
                format!("the user is at version {current}: read it again"),
            );
            etag(&mut r, current);
            r
        }
        Err(e) => internal(e),
    }
}

impl axum::extract::FromRequestParts<AppState> for WriteCall {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Path((id, item)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let caller = parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| internal("no caller: the gate did not run"))?;
        Ok(WriteCall {
            caller,
            kill: parts.extensions.get::<ConnKill>().cloned(),
            headers: parts.headers.clone(),
            id,
            item,
        })
    }
}

async fn grant_dossier(State(s): State<AppState>, call: WriteCall) -> Response {
    write_access(s, call, Target::Dossier, true).await
}

async fn revoke_dossier(State(s): State<AppState>, call: WriteCall) -> Response {
    write_access(s, call, Target::Dossier, false).await
}

async fn grant_structure(State(s): State<AppState>, call: WriteCall) -> Response {
    write_access(s, call, Target::Structure, true).await
}

async fn revoke_structure(State(s): State<AppState>, call: WriteCall) -> Response {
    write_access(s, call, Target::Structure, false).await
}
