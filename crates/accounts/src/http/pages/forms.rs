//! What every account form shares: turning a service error into messages on
//! the re-rendered form, answering with the right status, and the checks on
//! addresses carried in forms (`next`, return addresses).

use askama::Template;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use lyceum_platform::{
    AppError, AppResult,
    web::{FormErrors, Page, render},
};

/// The status (and `Retry-After`) a page answers with.
#[derive(Debug, Clone, Copy)]
pub struct Reply {
    status: StatusCode,
    retry_after: Option<u32>,
}

impl Reply {
    pub const OK: Reply = Reply { status: StatusCode::OK, retry_after: None };

    pub fn status(status: StatusCode) -> Self {
        Self { status, retry_after: None }
    }

    pub fn render<T: Template>(self, template: &T) -> AppResult<Response> {
        let mut response = (self.status, render(template)?).into_response();
        if let Some(secs) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        Ok(response)
    }
}

/// A form the service refused: the messages to show and how to answer.
pub struct Refused {
    pub errors: FormErrors,
    /// The error's stable kind, e.g. `email-unverified`.
    pub kind: &'static str,
    pub reply: Reply,
}

impl Refused {
    /// A 4xx error becomes messages on the form; anything else goes on to the error page.
    pub fn from_error(page: &Page, e: AppError) -> AppResult<Self> {
        if !e.status.is_client_error() {
            return Err(e);
        }
        let general = e.fields.is_empty().then(|| general_message(page, &e));
        Ok(Self {
            errors: FormErrors { general, fields: e.fields },
            kind: e.kind,
            reply: Reply { status: e.status, retry_after: e.retry_after_secs },
        })
    }
}

/// The message above a form: translated for the kinds pages expect, the
/// service's own wording otherwise.
fn general_message(page: &Page, e: &AppError) -> String {
    match e.kind {
        "invalid-credentials" => page.t("accounts.errors.invalid_credentials"),
        "account-disabled" => page.t("accounts.errors.account_disabled"),
        "email-unverified" => page.t("accounts.errors.email_unverified"),
        "rate-limited" => {
            page.t("accounts.errors.rate_limited").replace("{seconds}", &e.retry_after_secs.unwrap_or(60).to_string())
        }
        _ => e.detail.clone(),
    }
}

/// `aria-describedby` for an input: its hint and its error, when present.
pub fn described_by(errors: &FormErrors, field: &str, has_hint: bool) -> String {
    let mut ids = Vec::new();
    if has_hint {
        ids.push(format!("{field}-hint"));
    }
    if errors.for_field(field).is_some() {
        ids.push(format!("{field}-error"));
    }
    ids.join(" ")
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

/// Percent-encodes a query-string value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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

    #[test]
    fn encodes_query_values() {
        assert_eq!(encode("/admin/users?q=a b&x"), "%2Fadmin%2Fusers%3Fq%3Da%20b%26x");
        assert_eq!(encode("é"), "%C3%A9");
    }

    #[test]
    fn describes_hint_and_error() {
        let errors = FormErrors { general: None, fields: vec![lyceum_platform::FieldError::new("password", "short")] };
        assert_eq!(described_by(&errors, "password", true), "password-hint password-error");
        assert_eq!(described_by(&errors, "email", false), "");
    }
}
