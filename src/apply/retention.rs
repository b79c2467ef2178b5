//! Retention in the state directory: journals, reports and saved plans (which hold whole NRNs)
//! older than `retention_days` are deleted at the start of an apply. Only files this tool
//! writes are candidates — a journal, report or told end (`ending-`) by its name, a saved plan by its content, a held
//! plan's page, ticket and records by theirs — and only directly in the state directory: the
//! embedded portal's state and the lock stay, and so does every file of a held plan whose
//! actions still wait (pending or approved), however old.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The fingerprint in `<prefix>-<fingerprint>.<ext>`, for a held plan's files and records.
fn held_fingerprint(name: &str) -> Option<&str> {
    let (prefix, rest) = name.split_once('-')?;
    let (fingerprint, ext) = rest.split_once('.')?;
    let ours = (prefix == "held" && ["json", "html", "md"].contains(&ext))
        || (super::lifecycle::Kind::ALL
            .iter()
            .any(|k| k.prefix() == prefix)
            && ext == "json");
    ours.then_some(fingerprint)
}

/// Whether `path` is a file of ours that retention governs (`keep`: fingerprints of held plans
/// that still wait).
fn governed(path: &Path, keep: &HashSet<String>) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if let Some(fingerprint) = held_fingerprint(name) {
        return !keep.contains(fingerprint);
    }
    if name.starts_with("journal-") && name.ends_with(".jsonl") {
        return true;
    }
    if name.starts_with("report-") && (name.ends_with(".md") || name.ends_with(".json")) {
        return true;
    }
    // The `ending` event's records go with the journals (inputs.md "Dates").
    if name.starts_with("ending-") && name.ends_with(".json") {
        return true;
    }
    if name.ends_with(".json") {
        // A saved plan, whatever it was named: `"format": "proone-sync.plan/1"` and `"saved"`
        // near the top.
        let mut head = [0u8; 512];
        let n = std::fs::File::open(path)
            .and_then(|mut f| f.read(&mut head))
            .unwrap_or(0);
        let head = String::from_utf8_lossy(&head[..n]);
        return head.contains("\"proone-sync.plan/") && head.contains("\"saved\": true");
    }
    false
}

/// Deletes what is older than `days` at `now`, but never a file of a held plan in `keep`;
/// returns what was deleted. A missing directory is nothing to do.
pub fn sweep(
    dir: &Path,
    days: u32,
    now: SystemTime,
    keep: &HashSet<String>,
) -> std::io::Result<Vec<PathBuf>> {
    let mut deleted = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(deleted),
        Err(e) => return Err(e),
    };
    let max_age = Duration::from_secs(u64::from(days) * 86_400);
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        let meta = entry.metadata()?;
        if !meta.is_file() || !governed(&path, keep) {
            continue;
        }
        let age = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .unwrap_or_default();
        if age > max_age {
            std::fs::remove_file(&path)?;
            deleted.push(path);
        }
    }
    deleted.sort();
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_old_files_of_ours_go() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let write = |name: &str, body: &str| std::fs::write(d.join(name), body).expect("write");
        write("journal-20260101T000000Z-abc.jsonl", "{}\n");
        write("report-20260101T000000Z-abc.md", "# r\n");
        write("report-20260101T000000Z-abc.json", "{}");
        write("ending-0011223344556677.json", "{}");
        write("run-20260101T000000Z.json", "{}");
        write(
            "approved.json",
            "{\n  \"format\": \"proone-sync.plan/1\",\n  \"saved\": true\n}",
        );
        write("notes.json", "{\"format\": \"something else\"}");
        write("portal.sqlite", "");
        write("apply.lock", "pid 1");
        for name in [
            "held-aaaaaaaaaaaaaaaa.html",
            "held-aaaaaaaaaaaaaaaa.md",
            "rejected-aaaaaaaaaaaaaaaa.json",
            "held-bbbbbbbbbbbbbbbb.md",
            "approved-bbbbbbbbbbbbbbbb.json",
        ] {
            write(name, "x");
        }
        // bbbb… still waits for its approval to be applied.
        let keep: HashSet<String> = ["bbbbbbbbbbbbbbbb".to_owned()].into();
        let now = SystemTime::now();
        // Nothing is old yet.
        assert!(sweep(d, 90, now, &keep).expect("sweep").is_empty());
        // 91 days later every file of ours is old; the others stay.
        let later = now + Duration::from_secs(91 * 86_400);
        let gone: Vec<String> = sweep(d, 90, later, &keep)
            .expect("sweep")
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        assert_eq!(
            gone,
            [
                "approved.json",
                "ending-0011223344556677.json",
                "held-aaaaaaaaaaaaaaaa.html",
                "held-aaaaaaaaaaaaaaaa.md",
                "journal-20260101T000000Z-abc.jsonl",
                "rejected-aaaaaaaaaaaaaaaa.json",
                "report-20260101T000000Z-abc.json",
                "report-20260101T000000Z-abc.md"
            ]
        );
        // Runs are the index the history hangs from: kept.
        for kept in [
            "run-20260101T000000Z.json",
            "notes.json",
            "portal.sqlite",
            "apply.lock",
            "held-bbbbbbbbbbbbbbbb.md",
            "approved-bbbbbbbbbbbbbbbb.json",
        ] {
            assert!(d.join(kept).exists(), "{kept} was deleted");
        }
        assert!(
            sweep(&d.join("missing"), 90, later, &keep)
                .expect("missing dir")
                .is_empty()
        );
    }
}
