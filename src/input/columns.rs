//! Which column holds what: the header aliases (FR/NL/EN, plus any from config), wide-form
//! dossier columns, and finding the header row below title lines and notes.

use std::collections::HashMap;

use crate::model::Dossier;
use crate::model::text::fold;

use super::sheet::{Cell, RawRow};

pub use crate::model::Field;

impl Field {
    pub const NAMED: [Field; 9] = [
        Field::LastName,
        Field::FirstName,
        Field::Email,
        Field::Nrn,
        Field::Consent,
        Field::Dossiers,
        Field::Structures,
        Field::From,
        Field::Until,
    ];

    /// The key used in config (`[input.aliases] email = [...]`).
    pub fn config_key(self) -> &'static str {
        match self {
            Field::LastName => "last_name",
            Field::FirstName => "first_name",
            Field::Email => "email",
            Field::Nrn => "nrn",
            Field::Consent => "consent",
            Field::Dossiers => "dossiers",
            Field::Structures => "structures",
            Field::From => "from",
            Field::Until => "until",
            Field::Dossier(d) => d.code(),
        }
    }

    /// The header people would write (for messages).
    pub fn header(self) -> &'static str {
        match self {
            Field::LastName => "Nom",
            Field::FirstName => "Prénom",
            Field::Email => "Email",
            Field::Nrn => "NRN",
            Field::Consent => "Consentement",
            Field::Dossiers => "Dossiers",
            Field::Structures => "Structures",
            Field::From => "Du",
            Field::Until => "Au",
            Field::Dossier(d) => d.label(),
        }
    }

    fn builtin_aliases(self) -> &'static [&'static str] {
        match self {
            Field::LastName => &[
                "Nom",
                "Nom de famille",
                "Last name",
                "Surname",
                "Achternaam",
                "Familienaam",
            ],
            Field::FirstName => &["Prénom", "First name", "Given name", "Voornaam"],
            Field::Email => &[
                "Email",
                "E-mail",
                "Adresse e-mail",
                "Courriel",
                "Mail",
                "E-mailadres",
            ],
            Field::Nrn => &[
                "NRN",
                "Numéro de registre national",
                "Registre national",
                "N° national",
                "NISS",
                "Rijksregisternummer",
                "National number",
            ],
            Field::Consent => &["Consentement", "Consent", "Toestemming"],
            Field::Dossiers => &["Dossiers", "Accès", "Access", "Modules", "Toegang"],
            Field::Structures => &[
                "Structures",
                "Structure",
                "Milieux d'accueil",
                "Milieu d'accueil",
                "Opvang",
                "Opvanglocaties",
            ],
            Field::From => &[
                "Du",
                "Début",
                "Date de début",
                "À partir du",
                "Entrée",
                "Date d'entrée",
                "From",
                "Start",
                "Start date",
                "Van",
                "Begin",
                "Begindatum",
                "Startdatum",
            ],
            Field::Until => &[
                "Au",
                "Fin",
                "Date de fin",
                "Jusqu'au",
                "Sortie",
                "Date de sortie",
                "Until",
                "End",
                "End date",
                "Tot",
                "Einde",
                "Einddatum",
            ],
            Field::Dossier(_) => &[],
        }
    }

    pub fn from_config_key(key: &str) -> Option<Field> {
        Field::NAMED.into_iter().find(|f| f.config_key() == key)
    }
}

/// Folded header text → field, built once from the built-in aliases, the catalogue and config.
#[derive(Debug, Clone)]
pub struct HeaderAliases {
    map: HashMap<String, Field>,
}

impl HeaderAliases {
    pub fn new(extra: &[(Field, String)]) -> HeaderAliases {
        let mut map = HashMap::new();
        for d in Dossier::ALL {
            map.insert(fold(d.code()), Field::Dossier(d));
            map.insert(fold(d.label()), Field::Dossier(d));
        }
        for f in Field::NAMED {
            for a in f.builtin_aliases() {
                map.insert(fold(a), f);
            }
        }
        for (f, a) in extra {
            map.insert(fold(a), *f);
        }
        HeaderAliases { map }
    }

    pub fn field(&self, header: &str) -> Option<Field> {
        let key = fold(header);
        if key.is_empty() {
            return None;
        }
        self.map
            .get(&key)
            .copied()
            // Wide form also takes a singular label (« Pré-demande », « Bilan »).
            .or_else(|| Dossier::recognise(header).map(Field::Dossier))
    }
}

impl Default for HeaderAliases {
    fn default() -> Self {
        HeaderAliases::new(&[])
    }
}

/// The header row found in a sheet: which column is which.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    pub header_row: u32,
    /// Known columns, in column order. A field may appear twice (a second list column).
    pub known: Vec<(u32, Field)>,
    /// Unknown non-empty headers (column, text), reported once as a note.
    pub unknown: Vec<(u32, String)>,
    /// Scalar fields named by more than one column: the later ones are ignored.
    pub duplicates: Vec<(u32, Field)>,
}

impl ColumnMap {
    pub fn column_of(&self, field: Field) -> Option<u32> {
        self.known
            .iter()
            .find(|(_, f)| *f == field)
            .map(|(c, _)| *c)
    }

    pub fn width(&self) -> u32 {
        let known = self.known.iter().map(|(c, _)| *c);
        let unknown = self.unknown.iter().map(|(c, _)| *c);
        known.chain(unknown).max().map_or(0, |c| c + 1)
    }
}

fn header_text(cell: &Cell) -> Option<&str> {
    match cell {
        Cell::Text(s) => Some(s),
        _ => None,
    }
}

/// The first row that names at least two known columns, with its map; `None` for a sheet
/// without one (a "Listes" tab, a pivot).
pub fn find_header<'a>(
    rows: impl IntoIterator<Item = &'a RawRow>,
    aliases: &HeaderAliases,
) -> Option<(usize, ColumnMap)> {
    rows.into_iter()
        .enumerate()
        .find_map(|(index, row)| header_of(row, aliases).map(|m| (index, m)))
}

/// The row's column map if it is a header row (it names at least two known columns).
pub fn header_of(row: &RawRow, aliases: &HeaderAliases) -> Option<ColumnMap> {
    let known = row
        .cells
        .iter()
        .filter(|(_, c)| header_text(c).and_then(|h| aliases.field(h)).is_some())
        .count();
    (known >= 2).then(|| map_columns(row, aliases))
}

fn map_columns(row: &RawRow, aliases: &HeaderAliases) -> ColumnMap {
    let mut map = ColumnMap {
        header_row: row.number,
        known: Vec::new(),
        unknown: Vec::new(),
        duplicates: Vec::new(),
    };
    for (col, cell) in &row.cells {
        let text = cell.display();
        if text.trim().is_empty() {
            continue;
        }
        match header_text(cell).and_then(|h| aliases.field(h)) {
            Some(f) => {
                let list = matches!(f, Field::Dossiers | Field::Structures);
                if !list && map.known.iter().any(|(_, k)| *k == f) {
                    map.duplicates.push((*col, f));
                } else {
                    map.known.push((*col, f));
                }
            }
            None => map.unknown.push((*col, crate::model::text::clean(&text))),
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(number: u32, cells: &[(u32, &str)]) -> RawRow {
        RawRow {
            number,
            cells: cells
                .iter()
                .map(|(c, s)| (*c, Cell::Text((*s).to_owned())))
                .collect(),
        }
    }

    #[test]
    fn aliases_match_in_three_languages_whatever_the_spelling() {
        let a = HeaderAliases::default();
        assert_eq!(a.field(" PRÉNOM "), Some(Field::FirstName));
        assert_eq!(a.field("Nom de famille"), Some(Field::LastName));
        assert_eq!(a.field("E-mailadres"), Some(Field::Email));
        assert_eq!(a.field("N° national"), Some(Field::Nrn));
        assert_eq!(a.field("n national"), Some(Field::Nrn));
        assert_eq!(a.field("Rijksregisternummer"), Some(Field::Nrn));
        assert_eq!(a.field("Milieux d’accueil"), Some(Field::Structures));
        assert_eq!(a.field("Toegang"), Some(Field::Dossiers));
        assert_eq!(
            a.field("Pré-demande"),
            Some(Field::Dossier(Dossier::PreDemandes))
        );
        assert_eq!(
            a.field("mon-equipe"),
            Some(Field::Dossier(Dossier::MonEquipe))
        );
        assert_eq!(a.field("Fonction"), None);
        // A row's period (inputs.md "Dates"), in the three languages.
        for h in [
            "Du",
            "DÉBUT",
            "date d’entrée",
            "À partir du",
            "Start date",
            "Begindatum",
        ] {
            assert_eq!(a.field(h), Some(Field::From), "{h}");
        }
        for h in [
            "Au",
            "fin",
            "Jusqu'au",
            "Date de sortie",
            "End date",
            "Tot",
            "Einddatum",
        ] {
            assert_eq!(a.field(h), Some(Field::Until), "{h}");
        }
        assert_eq!(a.field(""), None);
    }

    #[test]
    fn config_aliases_add_to_the_builtin_ones() {
        let a = HeaderAliases::new(&[
            (Field::Email, "Adresse professionnelle".into()),
            (Field::Until, "Dernier jour".into()),
        ]);
        assert_eq!(a.field("adresse  professionnelle"), Some(Field::Email));
        assert_eq!(a.field("Dernier jour"), Some(Field::Until));
        assert_eq!(Field::from_config_key("from"), Some(Field::From));
        assert_eq!(Field::from_config_key("until"), Some(Field::Until));
        assert_eq!(a.field("Email"), Some(Field::Email));
    }

    #[test]
    fn header_is_the_first_row_naming_two_known_columns() {
        let rows = vec![
            row(1, &[(0, "Liste du personnel — Nom et accès")]),
            row(2, &[(0, "Nom")]),
            row(
                4,
                &[(1, "Nom"), (2, "Prénom"), (3, "Fonction"), (4, "Bilans")],
            ),
            row(5, &[(1, "Dupont")]),
        ];
        let (index, map) = find_header(&rows, &HeaderAliases::default()).unwrap();
        assert_eq!(index, 2);
        assert_eq!(map.header_row, 4);
        assert_eq!(map.column_of(Field::LastName), Some(1));
        assert_eq!(map.column_of(Field::Dossier(Dossier::Bilans)), Some(4));
        assert_eq!(map.unknown, vec![(3, "Fonction".to_owned())]);
    }

    #[test]
    fn a_sheet_of_lists_has_no_header() {
        let rows = vec![row(1, &[(0, "Structures")]), row(2, &[(0, "MA-00101")])];
        assert!(find_header(&rows, &HeaderAliases::default()).is_none());
    }
}
