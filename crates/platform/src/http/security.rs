//! Standard security headers on every response.

use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, header},
    middleware::Next,
    response::Response,
};

use crate::AppState;

/// `frame-src` allows exactly the lesson video players (`lyceum_courses::model::EMBED_HOSTS`;
/// a test keeps the two lists equal).
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   frame-src https://www.youtube-nocookie.com https://player.vimeo.com; \
                   object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
/// The API docs page (Swagger UI) needs inline styles and its own bootstrap script.
const DOCS_CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                        script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let docs = is_docs(req.uri().path());
    let mut response = next.run(req).await;
    apply(response.headers_mut(), docs, state.settings.is_https());
    response
}

/// The API docs page, which gets [`DOCS_CSP`].
pub(crate) fn is_docs(path: &str) -> bool {
    path.starts_with("/api/docs")
}

/// The headers [`headers`] sets: also used for answers given before the
/// stack ([`crate::web::page_cache::EarlyPages`]). `docs`: the API docs page.
pub(crate) fn apply(h: &mut HeaderMap, docs: bool, https: bool) {
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(if docs { DOCS_CSP } else { CSP }));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if https {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
}
