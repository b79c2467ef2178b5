//! Apply: runs a `Plan` through the portal client — ordering (a person's grants after their
//! creation), concurrency within the one rate limit, idempotent creations, 409/412 handling —
//! and everything that makes it trustworthy unattended: the journal, the state-directory lock,
//! retention, and checking a saved plan against the portal before resuming it. It never
//! computes the difference again: what to do is the plan's.

pub mod endings;
pub mod executor;
pub mod held;
pub mod journal;
pub mod lifecycle;
pub mod lock;
pub mod outcome;
pub mod record;
pub mod retention;
pub mod runs;
pub mod saved;

pub use executor::{Execution, Observer, Prior, execute, idempotency_key};
pub use journal::Journal;
pub use lock::{LockError, StateLock, acquire};
pub use outcome::{Outcome, Reason, Status, Tally};
pub use record::write_private;
pub use saved::{Change, ItemChange, Standing, standing};
