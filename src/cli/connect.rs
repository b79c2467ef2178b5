//! Reaching the portal for a command: the configured one (URL + token from the environment), or
//! the embedded default — the built-in emulator started in-process on a loopback port from the
//! config's seed, its state in the state directory.

use crate::config::Config;
use crate::emulator::{EmulatorConfig, RunningEmulator};
use crate::model::CalendarDate;
use crate::portal::{ClientSettings, PortalClient, PortalError};

use super::{Exit, PortalArgs, Settings};

/// A runtime for the portal calls: two workers (the machines this runs on are small).
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

/// The portal a command needs, and the runtime to talk to it; `Err` is the exit of a command
/// that cannot go on without it (its reason printed). `what` says what the portal is for.
pub fn open(
    args: &PortalArgs,
    settings: &Settings,
    what: &str,
) -> Result<(Connection, tokio::runtime::Runtime), Exit> {
    if !configured(args, &settings.config) {
        return Err(settings.fail(
            crate::msg!("no-portal", why = what),
            crate::msg!("no-portal-hint"),
        ));
    }
    let conn = connect(args, &settings.config, settings.input.today)
        .map_err(|e| settings.fail_portal(&e))?;
    let runtime = runtime()
        .map_err(|e| settings.fail(crate::msg!("no-runtime", error = e.to_string()), ""))?;
    Ok((conn, runtime))
}

/// A client, and the emulator it talks to when it is the embedded one (kept alive with it).
pub struct Connection {
    /// Shared with the tasks of an apply and its signal handler.
    pub client: std::sync::Arc<PortalClient>,
    /// Which portal this is, as a saved plan records it: the base URL, or
    /// `embedded:<state file>` for the built-in one (its port changes every run).
    pub portal: String,
    /// Kept alive as long as the client talks to it.
    _emulator: Option<RunningEmulator>,
}

/// Whether a portal is configured at all (a URL, or the embedded emulator).
pub fn configured(args: &PortalArgs, config: &Config) -> bool {
    args.url(config).is_some() || config.portal.embedded.is_some()
}

pub fn connect(
    args: &PortalArgs,
    config: &Config,
    today: CalendarDate,
) -> Result<Connection, PortalError> {
    // A URL given on the command line or in the environment beats the embedded default.
    if let (None, Some(e)) = (&args.portal_url, &config.portal.embedded) {
        if let Some(dir) = e.state.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|err| PortalError::Client(format!("{}: {err}", dir.display())))?;
        }
        let mut c = EmulatorConfig::local(&e.seed);
        c.state = Some(e.state.clone());
        c.today = today;
        let emulator = RunningEmulator::start(c)
            .map_err(|err| PortalError::Client(format!("embedded portal: {err}")))?;
        let mut settings: ClientSettings =
            args.client_settings_with(config, emulator.base_url(), e.token.clone())?;
        // In-process and loopback: no reason to hold back.
        if args.rate_limit.is_none() && config.portal.rate_limit.is_none() {
            settings.rate_limit = None;
        }
        let client = PortalClient::new(settings)?;
        return Ok(Connection {
            client: std::sync::Arc::new(client),
            portal: format!("embedded:{}", e.state.display()),
            _emulator: Some(emulator),
        });
    }
    let client = PortalClient::new(args.client_settings(config)?)?;
    Ok(Connection {
        portal: client.base_url().to_owned(),
        client: std::sync::Arc::new(client),
        _emulator: None,
    })
}
