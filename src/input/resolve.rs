//! The inputs' structure references resolved against the organisation's structures (from the
//! portal): an id must exist; a name must name exactly one structure, unless narrowed by
//! « name (postal code) » or « name – city ». A row with a reference that does not resolve is
//! invalid and skipped whole, like any other invalid row. Pure: the structures are an argument.

use std::collections::HashMap;

use crate::model::text::{closest, fold};
use crate::model::{
    DesiredState, IdentityKey, Person, Problem, ProblemKind, StructureId, StructureInfo,
    StructureRef, VecSet,
};

/// How a reference resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Found(StructureId),
    /// What is wrong: a `structure-unknown` or `structure-ambiguous` kind.
    Problem(ProblemKind),
}

/// The organisation's structures, indexed for resolution.
pub struct StructureIndex<'s> {
    structures: &'s [StructureInfo],
    by_id: HashMap<String, &'s StructureInfo>,
    by_name: HashMap<String, Vec<&'s StructureInfo>>,
}

impl<'s> StructureIndex<'s> {
    pub fn new(structures: &'s [StructureInfo]) -> Self {
        let mut by_name: HashMap<String, Vec<&StructureInfo>> = HashMap::new();
        for s in structures {
            by_name.entry(fold(&s.name)).or_default().push(s);
        }
        let by_id = structures
            .iter()
            .map(|s| (s.id.as_str().to_ascii_uppercase(), s))
            .collect();
        StructureIndex {
            structures,
            by_id,
            by_name,
        }
    }

    pub fn resolve(&self, r: &StructureRef) -> Resolution {
        let list = |v: &[&StructureInfo]| {
            v.iter()
                .map(|s| format!("{} ({} {})", s.id, s.postal_code, s.city))
                .collect::<Vec<_>>()
        };
        match r {
            StructureRef::Id(id) => {
                if let Some(s) = self.by_id.get(&id.as_str().to_ascii_uppercase()) {
                    return Resolution::Found(s.id.clone());
                }
                let close = closest(id.as_str(), self.structures.iter().map(|s| s.id.as_str()));
                Resolution::Problem(ProblemKind::StructureIdUnknown {
                    id: id.to_string(),
                    closest: close.first().map(|c| c.to_string()),
                })
            }
            StructureRef::Name {
                name,
                postal_code,
                city,
            } => {
                let same: &[&StructureInfo] = self
                    .by_name
                    .get(&fold(name))
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                if same.is_empty() {
                    let close = closest(name, self.structures.iter().map(|s| s.name.as_str()));
                    let closest = close
                        .iter()
                        .flat_map(|c| self.by_name.get(&fold(c)).into_iter().flatten())
                        .map(|s| format!("« {} » ({}, {})", s.name, s.id, s.city))
                        .collect();
                    return Resolution::Problem(ProblemKind::StructureNameUnknown {
                        name: name.clone(),
                        closest,
                    });
                }
                let narrowed: Vec<&StructureInfo> = same
                    .iter()
                    .copied()
                    .filter(|s| postal_code.as_ref().is_none_or(|pc| &s.postal_code == pc))
                    .filter(|s| city.as_ref().is_none_or(|c| fold(&s.city) == fold(c)))
                    .collect();
                match narrowed.as_slice() {
                    [one] => Resolution::Found(one.id.clone()),
                    [] => Resolution::Problem(ProblemKind::StructureNotThere {
                        name: name.clone(),
                        place: postal_code
                            .as_ref()
                            .or(city.as_ref())
                            .map_or_else(|| "?".to_owned(), String::clone),
                        candidates: list(same),
                    }),
                    several => Resolution::Problem(ProblemKind::StructureAmbiguous {
                        name: name.clone(),
                        candidates: list(several),
                        postal_code: several[0].postal_code.clone(),
                        city: several[0].city.clone(),
                    }),
                }
            }
        }
    }
}

/// Resolves every structure reference of every person; rows with a reference that does not
/// resolve are removed (and counted), their people flagged so they are never pruned. Returns
/// the number of rows made invalid.
pub fn resolve_structures(
    desired: &mut DesiredState,
    structures: &[StructureInfo],
    problems: &mut Vec<Problem>,
) -> usize {
    let index = StructureIndex::new(structures);
    let mut invalid_rows = 0;
    let mut emptied = Vec::new();
    for (pi, person) in desired.people.iter_mut().enumerate() {
        // Every row, whatever its period: an ended row's structures are what its end revokes.
        let mut invalid = false;
        for rows in [&mut person.rows, &mut person.upcoming, &mut person.ended] {
            let (kept, bad) = resolve_rows(std::mem::take(rows), &index, problems);
            *rows = kept;
            invalid_rows += bad;
            invalid |= bad > 0;
        }
        person.has_invalid_row |= invalid;
        recompute_access(person);
        if person.all_rows().next().is_none() {
            emptied.push(pi);
        }
    }
    for pi in emptied.into_iter().rev() {
        let p = desired.people.remove(pi);
        desired.withheld.extend(p.nrn.map(IdentityKey::Nrn));
        desired
            .withheld
            .extend(p.email.map(|e| IdentityKey::Email(e.key().to_owned())));
    }
    invalid_rows
}

/// The rows whose every structure resolves (their references now ids), and how many did not.
fn resolve_rows(
    rows: Vec<crate::model::RowRequest>,
    index: &StructureIndex<'_>,
    problems: &mut Vec<Problem>,
) -> (Vec<crate::model::RowRequest>, usize) {
    let mut kept = Vec::with_capacity(rows.len());
    let mut invalid = 0;
    for mut row in rows {
        let mut resolved = VecSet::new();
        let mut bad = false;
        for r in row.access.structures.iter() {
            match index.resolve(r) {
                Resolution::Found(id) => {
                    resolved.insert(StructureRef::Id(id));
                }
                Resolution::Problem(kind) => {
                    bad = true;
                    let at = match row.columns.structures {
                        Some(c) => row.source.with_column(c),
                        None => row.source.clone(),
                    };
                    problems.push(Problem::error(at, kind).with_value(r.to_string()));
                }
            }
        }
        if bad {
            invalid += 1;
        } else {
            row.access.structures = resolved;
            kept.push(row);
        }
    }
    (kept, invalid)
}

fn recompute_access(person: &mut Person) {
    let mut access = crate::model::Access::default();
    for r in &person.rows {
        access.extend(&r.access);
    }
    person.access = access;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sentences of a resolution that failed.
    fn texts(r: Resolution) -> Option<(String, String)> {
        let Resolution::Problem(kind) = r else {
            return None;
        };
        let p = Problem::error(crate::model::Location::file("x", 0), kind);
        Some((
            crate::report::messages::message(&p),
            crate::report::messages::hint(&p).into_owned(),
        ))
    }

    fn s(id: &str, name: &str, pc: &str, city: &str) -> StructureInfo {
        StructureInfo {
            id: StructureId::from_portal(id),
            name: name.into(),
            postal_code: pc.into(),
            city: city.into(),
        }
    }

    fn org() -> Vec<StructureInfo> {
        vec![
            s("MA-00101", "Crèche Les Lutins", "5000", "Namur"),
            s("MA-00102", "Les Petits Loups", "5000", "Namur"),
            s("MA-00103", "Les Petits Loups", "4000", "Liège"),
        ]
    }

    fn resolve(text: &str) -> Resolution {
        let org = org();
        StructureIndex::new(&org).resolve(&StructureRef::parse(text).unwrap())
    }

    #[test]
    fn ids_names_and_narrowed_names() {
        assert_eq!(
            resolve("ma-00101"),
            Resolution::Found(StructureId::from_portal("MA-00101"))
        );
        assert_eq!(
            resolve("creche les lutins"),
            Resolution::Found(StructureId::from_portal("MA-00101"))
        );
        assert_eq!(
            resolve("Les Petits Loups (4000)"),
            Resolution::Found(StructureId::from_portal("MA-00103"))
        );
        assert_eq!(
            resolve("Les Petits Loups – Namur"),
            Resolution::Found(StructureId::from_portal("MA-00102"))
        );
        assert_eq!(
            resolve("Les petits loups - LIEGE"),
            Resolution::Found(StructureId::from_portal("MA-00103"))
        );
    }

    #[test]
    fn ambiguous_names_list_both_with_id_and_city() {
        let Some((m, h)) = texts(resolve("Les Petits Loups")) else {
            panic!()
        };
        assert_eq!(
            m,
            "« Les Petits Loups » names 2 structures: MA-00102 (5000 Namur), MA-00103 (4000 Liège)"
        );
        assert!(h.contains("Les Petits Loups (5000)"), "{h}");
    }

    #[test]
    fn unknown_names_and_ids_get_the_closest() {
        let Some((m, h)) = texts(resolve("Creche Les Lutin")) else {
            panic!()
        };
        assert_eq!(m, "unknown structure \"Creche Les Lutin\"");
        assert_eq!(h, "did you mean « Crèche Les Lutins » (MA-00101, Namur)?");
        let Some((m, h)) = texts(resolve("MA-00104")) else {
            panic!()
        };
        assert!(m.contains("MA-00104"), "{m}");
        assert!(h.starts_with("did you mean MA-0010"), "{h}");
        let Some((m, _)) = texts(resolve("Les Petits Loups (1000)")) else {
            panic!()
        };
        assert_eq!(m, "no structure « Les Petits Loups » in 1000");
    }
}
