//! CSRF protection by double submit: a random `lyceum_csrf` cookie (SameSite
//! Strict) must be echoed in every state-changing request — as the `csrf`
//! form field (in a multipart upload, its first field: the file behind it is
//! not read to find it), the `csrf` query parameter (scripts) or the
//! `X-CSRF-Token` header. API calls are checked only when a session cookie
//! actually authenticates them (they must then send the header); bearer-token
//! and anonymous API calls carry no ambient credential and are exempt, as are
//! the few paths a module declares exempt ([`Exempt`]). Runs inside the auth
//! layer, so the [`Caller`] is known here.

use std::sync::{Arc, OnceLock};

use axum::{
    body::Body,
    extract::{Request, State},
    http::{Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

use crate::{
    AppError, AppState,
    auth::{Caller, Credential},
    secrets,
};

mod multipart;

pub const COOKIE: &str = "lyceum_csrf";
pub const HEADER: &str = "x-csrf-token";
pub const FIELD: &str = "csrf";

/// Paths exempt from the check, declared by the modules that own them
/// (`Module::csrf_exempt`). Only a path POSTed by programs that cannot hold
/// the cookie (a mail client's one-click unsubscribe, a payment provider's
/// webhook) belongs here, and it must carry its own credential (a token in
/// the URL, a signature), one a forged cross-site request cannot have.
#[derive(Clone, Debug, Default)]
pub struct Exempt(Arc<[&'static str]>);

impl Exempt {
    pub fn new(paths: Vec<&'static str>) -> Self {
        Self(paths.into())
    }

    fn contains(&self, path: &str) -> bool {
        self.0.contains(&path)
    }
}

/// The token pages put into their forms. Made on first use, so responses that
/// never show a form (assets, health checks, most API calls) set no cookie and
/// stay cacheable.
#[derive(Clone, Debug, Default)]
pub struct CsrfToken(Arc<OnceLock<String>>);

impl CsrfToken {
    fn existing(value: String) -> Self {
        Self(Arc::new(OnceLock::from(value)))
    }

    /// The token, made now if this request had none.
    pub fn value(&self) -> &str {
        self.0.get_or_init(secrets::random_token)
    }

    fn used(&self) -> Option<&String> {
        self.0.get()
    }
}

pub async fn protect(State((state, exempt)): State<(AppState, Exempt)>, mut req: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(req.headers());
    let existing = jar.get(COOKIE).map(|c| c.value().to_string()).filter(|v| v.len() >= 32);
    let token = existing.clone().map(CsrfToken::existing).unwrap_or_default();
    req.extensions_mut().insert(token.clone());

    if is_unsafe(req.method()) && !exempt.contains(req.uri().path()) && needs_check(&req) {
        let (checked, rebuilt) = match presented_token(req, state.settings.max_body_bytes).await {
            Ok(pair) => pair,
            Err(resp) => return resp,
        };
        let ok = matches!((&existing, &checked), (Some(cookie), Some(sent)) if secrets::constant_time_eq(cookie, sent));
        if !ok {
            return AppError::csrf().into_response();
        }
        req = rebuilt;
    }

    let mut response = next.run(req).await;
    if let (None, Some(token)) = (&existing, token.used()) {
        let cookie = Cookie::build((COOKIE, token.clone()))
            .path("/")
            .same_site(SameSite::Strict)
            .secure(state.settings.is_https())
            .build();
        if let Ok(value) = cookie.to_string().parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn needs_check(req: &Request) -> bool {
    if !req.uri().path().starts_with("/api/") {
        return true;
    }
    matches!(
        req.extensions().get::<Caller>(),
        Some(Caller::User(viewer)) if matches!(viewer.credential, Credential::Session { .. })
    )
}

/// Finds the token the client sent; reads (and puts back) a urlencoded body.
async fn presented_token(req: Request, limit: usize) -> Result<(Option<String>, Request), Response> {
    if let Some(v) = req.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        return Ok((Some(v.to_string()), req));
    }
    if let Some(v) = req.uri().query().and_then(|q| find_field(q.as_bytes())) {
        return Ok((Some(v), req));
    }
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if let Some(boundary) = multipart::boundary(content_type) {
        return Ok(multipart::first_field_token(req, &boundary).await);
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Ok((None, req));
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| AppError::payload_too_large("The form is larger than the server accepts.").into_response())?;
    let token = find_field(&bytes);
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}

fn find_field(urlencoded: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(urlencoded).find(|(k, _)| k == FIELD).map(|(_, v)| v.into_owned())
}
