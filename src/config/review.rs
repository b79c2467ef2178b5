//! `[review]` of the config file (evidence.md "Access review campaigns"): who reviews which
//! structure (an e-mail, or `{ email, lang }`), the coordinator who reviews the others, the
//! due days and the command that sends a sheet. Checked here with the line of a wrong value.

use std::collections::BTreeMap;

use super::{Checker, ConfigError, Issue};
use crate::model::Lang;

/// How many days a reviewer has when the config does not say.
pub const DEFAULT_DUE_DAYS: u32 = 14;

/// `[review]` as written.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewSection {
    #[serde(default)]
    pub reviewers: BTreeMap<String, toml::Spanned<ReviewerEntry>>,
    pub coordinator: Option<toml::Spanned<String>>,
    pub due_days: Option<toml::Spanned<i64>>,
    pub send: Option<toml::Spanned<String>>,
}

/// A structure's reviewer: an e-mail, or an e-mail and a language.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub enum ReviewerEntry {
    Email(String),
    Full { email: String, lang: Option<String> },
}

/// A reviewer after checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewer {
    pub email: String,
    /// `None`: the config's language.
    pub lang: Option<Lang>,
}

/// `[review]` after validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewConfig {
    /// Structure id → its reviewer.
    pub reviewers: BTreeMap<String, Reviewer>,
    pub coordinator: Option<String>,
    pub due_days: u32,
    pub send: Option<String>,
    /// Where the file says `send`, for the ownership refusal.
    pub send_span: std::ops::Range<usize>,
}

impl Default for ReviewConfig {
    fn default() -> Self {
        ReviewConfig {
            reviewers: BTreeMap::new(),
            coordinator: None,
            due_days: DEFAULT_DUE_DAYS,
            send: None,
            send_span: 0..0,
        }
    }
}

impl ReviewConfig {
    /// Who reviews `structure`: its own reviewer, else the coordinator (`true`: as coordinator).
    pub fn reviewer_of(&self, structure: &str) -> Option<(Reviewer, bool)> {
        if let Some(r) = self.reviewers.get(structure) {
            return Some((r.clone(), false));
        }
        self.coordinator.as_ref().map(|c| {
            (
                Reviewer {
                    email: c.clone(),
                    lang: None,
                },
                true,
            )
        })
    }
}

fn email(
    check: &Checker<'_>,
    span: std::ops::Range<usize>,
    key: &str,
    v: &str,
) -> Result<String, ConfigError> {
    crate::model::Email::parse(v)
        .map(|_| v.trim().to_owned())
        .map_err(|_| {
            check.invalid(
                span,
                Issue::NotInSet {
                    key: key.to_owned(),
                    value: v.to_owned(),
                    accepted: "name@example.org".to_owned(),
                },
            )
        })
}

/// Checks `[review]`.
pub(super) fn review(s: &ReviewSection, check: &Checker<'_>) -> Result<ReviewConfig, ConfigError> {
    let mut reviewers = BTreeMap::new();
    for (structure, entry) in &s.reviewers {
        let key = format!("review.reviewers.{structure}");
        let (mail, lang) = match entry.get_ref() {
            ReviewerEntry::Email(e) => (e.clone(), None),
            ReviewerEntry::Full { email, lang } => (email.clone(), lang.clone()),
        };
        let mail = email(check, entry.span(), &key, &mail)?;
        let lang = match lang {
            None => None,
            Some(l) => Some(
                Lang::parse(&l)
                    .filter(|_| l == "fr" || l == "en")
                    .ok_or_else(|| {
                        check.invalid(
                            entry.span(),
                            Issue::NotInSet {
                                key: format!("{key}.lang"),
                                value: l.clone(),
                                accepted: "fr, en".to_owned(),
                            },
                        )
                    })?,
            ),
        };
        reviewers.insert(structure.clone(), Reviewer { email: mail, lang });
    }
    let coordinator = match &s.coordinator {
        Some(c) => Some(email(check, c.span(), "review.coordinator", c.get_ref())?),
        None => None,
    };
    let due_days = check
        .whole(&s.due_days, "review.due_days", 1, 3650)?
        .map_or(DEFAULT_DUE_DAYS, |v| v as u32);
    let send = s.send.as_ref().filter(|c| !c.get_ref().trim().is_empty());
    Ok(ReviewConfig {
        reviewers,
        coordinator,
        due_days,
        send: send.map(|c| c.get_ref().clone()),
        send_span: send.map_or(0..0, |c| c.span()),
    })
}
