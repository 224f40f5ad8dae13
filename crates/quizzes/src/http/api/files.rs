//! `/api/v1/courses/{id}/question-files` (images for question texts, the
//! course's staff) and `/api/v1/quizzes/attempts/{id}/answers/{slot}/files…`
//! (an essay answer's files: its learner adds and removes them while the
//! attempt is open; the learner and the course's staff list them).

use axum::{
    Json,
    extract::{Multipart, Path, State, multipart::MultipartRejection},
    http::StatusCode,
};
use lyceum_platform::{
    AppError, AppResult, AppState, auth::CurrentUser, db::rfc3339, http::errors::Problem, ids::CourseId,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    http::upload::{self, FileForm},
    model::AttemptId,
    repo::files::FileRow,
    service::{answer_files, question_files},
};

/// A slot in a path: not a number is no such question (404), like any other slot that is not there.
pub(crate) fn slot_number(raw: &str) -> AppResult<usize> {
    raw.parse().map_err(|_| AppError::not_found())
}

/// An image of a course's question bank.
#[derive(Serialize, ToSchema)]
pub struct QuestionFileDto {
    pub id: String,
    /// The uploader's file name (display only).
    pub name: String,
    /// Decided from the content: image/png, image/jpeg, image/gif or image/webp.
    pub content_type: String,
    pub size: i64,
    /// Where it is served (the course's staff, and its enrolled learners).
    pub url: String,
    /// The markdown that shows it in a question's text.
    pub markdown: String,
    pub created_at: String,
}

impl QuestionFileDto {
    fn new(row: FileRow, alt: &str) -> Self {
        Self {
            url: question_files::url(&row.id),
            markdown: question_files::markdown(&row.id, alt),
            created_at: rfc3339(row.created_at),
            id: row.id,
            name: row.name,
            content_type: row.content_type,
            size: row.size,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct QuestionFileList {
    pub items: Vec<QuestionFileDto>,
}

/// A file attached to an essay answer.
#[derive(Serialize, ToSchema)]
pub struct AnswerFileDto {
    pub id: String,
    pub slot: i64,
    /// The learner's file name (display and download only).
    pub name: String,
    /// Decided from the content.
    pub content_type: String,
    pub size: i64,
    /// Where it is downloaded (the attempt's learner and the course's staff).
    pub url: String,
    pub created_at: String,
}

impl From<FileRow> for AnswerFileDto {
    fn from(row: FileRow) -> Self {
        Self {
            url: answer_files::url(&row),
            created_at: rfc3339(row.created_at),
            id: row.id,
            slot: row.slot,
            name: row.name,
            content_type: row.content_type,
            size: row.size,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AnswerFileList {
    pub items: Vec<AnswerFileDto>,
}

/// Uploads an image for question texts into the course's bank (multipart:
/// optional `alt`, then `file`). PNG, JPEG, GIF or WebP, decided by the
/// content (SVG is refused: it can run script), up to
/// `uploads.question_file_max_bytes`. The answer's `markdown` shows it.
#[utoipa::path(post, path = "/api/v1/courses/{id}/question-files", security(("bearer" = []), ("session" = [])),
    tag = "quizzes", params(("id" = String, Path)),
    request_body(content = FileForm, content_type = "multipart/form-data"),
    responses((status = 201, body = QuestionFileDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem)))]
pub async fn upload_question_file(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<(StatusCode, Json<QuestionFileDto>)> {
    let file = upload::read_file(multipart).await?;
    let row = question_files::upload(&state, &v, &id, &file.name, file.data).await?;
    Ok((StatusCode::CREATED, Json(QuestionFileDto::new(row, &file.alt))))
}

/// The images of the course's bank, newest first (its staff only).
#[utoipa::path(get, path = "/api/v1/courses/{id}/question-files", security(("bearer" = []), ("session" = [])),
    tag = "quizzes", params(("id" = String, Path)),
    responses((status = 200, body = QuestionFileList), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn list_question_files(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<CourseId>,
) -> AppResult<Json<QuestionFileList>> {
    let rows = question_files::list(&state, &v, &id).await?;
    Ok(Json(QuestionFileList { items: rows.into_iter().map(|r| QuestionFileDto::new(r, "")).collect() }))
}

/// Attaches a file to the learner's essay answer in `slot` (multipart field
/// `file`): an image, PDF, office document or plain text, decided by the
/// content, up to `uploads.essay_file_max_bytes`, and no more files than the
/// essay allows (422). Like saving an answer: only the attempt's learner,
/// only while it is open and in time (409 `attempt-closed`).
#[utoipa::path(post, path = "/api/v1/quizzes/attempts/{id}/answers/{slot}/files", security(("bearer" = []), ("session" = [])),
    tag = "quizzes", params(("id" = String, Path), ("slot" = String, Path, description = "The question's number in the attempt, from 0")),
    request_body(content = FileForm, content_type = "multipart/form-data"),
    responses((status = 201, body = AnswerFileDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn attach_answer_file(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path((id, slot)): Path<(AttemptId, String)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<(StatusCode, Json<AnswerFileDto>)> {
    let slot = slot_number(&slot)?;
    let file = upload::read_file(multipart).await?;
    let row = answer_files::attach(&state, &v, &id, slot, &file.name, file.data).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// The files of the answer in `slot` (the attempt's learner and the course's staff).
#[utoipa::path(get, path = "/api/v1/quizzes/attempts/{id}/answers/{slot}/files", security(("bearer" = []), ("session" = [])),
    tag = "quizzes", params(("id" = String, Path), ("slot" = String, Path, description = "The question's number in the attempt, from 0")),
    responses((status = 200, body = AnswerFileList), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn list_answer_files(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path((id, slot)): Path<(AttemptId, String)>,
) -> AppResult<Json<AnswerFileList>> {
    let slot = slot_number(&slot)?;
    let rows = answer_files::of_attempt(&state, &v, &id).await?;
    let items = rows.into_iter().filter(|r| r.slot == slot as i64).map(AnswerFileDto::from).collect();
    Ok(Json(AnswerFileList { items }))
}

/// Removes a file from the learner's essay answer (while the attempt is open and in time).
#[utoipa::path(delete, path = "/api/v1/quizzes/attempts/{id}/answers/{slot}/files/{file_id}", security(("bearer" = []), ("session" = [])),
    tag = "quizzes", params(("id" = String, Path), ("slot" = String, Path, description = "The question's number in the attempt, from 0"), ("file_id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn detach_answer_file(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path((id, slot, file_id)): Path<(AttemptId, String, String)>,
) -> AppResult<StatusCode> {
    answer_files::detach(&state, &v, &id, slot_number(&slot)?, &file_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
