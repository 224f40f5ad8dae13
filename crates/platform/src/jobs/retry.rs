//! When a failed job runs again: exponential backoff with jitter.
//!
//! The n-th failure waits `base · 2^(n-1)` capped at [`MAX_DELAY`], of which the
//! upper half is random ("equal jitter"): jobs that failed together (a mail
//! server outage) do not all retry in the same instant, yet each still waits at
//! least half its nominal delay.

use std::time::Duration;

/// Delay after the first failure.
pub const BASE_DELAY: Duration = Duration::from_secs(1);
/// No retry waits longer than this.
pub const MAX_DELAY: Duration = Duration::from_secs(3600);

/// The delay after failed attempt number `attempt` (1-based), with a random jitter.
pub fn backoff(attempt: u32) -> Duration {
    backoff_with(attempt, rand::random::<f64>())
}

/// [`backoff`] with the jitter given: `unit` in `[0, 1)` picks a point in the upper half.
pub fn backoff_with(attempt: u32, unit: f64) -> Duration {
    let exponent = attempt.saturating_sub(1).min(31);
    let nominal = BASE_DELAY.saturating_mul(1u32 << exponent).min(MAX_DELAY);
    let half = nominal / 2;
    half + half.mul_f64(unit.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_from_one_second() {
        assert_eq!(backoff_with(1, 1.0), Duration::from_secs(1));
        assert_eq!(backoff_with(2, 1.0), Duration::from_secs(2));
        assert_eq!(backoff_with(3, 1.0), Duration::from_secs(4));
        assert_eq!(backoff_with(6, 1.0), Duration::from_secs(32));
    }

    #[test]
    fn jitter_keeps_at_least_half_the_delay() {
        assert_eq!(backoff_with(4, 0.0), Duration::from_secs(4));
        assert_eq!(backoff_with(4, 0.5), Duration::from_secs(6));
        for attempt in 1..40 {
            let d = backoff(attempt);
            assert!(d >= backoff_with(attempt, 0.0) && d <= backoff_with(attempt, 1.0), "{attempt}: {d:?}");
        }
    }

    #[test]
    fn capped_at_an_hour_even_for_huge_attempt_numbers() {
        assert_eq!(backoff_with(13, 1.0), MAX_DELAY);
        assert_eq!(backoff_with(u32::MAX, 1.0), MAX_DELAY);
        assert_eq!(backoff_with(u32::MAX, 0.0), MAX_DELAY / 2);
    }

    #[test]
    fn attempt_zero_is_treated_as_the_first() {
        assert_eq!(backoff_with(0, 1.0), BASE_DELAY);
    }
}
