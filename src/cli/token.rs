//! Where the API token comes from (cli.md): the environment variable named by `--token-env` /
//! `token_env` (default `PROONE_TOKEN`), else `[portal] token_file`, else systemd's credential
//! `$CREDENTIALS_DIRECTORY/proone-token` (`LoadCredential=` in the unit). Never a flag's value,
//! never printed. A token file that group or others may read is refused, as ssh refuses a key.

use std::path::Path;

use crate::portal::PortalError;

/// The systemd credential's name.
pub const CREDENTIAL: &str = "proone-token";

pub fn read(var: &str, token_file: Option<&Path>) -> Result<String, PortalError> {
    if let Ok(t) = std::env::var(var)
        && !t.trim().is_empty()
    {
        return Ok(t.trim().to_owned());
    }
    if let Some(path) = token_file {
        return from_file(path, true);
    }
    if let Some(dir) = std::env::var_os("CREDENTIALS_DIRECTORY") {
        let path = Path::new(&dir).join(CREDENTIAL);
        if path.exists() {
            // systemd made it readable by the service alone.
            return from_file(&path, false);
        }
    }
    Err(PortalError::NoToken {
        var: var.to_owned(),
    })
}

fn from_file(path: &Path, check_mode: bool) -> Result<String, PortalError> {
    let bad = |why: String| PortalError::TokenFile {
        path: path.display().to_string(),
        why,
    };
    #[cfg(unix)]
    if check_mode {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| bad(e.to_string()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(bad(crate::t!(
                "token-mode",
                mode = format!("{:o}", mode & 0o777)
            )));
        }
    }
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(bad(crate::t!("token-empty")));
    }
    Ok(token.to_owned())
}
