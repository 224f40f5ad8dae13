//! Background job workers as a pool: graceful shutdown, lease renewal,
//! concurrent claiming, and the metrics they leave on `/metrics`.

mod common;
mod jobs_kit;

use std::time::Duration;

use common::Backend;
use jobs_kit::*;

async fn shutdown_releases_a_job_that_does_not_finish_in_time(backend: Backend) {
    let app = spawn(backend).await;
    let payload = tag();
    let id = enqueue::<Blocks>(&app, &payload).await.unwrap();
    let pool = worker(&app).spawn(2);
    started(&payload).await;
    pool.shutdown(Duration::from_millis(100)).await;
    let job = row(&app, &id).await;
    assert_eq!((job.state.as_str(), job.attempts), ("queued", 0), "released; the attempt does not count");
    assert!(job.locked_by.is_none() && job.locked_until.is_none() && job.last_error.is_none(), "{job:?}");
    app.stop().await;
}

/// The one test that waits on the clock: renewal is time-driven. The lease is
/// short, and the wait ends as soon as the renewal is seen.
async fn a_long_job_keeps_its_lease_while_it_runs(backend: Backend) {
    let app = spawn(backend).await;
    let payload = tag();
    let id = enqueue::<Blocks>(&app, &payload).await.unwrap();
    let lease = Duration::from_millis(600);
    let pool = worker(&app).with_lease(lease).spawn(1);
    started(&payload).await;
    let first = row(&app, &id).await.locked_until.expect("leased");
    let renewed = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            tokio::time::sleep(Duration::from_millis(50)).await;
            let now = row(&app, &id).await.locked_until.expect("still leased");
            if now > first {
                return now;
            }
        }
    })
    .await
    .expect("the lease is renewed");
    assert!(renewed > first);
    tokio::time::sleep(lease).await;
    assert!(worker(&app).claim().await.unwrap().is_none(), "past the first lease, yet still held");
    pool.shutdown(Duration::ZERO).await;
    assert_eq!(row(&app, &id).await.state, "queued");
    app.stop().await;
}

async fn concurrent_workers_draining_one_queue_run_each_job_exactly_once(backend: Backend) {
    let app = spawn(backend).await;
    let tags: Vec<Tag> = (0..80).map(|_| tag()).collect();
    for t in &tags {
        enqueue::<Count>(&app, t).await.unwrap();
    }
    let drains = (0..4).map(|n| {
        let worker = worker(&app).with_id(format!("w{n}"));
        tokio::spawn(async move { worker.run_until_idle().await.unwrap() })
    });
    let ran: usize = futures::future::join_all(drains).await.into_iter().map(Result::unwrap).sum();
    assert_eq!(ran, 80);
    let twice: Vec<u32> = tags.iter().map(|t| runs(&t.id)).filter(|n| *n != 1).collect();
    assert!(twice.is_empty(), "every job runs exactly once, not {twice:?}");
    app.stop().await;
}

async fn metrics_show_backlog_and_outcomes(backend: Backend) {
    let app = spawn(backend).await;
    enqueue::<Count>(&app, &tag()).await.unwrap();
    let metrics = app.client().get("/metrics").await.text;
    assert!(metrics.contains("jobs_queue_depth{queue=\"default\"} 1"), "{metrics}");
    assert!(metrics.contains("jobs_oldest_age_seconds{queue=\"default\"}"), "{metrics}");
    worker(&app).run_until_idle().await.unwrap();
    let metrics = app.client().get("/metrics").await.text;
    assert!(metrics.contains("jobs_queue_depth{queue=\"default\"} 0"), "{metrics}");
    assert!(metrics.contains("jobs_processed_total{kind=\"test.count\"}"), "{metrics}");
    assert!(metrics.contains("jobs_duration_seconds_bucket{kind=\"test.count\""), "{metrics}");
    app.stop().await;
}

on_both_backends!(
    shutdown_releases_a_job_that_does_not_finish_in_time,
    a_long_job_keeps_its_lease_while_it_runs,
    concurrent_workers_draining_one_queue_run_each_job_exactly_once,
    metrics_show_backlog_and_outcomes,
);
