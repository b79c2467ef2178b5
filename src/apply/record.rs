//! The one way a record reaches the state directory (cli.md): written whole or not at all — a
//! temporary file in the same folder, synced, then renamed — and 0600; a name that must be new
//! (a journal, a run's record) is taken with create-new. Every writer of the state directory
//! (held plans and their records, runs, reports, saved plans) goes through here.

use std::fs::File;
use std::io::Write;
use std::path::Path;

/// Creates `path` for writing, readable by its owner only, before anything is written in it;
/// an existing file is never opened (`AlreadyExists`): a record is written whole beside it and
/// renamed (`write_private`), a journal gets another name.
pub fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let f = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(f)
}

/// The folder a path is in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// `.<name>.tmp-<pid>-<n>` in the same folder (listings pass over names that start with a dot).
fn temporary_beside(path: &Path) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map_or_else(|| "record".into(), |n| n.to_string_lossy().into_owned());
    folder_of(path).join(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Writes `bytes` as the private file `path` (0600: held plans, records, saved plans, reports),
/// whole or not at all (cli.md): a temporary file in the same folder, synced, then renamed over
/// `path`, and the folder synced. A full disk or a failed write leaves the previous file intact
/// and no temporary behind; a reader never sees half a file.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // A path a person gave that is not a plain file (`--out /dev/stdout`, a symlink they keep):
    // written through, as asked — a rename would replace the link or the device itself.
    if std::fs::symlink_metadata(path).is_ok_and(|m| !m.file_type().is_file()) {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)?;
        return f.write_all(bytes).and_then(|()| f.flush());
    }
    let dir = folder_of(path);
    let tmp = temporary_beside(path);
    let written = create_private(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = renamed {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    // The rename itself made durable (best effort: not every file system syncs a folder).
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Writes `bytes` as the new file `path`, whole, with create-new semantics: a temporary file
/// beside it, synced, then hard-linked to `path` (which fails if `path` exists) — a reader
/// never sees it empty or half written, and a run killed meanwhile leaves no name taken.
pub fn create_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temporary_beside(path);
    let written = create_private(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    let linked = written.and_then(|()| std::fs::hard_link(&tmp, path));
    let _ = std::fs::remove_file(&tmp);
    linked?;
    if let Some(d) = path.parent().and_then(|d| File::open(d).ok()) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// cli.md: a record is written whole or not at all, 0600, and no temporary stays behind.
    #[test]
    fn a_record_is_written_whole_beside_the_old_one_then_renamed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("held-x.json");
        write_private(&path, b"first").unwrap();
        write_private(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["held-x.json"]);
        // A folder that cannot take the new file: an error, the old file intact.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o500)).unwrap();
        let refused = write_private(&path, b"third");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        if !nix::unistd::geteuid().is_root() {
            assert!(refused.is_err());
        }
        if refused.is_err() {
            assert_eq!(std::fs::read(&path).unwrap(), b"second");
        }
        // A journal name is never reused: create-new.
        assert_eq!(
            create_private(&path).unwrap_err().kind(),
            std::io::ErrorKind::AlreadyExists
        );
    }
}
