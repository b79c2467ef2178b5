//! Who a person of the inputs is on the portal (inputs.md, "Matching a person to a portal
//! user"): by NRN first, else by e-mail. NRN and e-mail pointing to two users, or an e-mail whose
//! user has another NRN, is an error and nothing is done for the person; the same NRN with
//! another e-mail or name is a warning (v1 cannot change them). Also the portal users no input
//! names.

use crate::model::{ObservedState, ObservedUser, Problem, ProblemKind};

use super::Unlisted;
use super::draft::{Subject, full_name};

/// foldhash: the indexes hash 100,000 short keys; SipHash's defence against crafted keys buys
/// nothing here (the keys come from our own portal read) and costs a third of the index time.
type FastMap<K, V> = foldhash::HashMap<K, V>;

/// The portal's users by NRN and by lower-case e-mail (positions in `ObservedState::users`).
pub(super) struct Index<'o> {
    by_nrn: FastMap<&'o str, usize>,
    by_email: FastMap<&'o str, usize>,
}

impl<'o> Index<'o> {
    /// Both maps, each sized once, built side by side.
    pub(super) fn new(users: &'o [ObservedUser]) -> Index<'o> {
        std::thread::scope(|scope| {
            let nrn = scope.spawn(|| {
                let mut m: FastMap<&str, usize> =
                    FastMap::with_capacity_and_hasher(users.len(), Default::default());
                m.extend(
                    users
                        .iter()
                        .enumerate()
                        .filter_map(|(i, u)| u.nrn.as_ref().map(|n| (n.expose(), i))),
                );
                m
            });
            let mut by_email: FastMap<&str, usize> =
                FastMap::with_capacity_and_hasher(users.len(), Default::default());
            by_email.extend(
                users
                    .iter()
                    .enumerate()
                    .map(|(i, u)| (u.email_key.as_str(), i)),
            );
            let by_nrn = match nrn.join() {
                Ok(m) => m,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            Index { by_nrn, by_email }
        })
    }
}

/// Who a person is on the portal.
pub(super) enum Match<'o> {
    /// The portal user at this position of `ObservedState::users`.
    User(usize),
    /// Nobody: a person to create.
    New,
    /// An identity error that stops everything for them, and the portal user to show them as.
    Mismatch(Box<Problem>, Option<&'o ObservedUser>),
}

pub(super) fn match_user<'o>(
    s: &Subject<'o>,
    observed: &'o ObservedState,
    index: &Index<'o>,
) -> Match<'o> {
    let person = s.person;
    let by_nrn = person
        .nrn
        .as_ref()
        .and_then(|n| index.by_nrn.get(n.expose()).copied());
    let by_email = person
        .email
        .as_ref()
        .and_then(|e| index.by_email.get(e.key()).copied());
    match (by_nrn, by_email) {
        (Some(u), Some(v)) if u != v => {
            let (a, b) = (&observed.users[u], &observed.users[v]);
            let kind = ProblemKind::NrnAndEmailApart {
                nrn: person.nrn.as_ref().map(|n| n.masked()).unwrap_or_default(),
                nrn_user: a.id.clone(),
                nrn_user_email: a.email.clone(),
                email: s.email().unwrap_or_default(),
                email_user: b.id.clone(),
            };
            Match::Mismatch(Box::new(Problem::error(s.at.clone(), kind)), None)
        }
        (Some(u), _) => Match::User(u),
        (None, Some(v)) => {
            let u = &observed.users[v];
            match &person.nrn {
                Some(n) if u.nrn.as_ref() != Some(n) => {
                    let kind = ProblemKind::EmailHasOtherNrn {
                        email: u.email.clone(),
                        user: u.id.clone(),
                        user_nrn: u.nrn.as_ref().map(|n| n.masked()),
                        nrn: n.masked(),
                    };
                    Match::Mismatch(Box::new(Problem::error(s.at.clone(), kind)), Some(u))
                }
                _ => Match::User(v),
            }
        }
        (None, None) => Match::New,
    }
}

/// The same person with another e-mail or name on the portal: said, and the portal's kept.
pub(super) fn identity_warnings(s: &Subject<'_>, user: &ObservedUser, problems: &mut Vec<Problem>) {
    let person = s.person;
    if let Some(e) = &person.email
        && e.key() != user.email_key
    {
        let kind = ProblemKind::EmailDiffers {
            portal: user.email.clone(),
            inputs: e.to_string(),
        };
        problems.push(Problem::warning(s.at.clone(), kind));
    }
    if names_differ(&person.last_name, &user.last_name)
        || names_differ(&person.first_name, &user.first_name)
    {
        let kind = ProblemKind::NameDiffers {
            user: user.id.clone(),
            portal: full_name(&user.last_name, &user.first_name),
            inputs: s.name(),
        };
        problems.push(Problem::warning(s.at.clone(), kind));
    }
}

/// Case-insensitively, without a lower-cased copy for ASCII names.
fn names_differ(a: &Option<String>, b: &str) -> bool {
    a.as_ref().is_some_and(|x| {
        if x.is_ascii() && b.is_ascii() {
            !x.eq_ignore_ascii_case(b)
        } else {
            x.to_lowercase() != b.to_lowercase()
        }
    })
}

/// The portal users no input named (`matched` holds the positions of those it did).
pub(super) fn unlisted(observed: &ObservedState, matched: &[usize]) -> Vec<Unlisted> {
    let mut is_matched = vec![false; observed.users.len()];
    for &i in matched {
        is_matched[i] = true;
    }
    observed
        .users
        .iter()
        .enumerate()
        .filter(|(i, _)| !is_matched[*i])
        .map(|(_, u)| Unlisted {
            user_id: u.id.clone(),
            name: full_name(&u.last_name, &u.first_name),
            email: u.email.clone(),
            is_caller: u.id == observed.caller.id,
        })
        .collect()
}
