//! How the held lifecycle is said to a person, shared by the commands that say it (`apply`,
//! `held`, `approve`, `reject`): a state in the run's language, who approved, and the command
//! to type. A leaf of `cli`: it imports no other command's file.

use crate::apply::held::HeldState;
use crate::t;

use super::Settings;

/// `proone-sync [--config FILE] approve FINGERPRINT`, as the person should type it.
pub fn command(settings: &Settings, verb: &str, fingerprint: &str) -> String {
    match &settings.config.path {
        Some(p) => format!("proone-sync --config {} {verb} {fingerprint}", p.display()),
        None => format!("proone-sync {verb} {fingerprint}"),
    }
}

/// Who approved or rejected, as recorded; said in the run's language when nobody was known.
pub fn approver(by: Option<&str>) -> String {
    by.filter(|b| !b.trim().is_empty())
        .map_or_else(|| t!("held-by-unknown"), str::to_owned)
}

/// A held plan's state in the run's language (JSON keeps the code).
pub fn state_word(s: HeldState) -> String {
    match s {
        HeldState::Pending => t!("held-state-pending"),
        HeldState::Approved => t!("held-state-approved"),
        HeldState::Applied => t!("held-state-applied"),
        HeldState::Partial => t!("held-state-partial"),
        HeldState::Rejected => t!("held-state-rejected"),
        HeldState::Superseded => t!("held-state-superseded"),
        HeldState::Stale => t!("held-state-stale"),
    }
}
