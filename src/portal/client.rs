//! The HTTP client of the portal: one per process, every call through its one rate limiter and
//! its concurrency bound, retried per `RetryPolicy` (429 honouring `Retry-After`, 5xx, timeouts,
//! dropped connections), slowed down by the `RateLimit-*` headers before the portal has to say
//! 429. The token lives in a `SecretString`: it goes into the `Authorization` header and nowhere
//! else — no log line, no error message.

use std::num::NonZeroU32;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::rng::Rng;

use super::error::PortalError;
use super::failure::{
    CALL_BUDGET, Failure, NO_ANSWER_TRIES, certificate_problem, gave_up, without_url,
};
use super::retry::{Attempt, Decision, RetryPolicy, parse_retry_after};
use crate::api::{Page, Problem, headers};

/// The largest answer body read by default: 64 MiB (a page of 500 users is about 300 KiB).
pub const DEFAULT_MAX_BODY: u64 = 64 * 1024 * 1024;

/// Validated settings of the client (flags > environment > config file, merged by the CLI).
#[derive(Debug, Clone)]
pub struct ClientSettings {
    /// Base URL, e.g. `https://portal.example/api/v1`.
    pub url: String,
    pub token: SecretString,
    /// Requests per second and burst; `None`: no client-side limit (a local emulator).
    pub rate_limit: Option<(f64, u32)>,
    pub concurrency: usize,
    /// One try's whole time, answer body included.
    pub timeout: Duration,
    pub retry: RetryPolicy,
    /// The largest answer body read (`[portal] max_body_mib`, default 64 MiB).
    pub max_body: u64,
    /// A PEM bundle of CAs trusted besides the system's (`[portal] ca_file`).
    pub ca_file: Option<std::path::PathBuf>,
}

/// An answer the caller interprets: any status that is not retried (or the last one).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub url: String,
    /// Tries it took, the first included.
    pub attempts: u32,
}

impl Answer {
    /// The problem+json `detail` (or the start of the body) for messages.
    pub fn detail(&self) -> String {
        match serde_json::from_slice::<Problem>(&self.body) {
            Ok(p) => match p.code {
                Some(code) => format!("{} ({code})", p.detail),
                None => p.detail,
            },
            Err(_) if looks_like_html(&self.body) => format!(
                "the gateway answered {} ({}) with a page of its own, not the portal's answer",
                self.status.as_u16(),
                self.status.canonical_reason().unwrap_or("no reason given")
            ),
            Err(_) => String::from_utf8_lossy(&self.body)
                .chars()
                .take(200)
                .collect(),
        }
    }

    pub fn problem(&self) -> Option<Problem> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// A proxy's error page (nginx, a WAF), not problem+json: `<html>`, `<!DOCTYPE …>`.
fn looks_like_html(body: &[u8]) -> bool {
    let start = String::from_utf8_lossy(&body[..body.len().min(64)]).to_ascii_lowercase();
    let start = start.trim_start();
    start.starts_with("<!doctype html") || start.starts_with("<html") || start.starts_with("<head")
}

/// Counts of what the client did, for reports and benchmarks.
#[derive(Debug, Default)]
pub struct ClientStats {
    pub requests: AtomicU64,
    pub retries: AtomicU64,
    pub rate_limited: AtomicU64,
    /// Answers by class, in `CLASSES` order (the `portal_requests` metric).
    pub by_class: [AtomicU64; 5],
}

/// The classes of `ClientStats::by_class`: what the metrics file calls them.
pub const CLASSES: [&str; 5] = ["2xx", "4xx", "429", "5xx", "network"];

impl ClientStats {
    fn count_answer(&self, status: Option<StatusCode>) {
        let class = match status.map(|s| s.as_u16()) {
            Some(429) => 2,
            Some(s) if s >= 500 => 3,
            Some(s) if s >= 400 => 1,
            Some(_) => 0,
            None => 4,
        };
        self.by_class[class].fetch_add(1, Ordering::Relaxed);
    }

    /// `(class, count)` pairs.
    pub fn classes(&self) -> Vec<(&'static str, u64)> {
        CLASSES
            .iter()
            .zip(&self.by_class)
            .map(|(c, n)| (*c, n.load(Ordering::Relaxed)))
            .collect()
    }
}

pub struct PortalClient {
    http: reqwest::Client,
    base: String,
    token: SecretString,
    limiter: Option<DefaultDirectRateLimiter>,
    /// The same rate with no burst, used once the portal has said 429: its bucket is smaller
    /// than ours, and a burst after every pause would only meet the next 429.
    smooth: Option<DefaultDirectRateLimiter>,
    cautious: std::sync::atomic::AtomicBool,
    permits: Semaphore,
    concurrency: usize,
    retry: RetryPolicy,
    timeout: Duration,
    max_body: u64,
    /// No call starts before this instant (set by 429s and an exhausted `RateLimit-Remaining`).
    pause_until: Mutex<Option<Instant>>,
    /// The portal's time between two tokens, learned from `Retry-After` (the wait a 429 asks
    /// for is at most that interval): used when the `RateLimit-*` headers are too coarse.
    learned_interval: Mutex<Option<Duration>>,
    jitter: Mutex<Rng>,
    /// The pace found by bare 429s (a gateway that states no limit).
    pacer: super::pace::Pacer,
    /// Calls the portal accepted (any answer but a 429 or a 5xx): a 429 does not use up a
    /// call's tries while others are being accepted.
    accepted: AtomicU64,
    /// Set once by `interrupt()`: no new try starts, waits are cut short.
    stop: tokio::sync::watch::Sender<bool>,
    pub stats: ClientStats,
}

impl std::fmt::Debug for PortalClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalClient")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

fn quota(rate: f64, burst: u32) -> Option<Quota> {
    if !(rate > 0.0 && rate.is_finite()) {
        return None;
    }
    let period = Duration::from_secs_f64(1.0 / rate);
    let burst = NonZeroU32::new(burst.max(1))?;
    Some(Quota::with_period(period)?.allow_burst(burst))
}

/// The certificates of a PEM bundle (`ca_file`), at least one.
fn ca_bundle(path: &std::path::Path) -> Result<Vec<reqwest::Certificate>, PortalError> {
    let bad = |why: String| PortalError::CaFile {
        path: path.display().to_string(),
        why,
    };
    let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| bad(e.to_string()))?;
    if certs.is_empty() {
        return Err(bad("no certificate in it (a PEM bundle is expected)".into()));
    }
    Ok(certs)
}

/// Installs rustls' ring provider for this process (reqwest is built without a default one:
/// ring builds faster than aws-lc). Idempotent; any HTTP client of the process needs it first.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl PortalClient {
    pub fn new(settings: ClientSettings) -> Result<PortalClient, PortalError> {
        let base = settings.url.trim_end_matches('/').to_owned();
        if !(base.starts_with("http://") || base.starts_with("https://"))
            || reqwest::Url::parse(&base).is_err()
        {
            return Err(PortalError::BadUrl { url: settings.url });
        }
        install_tls_provider();
        let mut builder = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("proone-sync/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = &settings.ca_file {
            builder = builder.tls_certs_merge(ca_bundle(path)?);
        }
        let http = builder
            .build()
            .map_err(|e| PortalError::Client(e.to_string()))?;
        Ok(PortalClient {
            http,
            base,
            token: settings.token,
            limiter: settings
                .rate_limit
                .and_then(|(r, b)| quota(r, b))
                .map(RateLimiter::direct),
            smooth: settings
                .rate_limit
                .and_then(|(r, _)| quota(r, 1))
                .map(RateLimiter::direct),
            cautious: std::sync::atomic::AtomicBool::new(false),
            permits: Semaphore::new(settings.concurrency.max(1)),
            concurrency: settings.concurrency.max(1),
            retry: settings.retry,
            timeout: settings.timeout,
            max_body: settings.max_body,
            pause_until: Mutex::new(None),
            learned_interval: Mutex::new(None),
            jitter: Mutex::new(Rng::from_time()),
            pacer: super::pace::Pacer::default(),
            accepted: AtomicU64::new(0),
            stop: tokio::sync::watch::Sender::new(false),
            stats: ClientStats::default(),
        })
    }

    /// Calls in flight at once.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// Ctrl-C / SIGTERM: from now on no try starts (a call waiting for its turn or a retry
    /// returns `PortalError::Interrupted`); requests already sent finish.
    pub fn interrupt(&self) {
        self.stop.send_replace(true);
    }

    pub fn is_interrupted(&self) -> bool {
        *self.stop.borrow()
    }

    /// Sleeps `d`, or less when interrupted meanwhile.
    async fn sleep_unless_stopped(&self, d: Duration) {
        let mut rx = self.stop.subscribe();
        tokio::select! {
            _ = tokio::time::sleep(d) => {}
            _ = rx.wait_for(|stop| *stop) => {}
        }
    }

    /// Waits until `until`, or less when interrupted meanwhile.
    async fn sleep_until_unless_stopped(&self, until: Instant) {
        let mut rx = self.stop.subscribe();
        tokio::select! {
            _ = tokio::time::sleep_until(until) => {}
            _ = rx.wait_for(|stop| *stop) => {}
        }
    }

    fn jitter(&self) -> f64 {
        self.jitter.lock().unwrap_or_else(|e| e.into_inner()).unit()
    }

    fn pause_for(&self, wait: Duration) {
        self.pause_until_at(Instant::now() + wait);
    }

    fn pause_until_at(&self, until: Instant) {
        let mut p = self.pause_until.lock().unwrap_or_else(|e| e.into_inner());
        if p.is_none_or(|current| current < until) {
            *p = Some(until);
        }
    }

    async fn wait_turn(&self) {
        let until = *self.pause_until.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(until) = until {
            self.sleep_until_unless_stopped(until).await;
        }
        if let Some(l) = &self.limiter {
            let mut rx = self.stop.subscribe();
            tokio::select! {
                _ = l.until_ready() => {}
                _ = rx.wait_for(|stop| *stop) => {}
            }
        }
        if let Some(at) = self.pacer.slot(Instant::now()) {
            self.sleep_until_unless_stopped(at).await;
        }
        if self.cautious.load(Ordering::Relaxed)
            && let Some(l) = &self.smooth
        {
            let mut rx = self.stop.subscribe();
            tokio::select! {
                _ = l.until_ready() => {}
                _ = rx.wait_for(|stop| *stop) => {}
            }
        }
    }

    /// Reads `RateLimit-Remaining`/`-Reset`/`-Limit`: with nothing left, the next call waits
    /// about one refill interval (counted from when this call was sent) instead of running into
    /// a 429. `Reset` comes in whole seconds, so below two seconds `Reset / Limit` may be far
    /// too long (a burst of 1 at 20/s says "1 s" for 50 ms); there the interval learned from
    /// `Retry-After` is used, or none until a 429 teaches it.
    fn observe_quota(&self, headers: &HeaderMap, sent: Instant) {
        let num = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<f64>().ok())
        };
        if let (Some(remaining), Some(reset)) = (
            num(headers::RATELIMIT_REMAINING),
            num(headers::RATELIMIT_RESET),
        ) && remaining < 1.0
        {
            let limit = num(headers::RATELIMIT_LIMIT)
                .filter(|l| *l >= 1.0)
                .unwrap_or(1.0);
            let from_headers = Duration::from_secs_f64((reset / limit).clamp(0.0, 60.0));
            let learned = *self
                .learned_interval
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            let wait = if reset >= 2.0 {
                Some(from_headers)
            } else {
                learned.map(|l| l.min(from_headers))
            };
            if let Some(w) = wait {
                self.pause_until_at(sent + w);
            }
        }
    }

    fn learn_interval(&self, retry_after: Duration) {
        let mut l = self
            .learned_interval
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if retry_after <= Duration::from_secs(60) && l.is_none_or(|cur| cur < retry_after) {
            *l = Some(retry_after);
        }
    }

    /// One call with retries. Any answer that is not retried is returned, whatever its status;
    /// `Err` only when every try failed.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        headers: &[(HeaderName, HeaderValue)],
    ) -> Result<Answer, PortalError> {
        let url = format!("{}{path}", self.base);
        let mut attempt = 0u32;
        // Tries that count against `max_attempts`: a 429 while other calls are accepted does
        // not (the portal is up, only busy), so no action fails for a gateway's 429s alone.
        let mut counted = 0u32;
        // Tries that got no answer in time: a hung portal is told after a few, not after every
        // try of the budget (cli.md: at most 3 minutes with the defaults).
        let mut silent = 0u32;
        // What this call slept between its counted tries: a portal that keeps asking to come
        // back later (a long Retry-After, each time) is given up on past `max_retry_after` in
        // all, as one that asks once for more — it must not hold the night for 10 × 2 min.
        let mut slept = Duration::ZERO;
        // The call's own time — its tries and its sleeps, not its turns under the rate limit:
        // past `CALL_BUDGET` timeouts' worth it gives up, whatever the portal does (answers
        // after 15 s with a dropped connection or a gateway's 504, every time).
        let mut spent = Duration::ZERO;
        let budget = self.timeout.saturating_mul(CALL_BUDGET);
        loop {
            attempt += 1;
            let accepted_before = self.accepted.load(Ordering::Relaxed);
            let call = Call {
                method: &method,
                url: &url,
                body,
                headers,
                attempt,
            };
            let (outcome, sent) = self.try_once(&call).await?;
            spent += sent.elapsed();
            let (attempt_kind, last) = self.judge(&outcome, sent);
            let no_answer = matches!(&outcome, Err(f) if f.timed_out && f.connected);
            if let Err(f) = &outcome
                && f.timed_out
            {
                silent += 1;
                if silent >= NO_ANSWER_TRIES.min(self.retry.max_attempts) {
                    // Connected: "does not answer"; else "cannot be reached", with the last.
                    return Err(gave_up(url, attempt, last, f.connected, self.timeout));
                }
            }
            let busy_only = matches!(&outcome, Ok((s, _, _)) if *s == StatusCode::TOO_MANY_REQUESTS)
                && self.accepted.load(Ordering::Relaxed) > accepted_before;
            if !busy_only {
                counted += 1;
            }
            let mut decision = self
                .retry
                .decide(counted.max(1), &attempt_kind, self.jitter());
            if let Decision::Retry(wait) = decision
                && !busy_only
            {
                slept += wait;
                if slept > self.retry.max_retry_after || spent + wait > budget {
                    decision = Decision::GiveUp;
                }
            }
            if let Decision::Retry(wait) = decision {
                spent += wait;
            }
            match decision {
                Decision::Done => {
                    let Ok((status, headers, body)) = outcome else {
                        return Err(gave_up(url, attempt, last, no_answer, self.timeout));
                    };
                    return Ok(Answer {
                        status,
                        headers,
                        body,
                        url,
                        attempts: attempt,
                    });
                }
                Decision::Retry(wait) => {
                    self.stats.retries.fetch_add(1, Ordering::Relaxed);
                    tracing::info!(url = %url, attempt, wait_ms = wait.as_millis() as u64, last = %last, "retrying");
                    self.sleep_unless_stopped(wait).await;
                }
                Decision::GiveUp => {
                    let last = with_detail(last, &outcome, &url, attempt);
                    return Err(gave_up(url, attempt, last, no_answer, self.timeout));
                }
            }
        }
    }

    /// One try: a concurrency permit, our turn under the rate limit, then the request. The
    /// answer (or the transport error as text) and when it was sent; `Err` when interrupted.
    async fn try_once(&self, call: &Call<'_>) -> Result<(Tried, Instant), PortalError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| PortalError::Client(e.to_string()))?;
        self.wait_turn().await;
        if self.is_interrupted() {
            return Err(PortalError::Interrupted {
                url: call.url.to_owned(),
                attempts: call.attempt - 1,
            });
        }
        let sent = Instant::now();
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let mut req = self
            .http
            .request(call.method.clone(), call.url)
            .bearer_auth(self.token.expose_secret());
        for (k, v) in call.headers {
            req = req.header(k, v);
        }
        if let Some(b) = call.body {
            req = req.json(b);
        }
        let (method, url, attempt) = (call.method, call.url, call.attempt);
        let started = std::time::Instant::now();
        let sent_result = req.send().await;
        self.stats
            .count_answer(sent_result.as_ref().ok().map(|r| r.status()));
        if let Err(e) = &sent_result
            && let Some(why) = certificate_problem(e)
        {
            return Err(PortalError::Certificate {
                url: call.url.to_owned(),
                why,
            });
        }
        let tried = match sent_result {
            Ok(resp) => {
                let status = resp.status();
                let h = resp.headers().clone();
                match self.read_body(resp, call.url).await? {
                    Ok(b) => {
                        tracing::debug!(%method, url = %url, status = status.as_u16(), attempt, elapsed_ms = started.elapsed().as_millis() as u64, "portal call");
                        Ok((status, h, b))
                    }
                    Err(e) => Err(Failure::of(&e, true)),
                }
            }
            Err(e) => {
                tracing::debug!(%method, url = %url, attempt, error = %without_url(&e), "portal call failed");
                Err(Failure::of(&e, false))
            }
        };
        Ok((tried, sent))
    }

    /// The answer's body, read chunk by chunk up to `max_body`: a portal (or a proxy) that sends
    /// gigabytes is refused as at fault, said with its URL, and memory stays flat. `Err` when
    /// too large (never retried: the same call would meet the same answer); `Ok(Err)` when the
    /// transfer itself failed (retried like any transport failure).
    async fn read_body(
        &self,
        mut resp: reqwest::Response,
        url: &str,
    ) -> Result<Result<Vec<u8>, reqwest::Error>, PortalError> {
        let too_large = || PortalError::TooLarge {
            url: url.to_owned(),
            limit_mib: self.max_body.div_ceil(1024 * 1024),
        };
        let declared = resp.content_length();
        if declared.is_some_and(|n| n > self.max_body) {
            return Err(too_large());
        }
        let mut body = Vec::with_capacity(declared.unwrap_or(0).min(1 << 20) as usize);
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() as u64 + chunk.len() as u64 > self.max_body {
                        return Err(too_large());
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(Ok(body)),
                Err(e) => return Ok(Err(e)),
            }
        }
    }

    /// What a try was, for the retry policy, and its short description. A 429 pauses every
    /// call (the limit is per token, shared by all our calls) and teaches the pacing.
    fn judge(&self, tried: &Tried, sent: Instant) -> (Attempt, String) {
        let (status, h) = match tried {
            Ok((status, h, _)) => (status, h),
            Err(f) => return (Attempt::Transport, f.text.clone()),
        };
        self.observe_quota(h, sent);
        let retry_after = h
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        if *status == StatusCode::TOO_MANY_REQUESTS {
            self.stats.rate_limited.fetch_add(1, Ordering::Relaxed);
            self.cautious.store(true, Ordering::Relaxed);
            let states_a_limit = h.contains_key(headers::RATELIMIT_REMAINING)
                || h.contains_key(headers::RATELIMIT_LIMIT);
            match retry_after {
                // A wait we will not obey (past max_retry_after: the call gives up) must not
                // hold every other call either.
                Some(w) if w > self.retry.max_retry_after => {}
                Some(w) => {
                    self.pause_for(w);
                    self.learn_interval(w);
                }
                // Nothing says how long: find the limit (AIMD).
                None if !states_a_limit => self.pacer.bare_429(sent, Instant::now()),
                None => {}
            }
        } else if !status.is_server_error() {
            self.accepted.fetch_add(1, Ordering::Relaxed);
            self.pacer.accepted(sent);
        }
        (
            Attempt::Answer {
                status: status.as_u16(),
                retry_after,
            },
            format!("HTTP {}", status.as_u16()),
        )
    }

    /// A GET whose 2xx body is `T`; 401, 403 and other answers become errors.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, PortalError> {
        let a = self.call(Method::GET, path, None, &[]).await?;
        expect_json(a)
    }

    /// Every item of a paginated collection: pages of 500 followed by `next_cursor` to the end
    /// (a short page is not the end).
    pub async fn walk<T: DeserializeOwned>(&self, path: &str) -> Result<Vec<T>, PortalError> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        // A cursor seen before, anywhere in the walk, is a loop: the portal is at fault.
        let mut seen = std::collections::HashSet::new();
        loop {
            let page_path = crate::api::paths::page(path, 500, cursor.as_deref());
            let page: Page<T> = self.get_json(&page_path).await?;
            items.extend(page.items);
            match page.next_cursor {
                Some(c) if seen.insert(c.clone()) => cursor = Some(c),
                Some(_) => {
                    return Err(PortalError::BadAnswer {
                        url: format!("{}{page_path}", self.base),
                        detail: "a next_cursor seen before in this walk: the pages loop".into(),
                    });
                }
                None => return Ok(items),
            }
        }
    }
}

pub fn expect_json<T: DeserializeOwned>(a: Answer) -> Result<T, PortalError> {
    match a.status.as_u16() {
        200..=299 => serde_json::from_slice(&a.body).map_err(|e| PortalError::BadAnswer {
            url: a.url.clone(),
            detail: e.to_string(),
        }),
        401 => Err(PortalError::Unauthorized { url: a.url }),
        403 => Err(PortalError::Forbidden {
            detail: a.detail(),
            url: a.url,
        }),
        status => Err(PortalError::Status {
            detail: a.detail(),
            url: a.url,
            status,
        }),
    }
}

/// What the last try gave, with `Answer::detail` of its answer when it got one.
fn with_detail(last: String, outcome: &Tried, url: &str, attempts: u32) -> String {
    match outcome {
        Ok((status, _, body)) => {
            let a = Answer {
                status: *status,
                headers: HeaderMap::new(),
                body: body.clone(),
                url: url.to_owned(),
                attempts,
            };
            format!("{last}: {}", a.detail())
        }
        Err(_) => last,
    }
}

/// One try of a call, as `try_once` sends it.
struct Call<'a> {
    method: &'a Method,
    url: &'a str,
    body: Option<&'a serde_json::Value>,
    headers: &'a [(HeaderName, HeaderValue)],
    attempt: u32,
}

/// The answer of one try (status, headers, body), or how its transport failed.
type Tried = Result<(StatusCode, HeaderMap, Vec<u8>), Failure>;
