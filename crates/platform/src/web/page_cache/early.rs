//! Kept pages answered before routing.

use std::{
    convert::Infallible,
    task::{Context, Poll},
    time::Instant,
};

use axum::{Router, extract::Request, response::Response};
use futures::future::BoxFuture;
use tower::Service;

use super::{Kept, Outcome, PageRequest, count, route_of};
use crate::{AppState, http};

/// The application, wrapped so that an anonymous request for a page the
/// cache keeps is answered before routing and before the middleware stack.
/// The router clones a route's whole stack of layers for every request, and
/// each `from_fn` layer clones the layers inside it again: for a kept page
/// that was most of what it cost. Anything else goes to the application
/// untouched.
///
/// The answer carries what the stack would have added to it — the request
/// id, the security headers, `Vary`, the request's metrics and log line; the
/// same functions add them (a test compares a kept page's headers with the
/// rendered one's). Like every kept page it is answered before load shedding.
#[derive(Clone)]
pub struct EarlyPages {
    state: AppState,
    app: Router,
}

impl EarlyPages {
    pub fn new(state: AppState, app: Router) -> Self {
        Self { state, app }
    }
}

impl Service<Request> for EarlyPages {
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let started = Instant::now();
        let early = route_of(req.uri().path()).and_then(|route| {
            let page = PageRequest::of(req.method(), req.uri(), req.headers());
            page.key.is_some().then_some((route, page))
        });
        // A router is always ready; its clone is a reference count.
        let mut app = self.app.clone();
        let Some((route, page)) = early else { return Box::pin(app.call(req)) };
        let state = self.state.clone();
        Box::pin(async move {
            let key = page.key.as_deref().unwrap_or_default();
            let Some(kept) = state.cache.get(route.namespace, key).await.and_then(Kept::parse) else {
                return app.call(req).await;
            };
            count(Outcome::Hit);
            Ok(as_the_stack_would(req, route.template, page.answer(kept), started, &state))
        })
    }
}

/// `response` with what the middleware stack adds to every answer
/// (`crate::http::stack`), and counted and logged as it would.
fn as_the_stack_would(
    mut req: Request,
    template: &str,
    mut response: Response,
    started: Instant,
    state: &AppState,
) -> Response {
    let id = http::request_id(&mut req);
    let headers = response.headers_mut();
    if let Some(id) = id {
        headers.insert(http::REQUEST_ID, id);
    }
    http::security::apply(headers, http::security::is_docs(req.uri().path()), state.settings.is_https());
    http::caching::vary_by_caller(headers);
    http::metrics::record(template, req.method(), response.status(), started);
    http::log_response(&response, started.elapsed(), &http::span_of_route(&req, template));
    response
}
