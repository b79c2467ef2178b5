//! `POST /users` of portal-api.md: a JSON body checked field by field (422), a conflict on
//! e-mail or NRN (409 `user-exists` with the field and the existing user), the creation (201 with
//! `Location` and `ETag`), and `Idempotency-Key`: the same key with the same body replays the
//! stored answer and creates nothing; with another body it is refused.

use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::api::paths::API_PREFIX;
use crate::api::{FieldError, codes, headers as api_headers};
use crate::model::{CalendarDate, Email, Nrn};

use super::problem::{self, error, respond, validation};
use super::state::{AppState, Caller, ConnKill, etag, internal};
use super::store::{CreateConflict, StoreError, StoredAnswer, Tx};

/// Field checks of `POST /users`: one entry per bad field.
fn validate_new_user(body: &serde_json::Value, today: CalendarDate) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut bad = |field: &str, message: &str| {
        errors.push(FieldError {
            field: field.to_owned(),
            message: message.to_owned(),
        })
    };
    let text = |k: &str| body.get(k).and_then(|v| v.as_str());
    for field in ["last_name", "first_name"] {
        match text(field) {
            Some(t) if !t.trim().is_empty() => {}
            Some(_) => bad(field, "must not be empty"),
            None => bad(field, "required, a string"),
        }
    }
    match text("email") {
        Some(e) if Email::parse(e).is_ok() && e.trim() == e => {}
        Some(_) => bad("email", "not a valid e-mail address"),
        None => bad("email", "required, a string"),
    }
    match text("nrn") {
        Some(n) => {
            if let Err(e) = Nrn::parse_strict(n, today) {
                bad(
                    "nrn",
                    &format!("must be exactly 11 digits with valid check digits: it {e}"),
                );
            }
        }
        None => bad("nrn", "required, a string of 11 digits"),
    }
    if body.get("consent").and_then(|v| v.as_bool()) != Some(true) {
        bad("consent", "must be true (the consent box)");
    }
    errors
}

/// The body as a JSON object, or the 415/400 answer.
fn json_object(headers: &HeaderMap, body: &Bytes) -> Result<serde_json::Value, Box<Response>> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
    if !is_json {
        return Err(Box::new(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Some("unsupported-media-type"),
            "the body must be application/json",
        )));
    }
    match serde_json::from_slice(body) {
        Ok(v @ serde_json::Value::Object(_)) => Ok(v),
        Ok(_) => Err(Box::new(error(
            StatusCode::BAD_REQUEST,
            Some("malformed-body"),
            "the body must be a JSON object",
        ))),
        Err(e) => Err(Box::new(error(
            StatusCode::BAD_REQUEST,
            Some("malformed-body"),
            format!("not JSON: {e}"),
        ))),
    }
}

/// The `Idempotency-Key`, if any, or the 400 answer for one that is not 1 to 255 characters.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, Box<Response>> {
    match headers
        .get(api_headers::IDEMPOTENCY_KEY)
        .map(|v| v.to_str())
    {
        None => Ok(None),
        Some(Ok(k)) if !k.is_empty() && k.len() <= 255 => Ok(Some(k.to_owned())),
        Some(_) => Err(Box::new(error(
            StatusCode::BAD_REQUEST,
            Some("bad-idempotency-key"),
            "Idempotency-Key must be 1 to 255 visible characters",
        ))),
    }
}

/// What the transaction decided.
enum Answer {
    /// A new answer, and whether it created a user.
    Fresh(StoredAnswer, bool),
    /// The stored answer of the same key and body.
    Replay(StoredAnswer),
    /// The key was used with another body.
    Reused,
}

/// (status, answer body, created) of a request not seen before: 422, 409 or 201.
fn decide(
    tx: &mut Tx<'_>,
    value: &serde_json::Value,
    today: CalendarDate,
) -> Result<(u16, String, bool), StoreError> {
    let errors = validate_new_user(value, today);
    if !errors.is_empty() {
        let answer = serde_json::to_string(&validation(errors)).unwrap_or_default();
        return Ok((422, answer, false));
    }
    let text = |k: &str| {
        value
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let (email, nrn) = (text("email"), text("nrn"));
    let Some(conflict) = tx.conflict(&email, &nrn)? else {
        let user = tx.create_user(&text("last_name"), &text("first_name"), &email, &nrn)?;
        return Ok((201, serde_json::to_string(&user).unwrap_or_default(), true));
    };
    let (field, existing) = match conflict {
        CreateConflict::Email(id) => ("email", id),
        CreateConflict::Nrn(id) => ("nrn", id),
    };
    let mut p = problem::problem(
        StatusCode::CONFLICT,
        Some(codes::USER_EXISTS),
        format!("a user with this {field} exists: {existing}"),
    );
    p.conflict = Some(field.to_owned());
    p.existing_user_id = Some(existing);
    Ok((409, serde_json::to_string(&p).unwrap_or_default(), false))
}

pub(super) async fn create_user(
    State(s): State<AppState>,
    Extension(c): Extension<Caller>,
    kill: Option<Extension<ConnKill>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let value = match json_object(&headers, &body) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let key = match idempotency_key(&headers) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    let body_json = value.to_string();
    let today = s.today;
    let now_secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let result = s.store().in_transaction(|tx| {
        if let Some(k) = &key
            && let Some(stored) = tx.stored_answer(&c.token, k)?
        {
            let same = serde_json::from_str::<serde_json::Value>(&stored.body_json).ok()
                == Some(value.clone());
            return Ok(if same {
                Answer::Replay(stored)
            } else {
                Answer::Reused
            });
        }
        let (status, answer, created) = decide(tx, &value, today)?;
        let stored = StoredAnswer {
            body_json: body_json.clone(),
            status,
            answer,
        };
        if let Some(k) = &key {
            tx.store_answer(&c.token, k, &stored, now_secs)?;
        }
        Ok(Answer::Fresh(stored, created))
    });
    let (stored, created) = match result {
        Ok(Answer::Fresh(a, created)) => (a, created),
        Ok(Answer::Replay(a)) => (a, false),
        Ok(Answer::Reused) => {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(codes::IDEMPOTENCY_KEY_REUSED),
                "this Idempotency-Key was used with another body",
            );
        }
        Err(e) => return internal(e),
    };
    if stored.status != 201 {
        return match serde_json::from_str(&stored.answer) {
            Ok(p) => respond(p),
            Err(e) => internal(e),
        };
    }
    if created {
        s.stats.write(&c.user_id, true, true);
        s.after_write(&c, kill.as_ref().map(|k| &k.0)).await;
    }
    created_response(stored.answer)
}

/// 201 with the user, its `Location` and its `ETag`.
fn created_response(answer: String) -> Response {
    let user: Option<crate::api::User> = serde_json::from_str(&answer).ok();
    let mut r = (StatusCode::CREATED, answer).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(u) = user {
        if let Ok(v) = HeaderValue::from_str(&format!("{API_PREFIX}/users/{}", u.id)) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        etag(&mut r, u.version);
    }
    r
}
