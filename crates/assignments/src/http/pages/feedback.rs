//! Feedback files on the pages: the grading page's forms adding and
//! removing one, and serving one (always as a download) to the course's
//! staff and, once their grade is visible to them, its learner.

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
};
use crate::{http::upload, model::SubmissionId, service::feedback_files};

fn grading_anchor(id: &SubmissionId) -> String {
    format!("/teach/assignment-submissions/{id}#feedback-files")
}

/// `GET|HEAD /assignment-submissions/{id}/feedback/files/{file_id}`.
pub async fn serve(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path((id, file_id)): Path<(SubmissionId, String)>,
    method: Method,
    headers: HeaderMap,
) -> AppResult<Response> {
    let file = feedback_files::open(&state, viewer.as_ref(), &id, &file_id).await?;
    let served = Media { key: &file.storage_key, content_type: &file.content_type, caching: CACHING };
    download_as(&state, served, &file.name, &method, &headers).await
}

/// The grading page's upload form.
pub async fn attach(
    State(state): State<AppState>,
    s: SignedIn,
    Path(id): Path<SubmissionId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let to = grading_anchor(&id);
    let attach = async |file: upload::FileStream<'_>, name: String, _: bool| {
        feedback_files::attach(&state, &s.viewer, &id, &name, file).await.map(|_| ())
    };
    let done = match upload::stream_file(multipart, attach).await {
        Ok(done) => done,
        Err(why) => return Ok(redirect_with_flash(&to, FlashKind::Error, why.flash_key())),
    };
    back(&to, done, "assignments.flash.feedback_file_added")
}

/// The grading page's button removing a file.
pub async fn detach(
    State(state): State<AppState>,
    s: SignedIn,
    Path((id, file_id)): Path<(SubmissionId, String)>,
) -> AppResult<Response> {
    let done = feedback_files::detach(&state, &s.viewer, &id, &file_id).await;
    back(&grading_anchor(&id), done, "assignments.flash.feedback_file_removed")
}
