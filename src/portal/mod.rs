//! The job's eyes on the portal: the API client (auth, one rate limiter, bounded concurrency,
//! retries) and fetching the observed state, speaking the contract of `crate::api`. It never
//! decides what to change.

pub mod client;
pub mod error;
mod failure;
pub mod observed;
pub mod pace;
pub mod retry;

pub use crate::model::{ObservedState, ObservedUser};
pub use client::{Answer, ClientSettings, DEFAULT_MAX_BODY, PortalClient, install_tls_provider};
pub use error::PortalError;
pub use failure::{CALL_BUDGET, NO_ANSWER_TRIES};
pub use observed::{PortalCatalogue, fetch_catalogue, fetch_observed, observed_user, who_am_i};
pub use retry::RetryPolicy;
