//! Identifies the caller once per request: a bearer token (programs) or the
//! session cookie (browsers). Stores a [`Caller`] for the extractors, and hands
//! it back on the response so error pages know who is signed in.

use axum::{
    extract::{Request, State},
    http::{HeaderMap, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use axum_extra::extract::CookieJar;
use lyceum_platform::{
    AppError, AppState,
    auth::{Caller, Credential, SESSION_COOKIE, Viewer},
    web::{FlashKind, redirect_with_flash},
};

use crate::{model::User, service::session};

pub async fn resolve_caller(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let (caller, stale_cookie) = match identify(&state, req.headers()).await {
        Ok(found) => found,
        Err(e) => return e.into_response(),
    };
    if matches!(caller, Caller::InvalidToken) && req.uri().path().starts_with("/api/") {
        return invalid_token();
    }
    if let Caller::User(viewer) = &caller
        && viewer.must_change_password
        && !allowed_before_password_change(req.uri().path())
    {
        return password_change_first(req.uri().path());
    }
    req.extensions_mut().insert(caller.clone());
    let mut response = next.run(req).await;
    response.extensions_mut().insert(caller);
    if stale_cookie {
        // The cookie names a session that ended: forget it.
        if let Ok(v) = super::cookies::removal().to_string().parse() {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

/// The one rule for a bearer token that is unknown, expired or revoked: every
/// `/api/` route answers 401 — public ones too, so a program learns at once that
/// its token stopped working instead of silently getting the anonymous view.
/// Pages (for browsers, which send no bearer token) leave it to their
/// extractors: pages for signed-in users send the caller to sign in.
fn invalid_token() -> Response {
    let mut response = AppError::unauthorized("The API token is invalid, expired or revoked.").into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer error=\"invalid_token\""));
    response
}

/// What an account whose password must be changed may still reach.
fn allowed_before_password_change(path: &str) -> bool {
    const EXACT: [&str; 8] = [
        "/settings/password",
        "/logout",
        "/api/v1/users/me",
        "/api/v1/users/me/password",
        "/api/v1/auth/logout",
        "/livez",
        "/readyz",
        "/metrics",
    ];
    EXACT.contains(&path)
        || path.starts_with("/assets/")
        || path.starts_with("/api/docs")
        || path == "/api/openapi.json"
}

fn password_change_first(path: &str) -> Response {
    if path.starts_with("/api/") {
        AppError::forbidden_kind(
            "password-change-required",
            "Password change required",
            "This account's password was generated for it. Choose a new one first: POST /api/v1/users/me/password.",
        )
        .into_response()
    } else {
        redirect_with_flash("/settings/password", FlashKind::Info, "accounts.flash.password_change_required")
    }
}

async fn identify(state: &AppState, headers: &HeaderMap) -> Result<(Caller, bool), AppError> {
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        let Some(token) = auth.to_str().ok().and_then(lyceum_platform::auth::bearer_token) else {
            return Ok((Caller::InvalidToken, false));
        };
        return Ok(match session::user_for_token(state, token).await? {
            Some((user, token_id)) => (viewer(user, Credential::Token { token_id }), false),
            None => (Caller::InvalidToken, false),
        });
    }
    let jar = CookieJar::from_headers(headers);
    let Some(cookie) = jar.get(SESSION_COOKIE) else {
        return Ok((Caller::Anonymous, false));
    };
    Ok(match session::user_for_session(state, cookie.value()).await? {
        Some((user, session_hash)) => (viewer(user, Credential::Session { session_hash }), false),
        None => (Caller::Anonymous, true),
    })
}

fn viewer(user: User, credential: Credential) -> Caller {
    Caller::User(Box::new(Viewer {
        role: user.role(),
        must_change_password: user.password_change_due_at.is_some(),
        user_id: user.id,
        email: user.email,
        display_name: user.display_name,
        locale: user.locale,
        time_zone: user.time_zone,
        credential,
    }))
}
