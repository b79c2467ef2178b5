//! A deterministic organisation of 50,000 users × 3,000 structures for the benchmarks.
#![allow(dead_code)]

use proone_sync::model::check_digits;
use serde_json::json;

pub const USERS: u64 = 50_000;
pub const STRUCTURES: u64 = 3_000;
pub const TOKEN: &str = "tok-bench";

pub fn seed() -> serde_json::Value {
    let structures: Vec<_> = (0..STRUCTURES)
        .map(|i| json!({"id": format!("MA-{i:05}"), "name": format!("Structure {i}"), "postal_code": "5000", "city": "Namur"}))
        .collect();
    let dossiers = ["pre-demandes", "bilans", "mon-equipe"];
    let users: Vec<_> = (1..=USERS)
        .map(|i| {
            let first9 = (20 + i % 80) * 10_000_000 + (1 + i % 12) * 100_000 + (1 + i % 28) * 1000 + i % 997;
            json!({
                "id": format!("u-{i:06}"), "last_name": format!("Nom{i}"), "first_name": "Prénom",
                "email": format!("p{i}@bench.be"),
                "nrn": format!("{first9:09}{:02}", check_digits(first9, false)),
                "profiles": if i == 1 { vec!["administrateur"] } else { vec![] },
                "dossiers": [dossiers[(i % 3) as usize]],
                "structures": [format!("MA-{:05}", i % STRUCTURES), format!("MA-{:05}", (i * 7) % STRUCTURES)],
                "version": 3
            })
        })
        .collect();
    json!({"organisation": {"id": "org-bench", "name": "Bench"}, "tokens": {TOKEN: "u-000001"},
           "structures": structures, "users": users})
}
