//! The random numbers of fault choices (emulator) and retry jitter (client): `rand`'s SmallRng,
//! seeded, so an emulator run with `--random-seed N` makes the same fault choices every time.
//! This small wrapper keeps the three questions the callers ask in one place.

use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

/// Deterministic for a seed; plenty for choosing faults and jitter (not for secrets).
#[derive(Debug)]
pub struct Rng(SmallRng);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(SmallRng::seed_from_u64(seed))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.random()
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        self.0.random()
    }

    /// Uniform in lo..=hi.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        self.0.random_range(lo..=hi)
    }

    /// Seeded from the clock, for jitter that should differ between runs.
    pub fn from_time() -> Rng {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x5EED);
        Rng::new(nanos ^ u64::from(std::process::id()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_and_uniform_enough() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        let mut r = Rng::new(7);
        let hits = (0..10_000).filter(|_| r.unit() < 0.1).count();
        assert!((800..1200).contains(&hits), "{hits}");
        assert!((0..100).all(|_| (5..=9).contains(&r.between(5, 9))));
    }
}
