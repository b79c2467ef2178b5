//! A deterministic organisation (an emulator seed) and input of N people × S structures, for the
//! benchmarks, the large tests and `cargo run --example generate`. The default is the
//! benchmarks' size: 50,000 users × 3,000 structures, and an input of 55,000 rows.

use crate::model::check_digits;
use serde_json::json;

pub const USERS: u64 = 50_000;
pub const STRUCTURES: u64 = 3_000;
pub const TOKEN: &str = "tok-bench";

fn nrn(first9: u64) -> String {
    format!("{first9:09}{:02}", check_digits(first9, false))
}

/// Portal user i (1-based): born 1920–1999, unique for i < 1,674,960.
fn user_nrn(i: u64) -> String {
    nrn((20 + i % 80) * 10_000_000 + (1 + i % 12) * 100_000 + (1 + i % 28) * 1000 + i % 997)
}

/// New person j: born 1900–1919, so never a portal user's number; unique for j < 6.7 million.
fn new_nrn(j: u64) -> String {
    let rest = j / 20;
    nrn((j % 20) * 10_000_000
        + (1 + rest % 12) * 100_000
        + (1 + (rest / 12) % 28) * 1000
        + 1
        + (rest / 336) % 997)
}

pub fn seed() -> serde_json::Value {
    seed_of(USERS, STRUCTURES)
}

/// `users` portal users (u-000001 is the administrateur the token acts as) and `structures`.
pub fn seed_of(users: u64, structures: u64) -> serde_json::Value {
    let structure_list: Vec<_> = (0..structures)
        .map(|i| json!({"id": format!("MA-{i:05}"), "name": format!("Structure {i}"), "postal_code": "5000", "city": "Namur"}))
        .collect();
    let dossiers = ["pre-demandes", "bilans", "mon-equipe"];
    let user_list: Vec<_> = (1..=users)
        .map(|i| {
            json!({
                "id": format!("u-{i:06}"), "last_name": format!("Nom{i}"), "first_name": "Prénom",
                "email": format!("p{i}@bench.be"),
                "nrn": user_nrn(i),
                "profiles": if i == 1 { vec!["administrateur"] } else { vec![] },
                "dossiers": [dossiers[(i % 3) as usize]],
                "structures": [format!("MA-{:05}", i % structures), format!("MA-{:05}", (i * 7) % structures)],
                "version": 3
            })
        })
        .collect();
    json!({"organisation": {"id": "org-bench", "name": "Bench"}, "tokens": {TOKEN: "u-000001"},
           "structures": structure_list, "users": user_list})
}

/// A `;` CSV naming `existing` portal users (2..) and `new` people, plus `extra` second rows:
/// one row per person with Bilans and two structures (one they hold, one they do not), so that
/// most people get a grant or two and the rest are unchanged.
pub fn input_csv(existing: u64, new: u64, extra: u64, structures: u64) -> String {
    let mut out = String::from("Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures\n");
    for i in 2..existing + 2 {
        out.push_str(&format!(
            "Nom{i};Prénom;p{i}@bench.be;{};oui;Bilans;MA-{:05}, MA-{:05}\n",
            user_nrn(i),
            i % structures,
            (i * 13) % structures
        ));
    }
    for j in 0..new {
        out.push_str(&format!(
            "Nouveau{j};Prénom;n{j}@bench.be;{};oui;Pré-demandes, Bilans;MA-{:05}\n",
            new_nrn(j),
            j % structures
        ));
    }
    for k in 0..extra {
        let i = 2 + k % existing.max(1);
        out.push_str(&format!("Nom{i};Prénom;p{i}@bench.be;;;Mon équipe;\n"));
    }
    out
}
