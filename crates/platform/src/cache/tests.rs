//! The in-process adapter. The Redis adapter's tests talk to a real Redis:
//! crates/platform/tests/it/cache_redis.rs.

use std::time::Duration;

use bytes::Bytes;

use super::Cache;

const HOUR: Duration = Duration::from_secs(3600);

#[tokio::test]
async fn set_get_delete() {
    let cache = Cache::memory(100);
    assert_eq!(cache.get("things", "1").await, None);
    cache.set("things", "1", Bytes::from_static(b"one"), HOUR).await;
    assert_eq!(cache.get("things", "1").await, Some(Bytes::from_static(b"one")));
    assert_eq!(cache.get("lessons", "1").await, None, "namespaces are separate");
    cache.delete("things", "1").await;
    assert_eq!(cache.get("things", "1").await, None);
}

#[tokio::test]
async fn entries_expire_after_their_own_ttl() {
    let cache = Cache::memory(100);
    cache.set("n", "gone", Bytes::from_static(b"x"), Duration::ZERO).await;
    cache.set("n", "kept", Bytes::from_static(b"y"), HOUR).await;
    assert_eq!(cache.get("n", "gone").await, None);
    assert_eq!(cache.get("n", "kept").await, Some(Bytes::from_static(b"y")));
}

#[tokio::test]
async fn bump_invalidates_the_whole_namespace_only() {
    let cache = Cache::memory(100);
    cache.set("things", "1", Bytes::from_static(b"a"), HOUR).await;
    cache.set("things", "2", Bytes::from_static(b"b"), HOUR).await;
    cache.set("users", "1", Bytes::from_static(b"u"), HOUR).await;
    cache.bump("things").await;
    assert_eq!(cache.get("things", "1").await, None);
    assert_eq!(cache.get("things", "2").await, None);
    assert_eq!(cache.get("users", "1").await, Some(Bytes::from_static(b"u")));
    cache.set("things", "1", Bytes::from_static(b"new"), HOUR).await;
    assert_eq!(cache.get("things", "1").await, Some(Bytes::from_static(b"new")));
}

/// A value read before a change committed, stored after the change's bump,
/// would be served stale until its TTL ended: stored through the pin the
/// read took, it lands in the old generation, where nothing looks.
#[tokio::test]
async fn a_value_loaded_across_a_bump_is_not_kept() {
    let cache = Cache::memory(10_000);
    let pinned = cache.pin("users").await;
    assert_eq!(pinned.get("1").await, None);
    cache.bump("users").await;
    pinned.set("1", Bytes::from_static(b"before the change"), HOUR).await;
    assert_eq!(cache.get("users", "1").await, None);

    let loaded = cache
        .get_or_load_json("users", "2", HOUR, async {
            cache.bump("users").await;
            Ok::<_, ()>(7)
        })
        .await;
    assert_eq!(loaded, Ok(7), "the caller still gets what it loaded");
    assert_eq!(cache.get_json::<i32>("users", "2").await, None, "but it is not kept");
    cache.set_json("users", "2", &8, HOUR).await;
    assert_eq!(cache.get_json::<i32>("users", "2").await, Some(8), "a store after the bump is");
}

#[tokio::test]
async fn clones_share_entries_and_generations() {
    let cache = Cache::memory(100);
    let other = cache.clone();
    cache.set("n", "k", Bytes::from_static(b"v"), HOUR).await;
    assert_eq!(other.get("n", "k").await, Some(Bytes::from_static(b"v")));
    other.bump("n").await;
    assert_eq!(cache.get("n", "k").await, None);
}

#[tokio::test]
async fn json_round_trips_and_undecodable_entries_are_misses() {
    let cache = Cache::memory(100);
    cache.set_json("n", "k", &vec![1, 2, 3], HOUR).await;
    assert_eq!(cache.get_json::<Vec<i32>>("n", "k").await, Some(vec![1, 2, 3]));
    assert_eq!(cache.get_json::<String>("n", "k").await, None);
}

#[tokio::test]
async fn get_or_load_loads_once_and_does_not_cache_errors() {
    let cache = Cache::memory(100);
    let failed: Result<u32, &str> = cache.get_or_load_json("n", "k", HOUR, async { Err("db down") }).await;
    assert_eq!(failed, Err("db down"));
    let loaded: Result<u32, &str> = cache.get_or_load_json("n", "k", HOUR, async { Ok(7) }).await;
    assert_eq!(loaded, Ok(7));
    let cached: Result<u32, &str> = cache.get_or_load_json("n", "k", HOUR, async { panic!("must not load") }).await;
    assert_eq!(cached, Ok(7));
}

#[tokio::test]
async fn memory_is_bounded_in_bytes() {
    let cache = Cache::memory(1024 * 1024);
    let page = Bytes::from(vec![b'x'; 50_000]);
    for i in 0..200 {
        cache.set("n", &i.to_string(), page.clone(), HOUR).await;
    }
    let Cache { backend: super::Backend::Memory(memory) } = &cache else { panic!("memory adapter") };
    // 200 pages of 50 KB are 10 MB; the cache keeps what fits in 1 MiB.
    let held = memory.weighted_size();
    assert!(held <= 1024 * 1024, "holds {held} bytes");
    assert!(held >= 10 * 50_000, "keeps what fits: {held} bytes");
}

#[tokio::test]
async fn json_values_are_kept_decoded_in_process() {
    let cache = Cache::memory(1024 * 1024);
    cache.set_json("n", "list", &vec!["Algebra".to_string()], HOUR).await;
    let Cache { backend: super::Backend::Memory(memory) } = &cache else { panic!("memory adapter") };
    let (bytes, decoded) = memory.get("n", 0, "list").expect("stored");
    assert_eq!(&bytes[..], br#"["Algebra"]"#, "the bytes stay readable as JSON");
    assert_eq!(decoded.and_then(|d| d.downcast_ref::<Vec<String>>().cloned()), Some(vec!["Algebra".to_string()]));
    assert_eq!(cache.get_json::<Vec<String>>("n", "list").await, Some(vec!["Algebra".to_string()]));
    // Read as another type, the entry is parsed from its bytes instead.
    cache.set_json("n", "numbers", &vec![1u32, 2], HOUR).await;
    assert_eq!(cache.get_json::<Vec<u64>>("n", "numbers").await, Some(vec![1, 2]));
    assert_eq!(cache.get_json::<String>("n", "numbers").await, None, "what does not decode is a miss");
}
