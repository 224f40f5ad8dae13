//! One-shot messages shown on the next page after a redirect ("Profile saved").
//! The cookie carries a kind and a translation key, never free text.

use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};

pub const COOKIE: &str = "lyceum_flash";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashKind {
    Success,
    Info,
    Error,
}

impl FlashKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FlashKind::Success => "success",
            FlashKind::Info => "info",
            FlashKind::Error => "error",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Flash {
    pub kind: FlashKind,
    pub key: String,
}

impl Flash {
    pub fn parse(value: &str) -> Option<Self> {
        let (kind, key) = value.split_once(':')?;
        let kind = match kind {
            "success" => FlashKind::Success,
            "info" => FlashKind::Info,
            "error" => FlashKind::Error,
            _ => return None,
        };
        let valid = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
        valid.then(|| Flash { kind, key: key.to_string() })
    }
}

/// A 303 redirect that shows `key` (a translation key) on the next page.
pub fn redirect_with_flash(to: &str, kind: FlashKind, key: &str) -> Response {
    let cookie = Cookie::build((COOKIE, format!("{}:{key}", kind.as_str())))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .build();
    (axum_extra::extract::CookieJar::new().add(cookie), Redirect::to(to)).into_response()
}

/// Middleware: once a page has been rendered with the flash, expire the cookie.
pub async fn clear_after_render(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let had_flash = axum_extra::extract::CookieJar::from_headers(req.headers()).get(COOKIE).is_some();
    let mut response = next.run(req).await;
    if had_flash && !response.status().is_redirection() {
        let removal = Cookie::build((COOKIE, "")).path("/").max_age(time::Duration::ZERO).build();
        if let Ok(value) = removal.to_string().parse() {
            response.headers_mut().append(http::header::SET_COOKIE, value);
        }
    }
    response
}
