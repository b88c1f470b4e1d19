//! Slowing down guesses at the passphrase: after a few wrong tries, each next try must wait.
//! The wait is a "not before" instant, never a sleep, so the window stays responsive.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Wrong tries allowed before any wait.
pub const FREE_TRIES: u32 = 3;
/// The longest wait between two tries.
pub const MAX_DELAY: Duration = Duration::from_secs(30);

/// How long to wait before the next try after `failures` wrong tries in a row: nothing for the
/// first [`FREE_TRIES`] − 1, then 1 s, 2 s, 4 s, … up to [`MAX_DELAY`].
pub fn delay_after(failures: u32) -> Duration {
    if failures < FREE_TRIES {
        return Duration::ZERO;
    }
    // 2^5 s already exceeds the cap; a bounded shift cannot overflow.
    let doublings = (failures - FREE_TRIES).min(5);
    Duration::from_secs(1 << doublings).min(MAX_DELAY)
}

/// Wrong tries in a row and when the next try may be made.
#[derive(Clone, Debug, Default)]
pub struct Throttle {
    failures: u32,
    not_before: Option<Instant>,
}

impl Throttle {
    /// How long until the next try is accepted, or `None` when it is accepted now.
    pub fn wait_left(&self, now: Instant) -> Option<Duration> {
        let not_before = self.not_before?;
        let left = not_before.saturating_duration_since(now);
        (!left.is_zero()).then_some(left)
    }

    /// A wrong try at `now`: the next one waits according to [`delay_after`].
    pub fn failed(&mut self, now: Instant) {
        self.failures = self.failures.saturating_add(1);
        let delay = delay_after(self.failures);
        self.not_before = (!delay.is_zero()).then(|| now + delay);
    }

    /// The right passphrase: start afresh.
    pub fn succeeded(&mut self) {
        *self = Self::default();
    }

    /// Wrong tries in a row so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }
}

/// Where the lock reads the time: the system's monotonic clock, or, in tests, a clock that only
/// moves when told to.
#[derive(Clone, Debug, Default)]
pub enum Clock {
    #[default]
    System,
    Manual {
        start: Instant,
        elapsed_nanos: Arc<AtomicU64>,
    },
}

impl Clock {
    /// A clock standing still until [`Clock::advance`] moves it.
    pub fn manual() -> Self {
        Self::Manual { start: Instant::now(), elapsed_nanos: Arc::new(AtomicU64::new(0)) }
    }

    /// The current instant.
    pub fn now(&self) -> Instant {
        match self {
            Self::System => Instant::now(),
            Self::Manual { start, elapsed_nanos } => {
                *start + Duration::from_nanos(elapsed_nanos.load(Ordering::Relaxed))
            }
        }
    }

    /// Moves a manual clock forward (the system clock moves by itself).
    pub fn advance(&self, by: Duration) {
        if let Self::Manual { elapsed_nanos, .. } = self {
            let nanos = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
            elapsed_nanos.fetch_add(nanos, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_after_three_wrong_tries_and_stops_at_thirty_seconds() {
        let secs: Vec<u64> = (0..=12).map(|n| delay_after(n).as_secs()).collect();
        assert_eq!(secs, [0, 0, 0, 1, 2, 4, 8, 16, 30, 30, 30, 30, 30]);
        assert_eq!(delay_after(u32::MAX), MAX_DELAY);
    }

    #[test]
    fn a_try_waits_for_its_instant_and_success_starts_afresh() {
        let clock = Clock::manual();
        let mut throttle = Throttle::default();
        for _ in 0..2 {
            throttle.failed(clock.now());
            assert_eq!(throttle.wait_left(clock.now()), None, "the first tries are free");
        }
        throttle.failed(clock.now());
        assert_eq!(throttle.wait_left(clock.now()), Some(Duration::from_secs(1)));
        clock.advance(Duration::from_millis(400));
        assert_eq!(throttle.wait_left(clock.now()), Some(Duration::from_millis(600)));
        clock.advance(Duration::from_millis(600));
        assert_eq!(throttle.wait_left(clock.now()), None);
        throttle.failed(clock.now());
        assert_eq!(throttle.wait_left(clock.now()), Some(Duration::from_secs(2)));
        assert_eq!(throttle.failures(), 4);
        throttle.succeeded();
        assert_eq!(throttle.failures(), 0);
        assert_eq!(throttle.wait_left(clock.now()), None);
    }

    #[test]
    fn ten_wrong_tries_wait_at_most_thirty_seconds() {
        let clock = Clock::manual();
        let mut throttle = Throttle::default();
        for _ in 0..10 {
            throttle.failed(clock.now());
            let wait = throttle.wait_left(clock.now()).unwrap_or_default();
            assert!(wait <= MAX_DELAY);
            clock.advance(wait);
        }
        assert_eq!(throttle.failures(), 10);
    }
}
