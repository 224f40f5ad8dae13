//! Request size and time limits, per route. Most routes take small bodies and
//! answer fast, so the defaults (`max_body_bytes`, `request_timeout_secs`) are
//! tight; the few upload routes declare wider ones ([`Wide`]). One middleware
//! enforces both, after routing, so it knows the route template.

use std::{
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    task::{Context, Poll},
    time::Duration,
};

use axum::{
    body::{Body, HttpBody as _},
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use futures::Stream;
use http::{
    HeaderValue, StatusCode,
    header::{CONNECTION, CONTENT_LENGTH},
};

use crate::AppError;

/// A route (its template, e.g. `/api/v1/lessons/{id}/media`) allowed a larger
/// body and more time than the defaults: uploads of big files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wide {
    pub route: &'static str,
    pub max_body: usize,
    pub timeout: Duration,
}

/// The defaults and the wide routes, as the middleware's state.
#[derive(Clone, Debug)]
pub struct Limits {
    max_body: usize,
    timeout: Duration,
    wide: Arc<[Wide]>,
}

impl Limits {
    pub fn new(max_body: usize, timeout: Duration, wide: &[Wide]) -> Self {
        Self { max_body, timeout, wide: wide.into() }
    }

    fn of(&self, req: &Request) -> (usize, Duration) {
        let route = req.extensions().get::<MatchedPath>().map(MatchedPath::as_str);
        match self.wide.iter().find(|w| Some(w.route) == route) {
            Some(w) => (w.max_body, w.timeout),
            None => (self.max_body, self.timeout),
        }
    }
}

/// Refuses a declared length over the limit at once (413), caps the body
/// while it is read (extractors then answer 413), and when the time is up
/// answers 408 if the handler was still waiting for the client's body (a slow
/// or stalled sender: the client's fault, and the connection is closed), or
/// 503 if the handler itself was slow.
pub async fn enforce(State(limits): State<Limits>, req: Request, next: Next) -> Response {
    let (max_body, timeout) = limits.of(&req);
    let declared = req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|len| len > max_body as u64) {
        return too_large(max_body).into_response();
    }
    let waiting = Arc::new(AtomicBool::new(false));
    // A request without a body (most GETs) has nothing to cap or watch.
    let req = if req.body().is_end_stream() {
        req
    } else {
        req.map(|body| {
            let watched = Body::from_stream(Watched { inner: body.into_data_stream(), waiting: waiting.clone() });
            Body::new(http_body_util::Limited::new(watched, max_body))
        })
    };
    match tokio::time::timeout(timeout, next.run(req)).await {
        Ok(response) => response,
        Err(_) if waiting.load(Ordering::Acquire) => body_too_slow(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// A request body that records whether its reader is waiting for the client:
/// true while the last poll found no bytes yet, false once bytes or the end came.
struct Watched<S> {
    inner: S,
    waiting: Arc<AtomicBool>,
}

impl<S: Stream + Unpin> Stream for Watched<S> {
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        let poll = Pin::new(&mut self.inner).poll_next(cx);
        self.waiting.store(poll.is_pending(), Ordering::Release);
        poll
    }
}

/// 408, and `Connection: close`: the rest of that body will never be read.
fn body_too_slow() -> Response {
    let mut response =
        AppError::request_timeout("The request body did not arrive in time. Send it again.").into_response();
    response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

fn too_large(max_body: usize) -> AppError {
    let limit = if max_body >= 1024 * 1024 {
        format!("{} MB", max_body / (1024 * 1024))
    } else {
        format!("{} KB", max_body.div_ceil(1024))
    };
    AppError::payload_too_large(format!("The request is larger than this address accepts ({limit})."))
}
