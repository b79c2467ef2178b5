//! The notify command (cli.md "Notification and monitoring"): after an apply that raised one of
//! `[notify] on`, `sh -c <command>` runs once, in the config file's folder, with the run's
//! Markdown report on stdin and only `PATH`, `HOME`, `LANG`/`LC_*`, `TZ` and the `PROONE_*`
//! variables of the notice in its environment — never the token, its variable,
//! `CREDENTIALS_DIRECTORY` or the token file's path. It is stopped (its whole process group)
//! after 60 s; whatever it does is logged and never changes the run's exit status.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long the command may run (cli.md).
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// What the command is told.
#[derive(Debug, Clone, Default)]
pub struct Notice {
    /// The events raised, in cli.md's order (`held`, `failed`, `error`, `invalid-rows`,
    /// `changes`), whether or not `on` names them.
    pub events: Vec<&'static str>,
    pub exit: i32,
    pub fingerprint: String,
    /// The run's Markdown report (what stdin gets) and where it was written.
    pub markdown: String,
    pub report: Option<PathBuf>,
    /// The held plan of the run, and its page.
    pub held: Option<(String, PathBuf)>,
}

/// How a command ended, for the log.
#[derive(Debug, PartialEq, Eq)]
pub enum Ran {
    Succeeded,
    Failed(String),
    TimedOut,
}

/// Whether `on` asks for any event of `notice`.
pub fn wanted(notice: &Notice, on: &[String]) -> bool {
    notice.events.iter().any(|e| on.iter().any(|o| o == e))
}

/// The environment the command gets from ours: only what cli.md lets through.
fn passed_through(name: &str) -> bool {
    matches!(name, "PATH" | "HOME" | "LANG" | "TZ") || name.starts_with("LC_")
}

/// Runs `command` for `notice` in `dir`, stopped after `timeout`.
pub fn run(command: &str, dir: &Path, notice: &Notice, timeout: Duration) -> Ran {
    let mut vars = vec![
        ("PROONE_EVENTS", notice.events.join(",").into()),
        ("PROONE_EXIT", notice.exit.to_string().into()),
        ("PROONE_FINGERPRINT", notice.fingerprint.clone().into()),
    ];
    if let Some(r) = &notice.report {
        vars.push(("PROONE_REPORT", r.clone().into_os_string()));
    }
    if let Some((fingerprint, html)) = &notice.held {
        vars.push(("PROONE_HELD", fingerprint.clone().into()));
        vars.push(("PROONE_HELD_HTML", html.clone().into_os_string()));
    }
    run_with(command, dir, &vars, &notice.markdown, timeout)
}

/// Runs `command` in `dir` with the restricted environment plus `vars` and `input` on its
/// standard input, stopped after `timeout` (also what `[review] send` runs per sheet).
pub fn run_with(
    command: &str,
    dir: &Path,
    vars: &[(&str, std::ffi::OsString)],
    input: &str,
    timeout: Duration,
) -> Ran {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(command).current_dir(dir).env_clear();
    for (k, v) in std::env::vars_os() {
        if k.to_str().is_some_and(passed_through) {
            cmd.env(k, v);
        }
    }
    for (k, v) in vars {
        cmd.env(k, v);
    }
    // Its output goes where ours goes for people (stderr), never into our stdout.
    let stderr = || Stdio::from(std::io::stderr());
    cmd.stdin(Stdio::piped()).stdout(stderr()).stderr(stderr());
    #[cfg(unix)]
    {
        // Its own process group, so that the timeout stops what `sh` started too.
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return Ran::Failed(format!("cannot start sh: {e}")),
    };
    if let Some(mut stdin) = child.stdin.take() {
        let body = input.to_owned();
        // A command that does not read its stdin must not block us: write from a thread, and
        // a closed pipe is no error of ours.
        std::thread::spawn(move || {
            let _ = stdin.write_all(body.as_bytes());
        });
    }
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ran::Succeeded,
            Ok(Some(status)) => return Ran::Failed(status.to_string()),
            Ok(None) if Instant::now() >= deadline => {
                stop(&mut child);
                return Ran::TimedOut;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Ran::Failed(e.to_string()),
        }
    }
}

/// Kills the command's process group, then reaps it.
fn stop(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        use nix::sys::signal::{Signal, killpg};
        use nix::unistd::Pid;
        if let Ok(pid) = i32::try_from(child.id()) {
            let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice() -> Notice {
        Notice {
            events: vec!["held", "changes"],
            exit: 5,
            fingerprint: "0011223344556677".into(),
            markdown: "# report\n".into(),
            report: Some(PathBuf::from("/state/report.md")),
            held: Some(("8899aabbccddeeff".into(), PathBuf::from("/state/held.html"))),
        }
    }

    #[test]
    fn the_command_gets_the_report_and_only_its_variables() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let cmd = format!("{{ cat; env | sort; }} > {}", out.display());
        let ran = run(&cmd, dir.path(), &notice(), TIMEOUT);
        assert_eq!(ran, Ran::Succeeded);
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.starts_with("# report\n"), "{text}");
        for line in [
            "PROONE_EVENTS=held,changes",
            "PROONE_EXIT=5",
            "PROONE_FINGERPRINT=0011223344556677",
            "PROONE_REPORT=/state/report.md",
            "PROONE_HELD=8899aabbccddeeff",
            "PROONE_HELD_HTML=/state/held.html",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} in {text}");
        }
        for line in text.lines().skip(1).filter(|l| l.contains('=')) {
            let name = line.split('=').next().unwrap_or("");
            assert!(
                passed_through(name)
                    || name.starts_with("PROONE_")
                    || ["PWD", "SHLVL", "_", "OLDPWD"].contains(&name),
                "{name} reached the command"
            );
        }
    }

    #[test]
    fn a_failing_or_sleeping_command_is_said_and_stopped() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            run("exit 3", dir.path(), &notice(), TIMEOUT),
            Ran::Failed(_)
        ));
        let started = Instant::now();
        let ran = run(
            "sleep 30; echo late > late",
            dir.path(),
            &notice(),
            Duration::from_millis(300),
        );
        assert_eq!(ran, Ran::TimedOut);
        assert!(started.elapsed() < Duration::from_secs(20));
        std::thread::sleep(Duration::from_millis(100));
        assert!(!dir.path().join("late").exists());
    }
}
