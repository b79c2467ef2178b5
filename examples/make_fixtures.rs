//! Writes the xlsx fixtures under `fixtures/` with a real spreadsheet writer (rust_xlsxwriter).
//! `fixtures/generate.sh` runs it, then makes the .ods (LibreOffice), the Windows-1252 CSV
//! (Python) and the broken files. The expected problems of each are asserted in `tests/`.
//!
//!     cargo run --example make_fixtures -- fixtures

use std::error::Error;
use std::path::{Path, PathBuf};

use proone_sync::model::check_digits;
use rust_xlsxwriter::{Formula, Workbook, Worksheet};

type Res<T = ()> = Result<T, Box<dyn Error>>;

/// An 11-digit NRN for a birth date and sequence number.
fn nrn(yy: u64, mm: u64, dd: u64, seq: u64, born_2000s: bool) -> String {
    let first9 = yy * 10_000_000 + mm * 100_000 + dd * 1000 + seq;
    format!("{first9:09}{:02}", check_digits(first9, born_2000s))
}

fn dotted(n: &str) -> String {
    format!(
        "{}.{}.{}-{}.{}",
        &n[0..2],
        &n[2..4],
        &n[4..6],
        &n[6..9],
        &n[9..11]
    )
}

enum V<'a> {
    S(&'a str),
    N(f64),
    F(&'a str, &'a str),
    E,
}

fn row(ws: &mut Worksheet, r: u32, c0: u16, cells: &[V<'_>]) -> Res {
    for (i, v) in cells.iter().enumerate() {
        let c = c0 + i as u16;
        match v {
            V::S(s) => {
                ws.write_string(r, c, *s)?;
            }
            V::N(n) => {
                ws.write_number(r, c, *n)?;
            }
            V::F(f, result) => {
                ws.write_formula(r, c, Formula::new(*f).set_result(*result))?;
            }
            V::E => {}
        }
    }
    Ok(())
}

fn personnel(dir: &Path) -> Res {
    use V::*;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Personnel")?;
    let dupont = nrn(85, 7, 30, 33, false);
    assert_eq!(dupont, "85073003328");
    let vdb = dotted(&nrn(90, 2, 15, 124, false));
    let martin = nrn(3, 5, 12, 101, true); // born 2003: Excel drops the leading zero
    let leroy = nrn(78, 11, 2, 56, false);
    let mut peeters = nrn(92, 11, 3, 217, false);
    peeters.replace_range(10..11, if peeters.ends_with('9') { "8" } else { "9" });
    let dubois = nrn(88, 4, 21, 310, false);
    let lambert = nrn(81, 9, 9, 77, false);
    let fontaine_bis = nrn(95, 43, 17, 402, false); // BIS number, month + 40
    let haddad = nrn(79, 1, 28, 190, false);
    row(
        ws,
        0,
        0,
        &[S("Liste du personnel — accès au portail PRO.ONE")],
    )?;
    row(
        ws,
        1,
        0,
        &[S(
            "Mise à jour : novembre 2026. Ne pas modifier les en-têtes.",
        )],
    )?;
    row(
        ws,
        3,
        0,
        &[
            S("  NOM "),
            S("Prénom"),
            S("Adresse  e-mail"),
            S("N° national"),
            S("Consentement "),
            S("Accès"),
            S("Milieux d'accueil"),
            S("Fonction"),
        ],
    )?;
    let n = |s: &str| -> f64 { s.parse().unwrap_or(0.0) };
    row(
        ws,
        4,
        0,
        &[
            S("Dupont"),
            S("Marie"),
            S("marie.dupont@lespetitspas.be"),
            N(n(&dupont)),
            S("oui"),
            S("Pré-demandes, Bilans"),
            S("MA-00101; MA-00102"),
            S("Directrice"),
        ],
    )?;
    row(
        ws,
        5,
        0,
        &[
            S("Van  den Berg"),
            S("Élodie"),
            S("elodie.vandenberg@lespetitspas.be"),
            S(&vdb),
            S("x"),
            S("Bilans"),
            S("Crèche Les Lutins (5000)"),
            S("Puéricultrice"),
        ],
    )?;
    row(
        ws,
        6,
        0,
        &[
            S("Martin"),
            S("Lucas"),
            S("lucas.martin@lespetitspas.be"),
            N(n(&martin)),
            N(1.0),
            S("Mon équipe"),
            E,
            S("Stagiaire"),
        ],
    )?;
    row(
        ws,
        7,
        0,
        &[
            S("Leroy"),
            S("Sophie"),
            S("sophie.leroy@lespetitspas"),
            N(n(&leroy)),
            S("oui"),
            S("Bilans"),
            S("MA-00103"),
            E,
        ],
    )?;
    row(
        ws,
        8,
        0,
        &[
            S("Peeters"),
            S("Jan"),
            S("jan.peeters@lespetitspas.be"),
            S(&dotted(&peeters)),
            S("oui"),
            S("Bilans"),
            S("MA-00103"),
            E,
        ],
    )?;
    row(
        ws,
        9,
        0,
        &[
            S("Dubois"),
            S("Claire"),
            S("claire.dubois@lespetitspas.be"),
            N(n(&dubois)),
            S("Oui"),
            S("Tout les projets"),
            E,
            E,
        ],
    )?;
    row(
        ws,
        10,
        0,
        &[
            S("Dupont"),
            S("Marie"),
            S("MARIE.DUPONT@lespetitspas.be"),
            E,
            E,
            S("Mon équipe"),
            S("MA-00101"),
            E,
        ],
    )?;
    row(
        ws,
        12,
        0,
        &[
            S("Lambert"),
            S("Hugo"),
            S("hugo.lambert@lespetitspas.be"),
            N(n(&lambert)),
            S("oui"),
            S("Bilans"),
            S("MA-00104"),
            E,
        ],
    )?;
    row(
        ws,
        13,
        0,
        &[
            S("Lambert"),
            S("Hugo"),
            S("h.lambert@lespetitspas.be"),
            N(n(&lambert)),
            S("oui"),
            S("Bilans"),
            S("MA-00104"),
            E,
        ],
    )?;
    row(
        ws,
        14,
        0,
        &[
            S("Fontaine"),
            S("Julie"),
            S("julie.fontaine@lespetitspas.be"),
            S(&fontaine_bis),
            S("peut-être"),
            S("Bilans"),
            S("MA-00102"),
            E,
        ],
    )?;
    row(
        ws,
        15,
        0,
        &[
            S("Haddad"),
            S("Nadia"),
            F(
                "=LOWER(\"Nadia.Haddad@LesPetitsPas.be\")",
                "nadia.haddad@lespetitspas.be",
            ),
            N(n(&haddad)),
            S("oui"),
            S("Pré-demande"),
            S("Les Petits Loups – Namur"),
            E,
        ],
    )?;
    ws.set_column_width(0, 16)?;
    ws.set_column_width(2, 34)?;

    let lists = wb.add_worksheet().set_name("Listes")?;
    row(lists, 0, 0, &[S("Dossiers")])?;
    for (i, d) in ["Pré-demandes", "Bilans", "Mon équipe"].iter().enumerate() {
        row(lists, i as u32 + 1, 0, &[S(d)])?;
    }
    let archive = wb.add_worksheet().set_name("Archive 2024")?;
    row(archive, 0, 0, &[S("Nom"), S("Email"), S("Dossiers")])?;
    row(
        archive,
        1,
        0,
        &[S("Ancien"), S("pas-une-adresse"), S("Bilans")],
    )?;
    archive.set_hidden(true);
    wb.save(dir.join("personnel.xlsx"))?;
    Ok(())
}

fn grille(dir: &Path) -> Res {
    use V::*;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Accès")?;
    row(
        ws,
        0,
        0,
        &[
            S("Nom"),
            S("Prénom"),
            S("Email"),
            S("Pré-demandes"),
            S("Bilans"),
            S("Mon équipe"),
            S("Tous les projets"),
            S("Structures"),
        ],
    )?;
    row(
        ws,
        1,
        0,
        &[
            S("Dupont"),
            S("Marie"),
            S("marie.dupont@lespetitspas.be"),
            S("x"),
            S("X"),
            E,
            E,
            S("MA-00101"),
        ],
    )?;
    row(
        ws,
        2,
        0,
        &[
            S("Renard"),
            S("Paul"),
            S("paul.renard@lespetitspas.be"),
            S("✓"),
            S("non"),
            S("oui"),
            N(1.0),
            S("MA-00105\nMA-00106"),
        ],
    )?;
    row(
        ws,
        3,
        0,
        &[
            S("Simon"),
            S("Inès"),
            S("ines.simon@lespetitspas.be"),
            E,
            S("?"),
            S("x"),
            E,
            S("ma-00107"),
        ],
    )?;
    row(
        ws,
        4,
        0,
        &[
            E,
            E,
            S("nadia.haddad@lespetitspas.be"),
            E,
            S("x"),
            E,
            E,
            S("MA-00108"),
        ],
    )?;
    wb.save(dir.join("acces-grille.xlsx"))?;
    Ok(())
}

fn debut_b3(dir: &Path) -> Res {
    use V::*;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Feuil1")?;
    row(
        ws,
        2,
        1,
        &[S("Nom"), S("Prénom"), S("Email"), S("Dossiers")],
    )?;
    row(
        ws,
        3,
        1,
        &[
            S("Gilles"),
            S("Anne"),
            S("anne.gilles@lespetitspas.be"),
            S("Bilans"),
        ],
    )?;
    row(
        ws,
        4,
        1,
        &[
            S("Maes"),
            S("Tom"),
            S("tom.maes(at)lespetitspas.be"),
            S("Bilans"),
        ],
    )?;
    row(
        ws,
        5,
        1,
        &[
            S("Claes"),
            S("Eva"),
            S("eva.claes@lespetitspas.be"),
            S("Bilan annuel"),
        ],
    )?;
    wb.save(dir.join("debut-b3.xlsx"))?;
    Ok(())
}

fn isolee(dir: &Path) -> Res {
    use V::*;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Personnel")?;
    row(ws, 0, 0, &[S("Nom"), S("Email"), S("Dossiers")])?;
    row(
        ws,
        1,
        0,
        &[
            S("Gilles"),
            S("anne.gilles@lespetitspas.be"),
            S("Mon équipe"),
        ],
    )?;
    // One stray value in the very last cell: the used range becomes A1:XFD1048576.
    row(ws, 1_048_575, 16_383, &[S("x")])?;
    wb.save(dir.join("cellule-isolee.xlsx"))?;
    Ok(())
}

/// Dutch headers, saved as xlsx here and converted to .ods by LibreOffice in generate.sh.
fn toegang_nl(dir: &Path) -> Res {
    use V::*;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Medewerkers")?;
    row(
        ws,
        0,
        0,
        &[
            S("Achternaam"),
            S("Voornaam"),
            S("E-mailadres"),
            S("Rijksregisternummer"),
            S("Toestemming"),
            S("Toegang"),
            S("Opvanglocaties"),
        ],
    )?;
    let a = nrn(87, 6, 14, 211, false);
    let b = nrn(1, 2, 3, 45, true); // born 2001
    let c = nrn(93, 10, 30, 88, false);
    row(
        ws,
        1,
        0,
        &[
            S("Janssens"),
            S("Lotte"),
            S("lotte.janssens@lespetitspas.be"),
            N(a.parse()?),
            S("ja"),
            S("Bilans | Mon équipe"),
            S("MA-00110"),
        ],
    )?;
    row(
        ws,
        2,
        0,
        &[
            S("De Smet"),
            S("Pieter"),
            S("pieter.desmet@lespetitspas.be"),
            N(b.parse()?),
            S("nee"),
            S("Pré-demandes"),
            S("MA-00110, MA-00111"),
        ],
    )?;
    row(
        ws,
        3,
        0,
        &[
            S("Wouters"),
            S("Sara"),
            S("sara.wouters@lespetitspas.be"),
            N(c.parse()?),
            S("misschien"),
            S("Bilans"),
            S("MA-00111"),
        ],
    )?;
    wb.save(dir.join("toegang-nl.xlsx"))?;
    Ok(())
}

fn sans_entete(dir: &Path) -> Res {
    use V::*;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Feuil1")?;
    row(
        ws,
        0,
        0,
        &[S("Dupont"), S("Marie"), S("marie.dupont@lespetitspas.be")],
    )?;
    row(
        ws,
        1,
        0,
        &[S("Martin"), S("Lucas"), S("lucas.martin@lespetitspas.be")],
    )?;
    wb.save(dir.join("sans-entete.xlsx"))?;
    Ok(())
}

/// `fixtures/portal-seed.json`: a believable organisation for the emulator — 40 structures (two
/// « Les Petits Loups » in two towns), 60 users with mixed profiles and access, and tokens for
/// an administrateur, a gestion-utilisateurs account and an account with no profile.
fn portal_seed(dir: &Path) -> Res {
    use serde_json::json;
    let towns = [
        ("5000", "Namur"),
        ("4000", "Liège"),
        ("1000", "Bruxelles"),
        ("6000", "Charleroi"),
        ("7000", "Mons"),
        ("1300", "Wavre"),
        ("5100", "Jambes"),
        ("6700", "Arlon"),
    ];
    let names = [
        "Crèche Les Lutins",
        "Les Petits Loups",
        "Les Petits Loups",
        "Maison d'enfants Arc-en-ciel",
        "Crèche Les Coccinelles",
        "Les Bout'chous",
        "Le Nid Douillet",
        "Les Marmousets",
        "Crèche Pomme d'Api",
        "Les Petits Pas",
        "Halte-accueil Les Écureuils",
        "Les P'tits Câlins",
        "Crèche Les Papillons",
        "Co-accueil La Ribambelle",
        "Les Frimousses",
        "Crèche Le Petit Prince",
        "Les Doudous",
        "Maison d'enfants Les Moussaillons",
        "Crèche Les Oursons",
        "Le Jardin des Bambins",
        "Les Galopins",
        "Crèche La Farandole",
        "Les Minipouces",
        "Crèche Les Hirondelles",
        "Les Pitchouns",
        "Crèche Bambi",
        "Les Diablotins",
        "Crèche L'Île aux Enfants",
        "Les Petites Canailles",
        "Crèche Les Lucioles",
        "Les Chatons",
        "Crèche Le Cerf-Volant",
        "Les Mille-Pattes",
        "Crèche Les Tournesols",
        "Les Petits Génies",
        "Crèche Les Dauphins",
        "Les Poussins",
        "Crèche La Courte Échelle",
        "Les Tipis",
        "Crèche Les Étoiles",
    ];
    let structures: Vec<_> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            // The two « Les Petits Loups » are in Namur and Liège.
            let (pc, city) = match i {
                1 => towns[0],
                2 => towns[1],
                _ => towns[i % towns.len()],
            };
            json!({"id": format!("MA-{:05}", 101 + i), "name": n, "postal_code": pc, "city": city})
        })
        .collect();
    let last = [
        "Dupont",
        "Janssens",
        "Peeters",
        "Maes",
        "Jacobs",
        "Mertens",
        "Willems",
        "Claes",
        "Goossens",
        "Wouters",
        "De Smet",
        "Dubois",
        "Lambert",
        "Martin",
        "Leroy",
        "Renard",
        "Simon",
        "Laurent",
        "Lefèvre",
        "Mathieu",
        "François",
        "Gérard",
        "Hermans",
        "Michel",
        "Van den Berg",
    ];
    let first = [
        "Marie", "Lotte", "Jan", "Tom", "Eva", "Anne", "Luc", "Sophie", "Hugo", "Claire", "Élodie",
        "Nadia", "Inès", "Paul", "Zoé", "Chloé", "Noah", "Léa", "Théo", "Camille",
    ];
    let dossiers = [
        "pre-demandes",
        "bilans",
        "mon-equipe",
        "accueil-petite-enfance",
        "tous-les-projets",
    ];
    let mut users = Vec::new();
    for i in 0..60u64 {
        let (l, f) = match i {
            0 => ("Administratrice", "Sylvie"),
            1 => ("Gestionnaire", "Marc"),
            2 => ("Sans-Profil", "Paul"),
            // Marie Dupont of fixtures/personnel.xlsx, with part of her access already.
            3 => ("Dupont", "Marie"),
            _ => (
                last[(i as usize * 7) % last.len()],
                first[(i as usize * 3) % first.len()],
            ),
        };
        let email = match i {
            0 => "sylvie.admin@lespetitspas.be".to_owned(),
            1 => "marc.gestion@lespetitspas.be".to_owned(),
            2 => "paul.sansprofil@lespetitspas.be".to_owned(),
            3 => "marie.dupont@lespetitspas.be".to_owned(),
            _ => format!(
                "{}.{}{}@lespetitspas.be",
                ascii(f),
                ascii(l).replace(' ', ""),
                i
            ),
        };
        let nrn_value = if i == 3 {
            "85073003328".to_owned()
        } else {
            let born_2000s = i % 9 == 0;
            nrn(
                if born_2000s { i % 6 } else { 60 + i % 35 },
                1 + i % 12,
                1 + i % 28,
                100 + i,
                born_2000s,
            )
        };
        let profiles: Vec<&str> = match i {
            0 => vec!["administrateur"],
            1 => vec!["gestion-utilisateurs"],
            _ if i % 17 == 5 => vec!["administrateur"],
            _ => vec![],
        };
        let d: Vec<&str> = match i {
            0..=2 => vec![],
            3 => vec!["pre-demandes"],
            _ => dossiers
                .iter()
                .enumerate()
                .filter(|(k, _)| (i as usize + k).is_multiple_of(3))
                .map(|(_, d)| *d)
                .collect(),
        };
        let st: Vec<String> = match i {
            0..=2 => vec![],
            3 => vec!["MA-00101".into()],
            _ => (0..(i % 3))
                .map(|k| format!("MA-{:05}", 101 + (i * 5 + k * 11) % 40))
                .collect(),
        };
        let version = 1 + d.len() as u64 + st.len() as u64;
        users.push(json!({
            "id": format!("u-{:06}", i + 1), "last_name": l, "first_name": f, "email": email,
            "nrn": nrn_value, "profiles": profiles, "dossiers": d, "structures": st, "version": version
        }));
    }
    let seed = json!({
        "organisation": {"id": "org-0042", "name": "ASBL Les Petits Pas"},
        "tokens": {
            "tok-admin-7f3c9a": "u-000001",
            "tok-gestion-2b81d4": "u-000002",
            "tok-noprofile-5e0d17": "u-000003"
        },
        "structures": structures,
        "users": users,
    });
    std::fs::write(
        dir.join("portal-seed.json"),
        serde_json::to_string_pretty(&seed)? + "\n",
    )?;
    Ok(())
}

/// Lower-case ASCII for e-mail local parts (« Élodie » → « elodie »).
fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'É' => 'e',
            'ç' => 'c',
            'ï' | 'î' => 'i',
            'ô' => 'o',
            'à' => 'a',
            c => c.to_ascii_lowercase(),
        })
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
        .collect()
}

fn main() -> Res {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "fixtures".into()));
    std::fs::create_dir_all(dir.join("broken"))?;
    std::fs::create_dir_all(dir.join("src"))?;
    personnel(&dir)?;
    grille(&dir)?;
    debut_b3(&dir)?;
    isolee(&dir)?;
    toegang_nl(&dir.join("src"))?;
    sans_entete(&dir.join("broken"))?;
    portal_seed(&dir)?;
    // Numbers the CSV script needs, so both writers agree on valid NRNs.
    let csv_nrns = [
        nrn(84, 12, 24, 13, false),
        nrn(5, 8, 19, 222, true), // born 2005: a 10-digit "5081922…" in an Excel CSV
        nrn(99, 3, 1, 6, false),
    ];
    std::fs::write(dir.join("src/csv-nrns.txt"), csv_nrns.join("\n") + "\n")?;
    Ok(())
}
