//! Rendered pages for anonymous visitors, kept in the cache so a hit costs
//! little more than serving a static file: the body as it was rendered,
//! compressed once in each coding browsers ask for ([`coding`]), with a
//! validator (`ETag`) so a browser or proxy that has it gets a 304.
//!
//! Only requests that cannot be personal are answered from it: GET or HEAD
//! with no `Cookie` (so no session, no flash message, no CSRF token that a
//! form would embed) and no `Authorization`. The key is the negotiated page
//! language and the full URI; the namespace is the owner's, so the owner's
//! invalidation (`cache.bump`) drops its pages with its data. Only a 200 that
//! sets no cookie is stored.
//!
//! A hit is answered before routing ([`EarlyPages`], around the middleware
//! stack): an anonymous visitor's cached page costs about what a static file
//! does. It learns which namespace a route's pages are kept under from the
//! first page stored for it.

mod coding;
mod early;

pub use early::EarlyPages;

use std::{
    collections::HashMap,
    future::Future,
    sync::{LazyLock, OnceLock, RwLock},
    time::Duration,
};

use axum::{
    body::Bytes,
    extract::{FromRequestParts, MatchedPath},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use coding::Coding;
use metrics::Counter;
use sha2::{Digest, Sha256};

use super::i18n;
use crate::{AppError, AppResult, AppState};

/// How long a page is kept when its namespace is not bumped.
const TTL: Duration = Duration::from_secs(60);
/// Larger bodies are served but not kept.
const MAX_BYTES: usize = 512 * 1024;
/// The quoted ETag's length (see [`Kept`]).
const ETAG_LEN: usize = 2 + 32;

/// A page request, and whether a cached page may answer it.
pub struct PageRequest {
    key: Option<String>,
    if_none_match: Option<String>,
    /// How the page is sent (always one the caller accepts when there is a key).
    coding: Coding,
    /// The route's template, for [`EarlyPages`] to learn its namespace.
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
        // A caller who accepts none of the codings kept is left to the stack.
        let coding = Coding::negotiate(headers.get(header::ACCEPT_ENCODING));
        let key = (!personal && coding.is_some() && (method == Method::GET || method == Method::HEAD)).then(|| {
            let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
            format!("page:{}:{uri}", i18n::negotiate(accept))
        });
        let if_none_match = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_string);
        Self { key, if_none_match, coding: coding.unwrap_or(Coding::Identity), route: None }
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
        // Pinned: a page rendered from data a change replaced while it rendered is not kept.
        let pinned = state.cache.pin(namespace).await;
        if let Some(kept) = pinned.get(key).await.and_then(Kept::parse) {
            count(Outcome::Hit);
            return Ok(self.answer(kept));
        }
        let response = render().await?;
        if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) {
            return Ok(response);
        }
        let (parts, body) = response.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX).await.map_err(AppError::internal)?;
        let content_type = parts.headers.get(header::CONTENT_TYPE).cloned();
        let kept = Kept::of(content_type, body);
        if kept.plain.len() <= MAX_BYTES {
            count(Outcome::Stored);
            pinned.set(key, kept.entry(), TTL).await;
        }
        Ok(self.answer(kept))
    }

    /// The page in the caller's coding, or 304 when the client already has
    /// this version. The ETag names the page, whatever its coding, as it does
    /// when the stack's compression layer codes a page.
    fn answer(&self, kept: Kept) -> Response {
        let mut headers = HeaderMap::new();
        if let Some(content_type) = kept.content_type {
            headers.insert(header::CONTENT_TYPE, content_type);
        }
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
        let tag = HeaderValue::from_maybe_shared(kept.etag).ok();
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
        let body = match self.coding {
            Coding::Gzip if !kept.gzip.is_empty() => kept.gzip,
            Coding::Brotli if !kept.brotli.is_empty() => kept.brotli,
            _ => return (StatusCode::OK, headers, kept.plain).into_response(),
        };
        if let Some(coding) = self.coding.header() {
            headers.insert(header::CONTENT_ENCODING, coding);
        }
        (StatusCode::OK, headers, body).into_response()
    }
}

/// A kept page. Stored as one value: the quoted ETag, a newline, the content
/// type, a newline, the lengths of the gzip and brotli bodies (decimal,
/// space-separated), a newline, then the page, its gzip and its brotli bytes.
struct Kept {
    content_type: Option<HeaderValue>,
    etag: Bytes,
    plain: Bytes,
    gzip: Bytes,
    brotli: Bytes,
}

impl Kept {
    /// A page just rendered: its validator and codings computed.
    fn of(content_type: Option<HeaderValue>, plain: Bytes) -> Self {
        let (gzip, brotli) = coding::compress(&plain);
        Self { content_type, etag: etag_of(&plain), plain, gzip: gzip.into(), brotli: brotli.into() }
    }

    fn entry(&self) -> Bytes {
        let content_type = self.content_type.as_ref().map(HeaderValue::as_bytes).unwrap_or_default();
        let lengths = format!("{} {}", self.gzip.len(), self.brotli.len());
        [&self.etag[..], b"\n", content_type, b"\n", lengths.as_bytes(), b"\n", &self.plain, &self.gzip, &self.brotli]
            .concat()
            .into()
    }

    /// A stored entry; `None` for one that is not in this shape (then it is a miss).
    fn parse(entry: Bytes) -> Option<Self> {
        let etag = entry.get(..ETAG_LEN)?;
        if entry.get(ETAG_LEN) != Some(&b'\n') || etag.first() != Some(&b'"') {
            return None;
        }
        let type_start = ETAG_LEN + 1;
        let type_end = type_start + entry[type_start..].iter().position(|b| *b == b'\n')?;
        let lengths_end = type_end + 1 + entry[type_end + 1..].iter().position(|b| *b == b'\n')?;
        let lengths = std::str::from_utf8(&entry[type_end + 1..lengths_end]).ok()?;
        let (gzip, brotli) = lengths.split_once(' ')?;
        let (gzip, brotli): (usize, usize) = (gzip.parse().ok()?, brotli.parse().ok()?);
        let body_end = entry.len().checked_sub(gzip + brotli)?;
        let body_start = lengths_end + 1;
        let content_type = match type_end > type_start {
            true => Some(HeaderValue::from_maybe_shared(entry.slice(type_start..type_end)).ok()?),
            false => None,
        };
        Some(Self {
            content_type,
            etag: entry.slice(..ETAG_LEN),
            plain: entry.get(body_start..body_end).map(|_| entry.slice(body_start..body_end))?,
            gzip: entry.slice(body_end..body_end + gzip),
            brotli: entry.slice(body_end + gzip..),
        })
    }
}

/// Which namespace each route keeps its pages under (route template →
/// namespace), learned as its handler serves, in the router axum uses so a
/// request is matched to it before routing. A property of the code, the same
/// for every application in the process: bounded by the routes.
static NAMESPACES: LazyLock<RwLock<Learned>> = LazyLock::new(RwLock::default);

#[derive(Default)]
struct Learned {
    namespaces: HashMap<String, &'static str>,
    router: matchit::Router<Route>,
}

/// A learned route: its template (for metrics and logs) and namespace.
#[derive(Clone, Copy)]
struct Route {
    template: &'static str,
    namespace: &'static str,
}

fn learn(template: &str, namespace: &'static str) {
    let known = NAMESPACES.read().unwrap_or_else(|e| e.into_inner()).namespaces.get(template) == Some(&namespace);
    if known {
        return;
    }
    let mut learned = NAMESPACES.write().unwrap_or_else(|e| e.into_inner());
    if learned.namespaces.insert(template.to_string(), namespace).is_some() {
        learned.router.remove(template);
    }
    // Leaked once per route template of the code, never per request.
    let route = Route { template: template.to_string().leak(), namespace };
    // The templates are axum's, so they do not conflict with each other.
    let _ = learned.router.insert(template, route);
}

/// The learned route `path` matches, if any.
fn route_of(path: &str) -> Option<Route> {
    NAMESPACES.read().unwrap_or_else(|e| e.into_inner()).router.at(path).ok().map(|m| *m.value)
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
    fn a_caller_who_accepts_no_coding_we_keep_is_left_to_the_stack() {
        assert!(request(&[(header::ACCEPT_ENCODING, "identity;q=0")]).key.is_none());
        assert_eq!(request(&[(header::ACCEPT_ENCODING, "gzip, br")]).coding, Coding::Brotli);
    }

    #[test]
    fn an_entry_keeps_its_content_type_and_codings() {
        let page = Bytes::from("<p>page</p>".repeat(20));
        let kept = Kept::of(Some(HeaderValue::from_static("text/html")), page.clone());
        let again = Kept::parse(kept.entry()).unwrap();
        assert_eq!(again.content_type.unwrap(), "text/html");
        assert_eq!((again.etag, again.plain), (etag_of(&page), page));
        assert_eq!((again.gzip, again.brotli), (kept.gzip, kept.brotli));
        let small = Kept::parse(Kept::of(None, Bytes::from_static(b"{}")).entry()).unwrap();
        assert!(small.content_type.is_none() && small.gzip.is_empty() && small.brotli.is_empty());
        assert_eq!(small.plain, Bytes::from_static(b"{}"));
        assert!(Kept::parse(Bytes::from_static(b"not an entry")).is_none());
    }

    #[test]
    fn a_page_is_sent_in_the_coding_asked_for() {
        let page = Bytes::from("<p>page</p>".repeat(20));
        let kept = || Kept::of(Some(HeaderValue::from_static("text/html")), page.clone());
        let gzip = request(&[(header::ACCEPT_ENCODING, "gzip")]).answer(kept());
        assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(gzip.headers()[header::VARY], "accept-encoding");
        let plain = request(&[]).answer(kept());
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    }

    #[test]
    fn a_matching_validator_is_answered_304_without_a_body() {
        let page = Bytes::from_static(b"<p>page</p>");
        let etag = etag_of(&page);
        assert_eq!(etag.len(), ETAG_LEN);
        let tag = std::str::from_utf8(&etag).unwrap().to_string();
        let again = request(&[(header::IF_NONE_MATCH, &tag)]);
        let reply = again.answer(Kept::of(None, page.clone()));
        assert_eq!(reply.status(), StatusCode::NOT_MODIFIED);
        let other = request(&[(header::IF_NONE_MATCH, "\"something-else\"")]);
        let reply = other.answer(Kept::of(None, page));
        assert_eq!(reply.status(), StatusCode::OK);
        assert_eq!(reply.headers()[header::ETAG], tag.as_str());
    }
}
