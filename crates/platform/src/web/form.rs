//! Errors shown on a re-rendered form: one general message and per-field ones.

use askama::Template;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

use crate::{AppError, AppResult, FieldError};

#[derive(Debug, Default, Clone)]
pub struct FormErrors {
    /// Shown above the form (`role="alert"`).
    pub general: Option<String>,
    pub fields: Vec<FieldError>,
}

impl FormErrors {
    pub fn none() -> Self {
        Self::default()
    }

    /// The message for `field`, shown below its input.
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.fields.iter().find(|f| f.field == field).map(|f| f.message.as_str())
    }

    /// `"true"` when `field` has an error, for `aria-invalid`.
    pub fn invalid(&self, field: &str) -> &'static str {
        if self.for_field(field).is_some() { "true" } else { "false" }
    }

    /// `aria-describedby` for an input: its hint and its error, when present.
    pub fn described_by(&self, field: &str, has_hint: bool) -> String {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{field}-hint"));
        }
        if self.for_field(field).is_some() {
            ids.push(format!("{field}-error"));
        }
        ids.join(" ")
    }

    pub fn any(&self) -> bool {
        self.general.is_some() || !self.fields.is_empty()
    }
}

/// The status (and `Retry-After`) a re-rendered form answers with.
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
        let mut response = (self.status, super::render(template)?).into_response();
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
    pub retry_after_secs: Option<u32>,
    pub reply: Reply,
}

impl Refused {
    /// A 4xx error becomes messages on the re-rendered form (answered with the
    /// same status), in `locale` (the page's, `page.locale`) when they have a
    /// key; anything else (5xx) goes on to the error page.
    pub fn from_error(e: AppError, locale: &str) -> AppResult<Self> {
        if !e.status.is_client_error() {
            return Err(e);
        }
        let general = e.fields.is_empty().then(|| e.detail_in(locale));
        let fields = e.fields.iter().map(|f| FieldError { message: f.in_lang(locale), ..f.clone() }).collect();
        Ok(Self {
            errors: FormErrors { general, fields },
            kind: e.kind,
            retry_after_secs: e.retry_after_secs,
            reply: Reply { status: e.status, retry_after: e.retry_after_secs },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_hint_and_error() {
        let errors = FormErrors { general: None, fields: vec![FieldError::new("password", "short")] };
        assert_eq!(errors.described_by("password", true), "password-hint password-error");
        assert_eq!(errors.described_by("email", false), "");
        assert_eq!(errors.invalid("password"), "true");
    }

    #[test]
    fn client_errors_stay_on_the_form_and_server_errors_do_not() {
        let refused = Refused::from_error(AppError::field("email", "bad"), "fr").unwrap();
        assert_eq!(refused.errors.for_field("email"), Some("bad"), "plain text as it is");
        assert!(Refused::from_error(AppError::internal("boom"), "en").is_err());
    }

    #[test]
    fn keyed_messages_are_shown_in_the_page_language() {
        let field = AppError::field("limit", crate::Text::new("errors.limit").arg("max", 100));
        assert_eq!(field.fields[0].message, "Use a whole number from 1 to 100.", "the API's English");
        let refused = Refused::from_error(field, "fr").unwrap();
        assert_eq!(refused.errors.for_field("limit"), Some("Utilisez un nombre entier de 1 à 100."));
        let conflict = AppError::conflict(crate::Text::new("errors.already_exists"));
        assert_eq!(conflict.detail, "That already exists.");
        let refused = Refused::from_error(conflict, "fr").unwrap();
        assert_eq!(refused.errors.general.as_deref(), Some("Cela existe déjà."));
    }
}
