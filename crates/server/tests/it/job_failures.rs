//! What a failed run does to a job, by why it failed: a payload that does not
//! decode, or a refusal such as "not found" (the row the job is about is
//! gone), is dead after one run with its reason — running it again cannot
//! help; a fault is retried; a busy database postpones without spending an
//! attempt. The classification is `From<AppError> for JobError`
//! (docs/architecture.md, Background jobs). Driven with `Worker::run_until_idle`.

use crate::common;

use std::sync::Arc;

use common::{Backend, TestApp, spawn, spawn_with};
use lyceum_platform::ids::UserId;
use lyceum_platform::{
    AppError, AppState, db,
    jobs::{self, Job, JobError, JobRegistry, Worker},
};

/// The real `notifications.mail` kind enqueued with a payload of another
/// shape, as a bug or an older version could have written it. Never run as
/// itself: the worker runs the registry's `notifications.mail` handler.
struct MisshapenMail;
impl Job for MisshapenMail {
    const KIND: &'static str = "notifications.mail";
    type Payload = Vec<u32>;
    async fn run(_: &AppState, _: Vec<u32>) -> Result<(), JobError> {
        unreachable!("enqueued only")
    }
}

/// Reads the account it is about through accounts' service, which answers
/// not-found when no account has the id.
struct ReadsAnAccount;
impl Job for ReadsAnAccount {
    const KIND: &'static str = "test.reads_an_account";
    type Payload = String;
    async fn run(state: &AppState, user_id: String) -> Result<(), JobError> {
        lyceum_accounts::service::identity::get(state, &UserId::from(&user_id)).await?;
        Ok(())
    }
}

/// Fails with an internal fault (a query the database cannot run), as a
/// service would pass it on.
struct HitsAFault;
impl Job for HitsAFault {
    const KIND: &'static str = "test.hits_a_fault";
    type Payload = ();
    async fn run(state: &AppState, (): ()) -> Result<(), JobError> {
        sqlx::query("SELECT 1 FROM no_such_table").execute(state.db.pool()).await.map_err(AppError::from)?;
        Ok(())
    }
}

/// Holds the write lock, then writes through an accounts service, whose
/// write waits out the busy timeout and fails with "database is locked".
struct WritesBehindAHeldLock;
impl Job for WritesBehindAHeldLock {
    const KIND: &'static str = "test.service_writes_behind_a_held_lock";
    type Payload = String;
    async fn run(state: &AppState, user_id: String) -> Result<(), JobError> {
        let _holder = state.db.begin().await?;
        lyceum_accounts::service::admin::require_password_change(state, &UserId::from(&user_id)).await?;
        Ok(())
    }
}

fn worker(app: &TestApp) -> Worker {
    let mut registry = lyceum::job_registry();
    registry.register::<ReadsAnAccount>().register::<HitsAFault>().register::<WritesBehindAHeldLock>();
    Worker::new(app.state().clone(), Arc::new(registry))
}

async fn enqueue<J: Job>(app: &TestApp, payload: &J::Payload) -> String {
    let mut tx = app.state().db.begin().await.unwrap();
    let id = jobs::enqueue::<J>(&mut tx, payload).await.unwrap().expect("a new job");
    tx.commit().await.unwrap();
    id
}

/// (state, attempts, run_at, last_error)
async fn row(app: &TestApp, id: &str) -> (String, i64, i64, String) {
    let (state, attempts, run_at, error): (String, i64, i64, Option<String>) =
        sqlx::query_as("SELECT state, attempts, run_at, last_error FROM jobs WHERE id = $1")
            .bind(id)
            .fetch_one(app.state().db.pool())
            .await
            .unwrap();
    (state, attempts, run_at, error.unwrap_or_default())
}

async fn a_payload_that_does_not_decode_is_dead_after_one_run(backend: Backend) {
    let app = spawn(backend).await;
    let id = enqueue::<MisshapenMail>(&app, &vec![7]).await;
    let worker = worker(&app);
    assert_eq!(worker.run_until_idle().await.unwrap(), 1);
    let (state, attempts, _, error) = row(&app, &id).await;
    assert_eq!((state.as_str(), attempts), ("dead", 1), "no retry: {error}");
    assert!(error.starts_with("payload does not decode as notifications.mail: "), "the reason is recorded: {error}");
    assert_eq!(worker.run_until_idle().await.unwrap(), 0, "a dead job stays dead");
    app.stop().await;
}

async fn a_job_whose_row_is_gone_is_dead_after_one_run(backend: Backend) {
    let app = spawn(backend).await;
    let id = enqueue::<ReadsAnAccount>(&app, &db::new_id()).await;
    assert_eq!(worker(&app).run_until_idle().await.unwrap(), 1);
    let (state, attempts, _, error) = row(&app, &id).await;
    assert_eq!((state.as_str(), attempts), ("dead", 1), "{} attempts were left: {error}", ReadsAnAccount::MAX_ATTEMPTS);
    assert!(error.contains("404 not-found"), "the reason is recorded: {error}");

    let user_id = app.create_user("still-here@example.test", lyceum_platform::auth::Role::Learner).await;
    let found = enqueue::<ReadsAnAccount>(&app, &user_id).await;
    assert_eq!(worker(&app).run_until_idle().await.unwrap(), 1);
    assert_eq!(row(&app, &found).await.0, "done", "the same kind succeeds while the row exists");
    app.stop().await;
}

async fn a_fault_is_retried(backend: Backend) {
    let app = spawn(backend).await;
    let id = enqueue::<HitsAFault>(&app, &()).await;
    let worker = worker(&app);
    for attempt in 1..=2 {
        let before = db::now_ms();
        assert_eq!(worker.run_until_idle().await.unwrap(), 1, "attempt {attempt} runs");
        let (state, attempts, run_at, error) = row(&app, &id).await;
        assert_eq!((state.as_str(), attempts), ("queued", attempt), "{error}");
        assert!(run_at > before, "after a backoff");
        assert!(error.contains("500 internal") && error.contains("no_such_table"), "{error}");
        // Make the retry due without waiting for the clock.
        app.exec("UPDATE jobs SET run_at = 0 WHERE state = 'queued'").await;
    }
    app.stop().await;
}

on_both_backends!(
    a_payload_that_does_not_decode_is_dead_after_one_run,
    a_job_whose_row_is_gone_is_dead_after_one_run,
    a_fault_is_retried,
);

/// SQLite only: PostgreSQL has no database-wide write lock to wait for. The
/// busy database reaches the job as a service's `AppError`, not a bare
/// database error, and is still told apart from other 503s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_that_finds_the_database_busy_postpones_the_job_without_spending_an_attempt() {
    let app = spawn_with(Backend::Sqlite, |s| s.database.busy_timeout_secs = 1).await;
    let user_id = app.create_user("busy@example.test", lyceum_platform::auth::Role::Learner).await;
    let id = enqueue::<WritesBehindAHeldLock>(&app, &user_id).await;
    let mut registry = JobRegistry::new();
    registry.register::<WritesBehindAHeldLock>();
    let worker = Worker::new(app.state().clone(), Arc::new(registry));

    let before = db::now_ms();
    assert!(worker.run_one().await.unwrap(), "the job was claimed");
    let (state, attempts, run_at, error) = row(&app, &id).await;
    assert_eq!((state.as_str(), attempts), ("queued", 0), "a busy database spends no attempt: {error}");
    assert!(run_at > before, "not again at once");
    assert!(error.contains("database is locked"), "the cause is recorded: {error}");
    app.stop().await;
}
