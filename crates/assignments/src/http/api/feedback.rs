//! A submission's feedback files (`/api/v1/assignment-submissions/{id}/feedback/files…`):
//! the course's staff add, list and remove them; the learner lists them
//! once their grade is visible to them.

use axum::{
    Json,
    extract::{Multipart, Path, State, multipart::MultipartRejection},
    http::StatusCode,
};
use lyceum_platform::{AppError, AppResult, AppState, auth::CurrentUser, http::errors::Problem};
use serde::Serialize;
use utoipa::ToSchema;

use super::dto::FileDto;
use crate::{
    http::upload::{self, FileForm},
    model::SubmissionId,
    repo::files::FileRow,
    service::feedback_files,
};

#[derive(Serialize, ToSchema)]
pub struct FeedbackFileList {
    pub items: Vec<FileDto>,
}

fn dto(file: &FileRow) -> FileDto {
    FileDto { url: feedback_files::file_url(file), ..FileDto::from(file) }
}

/// The feedback files: all of them for the course's staff; for the learner
/// none until their grade is visible to them.
#[utoipa::path(get, path = "/api/v1/assignment-submissions/{id}/feedback/files", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    responses((status = 200, body = FeedbackFileList), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_feedback_files(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<SubmissionId>,
) -> AppResult<Json<FeedbackFileList>> {
    let files = feedback_files::list(&state, &v, &id).await?;
    Ok(Json(FeedbackFileList { items: files.iter().map(dto).collect() }))
}

/// Adds a file to a submitted submission's feedback (staff; multipart field
/// `file`): a document, PDF, image or plain text, decided by the content, up
/// to `uploads.submission_file_max_bytes` (met while the file streams to
/// storage: `413`, nothing kept), 10 files at most (`422` on `file`).
#[utoipa::path(post, path = "/api/v1/assignment-submissions/{id}/feedback/files", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    request_body(content = FileForm, content_type = "multipart/form-data"),
    responses((status = 201, body = FileDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn attach_feedback_file(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<SubmissionId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<(StatusCode, Json<FileDto>)> {
    let attach = async |file: upload::FileStream<'_>, name: String, _: bool| {
        feedback_files::attach(&state, &v, &id, &name, file).await
    };
    let row = upload::stream_file(multipart, attach).await.map_err(AppError::from)??;
    Ok((StatusCode::CREATED, Json(dto(&row))))
}

/// Removes a file from a submission's feedback (staff).
#[utoipa::path(delete, path = "/api/v1/assignment-submissions/{id}/feedback/files/{file_id}", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path), ("file_id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn detach_feedback_file(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path((id, file_id)): Path<(SubmissionId, String)>,
) -> AppResult<StatusCode> {
    feedback_files::detach(&state, &v, &id, &file_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
