//! Test job kinds and helpers shared by `jobs.rs` and `jobs_workers.rs`.
#![allow(dead_code)]

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, LazyLock, Mutex},
    time::Duration,
};

use lyceum_platform::{
    AppState,
    jobs::{self, Job, JobError, JobRegistry, Worker},
};
use serde::{Deserialize, Serialize};

use crate::common::{Backend, TestApp, spawn_with};

/// Each test tags its jobs with fresh ids, so tests running side by side share these safely.
#[derive(Serialize, Deserialize)]
pub struct Tag {
    pub id: String,
    /// The test kinds merge duplicates that carry the same key.
    #[serde(default)]
    pub key: Option<String>,
}

impl Tag {
    /// A payload with this id whose duplicates merge under `key`.
    pub fn keyed(id: &str, key: &str) -> Self {
        Tag { id: id.to_string(), key: Some(key.to_string()) }
    }
}

static RUNS: LazyLock<Mutex<HashMap<String, u32>>> = LazyLock::new(Default::default);
static STARTED: LazyLock<Mutex<HashSet<String>>> = LazyLock::new(Default::default);
static STARTED_WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();

fn count_run(id: &str) {
    *RUNS.lock().unwrap().entry(id.to_string()).or_default() += 1;
}

pub fn runs(id: &str) -> u32 {
    RUNS.lock().unwrap().get(id).copied().unwrap_or(0)
}

pub struct Count;
impl Job for Count {
    const KIND: &'static str = "test.count";
    type Payload = Tag;
    fn dedupe_key(tag: &Tag) -> Option<String> {
        tag.key.clone()
    }
    async fn run(_: &AppState, tag: Tag) -> Result<(), JobError> {
        count_run(&tag.id);
        Ok(())
    }
}

pub struct Fails;
impl Job for Fails {
    const KIND: &'static str = "test.fails";
    const MAX_ATTEMPTS: u32 = 3;
    type Payload = Tag;
    fn dedupe_key(tag: &Tag) -> Option<String> {
        tag.key.clone()
    }
    async fn run(_: &AppState, tag: Tag) -> Result<(), JobError> {
        count_run(&tag.id);
        Err(JobError::retry("boom: the remote end is down"))
    }
}

/// Run only by the metrics test, in a queue of its own, so no other test moves its metrics.
pub struct Metered;
impl Job for Metered {
    const KIND: &'static str = "test.metered";
    const QUEUE: &'static str = "metered";
    type Payload = Tag;
    async fn run(_: &AppState, tag: Tag) -> Result<(), JobError> {
        count_run(&tag.id);
        Ok(())
    }
}

/// Starts and never finishes (until dropped).
pub struct Blocks;
impl Job for Blocks {
    const KIND: &'static str = "test.blocks";
    type Payload = Tag;
    async fn run(_: &AppState, tag: Tag) -> Result<(), JobError> {
        STARTED.lock().unwrap().insert(tag.id);
        STARTED_WAKE.notify_waiters();
        std::future::pending().await
    }
}

/// Never registered: no worker knows it.
pub struct Unknown;
impl Job for Unknown {
    const KIND: &'static str = "test.unknown";
    const MAX_ATTEMPTS: u32 = 2;
    type Payload = Tag;
    fn dedupe_key(tag: &Tag) -> Option<String> {
        tag.key.clone()
    }
    async fn run(_: &AppState, _: Tag) -> Result<(), JobError> {
        unreachable!("not registered")
    }
}

pub fn registry() -> Arc<JobRegistry> {
    let mut registry = JobRegistry::new();
    registry.register::<Count>().register::<Fails>().register::<Blocks>().register::<Metered>();
    Arc::new(registry)
}

/// An app without in-process workers (the harness default), so only the test's workers take jobs.
pub async fn spawn(backend: Backend) -> TestApp {
    spawn_with(backend, |s| s.jobs.workers = 0).await
}

pub fn worker(app: &TestApp) -> Worker {
    Worker::new(app.state().clone(), registry())
}

pub fn tag() -> Tag {
    Tag { id: uuid::Uuid::new_v4().to_string(), key: None }
}

/// Enqueues in its own committed transaction; returns the job id (None: merged).
pub async fn enqueue<J: Job>(app: &TestApp, payload: &J::Payload) -> Option<String> {
    let mut tx = app.state().db.begin().await.unwrap();
    let id = jobs::enqueue::<J>(&mut tx, payload).await.unwrap();
    tx.commit().await.unwrap();
    id
}

#[derive(Debug, sqlx::FromRow)]
pub struct Row {
    pub state: String,
    pub attempts: i64,
    pub run_at: i64,
    pub locked_by: Option<String>,
    pub locked_until: Option<i64>,
    pub last_error: Option<String>,
    pub finished_at: Option<i64>,
}

pub async fn row(app: &TestApp, id: &str) -> Row {
    sqlx::query_as(
        "SELECT state, attempts, run_at, locked_by, locked_until, last_error, finished_at FROM jobs WHERE id = $1",
    )
    .bind(id)
    .fetch_one(app.state().db.pool())
    .await
    .unwrap()
}

pub async fn job_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs").fetch_one(app.state().db.pool()).await.unwrap()
}

pub async fn started(tag: &Tag) {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let started = STARTED_WAKE.notified();
            if STARTED.lock().unwrap().contains(&tag.id) {
                return;
            }
            started.await;
        }
    })
    .await
    .expect("the job starts");
}
