//! Reading and validating 50,000 rows: an xlsx (rust_xlsxwriter) and a `;` CSV, generated here
//! into `target/bench-inputs/` (not committed). Target: ≤ 0.5 s each, peak memory ≤ 200 MB.
//! Peak memory is measured on the release binary over the same files:
//!
//!     cargo bench --bench read_inputs
//!     /usr/bin/time -v target/release/proone-sync check --today 2026-11-28 target/bench-inputs/staff-50000.xlsx

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use proone_sync::input::{HeaderAliases, InputOptions, read_inputs};
use proone_sync::model::{CalendarDate, check_digits};

const ROWS: u32 = 50_000;
const DOSSIERS: [&str; 4] = [
    "Pré-demandes, Bilans",
    "Bilans",
    "Mon équipe",
    "Tous les projets; Bilans",
];

struct Person {
    last: String,
    first: String,
    email: String,
    nrn: String,
    dossiers: &'static str,
    structures: String,
}

fn people() -> impl Iterator<Item = Person> {
    (0..ROWS).map(|i| {
        let yy = u64::from(i % 80) + 20;
        let first9 = yy * 10_000_000
            + u64::from(i % 12 + 1) * 100_000
            + u64::from(i % 28 + 1) * 1000
            + u64::from(i % 997 + 1);
        Person {
            last: format!("Nom{i}"),
            first: format!("Prénom{}", i % 1000),
            email: format!("personne.{i}@organisation.be"),
            nrn: format!("{first9:09}{:02}", check_digits(first9, false)),
            dossiers: DOSSIERS[(i % 4) as usize],
            structures: format!("MA-{:05}; MA-{:05}", i % 3000, (i * 7) % 3000),
        }
    })
}

fn write_inputs(dir: &Path) -> (PathBuf, PathBuf) {
    std::fs::create_dir_all(dir).expect("bench dir");
    let xlsx = dir.join("staff-50000.xlsx");
    let csv = dir.join("staff-50000.csv");
    if !xlsx.exists() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let headers = [
            "Nom",
            "Prénom",
            "Email",
            "NRN",
            "Consentement",
            "Dossiers",
            "Structures",
        ];
        for (c, h) in headers.iter().enumerate() {
            ws.write_string(0, c as u16, *h).expect("write");
        }
        for (i, p) in people().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, &p.last).expect("write");
            ws.write_string(r, 1, &p.first).expect("write");
            ws.write_string(r, 2, &p.email).expect("write");
            // Half typed as numbers (what Excel stores), half as text.
            if i % 2 == 0 {
                ws.write_number(r, 3, p.nrn.parse::<f64>().expect("digits"))
                    .expect("write");
            } else {
                ws.write_string(r, 3, &p.nrn).expect("write");
            }
            ws.write_string(r, 4, "oui").expect("write");
            ws.write_string(r, 5, p.dossiers).expect("write");
            ws.write_string(r, 6, &p.structures).expect("write");
        }
        wb.save(&xlsx).expect("save xlsx");
    }
    if !csv.exists() {
        let mut text = String::from("Nom;Prénom;Email;NRN;Consentement;Dossiers;Structures\r\n");
        for p in people() {
            text.push_str(&format!(
                "{};{};{};{};oui;\"{}\";\"{}\"\r\n",
                p.last, p.first, p.email, p.nrn, p.dossiers, p.structures
            ));
        }
        std::fs::write(&csv, text).expect("write csv");
    }
    (xlsx, csv)
}

fn bench(c: &mut Criterion) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-inputs");
    let (xlsx, csv) = write_inputs(&dir);
    let options = InputOptions {
        sheets: Vec::new(),
        aliases: HeaderAliases::default(),
        today: CalendarDate {
            year: 2026,
            month: 11,
            day: 28,
        },
    };
    let mut group = c.benchmark_group("read_inputs");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Elements(u64::from(ROWS)));
    for (name, path) in [("xlsx_50k_rows", &xlsx), ("csv_50k_rows", &csv)] {
        // A wrong generator would measure the wrong thing: every row must be read and valid.
        let inputs = read_inputs(std::slice::from_ref(path), &options);
        assert_eq!(inputs.stats.rows, ROWS as usize, "{name}");
        assert_eq!(
            inputs.stats.invalid_rows,
            0,
            "{name}: {:?}",
            inputs.problems.first()
        );
        assert_eq!(inputs.desired.people.len(), ROWS as usize, "{name}");
        // Freeing 50,000 people is not reading them: the drop is left out of the timing.
        group.bench_function(name, |b| {
            b.iter_with_large_drop(|| read_inputs(std::slice::from_ref(path), &options))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
