//! The helpers of `tests/revert.rs`: the binary in a test's folder against the emulator, the
//! portal's access read back, a run's journal and a plan's JSON as sets, the staff lists.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::*;
use proone_sync::emulator::{Faults, RunningEmulator};
use serde_json::Value;

pub const ADMIN: &str = "tok-admin-7f3c9a";
pub const HEADER: &str = "Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures\n";

/// A valid NRN of someone born 15/02/1990, number `n`.
pub fn nrn(n: u64) -> String {
    let base = 900_215_000 + n * 2 + 1;
    format!("{base:09}{:02}", 97 - base % 97)
}

pub fn proone(dir: &Path, e: &RunningEmulator, args: &[&str]) -> Run {
    run(bin()
        .current_dir(dir)
        .env("PROONE_URL", e.base_url())
        .env("PROONE_TOKEN", ADMIN)
        .arg("--config")
        .arg(dir.join("proone-sync.toml"))
        .args(args))
}

/// `proone` that must exit with `code`.
pub fn ok(dir: &Path, e: &RunningEmulator, code: i32, args: &[&str]) -> Run {
    let r = proone(dir, e, args);
    assert_eq!(r.code, code, "{args:?}\n{}\n{}", r.stdout, r.stderr);
    r
}

pub fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", r.stdout, r.stderr))
}

/// Every user's (dossiers, structures) on the portal now.
pub type Access = BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>;

/// The portal as a run of the tests' day reads it.
pub fn observed(e: &RunningEmulator) -> proone_sync::model::ObservedState {
    let day = proone_sync::model::CalendarDate {
        year: 2026,
        month: 11,
        day: 28,
    };
    block_on(proone_sync::portal::fetch_observed(
        &portal_client(e, ADMIN),
        day,
    ))
    .unwrap()
}

pub fn access(e: &RunningEmulator) -> Access {
    observed(e)
        .users
        .iter()
        .map(|u| {
            (
                u.id.clone(),
                (
                    u.dossier_codes(),
                    u.structures.iter().map(|s| s.as_str().to_owned()).collect(),
                ),
            )
        })
        .collect()
}

/// A change made in the portal's web page: the same API, outside any run.
pub fn by_hand(e: &RunningEmulator, method: reqwest::Method, path: &str) {
    let a = block_on(portal_client(e, ADMIN).call(method, path, None, &[])).unwrap();
    assert_eq!(a.status.as_u16(), 204, "{path}");
}

/// The newest run's id.
pub fn last_run(dir: &Path, e: &RunningEmulator) -> String {
    let r = ok(dir, e, 0, &["runs", "--format", "json"]);
    json(&r)["runs"][0]["id"].as_str().unwrap().to_owned()
}

/// (op, user, dossier or structure) of each `done` line of a run's journal, in its order.
pub fn done(dir: &Path, run: &str) -> Vec<(String, String, String)> {
    let path = dir.join("state").join(format!("journal-{run}.jsonl"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|l| l["status"] == "done" && l["op"] != "create_user")
        .map(|l| {
            let s = |k: &str| l[k].as_str().unwrap_or_default().to_owned();
            let item = if l["dossier"].is_string() {
                s("dossier")
            } else {
                s("structure")
            };
            (s("op"), s("user_id"), item)
        })
        .collect()
}

/// (op, user, item) of each action of a plan's JSON.
pub fn actions(plan: &Value) -> BTreeSet<(String, String, String)> {
    plan["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let s = |k: &str| a[k].as_str().unwrap_or_default().to_owned();
            let item = if a["dossier"].is_string() {
                s("dossier")
            } else {
                s("structure")
            };
            (s("op"), s("user_id"), item)
        })
        .collect()
}

pub fn inverse(op: &str) -> String {
    match op {
        "grant_dossier" => "revoke_dossier",
        "revoke_dossier" => "grant_dossier",
        "grant_structure" => "revoke_structure",
        _ => "grant_structure",
    }
    .to_owned()
}

pub fn codes(plan: &Value) -> Vec<(String, String)> {
    plan["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
            (s("code"), s("location"))
        })
        .collect()
}

/// Three new people with Bilans on Les Lutins; Inès gains Pré-demandes and MA-00102; Lotte
/// keeps Mon équipe only (loses MA-00136 under --prune); Eva keeps Bilans on Les Lutins (loses
/// Tous les projets and MA-00112).
pub fn staff(dir: &Path) -> PathBuf {
    let mut csv = String::from(HEADER);
    for (i, name) in ["Aerts", "Baert", "Cools"].iter().enumerate() {
        csv.push_str(&format!(
            "{name};Nouvelle;{}.nouvelle@lespetitspas.be;{};oui;Bilans;MA-00101\n",
            name.to_lowercase(),
            nrn(i as u64)
        ));
    }
    csv.push_str(
        "Maes;Inès;ines.maes4@lespetitspas.be;;;Mon équipe, Pré-demandes;MA-00121, MA-00102\n",
    );
    csv.push_str("Vandenberg;Lotte;lotte.vandenberg7@lespetitspas.be;;;Mon équipe;\n");
    csv.push_str("Willems;Eva;eva.willems8@lespetitspas.be;;;Bilans;MA-00101\n");
    write(dir, "personnel.csv", csv)
}

/// A folder, an emulator, a config of `extra`, the staff list.
pub fn case(extra: &str) -> (Workdir, RunningEmulator, PathBuf) {
    let dir = Workdir::new();
    let e = emulator_with(Faults::default());
    config_in(dir.path(), extra);
    let staff = staff(dir.path());
    (dir, e, staff)
}

/// The run of `staff` (prune, past the guard): its id.
pub fn night(dir: &Path, e: &RunningEmulator, staff: &Path) -> String {
    let s = staff.to_str().unwrap();
    ok(
        dir,
        e,
        0,
        &["apply", "--yes", "--prune", "--allow-mass-change", s],
    );
    last_run(dir, e)
}

pub fn held(dir: &Path, e: &RunningEmulator) -> Vec<Value> {
    json(&ok(dir, e, 0, &["held", "--format", "json"]))["held"]
        .as_array()
        .unwrap()
        .clone()
}

/// The staff list of `tests/held.rs`: ten people of the seed listed with no access (under
/// `--prune`, more revocations than the guard allows), and `extra` rows.
pub fn strip_ten(dir: &Path, e: &RunningEmulator, extra: &str) -> PathBuf {
    let o = observed(e);
    let mut csv = String::from(HEADER);
    for id in 5..=14 {
        let u = o
            .users
            .iter()
            .find(|u| u.id == format!("u-{id:06}"))
            .unwrap();
        csv.push_str(&format!(
            "{};{};{};;;;\n",
            u.last_name, u.first_name, u.email
        ));
    }
    csv.push_str(extra);
    write(dir, "strip.csv", csv)
}
