//! The browser session cookie (HttpOnly, SameSite=Lax, Secure behind https)
//! and the sign-up cookie.

use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use lyceum_platform::{AppState, auth::SESSION_COOKIE};

use crate::service::session::NewSession;

pub fn set_session(jar: CookieJar, state: &AppState, session: &NewSession) -> CookieJar {
    jar.add(
        Cookie::build((SESSION_COOKIE, session.secret.clone()))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(state.settings.is_https())
            .max_age(time::Duration::seconds(session.max_age_secs))
            .build(),
    )
}

pub fn clear_session(jar: CookieJar) -> CookieJar {
    jar.add(removal())
}

/// A cookie that expires the session cookie in the browser.
pub fn removal() -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, "")).path("/").http_only(true).max_age(time::Duration::ZERO).build()
}

/// The sign-up cookie: a secret that lets the verification link sign in the
/// browser that signed up (see `links::remember_signup_browser`). Sent only
/// to the verification page.
pub const SIGNUP_COOKIE: &str = "lyceum_signup";
const SIGNUP_PATH: &str = "/verify-email";

pub fn set_signup(jar: CookieJar, state: &AppState, secret: &str) -> CookieJar {
    let hours = state.settings.auth.verification_ttl_hours.max(0);
    jar.add(
        Cookie::build((SIGNUP_COOKIE, secret.to_string()))
            .path(SIGNUP_PATH)
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(state.settings.is_https())
            .max_age(time::Duration::hours(hours))
            .build(),
    )
}

pub fn clear_signup(jar: CookieJar) -> CookieJar {
    jar.add(Cookie::build((SIGNUP_COOKIE, "")).path(SIGNUP_PATH).http_only(true).max_age(time::Duration::ZERO).build())
}
