//! `proone-sync check INPUT…`: read and validate, print the problems and a summary.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::input::read_inputs;
use crate::report::check::{CheckSummary, json, text};

use super::{Exit, ReportKind, Settings};
use crate::t;

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
    /// Do not contact the portal (structure names and ids are then not checked).
    #[arg(long)]
    pub offline: bool,
    #[command(flatten)]
    pub portal: super::PortalArgs,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Treat any error-level problem as a failure (exit 1).
    #[arg(long)]
    pub strict: bool,
    /// Also write the problems as a spreadsheet to fix from (repeatable): .xlsx, or .csv for
    /// Excel in Belgium (`;`, UTF-8 with BOM). NRNs masked.
    #[arg(long = "report", value_name = "FILE")]
    pub reports: Vec<PathBuf>,
}

/// Writes the problems to `path` as .xlsx or .csv.
fn write_problems(
    path: &std::path::Path,
    kind: ReportKind,
    problems: &[crate::model::Problem],
) -> Result<(), String> {
    let table = crate::report::problems::table(problems);
    let bytes = match kind {
        ReportKind::Xlsx => {
            crate::report::table::xlsx_bytes(&[&table]).map_err(|e| e.to_string())?
        }
        _ => crate::report::table::csv_text(&table)
            .map_err(|e| e.to_string())?
            .into_bytes(),
    };
    std::fs::write(path, bytes).map_err(|e| e.to_string())
}

fn catalogue(
    args: &CheckArgs,
    settings: &Settings,
) -> Result<crate::portal::PortalCatalogue, crate::portal::PortalError> {
    // The same way to the portal as `plan`: the configured one, or the embedded emulator.
    let conn = super::connect::connect(&args.portal, &settings.config, settings.input.today)?;
    let runtime = super::connect::runtime()
        .map_err(|_| crate::portal::PortalError::Client("cannot start the runtime".into()))?;
    runtime.block_on(crate::portal::fetch_catalogue(&conn.client))
}

/// With a portal configured: the dossiers it does not offer, and every structure reference
/// resolved against the organisation's structures (read-only calls: who we are, the catalogue,
/// the structures). `Err` is the exit of a portal that cannot be read.
fn check_against_portal(
    args: &CheckArgs,
    settings: &Settings,
    inputs: &mut crate::input::Inputs,
) -> Result<(), Exit> {
    if !super::connect::configured(&args.portal, &settings.config) {
        if !settings.quiet && args.format == CheckFormat::Text {
            settings.say("WARN", crate::msg!("no-portal-check"), "");
        }
        return Ok(());
    }
    let cat = catalogue(args, settings).map_err(|e| settings.fail_portal(&e))?;
    for d in cat.missing_dossiers() {
        inputs.problems.push(crate::model::Problem::warning(
            crate::model::Location::file("(portal)", u32::MAX),
            crate::model::ProblemKind::DossierNotOffered { dossier: d },
        ));
    }
    let invalid = crate::input::resolve_structures(
        &mut inputs.desired,
        &cat.structures,
        &mut inputs.problems,
    );
    inputs.stats.invalid_rows += invalid;
    inputs.stats.people = inputs.desired.people.len();
    crate::model::sort_problems(&mut inputs.problems);
    Ok(())
}

pub fn run(args: &CheckArgs, settings: &Settings) -> Exit {
    let given = if args.inputs.is_empty() {
        settings.config.inputs.clone()
    } else {
        args.inputs.clone()
    };
    if given.is_empty() {
        return settings.fail(crate::msg!("no-input"), "");
    }
    let reports = match ReportKind::of_all(
        &args.reports,
        &[ReportKind::Xlsx, ReportKind::Csv],
        &t!("report-extensions-check"),
    ) {
        Ok(r) => r,
        Err((message, hint)) => return settings.fail(message, &hint),
    };
    let mut inputs = read_inputs(&given, &settings.input);
    if !args.offline
        && let Err(exit) = check_against_portal(args, settings, &mut inputs)
    {
        return exit;
    }
    let summary = CheckSummary::new(&inputs.stats, &inputs.problems);
    let rendered = match args.format {
        CheckFormat::Json => json(&summary, &inputs.problems),
        CheckFormat::Text => text(&summary, &inputs.problems),
    };
    if (!settings.quiet || args.format == CheckFormat::Json)
        && let Err(exit) = settings.out(&rendered)
    {
        return exit;
    }
    for (r, kind) in reports {
        if let Err(e) = write_problems(r, kind, &inputs.problems) {
            return settings.fail(format!("{}: cannot write the report: {e}", r.display()), "");
        }
    }
    if inputs.stats.unreadable_files > 0 {
        Exit::Failed
    } else if args.strict && summary.errors > 0 {
        settings.fail(
            crate::msg!("strict-check", count = summary.errors),
            crate::msg!("fix-and-rerun-short"),
        )
    } else if summary.errors > 0 {
        Exit::InvalidRows
    } else {
        Exit::Success
    }
}
