//! Keeps personal responses out of shared caches. A response made for a
//! signed-in caller (session cookie or bearer token), or one that sets a cookie
//! (a session on sign-in, its removal on sign-out, a CSRF token), is marked
//! `private, no-store` unless its handler already chose a private policy (lesson
//! media, covers: `private` with validators or a short max-age). Responses that
//! differ by caller say so with `Vary: Cookie, Authorization, Accept-Language`,
//! so a shared cache keeps the anonymous public pages apart from signed-in ones,
//! and a French visitor's page apart from an English one. A handler whose
//! answer is the same whoever asks (content-hashed assets, public avatars)
//! says so with the [`SameForEveryone`] response extension and keeps its policy.

use axum::{
    extract::Request,
    http::{HeaderMap, HeaderValue, header},
    middleware::Next,
    response::Response,
};
use axum_extra::extract::CookieJar;

use crate::auth::SESSION_COOKIE;

const PRIVATE_NO_STORE: HeaderValue = HeaderValue::from_static("private, no-store");
const VARY_BY_CALLER: HeaderValue = HeaderValue::from_static("Cookie, Authorization, Accept-Language");

/// Response extension: this answer does not depend on the caller, so its own
/// `Cache-Control` stands even for a signed-in caller and no `Vary` is added.
#[derive(Clone, Copy, Debug)]
pub struct SameForEveryone;

pub async fn private_for_callers(req: Request, next: Next) -> Response {
    let personal = carries_credentials(req.headers());
    let mut response = next.run(req).await;
    let sets_cookie = response.headers().contains_key(header::SET_COOKIE);
    if response.extensions().get::<SameForEveryone>().is_some() && !sets_cookie {
        return response;
    }
    let headers = response.headers_mut();
    vary_by_caller(headers);
    if (personal || sets_cookie) && !already_private(headers) {
        headers.insert(header::CACHE_CONTROL, PRIVATE_NO_STORE);
    }
    response
}

/// Says the answer differs by caller and language: what [`private_for_callers`]
/// adds to an anonymous answer, and what an answer given before the stack
/// ([`crate::web::page_cache::EarlyPages`]) adds to its own.
pub(crate) fn vary_by_caller(headers: &mut HeaderMap) {
    headers.append(header::VARY, VARY_BY_CALLER);
}

/// A session cookie or an `Authorization` header: the answer may be this caller's own.
fn carries_credentials(headers: &HeaderMap) -> bool {
    headers.contains_key(header::AUTHORIZATION) || CookieJar::from_headers(headers).get(SESSION_COOKIE).is_some()
}

fn already_private(headers: &HeaderMap) -> bool {
    let policy = headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()).unwrap_or("");
    policy.split(',').map(str::trim).any(|d| d.eq_ignore_ascii_case("private") || d.eq_ignore_ascii_case("no-store"))
}
