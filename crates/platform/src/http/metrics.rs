//! Prometheus metrics: request counts and latency by route template, method
//! and status; database pool use; background jobs (counters and durations by
//! kind from the workers, backlog per queue read at scrape time). Exposed at `/metrics`.

use std::{
    collections::BTreeSet,
    sync::{Mutex, OnceLock},
    time::Instant,
};

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::AppState;

const JOB_BUCKETS: &[f64] = &[0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0];
const LATENCY_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The process-wide recorder (the `metrics` facade is global by design).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full("http_request_duration_seconds".into()), LATENCY_BUCKETS)
            .expect("valid buckets")
            .set_buckets_for_metric(Matcher::Full("jobs_duration_seconds".into()), JOB_BUCKETS)
            .expect("valid buckets")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder may already be installed (e.g. by an embedding test); keep ours readable.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

pub async fn track(State(_): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    let labels = [("route", route), ("method", method), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels[..2]).record(start.elapsed().as_secs_f64());
    response
}

pub async fn scrape(State(state): State<AppState>) -> Response {
    let pool = state.db.pool();
    let (size, idle) = (pool.size() as f64, pool.num_idle() as f64);
    metrics::gauge!("db_pool_connections", "state" => "idle").set(idle);
    metrics::gauge!("db_pool_connections", "state" => "in_use").set(size - idle);
    metrics::gauge!("db_pool_max_connections").set(f64::from(state.settings.database.max_connections));
    record_job_backlog(&state).await;
    let body = handle().render();
    super::health::quiet(([(http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response())
}

/// `jobs_queue_depth` (due jobs waiting) and `jobs_oldest_age_seconds` (how long
/// the oldest of them has been due) per queue, from one query. A queue seen
/// before but empty now is set to 0 rather than left at its last value.
async fn record_job_backlog(state: &AppState) {
    static SEEN: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
    let now = crate::db::now_ms();
    let rows = match crate::jobs::repo::backlog(state.db.pool(), now).await {
        Ok(rows) => rows,
        Err(e) => return tracing::warn!(error = %e, "cannot read the job backlog for /metrics"),
    };
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    for queue in seen.iter().filter(|q| !rows.iter().any(|(r, ..)| r == *q)) {
        metrics::gauge!("jobs_queue_depth", "queue" => queue.clone()).set(0.0);
        metrics::gauge!("jobs_oldest_age_seconds", "queue" => queue.clone()).set(0.0);
    }
    for (queue, depth, oldest) in rows {
        let age = (now - oldest).max(0) as f64 / 1000.0;
        metrics::gauge!("jobs_queue_depth", "queue" => queue.clone()).set(depth as f64);
        metrics::gauge!("jobs_oldest_age_seconds", "queue" => queue.clone()).set(age);
        seen.insert(queue);
    }
}
