//! Background job workers as a pool: graceful shutdown, lease renewal,
//! concurrent claiming, and the metrics they leave on `/metrics`.

use crate::{common, jobs_kit};

use std::time::Duration;

use common::{Backend, poll_until};
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

/// The one test that waits on the clock: renewal is time-driven. The wait for
/// the renewal ends as soon as it is seen, and the claim is tried as soon as the
/// first lease is over — by the database's clock, the one leases are kept in.
async fn a_long_job_keeps_its_lease_while_it_runs(backend: Backend) {
    let app = spawn(backend).await;
    let payload = tag();
    let id = enqueue::<Blocks>(&app, &payload).await.unwrap();
    // Renewed every third of the lease: a loaded machine may delay a renewal by
    // up to two thirds of it before the job would rightly be lost.
    let lease = Duration::from_secs(3);
    let pool = worker(&app).with_lease(lease).spawn(1);
    started(&payload).await;
    let first = row(&app, &id).await.locked_until.expect("leased");
    poll_until(Duration::from_secs(20), "the lease is renewed", async || {
        row(&app, &id).await.locked_until.expect("still leased") > first
    })
    .await;
    poll_until(Duration::from_secs(20), "the first lease is over", async || lyceum_platform::db::now_ms() > first)
        .await;
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
    // No other scrape may reset the `metered` gauges between ours (see `common::METRICS`).
    let _alone = common::METRICS.lock().await;
    let processed = "jobs_processed_total{kind=\"test.metered\"}";
    let before = metric(&app.client().get("/metrics").await.text, processed);
    enqueue::<Metered>(&app, &tag()).await.unwrap();
    let metrics = app.client().get("/metrics").await.text;
    assert_eq!(metric(&metrics, "jobs_queue_depth{queue=\"metered\"}"), 1.0, "{metrics}");
    assert!(metrics.contains("jobs_oldest_age_seconds{queue=\"metered\"}"), "{metrics}");
    worker(&app).run_until_idle().await.unwrap();
    let metrics = app.client().get("/metrics").await.text;
    assert_eq!(metric(&metrics, "jobs_queue_depth{queue=\"metered\"}"), 0.0, "{metrics}");
    assert_eq!(metric(&metrics, processed), before + 1.0, "{metrics}");
    assert!(metrics.contains("jobs_duration_seconds_bucket{kind=\"test.metered\""), "{metrics}");
    app.stop().await;
}

/// The value of one series in a Prometheus text scrape; 0 when absent.
fn metric(scrape: &str, series: &str) -> f64 {
    scrape.lines().find_map(|line| line.strip_prefix(series)?.trim().parse().ok()).unwrap_or(0.0)
}

on_both_backends!(
    shutdown_releases_a_job_that_does_not_finish_in_time,
    a_long_job_keeps_its_lease_while_it_runs,
    concurrent_workers_draining_one_queue_run_each_job_exactly_once,
    metrics_show_backlog_and_outcomes,
);
