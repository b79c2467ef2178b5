//! The command line: clap definitions (raw flags), turned once into validated settings that the
//! commands receive; exit codes of cli.md. No business logic here.

mod apply;
mod campaign;
mod check;
mod connect;
mod docs;
mod emulator;
mod export;
mod held;
mod history;
mod hold;
mod night;
mod plan;
mod prepare;
mod progress;
mod recorder;
mod revert;
mod review;
mod review_collect;
mod review_plan;
mod review_status;
mod runs;
mod say;
mod signals;
mod stop;
mod tell;
mod token;
mod words;
mod work;

use std::path::PathBuf;

use crate::model::Lang;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::config::{self, Config};
use crate::input::{HeaderAliases, InputOptions};
use crate::model::CalendarDate;

/// A path's extension in lower case (`""` for none): report formats follow it.
pub(crate) fn extension(p: &std::path::Path) -> String {
    p.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// The format of a `--report FILE`, from its extension: asked once, before any work, so a wrong
/// name is refused before the portal is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReportKind {
    Json,
    Text,
    Markdown,
    Csv,
    Html,
    Xlsx,
}

impl ReportKind {
    fn of(path: &std::path::Path) -> Option<ReportKind> {
        Some(match extension(path).as_str() {
            "json" => ReportKind::Json,
            "txt" => ReportKind::Text,
            "md" => ReportKind::Markdown,
            "csv" => ReportKind::Csv,
            "html" | "htm" => ReportKind::Html,
            "xlsx" => ReportKind::Xlsx,
            _ => return None,
        })
    }

    /// Each report path with its kind, when every one is among `allowed`; else the refusal and
    /// its hint (the extensions `allowed` has).
    pub(crate) fn of_all<'p>(
        paths: &'p [std::path::PathBuf],
        allowed: &[ReportKind],
        hint: &str,
    ) -> Result<Vec<(&'p std::path::Path, ReportKind)>, (String, String)> {
        paths
            .iter()
            .map(|p| match ReportKind::of(p) {
                Some(k) if allowed.contains(&k) => Ok((p.as_path(), k)),
                _ => Err((
                    crate::t!("report-no-format", path = p.display().to_string()),
                    hint.to_owned(),
                )),
            })
            .collect()
    }
}

/// Exit status of cli.md. Where several apply, the first of 130, 1, 4, 5, 3, 2 wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    Success = 0,
    Failed = 1,
    ChangesPending = 2,
    InvalidRows = 3,
    ActionsFailed = 4,
    /// Done, but changes are held for approval.
    Held = 5,
    Interrupted = 130,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "proone-sync",
    version = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("PROONE_COMMIT"), ")"),
    about = "Bulk user and access administration for the PRO.ONE portal, from the spreadsheets HR and IT keep",
    after_help = "The manual: README.md and docs/ in the source, or /usr/share/doc/proone-sync/ when installed from the Debian package; `proone-sync man` prints the man page.",
    propagate_version = true,
    // A later `--today` wins (a test's own day after the harness's).
    args_override_self = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Configuration file (TOML). Default: proone-sync.toml in the working directory, if present.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print only errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// More detail on stderr: -v each retry, -vv each portal call. The token is never shown.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Log lines as text or as JSON (one object per line, for cron logs).
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Colours: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Language of every sentence for people (default: `language` in the config, else
    /// LC_ALL / LC_MESSAGES / LANG: fr… is French, anything else English). JSON keeps its keys
    /// and codes in both.
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangChoice>,
    /// The plan's day (YYYY-MM-DD): what is in effect, NRN validity; default: today in
    /// Brussels. For tests and replays; no environment variable (a stale one would freeze every
    /// end).
    #[arg(long, global = true, value_name = "DATE", hide = true)]
    pub today: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that is (or is not) a terminal.
    pub fn on(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangChoice {
    Fr,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Where the portal is and how to talk to it: flags beat the environment, which beats the
/// config file's `[portal]`.
#[derive(Debug, Clone, Args, Default)]
pub struct PortalArgs {
    /// Base URL of the portal's API, e.g. https://portal.example/api/v1.
    #[arg(long, env = "PROONE_URL", value_name = "URL")]
    pub portal_url: Option<String>,
    /// Name of the environment variable that holds the API token (default PROONE_TOKEN). The
    /// token itself is never accepted as a flag.
    #[arg(long, value_name = "NAME")]
    pub token_env: Option<String>,
    /// Client-side limit in requests per second (default 10, burst 10); 0: none.
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = rate_limit_flag)]
    pub rate_limit: Option<f64>,
    /// Calls in flight at once (default 8, at most 256).
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = concurrency_flag)]
    pub concurrency: Option<usize>,
}

/// `--rate-limit`, checked as the config's `rate_limit` is.
fn rate_limit_flag(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| "must be a number of requests per second, 0 or more".to_owned())?;
    crate::config::limits::rate_limit(v)
}

/// `--concurrency`, checked as the config's `concurrency` is.
fn concurrency_flag(s: &str) -> Result<usize, String> {
    let bounds = crate::config::limits::CONCURRENCY;
    let v: i64 = s
        .trim()
        .parse()
        .map_err(|_| format!("must be a whole number from {} to {}", bounds.0, bounds.1))?;
    crate::config::limits::whole(v, bounds).map(|v| v as usize)
}

impl PortalArgs {
    /// The portal URL from the flag, the environment or the config file, if any.
    pub fn url(&self, config: &Config) -> Option<String> {
        self.portal_url
            .clone()
            .or_else(|| config.portal.url.clone())
    }

    /// Client settings, the token read now from its variable.
    pub fn client_settings(
        &self,
        config: &Config,
    ) -> Result<crate::portal::ClientSettings, crate::portal::PortalError> {
        use crate::portal::PortalError;
        let url = self
            .url(config)
            .ok_or(PortalError::BadUrl { url: String::new() })?;
        let var = self
            .token_env
            .clone()
            .or_else(|| config.portal.token_env.clone())
            .unwrap_or_else(|| "PROONE_TOKEN".to_owned());
        let token = token::read(&var, config.portal.token_file.as_deref())?;
        self.client_settings_with(config, url, token)
    }

    /// Client settings for a known URL and token (the embedded portal's, or from the
    /// environment).
    pub fn client_settings_with(
        &self,
        config: &Config,
        url: String,
        token: String,
    ) -> Result<crate::portal::ClientSettings, crate::portal::PortalError> {
        use crate::portal::RetryPolicy;
        let token = secrecy::SecretString::from(token);
        let rate = self.rate_limit.or(config.portal.rate_limit).unwrap_or(10.0);
        let burst = config
            .portal
            .burst
            .unwrap_or_else(|| (rate.ceil() as u32).clamp(1, 10_000));
        let mut retry = RetryPolicy::default();
        if let Some(n) = config.portal.max_attempts {
            retry.max_attempts = n;
        }
        Ok(crate::portal::ClientSettings {
            url,
            token,
            rate_limit: (rate > 0.0).then_some((rate, burst)),
            concurrency: self
                .concurrency
                .or(config.portal.concurrency)
                .unwrap_or(8)
                .max(1),
            timeout: std::time::Duration::from_secs_f64(
                config
                    .portal
                    .timeout_secs
                    .unwrap_or(crate::config::DEFAULT_TIMEOUT_SECS),
            ),
            retry,
            ca_file: config.portal.ca_file.clone(),
            max_body: config
                .portal
                .max_body_mib
                .map_or(crate::portal::DEFAULT_MAX_BODY, |m| m * 1024 * 1024),
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read and validate the input spreadsheets, and list every problem with its location.
    ///
    /// Reads .xlsx .xlsm .xlsb .xls .ods .csv .tsv .txt files (or folders of them). Problems are
    /// printed as file, then sheet:row:column as Excel shows them, with a hint.
    ///
    /// With a portal configured (--portal-url, PROONE_URL or [portal] url in the config, and the
    /// token in PROONE_TOKEN) it also resolves structure names and ids against the portal, with
    /// read-only calls; --offline checks only what needs no portal.
    ///
    /// Exit status: 0 clean; 3 some rows are invalid (they would be skipped); 1 a file cannot be
    /// read at all, bad arguments or config, or any error with --strict.
    ///
    /// Example: proone-sync check fixtures/personnel.xlsx fixtures/toegang-nl.ods
    Check(check::CheckArgs),
    /// Serve the portal emulator: the API of portal-api.md over SQLite, with faults on demand.
    ///
    /// Prints the bound address as its first stdout line, then serves until Ctrl-C or SIGTERM.
    /// Stats (per caller: requests by route, 429s, faults, writes) are at /_emulator/stats, the
    /// OpenAPI document at /api/v1/openapi.json.
    ///
    /// With -v, every request is logged on stderr.
    ///
    /// Example: proone-sync emulator --listen 127.0.0.1:8080 --seed fixtures/portal-seed.json
    /// --rate-limit 20 --fail-rate 0.1 --drop-rate 0.03 --latency-ms 100 --jitter-ms 50
    Emulator(emulator::EmulatorArgs),
    /// The dry run: what would change on the portal, for whom and why. Never writes.
    ///
    /// Reads the inputs and the portal's current users and grants, resolves structures, and
    /// prints the plan: a summary, then per person their access before → after with the rows
    /// that asked for it, the problems, and the portal users no input names. --out saves the
    /// plan for `apply --plan` (it holds whole NRNs: created readable by its owner only).
    ///
    /// Exit status: 0 no change (or changes without --detailed-exitcode); 2 changes pending
    /// with --detailed-exitcode; 3 some input rows were invalid; 1 failure (bad config, portal
    /// unreachable or refusing the token, a guard tripped, --strict with errors).
    ///
    /// Example: proone-sync --config config/demo.toml plan --report plan.md --out plan.json
    Plan(plan::PlanArgs),
    /// Apply the plan: create the missing users and grant (with --prune also revoke) access,
    /// rate-limited, retried, journaled; safe to run again. In every mode, a row whose « Au »
    /// (until) has passed ends what it gave.
    ///
    /// Plans from the inputs (or loads a reviewed plan with --plan, checked against the portal
    /// first: a partly applied plan is resumed, a stale one refused), shows the summary and the
    /// plan's fingerprint, asks for confirmation on a terminal (--yes skips it; without a
    /// terminal --yes is required), then applies with a progress bar (progress lines without a
    /// terminal). Ctrl-C or SIGTERM stops cleanly: calls in flight finish, the journal and the
    /// report are written. The journal (JSON Lines) and the report (Markdown, JSON) go to the
    /// state directory; one apply at a time holds its lock.
    ///
    /// A mass-change guard that trips holds its kind of change for approval (`held`,
    /// `approve`) and applies the rest, under `[guards] on_trip = "hold"` (the default); an
    /// approved held plan is applied first by the next apply.
    ///
    /// Exit status: 0 done; 3 done, but some input rows were invalid and skipped; 4 done, but
    /// some actions failed permanently; 5 done, but changes are held for approval; 1 failed
    /// (bad config, portal unreachable, stale plan, a guard tripped under on_trip = "stop",
    /// another apply running, no confirmation); 130 interrupted.
    ///
    /// Example: proone-sync --config config/demo.toml apply --yes
    ///
    /// Example: proone-sync apply --plan approved-plan.json --expect-fingerprint 3f2a9c0d1e7b5a64
    Apply(apply::ApplyArgs),
    /// Write the portal's current users and access as a spreadsheet in the input format.
    ///
    /// One row per person: Nom, Prénom, Email, Dossiers (labels), Structures (ids) — no NRN
    /// unless --with-nrn (then whole, and the file is created readable by its owner only). An
    /// .xlsx also holds a reference sheet of the structures (id, name, postal code, city), which
    /// reading skips. Edit it, then `plan` it: an unedited export plans no change.
    ///
    /// Example: proone-sync --config config/demo.toml export --out acces-actuels.xlsx
    Export(export::ExportArgs),
    /// Write a blank input workbook for HR, with dropdowns of the organisation's dossiers and
    /// structures.
    ///
    /// The « Personnel » sheet has the header row, a consent dropdown (oui/non), one column per
    /// dossier with an x dropdown, a Structures column whose dropdown lists the organisation's
    /// structures; an « Instructions » sheet in French and the structures as a reference sheet.
    /// `check` reads it back, filled, with no problem.
    ///
    /// Example: proone-sync --config config/demo.toml template --out modele.xlsx
    Template(export::TemplateArgs),
    /// List the held plans of the state directory: fingerprint, state, when, counts by op.
    ///
    /// A held plan is what an apply did not write because a mass-change guard tripped under
    /// `[guards] on_trip = "hold"` (the default): the rest was applied, the held actions wait
    /// for `approve` (the next apply applies them first) or `reject`. States: pending,
    /// approved, applied, partial (applied with failed actions), rejected, superseded (a newer
    /// held plan of the same source took its place), stale (the portal changed since). JSON
    /// also says each plan's source.
    ///
    /// Example: proone-sync --config /etc/proone-sync/proone-sync.toml held --format json
    Held(held::HeldArgs),
    /// Approve a pending held plan: checked against the portal (read-only), then recorded with
    /// who and when; the next apply applies it first.
    ///
    /// Run as the owner of the state directory (sudo -u proone-sync …). A stale plan is refused
    /// with the changed users named.
    ///
    /// Example: sudo -u proone-sync proone-sync approve 3f2a9c0d
    Approve(held::ApproveArgs),
    /// Reject a pending or approved held plan: the same held actions are left out and not
    /// notified again.
    ///
    /// Example: sudo -u proone-sync proone-sync reject 3f2a9c0d --by "M. Lambert"
    Reject(held::RejectArgs),
    /// List the runs of the state directory: every apply, newest first, with its state, exit
    /// status and phases.
    ///
    /// States: completed, failed, interrupted (stopped by a signal, its end written), killed
    /// (its journal has no end), running. A night has a phase for an approved held plan and one
    /// for its inputs.
    ///
    /// Example: proone-sync --config /etc/proone-sync/proone-sync.toml runs --since 2026-12-01 --format json
    Runs(runs::RunsArgs),
    /// Who had which access when, and why, from the history store every apply records: one
    /// question per call. Read-only.
    ///
    /// --person X: the person's timeline — each dossier and structure with its intervals, and
    /// how each start and end came: by the job (run, input rows, approver), by hand in the
    /// portal between two runs, or held before the history began. X is a user id, an e-mail, a
    /// full name, or an NRN (looked up among the portal's current users, read-only; never shown
    /// whole); `--person -` reads X from stdin, so that an NRN stays out of shell history.
    ///
    /// --structure S / --dossier CODE [--on DAY]: who could see that structure, or held that
    /// dossier, that day (default today); someone who only may have had it is listed as not
    /// certain.
    ///
    /// --drift: the changes made by hand, newest first. --since / --until DAY narrow any
    /// question (Europe/Brussels days). --verify: the store's chain of hashes against the
    /// journals.
    ///
    /// An answer the store cannot give in full (before its first run, past [history]
    /// keep_days, after its last observation) says so: a sentence in text, "complete": false in
    /// JSON; never "nobody". --report FILE: .xlsx (for --person, the answer to that person's
    /// access request, GDPR article 15), .csv, .html or .md, readable by its owner only.
    ///
    /// Exit status: 0 answered (even incompletely) or verified; 1 an unknown or ambiguous
    /// person, a store that cannot be read or is of another version, a broken chain, bad
    /// arguments.
    ///
    /// Example: proone-sync --config /etc/proone-sync/proone-sync.toml history --person - --report answer.xlsx
    ///
    /// Example: proone-sync history --structure MA-00101 --on 2026-11-02 --format json
    History(history::HistoryArgs),
    /// Access review campaigns: each structure's reviewer confirms, in a spreadsheet, who keeps
    /// access (docs/review.md).
    ///
    /// `review start` writes one workbook per structure and records the campaign in the state
    /// directory; `review send` hands one sheet to the `[review] send` command again.
    ///
    /// Example: proone-sync --config /etc/proone-sync/proone-sync.toml review start --out revue/
    Review(review::ReviewArgs),
    /// Print shell completions (bash, zsh, fish, elvish, powershell).
    ///
    /// Example: proone-sync completions bash > /etc/bash_completion.d/proone-sync
    Completions(docs::CompletionsArgs),
    /// Print the man page (roff) of proone-sync and of each command.
    ///
    /// Example: proone-sync man > proone-sync.1 && man ./proone-sync.1
    Man,
}

/// Settings common to every command, validated once.
pub struct Settings {
    pub config: Config,
    pub input: InputOptions,
    pub quiet: bool,
    pub verbose: u8,
    pub log_format: LogFormat,
    pub color: ColorChoice,
}

impl Settings {
    fn new(global: &GlobalArgs) -> Result<Settings, String> {
        // cli.md: --lang, else the config's language, else the locale, else English. The
        // config's own errors are said in the language known before it is read.
        let before_config = match global.lang {
            Some(LangChoice::Fr) => Lang::Fr,
            Some(LangChoice::En) => Lang::En,
            None => Lang::from_env(|k| std::env::var(k).ok()),
        };
        crate::report::i18n::set_language(before_config);
        let config = config::load(global.config.as_deref()).map_err(|e| {
            let said = crate::report::i18n::render_message(&e.message());
            match e.hint().as_ref().map(crate::report::i18n::render_message) {
                Some(hint) => format!("{said}\n  {}", crate::t!("hint-prefix", hint = hint)),
                None => said,
            }
        })?;
        let today = match &global.today {
            Some(s) => {
                CalendarDate::parse(s).ok_or_else(|| crate::t!("bad-today", value = s.as_str()))?
            }
            None => CalendarDate::today(),
        };
        if global.lang.is_none()
            && let Some(l) = config.language
        {
            crate::report::i18n::set_language(l);
        }
        let input = InputOptions {
            sheets: config.sheets.clone(),
            aliases: HeaderAliases::new(&config.aliases),
            today,
        };
        Ok(Settings {
            config,
            input,
            quiet: global.quiet,
            verbose: global.verbose,
            log_format: global.log_format,
            color: global.color,
        })
    }
}

/// Logs go to stderr: warnings by default, more with -v, only errors with -q.
fn init_logging(g: &GlobalArgs) {
    let level = match (g.quiet, g.verbose) {
        (true, _) => tracing::Level::ERROR,
        (false, 0) => tracing::Level::WARN,
        (false, 1) => tracing::Level::INFO,
        (false, 2) => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    };
    use tracing_subscriber::Layer;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    // Our own events at the level asked; the HTTP stack's only from -vvv on.
    let others = if g.verbose >= 3 {
        tracing::Level::TRACE
    } else {
        tracing::Level::WARN
    };
    let filter = tracing_subscriber::filter::Targets::new()
        .with_target("proone_sync", level)
        .with_default(others.min(level));
    let color = g
        .color
        .on(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(color);
    let _ = match g.log_format {
        LogFormat::Json => tracing_subscriber::registry()
            .with(layer.json().with_filter(filter))
            .try_init(),
        LogFormat::Text => tracing_subscriber::registry()
            .with(layer.with_filter(filter))
            .try_init(),
    };
}

/// The whole program: parse, run, exit status. Bad arguments exit 1 (cli.md), not clap's 2.
pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        // A panic in a spreadsheet reader is caught and reported as that file's problem.
        if crate::input::in_reader() {
            return;
        }
        eprintln!(
            "proone-sync: {}",
            crate::t!("internal-error", detail = info.to_string())
        );
        eprintln!("{}", crate::t!("internal-error-report"));
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Failed
            } else {
                Exit::Success
            }
            .into();
        }
    };
    init_logging(&cli.global);
    let settings = match Settings::new(&cli.global) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("proone-sync: {message}");
            return Exit::Failed.into();
        }
    };
    let exit = match &cli.command {
        Command::Check(args) => check::run(args, &settings),
        Command::Emulator(args) => emulator::run(args, &settings),
        Command::Plan(args) => plan::run(args, &settings),
        Command::Apply(args) => apply::run(args, &settings),
        Command::Export(args) => export::export(args, &settings),
        Command::Template(args) => export::template(args, &settings),
        Command::Held(args) => held::list(args, &settings),
        Command::Approve(args) => held::approve(args, &settings),
        Command::Reject(args) => held::reject(args, &settings),
        Command::Runs(args) => runs::run(args, &settings),
        Command::History(args) => history::run(args, &settings),
        Command::Review(args) => review::run(args, &settings),
        Command::Completions(args) => docs::completions(args),
        Command::Man => docs::man(),
    };
    exit.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        // clap checks conflicts (two -v of different kinds, duplicate names) only when asked.
        <Cli as clap::CommandFactory>::command().debug_assert();
    }
}
