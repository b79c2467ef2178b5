//! Structures (« milieux d'accueil »): their ids, and the references people write for them in a
//! spreadsheet — an id (`MA-00412`, any case), a name, « name (postal code) » or « name – city ».
//! Resolving a name against the organisation's structures needs the portal, so it lives with the
//! portal client; here a reference is only parsed.

use std::fmt;

/// A structure id as the portal spells it (`MA-00412`). Shared (`Arc`): tens of thousands of
/// people hold a few each, and the plan copies them into actions and reports.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StructureId(std::sync::Arc<str>);

impl serde::Serialize for StructureId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl StructureId {
    /// Recognises the id shape: letters, a dash, digits (`MA-00412`, `ma-412`). Upper-cased.
    pub fn recognise(s: &str) -> Option<StructureId> {
        let t = s.trim();
        let (prefix, digits) = t.split_once('-')?;
        let ok = !prefix.is_empty()
            && prefix.len() <= 4
            && prefix.chars().all(|c| c.is_ascii_alphabetic())
            && !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit());
        ok.then(|| StructureId(t.to_ascii_uppercase().into()))
    }

    /// An id as the portal sent it, taken as is.
    pub fn from_portal(s: impl Into<String>) -> StructureId {
        StructureId(s.into().into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StructureId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a spreadsheet cell names a structure.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StructureRef {
    Id(StructureId),
    /// A name, optionally narrowed by postal code or city (names are not unique).
    Name {
        name: String,
        postal_code: Option<String>,
        city: Option<String>,
    },
}

impl StructureRef {
    pub fn parse(s: &str) -> Option<StructureRef> {
        let t = super::text::clean(s);
        if t.is_empty() {
            return None;
        }
        if let Some(id) = StructureId::recognise(&t) {
            return Some(StructureRef::Id(id));
        }
        // « Les Petits Loups (5000) »
        if let Some(open) = t.rfind('(')
            && t.ends_with(')')
        {
            let inside = t[open + 1..t.len() - 1].trim();
            let name = t[..open].trim();
            if !name.is_empty() && inside.len() == 4 && inside.chars().all(|c| c.is_ascii_digit()) {
                return Some(StructureRef::Name {
                    name: name.to_owned(),
                    postal_code: Some(inside.to_owned()),
                    city: None,
                });
            }
            if !name.is_empty() && !inside.is_empty() {
                return Some(StructureRef::Name {
                    name: name.to_owned(),
                    postal_code: None,
                    city: Some(inside.to_owned()),
                });
            }
        }
        // « Les Petits Loups – Namur » (en dash, em dash, or a spaced hyphen)
        for sep in [" – ", " — ", " - "] {
            if let Some((name, city)) = t.rsplit_once(sep) {
                let (name, city) = (name.trim(), city.trim());
                if !name.is_empty() && !city.is_empty() {
                    return Some(StructureRef::Name {
                        name: name.to_owned(),
                        postal_code: None,
                        city: Some(city.to_owned()),
                    });
                }
            }
        }
        Some(StructureRef::Name {
            name: t,
            postal_code: None,
            city: None,
        })
    }
}

impl fmt::Display for StructureRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StructureRef::Id(id) => write!(f, "{id}"),
            StructureRef::Name {
                name,
                postal_code: Some(pc),
                ..
            } => write!(f, "{name} ({pc})"),
            StructureRef::Name {
                name,
                city: Some(city),
                ..
            } => write!(f, "{name} – {city}"),
            StructureRef::Name { name, .. } => f.write_str(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(n: &str, pc: Option<&str>, city: Option<&str>) -> StructureRef {
        StructureRef::Name {
            name: n.into(),
            postal_code: pc.map(Into::into),
            city: city.map(Into::into),
        }
    }

    #[test]
    fn ids_in_any_case() {
        assert_eq!(
            StructureRef::parse(" ma-00412 "),
            Some(StructureRef::Id(
                StructureId::recognise("MA-00412").unwrap()
            ))
        );
        assert_eq!(
            StructureId::recognise("ma-00412").unwrap().as_str(),
            "MA-00412"
        );
        assert_eq!(StructureId::recognise("Crèche-Les"), None);
    }

    #[test]
    fn names_with_postal_code_or_city() {
        assert_eq!(
            StructureRef::parse("Les Petits Loups (5000)"),
            Some(name("Les Petits Loups", Some("5000"), None))
        );
        assert_eq!(
            StructureRef::parse("Les Petits Loups – Namur"),
            Some(name("Les Petits Loups", None, Some("Namur")))
        );
        assert_eq!(
            StructureRef::parse("Les Petits Loups - Liège"),
            Some(name("Les Petits Loups", None, Some("Liège")))
        );
        assert_eq!(
            StructureRef::parse("Crèche  Les Lutins"),
            Some(name("Crèche Les Lutins", None, None))
        );
        assert_eq!(StructureRef::parse("   "), None);
    }
}

/// A structure of the organisation as the portal describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructureInfo {
    pub id: StructureId,
    pub name: String,
    pub postal_code: String,
    pub city: String,
}

impl fmt::Display for StructureInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} « {} » ({} {})",
            self.id, self.name, self.postal_code, self.city
        )
    }
}
