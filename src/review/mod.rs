//! Access review campaigns (evidence.md "Access review campaigns"): a campaign as data — the
//! sheets it made, exactly the people each one listed — recorded in the state directory as
//! `review-<campaign>.json`, written whole (a new file, then replaced whole — under the state
//! directory's lock — when a sheet is sent, answers are collected, removals are applied, what
//! the staff list would redo is recorded, or the campaign is closed).
//! What a sheet lists is decided in `build.rs` (pure), how it looks in `sheet.rs`. No HTTP here,
//! and nothing here writes the portal.

pub mod build;
pub mod collect;
pub mod evidence;
pub mod sheet;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use crate::input::REVIEW_MARK;
pub use build::{HEADER_ROW, build_sheets};

/// Why a person on a sheet is not to be decided there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Apart {
    /// An administrateur: sees every structure it holds through the profile.
    Administrateur,
    /// The account the job acts as: never revoked by a review.
    Caller,
}

/// One person a sheet listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub user_id: String,
    pub last_name: String,
    pub first_name: String,
    pub email: String,
    /// The scoped dossiers' codes the person holds (an administrateur's implicit one included).
    pub dossiers: Vec<String>,
    /// Since when they can see the structure (RFC 3339), when the history store knows.
    pub since: Option<String>,
    /// `since` is the store's first observation: they held it before (since then at least).
    #[serde(default)]
    pub held_before: bool,
    /// The sheet's row (1-based, as the spreadsheet shows it).
    pub row: u32,
    /// Listed apart, not to decide.
    pub apart: Option<Apart>,
    /// The reviewer's own row.
    #[serde(rename = "self")]
    pub is_reviewer: bool,
}

/// One sheet of a campaign: a structure, its reviewer, what it listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    pub structure: String,
    pub name: String,
    pub postal_code: String,
    pub city: String,
    /// `None`: neither a reviewer nor a coordinator is configured for it.
    pub reviewer: Option<String>,
    /// `fr` or `en`.
    pub lang: String,
    /// The coordinator reviews it (no reviewer of its own).
    pub by_coordinator: bool,
    /// Where the workbook was written.
    pub file: PathBuf,
    pub sent: bool,
    /// The SHA-256 of the workbook `review start` wrote: `review send` sends that file only.
    #[serde(default)]
    pub workbook_sha256: Option<String>,
    pub people: Vec<Person>,
    /// The files returned for it, in the order collected: the last one's answers stand (a later
    /// file replaces the earlier answers until they are applied).
    #[serde(default)]
    pub answers: Vec<Answer>,
}

/// A returned file's answers, as collected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// When it was collected (RFC 3339) and that day (Europe/Brussels).
    pub at: String,
    pub day: String,
    pub file: PathBuf,
    /// The decision sheet's name in that file (none in a CSV).
    #[serde(default)]
    pub sheet: Option<String>,
    pub file_sha256: String,
    pub decisions: Vec<collect::Decision>,
    /// People to decide it gave no answer for.
    pub none: usize,
    /// The run that first applied one of its removals (`apply --review`): a later file no
    /// longer replaces it.
    #[serde(default)]
    pub applied_by: Option<String>,
    /// Each of its removals a run applied (done, adopted or in effect), by whom: a removal not
    /// listed here (stale, failed, held and not yet approved) is planned again.
    #[serde(default)]
    pub applied: Vec<Applied>,
}

/// One « Remove » decision applied: the person, and the run that revoked the structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    pub user_id: String,
    pub run: String,
}

impl Answer {
    /// The run that applied `user_id`'s removal, when one did.
    pub fn applied_to(&self, user_id: &str) -> Option<&str> {
        if self.applied.is_empty() {
            // A record written before removals were kept one by one: `applied_by` applied every
            // « Remove » of the answer.
            let removed = self
                .decisions
                .iter()
                .any(|d| d.user_id == user_id && d.decision == collect::Choice::Remove);
            return self.applied_by.as_deref().filter(|_| removed);
        }
        self.applied
            .iter()
            .find(|a| a.user_id == user_id)
            .map(|a| a.run.as_str())
    }
}

/// A removal a run applied, as its plan said it: the structure, the person, and where the
/// decision was read (the action's source as written: the returned file and its row, see
/// `decision_at`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    pub structure: String,
    pub user_id: String,
    pub source: String,
}

/// Where `a`'s decision on `row` was read: a review plan's action source (a saved plan keeps it
/// as this text).
pub fn decision_at(a: &Answer, index: u32, row: u32) -> crate::model::Location {
    let mut at = crate::model::Location::file(a.file.to_string_lossy().as_ref(), index);
    at.sheet = a.sheet.as_deref().map(Into::into);
    at.with_row(row)
}

/// Records that `run` applied `done` (removals of `campaign`): each is credited to the answer
/// it was planned from — the newest answer of its sheet read from the same file with that
/// person's « Remove » on that row — not merely to the sheet's last answer, which a file
/// collected while the plan was held may have replaced. The caller holds the state directory's
/// lock.
pub fn mark_applied(
    state_dir: &Path,
    campaign: &str,
    done: &[Done],
    run: &str,
) -> Result<(), CampaignError> {
    let mut c = load(state_dir, campaign)?;
    let mut changed = false;
    for d in done {
        let Some(s) = c.sheets.iter_mut().find(|s| s.structure == d.structure) else {
            continue;
        };
        // The newest answer that said it from that file and row; one credited already (the
        // same removal planned again) is not credited twice, nor passed to an older answer.
        let answer = s.answers.iter_mut().rev().find(|a| {
            a.decisions.iter().any(|x| {
                x.user_id == d.user_id
                    && x.decision == collect::Choice::Remove
                    && decision_at(a, 0, x.row).to_string() == d.source
            })
        });
        if let Some(a) = answer.filter(|a| a.applied_to(&d.user_id).is_none()) {
            a.applied.push(Applied {
                user_id: d.user_id.clone(),
                run: run.to_owned(),
            });
            a.applied_by.get_or_insert_with(|| run.to_owned());
            changed = true;
        }
    }
    if changed {
        record_update(state_dir, &c)?;
    }
    Ok(())
}

impl Sheet {
    /// The people to decide (not those listed apart).
    pub fn to_decide(&self) -> impl Iterator<Item = &Person> {
        self.people.iter().filter(|p| p.apart.is_none())
    }

    /// The run that applied `user_id`'s removal from this structure, by any of its answers (a
    /// later file saying it again does not undo that it was applied).
    pub fn applied_to(&self, user_id: &str) -> Option<&str> {
        self.answers.iter().find_map(|a| a.applied_to(user_id))
    }
}

/// A campaign as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    pub campaign: String,
    /// RFC 3339.
    pub started: String,
    /// YYYY-MM-DD (Europe/Brussels).
    pub due: String,
    pub organisation: String,
    pub caller: String,
    pub coordinator: Option<String>,
    /// RFC 3339, once closed.
    pub closed: Option<String>,
    pub sheets: Vec<Sheet>,
    /// What `apply --review` found the staff list would grant again the next night: the rows HR
    /// must change (`review report` lists them).
    #[serde(default)]
    pub redone: Vec<Redone>,
}

/// A removal the staff list would undo, and the row that asks for the access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redone {
    pub who: String,
    pub structure: String,
    /// `file:sheet:row` of the staff list.
    pub row: String,
}

/// Records `redone` as what the staff list would redo of `campaign` (replacing what an earlier
/// apply found). The caller holds the state directory's lock.
pub fn record_redone(
    state_dir: &Path,
    campaign: &str,
    redone: Vec<Redone>,
) -> Result<(), CampaignError> {
    let mut c = load(state_dir, campaign)?;
    if c.redone != redone {
        c.redone = redone;
        record_update(state_dir, &c)?;
    }
    Ok(())
}

/// Why a campaign cannot be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CampaignError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not a campaign record: {detail}")]
    Bad { path: String, detail: String },
    #[error("{0}: no such campaign")]
    Unknown(String),
}

impl CampaignError {
    /// What a person reads, in the run's language (the `Display` form is for logs).
    pub fn message(&self) -> crate::report::i18n::Msg {
        match self {
            Self::Io { path, source } => crate::msg!(
                "review-campaign-io",
                path = path.as_str(),
                error = source.to_string()
            ),
            Self::Bad { path, detail } => crate::msg!(
                "review-campaign-bad",
                path = path.as_str(),
                detail = detail.as_str()
            ),
            Self::Unknown(id) => crate::msg!("review-campaign-none", campaign = id.as_str()),
        }
    }
}

/// The coordinator as a sentence names them: their e-mail, or that none is configured.
pub fn coordinator_named(coordinator: Option<&str>) -> String {
    coordinator.map_or_else(|| crate::t!("review-no-coordinator"), str::to_owned)
}

/// The SHA-256 of a file (hex), read in pieces: a returned sheet may be large.
pub fn sha256_of(path: &Path) -> std::io::Result<String> {
    use sha2::Digest;
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// `rev-<start day>-<8 hex>`: the day, and 8 hex digits of a digest of the instant, the process
/// and the organisation (two campaigns started the same day get two ids).
pub fn campaign_id(day: &str, started: &str, organisation: &str) -> String {
    use sha2::Digest;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let seed = format!("{started}|{nanos}|{}|{organisation}", std::process::id());
    let digest = sha2::Sha256::digest(seed.as_bytes());
    let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("rev-{day}-{hex}")
}

/// Whether `s` is shaped as a campaign id (so a name never escapes the state directory).
pub fn is_campaign_id(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("rev-") else {
        return false;
    };
    rest.len() == 19
        && rest.chars().enumerate().all(|(i, c)| match i {
            4 | 7 | 10 => c == '-',
            11.. => c.is_ascii_hexdigit() && !c.is_ascii_uppercase(),
            _ => c.is_ascii_digit(),
        })
}

/// The record of `campaign` in `state_dir`.
pub fn record_path(state_dir: &Path, campaign: &str) -> PathBuf {
    state_dir.join(format!("review-{campaign}.json"))
}

/// Records a new campaign, whole (create-new: an id is never reused). The caller holds the
/// state directory's lock.
pub fn record_new(state_dir: &Path, c: &Campaign) -> Result<PathBuf, CampaignError> {
    let path = record_path(state_dir, &c.campaign);
    let io = |source| CampaignError::Io {
        path: path.display().to_string(),
        source,
    };
    std::fs::create_dir_all(state_dir).map_err(io)?;
    let bytes = serde_json::to_vec_pretty(c).map_err(|e| CampaignError::Bad {
        path: path.display().to_string(),
        detail: e.to_string(),
    })?;
    crate::apply::record::create_whole(&path, &bytes).map_err(io)?;
    Ok(path)
}

/// Replaces a campaign's record, whole. The caller holds the state directory's lock.
pub fn record_update(state_dir: &Path, c: &Campaign) -> Result<(), CampaignError> {
    let path = record_path(state_dir, &c.campaign);
    let bytes = serde_json::to_vec_pretty(c).map_err(|e| CampaignError::Bad {
        path: path.display().to_string(),
        detail: e.to_string(),
    })?;
    crate::apply::write_private(&path, &bytes).map_err(|source| CampaignError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Reads the record of `campaign`.
pub fn load(state_dir: &Path, campaign: &str) -> Result<Campaign, CampaignError> {
    if !is_campaign_id(campaign) {
        return Err(CampaignError::Unknown(campaign.to_owned()));
    }
    let path = record_path(state_dir, campaign);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(CampaignError::Unknown(campaign.to_owned()));
        }
        Err(source) => {
            return Err(CampaignError::Io {
                path: path.display().to_string(),
                source,
            });
        }
    };
    serde_json::from_str(&text).map_err(|e| CampaignError::Bad {
        path: path.display().to_string(),
        detail: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_campaign_id_is_its_day_and_eight_hex_digits() {
        let id = campaign_id("2026-11-28", "2026-11-28T10:00:00.000Z", "org-1");
        assert!(is_campaign_id(&id), "{id}");
        assert!(id.starts_with("rev-2026-11-28-"), "{id}");
        for bad in [
            "rev-2026-11-28-ABCDEF01",
            "rev-2026-11-28-1234567",
            "../x",
            "",
        ] {
            assert!(!is_campaign_id(bad), "{bad}");
        }
    }

    #[test]
    fn a_campaign_is_recorded_once_and_read_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let c = Campaign {
            campaign: "rev-2026-11-28-0011aabb".into(),
            started: "2026-11-28T10:00:00.000Z".into(),
            due: "2026-12-12".into(),
            organisation: "org".into(),
            caller: "u-1".into(),
            coordinator: None,
            closed: None,
            sheets: Vec::new(),
            redone: Vec::new(),
        };
        record_new(dir.path(), &c).expect("recorded");
        assert!(record_new(dir.path(), &c).is_err(), "an id is never reused");
        assert_eq!(load(dir.path(), &c.campaign).expect("read"), c);
        assert!(matches!(
            load(dir.path(), "rev-2026-11-28-ffffffff"),
            Err(CampaignError::Unknown(_))
        ));
    }

    #[test]
    fn an_answer_recorded_before_removals_were_kept_one_by_one_counts_all_its_removals() {
        let text = r#"{"at": "2026-11-30T09:00:00.000Z", "day": "2026-11-30", "file": "r.xlsx",
            "file_sha256": "00", "none": 0, "applied_by": "run-1", "decisions": [
            {"user_id": "u-1", "decision": "remove", "comment": "", "row": 4},
            {"user_id": "u-2", "decision": "keep", "comment": "", "row": 5}]}"#;
        let a: Answer = serde_json::from_str(text).expect("an older record");
        assert_eq!(a.applied_to("u-1"), Some("run-1"));
        assert_eq!(a.applied_to("u-2"), None);
        assert_eq!(a.applied_to("u-3"), None);
    }
}
