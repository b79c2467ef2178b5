//! cli.md's rule for the commands a config file makes the job run (`[notify] command`,
//! `[review] send`): honoured only from a file the caller or root owns that only its owner may
//! write, in a folder of the same kind.

use std::path::Path;

use super::{Checker, Config, ConfigError, Issue};

/// cli.md: a command the config makes the job run is honoured only from a file owned by the
/// caller or by root and writable by its owner alone — a `proone-sync.toml` dropped in a shared
/// folder (mode 0666) must not run a shell as the service's user.
pub(super) fn trusted_to_run(
    config: &Config,
    text: &str,
    shown: &str,
    meta: &std::fs::Metadata,
) -> Result<(), ConfigError> {
    let mut commands = Vec::new();
    if let Some(n) = &config.notify {
        commands.push(("notify.command", n.command_span.clone()));
    }
    if config.review.send.is_some() {
        commands.push(("review.send", config.review.send_span.clone()));
    }
    for (key, span) in commands {
        trusted_command(key, span, text, shown, meta)?;
    }
    Ok(())
}

/// One command of the config (`key`, where the file says it) against the ownership rule.
fn trusted_command(
    key: &str,
    span: std::ops::Range<usize>,
    text: &str,
    shown: &str,
    meta: &std::fs::Metadata,
) -> Result<(), ConfigError> {
    use std::os::unix::fs::MetadataExt;
    let caller = nix::unistd::geteuid().as_raw();
    let safe = |m: &std::fs::Metadata| (m.uid() == caller || m.uid() == 0) && m.mode() & 0o022 == 0;
    let owner_of = |m: &std::fs::Metadata| {
        nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(m.uid()))
            .ok()
            .flatten()
            .map_or_else(|| m.uid().to_string(), |u| u.name)
    };
    let check = Checker {
        text,
        shown: shown.to_owned(),
    };
    let key = key.to_owned();
    if !safe(meta) {
        return Err(check.invalid(
            span,
            Issue::UnsafeCommand {
                key,
                owner: owner_of(meta),
                mode: meta.mode() & 0o7777,
            },
        ));
    }
    // The command runs in the file's folder: a folder others may write could hold the script
    // it names (`sh ./notify.sh`), or a file put in place of the config.
    let folder = Path::new(shown)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if let Ok(fm) = std::fs::metadata(folder)
        && !safe(&fm)
    {
        return Err(check.invalid(
            span,
            Issue::UnsafeFolder {
                key,
                folder: folder.display().to_string(),
                owner: owner_of(&fm),
                mode: fm.mode() & 0o7777,
            },
        ));
    }
    Ok(())
}
