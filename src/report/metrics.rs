//! `metrics_file`: the run's metrics in the Prometheus text format, for node_exporter's
//! textfile collector (cli.md "Notification and monitoring"), encoded by the official
//! `prometheus-client` crate. The file is replaced atomically (a temporary file in the same
//! folder, then a rename; mode 0644) so the collector never reads half of it. Every series is
//! a gauge of this run — its outcomes, not a count kept across runs — except the last success,
//! which a failed run carries over from the file it replaces.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::AtomicU64;
use std::time::{SystemTime, UNIX_EPOCH};

use prometheus_client::encoding::prometheus_text::encode;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use crate::apply::Status;
use crate::plan::Op;

/// What one apply did, as the metrics say it.
#[derive(Debug, Clone, Default)]
pub struct RunMetrics {
    pub started: Option<SystemTime>,
    pub finished: Option<SystemTime>,
    pub exit: i32,
    /// Outcomes by (op, status).
    pub actions: BTreeMap<(Op, Status), u64>,
    /// Actions of held plans not yet applied (pending or approved).
    pub held_actions: usize,
    pub invalid_rows: usize,
    /// Portal answers by class (`2xx`, `4xx`, `429`, `5xx`, `network`).
    pub requests: Vec<(&'static str, u64)>,
}

const LAST_SUCCESS: &str = "proone_sync_last_success_timestamp_seconds";

/// The exit statuses after which the job did its work (cli.md: 0, 3 or 5).
fn succeeded(exit: i32) -> bool {
    matches!(exit, 0 | 3 | 5)
}

fn seconds(t: Option<SystemTime>) -> f64 {
    t.and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0.0, |d| d.as_secs_f64())
}

/// The last success the file at `path` says, if it says one.
fn previous_success(path: &Path) -> Option<f64> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .filter_map(|l| l.strip_prefix(LAST_SUCCESS))
        .filter_map(|rest| rest.strip_prefix(' '))
        .find_map(|v| v.trim().parse().ok())
}

type F64Gauge = Gauge<f64, AtomicU64>;

fn gauge(registry: &mut Registry, name: &str, help: &str, value: f64) {
    let g = F64Gauge::default();
    g.set(value);
    registry.register(name, help, g);
}

/// The text the file holds for `m`, the last success before it being `previous`.
pub fn render(m: &RunMetrics, previous: Option<f64>) -> Result<String, std::fmt::Error> {
    let mut r = Registry::with_prefix("proone_sync");
    let finished = seconds(m.finished);
    gauge(
        &mut r,
        "last_run_timestamp_seconds",
        "When the last apply ended (Unix seconds)",
        finished,
    );
    let success = if succeeded(m.exit) {
        Some(finished)
    } else {
        previous
    };
    gauge(
        &mut r,
        "last_success_timestamp_seconds",
        "When an apply last ended with exit status 0, 3 or 5 (Unix seconds)",
        success.unwrap_or(0.0),
    );
    gauge(
        &mut r,
        "exit_status",
        "The last apply's exit status",
        f64::from(m.exit),
    );
    let duration = (seconds(m.finished) - seconds(m.started)).max(0.0);
    gauge(
        &mut r,
        "run_duration_seconds",
        "How long the last apply ran",
        duration,
    );
    let actions = Family::<Vec<(String, String)>, Gauge>::default();
    for op in [
        Op::CreateUser,
        Op::GrantDossier,
        Op::GrantStructure,
        Op::RevokeDossier,
        Op::RevokeStructure,
    ] {
        for status in Status::ALL {
            let n = m.actions.get(&(op, status)).copied().unwrap_or(0);
            actions
                .get_or_create(&vec![
                    ("op".to_owned(), op_name(op).to_owned()),
                    ("status".to_owned(), status.as_str().to_owned()),
                ])
                .set(n as i64);
        }
    }
    r.register(
        "actions",
        "The last apply's actions by operation and outcome",
        actions,
    );
    gauge(
        &mut r,
        "held_actions",
        "Actions of held plans waiting for approval or to be applied",
        m.held_actions as f64,
    );
    gauge(
        &mut r,
        "invalid_rows",
        "Input rows the last apply skipped as invalid",
        m.invalid_rows as f64,
    );
    let requests = Family::<Vec<(String, String)>, Gauge>::default();
    for (class, n) in &m.requests {
        requests
            .get_or_create(&vec![("class".to_owned(), (*class).to_owned())])
            .set(*n as i64);
    }
    r.register(
        "portal_requests",
        "The last apply's portal answers by class",
        requests,
    );
    let mut out = String::new();
    encode(&mut out, &r)?;
    Ok(out)
}

/// The journal's name of an op.
pub fn op_name(op: Op) -> &'static str {
    match op {
        Op::CreateUser => "create_user",
        Op::GrantDossier => "grant_dossier",
        Op::GrantStructure => "grant_structure",
        Op::RevokeDossier => "revoke_dossier",
        Op::RevokeStructure => "revoke_structure",
    }
}

/// Replaces the file at `path` with the metrics of `m` (atomically, mode 0644).
pub fn write(path: &Path, m: &RunMetrics) -> std::io::Result<()> {
    let text = render(m, previous_success(path)).map_err(std::io::Error::other)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn run(exit: i32, at: u64) -> RunMetrics {
        RunMetrics {
            started: Some(UNIX_EPOCH + Duration::from_secs(at - 12)),
            finished: Some(UNIX_EPOCH + Duration::from_secs(at)),
            exit,
            actions: [((Op::RevokeDossier, Status::Held), 19)].into(),
            held_actions: 19,
            invalid_rows: 2,
            requests: vec![("2xx", 40), ("429", 1)],
        }
    }

    #[test]
    fn the_file_says_the_run_and_keeps_the_last_success_across_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("proone.prom");
        write(&path, &run(5, 1_800_000_000)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("proone_sync_exit_status 5"), "{text}");
        assert!(
            text.contains("proone_sync_last_success_timestamp_seconds 1800000000"),
            "{text}"
        );
        assert!(
            text.contains("proone_sync_run_duration_seconds 12"),
            "{text}"
        );
        assert!(
            text.contains("proone_sync_actions{op=\"revoke_dossier\",status=\"held\"} 19"),
            "{text}"
        );
        assert!(
            text.contains("proone_sync_actions{op=\"create_user\",status=\"done\"} 0"),
            "{text}"
        );
        assert!(
            text.contains("proone_sync_portal_requests{class=\"429\"} 1"),
            "{text}"
        );
        assert!(text.contains("proone_sync_held_actions 19"), "{text}");
        write(&path, &run(1, 1_800_086_400)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("proone_sync_exit_status 1"), "{text}");
        assert!(
            text.contains("proone_sync_last_run_timestamp_seconds 1800086400"),
            "{text}"
        );
        assert!(
            text.contains("proone_sync_last_success_timestamp_seconds 1800000000"),
            "{text}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o644);
        }
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left");
    }
}
