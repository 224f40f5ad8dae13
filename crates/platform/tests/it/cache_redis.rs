//! The Redis cache adapter against the real Redis named by
//! `LYCEUM_TEST_REDIS_URL` (e.g. `redis://127.0.0.1:6379`); each test uses a
//! key prefix of its own. Skipped with a message when the variable is unset.

use std::time::Duration;

use bytes::Bytes;
use fred::prelude::{Client, ClientLike, KeysInterface};
use lyceum_platform::cache::Cache;

const TIMEOUT: Duration = Duration::from_millis(500);
const HOUR: Duration = Duration::from_secs(3600);

fn redis_url(test: &str) -> Option<String> {
    let url = std::env::var("LYCEUM_TEST_REDIS_URL").ok();
    if url.is_none() {
        lyceum_platform::testing::skip(&format!("{test}: LYCEUM_TEST_REDIS_URL is not set"));
    }
    url
}

fn unique_prefix() -> String {
    format!("lyceum-test:{}:", uuid::Uuid::now_v7().simple())
}

/// A plain client to look at what the adapter wrote.
async fn raw(url: &str) -> Client {
    let client = Client::new(fred::types::config::Config::from_url(url).unwrap(), None, None, None);
    client.init().await.expect("connect to Redis");
    client
}

/// The adapter's keys under `prefix`, generation counters left out.
async fn entry_keys(raw: &Client, prefix: &str) -> Vec<String> {
    let keys: Vec<String> = raw.custom(fred::cmd!("KEYS"), vec![format!("{prefix}*")]).await.unwrap();
    keys.into_iter().filter(|k| !k.starts_with(&format!("{prefix}gen:"))).collect()
}

/// Removes what a test wrote (generation counters have no TTL).
async fn clean(url: &str, prefix: &str) {
    let raw = raw(url).await;
    let keys: Vec<String> = raw.custom(fred::cmd!("KEYS"), vec![format!("{prefix}*")]).await.unwrap();
    if !keys.is_empty() {
        let _: i64 = raw.del(keys).await.unwrap();
    }
}

#[tokio::test]
async fn set_get_delete_and_json() {
    let Some(url) = redis_url("set_get_delete_and_json") else { return };
    let prefix = unique_prefix();
    let cache = Cache::redis(&url, &prefix, TIMEOUT).await.unwrap();
    assert_eq!(cache.kind(), "redis");
    assert_eq!(cache.get("courses", "1").await, None);
    cache.set("courses", "1", Bytes::from_static(b"\x00binary\xff"), HOUR).await;
    assert_eq!(cache.get("courses", "1").await, Some(Bytes::from_static(b"\x00binary\xff")));
    assert_eq!(cache.get("lessons", "1").await, None, "namespaces are separate");
    cache.delete("courses", "1").await;
    assert_eq!(cache.get("courses", "1").await, None);

    cache.set_json("courses", "list", &vec!["Algebra", "Biology"], HOUR).await;
    assert_eq!(cache.get_json::<Vec<String>>("courses", "list").await.unwrap(), ["Algebra", "Biology"]);
    clean(&url, &prefix).await;
}

#[tokio::test]
async fn ttl_is_passed_to_redis_and_keys_carry_the_prefix() {
    let Some(url) = redis_url("ttl_is_passed_to_redis_and_keys_carry_the_prefix") else { return };
    let prefix = unique_prefix();
    let cache = Cache::redis(&url, &prefix, TIMEOUT).await.unwrap();
    cache.set("courses", "1", Bytes::from_static(b"x"), Duration::from_secs(90)).await;
    let raw = raw(&url).await;
    let keys = entry_keys(&raw, &prefix).await;
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert!(keys[0].starts_with(&format!("{prefix}courses:")) && keys[0].ends_with(":1"), "{keys:?}");
    let pttl: i64 = raw.pttl(&keys[0]).await.unwrap();
    assert!((85_000..=90_000).contains(&pttl), "PTTL {pttl} ms for a 90 s TTL");
    let generation: Option<i64> = raw.pttl(format!("{prefix}gen:courses")).await.ok();
    assert_eq!(generation, Some(-1), "generation counters do not expire");
    clean(&url, &prefix).await;
}

#[tokio::test]
async fn bump_in_one_process_invalidates_for_another() {
    let Some(url) = redis_url("bump_in_one_process_invalidates_for_another") else { return };
    let prefix = unique_prefix();
    let a = Cache::redis(&url, &prefix, TIMEOUT).await.unwrap();
    let b = Cache::redis(&url, &prefix, TIMEOUT).await.unwrap();
    a.set("catalog", "page-1", Bytes::from_static(b"old"), HOUR).await;
    a.set("users", "1", Bytes::from_static(b"u"), HOUR).await;
    assert_eq!(b.get("catalog", "page-1").await, Some(Bytes::from_static(b"old")), "shared entries");

    b.bump("catalog").await;
    assert_eq!(a.get("catalog", "page-1").await, None, "a sees b's invalidation at once");
    assert_eq!(a.get("users", "1").await, Some(Bytes::from_static(b"u")), "other namespaces stay");
    a.set("catalog", "page-1", Bytes::from_static(b"new"), HOUR).await;
    assert_eq!(b.get("catalog", "page-1").await, Some(Bytes::from_static(b"new")));
    clean(&url, &prefix).await;
}

/// A value read in one process before another bumped the namespace is not
/// kept after the bump (it is stored in the generation its read saw).
#[tokio::test]
async fn a_value_loaded_across_another_process_bump_is_not_kept() {
    let Some(url) = redis_url("a_value_loaded_across_another_process_bump_is_not_kept") else { return };
    let prefix = unique_prefix();
    let a = Cache::redis(&url, &prefix, TIMEOUT).await.unwrap();
    let b = Cache::redis(&url, &prefix, TIMEOUT).await.unwrap();
    let pinned = a.pin("sessions").await;
    assert_eq!(pinned.get("s1").await, None);
    b.bump("sessions").await;
    pinned.set("s1", Bytes::from_static(b"before the change"), HOUR).await;
    assert_eq!(a.get("sessions", "s1").await, None);
    assert_eq!(b.get("sessions", "s1").await, None);
    clean(&url, &prefix).await;
}

#[tokio::test]
async fn a_lost_generation_counter_does_not_revive_old_entries() {
    let Some(url) = redis_url("a_lost_generation_counter_does_not_revive_old_entries") else { return };
    let prefix = unique_prefix();
    let cache = Cache::redis(&url, &prefix, TIMEOUT).await.unwrap();
    cache.set("catalog", "k", Bytes::from_static(b"v1"), HOUR).await;
    cache.bump("catalog").await;
    cache.set("catalog", "k", Bytes::from_static(b"v2"), HOUR).await;
    // Redis loses the counter (eviction, restart without persistence) but keeps entries.
    let raw = raw(&url).await;
    let _: i64 = raw.del(format!("{prefix}gen:catalog")).await.unwrap();
    assert_eq!(cache.get("catalog", "k").await, None, "neither v1 nor v2 comes back");
    assert_eq!(entry_keys(&raw, &prefix).await.len(), 2, "the old entries are still there, unreachable");
    clean(&url, &prefix).await;
}

#[tokio::test]
async fn redis_down_means_misses_not_errors() {
    // Needs no Redis: it points at a port where nothing listens.
    let metrics = lyceum_platform::http::metrics::handle();
    // Nothing listens on port 1: every command fails.
    let cache = Cache::redis("redis://127.0.0.1:1", &unique_prefix(), TIMEOUT).await.expect("starts without Redis");
    // How fast a failing command gives up is the benchmarks' business; here a
    // generous bound only turns a hang into a failure.
    let outage = async {
        cache.set("catalog", "k", Bytes::from_static(b"v"), HOUR).await;
        assert_eq!(cache.get("catalog", "k").await, None);
        let loaded: Result<u32, ()> = cache.get_or_load_json("catalog", "n", HOUR, async { Ok(5) }).await;
        assert_eq!(loaded, Ok(5), "the loader answers when the cache cannot");
        cache.bump("catalog").await;
        cache.delete("catalog", "k").await;
    };
    tokio::time::timeout(Duration::from_secs(60), outage).await.expect("the cache answers while Redis is down");
    assert!(cache.circuit_open(), "the failures opened the circuit");
    let scraped = metrics.render();
    assert!(scraped.contains("cache_errors_total{operation=\"generation\"}"), "{scraped}");
    assert!(scraped.contains("cache_short_circuited_total{operation=\"bump\"}"), "{scraped}");
    assert!(scraped.contains("cache_requests_total{namespace=\"catalog\",outcome=\"miss\"}"), "{scraped}");
}

/// A partition: the connection stays open and nothing comes back, so each
/// command would wait out its timeout. A few do; then the circuit opens and
/// the rest are skipped (misses). Once the path heals, a probe closes the
/// circuit and the entries written before are read again.
#[tokio::test]
async fn a_partitioned_redis_is_skipped_until_it_answers_again() {
    let Some(url) = redis_url("a_partitioned_redis_is_skipped_until_it_answers_again") else { return };
    let partition = Partition::start(&url).await;
    let prefix = unique_prefix();
    let cache = Cache::redis(&partition.url(&url), &prefix, Duration::from_millis(200)).await.unwrap();
    let value = Bytes::from_static(b"v");
    cache.set("catalog", "k", value.clone(), HOUR).await;
    assert_eq!(cache.get("catalog", "k").await, Some(value.clone()));

    partition.stall(true);
    let during = async {
        for _ in 0..50 {
            assert_eq!(cache.get("catalog", "k").await, None);
        }
    };
    tokio::time::timeout(Duration::from_secs(60), during).await.expect("the cache answers during a partition");
    assert!(cache.circuit_open());

    partition.stall(false);
    let healed = async {
        while cache.get("catalog", "k").await.is_none() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(60), healed).await.expect("the cache is read again once Redis answers");
    assert!(!cache.circuit_open());
    clean(&url, &prefix).await;
}

/// A TCP relay to Redis that can stall: while stalled it keeps the connections
/// open and holds every byte back, as a network partition does.
struct Partition {
    addr: std::net::SocketAddr,
    stalled: tokio::sync::watch::Sender<bool>,
}

impl Partition {
    async fn start(redis_url: &str) -> Self {
        let target = url::Url::parse(redis_url).unwrap();
        let target = format!("{}:{}", target.host_str().unwrap(), target.port().unwrap_or(6379));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stalled, _) = tokio::sync::watch::channel(false);
        let gate = stalled.subscribe();
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                let Ok(outbound) = tokio::net::TcpStream::connect(&target).await else { continue };
                let ((in_read, in_write), (out_read, out_write)) = (inbound.into_split(), outbound.into_split());
                tokio::spawn(relay(in_read, out_write, gate.clone()));
                tokio::spawn(relay(out_read, in_write, gate.clone()));
            }
        });
        Self { addr, stalled }
    }

    fn url(&self, redis_url: &str) -> String {
        let mut url = url::Url::parse(redis_url).unwrap();
        url.set_port(Some(self.addr.port())).unwrap();
        url.to_string()
    }

    fn stall(&self, stalled: bool) {
        self.stalled.send_replace(stalled);
    }
}

async fn relay(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    mut gate: tokio::sync::watch::Receiver<bool>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let Ok(n @ 1..) = from.read(&mut buf).await else { return };
        if gate.wait_for(|stalled| !*stalled).await.is_err() || to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

#[tokio::test]
async fn settings_choose_the_adapter() {
    let mut settings = lyceum_platform::config::CacheSettings::default();
    assert_eq!(Cache::from_settings(&settings).await.unwrap().kind(), "memory");
    let Some(url) = redis_url("settings_choose_the_adapter") else { return };
    settings.redis_url = lyceum_platform::config::Secret::new(url);
    assert_eq!(Cache::from_settings(&settings).await.unwrap().kind(), "redis");
}
