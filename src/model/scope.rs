//! The scope of `--prune` (cli.md "Modes"): `listed`, the people the inputs name, or
//! `authoritative`, the inputs are the whole staff list. One value from the configuration and
//! the command line through the plan to the saved plan, its fingerprint and the reports.

/// Written `listed` and `authoritative` in the configuration, JSON, saved plans and the
/// fingerprint.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ScopeMode {
    #[default]
    Listed,
    Authoritative,
}

impl ScopeMode {
    pub const ALL: [ScopeMode; 2] = [ScopeMode::Listed, ScopeMode::Authoritative];

    pub fn code(self) -> &'static str {
        match self {
            ScopeMode::Listed => "listed",
            ScopeMode::Authoritative => "authoritative",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ScopeMode;

    #[test]
    fn its_json_is_its_code() {
        for m in ScopeMode::ALL {
            let json = serde_json::to_string(&m).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", m.code()));
            assert_eq!(serde_json::from_str::<ScopeMode>(&json).ok(), Some(m));
        }
        assert!(serde_json::from_str::<ScopeMode>("\"Authoritative\"").is_err());
    }
}
