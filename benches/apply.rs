//! Apply at the portal's pace: 2,000+ actions against the emulator (a separate process) with
//! 100 ± 50 ms latency and a rate limit of R requests/s on both sides. Reports, per case:
//! efficiency = (calls ÷ R) ÷ wall (target ≥ 0.95), 429s as a share of calls (target ≤ 1 %, and
//! none with the client 10 % under the portal), the emulator's writes and creations against the
//! plan's actions, and the apply process's peak memory (`/usr/bin/time`).
//!
//!     cargo bench --bench apply            # R = 20 (two runs of about 2 minutes) and R = 200
//!     cargo bench --bench apply -- quick   # R = 200 only
//!
//! For comparison, a sequential script at 100 ms per call needs about 270 s for 2,633 calls.

use std::process::Command;
use std::time::Instant;

use proone_sync::emulator::synthetic as seed;

#[path = "support/child.rs"]
mod child;
use child::Emulator;

const USERS: u64 = 1_100;
const STRUCTURES: u64 = 100;

fn emulator(seed_path: &std::path::Path, rate: f64) -> Emulator {
    let rate = rate.to_string();
    child::emulator(
        seed_path,
        &[
            "--rate-limit",
            &rate,
            "--latency-ms",
            "100",
            "--jitter-ms",
            "50",
            "--random-seed",
            "11",
        ],
    )
}

fn stats(addr: &str) -> serde_json::Value {
    proone_sync::portal::install_tls_provider();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        reqwest::get(format!("http://{addr}/_emulator/stats"))
            .await
            .expect("stats")
            .json::<serde_json::Value>()
            .await
            .expect("stats json")
    })
}

fn case(
    dir: &std::path::Path,
    seed_path: &std::path::Path,
    portal: f64,
    client: f64,
    concurrency: u32,
) {
    let e = emulator(seed_path, portal);
    let (input, cfg, _state) = child::apply_setup(dir, &format!("{portal}-{client}"), STRUCTURES);
    let t = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "peak_kb %M"])
        .arg(env!("CARGO_BIN_EXE_proone-sync"))
        .arg("--config")
        .arg(&cfg)
        .args(["apply", "--yes", "--rate-limit", &client.to_string()])
        .args(["--concurrency", &concurrency.to_string()])
        .arg(&input)
        .env("PROONE_URL", format!("http://{}/api/v1", e.1))
        .env("PROONE_TOKEN", seed::TOKEN)
        .args(["--today", "2026-11-28"])
        .output()
        .expect("apply");
    let wall = t.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "apply failed:\n{stdout}\n{stderr}");
    let peak_kb: f64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak_kb "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0);
    let actions: u64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Applied plan "))
        .and_then(|l| l.split(": ").nth(1))
        .and_then(|l| l.split(" done").next())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let st = stats(&e.1);
    let me = &st["callers"]["u-000001"];
    let n = |k: &str| me[k].as_u64().unwrap_or(0);
    let requests = n("requests");
    let limited = n("rate_limited");
    let served = requests - limited;
    let efficiency = (served as f64 / portal) / wall;
    println!(
        "R portal {portal}/s, client {client}/s, concurrency {concurrency}: {actions} actions done in {wall:.1} s; \
         {requests} calls ({served} served, {limited} answered 429 = {:.2} %); efficiency {efficiency:.3}; \
         emulator: {} writes, {} creates (plan: {actions} actions, 200 creations); peak {:.1} MB",
        100.0 * limited as f64 / requests.max(1) as f64,
        n("writes"),
        n("creates"),
        peak_kb / 1024.0
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    let dir = std::env::temp_dir().join("proone-sync-bench-apply");
    std::fs::create_dir_all(&dir).expect("dir");
    let seed_path = dir.join("seed.json");
    std::fs::write(&seed_path, seed::seed_of(USERS, STRUCTURES).to_string()).expect("seed");
    if !quick {
        case(&dir, &seed_path, 20.0, 20.0, 8);
        case(&dir, &seed_path, 20.0, 18.0, 8);
    }
    case(&dir, &seed_path, 200.0, 200.0, 48);
}
