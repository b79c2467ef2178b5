//! `proone-sync plan INPUT…`: the dry run. Reads the inputs and the portal, plans, renders (with
//! what was changed by hand since the last run, from the history store opened read-only);
//! never sends a write.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::apply::write_private;
use crate::model::Severity;
use crate::report::plan::{Format, PlanReport};
use crate::t;

use super::prepare::{Wanted, prepare};
use super::{Exit, PortalArgs, ReportKind, Settings};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Spreadsheets or folders to read (default: `inputs` of the config file).
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Save the plan for `apply --plan` (mode 0600: it holds whole NRNs).
    #[arg(long, value_name = "PLAN")]
    pub out: Option<PathBuf>,
    /// Also write the report to FILE (repeatable); the format follows the extension: .json,
    /// .md (for a ticket), .csv (Excel in Belgium: `;`, UTF-8 with BOM), .html (one
    /// self-contained page for the manager who approves), .txt.
    #[arg(long = "report", value_name = "FILE")]
    pub reports: Vec<PathBuf>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
    /// Also revoke, from the people named in the inputs, what the inputs do not give them
    /// (without it, additive: only what an ended row gave is revoked)
    /// (`prune = true` in the config does the same).
    #[arg(long)]
    pub prune: bool,
    /// The scope of --prune: listed (the people the inputs name) or authoritative (the inputs
    /// are the whole staff list: leavers lose their access). Default: [scope] mode, else listed.
    #[arg(long, value_enum)]
    pub scope: Option<crate::config::ScopeMode>,
    /// Any error-level problem in the inputs fails the run (exit 1).
    #[arg(long)]
    pub strict: bool,
    /// Exit 2 when there are changes (0 when none).
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Let the plan go past the mass-change guards (max_revocations, 10 %, max_creations).
    #[arg(long)]
    pub allow_mass_change: bool,
    /// Plan the undoing of what run RUN wrote (`proone-sync runs` lists them): what it granted
    /// and still stands is revoked, what it revoked and is still absent is granted again; what
    /// changed since is left and listed. The inputs are planned too, to say what the next
    /// night would redo.
    #[arg(long, value_name = "RUN")]
    pub revert: Option<String>,
    /// Plan the « Retirer / Remove » decisions of review campaign CAMPAIGN (`review status`
    /// lists them): each one revokes that structure from that person, unless their access
    /// changed since the sheet was made. The inputs are planned too, to say what the next night
    /// would grant again.
    #[arg(long, value_name = "CAMPAIGN", conflicts_with = "revert")]
    pub review: Option<String>,
    /// With --revert: only this phase of the run (1, 2… in the order `runs` lists them).
    #[arg(long, value_name = "N", requires = "revert")]
    pub phase: Option<usize>,
    #[command(flatten)]
    pub portal: PortalArgs,
}

pub fn run(args: &PlanArgs, settings: &Settings) -> Exit {
    use ReportKind::*;
    let reports = match ReportKind::of_all(
        &args.reports,
        &[Json, Text, Markdown, Csv, Html],
        &t!("report-extensions-plan"),
    ) {
        Ok(r) => r,
        Err((message, hint)) => return settings.fail(message, &hint),
    };
    let wanted = Wanted {
        inputs: &args.inputs,
        strict: args.strict,
        prune: args.prune,
        scope: args.scope,
        allow_mass_change: args.allow_mass_change,
        portal: &args.portal,
    };
    let prepared = match (&args.revert, &args.review) {
        (Some(run), _) => super::revert::prepare(&wanted, run, args.phase, settings),
        (None, Some(campaign)) => super::review_plan::prepare(&wanted, campaign, false, settings),
        (None, None) => prepare(&wanted, settings),
    };
    let p = match prepared {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    let the_plan = &p.plan;
    let report = p.report();
    let color = settings
        .color
        .on(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    let format = match args.format {
        PlanFormat::Json => Format::Json,
        PlanFormat::Text => Format::Text { color },
    };
    // Only the CSV renderer can fail, and it is not asked here.
    let rendered = format.formatter().format(&report).unwrap_or_default();
    if (!settings.quiet || args.format == PlanFormat::Json)
        && let Err(exit) = settings.out(&rendered)
    {
        return exit;
    }
    for (path, kind) in reports {
        if let Err(e) = write_report(path, kind, &report) {
            return settings.fail(
                crate::msg!(
                    "report-cannot-write",
                    path = path.display().to_string(),
                    error = e.to_string()
                ),
                "",
            );
        }
    }
    if let Some(out) = &args.out {
        let written = p
            .saved
            .to_json()
            .map_err(std::io::Error::other)
            .and_then(|json| write_private(out, json.as_bytes()));
        if let Err(e) = written {
            return settings.fail(
                crate::msg!(
                    "plan-cannot-save",
                    path = out.display().to_string(),
                    error = e.to_string()
                ),
                "",
            );
        }
    }
    if the_plan.stops() {
        return settings.fail(crate::msg!("plan-guard"), crate::msg!("plan-guard-hint"));
    }
    if args.strict
        && report
            .problems
            .iter()
            .any(|p| p.severity == Severity::Error)
    {
        return settings.fail(
            crate::msg!("strict-plan-problems"),
            crate::msg!("fix-and-rerun-short"),
        );
    }
    if p.invalid_rows > 0 || the_plan.scope_incomplete() {
        return Exit::InvalidRows;
    }
    if args.detailed_exitcode && !the_plan.is_empty() {
        return Exit::ChangesPending;
    }
    Exit::Success
}

fn write_report(path: &Path, kind: ReportKind, report: &PlanReport<'_>) -> std::io::Result<()> {
    let format = match kind {
        ReportKind::Json => Format::Json,
        ReportKind::Text => Format::Text { color: false },
        ReportKind::Markdown => Format::Markdown,
        ReportKind::Csv => Format::Csv,
        ReportKind::Html => return std::fs::write(path, crate::report::html::html(report)),
        ReportKind::Xlsx => return Err(std::io::Error::other("no plan report as .xlsx")),
    };
    let body = format
        .formatter()
        .format(report)
        .map_err(std::io::Error::other)?;
    std::fs::write(path, body)
}
