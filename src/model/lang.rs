//! The languages a person may read the tool in, and how a locale names one. A leaf value: the
//! configuration parses it, the CLI chooses it, the report renders in it; none of them owns it.

/// The languages of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// `fr`, `fr_BE.UTF-8`, `fr-BE` → French; `en…` → English; anything else: none.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("fr") {
            Some(Lang::Fr)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// cli.md's rule for the environment: the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is
    /// set and not empty decides; French when it starts with `fr`, English otherwise.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| get(k))
            .find(|v| !v.trim().is_empty())
            .map_or(Lang::En, |v| {
                if v.trim().to_ascii_lowercase().starts_with("fr") {
                    Lang::Fr
                } else {
                    Lang::En
                }
            })
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_name_a_language() {
        assert_eq!(
            Lang::from_env(|k| (k == "LANG").then(|| "fr_BE.UTF-8".to_owned())),
            Lang::Fr
        );
        assert_eq!(
            Lang::from_env(|k| match k {
                "LC_ALL" => Some(String::new()),
                "LC_MESSAGES" => Some("en_GB".into()),
                _ => Some("fr_BE".into()),
            }),
            Lang::En
        );
        assert_eq!(Lang::from_env(|_| None), Lang::En);
        assert_eq!(
            Lang::from_env(|k| (k == "LANG").then(|| "C.UTF-8".to_owned())),
            Lang::En
        );
        assert_eq!(Lang::parse(" FR-be"), Some(Lang::Fr));
        assert_eq!(Lang::parse("nl"), None);
    }
}
