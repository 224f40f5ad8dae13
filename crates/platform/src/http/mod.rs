//! HTTP plumbing: the middleware stack, error rendering, extractors, health
//! and metrics endpoints.

pub mod address;
pub mod caching;
pub mod client;
pub mod errors;
pub mod extract;
pub mod health;
pub mod limits;
pub mod media;
pub mod metrics;
pub mod outbound;
pub mod security;
pub mod shed;

use std::time::Duration;

use axum::{
    Router,
    extract::{DefaultBodyLimit, MatchedPath},
    middleware,
};
use http::{HeaderName, StatusCode};
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::{CompressionLayer, Predicate, predicate::DefaultPredicate},
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

use crate::{AppState, module::Modules, web};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps the application router in the standard stack, outermost first:
/// anonymous pages from the page cache ([`web::page_cache::EarlyPages`], before
/// routing: a kept page is answered without the stack, with what the stack
/// would have added) → request id → trace span → metrics → security headers →
/// caching policy ([`caching`]) → compression → error rendering → panic catcher → load
/// shedding ([`shed`]) → limits (body size and time, per route: [`limits`]) →
/// an address holding a NUL refused ([`address`]) →
/// `auth` (turns credentials into a [`crate::auth::Caller`]) → CSRF → flash →
/// navigation badges ([`web::badge`]). What modules contribute to it (upload
/// routes' limits, CSRF exemptions, badges) comes from `modules`.
/// Router-level layers run after routing, so every one of them sees the
/// route template (`MatchedPath`), and unknown routes go through them too.
pub fn stack<L>(router: Router<AppState>, state: AppState, auth: L, modules: &Modules) -> Router
where
    L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
    L::Service:
        tower::Service<axum::extract::Request, Error = std::convert::Infallible> + Clone + Send + Sync + 'static,
    <L::Service as tower::Service<axum::extract::Request>>::Response: axum::response::IntoResponse + 'static,
    <L::Service as tower::Service<axum::extract::Request>>::Future: Send + 'static,
{
    let timeout = Duration::from_secs(state.settings.request_timeout_secs);
    let limits = limits::Limits::new(state.settings.max_body_bytes, timeout, &modules.wide_routes(&state.settings));
    let in_flight = shed::InFlight::new(state.settings.max_in_flight);
    let badges = web::badge::Counters::new(state.clone(), modules.badges());
    let app = router
        // Innermost, so it runs after auth: counts only for signed-in pages.
        .layer(middleware::from_fn_with_state(badges, web::badge::count))
        // Our own limit below bounds every body; axum's fixed 2 MB default would
        // refuse the uploads a route is declared wide for.
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn(web::flash::clear_after_render))
        .layer(middleware::from_fn_with_state((state.clone(), modules.csrf_exempt()), web::csrf::protect))
        .layer(auth)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(TraceLayer::new_for_http().make_span_with(span_for).on_response(log_response))
                .layer(middleware::from_fn_with_state(state.clone(), metrics::track))
                .layer(middleware::from_fn_with_state(state.clone(), security::headers))
                .layer(middleware::from_fn(caching::private_for_callers))
                .layer(CompressionLayer::new().compress_when(DefaultPredicate::new().and(not_ranged)))
                .layer(middleware::from_fn(errors::render))
                .layer(CatchPanicLayer::custom(errors::panic_response))
                .layer(middleware::from_fn_with_state(in_flight, shed::admit))
                .layer(middleware::from_fn_with_state(limits, limits::enforce))
                .layer(middleware::from_fn(address::refuse_nul)),
        )
        .with_state(state.clone());
    Router::new().fallback_service(web::page_cache::EarlyPages::new(state, app))
}

/// A response that offers byte ranges (stored media) is sent as stored: the
/// ranges address those bytes, and video or images gain nothing from gzip.
fn not_ranged(_: StatusCode, _: http::Version, headers: &http::HeaderMap, _: &http::Extensions) -> bool {
    !headers.contains_key(http::header::ACCEPT_RANGES)
}

/// One span per request, named by route template (low cardinality).
fn span_for(req: &http::Request<axum::body::Body>) -> tracing::Span {
    let route = req.extensions().get::<MatchedPath>().map(MatchedPath::as_str).unwrap_or("unmatched");
    span_of_route(req, route)
}

/// The span of a request to `route` (a template): also for answers given
/// before the stack ([`web::page_cache::EarlyPages`]).
pub(crate) fn span_of_route(req: &http::Request<axum::body::Body>, route: &str) -> tracing::Span {
    let request_id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
    tracing::info_span!("request", method = %req.method(), route, request_id)
}

/// The request's id, as the stack's request id layers give it: the caller's
/// own `x-request-id` when it sent one, otherwise a new one, set on the
/// request. For answers given before the stack.
pub(crate) fn request_id(req: &mut http::Request<axum::body::Body>) -> Option<http::HeaderValue> {
    use tower_http::request_id::MakeRequestId;
    if let Some(id) = req.headers().get(REQUEST_ID) {
        return Some(id.clone());
    }
    let id = MakeRequestUuid.make_request_id(req)?.into_header_value();
    req.headers_mut().insert(REQUEST_ID, id.clone());
    Some(id)
}

/// Health checks and metrics scrapes log at debug; everything else at info.
pub(crate) fn log_response(res: &http::Response<axum::body::Body>, latency: Duration, span: &tracing::Span) {
    let status = res.status().as_u16();
    let latency_ms = latency.as_secs_f64() * 1000.0;
    if res.extensions().get::<health::Quiet>().is_some() {
        tracing::debug!(parent: span, status, latency_ms, "response");
    } else {
        tracing::info!(parent: span, status, latency_ms, "response");
    }
}
