//! Serving avatar images and reading uploads.

use axum::{
    extract::{Multipart, Path, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use lyceum_platform::{AppError, AppResult, AppState};

use crate::service;

/// Avatar URLs carry a version (`?v=`) that changes with the image, so the
/// image can be cached for a long time.
pub async fn serve(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    let bytes = service::avatar_bytes(&state, &id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/png")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400")),
        ],
        bytes,
    )
        .into_response())
}

/// The bytes of the `avatar` field of a multipart form.
pub async fn read_upload(mut multipart: Multipart) -> AppResult<bytes::Bytes> {
    let too_large = |_| AppError::payload_too_large("The upload is larger than the server accepts.");
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        if field.name() == Some("avatar") {
            return field.bytes().await.map_err(too_large);
        }
    }
    Err(AppError::field("avatar", "Send the image in a multipart field named `avatar`."))
}
