//! `proone-sync check INPUT…`: read and validate, print the problems and a summary.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::input::{expand_paths, read_inputs};
use crate::report::check::{CheckSummary, json, text};

use super::{Exit, Settings};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Spreadsheets or folders to read (default: `inputs` of the config file).
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Do not contact the portal (structure names are then not resolved).
    #[arg(long)]
    pub offline: bool,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Treat any error-level problem as a failure (exit 1).
    #[arg(long)]
    pub strict: bool,
}

pub fn run(args: &CheckArgs, settings: &Settings) -> Exit {
    let given = if args.inputs.is_empty() {
        settings.config.inputs.clone()
    } else {
        args.inputs.clone()
    };
    if given.is_empty() {
        eprintln!(
            "proone-sync: no input: name spreadsheets on the command line or `inputs` in the config file"
        );
        return Exit::Failed;
    }
    let paths = expand_paths(&given);
    let inputs = read_inputs(&paths, &settings.input);
    let summary = CheckSummary::new(&inputs.stats, &inputs.problems);
    let rendered = match args.format {
        CheckFormat::Json => json(&summary, &inputs.problems),
        CheckFormat::Text => text(&summary, &inputs.problems),
    };
    if !settings.quiet || args.format == CheckFormat::Json {
        let mut out = std::io::stdout().lock();
        // A closed pipe (`| head`) is not an error worth a panic.
        let _ = out.write_all(rendered.as_bytes());
        let _ = out.flush();
    }
    if inputs.stats.unreadable_files > 0 || (args.strict && summary.errors > 0) {
        Exit::Failed
    } else if summary.errors > 0 {
        Exit::InvalidRows
    } else {
        Exit::Success
    }
}
