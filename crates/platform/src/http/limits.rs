//! Request size and time limits, per route. Most routes take small bodies and
//! answer fast, so the defaults (`max_body_bytes`, `request_timeout_secs`) are
//! tight; the few upload routes declare wider ones ([`Wide`]). One middleware
//! enforces both, after routing, so it knows the route template.

use std::{sync::Arc, time::Duration};

use axum::{
    body::Body,
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http::{StatusCode, header::CONTENT_LENGTH};

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
/// while it is read (extractors then answer 413), and answers 503 when the
/// handler runs out of time.
pub async fn enforce(State(limits): State<Limits>, req: Request, next: Next) -> Response {
    let (max_body, timeout) = limits.of(&req);
    let declared = req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|len| len > max_body as u64) {
        return too_large(max_body).into_response();
    }
    let req = req.map(|body| Body::new(http_body_util::Limited::new(body, max_body)));
    match tokio::time::timeout(timeout, next.run(req)).await {
        Ok(response) => response,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

fn too_large(max_body: usize) -> AppError {
    let limit = if max_body >= 1024 * 1024 {
        format!("{} MB", max_body / (1024 * 1024))
    } else {
        format!("{} KB", max_body.div_ceil(1024))
    };
    AppError::payload_too_large(format!("The request is larger than this address accepts ({limit})."))
}
