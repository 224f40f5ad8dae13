//! Prometheus metrics: request counts and latency by route template, method
//! and status; database pool use; background jobs (counters and durations by
//! kind from the workers, backlog per queue read at scrape time). Exposed at
//! `/metrics` to those [`admits`] lets in: on the main port to loopback clients
//! unless a token is configured, or on a listener of its own (`metrics.bind`).

use std::{
    collections::{BTreeSet, HashMap},
    net::{IpAddr, SocketAddr},
    sync::{Mutex, OnceLock, RwLock},
    time::Instant,
};

use axum::{
    Router,
    extract::{ConnectInfo, MatchedPath, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
};
use http::{Method, StatusCode};
use metrics::{Counter, Histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::{AppError, AppState, config::MetricsSettings, secrets};

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
    let route = req.extensions().get::<MatchedPath>().cloned();
    let method = req.method().clone();
    let response = next.run(req).await;
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    record(route, &method, response.status(), start);
    response
}

/// Counts one answered request of `route` and records how long it took
/// since `start`: what [`track`] does for every request, and what an answer
/// given before the stack ([`crate::web::page_cache::EarlyPages`]) does for its own.
pub(crate) fn record(route: &str, method: &Method, status: StatusCode, start: Instant) {
    with_request_handles(route, method_label(method), status.as_u16(), |requests, duration| {
        requests.increment(1);
        duration.record(start.elapsed().as_secs_f64());
    });
}

/// The method as a label: the standard ones by name, any other as `OTHER`,
/// so a client inventing methods cannot grow the label set without bound.
fn method_label(method: &Method) -> &'static str {
    const KNOWN: [Method; 9] = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::OPTIONS,
        Method::CONNECT,
        Method::TRACE,
    ];
    KNOWN.iter().find(|known| *known == method).map_or("OTHER", Method::as_str)
}

/// The request counter and latency histogram of one route, method and status.
type RequestHandles = (Counter, Histogram);
/// Route template → (method, status) → handles.
type HandlesByRoute = HashMap<String, HashMap<(&'static str, u16), RequestHandles>>;

/// Handles registered once and kept: looking a labelled metric up in the
/// registry costs a key built from owned strings and a hash per request; a
/// kept handle costs an atomic add. Bounded by routes × methods × statuses.
static REQUEST_HANDLES: OnceLock<RwLock<HandlesByRoute>> = OnceLock::new();

fn with_request_handles(route: &str, method: &'static str, status: u16, record: impl FnOnce(&Counter, &Histogram)) {
    let kept = REQUEST_HANDLES.get_or_init(|| {
        handle(); // the recorder first: a handle taken before it would count nothing, for good
        RwLock::default()
    });
    {
        let by_route = kept.read().unwrap_or_else(|e| e.into_inner());
        if let Some((requests, duration)) = by_route.get(route).and_then(|m| m.get(&(method, status))) {
            return record(requests, duration);
        }
    }
    let labels = [("route", route.to_string()), ("method", method.to_string()), ("status", status.to_string())];
    let requests = metrics::counter!("http_requests_total", &labels);
    let duration = metrics::histogram!("http_request_duration_seconds", &labels[..2]);
    record(&requests, &duration);
    let mut by_route = kept.write().unwrap_or_else(|e| e.into_inner());
    by_route.entry(route.to_string()).or_default().insert((method, status), (requests, duration));
}

/// Where a scrape arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    /// The public port, shared with the application.
    MainPort,
    /// The listener of its own at `metrics.bind`.
    OwnListener,
}

/// Whether a scrape through `door` from `peer` (the TCP peer, never a
/// forwarded-for header) with `authorization` is answered:
/// - with `metrics.bind` set, the main port does not serve metrics (404);
/// - with `metrics.token` set, the bearer token must match (401), compared in
///   constant time;
/// - otherwise the main port answers loopback clients only (403), and the own
///   listener anyone who can reach its address.
pub fn admits(
    settings: &MetricsSettings,
    door: Door,
    peer: Option<IpAddr>,
    authorization: Option<&str>,
) -> Result<(), AppError> {
    if door == Door::MainPort && settings.own_listener().is_some() {
        return Err(AppError::not_found());
    }
    if !settings.token.is_empty() {
        let presented = authorization.and_then(crate::auth::bearer_token).unwrap_or("");
        return if secrets::constant_time_eq(presented, settings.token.expose()) {
            Ok(())
        } else {
            Err(AppError::unauthorized("Send the metrics token: `Authorization: Bearer <metrics.token>`."))
        };
    }
    match door {
        Door::OwnListener => Ok(()),
        Door::MainPort if peer.is_some_and(|ip| ip.is_loopback()) => Ok(()),
        Door::MainPort => Err(AppError::forbidden(
            "Metrics are served to this machine only. Set metrics.token or metrics.bind to scrape from elsewhere.",
        )),
    }
}

/// `/metrics` on the main port.
pub async fn scrape_main_port(State(state): State<AppState>, req: Request) -> Response {
    guarded(state, Door::MainPort, req).await
}

/// The router of the listener of its own (`metrics.bind`): `/metrics` only.
pub fn own_listener_router(state: AppState) -> Router {
    Router::new().route("/metrics", get(scrape_own_listener)).with_state(state)
}

async fn scrape_own_listener(State(state): State<AppState>, req: Request) -> Response {
    guarded(state, Door::OwnListener, req).await
}

async fn guarded(state: AppState, door: Door, req: Request) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip());
    let authorization = req.headers().get(http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    match admits(&state.settings.metrics, door, peer, authorization) {
        Ok(()) => scrape(state).await,
        Err(refused) => plain_refusal(&refused),
    }
}

/// A refusal in plain text, as a scraper reads it — not the page renderer's
/// sign-in redirect that a 401 outside `/api/` would otherwise become.
fn plain_refusal(refused: &AppError) -> Response {
    let mut response =
        (refused.status, [(http::header::CONTENT_TYPE, "text/plain; charset=utf-8")], refused.detail.clone())
            .into_response();
    if refused.status == http::StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(http::header::WWW_AUTHENTICATE, http::HeaderValue::from_static("Bearer"));
    }
    response
}

async fn scrape(state: AppState) -> Response {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    fn settings(bind: &str, token: &str) -> MetricsSettings {
        MetricsSettings { bind: bind.into(), token: Secret::new(token) }
    }

    const LOOPBACK: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    const REMOTE: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 7)));

    fn status(result: Result<(), AppError>) -> u16 {
        result.map(|()| 200).unwrap_or_else(|e| e.status.as_u16())
    }

    #[test]
    fn by_default_only_loopback_clients_on_the_main_port() {
        let s = settings("", "");
        assert_eq!(status(admits(&s, Door::MainPort, LOOPBACK, None)), 200);
        assert_eq!(status(admits(&s, Door::MainPort, REMOTE, None)), 403);
        assert_eq!(status(admits(&s, Door::MainPort, None, None)), 403);
    }

    #[test]
    fn a_token_admits_its_holders_from_anywhere_and_no_one_else() {
        let s = settings("", "s3cret");
        assert_eq!(status(admits(&s, Door::MainPort, REMOTE, Some("Bearer s3cret"))), 200);
        assert_eq!(status(admits(&s, Door::MainPort, REMOTE, Some("bearer s3cret"))), 200);
        assert_eq!(status(admits(&s, Door::MainPort, LOOPBACK, None)), 401);
        assert_eq!(status(admits(&s, Door::MainPort, LOOPBACK, Some("Bearer s3cre"))), 401);
        assert_eq!(status(admits(&s, Door::OwnListener, REMOTE, Some("Basic s3cret"))), 401);
    }

    #[test]
    fn an_own_listener_takes_metrics_off_the_main_port() {
        let s = settings("127.0.0.1:9100", "");
        assert_eq!(status(admits(&s, Door::MainPort, LOOPBACK, None)), 404);
        assert_eq!(status(admits(&s, Door::OwnListener, REMOTE, None)), 200);
    }
}
