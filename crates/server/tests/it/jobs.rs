//! Background jobs: enqueued in the caller's transaction, run once per claim
//! under a lease, retried, dead after too many failures, merged by key.
//! Driven with `Worker::run_until_idle` — no sleeping.

use crate::{common, jobs_kit};

use std::sync::Arc;

use common::Backend;
use jobs_kit::*;
use lyceum_platform::jobs::{
    self, JobRegistry, Worker,
    repo::{self, Outcome},
};

async fn a_rolled_back_change_leaves_no_job_and_a_committed_one_runs_once(backend: Backend) {
    let app = spawn(backend).await;
    let (dropped, kept) = (tag(), tag());
    let mut tx = app.state().db.begin().await.unwrap();
    jobs::enqueue::<Count>(&mut tx, &dropped).await.unwrap().expect("enqueued");
    tx.rollback().await.unwrap();
    let id = enqueue::<Count>(&app, &kept).await.expect("enqueued");
    assert_eq!(job_count(&app).await, 1, "the rolled-back job is gone");

    let worker = worker(&app);
    assert_eq!(worker.run_until_idle().await.unwrap(), 1);
    assert_eq!(worker.run_until_idle().await.unwrap(), 0, "a done job does not run again");
    assert_eq!((runs(&kept.id), runs(&dropped.id)), (1, 0));
    let done = row(&app, &id).await;
    assert_eq!((done.state.as_str(), done.attempts), ("done", 1));
    assert!(done.finished_at.is_some() && done.locked_by.is_none() && done.locked_until.is_none(), "{done:?}");
    app.stop().await;
}

async fn a_job_is_not_claimed_twice_while_its_lease_is_live(backend: Backend) {
    let app = spawn(backend).await;
    let id = enqueue::<Count>(&app, &tag()).await.unwrap();
    let first = worker(&app).with_id("first");
    assert_eq!(first.claim().await.unwrap().expect("claimed").id, id);
    assert!(worker(&app).claim().await.unwrap().is_none(), "a second worker finds nothing");
    assert!(first.claim().await.unwrap().is_none(), "not even the same worker claims it again");
    let held = row(&app, &id).await;
    assert_eq!((held.state.as_str(), held.locked_by.as_deref()), ("running", Some("first")));
    app.stop().await;
}

async fn a_job_whose_worker_died_runs_again_after_its_lease(backend: Backend) {
    let app = spawn(backend).await;
    let payload = tag();
    let id = enqueue::<Count>(&app, &payload).await.unwrap();
    // "crashed" claims the job and never finishes it.
    worker(&app).with_id("crashed").claim().await.unwrap().expect("claimed");
    let rescuer = worker(&app);
    assert_eq!(rescuer.run_until_idle().await.unwrap(), 0, "the lease is still live");

    sqlx::query("UPDATE jobs SET locked_until = 0").execute(app.state().db.pool()).await.unwrap();
    assert_eq!(rescuer.run_until_idle().await.unwrap(), 1);
    assert_eq!(runs(&payload.id), 1);
    let done = row(&app, &id).await;
    assert_eq!((done.state.as_str(), done.attempts), ("done", 2), "the lost run counts as an attempt");
    app.stop().await;
}

/// Fencing: a worker whose lease ran out and whose job was claimed again can
/// neither renew, complete, fail nor release the newer claim.
async fn a_stale_worker_cannot_touch_a_reclaimed_job(backend: Backend) {
    let app = spawn(backend).await;
    let id = enqueue::<Count>(&app, &tag()).await.unwrap();
    let pool = app.state().db.pool();
    let stale = worker(&app).with_id("stale").claim().await.unwrap().expect("claimed");
    sqlx::query("UPDATE jobs SET locked_until = 0").execute(pool).await.unwrap();
    let fresh = worker(&app).with_id("fresh").claim().await.unwrap().expect("claimed again once the lease is over");
    assert_eq!((stale.attempts, fresh.attempts), (1, 2));

    let db = &app.state().db;
    assert!(!repo::renew(db, &stale, "stale", 60_000).await.unwrap(), "renew");
    for outcome in [Outcome::Done, Outcome::Dead { error: "stale" }, Outcome::Released] {
        assert!(!repo::finish(db, &stale, "stale", outcome).await.unwrap(), "{outcome:?}");
    }
    let retry = Outcome::Retry { run_at: 0, error: "stale" };
    assert!(!repo::finish(db, &stale, "stale", retry).await.unwrap(), "retry");
    let held = row(&app, &id).await;
    assert_eq!((held.state.as_str(), held.locked_by.as_deref(), held.attempts), ("running", Some("fresh"), 2));

    assert!(repo::finish(db, &fresh, "fresh", Outcome::Done).await.unwrap(), "the live claim completes");
    assert_eq!(row(&app, &id).await.state, "done");
    app.stop().await;
}

async fn a_failing_job_is_retried_with_backoff_then_dead(backend: Backend) {
    let app = spawn(backend).await;
    let payload = tag();
    let id = enqueue::<Fails>(&app, &payload).await.unwrap();
    let worker = worker(&app);
    for attempt in 1..=3 {
        assert_eq!(worker.run_until_idle().await.unwrap(), 1, "attempt {attempt} runs once");
        let job = row(&app, &id).await;
        assert_eq!(job.attempts, attempt);
        assert!(job.last_error.as_deref().unwrap().contains("boom"), "{job:?}");
        assert!(job.locked_by.is_none() && job.locked_until.is_none(), "{job:?}");
        if attempt < 3 {
            assert_eq!(job.state, "queued");
            assert!(job.run_at > lyceum_platform::db::now_ms(), "the retry waits: {job:?}");
            assert_eq!(worker.run_until_idle().await.unwrap(), 0, "not before its time");
            // Make the retry due without waiting for the clock.
            sqlx::query("UPDATE jobs SET run_at = 0").execute(app.state().db.pool()).await.unwrap();
        } else {
            assert_eq!(job.state, "dead");
            assert!(job.finished_at.is_some());
        }
    }
    assert_eq!(worker.run_until_idle().await.unwrap(), 0, "a dead job stays dead");
    assert_eq!(runs(&payload.id), 3);
    app.stop().await;
}

async fn jobs_with_the_same_key_merge_while_pending(backend: Backend) {
    let app = spawn(backend).await;
    let payload = Tag::keyed(&tag().id, "course-7");
    let first = enqueue::<Count>(&app, &payload).await;
    assert!(first.is_some());
    assert_eq!(enqueue::<Count>(&app, &payload).await, None, "merged, not an error");
    let other_key = Tag::keyed(&payload.id, "course-8");
    assert!(enqueue::<Count>(&app, &other_key).await.is_some(), "another key is another job");
    assert!(enqueue::<Fails>(&app, &Tag::keyed(&tag().id, "course-7")).await.is_some(), "another kind is another job");
    assert_eq!(job_count(&app).await, 3);

    let worker = Worker::new(app.state().clone(), {
        let mut only_count = JobRegistry::new();
        only_count.register::<Count>();
        Arc::new(only_count)
    });
    // The Fails job is unknown to this worker; it fails, waits, and stays out of the way.
    worker.run_until_idle().await.unwrap();
    assert_eq!(runs(&payload.id), 2);
    assert!(enqueue::<Count>(&app, &payload).await.is_some(), "once done, the key is free");
    app.stop().await;
}

async fn a_job_of_an_unknown_kind_ends_dead_with_a_clear_error(backend: Backend) {
    let app = spawn(backend).await;
    let id = enqueue::<Unknown>(&app, &tag()).await.unwrap();
    let worker = worker(&app);
    assert_eq!(worker.run_until_idle().await.unwrap(), 1);
    let job = row(&app, &id).await;
    assert_eq!(job.state, "queued", "retried: a newer worker may know the kind");
    sqlx::query("UPDATE jobs SET run_at = 0").execute(app.state().db.pool()).await.unwrap();
    assert_eq!(worker.run_until_idle().await.unwrap(), 1);
    let job = row(&app, &id).await;
    assert_eq!((job.state.as_str(), job.attempts), ("dead", 2));
    assert_eq!(job.last_error.as_deref(), Some("no handler for job kind \"test.unknown\" in this worker"));
    app.stop().await;
}

on_both_backends!(
    a_rolled_back_change_leaves_no_job_and_a_committed_one_runs_once,
    a_job_is_not_claimed_twice_while_its_lease_is_live,
    a_job_whose_worker_died_runs_again_after_its_lease,
    a_stale_worker_cannot_touch_a_reclaimed_job,
    a_failing_job_is_retried_with_backoff_then_dead,
    jobs_with_the_same_key_merge_while_pending,
    a_job_of_an_unknown_kind_ends_dead_with_a_clear_error,
);
