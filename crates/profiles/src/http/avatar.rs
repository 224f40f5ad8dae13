//! Serving avatar images and reading uploads.

use axum::{
    extract::{Multipart, Path, State, multipart::MultipartRejection},
    http::{HeaderMap, Method},
    response::Response,
};
use lyceum_platform::{
    AppError, AppResult, AppState,
    http::media::{self, Caching, Media},
};

use crate::service;

/// Avatar URLs carry a version (`?v=`) that changes with the image, so the
/// image can be cached for a long time, by shared caches too (avatars are public).
const CACHING: Caching = Caching::Public { max_age_secs: 86400 };

/// Streams the avatar with validators, so browsers revalidate with a 304.
pub async fn serve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> AppResult<Response> {
    let key = service::avatar_key(&state, &id).await?;
    let avatar = Media { key: &key, content_type: "image/png", caching: CACHING };
    media::serve(&state.storage, avatar, &method, &headers).await
}

/// The bytes of the `avatar` field of a multipart form.
pub async fn read_upload(multipart: Result<Multipart, MultipartRejection>) -> AppResult<bytes::Bytes> {
    // axum's own rejection is a text/plain 400; ours is problem+json like every API error.
    let mut multipart =
        multipart.map_err(|_| AppError::unsupported_media_type("Send the image as `multipart/form-data`."))?;
    let too_large = |_| AppError::payload_too_large("The upload is larger than the server accepts.");
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        if field.name() == Some("avatar") {
            return field.bytes().await.map_err(too_large);
        }
    }
    Err(AppError::field("avatar", "Send the image in a multipart field named `avatar`."))
}
