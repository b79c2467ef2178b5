//! The contract of `portal-api.md` in Rust, and nothing else: the JSON objects as they travel
//! (`wire`), the routes (`paths`), the profile codes, the problem+json media type and problem
//! codes, the headers the contract names. The client (`portal`) and the emulator both speak it;
//! neither imports the other. No I/O.

pub mod paths;
pub mod wire;

pub use wire::*;

pub const PROFILE_ADMIN: &str = "administrateur";
pub const PROFILE_USER_ADMIN: &str = "gestion-utilisateurs";
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// The headers of the contract that are not plain HTTP (lower case, as `http` wants them).
pub mod headers {
    pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
    pub const RATELIMIT_LIMIT: &str = "ratelimit-limit";
    pub const RATELIMIT_REMAINING: &str = "ratelimit-remaining";
    pub const RATELIMIT_RESET: &str = "ratelimit-reset";
}

/// The `code` of the contract's problem+json answers that a client acts on.
pub mod codes {
    pub const VALIDATION_FAILED: &str = "validation-failed";
    pub const USER_EXISTS: &str = "user-exists";
    pub const IDEMPOTENCY_KEY_REUSED: &str = "idempotency-key-reused";
    pub const UNKNOWN_STRUCTURE: &str = "unknown-structure";
    pub const VERSION_MISMATCH: &str = "version-mismatch";
    pub const RATE_LIMITED: &str = "rate-limited";
}
