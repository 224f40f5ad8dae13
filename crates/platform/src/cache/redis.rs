//! The Redis adapter. Every key starts with the configured prefix:
//! `<prefix>gen:<namespace>` holds a namespace's generation and
//! `<prefix><namespace>:<generation>:<key>` an entry.
//!
//! Commands fail fast while the connection is down (fred's `fail_fast`) and
//! are bounded by a timeout, so an outage costs a request a miss, not a wait.

use std::time::Duration;

use bytes::Bytes;
use fred::prelude::*;

use super::CacheSetupError;

#[derive(Clone)]
pub(super) struct RedisCache {
    client: Client,
    options: Options,
    prefix: String,
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
        Ok(Self { client, options, prefix: prefix.to_string() })
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
        Ok(format!("{}{}", self.prefix, super::entry_key(namespace, generation, key)))
    }

    pub(super) async fn get(&self, namespace: &str, key: &str) -> Option<Bytes> {
        let result = async {
            let key = self.key(namespace, key).await?;
            self.client.with_options(&self.options).get::<Option<Bytes>, _>(key).await
        };
        result.await.unwrap_or_else(|e| failed("get", &e))
    }

    pub(super) async fn set(&self, namespace: &str, key: &str, value: Bytes, ttl: Duration) {
        let result = async {
            let key = self.key(namespace, key).await?;
            let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX).max(1);
            let client = self.client.with_options(&self.options);
            client.set::<(), _, _>(key, value, Some(Expiration::PX(ttl_ms)), None, false).await
        };
        if let Err(e) = result.await {
            failed::<()>("set", &e);
        }
    }

    pub(super) async fn delete(&self, namespace: &str, key: &str) {
        let result = async {
            let key = self.key(namespace, key).await?;
            self.client.with_options(&self.options).del::<i64, _>(key).await
        };
        if let Err(e) = result.await {
            failed::<()>("delete", &e);
        }
    }

    pub(super) async fn bump(&self, namespace: &str) {
        let result = async {
            // Make sure the counter exists (clock-based start) before incrementing it.
            self.generation(namespace).await?;
            self.client.with_options(&self.options).incr::<u64, _>(self.generation_key(namespace)).await
        };
        if let Err(e) = result.await {
            // The old entries stay reachable until their TTL ends; say so loudly.
            tracing::error!(namespace, error = %e, "cache invalidation failed; entries may be stale until they expire");
            metrics::counter!("cache_errors_total", "operation" => "bump").increment(1);
        }
    }
}

/// Logs and counts a Redis failure; the caller carries on as on a miss.
fn failed<T: Default>(operation: &'static str, error: &Error) -> T {
    tracing::warn!(operation, error = %error, "Redis cache unavailable; treating as a miss");
    metrics::counter!("cache_errors_total", "operation" => operation).increment(1);
    T::default()
}

fn clock_micros() -> i64 {
    jiff::Timestamp::now().as_microsecond()
}
