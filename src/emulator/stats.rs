//! What the emulator counts, per caller, for tests and benchmarks: requests by route, 429s sent,
//! faults injected, writes committed, and the most requests seen in any one-second window.
//! Exposed read-only at `GET /_emulator/stats`.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct CallerStats {
    pub requests: u64,
    /// `"PUT /users/{id}/dossiers/{code}"` → count.
    pub by_route: BTreeMap<String, u64>,
    pub rate_limited: u64,
    /// 503s sent by the fail-rate fault.
    pub faults_unavailable: u64,
    /// Writes committed whose connection was then dropped.
    pub faults_dropped: u64,
    /// Writes executed and committed (a grant already held counts: it was executed).
    pub writes: u64,
    /// Writes that changed something.
    pub changes: u64,
    /// Users created (an `Idempotency-Key` replay creates nothing).
    pub creates: u64,
    pub max_requests_per_second: u64,
}

#[derive(Default)]
struct Caller {
    stats: CallerStats,
    window: VecDeque<Instant>,
}

/// Counters keyed by caller: the user id a token acts as, or `"unauthenticated"`.
#[derive(Default)]
pub struct Stats {
    callers: Mutex<HashMap<String, Caller>>,
}

impl Stats {
    fn with(&self, caller: &str, f: impl FnOnce(&mut Caller)) {
        let mut callers = self.callers.lock().unwrap_or_else(|p| p.into_inner());
        f(callers.entry(caller.to_owned()).or_default());
    }

    pub fn request(&self, caller: &str, route: &str, now: Instant) {
        self.with(caller, |c| {
            c.stats.requests += 1;
            *c.stats.by_route.entry(route.to_owned()).or_default() += 1;
            while c
                .window
                .front()
                .is_some_and(|t| now.saturating_duration_since(*t) >= Duration::from_secs(1))
            {
                c.window.pop_front();
            }
            c.window.push_back(now);
            c.stats.max_requests_per_second =
                c.stats.max_requests_per_second.max(c.window.len() as u64);
        });
    }

    pub fn rate_limited(&self, caller: &str) {
        self.with(caller, |c| c.stats.rate_limited += 1);
    }
    pub fn unavailable(&self, caller: &str) {
        self.with(caller, |c| c.stats.faults_unavailable += 1);
    }
    pub fn dropped(&self, caller: &str) {
        self.with(caller, |c| c.stats.faults_dropped += 1);
    }
    pub fn write(&self, caller: &str, changed: bool, created: bool) {
        self.with(caller, |c| {
            c.stats.writes += 1;
            c.stats.changes += u64::from(changed);
            c.stats.creates += u64::from(created);
        });
    }

    pub fn snapshot(&self) -> BTreeMap<String, CallerStats> {
        let callers = self.callers.lock().unwrap_or_else(|p| p.into_inner());
        callers
            .iter()
            .map(|(k, v)| (k.clone(), v.stats.clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_counts_the_busiest_second() {
        let s = Stats::default();
        let t0 = Instant::now();
        for i in 0..5 {
            s.request("u", "GET /me", t0 + Duration::from_millis(i * 100));
        }
        for i in 0..3 {
            s.request("u", "GET /me", t0 + Duration::from_millis(2000 + i * 10));
        }
        let snap = s.snapshot();
        assert_eq!(snap["u"].requests, 8);
        assert_eq!(snap["u"].max_requests_per_second, 5);
        assert_eq!(snap["u"].by_route["GET /me"], 8);
    }
}
