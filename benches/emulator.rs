//! Emulator throughput on this machine, faults off: seeding 50,000 users × 3,000 structures,
//! `GET /users?limit=500`, and grant PUTs (target ≥ 2,000/s: the emulator must never be the
//! bottleneck of the job's own benchmarks). A short load from a Rust client over loopback.
//!
//!     cargo bench --bench emulator

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use proone_sync::emulator::{EmulatorConfig, Faults, RunningEmulator, Store};
use proone_sync::model::CalendarDate;

use proone_sync::emulator::synthetic as seed;
use seed::{STRUCTURES, TOKEN, USERS, seed};

/// Runs `work` from `concurrency` tasks for `duration`; returns requests per second.
async fn load<F, Fut>(concurrency: usize, duration: Duration, work: F) -> f64
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let work = Arc::new(work);
    let done = Arc::new(AtomicU64::new(0));
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (work, done, next) = (work.clone(), done.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            while start.elapsed() < duration {
                let n = next.fetch_add(1, Ordering::Relaxed);
                assert!(work(n).await, "request {n} failed");
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        t.await.expect("load task");
    }
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let dir = std::env::temp_dir().join("proone-sync-bench");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let seed_path = dir.join("seed-50k.json");
    let seed_value = seed();
    std::fs::write(&seed_path, seed_value.to_string()).expect("write seed");
    let parsed: proone_sync::emulator::Seed = serde_json::from_value(seed_value).expect("seed");

    // Seeding: one transaction, prepared statements; in memory and into a WAL file.
    for file in [None, Some(dir.join("state.sqlite"))] {
        if let Some(f) = &file {
            for ext in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{ext}", f.display()));
            }
        }
        let t = Instant::now();
        let mut store = Store::open(file.as_deref()).expect("store");
        store.load_seed(&parsed).expect("load");
        println!(
            "seed {USERS} users x {STRUCTURES} structures ({}): {:.2} s (target <= 5 s)",
            if file.is_some() { "file" } else { "memory" },
            t.elapsed().as_secs_f64()
        );
    }

    let mut config = EmulatorConfig::local(&seed_path);
    config.faults = Faults::default();
    config.today = CalendarDate {
        year: 2026,
        month: 11,
        day: 28,
    };
    let emulator = RunningEmulator::start(config).expect("emulator");
    let base = emulator.base_url();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    proone_sync::portal::install_tls_provider();
    runtime.block_on(async move {
        let client = reqwest::Client::new();
        let pages = USERS.div_ceil(500);
        let (c, b) = (client.clone(), base.clone());
        let rps = load(4, Duration::from_secs(4), move |n| {
            let (c, b) = (c.clone(), b.clone());
            async move {
                // Walk pages by cursor-less offsets: the first page and then by the last id.
                let page = n % pages;
                let url = if page == 0 {
                    format!("{b}/users?limit=500")
                } else {
                    let after = format!("u-{:06}", page * 500);
                    let cursor: String = after.bytes().map(|x| format!("{x:02x}")).collect();
                    format!("{b}/users?limit=500&cursor={cursor}")
                };
                let r = c.get(url).bearer_auth(TOKEN).send().await;
                match r {
                    Ok(r) if r.status() == 200 => r.bytes().await.map(|b| b.len() > 1000).unwrap_or(false),
                    _ => false,
                }
            }
        })
        .await;
        println!("GET /users?limit=500: {rps:.0} requests/s ({:.0} users/s)", rps * 500.0);

        for concurrency in [8, 32] {
            let (c, b) = (client.clone(), base.clone());
            let rps = load(concurrency, Duration::from_secs(4), move |n| {
                let (c, b) = (c.clone(), b.clone());
                async move {
                    let user = 2 + n % (USERS - 1);
                    let dossier = ["tous-les-projets", "accueil-petite-enfance"][(n / (USERS - 1)) as usize % 2];
                    let r = c.put(format!("{b}/users/u-{user:06}/dossiers/{dossier}")).bearer_auth(TOKEN).send().await;
                    matches!(r, Ok(r) if r.status() == 204)
                }
            })
            .await;
            println!("PUT /users/{{id}}/dossiers/{{code}} at concurrency {concurrency}: {rps:.0} requests/s (target >= 2000)");
        }
    });
    drop(emulator);
}
