//! Rate limits keyed by account or client address (GCRA via `governor`).
//! In-process by default; a shared Redis limiter is a later adapter of the
//! same shape.

use std::{num::NonZeroU32, sync::Arc, time::Duration};

use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter as Governor,
    clock::{Clock, DefaultClock},
};

use crate::error::AppError;

#[derive(Clone)]
pub struct Limiter {
    inner: Arc<DefaultKeyedRateLimiter<String>>,
}

impl Limiter {
    /// Allows `count` events per `period`, as a burst that refills evenly.
    pub fn new(count: u32, period: Duration) -> Self {
        let count = NonZeroU32::new(count.max(1)).expect("non-zero");
        let quota = Quota::with_period(period / count.get()).expect("period > 0").allow_burst(count);
        Self { inner: Arc::new(Governor::keyed(quota)) }
    }

    /// Counts one event for each key; fails with 429 and the wait if any key is over.
    pub fn check(&self, keys: &[String]) -> Result<(), AppError> {
        self.admit(keys).map_err(Into::into)
    }

    /// Counts one event for each key; fails with how long to wait if any key
    /// is over — for services that word the refusal themselves.
    pub fn admit(&self, keys: &[String]) -> Result<(), Limited> {
        for key in keys {
            if let Err(not_until) = self.inner.check_key(key) {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                let secs = u32::try_from(wait.as_secs()).unwrap_or(u32::MAX).max(1);
                return Err(Limited { retry_after_secs: secs });
            }
        }
        Ok(())
    }

    /// Drops idle keys so memory stays bounded.
    pub fn sweep(&self) {
        self.inner.retain_recent();
    }
}

/// A refusal by a limiter: the caller may try again after this many seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    pub retry_after_secs: u32,
}

impl From<Limited> for AppError {
    fn from(l: Limited) -> Self {
        AppError::rate_limited(l.retry_after_secs)
    }
}

impl std::fmt::Debug for Limiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Limiter")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_burst_then_refuses_with_a_wait() {
        let limiter = Limiter::new(3, Duration::from_secs(60));
        let key = vec!["ip:1".to_string()];
        for _ in 0..3 {
            limiter.check(&key).unwrap();
        }
        let err = limiter.check(&key).unwrap_err();
        assert_eq!(err.status, http::StatusCode::TOO_MANY_REQUESTS);
        assert!(err.retry_after_secs.unwrap() >= 1);
        limiter.check(&["ip:2".to_string()]).unwrap();
    }
}
