//! Reading the observed state of 50,000 users × 3,000 structures from the emulator (a separate
//! process, release build): with no client limit (target ≤ 2 s, peak memory ≤ 150 MB), and
//! against a portal limit of 20 requests/s (target: calls ÷ 20 s within 5 %).
//!
//!     cargo bench --bench portal
//!
//! Each read runs in a child process of this benchmark, so its peak memory (VmHWM) is the
//! client's alone.

use std::process::Command;
use std::time::{Duration, Instant};

use proone_sync::model::CalendarDate;
use proone_sync::portal::{ClientSettings, PortalClient, RetryPolicy, fetch_observed};

use proone_sync::emulator::synthetic as seed;

#[path = "support/child.rs"]
mod child;
use child::emulator;

fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Child: read the whole state once, print "seconds calls peak_kb users".
fn fetch_child(url: &str, rate: f64, burst: u32) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = PortalClient::new(ClientSettings {
        url: url.to_owned(),
        token: secrecy::SecretString::from(seed::TOKEN.to_owned()),
        rate_limit: (rate > 0.0).then_some((rate, burst)),
        concurrency: 8,
        timeout: Duration::from_secs(30),
        retry: RetryPolicy::default(),
        ca_file: None,
        max_body: proone_sync::portal::DEFAULT_MAX_BODY,
    })
    .expect("client");
    let today = CalendarDate {
        year: 2026,
        month: 11,
        day: 28,
    };
    let t = Instant::now();
    let state = runtime
        .block_on(fetch_observed(&client, today))
        .expect("fetch");
    let secs = t.elapsed().as_secs_f64();
    let calls = client
        .stats
        .requests
        .load(std::sync::atomic::Ordering::Relaxed);
    let limited = client
        .stats
        .rate_limited
        .load(std::sync::atomic::Ordering::Relaxed);
    println!(
        "{secs} {calls} {} {} {limited}",
        peak_kb(),
        state.users.len()
    );
}

fn run_fetch(url: &str, rate: f64, burst: u32) -> (f64, u64, u64, u64, u64) {
    let out = Command::new(std::env::current_exe().expect("exe"))
        .args(["--fetch-child", url, &rate.to_string(), &burst.to_string()])
        .output()
        .expect("child");
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Vec<f64> = text
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    assert_eq!(
        v.len(),
        5,
        "child said: {text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (v[0], v[1] as u64, v[2] as u64, v[3] as u64, v[4] as u64)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--fetch-child") {
        let rate = args[3].parse().unwrap_or(0.0);
        let burst = args[4].parse().unwrap_or(1);
        fetch_child(&args[2], rate, burst);
        return;
    }
    let dir = std::env::temp_dir().join("proone-sync-bench");
    std::fs::create_dir_all(&dir).expect("dir");
    let seed_path = dir.join("seed-50k.json");
    std::fs::write(&seed_path, seed::seed().to_string()).expect("seed");

    let free = emulator(&seed_path, &[]);
    for _ in 0..3 {
        let (secs, calls, kb, users, _) = run_fetch(&free.url(), 0.0, 1);
        assert_eq!(users, seed::USERS);
        println!(
            "observed state, no client limit: {secs:.2} s, {calls} calls, peak {:.0} MB (targets <= 2 s, <= 150 MB)",
            kb as f64 / 1024.0
        );
    }
    drop(free);

    let limited = emulator(&seed_path, &["--rate-limit", "20", "--burst", "1"]);
    for (rate, burst, what) in [
        (20.0, 1, "client limit 20/s"),
        (
            0.0,
            1,
            "no client limit (RateLimit headers and 429s pace it)",
        ),
    ] {
        let (secs, calls, _, _, r429) = run_fetch(&limited.url(), rate, burst);
        // Useful calls: /me, /dossiers and the pages (500 per page); with a burst of 1 the
        // first is free and each next one waits 1/20 s.
        let useful = 2 + seed::USERS.div_ceil(500) + seed::STRUCTURES.div_ceil(500);
        let ideal = (useful as f64 - 1.0) / 20.0;
        println!(
            "portal limit 20/s, {what}: {secs:.2} s for {useful} pages and calls ({calls} sent, {r429} answered 429); ideal {ideal:.2} s: {:+.1} %",
            (secs / ideal - 1.0) * 100.0
        );
    }
}
