//! A circuit breaker in front of Redis. A partitioned Redis does not refuse
//! commands, it leaves them unanswered, so without this every cache call would
//! wait out the command timeout and a request that makes three cache calls
//! would wait three times. After [`TRIP_AFTER`] failures in a row the circuit
//! opens: calls are skipped at once (a read is a miss that goes to the
//! database). When the cool-down is over, one call is let through as a probe;
//! its success closes the circuit, its failure opens it again for twice as
//! long (up to [`MAX_COOL_DOWN`]).

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

/// Consecutive failures that open the circuit.
pub(super) const TRIP_AFTER: u32 = 3;
/// The first cool-down; it doubles on each failed probe.
pub(super) const FIRST_COOL_DOWN: Duration = Duration::from_millis(500);
pub(super) const MAX_COOL_DOWN: Duration = Duration::from_secs(30);

#[derive(Debug)]
pub(super) struct Breaker {
    state: Mutex<State>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Closed {
        failures: u32,
    },
    Open {
        until: Instant,
        cool_down: Duration,
    },
    /// One probe is in flight; others are skipped until it ends, or until
    /// `until` if it never reports (its future was dropped).
    Probing {
        until: Instant,
        cool_down: Duration,
    },
}

/// What a caller may do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Permit {
    Call,
    Skip,
}

impl Breaker {
    pub(super) fn new() -> Self {
        Self { state: Mutex::new(State::Closed { failures: 0 }) }
    }

    pub(super) fn permit(&self, now: Instant) -> Permit {
        let mut state = self.lock();
        match *state {
            State::Closed { .. } => Permit::Call,
            State::Open { until, cool_down } | State::Probing { until, cool_down } if now >= until => {
                *state = State::Probing { until: now + cool_down, cool_down };
                Permit::Call
            }
            State::Open { .. } | State::Probing { .. } => Permit::Skip,
        }
    }

    pub(super) fn succeeded(&self) {
        let mut state = self.lock();
        if !matches!(*state, State::Closed { .. }) {
            tracing::info!("Redis cache reachable again; circuit closed");
            metrics::gauge!("cache_circuit_open").set(0.0);
        }
        *state = State::Closed { failures: 0 };
    }

    pub(super) fn failed(&self, now: Instant) {
        let mut state = self.lock();
        *state = match *state {
            State::Closed { failures } if failures + 1 < TRIP_AFTER => State::Closed { failures: failures + 1 },
            State::Closed { .. } => {
                tracing::warn!(cool_down = ?FIRST_COOL_DOWN, "Redis cache failing; circuit open, calls skipped");
                metrics::gauge!("cache_circuit_open").set(1.0);
                State::Open { until: now + FIRST_COOL_DOWN, cool_down: FIRST_COOL_DOWN }
            }
            State::Probing { cool_down, .. } | State::Open { cool_down, .. } => {
                let cool_down = (cool_down * 2).min(MAX_COOL_DOWN);
                State::Open { until: now + cool_down, cool_down }
            }
        };
    }

    pub(super) fn is_open(&self) -> bool {
        !matches!(*self.lock(), State::Closed { .. })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_consecutive_failures_only() {
        let (b, t) = (Breaker::new(), Instant::now());
        b.failed(t);
        b.failed(t);
        b.succeeded();
        b.failed(t);
        b.failed(t);
        assert_eq!(b.permit(t), Permit::Call, "a success in between starts the count again");
        b.failed(t);
        assert_eq!(b.permit(t), Permit::Skip);
        assert!(b.is_open());
    }

    #[test]
    fn one_probe_after_the_cool_down_closes_or_reopens_for_longer() {
        let (b, t) = (Breaker::new(), Instant::now());
        (0..TRIP_AFTER).for_each(|_| b.failed(t));
        assert_eq!(b.permit(t + FIRST_COOL_DOWN / 2), Permit::Skip);
        let probe_at = t + FIRST_COOL_DOWN;
        assert_eq!(b.permit(probe_at), Permit::Call, "the probe");
        assert_eq!(b.permit(probe_at), Permit::Skip, "one probe at a time");
        b.failed(probe_at);
        assert_eq!(b.permit(probe_at + FIRST_COOL_DOWN), Permit::Skip, "the cool-down doubled");
        let second = probe_at + FIRST_COOL_DOWN * 2;
        assert_eq!(b.permit(second), Permit::Call);
        b.succeeded();
        assert!(!b.is_open());
        assert_eq!(b.permit(second), Permit::Call);
    }

    #[test]
    fn a_probe_that_never_reports_is_replaced_and_the_cool_down_is_capped() {
        let (b, mut t) = (Breaker::new(), Instant::now());
        (0..TRIP_AFTER).for_each(|_| b.failed(t));
        t += FIRST_COOL_DOWN;
        assert_eq!(b.permit(t), Permit::Call);
        // Its future was dropped: after another cool-down a new probe goes.
        t += FIRST_COOL_DOWN;
        assert_eq!(b.permit(t), Permit::Call);
        for _ in 0..20 {
            b.failed(t);
        }
        assert_eq!(b.permit(t + MAX_COOL_DOWN - Duration::from_millis(1)), Permit::Skip);
        assert_eq!(b.permit(t + MAX_COOL_DOWN), Permit::Call);
    }
}
