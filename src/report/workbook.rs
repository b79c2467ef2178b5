//! The workbooks written for people to fill or edit, in the input format of inputs.md:
//! `export` (the portal's users and access, one row per person) and `template` (a blank sheet
//! with dropdowns: consent, an x per dossier, the organisation's structures). Both carry a
//! reference sheet of the structures and, for the template, French instructions; those sheets
//! start with `REFERENCE_MARK`, so reading them back skips them without a note.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Format, Formula, Workbook, XlsxError,
};

use crate::input::REFERENCE_MARK;
use crate::model::{Dossier, ObservedState, StructureInfo};

use super::table::{Table, write_sheet};

pub const PEOPLE_SHEET: &str = "Personnel";
pub const STRUCTURES_SHEET: &str = "Structures (référence)";

/// One row per portal user: Nom, Prénom, Email, [NRN,] Dossiers (labels), Structures (ids).
/// Sorted by name. Dossiers outside the v1 catalogue cannot be written back: returned apart.
pub fn people_table(observed: &ObservedState, with_nrn: bool) -> (Table, Vec<String>) {
    let mut headers = vec!["Nom", "Prénom", "Email"];
    if with_nrn {
        headers.push("NRN");
    }
    headers.extend(["Dossiers", "Structures"]);
    let mut users: Vec<_> = observed.users.iter().collect();
    users.sort_by(|a, b| {
        (
            a.last_name.to_lowercase(),
            a.first_name.to_lowercase(),
            &a.email_key,
        )
            .cmp(&(
                b.last_name.to_lowercase(),
                b.first_name.to_lowercase(),
                &b.email_key,
            ))
    });
    let mut unknown = Vec::new();
    let rows = users
        .iter()
        .map(|u| {
            for code in &u.other_dossiers {
                unknown.push(format!("{} ({}): {code}", u.email, u.id));
            }
            let mut row = vec![u.last_name.clone(), u.first_name.clone(), u.email.clone()];
            if with_nrn {
                row.push(
                    u.nrn
                        .as_ref()
                        .map(|n| n.expose().to_owned())
                        .unwrap_or_default(),
                );
            }
            row.push(
                u.dossiers
                    .iter()
                    .map(|d| d.label())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            row.push(
                u.structures
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            row
        })
        .collect();
    (Table::new(PEOPLE_SHEET, &headers, rows), unknown)
}

/// The organisation's structures, as a reference sheet reading skips.
pub fn structures_table(structures: &[StructureInfo]) -> Table {
    let mut list: Vec<&StructureInfo> = structures.iter().collect();
    list.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
    let mut t = Table::new(
        STRUCTURES_SHEET,
        &["Identifiant", "Dénomination", "Code postal", "Localité"],
        list.iter()
            .map(|s| {
                vec![
                    s.id.as_str().to_owned(),
                    s.name.clone(),
                    s.postal_code.clone(),
                    s.city.clone(),
                ]
            })
            .collect(),
    );
    t.preamble = vec![
        REFERENCE_MARK.to_owned(),
        "Les milieux d'accueil de l'organisation : écrivez l'identifiant (colonne A) dans la colonne Structures.".to_owned(),
    ];
    t
}

/// `export --out FILE.xlsx`.
pub fn export_xlsx(people: &Table, structures: &Table) -> Result<Vec<u8>, XlsxError> {
    super::table::xlsx_bytes(&[people, structures])
}

const TEMPLATE_ROWS: u32 = 1000;

const INSTRUCTIONS: &[&str] = &[
    REFERENCE_MARK,
    "Modèle proone-sync — accès au portail PRO.ONE",
    "",
    "1. Une ligne par personne dans la feuille « Personnel ». Une personne peut avoir plusieurs lignes : ses accès s'additionnent.",
    "2. Nom, Prénom et Email sont obligatoires pour créer une personne, ainsi que le NRN (numéro de registre national, 11 chiffres, avec ou sans points et tirets) et le Consentement « oui ».",
    "3. Pour une personne déjà présente sur le portail, l'Email ou le NRN suffit à la reconnaître.",
    "4. Dossiers : mettez « x » dans la colonne de chaque dossier à donner (Pré-demandes, Bilans, Mon équipe…). Laissez vide sinon.",
    "5. Structures : choisissez l'identifiant du milieu d'accueil dans la liste (feuille « Structures (référence) »). Plusieurs structures : une ligne par structure, ou les identifiants séparés par des virgules.",
    "6. Pré-demandes et Bilans valent pour toutes les structures de la personne (une seule liste de structures par personne sur le portail).",
    "7. Ne renommez pas les titres de colonnes. Les lignes vides sont ignorées.",
    "8. Vérifiez le fichier avec « proone-sync check modele.xlsx », puis « proone-sync plan modele.xlsx » montre ce qui changerait sur le portail.",
    "",
    "Le NRN est une donnée personnelle : ne partagez ce fichier qu'avec les personnes qui en ont besoin.",
];

/// `template --out FILE.xlsx`: the people sheet with its dropdowns, the instructions and the
/// structures. `rows` are written under the header (empty for a blank template; tests and
/// examples fill it the way a person would).
pub fn template_xlsx(
    structures: &[StructureInfo],
    dossiers: &[Dossier],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, XlsxError> {
    let mut headers: Vec<&str> = vec!["Nom", "Prénom", "Email", "NRN", "Consentement"];
    headers.extend(dossiers.iter().map(|d| d.label()));
    headers.push("Structures");
    let people = Table::new(PEOPLE_SHEET, &headers, rows.to_vec());
    let reference = structures_table(structures);
    let mut wb = Workbook::new();
    {
        let ws = wb.add_worksheet();
        write_sheet(ws, &people)?;
        let last = TEMPLATE_ROWS;
        let text = Format::new().set_num_format("@");
        // NRN as text: Excel must not turn it into a number and drop leading zeros.
        ws.set_column_format(3, &text)?;
        ws.set_column_width(3, 16)?;
        ws.set_column_width(4, 14)?;
        let consent = DataValidation::new()
            .allow_list_strings(&["oui", "non"])?
            .set_input_title("Consentement")?
            .set_input_message(
                "oui : la personne a donné son consentement (obligatoire pour la créer)",
            )?
            .set_error_message("Choisissez oui ou non dans la liste.")?;
        ws.add_data_validation(1, 4, last, 4, &consent)?;
        let mark = DataValidation::new()
            .allow_list_strings(&["x"])?
            .set_input_message("x pour donner ce dossier, vide sinon")?
            .set_error_message("Mettez x pour donner le dossier, ou laissez vide.")?;
        let first_dossier = 5u16;
        let last_dossier = first_dossier + dossiers.len() as u16 - 1;
        if !dossiers.is_empty() {
            ws.add_data_validation(1, first_dossier, last, last_dossier, &mark)?;
        }
        for c in first_dossier..=last_dossier {
            ws.set_column_width(c, 14)?;
        }
        let structures_col = last_dossier + 1;
        ws.set_column_width(structures_col, 24)?;
        if !structures.is_empty() {
            let top = reference.header_row() + 2; // 1-based first data row
            let bottom = reference.header_row() + 1 + structures.len() as u32;
            let list = DataValidation::new()
                .allow_list_formula(Formula::new(format!(
                    "='{STRUCTURES_SHEET}'!$A${top}:$A${bottom}"
                )))
                .set_input_message("Identifiant du milieu d'accueil (liste) ; plusieurs : séparés par des virgules")?
                .set_error_message("Cet identifiant n'est pas dans la liste des structures. Plusieurs structures : séparez-les par des virgules.")?
                // A list of several ids is allowed after a warning.
                .set_error_style(DataValidationErrorStyle::Warning);
            ws.add_data_validation(1, structures_col, last, structures_col, &list)?;
        }
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("Instructions")?;
        let title = Format::new().set_bold().set_font_size(14);
        let note = Format::new().set_italic().set_font_color("#595959");
        let wrap = Format::new().set_text_wrap();
        ws.set_column_width(0, 110)?;
        for (r, line) in INSTRUCTIONS.iter().enumerate() {
            let f = match r {
                0 => &note,
                1 => &title,
                _ => &wrap,
            };
            if !line.is_empty() {
                ws.write_string_with_format(r as u32, 0, *line, f)?;
            }
        }
    }
    {
        let ws = wb.add_worksheet();
        write_sheet(ws, &reference)?;
    }
    wb.save_to_buffer()
}
