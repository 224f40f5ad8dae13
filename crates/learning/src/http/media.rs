//! `GET|HEAD /lessons/{id}/media`: a lesson's video or file, and
//! `/lessons/{id}/images/{name}`: the images of its text — after the lesson
//! access rule, with Range, validators and private caching (`http::media`).

use axum::{
    extract::{Path, State},
    response::Response,
};
use http::{HeaderMap, HeaderValue, Method, header};
use lyceum_platform::ids::LessonId;
use lyceum_platform::{
    AppResult, AppState,
    auth::MaybeUser,
    http::media::{self, Caching, Media, content_disposition},
};

use crate::service::media::{lesson_file, lesson_image};

/// Only the viewer's browser may keep a copy (access depends on who asks).
const CACHING: Caching = Caching::Private { max_age_secs: 300 };

pub async fn serve(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path(id): Path<LessonId>,
    method: Method,
    headers: HeaderMap,
) -> AppResult<Response> {
    let file = lesson_file(&state, viewer.as_ref(), &id).await?;
    let served = Media { key: &file.key, content_type: &file.content_type, caching: CACHING };
    let mut response = media::serve(&state.storage, served, &method, &headers).await?;
    if let Some(name) = &file.download_name {
        let value = HeaderValue::try_from(content_disposition(name)).expect("ASCII only");
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// `GET|HEAD /lessons/{id}/images/{name}`: an image of the lesson's text, for
/// whoever may open the lesson.
pub async fn serve_image(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path((id, name)): Path<(LessonId, String)>,
    method: Method,
    headers: HeaderMap,
) -> AppResult<Response> {
    let image = lesson_image(&state, viewer.as_ref(), &id, &name).await?;
    let served = Media { key: &image.key, content_type: &image.content_type, caching: CACHING };
    media::serve(&state.storage, served, &method, &headers).await
}
