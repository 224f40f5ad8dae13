//! Attachments of an assignment's instructions on the pages: the settings
//! page's forms adding and removing one, and serving one (always as a
//! download) to the course's staff and actively enrolled learners.

use axum::{
    extract::{Multipart, Path, State, multipart::MultipartRejection},
    response::Response,
};
use http::{HeaderMap, Method};
use lyceum_platform::{
    AppResult, AppState,
    auth::MaybeUser,
    http::media::Media,
    web::{FlashKind, guard::SignedIn, redirect_with_flash},
};

use super::{
    back,
    files::{CACHING, download_as},
    manage::manage_url,
};
use crate::{http::upload, model::AssignmentId, service::attachments};

fn settings_anchor(id: &AssignmentId) -> String {
    format!("{}#attachments", manage_url(id.as_str()))
}

/// `GET|HEAD /assignments/{id}/attachments/{attachment_id}`.
pub async fn serve(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path((id, attachment_id)): Path<(AssignmentId, String)>,
    method: Method,
    headers: HeaderMap,
) -> AppResult<Response> {
    let file = attachments::open(&state, viewer.as_ref(), &id, &attachment_id).await?;
    let served = Media { key: &file.storage_key, content_type: &file.content_type, caching: CACHING };
    download_as(&state, served, &file.name, &method, &headers).await
}

/// The settings page's upload form.
pub async fn attach(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<AssignmentId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let to = settings_anchor(&id);
    let attach = async |file: upload::FileStream<'_>, name: String, _: bool| {
        attachments::attach(&state, &s.viewer, &id, &name, file).await.map(|_| ())
    };
    let done = match upload::stream_file(multipart, attach).await {
        Ok(done) => done,
        Err(why) => return Ok(redirect_with_flash(&to, FlashKind::Error, why.flash_key())),
    };
    back(&to, done, "assignments.attachments.added")
}

/// The settings page's button removing one.
pub async fn detach(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, attachment_id)): Path<(AssignmentId, String)>,
) -> AppResult<Response> {
    let done = attachments::detach(&state, &s.viewer, &id, &attachment_id).await;
    back(&settings_anchor(&id), done, "assignments.attachments.removed")
}
