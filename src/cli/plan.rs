//! `proone-sync plan INPUT…`: the dry run. Reads the inputs and the portal, plans, renders;
//! never sends a write.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::input::{expand_paths, read_inputs, resolve_structures};
use crate::model::Severity;
use crate::plan::{Mode, Plan, PlanOptions, plan};
use crate::report::plan::{PLAN_FORMAT, PlanReport, json, text};

use super::connect::{configured, connect};
use super::{Exit, PortalArgs, Settings};

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
    /// .md (for a ticket), .csv (Excel in Belgium: `;`, UTF-8 with BOM), .txt.
    #[arg(long = "report", value_name = "FILE")]
    pub reports: Vec<PathBuf>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
    /// Also revoke, from the people named in the inputs, what the inputs do not give them.
    #[arg(long)]
    pub prune: bool,
    /// Any error-level problem in the inputs fails the run (exit 1).
    #[arg(long)]
    pub strict: bool,
    /// Exit 2 when there are changes (0 when none).
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Let the plan go past the mass-change guards (max_revocations, 10 %, max_creations).
    #[arg(long)]
    pub allow_mass_change: bool,
    #[command(flatten)]
    pub portal: PortalArgs,
}

fn fail(message: impl std::fmt::Display, hint: &str) -> Exit {
    eprintln!("proone-sync: {message}");
    if !hint.is_empty() {
        eprintln!("  hint: {hint}");
    }
    Exit::Failed
}

pub fn run(args: &PlanArgs, settings: &Settings) -> Exit {
    let given = if args.inputs.is_empty() {
        settings.config.inputs.clone()
    } else {
        args.inputs.clone()
    };
    if given.is_empty() {
        return fail(
            "no input: name spreadsheets on the command line or `inputs` in the config file",
            "",
        );
    }
    for r in &args.reports {
        let ext = r
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if !matches!(ext.as_str(), "json" | "md" | "csv" | "txt") {
            return fail(
                format!(
                    "--report {}: no report format for that extension",
                    r.display()
                ),
                "use .json, .md, .csv or .txt",
            );
        }
    }
    let mut inputs = read_inputs(&expand_paths(&given), &settings.input);
    let input_errors = inputs
        .problems
        .iter()
        .any(|p| p.severity == Severity::Error);
    if inputs.stats.unreadable_files > 0 || (args.strict && input_errors) {
        // Nothing is planned from incomplete inputs: show why.
        let summary = crate::report::check::CheckSummary::new(&inputs.stats, &inputs.problems);
        eprint!("{}", crate::report::check::text(&summary, &inputs.problems));
        return fail(
            if inputs.stats.unreadable_files > 0 {
                "an input file cannot be read: nothing planned"
            } else {
                "--strict: the inputs have errors: nothing planned"
            },
            "fix the problems above and run again",
        );
    }
    if !configured(&args.portal, &settings.config) {
        return fail(
            "no portal configured: plan needs the portal's current state",
            "set --portal-url, PROONE_URL or [portal] url (or [portal.emulator] for the built-in one)",
        );
    }
    let conn = match connect(&args.portal, &settings.config, settings.input.today) {
        Ok(c) => c,
        Err(e) => return fail(&e, e.details()),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return fail(format!("cannot start the runtime: {e}"), ""),
    };
    let observed = match runtime.block_on(crate::portal::fetch_observed(
        &conn.client,
        settings.input.today,
    )) {
        Ok(o) => o,
        Err(e) => return fail(&e, e.details()),
    };
    let invalid = resolve_structures(
        &mut inputs.desired,
        &observed.structures,
        &mut inputs.problems,
    );
    inputs.stats.invalid_rows += invalid;
    let options = PlanOptions {
        mode: if args.prune {
            Mode::Prune
        } else {
            Mode::Additive
        },
        allow_mass_change: args.allow_mass_change,
        ..PlanOptions::default()
    };
    let the_plan = plan(&inputs.desired, &observed, &options);
    let organisation = format!(
        "{} ({})",
        observed.organisation.name, observed.organisation.id
    );
    let report = PlanReport::new(
        &the_plan,
        &inputs.problems,
        inputs.stats.invalid_rows,
        &observed.structures,
        &organisation,
    );
    let color = std::io::IsTerminal::is_terminal(&std::io::stdout())
        && std::env::var_os("NO_COLOR").is_none();
    let rendered = match args.format {
        PlanFormat::Json => json(&report),
        PlanFormat::Text => text(&report, color),
    };
    if !settings.quiet || args.format == PlanFormat::Json {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(rendered.as_bytes());
        let _ = out.flush();
    }
    for path in &args.reports {
        if let Err(e) = write_report(path, &report) {
            return fail(
                format!("{}: cannot write the report: {e}", path.display()),
                "",
            );
        }
    }
    if let Some(out) = &args.out {
        let saved = saved_plan(
            &the_plan,
            &report.fingerprint,
            conn.client.base_url(),
            &observed,
        );
        if let Err(e) = write_private(out, saved.as_bytes()) {
            return fail(format!("{}: cannot save the plan: {e}", out.display()), "");
        }
    }
    if the_plan.guard_tripped {
        return Exit::Failed;
    }
    if args.strict
        && report
            .problems
            .iter()
            .any(|p| p.severity == Severity::Error)
    {
        return Exit::Failed;
    }
    if inputs.stats.invalid_rows > 0 {
        return Exit::InvalidRows;
    }
    if args.detailed_exitcode && !the_plan.is_empty() {
        return Exit::ChangesPending;
    }
    Exit::Success
}

fn write_report(path: &Path, report: &PlanReport<'_>) -> std::io::Result<()> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let body = match ext.as_str() {
        "json" => json(report),
        "txt" => text(report, false),
        "md" => crate::report::plan::markdown(report),
        "csv" => crate::report::plan::csv(report),
        other => {
            return Err(std::io::Error::other(format!(
                "no report format for .{other} (use .json, .md, .csv or .txt)"
            )));
        }
    };
    std::fs::write(path, body)
}

/// Created readable and writable by its owner only, before anything is written in it.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    f.write_all(bytes)?;
    f.sync_all()
}

/// What `apply --plan` needs: the actions with whole NRNs for creates, the portal and
/// organisation, and each touched user's planned-from access and version.
fn saved_plan(
    p: &Plan,
    fingerprint: &str,
    portal_url: &str,
    observed: &crate::model::ObservedState,
) -> String {
    use serde_json::json;
    let touched: std::collections::BTreeSet<&str> = p
        .actions
        .iter()
        .filter_map(|a| a.user_id.as_deref())
        .collect();
    let users: Vec<_> = observed
        .users
        .iter()
        .filter(|u| touched.contains(u.id.as_str()))
        .map(|u| {
            json!({
                "user_id": u.id, "version": u.version,
                "dossiers": u.dossiers.iter().map(|d| d.code()).collect::<Vec<_>>(),
                "structures": u.structures.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let actions: Vec<_> = p
        .actions
        .iter()
        .map(|a| {
            json!({
                "id": a.id, "op": a.op, "email": &*a.email, "user_id": a.user_id.as_deref(),
                "dossier": a.dossier.map(|d| d.code()), "structure": a.structure.as_ref().map(|s| s.as_str()),
                "depends_on": a.depends_on,
                "sources": a.sources.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "new_user": a.new_user.as_ref().map(|n| json!({
                    "last_name": n.last_name, "first_name": n.first_name, "email": n.email,
                    "nrn": n.nrn.expose(),
                })),
            })
        })
        .collect();
    let doc = json!({
        "format": PLAN_FORMAT,
        "saved": true,
        "fingerprint": fingerprint,
        "mode": p.mode,
        "portal_url": portal_url,
        "organisation": {"id": observed.organisation.id, "name": observed.organisation.name},
        "actions": actions,
        "users": users,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
