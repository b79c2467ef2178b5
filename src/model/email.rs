//! E-mail addresses: trimmed, NFC, syntax-checked; identity is case-insensitive (the portal
//! treats `Marie.Dupont@x.be` and `marie.dupont@x.be` as one address).

use std::fmt;
use std::hash::{Hash, Hasher};

use unicode_normalization::UnicodeNormalization;

#[derive(Clone)]
pub struct Email {
    shown: String,
    key: String,
}

/// Why a text is not an e-mail address (its sentence: `report::messages`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EmailError {
    NoAt,
    SeveralAt,
    EmptyLocal,
    BadDomain(String),
    BadCharacter(char),
    TooLong,
}

impl Email {
    pub fn parse(s: &str) -> Result<Email, EmailError> {
        let t = s.trim();
        let shown: String = if t.is_ascii() {
            t.to_owned()
        } else {
            t.nfc().collect()
        };
        // Excel turns typed addresses into links; a pasted "mailto:" is a common leftover.
        let shown = match shown.get(..7) {
            Some(p) if p.eq_ignore_ascii_case("mailto:") => shown[7..].to_owned(),
            _ => shown,
        };
        if shown.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let forbidden = |c: char| {
            c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    '<' | '>' | '(' | ')' | '[' | ']' | '\\' | ',' | ';' | ':' | '"'
                )
        };
        if let Some(c) = shown.chars().find(|c| forbidden(*c)) {
            return Err(EmailError::BadCharacter(c));
        }
        let mut parts = shown.split('@');
        let (local, domain) = match (parts.next(), parts.next(), parts.next()) {
            (Some(l), Some(d), None) => (l, d),
            (_, None, _) => return Err(EmailError::NoAt),
            _ => return Err(EmailError::SeveralAt),
        };
        if local.is_empty() {
            return Err(EmailError::EmptyLocal);
        }
        if local.len() > 64
            || local.starts_with('.')
            || local.ends_with('.')
            || local.contains("..")
        {
            return Err(EmailError::BadCharacter('.'));
        }
        let labels: Vec<&str> = domain.split('.').collect();
        let label_ok = |l: &&str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        };
        if labels.len() < 2 || !labels.iter().all(label_ok) {
            return Err(EmailError::BadDomain(domain.to_owned()));
        }
        let key = if shown.is_ascii() {
            shown.to_ascii_lowercase()
        } else {
            shown.to_lowercase()
        };
        Ok(Email { shown, key })
    }

    /// As written (trimmed, NFC).
    pub fn as_str(&self) -> &str {
        &self.shown
    }

    /// The case-insensitive identity.
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl PartialEq for Email {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for Email {}
impl Hash for Email {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}
impl PartialOrd for Email {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Email {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}
impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.shown)
    }
}
impl serde::Serialize for Email {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_addresses_and_compares_case_insensitively() {
        let a = Email::parse("  Marie.Dupont@Example.be ").unwrap();
        let b = Email::parse("marie.dupont@example.be").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "Marie.Dupont@Example.be");
        assert!(Email::parse("jean-luc+pro@creche-les-lutins.namur.be").is_ok());
        assert!(Email::parse("élodie.müller@crèche.be").is_ok());
        assert_eq!(Email::parse("mailto:a@b.be").unwrap().as_str(), "a@b.be");
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        assert_eq!(Email::parse("marie.dupont").unwrap_err(), EmailError::NoAt);
        assert_eq!(Email::parse("a@b@c.be").unwrap_err(), EmailError::SeveralAt);
        assert_eq!(Email::parse("@c.be").unwrap_err(), EmailError::EmptyLocal);
        assert!(matches!(
            Email::parse("a@localhost"),
            Err(EmailError::BadDomain(_))
        ));
        assert!(matches!(
            Email::parse("a@b..be"),
            Err(EmailError::BadDomain(_))
        ));
        assert_eq!(
            Email::parse("marie dupont@x.be").unwrap_err(),
            EmailError::BadCharacter(' ')
        );
        assert!(Email::parse("a;b@x.be").is_err());
    }
}
