//! What each sheet of a campaign lists, from the portal as read (pure: no I/O): one sheet per
//! structure asked for, one row per person who can see it — holding it with at least one scoped
//! dossier, an administrateur's implicit Pré-demandes included — sorted by name; the
//! administrateurs and the caller listed apart, after the people to decide; the reviewer's own
//! row marked.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Apart, Person, Sheet};
use crate::config::ReviewConfig;
use crate::model::{Lang, ObservedState, ObservedUser, StructureInfo};

/// The header's row (1-based): the marker, the campaign's line, then the header.
pub const HEADER_ROW: u32 = 3;

/// The people who can see `s`, to decide first then apart, with their sheet rows.
fn people_of(
    observed: &ObservedState,
    s: &StructureInfo,
    reviewer: Option<&str>,
    since: &BTreeMap<(String, String), (String, bool)>,
) -> Vec<Person> {
    let mut seeing: Vec<(&ObservedUser, Vec<String>)> = observed
        .users
        .iter()
        .filter(|u| u.structures.iter().any(|x| x == &s.id))
        .map(|u| (u, crate::plan::review::scoped_codes(u)))
        .filter(|(_, d)| !d.is_empty())
        .collect();
    seeing.sort_by_key(|(u, _)| {
        (
            u.last_name.to_lowercase(),
            u.first_name.to_lowercase(),
            u.id.clone(),
        )
    });
    let apart_of = |u: &ObservedUser| {
        if u.id == observed.caller.id {
            Some(Apart::Caller)
        } else if u.admin {
            Some(Apart::Administrateur)
        } else {
            None
        }
    };
    let (decide, apart): (Vec<_>, Vec<_>) =
        seeing.into_iter().partition(|(u, _)| apart_of(u).is_none());
    // The people to decide under the header; a blank row and a title row, then those apart.
    let first_apart = HEADER_ROW + decide.len() as u32 + 3;
    let rows = (HEADER_ROW + 1..)
        .zip(decide)
        .chain((first_apart..).zip(apart));
    rows.map(|(row, (u, dossiers))| Person {
        user_id: u.id.clone(),
        last_name: u.last_name.clone(),
        first_name: u.first_name.clone(),
        email: u.email.clone(),
        dossiers,
        since: since
            .get(&(s.id.as_str().to_owned(), u.id.clone()))
            .map(|(at, _)| at.clone()),
        held_before: since
            .get(&(s.id.as_str().to_owned(), u.id.clone()))
            .is_some_and(|(_, before)| *before),
        row,
        apart: apart_of(u),
        is_reviewer: reviewer.is_some_and(|r| r.eq_ignore_ascii_case(u.email_key.as_str())),
    })
    .collect()
}

/// The campaign's sheets over `asked` (every structure of the organisation when empty), their
/// files in `out`; `Err` names the structures asked for that the organisation does not have.
/// `since` maps (structure, user id) to the start of the access the history store knows, and
/// whether that start is only the store's first observation (held before it).
pub fn build_sheets(
    observed: &ObservedState,
    asked: &[String],
    config: &ReviewConfig,
    default_lang: Lang,
    since: &BTreeMap<(String, String), (String, bool)>,
    out: &Path,
) -> Result<Vec<Sheet>, Vec<String>> {
    let unknown: Vec<String> = asked
        .iter()
        .filter(|a| {
            !observed
                .structures
                .iter()
                .any(|s| s.id.as_str() == a.as_str())
        })
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(unknown);
    }
    let mut structures: Vec<&StructureInfo> = observed
        .structures
        .iter()
        .filter(|s| asked.is_empty() || asked.iter().any(|a| a == s.id.as_str()))
        .collect();
    structures.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
    Ok(structures
        .into_iter()
        .map(|s| {
            let reviewer = config.reviewer_of(s.id.as_str());
            let email = reviewer.as_ref().map(|(r, _)| r.email.clone());
            let lang = reviewer
                .as_ref()
                .and_then(|(r, _)| r.lang)
                .unwrap_or(default_lang);
            Sheet {
                structure: s.id.as_str().to_owned(),
                name: s.name.clone(),
                postal_code: s.postal_code.clone(),
                city: s.city.clone(),
                people: people_of(observed, s, email.as_deref(), since),
                reviewer: email,
                lang: lang.code().to_owned(),
                by_coordinator: reviewer.is_some_and(|(_, c)| c),
                file: out.join(format!("{}.xlsx", s.id.as_str())),
                sent: false,
                workbook_sha256: None,
                answers: Vec::new(),
            }
        })
        .collect())
}
