//! The `ending` event's memory (cli.md, inputs.md "Dates"): a row's access that ends within
//! `[dates] lookahead_days` is told once per person, end day and items, so a director can
//! extend a replacement before it lapses — not every night, and not again because a line was
//! inserted above the row (the row number is not in the key); a changed `until` is a new end
//! and is told. Each end told is a small record `ending-<key>.json` (0600, written whole),
//! deleted with the journals by retention.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::write_private;

/// One end as the event knows it: who, on which day, which items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct End {
    /// The person: their e-mail (lower case), else the masked NRN.
    pub person: String,
    /// The row's `until` (YYYY-MM-DD).
    pub until: String,
    /// The dossiers (codes) and structures (ids) the row gives, in any order.
    pub items: Vec<String>,
}

impl End {
    /// The key of the end: a hash of the person, the day and the sorted items.
    pub fn key(&self) -> String {
        let mut items = self.items.clone();
        items.sort();
        items.dedup();
        let mut h = Sha256::new();
        h.update(self.person.to_lowercase().as_bytes());
        h.update([0]);
        h.update(self.until.as_bytes());
        for i in &items {
            h.update([0]);
            h.update(i.as_bytes());
        }
        h.finalize()
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// The record of an end told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Told {
    #[serde(flatten)]
    end: End,
    /// When it was told (RFC 3339).
    at: String,
}

pub fn record_path(dir: &Path, end: &End) -> PathBuf {
    dir.join(format!("ending-{}.json", end.key()))
}

/// The ends of `ends` not told yet, in their order (each once).
pub fn untold<'e>(dir: &Path, ends: &'e [End]) -> Vec<&'e End> {
    let mut seen = std::collections::HashSet::new();
    ends.iter()
        .filter(|e| seen.insert(e.key()))
        .filter(|e| !record_path(dir, e).is_file())
        .collect()
}

/// Records the ends as told at `at`; a record that cannot be written is an error.
pub fn tell(dir: &Path, ends: &[&End], at: &str) -> std::io::Result<()> {
    for end in ends {
        let told = Told {
            end: (*end).clone(),
            at: at.to_owned(),
        };
        let body = serde_json::to_string_pretty(&told).map_err(std::io::Error::other)? + "\n";
        write_private(&record_path(dir, end), body.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(person: &str, until: &str, items: &[&str]) -> End {
        End {
            person: person.into(),
            until: until.into(),
            items: items.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn an_end_is_told_once_per_person_day_and_items_and_again_when_its_day_changes() {
        let dir = tempfile::tempdir().unwrap();
        let julie = end("Julie@x.be", "2027-03-31", &["bilans", "MA-00101"]);
        // The same end, its items in another order (another row order in the sheet).
        let same = end("julie@x.be", "2027-03-31", &["MA-00101", "bilans"]);
        let later = end("julie@x.be", "2027-06-30", &["bilans", "MA-00101"]);
        let ends = vec![julie.clone(), same.clone()];
        let due = untold(dir.path(), &ends);
        assert_eq!(due.len(), 1, "the same end twice is told once");
        tell(dir.path(), &due, "2026-12-06T02:30:00.000Z").unwrap();
        assert!(untold(dir.path(), &[same]).is_empty());
        assert_eq!(untold(dir.path(), std::slice::from_ref(&later)).len(), 1);
        let other_items = end("julie@x.be", "2027-03-31", &["bilans"]);
        assert_eq!(
            untold(dir.path(), std::slice::from_ref(&other_items)).len(),
            1
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(record_path(dir.path(), &julie))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
