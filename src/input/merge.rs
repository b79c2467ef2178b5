//! Rows of the same person, in one file or several, merged into one `Person`: dossiers and
//! structures are unions, a yes to consent on any row is enough. Rows are the same person when
//! they share an NRN or an e-mail; one NRN with two e-mails (or one e-mail with two NRNs) is an
//! error on every row involved, and nothing is done for that person.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{DesiredState, IdentityKey, Nrn, Person, Problem, RowRequest};

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

pub fn merge(
    records: Vec<RowRecord>,
    invalid_keys: BTreeSet<IdentityKey>,
    problems: &mut Vec<Problem>,
) -> Merged {
    let mut groups = Groups((0..records.len()).collect());
    let mut first_with: HashMap<IdentityKey, usize> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        for key in keys(r) {
            match first_with.get(&key) {
                Some(&j) => groups.union(i, j),
                None => {
                    first_with.insert(key, i);
                }
            }
        }
    }
    let mut components: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..records.len() {
        let root = groups.find(i);
        components.entry(root).or_default().push(i);
    }

    let mut withheld = invalid_keys;
    let mut people = Vec::new();
    let mut conflicting_rows = 0;
    for members in components.values() {
        let rows: Vec<&RowRecord> = members.iter().map(|&i| &records[i]).collect();
        if let Some(description) = conflict(&rows) {
            conflicting_rows += rows.len();
            let places: Vec<String> = rows.iter().map(|r| r.source.to_string()).collect();
            for r in &rows {
                let at = match r.identity_column {
                    Some(c) => r.source.with_column(c),
                    None => r.source.clone(),
                };
                problems.push(Problem::error(
                    at,
                    format!("identity conflict: {description} (rows {})", places.join(", ")),
                    "one person has one NRN and one e-mail: correct the wrong row; \
                     nothing is done for this person until then",
                ));
                withheld.extend(keys(r));
            }
            continue;
        }
        people.push(person_of(&rows, problems));
    }
    for person in &mut people {
        let mut ks = person.nrn.iter().map(|n| IdentityKey::Nrn(n.clone())).chain(
            person
                .email
                .iter()
                .map(|e| IdentityKey::Email(e.key().to_owned())),
        );
        person.has_invalid_row = ks.any(|k| withheld.contains(&k));
    }
    Merged {
        desired: DesiredState { people, withheld },
        conflicting_rows,
    }
}

fn keys(r: &RowRecord) -> Vec<IdentityKey> {
    let mut k = Vec::with_capacity(2);
    k.extend(r.nrn.clone().map(IdentityKey::Nrn));
    k.extend(r.email.as_ref().map(|e| IdentityKey::Email(e.key().to_owned())));
    k
}

/// "NRN *******3328 comes with two e-mails (a@x.be, b@x.be)" and the like, or `None`.
fn conflict(rows: &[&RowRecord]) -> Option<String> {
    let mut emails_of: BTreeMap<&Nrn, BTreeSet<&str>> = BTreeMap::new();
    let mut nrns_of: BTreeMap<&str, BTreeSet<&Nrn>> = BTreeMap::new();
    for r in rows {
        if let (Some(n), Some(e)) = (&r.nrn, &r.email) {
            emails_of.entry(n).or_default().insert(e.key());
            nrns_of.entry(e.key()).or_default().insert(n);
        }
    }
    let mut parts = Vec::new();
    for (n, es) in &emails_of {
        if es.len() > 1 {
            let list: Vec<&str> = es.iter().copied().collect();
            parts.push(format!("NRN {n} comes with {} e-mails ({})", es.len(), list.join(", ")));
        }
    }
    for (e, ns) in &nrns_of {
        if ns.len() > 1 {
            let list: Vec<String> = ns.iter().map(|n| n.masked()).collect();
            parts.push(format!("e-mail {e} comes with {} NRNs ({})", ns.len(), list.join(", ")));
        }
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn person_of(rows: &[&RowRecord], problems: &mut Vec<Problem>) -> Person {
    let mut person = Person {
        nrn: None,
        email: None,
        last_name: None,
        first_name: None,
        consent: false,
        access: Default::default(),
        rows: Vec::with_capacity(rows.len()),
        has_invalid_row: false,
    };
    let mut named_at: Option<&RowRecord> = None;
    for r in rows {
        person.nrn = person.nrn.take().or_else(|| r.nrn.clone());
        person.email = person.email.take().or_else(|| r.email.clone());
        person.consent |= r.consent == Some(true);
        person.access.extend(&r.access);
        person.rows.push(RowRequest {
            source: r.source.clone(),
            access: r.access.clone(),
        });
        if r.last_name.is_some() || r.first_name.is_some() {
            match named_at {
                None => {
                    named_at = Some(r);
                    person.last_name = r.last_name.clone();
                    person.first_name = r.first_name.clone();
                }
                Some(first) => {
                    let differs = |a: &Option<String>, b: &Option<String>| {
                        matches!((a, b), (Some(x), Some(y)) if x.to_lowercase() != y.to_lowercase())
                    };
                    if differs(&first.last_name, &r.last_name)
                        || differs(&first.first_name, &r.first_name)
                    {
                        let name = |x: &RowRecord| {
                            format!(
                                "{} {}",
                                x.last_name.as_deref().unwrap_or(""),
                                x.first_name.as_deref().unwrap_or("")
                            )
                            .trim()
                            .to_owned()
                        };
                        problems.push(Problem::warning(
                            r.source.clone(),
                            format!(
                                "this row names the person {:?}, but {} names them {:?}; the first is used",
                                name(r),
                                first.source,
                                name(first)
                            ),
                            "make the rows of one person agree on the name",
                        ));
                    }
                    if person.last_name.is_none() {
                        person.last_name = r.last_name.clone();
                    }
                    if person.first_name.is_none() {
                        person.first_name = r.first_name.clone();
                    }
                }
            }
        }
    }
    person
}
