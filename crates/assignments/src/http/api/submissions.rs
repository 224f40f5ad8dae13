//! The learner's submission (`/api/v1/assignments/{id}/submission…`), the
//! staff's list, and grading (`/api/v1/assignment-submissions/{id}…`).

use axum::{
    Json,
    extract::{Multipart, Path, State, multipart::MultipartRejection},
    http::StatusCode,
};
use lyceum_platform::{
    AppError, AppResult, AppState, Text,
    auth::CurrentUser,
    http::{
        errors::Problem,
        extract::{ApiJson, ApiQuery},
    },
};

use super::dto::*;
use crate::{
    http::upload::{self, FileForm},
    model::{AssignmentId, SubmissionId},
    repo::submissions::Filter,
    service::{
        grading::{self, GradeInput},
        submissions, tries,
    },
};

/// The learner's status, dates and submission (staff: no submission).
#[utoipa::path(get, path = "/api/v1/assignments/{id}/submission", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    responses((status = 200, body = MySubmissionDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_my_submission(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AssignmentId>,
) -> AppResult<Json<MySubmissionDto>> {
    my_view(&state, &v, &id).await
}

async fn my_view(
    state: &AppState,
    v: &lyceum_platform::auth::Viewer,
    id: &AssignmentId,
) -> AppResult<Json<MySubmissionDto>> {
    let mine = submissions::mine(state, v, id).await?;
    Ok(Json(MySubmissionDto::from(&mine)))
}

/// Saves the draft's text (the learner; a draft, between the opening and
/// the cut-off). With direct submission this hands the work in, until it is
/// graded (`422` on `statement` when the statement is asked for and missing).
#[utoipa::path(put, path = "/api/v1/assignments/{id}/submission", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)), request_body = DraftBody,
    responses((status = 200, body = MySubmissionDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn save_draft(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AssignmentId>,
    ApiJson(body): ApiJson<DraftBody>,
) -> AppResult<Json<MySubmissionDto>> {
    submissions::save_text(&state, &v, &id, &body.text, body.statement).await?;
    my_view(&state, &v, &id).await
}

/// Submits the draft: `409 assignment-closed` after the cut-off, `422` on
/// `statement` when the statement is asked for, on `text` when it is empty.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/submission/submit", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)), request_body = SubmitBody,
    responses((status = 200, body = MySubmissionDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AssignmentId>,
    ApiJson(body): ApiJson<SubmitBody>,
) -> AppResult<Json<MySubmissionDto>> {
    submissions::submit(&state, &v, &id, body.statement).await?;
    my_view(&state, &v, &id).await
}

/// Takes a submitted, ungraded submission back to a draft (when the
/// assignment allows changes until grading).
#[utoipa::path(post, path = "/api/v1/assignments/{id}/submission/reopen", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    responses((status = 200, body = MySubmissionDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reopen(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AssignmentId>,
) -> AppResult<Json<MySubmissionDto>> {
    submissions::reopen(&state, &v, &id).await?;
    my_view(&state, &v, &id).await
}

/// Starts a new try (`resubmit: after_grade`): the graded try is kept in
/// `tries`, and the submission becomes a draft holding a copy of its text
/// and files. `409 new-try-not-allowed` says why when it may not start:
/// no tries after a grade, the latest try not graded (or its grade not
/// shown yet), or none left; `409 assignment-closed` after the cut-off.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/submission/new-try", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    responses((status = 200, body = MySubmissionDto), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn new_try(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AssignmentId>,
) -> AppResult<Json<MySubmissionDto>> {
    tries::start(&state, &v, &id).await?;
    my_view(&state, &v, &id).await
}

/// Adds a file to the draft (multipart field `file`): a document, PDF,
/// image or plain text, decided by the content (`415` otherwise), of a kind
/// the assignment accepts and within the room its files share (`422` on
/// `file` naming the file), up to `uploads.submission_file_max_bytes`, no
/// more files than the assignment allows. With direct submission this hands
/// the work in: a multipart field `statement=on`, sent before `file`, gives
/// the statement. The file streams to storage as it arrives; past the
/// limit it is refused (`413`) and nothing of it is kept.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/submission/files", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    request_body(content = FileForm, content_type = "multipart/form-data"),
    responses((status = 201, body = FileDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn attach_file(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AssignmentId>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<(StatusCode, Json<FileDto>)> {
    let attach = async |file: upload::FileStream<'_>, name: String, statement: bool| {
        submissions::attach(&state, &v, &id, &name, file, statement).await
    };
    let row = upload::stream_file(multipart, attach).await.map_err(AppError::from)??;
    Ok((StatusCode::CREATED, Json(FileDto::from(&row))))
}

/// Removes a file from the draft.
#[utoipa::path(delete, path = "/api/v1/assignments/{id}/submission/files/{file_id}", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path), ("file_id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub async fn detach_file(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path((id, file_id)): Path<(AssignmentId, String)>,
) -> AppResult<StatusCode> {
    submissions::detach(&state, &v, &id, &file_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The submissions (staff): waiting for a grade first, then graded, then drafts.
#[utoipa::path(get, path = "/api/v1/assignments/{id}/submissions", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path), QueueParams),
    responses((status = 200, body = SubmissionList), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
pub async fn list_submissions(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<AssignmentId>,
    ApiQuery(p): ApiQuery<QueueParams>,
) -> AppResult<Json<SubmissionList>> {
    let raw = p.state.unwrap_or_default();
    let filter =
        Filter::parse(&raw).ok_or_else(|| AppError::field("state", Text::new("assignments.errors.queue_state")))?;
    let (assignment, lines) = grading::queue(&state, &v, &id, filter).await?;
    let settings = &assignment.settings;
    Ok(Json(SubmissionList { items: lines.iter().map(|l| SubmissionDto::line(l, settings)).collect() }))
}

/// A submission (its learner — the grade once released — and the course's staff).
#[utoipa::path(get, path = "/api/v1/assignment-submissions/{id}", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)),
    responses((status = 200, body = SubmissionDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_submission(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<SubmissionId>,
) -> AppResult<Json<SubmissionDto>> {
    let view = grading::submission(&state, &v, &id).await?;
    let settings = &view.assignment.settings;
    let dto = match view.role {
        crate::service::Role::Staff => SubmissionDto::staff(&view.line, &view.files, settings),
        crate::service::Role::Learner => SubmissionDto::new(&view.line.row, &view.files, settings, view.grade_shown()),
    };
    let past = tries::history(&state, &v, &id).await?;
    Ok(Json(SubmissionDto { tries: Some(super::dto::tries(&past)), ..dto }))
}

/// Grades a submitted submission (staff), or changes its grade: points out
/// of the maximum, or the marks of the assignment's rubric, marking guide or
/// scale; the late penalty (none for a scale) is applied to give the grade.
/// A guide's refused mark is a `422` on `guide.{i}.points` or `guide.{i}.comment`.
#[utoipa::path(put, path = "/api/v1/assignment-submissions/{id}/grade", security(("bearer" = []), ("session" = [])),
    tag = "assignments", params(("id" = String, Path)), request_body = GradeBody,
    responses((status = 200, body = SubmissionDto), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn grade_submission(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<SubmissionId>,
    ApiJson(body): ApiJson<GradeBody>,
) -> AppResult<Json<SubmissionDto>> {
    let input = GradeInput {
        points: body.points.unwrap_or(f64::NAN),
        rubric: body.rubric,
        guide: body.guide,
        scale: body.scale_level,
        feedback_md: body.feedback,
    };
    grading::grade(&state, &v, &id, &input).await?;
    get_submission(State(state), CurrentUser(v), Path(id)).await
}
