//! The Redis adapter. Every key starts with the configured prefix:
//! `<prefix>gen:<namespace>` holds a namespace's generation and
//! `<prefix><namespace>:<generation>:<key>` an entry.
//!
//! Commands fail fast while the connection is down (fred's `fail_fast`) and
//! are bounded by a timeout; while Redis keeps failing (a partition leaves
//! commands unanswered until that timeout) a circuit breaker skips them, so an
//! outage costs a request a miss, not a wait.

use std::{
    future::Future,
    sync::Arc,
    time::{Duration, Instant},
};

use bytes::Bytes;
use fred::prelude::*;

use super::{
    CacheSetupError,
    breaker::{Breaker, Permit},
};

#[derive(Clone)]
pub(super) struct RedisCache {
    client: Client,
    options: Options,
    prefix: String,
    breaker: Arc<Breaker>,
}

impl std::fmt::Debug for RedisCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisCache").field("prefix", &self.prefix).finish_non_exhaustive()
    }
}

/// How long start-up waits for the first connection before going on without it.
const FIRST_CONNECT_WAIT: Duration = Duration::from_secs(2);

impl RedisCache {
    pub(super) async fn connect(url: &str, prefix: &str, timeout: Duration) -> Result<Self, CacheSetupError> {
        let mut config = Config::from_url(url).map_err(|e| CacheSetupError(e.to_string()))?;
        // Keep retrying the first connection too, so a Redis that starts after us is picked up.
        config.fail_fast = false;
        let client = Builder::from_config(config)
            .with_connection_config(|c| {
                c.connection_timeout = timeout.max(Duration::from_secs(1));
                c.internal_command_timeout = timeout.max(Duration::from_secs(1));
                c.max_command_attempts = 1;
            })
            .with_performance_config(|p| p.default_command_timeout = timeout)
            .set_policy(ReconnectPolicy::new_exponential(0, 100, 5_000, 2))
            .build()
            .map_err(|e| CacheSetupError(e.to_string()))?;
        client.connect();
        if tokio::time::timeout(FIRST_CONNECT_WAIT, client.wait_for_connect()).await.is_err() {
            tracing::warn!("Redis cache is not reachable yet; serving without cache until it is");
        }
        let options = Options { fail_fast: true, max_attempts: Some(1), timeout: Some(timeout), ..Options::default() };
        Ok(Self { client, options, prefix: prefix.to_string(), breaker: Arc::new(Breaker::new()) })
    }

    fn generation_key(&self, namespace: &str) -> String {
        format!("{}gen:{namespace}", self.prefix)
    }

    /// The namespace's generation. A missing counter is created from the clock
    /// in microseconds (`SET NX`), not from 0: if Redis ever loses or evicts
    /// it, the new value is still above every generation handed out before
    /// (unless there were over a million bumps a second), so entries written
    /// before a bump are not reached again.
    async fn generation(&self, namespace: &str) -> Result<u64, Error> {
        let client = self.client.with_options(&self.options);
        let key = self.generation_key(namespace);
        if let Some(generation) = client.get::<Option<u64>, _>(&key).await? {
            return Ok(generation);
        }
        let _: Option<String> = client.set(&key, clock_micros(), None, Some(SetOptions::NX), false).await?;
        client.get::<u64, _>(&key).await
    }

    async fn key(&self, namespace: &str, key: &str) -> Result<String, Error> {
        let generation = self.generation(namespace).await?;
        Ok(self.key_at(namespace, generation, key))
    }

    fn key_at(&self, namespace: &str, generation: u64, key: &str) -> String {
        format!("{}{}", self.prefix, super::entry_key(namespace, generation, key))
    }

    /// The namespace's generation now; `None` when Redis did not answer.
    pub(super) async fn current_generation(&self, namespace: &str) -> Option<u64> {
        self.guarded("generation", self.generation(namespace)).await
    }

    pub(super) fn circuit_open(&self) -> bool {
        self.breaker.is_open()
    }

    /// Runs one cache operation through the breaker: `None` when it was
    /// skipped (circuit open) or failed (logged and counted).
    async fn guarded<T>(&self, operation: &'static str, call: impl Future<Output = Result<T, Error>>) -> Option<T> {
        if self.breaker.permit(Instant::now()) == Permit::Skip {
            metrics::counter!("cache_short_circuited_total", "operation" => operation).increment(1);
            return None;
        }
        match call.await {
            Ok(value) => {
                self.breaker.succeeded();
                Some(value)
            }
            Err(e) => {
                self.breaker.failed(Instant::now());
                failed(operation, &e)
            }
        }
    }

    /// The entry in the namespace's `generation`.
    pub(super) async fn get(&self, namespace: &str, generation: u64, key: &str) -> Option<Bytes> {
        let key = self.key_at(namespace, generation, key);
        let client = self.client.with_options(&self.options);
        self.guarded("get", client.get::<Option<Bytes>, _>(key)).await.flatten()
    }

    pub(super) async fn set(&self, namespace: &str, generation: u64, key: &str, value: Bytes, ttl: Duration) {
        let key = self.key_at(namespace, generation, key);
        let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX).max(1);
        let client = self.client.with_options(&self.options);
        self.guarded("set", client.set::<(), _, _>(key, value, Some(Expiration::PX(ttl_ms)), None, false)).await;
    }

    pub(super) async fn delete(&self, namespace: &str, key: &str) {
        self.guarded("delete", async {
            let key = self.key(namespace, key).await?;
            self.client.with_options(&self.options).del::<i64, _>(key).await
        })
        .await;
    }

    pub(super) async fn bump(&self, namespace: &str) {
        let bumped = self.guarded("bump", async {
            // Make sure the counter exists (clock-based start) before incrementing it.
            self.generation(namespace).await?;
            self.client.with_options(&self.options).incr::<u64, _>(self.generation_key(namespace)).await
        });
        if bumped.await.is_none() {
            // The old entries stay reachable until their TTL ends; say so loudly.
            tracing::error!(namespace, "cache invalidation failed; entries may be stale until they expire");
        }
    }
}

/// Logs and counts a Redis failure; the caller carries on as on a miss.
fn failed<T>(operation: &'static str, error: &Error) -> Option<T> {
    tracing::warn!(operation, error = %error, "Redis cache unavailable; treating as a miss");
    metrics::counter!("cache_errors_total", "operation" => operation).increment(1);
    None
}

fn clock_micros() -> i64 {
    jiff::Timestamp::now().as_microsecond()
}
