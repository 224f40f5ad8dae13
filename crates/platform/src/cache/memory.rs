//! The in-process adapter: a `moka` cache bounded in bytes, with a TTL per
//! entry. The bound is in bytes, not entries, because entries range from a
//! counter of a few bytes to a rendered catalog page of tens of kilobytes:
//! ten thousand pages held a server at hundreds of megabytes.
//! A JSON entry also keeps its decoded value (`Shared`), so a hit on the
//! hot paths (the session, a course's content) is a clone, not a parse.
//! Generations live in a plain map beside it, never in the evicting cache:
//! an evicted counter would restart at 0 and revive entries written before
//! an earlier bump.

use std::{
    any::Any,
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

/// A decoded value kept beside its bytes (see [`super::Cache::get_json`]).
pub(super) type Shared = Arc<dyn Any + Send + Sync>;

#[derive(Clone)]
struct Entry {
    value: Bytes,
    decoded: Option<Shared>,
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

/// What an entry counts against the bound: its key and value, and about
/// what moka keeps beside each entry. A decoded value is counted as large
/// as its JSON (strings and vectors hold about what the JSON spells out).
fn weight(key: &str, entry: &Entry) -> u32 {
    const OVERHEAD: usize = 96;
    let copies = if entry.decoded.is_some() { 2 } else { 1 };
    u32::try_from(key.len() + copies * entry.value.len() + OVERHEAD).unwrap_or(u32::MAX)
}

impl MemoryCache {
    pub(super) fn new(max_bytes: u64) -> Self {
        let entries = Moka::builder()
            .max_capacity(max_bytes)
            .weigher(|key: &String, entry: &Entry| weight(key, entry))
            .expire_after(PerEntryTtl)
            .build();
        Self { entries, generations: Arc::default() }
    }

    pub(super) fn generation(&self, namespace: &str) -> u64 {
        let generations = self.generations.lock().unwrap_or_else(|e| e.into_inner());
        generations.get(namespace).copied().unwrap_or(0)
    }

    fn key(&self, namespace: &str, key: &str) -> String {
        super::entry_key(namespace, self.generation(namespace), key)
    }

    /// The entry's bytes, and its decoded value when it was stored with one,
    /// in the namespace's `generation`.
    pub(super) fn get(&self, namespace: &str, generation: u64, key: &str) -> Option<(Bytes, Option<Shared>)> {
        self.entries.get(&super::entry_key(namespace, generation, key)).map(|e| (e.value, e.decoded))
    }

    pub(super) fn set(
        &self,
        namespace: &str,
        generation: u64,
        key: &str,
        value: Bytes,
        decoded: Option<Shared>,
        ttl: Duration,
    ) {
        self.entries.insert(super::entry_key(namespace, generation, key), Entry { value, decoded, ttl });
    }

    pub(super) fn delete(&self, namespace: &str, key: &str) {
        self.entries.invalidate(&self.key(namespace, key));
    }

    /// Bytes held now (as [`weight`] counts them), after pending evictions are applied.
    #[cfg(test)]
    pub(super) fn weighted_size(&self) -> u64 {
        self.entries.run_pending_tasks();
        self.entries.weighted_size()
    }

    pub(super) fn bump(&self, namespace: &str) {
        let mut generations = self.generations.lock().unwrap_or_else(|e| e.into_inner());
        *generations.entry(namespace.to_string()).or_insert(0) += 1;
    }
}
