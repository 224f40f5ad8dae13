//! Errors shown on a re-rendered form: one general message and per-field ones.

use crate::{AppError, FieldError};

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

    pub fn any(&self) -> bool {
        self.general.is_some() || !self.fields.is_empty()
    }
}

impl From<&AppError> for FormErrors {
    fn from(e: &AppError) -> Self {
        if e.fields.is_empty() {
            Self { general: Some(e.detail.clone()), fields: Vec::new() }
        } else {
            Self { general: None, fields: e.fields.clone() }
        }
    }
}

/// For a form handler: turns a 4xx error into errors to show on the form,
/// and passes anything else (5xx) on to the error page.
pub fn recoverable(e: AppError) -> Result<FormErrors, AppError> {
    if e.status.is_client_error() { Ok(FormErrors::from(&e)) } else { Err(e) }
}
