//! What account forms share beyond `lyceum_platform::web::form`: translated
//! messages for the refusals pages expect, and the checks on addresses carried
//! in forms (`next`, return addresses).

use serde::Deserialize;

use lyceum_platform::{
    AppError, AppResult,
    web::{Page, Refused},
};

use crate::LoginError;

/// A form with just an e-mail address (resend a link, ask for a reset).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailForm {
    pub email: String,
}

/// `?token=…` of an e-mailed link.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenQuery {
    pub token: String,
}

/// A refused form with the messages pages expect translated.
pub fn refused(page: &Page, e: AppError) -> AppResult<Refused> {
    let mut refused = Refused::from_error(e, page.locale)?;
    if let Some(secs) = refused.retry_after_secs {
        refused.errors.general = Some(rate_limited(page, secs));
    }
    Ok(refused)
}

/// "Too many attempts", in the viewer's language.
pub fn rate_limited(page: &Page, secs: u32) -> String {
    page.t("accounts.errors.rate_limited").replace("{seconds}", &secs.to_string())
}

/// A refused sign-in: each refusal in the viewer's language.
pub fn refused_login(page: &Page, e: LoginError) -> AppResult<Refused> {
    let message = match &e {
        LoginError::InvalidCredentials => Some(page.t("accounts.errors.invalid_credentials")),
        LoginError::Disabled => Some(page.t("accounts.errors.account_disabled")),
        LoginError::Unverified => Some(page.t("accounts.errors.email_unverified")),
        LoginError::RateLimited(l) => Some(rate_limited(page, l.retry_after_secs)),
        LoginError::Other(_) => None,
    };
    let mut refused = Refused::from_error(e.into(), page.locale)?;
    if message.is_some() {
        refused.errors.general = message;
    }
    Ok(refused)
}

/// A local path to go to after signing in; anything else (other sites,
/// `//host`, `/\host`, control characters) becomes `/`.
pub fn safe_next(raw: Option<&str>) -> String {
    match raw {
        Some(next) if is_local_path(next) => next.to_string(),
        _ => "/".to_string(),
    }
}

/// A path on this site that is safe in a `Location` header.
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && path.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/settings/tokens?x=1")), "/settings/tokens?x=1");
        for bad in ["//evil.example", "/\\evil.example", "https://evil.example", "evil", "", "/a b", "/a\nb"] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
