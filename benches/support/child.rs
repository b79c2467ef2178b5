//! The emulator as a separate process of the release binary, for benchmarks that measure the
//! client alone (its memory, its pacing).
#![allow(dead_code)]

use std::io::BufRead;
use std::process::{Child, Command, Stdio};

/// Killed when dropped. `.1` is the bound address (`127.0.0.1:PORT`).
pub struct Emulator(pub Child, pub String);

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Emulator {
    pub fn url(&self) -> String {
        format!("http://{}/api/v1", self.1)
    }

    pub fn stats_url(&self) -> String {
        format!("http://{}/_emulator/stats", self.1)
    }
}

pub fn emulator(seed_path: &std::path::Path, extra: &[&str]) -> Emulator {
    let mut child = Command::new(env!("CARGO_BIN_EXE_proone-sync"))
        .args(["emulator", "--listen", "127.0.0.1:0", "--seed"])
        .arg(seed_path)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("emulator");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("address");
    Emulator(child, line.trim().to_owned())
}

/// The apply benchmarks' run: an input of 1,000 portal users and 200 new people over
/// `structures` structures, and a config whose state directory `state-<name>` starts empty.
/// Returns (input, config, state directory).
pub fn apply_setup(
    dir: &std::path::Path,
    name: &str,
    structures: u64,
) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let input = dir.join("input.csv");
    std::fs::write(
        &input,
        proone_sync::emulator::synthetic::input_csv(1_000, 200, 0, structures),
    )
    .expect("input");
    let state = dir.join(format!("state-{name}"));
    let _ = std::fs::remove_dir_all(&state);
    let cfg = dir.join("bench.toml");
    std::fs::write(
        &cfg,
        format!("state_dir = {:?}\n", state.display().to_string()),
    )
    .expect("cfg");
    (input, cfg, state)
}
