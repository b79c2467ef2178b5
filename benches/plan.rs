//! The dry run at scale: 50,000 people × 3,000 structures and a 55,000-row input, against the
//! emulator (a separate process) with no client limit. Targets: `plan` end to end ≤ 3 s, peak
//! memory ≤ 300 MB, read calls = pages of users + pages of structures + 2; `plan()` alone
//! ≤ 100 ms.
//!
//!     cargo bench --bench plan

use std::process::Command;
use std::time::{Duration, Instant};

use proone_sync::input::{HeaderAliases, InputOptions, read_inputs, resolve_structures};
use proone_sync::model::CalendarDate;
use proone_sync::plan::{PlanOptions, plan};
use proone_sync::portal::{ClientSettings, PortalClient, RetryPolicy, fetch_observed};

use proone_sync::emulator::synthetic as seed;

#[path = "support/child.rs"]
mod child;

const TODAY: CalendarDate = CalendarDate {
    year: 2026,
    month: 11,
    day: 28,
};

fn requests(stats_url: &str) -> u64 {
    let out = Command::new("curl")
        .args(["-s", stats_url])
        .output()
        .expect("curl");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stats");
    v["callers"]["u-000001"]["requests"].as_u64().unwrap_or(0)
}

fn main() {
    let dir = std::env::temp_dir().join("proone-sync-bench-plan");
    std::fs::create_dir_all(&dir).expect("dir");
    let (seed_path, input) = (dir.join("seed.json"), dir.join("input.csv"));
    let new = seed::USERS / 20;
    std::fs::write(&seed_path, seed::seed().to_string()).expect("seed");
    std::fs::write(
        &input,
        seed::input_csv(seed::USERS - new, new, seed::USERS / 10, seed::STRUCTURES),
    )
    .expect("input");

    let bin = env!("CARGO_BIN_EXE_proone-sync");
    let emulator = child::emulator(&seed_path, &[]);
    let url = emulator.url();
    let stats_url = emulator.stats_url();

    let pages = seed::USERS.div_ceil(500) + seed::STRUCTURES.div_ceil(500) + 2;
    let has_time = std::path::Path::new("/usr/bin/time").exists();
    for _ in 0..3 {
        let before = requests(&stats_url);
        let t = Instant::now();
        let mut cmd = if has_time {
            let mut c = Command::new("/usr/bin/time");
            c.args(["-f", "%M"]).arg(bin);
            c
        } else {
            Command::new(bin)
        };
        let out = cmd
            .env("PROONE_TOKEN", seed::TOKEN)
            .args(["--today", "2026-11-28"])
            .args([
                "plan",
                "--portal-url",
                &url,
                "--rate-limit",
                "0",
                "--allow-mass-change",
                "--format",
                "json",
            ])
            .arg(&input)
            .output()
            .expect("plan");
        let secs = t.elapsed().as_secs_f64();
        let peak_kb: u64 = String::from_utf8_lossy(&out.stderr)
            .lines()
            .last()
            .and_then(|l| l.trim().parse().ok())
            .unwrap_or(0);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("plan JSON");
        let calls = requests(&stats_url) - before;
        println!(
            "plan end to end: {secs:.2} s (target <= 3 s), peak {:.0} MB (<= 300 MB), {calls} read calls (pages + 2 = {pages}), {} actions",
            peak_kb as f64 / 1024.0,
            v["actions"].as_array().map_or(0, Vec::len)
        );
    }

    // plan() alone, on the same data read in-process.
    let options = InputOptions {
        sheets: Vec::new(),
        aliases: HeaderAliases::default(),
        today: TODAY,
    };
    let mut inputs = read_inputs(std::slice::from_ref(&input), &options);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = PortalClient::new(ClientSettings {
        url: url.clone(),
        token: secrecy::SecretString::from(seed::TOKEN.to_owned()),
        rate_limit: None,
        concurrency: 8,
        timeout: Duration::from_secs(30),
        retry: RetryPolicy::default(),
        ca_file: None,
        max_body: proone_sync::portal::DEFAULT_MAX_BODY,
    })
    .expect("client");
    let observed = runtime
        .block_on(fetch_observed(&client, TODAY))
        .expect("observed");
    resolve_structures(
        &mut inputs.desired,
        &observed.structures,
        &mut inputs.problems,
    );
    let plan_options = PlanOptions {
        allow_mass_change: true,
        ..PlanOptions::default()
    };
    let mut times = Vec::new();
    for _ in 0..11 {
        let t = Instant::now();
        let p = plan(&inputs.desired, &observed, &plan_options);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(p);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "plan() alone: median {:.0} ms, best {:.0} ms (target <= 100 ms) for {} people",
        times[5],
        times[0],
        inputs.desired.people.len()
    );
}
