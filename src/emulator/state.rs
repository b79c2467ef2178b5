//! What every route of the emulator shares: the state behind the router (`Shared`: the store,
//! the callers, the faults, the stats), who is calling (`Caller`), the connection's kill switch
//! (`ConnKill`), and the two answers every route may build (`internal`, `etag`). A leaf: the
//! routes (`api`, `create`) import it, it imports none of them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use tokio::sync::Notify;

use crate::api::{Organisation, PROFILE_ADMIN, PROFILE_USER_ADMIN};
use crate::model::CalendarDate;

use super::faults::{Faults, Limiter, Rng};
use super::problem::error;
use super::stats::Stats;
use super::store::Store;

/// Who is calling: the token's user and profiles (read-only in v1, so read once at start).
#[derive(Debug, Clone)]
pub struct Caller {
    pub token: String,
    pub user_id: String,
    pub email: String,
    pub profiles: Vec<String>,
}

impl Caller {
    pub(super) fn may_manage_users(&self) -> bool {
        self.profiles
            .iter()
            .any(|p| p == PROFILE_ADMIN || p == PROFILE_USER_ADMIN)
    }
}

/// Set per connection by the server: notified, the connection is dropped with no answer.
#[derive(Clone)]
pub struct ConnKill(pub Arc<Notify>);

pub struct Shared {
    pub store: Mutex<Store>,
    pub callers: HashMap<String, Caller>,
    pub organisation: Organisation,
    pub faults: Faults,
    pub limiter: Option<Limiter>,
    pub rng: Mutex<Rng>,
    pub stats: Stats,
    pub today: CalendarDate,
    pub verbose: bool,
}

pub(super) type AppState = Arc<Shared>;

impl Shared {
    pub(super) fn chance(&self, p: f64) -> bool {
        p > 0.0 && self.rng.lock().unwrap_or_else(|e| e.into_inner()).unit() < p
    }

    pub(super) fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// After a committed write: maybe drop the connection instead of answering.
    pub(super) async fn after_write(&self, caller: &Caller, kill: Option<&ConnKill>) {
        if let Some(kill) = kill
            && self.chance(self.faults.drop_rate)
        {
            self.stats.dropped(&caller.user_id);
            kill.0.notify_one();
            // The connection task drops this future with the connection.
            std::future::pending::<()>().await;
        }
    }
}

pub(super) fn internal(e: impl std::fmt::Display) -> Response {
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        Some("internal"),
        e.to_string(),
    )
}

pub(super) fn etag(r: &mut Response, version: u64) {
    if let Ok(v) = HeaderValue::from_str(&format!("\"{version}\"")) {
        r.headers_mut().insert(header::ETAG, v);
    }
}
