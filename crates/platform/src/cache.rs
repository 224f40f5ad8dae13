//! The cache port: bytes or JSON under `(namespace, key)` with a time to live,
//! and whole-namespace invalidation that holds across processes.
//!
//! Invalidation is by generation: every namespace has a counter that the keys
//! embed (`<namespace>:<generation>:<key>`); [`Cache::bump`] increments it, so
//! every entry written before is unreachable at once and ages out by its TTL.
//! With Redis the counter lives in Redis, so a bump in one process is seen by
//! every other process on its next read.
//!
//! Adapters: in-process (`moka`, the default) and Redis (`fred`), chosen by
//! `[cache] redis_url`. The cache is an optimisation, never a dependency: a
//! Redis failure is logged, counted (`cache_errors_total`) and answered as a
//! miss, so requests fall through to the database instead of failing.

mod breaker;
mod memory;
mod redis;

use std::{
    collections::HashMap,
    future::Future,
    sync::{Arc, OnceLock, RwLock},
    time::Duration,
};

use bytes::Bytes;
use metrics::Counter;
use serde::{Serialize, de::DeserializeOwned};

use crate::config::CacheSettings;

#[derive(Clone, Debug)]
pub struct Cache {
    backend: Backend,
}

#[derive(Clone, Debug)]
enum Backend {
    Memory(memory::MemoryCache),
    Redis(redis::RedisCache),
}

#[derive(Debug, thiserror::Error)]
#[error("cache.redis_url (LYCEUM_CACHE__REDIS_URL or LYCEUM_REDIS_URL) is not usable: {0}")]
pub struct CacheSetupError(String);

impl Cache {
    /// The in-process adapter, holding at most `max_bytes` of keys and values.
    pub fn memory(max_bytes: u64) -> Self {
        Self { backend: Backend::Memory(memory::MemoryCache::new(max_bytes)) }
    }

    /// The Redis adapter. Keys are prefixed with `prefix` (tests use a unique
    /// one each). Does not fail when Redis is down: it keeps reconnecting in
    /// the background and answers misses meanwhile.
    pub async fn redis(url: &str, prefix: &str, command_timeout: Duration) -> Result<Self, CacheSetupError> {
        let redis = redis::RedisCache::connect(url, prefix, command_timeout).await?;
        Ok(Self { backend: Backend::Redis(redis) })
    }

    pub async fn from_settings(settings: &CacheSettings) -> Result<Self, CacheSetupError> {
        if settings.redis_url.is_empty() {
            return Ok(Self::memory(settings.memory_max_bytes));
        }
        let timeout = Duration::from_millis(settings.command_timeout_ms);
        Self::redis(settings.redis_url.expose(), &settings.prefix, timeout).await
    }

    /// Which adapter this is ("memory" or "redis"), for logs and tests.
    pub fn kind(&self) -> &'static str {
        match self.backend {
            Backend::Memory(_) => "memory",
            Backend::Redis(_) => "redis",
        }
    }

    /// True while the Redis adapter's circuit breaker skips commands (Redis
    /// kept failing); the in-process adapter never does.
    pub fn circuit_open(&self) -> bool {
        match &self.backend {
            Backend::Memory(_) => false,
            Backend::Redis(r) => r.circuit_open(),
        }
    }

    /// The namespace's generation, read once: see [`Pinned`].
    pub async fn pin<'a>(&'a self, namespace: &'a str) -> Pinned<'a> {
        let generation = match &self.backend {
            Backend::Memory(m) => Some(m.generation(namespace)),
            Backend::Redis(r) => r.current_generation(namespace).await,
        };
        Pinned { cache: self, namespace, generation }
    }

    pub async fn get(&self, namespace: &str, key: &str) -> Option<Bytes> {
        self.pin(namespace).await.get(key).await
    }

    /// Stores `value` in the namespace's current generation. A value read
    /// from the database before it is stored belongs in a [`Pinned`] instead.
    pub async fn set(&self, namespace: &str, key: &str, value: Bytes, ttl: Duration) {
        self.pin(namespace).await.set(key, value, ttl).await;
    }

    pub async fn delete(&self, namespace: &str, key: &str) {
        match &self.backend {
            Backend::Memory(m) => m.delete(namespace, key),
            Backend::Redis(r) => r.delete(namespace, key).await,
        }
    }

    /// Invalidates every entry of `namespace`, in every process sharing the store.
    pub async fn bump(&self, namespace: &str) {
        match &self.backend {
            Backend::Memory(m) => m.bump(namespace),
            Backend::Redis(r) => r.bump(namespace).await,
        }
    }

    /// A JSON value; see [`Pinned::get_json`].
    pub async fn get_json<T>(&self, namespace: &str, key: &str) -> Option<T>
    where
        T: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        self.pin(namespace).await.get_json(key).await
    }

    /// Stores a JSON value in the namespace's current generation (see [`Cache::set`]).
    pub async fn set_json<T>(&self, namespace: &str, key: &str, value: &T, ttl: Duration)
    where
        T: Serialize + Clone + Send + Sync + 'static,
    {
        self.pin(namespace).await.set_json(key, value, ttl).await;
    }

    /// The cached value, or `load()`'s, which is then cached in the
    /// generation the lookup saw (a bump during the load drops it). Errors of
    /// `load` are returned and not cached.
    pub async fn get_or_load_json<T, E, F>(&self, namespace: &str, key: &str, ttl: Duration, load: F) -> Result<T, E>
    where
        T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
        F: Future<Output = Result<T, E>>,
    {
        let pinned = self.pin(namespace).await;
        if let Some(hit) = pinned.get_json(key).await {
            return Ok(hit);
        }
        let value = load.await?;
        pinned.set_json(key, &value, ttl).await;
        Ok(value)
    }

    /// [`Cache::get_or_load_json`] for values the hot paths only read: the
    /// in-process adapter hands out the value it keeps (shared), not a copy
    /// of it — a course's outline or a lesson's HTML is not cloned per view.
    pub async fn get_or_load_shared<T, E, F>(
        &self,
        namespace: &str,
        key: &str,
        ttl: Duration,
        load: F,
    ) -> Result<Arc<T>, E>
    where
        T: Serialize + DeserializeOwned + Send + Sync + 'static,
        F: Future<Output = Result<T, E>>,
    {
        let pinned = self.pin(namespace).await;
        if let Some((bytes, decoded)) = pinned.lookup(key).await {
            if let Some(value) = decoded.and_then(|d| d.downcast::<T>().ok()) {
                return Ok(value);
            }
            if let Some(value) = decode(namespace, key, &bytes) {
                return Ok(Arc::new(value));
            }
        }
        let value = Arc::new(load.await?);
        pinned.set_shared(key, value.clone(), ttl).await;
        Ok(value)
    }
}

/// A namespace with its generation read once: what is read and stored
/// through it belongs to that generation. A value read from the database
/// after a miss and stored through the same pin cannot outlive a change that
/// committed (and bumped the namespace) while it was being read: it is stored
/// under the generation the bump left behind, where nothing looks. Stored
/// with the generation of the moment of storing, it would be served, stale,
/// until its TTL ended.
pub struct Pinned<'a> {
    cache: &'a Cache,
    namespace: &'a str,
    /// `None` when Redis did not answer: every read is then a miss and
    /// nothing is stored.
    generation: Option<u64>,
}

impl Pinned<'_> {
    pub async fn get(&self, key: &str) -> Option<Bytes> {
        self.lookup(key).await.map(|(bytes, _)| bytes)
    }

    /// The entry's bytes, with its decoded value when the in-process adapter
    /// kept one; counted as a hit or a miss.
    async fn lookup(&self, key: &str) -> Option<(Bytes, Option<memory::Shared>)> {
        let found = match (&self.cache.backend, self.generation) {
            (_, None) => None,
            (Backend::Memory(m), Some(generation)) => m.get(self.namespace, generation, key),
            (Backend::Redis(r), Some(generation)) => {
                r.get(self.namespace, generation, key).await.map(|bytes| (bytes, None))
            }
        };
        count_lookup(self.namespace, found.is_some());
        found
    }

    pub async fn set(&self, key: &str, value: Bytes, ttl: Duration) {
        self.store(key, value, None, ttl).await;
    }

    /// A JSON value; an entry that no longer decodes (say, after an upgrade
    /// changed the type) is a miss. The in-process adapter keeps the value
    /// decoded beside its bytes ([`Pinned::set_json`]): a hit is then a clone.
    pub async fn get_json<T>(&self, key: &str) -> Option<T>
    where
        T: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        let (bytes, decoded) = self.lookup(key).await?;
        if let Some(value) = decoded.as_ref().and_then(|d| d.downcast_ref::<T>()) {
            return Some(value.clone());
        }
        decode(self.namespace, key, &bytes)
    }

    pub async fn set_json<T>(&self, key: &str, value: &T, ttl: Duration)
    where
        T: Serialize + Clone + Send + Sync + 'static,
    {
        self.set_shared(key, Arc::new(value.clone()), ttl).await;
    }

    async fn set_shared<T>(&self, key: &str, value: Arc<T>, ttl: Duration)
    where
        T: Serialize + Send + Sync + 'static,
    {
        let bytes = match serde_json::to_vec(&*value) {
            Ok(bytes) => Bytes::from(bytes),
            Err(e) => {
                return tracing::warn!(namespace = self.namespace, key, error = %e, "value cannot be cached as JSON");
            }
        };
        self.store(key, bytes, Some(value), ttl).await;
    }

    async fn store(&self, key: &str, bytes: Bytes, decoded: Option<memory::Shared>, ttl: Duration) {
        let Some(generation) = self.generation else { return };
        match &self.cache.backend {
            Backend::Memory(m) => m.set(self.namespace, generation, key, bytes, decoded, ttl),
            Backend::Redis(r) => r.set(self.namespace, generation, key, bytes, ttl).await,
        }
    }
}

/// An entry's JSON; one that no longer decodes (say, after an upgrade changed
/// the type) is logged and treated as a miss.
fn decode<T: DeserializeOwned>(namespace: &str, key: &str, bytes: &[u8]) -> Option<T> {
    serde_json::from_slice(bytes)
        .inspect_err(
            |e| tracing::warn!(namespace, key, error = %e, "cache entry does not decode; treating it as a miss"),
        )
        .ok()
}

/// `cache_requests_total` by namespace and outcome. The two counters of a
/// namespace are registered once and kept (a lookup in the metrics registry
/// per cache read cost more than many reads); namespaces are a fixed few.
fn count_lookup(namespace: &str, hit: bool) {
    static KEPT: OnceLock<RwLock<HashMap<String, [Counter; 2]>>> = OnceLock::new();
    let kept = KEPT.get_or_init(|| {
        crate::http::metrics::handle(); // the recorder first: a counter taken before it counts nothing
        RwLock::default()
    });
    let outcome = usize::from(hit);
    if let Some(counters) = kept.read().unwrap_or_else(|e| e.into_inner()).get(namespace) {
        return counters[outcome].increment(1);
    }
    let counter = |outcome: &'static str| metrics::counter!("cache_requests_total", "namespace" => namespace.to_string(), "outcome" => outcome);
    let counters = [counter("miss"), counter("hit")];
    counters[outcome].increment(1);
    kept.write().unwrap_or_else(|e| e.into_inner()).insert(namespace.to_string(), counters);
}

/// The key an entry is stored under: the namespace's generation is part of it.
fn entry_key(namespace: &str, generation: u64, key: &str) -> String {
    format!("{namespace}:{generation}:{key}")
}

#[cfg(test)]
mod tests;
