//! An assignment's attachments (`/api/v1/assignments/{id}/attachments…`):
//! files of its instructions. The course's staff add, list and remove
//! them; its actively enrolled learners list them.

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
    model::AssignmentId,
    repo::attachments::AttachmentRow,
    service::attachments,
};

#[derive(Serialize, ToSchema)]
pub struct AttachmentList {
    pub items: Vec<FileDto>,
}

fn dto(file: &AttachmentRow) -> FileDto {
    FileDto {
        id: file.id.clone(),
        name: file.name.clone(),
        content_type: file.content_type.clone(),
        size: file.size,
        url: attachments::file_url(file),
    }
}

/// The files of the assignment's instructions (its course's staff and
/// actively enrolled learners, before the opening date too).
#[utoipa::path(get, path = "/api/v1/assignments/{id}/attachments", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    responses((status = 200, body = AttachmentList), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_attachments(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AssignmentId>,
) -> AppResult<Json<AttachmentList>> {
    let files = attachments::list(&state, &v, &id).await?;
    Ok(Json(AttachmentList { items: files.iter().map(dto).collect() }))
}

/// Adds a file to the assignment's instructions (staff; multipart field
/// `file`): a document, PDF, image or plain text, decided by the content, up
/// to `uploads.submission_file_max_bytes`, 10 files at most (`422` on `file`).
#[utoipa::path(post, path = "/api/v1/assignments/{id}/attachments", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    request_body(content = FileForm, content_type = "multipart/form-data"),
    responses((status = 201, body = FileDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem)))]
pub async fn attach_attachment(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AssignmentId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<(StatusCode, Json<FileDto>)> {
    let attach = async |file: upload::FileStream<'_>, name: String, _: bool| {
        attachments::attach(&state, &v, &id, &name, file).await
    };
    let row = upload::stream_file(multipart, attach).await.map_err(AppError::from)??;
    Ok((StatusCode::CREATED, Json(dto(&row))))
}

/// Removes a file from the assignment's instructions, and its stored copy (staff).
#[utoipa::path(delete, path = "/api/v1/assignments/{id}/attachments/{attachment_id}", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path), ("attachment_id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn detach_attachment(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path((id, attachment_id)): Path<(AssignmentId, String)>,
) -> AppResult<StatusCode> {
    attachments::detach(&state, &v, &id, &attachment_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
