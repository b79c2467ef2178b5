//! How the emulator misbehaves on demand, each fault off by default and deterministic under a
//! random seed: a per-token rate limit (token bucket; excess → 429 + `Retry-After`), a share of
//! 503s, a share of writes that commit and then drop the connection, short pages, latency with
//! jitter, writes held without an answer (a portal that hangs after the reads).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

/// The fault settings, as the `emulator` command's flags give them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    /// Requests per second per token, and the burst; `None`: no limit.
    pub rate_limit: Option<(f64, u32)>,
    /// Share (0..=1) of requests answered 503 before doing anything.
    pub fail_rate: f64,
    /// Share (0..=1) of successful writes whose connection is dropped after the commit.
    pub drop_rate: f64,
    /// Pages shorter than asked (a client must follow `next_cursor`).
    pub short_pages: bool,
    /// Cursors that hold `+`, `/`, `=` and `&`, as standard base64 and some portals' cursors do
    /// (a client must encode them in the query).
    pub opaque_cursors: bool,
    /// `Retry-After` as an HTTP-date instead of (fractional) seconds.
    pub retry_after_date: bool,
    pub latency_ms: u64,
    pub jitter_ms: u64,
    pub random_seed: u64,
    /// Every write is accepted and never answered (the connection stays open): a portal that
    /// stops answering after the reads of an apply.
    pub stall_writes: bool,
}

pub use crate::rng::Rng;

/// A token bucket per token.
#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

/// What the limiter decided, with what the `RateLimit-*` headers say.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quota {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the bucket is full again.
    pub reset: f64,
    /// Seconds until one request is allowed (0 when allowed).
    pub retry_after: f64,
}

pub struct Limiter {
    rate: f64,
    burst: u32,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Limiter {
    pub fn new(rate: f64, burst: u32) -> Limiter {
        Limiter {
            rate: rate.max(f64::MIN_POSITIVE),
            burst: burst.max(1),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    pub fn check(&self, key: &str, now: Instant) -> Quota {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let burst = f64::from(self.burst);
        let b = buckets.entry(key.to_owned()).or_insert(Bucket {
            tokens: burst,
            last: now,
        });
        let elapsed = now.saturating_duration_since(b.last).as_secs_f64();
        b.tokens = (b.tokens + elapsed * self.rate).min(burst);
        b.last = now;
        let allowed = b.tokens >= 1.0;
        if allowed {
            b.tokens -= 1.0;
        }
        Quota {
            allowed,
            limit: self.burst,
            remaining: b.tokens.floor().max(0.0) as u32,
            reset: (burst - b.tokens) / self.rate,
            retry_after: if allowed {
                0.0
            } else {
                (1.0 - b.tokens) / self.rate
            },
        }
    }
}

/// `Retry-After` value: delta-seconds (fractional, as the contract allows) or an HTTP-date
/// (whole seconds, rounded up so a client that honours it is never early).
pub fn retry_after_value(seconds: f64, as_date: bool, now: SystemTime) -> String {
    if as_date {
        // An HTTP-date has whole seconds: round the moment up, never down, so that waiting
        // until the date shown is always enough.
        let at = now + Duration::from_secs_f64(seconds.max(0.0));
        let since = at
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default();
        let whole = since.as_secs() + u64::from(since.subsec_nanos() > 0);
        httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + Duration::from_secs(whole))
    } else {
        format!("{:.3}", seconds.max(0.001))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_allows_the_burst_then_refills_at_the_rate() {
        let l = Limiter::new(10.0, 3);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(l.check("a", t0).allowed);
        }
        let q = l.check("a", t0);
        assert!(!q.allowed);
        assert!((q.retry_after - 0.1).abs() < 1e-9, "{q:?}");
        assert!(l.check("b", t0).allowed, "per token");
        assert!(l.check("a", t0 + Duration::from_millis(100)).allowed);
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(retry_after_value(0.25, false, now), "0.250");
        let date = retry_after_value(0.25, true, now);
        assert_eq!(
            httpdate::parse_http_date(&date).unwrap(),
            now + Duration::from_secs(1)
        );
    }
}
