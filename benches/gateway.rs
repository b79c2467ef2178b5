//! Apply behind a real gateway that says 429 and nothing else: Debian's nginx with `limit_req`
//! at 20 requests/s (burst 20, nodelay) in front of the emulator (a separate process, 100 ± 50 ms
//! latency, no limit of its own), 2,000+ actions. Two cases: the client with no configured limit
//! (it must find the gateway's by itself: targets 429s ≤ 5 % of requests, efficiency =
//! (served calls ÷ 20) ÷ wall ≥ 0.90), and the client limit set to the gateway's rate (target:
//! no 429 at all). Needs Debian's nginx-light.
//!
//!     cargo bench --bench gateway        # two runs of about two minutes

use std::process::Command;
use std::time::Instant;

use proone_sync::emulator::gateway::Gateway;
use proone_sync::emulator::synthetic as seed;

#[path = "support/child.rs"]
mod child;

const USERS: u64 = 1_100;
const STRUCTURES: u64 = 100;
const RATE: u32 = 20;

fn case(dir: &std::path::Path, seed_path: &std::path::Path, client: f64) {
    let e = child::emulator(
        seed_path,
        &[
            "--latency-ms",
            "100",
            "--jitter-ms",
            "50",
            "--random-seed",
            "11",
        ],
    );
    let upstream: std::net::SocketAddr = e.1.parse().expect("emulator address");
    let gateway = Gateway::start(upstream, Some(RATE)).expect("nginx (Debian's nginx-light)");
    let (input, cfg, state) = child::apply_setup(dir, &client.to_string(), STRUCTURES);
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_proone-sync"))
        .arg("--config")
        .arg(&cfg)
        .args(["apply", "--yes", "--rate-limit", &client.to_string()])
        .args(["--concurrency", "8"])
        .arg(&input)
        .env("PROONE_URL", &gateway.url)
        .env("PROONE_TOKEN", seed::TOKEN)
        .args(["--today", "2026-11-28"])
        .output()
        .expect("apply");
    let wall = t.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "apply failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The client's own count of what it sent and of the 429s it met (the emulator behind the
    // gateway never sees the refused ones).
    let report = std::fs::read_dir(&state)
        .expect("state")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("report-"))
                && p.extension().is_some_and(|x| x == "json")
        })
        .expect("the apply report");
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report).expect("report")).expect("json");
    let n = |k: &str| r[k].as_u64().unwrap_or(0);
    let (requests, limited) = (n("requests"), n("rate_limited"));
    let served = requests - limited;
    let efficiency = (served as f64 / f64::from(RATE)) / wall;
    println!(
        "gateway {RATE}/s, client {}: {} actions ({} failed) in {wall:.1} s; {requests} requests, \
         {limited} answered 429 = {:.2} %; efficiency {efficiency:.3}",
        if client > 0.0 {
            format!("{client}/s")
        } else {
            "no limit".to_owned()
        },
        r["actions"],
        r["tally"]["failed"],
        100.0 * limited as f64 / requests.max(1) as f64,
    );
}

fn main() {
    let dir = std::env::temp_dir().join("proone-sync-bench-gateway");
    std::fs::create_dir_all(&dir).expect("dir");
    let seed_path = dir.join("seed.json");
    std::fs::write(&seed_path, seed::seed_of(USERS, STRUCTURES).to_string()).expect("seed");
    case(&dir, &seed_path, 0.0);
    case(&dir, &seed_path, f64::from(RATE));
}
