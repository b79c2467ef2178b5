//! `proone-sync export --out FILE` and `proone-sync template --out FILE.xlsx`: the portal's
//! users and access as a spreadsheet in the input format (so a run can start from what is
//! there), and a blank input workbook for HR with dropdowns of the organisation's dossiers and
//! structures.

use std::path::PathBuf;

use clap::Args;

use crate::apply::write_private;
use crate::model::Dossier;
use crate::report::workbook::{export_xlsx, people_table, structures_table, template_xlsx};

use super::connect::open;
use super::extension;
use super::{Exit, PortalArgs, Settings};
use crate::t;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Where to write: .xlsx (with a reference sheet of the structures) or .csv (`;`, UTF-8
    /// with BOM, for Excel in Belgium).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Include each user's whole NRN (the file is then created readable by its owner only).
    #[arg(long)]
    pub with_nrn: bool,
    #[command(flatten)]
    pub portal: PortalArgs,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Where to write the workbook (.xlsx).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub portal: PortalArgs,
}

pub fn export(args: &ExportArgs, settings: &Settings) -> Exit {
    let ext = extension(&args.out);
    if !matches!(ext.as_str(), "xlsx" | "csv") {
        return settings.fail(
            crate::msg!("export-extension", path = args.out.display().to_string()),
            "",
        );
    }
    let (conn, rt) = match open(&args.portal, settings, &t!("why-export")) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let observed = match rt.block_on(crate::portal::fetch_observed(
        &conn.client,
        settings.input.today,
    )) {
        Ok(o) => o,
        Err(e) => return settings.fail_portal(&e),
    };
    let (people, unknown) = people_table(&observed, args.with_nrn);
    for u in &unknown {
        settings.say("WARN", crate::msg!("export-unknown-dossier", user = u), "");
    }
    let bytes = match ext.as_str() {
        "xlsx" => match export_xlsx(&people, &structures_table(&observed.structures)) {
            Ok(b) => b,
            Err(e) => {
                return settings.fail(
                    crate::msg!(
                        "cannot-build-workbook",
                        path = args.out.display().to_string(),
                        error = e.to_string()
                    ),
                    "",
                );
            }
        },
        _ => match crate::report::table::csv_text(&people) {
            Ok(text) => text.into_bytes(),
            Err(e) => {
                return settings.fail(
                    crate::msg!(
                        "cannot-build-csv",
                        path = args.out.display().to_string(),
                        error = e.to_string()
                    ),
                    "",
                );
            }
        },
    };
    // With whole NRNs the file is personal data: readable by its owner only.
    let written = if args.with_nrn {
        write_private(&args.out, &bytes)
    } else {
        std::fs::write(&args.out, &bytes)
    };
    if let Err(e) = written {
        return settings.fail(
            crate::msg!(
                "cannot-write-file",
                path = args.out.display().to_string(),
                error = e.to_string()
            ),
            "",
        );
    }
    if !settings.quiet
        && let Err(exit) = settings.out(&format!(
            "{}\n",
            if args.with_nrn {
                t!(
                    "exported-with-nrn",
                    path = args.out.display().to_string(),
                    count = people.rows.len(),
                    organisation = &observed.organisation.name,
                    id = &observed.organisation.id
                )
            } else {
                t!(
                    "exported",
                    path = args.out.display().to_string(),
                    count = people.rows.len(),
                    organisation = &observed.organisation.name,
                    id = &observed.organisation.id
                )
            }
        ))
    {
        return exit;
    }
    Exit::Success
}

pub fn template(args: &TemplateArgs, settings: &Settings) -> Exit {
    if extension(&args.out) != "xlsx" {
        return settings.fail(
            crate::msg!("template-extension", path = args.out.display().to_string()),
            "",
        );
    }
    let (conn, rt) = match open(&args.portal, settings, &t!("why-template")) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let catalogue = match rt.block_on(crate::portal::fetch_catalogue(&conn.client)) {
        Ok(c) => c,
        Err(e) => return settings.fail_portal(&e),
    };
    let offered: Vec<Dossier> = Dossier::ALL
        .into_iter()
        .filter(|d| catalogue.dossiers.iter().any(|x| x.code == d.code()))
        .collect();
    let bytes = match template_xlsx(&catalogue.structures, &offered, &[]) {
        Ok(b) => b,
        Err(e) => {
            return settings.fail(
                crate::msg!(
                    "cannot-build-workbook",
                    path = args.out.display().to_string(),
                    error = e.to_string()
                ),
                "",
            );
        }
    };
    if let Err(e) = std::fs::write(&args.out, bytes) {
        return settings.fail(
            crate::msg!(
                "cannot-write-file",
                path = args.out.display().to_string(),
                error = e.to_string()
            ),
            "",
        );
    }
    if !settings.quiet
        && let Err(exit) = settings.out(&format!(
            "{}\n",
            t!(
                "template-written",
                path = args.out.display().to_string(),
                dossiers = offered.len(),
                structures = catalogue.structures.len(),
                organisation = &catalogue.me.organisation.name
            )
        ))
    {
        return exit;
    }
    Exit::Success
}
