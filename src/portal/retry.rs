//! When to try a call again and how long to wait: pure functions over what happened, so the
//! policy is data that tests can read (the kube-rs habit: a retry is a decision, not a loop
//! hidden in I/O code).

use std::time::{Duration, SystemTime};

/// The retry budget of one call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Tries in all, the first included.
    pub max_attempts: u32,
    /// First backoff; doubles each time, with full jitter.
    pub base: Duration,
    /// No single wait is longer (a `Retry-After` beyond it is honoured up to `max_retry_after`).
    pub max_backoff: Duration,
    /// The longest `Retry-After` obeyed; a portal asking for more is treated as down.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 10,
            base: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

/// What one try gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Attempt {
    /// An HTTP answer with its status and `Retry-After` (already parsed, if any).
    Answer {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// No answer: connection refused or dropped, timeout, broken body.
    Transport,
}

/// What to do after a try.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// Success, or a definitive answer the caller interprets (4xx, including 409 and 412).
    Done,
    /// Try again after this long.
    Retry(Duration),
    /// Out of attempts, or told to wait longer than we will.
    GiveUp,
}

/// 429, 5xx and transport failures are retried; everything else is an answer.
pub fn should_retry(a: &Attempt) -> bool {
    match a {
        Attempt::Transport => true,
        Attempt::Answer { status, .. } => *status == 429 || (500..600).contains(status),
    }
}

impl RetryPolicy {
    /// `attempt` is 1 for the first try. `jitter` is uniform in [0, 1).
    pub fn decide(&self, attempt: u32, what: &Attempt, jitter: f64) -> Decision {
        if !should_retry(what) {
            return Decision::Done;
        }
        if attempt >= self.max_attempts {
            return Decision::GiveUp;
        }
        if let Attempt::Answer {
            retry_after: Some(wait),
            ..
        } = what
        {
            if *wait > self.max_retry_after {
                return Decision::GiveUp;
            }
            // Honour it exactly, plus a little so that a crowd of callers does not return at
            // the same instant.
            return Decision::Retry(*wait + Duration::from_millis((jitter * 50.0) as u64));
        }
        let exp = self
            .base
            .saturating_mul(1u32 << (attempt - 1).min(16))
            .min(self.max_backoff);
        // Full jitter: uniform in [exp/2, exp].
        Decision::Retry(exp.mul_f64(0.5 + jitter / 2.0))
    }
}

/// `Retry-After`: delta-seconds (possibly fractional) or an HTTP-date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<f64>() {
        // `1e300` is a number no Duration holds: not a wait we can obey (and never a panic).
        return Duration::try_from_secs_f64(secs).ok();
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16) -> Attempt {
        Attempt::Answer {
            status,
            retry_after: None,
        }
    }

    #[test]
    fn what_is_retried() {
        for s in [429, 500, 502, 503, 504] {
            assert!(should_retry(&answer(s)), "{s}");
        }
        for s in [200, 201, 204, 400, 401, 403, 404, 409, 412, 422] {
            assert!(!should_retry(&answer(s)), "{s}");
        }
        assert!(should_retry(&Attempt::Transport));
    }

    #[test]
    fn exponential_with_jitter_and_a_cap() {
        let p = RetryPolicy::default();
        let d = |attempt, jitter| match p.decide(attempt, &answer(503), jitter) {
            Decision::Retry(d) => d,
            other => panic!("{other:?}"),
        };
        assert_eq!(d(1, 0.0), Duration::from_millis(100));
        assert_eq!(d(1, 1.0), Duration::from_millis(200));
        assert_eq!(d(3, 1.0), Duration::from_millis(800));
        assert_eq!(d(9, 1.0), Duration::from_secs(20));
        assert_eq!(p.decide(10, &answer(503), 0.5), Decision::GiveUp);
        assert_eq!(p.decide(1, &answer(404), 0.5), Decision::Done);
    }

    #[test]
    fn retry_after_is_honoured_in_both_forms() {
        let p = RetryPolicy::default();
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let secs = parse_retry_after("0.25", now).unwrap();
        assert_eq!(secs, Duration::from_millis(250));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(3));
        assert_eq!(parse_retry_after(&date, now), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("soon", now), None);
        // Whatever a portal sends, never a panic: too large, negative, not a number.
        for odd in ["1e300", "-1", "NaN", "inf", "-0.5"] {
            assert_eq!(parse_retry_after(odd, now), None, "{odd}");
        }
        let a = Attempt::Answer {
            status: 429,
            retry_after: Some(secs),
        };
        assert_eq!(
            p.decide(1, &a, 0.0),
            Decision::Retry(Duration::from_millis(250))
        );
        let too_long = Attempt::Answer {
            status: 429,
            retry_after: Some(Duration::from_secs(3600)),
        };
        assert_eq!(p.decide(1, &too_long, 0.0), Decision::GiveUp);
    }
}
