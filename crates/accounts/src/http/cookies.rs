//! The browser session cookie: HttpOnly, SameSite=Lax, Secure behind https.

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
