//! The TOML configuration file: what it may say, loading it with located errors, and paths
//! made relative to the file. Flags beat environment, which beats this file (merged in `cli`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::input::Field;

/// The file as written. Unknown keys are refused, so a typo is an error, not a silent default.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Input files or folders, relative to the config file.
    #[serde(default)]
    pub inputs: Vec<PathBuf>,
    #[serde(default)]
    pub input: InputSection,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputSection {
    /// Sheets to read (hidden ones included); default: every visible sheet.
    #[serde(default)]
    pub sheets: Vec<String>,
    /// Extra header aliases per field: `email = ["Adresse professionnelle"]`.
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
}

/// A loaded config: the file's content with paths resolved, and where it came from.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub inputs: Vec<PathBuf>,
    pub sheets: Vec<String>,
    pub aliases: Vec<(Field, String)>,
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("{path}: cannot read it: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// `explicit` from `--config`; otherwise `proone-sync.toml` in the working directory if present.
pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let default = PathBuf::from("proone-sync.toml");
            if !default.is_file() {
                return Ok(Config::default());
            }
            default
        }
    };
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
        path: shown.clone(),
        source,
    })?;
    parse(&text, &path)
}

pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let shown = path.display().to_string();
    let file: ConfigFile = toml::from_str(text).map_err(|e| ConfigError::Invalid {
        path: shown.clone(),
        message: located(text, &e),
    })?;
    let base = path.parent().unwrap_or(Path::new(""));
    let mut aliases = Vec::new();
    for (key, list) in &file.input.aliases {
        let field = Field::from_config_key(key).ok_or_else(|| ConfigError::Invalid {
            path: shown.clone(),
            message: format!(
                "[input.aliases] {key:?} is not a field; the fields are {}",
                Field::NAMED.map(Field::config_key).join(", ")
            ),
        })?;
        aliases.extend(list.iter().map(|a| (field, a.clone())));
    }
    Ok(Config {
        path: Some(path.to_path_buf()),
        inputs: file.inputs.iter().map(|p| base.join(p)).collect(),
        sheets: file.input.sheets,
        aliases,
    })
}

/// `line 12: <toml's message>`: toml reports a byte span; people want a line.
fn located(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim_end().to_owned();
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {message}")
        }
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_config_file() {
        let c = parse(
            "inputs = [\"staff.xlsx\"]\n",
            Path::new("/etc/proone/sync.toml"),
        )
        .unwrap();
        assert_eq!(c.inputs, vec![PathBuf::from("/etc/proone/staff.xlsx")]);
    }

    #[test]
    fn aliases_and_sheets() {
        let c = parse(
            "[input]\nsheets = [\"Personnel\"]\n[input.aliases]\nemail = [\"Adresse pro\"]\n",
            Path::new("c.toml"),
        )
        .unwrap();
        assert_eq!(c.sheets, vec!["Personnel".to_owned()]);
        assert_eq!(c.aliases, vec![(Field::Email, "Adresse pro".to_owned())]);
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let e = parse(
            "inputs = []\n\n[input]\nsheets = 3\n",
            Path::new("config/example.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("config/example.toml: line 4:"), "{e}");
        let e = parse("[input]\nshets = []\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2") && e.contains("shets"), "{e}");
        let e = parse("[input.aliases]\nmail = [\"x\"]\n", Path::new("c.toml")).unwrap_err();
        assert!(e.to_string().contains("\"mail\" is not a field"), "{e}");
    }
}
