//! The portal client against the emulator over loopback: through every fault at once it ends
//! with exactly the clean run's state; a refused token, a caller without the profile and an
//! unreachable portal each end in one sentence and exit 1; the token never shows, even at -vv;
//! `check` resolves structures against the portal.

mod common;

use std::time::Duration;

use common::*;
use proone_sync::emulator::{Faults, RunningEmulator};
use proone_sync::model::CalendarDate;
use proone_sync::portal::{ClientSettings, PortalClient, PortalError, RetryPolicy, fetch_observed};
use secrecy::SecretString;

const ADMIN: &str = "tok-admin-7f3c9a";
const TODAY: CalendarDate = CalendarDate {
    year: 2026,
    month: 11,
    day: 28,
};

fn emulator(faults: Faults) -> RunningEmulator {
    emulator_with(faults)
}

fn client(e: &RunningEmulator, token: &str, rate_limit: Option<(f64, u32)>) -> PortalClient {
    PortalClient::new(ClientSettings {
        url: e.base_url(),
        token: SecretString::from(token.to_owned()),
        rate_limit,
        concurrency: 8,
        timeout: Duration::from_secs(10),
        retry: RetryPolicy {
            base: Duration::from_millis(20),
            ..RetryPolicy::default()
        },
        ca_file: None,
        max_body: proone_sync::portal::DEFAULT_MAX_BODY,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

async fn stats_of(e: &RunningEmulator) -> serde_json::Value {
    emulator_stats(e).await
}

#[tokio::test]
async fn every_fault_at_once_gives_the_clean_state() {
    let clean = emulator(Faults::default());
    let want = fetch_observed(&client(&clean, ADMIN, None), TODAY)
        .await
        .unwrap();
    assert_eq!(want.users.len(), 60);
    assert_eq!(want.structures.len(), 40);
    let mut unavailable = 0;
    for retry_after_date in [false, true] {
        let faulty = emulator(Faults {
            // The portal allows 40/s with a burst of 3; the client has no limit of its own, so
            // it meets 429s (and the RateLimit headers) and must pace itself.
            rate_limit: Some((40.0, 3)),
            retry_after_date,
            fail_rate: 0.3,
            drop_rate: 0.03,
            short_pages: true,
            // Cursors holding + / = and &: read to the end only if the client encodes them.
            opaque_cursors: true,
            latency_ms: 3,
            jitter_ms: 3,
            random_seed: 5,
            ..Faults::default()
        });
        let c = client(&faulty, ADMIN, None);
        // Small pages so that there are many of them to fail and shorten.
        let got = fetch_observed(&c, TODAY)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got, want, "retry_after_date = {retry_after_date}");
        let s = stats_of(&faulty).await;
        let me = &s["callers"]["u-000001"];
        unavailable += me["faults_unavailable"].as_u64().unwrap();
        let seen = |n: &std::sync::atomic::AtomicU64| n.load(std::sync::atomic::Ordering::Relaxed);
        // Every 429 the portal sent was seen and retried; the 503s forced retries too.
        assert_eq!(
            me["rate_limited"].as_u64(),
            Some(seen(&c.stats.rate_limited)),
            "{me}"
        );
        assert!(
            seen(&c.stats.retries) >= me["faults_unavailable"].as_u64().unwrap(),
            "{me}"
        );
        assert!(
            me["by_route"]["GET /users"].as_u64().unwrap() > 1,
            "short pages were followed: {me}"
        );
    }
    // About 30 % of some 25 calls: that none failed would mean the faults were not on.
    assert!(unavailable > 0);
}

#[tokio::test]
async fn a_client_limit_under_the_portal_limit_never_meets_a_429() {
    let e = emulator(Faults {
        rate_limit: Some((50.0, 5)),
        short_pages: true,
        random_seed: 2,
        ..Faults::default()
    });
    // Well under the portal (20/s, no burst, against 50/s with a burst of 5): arrivals that
    // bunch on a busy machine are absorbed by the portal's burst.
    let c = client(&e, ADMIN, Some((20.0, 1)));
    fetch_observed(&c, TODAY).await.unwrap();
    let s = stats_of(&e).await;
    assert_eq!(s["callers"]["u-000001"]["rate_limited"], 0, "{s}");
}

#[tokio::test]
async fn refusals_are_typed_errors() {
    let e = emulator(Faults::default());
    let err = fetch_observed(&client(&e, "tok-nope", None), TODAY)
        .await
        .unwrap_err();
    assert!(matches!(err, PortalError::Unauthorized { .. }), "{err}");
    let err = fetch_observed(&client(&e, "tok-noprofile-5e0d17", None), TODAY)
        .await
        .unwrap_err();
    assert!(matches!(err, PortalError::MissingProfile { .. }), "{err}");
    assert!(err.to_string().contains("« Administrateur »"), "{err}");
    // A 403 on a later call (the account lost its profile meanwhile) says so too.
    let answer = proone_sync::portal::Answer {
        status: reqwest::StatusCode::FORBIDDEN,
        headers: Default::default(),
        body: br#"{"type":"about:blank","title":"Forbidden","status":403,"detail":"needs a profile","code":"forbidden"}"#.to_vec(),
        url: "http://x/api/v1/users".into(),
        attempts: 1,
    };
    let err = proone_sync::portal::client::expect_json::<serde_json::Value>(answer).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the portal answered 403 (forbidden) at http://x/api/v1/users: needs a profile (forbidden)"
    );
    // A portal that keeps failing: the URL and the last answer, after the retries.
    let down = emulator(Faults {
        fail_rate: 1.0,
        ..Faults::default()
    });
    let impatient = PortalClient::new(ClientSettings {
        url: down.base_url(),
        token: SecretString::from(ADMIN.to_owned()),
        rate_limit: None,
        concurrency: 2,
        timeout: Duration::from_secs(5),
        retry: RetryPolicy {
            max_attempts: 3,
            base: Duration::from_millis(5),
            ..RetryPolicy::default()
        },
        ca_file: None,
        max_body: proone_sync::portal::DEFAULT_MAX_BODY,
    })
    .unwrap();
    let err = fetch_observed(&impatient, TODAY).await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(
            "/api/v1/me after 3 tries: HTTP 503: the portal is busy; try again (unavailable)"
        ),
        "{text}"
    );
}

fn check_against(e: &RunningEmulator, token: &str, extra: &[&str]) -> Run {
    run(bin()
        .env("PROONE_TOKEN", token)
        .env("PROONE_URL", e.base_url())
        .arg("check")
        .args(extra))
}

#[test]
fn check_resolves_structures_and_says_why_it_cannot() {
    let e = emulator(Faults::default());
    let dir = tempfile::tempdir().unwrap();
    let staff = write(
        dir.path(),
        "staff.csv",
        "Email;Structures\nmarie@x.be;Les Petits Loups\nluc@x.be;Les Petits Loups (4000)\nzoe@x.be;Creche Les Lutin\nann@x.be;MA-00999\n",
    );
    let r = check_against(&e, ADMIN, &["--format", "json", staff.to_str().unwrap()]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let got: Vec<(String, String)> = problems(&v)
        .into_iter()
        .map(|(_, l, m)| (l.rsplit(':').take(2).collect::<Vec<_>>().join("<"), m))
        .collect();
    assert_eq!(
        got,
        vec![
            ("B<2".into(), "« Les Petits Loups » names 2 structures: MA-00102 (5000 Namur), MA-00103 (4000 Liège)".into()),
            ("B<4".into(), "unknown structure \"Creche Les Lutin\"".into()),
            ("B<5".into(), "unknown structure id MA-00999: no structure of the organisation has it".into()),
        ]
    );
    assert_eq!(v["summary"]["people"], 1);
    // --offline does not call the portal at all.
    let r = run(bin().env("PROONE_URL", "http://127.0.0.1:9/api/v1").args([
        "check",
        "--offline",
        staff.to_str().unwrap(),
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn refused_token_missing_profile_and_missing_token_exit_1_with_one_sentence() {
    let e = emulator(Faults::default());
    let cases = [
        ("tok-wrong", "the portal refused the token (401) at"),
        (
            "tok-noprofile-5e0d17",
            "has neither the profile « Administrateur » nor « Gestion des utilisateurs »",
        ),
    ];
    for (token, sentence) in cases {
        let r = check_against(&e, token, &["fixtures/acces-grille.xlsx"]);
        assert_eq!(r.code, 1);
        assert!(
            r.stderr.starts_with("proone-sync: ") && r.stderr.contains(sentence),
            "{}",
            r.stderr
        );
        assert_eq!(
            r.stderr.lines().count(),
            2,
            "a sentence and a hint: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
    }
    let r = run(bin()
        .env("PROONE_URL", e.base_url())
        .args(["check", "fixtures/acces-grille.xlsx"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("the environment variable PROONE_TOKEN is not set"),
        "{}",
        r.stderr
    );
    let r = run(bin()
        .env("PROONE_URL", e.base_url())
        .env("MY_TOKEN", ADMIN)
        .args([
            "check",
            "--token-env",
            "MY_TOKEN",
            "fixtures/acces-grille.xlsx",
        ]));
    assert_eq!(r.code, 3, "{}", r.stderr);
}

#[test]
fn the_token_never_appears_in_any_output_even_at_vv() {
    let e = emulator(Faults {
        fail_rate: 0.3,
        random_seed: 9,
        ..Faults::default()
    });
    for format in ["text", "json"] {
        let r = check_against(
            &e,
            ADMIN,
            &["-vv", "--log-format", format, "fixtures/personnel.xlsx"],
        );
        assert_eq!(r.code, 3, "{}", r.stderr);
        assert!(
            r.stderr.contains("portal call"),
            "-vv logs the calls: {}",
            r.stderr
        );
        assert!(!r.stdout.contains(ADMIN) && !r.stderr.contains(ADMIN));
        assert!(!r.stderr.contains("7f3c9a"));
    }
    let r = check_against(
        &e,
        "tok-secret-never-shown",
        &["-vvv", "fixtures/personnel.xlsx"],
    );
    assert_eq!(r.code, 1);
    assert!(
        !r.stderr.contains("tok-secret-never-shown")
            && !r.stdout.contains("tok-secret-never-shown")
    );
}

#[test]
fn config_file_gives_the_portal_and_flags_beat_it() {
    let e = emulator(Faults::default());
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        "sync.toml",
        format!(
            "inputs = [\"{}\"]\n[portal]\nurl = \"{}\"\ntoken_env = \"SYNC_TOKEN\"\nrate_limit = 50\nconcurrency = 2\n",
            fixture("acces-grille.xlsx").display(),
            e.base_url()
        ),
    );
    let r = run(bin()
        .env("SYNC_TOKEN", ADMIN)
        .arg("--config")
        .arg(&cfg)
        .arg("check"));
    assert_eq!(r.code, 3, "{}", r.stderr);
    // flag > environment > file, for real: a dead address in one place, the emulator in another.
    let dead = "http://127.0.0.1:9/api/v1";
    let layered = |file_url: &str| {
        write(
            dir.path(),
            "layered.toml",
            format!("[portal]\nurl = \"{file_url}\"\nmax_attempts = 1\ntimeout_secs = 5\n"),
        )
    };
    let check = |cfg: &std::path::Path, env_url: Option<&str>, flag_url: Option<&str>| {
        let mut cmd = bin();
        cmd.env("PROONE_TOKEN", ADMIN).env_remove("PROONE_URL");
        if let Some(u) = env_url {
            cmd.env("PROONE_URL", u);
        }
        cmd.arg("--config").arg(cfg).arg("check");
        if let Some(u) = flag_url {
            cmd.args(["--portal-url", u]);
        }
        run(cmd.arg("fixtures/acces-grille.xlsx")).code
    };
    let good = e.base_url();
    let cfg_dead = layered(dead);
    assert_eq!(
        check(&cfg_dead, None, None),
        1,
        "the file's dead address is used"
    );
    assert_eq!(
        check(&cfg_dead, Some(&good), None),
        3,
        "the environment beats the file"
    );
    assert_eq!(
        check(&cfg_dead, Some(dead), Some(&good)),
        3,
        "the flag beats the environment"
    );
    let cfg_good = layered(&good);
    assert_eq!(
        check(&cfg_good, Some(dead), None),
        1,
        "the environment beats the file"
    );
    // Flags are checked as the file's values are: nothing the file refuses means something.
    for (flag, value) in [
        ("--rate-limit", "-1"),
        ("--concurrency", "1000"),
        ("--concurrency", "0"),
    ] {
        let r = run(bin().env("PROONE_TOKEN", ADMIN).args([
            "check",
            flag,
            value,
            "fixtures/acces-grille.xlsx",
        ]));
        assert_eq!(r.code, 1, "{flag} {value}: {}", r.stderr);
        assert!(
            r.stderr.contains("must be a"),
            "{flag} {value}: {}",
            r.stderr
        );
    }
    let bad = write(dir.path(), "bad.toml", "[portal]\nrate_limit = \"vite\"\n");
    let r = run(bin()
        .arg("--config")
        .arg(&bad)
        .args(["check", "fixtures/acces-grille.xlsx"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("bad.toml: line 2:"), "{}", r.stderr);
    let negative = write(dir.path(), "negative.toml", "[portal]\nrate_limit = -1\n");
    let r = run(bin()
        .arg("--config")
        .arg(&negative)
        .args(["check", "fixtures/acces-grille.xlsx"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("portal.rate_limit must be a number of requests per second"),
        "{}",
        r.stderr
    );
}

/// A walk whose pages loop (a → b → a) stops as a portal fault at the first cursor seen again,
/// not only when one repeats right away. A portal of three routes, made here.
#[tokio::test]
async fn a_cursor_seen_again_anywhere_in_a_walk_stops_it() {
    use axum::extract::RawQuery;
    async fn page(RawQuery(q): RawQuery) -> axum::Json<serde_json::Value> {
        let next = match q.as_deref().and_then(|q| q.split("cursor=").nth(1)) {
            None => "a",
            Some("a") => "b",
            Some(_) => "a",
        };
        axum::Json(serde_json::json!({"items": [], "next_cursor": next}))
    }
    let app = axum::Router::new().route("/api/v1/users", axum::routing::get(page));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    proone_sync::portal::install_tls_provider();
    let c = proone_sync::portal::PortalClient::new(proone_sync::portal::ClientSettings {
        url: format!("http://{addr}/api/v1"),
        token: secrecy::SecretString::from("t".to_owned()),
        rate_limit: None,
        concurrency: 1,
        timeout: std::time::Duration::from_secs(5),
        retry: proone_sync::portal::RetryPolicy::default(),
        ca_file: None,
        max_body: proone_sync::portal::DEFAULT_MAX_BODY,
    })
    .unwrap();
    let err = c.walk::<serde_json::Value>("/users").await.unwrap_err();
    assert!(matches!(err, PortalError::BadAnswer { .. }), "{err}");
    assert!(err.to_string().contains("seen before"), "{err}");
}

/// A TLS front for the emulator, with a certificate signed by a CA made here (no system
/// trusts it): the address to call, and the CA's PEM.
async fn tls_front(e: &proone_sync::emulator::RunningEmulator) -> (String, String) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let server_key = KeyPair::generate().unwrap();
    let server_cert = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .unwrap()
        .signed_by(&server_key, &issuer)
        .unwrap();
    proone_sync::portal::install_tls_provider();
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![server_cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(server_key.serialize_der().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let target = e.addr();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let Ok(mut plain) = tokio::net::TcpStream::connect(target).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    (
        format!("https://127.0.0.1:{}/api/v1", addr.port()),
        ca_cert.pem(),
    )
}

/// An HTTPS portal whose certificate comes from a CA the system does not trust: one try, one
/// sentence that says "certificate", in well under 5 s (exit 1); with that CA in `ca_file`
/// the same run reads the portal.
#[test]
fn an_untrusted_certificate_is_said_once_and_ca_file_trusts_it() {
    let e = emulator(Faults::default());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (url, ca_pem) = rt.block_on(tls_front(&e));
    let dir = tempfile::tempdir().unwrap();
    let ca = write(dir.path(), "ca.pem", &ca_pem);
    let check = |cfg: &str| {
        let cfg = write(dir.path(), "sync.toml", cfg);
        let started = std::time::Instant::now();
        let r = run(bin()
            .env("PROONE_URL", &url)
            .env("PROONE_TOKEN", ADMIN)
            .env_remove("SSL_CERT_FILE")
            .arg("--config")
            .arg(&cfg)
            .args(["check", "fixtures/acces-grille.xlsx"]));
        (r, started.elapsed())
    };
    let (r, took) = check("");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("certificate"), "{}", r.stderr);
    assert!(
        r.stderr.contains("ca_file"),
        "the hint names the fix: {}",
        r.stderr
    );
    assert!(
        took < std::time::Duration::from_secs(5),
        "{took:?}: retried?"
    );
    assert!(
        !r.stderr.contains("after 10 tries") && !r.stderr.contains("retried"),
        "{}",
        r.stderr
    );
    let (r, _) = check(&format!("[portal]\nca_file = \"{}\"\n", ca.display()));
    assert_eq!(r.code, 3, "with ca_file the portal is read: {}", r.stderr);
    // A ca_file that is not a PEM bundle is said as such.
    let junk = write(dir.path(), "junk.pem", "not a certificate");
    let (r, _) = check(&format!("[portal]\nca_file = \"{}\"\n", junk.display()));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("ca_file"), "{}", r.stderr);
    drop(rt);
}

/// The token from the environment, else `token_file` (refused, with the fix, when group or
/// others may read it), else systemd's `$CREDENTIALS_DIRECTORY/proone-token`; never printed.
#[test]
fn the_token_comes_from_the_environment_a_private_file_or_a_systemd_credential() {
    use std::os::unix::fs::PermissionsExt;
    let e = emulator(Faults::default());
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "token", format!("{ADMIN}\n"));
    let cfg = write(
        dir.path(),
        "sync.toml",
        format!(
            "[portal]\nurl = \"{}\"\ntoken_file = \"token\"\n",
            e.base_url()
        ),
    );
    let check = |env_token: Option<&str>, credentials: Option<&std::path::Path>| {
        let mut cmd = bin();
        cmd.env_remove("PROONE_URL")
            .env_remove("CREDENTIALS_DIRECTORY");
        if let Some(t) = env_token {
            cmd.env("PROONE_TOKEN", t);
        }
        if let Some(c) = credentials {
            cmd.env("CREDENTIALS_DIRECTORY", c);
        }
        run(cmd
            .arg("--config")
            .arg(&cfg)
            .args(["check", "fixtures/acces-grille.xlsx"]))
    };
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = check(None, None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("mode is 644") && r.stderr.contains("chmod 600"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains(ADMIN) && !r.stdout.contains(ADMIN));
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(check(None, None).code, 3, "the private file is read");
    // The environment comes first: a wrong token there is used (and refused by the portal).
    let r = check(Some("tok-nope"), None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("401"), "{}", r.stderr);
    // No file configured: systemd's credential.
    let plain = write(
        dir.path(),
        "plain.toml",
        format!("[portal]\nurl = \"{}\"\n", e.base_url()),
    );
    let creds = dir.path().join("credentials");
    std::fs::create_dir(&creds).unwrap();
    write(&creds, "proone-token", ADMIN);
    let r = run(bin()
        .env_remove("PROONE_URL")
        .env("CREDENTIALS_DIRECTORY", &creds)
        .arg("--config")
        .arg(&plain)
        .args(["check", "fixtures/acces-grille.xlsx"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    let r = run(bin()
        .env_remove("PROONE_URL")
        .env_remove("CREDENTIALS_DIRECTORY")
        .arg("--config")
        .arg(&plain)
        .args(["check", "fixtures/acces-grille.xlsx"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("proone-token credential"), "{}", r.stderr);
}

/// How a raw loopback test server (not the emulator) treats each request it reads.
#[derive(Clone, Copy)]
enum Misbehaves {
    /// 3 GiB of body, announced by a Content-Length.
    HugeWithLength,
    /// 3 GiB of body in chunks, nothing announced.
    HugeChunked,
    /// Accepts, reads the request, never answers (until the client hangs up, at most 2 min).
    Silent,
    /// Every request: 429 with `Retry-After: 1`, on a kept-alive connection.
    AlwaysBusy,
    /// Reads the request, waits 400 ms, hangs up without a word.
    SlowClose,
}

/// A server on an ephemeral loopback port; its base URL. Each connection has a thread of its
/// own, bounded in time and bytes, that ends when the client hangs up.
fn misbehaving_portal(how: Misbehaves) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            std::thread::spawn(move || {
                let _ = conn.set_read_timeout(Some(Duration::from_secs(120)));
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match conn.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                const TOTAL: u64 = 3 << 30;
                let chunk = vec![b' '; 1 << 20];
                if let Misbehaves::AlwaysBusy = how {
                    let busy = "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n";
                    // One answer per request read, for at most 100 requests of a connection.
                    for _ in 0..100 {
                        if conn.write_all(busy.as_bytes()).is_err() {
                            return;
                        }
                        head.clear();
                        while !head.ends_with(b"\r\n\r\n") {
                            match conn.read(&mut byte) {
                                Ok(1) => head.push(byte[0]),
                                _ => return,
                            }
                        }
                    }
                    return;
                }
                match how {
                    Misbehaves::AlwaysBusy => {}
                    Misbehaves::SlowClose => std::thread::sleep(Duration::from_millis(400)),
                    Misbehaves::Silent => {
                        // Until the client closes (read gives 0) or the timeout.
                        let _ = conn.read(&mut [0u8; 64]);
                    }
                    Misbehaves::HugeWithLength => {
                        let h = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {TOTAL}\r\n\r\n"
                        );
                        if conn.write_all(h.as_bytes()).is_err() {
                            return;
                        }
                        for _ in 0..TOTAL / chunk.len() as u64 {
                            if conn.write_all(&chunk).is_err() {
                                return;
                            }
                        }
                    }
                    Misbehaves::HugeChunked => {
                        let h = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
                        if conn.write_all(h.as_bytes()).is_err() {
                            return;
                        }
                        for _ in 0..TOTAL / chunk.len() as u64 {
                            let size = format!("{:x}\r\n", chunk.len());
                            if conn.write_all(size.as_bytes()).is_err()
                                || conn.write_all(&chunk).is_err()
                                || conn.write_all(b"\r\n").is_err()
                            {
                                return;
                            }
                        }
                        let _ = conn.write_all(b"0\r\n\r\n");
                    }
                }
            });
        }
    });
    format!("http://{addr}/api/v1")
}

/// `check` of a fixture against `url` with the admin token, measured; `portal` is the
/// `[portal]` table of a config, if any.
fn check_measured(url: &str, portal: Option<&str>) -> (Run, u64, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = std_bin();
    cmd.env("PROONE_TOKEN", ADMIN).env("PROONE_URL", url);
    if let Some(table) = portal {
        let cfg = write(dir.path(), "p.toml", format!("[portal]\n{table}"));
        cmd.arg("--config").arg(cfg);
    }
    cmd.args(["check", fixture("acces-grille.xlsx").to_str().unwrap()]);
    run_measured(&mut cmd)
}

/// Issue 22: an answer of 3 GiB, announced or chunked, is refused as the portal's fault in one
/// sentence naming the URL, and the process stays small (the cap is 64 MiB).
#[test]
fn a_portal_that_answers_gigabytes_is_refused_in_flat_memory() {
    for how in [Misbehaves::HugeWithLength, Misbehaves::HugeChunked] {
        let url = misbehaving_portal(how);
        let (r, peak_kib, took) = check_measured(&url, None);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(
            r.stderr
                .contains(&format!("{url}/me is larger than 64 MiB")),
            "{}",
            r.stderr
        );
        assert_eq!(r.stderr.matches("larger than").count(), 1, "{}", r.stderr);
        eprintln!("3 GiB answer: peak {} MiB, {took:?}", peak_kib / 1024);
        assert!(peak_kib < 200 * 1024, "peak {} MiB", peak_kib / 1024);
    }
}

/// Issue 22: a portal that accepts and never answers is said to not answer (not to be out of
/// reach), within the bound its settings give — 3 tries of `timeout_secs` and their backoff.
#[test]
fn a_portal_that_never_answers_is_said_so_within_its_bound() {
    let url = misbehaving_portal(Misbehaves::Silent);
    let table = "timeout_secs = 0.5
max_attempts = 10
";
    let (r, _, took) = check_measured(&url, Some(table));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "the portal at {url}/me accepted the connection but did not answer within 0.5 s (3 tries)"
        )),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("could not be reached"), "{}", r.stderr);
    // 3 × 0.5 s and two short backoffs, plus starting the process: far below 10 × 0.5 s.
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert!(took >= Duration::from_millis(1500), "{took:?}");
    // In French too.
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(dir.path(), "p.toml", format!("[portal]\n{table}"));
    let r = run(bin()
        .env("PROONE_TOKEN", ADMIN)
        .env("PROONE_URL", &url)
        .args(["--lang", "fr", "--config"])
        .arg(&cfg)
        .args(["check", fixture("acces-grille.xlsx").to_str().unwrap()]));
    assert!(
        r.stderr.contains("n'a pas répondu en 0,5 s (3 essais)"),
        "{}",
        r.stderr
    );
}

/// Issue 22: a portal that answers each call in 8 s is slow, not down: with the default
/// timeout the run succeeds.
#[test]
fn a_portal_that_answers_in_8_seconds_is_waited_for_with_the_defaults() {
    let slow = emulator(Faults {
        latency_ms: 8_000,
        ..Faults::default()
    });
    let (r, _, took) = check_measured(&slow.base_url(), None);
    assert_eq!(
        r.code, 3,
        "the fixture's own mistakes, nothing else: {}",
        r.stderr
    );
    assert!(!r.stderr.contains("did not answer"), "{}", r.stderr);
    eprintln!("8 s portal: check took {took:?}");
}

/// Issue 22: a portal that asks every time to come back later is given up on once the call has
/// slept `max_retry_after` in all, not after every try of the budget.
#[tokio::test]
async fn a_portal_that_always_says_come_back_later_is_given_up_on_within_max_retry_after() {
    let url = misbehaving_portal(Misbehaves::AlwaysBusy);
    let client = PortalClient::new(ClientSettings {
        url: url.clone(),
        token: SecretString::from(ADMIN.to_owned()),
        rate_limit: None,
        concurrency: 1,
        timeout: Duration::from_secs(5),
        retry: RetryPolicy {
            max_attempts: 10,
            max_retry_after: Duration::from_millis(2_500),
            ..RetryPolicy::default()
        },
        ca_file: None,
        max_body: proone_sync::portal::DEFAULT_MAX_BODY,
    })
    .unwrap();
    let started = std::time::Instant::now();
    let err = fetch_observed(&client, TODAY).await.unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err, PortalError::Unreachable { .. }), "{err}");
    assert!(err.to_string().contains("HTTP 429"), "{err}");
    // Three sleeps of 1 s go past 2.5 s: the third try is the last (not ten of them).
    let PortalError::Unreachable { attempts, .. } = err else {
        unreachable!()
    };
    assert_eq!(attempts, 3);
    assert!(took < Duration::from_secs(6), "{took:?}");
}

/// Issue 22: a portal that takes its time to fail (hangs up after 400 ms, every time) costs a
/// call at most 7 × `timeout_secs` of its own time — not ten tries and a minute of backoff.
#[test]
fn a_portal_that_fails_slowly_every_time_is_given_up_on_within_the_call_budget() {
    let url = misbehaving_portal(Misbehaves::SlowClose);
    let table = "timeout_secs = 0.5
max_attempts = 10
";
    let (r, _, took) = check_measured(&url, Some(table));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains(&format!("the portal could not be reached at {url}/me")),
        "{}",
        r.stderr
    );
    // At most 3.5 s of the call's own time (it stops before a sleep that would pass it):
    // far from 10 tries and their backoff.
    assert!(took < Duration::from_secs(8), "{took:?}");
    assert!(took >= Duration::from_millis(1_500), "{took:?}");
}
