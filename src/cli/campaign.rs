//! What the `review` commands share (a leaf under `review.rs` and `review_collect.rs`): the
//! output format, the state directory's lock taken for a campaign's record, and a campaign read
//! back with its refusal said.

use clap::ValueEnum;

use crate::apply::{LockError, StateLock, acquire};
use crate::msg;
use crate::review::{self, Campaign};

use super::{Exit, Settings};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    Text,
    Json,
}

/// The state directory's lock for `verb`, or the exit of a command that cannot take it.
pub(super) fn lock(settings: &Settings, verb: &str) -> Result<StateLock, Exit> {
    let started = crate::history::stamp(jiff::Timestamp::now());
    acquire(&settings.config.state_dir, &started, verb).map_err(|e| {
        let hint = match e {
            LockError::Held { .. } => msg!("lock-held-hint"),
            _ => msg!("state-dir-hint"),
        };
        settings.fail(crate::report::messages::lock_error(&e), hint)
    })
}

/// The record of `campaign`, or the exit of a command that cannot read it (said).
pub(super) fn load(settings: &Settings, campaign: &str) -> Result<Campaign, Exit> {
    review::load(&settings.config.state_dir, campaign)
        .map_err(|e| settings.fail(e.message(), msg!("review-campaign-unreadable-hint")))
}

/// Replaces the record of `c`, or the exit of a command that cannot (said).
pub(super) fn save(settings: &Settings, c: &Campaign) -> Result<(), Exit> {
    review::record_update(&settings.config.state_dir, c).map_err(|e| {
        settings.fail(
            msg!("review-record-failed", error = e.message().text()),
            msg!("state-dir-hint"),
        )
    })
}
