//! Test helpers shared by the integration tests: run the real binary in a work directory and
//! read its typed output back.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The fixed date NRN validity is judged on in tests (see tests/data/nrn_cases.tsv).
pub const TODAY: &str = "2026-11-28";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// The binary, run from the crate root, with a fixed date, no config file around and no
/// locale (English, whatever the machine's `LANG`; a test asks for French with `--lang fr` or
/// sets `LANG` itself).
pub fn bin() -> Command {
    Command::from_std(std_bin())
}

/// `bin()` as a plain `std::process::Command`, for a test that waits for the child itself.
pub fn std_bin() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("proone-sync"));
    cmd.current_dir(root())
        .args(["--today", TODAY])
        .env_remove("PROONE_TOKEN")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    cmd
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().unwrap_or_else(|e| panic!("run: {e}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `check --format json` on the given paths (relative to the crate root).
pub fn check_json(args: &[&str]) -> (i32, serde_json::Value) {
    let r = run(bin().arg("check").arg("--format").arg("json").args(args));
    let v = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", r.stdout, r.stderr));
    (r.code, v)
}

/// (severity, location, message) of every problem, in output order.
pub fn problems(v: &serde_json::Value) -> Vec<(String, String, String)> {
    v["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("no problems array: {v}"))
        .iter()
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
            (s("severity"), s("location"), s("message"))
        })
        .collect()
}

pub fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap_or_else(|e| panic!("write {}: {e}", p.display()));
    p
}

/// An emulator of `fixtures/portal-seed.json` on an ephemeral loopback port, with `faults`,
/// judging NRNs on the tests' date.
pub fn emulator_with(
    faults: proone_sync::emulator::Faults,
) -> proone_sync::emulator::RunningEmulator {
    let mut c = proone_sync::emulator::EmulatorConfig::local(fixture("portal-seed.json"));
    c.faults = faults;
    c.today = proone_sync::model::CalendarDate {
        year: 2026,
        month: 11,
        day: 28,
    };
    proone_sync::emulator::RunningEmulator::start(c).unwrap_or_else(|e| panic!("emulator: {e}"))
}

/// The emulator's stats document.
pub async fn emulator_stats(e: &proone_sync::emulator::RunningEmulator) -> serde_json::Value {
    proone_sync::portal::install_tls_provider();
    let r = reqwest::get(e.stats_url())
        .await
        .unwrap_or_else(|err| panic!("stats: {err}"));
    r.json().await.unwrap_or_else(|err| panic!("stats: {err}"))
}

/// The emulator's stats document, from synchronous test code.
pub fn stats(e: &proone_sync::emulator::RunningEmulator) -> serde_json::Value {
    block_on(emulator_stats(e))
}

/// A future run to its end on a small runtime of its own (tests are synchronous).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"))
        .block_on(f)
}

/// A portal client of `e` acting with `token`, with no client-side limit.
pub fn portal_client(
    e: &proone_sync::emulator::RunningEmulator,
    token: &str,
) -> proone_sync::portal::PortalClient {
    proone_sync::portal::PortalClient::new(proone_sync::portal::ClientSettings {
        url: e.base_url(),
        token: secrecy::SecretString::from(token.to_owned()),
        rate_limit: None,
        concurrency: 4,
        timeout: std::time::Duration::from_secs(10),
        retry: proone_sync::portal::RetryPolicy::default(),
        ca_file: None,
        max_body: proone_sync::portal::DEFAULT_MAX_BODY,
    })
    .unwrap_or_else(|err| panic!("client: {err}"))
}

/// Debian's nginx in front of `upstream` (see `proone_sync::emulator::gateway`).
pub fn nginx(
    upstream: std::net::SocketAddr,
    rate: Option<u32>,
) -> proone_sync::emulator::gateway::Gateway {
    proone_sync::emulator::gateway::Gateway::start(upstream, rate)
        .unwrap_or_else(|e| panic!("{e} (.ci/run installs Debian's nginx-light)"))
}

/// Every fixture a user could hand the job, good and broken.
pub const FIXTURES: &[&str] = &[
    "fixtures/personnel.xlsx",
    "fixtures/acces-grille.xlsx",
    "fixtures/cellule-isolee.xlsx",
    "fixtures/debut-b3.xlsx",
    "fixtures/nouveaux-cp1252.csv",
    "fixtures/toegang-nl.ods",
    "fixtures/broken/cellule-isolee.ods",
    "fixtures/broken/charabia.xlsx",
    "fixtures/broken/chiffre.xlsx",
    "fixtures/broken/lignes-inegales.csv",
    "fixtures/broken/sans-entete.xlsx",
    "fixtures/broken/tronque.xlsx",
    "fixtures/broken/vide.xlsx",
    "tests/golden/inputs/regles.csv",
];

/// A test's own folder (xsv's `Workdir` is the model): a temporary directory, removed at the
/// end, whose config keeps its state directory inside it (`state/`: nothing lands in the
/// repository), with the files a test writes there and the state it reads back.
pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Default for Workdir {
    fn default() -> Workdir {
        Workdir::new()
    }
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}")),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        write(self.path(), name, bytes)
    }

    /// `proone-sync.toml`: `state_dir = "state"`, then `extra`. Mode 0644 whatever the umask:
    /// a notify command is only run from a file others cannot write.
    pub fn config(&self, extra: &str) -> PathBuf {
        config_in(self.path(), extra)
    }

    /// A file of the state directory.
    pub fn state(&self, name: &str) -> PathBuf {
        self.join("state").join(name)
    }

    /// The state directory's files whose name starts with `prefix`, sorted.
    pub fn state_files(&self, prefix: &str) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(self.join("state"))
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        v.retain(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        });
        v.sort();
        v
    }
}

/// `dir/proone-sync.toml` as `Workdir::config` writes it, for a test that has only the path.
pub fn config_in(dir: &Path, extra: &str) -> PathBuf {
    let p = write(
        dir,
        "proone-sync.toml",
        format!("state_dir = \"state\"\n{extra}"),
    );
    set_mode(&p, 0o644);
    p
}

pub fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
}

/// A small tmpfs mounted on `dir` for the test's life (a real full disk: the test runs as root,
/// as CI does), unmounted when dropped. `None` when it cannot be mounted and
/// `PROONE_SKIP_MOUNT=1` says to skip (a skip is a choice someone makes out loud).
pub struct Tmpfs(PathBuf);

impl Tmpfs {
    pub fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            assert_eq!(
                std::env::var("PROONE_SKIP_MOUNT").as_deref(),
                Ok("1"),
                "cannot mount a tmpfs (this test runs as root, as CI does); PROONE_SKIP_MOUNT=1 skips it"
            );
            return None;
        }
        Some(Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

/// Runs the binary to its end: what it said, its exit, its own peak resident memory (wait4's
/// ru_maxrss, in KiB: exactly this child's) and how long it took.
#[expect(
    clippy::zombie_processes,
    reason = "waited for with wait4(2), which std does not know of"
)]
pub fn run_measured(cmd: &mut std::process::Command) -> (Run, u64, std::time::Duration) {
    let started = std::time::Instant::now();
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let (mut out, mut err) = (child.stdout.unwrap(), child.stderr.unwrap());
    let readers = [
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = std::io::Read::read_to_string(&mut out, &mut s);
            s
        }),
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = std::io::Read::read_to_string(&mut err, &mut s);
            s
        }),
    ];
    let mut status = 0;
    // SAFETY: a plain FFI call on our own child; `usage` is written by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4");
    let took = started.elapsed();
    let [stdout, stderr] = readers.map(|r| r.join().unwrap());
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (
        Run {
            code,
            stdout,
            stderr,
        },
        usage.ru_maxrss as u64,
        took,
    )
}
