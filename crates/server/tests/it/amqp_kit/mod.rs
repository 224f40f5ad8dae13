//! What the RabbitMQ job tests share: the broker URL (or a skip), test job
//! kinds, an app wired to the broker under a fresh prefix, and row probes.
#![allow(dead_code)]

use std::{
    collections::HashMap,
    sync::{Arc, LazyLock, Mutex},
    time::{Duration, Instant},
};

use lyceum_platform::{
    AppState,
    config::Secret,
    db,
    jobs::{self, Job, JobError, JobRegistry, Worker, amqp::Topology},
};

use crate::{
    common::{Backend, TestApp, spawn_with},
    jobs_kit::{Blocks, Count, Fails, Tag, runs, tag},
};

pub fn amqp_url(test: &str) -> Option<String> {
    let url = std::env::var("LYCEUM_TEST_AMQP_URL").ok().filter(|s| !s.is_empty());
    if url.is_none() {
        lyceum_platform::testing::skip(&format!("{test}: LYCEUM_TEST_AMQP_URL is not set"));
    }
    url
}

/// Fails its first run, then succeeds.
pub struct FailsOnce;
pub static FAILS_ONCE: LazyLock<Mutex<HashMap<String, u32>>> = LazyLock::new(Default::default);
impl Job for FailsOnce {
    const KIND: &'static str = "test.fails_once";
    type Payload = Tag;
    async fn run(_: &AppState, tag: Tag) -> Result<(), JobError> {
        let mut runs = FAILS_ONCE.lock().unwrap();
        let n = runs.entry(tag.id).or_default();
        *n += 1;
        if *n == 1 { Err(JobError::retry("first run fails")) } else { Ok(()) }
    }
}

/// On a queue no consumer serves, so the broker has no queue bound for it.
pub struct Elsewhere;
impl Job for Elsewhere {
    const KIND: &'static str = "test.elsewhere";
    const QUEUE: &'static str = "elsewhere";
    type Payload = Tag;
    async fn run(_: &AppState, _: Tag) -> Result<(), JobError> {
        unreachable!("not registered")
    }
}

pub fn registry() -> Arc<JobRegistry> {
    let mut registry = JobRegistry::new();
    registry.register::<Count>().register::<Fails>().register::<Blocks>().register::<FailsOnce>();
    Arc::new(registry)
}

/// An app whose `[amqp]` points at `url` under a fresh prefix; no workers of its own.
pub async fn spawn(backend: Backend, url: &str) -> TestApp {
    let prefix = format!("lyceum-test-{}", uuid::Uuid::new_v4().simple());
    spawn_with(backend, |s| {
        s.jobs.workers = 0;
        s.amqp.url = Secret::new(url);
        s.amqp.prefix = prefix;
    })
    .await
}

pub fn worker(app: &TestApp) -> Worker {
    Worker::new(app.state().clone(), registry())
}

pub fn topology(app: &TestApp) -> Topology {
    Topology::new(app.state().settings.amqp.prefix.clone())
}

/// Stops the app, then removes the test's exchanges and queues (best effort;
/// in this order, or the app's consumers would declare them again).
pub async fn finish(app: TestApp, url: &str) {
    let topology = topology(&app);
    app.stop().await;
    if let Ok(connection) = jobs::amqp::connect(url).await
        && let Ok(channel) = connection.create_channel().await
    {
        let _ = topology.delete(&channel, &["default"]).await;
        let _ = connection.close(200, "bye".into()).await;
    }
}

pub async fn count(app: &TestApp, state: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE state = $1")
        .bind(state)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap()
}

pub async fn relayed_until(app: &TestApp, id: &str) -> Option<i64> {
    sqlx::query_scalar("SELECT relayed_until FROM jobs WHERE id = $1")
        .bind(id)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap()
}

pub async fn make_due(app: &TestApp, id: &str) {
    sqlx::query("UPDATE jobs SET run_at = $1 WHERE id = $2")
        .bind(db::now_ms())
        .bind(id)
        .execute(app.state().db.pool())
        .await
        .unwrap();
}

/// Consumers run on their own tasks and report nothing back, so the test
/// watches the rows: a bounded poll with a clear message.
pub async fn wait_until(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

pub async fn enqueue_many(app: &TestApp, n: usize) -> Vec<Tag> {
    let tags: Vec<Tag> = (0..n).map(|_| tag()).collect();
    let mut tx = app.state().db.begin().await.unwrap();
    for t in &tags {
        jobs::enqueue::<Count>(&mut tx, t).await.unwrap();
    }
    tx.commit().await.unwrap();
    tags
}

pub fn assert_each_ran_once(tags: &[Tag]) {
    let wrong: Vec<u32> = tags.iter().map(|t| runs(&t.id)).filter(|n| *n != 1).collect();
    assert!(wrong.is_empty(), "every job runs exactly once, not {wrong:?}");
}
