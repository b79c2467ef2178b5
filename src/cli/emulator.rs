//! `proone-sync emulator`: serve the portal emulator until Ctrl-C / SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use crate::emulator::{Emulator, EmulatorConfig, Faults};

use super::{Exit, Settings};

#[derive(Debug, Args)]
pub struct EmulatorArgs {
    /// Address to listen on; port 0 picks a free one. The bound address is the first line on
    /// stdout.
    #[arg(long, default_value = "127.0.0.1:0", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// SQLite state file (kept across restarts); default: in memory.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Seed JSON, loaded when the state is empty (format in docs/emulator.md).
    #[arg(long, value_name = "FILE")]
    pub seed: Option<PathBuf>,
    /// Portal-side rate limit per token, requests per second (excess: 429 + Retry-After).
    #[arg(long, value_name = "R")]
    pub rate_limit: Option<f64>,
    /// Burst of the rate limit (default: the rate, at least 1).
    #[arg(long, value_name = "B")]
    pub burst: Option<u32>,
    /// Share of requests answered 503 before doing anything (0 to 1).
    #[arg(long, value_name = "P", default_value_t = 0.0)]
    pub fail_rate: f64,
    /// Share of writes that commit and then drop the connection with no answer (0 to 1).
    #[arg(long, value_name = "P", default_value_t = 0.0)]
    pub drop_rate: f64,
    /// Pages shorter than asked (clients must follow next_cursor).
    #[arg(long)]
    pub short_pages: bool,
    /// Cursors holding + / = and & (clients must encode them in the query).
    #[arg(long)]
    pub opaque_cursors: bool,
    /// Send Retry-After as an HTTP-date instead of seconds.
    #[arg(long)]
    pub retry_after_date: bool,
    /// Added latency per request, milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency_ms: u64,
    /// Latency jitter: each request waits latency ± jitter.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub jitter_ms: u64,
    /// Seed of the fault choices (same seed, same choices for the same request order).
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub random_seed: u64,
    /// Writes are accepted and never answered (a portal that hangs after the reads).
    #[arg(long)]
    pub stall_writes: bool,
}

impl EmulatorArgs {
    fn config(&self, settings: &Settings) -> Result<EmulatorConfig, String> {
        for (name, p) in [
            ("--fail-rate", self.fail_rate),
            ("--drop-rate", self.drop_rate),
        ] {
            if !(0.0..=1.0).contains(&p) {
                return Err(format!("{name} {p}: a share from 0 to 1"));
            }
        }
        let rate_limit = match self.rate_limit {
            Some(r) if !(r > 0.0 && r.is_finite()) => {
                return Err(format!(
                    "--rate-limit {r}: a number of requests per second above 0"
                ));
            }
            Some(r) => Some((r, self.burst.unwrap_or((r.ceil() as u32).max(1)))),
            None => None,
        };
        Ok(EmulatorConfig {
            listen: self.listen,
            state: self.state.clone(),
            seed: self.seed.clone(),
            faults: Faults {
                rate_limit,
                fail_rate: self.fail_rate,
                drop_rate: self.drop_rate,
                short_pages: self.short_pages,
                opaque_cursors: self.opaque_cursors,
                retry_after_date: self.retry_after_date,
                latency_ms: self.latency_ms,
                jitter_ms: self.jitter_ms,
                random_seed: self.random_seed,
                stall_writes: self.stall_writes,
            },
            verbose: settings.verbose > 0,
            today: settings.input.today,
        })
    }
}

pub fn run(args: &EmulatorArgs, settings: &Settings) -> Exit {
    let config = match args.config(settings) {
        Ok(c) => c,
        Err(message) => {
            eprintln!("proone-sync: {message}");
            return Exit::Failed;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("proone-sync: cannot start the runtime: {e}");
            return Exit::Failed;
        }
    };
    runtime.block_on(async {
        // Listen for signals before announcing the address: a caller that reads the address
        // and sends SIGTERM right away must get a clean stop, not the default kill.
        let mut shutdown = super::signals::Shutdown::listen();
        let emulator = match Emulator::bind(&config).await {
            Ok(e) => e,
            Err(e) => {
                eprintln!("proone-sync: emulator: {e}");
                return Exit::Failed;
            }
        };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", emulator.local_addr());
        let _ = writeln!(
            out,
            "portal API at {} (Ctrl-C stops it)",
            emulator.base_url()
        );
        let _ = out.flush();
        drop(out);
        emulator.serve(async move { shutdown.recv().await }).await;
        Exit::Success
    })
}
