//! The in-process adapter: a bounded `moka` cache with a TTL per entry.
//! Generations live in a plain map beside it, never in the evicting cache:
//! an evicted counter would restart at 0 and revive entries written before
//! an earlier bump.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use bytes::Bytes;
use moka::{Expiry, sync::Cache as Moka};

#[derive(Clone)]
pub(super) struct MemoryCache {
    entries: Moka<String, Entry>,
    generations: Arc<Mutex<HashMap<String, u64>>>,
}

impl std::fmt::Debug for MemoryCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryCache").field("entries", &self.entries.entry_count()).finish()
    }
}

#[derive(Clone)]
struct Entry {
    value: Bytes,
    ttl: Duration,
}

/// Each entry expires after its own TTL, counted from its last write.
struct PerEntryTtl;

impl Expiry<String, Entry> for PerEntryTtl {
    fn expire_after_create(&self, _: &String, entry: &Entry, _: Instant) -> Option<Duration> {
        Some(entry.ttl)
    }

    fn expire_after_update(&self, _: &String, entry: &Entry, _: Instant, _: Option<Duration>) -> Option<Duration> {
        Some(entry.ttl)
    }
}

impl MemoryCache {
    pub(super) fn new(max_entries: u64) -> Self {
        let entries = Moka::builder().max_capacity(max_entries).expire_after(PerEntryTtl).build();
        Self { entries, generations: Arc::default() }
    }

    fn generation(&self, namespace: &str) -> u64 {
        let generations = self.generations.lock().unwrap_or_else(|e| e.into_inner());
        generations.get(namespace).copied().unwrap_or(0)
    }

    fn key(&self, namespace: &str, key: &str) -> String {
        super::entry_key(namespace, self.generation(namespace), key)
    }

    pub(super) fn get(&self, namespace: &str, key: &str) -> Option<Bytes> {
        self.entries.get(&self.key(namespace, key)).map(|e| e.value)
    }

    pub(super) fn set(&self, namespace: &str, key: &str, value: Bytes, ttl: Duration) {
        self.entries.insert(self.key(namespace, key), Entry { value, ttl });
    }

    pub(super) fn delete(&self, namespace: &str, key: &str) {
        self.entries.invalidate(&self.key(namespace, key));
    }

    /// Entries held now, after pending evictions are applied.
    #[cfg(test)]
    pub(super) fn len(&self) -> u64 {
        self.entries.run_pending_tasks();
        self.entries.entry_count()
    }

    pub(super) fn bump(&self, namespace: &str) {
        let mut generations = self.generations.lock().unwrap_or_else(|e| e.into_inner());
        *generations.entry(namespace.to_string()).or_insert(0) += 1;
    }
}
