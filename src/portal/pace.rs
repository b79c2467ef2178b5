//! Finding a limit nobody states. A gateway (nginx's `limit_req`, a WAF) may answer 429 with
//! no `Retry-After` and no `RateLimit-*`: the client then paces itself by additive increase and
//! multiplicative decrease, as TCP does. The first bare 429 sets the pace below the rate at
//! which calls were being accepted; each accepted call raises it a little (about one request per
//! second, every second); each new bare 429 lowers it by a sixth. Calls start no closer together
//! than the pace allows, so the client settles just under the gateway's limit instead of being
//! refused 40 % of the time.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// A bare 429 keeps this share of the pace.
const DECREASE: f64 = 0.85;
/// Requests per second gained per second of accepted calls.
const INCREASE: f64 = 1.0;
/// The pace never goes below this (requests per second).
const FLOOR: f64 = 0.5;
const CEILING: f64 = 10_000.0;
/// Accepted calls remembered to estimate the rate that worked.
const REMEMBERED: usize = 64;

#[derive(Debug, Default)]
pub struct Pacer {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Requests per second; `None` until a bare 429 says there is a limit.
    rate: Option<f64>,
    /// The earliest start of the next call.
    next: Option<Instant>,
    /// When the pace was last lowered: the 429s of calls already in flight then are the same
    /// news, not new news.
    lowered: Option<Instant>,
    /// When recent accepted calls were sent.
    accepted: VecDeque<Instant>,
}

impl Pacer {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The pace, once one was needed.
    pub fn rate(&self) -> Option<f64> {
        self.state().rate
    }

    /// Reserves the next start: the instant this call may start at (`None`: no pace).
    pub fn slot(&self, now: Instant) -> Option<Instant> {
        let mut s = self.state();
        let rate = s.rate?;
        let start = s.next.map_or(now, |n| n.max(now));
        s.next = Some(start + Duration::from_secs_f64(1.0 / rate));
        Some(start)
    }

    /// A call sent at `sent` was accepted.
    pub fn accepted(&self, sent: Instant) {
        let mut s = self.state();
        s.accepted.push_back(sent);
        if s.accepted.len() > REMEMBERED {
            s.accepted.pop_front();
        }
        if let Some(rate) = s.rate {
            s.rate = Some((rate + INCREASE / rate).min(CEILING));
        }
    }

    /// A 429 with nothing to say how long to wait, for a call sent at `sent`.
    pub fn bare_429(&self, sent: Instant, now: Instant) {
        let mut s = self.state();
        // Calls sent before the last decrease were paced by the old rate: already counted.
        if s.lowered.is_some_and(|l| sent < l) {
            return;
        }
        let worked = s.rate.or_else(|| accepted_rate(&s.accepted, now));
        let rate = (worked.unwrap_or(2.0) * DECREASE).clamp(FLOOR, CEILING);
        s.rate = Some(rate);
        s.lowered = Some(now);
        s.next = Some(now + Duration::from_secs_f64(1.0 / rate));
    }
}

/// The rate at which the remembered calls were accepted, over the last two seconds.
fn accepted_rate(accepted: &VecDeque<Instant>, now: Instant) -> Option<f64> {
    let window = Duration::from_secs(2);
    let recent: Vec<&Instant> = accepted
        .iter()
        .filter(|t| now.duration_since(**t) <= window)
        .collect();
    let (first, last) = (recent.first()?, recent.last()?);
    let span = last.duration_since(**first).as_secs_f64();
    (recent.len() >= 2 && span > 0.0).then(|| (recent.len() - 1) as f64 / span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_429_sets_a_pace_under_what_was_accepted_and_successes_raise_it() {
        let p = Pacer::default();
        let t0 = Instant::now();
        assert_eq!(p.slot(t0), None, "no pace before a 429");
        // 20 calls accepted over one second: 20/s worked, roughly.
        for i in 0..20 {
            p.accepted(t0 + Duration::from_millis(50 * i));
        }
        let now = t0 + Duration::from_secs(1);
        p.bare_429(now, now);
        let r = p.rate().unwrap();
        assert!((15.0..18.0).contains(&r), "{r}");
        // The 429s of calls in flight before the decrease are the same news.
        p.bare_429(
            now - Duration::from_millis(10),
            now + Duration::from_millis(5),
        );
        assert_eq!(p.rate(), Some(r));
        // Slots are 1/rate apart.
        let a = p.slot(now).unwrap();
        let b = p.slot(now).unwrap();
        assert!((b - a).as_secs_f64() > 0.9 / r && (b - a).as_secs_f64() < 1.1 / r);
        // About +1/s per second of accepted calls: r calls later, about one more.
        for _ in 0..r as usize {
            p.accepted(now);
        }
        let up = p.rate().unwrap();
        assert!((r + 0.8..r + 1.2).contains(&up), "{r} → {up}");
        // A new 429, after the decrease: lower again.
        let later = now + Duration::from_secs(3);
        p.bare_429(later, later);
        assert!((p.rate().unwrap() - up * DECREASE).abs() < 1e-9);
    }
}
