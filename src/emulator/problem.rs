//! Every non-2xx answer of the emulator is `application/problem+json` (RFC 9457), its own and
//! axum's alike (extractor rejections, unknown routes and methods are rewritten here).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::api::{FieldError, PROBLEM_CONTENT_TYPE, Problem};

pub fn problem(status: StatusCode, code: Option<&str>, detail: impl Into<String>) -> Problem {
    Problem {
        kind: match code {
            Some(c) => format!("https://proone-sync.invalid/problems/{c}"),
            None => "about:blank".to_owned(),
        },
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail: detail.into(),
        code: code.map(str::to_owned),
        errors: Vec::new(),
        conflict: None,
        existing_user_id: None,
    }
}

pub fn respond(p: Problem) -> Response {
    let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(&p).unwrap_or_default();
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
    );
    r
}

pub fn error(status: StatusCode, code: Option<&str>, detail: impl Into<String>) -> Response {
    respond(problem(status, code, detail))
}

pub fn validation(errors: Vec<FieldError>) -> Problem {
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    let mut p = problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        Some(crate::api::codes::VALIDATION_FAILED),
        format!("invalid fields: {}", fields.join(", ")),
    );
    p.errors = errors;
    p
}

/// The last layer: an error answer that is not problem+json yet (axum's rejections, its 404
/// and 405) becomes one, keeping its status and saying what axum said.
pub async fn ensure_problem(response: Response) -> Response {
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_CONTENT_TYPE.as_bytes()));
    if status.as_u16() < 400 || is_problem {
        return response;
    }
    let (parts, body) = response.into_parts();
    let detail = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(b) if !b.is_empty() => String::from_utf8_lossy(&b).into_owned(),
        _ => status.canonical_reason().unwrap_or("error").to_owned(),
    };
    let mut r = respond(problem(status, None, detail));
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            r.headers_mut().insert(name.clone(), value.clone());
        }
    }
    r
}

pub fn not_found_route() -> Response {
    error(
        StatusCode::NOT_FOUND,
        Some("no-such-route"),
        "no such route",
    )
}

pub fn method_not_allowed() -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        Some("method-not-allowed"),
        "this route does not take that method",
    )
}
