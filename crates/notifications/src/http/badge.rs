//! The unread count in the page header: a cached count (see
//! `inbox::unread_count`), asked only for a signed-in user's page (GET of a
//! document): API calls, assets, anonymous visitors and a browser's
//! sub-resource requests (avatars) never ask.

use axum::{
    extract::{Request, State},
    http::Method,
    middleware::Next,
    response::Response,
};
use lyceum_platform::{AppState, auth::Caller, web::page::UnreadNotifications};

use crate::service::inbox;

/// Middleware; must run inside the auth layer (it reads the [`Caller`]).
pub async fn unread_badge(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if let Some(user_id) = wants_badge(&req) {
        match inbox::unread_count(&state, &user_id).await {
            Ok(n) => {
                req.extensions_mut().insert(UnreadNotifications(n));
            }
            // The badge is decoration: a failed count must not fail the page.
            Err(e) => tracing::warn!(error = %e, "unread notification count failed"),
        }
    }
    next.run(req).await
}

fn wants_badge(req: &Request) -> Option<String> {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return None;
    }
    let path = req.uri().path();
    if path.starts_with("/api/") || path.starts_with("/assets/") {
        return None;
    }
    // Browsers say what a request is for; only documents show the header.
    if let Some(dest) = req.headers().get("sec-fetch-dest")
        && !matches!(dest.as_bytes(), b"document" | b"iframe")
    {
        return None;
    }
    match req.extensions().get::<Caller>() {
        Some(Caller::User(viewer)) => Some(viewer.user_id.clone()),
        _ => None,
    }
}
