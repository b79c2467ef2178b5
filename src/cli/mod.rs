//! The command line: clap definitions (raw flags), turned once into validated settings that the
//! commands receive; exit codes of cli.md. No business logic here.

mod check;
mod emulator;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::config::{self, Config};
use crate::input::{HeaderAliases, InputOptions};
use crate::model::CalendarDate;

/// Exit status of cli.md. Where several apply, the first of 130, 1, 4, 3, 2 wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    Success = 0,
    Failed = 1,
    ChangesPending = 2,
    InvalidRows = 3,
    ActionsFailed = 4,
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
    version,
    about = "Bulk user and access administration for the PRO.ONE portal, from the spreadsheets HR and IT keep",
    propagate_version = true
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
    /// The date NRN validity is judged on (YYYY-MM-DD); default: today. For tests and replays.
    #[arg(
        long,
        global = true,
        value_name = "DATE",
        hide = true,
        env = "PROONE_TODAY"
    )]
    pub today: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read and validate the input spreadsheets, and list every problem with its location.
    ///
    /// Reads .xlsx .xlsm .xlsb .xls .ods .csv .tsv .txt files (or folders of them). Problems are
    /// printed as file, then sheet:row:column as Excel shows them, with a hint.
    ///
    /// For now `check` validates everything that needs no portal — as `--offline` will keep doing
    /// once the portal client lands: structure names are not yet resolved against the portal.
    ///
    /// Exit status: 0 clean; 3 some rows are invalid (they would be skipped); 1 a file cannot be
    /// read at all, bad arguments or config, or any error with --strict.
    ///
    /// Example: proone-sync check fixtures/personnel.xlsx fixtures/acces-nl.ods
    Check(check::CheckArgs),
    /// Serve the portal emulator: the API of portal-api.md over SQLite, with faults on demand.
    ///
    /// Prints the bound address as its first stdout line, then serves until Ctrl-C or SIGTERM.
    /// Stats (per caller: requests by route, 429s, faults, writes) are at /_emulator/stats, the
    /// OpenAPI document at /api/v1/openapi.json.
    ///
    /// Example: proone-sync emulator --listen 127.0.0.1:8080 --seed fixtures/portal-seed.json
    ///          --rate-limit 20 --fail-rate 0.1 --drop-rate 0.03 --latency-ms 100 --jitter-ms 50
    Emulator(emulator::EmulatorArgs),
}

/// Settings common to every command, validated once.
pub struct Settings {
    pub config: Config,
    pub input: InputOptions,
    pub quiet: bool,
}

impl Settings {
    fn new(global: &GlobalArgs) -> Result<Settings, String> {
        let config = config::load(global.config.as_deref()).map_err(|e| e.to_string())?;
        let today = match &global.today {
            Some(s) => CalendarDate::parse(s)
                .ok_or_else(|| format!("--today {s:?}: expected a date as YYYY-MM-DD"))?,
            None => CalendarDate::today(),
        };
        let input = InputOptions {
            sheets: config.sheets.clone(),
            aliases: HeaderAliases::new(&config.aliases),
            today,
        };
        Ok(Settings {
            config,
            input,
            quiet: global.quiet,
        })
    }
}

/// The whole program: parse, run, exit status. Bad arguments exit 1 (cli.md), not clap's 2.
pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        // A panic in a spreadsheet reader is caught and reported as "cannot read" that file.
        if std::thread::current().name() == Some(crate::input::READER_THREAD) {
            return;
        }
        eprintln!("proone-sync: internal error: {info}");
        eprintln!("please report it, with the command line (not the token) that caused it");
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
    };
    exit.into()
}
