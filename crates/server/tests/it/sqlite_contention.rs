//! No "database is locked": every family of write routes, and the job workers
//! beside them, under concurrent load — no 5xx, no failed or dead job.
//!
//! On SQLite the trap is the lock upgrade: a deferred transaction that reads
//! first (an access check, a preference lookup) fails its first write at once
//! with SQLITE_BUSY when another writer committed meanwhile; the busy timeout
//! is not consulted. Every transaction therefore takes the write lock when it
//! begins (`Db::begin`). PostgreSQL runs the same load (it is cheap) so the two
//! backends keep behaving alike. Requests really overlap: each client has its
//! own connection and all are sent at once with `join_all`.

use crate::{common, courses_kit, enrollment_kit};

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use common::{Backend, Reply, TestApp, TestClient, spawn_with};
use courses_kit as kit;
use futures::{FutureExt, future::BoxFuture, future::join_all};
use lyceum_platform::{
    AppState,
    auth::Role,
    db,
    jobs::{self, Job, JobError, JobRegistry, Worker},
};
use reqwest::Method;
use serde_json::json;

on_both_backends!(
    every_write_route_under_concurrent_load_answers_without_5xx,
    jobs_run_beside_the_write_load_without_failing
);

/// Concurrent learners and a busy instructor; all limits raised so a 429 hides nothing.
async fn app(backend: Backend, workers: usize) -> TestApp {
    spawn_with(backend, |s| {
        s.rate_limit.login_per_minute = 10_000;
        s.rate_limit.register_per_hour = 10_000;
        s.rate_limit.email_per_hour = 10_000;
        s.jobs.workers = workers;
        s.jobs.poll_interval_ms = 50;
    })
    .await
}

/// One answer seen under load, kept to name the route when it is a 5xx.
struct Seen {
    route: &'static str,
    status: u16,
    body: String,
}

impl Seen {
    fn of(route: &'static str, reply: Reply) -> Self {
        Self { route, status: reply.status.as_u16(), body: reply.text }
    }
}

/// Runs every client's script at once and returns all the answers.
async fn hammer(scripts: Vec<BoxFuture<'_, Vec<Seen>>>) -> Vec<Seen> {
    join_all(scripts).await.into_iter().flatten().collect()
}

#[track_caller]
fn assert_no_5xx(seen: &[Seen]) {
    let failed: Vec<String> =
        seen.iter().filter(|s| s.status >= 500).map(|s| format!("{} → {} {}", s.route, s.status, s.body)).collect();
    assert!(failed.is_empty(), "{} of {} requests answered 5xx:\n{}", failed.len(), seen.len(), failed.join("\n"));
}

async fn learners(app: &TestApp, n: usize) -> Vec<TestClient> {
    let mut clients = Vec::new();
    for i in 0..n {
        clients.push(app.signed_in(&format!("learner{i}@example.org"), Role::Learner).await.0);
    }
    clients
}

/// A course with one module and one lesson, published: (course, lesson).
async fn open_course(teacher: &TestClient, title: &str) -> (String, String) {
    let (course, _, lesson) = kit::outline(teacher, title).await;
    let reply = teacher.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await;
    assert_eq!(reply.status, 200, "publish: {}", reply.text);
    (course, lesson)
}

/// Sign-ups of `n` new accounts, each from its own client.
fn sign_ups(app: &TestApp, n: usize) -> Vec<BoxFuture<'static, Vec<Seen>>> {
    (0..n)
        .map(|i| {
            let client = app.client();
            async move {
                let body = json!({"email": format!("signup{i}@example.org"), "password": common::PASSWORD, "display_name": "New"});
                vec![Seen::of("POST /auth/register", client.post("/api/v1/auth/register", body).await)]
            }
            .boxed()
        })
        .collect()
}

/// What a learner does in one sitting: enrol, complete the lesson, read the
/// notices, edit the profile, create a token.
async fn learner_session(client: &TestClient, course: &str, lesson: &str, n: usize) -> Vec<Seen> {
    let progress = format!("/api/v1/progress/lessons/{lesson}");
    vec![
        Seen::of("POST /enrollments", enrollment_kit::enroll(client, course).await),
        Seen::of("PUT /progress/lessons", client.send(Method::PUT, &progress, Some(&json!({"completed": true}))).await),
        Seen::of("POST /notifications/read-all", client.post("/api/v1/notifications/read-all", json!({})).await),
        Seen::of(
            "PATCH /users/me/profile",
            client.patch("/api/v1/users/me/profile", json!({"bio": format!("bio {n}")})).await,
        ),
        Seen::of(
            "PATCH /users/me",
            client.patch("/api/v1/users/me", json!({"display_name": format!("Learner {n}")})).await,
        ),
        Seen::of("POST /tokens", client.post("/api/v1/tokens", json!({"name": format!("token {n}")})).await),
    ]
}

/// `rounds` edits of a course, its module and lesson, and a new lesson each round.
async fn author_session(
    teacher: &TestClient,
    (course, module, lesson): &(String, String, String),
    rounds: usize,
) -> Vec<Seen> {
    let mut seen = Vec::new();
    for i in 0..rounds {
        let title = json!({"title": format!("Edited {i}")});
        seen.push(Seen::of(
            "PATCH /courses/{id}",
            teacher.patch(&format!("/api/v1/courses/{course}"), title.clone()).await,
        ));
        seen.push(Seen::of(
            "PATCH /modules/{id}",
            teacher.patch(&format!("/api/v1/modules/{module}"), title.clone()).await,
        ));
        seen.push(Seen::of(
            "PATCH /lessons/{id}",
            teacher.patch(&format!("/api/v1/lessons/{lesson}"), title.clone()).await,
        ));
        let added =
            teacher.post(&format!("/api/v1/modules/{module}/lessons"), json!({"title": format!("More {i}")})).await;
        seen.push(Seen::of("POST /modules/{id}/lessons", added));
    }
    seen
}

async fn every_write_route_under_concurrent_load_answers_without_5xx(backend: Backend) {
    let app = app(backend, 0).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course, lesson) = open_course(&teacher, "Shared").await;
    let mut edited = Vec::new();
    for i in 0..6 {
        edited.push(kit::outline(&teacher, &format!("Edited course {i}")).await);
    }
    let mut doomed = Vec::new();
    for i in 0..6 {
        doomed.push(kit::course(&teacher, &format!("Doomed {i}")).await);
    }
    let clients = learners(&app, 12).await;

    let mut scripts: Vec<BoxFuture<'_, Vec<Seen>>> = Vec::new();
    for outline in &edited {
        // Two editors per course: the same course and different courses at once.
        scripts.push(author_session(&teacher, outline, 3).boxed());
        scripts.push(author_session(&teacher, outline, 3).boxed());
    }
    for id in &doomed {
        let path = format!("/api/v1/courses/{id}");
        let teacher = &teacher;
        scripts.push(
            async move {
                let mut seen = Vec::new();
                for i in 0..3 {
                    let reply = teacher.patch(&path, json!({"title": format!("Doomed, edited {i}")})).await;
                    seen.push(Seen::of("PATCH /courses/{id}", reply));
                }
                seen
            }
            .boxed(),
        );
        let path = format!("/api/v1/courses/{id}");
        scripts.push(async move { vec![Seen::of("DELETE /courses/{id}", teacher.delete(&path).await)] }.boxed());
    }
    for (n, client) in clients.iter().enumerate() {
        scripts.push(learner_session(client, &course, &lesson, n).boxed());
    }
    scripts.extend(sign_ups(&app, 8));

    let seen = hammer(scripts).await;
    assert_no_5xx(&seen);
    let unexpected: Vec<String> =
        seen.iter().filter(|s| s.status >= 400).map(|s| format!("{} → {} {}", s.route, s.status, s.body)).collect();
    // A PATCH racing the DELETE of its course may find it gone; nothing else may fail.
    let unexpected: Vec<&String> = unexpected.iter().filter(|s| !s.starts_with("PATCH /courses/{id} → 404")).collect();
    assert!(unexpected.is_empty(), "unexpected refusals: {unexpected:?}");
    assert_eq!(enrollment_kit::rows(&app, &course, "active").await, 12);
    assert_eq!(enrollment_kit::counter(&app, &course).await, 12, "counter == rows");
    app.stop().await;
}

async fn jobs_run_beside_the_write_load_without_failing(backend: Backend) {
    let app = app(backend, 4).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course, lesson) = open_course(&teacher, "Busy").await;
    let edited = kit::outline(&teacher, "Edited").await;
    let clients = learners(&app, 16).await;

    let mut scripts: Vec<BoxFuture<'_, Vec<Seen>>> = Vec::new();
    for (n, client) in clients.iter().enumerate() {
        scripts.push(learner_session(client, &course, &lesson, n).boxed());
    }
    scripts.push(author_session(&teacher, &edited, 4).boxed());
    scripts.extend(sign_ups(&app, 12));
    let seen = hammer(scripts).await;
    assert_no_5xx(&seen);

    wait_until_idle(&app, Duration::from_secs(60)).await;
    let failed = failed_jobs(&app).await;
    assert!(failed.is_empty(), "jobs that failed an attempt: {failed:?}");
    assert_eq!(notices(&app, "account.welcome").await, 12, "a welcome notice per sign-up");
    assert_eq!(notices(&app, "course.enrolled").await, 16, "an enrolled notice per enrollment");
    assert_eq!(notices(&app, "course.completed").await, 16, "a completion notice per learner");
    let verification_mails = app.mails().await.iter().filter(|m| m.text.contains("/verify-email")).count();
    assert_eq!(verification_mails, 12, "a verification e-mail per sign-up");
    app.stop().await;
}

/// Polls, with a bound, until no job is queued or running. A job waiting for
/// a retry is queued, so a failure keeps the queue busy until the bound.
async fn wait_until_idle(app: &TestApp, bound: Duration) {
    let start = Instant::now();
    loop {
        let busy: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')")
            .fetch_one(app.state().db.pool())
            .await
            .unwrap();
        if busy == 0 {
            return;
        }
        if start.elapsed() > bound {
            let failed = failed_jobs(app).await;
            panic!("{busy} jobs still queued or running after {bound:?}; failed attempts: {failed:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every job that is dead or failed at least once: (kind, state, last error).
async fn failed_jobs(app: &TestApp) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as("SELECT kind, state, last_error FROM jobs WHERE state = 'dead' OR last_error IS NOT NULL")
        .fetch_all(app.state().db.pool())
        .await
        .unwrap()
}

/// Notifications of `kind`.
async fn notices(app: &TestApp, kind: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE kind = $1")
        .bind(kind)
        .fetch_one(app.state().db.pool())
        .await
        .unwrap()
}

/// Takes the write lock on one connection, then writes on another: that write
/// waits out the busy timeout and fails with "database is locked".
struct WritesBehindAHeldLock;
impl Job for WritesBehindAHeldLock {
    const KIND: &'static str = "test.writes_behind_a_held_lock";
    type Payload = ();
    async fn run(state: &AppState, (): ()) -> Result<(), JobError> {
        let mut holder = state.db.begin().await?;
        sqlx::query("UPDATE job_schedules SET updated_at = updated_at WHERE 1 = 0").execute(&mut *holder).await?;
        sqlx::query("UPDATE job_schedules SET updated_at = updated_at WHERE 1 = 0").execute(state.db.pool()).await?;
        Ok(())
    }
}

/// SQLite only: PostgreSQL has no database-wide write lock to wait for.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_that_finds_the_database_busy_is_postponed_without_spending_an_attempt() {
    let app = spawn_with(Backend::Sqlite, |s| s.database.busy_timeout_secs = 1).await;
    let mut registry = JobRegistry::new();
    registry.register::<WritesBehindAHeldLock>();
    let worker = Worker::new(app.state().clone(), Arc::new(registry));
    let mut tx = app.state().db.begin().await.unwrap();
    let id = jobs::enqueue::<WritesBehindAHeldLock>(&mut tx, &()).await.unwrap().expect("a new job");
    tx.commit().await.unwrap();

    let before = db::now_ms();
    assert!(worker.run_one().await.unwrap(), "the job was claimed");
    let (state, attempts, run_at, error): (String, i64, i64, Option<String>) =
        sqlx::query_as("SELECT state, attempts, run_at, last_error FROM jobs WHERE id = $1")
            .bind(&id)
            .fetch_one(app.state().db.pool())
            .await
            .unwrap();
    assert_eq!(state, "queued", "back in the queue");
    assert_eq!(attempts, 0, "a busy database spends no attempt");
    assert!(run_at > before, "not again at once");
    let error = error.unwrap_or_default();
    assert!(error.contains("database is locked"), "the cause is recorded: {error}");
    app.stop().await;
}

/// The rule this file tests holds only if no code starts a transaction behind
/// `Db::begin`'s back (`pool().begin()`, `begin_with`, a connection's `begin`
/// would be a deferred SQLite transaction again).
#[test]
fn transactions_start_only_through_db_begin() {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let files = sources_under(crates, &["src", "examples"]);
    let the_one_way = crates.join("platform/src/db.rs");
    let bypasses: Vec<String> = files
        .iter()
        .filter(|f| **f != the_one_way)
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            let lines: Vec<(usize, String)> = text.lines().map(str::to_string).enumerate().collect();
            lines
                .into_iter()
                .filter(|(_, l)| (l.contains(".begin(") && !l.contains("db.begin()")) || l.contains("begin_with("))
                .map(move |(n, l)| format!("{}:{}: {}", f.display(), n + 1, l.trim()))
        })
        .collect();
    assert!(bypasses.is_empty(), "transactions started without Db::begin:\n{}", bypasses.join("\n"));
}

/// On SQLite this process's writes queue, in arrival order, for its one
/// writer connection: transactions through `Db::begin`, single statements
/// through `Db::autocommit`. A write on a pooled connection would take the
/// lock behind the queue's back and meet the writer in SQLite's busy handler.
/// So no function that is handed the pool runs INSERT, UPDATE or DELETE, and
/// nothing executes a statement on the pool directly.
#[test]
fn writes_go_through_the_write_queue() {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let the_queue = crates.join("platform/src/db");
    let mut offences = Vec::new();
    for file in sources_under(crates, &["src"]) {
        if file.starts_with(&the_queue) || file == crates.join("platform/src/db.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.contains(".execute(") && line.contains("pool") {
                offences.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
        for function in text.split("\nfn ").chain(text.split(" fn ")).skip(1) {
            let head = function.split('{').next().unwrap_or_default();
            let body = function.split("\n}\n").next().unwrap_or_default();
            let writes = ["\"INSERT ", "\"UPDATE ", "\"DELETE "].iter().any(|w| body.contains(w));
            if head.contains("AnyPool") && writes {
                let name = head.split('(').next().unwrap_or_default();
                offences.push(format!("{}: fn {name} writes through the pool", file.display()));
            }
        }
    }
    offences.sort();
    offences.dedup();
    assert!(offences.is_empty(), "writes outside Db::begin / Db::autocommit:\n{}", offences.join("\n"));
}

/// The `.rs` files under each crate's `dirs`.
fn sources_under(crates: &std::path::Path, dirs: &[&str]) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for krate in std::fs::read_dir(crates).unwrap().flatten() {
        for dir in dirs {
            if krate.path().join(dir).is_dir() {
                crate::architecture_rules::rust_files(&krate.path().join(dir), &mut files);
            }
        }
    }
    files
}
