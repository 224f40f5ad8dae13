//! Extractors that reject in our own error shape.

use axum::{
    extract::{FromRequest, FromRequestParts, Request, rejection::FormRejection, rejection::QueryRejection},
    http::{header, request::Parts},
};
use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::{AppError, FieldError};

/// A JSON body: 415 without `Content-Type: application/json`, 400 for
/// malformed JSON, 422 naming the field for wrong types or missing fields.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
        if !is_json {
            return Err(AppError::unsupported_media_type(
                "Send the body as JSON with `Content-Type: application/json`.",
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::payload_too_large("The request body is larger than the server accepts."))?;
        parse_json(&bytes).map(ApiJson)
    }
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    // Syntax first, whole body: broken or trailing JSON is a 400 even when a
    // type error would be met before the syntax error.
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        return Err(AppError::bad_request(format!("The body is not valid JSON: {e}")));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return AppError::bad_request(format!("The body is not valid JSON: {inner}"));
        }
        let message = inner.to_string();
        // "missing field `email` at line 1 column 2" → field `email`, "is required".
        if let Some(field) = message.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
            let field = if path == "." { field.to_string() } else { format!("{path}.{field}") };
            return AppError::validation(vec![FieldError::new(field, "is required")]);
        }
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        AppError::validation(vec![FieldError::new(if path == "." { "body".into() } else { path }, message)])
    })
}

/// A query string; a malformed one is a 400 naming the problem.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e: QueryRejection| AppError::bad_request(format!("Invalid query string: {}", e.body_text())))
    }
}

/// A urlencoded form from a page.
pub struct PageForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for PageForm<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        axum::Form::<T>::from_request(req, state).await.map(|f| PageForm(f.0)).map_err(|e: FormRejection| match e {
            FormRejection::BytesRejection(_) => {
                AppError::payload_too_large("The form is larger than the server accepts.")
            }
            other => AppError::bad_request(format!("The form could not be read: {}", other.body_text())),
        })
    }
}
