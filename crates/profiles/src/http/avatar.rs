//! Serving avatar images and reading uploads.

use axum::{
    extract::{Multipart, Path, State, multipart::MultipartRejection},
    http::{HeaderMap, Method},
    response::Response,
};
use lyceum_platform::ids::UserId;
use lyceum_platform::{
    AppError, AppResult, AppState, Text,
    auth::MaybeUser,
    http::{
        caching::SameForEveryone,
        media::{self, Caching, Media},
    },
};

use crate::service::{self, Audience};

/// Avatar URLs carry a version (`?v=`) that changes with the image, so a public
/// profile's avatar can be cached for a long time, by shared caches too.
const PUBLIC: Caching = Caching::Public { max_age_secs: 86400 };
/// A private profile's avatar (seen by its owner or an admin) stays in the browser.
const PRIVATE: Caching = Caching::Private { max_age_secs: 300 };

/// Streams the avatar with validators, so browsers revalidate with a 304. Only
/// to those who may see the profile ([`service::audience`]); 404 to others.
pub async fn serve(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path(id): Path<UserId>,
    method: Method,
    headers: HeaderMap,
) -> AppResult<Response> {
    let (key, audience) = service::visible_avatar(&state, viewer.as_ref(), &id).await?;
    let caching = if audience == Audience::Everyone { PUBLIC } else { PRIVATE };
    let avatar = Media { key: &key, content_type: "image/png", caching };
    let mut response = media::serve(&state.storage, avatar, &method, &headers).await?;
    if audience == Audience::Everyone {
        response.extensions_mut().insert(SameForEveryone);
    }
    Ok(response)
}

/// The bytes of the `avatar` field of a multipart form.
pub async fn read_upload(multipart: Result<Multipart, MultipartRejection>) -> AppResult<bytes::Bytes> {
    // axum's own rejection is a text/plain 400; ours is problem+json like every API error.
    let mut multipart =
        multipart.map_err(|_| AppError::unsupported_media_type(Text::new("profiles.errors.multipart")))?;
    let too_large = |_| AppError::payload_too_large(Text::new("profiles.errors.upload_too_large"));
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        if field.name() == Some("avatar") {
            return field.bytes().await.map_err(too_large);
        }
    }
    Err(AppError::field("avatar", Text::new("profiles.errors.multipart_field")))
}
