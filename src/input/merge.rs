//! Rows of the same person, in one file or several, merged into one `Person`: dossiers and
//! structures are unions, a yes to consent on any row is enough. Rows are the same person when
//! they share an NRN or an e-mail; one NRN with two e-mails (or one e-mail with two NRNs) is an
//! error on every row involved, and nothing is done for that person.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{
    CalendarDate, DesiredState, IdentityClash, IdentityKey, Location, Nrn, Person, Problem,
    ProblemKind, RowRequest, RowTime,
};

use super::rows::RowRecord;

/// Union-find over row indices.
struct Groups(Vec<usize>);

impl Groups {
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // The earlier row stays the root, so a person sorts by their first row.
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            self.0[hi] = lo;
        }
    }
}

pub struct Merged {
    pub desired: DesiredState,
    /// Rows made invalid by an identity conflict.
    pub conflicting_rows: usize,
}

/// `today`: the plan's day; a row asks for access only on the days of its period.
pub fn merge(
    records: Vec<RowRecord>,
    invalid_keys: BTreeSet<IdentityKey>,
    problems: &mut Vec<Problem>,
    today: CalendarDate,
) -> Merged {
    let components = people_of(&records);
    let mut withheld = invalid_keys;
    let mut people = Vec::new();
    let mut conflicting_rows = 0;
    // Each record moves into its person once: no copy of every row's access is kept around.
    let mut records: Vec<Option<RowRecord>> = records.into_iter().map(Some).collect();
    for members in components {
        let rows: Vec<&RowRecord> = members
            .iter()
            .filter_map(|&i| records[i].as_ref())
            .collect();
        // inputs.md "Dates": an identity conflict only weighs the rows in effect or upcoming;
        // an ended row that names the person otherwise (they married, moved) is a warning.
        let live: Vec<&RowRecord> = rows
            .iter()
            .filter(|r| r.period.state_on(today) != RowTime::Ended)
            .copied()
            .collect();
        if let Some(clashes) = conflict(&live) {
            conflicting_rows += rows.len();
            for r in &rows {
                problems.push(conflict_problem(r, &rows, &clashes));
                withheld.extend(keys(r));
            }
            continue;
        }
        if conflict(&rows).is_some() {
            changed_identity(&rows, &live, problems);
        }
        let mut owned: Vec<RowRecord> = members.iter().filter_map(|&i| records[i].take()).collect();
        // The rows in effect or upcoming name the person first: theirs is the identity kept.
        owned.sort_by_key(|r| r.period.state_on(today) == RowTime::Ended);
        people.push(person_of(owned, problems, today));
    }
    for person in people.iter_mut().filter(|_| !withheld.is_empty()) {
        let mut ks = person
            .nrn
            .iter()
            .map(|n| IdentityKey::Nrn(n.clone()))
            .chain(
                person
                    .email
                    .iter()
                    .map(|e| IdentityKey::Email(e.key().to_owned())),
            );
        person.has_invalid_row = ks.any(|k| withheld.contains(&k));
    }
    Merged {
        desired: DesiredState {
            people,
            withheld,
            ..DesiredState::default()
        },
        conflicting_rows,
    }
}

/// The rows of each person (positions in `records`): rows that share an NRN or an e-mail, also
/// through a third row, are one person. Grouped by the person's first row, in row order.
fn people_of(records: &[RowRecord]) -> Vec<Vec<usize>> {
    let mut groups = Groups((0..records.len()).collect());
    // Borrowed keys: (is an e-mail, digits or lower-case address) → first row naming it.
    let mut first_with: HashMap<(bool, &str), usize> = HashMap::with_capacity(records.len() * 2);
    for (i, r) in records.iter().enumerate() {
        let nrn = r.nrn.as_ref().map(|n| (false, n.expose()));
        let email = r.email.as_ref().map(|e| (true, e.key()));
        for key in nrn.into_iter().chain(email) {
            match first_with.get(&key) {
                Some(&j) => groups.union(i, j),
                None => {
                    first_with.insert(key, i);
                }
            }
        }
    }
    let mut order: Vec<(usize, usize)> = (0..records.len()).map(|i| (groups.find(i), i)).collect();
    order.sort_unstable();
    order
        .chunk_by(|a, b| a.0 == b.0)
        .map(|c| c.iter().map(|(_, i)| *i).collect())
        .collect()
}

/// `email-differs` at each ended row whose e-mail or NRN is not the current rows'.
fn changed_identity(rows: &[&RowRecord], live: &[&RowRecord], problems: &mut Vec<Problem>) {
    let Some(current) = live.first() else {
        return;
    };
    let shown = |r: &RowRecord| match (&r.email, &r.nrn) {
        (Some(e), _) => e.to_string(),
        (None, Some(n)) => n.masked(),
        (None, None) => String::new(),
    };
    for r in rows
        .iter()
        .filter(|r| !live.iter().any(|l| std::ptr::eq(*l, **r)))
    {
        let differs =
            |a: Option<&str>, b: Option<&str>| matches!((a, b), (Some(x), Some(y)) if x != y);
        let email = differs(
            r.email.as_ref().map(|e| e.key()),
            current.email.as_ref().map(|e| e.key()),
        );
        let nrn = differs(
            r.nrn.as_ref().map(|n| n.expose()),
            current.nrn.as_ref().map(|n| n.expose()),
        );
        if email || nrn {
            let at = match r.columns.email {
                Some(c) if email => r.source.with_column(c),
                _ => r.source.clone(),
            };
            problems.push(Problem::warning(
                at,
                ProblemKind::EmailChanged {
                    ended: shown(r),
                    current: shown(current),
                    current_at: current.source.to_string(),
                },
            ));
        }
    }
}

/// `identity-conflict` at row `r`'s NRN or e-mail cell, naming every row involved.
fn conflict_problem(r: &RowRecord, rows: &[&RowRecord], clashes: &[IdentityClash]) -> Problem {
    // Rows of the same file are named by sheet:row, others in full.
    let places: Vec<String> = rows
        .iter()
        .map(|o| {
            let full = o.source.to_string();
            if o.source.file == r.source.file {
                full[o.source.file.len()..]
                    .trim_start_matches(':')
                    .to_owned()
            } else {
                full
            }
        })
        .collect();
    let at = match r.identity_column {
        Some(c) => r.source.with_column(c),
        None => r.source.clone(),
    };
    Problem::error(
        at,
        ProblemKind::IdentityConflict {
            clashes: clashes.to_vec(),
            rows: places,
        },
    )
}

fn keys(r: &RowRecord) -> Vec<IdentityKey> {
    let mut k = Vec::with_capacity(2);
    k.extend(r.nrn.clone().map(IdentityKey::Nrn));
    k.extend(
        r.email
            .as_ref()
            .map(|e| IdentityKey::Email(e.key().to_owned())),
    );
    k
}

/// "NRN *******3328 comes with two e-mails (a@x.be, b@x.be)" and the like, or `None`.
fn conflict(rows: &[&RowRecord]) -> Option<Vec<IdentityClash>> {
    if rows.len() < 2 {
        return None;
    }
    let mut emails_of: BTreeMap<&Nrn, BTreeSet<&str>> = BTreeMap::new();
    let mut nrns_of: BTreeMap<&str, BTreeSet<&Nrn>> = BTreeMap::new();
    for r in rows {
        if let (Some(n), Some(e)) = (&r.nrn, &r.email) {
            emails_of.entry(n).or_default().insert(e.key());
            nrns_of.entry(e.key()).or_default().insert(n);
        }
    }
    let mut clashes = Vec::new();
    for (n, es) in &emails_of {
        if es.len() > 1 {
            clashes.push(IdentityClash::NrnWithEmails {
                nrn: n.to_string(),
                emails: es.iter().map(|e| (*e).to_owned()).collect(),
            });
        }
    }
    for (e, ns) in &nrns_of {
        if ns.len() > 1 {
            clashes.push(IdentityClash::EmailWithNrns {
                email: (*e).to_owned(),
                nrns: ns.iter().map(|n| n.masked()).collect(),
            });
        }
    }
    (!clashes.is_empty()).then_some(clashes)
}

fn person_of(rows: Vec<RowRecord>, problems: &mut Vec<Problem>, today: CalendarDate) -> Person {
    let mut person = Person {
        nrn: None,
        email: None,
        last_name: None,
        first_name: None,
        consent: false,
        access: Default::default(),
        rows: Vec::with_capacity(rows.len()),
        upcoming: Vec::new(),
        ended: Vec::new(),
        has_invalid_row: false,
    };
    // The first row that names the person: later rows that name them otherwise are pointed out.
    let mut first_named: Option<(Location, String, Option<String>, Option<String>)> = None;
    for r in rows {
        if person.nrn.is_none() {
            person.nrn = r.nrn;
        }
        if person.email.is_none() {
            person.email = r.email;
        }
        person.consent |= r.consent == Some(true);
        let when = r.period.state_on(today);
        if when == RowTime::InEffect {
            person.access.extend(&r.access);
        }
        if r.last_name.is_some() || r.first_name.is_some() {
            match &first_named {
                None => {
                    first_named = Some((
                        r.source.clone(),
                        full_name(&r.last_name, &r.first_name),
                        r.last_name.clone(),
                        r.first_name.clone(),
                    ));
                }
                Some((at, shown, last, first)) => {
                    let differs = |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(x), Some(y)) if x.to_lowercase() != y.to_lowercase());
                    if differs(last, &r.last_name) || differs(first, &r.first_name) {
                        problems.push(Problem::warning(
                            r.source.clone(),
                            ProblemKind::NameConflict {
                                this: full_name(&r.last_name, &r.first_name),
                                first_at: at.to_string(),
                                first: shown.clone(),
                            },
                        ));
                    }
                }
            }
            if person.last_name.is_none() {
                person.last_name = r.last_name;
            }
            if person.first_name.is_none() {
                person.first_name = r.first_name;
            }
        }
        let row = RowRequest {
            source: r.source,
            access: r.access,
            period: r.period,
            columns: r.columns,
        };
        match when {
            RowTime::InEffect => person.rows.push(row),
            RowTime::Upcoming => person.upcoming.push(row),
            RowTime::Ended => person.ended.push(row),
        }
    }
    person
}

fn full_name(last: &Option<String>, first: &Option<String>) -> String {
    format!(
        "{} {}",
        last.as_deref().unwrap_or(""),
        first.as_deref().unwrap_or("")
    )
    .trim()
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Access, CalendarDate, Dossier, Email, Location, Nrn, Severity};

    const TODAY: CalendarDate = crate::model::TEST_TODAY;

    fn rec(row: u32, nrn: Option<&str>, email: Option<&str>, dossiers: &[Dossier]) -> RowRecord {
        let source = Location::file("staff.csv", 0).with_row(row);
        RowRecord {
            source,
            nrn: nrn.map(|n| Nrn::parse_strict(n, TODAY).unwrap()),
            email: email.map(|e| Email::parse(e).unwrap()),
            identity_column: Some(2),
            last_name: Some("Dupont".into()),
            first_name: Some("Marie".into()),
            consent: Some(row == 3),
            columns: Default::default(),
            period: Default::default(),
            access: Access {
                dossiers: dossiers.iter().copied().collect(),
                structures: Default::default(),
            },
        }
    }

    #[test]
    fn rows_sharing_an_email_in_any_case_are_one_person_with_the_union_of_access() {
        let mut problems = Vec::new();
        let m = merge(
            vec![
                rec(
                    2,
                    Some("85073003328"),
                    Some("marie@x.be"),
                    &[Dossier::Bilans],
                ),
                rec(3, None, Some("MARIE@x.be"), &[Dossier::MonEquipe]),
            ],
            BTreeSet::new(),
            &mut problems,
            crate::model::CalendarDate {
                year: 2026,
                month: 11,
                day: 28,
            },
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(m.desired.people.len(), 1);
        let p = &m.desired.people[0];
        assert_eq!(p.access.dossiers.len(), 2);
        assert!(p.consent, "a yes on any row is enough");
        assert_eq!(p.nrn.as_ref().map(|n| n.expose()), Some("85073003328"));
        assert_eq!(p.rows.len(), 2);
    }

    #[test]
    fn one_nrn_with_two_emails_is_an_error_on_every_row_and_nobody_is_kept() {
        let mut problems = Vec::new();
        let m = merge(
            vec![
                rec(2, Some("85073003328"), Some("a@x.be"), &[]),
                rec(3, None, Some("a@x.be"), &[]),
                rec(4, Some("85073003328"), Some("b@x.be"), &[]),
                rec(5, None, Some("other@x.be"), &[]),
            ],
            BTreeSet::new(),
            &mut problems,
            crate::model::CalendarDate {
                year: 2026,
                month: 11,
                day: 28,
            },
        );
        let rows: Vec<u32> = problems.iter().filter_map(|p| p.location.row).collect();
        assert_eq!(rows, vec![2, 3, 4]);
        assert!(problems.iter().all(|p| p.severity == Severity::Error));
        assert!(
            crate::report::messages::message(&problems[0])
                .contains("*******3328 comes with 2 e-mails (a@x.be, b@x.be)")
        );
        assert!(!crate::report::messages::message(&problems[0]).contains("85073003328"));
        assert_eq!(m.conflicting_rows, 3);
        assert_eq!(m.desired.people.len(), 1);
        assert_eq!(m.desired.people[0].label(), "other@x.be");
        assert!(
            m.desired
                .withheld
                .contains(&IdentityKey::Email("b@x.be".into()))
        );
    }

    #[test]
    fn one_email_with_two_nrns_is_a_conflict_too() {
        let mut problems = Vec::new();
        let other = format!(
            "790128190{:02}",
            crate::model::check_digits(790_128_190, false)
        );
        let m = merge(
            vec![
                rec(2, Some("85073003328"), Some("a@x.be"), &[]),
                rec(3, Some(&other), Some("A@X.BE"), &[]),
            ],
            BTreeSet::new(),
            &mut problems,
            crate::model::CalendarDate {
                year: 2026,
                month: 11,
                day: 28,
            },
        );
        assert_eq!(problems.len(), 2);
        assert!(
            crate::report::messages::message(&problems[0])
                .contains("e-mail a@x.be comes with 2 NRNs")
        );
        assert!(m.desired.people.is_empty());
    }

    #[test]
    fn a_person_with_an_invalid_row_is_flagged_so_it_is_never_pruned() {
        let mut problems = Vec::new();
        let invalid = BTreeSet::from([IdentityKey::Email("a@x.be".into())]);
        let m = merge(
            vec![rec(2, None, Some("A@x.be"), &[])],
            invalid,
            &mut problems,
            crate::model::CalendarDate {
                year: 2026,
                month: 11,
                day: 28,
            },
        );
        assert!(m.desired.people[0].has_invalid_row);
    }
}
