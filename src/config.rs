//! The TOML configuration file: what it may say, loading it with located errors, and paths
//! made relative to the file. Flags beat environment, which beats this file (merged in `cli`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::input::Field;

mod error;
mod review;
mod trust;
pub use error::{ConfigError, Issue};
pub use review::{DEFAULT_DUE_DAYS, ReviewConfig, Reviewer};

/// The file as written. Unknown keys are refused, so a typo is an error, not a silent default.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Input files or folders, relative to the config file.
    #[serde(default)]
    pub inputs: Vec<PathBuf>,
    #[serde(default)]
    pub input: InputSection,
    #[serde(default)]
    pub portal: PortalSection,
    /// Journal, reports, lock, saved plans; default `.proone-sync/` beside this file.
    pub state_dir: Option<PathBuf>,
    /// Journals, reports and saved plans in the state directory older than this are deleted
    /// at the start of an apply (default 90).
    pub retention_days: Option<toml::Spanned<i64>>,
    /// Guard: more revocations than this stop the run before any write (default 25).
    pub max_revocations: Option<toml::Spanned<i64>>,
    /// Guard: more creations than this stop the run before any write (default 250).
    pub max_creations: Option<toml::Spanned<i64>>,
    /// A pending held plan is notified again every this many days (default 3).
    pub remind_days: Option<toml::Spanned<i64>>,
    /// `"fr"` or `"en"`: the language of every sentence for people (else the locale).
    pub language: Option<toml::Spanned<String>>,
    /// What `--prune` does, without the flag (a nightly unit prunes so).
    #[serde(default)]
    pub prune: bool,
    #[serde(default)]
    pub scope: ScopeSection,
    /// Prometheus text file written after every apply (node_exporter's textfile collector).
    pub metrics_file: Option<PathBuf>,
    #[serde(default)]
    pub guards: GuardsSection,
    #[serde(default)]
    pub notify: NotifySection,
    #[serde(default)]
    pub dates: DatesSection,
    #[serde(default)]
    pub history: HistorySection,
    #[serde(default)]
    pub review: review::ReviewSection,
}

/// `[history]`: the history store (evidence.md "The history store").
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistorySection {
    /// An access that ended more than this many days ago is forgotten (default 730).
    pub keep_days: Option<toml::Spanned<i64>>,
}

/// `[dates]`: rows with a start and an end (inputs.md "Dates").
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatesSection {
    /// The reports' upcoming and ending-soon window, and the `ending` event's (default 14).
    pub lookahead_days: Option<toml::Spanned<i64>>,
    /// How long after its `until` an ended row still revokes what it gave (default 30).
    pub end_window_days: Option<toml::Spanned<i64>>,
}

/// `[dates]` after validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dates {
    pub lookahead_days: u32,
    pub end_window_days: u32,
}

pub const DEFAULT_LOOKAHEAD_DAYS: u32 = 14;
pub const DEFAULT_END_WINDOW_DAYS: u32 = 30;

impl Default for Dates {
    fn default() -> Dates {
        Dates {
            lookahead_days: DEFAULT_LOOKAHEAD_DAYS,
            end_window_days: DEFAULT_END_WINDOW_DAYS,
        }
    }
}

/// `[scope]`: the scope of `--prune` (cli.md "Modes").
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeSection {
    /// `"listed"` (default) or `"authoritative"`.
    pub mode: Option<toml::Spanned<String>>,
    /// Profiles never taken for leavers (default `["administrateur"]`): portal-api.md's codes.
    pub keep_profiles: Option<Vec<toml::Spanned<String>>>,
    /// User ids or e-mails never taken for leavers.
    #[serde(default)]
    pub keep: Vec<String>,
}

pub use crate::model::ScopeMode;

/// `--scope listed|authoritative`: the values clap accepts are the mode's codes.
impl clap::ValueEnum for ScopeMode {
    fn value_variants<'a>() -> &'a [Self] {
        &ScopeMode::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.code()))
    }
}

/// `[guards]`: what a tripped guard does in `apply`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardsSection {
    /// `"hold"` (default): apply the rest, hold the tripped kind for approval; `"stop"`.
    pub on_trip: Option<toml::Spanned<String>>,
}

/// `[notify]`: a command told about a run that raised one of `on`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifySection {
    /// Run with `sh -c`, the run's Markdown report on stdin.
    pub command: Option<toml::Spanned<String>>,
    /// Events that run it (default `["held", "failed", "error"]`).
    pub on: Option<Vec<toml::Spanned<String>>>,
}

/// `[notify]` after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifyConfig {
    pub command: String,
    pub on: Vec<String>,
    /// Where the file says the command, for the ownership refusal.
    pub command_span: std::ops::Range<usize>,
}

/// The events a run raises (cli.md "Notification and monitoring").
pub const NOTIFY_EVENTS: [&str; 8] = [
    "held",
    "failed",
    "error",
    "invalid-rows",
    "changes",
    "ending",
    "drift",
    "review-overdue",
];
pub const DEFAULT_NOTIFY_ON: [&str; 3] = ["held", "failed", "error"];

/// `[portal]`: where the portal is and how hard to push it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortalSection {
    /// Base URL, e.g. `https://portal.example/api/v1` (env PROONE_URL, flag --portal-url).
    pub url: Option<String>,
    /// The environment variable holding the API token (default PROONE_TOKEN).
    pub token_env: Option<String>,
    /// A file holding the token, readable by its owner only (relative to this file).
    pub token_file: Option<PathBuf>,
    /// Requests per second; 0: no client-side limit.
    pub rate_limit: Option<toml::Spanned<f64>>,
    pub burst: Option<toml::Spanned<i64>>,
    pub concurrency: Option<toml::Spanned<i64>>,
    pub timeout_secs: Option<toml::Spanned<f64>>,
    /// Tries per call, the first included.
    pub max_attempts: Option<toml::Spanned<i64>>,
    /// A PEM bundle of CAs trusted besides the system's (relative to this file).
    pub ca_file: Option<PathBuf>,
    /// The largest answer read, in MiB (default 64): past it the answer is the portal's fault.
    pub max_body_mib: Option<toml::Spanned<i64>>,
    /// The embedded default: the built-in emulator as the portal, started in-process.
    pub emulator: Option<EmulatorSection>,
}

/// `[portal.emulator]`: run the job against the built-in emulator (a demo, a rehearsal).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmulatorSection {
    /// Seed JSON, relative to this file.
    pub seed: PathBuf,
    /// SQLite state file, relative to the state directory (default `portal.sqlite`).
    pub state: Option<PathBuf>,
    /// The seed's token to act with (a demo token, not a secret).
    pub token: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputSection {
    /// Sheets to read (hidden ones included); default: every visible sheet.
    #[serde(default)]
    pub sheets: Vec<String>,
    /// Extra header aliases per field: `email = ["Adresse professionnelle"]`.
    #[serde(default)]
    pub aliases: BTreeMap<toml::Spanned<String>, Vec<String>>,
}

/// A loaded config: the file's content with paths resolved and values checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub inputs: Vec<PathBuf>,
    pub sheets: Vec<String>,
    pub aliases: Vec<(Field, String)>,
    pub portal: PortalConfig,
    /// Where journals, reports, saved plans and the embedded portal's state go.
    pub state_dir: PathBuf,
    pub retention_days: u32,
    pub max_revocations: usize,
    pub max_creations: usize,
    pub on_trip: crate::plan::OnTrip,
    pub remind_days: u32,
    pub dates: Dates,
    /// `[history] keep_days`.
    pub history_keep_days: u32,
    pub metrics_file: Option<PathBuf>,
    pub notify: Option<NotifyConfig>,
    pub language: Option<crate::model::Lang>,
    /// `prune = true`: prune without the flag.
    pub prune: bool,
    /// `[scope]` as the plan takes it.
    pub scope: crate::plan::Scope,
    /// `[review]`: access review campaigns.
    pub review: ReviewConfig,
}

pub const DEFAULT_REMIND_DAYS: u32 = 3;
/// One try's time (answer included): a portal that answers in 8 s is never cut off, and a hung
/// one is told after `portal::NO_ANSWER_TRIES` of them (cli.md: within 3 minutes).
pub const DEFAULT_TIMEOUT_SECS: f64 = 20.0;
pub const DEFAULT_RETENTION_DAYS: u32 = 90;
pub const DEFAULT_MAX_REVOCATIONS: usize = 25;
pub const DEFAULT_MAX_CREATIONS: usize = 250;

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            inputs: Vec::new(),
            sheets: Vec::new(),
            aliases: Vec::new(),
            portal: PortalConfig::default(),
            state_dir: PathBuf::from(".proone-sync"),
            retention_days: DEFAULT_RETENTION_DAYS,
            max_revocations: DEFAULT_MAX_REVOCATIONS,
            max_creations: DEFAULT_MAX_CREATIONS,
            on_trip: crate::plan::OnTrip::Hold,
            remind_days: DEFAULT_REMIND_DAYS,
            dates: Dates::default(),
            history_keep_days: crate::history::DEFAULT_KEEP_DAYS,
            metrics_file: None,
            notify: None,
            language: None,
            prune: false,
            scope: crate::plan::Scope::default(),
            review: ReviewConfig::default(),
        }
    }
}

/// The embedded portal, paths resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbeddedPortal {
    pub seed: PathBuf,
    pub state: PathBuf,
    pub token: String,
}

/// `[portal]` after validation; `None`: not said in the file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PortalConfig {
    pub url: Option<String>,
    pub token_env: Option<String>,
    pub rate_limit: Option<f64>,
    pub burst: Option<u32>,
    pub concurrency: Option<usize>,
    pub timeout_secs: Option<f64>,
    pub max_attempts: Option<u32>,
    pub max_body_mib: Option<u64>,
    /// A file holding the token (when the environment has none).
    pub token_file: Option<PathBuf>,
    /// A PEM bundle of CAs trusted besides the system's.
    pub ca_file: Option<PathBuf>,
    pub embedded: Option<EmbeddedPortal>,
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
    let read = |source| ConfigError::Read {
        path: shown.clone(),
        source,
    };
    // The owner and mode of the very file read (one handle: no swap between check and read).
    let mut file = std::fs::File::open(&path).map_err(read)?;
    let meta = file.metadata().map_err(read)?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut file, &mut text).map_err(read)?;
    let config = parse(&text, &path)?;
    trust::trusted_to_run(&config, &text, &shown, &meta)?;
    Ok(config)
}

/// `config/../fixtures/x` → `fixtures/x`: paths are shown to people in every problem.
fn tidy(path: PathBuf) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// The bounds a value has wherever it comes from — the config file or a flag: one check for
/// both, so a flag cannot mean what the file refuses.
pub mod limits {
    /// Calls in flight at once.
    pub const CONCURRENCY: (i64, i64) = (1, 256);

    /// Requests per second; 0 means no client-side limit.
    pub fn rate_limit(v: f64) -> Result<f64, String> {
        if v >= 0.0 && v.is_finite() {
            Ok(v)
        } else {
            Err("must be a number of requests per second, 0 or more".into())
        }
    }

    /// A whole number in `bounds`.
    pub fn whole(v: i64, bounds: (i64, i64)) -> Result<i64, String> {
        if (bounds.0..=bounds.1).contains(&v) {
            Ok(v)
        } else {
            Err(format!(
                "must be a whole number from {} to {}",
                bounds.0, bounds.1
            ))
        }
    }
}

/// `[dates]` and `[history]`: their windows, each within its range.
fn dates_and_history(file: &ConfigFile, check: &Checker<'_>) -> Result<(Dates, u32), ConfigError> {
    let dates = Dates {
        lookahead_days: check
            .whole(&file.dates.lookahead_days, "dates.lookahead_days", 0, 366)?
            .map_or(DEFAULT_LOOKAHEAD_DAYS, |v| v as u32),
        end_window_days: check
            .whole(
                &file.dates.end_window_days,
                "dates.end_window_days",
                0,
                3_660,
            )?
            .map_or(DEFAULT_END_WINDOW_DAYS, |v| v as u32),
    };
    let history_keep_days = check
        .whole(&file.history.keep_days, "history.keep_days", 1, 36_500)?
        .map_or(crate::history::DEFAULT_KEEP_DAYS, |v| v as u32);
    Ok((dates, history_keep_days))
}

pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let shown = path.display().to_string();
    let file: ConfigFile = toml::from_str(text).map_err(|e| ConfigError::Invalid {
        path: shown.clone(),
        line: e
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1),
        issue: Issue::Toml(e.message().trim_end().to_owned()),
    })?;
    let check = Checker { text, shown };
    let base = path.parent().unwrap_or(Path::new(""));
    let aliases = aliases(&file, &check)?;
    let state_dir = tidy(
        base.join(
            file.state_dir
                .clone()
                .unwrap_or_else(|| PathBuf::from(".proone-sync")),
        ),
    );
    let portal = portal(&file.portal, &check, base, &state_dir)?;
    let retention_days = check
        .whole(&file.retention_days, "retention_days", 1, 36_500)?
        .map_or(DEFAULT_RETENTION_DAYS, |v| v as u32);
    let max_revocations = check
        .whole(&file.max_revocations, "max_revocations", 0, 10_000_000)?
        .map_or(DEFAULT_MAX_REVOCATIONS, |v| v as usize);
    let max_creations = check
        .whole(&file.max_creations, "max_creations", 0, 10_000_000)?
        .map_or(DEFAULT_MAX_CREATIONS, |v| v as usize);
    let remind_days = check
        .whole(&file.remind_days, "remind_days", 1, 36_500)?
        .map_or(DEFAULT_REMIND_DAYS, |v| v as u32);
    let (dates, history_keep_days) = dates_and_history(&file, &check)?;
    let notify = notify(&file.notify, &check)?;
    let review = review::review(&file.review, &check)?;
    use crate::model::Lang;
    let language = check.one_of(file.language.as_ref(), "language", &Lang::ALL, |l| l.code())?;
    let mode = check.one_of(
        file.scope.mode.as_ref(),
        "scope.mode",
        &ScopeMode::ALL,
        |m| m.code(),
    )?;
    let mut scope = crate::plan::Scope {
        mode: mode.unwrap_or_default(),
        keep: file.scope.keep.clone(),
        ..crate::plan::Scope::default()
    };
    if let Some(list) = &file.scope.keep_profiles {
        use crate::model::Profile;
        scope.keep_profiles = list
            .iter()
            .map(|p| {
                check
                    .one_of(Some(p), "scope.keep_profiles", &Profile::ALL, |p| p.code())
                    .map(|p| p.unwrap_or(Profile::Administrateur))
            })
            .collect::<Result<_, _>>()?;
    }
    use crate::plan::OnTrip;
    let on_trip = check.one_of(
        file.guards.on_trip.as_ref(),
        "guards.on_trip",
        &[OnTrip::Hold, OnTrip::Stop],
        |o| match o {
            OnTrip::Hold => "hold",
            OnTrip::Stop => "stop",
        },
    )?;
    Ok(Config {
        review,
        language,
        prune: file.prune,
        scope,
        on_trip: on_trip.unwrap_or_default(),
        remind_days,
        dates,
        history_keep_days,
        metrics_file: file.metrics_file.as_ref().map(|f| tidy(base.join(f))),
        notify,
        retention_days,
        max_revocations,
        max_creations,
        path: Some(path.to_path_buf()),
        inputs: file.inputs.iter().map(|p| tidy(base.join(p))).collect(),
        sheets: file.input.sheets,
        aliases,
        portal,
        state_dir,
    })
}

/// Checks of values against the file's text, so a refusal names its line.
struct Checker<'t> {
    text: &'t str,
    shown: String,
}

impl Checker<'_> {
    /// A value of a closed set, exactly as `code` writes one (no case folding: a profile typed
    /// `Administrateur` is refused with the accepted values, never read as protecting nobody).
    fn one_of<T: Copy>(
        &self,
        v: Option<&toml::Spanned<String>>,
        key: &str,
        set: &[T],
        code: impl Fn(T) -> &'static str,
    ) -> Result<Option<T>, ConfigError> {
        let Some(v) = v else { return Ok(None) };
        match set
            .iter()
            .copied()
            .find(|t| code(*t) == v.get_ref().as_str())
        {
            Some(t) => Ok(Some(t)),
            None => Err(self.invalid(
                v.span(),
                Issue::NotInSet {
                    key: key.to_owned(),
                    value: v.get_ref().clone(),
                    accepted: set.iter().map(|t| code(*t)).collect::<Vec<_>>().join(", "),
                },
            )),
        }
    }

    fn invalid(&self, span: std::ops::Range<usize>, issue: Issue) -> ConfigError {
        let line = self.text[..span.start.min(self.text.len())]
            .matches('\n')
            .count()
            + 1;
        ConfigError::Invalid {
            path: self.shown.clone(),
            line: Some(line),
            issue,
        }
    }

    /// A whole number in min..=max, if given.
    fn whole(
        &self,
        v: &Option<toml::Spanned<i64>>,
        name: &str,
        min: i64,
        max: i64,
    ) -> Result<Option<i64>, ConfigError> {
        match v {
            Some(x) => limits::whole(*x.get_ref(), (min, max))
                .map(Some)
                .map_err(|_| {
                    self.invalid(
                        x.span(),
                        Issue::WholeNumber {
                            key: name.to_owned(),
                            min,
                            max,
                        },
                    )
                }),
            None => Ok(None),
        }
    }
}

/// `[notify]`: a command, and events each one of cli.md's.
fn notify(n: &NotifySection, check: &Checker<'_>) -> Result<Option<NotifyConfig>, ConfigError> {
    let on = match &n.on {
        Some(list) => list
            .iter()
            .map(|e| {
                check
                    .one_of(Some(e), "notify.on", &NOTIFY_EVENTS, |e| e)
                    .map(|e| e.unwrap_or_default().to_owned())
            })
            .collect::<Result<_, _>>()?,
        None => DEFAULT_NOTIFY_ON.map(str::to_owned).to_vec(),
    };
    Ok(n.command
        .as_ref()
        .filter(|c| !c.get_ref().trim().is_empty())
        .map(|command| NotifyConfig {
            command: command.get_ref().clone(),
            on,
            command_span: command.span(),
        }))
}

/// `[input.aliases]`: more header names for a field.
fn aliases(file: &ConfigFile, check: &Checker<'_>) -> Result<Vec<(Field, String)>, ConfigError> {
    let mut aliases = Vec::new();
    for (key, list) in &file.input.aliases {
        let field = Field::from_config_key(key.get_ref()).ok_or_else(|| {
            check.invalid(
                key.span(),
                Issue::UnknownField {
                    key: key.get_ref().clone(),
                    fields: Field::NAMED.map(Field::config_key).join(", "),
                },
            )
        })?;
        aliases.extend(list.iter().map(|a| (field, a.clone())));
    }
    Ok(aliases)
}

/// `[portal]` and `[portal.emulator]`, each value checked.
fn portal(
    p: &PortalSection,
    check: &Checker<'_>,
    base: &Path,
    state_dir: &Path,
) -> Result<PortalConfig, ConfigError> {
    let mut portal = PortalConfig {
        url: p.url.clone(),
        token_env: p.token_env.clone(),
        ca_file: p.ca_file.as_ref().map(|f| tidy(base.join(f))),
        token_file: p.token_file.as_ref().map(|f| tidy(base.join(f))),
        ..PortalConfig::default()
    };
    if let Some(v) = &p.rate_limit {
        let rate = limits::rate_limit(*v.get_ref()).map_err(|_| {
            check.invalid(
                v.span(),
                Issue::RateLimit {
                    key: "portal.rate_limit".into(),
                },
            )
        })?;
        portal.rate_limit = Some(rate);
    }
    portal.burst = check
        .whole(&p.burst, "portal.burst", 1, 10_000)?
        .map(|v| v as u32);
    let (low, high) = limits::CONCURRENCY;
    portal.concurrency = check
        .whole(&p.concurrency, "portal.concurrency", low, high)?
        .map(|v| v as usize);
    portal.max_attempts = check
        .whole(&p.max_attempts, "portal.max_attempts", 1, 100)?
        .map(|v| v as u32);
    portal.max_body_mib = check
        .whole(&p.max_body_mib, "portal.max_body_mib", 1, 4096)?
        .map(|v| v as u64);
    if let Some(v) = &p.timeout_secs {
        if !(*v.get_ref() > 0.0 && *v.get_ref() <= 3600.0) {
            return Err(check.invalid(v.span(), Issue::Timeout));
        }
        portal.timeout_secs = Some(*v.get_ref());
    }
    portal.embedded = p.emulator.as_ref().map(|e| EmbeddedPortal {
        seed: tidy(base.join(&e.seed)),
        state: state_dir.join(
            e.state
                .clone()
                .unwrap_or_else(|| PathBuf::from("portal.sqlite")),
        ),
        token: e.token.clone(),
    });
    Ok(portal)
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
    fn portal_section_is_checked_with_lines() {
        let c = parse(
            "[portal]\nurl = \"https://p.example/api/v1\"\nrate_limit = 20\nconcurrency = 4\n",
            Path::new("c.toml"),
        );
        // An integer where a float is wanted is a TOML type error: say it.
        let c = match c {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(c.portal.rate_limit, Some(20.0));
        assert_eq!(c.portal.concurrency, Some(4));
        let e = parse(
            "[portal]\n\nrate_limit = \"ten\"\n",
            Path::new("config/example.toml"),
        )
        .unwrap_err();
        assert!(
            e.to_string().starts_with("config/example.toml: line 3:"),
            "{e}"
        );
        let e = parse("[portal]\nconcurrency = 0\n", Path::new("c.toml")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "c.toml: line 2: portal.concurrency must be a whole number from 1 to 256"
        );
        let e = parse("[portal]\nrate_limit = -1.0\n", Path::new("c.toml")).unwrap_err();
        assert!(e.to_string().contains("line 2: portal.rate_limit"), "{e}");
    }

    #[test]
    fn held_changes_keys() {
        let c = parse(
            "remind_days = 2\nmetrics_file = \"m/proone.prom\"\n[guards]\non_trip = \"stop\"\n[notify]\ncommand = \"mail -s x root\"\non = [\"held\", \"changes\"]\n",
            Path::new("/etc/p/c.toml"),
        )
        .unwrap();
        assert_eq!(c.on_trip, crate::plan::OnTrip::Stop);
        assert_eq!(c.remind_days, 2);
        assert_eq!(c.metrics_file, Some(PathBuf::from("/etc/p/m/proone.prom")));
        let n = c.notify.unwrap();
        assert_eq!(n.on, vec!["held".to_owned(), "changes".to_owned()]);
        let defaults = parse("[notify]\ncommand = \"true\"\n", Path::new("c.toml")).unwrap();
        assert_eq!(defaults.notify.unwrap().on, DEFAULT_NOTIFY_ON.to_vec());
        let e = parse(
            "[notify]\ncommand = \"x\"\non = [\"oops\"]\n",
            Path::new("c.toml"),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "c.toml: line 3: notify.on: \"oops\" is not one of its values: held, failed, error, invalid-rows, changes, ending, drift, review-overdue"
        );
        let e = parse("[guards]\non_trip = \"pause\"\n", Path::new("c.toml")).unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
        // [history] keep_days: 730 by default, a whole number of days from 1.
        assert_eq!(parse("", Path::new("c")).unwrap().history_keep_days, 730);
        let c = parse("[history]\nkeep_days = 3650\n", Path::new("c.toml")).unwrap();
        assert_eq!(c.history_keep_days, 3650);
        let e = parse("[history]\nkeep_days = 0\n", Path::new("c.toml")).unwrap_err();
        assert!(
            e.to_string().contains("line 2") && e.to_string().contains("history.keep_days"),
            "{e}"
        );
        let e = parse("[history]\nkeep = 3\n", Path::new("c.toml")).unwrap_err();
        assert!(e.to_string().contains("keep"), "{e}");
    }

    /// Issue 22: every closed set of the file is checked where it is read, with the line of
    /// the value at fault and the accepted values; profiles are portal-api.md's codes exactly.
    #[test]
    fn closed_sets_are_refused_with_the_line_of_the_value_and_what_is_accepted() {
        let refused = |text: &str| parse(text, Path::new("c.toml")).unwrap_err().to_string();
        for (text, want) in [
            (
                "[scope]\nkeep_profiles = [\"administrateur\",\n  \"Administrateur\"]\n",
                "c.toml: line 3: scope.keep_profiles: \"Administrateur\" is not one of its values: administrateur, gestion-utilisateurs",
            ),
            (
                "[scope]\nkeep_profiles = [\"administrator\"]\n",
                "c.toml: line 2: scope.keep_profiles: \"administrator\" is not one of its values: administrateur, gestion-utilisateurs",
            ),
            (
                "[guards]\non_trip = \"Hold\"\n",
                "c.toml: line 2: guards.on_trip: \"Hold\" is not one of its values: hold, stop",
            ),
            (
                "[scope]\n\nmode = \"all\"\n",
                "c.toml: line 3: scope.mode: \"all\" is not one of its values: listed, authoritative",
            ),
            (
                "[notify]\non = [\"faild\"]\n",
                "c.toml: line 2: notify.on: \"faild\" is not one of its values: held, failed, error, invalid-rows, changes, ending, drift, review-overdue",
            ),
        ] {
            assert_eq!(refused(text), want, "{text}");
        }
        let c = parse(
            "[scope]\nmode = \"authoritative\"\nkeep_profiles = [\"gestion-utilisateurs\", \"administrateur\"]\n",
            Path::new("c.toml"),
        )
        .unwrap();
        use crate::model::Profile;
        assert_eq!(c.scope.mode, ScopeMode::Authoritative);
        assert_eq!(
            c.scope.keep_profiles,
            [Profile::GestionUtilisateurs, Profile::Administrateur]
        );
        // An empty list is a choice (protect no profile), said as such in the file.
        let none = parse("[scope]\nkeep_profiles = []\n", Path::new("c.toml")).unwrap();
        assert!(none.scope.keep_profiles.is_empty());
    }

    /// cli.md: a command in a config file others may write is not obeyed.
    #[test]
    fn a_command_is_run_only_from_a_file_its_owner_alone_may_write() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "state_dir = \"s\"\n[notify]\ncommand = \"touch x\"\n",
        )
        .unwrap();
        for (mode, ok) in [
            (0o600, true),
            (0o644, true),
            (0o664, false),
            (0o666, false),
            (0o646, false),
        ] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            let got = load(Some(&path));
            assert_eq!(got.is_ok(), ok, "{mode:o}: {got:?}");
            if let Err(e) = got {
                let e = e.to_string();
                assert!(e.contains("line 3: notify.command"), "{e}");
                assert!(e.contains(&format!("mode {mode:o}")), "{e}");
            }
        }
        // Owned by someone else (neither the caller nor root), even 0600: refused. Only root
        // can give a file away; elsewhere this part has nothing to try.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        if nix::unistd::geteuid().is_root() {
            std::os::unix::fs::chown(&path, Some(65534), None).unwrap();
            let e = load(Some(&path)).unwrap_err().to_string();
            assert!(e.contains("notify.command"), "{e}");
            std::os::unix::fs::chown(&path, Some(0), None).unwrap();
        }
        // A safe file in a folder others may write (a drop folder): refused too — the command
        // runs there, and could name a script anyone can put in it.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let e = load(Some(&path)).unwrap_err().to_string();
        assert!(e.contains("notify.command is not run in"), "{e}");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        assert!(load(Some(&path)).is_ok());
        // Without a command, the same file is only settings: read.
        std::fs::write(&path, "state_dir = \"s\"\n").unwrap();
        assert!(load(Some(&path)).is_ok());
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
        assert!(
            e.to_string()
                .contains("line 2: [input.aliases] \"mail\" is not a field"),
            "{e}"
        );
    }

    #[test]
    fn the_shipped_configs_load() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let example = load(Some(&root.join("config/example.toml"))).expect("example.toml");
        assert_eq!(example.retention_days, 90);
        assert_eq!((example.max_revocations, example.max_creations), (25, 250));
        assert_eq!(example.state_dir, Path::new("/var/lib/proone-sync"));
        let demo = load(Some(&root.join("config/demo.toml"))).expect("demo.toml");
        assert!(demo.portal.embedded.is_some());
        assert_eq!(example.on_trip, crate::plan::OnTrip::Hold);
        let fr = parse("language = \"fr\"\n", Path::new("c.toml")).unwrap();
        assert_eq!(fr.language, Some(crate::model::Lang::Fr));
        let bad = parse("\nlanguage = \"nl\"\n", Path::new("c.toml")).unwrap_err();
        assert_eq!(
            bad.to_string(),
            "c.toml: line 2: language: \"nl\" is not one of its values: en, fr"
        );
        assert_eq!(example.remind_days, 3);
        let bad = parse("retention_days = 0\n", Path::new("c.toml")).unwrap_err();
        assert_eq!(
            bad.to_string(),
            "c.toml: line 1: retention_days must be a whole number from 1 to 36500"
        );
    }
}
