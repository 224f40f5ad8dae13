//! Rendered pages for anonymous visitors, kept in the cache so a hit costs
//! little more than serving a static file: the body as it was rendered, with
//! a validator (`ETag`) so a browser or proxy that has it gets a 304.
//!
//! Only requests that cannot be personal are answered from it: GET or HEAD
//! with no `Cookie` (so no session, no flash message, no CSRF token that a
//! form would embed) and no `Authorization`. The key is the negotiated page
//! language and the full URI; the namespace is the owner's, so the owner's
//! invalidation (`cache.bump`) drops its pages with its data. Only a 200 that
//! sets no cookie is stored.
//!
//! A hit is answered early ([`answer_early`], in the middleware stack), before
//! the layers and extractors that build a page for a caller (auth, CSRF,
//! flash, the page context): an anonymous visitor's cached page costs about
//! what a static file does. The stack learns which namespace a route's pages
//! are kept under from the first page stored for it.

use std::{
    collections::HashMap,
    future::Future,
    sync::{LazyLock, OnceLock, RwLock},
    time::Duration,
};

use axum::{
    body::Bytes,
    extract::{FromRequestParts, MatchedPath, Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use metrics::Counter;
use sha2::{Digest, Sha256};

use super::i18n;
use crate::{AppError, AppResult, AppState};

/// How long a page is kept when its namespace is not bumped.
const TTL: Duration = Duration::from_secs(60);
/// Larger bodies are served but not kept.
const MAX_BYTES: usize = 512 * 1024;
/// The stored entry is the quoted ETag, a newline, the content type, a
/// newline, then the body.
const ETAG_LEN: usize = 2 + 32;

/// A page request, and whether a cached page may answer it.
pub struct PageRequest {
    key: Option<String>,
    if_none_match: Option<String>,
    /// The route's template, for [`answer_early`] to learn its namespace.
    route: Option<MatchedPath>,
}

impl<S: Send + Sync> FromRequestParts<S> for PageRequest {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let mut request = Self::of(&parts.method, &parts.uri, &parts.headers);
        request.route = parts.extensions.get::<MatchedPath>().cloned();
        Ok(request)
    }
}

impl PageRequest {
    fn of(method: &Method, uri: &axum::http::Uri, headers: &HeaderMap) -> Self {
        let personal = headers.contains_key(header::COOKIE) || headers.contains_key(header::AUTHORIZATION);
        let key = (!personal && (method == Method::GET || method == Method::HEAD)).then(|| {
            let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
            format!("page:{}:{uri}", i18n::negotiate(accept))
        });
        let if_none_match = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_string);
        Self { key, if_none_match, route: None }
    }

    /// The cached page under `namespace`, or `render()`'s, kept for the next
    /// anonymous visitor when it is a 200 that sets no cookie.
    pub async fn serve<F, Fut>(self, state: &AppState, namespace: &'static str, render: F) -> AppResult<Response>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<Response>>,
    {
        let Some(key) = &self.key else { return render().await };
        if let Some(route) = &self.route {
            learn(route.as_str(), namespace);
        }
        if let Some((headers, etag, body)) = state.cache.get(namespace, key).await.and_then(split) {
            count(Outcome::Hit);
            return Ok(self.answer(headers, etag, body));
        }
        let response = render().await?;
        if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) {
            return Ok(response);
        }
        let (parts, body) = response.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX).await.map_err(AppError::internal)?;
        let etag = etag_of(&body);
        let content_type = parts.headers.get(header::CONTENT_TYPE).map(HeaderValue::as_bytes).unwrap_or_default();
        if body.len() <= MAX_BYTES && !content_type.contains(&b'\n') {
            count(Outcome::Stored);
            let mut entry = Vec::with_capacity(ETAG_LEN + content_type.len() + 2 + body.len());
            for part in [&etag[..], b"\n", content_type, b"\n", &body[..]] {
                entry.extend_from_slice(part);
            }
            state.cache.set(namespace, key, entry.into(), TTL).await;
        }
        Ok(self.answer(parts.headers, etag, body))
    }

    /// The page, or 304 when the client already has this version.
    fn answer(&self, mut headers: HeaderMap, etag: Bytes, body: Bytes) -> Response {
        let tag = HeaderValue::from_maybe_shared(etag).ok();
        let fresh = match (&self.if_none_match, &tag) {
            (Some(wanted), Some(tag)) => {
                let tag = tag.to_str().unwrap_or_default();
                wanted.split(',').map(str::trim).any(|t| t == "*" || t.trim_start_matches("W/") == tag)
            }
            _ => false,
        };
        if let Some(tag) = tag {
            headers.insert(header::ETAG, tag);
        }
        if fresh {
            headers.remove(header::CONTENT_TYPE);
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        (StatusCode::OK, headers, body).into_response()
    }
}

/// Which namespace each route keeps its pages under (route template →
/// namespace), learned as its handler serves. A property of the code, the
/// same for every application in the process.
static NAMESPACES: LazyLock<RwLock<HashMap<String, &'static str>>> = LazyLock::new(RwLock::default);

fn learn(route: &str, namespace: &'static str) {
    let known = NAMESPACES.read().unwrap_or_else(|e| e.into_inner()).get(route) == Some(&namespace);
    if !known {
        NAMESPACES.write().unwrap_or_else(|e| e.into_inner()).insert(route.to_string(), namespace);
    }
}

fn namespace_of(route: &str) -> Option<&'static str> {
    NAMESPACES.read().unwrap_or_else(|e| e.into_inner()).get(route).copied()
}

/// Middleware: answers an anonymous request from the page cache when its
/// route's page is kept there, before the layers inside it run; anything else
/// (a caller with a cookie or credentials, a miss, a route that keeps no
/// pages) goes on. A hit is what [`PageRequest::serve`] would answer.
pub async fn answer_early(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let namespace = req.extensions().get::<MatchedPath>().and_then(|route| namespace_of(route.as_str()));
    let Some(namespace) = namespace else { return next.run(req).await };
    let page = PageRequest::of(req.method(), req.uri(), req.headers());
    let Some(key) = &page.key else { return next.run(req).await };
    match state.cache.get(namespace, key).await.and_then(split) {
        Some((headers, etag, body)) => {
            count(Outcome::Hit);
            page.answer(headers, etag, body)
        }
        None => next.run(req).await,
    }
}

#[derive(Clone, Copy)]
enum Outcome {
    Hit,
    Stored,
}

/// `page_cache_total` by outcome, with the counters registered once.
fn count(outcome: Outcome) {
    static KEPT: OnceLock<[Counter; 2]> = OnceLock::new();
    let kept = KEPT.get_or_init(|| {
        crate::http::metrics::handle(); // the recorder first: a counter taken before it counts nothing
        [
            metrics::counter!("page_cache_total", "outcome" => "hit"),
            metrics::counter!("page_cache_total", "outcome" => "stored"),
        ]
    });
    kept[outcome as usize].increment(1);
}

/// A stored entry's content type, ETag and body; `None` for one that is not
/// in this shape (then it is a miss).
fn split(entry: Bytes) -> Option<(HeaderMap, Bytes, Bytes)> {
    let etag = entry.get(..ETAG_LEN)?;
    if entry.get(ETAG_LEN) != Some(&b'\n') || etag.first() != Some(&b'"') {
        return None;
    }
    let rest = ETAG_LEN + 1;
    let end = rest + entry[rest..].iter().position(|b| *b == b'\n')?;
    let mut headers = HeaderMap::new();
    if end > rest {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_maybe_shared(entry.slice(rest..end)).ok()?);
    }
    Some((headers, entry.slice(..ETAG_LEN), entry.slice(end + 1..)))
}

/// A strong validator: the first 128 bits of the body's SHA-256, quoted.
fn etag_of(body: &[u8]) -> Bytes {
    let digest = Sha256::digest(body);
    Bytes::from(format!("\"{}\"", hex::encode(&digest[..16])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(headers: &[(header::HeaderName, &str)]) -> PageRequest {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        PageRequest::of(&Method::GET, &"/list?q=rust".parse().unwrap(), &map)
    }

    #[test]
    fn only_requests_without_credentials_or_cookies_may_be_answered_from_the_cache() {
        assert!(request(&[]).key.is_some());
        assert!(request(&[(header::COOKIE, "lyceum_flash=x")]).key.is_none());
        assert!(request(&[(header::AUTHORIZATION, "Bearer x")]).key.is_none());
        let post = PageRequest::of(&Method::POST, &"/list".parse().unwrap(), &HeaderMap::new());
        assert!(post.key.is_none());
    }

    #[test]
    fn the_key_holds_the_negotiated_page_language_and_the_whole_address() {
        let key = request(&[(header::ACCEPT_LANGUAGE, "xx-YY")]).key.unwrap();
        assert_eq!(key, format!("page:{}:/list?q=rust", i18n::negotiate("xx-YY")));
    }

    #[test]
    fn an_entry_keeps_its_content_type() {
        let etag = etag_of(b"{}");
        let entry = [&etag[..], b"\napplication/json\n{}"].concat();
        let (headers, tag, body) = split(entry.into()).unwrap();
        assert_eq!(
            (headers[header::CONTENT_TYPE].as_bytes(), tag, &body[..]),
            (&b"application/json"[..], etag, &b"{}"[..])
        );
        assert!(split(Bytes::from_static(b"not an entry")).is_none());
    }

    #[test]
    fn a_matching_validator_is_answered_304_without_a_body() {
        let etag = etag_of(b"<p>page</p>");
        assert_eq!(etag.len(), ETAG_LEN);
        let tag = std::str::from_utf8(&etag).unwrap().to_string();
        let again = request(&[(header::IF_NONE_MATCH, &tag)]);
        let reply = again.answer(HeaderMap::new(), etag.clone(), Bytes::from_static(b"<p>page</p>"));
        assert_eq!(reply.status(), StatusCode::NOT_MODIFIED);
        let other = request(&[(header::IF_NONE_MATCH, "\"something-else\"")]);
        let reply = other.answer(HeaderMap::new(), etag, Bytes::from_static(b"<p>page</p>"));
        assert_eq!(reply.status(), StatusCode::OK);
        assert_eq!(reply.headers()[header::ETAG], tag.as_str());
    }
}
